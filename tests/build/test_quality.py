"""The ROBOT/OOPS!-style quality checks of service/vawmw/build/qc/.

Each ``tests/fixtures/qc/<check>.ttl`` starts with ``# expect: <entity IRI>`` lines naming the
entities the check must report. The fixture is loaded into a named graph, so the checks are also
seen to read the union of the store's graphs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import pytest
from vawmw.build import quality
from vawmw.build.quality import QualityFinding, QualityProfileError
from vawmw.rdf.namespaces import GRAPH_DATA, GRAPH_ONTOLOGY

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "qc"
ONTOLOGY = ROOT / "ontology" / "vawmw.ttl"
QC_DIR = ROOT / "service" / "vawmw" / "build" / "qc"
CLEAN = FIXTURES / "clean.ttl"
SHAPES_VALID = ROOT / "tests" / "fixtures" / "shapes" / "valid.ttl"
EXPECT = re.compile(r"^# expect: <([^>]+)>\s*$")
CHECKS = sorted(quality.load_profile())
# The IRI-key consistency checks that were SHACL-SPARQL constraints in shapes/violations.ttl.
FROM_SHACL = (
    "state_iso_alpha3_matches_iri",
    "national_body_key_matches_state",
    "risk_broader_same_kind",
    "claim_derived_from_key_paragraph",
    "party_status_key_matches_state",
    "party_status_key_matches_instrument",
    "party_count_key_matches_dimensions",
    "state_measure_key_matches_state",
    "state_measure_key_matches_measure_type",
    "recommendation_letter_matches_iri",
    "paragraph_number_matches_iri",
    "footnote_number_matches_iri",
    "cited_work_title_or_document_symbol",
)


def store_of(*paths: Path, graph: str = GRAPH_ONTOLOGY) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    for path in paths:
        store.load(
            path=str(path), format=pyoxigraph.RdfFormat.TURTLE, to_graph=pyoxigraph.NamedNode(graph)
        )
    return store


def expected_entities(fixture: Path) -> set[str]:
    found = {
        match.group(1)
        for line in fixture.read_text(encoding="utf-8").splitlines()
        if (match := EXPECT.match(line))
    }
    assert found, f"{fixture.name} has no '# expect: <entity>' header"
    return found


def test_profile_lists_every_query_once() -> None:
    profile = quality.load_profile()
    queries = {path.stem for path in QC_DIR.glob("*.rq")}
    assert set(profile) == queries
    assert {severity for severity, _description in profile.values()} <= {"ERROR", "WARN", "INFO"}
    assert all(description for _severity, description in profile.values())


def test_robot_error_checks_are_errors() -> None:
    """The checks that ROBOT's default profile and the brief rank ERROR stay ERROR."""
    profile = quality.load_profile()
    for check in (
        "missing_label",
        "duplicate_label",
        "multiple_labels",
        "missing_ontology_title",
        "missing_ontology_description",
        "missing_ontology_license",
        "label_whitespace",
        "label_formatting",
        "illegal_use_of_built_in_vocabulary",
    ):
        assert profile[check][0] == "ERROR", check


def test_checks_moved_from_shacl_are_errors() -> None:
    """They were sh:Violation constraints, so they still fail a build."""
    profile = quality.load_profile()
    for check in FROM_SHACL:
        assert profile[check][0] == "ERROR", check


def test_checks_moved_from_shacl_pass_the_valid_shapes_graph() -> None:
    """The hand-written graph that meets every SHACL shape meets the checks taken from them too."""
    store = store_of(SHAPES_VALID, graph=GRAPH_DATA)
    if ONTOLOGY.is_file():
        store.load(
            path=str(ONTOLOGY),
            format=pyoxigraph.RdfFormat.TURTLE,
            to_graph=pyoxigraph.NamedNode(GRAPH_ONTOLOGY),
        )
    findings = [f for f in quality.run_checks(store) if f.check in FROM_SHACL]
    assert findings == []


