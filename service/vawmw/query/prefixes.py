"""The predeclared prefixes, for a store that cannot be given them apart from the query text.

The embedded engine takes them as a parser option (``prefixes=``). An external store only gets
the text, so the prefixes a query uses without declaring them are written in front of it, on
its first line, so that the store's line numbers stay the user's. A query's own ``PREFIX``
wins: a name it declares is never written again.
"""

from __future__ import annotations

import re
from typing import Final

from vawmw.rdf.namespaces import PREFIXES

# One pattern per prefix, built once: each search is linear in the query.
_DECLARED: Final = {name: re.compile(rf"(?i:prefix)\s+{re.escape(name)}:") for name in PREFIXES}
_USED: Final = {name: re.compile(rf"(?<![\w.\-:]){re.escape(name)}:") for name in PREFIXES}


def missing_prologue(query: str) -> str:
    """``PREFIX`` declarations, on one line, for the known prefixes ``query`` uses but does not
    declare; empty when there are none."""
    return "".join(
        f"PREFIX {name}: <{iri}> "
        for name, iri in PREFIXES.items()
        if _USED[name].search(query) and not _DECLARED[name].search(query)
    )
