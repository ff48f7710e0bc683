"""Killed runs leave every artifact old or new; concurrent runs are serialized (issue 5, item 2).

- `sync` (the real CLI, a child process) is SIGKILLed at 20 points spread over its run, from a
  project whose mirror, context and evidence are complete for schema v1 while the schema is
  already v2. After each kill every artifact must be byte-identical to its v1 or its v2 form
  (the v2 forms come from an unkilled reference run), and a rerun must recover to v2.
- The project lock, held by the test itself (an exclusive `flock` on `.ai/.tmp/db-sync/.lock`
  with its pid in the file, as a run holds it): `sync` waits while it is held and runs once it
  is released (default), or with a short `--lock-timeout` exits 2 naming the holder's pid,
  writing nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
from safety_project import (
    CONFIG,
    CONTEXT,
    LOCK,
    MIRROR,
    RUNS,
    SCHEMA,
    SCHEMASYNC,
    changes,
    clean_env,
    run_cli,
    tree_bytes,
)

from schemasync.errors import ExitCode
from schemasync.evidence import EVIDENCE_FILES, check_evidence
from schemasync.mirror import load_mirror

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from gen_schema import generate  # type: ignore[import-not-found, unused-ignore]  # noqa: E402 -- bench/ is not a package

RUN_ID = "killtest"
EVIDENCE = [f".ai/.tmp/db-sync/{RUN_ID}/{name}" for name in EVIDENCE_FILES]
ARTIFACTS = [MIRROR, CONTEXT, *EVIDENCE]
KILL_POINTS = 20


def _project(root: Path, models: int, extra: str = "") -> Path:
    """A project whose schema is the benchmark's `models`-model SQLite schema (+ `extra`)."""
    (root / "prisma").mkdir(parents=True)
    (root / "docs" / "project").mkdir(parents=True)
    (root / CONFIG).write_text('{"mode": "database"}\n', encoding="utf-8")
    (root / SCHEMA).write_text(generate(models, "sqlite") + extra, encoding="utf-8")
    return root


EXTRA = "\nmodel KillTestExtra {\n  id   Int    @id @default(autoincrement())\n  name String\n}\n"


@dataclass
class Run:
    """A `sync` child process and the file its output goes to."""

    proc: subprocess.Popen[str]
    log: IO[str]

    @property
    def pid(self) -> int:
        """Return the child's pid."""
        return self.proc.pid

    def finish(self, timeout: float = 300) -> str:
        """Wait for the child; return what it printed (stdout and stderr)."""
        self.proc.wait(timeout=timeout)
        self.log.seek(0)
        text = self.log.read()
        self.log.close()
        return text


def _start_sync(project: Path, *args: str) -> Run:
    # Output to a file, not a pipe: a 2,000-model sync prints more than a pipe buffer holds,
    # and a writer blocked on a full pipe would hold the project lock forever.
    log = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 -- closed by finish()
    proc = subprocess.Popen(
        [str(SCHEMASYNC), "sync", "--run-id", RUN_ID, *args],
        cwd=project,
        env=clean_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return Run(proc, log)


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], float]:
    """(v1 project template, the v2 artifacts, seconds a v2 sync takes)."""
    base = tmp_path_factory.mktemp("kill")
    # The evidence names the project folder: every copy is called `proj`.
    old = _project(base / "old" / "proj", 300)
    proc = run_cli(old, "sync", "--run-id", RUN_ID)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    new = base / "new" / "proj"
    shutil.copytree(old, new)
    (new / SCHEMA).write_text((old / SCHEMA).read_text(encoding="utf-8") + EXTRA, "utf-8")
    start = time.monotonic()
    proc = run_cli(new, "sync", "--run-id", RUN_ID)
    took = time.monotonic() - start
    assert proc.returncode == 0, proc.stdout + proc.stderr
    new_bytes = tree_bytes(new)
    for rel in ARTIFACTS:
        assert new_bytes[rel] != tree_bytes(old)[rel] or rel.endswith("04-layer-coherence.md")
    return old, {rel: new_bytes[rel] for rel in ARTIFACTS}, took


def _check_complete(rel: str, data: bytes) -> None:
    text = data.decode("utf-8")
    if rel == MIRROR:
        load_mirror(text, rel)
    elif rel.endswith(".md"):
        assert check_evidence(text) == (), rel


