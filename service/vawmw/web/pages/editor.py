"""The SPARQL editor page and the HTML view of a query's results.

Pure renderers: the SPARQL route runs the query and gathers what the page shows
(:class:`EditorContext`); these functions only print it. Values from a query's results are
untrusted: IRIs become links only when they are local paths or http(s) IRIs
(:func:`vawmw.web.pages.layout.iri_href`), everything else is escaped text, the view is capped
(rows, bytes and characters per value) with links to the full, raw results, and the markup
has no inline script or style (the pages' Content-Security-Policy, web/security.py).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlencode

import pyoxigraph as ox

from vawmw.rdf import formats, namespaces
from vawmw.rdf.results import Term, parse_select
from vawmw.web.pages.files import QueryExample
from vawmw.web.pages.layout import (
    ReleaseMeta,
    esc,
    is_web_iri,
    link,
    local_path,
    page,
    short_iri,
    sparql_run_href,
)

DEFAULT_QUERY: Final = (
    namespaces.sparql_prologue(("vawmw", "rdfs"))
    + """
SELECT ?state ?label
WHERE {
  ?state a vawmw:ReportingState ;
      rdfs:label ?label .
}
ORDER BY ?label
"""
)
# What the editor asks the SPARQL protocol for: rows as JSON, graphs as N-Triples.
RESULT_ACCEPT: Final = f"{formats.JSON.media_type}, {formats.NTRIPLES.media_type};q=0.9"
N_TRIPLES: Final = formats.NTRIPLES.media_type
_CELL_CHARS: Final = 300  # characters of one value in the HTML results view
SHORTENED: Final = "\u2026 [shortened]"
_PLAIN_NOTICE: Final = (
    '<p class="notice" id="yasgui-missing">This is the plain editor. For the full editor '
    "(YASGUI: syntax highlighting, autocompletion, result charts) run <code>npm ci</code> in "
    "the repository root and restart <code>vawmw serve</code>; it is then served from this "
    "server's <code>node_modules</code>, never from a CDN.</p>"
)


@dataclass(frozen=True)
class EditorContext:
    """What the editor page shows besides the query: gathered by the route, printed here."""

    endpoint: str  # the endpoint's absolute URL (public_url, or the request's origin)
    description: str  # the Service Description, as Turtle
    examples: Sequence[QueryExample]
    max_rows: int
    timeout: float  # seconds
    yasgui: bool  # YASGUI is installed (node_modules)
    plain: bool = False  # the visitor asked for the plain editor (?ui=plain)


@dataclass(frozen=True)
class ResultsView:
    """How much of a query's results one page shows (the links give everything)."""

    max_rows: int
    max_bytes: int


# --------------------------------------------------------------------------- the page


def render_editor(
    context: EditorContext, release: ReleaseMeta, *, query: str | None = None, results: str = ""
) -> str:
    """The whole editor page; ``results`` is HTML from :func:`results_html` or
    :func:`message_html`."""
    plain = context.plain or not context.yasgui
    body = (
        "<h1>SPARQL editor</h1>"
        "<p>Queries run on this server's read-only SPARQL 1.1 endpoint "
        f"<code>{esc(context.endpoint)}</code> over all named graphs (ontology, data, inferred, "
        f"shapes). Results are capped at {context.max_rows:,} rows and {context.timeout:g} s.</p>"
        + _notice(context)
        + '<div class="editor-layout">'
        + _examples_section(context.examples)
        + _query_section(context.endpoint, DEFAULT_QUERY if query is None else query, results)
        + "</div>"
        + _prefixes_section(context)
        + '<details class="service-description"><summary>Service description (Turtle)</summary>'
        f"<pre><code>{esc(context.description)}</code></pre></details>"
        f'<script type="application/json" id="examples-data">'
        f"{_json_script(_examples_data(context.examples))}</script>"
        f'<script type="application/json" id="prefixes-data">'
        f"{_json_script(namespaces.PREFIXES)}</script>"
    )
    head = ""
    scripts = '<script src="/static/editor.js" defer></script>'
    if not plain:
        head = '<link rel="stylesheet" href="/static/yasgui/yasgui.min.css">'
        scripts = '<script src="/static/yasgui/yasgui.min.js" defer></script>' + scripts
    return page("SPARQL editor", body, release, current="/sparql", head=head, scripts=scripts)


