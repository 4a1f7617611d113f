"""A station's notice board (公示栏): on the help form, and as an A4 poster with a QR code."""

from __future__ import annotations

from dataclasses import dataclass

import segno

from casework.core.clock import local_today
from casework.core.pdf import render_pdf
from casework.helpdesk import services
from casework.helpdesk.models import StationProfile
from casework.orgs.models import Unit

POSTER_TEMPLATE = "helpdesk/poster_pdf.html"


@dataclass(frozen=True)
class NoticeBoard:
    """A station's 公示栏 as residents see it."""

    unit_name: str
    opening_hours: str
    hotline: str
    address: str
    services: str
    acknowledge_within_days: int
    answer_within_days: int

    @property
    def hotline_uri(self) -> str:
        return "tel:" + "".join(ch for ch in self.hotline if ch.isdigit() or ch in "+-")


def notice_board(unit: Unit) -> NoticeBoard:
    profile: StationProfile = services.profile_for(unit)
    return NoticeBoard(
        unit_name=unit.name,
        opening_hours=profile.opening_hours or "",
        hotline=profile.hotline or "",
        address=profile.address or "",
        services=profile.services or "",
        acknowledge_within_days=profile.acknowledge_within_days,
        answer_within_days=profile.answer_within_days,
    )


def qr_svg(address: str) -> str:
    """The address as a QR code, drawn here as inline SVG (no service is asked)."""
    return str(segno.make(address, error="m").svg_inline(scale=6, border=2, omitsize=True))


def render_poster(unit: Unit, address: str) -> bytes:
    """The A4 poster: the board, and a QR code that opens the help form at ``address``."""
    return render_pdf(
        POSTER_TEMPLATE,
        board=notice_board(unit),
        address=address,
        qr=qr_svg(address),
        generated_on=local_today(),
    )
