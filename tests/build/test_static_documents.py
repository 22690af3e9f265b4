"""``vawmw build`` renders every dereferenceable IRI's documents into the release (issue 15):
each IRI of the namespace that the release names and a linked-data route answers, in every
resource format, stored gzip-compressed, N-Quads in the N-Triples file; the pages that need no
query; the index naming the release; and the formats table deploy/run-nginx negotiates with."""

from __future__ import annotations

import gzip
import json
import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic as rdflib_isomorphic
from vawmw.rdf import formats, namespaces
from vawmw.release import layout
from vawmw.release.manifest import ReleaseInfo, open_read_only
from vawmw.web import negotiation

pytestmark = pytest.mark.slow
_RDFLIB_FORMAT = {
    "turtle": "turtle",
    "jsonld": "json-ld",
    "ntriples": "nt",
    "rdfxml": "xml",
}
# The files the documents are stored in (the format's extension, then .gz): N-Quads has none
# of its own, it is the N-Triples file (a description is one default graph).
STORED_EXTENSIONS = ("ttl", "jsonld", "nt", "rdf", "html")


def _graph(data: bytes, fmt: formats.Format, context: bytes | None) -> rdflib.Graph:
    if fmt is formats.NQUADS:
        # rdflib (7.6) warns of a deprecation whenever it parses N-Quads, into a Dataset too:
        # pyoxigraph's parser reads them; a description has its triples in the default graph.
        quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
        assert all(q.graph_name == ox.DefaultGraph() for q in quads), "a description names no graph"
        data = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)
        fmt = formats.NTRIPLES
    if fmt is formats.JSONLD and context is not None:
        # The document names the context by its w3id IRI: put the release's in, so that
        # nothing is fetched.
        document = json.loads(data)
        document["@context"] = json.loads(context)["@context"]
        data = json.dumps(document).encode("utf-8")
    graph = rdflib.Graph()
    with warnings.catch_warnings():
        # rdflib's own JSON-LD parser builds a ConjunctiveGraph internally (rdflib 7.6), which
        # it deprecates; that warning only, nothing of the documents.
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        graph.parse(data=data, format=_RDFLIB_FORMAT[fmt.name])
    return graph


def isomorphic(
    first: bytes, second: bytes, fmt: formats.Format, context: bytes | None = None
) -> bool:
    """Equal bytes, or the same graph up to blank node names (rdflib's comparison)."""
    if first == second:
        return True
    return bool(rdflib_isomorphic(_graph(first, fmt, context), _graph(second, fmt, context)))


def document_paths(release: Path) -> list[str]:
    """The request paths that have prebuilt documents (files named <path>.html.gz)."""
    root = layout.documents_path(release)
    suffix = ".html.gz"
    return sorted("/" + str(p.relative_to(root))[: -len(suffix)] for p in root.rglob("*" + suffix))


def read_stored(release: Path, path: str, extension: str) -> bytes:
    """A stored document, decompressed (independently of the service's reader)."""
    with gzip.open(layout.documents_path(release) / f"{path[1:]}.{extension}.gz") as file:
        return file.read()


@pytest.fixture(scope="module")
def built(documented_release: Path) -> Path:
    return documented_release


def test_every_described_iri_has_every_format(built: Path) -> None:
    store = open_read_only(ReleaseInfo.load(built))
    # Independently of the prebuild: every IRI under /id/ that is a subject of the release.
    subjects = {
        q.subject.value
        for q in store.quads_for_pattern(None, None, None, None)
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(namespaces.ID)
    }
    del store
    assert subjects
    ld = layout.documents_path(built)
    for iri in subjects:
        path = "/" + iri.removeprefix(namespaces.BASE)
        if layout.document_name(path, "x") is None:
            continue  # a path no file can name: served dynamically
        for extension in STORED_EXTENSIONS:
            assert (ld / f"{path[1:]}.{extension}.gz").is_file(), (iri, extension)
    for path in ("/ontology", "/dataset", "/shapes"):
        assert (ld / f"{path[1:]}.ttl.gz").is_file()
    # Only compressed documents, and no N-Quads file: nothing stored twice.
    assert not [p for p in ld.rglob("*") if p.is_file() and p.suffix != ".gz"]
    assert not list(ld.rglob("*.nq.gz"))


def test_the_formats_of_a_document_hold_one_graph(built: Path) -> None:
    context = (built / layout.CONTEXT_NAME).read_bytes()
    for path in document_paths(built)[::40]:
        reference = _graph(read_stored(built, path, "nt"), formats.NTRIPLES, None)
        assert len(reference) > 0, path
        # N-Quads is read from the N-Triples file: it must parse as N-Quads to the same graph.
        as_nquads = _graph(read_stored(built, path, "nt"), formats.NQUADS, None)
        assert rdflib_isomorphic(reference, as_nquads), path
        for fmt in (formats.TURTLE, formats.JSONLD, formats.RDFXML):
            other = _graph(read_stored(built, path, fmt.extension), fmt, context)
            assert rdflib_isomorphic(reference, other), (path, fmt.name)


def test_the_index_names_the_release_and_the_pages_are_there(built: Path) -> None:
    index = json.loads(layout.documents_index_path(built).read_text("utf-8"))
    assert index["release_id"] == ReleaseInfo.load(built).release_id
    site = layout.site_path(built)
    for name in ("home.html", "dashboard.html", "void.ttl", "void.jsonld", "queries.json"):
        assert (site / name).is_file() and (site / name).stat().st_size > 0
    assert (site / "context.jsonld").read_bytes() == (built / layout.CONTEXT_NAME).read_bytes()
    # Compressed: the bytes stored are fewer than the documents'.
    assert 0 < index["bytes"] < index["content_bytes"]


def test_the_formats_table_is_the_services(built: Path) -> None:
    """site/formats.json (what deploy/run-nginx negotiates with) says what the service does:
    the resource formats in its order, their media types, aliases and Content-Types, each
    ``format=`` value's format, and the 406 message."""
    table = json.loads((layout.site_path(built) / layout.FORMATS_NAME).read_text("utf-8"))
    offers = formats.RESOURCE_FORMATS
    assert [entry["name"] for entry in table["resource"]] == [f.name for f in offers]
    for entry, fmt in zip(table["resource"], offers, strict=True):
        assert entry["type"] == fmt.media_type
        assert entry["aliases"] == list(fmt.aliases)
        assert entry["content_type"] == fmt.content_type
        expected_file = "nt" if fmt is formats.NQUADS else fmt.extension
        assert entry["file"] == expected_file
    assert table["compressed"] == ".gz"
    assert table["message"] == negotiation.RESOURCE_MESSAGE
    for value, name in table["params"].items():
        found = negotiation.format_from_param(value, offers)
        assert found is not None and found.name == name, value
    for value in ("ttl", "nt", "rdf", "jsonld", "json", "xml", "nquads", "html"):
        assert value in table["params"], value
