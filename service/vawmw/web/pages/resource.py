"""HTML pages of single resources (``/id/…``) and of the ontology (``/ontology``).

The route gives the triples of the resource's description (its own triples, incoming links and
the labels of every linked resource) plus the rows of a few SPARQL queries built here
(provenance, and for a State its party statuses, measures and recommendations). The functions
only print: they never query.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

import pyoxigraph as ox

from vawmw.rdf import namespaces
from vawmw.rdf.results import Row, text
from vawmw.web.pages.layout import (
    LITERAL_LINKS,
    esc,
    external_name,
    iri_link,
    link,
    local_path,
    short_iri,
    sparql_run_href,
    table,
)

RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS: Final = "http://www.w3.org/2000/01/rdf-schema#"
OWL: Final = "http://www.w3.org/2002/07/owl#"
SKOS: Final = "http://www.w3.org/2004/02/skos/core#"
DCTERMS: Final = "http://purl.org/dc/terms/"
PROV: Final = "http://www.w3.org/ns/prov#"
XSD: Final = "http://www.w3.org/2001/XMLSchema#"
V: Final = namespaces.VAWMW

RDF_TYPE: Final = RDF + "type"
LABELS: Final = (SKOS + "prefLabel", RDFS + "label")
DEFINITIONS: Final = (SKOS + "definition", DCTERMS + "description", RDFS + "comment")
SHOWN_ABOVE: Final = frozenset({RDF_TYPE, *LABELS, *DEFINITIONS})
CLASS_TYPES: Final = frozenset({OWL + "Class", RDFS + "Class"})
PROPERTY_TYPES: Final = frozenset(
    {OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty", RDF + "Property"}
)
# Readable names of the reused vocabularies' properties (their labels are not in the release).
KNOWN_NAMES: Final = {
    RDF_TYPE: "type",
    RDFS + "label": "label",
    RDFS + "comment": "comment",
    RDFS + "seeAlso": "see also",
    RDFS + "subClassOf": "subclass of",
    RDFS + "subPropertyOf": "subproperty of",
    RDFS + "domain": "domain",
    RDFS + "range": "range",
    RDFS + "isDefinedBy": "defined by",
    SKOS + "prefLabel": "preferred label",
    SKOS + "altLabel": "alternative label",
    SKOS + "definition": "definition",
    SKOS + "scopeNote": "scope note",
    SKOS + "example": "example",
    SKOS + "notation": "notation",
    SKOS + "exactMatch": "exact match",
    SKOS + "closeMatch": "close match",
    SKOS + "broader": "broader",
    SKOS + "narrower": "narrower",
    SKOS + "inScheme": "in scheme",
    SKOS + "hasTopConcept": "top concept",
    SKOS + "topConceptOf": "top concept of",
    DCTERMS + "title": "title",
    DCTERMS + "description": "description",
    DCTERMS + "isPartOf": "is part of",
    DCTERMS + "hasPart": "has part",
    DCTERMS + "creator": "creator",
    DCTERMS + "publisher": "publisher",
    DCTERMS + "issued": "issued",
    DCTERMS + "modified": "modified",
    DCTERMS + "created": "created",
    DCTERMS + "license": "licence",
    DCTERMS + "source": "source",
    DCTERMS + "references": "references",
    DCTERMS + "language": "language",
    DCTERMS + "bibliographicCitation": "bibliographic citation",
    DCTERMS + "accrualPeriodicity": "frequency",
    PROV + "wasDerivedFrom": "derived from",
    "http://www.w3.org/ns/org#subOrganizationOf": "sub-organization of",
    "http://www.w3.org/ns/org#hasMember": "has member",
    "http://www.w3.org/ns/org#hasSubOrganization": "has sub-organization",
    "http://xmlns.com/foaf/0.1/page": "web page",
    "http://purl.org/linked-data/cube#dataSet": "data set",
}
DOWNLOADS: Final = (
    ("ttl", "Turtle"),
    ("jsonld", "JSON-LD"),
    ("nt", "N-Triples"),
    ("rdf", "RDF/XML"),
)
_SAFE_IRI: Final = re.compile(r'^[^<>"{}|^`\\\s]+$')


def sparql_iri(iri: str) -> str:
    """``<iri>`` for a SPARQL query; refuses anything that could break out of the brackets."""
    if not _SAFE_IRI.match(iri):
        raise ValueError(f"not a safe IRI: {iri!r}")
    return f"<{iri}>"


# --------------------------------------------------------------------------- queries

PREFIXES: Final = (
    "PREFIX vawmw: <https://w3id.org/vawmw/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
    "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
)


def provenance_query(iri: str) -> str:
    """Where a resource comes from: its paragraphs/footnotes with section, and cited works."""
    node = sparql_iri(iri)
    return (
        PREFIXES
        + f"""
