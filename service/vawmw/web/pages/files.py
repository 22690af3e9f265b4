"""The pages of the release's files: ``/dumps/`` (downloads) and ``/queries`` (example queries).

Pure renderers: the release routes list the files and read the queries; these functions print
them in the site's layout. Every link is a path on this server.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from vawmw.web.pages.layout import (
    ReleaseMeta,
    esc,
    link,
    page,
    sparql_data_href,
    sparql_run_href,
    table,
)


@dataclass(frozen=True)
class QueryExample:
    """An example query of the release, with the ``# title:`` and ``# description:`` it gives."""

    name: str  # the file name without ``.rq``
    title: str
    description: str
    query: str

    @classmethod
    def parse(cls, file_name: str, text: str) -> QueryExample:
        """The query in ``text``; its title is the file's name unless a comment gives one."""
        name = file_name.removesuffix(".rq")
        found = {"title": name, "description": ""}
        for line in text.splitlines():
            stripped = line.strip()
            if not stripped.startswith("#"):
                continue
            key, sep, value = stripped.lstrip("#").strip().partition(":")
            if sep and key.strip().lower() in found:
                found[key.strip().lower()] = value.strip()
        return cls(name, found["title"], found["description"], text)


@dataclass(frozen=True)
class DumpFile:
    """One downloadable file of the release."""

    name: str
    sha256: str
    size: int | None  # bytes; None when the file is missing

    @property
    def href(self) -> str:
        return "/dumps/" + quote(self.name)


def render_dumps(release: ReleaseMeta, files: Sequence[DumpFile], checksums: str) -> str:
    """``/dumps/``: the release's files with their sizes and SHA-256; ``checksums`` names the
    file that lists them (``sha256sum -c``)."""
    rows = [
        [
            link(f.href, f.name),
            "" if f.size is None else f"{f.size:,}",
            f'<code class="digest">{esc(f.sha256)}</code>',
        ]
        for f in files
    ]
    body = (
        "<h1>Downloads</h1>"
        f"<p>The files of release {esc(release.version)} (id <code>{esc(release.release_id)}"
        f"</code>), issued {esc(release.issued)}. Data CC BY 4.0: attribute report A/78/292.</p>"
        f"<p>Checksums: {link('/dumps/' + quote(checksums), checksums)} (check the downloads "
        f"with <code>sha256sum -c {esc(checksums)}</code>).</p>"
    )
    if rows:
        listing = table(
            "The release files",
            ["File", "Bytes", "SHA-256"],
            rows,
            cls="files",
            caption_hidden=True,
        )
        body += f'<div class="table-scroll">{listing}</div>'
    else:
        body += "<p>This release has no files to download.</p>"
    return page("Downloads", body, release, current="/dumps/")


def render_queries(release: ReleaseMeta, queries: Sequence[QueryExample]) -> str:
    """``/queries``: the competency questions, each with links that run it."""
    items = "".join(_query_item(index, q) for index, q in enumerate(queries))
    body = (
        "<h1>Example queries</h1>"
        "<p>The competency questions of the knowledge graph, as SPARQL queries. "
        '"Run" opens a query in the <a href="/sparql">SPARQL editor</a> with its results; the '
        "raw results come from the endpoint itself.</p>"
    )
    if items:
        body += f'<ol class="query-list">{items}</ol>'
    else:
        body += "<p>No example queries are installed.</p>"
    return page("Example queries", body, release, current="/queries")


def _query_item(index: int, query: QueryExample) -> str:
    heading = f"query-{index}"
    runs = " · ".join(
        (
            link(sparql_run_href(query.query), "Run", cls="run-query"),
            link(sparql_data_href(query.query, "json"), "results as JSON"),
            link(sparql_data_href(query.query, "csv"), "results as CSV"),
        )
    )
    return (
        f'<li><article aria-labelledby="{heading}">'
        f'<h2 id="{heading}">{esc(query.title)}</h2>'
        + (f"<p>{esc(query.description)}</p>" if query.description else "")
        + f'<p class="query-links">{runs}</p>'
        f"<details><summary>The query (<code>{esc(query.name)}.rq</code>)</summary>"
        f"<pre><code>{esc(query.query)}</code></pre></details></article></li>"
    )
