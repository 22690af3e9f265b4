"""A small client for external SPARQL 1.1 stores: Protocol queries, Update and Graph Store.

Every call has a connect timeout and a total timeout, and every failure is raised as one
:class:`RemoteError` subclass that names the URL, the HTTP status (when there is one) and the
server's own message, reduced to plain text (Virtuoso answers errors in HTML)::

    EndpointUnreachableError   no TCP connection (refused, DNS, reset before an answer)
    RemoteTimeoutError         no complete answer within the timeout
    RequestRejectedError       400: the server could not parse or run the request
    PermissionDeniedError      401 / 403: the server refused the operation
    OperationUnsupportedError  404 / 405 / 501: the URL does not offer this operation
    PayloadTooLargeError       413: the body was too big for the server
    UnsupportedMediaTypeError  415: the server does not read this content type
    RemoteServerError          5xx: the server failed while running the request
    RemoteHTTPError            any other status outside 2xx

Queries are sent as ``application/x-www-form-urlencoded`` POSTs (no URL length limit), updates
as ``application/sparql-update`` POSTs, graph operations with the ``graph`` parameter of the
SPARQL 1.1 Graph Store HTTP Protocol.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Final

import httpx

from vawmw.rdf import formats

DEFAULT_TIMEOUT: Final = 60.0
CONNECT_TIMEOUT: Final = 5.0
MESSAGE_LIMIT: Final = 600


class RemoteError(Exception):
    """A request to an external store failed; ``str()`` says which URL, status and why."""

    def __init__(
        self, url: str, message: str, status: int | None = None, operation: str = "request"
    ) -> None:
        self.url = url
        self.status = status
        self.server_message = message
        self.operation = operation
        where = f"{operation} {url}"
        super().__init__(
            f"{where}: HTTP {status}: {message}" if status is not None else f"{where}: {message}"
        )


class EndpointUnreachableError(RemoteError):
    """No connection could be made."""


class RemoteTimeoutError(RemoteError):
    """The server did not answer in time."""


class RemoteHTTPError(RemoteError):
    """The server answered with a status outside 2xx."""


class RequestRejectedError(RemoteHTTPError):
    """400: the query, update or data was not accepted."""


class PermissionDeniedError(RemoteHTTPError):
    """401 or 403: the server refuses this operation to us."""


class OperationUnsupportedError(RemoteHTTPError):
    """404, 405 or 501: this URL does not offer the operation."""


class PayloadTooLargeError(RemoteHTTPError):
    """413: the request body is too large."""


class UnsupportedMediaTypeError(RemoteHTTPError):
    """415: the server does not accept this content type."""


class RemoteServerError(RemoteHTTPError):
    """5xx: the server failed."""


_STATUS_ERRORS: Final[dict[int, type[RemoteHTTPError]]] = {
    400: RequestRejectedError,
    401: PermissionDeniedError,
    403: PermissionDeniedError,
    404: OperationUnsupportedError,
    405: OperationUnsupportedError,
    413: PayloadTooLargeError,
    415: UnsupportedMediaTypeError,
    501: OperationUnsupportedError,
}


def error_for_status(status: int) -> type[RemoteHTTPError]:
    """The exception class for an HTTP error status."""
    if status in _STATUS_ERRORS:
        return _STATUS_ERRORS[status]
    return RemoteServerError if status >= 500 else RemoteHTTPError


_TAG: Final = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")  # not <http://…> IRIs
_SPACE: Final = re.compile(r"\s+")


def server_message(response: httpx.Response) -> str:
    """The server's explanation as one line of plain text (HTML stripped, length capped)."""
    text = response.text
    if "html" in response.headers.get("content-type", "") or text.lstrip().startswith("<"):
        text = re.sub(r"(?is)<(head|script|style)\b.*?</\1>|<![^>]*>|<!--.*?-->", " ", text)
        text = html.unescape(_TAG.sub(" ", text))
    text = _SPACE.sub(" ", text).strip()
    if not text:
        text = response.reason_phrase or "no message"
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


@dataclass(frozen=True)
class QueryResponse:
    """A query's answer as the server sent it."""

    status: int
    media_type: str
    content: bytes

    def json(self) -> dict[str, object]:
        data = json.loads(self.content)
        if not isinstance(data, dict):
            raise ValueError("the answer is not a SPARQL JSON results document")
        return data