SELECT ?part ?source ?sourceLabel ?paragraphNumber ?footnoteNumber ?ofParagraph
       ?ofParagraphNumber ?section ?sectionLabel ?sectionNumber ?sectionTitle
       ?work ?workLabel ?citation ?footnote
WHERE {{
  {{
    BIND ("source" AS ?part)
    {node} prov:wasDerivedFrom ?source .
    OPTIONAL {{ ?source rdfs:label ?sourceLabel }}
    OPTIONAL {{ ?source vawmw:hasParagraphNumber ?paragraphNumber }}
    OPTIONAL {{ ?source vawmw:hasFootnoteNumber ?footnoteNumber }}
    OPTIONAL {{
      ?source vawmw:isFootnoteOf ?ofParagraph .
      OPTIONAL {{ ?ofParagraph vawmw:hasParagraphNumber ?ofParagraphNumber }}
    }}
    BIND (COALESCE(?ofParagraph, ?source) AS ?holder)
    OPTIONAL {{
      ?holder dcterms:isPartOf ?section .
      ?section a vawmw:ReportSection .
      OPTIONAL {{ ?section rdfs:label ?sectionLabel }}
      OPTIONAL {{ ?section vawmw:hasSectionNumber ?sectionNumber }}
      OPTIONAL {{ ?section dcterms:title ?sectionTitle }}
    }}
  }} UNION {{
    BIND ("work" AS ?part)
    {{ {node} vawmw:citesWork ?work }}
    UNION {{ {node} vawmw:referencesWork ?work }}
    UNION {{ {node} vawmw:citesFootnote ?footnote . ?footnote vawmw:referencesWork ?work }}
    OPTIONAL {{ ?work rdfs:label ?workLabel }}
    OPTIONAL {{ ?work dcterms:bibliographicCitation ?citation }}
  }}
}}
"""
    )


def state_query(iri: str) -> str:
    """A State at a glance: party statuses, measures, and the recommendations of the report."""
    node = sparql_iri(iri)
    return (
        PREFIXES
        + f"""
SELECT ?part ?item ?itemLabel ?instrument ?instrumentLabel ?shortName ?status ?statusLabel
       ?asOf ?entryIntoForce ?category ?categoryLabel ?notation ?measureType ?measureTypeLabel
       ?source ?paragraphNumber ?letter ?addressee ?addresseeLabel
