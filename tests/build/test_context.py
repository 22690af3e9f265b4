"""The JSON-LD context a release ships (issue 14, "JSON-LD no one can frame"), and its JSON-LD
dump: compact, with @type, naming the context, and still the same graph as the TriG dump."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from pyld import jsonld as pyld
from rdflib.compare import isomorphic
from vawmw.build.pipeline import build_release
from vawmw.rdf import jsonld
from vawmw.rdf import namespaces as ns

REPO = Path(__file__).resolve().parents[2]
CONTEXT_IRI = "https://w3id.org/vawmw/context.jsonld"  # the issue: under the w3id namespace
OWL = rdflib.Namespace("http://www.w3.org/2002/07/owl#")
VAWMW = rdflib.Namespace(ns.VAWMW)
# The merged dumps hold every graph but the shapes and UNSD's extract (docs/MODEL.md).
NOT_MERGED = {ns.GRAPH_SHAPES, ns.GRAPH_UN}


def _context(release: Path) -> dict[str, Any]:
    document = json.loads((release / "context.jsonld").read_bytes())
    assert isinstance(document, dict)
    return document


def _loader(document: dict[str, Any]) -> Any:
    """pyld's loader for the test: the release's context at its IRI, nothing else."""

    def load(url: str, options: object = None) -> dict[str, Any]:
        assert url == CONTEXT_IRI, f"pyld asked for {url}"
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return load


def _merged_ntriples(release: Path) -> bytes:
    """The TriG dump's graphs that the merged dumps hold, as N-Triples (rdflib's TriG reader
    warns of its own deprecations, which this suite turns into errors)."""
    quads = ox.parse(path=str(release / "vawmw.trig"), format=ox.RdfFormat.TRIG)
    triples = [q.triple for q in quads if q.graph_name.value not in NOT_MERGED]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def test_context_is_byte_identical_across_two_builds(real_release: Path, tmp_path: Path) -> None:
    build_release(REPO, tmp_path / "dist")
    first = (real_release / "context.jsonld").read_bytes()
    assert first == (tmp_path / "dist" / "context.jsonld").read_bytes()
    sums = (real_release / "SHA256SUMS").read_text(encoding="utf-8")
    assert "  context.jsonld\n" in sums  # shipped and checksummed like every release file


def test_context_names_every_ontology_term(real_release: Path) -> None:
    ontology = rdflib.Graph().parse(
        data=(REPO / "ontology" / "vawmw.ttl").read_bytes(), format="turtle"
    )
    context = _context(real_release)["@context"]
    assert (
        context["vawmw"] == ns.VAWMW and context["skos"] == "http://www.w3.org/2004/02/skos/core#"
    )
    classes = {s for s in ontology.subjects(rdflib.RDF.type, OWL.Class) if s in VAWMW}
    objects = {s for s in ontology.subjects(rdflib.RDF.type, OWL.ObjectProperty) if s in VAWMW}
    data = {s for s in ontology.subjects(rdflib.RDF.type, OWL.DatatypeProperty) if s in VAWMW}
    assert VAWMW.ReportingState in classes and objects and data
    for term in classes | objects | data:
        name = str(term).removeprefix(ns.VAWMW)
        assert context[name]["@id"] == f"vawmw:{name}", name
        assert (context[name].get("@type") == "@id") == (term in objects), name


def test_dump_is_compact_and_the_same_graph_as_the_trig(real_release: Path) -> None:
    dump = json.loads((real_release / "vawmw.jsonld").read_bytes())
    assert dump["@context"] == CONTEXT_IRI
    assert not any(ns.RDF_TYPE in node or "rdf:type" in node for node in dump["@graph"])
    # rdflib reads it with the shipped context in place of the IRI (it would fetch the IRI).
    dump["@context"] = _context(real_release)["@context"]
    with warnings.catch_warnings():  # rdflib's JSON-LD reader uses its deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        parsed = rdflib.Graph().parse(data=json.dumps(dump), format="json-ld")
    merged = rdflib.Graph().parse(data=_merged_ntriples(real_release), format="nt")
    assert len(parsed) == len(merged) > 10_000
    assert isomorphic(parsed, merged)


def test_pyld_frames_the_reporting_states_of_the_dump(real_release: Path) -> None:
    dump = json.loads((real_release / "vawmw.jsonld").read_bytes())
    merged = rdflib.Graph().parse(data=_merged_ntriples(real_release), format="nt")
    expected = {str(s) for s in merged.subjects(rdflib.RDF.type, VAWMW.ReportingState)}
    frame = {"@context": CONTEXT_IRI, "@type": "vawmw:ReportingState"}
    options = {"documentLoader": _loader(_context(real_release)), "omitGraph": False}
    framed = pyld.frame(dump, frame, options)
    assert framed["@graph"] and all("@type" in node for node in framed["@graph"])
    found = {node["@id"] for node in pyld.expand(framed, options)}
    assert f"{ns.ID}state/PHL" in found
    assert found == expected


def test_a_release_without_a_context_writes_the_prefixes_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An older release (no context file) still gets compact JSON-LD with @type."""
    monkeypatch.setattr(jsonld, "_installed", None)  # this process's context, put back after
    triple = ox.Triple(
        ox.NamedNode(f"{ns.ID}state/PHL"),
        ox.NamedNode(ns.RDF_TYPE),
        ox.NamedNode(f"{ns.VAWMW}State"),
    )
    document = json.loads(jsonld.compact([triple]))
    assert document["@context"]["vawmw"] == ns.VAWMW
    assert document["@type"] == "vawmw:State"


@pytest.mark.parametrize("url", ["https://example.org/context.jsonld", "http://127.0.0.1/x"])
def test_the_loader_never_fetches(url: str) -> None:
    load = jsonld.document_loader({"@context": {}})
    with pytest.raises(pyld.JsonLdError):
        load(url)