class SparqlClient:
    """One connection pool to external stores; use as a context manager or call close()."""

    def __init__(
        self,
        timeout: float = DEFAULT_TIMEOUT,
        headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.timeout = timeout
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout)),
            headers=dict(headers or {}),
            follow_redirects=False,
            transport=transport,
        )

    def __enter__(self) -> SparqlClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # -- SPARQL 1.1 Protocol -------------------------------------------------------------

    def query(
        self, endpoint: str, sparql: str, accept: str = formats.JSON.media_type
    ) -> QueryResponse:
        """Run a query; return the answer in the ``accept`` media type."""
        response = self._send(
            "query",
            "POST",
            endpoint,
            data={"query": sparql},
            headers={"Accept": accept},
        )
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        return QueryResponse(response.status_code, media_type, response.content)

    def select(self, endpoint: str, sparql: str) -> list[dict[str, str]]:
        """Run a SELECT query; each row maps a bound variable to its term's lexical value."""
        document = self.query(endpoint, sparql, formats.JSON.media_type).json()
        results = document.get("results")
        bindings = results.get("bindings") if isinstance(results, dict) else None
        if not isinstance(bindings, list):
            raise RemoteError(endpoint, "the answer has no results.bindings", operation="query")
        return [
            {name: str(term["value"]) for name, term in row.items()}
            for row in bindings
            if isinstance(row, dict)
        ]

    def ask(self, endpoint: str, sparql: str) -> bool:
        document = self.query(endpoint, sparql, formats.JSON.media_type).json()
        answer = document.get("boolean")
        if not isinstance(answer, bool):
            raise RemoteError(endpoint, "the answer has no boolean", operation="query")
        return answer

    def update(self, endpoint: str, sparql_update: str) -> None:
        """Run a SPARQL 1.1 Update request."""
        self._send(
            "update",
            "POST",
            endpoint,
            content=sparql_update.encode("utf-8"),
            headers={"Content-Type": formats.SPARQL_UPDATE_TYPE + "; charset=utf-8"},
        )

    # -- SPARQL 1.1 Graph Store HTTP Protocol --------------------------------------------

    def put_graph(
        self, graph_store: str, graph: str, body: bytes | Iterable[bytes], content_type: str
    ) -> int:
        """Replace the named graph by ``body``; return the status (200, 201 or 204)."""
        return self._graph_write("PUT", graph_store, graph, body, content_type)

    def post_graph(
        self, graph_store: str, graph: str, body: bytes | Iterable[bytes], content_type: str
    ) -> int:
        """Add ``body``'s triples to the named graph (blank nodes are new ones)."""
        return self._graph_write("POST", graph_store, graph, body, content_type)

    def delete_graph(self, graph_store: str, graph: str, missing_ok: bool = True) -> bool:
        """Delete the named graph; return False when it did not exist (and ``missing_ok``)."""
        try:
            self._send("graph DELETE", "DELETE", graph_store, params={"graph": graph})
        except OperationUnsupportedError as error:
            if missing_ok and error.status == 404:
                return False
            raise
        return True

    def _graph_write(
        self,
        method: str,
        graph_store: str,
        graph: str,
        body: bytes | Iterable[bytes],
        content_type: str,
    ) -> int:
        response = self._send(
            f"graph {method} <{graph}>",
            method,
            graph_store,
            params={"graph": graph},
            content=body,
            headers={"Content-Type": content_type},
        )
        return response.status_code

    # -- transport ----------------------------------------------------------------------

    def _send(
        self,
        operation: str,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        content: bytes | Iterable[bytes] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        try:
            response = self._http.request(
                method, url, params=params, data=data, content=content, headers=headers
            )
        except httpx.TimeoutException as error:
            raise RemoteTimeoutError(
                url,
                f"no answer within {self.timeout:g} s ({type(error).__name__})",
                None,
                operation,
            ) from error
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as error:
            raise EndpointUnreachableError(
                url, str(error) or type(error).__name__, None, operation
            ) from error
        except httpx.UnsupportedProtocol as error:
            raise EndpointUnreachableError(
                url, f"not an http(s) URL: {error}", None, operation
            ) from error
        if response.is_success:
            return response
        status = response.status_code
        raise error_for_status(status)(url, server_message(response), status, operation)


def query(
    endpoint: str,
    sparql: str,
    accept: str = formats.JSON.media_type,
    timeout: float = DEFAULT_TIMEOUT,
) -> QueryResponse:
    """Run one query on ``endpoint`` with a fresh connection."""
    with SparqlClient(timeout) as client:
        return client.query(endpoint, sparql, accept)


def select(endpoint: str, sparql: str, timeout: float = DEFAULT_TIMEOUT) -> list[dict[str, str]]:
    """Run one SELECT query; rows of lexical values."""
    with SparqlClient(timeout) as client:
        return client.select(endpoint, sparql)


def update(endpoint: str, sparql_update: str, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Run one SPARQL Update request."""
    with SparqlClient(timeout) as client:
        client.update(endpoint, sparql_update)
