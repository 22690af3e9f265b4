"""The mini source tree used by the build pipeline's tests."""

from __future__ import annotations

import shutil
from pathlib import Path

MINI_SOURCES = Path(__file__).parent / "fixtures" / "mini"
VAWMW = "https://w3id.org/vawmw/ontology#"
ID = "https://w3id.org/vawmw/id/"


def copy_mini_sources(destination: Path) -> Path:
    """A private, writable copy of the mini sources, so a test may break them."""
    root = destination / "sources"
    shutil.copytree(MINI_SOURCES, root)
    return root
