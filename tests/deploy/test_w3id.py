"""deploy/w3id/.htaccess on Debian's apache2 with mod_rewrite, in front of the real service
(issue 14, "w3id.org").

The test runs its own apache2: its own ServerRoot, Listen on a free loopback port, PidFile,
ErrorLog and LoadModule lines; nothing of /etc/apache2 but the module files. The .htaccess sits
where w3id.org puts it (``vawmw/.htaccess`` under the document root), with its one placeholder
address replaced by the live service's. Each kind of path is asked for with a browser's Accept
and with Turtle, JSON-LD and RDF/XML; the redirect is checked, then followed to the service.
apache2 comes from .ci/install-apache; without it the test skips with the reason.
"""

from __future__ import annotations

import grp
import os
import pwd
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import httpx
import pytest
from vawmw.settings import ServiceSettings
from vawmw.testing.service import LOOPBACK

from tests.conftest import ONTOLOGY_VERSION, REPO, free_port, live_server

HTACCESS: Final = REPO / "deploy" / "w3id" / ".htaccess"
PLACEHOLDER: Final = "https://vawmw.example.org"
APACHE: Final = Path("/usr/sbin/apache2")
MODULES: Final = Path("/usr/lib/apache2/modules")
NEEDED_MODULES: Final = {
    "mpm_event_module": "mod_mpm_event.so",
    "authz_core_module": "mod_authz_core.so",
    "headers_module": "mod_headers.so",
    "rewrite_module": "mod_rewrite.so",
}
START_SECONDS: Final = 20.0

BROWSER: Final = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# Accept sent -> (the format= the redirect adds, the media type the service then answers).
ACCEPTS: Final = {
    BROWSER: ("", "text/html"),
    "text/turtle": ("?format=ttl", "text/turtle"),
    "application/ld+json": ("?format=jsonld", "application/ld+json"),
    "application/rdf+xml": ("?format=rdf", "application/rdf+xml"),
}
# IRIs of things: one of each kind the issue lists (303, by Accept).
THINGS: Final = (
    "ontology",
    f"ontology/{ONTOLOGY_VERSION}",
    "id/state/PHL",
    "dataset",
    "dataset/class-partition/vawmw-State",
    "dataset/property-partition/vawmw-concernsState",
    "graph/data",
    "shapes",
    "shapes/violations",
)
# Documents (302, path and query kept) -> the media type the service answers a browser.
DOCUMENTS: Final = {
    "context.jsonld": "application/ld+json",
    "dumps/vawmw.ttl": "text/turtle",
    "sparql?query=ASK%7B%7D&format=json": "application/sparql-results+json",
}


def _apache_missing() -> str | None:
    if not APACHE.is_file():
        return f"{APACHE} is not installed (bash .ci/install-apache)"
    for so in NEEDED_MODULES.values():
        if not (MODULES / so).is_file():
            return f"{MODULES / so} is missing (Debian's apache2 package ships it)"
    return None


def _user_lines() -> str:
    """As root apache2 hands its children to an unprivileged user; as anyone else it stays."""
    if os.geteuid() != 0:
        return ""
    nobody = pwd.getpwnam("nobody")
    return f"User {nobody.pw_name}\nGroup {grp.getgrgid(nobody.pw_gid).gr_name}\n"


def _config(root: Path, port: int) -> str:
    modules = "".join(f"LoadModule {name} {MODULES / so}\n" for name, so in NEEDED_MODULES.items())
    return (
        f'ServerRoot "{root}"\nServerName {LOOPBACK}\nListen {LOOPBACK}:{port}\n'
        f"PidFile {root}/httpd.pid\nErrorLog {root}/error.log\nDefaultRuntimeDir {root}\n"
        f"{modules}{_user_lines()}"
        f'DocumentRoot "{root}/htdocs"\n'
        f'<Directory "{root}/htdocs">\n    AllowOverride All\n    Require all granted\n'
        "</Directory>\n"
    )


