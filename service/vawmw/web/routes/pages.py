"""The pages for people: home, dashboard, SPARQL editor, and the HTML of resources and ontology.

* ``GET /`` — what this is, the counts, links, how to cite.
* ``GET /dashboard`` — five server-side SVG charts, each computed by SPARQL on the worker pool.
* ``GET /sparql`` asked for HTML without a query — the editor (YASGUI when ``npm ci`` has put
  it in ``node_modules``, otherwise a plain form that works with and without JavaScript);
  ``GET /sparql?query=…&format=html`` — the editor with the query's results as a table.
  Everything else on ``/sparql`` goes on to the SPARQL protocol route untouched.
* ``/static/…`` — the site's CSS and JavaScript; ``/static/yasgui/…`` — YASGUI's bundle.

Rendered pages are cached per release (the data never change within one release).
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Final
from urllib.parse import parse_qsl, urlencode

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from vawmw.query.pool import JobResult, QueryJob
from vawmw.rdf.results import Row, Term, parse_select, text
from vawmw.web import negotiation, security
from vawmw.web.pages import dashboard
from vawmw.web.pages.layout import (
    STATIC,
    ReleaseMeta,
    esc,
    iri_link,
    is_web_iri,
    link,
    local_path,
    page,
    short_iri,
    sparql_run_href,
    table,
)
from vawmw.web.pages.ontology import render_ontology
from vawmw.web.pages.resource import (
    EXAMPLES_QUERY,
    is_state,
    provenance_query,
    render_resource,
    state_query,
)
from vawmw.web.routes import (
    ServiceState,
    cache_headers,
    etag_for,
    if_none_match,
    not_modified,
    run_job,
    service_state,
)
from vawmw.web.routes import release as release_routes
from vawmw.web.routes import sparql as sparql_routes

router = APIRouter(tags=["Pages"])

YASGUI_FILES: Final = {
    "yasgui.min.js": "text/javascript; charset=utf-8",
    "yasgui.min.css": "text/css; charset=utf-8",
}
YASGUI_PACKAGE: Final = Path("@zazuko") / "yasgui" / "build"
NODE_MODULES_ENV: Final = "VAWMW_NODE_MODULES"
HTML_TYPE: Final = "text/html; charset=utf-8"
RESULT_ACCEPT: Final = "application/sparql-results+json, application/n-triples;q=0.9"
DEFAULT_QUERY: Final = """PREFIX vawmw: <https://w3id.org/vawmw/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

SELECT ?state ?label
WHERE {
  ?state a vawmw:ReportingState ;
      rdfs:label ?label .
}
ORDER BY ?label
"""
COUNTED_CLASSES: Final = (
    ("ReportingState", "reporting States"),
    ("Instrument", "instruments"),
    ("PartyStatus", "party statuses"),
    ("StateMeasure", "State measures"),
    ("UNInitiative", "UN initiatives"),
    ("RiskStatement", "risk statements"),
    ("Risk", "risks"),
    ("Statistic", "statistics"),
    ("Recommendation", "recommendations"),
    ("Paragraph", "paragraphs"),
    ("Footnote", "footnotes"),
    ("CitedWork", "cited works"),
)
COUNTS_QUERY: Final = (
    "PREFIX vawmw: <https://w3id.org/vawmw/ontology#>\n"
    "SELECT ?class (COUNT(DISTINCT ?resource) AS ?resources)\nWHERE {\n  VALUES ?class { "
    + " ".join(f"vawmw:{name}" for name, _ in COUNTED_CLASSES)
    + " }\n  ?resource a ?class .\n}\nGROUP BY ?class\n"
)
STATES_QUERY: Final = """PREFIX vawmw: <https://w3id.org/vawmw/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?state ?label WHERE {
  ?state a vawmw:ReportingState .
  OPTIONAL { ?state rdfs:label ?label }
}
ORDER BY ?label
"""

_cache: dict[tuple[str, str], str] = {}


class PageError(Exception):
    """A page could not be computed; carries the HTTP answer to give instead."""

    def __init__(self, response: Response) -> None:
        super().__init__("page failed")
        self.response = response


def install(app: FastAPI) -> None:
    """Add the pages to ``app``: call before the SPARQL router (this one answers HTML first)."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")


