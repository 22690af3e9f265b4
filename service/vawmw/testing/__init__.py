"""Launchers for the tests and the benchmarks, like ``starlette.testclient``.

* :mod:`vawmw.testing.live`: the app on a uvicorn thread of this process
  (:func:`~vawmw.testing.live.live_server`), for the tests.
* :mod:`vawmw.testing.service`: a free loopback port and ``vawmw serve`` as a process
  (:func:`~vawmw.testing.service.served_process`); it imports nothing of the web layer.
* :mod:`vawmw.testing.stores`: Virtuoso and Oxigraph server on loopback.
* :mod:`vawmw.testing.processes`: memory, children and CPU time of a process, from ``/proc``.

It sits above every other part of the package (the import contract in ``pyproject.toml``):
nothing in ``vawmw`` imports it, and it never runs outside a test or a benchmark. Everything it
starts listens on 127.0.0.1 only.
"""

from __future__ import annotations