def test_checks_follow_subclasses_of_their_target_class() -> None:
    """As with sh:targetClass, an instance of a subclass is checked like one of the class."""
    statistic = "https://w3id.org/vawmw/id/statistic/A-78-292/5-1"
    turtle = f"""
        @prefix vawmw: <https://w3id.org/vawmw/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix prov: <http://www.w3.org/ns/prov#> .
        <https://example.org/SurveyStatistic> rdfs:subClassOf vawmw:Statistic .
        <{statistic}> a <https://example.org/SurveyStatistic> ;
            prov:wasDerivedFrom <https://w3id.org/vawmw/id/report/A-78-292/para/6> .
    """
    store = pyoxigraph.Store()
    store.load(
        input=turtle, format=pyoxigraph.RdfFormat.TURTLE, to_graph=pyoxigraph.NamedNode(GRAPH_DATA)
    )
    found = {
        f.entity for f in quality.run_checks(store) if f.check == "claim_derived_from_key_paragraph"
    }
    assert found == {statistic}


@pytest.mark.parametrize("check", CHECKS)
def test_check_fires_on_its_fixture(check: str) -> None:
    fixture = FIXTURES / f"{check}.ttl"
    assert fixture.is_file(), f"check {check} has no fixture tests/fixtures/qc/{check}.ttl"
    findings = [f for f in quality.run_checks(store_of(fixture)) if f.check == check]
    severity = quality.load_profile()[check][0]
    assert all(f.severity == severity for f in findings)
    missing = expected_entities(fixture) - {f.entity for f in findings}
    assert not missing, f"{check} did not report {sorted(missing)}; it reported {findings}"


def test_every_fixture_belongs_to_a_check() -> None:
    names = {path.stem for path in FIXTURES.glob("*.ttl")} - {CLEAN.stem}
    assert names == set(CHECKS)


def test_clean_ontology_has_no_findings() -> None:
    assert quality.run_checks(store_of(CLEAN)) == []


def test_checks_read_every_named_graph() -> None:
    """A label in the data graph counts for a term declared in the ontology graph."""
    store = store_of(FIXTURES / "missing_label.ttl")
    store.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode("https://w3id.org/vawmw/ontology#Risk"),
            pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
            pyoxigraph.Literal("risk", language="en"),
            pyoxigraph.NamedNode(GRAPH_DATA),
        )
    )
    assert not [f for f in quality.run_checks(store) if f.check == "missing_label"]


def test_findings_are_sorted_and_errors_filtered() -> None:
    store = store_of(*sorted(FIXTURES.glob("*.ttl")))
    findings = quality.run_checks(store)
    assert findings == quality.run_checks(store)
    ranks = [("ERROR", "WARN", "INFO").index(f.severity) for f in findings]
    assert ranks == sorted(ranks)
    errors = quality.errors(findings)
    assert errors and all(f.severity == "ERROR" for f in errors)
    assert len(errors) == sum(1 for f in findings if f.severity == "ERROR")
    assert isinstance(findings[0], QualityFinding)


def test_profile_and_queries_must_agree(tmp_path: Path) -> None:
    profile = {"missing_label": ("ERROR", "d"), "p06_class_cycle": ("ERROR", "d")}
    (tmp_path / "missing_label.rq").write_text("SELECT * WHERE {}", encoding="utf-8")
    with pytest.raises(QualityProfileError, match=r"without a \.rq file"):
        quality._load_queries(tmp_path, profile)
    (tmp_path / "p06_class_cycle.rq").write_text("SELECT * WHERE {}", encoding="utf-8")
    (tmp_path / "extra.rq").write_text("SELECT * WHERE {}", encoding="utf-8")
    with pytest.raises(QualityProfileError, match="not listed"):
        quality._load_queries(tmp_path, profile)


def test_profile_rejects_unknown_severity() -> None:
    with pytest.raises(QualityProfileError, match="severity"):
        quality._parse_profile("check\tseverity\tdescription\nmissing_label\tFATAL\td\n")
    with pytest.raises(QualityProfileError, match="header"):
        quality._parse_profile("missing_label\tERROR\td\n")


@pytest.mark.skipif(not ONTOLOGY.is_file(), reason="ontology/vawmw.ttl not written yet")
def test_repository_ontology_has_no_errors() -> None:
    findings = quality.errors(quality.run_checks(store_of(ONTOLOGY)))
    assert findings == [], "\n".join(map(str, findings))
