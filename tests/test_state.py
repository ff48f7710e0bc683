"""State lives on the run (`RunState`), never in a module: each run reads and derives afresh.

What used to be promised by the read-once caches (a file replaced during a run is read again; a
schema rewritten by a pull is parsed again; nothing is kept outside a run) is promised here by
construction, and checked: a state memoizes what it derived, a fresh state derives again, the
files a run may rewrite are read as they are now, and a whole `sync` changes no module-level
object of the package.
"""

from __future__ import annotations

import copy
import functools
import importlib
import os
import pkgutil
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import schemasync
from schemasync.fsio import write_atomic
from schemasync.options import Options
from schemasync.project import Run, open_run
from schemasync.runner import execute
from schemasync.state import RunState

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "shop"


@contextmanager
def _state(root: Path) -> Iterator[RunState]:
    (root / ".git").mkdir(exist_ok=True)
    (root / "docs" / "project").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "project" / "db-ssot.json").write_text('{"mode": "database"}\n')
    (root / "prisma").mkdir(exist_ok=True)
    (root / "prisma" / "schema.prisma").write_text(
        'datasource db {\n  provider = "sqlite"\n}\n\nmodel A {\n  id Int @id\n}\n'
    )
    with open_run(Options(root=str(root), cwd=str(root), task_slug="t")) as run:
        yield RunState(run)


def test_a_state_derives_once_and_a_fresh_state_derives_again(tmp_path: Path) -> None:
    with _state(tmp_path) as state:
        assert state.document is state.document
        assert state.schema is state.schema
        assert [t.name for t in state.schema.tables] == ["A"]
        schema = tmp_path / "prisma" / "schema.prisma"
        schema.write_text(schema.read_text() + "\nmodel B {\n  id Int @id\n}\n")  # a pull
        assert [t.name for t in state.schema.tables] == ["A"]  # what this state derived
        fresh = state.fresh()
        assert [t.name for t in fresh.schema.tables] == ["A", "B"]
        assert fresh.sources.sha256 != state.sources.sha256


def test_files_a_run_may_rewrite_are_read_as_they_are_now(tmp_path: Path) -> None:
    with _state(tmp_path) as state:
        path = tmp_path / "notes.txt"
        assert state.read("notes.txt") is None
        path.write_text("one")
        assert state.read("notes.txt") == "one"
        write_atomic(path, "two")  # a new inode, as every schemasync write
        assert state.read("notes.txt") == "two"
        mtime = path.stat().st_mtime_ns
        with path.open("r+") as handle:  # in place, same size, same modification time
            handle.write("six")
        os.utime(path, ns=(path.stat().st_atime_ns, mtime))
        assert state.read("notes.txt") == "six"


def test_a_mirror_read_back_is_the_derived_model_only_when_it_is_the_derived_text(
    tmp_path: Path,
) -> None:
    with _state(tmp_path) as state:
        text = state.mirror_text
        assert state.load_mirror(text) is state.schema
        other = state.load_mirror(text.replace('"A"', '"Z"', 1))
        assert other is not state.schema
        assert other.tables[0].name == "Z"


def _package_modules() -> list[ModuleType]:
    modules = []
    for info in pkgutil.walk_packages(schemasync.__path__, "schemasync."):
        if info.name.endswith((".cli", ".jsonschema")):
            continue  # the CLI's entry point and a script: no run state either, heavy imports
        modules.append(importlib.import_module(info.name))
    return [schemasync, *modules]


def _mutable_globals(modules: list[ModuleType]) -> dict[str, Any]:
    """Every module-level container of the package, deep-copied; and every cache."""
    found: dict[str, Any] = {}
    for module in modules:
        for name, value in vars(module).items():
            key = f"{module.__name__}.{name}"
            if isinstance(value, functools._lru_cache_wrapper):
                found[key] = value.cache_info().currsize
            elif isinstance(value, dict | list | set | bytearray) and not name.startswith("__"):
                found[key] = copy.deepcopy(value)
    return found


def test_a_sync_changes_no_module_level_object(tmp_path: Path) -> None:
    """No module-level mutable state: a whole `sync` (and a `check`) leaves every module-level
    container and cache of the package as it was."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    shutil.copytree(EXAMPLE, repo / "shop", ignore=shutil.ignore_patterns(".ai", "*.db"))
    modules = _package_modules()
    caches = [
        f"{m.__name__}.{n}"
        for m in modules
        for n, v in vars(m).items()
        if isinstance(v, functools._lru_cache_wrapper)
    ]
    assert caches == [], "module-level caches hold state between runs"
    before = _mutable_globals(modules)
    lines: list[str] = []
    options = Options(root="shop", cwd=str(repo), task_slug="state", new_run=True)
    execute(
        ["mode-check", "pull-instructions", "import-prisma", "refresh-context", "check-layers",
         "sync", "verify", "check"],
        options,
        lines.append,
    )  # fmt: skip
    assert "verification checklist:" in lines
    assert _mutable_globals(modules) == before
    assert set(sys.modules) >= {m.__name__ for m in modules}


def test_run_is_frozen_and_belongs_to_one_run(tmp_path: Path) -> None:
    with _state(tmp_path) as state:
        run: Run = state.run
        with pytest.raises(AttributeError):
            run.evidence = "elsewhere"  # type: ignore[misc]
        assert run.evidence == "dev-docs/active/t/artifacts/db"
