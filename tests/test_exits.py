"""Exit codes that tell the truth; read-only means read-only (issue 11, items 5 and 6).

- SIGINT at 100 points of a `sync` of the shop example (the real CLI, a child process): the
  test-only hook SCHEMASYNC_TEST_INTERRUPT_AT=N makes the process send itself SIGINT at its
  N-th checkpoint (a call made by or into the edge modules: imports, reads, writes, the lock,
  each phase; see `interrupt.CheckpointHook`). A first run counts the checkpoints; 100 points
  spread evenly over them are interrupted in turn. Each: exit 130, one line on stderr, no
  traceback, every file its old or new bytes (or the pending record of a step that writes
  files), no temp file, and the lock free (a rerun with `--lock-timeout 0` succeeds).
- A real SIGINT while the run waits for the lock, and while PostgreSQL makes a catalog read
  wait for a lock (the server's query is cancelled too); `--lock-timeout 0` fails at once.
- A failed write (the test-only hook SCHEMASYNC_TEST_FAIL_WRITE=N: ENOSPC after the temp file
  was written) at every write point, and a real full tmpfs where `unshare` allows a mount:
  exit 6, one line, and evidence never says "rewritten" for a file that was not.
- SQLite opened read-only creates and changes nothing beside the database (rollback and WAL,
  idle and in use, read-only mount), and a SQLite path that leaves the project through a
  symlink is refused.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from safety_project import (
    CONTEXT,
    LOCK,
    MIRROR,
    RUNS,
    SCHEMA,
    SCHEMASYNC,
    assert_clean_failure,
    clean_env,
    holding_the_lock,
    make_project,
    run_cli,
    tree_bytes,
)

from schemasync.errors import INTERRUPTED_EXIT, ExitCode
from schemasync.evidence import EVIDENCE_FILES, PENDING, check_evidence
from schemasync.fsio import TEMP_SUFFIX
from schemasync.interrupt import INTERRUPT_AT_ENV
from schemasync.project import FAIL_WRITE_ENV

RUN_ID = "exits"
EVIDENCE = [f"{RUNS}/{RUN_ID}/{name}" for name in EVIDENCE_FILES]
POINTS = 100
EXTRA = "\nmodel ExitTestExtra {\n  id   Int    @id @default(autoincrement())\n  name String\n}\n"
#: A run's checkpoints are counted the same way each time only with one hash seed.
SEED = {"PYTHONHASHSEED": "0"}


def _copy(template: Path, where: Path) -> Path:
    # evidence names the project folder: every copy is called `proj`
    project = where / "proj"
    shutil.copytree(template, project, symlinks=True)
    return project


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], int]:
    """(the shop example with one model more than its mirror, the files of a complete sync of
    it, the number of checkpoints of that sync)."""
    base = tmp_path_factory.mktemp("exits")
    template = make_project(base / "template", "proj")
    (template / SCHEMA).write_text((template / SCHEMA).read_text("utf-8") + EXTRA, "utf-8")
    # at the depth of a test's tmp_path: finding the project walks up the folders, so the
    # number of checkpoints depends on how deep the project is
    reference = _copy(template, tmp_path_factory.mktemp("reference"))
    counted = base / "count.txt"
    env = {**SEED, INTERRUPT_AT_ENV: f"count:{counted}"}
    proc = run_cli(reference, "sync", "--run-id", RUN_ID, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    new = tree_bytes(reference)
    assert new[MIRROR] != tree_bytes(template)[MIRROR]
    assert new[CONTEXT] != tree_bytes(template)[CONTEXT]
    return template, new, int(counted.read_text("ascii"))


def _points(total: int) -> list[int]:
    return sorted({1 + k * (total - 1) // (POINTS - 1) for k in range(POINTS)})


def _temp_files(root: Path) -> list[str]:
    return [
        str(Path(folder, name).relative_to(root))
        for folder, _, names in os.walk(root)
        for name in names
        if name.endswith(TEMP_SUFFIX)
    ]


def _is_pending_record(rel: str, data: bytes) -> bool:
    text = data.decode("utf-8")
    pending = rel in EVIDENCE and PENDING in text
    return pending and [p.split(":")[0] for p in check_evidence(text)] == ["pending"]


def _old_or_new(rel: str, data: bytes | None, old: dict[str, bytes], new: dict[str, bytes]) -> str:
    """Return which form a file has: 'old', 'new' or 'pending' (else fail)."""
    if data == old.get(rel):
        return "old"
    if data == new.get(rel):
        return "new"
    assert data is not None, f"{rel}: vanished"
    assert _is_pending_record(rel, data), f"{rel}: torn or foreign"
    return "pending"


def test_points_are_enough(shop: tuple[Path, dict[str, bytes], int]) -> None:
    """The sync has at least 100 checkpoints, so the 100 points are distinct."""
    assert shop[2] >= POINTS
    assert len(_points(shop[2])) == POINTS


@pytest.mark.slow
@pytest.mark.parametrize("k", range(POINTS))
def test_sigint_at_100_points(
    tmp_path: Path, shop: tuple[Path, dict[str, bytes], int], k: int
) -> None:
    """SIGINT at the k-th of 100 points spread over a sync: exit 130, one line that tells what
    was written, every file old or new (or a pending record), no temp file, the lock free."""
    template, new, total = shop
    point = _points(total)[k]
    old = tree_bytes(template)
    project = _copy(template, tmp_path)
    proc = run_cli(project, "sync", "--run-id", RUN_ID, env={**SEED, INTERRUPT_AT_ENV: str(point)})
    line = assert_clean_failure(proc, INTERRUPTED_EXIT)
    assert line.startswith("interrupted (SIGINT) "), line
    assert "no file was half-written" in line
    after = tree_bytes(project)
    forms = {rel: _old_or_new(rel, after.get(rel), old, new) for rel in old.keys() | after.keys()}
    assert _temp_files(project) == []
    wrote = re.search(r"written in full before it \((.*?)\)(;|$)", line)
    if wrote is None:
        assert "nothing was written" in line
        assert {rel for rel, form in forms.items() if form != "old"} <= {LOCK}
    else:
        for rel in wrote.group(1).removesuffix(", …").split(", "):
            assert forms[rel] in ("new", "pending"), f"{rel} said written, is {forms[rel]}"
    if any(forms[rel] == "pending" for rel in EVIDENCE if rel in forms):
        assert f"the evidence in {RUNS}/{RUN_ID}/ is incomplete" in line
    # the lock is free, and a rerun finishes the run
    again = run_cli(project, "sync", "--run-id", RUN_ID, "--lock-timeout", "0", env=SEED)
    assert again.returncode == 0, f"point {point}: {again.stderr}"
    finished = tree_bytes(project)
    assert finished[MIRROR] == new[MIRROR]
    assert finished[CONTEXT] == new[CONTEXT]
    for rel in EVIDENCE:
        assert check_evidence(finished[rel].decode("utf-8")) == (), rel


def test_sigint_while_waiting_for_the_lock(tmp_path: Path) -> None:
    """A real Ctrl-C (SIGINT from outside) while the run waits for another run's lock: exit 130,
    one line, nothing written, the other run's lock untouched."""
    template = make_project(tmp_path, "t")
    lock = template / LOCK
    with holding_the_lock(template):
        before = tree_bytes(template)
        proc = subprocess.Popen(
            [str(SCHEMASYNC), "sync", "--lock-timeout", "300"],
            cwd=template,
            env=clean_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        fds = Path(f"/proc/{proc.pid}/fd")
        deadline = time.monotonic() + 60
        while not _has_open(fds, lock):
            assert proc.poll() is None, "the run ended instead of waiting for the lock"
            assert time.monotonic() < deadline, "the run never opened the lock file"
            time.sleep(0.02)
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        done = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
        line = assert_clean_failure(done, INTERRUPTED_EXIT)
        assert line.startswith("interrupted (SIGINT) during `mode-check`"), line
        assert "nothing was written" in line
        assert tree_bytes(template) == before


@pytest.mark.parametrize("task", ["sync", "phase-b", "verify"])
def test_lock_timeout_zero_fails_at_once(tmp_path: Path, task: str) -> None:
    """`--lock-timeout 0` while another run holds the lock: exit 2 at once (the whole command
    in under 5 s, against the default's 30 s of waiting), one line naming the holder's pid,
    nothing written."""
    project = make_project(tmp_path, "proj")
    with holding_the_lock(project) as pid:
        before = tree_bytes(project)
        started = time.monotonic()
        proc = run_cli(project, task, "--lock-timeout", "0")
        took = time.monotonic() - started
        line = assert_clean_failure(proc, int(ExitCode.USAGE))
        assert f"(pid {pid}) holds the project lock" in line
        assert took < 5, f"took {took:.1f} s"
        assert tree_bytes(project) == before


def _has_open(fds: Path, target: Path) -> bool:
    try:
        return any(fd.readlink() == target.resolve() for fd in fds.iterdir())
    except FileNotFoundError:
        return False


# ---- a write that fails ------------------------------------------------------------------------


@pytest.mark.slow
def test_failed_write_at_every_point(
    tmp_path: Path, shop: tuple[Path, dict[str, bytes], int]
) -> None:
    """Each write of a sync fails in turn as on a full disk (ENOSPC once its temp file is
    written): exit 6, one line, no temp file; every file old, new or a pending record, and a
    final (not pending) record only beside the files it describes in their new form."""
    template, new, _ = shop
    old = tree_bytes(template)
    described = {EVIDENCE[2]: MIRROR, EVIDENCE[3]: CONTEXT}
    n = 0
    while True:
        n += 1
        project = _copy(template, tmp_path / f"w{n}")
        proc = run_cli(project, "sync", "--run-id", RUN_ID, env={FAIL_WRITE_ENV: str(n)})
        if proc.returncode == 0:
            break
        line = assert_clean_failure(proc, int(ExitCode.ARTIFACT))
        assert "No space left on device" in line, line
        assert _temp_files(project) == []
        after = tree_bytes(project)
        forms = {r: _old_or_new(r, after.get(r), old, new) for r in old.keys() | after.keys()}
        for record, artifact in described.items():
            if forms.get(record) == "new":
                assert forms[artifact] == "new", f"write {n}: {record} claims {artifact}"
            if forms[artifact] == "old":
                assert forms.get(record) != "new", f"write {n}: {record} says rewritten"
        failed = line.split(":", 1)[0]
        if failed.endswith((MIRROR, CONTEXT)):
            assert "records these writes as pending, not done" in line
    # 00 01, 02 pending, mirror, 02, 03 pending, context, the example's pages that change (the
    # new model's and the README), 03, 04 (the handbook exists)
    pages = sum(1 for r, b in new.items() if r.startswith("docs/db/") and old.get(r) != b)
    assert pages == 2
    assert n - 1 == 9 + pages, f"{n - 1} write points"


def test_a_failed_mirror_write_leaves_no_handbook(
    tmp_path: Path, shop: tuple[Path, dict[str, bytes], int]
) -> None:
    """Phase B writes the handbook after the mirror: in a project without one, a mirror write
    that fails (exit 6) leaves no handbook behind; the next sync writes both."""
    template, new, _ = shop
    project = _copy(template, tmp_path)
    shutil.rmtree(project / "db" / "handbook")
    # 00, 01, 02 pending, then the mirror: the fourth write
    proc = run_cli(project, "sync", "--run-id", RUN_ID, env={FAIL_WRITE_ENV: "4"})
    line = assert_clean_failure(proc, int(ExitCode.ARTIFACT))
    assert line.split(":", 1)[0].endswith(MIRROR), line
    assert not (project / "db" / "handbook").exists()
    assert run_cli(project, "sync", "--run-id", "again").returncode == 0
    assert (project / "db" / "handbook" / "README.md").is_file()
    assert tree_bytes(project)[MIRROR] == new[MIRROR]


def _can_mount() -> bool:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=4k tmpfs /mnt"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


needs_mount = pytest.mark.skipif(
    not _can_mount(), reason="needs `unshare -m` and mount (a private mount namespace)"
)


@needs_mount
def test_full_disk_keeps_the_mirror_and_says_so(
    tmp_path: Path, shop: tuple[Path, dict[str, bytes], int]
) -> None:
    """A real full disk: `db/schema/` on a 32 KiB tmpfs holding the old mirror (24 KiB), so
    the new one cannot be written. Exit 6, the old mirror kept, and evidence 02 not the final
    record ("rewritten" with the new sha256) but the pending one."""
    template, new, _ = shop
    project = _copy(template, tmp_path)
    folder = project / "db" / "schema"
    script = (
        'set -e; cp "$1/tables.json" /tmp/old-mirror.$$; '
        'mount -t tmpfs -o size=32k tmpfs "$1"; cp /tmp/old-mirror.$$ "$1/tables.json"; '
        'rm /tmp/old-mirror.$$; set +e; "$2" sync --run-id "$3"; code=$?; '
        'echo "exit=$code"; sha256sum "$1/tables.json"; ls -a "$1"'
    )
    proc = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", str(folder), str(SCHEMASYNC), RUN_ID],
        cwd=project,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "exit=6" in proc.stdout, proc.stdout + proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "No space left on device" in proc.stderr
    old_sha = hashlib.sha256(tree_bytes(template)[MIRROR]).hexdigest()
    assert old_sha in proc.stdout  # the old mirror, whole, in the full folder
    assert TEMP_SUFFIX not in proc.stdout  # no temp file left in it
    record = (project / EVIDENCE[2]).read_text("utf-8")
    assert PENDING in record
    assert record != new[EVIDENCE[2]].decode("utf-8")


# ---- SQLite opened read-only -------------------------------------------------------------------


def _sqlite_project(tmp_path: Path) -> Path:
    project = make_project(tmp_path, "proj")
    (project / ".git").mkdir()
    return project


def _make_db(path: Path, *, wal: bool) -> None:
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE kept (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    conn.commit()
    conn.close()


def _files(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        p.name: (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).digest())
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def _snapshot(project: Path, url: str, *, wrapper: tuple[str, ...] = ()) -> str:
    out = project.parent / "snapshot.json"  # outside the project: the user's choice
    proc = run_cli(
        project,
        "snapshot",
        "--url-env",
        "DATABASE_URL",
        "--out",
        str(out),
        env={"DATABASE_URL": url},
        wrapper=wrapper,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    try:
        return out.read_text("utf-8")
    finally:
        out.unlink()


@pytest.mark.parametrize("wal", [False, True], ids=["rollback", "wal"])
def test_sqlite_idle_database_gets_nothing_beside_it(tmp_path: Path, wal: bool) -> None:
    """An idle SQLite database (rollback journal or WAL, no -wal/-shm): read, and its folder
    holds the same files with the same bytes and times afterwards (no -shm, no -wal)."""
    project = _sqlite_project(tmp_path)
    _make_db(project / "prisma" / "dev.db", wal=wal)
    before = _files(project / "prisma")
    mirror = _snapshot(project, "file:./dev.db")
    assert '"kept"' in mirror
    assert _files(project / "prisma") == before


def test_sqlite_in_use_is_read_whole_and_untouched(tmp_path: Path) -> None:
    """A WAL database another process has open, with changes still in its WAL (not
    checkpointed): the snapshot sees them (`immutable=1` would not), and the database, its -wal
    and its -shm keep their bytes and times."""
    project = _sqlite_project(tmp_path)
    db = project / "prisma" / "dev.db"
    _make_db(db, wal=True)
    writer = sqlite3.connect(db)
    try:
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute("CREATE TABLE only_in_wal (id INTEGER PRIMARY KEY)")
        writer.commit()
        before = _files(db.parent)
        assert {"dev.db-wal", "dev.db-shm"} <= set(before)
        mirror = _snapshot(project, "file:./dev.db")
        assert '"only_in_wal"' in mirror
        assert '"kept"' in mirror
        assert _files(db.parent) == before
    finally:
        writer.close()


def test_sqlite_wal_without_shm_gets_no_shm(tmp_path: Path) -> None:
    """A WAL database with a -wal but no -shm (copied, or left by a crash): SQLite's `mode=ro`
    would create the -shm; schemasync reads a private copy and sees the WAL's table."""
    project = _sqlite_project(tmp_path)
    scratch = tmp_path / "scratch.db"
    _make_db(scratch, wal=True)
    writer = sqlite3.connect(scratch)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE only_in_wal (id INTEGER PRIMARY KEY)")
    writer.commit()
    db = project / "prisma" / "dev.db"
    shutil.copyfile(scratch, db)
    shutil.copyfile(f"{scratch}-wal", f"{db}-wal")
    writer.close()
    before = _files(db.parent)
    assert "dev.db-shm" not in before
    mirror = _snapshot(project, "file:./dev.db")
    assert '"only_in_wal"' in mirror
    assert _files(db.parent) == before


def test_sqlite_immutable_file_that_changes_is_an_error(tmp_path: Path) -> None:
    """An idle WAL database is opened `immutable` (no locking, no -shm): if it changes while it
    is read anyway, that is a database error, not a silently wrong mirror."""
    from schemasync.errors import DatabaseError
    from schemasync.introspect import sqlite as lite

    db = tmp_path / "dev.db"
    _make_db(db, wal=True)
    conn = lite.connect(f"file:{db}", 5.0)
    try:
        lite.check_unchanged(conn)  # nothing changed yet
        os.utime(db, ns=(time.time_ns(), time.time_ns() + 10**9))  # a writer came
        with pytest.raises(DatabaseError, match="changed while it was read"):
            lite.check_unchanged(conn)
    finally:
        conn.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dev.db"]


@needs_mount
@pytest.mark.parametrize("side", ["idle", "wal"])
def test_sqlite_on_a_read_only_mount(tmp_path: Path, side: str) -> None:
    """The database's folder bind-mounted read-only: the snapshot works (a WAL database with or
    without a -wal file beside it)."""
    project = _sqlite_project(tmp_path)
    db = project / "prisma" / "dev.db"
    _make_db(db, wal=True)
    if side == "wal":
        scratch = tmp_path / "scratch.db"
        _make_db(scratch, wal=True)
        writer = sqlite3.connect(scratch)
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute("CREATE TABLE only_in_wal (id INTEGER PRIMARY KEY)")
        writer.commit()
        shutil.copyfile(scratch, db)
        shutil.copyfile(f"{scratch}-wal", f"{db}-wal")
        writer.close()
    folder = db.parent
    before = _files(folder)
    mount = (
        f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && "
        f'! touch {folder}/probe 2>/dev/null && exec "$0" "$@"'
    )
    mirror = _snapshot(project, "file:./dev.db", wrapper=("unshare", "-m", "sh", "-c", mount))
    assert '"kept"' in mirror
    assert ('"only_in_wal"' in mirror) == (side == "wal")
    assert _files(folder) == before


def test_sqlite_path_through_a_symlink_out_of_the_project(tmp_path: Path) -> None:
    """`file:./dev.db` names a file in the project; a committed symlink there that leads out
    of it is refused (exit 2, one line), as every project path is. The same database named by
    its own absolute path outside the project is the user's choice, and is read."""
    project = _sqlite_project(tmp_path)
    outside = tmp_path / "outside.db"
    _make_db(outside, wal=False)
    (project / "prisma" / "dev.db").symlink_to(outside)
    proc = run_cli(
        project, "snapshot", "--url-env", "DATABASE_URL", env={"DATABASE_URL": "file:./dev.db"}
    )
    line = assert_clean_failure(proc, int(ExitCode.USAGE))
    assert "resolves outside the project" in line
    assert '"kept"' in _snapshot(project, f"file:{outside}")


def test_read_mirror_refuses_a_fifo(tmp_path: Path) -> None:
    """`mirror.read_mirror` reads a regular file only: a FIFO is an artifact error at once."""
    fifo = tmp_path / "tables.json"
    os.mkfifo(fifo)
    code = (
        "import sys\nfrom pathlib import Path\nfrom schemasync.errors import ArtifactError\n"
        "from schemasync.mirror import read_mirror\n"
        "try:\n    read_mirror(Path(sys.argv[1]), 'db/schema/tables.json')\n"
        "except ArtifactError as err:\n    print(err)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(fifo)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert proc.stdout.startswith("db/schema/tables.json: not a regular file (a FIFO)"), proc.stdout


@pytest.mark.postgres
def test_sigint_during_a_blocked_catalog_read_cancels_it(tmp_path: Path, pg_url: str) -> None:
    """Ctrl-C while `snapshot` waits for a lock another session holds on PostgreSQL: exit 130
    at once with one line, and the server does not go on waiting for nobody (the query is
    cancelled, not only its socket closed)."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(b"CREATE TABLE t (id int); CREATE VIEW v AS SELECT id FROM t")
    database = pg_url.rsplit("/", 1)[1].split("?", 1)[0]
    waiting_sql = (
        b"SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'"
    )

    def waiting() -> int:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            row = conn.execute(waiting_sql, (database,)).fetchone()
            assert row is not None
            return int(row[0])

    project = _sqlite_project(tmp_path)
    locker = psycopg.connect(pg_url)  # holds a lock that blocks reading the view's definition
    try:
        locker.execute(b"LOCK TABLE v IN ACCESS EXCLUSIVE MODE")
        proc = subprocess.Popen(
            [str(SCHEMASYNC), "snapshot", "--url-env", "DATABASE_URL", "--timeout", "300"],
            cwd=project,
            env=clean_env({"DATABASE_URL": pg_url}),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while waiting() == 0:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the snapshot never waited for the lock"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        started = time.monotonic()
        out, err = proc.communicate(timeout=60)
        took = time.monotonic() - started
        line = assert_clean_failure(
            subprocess.CompletedProcess(proc.args, proc.returncode, out, err), INTERRUPTED_EXIT
        )
        assert line.startswith("interrupted (SIGINT) during `snapshot`"), line
        assert took < 10, f"took {took:.1f} s to stop"
        deadline = time.monotonic() + 10
        while waiting():  # the cancel request is asynchronous: give the server a moment
            assert time.monotonic() < deadline, "the server still runs the interrupted query"
            time.sleep(0.05)
    finally:
        locker.rollback()
        locker.close()