def test_sigkill_during_sync_leaves_old_or_new(
    tmp_path: Path, states: tuple[Path, dict[str, bytes], float]
) -> None:
    """SIGKILL at 20+ points: every artifact is its old or new complete form; a rerun recovers."""
    template, new, took = states
    old = tree_bytes(template)
    seen: dict[str, set[str]] = {rel: set() for rel in ARTIFACTS}
    killed = 0
    # 20 points over the run's measured length; should this machine's speed drift so that none
    # falls after the mirror write (or before it), a few more, later (earlier) ones.
    factors = [0.15 + 0.95 * i / (KILL_POINTS - 1) for i in range(KILL_POINTS)]
    spare = {"new": [1.3, 1.6, 2.0, 2.5, 3.0], "old": [0.1, 0.05]}
    i = 0
    while i < len(factors):
        if i == len(factors) - 1:
            for state in sorted({"old", "new"} - seen[MIRROR]):
                factors.extend(spare.pop(state, []))
        project = tmp_path / f"run{i}" / "proj"
        shutil.copytree(template, project)
        (project / SCHEMA).write_text(
            (template / SCHEMA).read_text(encoding="utf-8") + EXTRA, "utf-8"
        )
        delay = took * factors[i]
        run = _start_sync(project)
        time.sleep(delay)
        run.proc.send_signal(signal.SIGKILL)
        run.finish(timeout=60)
        killed += run.proc.returncode == -signal.SIGKILL
        now = tree_bytes(project)
        for rel in ARTIFACTS:
            data = now.get(rel)
            assert data is not None, f"kill point {i}: {rel} vanished"
            assert data in (old[rel], new[rel]), f"kill point {i}: {rel} is neither old nor new"
            _check_complete(rel, data)
            seen[rel].add("old" if data == old[rel] else "new")
        rerun = run_cli(project, "sync", "--run-id", RUN_ID)
        assert rerun.returncode == 0, f"kill point {i}: rerun failed\n{rerun.stderr}"
        after = tree_bytes(project)
        # Recovery: mirror and context are the new ones and the evidence is complete. (The 02
        # evidence of a rerun after the mirror was written reports "no changes": the killed
        # run's change list is not recoverable; that is what it says, not a corrupt file.)
        differ = [rel for rel in (MIRROR, CONTEXT) if after[rel] != new[rel]]
        assert differ == [], f"kill point {i}: no recovery of {differ}"
        for rel in EVIDENCE:
            _check_complete(rel, after[rel])
        i += 1
    assert killed >= KILL_POINTS // 2, f"only {killed} runs were killed before they finished"
    assert seen[MIRROR] == {"old", "new"}, f"the kills never straddled the mirror write: {seen}"


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


def _wait_until_waiting(run: Run, lock: Path) -> None:
    """Return once the child has the lock file open (it then waits for the lock); fail if it
    ends first. Linux: its open files are the links in /proc/PID/fd."""
    fds = Path(f"/proc/{run.pid}/fd")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert run.proc.poll() is None, "the second run ended instead of waiting:\n" + run.finish()
        try:
            if any(fd.readlink() == lock.resolve() for fd in fds.iterdir()):
                return
        except FileNotFoundError:  # an fd closed (or the process ended) while we looked
            pass
        time.sleep(0.02)
    raise AssertionError("the second run never opened the lock file")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small project (the benchmark schema, 30 models) with a complete first sync."""
    root = _project(tmp_path / "proj", 30)
    proc = run_cli(root, "sync", "--run-id", "first")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root


def test_second_sync_fails_naming_the_holder(project: Path) -> None:
    """`--lock-timeout 1` while another process holds the lock: exit 2 naming its pid, after ~1 s,
    writing nothing; once the holder lets go, the same command runs."""
    before = tree_bytes(project)
    with holding_the_lock(project) as pid:
        start = time.monotonic()
        second = run_cli(project, "sync", "--run-id", RUN_ID, "--lock-timeout", "1")
        waited = time.monotonic() - start
        both = second.stdout + second.stderr
        assert "Traceback" not in both
        assert second.returncode == int(ExitCode.USAGE), both
        assert f"pid {pid}" in second.stderr
        assert "--lock-timeout" in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1
        assert 1 <= waited < 10, f"waited {waited:.1f} s with --lock-timeout 1"
        # Nothing written: no evidence folder of its own, the lock file still names the holder.
        assert (project / LOCK).read_text(encoding="ascii") == f"{pid}\n"
        after = tree_bytes(project)
        assert changes(before, after) == {LOCK: "changed" if LOCK in before else "added"}
    rerun = run_cli(project, "sync", "--run-id", RUN_ID, "--lock-timeout", "1")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert {p.name for p in (project / RUNS).iterdir() if p.is_dir()} == {"first", RUN_ID}


def test_second_sync_waits_for_the_first(project: Path) -> None:
    """Without a short timeout a run waits while the lock is held, writing nothing, and runs as
    soon as it is released."""
    (project / SCHEMA).write_text((project / SCHEMA).read_text(encoding="utf-8") + EXTRA, "utf-8")
    with holding_the_lock(project):
        before = tree_bytes(project)
        waiting = _start_sync(project, "--lock-timeout", "300")
        try:
            _wait_until_waiting(waiting, project / LOCK)
            time.sleep(0.5)  # long enough for a run that did not wait to write something
            assert waiting.proc.poll() is None, "the run did not wait:\n" + waiting.finish()
            assert tree_bytes(project) == before
        except BaseException:
            if waiting.proc.poll() is None:  # do not leave it waiting for a lock never freed
                waiting.proc.kill()
                waiting.proc.wait()
            raise
    printed = waiting.finish()
    assert waiting.proc.returncode == 0, printed
    assert "holds the project lock" not in printed
    # The run released the lock (it empties the file) and wrote the new mirror.
    assert (project / LOCK).read_text(encoding="ascii").strip() == ""
    assert "KillTestExtra" in (project / MIRROR).read_text(encoding="utf-8")