def _prefixes_section(context: EditorContext) -> str:
    """The prefixes a query may use without declaring them, and what a cut answer says."""
    rows = "".join(
        f"<tr><td><code>{esc(name)}:</code></td><td><code>{esc(iri)}</code></td></tr>"
        for name, iri in namespaces.PREFIXES.items()
    )
    return (
        '<details class="prefixes" id="prefixes"><summary>Predeclared prefixes</summary>'
        "<p>Queries may use these prefixes without declaring them; a query's own "
        "<code>PREFIX</code> declaration wins.</p>"
        '<div class="table-scroll"><table class="prefix-list"><thead><tr><th scope="col">Prefix'
        f'</th><th scope="col">Namespace</th></tr></thead><tbody>{rows}</tbody></table></div>'
        "</details>"
        '<p id="truncated">An answer holds at most '
        f"{context.max_rows:,} rows, and a bounded number of bytes. A longer answer is cut: "
        "the HTTP header <code>X-SPARQL-Truncated: true</code> says so, and so does its head, "
        'for clients that ignore headers: <code>"link"</code> in SPARQL JSON results, '
        "<code>&lt;link&gt;</code> in SPARQL XML results, both pointing here. Page through a "
        "long answer with <code>ORDER BY</code>, <code>LIMIT</code> and <code>OFFSET</code>.</p>"
    )


def _notice(context: EditorContext) -> str:
    if not context.yasgui:
        return _PLAIN_NOTICE
    if context.plain:
        return '<p class="notice">Plain editor. <a href="/sparql">Switch to YASGUI</a>.</p>'
    return (
        '<p class="notice js-only">Editor: YASGUI. '
        '<a href="/sparql?ui=plain">Use the plain editor</a>.</p>'
    )


def _examples_section(examples: Sequence[QueryExample]) -> str:
    items = "".join(
        f'<li><button type="button" class="example" data-example="{i}" '
        f'aria-describedby="example-{i}-desc">{esc(e.title)}</button>'
        f'<p id="example-{i}-desc">{esc(e.description)} '
        f'<a href="{esc(sparql_run_href(e.query))}" class="run-example">Run</a></p></li>'
        for i, e in enumerate(examples)
    )
    listing = (
        f'<ul class="example-list">{items}</ul>'
        if examples
        else "<p>No example queries are installed.</p>"
    )
    return (
        '<section class="examples" aria-labelledby="examples-heading">'
        f'<h2 id="examples-heading">Example queries</h2>{listing}</section>'
    )


def _query_section(endpoint: str, query: str, results: str) -> str:
    return (
        '<section class="editor" aria-labelledby="editor-heading">'
        '<h2 id="editor-heading">Query</h2>'
        f'<div id="yasgui" data-endpoint="{esc(endpoint)}" hidden></div>'
        '<form id="query-form" method="get" action="/sparql">'
        '<label for="query">SPARQL query</label>'
        f'<textarea id="query" name="query" rows="16" spellcheck="false">{esc(query)}</textarea>'
        '<input type="hidden" name="format" value="html">'
        '<p><button type="submit" id="run">Run query</button> '
        '<span id="status" role="status" aria-live="polite"></span></p>'
        "</form>"
        f'<div id="results">{results}</div>'
        "</section>"
    )


def _examples_data(examples: Sequence[QueryExample]) -> list[dict[str, str]]:
    """The examples for editor.js (it loads ``query`` into the editor on a click)."""
    return [
        {"name": e.name, "title": e.title, "description": e.description, "query": e.query}
        for e in examples
    ]


