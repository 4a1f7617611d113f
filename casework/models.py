"""Every model, imported once so that the metadata (and Alembic) sees all tables."""

from casework.accounts.models import PasswordLink, RecoveryCode, User, UserSession, tutor_units
from casework.activities.models import CommunityActivity, activity_participants
from casework.api.models import ApiToken
from casework.attachments.models import Attachment
from casework.calendar.models import CalendarFeed
from casework.cases.breakglass import BreakGlassGrant
from casework.cases.models import (
    Assessment,
    Case,
    CaseNumberCounter,
    CaseProblem,
    CaseTransfer,
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
    WordingRule,
)
from casework.core.audit import AuditEntry
from casework.core.audit_chain import AuditChain
from casework.core.disclosure import AuditDisclosure
from casework.core.ratelimit import RateLimitCounter
from casework.core.retention_policy import RetentionPolicy
from casework.dashboards.models import DisplayToken
from casework.evidence.models import EvidencePack
from casework.exports.models import ExportApproval
from casework.groups.models import (
    Attendance,
    Group,
    GroupMember,
    GroupSession,
    GroupTransition,
    group_co_facilitators,
)
from casework.helpdesk.models import HelpRequest, HelpRequestEvent, StationProfile
from casework.hotline.models import CallbackAttempt, ConnectedSystem, WorkOrder, WorkOrderCallback
from casework.imports.models import ImportRun
from casework.notifications.models import Notification, NotificationSettings
from casework.orgs.models import Unit
from casework.people.models import (
    FileRequest,
    Household,
    HouseholdMember,
    HouseholdPerson,
    PersonMerge,
    ServiceUser,
    VulnerabilityTag,
    service_user_tags,
)
from casework.pilot.models import PilotStage, PilotUnit
from casework.projects.models import (
    Agency,
    Deliverable,
    EvaluationIndicator,
    Milestone,
    Project,
    ProjectDocument,
    ProjectEvaluation,
    ProjectEvaluationScore,
    ProjectFund,
    project_units,
)
from casework.rights.models import RightsRequest
from casework.search.models import SearchDocument
from casework.summaries.models import UnitSummary
from casework.supervision.models import (
    SupervisionSession,
    supervision_cases,
    supervision_workers,
)
from casework.volunteers.models import Volunteer, VolunteerAssignment
from casework.worker_reports.models import AnnualAssessment
from casework.workforce.models import (
    AwardRecord,
    Certificate,
    ContinuingEducationEntry,
    EmploymentRecord,
    ExamRecord,
    Post,
    TrainingAttendance,
    TrainingCourse,
    TrainingPlan,
    TrainingSession,
    WorkerProfile,
    WorkforceTarget,
)

__all__ = [
    "Agency",
    "AnnualAssessment",
    "ApiToken",
    "Assessment",
    "Attachment",
    "Attendance",
    "AuditChain",
    "AuditDisclosure",
    "AuditEntry",
    "AwardRecord",
    "BreakGlassGrant",
    "CalendarFeed",
    "CallbackAttempt",
    "Case",
    "CaseNumberCounter",
    "CaseProblem",
    "CaseTransfer",
    "CaseTransition",
    "Certificate",
    "ClosureReport",
    "CommunityActivity",
    "ConnectedSystem",
    "ContinuingEducationEntry",
    "Deliverable",
    "DisplayToken",
    "EmploymentRecord",
    "Evaluation",
    "EvaluationIndicator",
    "EvidencePack",
    "ExamRecord",
    "ExportApproval",
    "FileRequest",
    "FollowUp",
    "GoalResult",
    "Group",
    "GroupMember",
    "GroupSession",
    "GroupTransition",
    "HelpRequest",
    "HelpRequestEvent",
    "Household",
    "HouseholdMember",
    "HouseholdPerson",
    "ImportRun",
    "IntakeRecord",
    "Milestone",
    "Notification",
    "NotificationSettings",
    "PasswordLink",
    "PersonMerge",
    "PilotStage",
    "PilotUnit",
    "PlanGoal",
    "Post",
    "Project",
    "ProjectDocument",
    "ProjectEvaluation",
    "ProjectEvaluationScore",
    "ProjectFund",
    "RateLimitCounter",
    "RecoveryCode",
    "Referral",
    "RetentionPolicy",
    "RightsRequest",
    "SearchDocument",
    "ServicePlan",
    "ServiceRecord",
    "ServiceUser",
    "StationProfile",
    "SupervisionSession",
    "SupervisorComment",
    "TrainingAttendance",
    "TrainingCourse",
    "TrainingPlan",
    "TrainingSession",
    "Unit",
    "UnitSummary",
    "User",
    "UserSession",
    "Volunteer",
    "VolunteerAssignment",
    "VulnerabilityTag",
    "WordingRule",
    "WorkOrder",
    "WorkOrderCallback",
    "WorkerProfile",
    "WorkforceTarget",
    "activity_participants",
    "group_co_facilitators",
    "project_units",
    "service_user_tags",
    "supervision_cases",
    "supervision_workers",
    "tutor_units",
]
