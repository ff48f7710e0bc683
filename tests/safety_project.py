"""Helpers of the safety tests (issues 5 and 11): a throw-away copy of the shop example, the real
CLI in a subprocess, byte snapshots of a project tree, and the project lock held by the test.

Used by test_bad_input, test_secrets, test_kill_and_lock, test_exits, test_paths and others. No
mocks: every test runs the installed `schemasync` command of this virtualenv on a copy of
`examples/shop`.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHOP = REPO / "examples" / "shop"
SCHEMASYNC = Path(sys.executable).parent / "schemasync"
MIRROR = "db/schema/tables.json"
CONTEXT = "docs/context/db/schema.json"
CONFIG = "docs/project/db-ssot.json"
SCHEMA = "prisma/schema.prisma"
LOCK = ".ai/.tmp/db-sync/.lock"
RUNS = ".ai/.tmp/db-sync"

#: Variables a developer's shell may hold that must not leak into (or change) a test run.
_DROP = ("DATABASE_URL", "STAGING_DATABASE_URL", "PROD_DATABASE_URL", "SHADOW_DATABASE_URL")


def make_project(tmp_path: Path, name: str = "shop") -> Path:
    """Copy `examples/shop` (without run folders or databases) to `tmp_path/name`."""
    dest = tmp_path / name
    shutil.copytree(SHOP, dest, ignore=shutil.ignore_patterns(".ai", "*.db", "node_modules"))
    return dest


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Return this process' environment without database URLs, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in _DROP}
    env.update(extra or {})
    return env


def run_cli(
    project: Path,
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    wrapper: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    """Run `schemasync ARGS` in `project` and return the finished process (text output);
    `wrapper` goes before the command (`setpriv …`, `prlimit …`)."""
    return subprocess.run(
        [*wrapper, str(SCHEMASYNC), *args],
        cwd=project,
        env=clean_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Return every regular file under `root` (symlinks not followed) as {posix path: bytes}."""
    out: dict[str, bytes] = {}
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue
            try:
                out[path.relative_to(root).as_posix()] = path.read_bytes()
            except PermissionError:  # a test made it unreadable on purpose (not as root)
                out[path.relative_to(root).as_posix()] = b"<unreadable>"
    return out


def changes(before: dict[str, bytes], after: dict[str, bytes]) -> dict[str, str]:
    """Return {path: 'added' | 'removed' | 'changed'} between two snapshots."""
    found: dict[str, str] = {}
    for path in before.keys() | after.keys():
        if path not in after:
            found[path] = "removed"
        elif path not in before:
            found[path] = "added"
        elif before[path] != after[path]:
            found[path] = "changed"
    return dict(sorted(found.items()))


def assert_clean_failure(proc: subprocess.CompletedProcess[str], code: int) -> str:
    """Check a failed run: exit `code`, no traceback, the error is ONE line on stderr.

    Returns:
        the error line (without the `schemasync: ` prefix).
    """
    both = proc.stdout + proc.stderr
    assert "Traceback" not in both, both
    assert proc.returncode == code, f"exit {proc.returncode}, expected {code}:\n{both}"
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one error line on stderr, got:\n{proc.stderr}"
    return lines[0].removeprefix("schemasync: ")


@contextlib.contextmanager
def holding_the_lock(project: Path) -> Iterator[int]:
    """Hold the project lock from this (test) process, as a schemasync run does: an exclusive
    `flock` on `.ai/.tmp/db-sync/.lock` with our pid written in it; yield the pid. On release
    the pid stays in the file, as after a holder that was killed: a stale pid must not block."""
    path = project / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield os.getpid()
    finally:
        os.close(fd)  # closing the only descriptor releases the flock
