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
from vawmw.web.pages.layout import attr, esc, iri_link, short_iri
from vawmw.web.pages.resource import (
    CLASS_TYPES,
    KNOWN_NAMES,
    OWL,
    PROPERTY_TYPES,
    RDF,
    RDF_TYPE,
    RDFS,
    SKOS,
    label_map,
)

V: Final = namespaces.VAWMW
DCTERMS: Final = "http://purl.org/dc/terms/"
PROV: Final = "http://www.w3.org/ns/prov#"

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


def _diagram(classes: dict[str, TermDoc], properties: dict[str, TermDoc]) -> str:
    present = {name: pos for name, pos in DIAGRAM_NODES.items() if V + name in classes}
    if not present:
        return ""
    width, height = 1010, 610
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" role="img" '
        f'aria-labelledby="diagram-title diagram-desc" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif" font-size="12">'
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
    ]

    def box(name: str) -> tuple[float, float, float, float]:
        x, y = present[name]
        w = text_width(name) + 24
        return x - w / 2, y - NODE_HEIGHT / 2, w, NODE_HEIGHT

    def border(name: str, toward: tuple[float, float]) -> tuple[float, float]:
        bx, by, bw, bh = box(name)
        cx, cy = bx + bw / 2, by + bh / 2
        dx, dy = toward[0] - cx, toward[1] - cy
        if dx == 0 and dy == 0:
            return cx, cy
        scale = min(
            (bw / 2) / abs(dx) if dx else float("inf"), (bh / 2) / abs(dy) if dy else float("inf")
        )
        return cx + dx * scale, cy + dy * scale

    edges: list[str] = []
    for source, predicate, target in DIAGRAM_EDGES:
        known = predicate in properties or predicate.startswith(PROV)
        if source not in present or target not in present or not known:
            continue
        x1, y1 = border(source, present[target])
        x2, y2 = border(target, present[source])
        label = short_iri(predicate).replace("vawmw:", "")
        mx, my = x1 + (x2 - x1) * 0.55, y1 + (y2 - y1) * 0.55 - 4
        edges.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{MUTED}" '
            'marker-end="url(#arrow)"/>'
            f'<text x="{mx:.1f}" y="{my:.1f}" text-anchor="middle" fill="{INK}" '
            'stroke="#ffffff" stroke-width="4" paint-order="stroke">'
            f"{esc(label)}</text>"
        )
    for name in present:
        for parent in classes[V + name].iris(RDFS + "subClassOf"):
            parent_name = parent[len(V) :] if parent.startswith(V) else ""
            if parent_name not in present:
                continue
            x1, y1 = border(name, present[parent_name])
            x2, y2 = border(parent_name, present[name])
            edges.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                f'stroke="{MUTED}" stroke-dasharray="5 3" marker-end="url(#hollow)"/>'
            )
    out.append('<g class="edges">' + "".join(edges) + '</g><g class="nodes">')
    for name in present:
        bx, by, bw, bh = box(name)
        fill = "#fde0c5" if name == "Claim" else "#e5eef8"
        out.append(
            f'<a href="#{attr(name)}"><rect x="{bx:.1f}" y="{by:.1f}" width="{bw:.1f}" '
            f'height="{bh}" rx="6" fill="{fill}" stroke="#08519c"/>'
            f'<text x="{bx + bw / 2:.1f}" y="{by + bh / 2 + 4:.1f}" text-anchor="middle" '
            f'fill="{INK}">{esc(name)}</text></a>'
        )
    out.append("</g></svg>")
    return "".join(out)


