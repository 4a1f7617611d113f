"""Gentle hints on judgemental or labelling wording in records about people (客观性原则).

Chinese has no spaces between words, so a word is found as a substring, case-folded for
Latin letters. Two cheap guards against false alarms: a rule's exceptions (phrases that
contain the word but judge no one, e.g. 有病史 for 有病) are blanked out first, and longer
words are matched before shorter ones, so 懒惰 is reported once, not also as 懒. Hints never
block saving; the administrator keeps the list (``wording_views``).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.accounts.models import User
from casework.cases.models import Case, WordingRule
from casework.core import audit
from casework.core.rules import RuleError
from casework.extensions import db

DEFAULT_LIST = Path(__file__).with_name("data") / "wording.toml"
EXCEPTION_SEPARATOR = "、"


class WordingRuleError(RuleError):
    pass


@dataclass(frozen=True)
class Hint:
    word: str
    suggestion: str


@dataclass(frozen=True)
class FieldHints:
    label: Any
    hints: list[Hint]


@dataclass(frozen=True)
class Matcher:
    """The active rules, longest word first, ready to scan many texts."""

    rules: tuple[tuple[str, str, tuple[str, ...]], ...]

    def find(self, text: str) -> list[Hint]:
        """The words of the list found in ``text``, each once, in the list's order."""
        remaining = text.casefold()
        found: list[Hint] = []
        for word, suggestion, exceptions in self.rules:
            scanned = remaining
            for phrase in exceptions:
                scanned = scanned.replace(phrase, "\0" * len(phrase))
            if word in scanned:
                found.append(Hint(word, suggestion))
                # A shorter word inside this one is the same remark: do not repeat it.
                remaining = remaining.replace(word, "\0" * len(word))
        return found

    def by_field(self, fields: Iterable[tuple[Any, str | None]]) -> list[FieldHints]:
        """Hints for each labelled text that has any."""
        result = []
        for label, text in fields:
            hints = self.find(text or "")
            if hints:
                result.append(FieldHints(label, hints))
        return result

    def as_json(self) -> str:
        """The rules for the form pages' live hints (``static/js/wording.js``)."""
        return json.dumps(
            [{"word": w, "suggestion": s, "exceptions": list(e)} for w, s, e in self.rules],
            ensure_ascii=False,
        )


def split_exceptions(raw: str) -> tuple[str, ...]:
    parts = raw.replace(",", EXCEPTION_SEPARATOR).replace("，", EXCEPTION_SEPARATOR)
    return tuple(part.strip() for part in parts.split(EXCEPTION_SEPARATOR) if part.strip())


def matcher(rules: Sequence[WordingRule] | None = None) -> Matcher:
    """A matcher over ``rules``, or over the active rules of the list (one query)."""
    if rules is None:
        rules = db.session.scalars(select(WordingRule).where(WordingRule.is_active)).all()
    ordered = sorted(rules, key=lambda rule: (-len(rule.word), rule.word))
    return Matcher(
        tuple(
            (
                rule.word.casefold(),
                rule.suggestion,
                tuple(p.casefold() for p in split_exceptions(rule.exceptions)),
            )
            for rule in ordered
            if rule.is_active
        )
    )


def case_hints(case: Case, found: Matcher) -> dict[str, list[FieldHints]]:
    """Hints for each narrative record of ``case``, keyed by the record's anchor on the
    case page (``service_record-12``)."""
    hints: dict[str, list[FieldHints]] = {}

    def add(anchor: str, fields: Iterable[tuple[Any, str | None]]) -> None:
        if by_field := found.by_field(fields):
            hints[anchor] = by_field

    if not found.rules:
        return hints
    if case.intake:
        add(f"intake-{case.intake.id}", intake_fields(case.intake))
    if case.assessment:
        add(f"assessment-{case.assessment.id}", assessment_fields(case.assessment))
    for record in case.service_records:
        add(f"service_record-{record.id}", service_record_fields(record))
    if case.evaluation:
        add(f"evaluation-{case.evaluation.id}", evaluation_fields(case.evaluation))
    if case.closure:
        add(f"closure-{case.closure.id}", closure_fields(case.closure))
    for follow_up in case.follow_ups:
        add(f"follow_up-{follow_up.id}", follow_up_fields(follow_up))
    return hints


