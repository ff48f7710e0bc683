"""`Result`: what every step returns besides its own facts (the files to write, the failure).

Its own module so that the steps (`phases.py`, `verify.py`, `commands.py`) and the runner share it
without importing the task table.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from schemasync.errors import SchemasyncError


@dataclass(frozen=True, kw_only=True)
class Result:
    """What every step returns besides its own facts.

    Attributes:
        writes: (project-relative path, text) to write after the step's evidence, each only
            when its content changed (Phase B records its change list before the mirror: a run
            killed in between keeps it).
        failure: the error that ends the run after the evidence is written (a STOP, Phase D
            findings, a failed verification).
        refresh: the step changed the run's inputs (a pull ran): later steps get a fresh state.
        folders: project folders to create, even when nothing is written into them (`init`).
        removals: project files to remove after the writes (stale context slices: the index
            written before them names only the current ones).
    """

    writes: tuple[tuple[str, str], ...] = ()
    folders: tuple[str, ...] = ()
    failure: SchemasyncError | None = None
    refresh: bool = False
    removals: tuple[str, ...] = ()


def later(target: str) -> Callable[..., Any]:
    """Return a function that calls `target` ("module:function") and imports its module on the
    first call. The task table names every task's code, but a run imports only what its own
    task uses: `schemasync pull` need not load the MCP server, the verifier or the exporters
    (about a tenth of the command's start-up)."""
    module, _, name = target.partition(":")
    found: list[Callable[..., Any]] = []

    def call(*args: Any, **kwargs: Any) -> Any:
        if not found:
            found.append(getattr(importlib.import_module(module), name))
        return found[0](*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"`{target}`, imported when first called."
    return call
