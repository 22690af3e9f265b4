"""How a prebuilt document is stored: which file holds a format's bytes, compressed how, and
the table of formats that deploy/run-nginx reads (``site/formats.json``), so that nginx's
content negotiation has one source, :mod:`vawmw.rdf.formats`.

Stored gzip-compressed: about 7,000 small documents take a 4 KB block each at least, and
compressed most fit in one (measured: ``ld/`` 47 MB by ``du`` plain, under 30 MB compressed).
nginx serves the files with ``gzip_static always`` and ``gunzip on``: a client that does not
accept gzip gets them decompressed. A format whose documents are byte-identical to another's
is not stored twice (:data:`SAME_BYTES`); the build checks that they are.

Imports nothing of the web application: the routes (through :mod:`vawmw.web.prebuilt`) use it.
"""

from __future__ import annotations

from typing import Any, Final

from vawmw.rdf import formats
from vawmw.rdf.formats import Format
from vawmw.release import layout
from vawmw.web import negotiation

__all__ = ["COMPRESSED", "SAME_BYTES", "file_name", "stored_format", "table"]

COMPRESSED: Final = ".gz"
# A resource document is one graph, the default graph: its N-Quads are its N-Triples, byte for
# byte (the same writer, every quad without a graph name); served from the N-Triples file.
SAME_BYTES: Final[dict[Format, Format]] = {formats.NQUADS: formats.NTRIPLES}


def stored_format(fmt: Format) -> Format:
    """The format whose file holds ``fmt``'s bytes."""
    return SAME_BYTES.get(fmt, fmt)


def file_name(path: str, fmt: Format) -> str | None:
    """The stored file, relative to ``ld/``, of ``path``'s document in ``fmt``, or None."""
    name = layout.document_name(path, stored_format(fmt).extension)
    return None if name is None else name + COMPRESSED


def _entry(fmt: Format) -> dict[str, Any]:
    return {
        "name": fmt.name,
        "type": fmt.media_type,
        "aliases": list(fmt.aliases),
        "content_type": fmt.content_type,
        "file": stored_format(fmt).extension,
    }


def _params(offers: tuple[Format, ...]) -> dict[str, str]:
    """Each short ``format=`` value and the format the service answers for it."""
    found = {}
    for value in (*negotiation.PARAM_VALUES, *(f.extension for f in offers)):
        fmt = negotiation.format_from_param(value, offers)
        if fmt is not None:
            found[value] = fmt.name
    return found


def table() -> dict[str, Any]:
    """``site/formats.json``: the resource formats in the service's order of preference, the
    file that holds each (its extension, before :data:`COMPRESSED`), what each ``format=``
    value names, and the 406 message, as the routes use them."""
    offers = formats.RESOURCE_FORMATS
    return {
        "resource": [_entry(f) for f in offers],
        "params": _params(offers),
        "compressed": COMPRESSED,
        "message": negotiation.RESOURCE_MESSAGE,
    }
