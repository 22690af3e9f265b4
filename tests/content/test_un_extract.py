"""The vendored UNSD extract (``un/``): copied unchanged, complete for the graph's links, loaded
into its own named graph of the release, and kept out of the project's reasoning.

Expected values come from un/README.md (how the extract is cut, what the build does with it) and
from the UNSD files themselves (``../shared/un-lod``, when present).
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Final

import pyoxigraph as ox
import pytest
from vawmw.rdf import namespaces as ns

ROOT: Final = Path(__file__).resolve().parents[2]
EXTRACT: Final = ROOT / "un" / "unsd-extract.ttl"
SHARED_UN_LOD: Final = ROOT.parent / "shared" / "un-lod"
UNSD_FILES: Final = ("sdg-codes.ttl", "sdg-kos-goals-targets-indicators.ttl")
SKOS_PREF_LABEL: Final = ox.NamedNode(ns.SKOS_PREF_LABEL)
SKOS_EXACT_MATCH: Final = ox.NamedNode(ns.SKOS + "exactMatch")
SCHEMA_SAME_AS: Final = ox.NamedNode("https://schema.org/sameAs")
HAS_UN_GEO_AREA: Final = ox.NamedNode(ns.VAWMW + "hasUnGeoArea")
MEMBER_STATE: Final = ox.NamedNode(ns.VAWMW + "MemberState")
RDF_TYPE: Final = ox.NamedNode(ns.RDF_TYPE)
GEONAMES: Final = "https://www.geonames.org/"
SERVES_SDG_TARGET: Final = ox.NamedNode(ns.VAWMW + "servesSdgTarget")


def _extract() -> set[ox.Triple]:
    return {quad.triple for quad in ox.parse(path=str(EXTRACT), format=ox.RdfFormat.TURTLE)}


def _sources() -> list[ox.Triple]:
    triples: list[ox.Triple] = []
    for path in sorted((ROOT / "graph").glob("*.ttl")):
        triples.extend(quad.triple for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    return triples


def _english_labels(triples: set[ox.Triple]) -> set[str]:
    return {
        t.subject.value
        for t in triples
        if t.predicate == SKOS_PREF_LABEL
        and isinstance(t.object, ox.Literal)
        and t.object.language == "en"
    }


def test_every_triple_is_unsd_s_own() -> None:
    if not all((SHARED_UN_LOD / name).is_file() for name in UNSD_FILES):
        pytest.skip(f"the UNSD files are not at {SHARED_UN_LOD}")
    unsd: set[ox.Triple] = set()
    for name in UNSD_FILES:
        unsd.update(
            quad.triple
            for quad in ox.parse(path=str(SHARED_UN_LOD / name), format=ox.RdfFormat.TURTLE)
        )
    assert sorted(str(t) for t in _extract() - unsd) == []


def test_every_area_and_target_the_graph_names_has_its_english_label() -> None:
    sources = _sources()
    areas = {
        t.object.value
        for t in sources
        if isinstance(t.object, ox.NamedNode) and t.object.value.startswith(ns.GEOAREA)
    }
    targets = {t.object.value for t in sources if t.predicate == SERVES_SDG_TARGET}
    assert len(targets) > 0 and len(areas) > 0
    assert (areas | targets) - _english_labels(_extract()) == set()


def test_the_region_hierarchy_reaches_world() -> None:
    # M49: the Philippines (608) is in South-eastern Asia (035), in Asia (142), in World (001).
    broader = {
        (t.subject.value, t.object.value)
        for t in _extract()
        if t.predicate.value == ns.SKOS + "broader"
    }
    chain = [ns.GEOAREA + code for code in ("608", "035", "142", "001")]
    assert set(pairwise(chain)) <= broader


def test_the_release_holds_the_extract_in_its_own_graph(real_release: Path) -> None:
    store = ox.Store.read_only(str(real_release / "store"))
    un_graph = {
        q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(ns.GRAPH_UN))
    }
    assert un_graph == _extract()
    manifest = (real_release / "release.json").read_text(encoding="utf-8")
    assert f'"{ns.GRAPH_UN}": {len(un_graph)}' in manifest


def test_the_extract_does_not_enter_the_closure(real_release: Path) -> None:
    # The extract types each area as rdfs:Class; reasoned over, the closure would hold
    # statements about those areas (rdfs:subClassOf themselves, at least).
    store = ox.Store.read_only(str(real_release / "store"))
    un_subjects = {
        q.subject for q in store.quads_for_pattern(None, None, None, ox.NamedNode(ns.GRAPH_UN))
    }
    inferred = store.quads_for_pattern(None, None, None, ox.NamedNode(ns.GRAPH_INFERRED))
    assert sorted({str(q.subject) for q in inferred if q.subject in un_subjects}) == []


def test_void_names_the_source_and_licence_and_counts_only_our_links(real_release: Path) -> None:
    void = ox.Store()
    void.load(path=str(real_release / "void.ttl"), format=ox.RdfFormat.TURTLE)
    graph = ox.NamedNode(ns.GRAPH_UN)
    source = [
        q.object for q in void.quads_for_pattern(graph, ox.NamedNode(ns.DCTERMS + "source"), None)
    ]
    assert source == [ox.NamedNode(ns.SDG)]
    licences = void.quads_for_pattern(graph, ox.NamedNode(ns.DCTERMS + "license"), None)
    assert any("Amit Joshi" in q.object.value for q in licences)
    # The Wikidata linkset counts the graph's own links, not UNSD's links of its areas.
    ours = sum(
        1 for t in _sources() if t.predicate == SCHEMA_SAME_AS and t.object.value.startswith(ns.WD)
    )
    linkset = ox.NamedNode(ns.DATASET_IRI + "/linkset/wikidata")
    counts = [
        q.object.value for q in void.quads_for_pattern(linkset, ox.NamedNode(ns.VOID_TRIPLES), None)
    ]
    assert counts == [str(ours)]


def test_every_state_links_to_the_geonames_and_wikidata_its_geoarea_gives() -> None:
    # Issue 17: GeoNames (and Wikidata) links come through the same extract as the UN graph:
    # for each State, schema:sameAs holds exactly the Wikidata and GeoNames IRIs that UNSD's
    # geoArea of that State lists as skos:exactMatch.
    sources = _sources()
    states = {t.subject for t in sources if t.predicate == RDF_TYPE and t.object == MEMBER_STATE}
    geo_of = {t.subject: t.object for t in sources if t.predicate == HAS_UN_GEO_AREA}
    same_as: dict[ox.NamedNode | ox.BlankNode, set[str]] = {}
    for t in sources:
        if t.predicate == SCHEMA_SAME_AS:
            same_as.setdefault(t.subject, set()).add(t.object.value)
    unsd: dict[str, set[str]] = {}
    for t in _extract():
        if t.predicate == SKOS_EXACT_MATCH:
            unsd.setdefault(t.subject.value, set()).add(t.object.value)
    assert len(states) == 55
    wrong = {
        state.value: (
            sorted(same_as.get(state, set())),
            sorted(unsd.get(geo_of[state].value, set())),
        )
        for state in states
        if state not in geo_of or same_as.get(state, set()) != unsd.get(geo_of[state].value, set())
    }
    assert wrong == {}
    geonames = {iri for state in states for iri in same_as[state] if iri.startswith(GEONAMES)}
    assert len(geonames) == 55