def release_meta(state: ServiceState) -> ReleaseMeta:
    release = state.release
    return ReleaseMeta(release.version, release.release_id, release.issued)


def node_modules() -> Path | None:
    """Where ``npm ci`` put the packages: $VAWMW_NODE_MODULES when set (and then only there),
    else the source checkout's or the working directory's ``node_modules``."""
    override = os.environ.get(NODE_MODULES_ENV)
    if override is not None:
        candidates = [Path(override)] if override else []
    else:
        candidates = [
            Path(__file__).resolve().parents[4] / "node_modules",
            Path.cwd() / "node_modules",
        ]
    for candidate in candidates:
        if (candidate / YASGUI_PACKAGE / "yasgui.min.js").is_file():
            return candidate
    return None


def yasgui_available() -> bool:
    return node_modules() is not None


def _html(state: ServiceState, request: Request, variant: str, body: str) -> Response:
    headers = {"Vary": "Accept", **cache_headers(state, variant)}
    return Response(body, media_type=HTML_TYPE, headers=headers)


def _wants_html(request: Request) -> bool:
    fmt = negotiation.negotiate(request.headers.get("accept"), negotiation.DESCRIPTION_FORMATS)
    return fmt is not None and fmt.name == "html"


def _error_page(state: ServiceState, status: int, title: str, message: str) -> Response:
    body = f"<h1>{esc(title)}</h1><p>{esc(message)}</p>"
    document = page(title, body, release_meta(state))
    headers = {"Retry-After": str(state.settings.retry_after)} if status == 503 else {}
    return HTMLResponse(document, status_code=status, headers=headers)


async def select(state: ServiceState, query: str) -> list[Row]:
    """Run a SELECT on the worker pool (all graphs as the default graph); rows or PageError."""
    job = QueryJob(query=query, result_format="json", max_rows=None)
    result = await run_job(state, job)
    if not isinstance(result, JobResult):
        raise PageError(result)
    if result.error is not None:
        raise PageError(
            _error_page(state, 500, "Query failed", result.message or "the query failed")
        )
    return parse_select(result.body)[1]


# --------------------------------------------------------------------------- resource pages


async def resource_html(
    state: ServiceState, iri: str, triples: list[ox.Triple], *, ontology: bool
) -> Response:
    """The HTML answer for a resource (or the ontology); called by the linked-data routes."""
    key = (state.release.release_id, ("ontology:" if ontology else "resource:") + iri)
    document = _cache.get(key)
    if document is None:
        try:
            document = await _render_resource(state, iri, triples, ontology=ontology)
        except PageError as failure:
            return failure.response
        if len(_cache) > 2048:
            _cache.clear()
        _cache[key] = document
    return Response(document, media_type=HTML_TYPE)


async def _render_resource(
    state: ServiceState, iri: str, triples: list[ox.Triple], *, ontology: bool
) -> str:
    meta = release_meta(state)
    if ontology:
        examples = await select(state, EXAMPLES_QUERY)
        title, body = render_ontology(iri, triples, examples)
        return page(title, body, meta, current="/ontology")
    provenance = await select(state, provenance_query(iri))
    state_rows = await select(state, state_query(iri)) if is_state(triples, iri) else None
    title, body = render_resource(
        iri,
        triples,
        base=state.settings.base_iri,
        provenance=provenance,
        state=state_rows,
        incoming_limit=state.settings.max_incoming_links,
    )
    return page(title, body, meta)


# --------------------------------------------------------------------------- home


@router.get("/", summary="Home page", include_in_schema=False)
async def home(request: Request) -> Response:
    state = service_state(request)
    fmt = negotiation.negotiate(
        request.headers.get("accept"), (negotiation.HTML, *negotiation.GRAPH_FORMATS[:4])
    )
    if fmt is not None and fmt.kind == "rdf":
        return RedirectResponse("/.well-known/void", status_code=303, headers={"Vary": "Accept"})
    variant = "home-html"
    headers = {"Vary": "Accept", **cache_headers(state, variant)}
    if if_none_match(request, etag_for(state, variant)):
        return not_modified(headers)
    key = (state.release.release_id, "home")
    if key not in _cache:
        try:
            counts = await select(state, COUNTS_QUERY)
            states = await select(state, STATES_QUERY)
        except PageError as failure:
            return failure.response
        _cache[key] = page(
            "Home", render_home(state, request, counts, states), release_meta(state), current="/"
        )
    return _html(state, request, variant, _cache[key])


