"""The annual assessment as an A4 PDF, rendered from plain data."""

from __future__ import annotations

from typing import Any

from casework.core.clock import local_date, local_today
from casework.core.pdf import render_pdf
from casework.worker_reports.figures import snapshot_rows
from casework.worker_reports.models import AnnualAssessment

TEMPLATE = "worker_reports/assessment_pdf.html"


def assessment_data(assessment: AnnualAssessment) -> dict[str, Any]:
    """What the printed assessment shows, as plain values."""
    return {
        "year": assessment.year,
        "unit": assessment.unit.name,
        "worker": assessment.worker.display_name,
        "status": assessment.status.label,
        "figures": [
            {"label": str(row.label), "value": row.value, "is_part": row.is_part}
            for row in snapshot_rows(assessment.figures)
        ],
        "grade": assessment.grade.label if assessment.grade else "",
        "strengths": assessment.strengths,
        "improvements": assessment.improvements,
        "comments": assessment.comments,
        "assessor": assessment.assessor.display_name if assessment.assessor else "",
        "completed_on": local_date(assessment.completed_at) if assessment.completed_at else None,
        "signed_on": local_date(assessment.signed_at) if assessment.signed_at else None,
        "worker_agrees": assessment.worker_agrees,
        "worker_comment": assessment.worker_comment,
    }


def render_assessment(assessment: AnnualAssessment) -> bytes:
    """The assessment as a PDF (needs a request context for the language)."""
    return render_pdf(TEMPLATE, doc=assessment_data(assessment), generated_on=local_today())
