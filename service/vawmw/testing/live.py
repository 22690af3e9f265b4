"""The real app on a uvicorn thread of this process, on a free loopback port."""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn

from vawmw.settings import ServiceSettings
from vawmw.testing.service import LOOPBACK, ServiceStartError, free_port
from vawmw.web.app import server_config


@contextlib.contextmanager
def live_server(
    settings: ServiceSettings, *, start_timeout: float = 60.0, **overrides: Any
) -> Iterator[str]:
    """Run the real app with uvicorn on a thread, on a free loopback port; yields its base URL.

    ``overrides`` replace fields of ``settings`` (``workers=1``, ``query_timeout=1.0``, …).
    """
    port = free_port()
    config_settings = dataclasses.replace(settings, host=LOOPBACK, port=port, **overrides)
    server = uvicorn.Server(server_config(config_settings, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise ServiceStartError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://{LOOPBACK}:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