def render_home(
    state: ServiceState, request: Request, counts: Sequence[Row], states: Sequence[Row]
) -> str:
    release = state.release
    found = {text(r, "class").rsplit("#", 1)[-1]: text(r, "resources") for r in counts}
    count_items = "".join(
        f"<li><strong>{esc(found.get(name, '0'))}</strong> {esc(label)}</li>"
        for name, label in COUNTED_CLASSES
    )
    graph_rows = [
        [f"<code>{esc(iri)}</code>", f"{triples:,}"] for iri, triples in release.graphs.items()
    ]
    total = sum(release.graphs.values())
    state_links = "".join(
        f"<li>{iri_link(text(r, 'state'), text(r, 'label') or None)}</li>" for r in states
    )
    # Cached for every visitor: never the request's Host (service/vawmw/web/security.py).
    public = state.settings.public_url
    endpoint = security.check_public_url(public) + "/sparql" if public else "/sparql"
    year = release.issued[:4]
    base = state.settings.base_iri
    citation = (
        f"vawmw-kg developers ({year}). <cite>Violence against women migrant workers: a "
        f"knowledge graph of UN report A/78/292</cite>, release {release.version} "
        f"(id {release.release_id}), {release.issued}. {base} — data CC BY 4.0, based on "
        "United Nations, Secretary-General, <cite>Violence against women migrant workers</cite>, "
        "A/78/292 (2023)."
    )
    bibtex = (
        f"@misc{{vawmw-kg-{release.version},\n"
        f"  author    = {{{{vawmw-kg developers}}}},\n"
        "  title     = {Violence against women migrant workers: a knowledge graph of UN report "
        "A/78/292},\n"
        f"  year      = {{{year}}},\n"
        f"  version   = {{{release.version}}},\n"
        f"  note      = {{Release {release.release_id}, issued {release.issued}. Data CC BY 4.0. "
        "Based on United Nations document A/78/292 (2023).}},\n"
        f"  url       = {{{base}}}\n}}"
    )
    return (
        "<h1>Violence against women migrant workers — the knowledge graph</h1>"
        '<p class="lead">This service publishes, as linked data, what the UN Secretary-General\'s '
        '2023 report <a href="https://undocs.org/A/78/292">A/78/292, <cite>Violence against '
        "women migrant workers</cite></a> says: the States that reported, the treaties and ILO "
        "conventions and who is party to them, the risks women migrant workers face at each "
        "stage of migration, the measures States reported, the UN system's initiatives, the "
        "report's statistics and its recommendations. Every fact is traced to the paragraph "
        "that states it and linked to UN M49 areas, SDG targets and Wikidata.</p>"
        '<section aria-labelledby="explore"><h2 id="explore">Explore</h2><ul class="cards">'
        '<li><a href="/dashboard"><strong>Dashboard</strong></a> — five charts, each computed '
        "by a SPARQL query.</li>"
        '<li><a href="/sparql"><strong>SPARQL editor</strong></a> — write and run queries, '
        "starting from the example queries.</li>"
        '<li><a href="/ontology"><strong>Ontology</strong></a> — the classes and properties, '
        "with a diagram.</li>"
        f'<li><a href="/id/report/A-78-292"><strong>The report</strong></a> — its sections, '
        "paragraphs and footnotes.</li>"
        '<li><a href="/queries"><strong>Example queries</strong></a> — the competency '
        "questions, each with a link that runs it.</li>"
        "</ul></section>"
        '<section aria-labelledby="counts"><h2 id="counts">What the release holds</h2>'
        f'<ul class="counts">{count_items}</ul>'
        + table(
            f"Triples per named graph ({total:,} in all)",
            ["Named graph", "Triples"],
            graph_rows,
        )
        + "</section>"
        '<section aria-labelledby="states"><h2 id="states">The reporting States</h2>'
        f'<ul class="state-list">{state_links}</ul></section>'
        '<section aria-labelledby="data"><h2 id="data">Data and endpoint</h2><ul>'
        f'<li>SPARQL 1.1 endpoint: <a href="/sparql"><code>{esc(endpoint)}</code></a> (GET or '
        "POST; JSON, XML, CSV, TSV, Turtle…). Browsers get the editor.</li>"
        '<li><a href="/dumps/">Downloads</a>: TriG, N-Quads, Turtle, JSON-LD, with SHA-256 '
        "checksums.</li>"
        '<li><a href="/.well-known/void">Dataset description</a> (VoID and DCAT).</li>'
        "<li>Every resource has its own IRI, served here with content negotiation (HTML, "
        "Turtle, JSON-LD, N-Triples, RDF/XML); e.g. "
        f"{link('/id/state/PHL', '/id/state/PHL')}.</li>"
        "</ul></section>"
        '<section aria-labelledby="cite"><h2 id="cite">How to cite</h2>'
        f'<p class="citation">{citation}</p>'
        f"<details><summary>BibTeX</summary><pre><code>{esc(bibtex)}</code></pre></details>"
        "<p>Data: CC BY 4.0 — attribute report A/78/292. Code: MIT.</p></section>"
    )


