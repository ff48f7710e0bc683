"""Repo-root invoke tasks: the schemasync collection, run on the bundled example by default.

`invoke sync` in a fresh clone syncs `examples/shop`; pass `--root` for another project.
`invoke.yaml` beside this file makes invoke use `schemasync.tasks.PhaseExecutor`.
"""

from __future__ import annotations

from pathlib import Path

from schemasync.tasks import make_collection

EXAMPLE = Path(__file__).resolve().parent / "examples" / "shop"

ns = make_collection(default_root=str(EXAMPLE))
