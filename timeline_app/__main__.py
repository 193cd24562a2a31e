"""`python -m timeline_app` behaves like the `timeline-app` command."""

from __future__ import annotations

from timeline_app.cli import main

raise SystemExit(main())