WHERE {{
  {{
    BIND ("status" AS ?part)
    ?item a vawmw:PartyStatus ;
        vawmw:concernsState {node} ;
        vawmw:concernsInstrument ?instrument .
    OPTIONAL {{ ?instrument rdfs:label ?instrumentLabel }}
    OPTIONAL {{ ?instrument vawmw:hasShortName ?shortName }}
    OPTIONAL {{ ?item vawmw:hasRatificationStatus ?status .
               OPTIONAL {{ ?status rdfs:label ?statusLabel }} }}
    OPTIONAL {{ ?item vawmw:isValidAsOf ?asOf }}
    OPTIONAL {{ ?item vawmw:hasEntryIntoForceYear ?entryIntoForce }}
  }} UNION {{
    BIND ("measure" AS ?part)
    ?item a vawmw:StateMeasure ;
        vawmw:isReportedBy {node} .
    OPTIONAL {{ ?item vawmw:hasCategory ?category .
               OPTIONAL {{ ?category rdfs:label ?categoryLabel }}
               OPTIONAL {{ ?category skos:notation ?notation }} }}
    OPTIONAL {{ ?item vawmw:hasMeasureType ?measureType .
               OPTIONAL {{ ?measureType rdfs:label ?measureTypeLabel }} }}
  }} UNION {{
    BIND ("recommendation" AS ?part)
    ?item a vawmw:Recommendation .
    OPTIONAL {{ ?item vawmw:hasLetter ?letter }}
    OPTIONAL {{ ?item vawmw:isAddressedTo ?addressee .
               OPTIONAL {{ ?addressee rdfs:label ?addresseeLabel }} }}
    OPTIONAL {{
      ?item vawmw:concernsInstrument ?instrument .
      FILTER EXISTS {{ ?held a vawmw:PartyStatus ;
                         vawmw:concernsState {node} ;
                         vawmw:concernsInstrument ?instrument }}
      OPTIONAL {{ ?instrument rdfs:label ?instrumentLabel }}
      OPTIONAL {{ ?instrument vawmw:hasShortName ?shortName }}
    }}
  }}
  OPTIONAL {{ ?item rdfs:label ?itemLabel }}
  OPTIONAL {{ ?item prov:wasDerivedFrom ?source .
             OPTIONAL {{ ?source vawmw:hasParagraphNumber ?paragraphNumber }} }}
}}
"""
    )


EXAMPLES_QUERY: Final = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?term ?uses ?example ?exampleLabel
WHERE {
  {
    SELECT ?term (COUNT(DISTINCT ?s) AS ?uses) (MIN(STR(?s)) AS ?first)
    WHERE {
      { ?s a ?term } UNION { ?s ?term ?o }
      FILTER (isIRI(?s) && STRSTARTS(STR(?term), "https://w3id.org/vawmw/ontology#"))
      FILTER (!STRSTARTS(STR(?s), "https://w3id.org/vawmw/ontology"))
    }
    GROUP BY ?term
  }
  BIND (IRI(?first) AS ?example)
  OPTIONAL { ?example rdfs:label ?exampleLabel }
}
"""


# --------------------------------------------------------------------------- description model


def _key(term: object) -> str:
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        return term.value
    return str(term)


def label_map(triples: Iterable[ox.Triple]) -> dict[str, str]:
    """Labels of the resources in ``triples``: skos:prefLabel over rdfs:label, English first."""
    labels: dict[str, str] = {}
    ranks: dict[str, tuple[int, int]] = {}
    for t in triples:
        obj = t.object
        if t.predicate.value not in LABELS or not isinstance(obj, ox.Literal):
            continue
        rank = (LABELS.index(t.predicate.value), 0 if obj.language in ("", "en") else 1)
        subject = _key(t.subject)
        if subject not in ranks or rank < ranks[subject]:
            labels[subject], ranks[subject] = obj.value, rank
    return labels


