"""The pages in a real browser (Debian's Chromium, driven by Playwright), on the real release.

Every test runs in a context that records each request and aborts any that would leave the
server's origin (the fixture then fails the test). Screenshots are written to the test's tmp
directory and copied to /tmp/vawmw-screens/.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import Session
from tests.conftest import REPO

pytestmark = pytest.mark.slow

REPORTING_STATES = 27  # footnote 1 of A/78/292 lists the 27 States that contributed
CHARTS = (
    "measures-by-category",
    "party-counts",
    "risks-by-stage",
    "ilo-conventions",
    "statistics-by-source",
)
QUERY = """PREFIX vawmw: <https://w3id.org/vawmw/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?state ?label WHERE {
  ?state a vawmw:ReportingState ;
      rdfs:label ?label .
}
ORDER BY ?label"""


def test_dashboard_charts_have_data(session: Session) -> None:
    page = session.page
    page.goto("/dashboard")
    assert page.locator("h1").inner_text() == "Dashboard"
    for chart in CHARTS:
        figure = page.locator(f'figure[data-chart="{chart}"]')
        assert int(figure.get_attribute("data-points") or "0") > 0, chart
        svg = figure.locator("svg")
        box = svg.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 50, chart
        marks = svg.locator("g.cell:not(.cell-empty), g.bar").count()
        assert marks > 0, f"{chart}: no drawn data"
        assert svg.locator("title").first.inner_html().strip()
    # the matrix has a row for each of the 27 reporting States
    rows = page.locator("#measures-by-category-svg g.row-labels text")
    assert rows.count() == REPORTING_STATES
    ilo_rows = page.locator("#ilo-conventions-svg g.row-labels text")
    assert ilo_rows.count() == REPORTING_STATES
    session.screenshot("dashboard.png")
    for chart in CHARTS:
        session.element_screenshot(f'figure[data-chart="{chart}"]', f"chart-{chart}.png")


def test_dashboard_chart_opens_its_query(session: Session) -> None:
    page = session.page
    page.goto("/dashboard")
    page.locator("#party-counts a.query-link").click()
    page.wait_for_load_state()
    assert page.url.startswith(session.traffic.origin + "/sparql?query=")
    table = page.locator("table.results")
    assert table.locator("tbody tr").count() > 0
    assert "C189" in table.inner_text()
    session.screenshot("dashboard-query-results.png")


def _yasgui_installed(session: Session) -> bool:
    response = session.page.request.get("/static/yasgui/yasgui.min.js")
    return response.ok


@pytest.mark.parametrize("mode", ["yasgui", "plain"])
def test_editor_runs_a_typed_query(session: Session, mode: str) -> None:
    page = session.page
    if mode == "yasgui" and not _yasgui_installed(session):
        pytest.skip("YASGUI is not installed: run `npm ci` (see .ci/install-browser)")
    page.goto("/sparql" if mode == "yasgui" else "/sparql?ui=plain")
    page.wait_for_function("window.vawmwEditor !== undefined")
    assert page.evaluate("window.vawmwEditor.mode") == mode
    if mode == "yasgui":
        editor = page.locator("#yasgui .CodeMirror")
        editor.click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        # CodeMirror indents by itself: type the lines without their indentation
        for line in QUERY.splitlines():
            page.keyboard.type(line.strip())
            page.keyboard.press("Enter")
        typed = page.evaluate("window.vawmwEditor.yasgui.getTab().getYasqe().getValue()")
        assert "ReportingState" in typed and "}" in typed
        page.locator("#yasgui .yasqe_queryButton").click()
        rows = page.locator("#yasgui .yasr table tbody tr")
        rows.first.wait_for()
        page.wait_for_function(
            "document.querySelectorAll('#yasgui .yasr table tbody tr').length > 1"
        )
        text = page.locator("#yasgui .yasr").inner_text()
        count = rows.count()
    else:
        textarea = page.locator("textarea#query")
        textarea.fill("")
        textarea.press_sequentially(QUERY)
        page.locator("#run").click()
        rows = page.locator("#results table.results tbody tr")
        rows.first.wait_for()
        text = page.locator("#results").inner_text()
        count = rows.count()
    assert count == REPORTING_STATES, text[:500]
    for name in ("Algeria", "Philippines", "Ukraine"):
        assert name in text
    session.screenshot(f"editor-{mode}.png")


def test_editor_example_query(session: Session) -> None:
    page = session.page
    page.goto("/sparql?ui=plain")
    page.wait_for_function("window.vawmwEditor !== undefined")
    button = page.locator("button.example", has_text="Number of reporting States")
    button.click()
    # The button loads the competency query of that title, as the file holds it.
    loaded = page.locator("textarea#query").input_value()
    example = (REPO / "queries" / "reporting-state-count.rq").read_text(encoding="utf-8")
    assert loaded.strip() == example.strip()
    page.locator("#run").click()
    cell = page.locator("#results table.results tbody tr td").first
    cell.wait_for()
    assert cell.inner_text().strip() == str(REPORTING_STATES)


def test_state_to_instrument_and_back(session: Session) -> None:
    page = session.page
    page.goto("/id/state/PHL")
    assert page.locator("h1").inner_text() == "Philippines"
    assert "at a glance" in page.locator(".at-a-glance h2").inner_text()
    session.screenshot("state-PHL.png")
    page.locator(".at-a-glance table").get_by_role(
        "link", name="Domestic Workers Convention, 2011 (No. 189)"
    ).click()
    page.wait_for_url(re.compile(r"/id/instrument/ilo-c189$"))
    assert page.locator("h1").inner_text() == "Domestic Workers Convention, 2011 (No. 189)"
    session.screenshot("instrument-c189.png")
    # back with the browser ...
    page.go_back()
    page.wait_for_url(re.compile(r"/id/state/PHL$"))
    assert page.locator("h1").inner_text() == "Philippines"
    # ... and by links: instrument → the Philippines' status → the State
    page.go_forward()
    # Para 27: the Philippines "had ratified" C189 (a contracting State; the report does not say
    # the Convention is in force for it).
    page.get_by_role("link", name="Philippines: has ratified C189").click()
    page.wait_for_url(re.compile(r"/id/party-status/A-78-292/PHL/ilo-c189$"))
    page.locator("main").get_by_role("link", name="Philippines", exact=True).first.click()
    page.wait_for_url(re.compile(r"/id/state/PHL$"))
    assert page.locator("h1").inner_text() == "Philippines"


def test_keyboard_skip_link_and_focus(session: Session) -> None:
    page = session.page
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    session.screenshot("home-skip-link-focused.png", full_page=False)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    session.screenshot("home.png")


def test_ontology_hash_lands_on_anchor(session: Session) -> None:
    page = session.page
    page.goto("/ontology#PartyStatus")
    target = page.locator("#PartyStatus")
    assert target.is_visible()
    assert page.evaluate("document.getElementById('PartyStatus').getBoundingClientRect().top") < 200
    session.screenshot("ontology-PartyStatus.png", full_page=False)
    page.goto("/ontology#diagram")
    session.element_screenshot("svg.diagram", "ontology-diagram.png")


def test_no_request_leaves_the_origin(session: Session) -> None:
    page = session.page
    for path in ("/", "/dashboard", "/ontology", "/id/state/PHL", "/sparql", "/sparql?ui=plain"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    if _yasgui_installed(session):
        page.goto("/sparql")
        page.wait_for_function("window.vawmwEditor !== undefined")
        page.locator("#yasgui .yasqe_queryButton").click()
        page.locator("#yasgui .yasr table tbody tr").first.wait_for()
        page.wait_for_load_state("networkidle")
    traffic = session.traffic
    assert traffic.requested, "the listener recorded nothing"
    assert any(url.endswith("/static/site.css") for url in traffic.requested)
    assert traffic.foreign() == [] and traffic.refused == []
