"""Issue 14, "Service Description": its result formats are named by the W3C's format IRIs
(https://www.w3.org/ns/formats/), JSON-LD included: ``http://www.w3.org/ns/formats/JSON-LD``.
Read with rdflib, as a client would.
"""

from __future__ import annotations

import httpx
import rdflib

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
W3C_FORMATS = "http://www.w3.org/ns/formats/"
# The names https://www.w3.org/ns/formats/ lists for what /sparql answers in.
EXPECTED = {
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "TriG",
    "N-Quads",
}


def test_service_description_names_every_format_by_its_w3c_iri(client: httpx.Client) -> None:
    response = client.get("/sparql", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    named = {str(iri) for iri in graph.objects(None, SD.resultFormat)}
    assert named == {W3C_FORMATS + name for name in EXPECTED}