# --------------------------------------------------------------------------- dashboard


@router.get("/dashboard", summary="Charts computed by SPARQL", include_in_schema=False)
async def dashboard_page(request: Request) -> Response:
    state = service_state(request)
    variant = "dashboard-html"
    headers = {"Vary": "Accept", **cache_headers(state, variant)}
    if if_none_match(request, etag_for(state, variant)):
        return not_modified(headers)
    key = (state.release.release_id, "dashboard")
    if key not in _cache:
        sections = []
        for spec in dashboard.CHARTS:
            try:
                rows = await select(state, spec.query)
            except PageError as failure:
                return failure.response
            sections.append(dashboard.render_chart(spec, rows))
        body = dashboard.render_dashboard(sections)
        _cache[key] = page("Dashboard", body, release_meta(state), current="/dashboard")
    return _html(state, request, variant, _cache[key])


# --------------------------------------------------------------------------- SPARQL editor


def _query_params(request: Request) -> list[tuple[str, str]]:
    raw = request.scope.get("query_string", b"").decode("latin-1")
    try:
        return parse_qsl(raw, keep_blank_values=True, max_num_fields=50, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return []


@router.get("/sparql", include_in_schema=False)
async def sparql_or_editor(request: Request) -> Response:
    """HTML for browsers (the editor), the SPARQL protocol for everything else."""
    params = _query_params(request)
    names = {name for name, _ in params}
    wants_page = [v.lower() for n, v in params if n in ("format", "output")] == ["html"]
    if "update" not in names and wants_page and "query" in names:
        return await _editor_with_results(request, params)
    if not names & {"query", "update"} and _wants_html(request) and not wants_page:
        return editor_response(request)
    return await sparql_routes.sparql_get(request)


def _examples(state: ServiceState) -> list[dict[str, str]]:
    folder = state.settings.queries_dir
    files = sorted(folder.glob("*.rq")) if folder.is_dir() else []
    examples = []
    for path in files:
        try:
            examples.append(release_routes.read_query_file(path))
        except (OSError, UnicodeDecodeError):
            continue
    return examples


def _json_script(data: object) -> str:
    text_ = json.dumps(data, ensure_ascii=False)
    return text_.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def editor_response(
    request: Request,
    *,
    query: str | None = None,
    results: str = "",
    status: int = 200,
    extra_headers: dict[str, str] | None = None,
) -> Response:
    state = service_state(request)
    document = render_editor(request, state, query=query, results=results)
    headers = {"Vary": "Accept", **(extra_headers or {})}
    if status == 200 and query is None:
        # The page shows the endpoint's absolute URL: per origin unless public_url is set.
        variant = security.host_variant(request, state.settings, "editor-html")
        headers.update(cache_headers(state, variant))
    return HTMLResponse(document, status_code=status, headers=headers)


def render_editor(
    request: Request, state: ServiceState, *, query: str | None = None, results: str = ""
) -> str:
    examples = _examples(state)
    params = dict(_query_params(request))
    plain = params.get("ui") == "plain" or not yasgui_available()
    endpoint = security.public_url_for(request, state.settings, "sparql")
    description = sparql_routes._description_triples(request, state)
    turtle = (
        ox.serialize(
            description,
            format=ox.RdfFormat.TURTLE,
            prefixes={
                "sd": "http://www.w3.org/ns/sparql-service-description#",
                "void": "http://rdfs.org/ns/void#",
            },
        )
        or b""
    ).decode("utf-8")
    example_items = "".join(
        f'<li><button type="button" class="example" data-example="{i}" '
        f'aria-describedby="example-{i}-desc">{esc(e["title"])}</button>'
        f'<p id="example-{i}-desc">{esc(e["description"])} '
        f'<a href="{esc(sparql_run_href(e["query"]))}" class="run-example">Run</a></p></li>'
        for i, e in enumerate(examples)
    )
    notice = ""
    if not yasgui_available():
        notice = (
            '<p class="notice" id="yasgui-missing">This is the plain editor. For the full '
            "editor (YASGUI: syntax highlighting, autocompletion, result charts) run "
            "<code>npm ci</code> in the repository root and restart <code>vawmw serve</code>; "
            "it is then served from this server's <code>node_modules</code>, never from a "
            "CDN.</p>"
        )
    elif plain:
        notice = '<p class="notice">Plain editor. <a href="/sparql">Switch to YASGUI</a>.</p>'
    else:
        notice = (
            '<p class="notice js-only">Editor: YASGUI. '
            '<a href="/sparql?ui=plain">Use the plain editor</a>.</p>'
        )
    body = (
        "<h1>SPARQL editor</h1>"
        f"<p>Queries run on this server's read-only SPARQL 1.1 endpoint <code>{esc(endpoint)}"
        "</code> over all named graphs (ontology, data, inferred, shapes). Results are capped "
        f"at {state.settings.max_rows:,} rows and {state.settings.query_timeout:g} s.</p>"
        f"{notice}"
        '<div class="editor-layout">'
        '<section class="examples" aria-labelledby="examples-heading">'
        '<h2 id="examples-heading">Example queries</h2>'
        + (
            f'<ul class="example-list">{example_items}</ul>'
            if examples
            else "<p>No example queries are installed.</p>"
        )
        + "</section>"
        '<section class="editor" aria-labelledby="editor-heading">'
        '<h2 id="editor-heading">Query</h2>'
        f'<div id="yasgui" data-endpoint="{esc(endpoint)}" hidden></div>'
        '<form id="query-form" method="get" action="/sparql">'
        '<label for="query">SPARQL query</label>'
        f'<textarea id="query" name="query" rows="16" spellcheck="false">'
        f"{esc(query if query is not None else DEFAULT_QUERY)}</textarea>"
        '<input type="hidden" name="format" value="html">'
        '<p><button type="submit" id="run">Run query</button> '
        '<span id="status" role="status" aria-live="polite"></span></p>'
        "</form>"
        f'<div id="results">{results}</div>'
        "</section></div>"
        '<details class="service-description"><summary>Service description (Turtle)</summary>'
        f"<pre><code>{esc(turtle)}</code></pre></details>"
        f'<script type="application/json" id="examples-data">{_json_script(examples)}</script>'
    )
    head = ""
    scripts = '<script src="/static/editor.js" defer></script>'
    if not plain:
        head = '<link rel="stylesheet" href="/static/yasgui/yasgui.min.css">'
        scripts = '<script src="/static/yasgui/yasgui.min.js" defer></script>' + scripts
    return page(
        "SPARQL editor", body, release_meta(state), current="/sparql", head=head, scripts=scripts
    )


async def _editor_with_results(request: Request, params: list[tuple[str, str]]) -> Response:
    """The editor with the results of its query as a table (no JavaScript needed).

    The query goes through the SPARQL protocol route itself (same checks, limits, pool), asked
    for JSON results or N-Triples; the answer is then printed as an HTML table.
    """
    queries = [v for n, v in params if n == "query"]
    query = queries[0] if queries else ""
    forwarded = [(n, v) for n, v in params if n not in ("format", "output", "ui")]
    scope = dict(request.scope)
    scope["query_string"] = urlencode(forwarded).encode("ascii")
    scope["headers"] = [
        (name, value)
        for name, value in request.scope.get("headers", [])
        if name.lower() not in (b"accept", b"if-none-match")
    ] + [(b"accept", RESULT_ACCEPT.encode("ascii"))]
    answer = await sparql_routes.sparql_get(Request(scope, request.receive))
    body = bytes(answer.body)
    if answer.status_code != 200:
        message = body.decode("utf-8", "replace").strip() or "the query failed"
        retry = answer.headers.get("retry-after")  # a 503 tells when to come back
        return editor_response(
            request,
            query=query,
            results=_message(message),
            status=answer.status_code,
            extra_headers={"Retry-After": retry} if retry else None,
        )
    truncated = answer.headers.get("x-sparql-truncated") == "true"
    media_type = answer.headers.get("content-type", "").split(";")[0].strip()
    settings = service_state(request).settings
    cap = settings.html_max_rows  # the page shows a sample; the links give everything
    if media_type == "application/n-triples":
        triples = list(itertools.islice(ox.parse(body, format=ox.RdfFormat.N_TRIPLES), cap + 1))
        rows = [
            [_term_cell(_short_term(x)) for x in (t.subject, t.predicate, t.object)]
            for t in triples[:cap]
        ]
        variables, total = ["subject", "predicate", "object"], len(triples)
    else:
        variables, solutions = parse_select(body)
        if not variables and b'"boolean"' in body:  # an ASK: a few bytes
            yes = bool(json.loads(body).get("boolean"))
            html_results = f'<p class="boolean">Answer: <strong>{yes}</strong></p>'
            return editor_response(request, query=query, results=html_results)
        rows = [
            [_binding_cell(_short_binding(r.get(v))) for v in variables] for r in solutions[:cap]
        ]
        total = len(solutions)
    shown = _fit_rows(rows, settings.html_max_bytes)
    html_results = _results_table(variables, shown, truncated)
    if len(shown) < total or _SHORTENED in "".join(map("".join, shown)):
        html_results = _raw_links(forwarded, len(shown), total) + html_results
    return editor_response(request, query=query, results=html_results)


def _message(message: str) -> str:
    return f'<p class="error" role="alert">{esc(message)}</p>'


def _results_table(variables: Sequence[str], rows: list[list[str]], truncated: bool) -> str:
    note = f"{len(rows)} result(s)" + (" (truncated at the row limit)" if truncated else "")
    head = "".join(f'<th scope="col">{esc(v)}</th>' for v in variables)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<p class="result-count">{esc(note)}</p>'
        f'<div class="table-scroll"><table class="results"><caption class="visually-hidden">'
        f"Query results</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        "</div>"
    )


