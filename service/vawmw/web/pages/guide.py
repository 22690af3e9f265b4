"""The researchers' guide (``docs/GUIDE.md``) as a page of the site.

The guide is written in Markdown and kept in ``docs/`` beside the other documents; the page
renders it with markdown-it-py (CommonMark plus tables). Raw HTML in the Markdown is not passed
through but shown as text, and markdown-it refuses ``javascript:`` and similar link targets,
so the page keeps the site's content security policy without a sanitizer.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Final

from markdown_it import MarkdownIt

from vawmw.web.pages.layout import ReleaseMeta, page

GUIDE_NAME: Final = Path("docs") / "GUIDE.md"
TITLE: Final = "A guide for researchers"
PATH: Final = "/guide"
# The source tree's copy (an editable install, the tests) first, then the working directory's
# (`vawmw serve` run from a checkout, as the README says, with the package installed).
_SOURCE_ROOT: Final = Path(__file__).resolve().parents[4]


def guide_file(cwd: Path | None = None) -> Path | None:
    """Where the guide is, or None when neither the source tree nor ``cwd`` has one."""
    for root in (_SOURCE_ROOT, cwd if cwd is not None else Path.cwd()):
        candidate = root / GUIDE_NAME
        if candidate.is_file():
            return candidate
    return None


def digest(markdown: str) -> str:
    """A short digest of the guide's text: it names the page's version in its ETag."""
    return hashlib.sha256(markdown.encode("utf-8")).hexdigest()[:16]


def render_guide(markdown: str, release: ReleaseMeta) -> str:
    """The guide in the site's layout."""
    renderer = MarkdownIt("commonmark", {"html": False}).enable("table")
    body = f'<article class="guide">\n{renderer.render(markdown)}</article>'
    return page(TITLE, body, release, current=PATH)
