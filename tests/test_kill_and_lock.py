"""Killed runs leave every artifact old or new; concurrent runs are serialized (issue 5, item 2).

- `sync` (the real CLI, a child process) is SIGKILLed right after each of its atomic writes in
  turn (a test-only hook), from a project whose mirror, context and evidence are complete for
  schema v1 while the schema is already v2. After each kill every artifact must be
  byte-identical to its v1 or its v2 form (the v2 forms come from an unkilled reference run),
  or, for the evidence of a step that writes files, its pending record (written before the
  files, it says so: issue 11), and a rerun must recover to v2.
- The project lock, held by the test itself (an exclusive `flock` on `.ai/.tmp/db-sync/.lock`
  with its pid in the file, as a run holds it): `sync` waits while it is held and runs once it
  is released (default), or with a short `--lock-timeout` exits 2 naming the holder's pid,
  writing nothing.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import time
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
    holding_the_lock,
    run_cli,
    tree_bytes,
)

from schemasync.errors import ExitCode
from schemasync.evidence import EVIDENCE_FILES, PENDING, check_evidence
from schemasync.fsio import TEMP_SUFFIX
from schemasync.mirror import load_mirror
from schemasync.project import KILL_AFTER_WRITE_ENV
from schemasync.project import RUN_ID as RUN_ID_PATTERN

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from gen_schema import generate  # type: ignore[import-not-found, unused-ignore]  # noqa: E402 -- bench/ is not a package

RUN_ID = "killtest"
EVIDENCE = [f".ai/.tmp/db-sync/{RUN_ID}/{name}" for name in EVIDENCE_FILES]
ARTIFACTS = [MIRROR, CONTEXT, *EVIDENCE]
KILL_MODELS = 30
HANDBOOK = "db/handbook/README.md"


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


def _start_sync(project: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    # Output to a file, not a pipe: a 2,000-model sync prints more than a pipe buffer holds,
    # and a writer blocked on a full pipe would hold the project lock forever.
    log = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 -- closed by finish()
    proc = subprocess.Popen(
        [str(SCHEMASYNC), "sync", "--run-id", RUN_ID, *args],
        cwd=project,
        env=clean_env(env),
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return Run(proc, log)


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """(v1 project template, the v2 artifacts)."""
    base = tmp_path_factory.mktemp("kill")
    # The evidence names the project folder: every copy is called `proj`.
    old = _project(base / "old" / "proj", KILL_MODELS)
    proc = run_cli(old, "sync", "--run-id", RUN_ID)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (old / HANDBOOK).unlink()  # so that the killed runs write it too: one more write point
    new = base / "new" / "proj"
    shutil.copytree(old, new)
    (new / SCHEMA).write_text((old / SCHEMA).read_text(encoding="utf-8") + EXTRA, "utf-8")
    proc = run_cli(new, "sync", "--run-id", RUN_ID)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    new_bytes = tree_bytes(new)
    for rel in ARTIFACTS:
        assert new_bytes[rel] != tree_bytes(old)[rel] or rel.endswith("04-layer-coherence.md")
    return old, {rel: new_bytes[rel] for rel in ARTIFACTS}


def _check_complete(rel: str, data: bytes) -> None:
    text = data.decode("utf-8")
    if rel == MIRROR:
        load_mirror(text, rel)
    elif rel.endswith(".md"):
        assert check_evidence(text) == (), rel


@pytest.mark.slow
def test_sigkill_during_sync_leaves_old_or_new(
    tmp_path: Path, states: tuple[Path, dict[str, bytes]]
) -> None:
    """SIGKILL right after each atomic write of a `sync`, in turn (the test-only hook
    SCHEMASYNC_TEST_KILL_AFTER_WRITE=n): every artifact is its old or new complete form, and a
    rerun recovers. Each write point is visited once; the last n lets the run finish."""
    template, new = states
    old = tree_bytes(template)
    seen: dict[str, set[str]] = {rel: set() for rel in ARTIFACTS}
    n = 0
    while True:
        n += 1
        project = tmp_path / f"run{n}" / "proj"
        shutil.copytree(template, project)
        (project / SCHEMA).write_text(
            (template / SCHEMA).read_text(encoding="utf-8") + EXTRA, "utf-8"
        )
        run = _start_sync(project, env={KILL_AFTER_WRITE_ENV: str(n)})
        output = run.finish(timeout=120)
        if run.proc.returncode == 0:
            break  # the run made fewer than n writes: every write point was visited
        assert run.proc.returncode == -signal.SIGKILL, f"write {n}: {output}"
        now = tree_bytes(project)
        for rel in ARTIFACTS:
            data = now.get(rel)
            assert data is not None, f"kill after write {n}: {rel} vanished"
            if rel in EVIDENCE and data not in (old[rel], new[rel]):
                # the record a step writes before its files: it says it is pending
                text = data.decode("utf-8")
                assert PENDING in text, f"kill after write {n}: {rel} is neither"
                assert [p.split(":")[0] for p in check_evidence(text)] == ["pending"]
                seen[rel].add("pending")
                continue
            assert data in (old[rel], new[rel]), f"kill after write {n}: {rel} is neither"
            _check_complete(rel, data)
            seen[rel].add("old" if data == old[rel] else "new")
        rerun = run_cli(project, "sync", "--run-id", RUN_ID)
        assert rerun.returncode == 0, f"kill after write {n}: rerun failed\n{rerun.stderr}"
        after = tree_bytes(project)
        # Recovery: mirror and context are the new ones and the evidence is complete. (The 02
        # evidence of a rerun after the mirror was written reports "no changes": the killed
        # run's change list is in the 02 it wrote before the mirror, which the rerun replaced.)
        differ = [rel for rel in (MIRROR, CONTEXT) if after[rel] != new[rel]]
        assert differ == [], f"kill after write {n}: no recovery of {differ}"
        for rel in EVIDENCE:
            _check_complete(rel, after[rel])
    # 00 01, 02 pending, the mirror, the handbook, 02, 03 pending, the context, 03, 04: ten
    # writes, ten kills
    assert n - 1 == 10, f"{n - 1} write points"
    assert seen[MIRROR] == {"old", "new"}, seen
    assert seen[CONTEXT] == {"old", "new"}, seen
    assert seen[EVIDENCE[2]] == seen[EVIDENCE[3]] == {"old", "pending", "new"}, seen


def test_sigkill_after_the_run_pointer(
    tmp_path: Path, states: tuple[Path, dict[str, bytes]]
) -> None:
    """Without `--run-id` a run's first write is the run pointer (`CURRENT`), a write point the
    test above does not reach: killed right after it, the pointer is a whole run id, no temp
    file is left, and the next sync completes."""
    template, _ = states
    project = tmp_path / "proj"
    shutil.copytree(template, project)
    killed = subprocess.run(
        [str(SCHEMASYNC), "sync"],
        cwd=project,
        env=clean_env({KILL_AFTER_WRITE_ENV: "1"}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    pointer = (project / RUNS / "CURRENT").read_text(encoding="utf-8")
    assert pointer.endswith("\n")
    assert RUN_ID_PATTERN.fullmatch(pointer.strip()), pointer
    assert not [p for p in (project / RUNS).iterdir() if p.name.endswith(TEMP_SUFFIX)]
    rerun = run_cli(project, "sync")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr


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