@dataclass
class Description:
    """The triples of one resource split into outgoing and incoming links."""

    iri: str
    labels: dict[str, str]
    outgoing: dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]] = field(
        default_factory=lambda: defaultdict(list)
    )
    incoming: dict[str, list[ox.NamedNode | ox.BlankNode]] = field(
        default_factory=lambda: defaultdict(list)
    )

    @classmethod
    def of(cls, iri: str, triples: Sequence[ox.Triple]) -> Description:
        description = cls(iri, label_map(triples))
        for t in triples:
            subject = t.subject
            if isinstance(subject, ox.NamedNode) and subject.value == iri:
                values = description.outgoing[t.predicate.value]
                if t.object not in values:
                    values.append(t.object)
            elif (
                isinstance(t.object, ox.NamedNode)
                and t.object.value == iri
                and isinstance(subject, ox.NamedNode | ox.BlankNode)
            ):
                sources = description.incoming[t.predicate.value]
                if subject not in sources:
                    sources.append(subject)
        return description

    @property
    def types(self) -> list[str]:
        return [o.value for o in self.outgoing.get(RDF_TYPE, []) if isinstance(o, ox.NamedNode)]

    @property
    def title(self) -> str:
        return self.labels.get(self.iri) or short_iri(self.iri)

    def literals(self, predicates: Iterable[str]) -> list[str]:
        found: list[str] = []
        for predicate in predicates:
            for value in self.outgoing.get(predicate, []):
                if isinstance(value, ox.Literal) and value.value not in found:
                    found.append(value.value)
        return found

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or KNOWN_NAMES.get(iri) or external_name(iri) or short_iri(iri)


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


def value_html(description: Description, predicate: str, term: object) -> str:
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
    items = [value_html(description, predicate, v) for v in ordered]
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
        f'<a href="{esc(path)}?format={ext}" download="{esc(name)}.{ext}" '
        f'type="{media}">{label}</a>'
        for (ext, label), media in zip(
            DOWNLOADS,
            ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"),
            strict=True,
        )
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


def provenance_section(rows: Sequence[Row]) -> str:
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


def _para_link(row: Row) -> str:
    source = text(row, "source")
    if not source:
        return ""
    number = text(row, "paragraphNumber")
    return iri_link(source, f"para. {number}" if number else None)


