"""``vawmw build``: load, check, reason, validate, then write the release atomically.

A release is a value. It is written into a temporary sibling directory and renamed into
place only when complete, so a failed build leaves the previous release untouched. Every
file except the Oxigraph store is byte-reproducible: output is sorted, blank nodes carry
labels derived from their source, and dates come from the sources (the ontology's
``dcterms:modified`` or ``SOURCE_DATE_EPOCH``), never from the clock.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import pyoxigraph as ox

from vawmw.build import quality, reasoning, validation
from vawmw.build.sources import SourceSet, load_sources
from vawmw.build.void import Distribution, describe_release
from vawmw.rdf.namespaces import (
    GRAPH_DATA,
    GRAPH_INFERRED,
    GRAPH_ONTOLOGY,
    GRAPH_SHAPES,
    ONTOLOGY_IRI,
    PREFIXES,
)
from vawmw.rdf.terms import quad_sort_key, triple_sort_key
from vawmw.release.manifest import CHECKSUMS_NAME, MANIFEST_NAME, STORE_DIR_NAME, ReleaseInfo

OWL_VERSION_INFO: Final = PREFIXES["owl"] + "versionInfo"
DCTERMS_MODIFIED: Final = PREFIXES["dcterms"] + "modified"

TRIG_NAME: Final = "vawmw.trig"
NQUADS_NAME: Final = "vawmw.nq"
TURTLE_NAME: Final = "vawmw.ttl"
JSONLD_NAME: Final = "vawmw.jsonld"
VOID_NAME: Final = "void.ttl"
GRAPH_ORDER: Final = (GRAPH_ONTOLOGY, GRAPH_DATA, GRAPH_INFERRED, GRAPH_SHAPES)


class BuildError(Exception):
    """The sources do not make a release; the message says why and where."""


class QualityGateError(BuildError):
    """ERROR findings, each with where its entity is written and the check's advice."""

    def __init__(
        self, findings: list[quality.QualityFinding], files_of: dict[str, list[str]]
    ) -> None:
        advice = {
            check: description for check, (_sev, description) in quality.load_profile().items()
        }
        lines = []
        for f in findings:
            where = f" [{', '.join(files_of[f.entity])}]" if files_of.get(f.entity) else ""
            lines.append(f"{f.check}: <{f.entity}> {f.property} {f.value}".rstrip() + where)
            lines.append(f"    {advice.get(f.check, '')}")
        super().__init__(f"{len(findings)} quality check(s) at ERROR:\n" + "\n".join(lines))
        self.findings = findings


class ShapeViolationError(BuildError):
    def __init__(self, results: list[validation.ShapeResult]) -> None:
        body = "\n".join(result.describe() for result in results)
        super().__init__(f"{len(results)} SHACL violation(s):\n{body}")
        self.results = results


@dataclass
class BuildReport:
    """What a build did: seconds per step, triples per graph, and the warnings it let through."""

    seconds: dict[str, float] = field(default_factory=dict)
    graph_sizes: dict[str, int] = field(default_factory=dict)
    warnings: list[validation.ShapeResult] = field(default_factory=list)
    quality_findings: list[quality.QualityFinding] = field(default_factory=list)
    release: ReleaseInfo | None = None

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = time.perf_counter() - started


@dataclass(frozen=True)
class CheckedSources:
    sources: SourceSet
    inferred: list[ox.Triple]


def check_sources(
    root: Path,
    report: BuildReport,
    on_step: Callable[[str], None] = lambda _name: None,
    budget_factor: int = reasoning.DEFAULT_BUDGET_FACTOR,
) -> CheckedSources:
    """Load, quality-check, reason and validate; raise on anything that must stop a release."""
    on_step("load")
    with report.step("load"):
        sources = load_sources(root)
    described = sources.graph(GRAPH_ONTOLOGY) + sources.graph(GRAPH_DATA)

    on_step("quality")
    with report.step("quality"):
        store = ox.Store()
        store.extend(sources.quads())
        findings = quality.run_checks(store)
        report.quality_findings = findings
        errors = quality.errors(findings)
        if errors:
            raise QualityGateError(errors, _files_of(root, sources))

    on_step("reason")
    with report.step("reason"):
        try:
            closure = reasoning.owl_rl_closure(described, budget_factor=budget_factor)
        except (reasoning.ReasoningBudgetError, reasoning.InconsistencyError) as error:
            raise BuildError(str(error)) from error

    on_step("shacl")
    with report.step("shacl"):
        files_of = _files_of(root, sources)
        results = validation.validate_shapes(described, sources.graph(GRAPH_SHAPES), files_of)
        report.warnings = [r for r in results if r.severity != validation.VIOLATION]
        failures = validation.violations(results)
        if failures:
            raise ShapeViolationError(failures)
    return CheckedSources(sources=sources, inferred=closure.inferred)


def _files_of(root: Path, sources: SourceSet) -> dict[str, list[str]]:
    """For each subject IRI, the source files (relative to ``root``) that describe it."""
    return {
        iri: [str(path.relative_to(root)) for path in sources.files_defining(iri)]
        for iri in sources.subject_files
    }


