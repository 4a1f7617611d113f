"""The attachments section that case and person pages include."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy.orm import selectinload

from casework.attachments.forms import AttachmentForm
from casework.attachments.models import Attachment
from casework.attachments.permissions import attachments_visible_to
from casework.extensions import db


def attachments_context(condition: Any, *, upload_url: str | None) -> dict[str, Any]:
    """Template variables for ``attachments/_list.html``: the visible, unarchived files."""
    query = (
        attachments_visible_to(current_user)
        .where(condition, Attachment.is_archived.is_(False))
        .options(selectinload(Attachment.uploaded_by))
        .order_by(Attachment.uploaded_at, Attachment.id)
    )
    return {
        "attachments": list(db.session.scalars(query)),
        "upload_url": upload_url,
        "attachment_form": AttachmentForm(formdata=None),
    }