_CELL_CHARS: Final = 300  # characters of one value in the HTML results view
_SHORTENED: Final = "\u2026 [shortened]"


def _shortened(text_: str) -> str | None:
    return text_[:_CELL_CHARS] + _SHORTENED if len(text_) > _CELL_CHARS else None


def _short_binding(term: Term | None) -> Term | None:
    """A long value cut for the HTML view (a long IRI is shown as text, not as a link)."""
    short = None if term is None else _shortened(term.value)
    if term is None or short is None:
        return term
    return Term(value=short, kind="bnode" if term.kind == "bnode" else "literal", lang=term.lang)


def _short_term(term: object) -> object:
    text_ = term.value if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal) else str(term)
    short = _shortened(text_)
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


def _raw_links(params: list[tuple[str, str]], shown: int, total: int) -> str:
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
    if isinstance(term, ox.NamedNode):
        return _iri_cell(term.value)
    if isinstance(term, ox.Literal):
        suffix = f" <small>@{esc(term.language)}</small>" if term.language else ""
        return esc(term.value) + suffix
    return esc(str(term))


# --------------------------------------------------------------------------- YASGUI bundle


@router.get("/static/yasgui/{name}", include_in_schema=False)
async def yasgui_file(request: Request, name: str) -> Response:
    root = node_modules()
    if name not in YASGUI_FILES or root is None:
        return Response(
            "YASGUI is not installed: run `npm ci` in the repository root.\n",
            status_code=404,
            media_type="text/plain; charset=utf-8",
        )
    state = service_state(request)
    return FileResponse(
        root / YASGUI_PACKAGE / name,
        media_type=YASGUI_FILES[name],
        headers={"Cache-Control": f"public, max-age={state.settings.cache_max_age}"},
    )
