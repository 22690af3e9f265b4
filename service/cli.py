"""The ``vawmw`` command: build | validate | query | serve | load.

Exit codes: 0 success, 1 the sources fail a check (quality, reasoning, SHACL) or a query
fails, 2 a source file is not valid Turtle or the command line is wrong, 3 the release
could not be written (disk, permissions).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from rich.console import Console
from rich.table import Table
from rich.text import Text

from service import release as release_module
from service.namespaces import (
    GRAPH_DATA,
    GRAPH_INFERRED,
    GRAPH_ONTOLOGY,
    GRAPH_SHAPES,
    sparql_prologue,
)
from service.sources import SourceLayoutError, SourceSyntaxError
from service.store import ReleaseInfo, ReleaseNotFoundError, open_read_only

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_WRITE_FAILED = 3

STEP_TITLES = {
    "load": "Loading ontology/, graph/, shapes/",
    "quality": "Running quality checks",
    "reason": "Computing the OWL 2 RL closure",
    "shacl": "Validating with SHACL",
    "write": "Writing the release",
}
GRAPH_TITLES = {
    GRAPH_ONTOLOGY: "ontology",
    GRAPH_DATA: "data",
    GRAPH_INFERRED: "inferred",
    GRAPH_SHAPES: "shapes",
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    console = Console(stderr=True, highlight=False)
    handler = {
        "build": _build,
        "validate": _validate,
        "query": _query,
        "serve": _serve,
        "load": _load,
    }[args.command]
    try:
        return handler(args, console)
    except SourceSyntaxError as error:
        _fail(console, "syntax error", str(error))
        return EXIT_BAD_INPUT
    except SourceLayoutError as error:
        _fail(console, "error", str(error))
        return EXIT_BAD_INPUT
    except release_module.BuildError as error:
        _fail(console, "build failed", f"{error}\nThe previous release, if any, is unchanged.")
        return EXIT_CHECK_FAILED
    except OSError as error:
        _fail(
            console,
            "could not write the release",
            f"{error}\nThe previous release, if any, is unchanged.",
        )
        return EXIT_WRITE_FAILED


def _fail(console: Console, title: str, message: str) -> None:
    """Print an error whole: no markup read in it, no line wrapped, so paths stay intact."""
    console.print(Text(title, style="bold red"), Text(message), soft_wrap=True)


def run() -> None:
    sys.exit(main())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vawmw", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=Path("."),
        help="repository root holding ontology/ graph/ shapes/",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="check the sources and write a release to --out")
    build.add_argument("--out", type=Path, default=Path("dist"))
    commands.add_parser("validate", help="load, check, reason and validate; write nothing")

    query = commands.add_parser("query", help="run a SPARQL query against the built release")
    query.add_argument("sparql", help="the query text, or @FILE to read it from a file")
    query.add_argument("--release", type=Path, default=Path("dist"))
    query.add_argument("--format", choices=["table", "json", "csv", "tsv"], default="table")

    serve = commands.add_parser(
        "serve", help="serve the release over HTTP (builds it first if missing)"
    )
    serve.add_argument("--release", type=Path, default=Path("dist"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--query-timeout", type=float, default=30.0, help="seconds before a query is killed"
    )
    serve.add_argument("--max-rows", type=int, default=10_000)
    serve.add_argument("--workers", type=int, default=2, help="query worker processes")
    serve.add_argument(
        "--queue-size",
        type=int,
        default=None,
        help="requests that may wait for a busy pool before 503 (default 8 x workers)",
    )
    serve.add_argument(
        "--graph",
        action="append",
        default=[],
        metavar="IRI=FILE",
        help="serve an extra RDF file as a named graph (repeatable)",
    )
    serve.add_argument("--base-iri", default=None, help="IRI base served at this host's paths")
    serve.add_argument(
        "--rebuild", action="store_true", help="build the release even if one exists"
    )
    serve.add_argument(
        "--backend",
        default=None,
        metavar="QUERY_URL",
        help="answer from this external SPARQL 1.1 query endpoint (loaded with `vawmw load`)",
    )

    load = commands.add_parser(
        "load", help="replace the release's named graphs in an external SPARQL 1.1 store"
    )
    load.add_argument("--endpoint", required=True, metavar="QUERY_URL")
    load.add_argument("--update-endpoint", metavar="URL", help="default: the query endpoint")
    load.add_argument("--graph-store", metavar="URL", help="Graph Store Protocol URL (preferred)")
    load.add_argument("--release", type=Path, default=Path("dist"))
    load.add_argument("--batch-size", type=int, default=5_000, help="triples per request")
    return parser


def _build(args: argparse.Namespace, console: Console) -> int:
    report = _run_pipeline(args.root, console, out=args.out)
    assert report.release is not None
    console.print(
        f"[green]release {report.release.version}[/] ({report.release.release_id}) "
        f"written to {args.out}"
    )
    return EXIT_OK


def _validate(args: argparse.Namespace, console: Console) -> int:
    _run_pipeline(args.root, console, out=None)
    console.print("[green]valid[/]: quality checks, OWL 2 RL consistency and SHACL all pass")
    return EXIT_OK


def _run_pipeline(root: Path, console: Console, out: Path | None) -> release_module.BuildReport:
    with console.status("starting") as status:

        def on_step(name: str) -> None:
            status.update(STEP_TITLES[name] + " …")
            console.log(STEP_TITLES[name])

        if out is None:
            report = release_module.BuildReport()
            checked = release_module.check_sources(root, report, on_step)
            report.graph_sizes = {
                GRAPH_ONTOLOGY: len(checked.sources.graph(GRAPH_ONTOLOGY)),
                GRAPH_DATA: len(checked.sources.graph(GRAPH_DATA)),
                GRAPH_INFERRED: len(checked.inferred),
                GRAPH_SHAPES: len(checked.sources.graph(GRAPH_SHAPES)),
            }
        else:
            report = release_module.build_release(root, out, on_step)
    for warning in report.warnings:
        console.print(Text(warning.describe(), style="yellow"), soft_wrap=True)
    _print_summary(report, console)
    return report


def _print_summary(report: release_module.BuildReport, console: Console) -> None:
    table = Table(title="build summary")
    table.add_column("graph")
    table.add_column("triples", justify="right")
    for iri, size in report.graph_sizes.items():
        table.add_row(GRAPH_TITLES.get(iri, iri), str(size))
    steps = Table(title="seconds per step")
    steps.add_column("step")
    steps.add_column("seconds", justify="right")
    for name, seconds in report.seconds.items():
        steps.add_row(name, f"{seconds:.2f}")
    console.print(table)
    console.print(steps)
    console.print(
        f"{len(report.warnings)} SHACL warning(s), "
        f"{len(report.quality_findings)} quality finding(s)"
    )


def _query(args: argparse.Namespace, console: Console) -> int:
    text = (
        Path(args.sparql[1:]).read_text(encoding="utf-8")
        if args.sparql.startswith("@")
        else args.sparql
    )
    try:
        release = ReleaseInfo.load(args.release)
    except ReleaseNotFoundError as error:
        console.print(f"[bold red]error[/] {error}")
        return EXIT_CHECK_FAILED
    store = open_read_only(release)
    try:
        result = store.query(sparql_prologue() + text, use_default_graph_as_union=True)
    except SyntaxError as error:
        console.print(f"[bold red]query syntax error[/] {error}")
        return EXIT_CHECK_FAILED
    out = sys.stdout
    if isinstance(result, ox.QueryBoolean):
        print("true" if bool(result) else "false", file=out)
    elif isinstance(result, ox.QuerySolutions):
        if args.format == "table":
            _print_solutions(result, Console(highlight=False))
        else:
            fmt = {
                "json": ox.QueryResultsFormat.JSON,
                "csv": ox.QueryResultsFormat.CSV,
                "tsv": ox.QueryResultsFormat.TSV,
            }[args.format]
            sys.stdout.buffer.write(result.serialize(format=fmt) or b"")
    else:
        sys.stdout.buffer.write(ox.serialize(result, format=ox.RdfFormat.TURTLE) or b"")
    return EXIT_OK


def _print_solutions(solutions: ox.QuerySolutions, console: Console) -> None:
    variables = [variable.value for variable in solutions.variables]
    table = Table(*variables)
    rows = 0
    for solution in solutions:
        table.add_row(*(_show(solution[name]) for name in variables))
        rows += 1
    console.print(table)
    console.print(f"{rows} row(s)")


def _show(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def _serve(args: argparse.Namespace, console: Console) -> int:
    from service.app import run as run_service
    from service.settings import ServiceSettings

    if args.rebuild or not (args.release / "release.json").is_file():
        _run_pipeline(args.root, console, out=args.release)
    extra_graphs = []
    for spec in args.graph:
        iri, separator, file_name = spec.partition("=")
        if not separator or not iri or not file_name:
            console.print(f"[bold red]error[/] --graph takes IRI=FILE, got {spec!r}")
            return EXIT_BAD_INPUT
        extra_graphs.append((iri, Path(file_name)))
    settings = ServiceSettings(
        release_dir=args.release,
        host=args.host,
        port=args.port,
        query_timeout=args.query_timeout,
        max_rows=args.max_rows,
        workers=args.workers,
        queue_size=args.queue_size,
        extra_graphs=extra_graphs,
        queries_dir=args.root / "queries",
        backend_url=args.backend,
        **({"base_iri": args.base_iri} if args.base_iri else {}),
    )
    where = f" from {args.backend}" if args.backend else ""
    console.print(f"serving {args.release}{where} at http://{args.host}:{args.port}/")
    run_service(settings)
    return EXIT_OK


def _load(args: argparse.Namespace, console: Console) -> int:
    from service import loader, remote

    target = loader.Target(args.endpoint, args.update_endpoint, args.graph_store)
    try:
        loader.load_with_progress(args.release, target, console, max(1, args.batch_size))
    except (loader.LoadError, remote.RemoteError) as error:
        _fail(console, "load failed", str(error))
        return EXIT_CHECK_FAILED
    return EXIT_OK


if __name__ == "__main__":
    run()
