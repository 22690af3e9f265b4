"""The pages and the editor under the Content-Security-Policy, in Chromium.

The policy of every page is that of the security issue (``service/vawmw/web/security.py``); these tests
check that the browser reports no violation of it while the pages are used, YASGUI included,
and that an IRI such as ``javascript:…`` in a query's results never runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import Session

if TYPE_CHECKING:
    from playwright.sync_api import Dialog

pytestmark = pytest.mark.slow

EXPECTED_POLICY = (
    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'"
)
# Every violation the page sees is kept (the browser fires this event for each blocked load,
# inline script, style attribute, eval or javascript: navigation).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__csp.push(event.violatedDirective + " " + event.blockedURI + " " + event.sourceFile
                    + ":" + event.lineNumber);
});
"""
JAVASCRIPT_IRI_QUERY = 'SELECT ?x WHERE { BIND(IRI("javascript:alert(document.domain)") AS ?x) }'
STATES_QUERY = (
    "SELECT ?state WHERE { ?state a <https://w3id.org/vawmw/ontology#ReportingState> } LIMIT 3"
)


def _violations(session: Session) -> list[str]:
    found = session.page.evaluate("window.__csp || []")
    return [str(item) for item in found]


def _record_dialogs(session: Session) -> list[str]:
    """The messages of every alert/confirm/prompt the page opens (each dismissed)."""
    dialogs: list[str] = []

    def seen(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    session.page.on("dialog", seen)
    return dialogs


def _yasgui_installed(session: Session) -> bool:
    return session.page.request.get("/static/yasgui/yasgui.min.js").ok


def _run_in_yasgui(session: Session, query: str) -> None:
    page = session.page
    page.goto("/sparql")
    page.wait_for_function("window.vawmwEditor !== undefined")
    assert page.evaluate("window.vawmwEditor.mode") == "yasgui"
    page.evaluate("q => window.vawmwEditor.yasgui.getTab().getYasqe().setValue(q)", query)
    page.locator("#yasgui .yasqe_queryButton").click()
    page.locator("#yasgui .yasr table tbody tr").first.wait_for()


@pytest.mark.parametrize(
    "path", ["/", "/dashboard", "/ontology", "/id/state/PHL", "/sparql?ui=plain", "/queries"]
)
def test_pages_have_no_csp_violation(session: Session, path: str) -> None:
    page = session.page
    page.add_init_script(RECORD_VIOLATIONS)
    response = page.goto(path)
    assert response is not None and response.ok
    policy = response.headers["content-security-policy"]
    if not path.startswith("/sparql"):  # the editor has its own, tested below
        assert policy == EXPECTED_POLICY
    assert "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy
    page.wait_for_load_state("networkidle")
    assert _violations(session) == []


def test_yasgui_runs_under_the_policy(session: Session) -> None:
    """Table, column resizing, the syntax error tooltip, autocompletion, the response view."""
    page = session.page
    if not _yasgui_installed(session):
        pytest.skip("YASGUI is not installed: run `npm ci` (see .ci/install-browser)")
    page.add_init_script(RECORD_VIOLATIONS)
    _run_in_yasgui(session, STATES_QUERY)
    assert page.locator("#yasgui .yasr table tbody tr").count() == 3
    # the column resizer's styles: its grips have a size, and a drag works
    grip = page.locator("#yasgui .grip-resizable").first
    box = grip.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 80, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    # the syntax error tooltip
    page.evaluate("window.vawmwEditor.yasgui.getTab().getYasqe().setValue('SELECT * { ?s ?p }')")
    icon = page.locator("#yasgui .parseErrorIcon").first
    icon.wait_for()
    icon.hover()
    tooltip = page.locator("#yasgui .yasqe_tooltip").first
    tooltip.wait_for()
    assert "Expected" in tooltip.inner_text()
    # autocompletion and the raw response view
    page.evaluate("window.vawmwEditor.yasgui.getTab().getYasqe().setValue('')")
    page.locator("#yasgui .CodeMirror").first.click()
    page.keyboard.type("PREFIX rd")
    page.keyboard.press("Control+Space")
    page.locator("#yasgui .select_response").first.click()
    page.wait_for_load_state("networkidle")
    assert _violations(session) == []


def test_javascript_iri_never_runs_in_yasgui(session: Session) -> None:
    page = session.page
    if not _yasgui_installed(session):
        pytest.skip("YASGUI is not installed: run `npm ci` (see .ci/install-browser)")
    dialogs = _record_dialogs(session)
    _run_in_yasgui(session, JAVASCRIPT_IRI_QUERY)
    cell = page.locator("#yasgui .yasr table tbody tr td").last
    assert "javascript:alert(document.domain)" in cell.inner_text()
    links = cell.locator("a")
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href') || '')")
    assert not [href for href in hrefs if href.strip().lower().startswith("javascript:")]
    if links.count():
        links.first.click()
    assert dialogs == []


def test_policy_blocks_a_javascript_link(session: Session) -> None:
    """Defence in depth: were a page ever to hold a javascript: link, it would not run."""
    page = session.page
    dialogs = _record_dialogs(session)
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto("/")
    page.evaluate(
        """() => {
        const a = document.createElement("a");
        a.id = "injected";
        a.href = "javascript:alert(document.domain)";
        a.textContent = "injected";
        document.querySelector("main").append(a);
    }"""
    )
    page.locator("#injected").click()
    for _ in range(50):  # at most 5 s for the report
        if _violations(session):
            break
        page.wait_for_timeout(100)
    assert any(v.startswith("script-src") for v in _violations(session)), _violations(session)
    assert dialogs == []


def test_javascript_iri_is_text_in_the_plain_editor(session: Session) -> None:
    page = session.page
    page.goto("/sparql?ui=plain")
    page.wait_for_function("window.vawmwEditor !== undefined")
    page.locator("textarea#query").fill(JAVASCRIPT_IRI_QUERY)
    page.locator("#run").click()
    cell = page.locator("#results table.results tbody tr td").first
    cell.wait_for()
    assert cell.inner_text() == "javascript:alert(document.domain)"
    assert cell.locator("a").count() == 0


def test_doubled_slash_iri_stays_on_its_host_in_the_plain_editor(session: Session) -> None:
    page = session.page
    page.goto("/sparql?ui=plain")
    page.wait_for_function("window.vawmwEditor !== undefined")
    query = 'SELECT ?x WHERE { BIND(IRI("https://w3id.org/vawmw//evil.example/x") AS ?x) }'
    page.locator("textarea#query").fill(query)
    page.locator("#run").click()
    link = page.locator("#results table.results tbody tr td a").first
    link.wait_for()
    href = link.get_attribute("href") or ""
    assert not href.startswith("//")
    # where the browser would go: never evil.example
    target = link.evaluate("a => a.href")
    assert not str(target).startswith(("http://evil.example", "https://evil.example"))
