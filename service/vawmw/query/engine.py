"""Evaluating one job on an embedded store, never raising: the answer or an error result.

The HTTP process never evaluates SPARQL itself: it sends a job (:mod:`vawmw.query.jobs`) to a
worker process (:mod:`vawmw.query.worker`, run by :mod:`vawmw.query.pool`), which answers it with
:func:`run_job`. The answer's body is already serialized, in the job's format, and cut at the
row cap and the byte cap (:mod:`vawmw.query.answers`); every failure of the engine becomes a
:class:`~vawmw.query.jobs.JobResult` error that the routes map to a status.
"""

from __future__ import annotations

import logging
import re
from typing import Final

import pyoxigraph as ox

from vawmw.query.answers import boolean_answer, graph_answer, solutions_answer, triples_answer
from vawmw.query.describe import describe_store
from vawmw.query.jobs import GraphJob, Job, JobResult, QueryJob
from vawmw.query.syntax import readable, star_order
from vawmw.rdf.namespaces import PREFIXES

__all__ = ["TOO_MUCH_MEMORY", "run_job"]

log = logging.getLogger("vawmw.engine")
TOO_MUCH_MEMORY: Final = "the query needs more memory than a query may use"
DEFAULT_MAX_RESULT_BYTES: Final = 32 * 1024**2


def _dataset_options(job: QueryJob) -> dict[str, object]:
    """The query's dataset: the protocol's graphs when given, else the union of all graphs."""
    if job.default_graphs is not None or job.named_graphs is not None:
        return {
            "default_graph": [ox.NamedNode(iri) for iri in job.default_graphs or ()],
            "named_graphs": [ox.NamedNode(iri) for iri in job.named_graphs or ()],
        }
    if job.union_default_graph:
        return {"use_default_graph_as_union": True}
    return {}


def truncation_link(job: QueryJob) -> str | None:
    """Where a cut answer points (its results' ``link``): the endpoint's note on the caps."""
    return f"{job.base_iri}#truncated" if job.base_iri else None


def _run_query(dataset: ox.Store, job: QueryJob, max_bytes: int) -> JobResult:
    options = _dataset_options(job)
    # The usual prefixes are predeclared, as on Wikidata's endpoint; passed to the parser (not
    # prepended) so that positions in errors are the user's, and a PREFIX of the query wins.
    result = dataset.query(
        job.query,
        base_iri=job.base_iri,
        prefixes=PREFIXES,
        **options,  # type: ignore[arg-type]
    )
    if isinstance(result, ox.QueryBoolean):
        return boolean_answer(result, job.result_format)
    if isinstance(result, ox.QuerySolutions):
        return _solutions(result, job, max_bytes)
    return triples_answer(result, job.result_format, job.max_rows, max_bytes)


def _solutions(result: ox.QuerySolutions, job: QueryJob, max_bytes: int) -> JobResult:
    """SELECT's rows; for ``SELECT *`` the engine sorts the variables by name, so they are put
    back in the order they first appear in the query (clients unpack rows by position)."""
    variables = [v.value for v in result.variables]
    order = star_order(job.query, variables) or variables
    position = {name: index for index, name in enumerate(variables)}
    columns = [position[name] for name in order]
    rows = ([solution[i] for i in columns] for solution in result)
    return solutions_answer(
        order, rows, job.result_format, job.max_rows, max_bytes, link=truncation_link(job)
    )


def _graph(dataset: ox.Store, job: GraphJob) -> JobResult:
    quads = dataset.quads_for_pattern(None, None, None, ox.NamedNode(job.graph))
    triples = list(dict.fromkeys(quad.triple for quad in quads))
    return graph_answer(triples, job.result_format, rows=len(triples))


# pyoxigraph raises a bare RuntimeError for a call it cannot evaluate: a function it does not
# know (any IRI, or a cast it lacks such as xsd:byte) or a wrong number of arguments. Older
# releases say "The custom function", newer ones "The function".
_UNSUPPORTED_CALL: Final = re.compile(
    r"The (?:custom )?function (<[^<>\s]*>) "
    r"(is not supported|requires between \d+ and \d+ arguments, but \d+ were given)"
)


def _runtime_error(error: RuntimeError) -> JobResult:
    """An unsupported call is the query's fault (400, naming the function); any other
    RuntimeError is the engine's (500)."""
    match = _UNSUPPORTED_CALL.fullmatch(str(error))
    if match is None:
        log.warning("query evaluation failed: %s", error)
        return JobResult(error="engine", message="the query could not be evaluated")
    function, problem = match.groups()
    if problem == "is not supported":
        problem = "is not supported by this service"
    return JobResult(error="unsupported", message=f"the function {function} {problem}")


def run_job(
    dataset: ox.Store, job: Job, max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES
) -> JobResult:
    """Run one job, mapping the engine's errors to an error result (never raising)."""
    try:
        if isinstance(job, QueryJob):
            return _run_query(dataset, job, max_result_bytes)
        if isinstance(job, GraphJob):
            return _graph(dataset, job)
        return describe_store(dataset, job)
    except SyntaxError as error:
        message = str(error.msg if error.msg else error)
        if isinstance(job, QueryJob):
            message = readable(message, job.query)
        return JobResult(error="syntax", message=message)
    except MemoryError:
        return JobResult(error="resources", message=TOO_MUCH_MEMORY)
    except RecursionError:
        return JobResult(error="resources", message="the query or its answer is nested too deeply")
    except ValueError as error:
        return JobResult(error="bad_request", message=str(error))
    except RuntimeError as error:  # after RecursionError, its subclass
        return _runtime_error(error)
    except (OSError, TypeError) as error:
        log.warning("query evaluation failed: %s", error)
        return JobResult(error="engine", message="the query could not be evaluated")
