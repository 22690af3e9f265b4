"""What a mistyped resource path likely meant: ``/id/state/phl`` → ``/id/state/PHL``.

A browser that gets a 404 under ``/id/`` is offered the resource whose IRI equals the one asked
for but for case. :class:`SubjectIndex` holds the release's subject IRIs under one namespace,
keyed by their lower-case form. It is filled once, by one query over the release (linear in the
store, and capped at :data:`MAX_SUBJECTS` rows) the first time a suggestion is wanted; every
later suggestion is one dictionary lookup. The release never changes while it is served, so the
index never goes stale.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Final

__all__ = ["MAX_SUBJECTS", "SubjectIndex", "subjects_query"]

# The most subject IRIs the index holds (the repository's release has a few thousand): the
# memory of the index is bounded whatever release is served.
MAX_SUBJECTS: Final = 200_000


def subjects_query(namespace: str) -> str:
    """The SPARQL query listing every subject IRI under ``namespace`` (one scan of the store)."""
    quoted = namespace.replace("\\", "\\\\").replace('"', '\\"')
    return (
        "SELECT DISTINCT ?s WHERE { ?s ?p ?o "
        f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{quoted}")) }}'
    )


class SubjectIndex:
    """Lower-case IRI → the release's IRI; filled once by ``load`` (see the module)."""

    def __init__(self, limit: int = MAX_SUBJECTS) -> None:
        self.limit = limit
        self.loads = 0  # how often the store was scanned: once per application
        self._index: dict[str, str] | None = None
        self._lock = asyncio.Lock()

    async def suggest(self, iri: str, load: Callable[[], Awaitable[Iterable[str]]]) -> str | None:
        """The subject IRI that equals ``iri`` but for case, or None.

        ``load`` lists the subjects; it runs on the first call only (and again only if it
        raised). Its errors reach the caller, which answers without a suggestion.
        """
        index = self._index
        if index is None:
            async with self._lock:  # concurrent 404s wait for one scan, not one each
                if self._index is None:
                    self.loads += 1
                    self._index = self._build(await load())
                index = self._index
        found = index.get(iri.lower())
        return found if found != iri else None

    def _build(self, subjects: Iterable[str]) -> dict[str, str]:
        index: dict[str, str] = {}
        for count, subject in enumerate(subjects):
            if count >= self.limit:
                break
            index.setdefault(subject.lower(), subject)  # the first of a case-clash wins
        return index
