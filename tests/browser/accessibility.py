"""axe-core in a Playwright page: the serious and critical WCAG 2.1 AA violations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
    summary: violation.nodes.length ? violation.nodes[0].failureSummary : '',
  }));
}"""


def serious_violations(page: Any) -> list[str]:
    """One line per serious or critical violation on the page as it stands."""
    # Evaluated rather than added as a <script>: the page's CSP would block the tag.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    found = page.evaluate(RUN_AXE, WCAG_TAGS)
    return [
        f"{violation['id']} ({violation['impact']}): {', '.join(violation['targets'])}"
        f" — {violation['summary']}"
        for violation in found
        if violation["impact"] in FAILING_IMPACTS
    ]
