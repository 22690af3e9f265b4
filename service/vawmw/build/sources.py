"""Loading the sources of a release: the Turtle of ``ontology/``, ``graph/``, ``shapes/`` and
(when present) the vendored UN extract of ``un/``, and the competency queries of ``queries/``.

Files are read in sorted order. A syntax error names the file, line and column. Blank
nodes are relabelled from the file name and their order of appearance, so that two
loads of the same sources give the same blank node labels and the dumps are reproducible.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pyoxigraph as ox

from vawmw.rdf.namespaces import OPTIONAL_SOURCE_FOLDERS, SOURCE_FILE_GRAPHS, SOURCE_GRAPHS
from vawmw.release import layout

SOURCE_SUFFIX = ".ttl"


class SourceSyntaxError(Exception):
    """A source file is not valid Turtle."""

    def __init__(self, path: Path, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path = path
        self.line = line
        self.column = column
        self.message = message


class SourceLayoutError(Exception):
    """The source tree lacks a folder that a release needs, or holds a file it cannot take."""


class SourceReadError(Exception):
    """A source file exists but cannot be read (permissions, an I/O error)."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(f"{path}: {error.strerror or error}")
        self.path = path


@dataclass
class SourceSet:
    """The parsed sources: triples per named graph, and where each subject was written."""

    triples: dict[str, list[ox.Triple]] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    subject_files: dict[str, set[Path]] = field(default_factory=dict)

    def graph(self, graph_iri: str) -> list[ox.Triple]:
        return self.triples.get(graph_iri, [])

    def quads(self) -> Iterator[ox.Quad]:
        for graph_iri, triples in self.triples.items():
            graph = ox.NamedNode(graph_iri)
            for triple in triples:
                yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)

    def files_defining(self, subject: str) -> list[Path]:
        """The source files in which ``subject`` (an IRI) appears as a subject."""
        return sorted(self.subject_files.get(subject, set()))

    def count(self) -> int:
        return sum(len(triples) for triples in self.triples.values())


def source_files(root: Path, folder: str) -> list[Path]:
    directory = root / folder
    if folder in OPTIONAL_SOURCE_FOLDERS and not directory.exists():
        return []
    if not directory.is_dir():
        needed = ", ".join(
            f"{name}/" for name in SOURCE_GRAPHS if name not in OPTIONAL_SOURCE_FOLDERS
        )
        raise SourceLayoutError(
            f"{directory} is missing: a release needs {needed}. Run vawmw from the "
            "repository root, or pass --root DIR (before the command: vawmw --root DIR serve)"
        )
    return sorted(directory.rglob(f"*{SOURCE_SUFFIX}"))


# graph/VERSION: the version of the data, one line. The ontology carries its own version
# (owl:versionInfo), which a data release does not bump (ontology/README.md).
DATA_VERSION_FILE: Final = "VERSION"
_VERSION_TEXT: Final = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+-]{0,63}")


def data_version_path(root: Path) -> Path:
    return root / "graph" / DATA_VERSION_FILE


def data_version(root: Path) -> str | None:
    """The data's version from ``graph/VERSION``, or None when the sources give none."""
    path = data_version_path(root)
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise SourceLayoutError(f"{path}: cannot be read as UTF-8 text ({error})") from error
    if not _VERSION_TEXT.fullmatch(text):
        raise SourceLayoutError(
            f"{path}, line 1, column 1: {text[:40]!r} is not a version; write one line of "
            "letters, digits, '.', '+' or '-' (for example 2026.11.30)"
        )
    return text


def has_sources(root: Path) -> bool:
    """Whether ``root`` holds every source folder a release is built from."""
    required = (name for name in SOURCE_GRAPHS if name not in OPTIONAL_SOURCE_FOLDERS)
    return all((root / folder).is_dir() for folder in required)


