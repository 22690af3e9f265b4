"""Defect 6: pyoxigraph iterators dropped on another thread than the one that made them.

pyoxigraph's store and query-result iterators (``QuadIter``, ``QuerySolutions``) are
"unsendable": dropping one on another thread reports "… is unsendable, but is being dropped on
another thread" through ``sys.unraisablehook``. A failed load or a failed remote answer raises
an error whose traceback holds the frames that hold such an iterator; wherever that error is
let go (pytest keeps it, a log handler keeps it, the event loop receives it from a worker
thread), the iterator must already be gone. Each test lets the error go on another thread and
listens for the report.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable

import httpx
import pyoxigraph as ox
import pytest
from vawmw.query.errors import BackendError
from vawmw.query.jobs import QueryJob
from vawmw.remote import client as remote
from vawmw.remote import loader
from vawmw.remote.backend import RemoteBackend
from vawmw.settings import ServiceSettings

from tests.remote.sparql_endpoint import Canned, sparql_endpoint

GRAPH = "http://example.org/g"


@pytest.fixture
def unraisable(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What reaches ``sys.unraisablehook`` during the test."""
    reports: list[str] = []

    def hook(report: sys.UnraisableHookArgs) -> None:
        reports.append(str(report.exc_value))

    monkeypatch.setattr(sys, "unraisablehook", hook)
    return reports


def _let_go_on_another_thread(kept: list[BaseException]) -> None:
    thread = threading.Thread(target=kept.clear)
    thread.start()
    thread.join()


def _failing_store(request: httpx.Request) -> httpx.Response:
    return httpx.Response(500 if request.url.path == "/store" else 200, text="broken")


def _load(handler: Callable[[httpx.Request], httpx.Response]) -> None:
    store = ox.Store()
    for i in range(3):
        triple = (ox.NamedNode(f"http://example.org/{i}"), ox.NamedNode("http://example.org/p"))
        store.add(ox.Quad(*triple, ox.Literal(str(i)), ox.NamedNode(GRAPH)))
    target = loader.Target("http://s.test/sparql", "http://s.test/update", "http://s.test/store")
    with remote.SparqlClient(transport=httpx.MockTransport(handler)) as client:
        loader.load_store(store, {GRAPH: 3}, target, client, batch_size=1)


def test_a_failed_load_leaves_no_store_iterator_behind(unraisable: list[str]) -> None:
    kept: list[BaseException] = []
    with pytest.raises(loader.LoadError) as caught:
        _load(_failing_store)
    kept.append(caught.value)
    del caught
    _let_go_on_another_thread(kept)
    assert unraisable == []


def test_a_failed_remote_answer_leaves_no_results_iterator_behind(
    unraisable: list[str],
) -> None:
    rows = b",".join(b'{"x":{"type":"literal","value":"%d"}}' % i for i in range(50))
    broken = b'{"head":{"vars":["x"]},"results":{"bindings":[' + rows + b",{"
    canned = Canned("application/sparql-results+json", broken)
    kept: list[BaseException] = []

    async def ask(url: str) -> None:
        backend = RemoteBackend(ServiceSettings(backend_url=url), [GRAPH])
        await backend.start()
        try:
            await backend.run(QueryJob("SELECT ?x {}", "csv"), client="test")
        except BackendError as error:
            kept.append(error)
        finally:
            await backend.close()

    with sparql_endpoint(ox.Store(), canned) as url:
        asyncio.run(ask(url))
    assert len(kept) == 1 and "invalid results" in str(kept[0])
    _let_go_on_another_thread(kept)
    assert unraisable == []
