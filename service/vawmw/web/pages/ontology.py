"""The HTML documentation of the ontology at ``/ontology``: classes, properties, a diagram.

Every term of the ``vawmw:`` namespace gets an element whose id is its local name, so that a
browser following ``https://w3id.org/vawmw/ontology#State`` lands on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import pyoxigraph as ox

from vawmw.rdf import namespaces
from vawmw.rdf.results import Row, number, text
from vawmw.web.pages.charts import INK, MUTED, text_width
from vawmw.web.pages.description import (
    CLASS_TYPES,
    DCTERMS,
    KNOWN_NAMES,
    OWL,
    PROPERTY_TYPES,
    PROV,
    RDF,
    RDF_TYPE,
    RDFS,
    SKOS,
    V,
    label_map,
)
from vawmw.web.pages.layout import (
    Alternate,
    ReleaseMeta,
    attr,
    esc,
    iri_link,
    page,
    short_iri,
)

# The core of the model, placed by hand: Claim in the middle, what claims are about on the
# left, where they come from on the right, the kinds of claim below.
DIAGRAM_NODES: Final = {
    "Claim": (470, 210),
    "Risk": (110, 60),
    "MigrationStage": (110, 130),
    "MigrantGroup": (110, 200),
    "Instrument": (110, 270),
    "State": (110, 340),
    "Paragraph": (840, 80),
    "Footnote": (840, 210),
    "CitedWork": (840, 340),
    "RiskStatement": (90, 460),
    "Statistic": (240, 460),
    "PartyStatus": (390, 460),
    "PartyCount": (540, 460),
    "Recommendation": (690, 460),
    "Action": (850, 460),
    "StateMeasure": (770, 560),
    "UNInitiative": (920, 560),
}
DIAGRAM_EDGES: Final = (
    ("Claim", V + "concernsRisk", "Risk"),
    ("Claim", V + "concernsStage", "MigrationStage"),
    ("Claim", V + "concernsGroup", "MigrantGroup"),
    ("Claim", V + "concernsInstrument", "Instrument"),
    ("Claim", V + "concernsState", "State"),
    ("Claim", PROV + "wasDerivedFrom", "Paragraph"),
    ("Claim", V + "citesFootnote", "Footnote"),
    ("Claim", V + "citesWork", "CitedWork"),
    ("Footnote", V + "isFootnoteOf", "Paragraph"),
    ("Footnote", V + "referencesWork", "CitedWork"),
)
NODE_HEIGHT: Final = 30


@dataclass
class TermDoc:
    iri: str
    types: set[str] = field(default_factory=set)
    values: dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]] = field(
        default_factory=lambda: defaultdict(list)
    )

    @property
    def name(self) -> str:
        return self.iri.rsplit("#", 1)[-1]

    def literal(self, predicate: str) -> str:
        for value in self.values.get(predicate, []):
            if isinstance(value, ox.Literal):
                return value.value
        return ""

    def literals(self, predicate: str) -> list[str]:
        return [v.value for v in self.values.get(predicate, []) if isinstance(v, ox.Literal)]

    def iris(self, predicate: str) -> list[str]:
        return [v.value for v in self.values.get(predicate, []) if isinstance(v, ox.NamedNode)]


def _rdf_list(head: object, by_subject: dict[str, dict[str, list[object]]]) -> list[str]:
    """The IRIs of an RDF collection (e.g. an owl:propertyChainAxiom)."""
    items: list[str] = []
    node = head
    for _ in range(100):
        if not isinstance(node, ox.BlankNode | ox.NamedNode) or node.value == RDF + "nil":
            break
        entry = by_subject.get(node.value, {})
        first = entry.get(RDF + "first", [])
        if first and isinstance(first[0], ox.NamedNode):
            items.append(first[0].value)
        rest = entry.get(RDF + "rest", [])
        node = rest[0] if rest else None
    return items


def _term_ref(iri: str, labels: dict[str, str]) -> str:
    """A link to a term: an anchor on this page for vawmw terms, the IRI otherwise."""
    if iri.startswith(V):
        name = iri[len(V) :]
        return f'<a href="#{attr(name)}"><code>vawmw:{esc(name)}</code></a>'
    return iri_link(iri, KNOWN_NAMES.get(iri) or short_iri(iri))


_DIAGRAM_WIDTH: Final = 1010
_DIAGRAM_HEIGHT: Final = 610
_DIAGRAM_HEAD: Final = (
    f'<svg xmlns="{namespaces.SVG}" class="diagram" role="img" '
    f'aria-labelledby="diagram-title diagram-desc" width="{_DIAGRAM_WIDTH}" '
    f'height="{_DIAGRAM_HEIGHT}" viewBox="0 0 {_DIAGRAM_WIDTH} {_DIAGRAM_HEIGHT}" '
    'font-family="system-ui, sans-serif" font-size="12">'
    '<title id="diagram-title">The core classes of the ontology</title>'
    '<desc id="diagram-desc">Claim is in the middle. Arrows on the left go to what a claim '
    "concerns (risk, migration stage, migrant group, instrument, State); arrows on the right "
    "to where it comes from (paragraph, footnote, cited work). Below, with hollow arrows, "
    "the kinds of claim: risk statement, statistic, party status, party count, "
    "recommendation and action, whose kinds are State measure and UN initiative.</desc>"
    "<defs>"
    '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
    'markerHeight="8" orient="auto-start-reverse">'
    f'<path d="M0,0 L10,5 L0,10 z" fill="{MUTED}"/>'
    "</marker>"
    '<marker id="hollow" viewBox="0 0 12 12" refX="12" refY="6" markerWidth="12" '
    'markerHeight="12" orient="auto-start-reverse"><path d="M0,0 L12,6 L0,12 z" '
    f'fill="#ffffff" stroke="{MUTED}"/></marker></defs>'
)


@dataclass(frozen=True)
class _Layout:
    """Where the diagram's boxes sit: class name → the centre of its box."""

    centres: dict[str, tuple[int, int]]

    def box(self, name: str) -> tuple[float, float, float, float]:
        x, y = self.centres[name]
        w = text_width(name) + 24
        return x - w / 2, y - NODE_HEIGHT / 2, w, NODE_HEIGHT

    def border(self, name: str, toward: tuple[float, float]) -> tuple[float, float]:
        """Where the line from the centre of ``name``'s box toward a point leaves the box."""
        bx, by, bw, bh = self.box(name)
        cx, cy = bx + bw / 2, by + bh / 2
        dx, dy = toward[0] - cx, toward[1] - cy
        if dx == 0 and dy == 0:
            return cx, cy
        scale = min(
            (bw / 2) / abs(dx) if dx else float("inf"), (bh / 2) / abs(dy) if dy else float("inf")
        )
        return cx + dx * scale, cy + dy * scale

    def line(self, source: str, target: str) -> tuple[float, float, float, float]:
        x1, y1 = self.border(source, self.centres[target])
        x2, y2 = self.border(target, self.centres[source])
        return x1, y1, x2, y2