def _wait_listening(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"apache2 exited {process.returncode}: {log.read_text(errors='replace')}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail("apache2 did not listen in time")


@pytest.fixture(scope="module")
def service(real_release: Path) -> Iterator[str]:
    with live_server(ServiceSettings(release_dir=real_release, workers=2)) as url:
        yield url


@pytest.fixture(scope="module")
def w3id(service: str) -> Iterator[str]:
    """apache2 serving the .htaccess at /vawmw/, redirecting to the live service."""
    missing = _apache_missing()
    if missing:
        pytest.skip(missing)
    text = HTACCESS.read_text(encoding="utf-8")
    assert text.count(PLACEHOLDER) == 1, "the service's address is written in one place"
    # Not pytest's tmp_path: it is private to this user, and apache2's children are not.
    with tempfile.TemporaryDirectory(prefix="w3id-") as name:
        root = Path(name)
        site = root / "htdocs" / "vawmw"
        site.mkdir(parents=True)
        (site / ".htaccess").write_text(text.replace(PLACEHOLDER, service), encoding="utf-8")
        for path in (root, root / "htdocs", site):
            path.chmod(0o755)
        (site / ".htaccess").chmod(0o644)
        port = free_port()
        (root / "httpd.conf").write_text(_config(root, port), encoding="utf-8")
        command = [str(APACHE), "-d", str(root), "-f", str(root / "httpd.conf"), "-DFOREGROUND"]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _wait_listening(process, f"http://{LOOPBACK}:{port}/", root / "error.log")
            yield f"http://{LOOPBACK}:{port}/vawmw/"
        finally:
            process.terminate()  # SIGTERM: the parent stops its children and removes its pid
            process.communicate(timeout=30)


def test_the_placeholder_is_the_only_address() -> None:
    """No other host in the rules: the test's substitution redirects everything to loopback."""
    rules = [line for line in HTACCESS.read_text().splitlines() if not line.startswith("#")]
    assert sum(PLACEHOLDER in line for line in rules) == 1
    assert not [line for line in rules if "://" in line and PLACEHOLDER not in line]


@pytest.mark.parametrize("accept", sorted(ACCEPTS))
def test_things_are_303_by_accept_and_resolve(w3id: str, service: str, accept: str) -> None:
    suffix, media_type = ACCEPTS[accept]
    with httpx.Client(timeout=60) as client:
        for path in THINGS:
            redirect = client.get(w3id + path, headers={"Accept": accept})
            assert redirect.status_code == 303, path
            assert redirect.headers["location"] == f"{service}/{path}{suffix}"
            assert "Accept" in redirect.headers["vary"]
            answer = client.get(redirect.headers["location"], headers={"Accept": accept})
            assert answer.status_code == 200, (path, answer.text[:200])
            assert answer.headers["content-type"].split(";")[0] == media_type, path


@pytest.mark.parametrize("accept", sorted(ACCEPTS))
def test_documents_are_302_with_their_path_and_query(w3id: str, service: str, accept: str) -> None:
    with httpx.Client(timeout=60) as client:
        for path, media_type in DOCUMENTS.items():
            redirect = client.get(w3id + path, headers={"Accept": accept})
            assert redirect.status_code == 302, path
            assert redirect.headers["location"] == f"{service}/{path}"
            answer = client.get(redirect.headers["location"], headers={"Accept": BROWSER})
            assert answer.status_code == 200, (path, answer.text[:200])
            assert answer.headers["content-type"].split(";")[0] == media_type, path


def test_percent_escapes_reach_the_service_as_sent(w3id: str, service: str) -> None:
    """mod_rewrite would decode the path and escape it again in lower case: another IRI."""
    with httpx.Client(timeout=60) as client:
        redirect = client.get(w3id + "id/area/S%C3%A3o-Paulo", headers={"Accept": "text/turtle"})
    assert redirect.headers["location"] == f"{service}/id/area/S%C3%A3o-Paulo?format=ttl"
