"""Keyboard only: the public help form and a case step, with the focus always visible."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from casework.extensions import db
from tests.factories import PASSWORD, CaseFactory, StationFactory, WorkerFactory

pytestmark = pytest.mark.browser

# Whether the focused element shows it: an outline or Bootstrap's focus ring (a box shadow).
# An outline must also stand out from what lies behind it (the background of the nearest
# ancestor that paints one, since the outline is drawn outside the element): 3:1 (1.4.11).
# Chromium moves the focus of a date input into its inner year/month/day fields, where the
# input itself no longer matches :focus for styling; those stops are not judged here.
FOCUS_SHOWN = """() => {
  const element = document.activeElement;
  if (!element.matches(':focus')) return true;
  const style = getComputedStyle(element);
  const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  if (!outlined) return style.boxShadow !== 'none';
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  let behind = [255, 255, 255];
  for (let node = element.parentElement; node; node = node.parentElement) {
    const colour = rgb(getComputedStyle(node).backgroundColor);
    if (colour.length === 3 || (colour.length === 4 && colour[3] > 0)) {
      behind = colour.slice(0, 3);
      break;
    }
  }
  const [a, b] = [luminance(rgb(style.outlineColor)), luminance(behind)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) >= 3;
}"""


def _tab_to(page: Any, selector: str, most: int = 80) -> None:
    """Press Tab until ``selector`` has the focus; every stop on the way must show it."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            continue
        assert page.evaluate(FOCUS_SHOWN), page.evaluate("document.activeElement.outerHTML")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _focused_id(page: Any) -> str:
    return str(page.evaluate("document.activeElement.id"))


@pytest.fixture
def help_form(make_app: Callable[..., Flask], live_server: Callable[..., str]) -> str:
    """The URL of the help form of one station."""
    with make_app().app_context():
        station_id = StationFactory(name="湖西社区社会工作服务站").id
        db.session.commit()
    return f"{live_server()}/help?station={station_id}"


def test_the_skip_link_comes_first_and_lands_in_main(help_form: str, page: Any) -> None:
    page.goto(help_form)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # shown while focused
    page.keyboard.press("Enter")
    assert _focused_id(page) == "main"


def test_a_resident_asks_for_help_by_keyboard_alone(help_form: str, page: Any) -> None:
    base = help_form.split("/help")[0]
    page.goto(help_form)

    # Sent empty: the page comes back with the focus on the error summary, and each
    # field names its error through aria-describedby.
    _tab_to(page, "#submit-help")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _focused_id(page) == "error-summary"
    assert page.locator("#error-summary").get_attribute("role") is None  # focus reads it
    assert page.locator("#error-summary a").count() >= 3
    described = page.locator("#description").get_attribute("aria-describedby").split()
    assert "description-error" in described
    assert page.locator("#description").get_attribute("aria-invalid") == "true"
    assert page.locator("#description-error").inner_text()

    _tab_to(page, "#category")
    page.keyboard.press("ArrowDown")
    assert page.input_value("#category")
    _tab_to(page, "#description")
    page.keyboard.press("Control+A")
    page.keyboard.type("家里老人行动不便，想申请社工上门探访。")
    _tab_to(page, "input[name=contact_preference]")
    page.keyboard.press("Space")
    for _ in range(3):  # the arrow keys move along the options: the last needs no phone
        page.keyboard.press("ArrowDown")
    assert page.input_value("input[name=contact_preference]:checked") == "online_only"
    _tab_to(page, "#consent")
    page.keyboard.press("Space")
    assert page.is_checked("#consent")
    _tab_to(page, "#submit-help")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == base + "/help/submitted"
    assert page.locator("#tracking-code").inner_text().strip()


def test_a_worker_takes_a_case_step_by_keyboard_alone(
    make_app: Callable[..., Flask], live_server: Callable[..., str], page: Any
) -> None:
    with make_app().app_context():
        worker = WorkerFactory(username="wangfang")
        case_id = CaseFactory(worker=worker, service_user__unit=worker.unit).id
        db.session.commit()
    base = live_server()
    page.goto(base + "/login")
    _tab_to(page, "#username")
    page.keyboard.type("wangfang")
    _tab_to(page, "#password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(f"{base}/cases/{case_id}")
    status = page.locator("#case-status").inner_text()

    # The menu bar's drop-downs open, are walked and close from the keyboard.
    _tab_to(page, "#main-nav .dropdown-toggle")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.getAttribute('aria-expanded')") == "true"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('dropdown-item')")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.matches('#main-nav .dropdown-toggle')")
    assert page.evaluate("document.activeElement.getAttribute('aria-expanded')") == "false"

    # The next step is either a record to write first or a button: both by keyboard.
    _tab_to(page, "#next-record, #next-step [data-step]")
    if _focused_id(page) == "next-record":
        with page.expect_navigation():
            page.keyboard.press("Enter")
        for field in page.locator("main form textarea, main form input[type=text]").all():
            field.focus()
            if not field.input_value():
                page.keyboard.type("经社区网格员转介来访")
        _tab_to(page, "main form button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        _tab_to(page, "#next-step [data-step]")
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The outcome is announced: once the page has opened, the success message's text
    # arrives in the polite live region (present, empty, from the start), and stays shown.
    message = page.locator("main .alert-success[data-flash=status]").inner_text().strip()
    assert message
    live = page.locator("#live-status[role=status][aria-live=polite]")
    page.wait_for_function("() => document.getElementById('live-status').textContent.trim()")
    assert live.inner_text().strip() == message
    assert page.locator("#live-alert[role=alert]").inner_text().strip() == ""
    assert page.locator("#case-status").inner_text() != status
