"""Every model, imported once so that the metadata (and Alembic) sees all tables."""

from casework.accounts.models import User, tutor_units
from casework.cases.models import (
    Assessment,
    Attachment,
    BreakGlassGrant,
    Case,
    CaseNumberCounter,
    CaseProblem,
    CaseTransition,
    ClosureReport,
    Evaluation,
    FollowUp,
    GoalResult,
    IntakeRecord,
    PlanGoal,
    Referral,
    ServicePlan,
    ServiceRecord,
    SupervisorComment,
)
from casework.core.audit import AuditEntry
from casework.helpdesk.models import HelpRequest, HelpRequestEvent, StationProfile
from casework.orgs.models import Unit
from casework.people.models import (
    HouseholdMember,
    ServiceUser,
    VulnerabilityTag,
    service_user_tags,
)

__all__ = [
    "Assessment",
    "Attachment",
    "AuditEntry",
    "BreakGlassGrant",
    "Case",
    "CaseNumberCounter",
    "CaseProblem",
    "CaseTransition",
    "ClosureReport",
    "Evaluation",
    "FollowUp",
    "GoalResult",
    "HelpRequest",
    "HelpRequestEvent",
    "HouseholdMember",
    "IntakeRecord",
    "PlanGoal",
    "Referral",
    "ServicePlan",
    "ServiceRecord",
    "ServiceUser",
    "StationProfile",
    "SupervisorComment",
    "Unit",
    "User",
    "VulnerabilityTag",
    "service_user_tags",
    "tutor_units",
]