def _diagram(classes: dict[str, TermDoc], properties: dict[str, TermDoc]) -> str:
    layout = _Layout({name: pos for name, pos in DIAGRAM_NODES.items() if V + name in classes})
    if not layout.centres:
        return ""
    edges = _property_edges(layout, properties) + _subclass_edges(layout, classes)
    return (
        _DIAGRAM_HEAD + f'<g class="edges">{edges}</g><g class="nodes">{_nodes(layout)}</g></svg>'
    )


def _property_edges(layout: _Layout, properties: dict[str, TermDoc]) -> str:
    edges: list[str] = []
    for source, predicate, target in DIAGRAM_EDGES:
        known = predicate in properties or predicate.startswith(PROV)
        if source not in layout.centres or target not in layout.centres or not known:
            continue
        x1, y1, x2, y2 = layout.line(source, target)
        label = short_iri(predicate).replace("vawmw:", "")
        mx, my = x1 + (x2 - x1) * 0.55, y1 + (y2 - y1) * 0.55 - 4
        edges.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{MUTED}" '
            'marker-end="url(#arrow)"/>'
            f'<text x="{mx:.1f}" y="{my:.1f}" text-anchor="middle" fill="{INK}" '
            'stroke="#ffffff" stroke-width="4" paint-order="stroke">'
            f"{esc(label)}</text>"
        )
    return "".join(edges)


def _subclass_edges(layout: _Layout, classes: dict[str, TermDoc]) -> str:
    edges: list[str] = []
    for name in layout.centres:
        for parent in classes[V + name].iris(RDFS + "subClassOf"):
            parent_name = parent[len(V) :] if parent.startswith(V) else ""
            if parent_name not in layout.centres:
                continue
            x1, y1, x2, y2 = layout.line(name, parent_name)
            edges.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                f'stroke="{MUTED}" stroke-dasharray="5 3" marker-end="url(#hollow)"/>'
            )
    return "".join(edges)


def _nodes(layout: _Layout) -> str:
    nodes: list[str] = []
    for name in layout.centres:
        bx, by, bw, bh = layout.box(name)
        fill = "#fde0c5" if name == "Claim" else "#e5eef8"
        nodes.append(
            f'<a href="#{attr(name)}"><rect x="{bx:.1f}" y="{by:.1f}" width="{bw:.1f}" '
            f'height="{bh}" rx="6" fill="{fill}" stroke="#08519c"/>'
            f'<text x="{bx + bw / 2:.1f}" y="{by + bh / 2 + 4:.1f}" text-anchor="middle" '
            f'fill="{INK}">{esc(name)}</text></a>'
        )
    return "".join(nodes)


