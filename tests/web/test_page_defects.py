"""Two small defects: the editor's refusals pass Retry-After on, and a client that goes away
in the middle of its request body costs one log line, not a traceback."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from vawmw.settings import ServiceSettings

from tests.conftest import live_server

# Eight unconstrained patterns: (triples)^8 solutions, far beyond any timeout.
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(8)) + " }"
)


def test_editor_503_passes_retry_after_on(settings: ServiceSettings) -> None:
    """One worker, no queue: while a slow query runs, the editor's query is refused."""
    with live_server(settings, workers=1, queue_size=0, query_timeout=3.0) as url:
        refused = None
        # The editor's ASK can win the race for the only worker, and the slow query is then
        # the one refused: start it again until it holds the worker (a few attempts at most).
        for _attempt in range(5):
            slow = threading.Thread(
                target=lambda: httpx.post(url + "/sparql", data={"query": SLOW}, timeout=30)
            )
            slow.start()
            try:
                while slow.is_alive() and refused is None:
                    page = httpx.get(
                        url + "/sparql", params={"query": "ASK {}", "format": "html"}, timeout=30
                    )
                    if page.status_code != 200:
                        refused = page
            finally:
                slow.join(30)
            if refused is not None:
                break
        assert refused is not None, "the slow query never held the worker"
        assert refused.status_code in (429, 503), refused.status_code
        assert refused.headers["content-type"].startswith("text/html")
        assert refused.headers["retry-after"].isdigit()
        assert int(refused.headers["retry-after"]) > 0


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def logs() -> Iterator[Records]:
    """Records of the service's and uvicorn's loggers (uvicorn's do not reach the root)."""
    handler = Records()
    loggers = [logging.getLogger(name) for name in ("vawmw", "uvicorn.error", "uvicorn")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
    logging.getLogger("vawmw").setLevel(logging.INFO)
    try:
        yield handler
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)


@pytest.mark.parametrize(
    "content_type", ["application/sparql-query", "application/x-www-form-urlencoded"]
)
def test_client_gone_mid_body_is_one_info_line(
    server_url: str, logs: Records, content_type: str
) -> None:
    address = urlsplit(server_url)
    head = (
        "POST /sparql HTTP/1.1\r\n"
        f"Host: {address.netloc}\r\n"
        f"Content-Type: {content_type}\r\n"
        "Content-Length: 1000\r\n\r\n"
    )
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(head.encode("ascii") + b"query=ASK")
        time.sleep(0.2)  # the body has started to arrive
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if any("disconnected" in r.getMessage() for r in logs.records):
            break
        time.sleep(0.05)
    assert httpx.get(server_url + "/health").status_code == 200
    notes = [r for r in logs.records if "disconnected" in r.getMessage()]
    assert len(notes) == 1, [r.getMessage() for r in logs.records]
    assert notes[0].levelno == logging.INFO
    assert "\n" not in notes[0].getMessage() and notes[0].exc_info is None
    assert [r for r in logs.records if r.levelno >= logging.ERROR or r.exc_info] == []
