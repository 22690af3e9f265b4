"""The graph of interpretations: every judgement the report does not state is kept apart.

Issue 13: "mark it as an interpretation in a way a query can find; a free comment is not
enough", on single triples, and the SDG-target judgements among them. The release holds them in
the named graph ``…/graph/interpretations``; the data graph holds what the report states.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from vawmw.rdf import namespaces as ns
from vawmw.release.manifest import ReleaseInfo, open_read_only

pytestmark = pytest.mark.slow

# UNSD's IRIs of SDG goals and targets (geoArea codes, under sdg/codes/, are identity links).
SDG_TARGET = re.compile(r"http://metadata\.un\.org/sdg/[0-9]+(\.[0-9a-z]+)?")
INTERPRETATIONS = ox.NamedNode(ns.GRAPH_INTERPRETATIONS)
DATA = ox.NamedNode(ns.GRAPH_DATA)
INFERRED = ox.NamedNode(ns.GRAPH_INFERRED)
SERVES = ox.NamedNode(ns.VAWMW + "servesSdgTarget")
RS = ns.ID + "risk-statement/A-78-292/"
RISK = ns.ID + "risk/"
DESCRIBES = ox.NamedNode(ns.VAWMW + "describesRisk")


@pytest.fixture(scope="module")
def store(real_release: Path) -> Iterator[ox.Store]:
    yield open_read_only(ReleaseInfo.load(real_release))


def _sdg_links(store: ox.Store, graph: ox.NamedNode) -> set[ox.Triple]:
    """Every triple of ``graph`` whose object is an SDG goal or target."""
    return {
        quad.triple
        for quad in store.quads_for_pattern(None, None, None, graph)
        if isinstance(quad.object, ox.NamedNode) and SDG_TARGET.fullmatch(quad.object.value)
    }


def test_the_release_lists_the_graph_of_interpretations(real_release: Path) -> None:
    release = ReleaseInfo.load(real_release)
    assert release.graphs.get(ns.GRAPH_INTERPRETATIONS, 0) > 0
    void = (real_release / "void.ttl").read_text(encoding="utf-8")
    assert ns.GRAPH_INTERPRETATIONS in void


def test_every_sdg_judgement_is_a_marked_interpretation(store: ox.Store) -> None:
    """The report names no SDG target (para 58 (k) speaks of the Goals in general): every link
    to one is a judgement, so every one is in the interpretations graph and none in the data."""
    marked = _sdg_links(store, INTERPRETATIONS)
    assert _sdg_links(store, DATA) == set()
    assert {t for t in marked if t.predicate == SERVES}, "no recommendation → SDG target link"
    recommendations = {
        quad.subject
        for quad in store.quads_for_pattern(
            None, ox.NamedNode(ns.RDF_TYPE), ox.NamedNode(ns.VAWMW + "Recommendation"), DATA
        )
    }
    # Paragraph 58 makes recommendations (a) to (t) and paragraph 59 one more: 21 in all.
    assert len(recommendations) == 21
    served = {t.subject for t in marked if t.predicate == SERVES}
    assert served == recommendations


def test_readings_of_the_text_are_marked(store: ox.Store) -> None:
    """Para 11: women were held in detention camps; abduction is not stated (issue 13)."""
    kidnapping = ox.Triple(ox.NamedNode(RS + "11-5"), DESCRIBES, ox.NamedNode(RISK + "kidnapping"))
    in_graphs = {q.graph_name for q in store.quads_for_pattern(*kidnapping, None)}
    assert in_graphs == {INTERPRETATIONS}


def test_no_inference_rests_on_an_interpretation(store: ox.Store) -> None:
    """The closure is computed from the ontology and the data only. servesSdgTarget has the
    range skos:Concept, so had the judgements entered it, every SDG target they name would be
    typed there; none is, and no inferred triple names an SDG goal or target at all."""
    inferred_sdg = [
        q
        for q in store.quads_for_pattern(None, None, None, INFERRED)
        if any(
            isinstance(term, ox.NamedNode) and SDG_TARGET.fullmatch(term.value)
            for term in (q.subject, q.object)
        )
    ]
    assert _sdg_links(store, INTERPRETATIONS), "the judgements are there to be left out"
    assert inferred_sdg == []
