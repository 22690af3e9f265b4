"""The ontology under the standard tools: the OWL API's OWL 2 DL and RL profile checks, and HermiT.

Run on Debian's Java with the OWL API 3.4.3 and HermiT that owlready2 bundles
(tests/ontology_tools/). Skipped, saying why, when java or owlready2 is absent. The consistency
tests merge the release with the official PROV-O, ORG and QB at the RDF level, as one store holds
them: loaded as separate documents, the OWL API would read the vocabularies' properties in the
data as annotations and hide any clash. They read ../shared/vocab and skip when it is absent.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Final

import pytest
from rdflib import OWL, RDF, Graph, Namespace, URIRef

from tests.ontology_tools import owlapi

pytestmark = pytest.mark.slow  # starts java

ROOT: Final = Path(__file__).resolve().parents[2]
ONTOLOGY_FILES: Final = sorted((ROOT / "ontology").glob("*.ttl"))
SHARED_VOCAB: Final = ROOT.parent / "shared" / "vocab"
VOCABULARIES: Final = ("prov-o.ttl", "org.ttl", "qb-cube.ttl")
GRAPH: Final = "https://w3id.org/vawmw/graph/"
# What the store's default graph holds for a query: everything but the shapes (SHACL, not OWL)
# and the vendored UN extract (UNSD's data).
RELEASE_GRAPHS: Final = ("ontology", "data", "interpretations", "inferred")
VAWMW: Final = Namespace("https://w3id.org/vawmw/ontology#")
PROV: Final = Namespace("http://www.w3.org/ns/prov#")
PARA_1: Final = URIRef("https://w3id.org/vawmw/id/report/A-78-292/para/1")


@pytest.fixture(scope="module")
def jar() -> Path:
    return owlapi.require_tools()


def _summary(report: owlapi.ProfileReport, profile: str) -> str:
    kinds = Counter(v.kind for v in report.of(profile))
    first = "\n".join(v.text[:300] for v in report.of(profile)[:10])
    return f"{dict(kinds)}\n{first}"


@pytest.mark.parametrize(
    "files",
    [[path] for path in ONTOLOGY_FILES] + [ONTOLOGY_FILES],
    ids=[path.name for path in ONTOLOGY_FILES] + ["all"],
)
def test_ontology_files_are_owl2_dl_and_rl(jar: Path, files: list[Path], tmp_path: Path) -> None:
    """0 violations of either profile, for each file alone and for the ontology graph."""
    graph = Graph()
    for path in files:
        graph.parse(path)
    document = owlapi.write_rdfxml(graph, tmp_path / "ontology.owl")
    report = owlapi.profiles(jar, document)
    assert set(report.counts) == {"DL", "RL"}  # the runner reported both profiles
    assert report.counts["DL"] == 0, _summary(report, "DL")
    assert report.counts["RL"] == 0, _summary(report, "RL")


def test_the_checker_finds_what_the_ontology_used_to_break(jar: Path, tmp_path: Path) -> None:
    """The runner is not blind: an undeclared class and an xsd:gYear range are reported."""
    graph = Graph().parse(data=_BROKEN, format="turtle")
    report = owlapi.profiles(jar, owlapi.write_rdfxml(graph, tmp_path / "broken.owl"))
    assert {v.kind for v in report.of("DL")} == {"UseOfUndeclaredClass"}
    assert {v.kind for v in report.of("RL")} == {"UseOfUndeclaredClass", "UseOfIllegalDataRange"}


_BROKEN: Final = """
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<urn:x> a owl:Ontology .
<urn:x#A> a owl:Class ; rdfs:subClassOf <http://www.w3.org/ns/prov#Entity> .
<urn:x#year> a owl:DatatypeProperty ; rdfs:range xsd:gYear .
"""


def test_a_programme_that_is_also_a_claim_is_inconsistent(jar: Path, tmp_path: Path) -> None:
    """The ontology alone keeps a programme (a PROV activity) apart from PROV entities."""
    graph = Graph()
    for path in ONTOLOGY_FILES:
        graph.parse(path)
    assert owlapi.reason(jar, owlapi.write_rdfxml(graph, tmp_path / "ok.owl")).consistent
    planted = URIRef("https://w3id.org/vawmw/id/programme/planted")
    graph.add((planted, RDF.type, VAWMW.Programme))
    graph.add((planted, RDF.type, VAWMW.Claim))
    assert not owlapi.reason(jar, owlapi.write_rdfxml(graph, tmp_path / "clash.owl")).consistent


def _vocabularies() -> list[Graph]:
    missing = [name for name in VOCABULARIES if not (SHARED_VOCAB / name).is_file()]
    if missing:
        pytest.skip(f"the official vocabularies are not in {SHARED_VOCAB}: {missing}")
    return [Graph().parse(SHARED_VOCAB / name) for name in VOCABULARIES]


def _release_graphs(release: Path) -> list[Graph]:
    graphs = owlapi.graphs_of(release / "vawmw.nq", [GRAPH + name for name in RELEASE_GRAPHS])
    for name, graph in zip(RELEASE_GRAPHS, graphs, strict=True):
        assert len(graph) > 0 or name == "interpretations", name
    return graphs


@pytest.fixture(scope="module")
def release_with_vocabularies(real_release: Path) -> Graph:
    return owlapi.merged(_release_graphs(real_release) + _vocabularies())


def test_release_is_consistent_with_prov_org_and_qb(
    jar: Path, release_with_vocabularies: Graph, tmp_path: Path
) -> None:
    document = owlapi.write_rdfxml(release_with_vocabularies, tmp_path / "release.owl")
    verdict = owlapi.reason(jar, document)
    assert verdict.consistent, "HermiT: inconsistent (run tests/ontology_tools/OwlCheck.java)"
    assert verdict.unsatisfiable == ()


def test_a_planted_prov_clash_in_the_release_is_caught(
    jar: Path, release_with_vocabularies: Graph, tmp_path: Path
) -> None:
    """An activity derived from a paragraph: PROV-O's domain makes it an entity, and PROV-O
    makes activities and entities disjoint. Merged as one document, HermiT must see it."""
    graph = Graph()
    for triple in release_with_vocabularies:
        graph.add(triple)
    activities = sorted(s for s in graph.subjects(RDF.type, PROV.Activity) if isinstance(s, URIRef))
    assert activities, "the release holds no prov:Activity to plant the clash on"
    graph.add((activities[0], PROV.wasDerivedFrom, PARA_1))
    assert set(graph.subjects(RDF.type, OWL.Ontology)) == {owlapi.MERGED_IRI}  # one header
    verdict = owlapi.reason(jar, owlapi.write_rdfxml(graph, tmp_path / "clash.owl"))
    assert not verdict.consistent
