"""``vawmw build``: load, check, reason, validate, then write the release atomically.

A release is a value, written by :mod:`vawmw.build.writer`: a failed build leaves the previous
release untouched. Every file except the Oxigraph store is byte-reproducible: output is
sorted, blank nodes carry labels derived from their source, queries are copied byte for byte,
and dates come from the sources (the ontology's ``dcterms:modified`` or
``SOURCE_DATE_EPOCH``), never from the clock.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import pyoxigraph as ox

from vawmw.build import quality, reasoning, validation, writer
from vawmw.build.sources import (
    SourceSet,
    data_version,
    load_queries,
    load_sources,
    sources_digest,
)
from vawmw.build.void import Distribution, describe_release
from vawmw.rdf import jsonld
from vawmw.rdf.namespaces import (
    GRAPH_DATA,
    GRAPH_INFERRED,
    GRAPH_INTERPRETATIONS,
    GRAPH_ONTOLOGY,
    GRAPH_SHAPES,
    GRAPH_UN,
    ONTOLOGY_IRI,
    PREFIXES,
)
from vawmw.rdf.terms import quad_sort_key, triple_sort_key
from vawmw.release import layout
from vawmw.release.manifest import ReleaseInfo

OWL_VERSION_INFO: Final = PREFIXES["owl"] + "versionInfo"
OWL_VERSION_IRI: Final = PREFIXES["owl"] + "versionIRI"
DCTERMS_MODIFIED: Final = PREFIXES["dcterms"] + "modified"

GRAPH_ORDER: Final = (
    GRAPH_ONTOLOGY,
    GRAPH_DATA,
    GRAPH_INTERPRETATIONS,
    GRAPH_INFERRED,
    GRAPH_SHAPES,
    GRAPH_UN,
)
# What the merged dumps (Turtle, JSON-LD) hold: everything but the shapes and the UN extract
# (UNSD's data, under UNSD's terms: it travels only in the dumps that keep graphs apart).
MERGED_GRAPHS: Final = (GRAPH_ONTOLOGY, GRAPH_DATA, GRAPH_INTERPRETATIONS, GRAPH_INFERRED)


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
    queries: dict[str, bytes] = field(default_factory=dict)  # queries/*.rq: name -> bytes
    digest: str | None = None  # of the source files (sources.sources_digest)
    data_version: str | None = None  # graph/VERSION, apart from the ontology's version


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
        queries = load_queries(root)
        digest = sources_digest(root)
        version = data_version(root)
    # The closure rests on what the report states; an interpretation never enters it. SHACL
    # checks the interpretations too, since they use the same terms.
    described = sources.graph(GRAPH_ONTOLOGY) + sources.graph(GRAPH_DATA)
    validated = described + sources.graph(GRAPH_INTERPRETATIONS)

    on_step("quality")
    with report.step("quality"):
        store = ox.Store()
        # The UN extract is UNSD's, copied unchanged: the project's checks judge its own data.
        un_graph = ox.NamedNode(GRAPH_UN)
        store.extend(quad for quad in sources.quads() if quad.graph_name != un_graph)
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
        results = validation.validate_shapes(validated, sources.graph(GRAPH_SHAPES), files_of)
        report.warnings = [r for r in results if r.severity != validation.VIOLATION]
        failures = validation.violations(results)
        if failures:
            raise ShapeViolationError(failures)
    return CheckedSources(
        sources=sources,
        inferred=closure.inferred,
        queries=queries,
        digest=digest,
        data_version=version,
    )


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
    documents: Callable[[Path], object] | None = None,
) -> BuildReport:
    """Build the release of the sources under ``root`` into ``out_dir``; then, when given,
    ``documents(out_dir)`` renders what is derived from the written release (the command line
    passes :func:`vawmw.web.prebuild.writer.write_documents`: this layer may not import it)."""
    report = BuildReport()
    checked = check_sources(root, report, on_step, budget_factor)
    on_step("write")
    with report.step("write"):
        report.release = write_release(checked, out_dir, report)
    if documents is not None:
        on_step("documents")
        with report.step("documents"):
            documents(out_dir)
    return report


def write_release(checked: CheckedSources, out_dir: Path, report: BuildReport) -> ReleaseInfo:
    """Write the release of ``checked`` into ``out_dir`` atomically (:mod:`vawmw.build.writer`)."""
    graphs = _sorted_graphs(checked)
    report.graph_sizes = {iri: len(triples) for iri, triples in graphs.items()}
    # A release is the data's: it takes graph/VERSION; sources without one (a fixture, an older
    # checkout) fall back on the ontology's version, as every release did before the two parted.
    ontology_version = _single_literal(graphs[GRAPH_ONTOLOGY], ONTOLOGY_IRI, OWL_VERSION_INFO)
    version = checked.data_version or ontology_version or "0.0.0"
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
        {t for iri in MERGED_GRAPHS for t in graphs[iri]},
        key=triple_sort_key,
    )
    with writer.staged_release(out_dir) as staged:
        distributions = _write_dumps(staged, quads, merged, graphs[GRAPH_ONTOLOGY])
        store = ox.Store(str(staged.path / layout.STORE_DIR_NAME))
        store.bulk_extend(quads)
        store.flush()
        void_triples = describe_release(
            store,
            version=version,
            issued=issued,
            graph_sizes=report.graph_sizes,
            distributions=distributions,
            ontology_version_iri=_single_iri(graphs[GRAPH_ONTOLOGY], ONTOLOGY_IRI, OWL_VERSION_IRI),
        )
        del store  # closes the store before the directory is renamed into place
        _serialize(void_triples, staged.path / layout.VOID_NAME, ox.RdfFormat.TURTLE)
        staged.record(layout.VOID_NAME)
        staged.copy_queries(checked.queries)
        staged.finish(
            version=version, issued=issued, graphs=report.graph_sizes, sources=checked.digest
        )
    return ReleaseInfo.load(out_dir)


def _sorted_graphs(checked: CheckedSources) -> dict[str, list[ox.Triple]]:
    """The named graphs of the release, each without duplicates and in a stable order."""
    sources = checked.sources
    return {
        GRAPH_ONTOLOGY: sorted(set(sources.graph(GRAPH_ONTOLOGY)), key=triple_sort_key),
        GRAPH_DATA: sorted(set(sources.graph(GRAPH_DATA)), key=triple_sort_key),
        GRAPH_INTERPRETATIONS: sorted(
            set(sources.graph(GRAPH_INTERPRETATIONS)), key=triple_sort_key
        ),
        GRAPH_INFERRED: checked.inferred,
        GRAPH_SHAPES: sorted(set(sources.graph(GRAPH_SHAPES)), key=triple_sort_key),
        GRAPH_UN: sorted(set(sources.graph(GRAPH_UN)), key=triple_sort_key),
    }


def _write_dumps(
    staged: writer.StagedRelease,
    quads: list[ox.Quad],
    merged: list[ox.Triple],
    ontology: list[ox.Triple],
) -> list[Distribution]:
    """The four RDF dumps: every named graph (TriG, N-Quads), and the merged graphs; and the
    JSON-LD context, built from this ontology, that the JSON-LD dump names."""
    directory = staged.path
    context = jsonld.context_document(ontology)
    (directory / layout.CONTEXT_NAME).write_bytes(context)
    staged.record(layout.CONTEXT_NAME)
    ox.serialize(
        quads, str(directory / layout.TRIG_NAME), ox.RdfFormat.TRIG, prefixes=dict(PREFIXES)
    )
    ox.serialize(quads, str(directory / layout.NQUADS_NAME), ox.RdfFormat.N_QUADS)
    _serialize(merged, directory / layout.TURTLE_NAME, ox.RdfFormat.TURTLE)
    # Compact JSON-LD with @type, naming the context above (pyld, never the network).
    compact = jsonld.compact(sorted(merged, key=triple_sort_key), jsonld.parse_context(context))
    (directory / layout.JSONLD_NAME).write_bytes(compact)
    return [
        Distribution(name, staged.record(name), (directory / name).stat().st_size)
        for name in layout.DUMP_NAMES
    ]


def _serialize(triples: list[ox.Triple], path: Path, rdf_format: ox.RdfFormat) -> None:
    ox.serialize(
        sorted(triples, key=triple_sort_key), str(path), rdf_format, prefixes=dict(PREFIXES)
    )


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


def _single_iri(triples: list[ox.Triple], subject: str, predicate: str) -> str | None:
    for triple in triples:
        if (
            triple.subject == ox.NamedNode(subject)
            and triple.predicate.value == predicate
            and isinstance(triple.object, ox.NamedNode)
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
