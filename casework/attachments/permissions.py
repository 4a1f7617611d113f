"""Who may see, upload and archive attachments."""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from casework.accounts.models import User
from casework.activities.models import CommunityActivity
from casework.activities.permissions import activities_visible_to, can_manage_activity
from casework.attachments.models import Attachment
from casework.cases.models import Case
from casework.cases.permissions import can_write_records, cases_visible_to
from casework.extensions import db
from casework.people.models import ServiceUser
from casework.people.permissions import can_edit_person, people_visible_to


def attachments_visible_to(user: User) -> Select[Attachment]:
    """Attachments not archived whose case, person or activity ``user`` may open."""
    visible_case_ids = cases_visible_to(user).with_only_columns(Case.id)
    visible_person_ids = people_visible_to(user).with_only_columns(ServiceUser.id)
    visible_activity_ids = activities_visible_to(user).with_only_columns(CommunityActivity.id)
    return select(Attachment).where(
        Attachment.is_archived.is_(False),
        or_(
            Attachment.case_id.in_(visible_case_ids),
            Attachment.service_user_id.in_(visible_person_ids),
            Attachment.activity_id.in_(visible_activity_ids),
        ),
    )


def can_upload_to_case(user: User, case: Case) -> bool:
    return can_write_records(user, case)


def can_upload_to_person(user: User, person: ServiceUser) -> bool:
    return can_edit_person(user, person)


def can_upload_to_activity(user: User, activity: CommunityActivity) -> bool:
    return can_manage_activity(user, activity)


def can_archive_attachment(user: User, attachment: Attachment) -> bool:
    """Whoever may add attachments to its case or person may also remove them."""
    if attachment.case_id is not None:
        case = db.session.get(Case, attachment.case_id)
        return case is not None and can_upload_to_case(user, case)
    if attachment.service_user_id is not None:
        person = db.session.get(ServiceUser, attachment.service_user_id)
        return person is not None and can_upload_to_person(user, person)
    if attachment.activity_id is not None:
        activity = db.session.get(CommunityActivity, attachment.activity_id)
        return activity is not None and can_upload_to_activity(user, activity)
    return False
