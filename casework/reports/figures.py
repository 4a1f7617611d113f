"""Figures shown on more than one page: one name, one definition, one function each.

A number a station or a bureau reports upward must read the same on the home page, the
dashboards, the statistics page, the monthly report (月报) PDF and the exports. Every page
that shows one of the figures below gets it from the function named here and marks the
number with ``data-figure="<name>"``; ``tests/reports/test_figure_agreement.py`` renders
every such page for the same unit at the same moment and checks that each name reads the
same everywhere.

``cases.open`` 在案个案 — ``cases.queries.open_cases_by_status`` (summed)
    Opened by the day, not declined, and the closure not approved by then
    (``cases.queries.open_on``). A case in 回访 has been closed. Counted as of today on the
    dashboards and the caseload's 在案 filter, and as of the period's end (or today, if the
    period has not ended) in the statistics, which read the same condition as running
    totals from ``summaries`` (``summaries.measures.cases_open``).
``cases.opened`` 新开个案, ``cases.closed`` 结案个案 — ``statistics.case_figures``
    Opened in the period; closure approved in the period (the case is 已结案 or in 回访).
``cases.due`` 到期个案 — ``cases.queries.overdue_case_count``
    A plan review due within 7 days, a follow-up due, or no service for 30 days; a case with
    several of these counts once. The home page's 待办提醒, the dashboards and the
    caseload's 到期 filter.
``approvals.waiting`` 待我审核 — ``dashboards.approvals``
    Service plans, case closures, group plans and group closures waiting for a tutor.
``requests.overdue`` 逾期求助 — ``helpdesk.queries.overdue_requests``
    Requests still waiting today past their unit's limit to acknowledge or to answer.
``requests.unassigned`` 待分派求助 — ``dashboards.unassigned_requests``
    Requests not yet ended (未办结) with nobody responsible.
``requests.submitted`` 收到求助, ``requests.answered`` 答复求助 — ``statistics.request_figures``
    Submitted in the period; first answered in the period (a reply, a referral, a decline
    or a conversion into a case).
``requests.status.<status>`` — ``helpdesk.queries.requests_by_status``
    The requests in scope by their status now: on the queue, every request; in the
    statistics, those submitted in the period.
``services.records`` 服务记录, ``services.hours`` 服务时长 — ``statistics.service_figures``
    Service records dated in the period, and their minutes in hours to one decimal.
``workforce.*`` 在岗社工, 持证社工, 社会工作岗位, 持证上岗 — ``workforce.statistics.counts_of``
    Active personnel files; those holding a certificate of any level; posts; posts held by
    an active holder of the required level (any, when none is required).
``volunteers.registered`` 在册志愿者 — ``statistics.volunteer_figures``
    Active volunteers; the volunteer list's default 在册 filter shows the same people.
"""

from __future__ import annotations

# Every figure name above; tests/reports/test_figure_agreement.py checks each on every page
# that shows it.
NAMES = frozenset(
    {
        "cases.open",
        "cases.opened",
        "cases.closed",
        "cases.due",
        "approvals.waiting",
        "requests.overdue",
        "requests.unassigned",
        "requests.submitted",
        "requests.answered",
        "services.records",
        "services.hours",
        "workforce.workers",
        "workforce.certified",
        "workforce.posts",
        "workforce.posts_certified",
        "volunteers.registered",
    }
)
