"""vawmw-kg: the knowledge graph of UN report A/78/292 and the service that publishes it."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