def build_release(
    root: Path,
    out_dir: Path,
    on_step: Callable[[str], None] = lambda _name: None,
    budget_factor: int = reasoning.DEFAULT_BUDGET_FACTOR,
) -> BuildReport:
    """Build the release of the sources under ``root`` into ``out_dir``."""
    report = BuildReport()
    checked = check_sources(root, report, on_step, budget_factor)
    on_step("write")
    with report.step("write"):
        report.release = write_release(checked, out_dir, report)
    return report


def write_release(checked: CheckedSources, out_dir: Path, report: BuildReport) -> ReleaseInfo:
    graphs: dict[str, list[ox.Triple]] = {
        GRAPH_ONTOLOGY: sorted(set(checked.sources.graph(GRAPH_ONTOLOGY)), key=triple_sort_key),
        GRAPH_DATA: sorted(set(checked.sources.graph(GRAPH_DATA)), key=triple_sort_key),
        GRAPH_INFERRED: checked.inferred,
        GRAPH_SHAPES: sorted(set(checked.sources.graph(GRAPH_SHAPES)), key=triple_sort_key),
    }
    report.graph_sizes = {iri: len(triples) for iri, triples in graphs.items()}
    version = _single_literal(graphs[GRAPH_ONTOLOGY], ONTOLOGY_IRI, OWL_VERSION_INFO) or "0.0.0"
    issued = _issued_date(graphs[GRAPH_ONTOLOGY])
    quads = sorted(
        (
            ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(iri))
            for iri in GRAPH_ORDER
            for t in graphs[iri]
        ),
        key=quad_sort_key,
    )
    merged = sorted(
        {t for iri in (GRAPH_ONTOLOGY, GRAPH_DATA, GRAPH_INFERRED) for t in graphs[iri]},
        key=triple_sort_key,
    )

    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=out_dir.parent))
    complete = False
    try:
        prefixes = dict(PREFIXES)
        ox.serialize(quads, str(staging / TRIG_NAME), ox.RdfFormat.TRIG, prefixes=prefixes)
        ox.serialize(quads, str(staging / NQUADS_NAME), ox.RdfFormat.N_QUADS)
        ox.serialize(merged, str(staging / TURTLE_NAME), ox.RdfFormat.TURTLE, prefixes=prefixes)
        ox.serialize(merged, str(staging / JSONLD_NAME), ox.RdfFormat.JSON_LD, prefixes=prefixes)

        store = ox.Store(str(staging / STORE_DIR_NAME))
        store.bulk_extend(quads)
        store.flush()
        distributions = [
            Distribution(name, _sha256(staging / name), (staging / name).stat().st_size)
            for name in (TRIG_NAME, NQUADS_NAME, TURTLE_NAME, JSONLD_NAME)
        ]
        void_triples = describe_release(
            store,
            version=version,
            issued=issued,
            graph_sizes=report.graph_sizes,
            distributions=distributions,
        )
        del store
        ox.serialize(
            sorted(void_triples, key=triple_sort_key),
            str(staging / VOID_NAME),
            ox.RdfFormat.TURTLE,
            prefixes=prefixes,
        )

        files = {d.file_name: d.sha256 for d in distributions}
        files[VOID_NAME] = _sha256(staging / VOID_NAME)
        checksums = "".join(f"{digest}  {name}\n" for name, digest in sorted(files.items()))
        (staging / CHECKSUMS_NAME).write_text(checksums, encoding="utf-8")
        manifest = {
            "version": version,
            "release_id": hashlib.sha256(checksums.encode()).hexdigest()[:20],
            "issued": issued,
            "graphs": report.graph_sizes,
            "files": dict(sorted(files.items())),
        }
        (staging / MANIFEST_NAME).write_text(
            json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8"
        )
        _swap_into_place(staging, out_dir)
        complete = True
    finally:
        if not complete:
            shutil.rmtree(staging, ignore_errors=True)
    return ReleaseInfo.load(out_dir)


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging`` with renames, so no reader sees half a release."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.retired-", dir=out_dir.parent))
    retired.rmdir()
    out_dir.rename(retired)
    try:
        staging.rename(out_dir)
    except OSError:
        retired.rename(out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _single_literal(triples: list[ox.Triple], subject: str, predicate: str) -> str | None:
    for triple in triples:
        if (
            isinstance(triple.subject, ox.NamedNode)
            and triple.subject.value == subject
            and triple.predicate.value == predicate
            and isinstance(triple.object, ox.Literal)
        ):
            return triple.object.value
    return None


def _issued_date(ontology: list[ox.Triple]) -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()
    modified = _single_literal(ontology, ONTOLOGY_IRI, DCTERMS_MODIFIED)
    if modified is None:
        raise BuildError(
            f"the ontology header <{ONTOLOGY_IRI}> needs dcterms:modified "
            "(or set SOURCE_DATE_EPOCH)"
        )
    return modified[:10]
