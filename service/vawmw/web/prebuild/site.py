"""The pages and files besides the linked data that need no query once built: the home page,
the dashboard, the VoID description, the listings, the guide, the JSON-LD context and the
site's static files. Rendered by the application (a GET in process), written under ``site/``
as ``<stem>.<extension>``; deploy/nginx-static.conf.template names the same files.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from vawmw.rdf import formats
from vawmw.rdf.formats import Format
from vawmw.web.pages import guide
from vawmw.web.pages.layout import STATIC
from vawmw.web.prebuild.render import Renderer, Written, write_file
from vawmw.web.routes.context import CONTEXT_PATH

__all__ = ["SITE_PAGES", "STATIC_DIR", "SitePage", "render_site"]

STATIC_DIR: Final = "static"
_RDF: Final = (formats.TURTLE, formats.JSONLD, formats.NTRIPLES, formats.RDFXML)
_LISTING: Final = (formats.JSON_DOC, formats.HTML)


@dataclass(frozen=True)
class SitePage:
    """A page at ``path``, written as ``<stem>.<extension>`` in each of ``offers``."""

    path: str
    stem: str
    offers: tuple[Format, ...]


SITE_PAGES: Final = (
    SitePage("/", "home", (formats.HTML,)),
    SitePage("/dashboard", "dashboard", (formats.HTML,)),
    SitePage("/.well-known/void", "void", _RDF),
    SitePage("/queries", "queries", _LISTING),
    SitePage("/dumps/", "dumps", _LISTING),
    SitePage(guide.PATH, "guide", (formats.HTML,)),
    SitePage(CONTEXT_PATH, "context", (formats.JSONLD,)),
)


async def render_site(renderer: Renderer, out: Path) -> Written:
    """Write :data:`SITE_PAGES` (their 200s) and the static files under ``out``."""
    written = Written()
    for site_page in SITE_PAGES:
        for fmt in site_page.offers:
            body = await renderer.get(site_page.path, fmt)
            if body is not None:
                written.size += write_file(out / f"{site_page.stem}.{fmt.extension}", body)
                written.content += len(body)
                written.files += 1
    shutil.copytree(STATIC, out / STATIC_DIR, dirs_exist_ok=True)
    for path in (out / STATIC_DIR).rglob("*"):
        if path.is_file():
            written.files += 1
            written.size += path.stat().st_size
            written.content += path.stat().st_size
    return written
