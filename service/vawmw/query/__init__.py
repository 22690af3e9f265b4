"""Query execution: jobs, errors, the guard, the engine, the worker pool, the sandbox, fairness."""
