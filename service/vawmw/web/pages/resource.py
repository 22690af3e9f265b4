"""The HTML page of one resource (``/id/…``).

The linked-data route gives the triples of the resource's description (its own triples,
incoming links and the labels of every linked resource) and the rows of the queries of
:mod:`vawmw.web.pages.resource_queries` (provenance, and for a State its party statuses,
measures and recommendations). The functions here only print: they never query.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import pyoxigraph as ox

from vawmw.rdf import formats, namespaces
from vawmw.rdf.results import Row, text
from vawmw.web.pages.description import (
    DEFINITIONS,
    SHOWN_ABOVE,
    XSD,
    Description,
    V,
)
from vawmw.web.pages.layout import (
    LITERAL_LINKS,
    Alternate,
    ReleaseMeta,
    esc,
    iri_link,
    link,
    local_path,
    page,
    short_iri,
    sparql_run_href,
    table,
)
from vawmw.web.pages.state import state_sections

DOWNLOADS: Final = (
    (formats.TURTLE, "Turtle"),
    (formats.JSONLD, "JSON-LD"),
    (formats.NTRIPLES, "N-Triples"),
    (formats.RDFXML, "RDF/XML"),
)


# --------------------------------------------------------------------------- printing values


def _literal_html(predicate: str, literal: ox.Literal) -> str:
    value = literal.value
    linked = LITERAL_LINKS.get(predicate)
    if linked is not None:
        register, url = linked
        return f"{esc(value)} ({link(url(value), register, cls='external')})"
    note = ""
    if literal.language and literal.language != "en":
        note = f' <small lang="en">({esc(literal.language)})</small>'
    datatype = literal.datatype.value
    if datatype.startswith(XSD) and datatype[len(XSD) :] not in ("string", "langString"):
        note = f' <small class="datatype">{esc(datatype[len(XSD) :])}</small>'
    if value.startswith(("http://", "https://")) and " " not in value:
        return link(value, value, cls="external") + note
    return f"{esc(value)}{note}"


def _value_html(description: Description, predicate: str, term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return iri_link(term.value, description.labels.get(term.value))
    if isinstance(term, ox.Literal):
        return _literal_html(predicate, term)
    return esc(str(term))


def _sort_key(description: Description, term: object) -> tuple[int, str]:
    if isinstance(term, ox.NamedNode):
        return (0, description.label(term.value).casefold())
    if isinstance(term, ox.Literal):
        return (1, term.value.casefold())
    return (2, str(term))


def _values_html(description: Description, predicate: str, values: Sequence[object]) -> str:
    ordered = sorted(values, key=lambda v: _sort_key(description, v))
    items = [_value_html(description, predicate, v) for v in ordered]
    if len(items) == 1:
        return items[0]
    return '<ul class="values">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _property_cell(description: Description, predicate: str) -> str:
    return iri_link(predicate, description.label(predicate))


# --------------------------------------------------------------------------- sections


def _downloads(iri: str, base: str) -> str:
    path = local_path(iri, base)
    if not path.startswith("/"):
        return ""
    name = path.rstrip("/").rsplit("/", 1)[-1] or "resource"
    links = " · ".join(
        f'<a href="{esc(path)}?format={fmt.extension}" download="{esc(name)}.{fmt.extension}" '
        f'type="{fmt.media_type}">{label}</a>'
        for fmt, label in DOWNLOADS
    )
    return f'<p class="downloads">Download this description: {links}</p>'


def _properties_section(description: Description) -> str:
    predicates = [p for p in description.outgoing if p not in SHOWN_ABOVE]
    if not predicates:
        return ""
    predicates.sort(key=lambda p: description.label(p).casefold())
    rows = [
        [_property_cell(description, p), _values_html(description, p, description.outgoing[p])]
        for p in predicates
    ]
    return (
        '<section aria-labelledby="properties-heading"><h2 id="properties-heading">Properties</h2>'
        + table("Properties of this resource", ["Property", "Value"], rows, caption_hidden=True)
        + "</section>"
    )


# What a report states about an instrument's parties (a vawmw:PartyCoverage claim, issue 17).
_COVERAGE_PREFIX: Final = namespaces.ID + "party-coverage/"


def _coverage_note(description: Description) -> str:
    """On an instrument's page: whether the report states parties per State or only counts them,
    so that a State with no status here is read as "not stated", not as "not party"."""
    claims = [
        s
        for s in description.incoming.get(V + "concernsInstrument", ())
        if isinstance(s, ox.NamedNode) and s.value.startswith(_COVERAGE_PREFIX)
    ]
    if not claims:
        return ""
    items = "".join(
        f"<li>{iri_link(s.value, description.labels.get(s.value))}</li>"
        for s in sorted(claims, key=lambda s: s.value)
    )
    return (
        '<section aria-labelledby="coverage-heading"><h2 id="coverage-heading">'
        "What the report states about its parties</h2>"
        f'<ul class="links">{items}</ul><p>Where a report gives only a count, or names only some '
        "States, a State with no status statement is <em>not stated in the report</em>, not a "
        "non-party.</p></section>"
    )


def _incoming_section(description: Description, limit: int) -> str:
    if not description.incoming:
        return ""
    total = sum(len(v) for v in description.incoming.values())
    parts = [
        '<section aria-labelledby="incoming-heading"><h2 id="incoming-heading">Linked from</h2>',
        f"<p>{total} resource link(s) point here, grouped by the property that links them.",
    ]
    if total >= limit:
        parts.append(f" Only the first {limit} are shown.")
    parts.append("</p>")
    ordered = sorted(description.incoming, key=lambda p: description.label(p).casefold())
    for index, predicate in enumerate(ordered):
        sources = sorted(
            description.incoming[predicate], key=lambda s: description.label(s.value).casefold()
        )
        heading_id = f"incoming-{index}"
        items = "".join(
            f"<li>{iri_link(s.value, description.labels.get(s.value))}</li>"
            if isinstance(s, ox.NamedNode)
            else f"<li>{esc(s.value)}</li>"
            for s in sources
        )
        parts.append(
            f'<h3 id="{heading_id}">via {_property_cell(description, predicate)} '
            f'<span class="count">({len(sources)})</span></h3><ul class="links">{items}</ul>'
        )
    parts.append("</section>")
    return "".join(parts)


def _source_text(row: Row) -> str:
    number = text(row, "paragraphNumber")
    footnote = text(row, "footnoteNumber")
    if number:
        what = f"Paragraph {number}"
    elif footnote:
        what = f"Footnote {footnote}"
        if text(row, "ofParagraphNumber"):
            what += f" (to paragraph {text(row, 'ofParagraphNumber')})"
    else:
        what = text(row, "sourceLabel") or short_iri(text(row, "source"))
    return what


def _provenance_section(rows: Sequence[Row]) -> str:
    sources: dict[str, Row] = {}
    works: dict[str, Row] = {}
    for row in rows:
        if text(row, "part") == "source" and text(row, "source"):
            sources.setdefault(text(row, "source"), row)
        elif text(row, "part") == "work" and text(row, "work"):
            works.setdefault(text(row, "work"), row)
    if not sources and not works:
        return ""
    parts = [
        '<section aria-labelledby="provenance-heading"><h2 id="provenance-heading">Provenance</h2>'
    ]
    if sources:
        items = []
        for iri, row in sorted(sources.items(), key=lambda kv: _source_order(kv[1])):
            section = ""
            if text(row, "section"):
                number = text(row, "sectionNumber")
                title = text(row, "sectionTitle") or text(row, "sectionLabel")
                name = f"section {number}: {title}" if number else title
                section = f", in {iri_link(text(row, 'section'), name)}"
            items.append(f"<li>{iri_link(iri, _source_text(row))}{section}</li>")
        parts.append(
            f'<p>Stated in report A/78/292 at:</p><ul class="sources">{"".join(items)}</ul>'
        )
    if works:
        items = []
        for iri, row in sorted(works.items(), key=lambda kv: text(kv[1], "workLabel")):
            citation = text(row, "citation")
            extra = f'<br><span class="citation">{esc(citation)}</span>' if citation else ""
            items.append(f"<li>{iri_link(iri, text(row, 'workLabel') or None)}{extra}</li>")
        parts.append(f'<p>Cited work(s):</p><ul class="works">{"".join(items)}</ul>')
    parts.append("</section>")
    return "".join(parts)


def _source_order(row: Row) -> tuple[int, int]:
    for kind, name in ((0, "paragraphNumber"), (1, "footnoteNumber")):
        value = text(row, name)
        if value.isdigit():
            return (kind, int(value))
    return (2, 0)


def render_resource(
    iri: str,
    triples: Sequence[ox.Triple],
    *,
    base: str,
    provenance: Sequence[Row] = (),
    state: Sequence[Row] | None = None,
    incoming_limit: int = 500,
) -> tuple[str, str]:
    """The title and the body of a resource's page."""
    description = Description.of(iri, triples)
    title = description.title
    parts = [f'<h1>{esc(title)}</h1><p class="iri"><code>{esc(iri)}</code></p>']
    types = description.types
    if types:
        ordered = sorted(
            types, key=lambda t: (not t.startswith(V), description.label(t).casefold())
        )
        parts.append(
            '<p class="types">Type: '
            + ", ".join(iri_link(t, description.label(t)) for t in ordered)
            + "</p>"
        )
    for definition in description.literals(DEFINITIONS):
        parts.append(f'<p class="definition">{esc(definition)}</p>')
    parts.append(_downloads(iri, base))
    if state is not None:
        parts.append(state_sections(title, state))
    parts.append(_coverage_note(description))
    parts.append(_properties_section(description))
    parts.append(_provenance_section(provenance))
    parts.append(_incoming_section(description, incoming_limit))
    query = f"DESCRIBE <{iri}>"
    parts.append(
        '<p class="query-hint">'
        + link(sparql_run_href(query), "Query this resource in the SPARQL editor")
        + "</p>"
    )
    return title, "".join(p for p in parts if p)


def resource_page(
    release: ReleaseMeta,
    iri: str,
    triples: Sequence[ox.Triple],
    *,
    base: str,
    provenance: Sequence[Row] = (),
    state: Sequence[Row] | None = None,
    incoming_limit: int = 500,
    alternates: Sequence[Alternate] = (),
) -> str:
    """The whole page of a resource, in the site's layout (``alternates``: its other formats)."""
    title, body = render_resource(
        iri,
        triples,
        base=base,
        provenance=provenance,
        state=state,
        incoming_limit=incoming_limit,
    )
    return page(title, body, release, alternates=alternates)
