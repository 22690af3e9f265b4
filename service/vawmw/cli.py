"""The ``vawmw`` command: build | validate | query | serve | load.

Exit codes: 0 success; 1 the sources fail a check (quality, reasoning, SHACL), a query is
refused or fails, or a load fails; 2 bad input: a source file is not valid Turtle or cannot
be read, a query file cannot be read, or the command line is wrong; 3 the release could not be
written (disk, permissions); 4 there is no release, or it cannot be read (run `vawmw build`);
5 ``vawmw serve`` cannot listen on its address (the port is taken: pass ``--port``).
"""

from __future__ import annotations

import argparse
import errno
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final, TypedDict

import pyoxigraph as ox
from rich.console import Console
from rich.table import Table
from rich.text import Text

from vawmw.build import pipeline as release_module
from vawmw.build.sources import (
    SourceLayoutError,
    SourceReadError,
    SourceSyntaxError,
    has_sources,
    sources_digest,
)
from vawmw.build.validation import EXPECTED_WARNINGS, expected_warnings
from vawmw.build.writer import ReleaseWriteError
from vawmw.query import guard as sparql_guard
from vawmw.query.sandbox import isolate_network
from vawmw.rdf import formats
from vawmw.rdf.namespaces import (
    GRAPH_DATA,
    GRAPH_INFERRED,
    GRAPH_INTERPRETATIONS,
    GRAPH_ONTOLOGY,
    GRAPH_SHAPES,
    GRAPH_UN,
    sparql_prologue,
)
from vawmw.release import layout
from vawmw.release.manifest import (
    ReleaseInfo,
    ReleaseNotFoundError,
    ReleaseUnreadableError,
    open_read_only,
    require_release,
)
from vawmw.remote.loader import DEFAULT_BATCH_SIZE
from vawmw.settings import ServiceSettings

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_WRITE_FAILED = 3
EXIT_NO_RELEASE = 4
EXIT_CANNOT_LISTEN = 5

# What `vawmw --help` says: plain text, since argparse prints it as it is.
DESCRIPTION: Final = (
    "Build, check, query and serve the vawmw-kg release.\n"
    "Run it from the repository root (the folder holding ontology/, graph/, shapes/,\n"
    "queries/), or pass --root DIR before the command."
)
EPILOG: Final = """exit codes:
  0  success
  1  a check failed (quality, OWL 2 RL consistency, SHACL), or a query or a load failed
  2  bad input: a source is not valid Turtle or cannot be read, or the command line is wrong
  3  the release could not be written (disk, permissions)
  4  there is no release, or it cannot be read (run: vawmw build)
  5  vawmw serve cannot listen on its address (the port is taken: pass --port)"""

STEP_TITLES = {
    "load": "Loading ontology/, graph/, shapes/, queries/",
    "quality": "Running quality checks",
    "reason": "Computing the OWL 2 RL closure",
    "shacl": "Validating with SHACL",
    "write": "Writing the release",
    "documents": "Rendering every IRI's documents and the pages (ld/, site/)",
}
GRAPH_TITLES = {
    GRAPH_ONTOLOGY: "ontology",
    GRAPH_DATA: "data",
    GRAPH_INTERPRETATIONS: "interpretations",
    GRAPH_INFERRED: "inferred",
    GRAPH_SHAPES: "shapes",
    GRAPH_UN: "un (UNSD extract)",
}
_UNCHANGED: Final = "\nThe previous release, if any, is unchanged."


class QueryFileError(Exception):
    """The file named by ``vawmw query @FILE`` cannot be read as UTF-8 text."""


# Each error a command may raise: its title, what to add to its message, its exit code.
# The first matching row wins, so a subclass comes before its base.
_FAILURES: Final[tuple[tuple[type[Exception], str, str, int], ...]] = (
    (SourceSyntaxError, "syntax error", "", EXIT_BAD_INPUT),
    (SourceLayoutError, "error", "", EXIT_BAD_INPUT),
    (SourceReadError, "could not read the sources", "", EXIT_BAD_INPUT),
    (QueryFileError, "could not read the query", "", EXIT_BAD_INPUT),
    (release_module.BuildError, "build failed", _UNCHANGED, EXIT_CHECK_FAILED),
    (ReleaseWriteError, "could not write the release", _UNCHANGED, EXIT_WRITE_FAILED),
    (ReleaseNotFoundError, "error", "", EXIT_NO_RELEASE),
    (ReleaseUnreadableError, "the release cannot be read", "", EXIT_NO_RELEASE),
)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # log_path off: a log line ends with its message, not with the cli.py line that logged it.
    console = Console(stderr=True, highlight=False, log_path=False)
    handler: Callable[[argparse.Namespace, Console], int] = {
        "build": _build,
        "validate": _validate,
        "query": _query,
        "serve": _serve,
        "load": _load,
    }[args.command]
    try:
        return handler(args, console)
    except tuple(row[0] for row in _FAILURES) as error:
        for kind, title, suffix, code in _FAILURES:
            if isinstance(error, kind):
                _fail(console, title, f"{error}{suffix}")
                return code
        raise  # unreachable: the except clause caught only the kinds of the table


