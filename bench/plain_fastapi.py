"""The floor of a Python SPARQL layer: FastAPI calling pyoxigraph in-process (a benchmark baseline).

No guard, no worker pool, no timeout, no content negotiation: SELECT/ASK answers are SPARQL JSON,
graphs Turtle. Serve it with ``PLAIN_FASTAPI_STORE=DIR uvicorn bench.plain_fastapi:app``.
"""

from __future__ import annotations

import os
from typing import Annotated

import pyoxigraph as ox
from fastapi import FastAPI, Form, Response

STORE = ox.Store.read_only(os.environ.get("PLAIN_FASTAPI_STORE", "dist/store"))
app = FastAPI()


def answer(query: str) -> Response:
    result = STORE.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
        body = result.serialize(format=ox.QueryResultsFormat.JSON)
        return Response(body, media_type="application/sparql-results+json")
    return Response(ox.serialize(result, format=ox.RdfFormat.TURTLE), media_type="text/turtle")


@app.get("/sparql")
def sparql_get(query: str) -> Response:
    return answer(query)


@app.post("/sparql")
def sparql_post(query: Annotated[str, Form()]) -> Response:
    return answer(query)