def sources_digest(root: Path) -> str:
    """SHA-256 over every build input under ``root``: each file's path relative to ``root``
    and its bytes, in sorted order. It names the sources a release was built from
    (``release.json``), so that ``vawmw serve`` can tell a release is stale; it depends on
    nothing but the inputs, so two builds of the same sources still write the same bytes.
    """
    paths = [path for folder in SOURCE_GRAPHS for path in source_files(root, folder)]
    if data_version_path(root).is_file():
        paths.append(data_version_path(root))
    queries = root / layout.QUERIES_DIR_NAME
    if queries.is_dir():
        paths += sorted(queries.glob(f"*{layout.QUERY_SUFFIX}"))
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda found: found.relative_to(root).as_posix()):
        try:
            content = path.read_bytes()
        except OSError as error:
            raise SourceReadError(path, error) from error
        name = path.relative_to(root).as_posix().encode()
        digest.update(b"%d:%s%d:" % (len(name), name, len(content)))
        digest.update(content)
    return digest.hexdigest()


def parse_turtle(path: Path, root: Path | None = None) -> list[ox.Triple]:
    """Parse one Turtle file, relabelling blank nodes deterministically."""
    label_prefix = _blank_node_prefix(path, root)
    relabelled: dict[str, ox.BlankNode] = {}

    def stable(term: ox.BlankNode) -> ox.BlankNode:
        known = relabelled.get(term.value)
        if known is None:
            known = ox.BlankNode(f"{label_prefix}{len(relabelled) + 1}")
            relabelled[term.value] = known
        return known

    triples: list[ox.Triple] = []
    try:
        for parsed in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            subject = (
                stable(parsed.subject)
                if isinstance(parsed.subject, ox.BlankNode)
                else parsed.subject
            )
            obj = (
                stable(parsed.object) if isinstance(parsed.object, ox.BlankNode) else parsed.object
            )
            triples.append(ox.Triple(subject, parsed.predicate, obj))
    except SyntaxError as error:
        raise SourceSyntaxError(path, error.lineno or 0, error.offset or 0, error.msg) from error
    except OSError as error:
        raise SourceReadError(path, error) from error
    return triples


def load_sources(root: Path) -> SourceSet:
    """Parse every source file under ``root`` into the named graph its folder feeds."""
    sources = SourceSet()
    for folder, folder_graph in SOURCE_GRAPHS.items():
        sources.triples.setdefault(folder_graph, [])
        for path in source_files(root, folder):
            relative = path.relative_to(root).as_posix()
            graph_iri = SOURCE_FILE_GRAPHS.get(relative, folder_graph)
            triples = parse_turtle(path, root)
            sources.triples.setdefault(graph_iri, []).extend(triples)
            sources.files.append(path)
            for triple in triples:
                if isinstance(triple.subject, ox.NamedNode):
                    sources.subject_files.setdefault(triple.subject.value, set()).add(path)
    return sources


def load_queries(root: Path) -> dict[str, bytes]:
    """The competency queries of ``root/queries/*.rq``: file name -> bytes, as written.

    A tree without ``queries/`` has none. A name that could not stand in a URL path or a
    SHA256SUMS line (a space, a newline) is refused rather than renamed.
    """
    folder = root / layout.QUERIES_DIR_NAME
    if not folder.is_dir():
        return {}
    queries: dict[str, bytes] = {}
    for path in sorted(folder.glob(f"*{layout.QUERY_SUFFIX}")):
        if not layout.SAFE_NAME.match(path.name):
            raise SourceLayoutError(
                f"{path}: a query file name may hold only letters, digits, '.', '_' and '-'"
            )
        try:
            queries[path.name] = path.read_bytes()
        except OSError as error:
            raise SourceReadError(path, error) from error
    return queries


def _blank_node_prefix(path: Path, root: Path | None) -> str:
    relative = (
        path.relative_to(root)
        if root is not None and path.is_relative_to(root)
        else Path(path.name)
    )
    stem = relative.with_suffix("").as_posix()
    return re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-") + "-b"
