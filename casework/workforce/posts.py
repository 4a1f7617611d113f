"""Social-work posts (社会工作岗位) of a unit and who holds them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from casework.accounts.models import User
from casework.core import audit
from casework.extensions import db
from casework.orgs.models import Unit
from casework.workforce.models import (
    CertificateLevel,
    Post,
    PostKind,
    WorkerProfile,
)
from casework.workforce.services import WorkforceError, clean_text


@dataclass
class PostDetails:
    title: str
    kind: PostKind
    required_level: CertificateLevel | None
    salary_band: str | None
    holder: WorkerProfile | None


def _apply_post(post: Post, details: PostDetails) -> None:
    if details.holder is not None:
        if details.holder.unit_id != post.unit_id:
            raise WorkforceError("holder_other_unit")
        taken = db.session.scalar(
            select(Post.id).where(Post.holder_profile_id == details.holder.id, Post.id != post.id)
        )
        if taken is not None:
            raise WorkforceError("holder_has_post")
    post.title = details.title.strip()
    post.kind = details.kind
    post.required_level = details.required_level
    post.salary_band = clean_text(details.salary_band)
    post.holder = details.holder
    post.holder_profile_id = details.holder.id if details.holder is not None else None


def create_post(*, unit: Unit, details: PostDetails, actor: User) -> Post:
    post = Post(unit_id=unit.id)
    _apply_post(post, details)
    db.session.add(post)
    db.session.flush()
    audit.record("workforce_post.create", post, actor_id=actor.id)
    return post


def update_post(post: Post, *, details: PostDetails, actor: User) -> None:
    _apply_post(post, details)
    audit.record("workforce_post.update", post, actor_id=actor.id)


def delete_post(post: Post, *, actor: User) -> None:
    audit.record("workforce_post.delete", post, actor_id=actor.id)
    db.session.delete(post)
