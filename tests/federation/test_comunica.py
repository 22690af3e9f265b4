"""Issue 16: federation from the client side, with Comunica (``@comunica/query-sparql`` 4.x).

The service refuses ``SERVICE`` (a server-side federated query is a request-forgery hole), so
joining this graph with other endpoints is the client's work. These tests run Comunica as an
integrator would (README, "Joining this graph with other endpoints"):

1. two SPARQL endpoints as sources, this service and a stand-in UN endpoint holding UNSD's SDG
   KOS, for a question that needs both: each recommendation's SDG targets (our data) and the
   indicators under them with their custodian agencies (only the UN endpoint has those);
2. two dereferenced documents as sources (a State and an instrument), nothing else.

Expected rows are computed independently with rdflib from the release dump and the UNSD files.

Coupling: query 1 follows the link from a recommendation to an SDG target as the graph has it
when this was written, ``vawmw:servesSdgTarget`` (graph/interpretations.ttl); query 2 follows
``vawmw:concernsState`` / ``vawmw:concernsInstrument`` of the party-status records. A remodelled
link (issue 17) means updating these queries, and the rdflib ones beside them.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
import pytest
import rdflib
from vawmw.release import layout
from vawmw.testing.stores import StoreServer

from tests.conftest import REPO

pytestmark = pytest.mark.slow

VAWMW = "https://w3id.org/vawmw/ontology#"
SDGO = "http://metadata.un.org/sdg/ontology#"
ID = "https://w3id.org/vawmw/id/"
PREFIXES = f"PREFIX vawmw: <{VAWMW}>\nPREFIX sdgo: <{SDGO}>\n"

TARGET_INDICATORS = PREFIXES + (
    "SELECT ?recommendation ?target ?indicator ?agency WHERE {\n"
    "  ?recommendation vawmw:servesSdgTarget ?target .\n"
    "  ?target sdgo:hasIndicator ?indicator .\n"
    "  ?indicator sdgo:custodianAgency ?agency .\n"
    "}\n"
)
RECORDS = PREFIXES + (
    "SELECT ?record ?iso ?year WHERE {\n"
    "  ?record vawmw:concernsState ?state ; vawmw:concernsInstrument ?instrument .\n"
    "  ?state vawmw:hasIsoAlpha3Code ?iso .\n"
    "  ?instrument vawmw:hasAdoptionYear ?year .\n"
    "}\n"
)
STATE = "state/PHL"
INSTRUMENT = "instrument/ilo-c189"

Row = tuple[str, ...]


def _comunica(binary: Path, sources: list[str], query: str) -> tuple[list[str], set[Row]]:
    """Run ``comunica-sparql`` over ``sources``; the variables and the rows (values only)."""
    done = subprocess.run(
        [str(binary), *sources, "-q", query, "-t", "application/sparql-results+json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout)
    variables: list[str] = answer["head"]["vars"]
    rows = {
        tuple(binding[v]["value"] for v in variables) for binding in answer["results"]["bindings"]
    }
    return variables, rows


def _release_graph(release: Path) -> rdflib.Graph:
    """The release's Turtle dump: every triple of its graphs merged (as the service queries)."""
    graph = rdflib.Graph()
    graph.parse(data=(release / layout.TURTLE_NAME).read_bytes(), format="turtle")
    return graph


def _values(graph: rdflib.Graph, query: str) -> set[Row]:
    return {tuple(str(term) for term in row) for row in graph.query(query)}  # type: ignore[union-attr]


def test_comunica_joins_this_service_with_a_un_endpoint(
    comunica: Path,
    federation_server: str,
    un_endpoint: StoreServer,
    un_files: list[Path],
    real_release: Path,
) -> None:
    # Expected: our links (release dump) joined in Python with UNSD's indicators (the files).
    ours = _values(
        _release_graph(real_release),
        PREFIXES + "SELECT ?r ?t WHERE { ?r vawmw:servesSdgTarget ?t }",
    )
    unsd = rdflib.Graph()
    for path in un_files:
        unsd.parse(path, format="turtle")
    indicators = _values(
        unsd,
        PREFIXES + "SELECT ?t ?i ?a WHERE { ?t sdgo:hasIndicator ?i . ?i sdgo:custodianAgency ?a }",
    )
    expected = {(r, t, i, a) for r, t in ours for t2, i, a in indicators if t == t2}
    assert ours and expected

    # The service alone cannot answer: it does not hold the indicators.
    alone = httpx.get(
        federation_server + "/sparql",
        params={"query": TARGET_INDICATORS},
        headers={"accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert alone.status_code == 200
    assert alone.json()["results"]["bindings"] == []

    sources = [f"sparql@{federation_server}/sparql", f"sparql@{un_endpoint.query_endpoint}"]
    variables, rows = _comunica(comunica, sources, TARGET_INDICATORS)
    assert variables == ["recommendation", "target", "indicator", "agency"]
    assert rows == expected


def test_comunica_answers_from_dereferenced_documents(
    comunica: Path, federation_server: str, real_release: Path
) -> None:
    # Expected: the same join over the whole release, for this State and this instrument.
    restricted = RECORDS.replace(
        "WHERE {\n",
        f"WHERE {{\n  VALUES (?state ?instrument) {{ (<{ID}{STATE}> <{ID}{INSTRUMENT}>) }}\n",
    )
    expected = _values(_release_graph(real_release), restricted)
    assert expected

    sources = [f"{federation_server}/id/{STATE}", f"{federation_server}/id/{INSTRUMENT}"]
    variables, rows = _comunica(comunica, sources, RECORDS)
    assert variables == ["record", "iso", "year"]
    assert rows == expected
