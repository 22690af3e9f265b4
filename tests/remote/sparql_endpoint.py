"""A SPARQL 1.1 query endpoint on loopback over a pyoxigraph store, for the remote backend's
tests that need no external store: it answers form POSTs (query, default-graph-uri,
named-graph-uri) with SPARQL JSON results or N-Triples, or with a canned answer when given one.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pyoxigraph as ox


@dataclass(frozen=True)
class Canned:
    """An answer sent whatever the query: (media type, body)."""

    media_type: str
    body: bytes


def _answer(store: ox.Store, form: dict[str, list[str]]) -> tuple[str, bytes]:
    query = form["query"][0]
    default = [ox.NamedNode(iri) for iri in form.get("default-graph-uri", [])]
    named = [ox.NamedNode(iri) for iri in form.get("named-graph-uri", [])]
    if default or named:
        result = store.query(query, default_graph=default, named_graphs=named)  # type: ignore[arg-type]
    else:
        result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryTriples):
        body = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b""
        return "application/n-triples", body
    return "application/sparql-results+json", result.serialize(
        format=ox.QueryResultsFormat.JSON
    ) or b""


def _handler(store: ox.Store, canned: Canned | None) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            form = parse_qs(self.rfile.read(length).decode("ascii"))
            if canned is not None:
                media_type, body = canned.media_type, canned.body
            else:
                media_type, body = _answer(store, form)
            self.send_response(200)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            del format, args

    return Handler


@contextlib.contextmanager
def sparql_endpoint(store: ox.Store, canned: Canned | None = None) -> Iterator[str]:
    """The endpoint's URL while the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(store, canned))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