def _fail(console: Console, title: str, message: str) -> None:
    """Print an error whole: no markup read in it, no line wrapped, so paths stay intact."""
    console.print(Text(title, style="bold red"), Text(message), soft_wrap=True)


def run() -> None:
    sys.exit(main())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vawmw",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the repository root, holding ontology/ graph/ shapes/ queries/; give it before "
        "the command (default: the current folder)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    release_dir = ServiceSettings.release_dir

    build = commands.add_parser("build", help="check the sources and write a release to --out")
    build.add_argument(
        "--out", type=Path, default=release_dir, help="the release folder (default %(default)s)"
    )
    commands.add_parser("validate", help="load, check, reason and validate; write nothing")

    query = commands.add_parser("query", help="run a SPARQL query against the built release")
    query.add_argument("sparql", help="the query text, or @FILE to read it from a file")
    query.add_argument(
        "--release", type=Path, default=release_dir, help="the release (default %(default)s)"
    )
    query.add_argument(
        "--format",
        choices=["table", "json", "csv", "tsv"],
        default="table",
        help="how to print the results (default %(default)s)",
    )

    _add_serve_parser(commands)

    load = commands.add_parser(
        "load", help="replace the release's named graphs in an external SPARQL 1.1 store"
    )
    load.add_argument(
        "--endpoint",
        required=True,
        metavar="QUERY_URL",
        help="the store's SPARQL query endpoint, where the loaded triples are counted",
    )
    load.add_argument("--update-endpoint", metavar="URL", help="default: the query endpoint")
    load.add_argument("--graph-store", metavar="URL", help="Graph Store Protocol URL (preferred)")
    load.add_argument(
        "--release", type=Path, default=release_dir, help="the release (default %(default)s)"
    )
    load.add_argument(
        "--batch-size",
        type=int,
        default=DEFAULT_BATCH_SIZE,
        help="triples per request (default %(default)s)",
    )
    return parser