def _json_script(data: object) -> str:
    """JSON inside a ``<script type="application/json">``: never closes the element."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --------------------------------------------------------------------------- the results


def message_html(message: str) -> str:
    """A refusal or failure of the query, shown where the results would be."""
    # Preformatted: a syntax error's caret stands under the column it points at.
    return f'<pre class="error" role="alert">{esc(message)}</pre>'


def results_html(
    body: bytes,
    media_type: str,
    *,
    truncated: bool,
    view: ResultsView,
    raw_params: Sequence[tuple[str, str]],
) -> str:
    """A query's answer (SPARQL JSON results or N-Triples) as HTML, capped by ``view``.

    ``raw_params`` are the protocol parameters of the query (without ``format``): when the
    view shows less than the answer, it links to the whole answer as JSON and CSV.
    """
    if media_type == N_TRIPLES:
        variables, rows, total = _triple_rows(body, view.max_rows)
    else:
        variables, solutions = parse_select(body)
        if not variables and b'"boolean"' in body:  # an ASK: a few bytes
            answer = bool(json.loads(body).get("boolean"))
            return f'<p class="boolean">Answer: <strong>{answer}</strong></p>'
        rows = [
            [_binding_cell(_short_binding(s.get(v))) for v in variables]
            for s in solutions[: view.max_rows]
        ]
        total = len(solutions)
    shown = _fit_rows(rows, view.max_bytes)
    table = _results_table(variables, shown, truncated)
    if len(shown) < total or SHORTENED in "".join(map("".join, shown)):
        return _raw_links(raw_params, len(shown), total) + table
    return table


def _triple_rows(body: bytes, cap: int) -> tuple[list[str], list[list[str]], int]:
    """The first ``cap`` triples as rows, and how many were read (at most ``cap + 1``)."""
    triples = list(itertools.islice(ox.parse(body, format=ox.RdfFormat.N_TRIPLES), cap + 1))
    rows = [
        [_term_cell(_short_term(x)) for x in (t.subject, t.predicate, t.object)]
        for t in triples[:cap]
    ]
    return ["subject", "predicate", "object"], rows, len(triples)


def _results_table(variables: Sequence[str], rows: Sequence[Sequence[str]], truncated: bool) -> str:
    """The results table; ``rows`` hold HTML cells (already escaped)."""
    note = f"{len(rows)} result(s)" + (" (truncated at the row limit)" if truncated else "")
    head = "".join(f'<th scope="col">{esc(v)}</th>' for v in variables)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<p class="result-count">{esc(note)}</p>'
        f'<div class="table-scroll"><table class="results"><caption class="visually-hidden">'
        f"Query results</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        "</div>"
    )


def _shortened(text: str) -> str | None:
    return text[:_CELL_CHARS] + SHORTENED if len(text) > _CELL_CHARS else None


def _short_binding(term: Term | None) -> Term | None:
    """A long value cut for the HTML view (a long IRI is shown as text, not as a link)."""
    short = None if term is None else _shortened(term.value)
    if term is None or short is None:
        return term
    return Term(value=short, kind="bnode" if term.kind == "bnode" else "literal", lang=term.lang)


def _short_term(term: object) -> object:
    text = term.value if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal) else str(term)
    short = _shortened(text)
    if short is None:
        return term
    if isinstance(term, ox.Literal) and term.language:
        return ox.Literal(short, language=term.language)
    return ox.Literal(short)


def _fit_rows(rows: list[list[str]], max_bytes: int) -> list[list[str]]:
    """The first rows whose HTML stays within ``max_bytes``."""
    size = 0
    for index, row in enumerate(rows):
        size += sum(len(cell.encode("utf-8")) + 9 for cell in row) + 9  # <td></td>, <tr></tr>
        if size > max_bytes:
            return rows[:index]
    return rows


def _raw_links(params: Sequence[tuple[str, str]], shown: int, total: int) -> str:
    """A notice that the view is shortened, with links to the full results."""
    links = " · ".join(
        f'<a href="/sparql?{esc(urlencode([*params, ("format", fmt)]))}">{label}</a>'
        for fmt, label in (("json", "JSON"), ("csv", "CSV"))
    )
    return (
        f'<p class="notice results-cut">This page shows {shown:,} of {total:,} result(s), long '
        f"values shortened. The full results: {links}.</p>"
    )


def _iri_cell(iri: str) -> str:
    """An IRI of the results: a link when it is a local path or http(s), else text."""
    path = local_path(iri)
    if path.startswith("/"):
        return link(path, short_iri(iri), title=iri)
    if is_web_iri(iri):
        return link(iri, short_iri(iri), title=iri)
    # javascript:, data: … from a query's results: shown as text, never a link
    return f'<span class="iri" title="{esc(iri)}">{esc(short_iri(iri))}</span>'


def _binding_cell(term: object) -> str:
    if not isinstance(term, Term):
        return ""
    if term.kind == "uri":
        return _iri_cell(term.value)
    if term.kind == "bnode":
        return esc(f"_:{term.value}")
    suffix = f" <small>@{esc(term.lang)}</small>" if term.lang else ""
    return esc(term.value) + suffix


def _term_cell(term: object) -> str:
    """A pyoxigraph term of a graph answer as an HTML cell."""
    if isinstance(term, ox.NamedNode):
        return _iri_cell(term.value)
    if isinstance(term, ox.Literal):
        suffix = f" <small>@{esc(term.language)}</small>" if term.language else ""
        return esc(term.value) + suffix
    return esc(str(term))
