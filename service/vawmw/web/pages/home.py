"""The home page: what this is, what the release holds, the reporting States, how to cite.

:data:`COUNTS_QUERY` and :data:`STATES_QUERY` are run by the route; :func:`render_home` prints
their rows into ``templates/home.html``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, Protocol

from vawmw.rdf import namespaces
from vawmw.rdf.results import Row, text
from vawmw.web.pages.layout import ReleaseMeta, esc, iri_link, page, table, template

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
_VAWMW_PREFIX: Final = namespaces.sparql_prologue(["vawmw"])
_RDFS_PREFIX: Final = namespaces.sparql_prologue(["rdfs"])
COUNTS_QUERY: Final = (
    _VAWMW_PREFIX
    + "SELECT ?class (COUNT(DISTINCT ?resource) AS ?resources)\nWHERE {\n  VALUES ?class { "
    + " ".join(f"vawmw:{name}" for name, _ in COUNTED_CLASSES)
    + " }\n  ?resource a ?class .\n}\nGROUP BY ?class\n"
)
STATES_QUERY: Final = (
    _VAWMW_PREFIX
    + _RDFS_PREFIX
    + """SELECT ?state ?label WHERE {
  ?state a vawmw:ReportingState .
  OPTIONAL { ?state rdfs:label ?label }
}
ORDER BY ?label
"""
)


class HomeRelease(ReleaseMeta, Protocol):
    """What the home page says about the release (a ``ReleaseInfo``)."""

    @property
    def graphs(self) -> Mapping[str, int]: ...  # named graph → triples


def render_home(
    release: HomeRelease,
    counts: Sequence[Row],
    states: Sequence[Row],
    *,
    endpoint: str,
    base_iri: str,
) -> str:
    """The home page. ``endpoint`` is the SPARQL endpoint as shown (the public URL, or the
    path ``/sparql``: never the request's Host, the page is cached for every visitor)."""
    found = {text(r, "class").rsplit("#", 1)[-1]: text(r, "resources") for r in counts}
    count_items = "".join(
        f"<li><strong>{esc(found.get(name, '0'))}</strong> {esc(label)}</li>"
        for name, label in COUNTED_CLASSES
    )
    state_links = "".join(
        f"<li>{iri_link(text(r, 'state'), text(r, 'label') or None)}</li>" for r in states
    )
    body = template("home.html").substitute(
        counts=count_items,
        graphs=_graphs_table(release.graphs),
        states=state_links,
        endpoint=esc(endpoint),
        citation=_citation(release, base_iri),
        bibtex=esc(_bibtex(release, base_iri)),
    )
    return page("Home", body, release, current="/")


def _graphs_table(graphs: Mapping[str, int]) -> str:
    rows = [[f"<code>{esc(iri)}</code>", f"{triples:,}"] for iri, triples in graphs.items()]
    total = sum(graphs.values())
    return table(f"Triples per named graph ({total:,} in all)", ["Named graph", "Triples"], rows)


def _citation(release: ReleaseMeta, base_iri: str) -> str:
    return (
        f"vawmw-kg developers ({esc(release.issued[:4])}). <cite>Violence against women migrant "
        "workers: a knowledge graph of UN report A/78/292</cite>, release "
        f"{esc(release.version)} (id {esc(release.release_id)}), {esc(release.issued)}. "
        f"{esc(base_iri)} — data CC BY 4.0, based on United Nations, Secretary-General, "
        "<cite>Violence against women migrant workers</cite>, A/78/292 (2023)."
    )


def _bibtex(release: ReleaseMeta, base_iri: str) -> str:
    return (
        f"@misc{{vawmw-kg-{release.version},\n"
        f"  author    = {{{{vawmw-kg developers}}}},\n"
        "  title     = {Violence against women migrant workers: a knowledge graph of UN report "
        "A/78/292},\n"
        f"  year      = {{{release.issued[:4]}}},\n"
        f"  version   = {{{release.version}}},\n"
        f"  note      = {{Release {release.release_id}, issued {release.issued}. Data CC BY 4.0. "
        "Based on United Nations document A/78/292 (2023).}},\n"
        f"  url       = {{{base_iri}}}\n}}"
    )