@dataclass
class OntologyModel:
    """The ontology's triples as the page reads them: its terms, classes and properties."""

    iri: str
    labels: dict[str, str]
    by_subject: dict[str, dict[str, list[object]]]
    terms: dict[str, TermDoc]

    @classmethod
    def of(cls, iri: str, triples: Sequence[ox.Triple]) -> OntologyModel:
        by_subject: dict[str, dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
        terms: dict[str, TermDoc] = {}
        for t in triples:
            subject = t.subject
            if not isinstance(subject, ox.NamedNode | ox.BlankNode):
                continue
            by_subject[subject.value][t.predicate.value].append(t.object)
            if isinstance(subject, ox.NamedNode) and subject.value.startswith(V):
                doc = terms.setdefault(subject.value, TermDoc(subject.value))
                if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
                    doc.types.add(t.object.value)
                else:
                    doc.values[t.predicate.value].append(t.object)
        return cls(iri, label_map(triples), by_subject, terms)

    @property
    def classes(self) -> dict[str, TermDoc]:
        return {k: d for k, d in self.terms.items() if d.types & CLASS_TYPES}

    @property
    def properties(self) -> dict[str, TermDoc]:
        return {k: d for k, d in self.terms.items() if d.types & PROPERTY_TYPES}

    def children(self) -> dict[str, list[str]]:
        """Class → its direct subclasses."""
        found: dict[str, list[str]] = defaultdict(list)
        for term, doc in self.classes.items():
            for parent in doc.iris(RDFS + "subClassOf"):
                found[parent].append(term)
        return found

    def about(self, predicate: str) -> str:
        """The first literal the ontology itself gives for ``predicate`` ('' when none)."""
        for value in self.by_subject.get(self.iri, {}).get(predicate, []):
            if isinstance(value, ox.Literal):
                return value.value
        return ""


def render_ontology(
    iri: str, triples: Sequence[ox.Triple], examples: Sequence[Row] = ()
) -> tuple[str, str]:
    """The title and body of the ontology's page."""
    model = OntologyModel.of(iri, triples)
    classes, properties = model.classes, model.properties
    title = model.about(DCTERMS + "title") or model.labels.get(iri) or "Ontology"
    comment = model.about(RDFS + "comment")
    usage = {text(r, "term"): r for r in examples}
    diagram = _diagram(classes, properties)
    children = model.children()
    class_docs = [
        _term_html(classes[t], model, usage, is_class=True, children=children)
        for t in sorted(classes, key=str.casefold)
    ]
    property_docs = [
        _term_html(properties[t], model, usage, is_class=False)
        for t in sorted(properties, key=str.casefold)
    ]
    return title, (
        _header(model, title)
        + _contents(len(classes), len(properties), design=bool(comment))
        + '<section aria-labelledby="diagram"><h2 id="diagram">Diagram of the core classes</h2>'
        + (diagram or "<p>The core classes are not in this ontology.</p>")
        + "<p>Solid arrows: properties (domain → range). Dashed arrows with a hollow head: "
        "subclass of. Each box links to the class below.</p></section>"
        + _terms_section("classes", "Classes", classes, class_docs)
        + _terms_section("properties", "Properties", properties, property_docs)
        + _design_notes(comment)
    )


def ontology_page(
    release: ReleaseMeta,
    iri: str,
    triples: Sequence[ox.Triple],
    examples: Sequence[Row] = (),
    alternates: Sequence[Alternate] = (),
) -> str:
    """The whole page of the ontology, in the site's layout (``alternates``: its other formats)."""
    title, body = render_ontology(iri, triples, examples)
    return page(title, body, release, current="/ontology", alternates=alternates)


def _header(model: OntologyModel, title: str) -> str:
    version = model.about(OWL + "versionInfo")
    description = model.about(DCTERMS + "description")
    return (
        f"<h1>{esc(title)}</h1>"
        f'<p class="iri">Ontology IRI <code>{esc(model.iri)}</code>'
        + (f", version {esc(version)}" if version else "")
        + f". Namespace <code>{esc(V)}</code> (prefix <code>vawmw:</code>).</p>"
        + (f'<p class="definition">{esc(description)}</p>' if description else "")
        + '<p class="downloads">The ontology as '
        '<a href="/ontology?format=ttl" download="vawmw-ontology.ttl">Turtle</a> · '
        '<a href="/ontology?format=jsonld" download="vawmw-ontology.jsonld">JSON-LD</a> · '
        '<a href="/ontology?format=rdf" download="vawmw-ontology.rdf">RDF/XML</a>.</p>'
    )


def _contents(classes: int, properties: int, *, design: bool) -> str:
    return (
        '<nav aria-label="Ontology contents"><ul class="toc">'
        '<li><a href="#diagram">Diagram of the core classes</a></li>'
        f'<li><a href="#classes">Classes ({classes})</a></li>'
        f'<li><a href="#properties">Properties ({properties})</a></li>'
        + ('<li><a href="#design">Design notes</a></li>' if design else "")
        + "</ul></nav>"
    )


def _terms_section(
    section_id: str, heading: str, terms: dict[str, TermDoc], docs: Sequence[str]
) -> str:
    index = " · ".join(
        f'<a href="#{attr(terms[t].name)}">{esc(terms[t].name)}</a>'
        for t in sorted(terms, key=str.casefold)
    )
    return (
        f'<section aria-labelledby="{section_id}"><h2 id="{section_id}">{heading}</h2>'
        f'<p class="term-index">{index}</p>' + "".join(docs) + "</section>"
    )


def _design_notes(comment: str) -> str:
    if not comment:
        return ""
    paragraphs = "".join(f"<p>{esc(p)}</p>" for p in comment.split("\n") if p.strip())
    return (
        f'<section aria-labelledby="design"><h2 id="design">Design notes</h2>{paragraphs}</section>'
    )


_RELATIONS: Final = (
    (RDFS + "subClassOf", "Subclass of"),
    (OWL + "equivalentClass", "Equivalent to"),
    (OWL + "disjointWith", "Disjoint with"),
    (RDFS + "subPropertyOf", "Subproperty of"),
    (OWL + "inverseOf", "Inverse of"),
    (RDFS + "domain", "Domain"),
    (RDFS + "range", "Range"),
)
_NOTES: Final = (
    (SKOS + "scopeNote", "Note"),
    (RDFS + "comment", "Comment"),
    (SKOS + "example", "Example"),
)


def _term_html(
    doc: TermDoc,
    model: OntologyModel,
    usage: dict[str, Row],
    *,
    is_class: bool,
    children: dict[str, list[str]] | None = None,
) -> str:
    label = model.labels.get(doc.iri, doc.name)
    kinds = sorted(short_iri(t) for t in doc.types)
    rows = _term_facts(doc, model, (children or {}).get(doc.iri, []) if is_class else [])
    rows.extend(_term_usage(doc, usage.get(doc.iri), is_class=is_class))
    definition = doc.literal(SKOS + "definition")
    details = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in rows)
    return (
        f'<article class="term" id="{attr(doc.name)}" aria-labelledby="{attr(doc.name)}-h">'
        f'<h3 id="{attr(doc.name)}-h">{esc(label)} <code>vawmw:{esc(doc.name)}</code></h3>'
        f'<p class="term-kind">{esc(", ".join(kinds))} · <code>{esc(doc.iri)}</code></p>'
        + (f'<p class="definition">{esc(definition)}</p>' if definition else "")
        + (f'<dl class="term-facts">{details}</dl>' if details else "")
        + "</article>"
    )


