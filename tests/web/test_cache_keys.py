"""Defect 1: caches keyed by less than what varies, module-wide and unbounded.

The rendered pages and the Service Description are now kept in bounded LRU caches that belong
to one application (its ``ServiceState``), under the key of the one validator formula. (The
Host-poisoning regression itself is tests/web/test_caching.py.)
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI
from starlette.requests import Request
from vawmw.settings import ServiceSettings
from vawmw.web.app import create_app
from vawmw.web.cache import LruCache
from vawmw.web.routes import ServiceState, StateMissing, service_state

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _state(app: FastAPI) -> ServiceState:
    state = app.state.service
    assert isinstance(state, ServiceState)
    return state


def test_the_cache_is_bounded_and_drops_the_least_recently_used() -> None:
    cache: LruCache[str] = LruCache(3)
    for key in ("a", "b", "c"):
        cache.put(key, key.upper())
    assert cache.get("a") == "A"  # a is now the most recently used
    cache.put("d", "D")
    assert len(cache) == 3
    assert "b" not in cache  # the least recently used one went
    assert [cache.get(k) for k in ("a", "c", "d")] == ["A", "C", "D"]
    for index in range(100):
        cache.put(f"k{index}", "x")
    assert len(cache) == 3


def test_a_failed_computation_is_not_kept() -> None:
    cache: LruCache[str] = LruCache(2)

    async def fails() -> str:
        raise LookupError("the page's query failed")

    async def works() -> str:
        return "page"

    with pytest.raises(LookupError):
        asyncio.run(cache.get_or_compute("home", fails))
    assert "home" not in cache
    assert asyncio.run(cache.get_or_compute("home", works)) == "page"
    assert cache.get("home") == "page"


def test_an_empty_cache_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        LruCache(0)


def test_each_application_has_its_own_caches(settings: ServiceSettings) -> None:
    one, two = _state(create_app(settings)), _state(create_app(settings))
    assert one.pages is not two.pages and one.descriptions is not two.descriptions
    one.pages.put("home", "<p>one</p>")
    assert "home" not in two.pages
    assert one.pages.maxsize > 0 and one.descriptions.maxsize > 0


def test_a_served_page_is_kept_in_its_own_applications_cache(settings: ServiceSettings) -> None:
    """The home page, asked for under two Hosts, is one entry of its application's cache."""
    app, other = create_app(settings), create_app(settings)
    state = _state(app)

    async def visit() -> list[int]:
        await state.pool.start()
        try:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return [
                    (await client.get("/", headers={"accept": BROWSER, "host": host})).status_code
                    for host in ("test", "evil.example")
                ]
        finally:
            await state.pool.close()

    assert asyncio.run(visit()) == [200, 200]
    assert len(state.pages) == 1  # one page: the Host is not an input of the home page
    assert len(_state(other).pages) == 0


def test_service_description_is_cached_per_origin(server_url: str) -> None:
    """Two origins, two entries: the description of one never answers for the other."""
    turtle = {"accept": "text/turtle"}
    first = httpx.get(server_url + "/sparql", headers={**turtle, "host": "one.example"})
    second = httpx.get(server_url + "/sparql", headers={**turtle, "host": "two.example"})
    assert "http://one.example/sparql" in first.text and "two.example" not in first.text
    assert "http://two.example/sparql" in second.text and "one.example" not in second.text
    assert first.headers["etag"] != second.headers["etag"]


def test_a_request_without_service_state_is_refused_precisely() -> None:
    app = FastAPI()
    request = Request({"type": "http", "app": app, "headers": []})
    with pytest.raises(StateMissing, match="create_app"):
        service_state(request)
