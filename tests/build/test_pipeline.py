"""`vawmw build` end to end on the mini sources: release contents, atomicity, reproducibility."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from vawmw.build.pipeline import build_release
from vawmw.cli import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_OK, EXIT_WRITE_FAILED, main
from vawmw.rdf.namespaces import (
    GRAPH_DATA,
    GRAPH_INFERRED,
    GRAPH_INTERPRETATIONS,
    GRAPH_ONTOLOGY,
    GRAPH_SHAPES,
    GRAPH_UN,
)
from vawmw.release.manifest import ReleaseInfo, open_read_only

from tests.build_fixtures import ID, VAWMW, copy_mini_sources

DUMPS = (
    "vawmw.trig",
    "vawmw.nq",
    "vawmw.ttl",
    "vawmw.jsonld",
    "void.ttl",
    "SHA256SUMS",
    "release.json",
)


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    return copy_mini_sources(tmp_path)


def _build(sources: Path, out: Path) -> int:
    return main(["--root", str(sources), "build", "--out", str(out)])


def test_release_holds_every_dump_and_a_store(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert _build(sources, out) == EXIT_OK
    for name in DUMPS:
        assert (out / name).is_file(), name
    release = ReleaseInfo.load(out)
    assert release.version == "9.9.9"  # owl:versionInfo of the fixture ontology
    assert release.issued == "2026-11-28"  # its dcterms:modified, not the clock
    # The graphs of interpretations and of UN data are part of every release, empty when the
    # sources have none (the fixture has neither graph/interpretations.ttl nor un/).
    assert set(release.graphs) == {
        GRAPH_ONTOLOGY,
        GRAPH_DATA,
        GRAPH_INTERPRETATIONS,
        GRAPH_UN,
        GRAPH_INFERRED,
        GRAPH_SHAPES,
    }
    assert release.graphs[GRAPH_INTERPRETATIONS] == 0
    assert release.graphs[GRAPH_UN] == 0
    store = open_read_only(release)
    for graph_iri, size in release.graphs.items():
        assert len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri)))) == size


def test_checksums_match_the_files(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert _build(sources, out) == EXIT_OK
    lines = (out / "SHA256SUMS").read_text().splitlines()
    assert {line.split("  ")[1] for line in lines} == {
        "vawmw.trig",
        "vawmw.nq",
        "vawmw.ttl",
        "vawmw.jsonld",
        "context.jsonld",
        "void.ttl",
    }
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest


def _isomorphic(first: set[ox.Triple], second: set[ox.Triple]) -> bool:
    graphs = [
        rdflib.Graph().parse(data=ox.serialize(t, format=ox.RdfFormat.N_TRIPLES), format="nt")
        for t in (first, second)
    ]
    return isomorphic(*graphs)


def test_dumps_parse_and_agree(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert _build(sources, out) == EXIT_OK
    trig = set(ox.parse(path=str(out / "vawmw.trig")))
    nquads = set(ox.parse(path=str(out / "vawmw.nq")))
    assert trig == nquads
    merged = {
        ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(out / "vawmw.ttl"))
    }
    # The compact dump names the shipped context by its IRI: put the context in its place.
    compact = json.loads((out / "vawmw.jsonld").read_bytes())
    compact["@context"] = json.loads((out / "context.jsonld").read_bytes())["@context"]
    jsonld = {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(json.dumps(compact).encode(), format=ox.RdfFormat.JSON_LD)
    }
    # Lists come back as @list, with blank nodes of pyld's naming: the same graph up to them.
    assert _isomorphic(merged, jsonld)
    # The merged Turtle is ontology + data + inferred, without the shapes.
    expected = {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in trig
        if q.graph_name.value != GRAPH_SHAPES
    }
    assert merged == expected


def test_two_builds_are_byte_identical(sources: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert _build(sources, first) == EXIT_OK
    assert _build(sources, second) == EXIT_OK
    for name in DUMPS:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_source_date_epoch_sets_the_issued_date(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1691366400")  # 2023-08-07, the report's date
    assert _build(sources, tmp_path / "dist") == EXIT_OK
    assert ReleaseInfo.load(tmp_path / "dist").issued == "2023-08-07"


def test_inferred_graph_holds_subclass_typing_and_no_noise(sources: Path, tmp_path: Path) -> None:
    report = build_release(sources, tmp_path / "dist")
    assert report.release is not None
    store = open_read_only(report.release)
    inferred = {
        (q.subject.value, q.predicate.value, q.object.value)
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH_INFERRED))
    }
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    # MemberState ⊑ State ⊑ Area: the Philippines is a State and an Area.
    assert (ID + "state/PHL", rdf_type, VAWMW + "State") in inferred
    assert (ID + "state/PHL", rdf_type, VAWMW + "Area") in inferred
    # (MemberState ⊓ ∃contributedTo.Report) ⊑ ReportingState: only the contributor reports.
    assert (ID + "state/PHL", rdf_type, VAWMW + "ReportingState") in inferred
    assert (ID + "state/LBN", rdf_type, VAWMW + "ReportingState") not in inferred
    # No axiomatic noise: nothing about built-ins, no trivial typing, no reflexive sameAs.
    for subject, predicate, obj in inferred:
        assert subject.startswith("https://w3id.org/vawmw/"), subject
        assert obj not in {
            "http://www.w3.org/2002/07/owl#Thing",
            "http://www.w3.org/2000/01/rdf-schema#Resource",
        }
        assert not (predicate == "http://www.w3.org/2002/07/owl#sameAs" and subject == obj)
    # Nothing asserted is repeated in the inferred graph.
    asserted = {
        (q.subject.value, q.predicate.value, q.object.value)
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH_DATA))
    }
    assert not inferred & asserted


def test_broken_turtle_exits_2_with_file_line_and_column(
    sources: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = sources / "graph" / "states.ttl"
    lines = broken.read_text().splitlines()
    lines[5] = '    rdfs:label "Philippines@en ;'  # an unterminated string on line 6
    broken.write_text("\n".join(lines) + "\n")
    assert _build(sources, tmp_path / "dist") == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "states.ttl:6:" in " ".join(err.split())
    assert not (tmp_path / "dist").exists()


def test_shacl_violation_fails_and_names_the_focus_node(
    sources: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    states = sources / "graph" / "states.ttl"
    # A language tag makes the code a langString: SHACL's sh:datatype xsd:string fires.
    states.write_text(
        states.read_text().replace(
            'vawmw:hasIsoAlpha3Code "LBN"', 'vawmw:hasIsoAlpha3Code "LBN"@en'
        )
    )
    assert _build(sources, tmp_path / "dist") == EXIT_CHECK_FAILED
    err = " ".join(capsys.readouterr().err.split())
    assert ID + "state/LBN" in err
    assert "graph/states.ttl" in err  # the source file of the focus node
    assert "ISO 3166-1 alpha-3" in err  # the shape's sh:message, which says how to fix it


def test_a_warning_does_not_fail_the_build(
    sources: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    states = sources / "graph" / "states.ttl"
    text = (
        states.read_text()
        .replace(
            "    dcterms:isReferencedBy <https://w3id.org/vawmw/id/report/A-78-292/para/19> .",
            "    .",
        )
        .replace('vawmw:hasIsoAlpha3Code "LBN" ;', 'vawmw:hasIsoAlpha3Code "LBN"')
    )
    states.write_text(text)
    assert _build(sources, tmp_path / "dist") == EXIT_OK
    assert "Warning" in capsys.readouterr().err


def test_failed_build_leaves_previous_release_intact(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert _build(sources, out) == EXIT_OK
    before = {name: (out / name).read_bytes() for name in DUMPS}
    (sources / "graph" / "states.ttl").write_text("this is not turtle\n")
    assert _build(sources, out) == EXIT_BAD_INPUT
    assert {name: (out / name).read_bytes() for name in DUMPS} == before
    assert ReleaseInfo.load(out).version == "9.9.9"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".dist.")]
    assert leftovers == []


def test_unwritable_output_exits_3_with_the_cause(
    sources: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the release's parent directory should be\n")
    assert _build(sources, blocker / "dist") == EXIT_WRITE_FAILED
    assert "not-a-directory" in " ".join(capsys.readouterr().err.split())
    assert blocker.read_text().startswith("a file")


def test_write_failure_midway_keeps_previous_release(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    assert _build(sources, out) == EXIT_OK
    before = (out / "vawmw.nq").read_bytes()

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("vawmw.build.pipeline.describe_release", disk_full)
    assert _build(sources, out) == EXIT_WRITE_FAILED
    assert (out / "vawmw.nq").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".dist.")] == []


def test_runaway_closure_stops_at_the_budget(sources: Path, tmp_path: Path) -> None:
    from vawmw.build.reasoning import ReasoningBudgetError, owl_rl_closure
    from vawmw.build.sources import load_sources
    from vawmw.rdf.namespaces import GRAPH_DATA as DATA

    loaded = load_sources(sources)
    with pytest.raises(ReasoningBudgetError, match="budget"):
        owl_rl_closure(loaded.graph(GRAPH_ONTOLOGY) + loaded.graph(DATA), budget_factor=1)


def test_release_manifest_is_valid_json_with_sorted_keys(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert _build(sources, out) == EXIT_OK
    manifest = json.loads((out / "release.json").read_text())
    assert list(manifest) == sorted(manifest)
    assert (
        manifest["files"]["vawmw.nq"] == hashlib.sha256((out / "vawmw.nq").read_bytes()).hexdigest()
    )


def test_quality_error_fails_and_says_where_and_how_to_fix(
    sources: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    states = sources / "graph" / "states.ttl"
    states.write_text(
        states.read_text().replace('vawmw:hasIsoAlpha3Code "LBN"', 'vawmw:hasIsoAlpha3Code "LBA"')
    )
    assert _build(sources, tmp_path / "dist") == EXIT_CHECK_FAILED
    err = " ".join(capsys.readouterr().err.split())
    assert "state_iso_alpha3_matches_iri" in err
    assert f"<{ID}state/LBN>" in err
    assert "graph/states.ttl" in err
    assert not (tmp_path / "dist").exists()
