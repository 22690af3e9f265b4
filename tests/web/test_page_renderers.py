"""The pure page renderers: one layout with the site's navigation on every page, the editor and
its results view (safe links, capped view with links to the raw results), and the pages of the
release's files (/dumps/ and /queries).

No server here: the renderers take plain data, so each is called directly.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from vawmw.rdf import namespaces as ns
from vawmw.web.pages import editor, files, home, layout
from vawmw.web.pages.dashboard import render_dashboard

from tests.web.test_pages import Page, assert_accessible_layout

JAVASCRIPT_IRI = "javascript:alert(document.domain)"
SITE_NAV = ["/", "/dashboard", "/sparql", "/ontology", "/queries", "/guide", "/dumps/"]
QUERY_TEXT = (
    "# title: All <States>\n# description: Every State & its label.\n"
    "SELECT ?s WHERE { ?s a <https://w3id.org/vawmw/ontology#State> }\n"
)


@dataclass(frozen=True)
class Release:
    version: str = "1.2.3"
    release_id: str = "r-abc"
    issued: str = "2024-05-06"
    graphs: dict[str, int] | None = None


RELEASE = Release()


def nav_links(page: Page) -> list[str]:
    """The hrefs of the main navigation, in order."""
    inside, found = False, []
    for tag, attrs in page.tags:
        if tag == "nav":
            inside = attrs.get("aria-label") == "Main"
        elif inside and tag == "a":
            found.append(attrs["href"])
        elif tag == "main":
            break
    return found


def assert_csp_compatible(document: str) -> None:
    """No inline script or style: the pages' policy allows neither (web/security.py)."""
    page = Page(document)
    for tag, attrs in page.tags:
        assert "style" not in attrs, (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        if tag == "script":
            assert "src" in attrs or attrs.get("type") == "application/json", attrs
    assert "<style" not in document


def context(**overrides: object) -> editor.EditorContext:
    values: dict[str, object] = {
        "endpoint": "https://kg.example.org/sparql",
        "description": "<https://kg.example.org/sparql> a sd:Service .",
        "examples": [files.QueryExample.parse("states.rq", QUERY_TEXT)],
        "max_rows": 10,
        "timeout": 2.5,
        "yasgui": False,
    }
    values.update(overrides)
    return editor.EditorContext(**values)  # type: ignore[arg-type]


def every_page() -> dict[str, str]:
    example = files.QueryExample.parse("states.rq", QUERY_TEXT)
    dump = files.DumpFile("vawmw.trig", "ab" * 32, 1234)
    release = Release(graphs={ns.GRAPH_DATA: 3})
    return {
        "/": home.render_home(release, [], [], endpoint="/sparql", base_iri=ns.BASE),
        "/dashboard": render_dashboard([], RELEASE),
        "/sparql": editor.render_editor(context(), RELEASE),
        "/queries": files.render_queries(RELEASE, [example]),
        "/dumps/": files.render_dumps(RELEASE, [dump], "SHA256SUMS"),
        "": layout.error_page("Service Unavailable", "busy <now>", RELEASE),
    }


# --------------------------------------------------------------------------- one layout


@pytest.mark.parametrize("path", ["/", "/dashboard", "/sparql", "/queries", "/dumps/", ""])
def test_every_page_has_the_layout_and_its_navigation(path: str) -> None:
    document = every_page()[path]
    page = Page(document)
    assert_accessible_layout(page)
    assert nav_links(page) == SITE_NAV
    current = page.find("a", **{"aria-current": "page"})
    assert [a["href"] for a in current] == ([path] if path else [])
    assert "Release 1.2.3" in page.text and "r-abc" in page.text  # the footer
    assert_csp_compatible(document)


def test_error_page_escapes_its_message() -> None:
    page = Page(every_page()[""])
    assert ("h1", "Service Unavailable") in page.headings
    assert "busy <now>" in page.text  # as text, not as a tag
    assert not page.find("now")


# --------------------------------------------------------------------------- /queries, /dumps/


def test_query_example_reads_its_title_and_description() -> None:
    example = files.QueryExample.parse("states.rq", QUERY_TEXT)
    assert example == files.QueryExample(
        "states", "All <States>", "Every State & its label.", QUERY_TEXT
    )
    plain = files.QueryExample.parse("plain.rq", "ASK {}\n")
    assert (plain.title, plain.description) == ("plain", "")


def test_queries_page_runs_each_query_as_html() -> None:
    page = Page(every_page()["/queries"])
    assert ("h2", "All <States>") in page.headings
    assert "Every State & its label." in page.text
    (run,) = page.hrefs("Run")
    params = parse_qs(urlsplit(run).query)
    assert urlsplit(run).path == "/sparql"
    assert params == {"query": [QUERY_TEXT], "format": ["html"]}  # a browser shows results
    (csv,) = page.hrefs("results as CSV")
    assert parse_qs(urlsplit(csv).query)["format"] == ["csv"]
    assert "SELECT ?s WHERE" in page.text  # the query itself


def test_queries_page_without_queries() -> None:
    assert "No example queries are installed." in Page(files.render_queries(RELEASE, [])).text


def test_dumps_page_lists_files_sizes_and_checksums() -> None:
    dumps = [
        files.DumpFile("vawmw.trig", "0" * 64, 1_234_567),
        files.DumpFile("void.ttl", "f" * 64, None),
    ]
    page = Page(files.render_dumps(RELEASE, dumps, "SHA256SUMS"))
    assert page.hrefs("vawmw.trig") == ["/dumps/vawmw.trig"]
    assert page.hrefs("SHA256SUMS") == ["/dumps/SHA256SUMS"]
    assert "1,234,567" in page.text and "0" * 64 in page.text and "f" * 64 in page.text
    assert page.find("th", scope="col")
    assert "1.2.3" in page.text and "2024-05-06" in page.text


# --------------------------------------------------------------------------- the editor


def test_editor_page_holds_examples_query_and_description() -> None:
    query = "SELECT * WHERE { ?s ?p '</textarea><script>x</script>' }"
    document = editor.render_editor(context(), RELEASE, query=query, results="<p>R</p>")
    page = Page(document)
    textarea = document.split('id="query"', 1)[1].split("</textarea>", 1)[0]
    assert "<script>" not in textarea and "&lt;/textarea&gt;" in textarea
    assert page.find("div", id="yasgui", **{"data-endpoint": "https://kg.example.org/sparql"})
    assert "a sd:Service" in page.text
    assert "capped at 10 rows and 2.5 s" in page.text
    island = document.split('id="examples-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in island  # the JSON never closes its script element
    assert json.loads(island)[0]["query"] == QUERY_TEXT
    assert page.find("button", **{"data-example": "0"})


def test_editor_default_query_and_yasgui_choice() -> None:
    plain = Page(editor.render_editor(context(yasgui=False), RELEASE))
    assert "yasgui-missing" in plain.ids
    assert not plain.find("script", src="/static/yasgui/yasgui.min.js")
    full = Page(editor.render_editor(context(yasgui=True), RELEASE))
    assert full.find("script", src="/static/yasgui/yasgui.min.js")
    assert full.find("link", href="/static/yasgui/yasgui.min.css")
    asked_plain = Page(editor.render_editor(context(yasgui=True, plain=True), RELEASE))
    assert not asked_plain.find("script", src="/static/yasgui/yasgui.min.js")
    assert "/sparql" in asked_plain.hrefs("Switch to YASGUI")
    document = editor.render_editor(context(), RELEASE)
    assert "ReportingState" in document.split('id="query"', 1)[1].split("</textarea>", 1)[0]


def select_json(variables: list[str], rows: list[dict[str, dict[str, str]]]) -> bytes:
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": rows}}).encode()


VIEW = editor.ResultsView(max_rows=3, max_bytes=1_000_000)


def test_results_never_link_an_unsafe_iri() -> None:
    body = select_json(
        ["x"],
        [
            {"x": {"type": "uri", "value": JAVASCRIPT_IRI}},
            {"x": {"type": "uri", "value": ns.BASE + "/evil.example/x"}},
            {"x": {"type": "uri", "value": ns.ID + "state/PHL"}},
        ],
    )
    page = Page(
        editor.results_html(
            body, "application/sparql-results+json", truncated=False, view=VIEW, raw_params=[]
        )
    )
    hrefs = [href for href, _ in page.links]
    # the escaping IRI stays absolute (never "//evil.example/x"); javascript: is no link
    assert hrefs == [ns.BASE + "/evil.example/x", "/id/state/PHL"]
    assert JAVASCRIPT_IRI in page.text  # shown as text


def test_results_are_capped_with_links_to_the_raw_results() -> None:
    rows = [{"n": {"type": "literal", "value": str(i)}} for i in range(5)]
    params = [("query", "SELECT ?n WHERE {}")]
    document = editor.results_html(
        select_json(["n"], rows),
        "application/sparql-results+json",
        truncated=False,
        view=VIEW,
        raw_params=params,
    )
    page = Page(document)
    assert "This page shows 3 of 5 result(s)" in page.text
    assert len(page.find("tr")) == 1 + 3
    (raw_json,) = page.hrefs("JSON")
    assert parse_qs(urlsplit(raw_json).query) == {
        "query": ["SELECT ?n WHERE {}"],
        "format": ["json"],
    }


def test_long_values_are_shortened_and_say_so() -> None:
    long_iri = "https://example.org/" + "x" * 400
    rows = [{"v": {"type": "uri", "value": long_iri}}]
    document = editor.results_html(
        select_json(["v"], rows),
        "application/sparql-results+json",
        truncated=False,
        view=VIEW,
        raw_params=[("query", "q")],
    )
    page = Page(document)
    assert editor.SHORTENED in page.text
    assert not page.links or all(h.startswith("/sparql?") for h, _ in page.links)
    assert "results-cut" in document


def test_results_of_ask_and_of_a_graph() -> None:
    ask = editor.results_html(
        b'{"head": {}, "boolean": true}',
        "application/sparql-results+json",
        truncated=False,
        view=VIEW,
        raw_params=[],
    )
    assert "Answer: True" in Page(ask).text
    triples = f'<{ns.ID}state/PHL> <{ns.PREFIXES["rdfs"]}label> "Philippines"@en .\n'
    graph = Page(
        editor.results_html(
            triples.encode(), editor.N_TRIPLES, truncated=True, view=VIEW, raw_params=[]
        )
    )
    assert [h for h, _ in graph.links] == ["/id/state/PHL", ns.PREFIXES["rdfs"] + "label"]
    assert "Philippines @en" in graph.text
    assert "(truncated at the row limit)" in graph.text


def test_message_is_escaped() -> None:
    html = editor.message_html("bad <query>")
    assert re.fullmatch(r'<pre class="error" role="alert">bad &lt;query&gt;</pre>', html)