def state_sections(state_label: str, rows: Sequence[Row]) -> str:
    """The at-a-glance part of a State's page."""
    statuses: dict[str, Row] = {}
    measures: dict[str, Row] = {}
    recommendations: dict[str, Row] = {}
    concerning: dict[str, dict[str, str]] = defaultdict(dict)
    for row in rows:
        part, item = text(row, "part"), text(row, "item")
        if part == "status":
            statuses.setdefault(item, row)
        elif part == "measure":
            measures.setdefault(item, row)
        elif part == "recommendation":
            recommendations.setdefault(item, row)
            if text(row, "instrument"):
                concerning[item][text(row, "instrument")] = text(row, "shortName") or text(
                    row, "instrumentLabel"
                )
    parts = [
        '<section class="at-a-glance" aria-labelledby="glance-heading">',
        f'<h2 id="glance-heading">{esc(state_label)} at a glance</h2>',
    ]
    parts.append(
        '<ul class="summary">'
        f"<li><strong>{len(statuses)}</strong> status(es) towards instruments</li>"
        f"<li><strong>{len(measures)}</strong> measure(s) reported</li>"
        f"<li><strong>{len(concerning)}</strong> recommendation(s) on instruments it has a "
        "status for</li></ul>"
    )
    # party statuses
    parts.append('<h3 id="statuses-heading">Party statuses</h3>')
    if statuses:
        body = []
        for item, row in sorted(
            statuses.items(),
            key=lambda kv: (text(kv[1], "shortName") or text(kv[1], "instrumentLabel")).casefold(),
        ):
            instrument = text(row, "instrument")
            name = text(row, "instrumentLabel") or text(row, "shortName")
            status_text = text(row, "statusLabel") or short_iri(text(row, "status"))
            body.append(
                [
                    iri_link(instrument, name),
                    iri_link(item, status_text),
                    esc(text(row, "asOf")),
                    esc(text(row, "entryIntoForce")),
                    _para_link(row),
                ]
            )
        parts.append(
            table(
                f"Status of {state_label} towards each instrument",
                ["Instrument", "Status", "As at", "In force for it from", "Source"],
                body,
            )
        )
    else:
        parts.append("<p>The report states no party status for this State.</p>")
    # measures by category
    parts.append('<h3 id="measures-heading">Measures by category</h3>')
    if measures:
        by_category: dict[str, list[tuple[str, Row]]] = defaultdict(list)
        for item, row in measures.items():
            by_category[text(row, "category")].append((item, row))
        ordered = sorted(
            by_category, key=lambda c: (c == "", text(by_category[c][0][1], "notation"))
        )
        for category in ordered:
            first = by_category[category][0][1]
            title = text(first, "categoryLabel") or "No category"
            notation = text(first, "notation")
            heading = f"{notation} {title}".strip() if notation else title
            items = []
            for item, row in sorted(
                by_category[category], key=lambda x: text(x[1], "itemLabel").casefold()
            ):
                kind = text(row, "measureTypeLabel")
                extra = f' <span class="kind">({esc(kind)})</span>' if kind else ""
                para = _para_link(row)
                items.append(
                    f"<li>{iri_link(item, text(row, 'itemLabel') or None)}{extra}"
                    + (f" — {para}" if para else "")
                    + "</li>"
                )
            category_link = iri_link(category, heading) if category else esc(heading)
            parts.append(
                f'<h4>{category_link} <span class="count">({len(items)})</span></h4>'
                f'<ul class="measures">{"".join(items)}</ul>'
            )
    else:
        parts.append("<p>The report gives no measure of this State.</p>")
    # recommendations
    parts.append('<h3 id="recommendations-heading">Recommendations</h3>')
    parts.append(
        "<p>The report's recommendations are addressed to all Member States (or to the United "
        "Nations system), not to one State. Listed first are those that concern an instrument "
        f"towards which {esc(state_label)} has a status.</p>"
    )
    if concerning:
        body = []
        for item in sorted(concerning, key=_recommendation_key):
            row = recommendations[item]
            instruments = ", ".join(
                iri_link(i, name or None) for i, name in sorted(concerning[item].items())
            )
            body.append([iri_link(item, text(row, "itemLabel") or None), instruments])
        parts.append(
            table(
                f"Recommendations on instruments {state_label} has a status for",
                ["Recommendation", "Instruments concerned"],
                body,
            )
        )
    else:
        parts.append("<p>None of the recommendations names such an instrument.</p>")
    if recommendations:
        listing = "".join(
            f"<li>{iri_link(item, text(recommendations[item], 'itemLabel') or None)}"
            + _addressee(recommendations[item])
            + "</li>"
            for item in sorted(recommendations, key=_recommendation_key)
        )
        parts.append(
            f"<details><summary>All {len(recommendations)} recommendations of the report "
            "(addressed to all Member States or the UN system)</summary>"
            f'<ul class="recommendations">{listing}</ul></details>'
        )
    parts.append("</section>")
    return "".join(parts)


def _addressee(row: Row) -> str:
    label = text(row, "addresseeLabel")
    return f' <span class="kind">(to {esc(label)})</span>' if label else ""


def _recommendation_key(item: str) -> tuple[int, str]:
    """58 (a) … 58 (t), then 59: by paragraph number and letter."""
    match = re.search(r"/recommendation/(\d+)(?:-(\w+))?$", item)
    if match:
        return (int(match.group(1)), match.group(2) or "")
    return (10_000, item)


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
    parts.append(_properties_section(description))
    parts.append(provenance_section(provenance))
    parts.append(_incoming_section(description, incoming_limit))
    query = f"DESCRIBE <{iri}>"
    parts.append(
        '<p class="query-hint">'
        + link(sparql_run_href(query), "Query this resource in the SPARQL editor")
        + "</p>"
    )
    return title, "".join(p for p in parts if p)


def is_state(triples: Sequence[ox.Triple], iri: str) -> bool:
    wanted = {V + "State", V + "MemberState", V + "ReportingState"}
    return any(
        isinstance(t.subject, ox.NamedNode)
        and t.subject.value == iri
        and t.predicate.value == RDF_TYPE
        and t.object.value in wanted
        for t in triples
        if isinstance(t.object, ox.NamedNode)
    )