def _term_facts(doc: TermDoc, model: OntologyModel, children: list[str]) -> list[tuple[str, str]]:
    """What the ontology says about a term: (name, HTML) pairs."""
    labels = model.labels
    rows: list[tuple[str, str]] = []
    for predicate, name in _RELATIONS:
        refs = [_term_ref(i, labels) for i in doc.iris(predicate)]
        if refs:
            rows.append((name, ", ".join(refs)))
    if children:
        refs = [_term_ref(c, labels) for c in sorted(children, key=str.casefold)]
        rows.append(("Subclasses", ", ".join(refs)))
    for chain_head in doc.values.get(OWL + "propertyChainAxiom", []):
        chain = _rdf_list(chain_head, model.by_subject)
        if chain:
            rows.append(("Chain", " ∘ ".join(_term_ref(i, labels) for i in chain)))
    for predicate, name in _NOTES:
        rows.extend((name, esc(value)) for value in doc.literals(predicate))
    return rows


def _term_usage(doc: TermDoc, use: Row | None, *, is_class: bool) -> list[tuple[str, str]]:
    """How the data uses a term (annotation properties are not expected to be used)."""
    if use is not None:
        shown = iri_link(text(use, "example"), text(use, "exampleLabel") or None)
        what = "instances" if is_class else "resources use it"
        return [("In the data", f"{number(use, 'uses')} {what}; for example {shown}")]
    if is_class or not doc.types & {OWL + "AnnotationProperty"}:
        return [("In the data", "not used in this release")]
    return []
