"""timeline_app: curate dated, sourced events of a relationship between states and draw them."""

from __future__ import annotations

__version__ = "0.1.0"