def intake_fields(record: Any) -> list[tuple[Any, str | None]]:
    return [
        (_l("求助问题"), record.presenting_problem),
        (_l("来源与求助经过"), record.arrival),
        (_l("初步判断"), record.first_judgement),
    ]


def service_record_fields(record: Any) -> list[tuple[Any, str | None]]:
    return [
        (_l("服务内容"), record.content),
        (_l("服务对象的反应"), record.response),
        (_l("下一步计划"), record.next_step),
    ]


def assessment_fields(record: Any) -> list[tuple[Any, str | None]]:
    return [
        (_l("主要需要"), record.needs),
        (_l("优势与资源"), record.strengths),
        (_l("风险"), record.risks),
        (_l("预估小结"), record.summary),
    ]


def evaluation_fields(record: Any) -> list[tuple[Any, str | None]]:
    return [(_l("服务对象的评价"), record.client_view), (_l("评估小结"), record.summary)]


def closure_fields(record: Any) -> list[tuple[Any, str | None]]:
    return [(_l("结案小结"), record.summary), (_l("回访计划"), record.follow_up_plan)]


def follow_up_fields(record: Any) -> list[tuple[Any, str | None]]:
    return [(_l("回访内容"), record.content)]


def rules_in_order() -> list[WordingRule]:
    """The whole list for the administrator's page: active first, then by word."""
    return list(
        db.session.scalars(
            select(WordingRule).order_by(WordingRule.is_active.desc(), WordingRule.word)
        )
    )


def _check_unique(word: str, rule: WordingRule | None = None) -> None:
    clash = db.session.scalar(select(WordingRule).where(WordingRule.word == word))
    if clash is not None and clash is not rule:
        raise WordingRuleError(_l("词表中已有“%(word)s”。", word=word), code="word")


def add_rule(*, actor: User, word: str, suggestion: str, exceptions: str) -> WordingRule:
    """Add a word to the list, active."""
    word = word.strip()
    _check_unique(word)
    rule = WordingRule(
        word=word,
        suggestion=suggestion.strip(),
        exceptions=EXCEPTION_SEPARATOR.join(split_exceptions(exceptions)),
        is_active=True,
    )
    db.session.add(rule)
    db.session.flush()
    audit.record("wording.rule_added", rule, actor_id=actor.id, details={"word": word})
    return rule


def update_rule(
    *,
    actor: User,
    rule: WordingRule,
    word: str,
    suggestion: str,
    exceptions: str,
    is_active: bool,
) -> None:
    """Change a word, its suggestion or exceptions, or (de)activate it."""
    word = word.strip()
    _check_unique(word, rule)
    rule.word = word
    rule.suggestion = suggestion.strip()
    rule.exceptions = EXCEPTION_SEPARATOR.join(split_exceptions(exceptions))
    rule.is_active = is_active
    audit.record(
        "wording.rule_updated",
        rule,
        actor_id=actor.id,
        details={"word": word, "is_active": is_active},
    )


def default_rules() -> list[dict[str, Any]]:
    with DEFAULT_LIST.open("rb") as handle:
        return list(tomllib.load(handle)["rule"])


def load_default_rules(*, actor: User | None) -> int:
    """Add the words of the default list that are not on the list yet; how many were added."""
    existing = set(db.session.scalars(select(WordingRule.word)))
    added = 0
    for entry in default_rules():
        if entry["word"] in existing:
            continue
        db.session.add(
            WordingRule(
                word=entry["word"],
                suggestion=entry["suggestion"],
                exceptions=EXCEPTION_SEPARATOR.join(entry.get("exceptions", [])),
                is_active=True,
            )
        )
        added += 1
    db.session.flush()
    audit.record(
        "wording.defaults_loaded",
        None,
        actor_id=actor.id if actor else None,
        details={"added": added},
    )
    return added