def render_ontology(
    iri: str, triples: Sequence[ox.Triple], examples: Sequence[Row] = ()
) -> tuple[str, str]:
    """The title and body of the ontology's page."""
    labels = label_map(triples)
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
    classes = {k: d for k, d in terms.items() if d.types & CLASS_TYPES}
    properties = {k: d for k, d in terms.items() if d.types & PROPERTY_TYPES}
    usage = {text(r, "term"): r for r in examples}
    children: dict[str, list[str]] = defaultdict(list)
    for term, doc in classes.items():
        for parent in doc.iris(RDFS + "subClassOf"):
            children[parent].append(term)
    ontology = by_subject.get(iri, {})

    def first_literal(predicate: str) -> str:
        for value in ontology.get(predicate, []):
            if isinstance(value, ox.Literal):
                return value.value
        return ""

    title = first_literal(DCTERMS + "title") or labels.get(iri) or "Ontology"
    description = first_literal(DCTERMS + "description")
    version = first_literal(OWL + "versionInfo")
    comment = first_literal(RDFS + "comment")
    parts = [f"<h1>{esc(title)}</h1>"]
    parts.append(
        f'<p class="iri">Ontology IRI <code>{esc(iri)}</code>'
        + (f", version {esc(version)}" if version else "")
        + f". Namespace <code>{esc(V)}</code> (prefix <code>vawmw:</code>).</p>"
    )
    if description:
        parts.append(f'<p class="definition">{esc(description)}</p>')
    parts.append(
        '<p class="downloads">The ontology as '
        '<a href="/ontology?format=ttl" download="vawmw-ontology.ttl">Turtle</a> · '
        '<a href="/ontology?format=jsonld" download="vawmw-ontology.jsonld">JSON-LD</a> · '
        '<a href="/ontology?format=rdf" download="vawmw-ontology.rdf">RDF/XML</a>.</p>'
    )
    parts.append(
        '<nav aria-label="Ontology contents"><ul class="toc">'
        '<li><a href="#diagram">Diagram of the core classes</a></li>'
        f'<li><a href="#classes">Classes ({len(classes)})</a></li>'
        f'<li><a href="#properties">Properties ({len(properties)})</a></li>'
        + ('<li><a href="#design">Design notes</a></li>' if comment else "")
        + "</ul></nav>"
    )
    diagram = _diagram(classes, properties)
    parts.append(
        '<section aria-labelledby="diagram"><h2 id="diagram">Diagram of the core classes</h2>'
        + (diagram or "<p>The core classes are not in this ontology.</p>")
        + "<p>Solid arrows: properties (domain → range). Dashed arrows with a hollow head: "
        "subclass of. Each box links to the class below.</p></section>"
    )
    parts.append('<section aria-labelledby="classes"><h2 id="classes">Classes</h2>')
    index = " · ".join(
        f'<a href="#{attr(classes[c].name)}">{esc(classes[c].name)}</a>'
        for c in sorted(classes, key=str.casefold)
    )
    parts.append(f'<p class="term-index">{index}</p>')
    for term in sorted(classes, key=str.casefold):
        parts.append(
            _term_html(classes[term], labels, usage, by_subject, is_class=True, children=children)
        )
    parts.append("</section>")
    parts.append('<section aria-labelledby="properties"><h2 id="properties">Properties</h2>')
    index = " · ".join(
        f'<a href="#{attr(properties[p].name)}">{esc(properties[p].name)}</a>'
        for p in sorted(properties, key=str.casefold)
    )
    parts.append(f'<p class="term-index">{index}</p>')
    for term in sorted(properties, key=str.casefold):
        parts.append(_term_html(properties[term], labels, usage, by_subject, is_class=False))
    parts.append("</section>")
    if comment:
        paragraphs = "".join(f"<p>{esc(p)}</p>" for p in comment.split("\n") if p.strip())
        parts.append(
            f'<section aria-labelledby="design"><h2 id="design">Design notes</h2>{paragraphs}'
            "</section>"
        )
    return title, "".join(parts)


def _term_html(
    doc: TermDoc,
    labels: dict[str, str],
    usage: dict[str, Row],
    by_subject: dict[str, dict[str, list[object]]],
    *,
    is_class: bool,
    children: dict[str, list[str]] | None = None,
) -> str:
    children = children or {}
    label = labels.get(doc.iri, doc.name)
    kinds = sorted(short_iri(t) for t in doc.types)
    rows: list[tuple[str, str]] = []
    for predicate, name in (
        (RDFS + "subClassOf", "Subclass of"),
        (OWL + "equivalentClass", "Equivalent to"),
        (OWL + "disjointWith", "Disjoint with"),
        (RDFS + "subPropertyOf", "Subproperty of"),
        (OWL + "inverseOf", "Inverse of"),
        (RDFS + "domain", "Domain"),
        (RDFS + "range", "Range"),
    ):
        refs = [_term_ref(i, labels) for i in doc.iris(predicate)]
        if refs:
            rows.append((name, ", ".join(refs)))
    if is_class and children.get(doc.iri):
        refs = [_term_ref(c, labels) for c in sorted(children[doc.iri], key=str.casefold)]
        rows.append(("Subclasses", ", ".join(refs)))
    for chain_head in doc.values.get(OWL + "propertyChainAxiom", []):
        chain = _rdf_list(chain_head, by_subject)
        if chain:
            rows.append(("Chain", " ∘ ".join(_term_ref(i, labels) for i in chain)))
    for predicate, name in ((SKOS + "scopeNote", "Note"), (RDFS + "comment", "Comment")):
        for value in doc.literals(predicate):
            rows.append((name, esc(value)))
    for value in doc.literals(SKOS + "example"):
        rows.append(("Example", esc(value)))
    use = usage.get(doc.iri)
    if use is not None:
        example = text(use, "example")
        shown = iri_link(example, text(use, "exampleLabel") or None)
        what = "instances" if is_class else "resources use it"
        rows.append(("In the data", f"{number(use, 'uses')} {what}; for example {shown}"))
    elif is_class or not doc.types & {OWL + "AnnotationProperty"}:
        rows.append(("In the data", "not used in this release"))
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