def _add_serve_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``vawmw serve``: every default comes from :class:`ServiceSettings`."""
    serve = commands.add_parser(
        "serve", help="serve the release over HTTP (built first if missing or its sources changed)"
    )
    serve.add_argument(
        "--release",
        type=Path,
        default=ServiceSettings.release_dir,
        metavar="DIR",
        help="the release to serve, built there first if missing (default %(default)s)",
    )
    serve.add_argument(
        "--host",
        default=ServiceSettings.host,
        help="the address to listen on (default %(default)s)",
    )
    serve.add_argument(
        "--port",
        type=int,
        default=ServiceSettings.port,
        help="the port to listen on (default %(default)s)",
    )
    _add_query_options(serve)
    serve.add_argument(
        "--graph",
        action="append",
        default=[],
        type=_graph_spec,
        metavar="IRI=FILE",
        help="serve an extra RDF file as a named graph (repeatable; default: none)",
    )
    serve.add_argument(  # removed: kept only to say what replaces it
        "--base-iri", default=None, metavar="IRI", help=argparse.SUPPRESS
    )
    serve.add_argument(
        "--rebuild",
        action="store_true",
        help="build the release first even if it is up to date (default: build it only when "
        "it is missing or its sources changed since it was built)",
    )
    serve.add_argument(
        "--backend",
        default=ServiceSettings.backend_url,
        metavar="QUERY_URL",
        help="answer from this external SPARQL 1.1 query endpoint, loaded with vawmw load "
        "(default: the release's embedded store)",
    )
    _add_address_options(serve)
    _add_bounds_options(serve)


def _add_query_options(serve: argparse.ArgumentParser) -> None:
    """Options of `vawmw serve` for running queries: time, rows, workers, queue."""
    serve.add_argument(
        "--query-timeout",
        type=float,
        default=ServiceSettings.query_timeout,
        metavar="SECONDS",
        help="seconds before a query is killed (default %(default)s)",
    )
    serve.add_argument(
        "--max-rows",
        type=int,
        default=ServiceSettings.max_rows,
        metavar="N",
        help="rows of a result before it is cut, with X-SPARQL-Truncated (default %(default)s)",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=ServiceSettings.workers,
        metavar="N",
        help="query worker processes (default %(default)s)",
    )
    serve.add_argument(
        "--http-workers",
        type=int,
        default=ServiceSettings.http_workers,
        metavar="N",
        help="HTTP processes sharing the port, each with its own query workers "
        "(default %(default)s)",
    )
    serve.add_argument(
        "--no-in-process",
        dest="in_process",
        action="store_false",
        help="send every query to the worker processes, even those that provably cannot run "
        "long (by default those are answered in the HTTP process, which then has no network)",
    )
    serve.add_argument(
        "--spare-workers",
        type=int,
        default=ServiceSettings.spare_workers,
        metavar="N",
        help="warm worker processes standing by to replace a killed one at once, beyond "
        "--workers (default %(default)s)",
    )
    serve.add_argument(
        "--queue-size",
        type=int,
        default=ServiceSettings.queue_size,
        metavar="N",
        help="requests that may wait for a busy pool before 503 (default 8 x workers)",
    )


def _add_address_options(serve: argparse.ArgumentParser) -> None:
    """Options of `vawmw serve` for the address clients use and the hosts it accepts."""
    serve.add_argument(
        "--public-url",
        type=_public_url,
        default=ServiceSettings.public_url,
        metavar="URL",
        help="the service's address for clients (https://kg.example.org): absolute links and "
        "the service description use it, never the request's Host (default: the request's)",
    )
    serve.add_argument(
        "--trusted-host",
        action="append",
        default=None,
        metavar="HOST",
        help="a Host header value to accept (repeatable; *.example.org allowed); "
        "others get 400 (default: any host)",
    )


def _add_bounds_options(serve: argparse.ArgumentParser) -> None:
    """Options of `vawmw serve` for the bounds per connection, per client and in total."""
    bounds = serve.add_argument_group(
        "bounds per client, per connection and in total (RELIABILITY.md)"
    )
    bounds.add_argument(
        "--trusted-proxy",
        action="append",
        default=None,
        metavar="ADDRESS",
        help="a reverse proxy (address or network) whose X-Forwarded-For names the client "
        "(repeatable; default: none, the peer address is the client)",
    )
    options: list[tuple[str, type, str]] = [
        ("client-max-running", int, "queries one client may run at once (default: workers / 2)"),
        ("client-max-waiting", int, "queries one client may have waiting; more get 429"),
        ("client-query-seconds", float, "query seconds one client may use per window"),
        ("client-window-seconds", float, "the window of --client-query-seconds"),
        ("max-bytes-in-flight", int, "answer bytes held until sent, all clients; more get 503"),
        ("send-timeout", float, "seconds a send may make no progress before the connection closes"),
        ("limit-concurrency", int, "requests in progress (and connections) before 503"),
        ("header-timeout", float, "seconds for a request head to arrive whole, else 408"),
        ("body-timeout", float, "seconds for a request body to arrive whole, else 408"),
        ("html-max-rows", int, "rows shown by the editor's HTML results view"),
        ("html-max-bytes", int, "bytes of results shown by the editor's HTML results view"),
    ]
    for name, kind, text in options:
        default = getattr(ServiceSettings, name.replace("-", "_"))
        shown = "" if default is None else " (default %(default)s)"
        metavar = "BYTES" if "bytes" in name else ("N" if kind is int else "SECONDS")
        bounds.add_argument(
            f"--{name}", type=kind, default=default, metavar=metavar, help=text + shown
        )


class _Bounds(TypedDict):
    trusted_proxies: tuple[str, ...]
    client_max_running: int | None
    client_max_waiting: int
    client_query_seconds: float
    client_window_seconds: float
    max_bytes_in_flight: int
    send_timeout: float
    limit_concurrency: int
    header_timeout: float
    body_timeout: float
    html_max_rows: int
    html_max_bytes: int


def _bounds_settings(args: argparse.Namespace) -> _Bounds:
    """The ServiceSettings fields given by :func:`_add_bounds_options`."""
    return _Bounds(
        trusted_proxies=tuple(args.trusted_proxy or ServiceSettings.trusted_proxies),
        client_max_running=args.client_max_running,
        client_max_waiting=args.client_max_waiting,
        client_query_seconds=args.client_query_seconds,
        client_window_seconds=args.client_window_seconds,
        max_bytes_in_flight=args.max_bytes_in_flight,
        send_timeout=args.send_timeout,
        limit_concurrency=args.limit_concurrency,
        header_timeout=args.header_timeout,
        body_timeout=args.body_timeout,
        html_max_rows=args.html_max_rows,
        html_max_bytes=args.html_max_bytes,
    )


def _build(args: argparse.Namespace, console: Console) -> int:
    _run_pipeline(args.root, console, out=args.out)
    release = ReleaseInfo.load(args.out)
    console.print(
        f"[green]release {release.version}[/] ({release.release_id}) written to {args.out}"
    )
    return EXIT_OK


def _write_documents(out: Path) -> None:
    # Imported here: the web layer (FastAPI, the pages) is only needed once a release is built.
    from vawmw.web.prebuild.writer import write_documents

    write_documents(out)


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
                GRAPH_INTERPRETATIONS: len(checked.sources.graph(GRAPH_INTERPRETATIONS)),
                GRAPH_INFERRED: len(checked.inferred),
                GRAPH_SHAPES: len(checked.sources.graph(GRAPH_SHAPES)),
                GRAPH_UN: len(checked.sources.graph(GRAPH_UN)),
            }
        else:
            report = release_module.build_release(root, out, on_step, documents=_write_documents)
    _print_warnings(report, expected_warnings(root), console)
    _print_summary(report, console)
    return report


def _print_warnings(
    report: release_module.BuildReport, expected: dict[tuple[str, str], str], console: Console
) -> None:
    """Each SHACL warning on one line (soft-wrapped, so it stays whole when copied), marked
    expected, with the reason, when :data:`EXPECTED_WARNINGS` lists it, else new."""
    for warning in report.warnings:
        reason = expected.get(warning.key)
        mark = f" (expected: {reason})" if reason else " (new: not in " + EXPECTED_WARNINGS + ")"
        console.print(Text(warning.describe() + mark, style="yellow"), soft_wrap=True)
    known = sum(1 for warning in report.warnings if warning.key in expected)
    if report.warnings:
        console.print(
            f"{len(report.warnings)} SHACL warning(s), {known} of them expected for the shipped "
            f"data (listed with their reasons in {EXPECTED_WARNINGS})",
            soft_wrap=True,
        )


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
    """``vawmw query``: evaluated as the service's workers do, without network.

    The text may come from a file of unknown origin, and the engine fetches ``SERVICE``
    endpoints itself; so this process drops its network first (:mod:`vawmw.query.sandbox`; it is
    still single-threaded here and the store, which may start threads, is not open yet), and
    the query guard refuses what the HTTP endpoint refuses — the only layer where namespaces
    are not allowed. Dropping the network is for good: run this in a process of its own (the
    ``vawmw`` command does), never from a long-lived process that still needs it.
    """
    text = _query_text(args.sparql)
    release = ReleaseInfo.load(args.release)
    isolate_network()
    query = sparql_prologue() + text
    try:
        sparql_guard.check_query(query)
    except sparql_guard.GuardError as error:
        _fail(console, "query refused", error.message)
        return EXIT_CHECK_FAILED
    store = open_read_only(release)
    try:
        result = store.query(query, use_default_graph_as_union=True)
    except SyntaxError as error:
        _fail(console, "query syntax error", str(error))
        return EXIT_CHECK_FAILED
    try:
        _print_result(result, args.format)
    except OSError as error:  # raised while evaluating, e.g. a SERVICE call without network
        _fail(console, "query failed", str(error))
        return EXIT_CHECK_FAILED
    return EXIT_OK


def _query_text(argument: str) -> str:
    """The query given on the command line, or read from the file named by ``@FILE``."""
    if not argument.startswith("@"):
        return argument
    path = Path(argument[1:])
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise QueryFileError(f"{path}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise QueryFileError(f"{path}: not UTF-8 text ({error.reason})") from error


def _print_result(
    result: ox.QueryBoolean | ox.QuerySolutions | ox.QueryTriples, output_format: str
) -> None:
    out = sys.stdout
    if isinstance(result, ox.QueryBoolean):
        print("true" if bool(result) else "false", file=out)
    elif isinstance(result, ox.QuerySolutions):
        if output_format == "table":
            _print_solutions(result, Console(highlight=False))
        else:
            fmt = formats.ALL_FORMATS[output_format].results_format
            sys.stdout.buffer.write(result.serialize(format=fmt) or b"")
    else:
        sys.stdout.buffer.write(ox.serialize(result, format=ox.RdfFormat.TURTLE) or b"")


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
    from vawmw.web.app import run as run_service

    if args.base_iri:
        _fail(
            console,
            "--base-iri was removed",
            "the service always serves the release's own IRIs (https://w3id.org/vawmw/…) at its "
            "paths; give the address clients use with --public-url URL",
        )
        return EXIT_BAD_INPUT
    # Checked before a build, which may take a while, rather than after it.
    refusal = _cannot_listen(args.host, args.port)
    if refusal is not None:
        _fail(console, "cannot serve", refusal)
        return EXIT_CANNOT_LISTEN
    _prepare_release(args, console)
    settings = ServiceSettings(
        release_dir=args.release,
        host=args.host,
        port=args.port,
        query_timeout=args.query_timeout,
        max_rows=args.max_rows,
        workers=args.workers,
        http_workers=args.http_workers,
        in_process=args.in_process,
        spare_workers=args.spare_workers,
        queue_size=args.queue_size,
        extra_graphs=list(args.graph),
        backend_url=args.backend,
        public_url=args.public_url,
        trusted_hosts=tuple(args.trusted_host or ServiceSettings.trusted_hosts),
        **_bounds_settings(args),
    )
    where = f" from {args.backend}" if args.backend else ""
    console.print(f"serving {args.release}{where} at http://{args.host}:{args.port}/")
    run_service(settings)
    return EXIT_OK


def _cannot_listen(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be listened on, or None when it can (bound once, released)."""
    try:
        families = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        return f"{host} is not an address to listen on ({error.strerror}): pass --host"
    family, kind, proto, _name, address = families[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return (
                    f"port {port} on {host} is already in use (another vawmw serve?): "
                    f"stop it, or pass another port, e.g. --port {port + 1}"
                )
            return f"cannot listen on {host}:{port} ({error.strerror or error}): pass --port"
    return None


def _prepare_release(args: argparse.Namespace, console: Console) -> None:
    """Build the release when asked to, when it is missing, or when its sources changed.

    ``release.json`` records the digest of the sources a release was built from; when the
    sources under ``--root`` differ, the release is stale and is built again (a failed build
    leaves it as it was and stops here). A release that records no digest, or a root without
    sources, is served as it is. Over ``--backend`` the store holds what was loaded, so a stale
    release is only reported: rebuilding the local copy would not change what is served.
    """
    if args.rebuild or not layout.manifest_path(args.release).is_file():
        _run_pipeline(args.root, console, out=args.release)
        return
    recorded = ReleaseInfo.load(args.release).sources
    if recorded is None or not has_sources(args.root):
        return
    if sources_digest(args.root) == recorded:
        return
    changed = f"the sources under {args.root} changed since {args.release} was built"
    if args.backend:
        console.print(
            Text(f"warning: {changed}; run vawmw build and vawmw load to update the store"),
            soft_wrap=True,
        )
        return
    console.print(Text(f"{changed}: rebuilding it (--rebuild forces a build)"), soft_wrap=True)
    _run_pipeline(args.root, console, out=args.release)


def _graph_spec(spec: str) -> tuple[str, Path]:
    """``--graph IRI=FILE`` as an (IRI, path) pair; argparse turns the error into exit 2."""
    iri, separator, file_name = spec.partition("=")
    if not separator or not iri or not file_name:
        raise argparse.ArgumentTypeError(f"takes IRI=FILE, got {spec!r}")
    return iri, Path(file_name)


def _public_url(url: str) -> str:
    """``--public-url``, checked as the service checks it; argparse turns the error into exit 2."""
    from vawmw.web.security import check_public_url

    try:
        check_public_url(url)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error
    return url


def _load(args: argparse.Namespace, console: Console) -> int:
    from vawmw.remote import client as remote
    from vawmw.remote import loader

    # The loader needs only the manifest and the store or the N-Quads dump.
    require_release(args.release, store=False)
    target = loader.Target(args.endpoint, args.update_endpoint, args.graph_store)
    try:
        loader.load_with_progress(args.release, target, console, max(1, args.batch_size))
    except (loader.LoadError, remote.RemoteError) as error:
        _fail(console, "load failed", str(error))
        return EXIT_CHECK_FAILED
    return EXIT_OK


if __name__ == "__main__":
    run()
