"""Query execution behind one seam (:mod:`vawmw.query.runner`): the jobs and their answers,
the errors, the guard, describe, the engine, the worker processes and their pool, the sandbox,
fairness."""
