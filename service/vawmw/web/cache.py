"""A bounded in-memory cache of computed answers, one per application (never module-wide).

A key must hold every input the cached answer varies on: build it with
:meth:`vawmw.web.http.Validators.key`, the same formula as the ETag, so that what is cached and
what is revalidated never disagree. The cache lives on the application's state
(:class:`vawmw.web.routes.ServiceState`), so two applications never share an entry.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

__all__ = ["LruCache"]

V = TypeVar("V")


class LruCache(Generic[V]):
    """At most ``maxsize`` entries; the least recently used one goes first."""

    def __init__(self, maxsize: int) -> None:
        if maxsize < 1:
            raise ValueError(f"a cache holds at least one entry, not {maxsize}")
        self.maxsize = maxsize
        self._entries: OrderedDict[str, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def get(self, key: str) -> V | None:
        """The entry for ``key`` (now the most recently used), or None."""
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def put(self, key: str, value: V) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)

    async def get_or_compute(self, key: str, compute: Callable[[], Awaitable[V]]) -> V:
        """The entry for ``key``, computed and kept when missing.

        An exception from ``compute`` propagates and nothing is kept: a failed page is not
        cached. Two requests for a missing key may both compute it (the answers are equal).
        """
        value = self.get(key)
        if value is None:
            value = await compute()
            self.put(key, value)
        return value
