"""A hostile repository (issue 11, items 2 and 5): nothing outside the project, nothing but
regular files, no hang, no traceback, no leftover.

Each case commits something a pull request from anyone could hold — a symlink out of the project,
a FIFO, a device, a socket, a symlink loop, an over-long name — at one of the paths schemasync
reads or writes (the lock, `CURRENT`, run folders, evidence, templates, views, schema folder
members, the mirror, the context, `package.json`, `db-ssot.json`, `.gitignore`, `snapshot`
paths), then runs the real CLI on a copy of the shop example under a timeout (a FIFO opened for
reading blocks until a writer comes). Every case checks the exit code, one line on stderr, no
traceback, a canary file outside the project byte for byte (and nothing new out there), and that
no file the repository tracks changed (only `.ai/` may: a run's own records).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import stat
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from safety_project import (
    CONFIG,
    CONTEXT,
    LOCK,
    MIRROR,
    RUNS,
    SCHEMA,
    assert_clean_failure,
    changes,
    make_project,
    run_cli,
    tree_bytes,
)

from schemasync.errors import ExitCode
from schemasync.evidence import EVIDENCE_FILES
from schemasync.fsio import FileRefused, read_bytes, remove_stale_temps, resolve_in

#: Every run is given this long; a FIFO read would block forever (a test then fails, not hangs).
TIMEOUT = 30
#: What the canary outside the project holds: a valid schema fragment and view, so that reading
#: it would get it into the mirror; its marker must never appear in any output.
CANARY = "model Leak {\n  id Int @id\n}\n// CANARY-LEAKED\n"
VIEW = "prisma/views/main/active_products.sql"
CURRENT = f"{RUNS}/CURRENT"
TEMPLATE = "evidence_templates/02-import-prisma-log.md"
RUN = "hostile"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the shop example, next to `outside/` (a canary file and a folder of templates)."""
    outside = tmp_path / "outside"
    (outside / "templates").mkdir(parents=True)
    (outside / "canary.txt").write_text(CANARY, encoding="utf-8")
    for name in EVIDENCE_FILES:
        (outside / "templates" / name).write_text(f"# {name}\nCANARY-LEAKED\n", encoding="utf-8")
    return make_project(tmp_path)


def _outside(project: Path) -> Path:
    return project.parent / "outside"


def _canary(project: Path) -> Path:
    return _outside(project) / "canary.txt"


def _outside_state(project: Path) -> dict[str, tuple[int, str]]:
    """Every entry outside the project (not following links): its mode and its bytes' sha256."""
    state: dict[str, tuple[int, str]] = {}
    for folder, _, names in os.walk(_outside(project)):
        for name in names:
            path = Path(folder) / name
            mode = path.lstat().st_mode
            data = path.read_bytes() if stat.S_ISREG(mode) else b""
            state[path.relative_to(project.parent).as_posix()] = (
                mode,
                hashlib.sha256(data).hexdigest(),
            )
    return state


def _tracked(snapshot: dict[str, bytes]) -> dict[str, bytes]:
    """The files the repository tracks: all but a run's own records under `.ai/`."""
    return {k: v for k, v in snapshot.items() if not k.startswith(".ai/")}


def hostile_run(
    project: Path, *args: str, code: ExitCode, says: str, env: dict[str, str] | None = None
) -> str:
    """Run under the timeout; check the exit code, one clean line saying `says`, the canary and
    everything outside untouched, no tracked file changed; return the line."""
    before, outside = _tracked(tree_bytes(project)), _outside_state(project)
    proc = run_cli(project, *args, timeout=TIMEOUT, env=env)
    message = assert_clean_failure(proc, int(code))
    assert says in message, message
    assert "CANARY-LEAKED" not in proc.stdout + proc.stderr
    assert _outside_state(project) == outside, "something outside the project changed"
    assert _canary(project).read_text(encoding="utf-8") == CANARY
    assert changes(before, _tracked(tree_bytes(project))) == {}
    return message


# ---- what a repository can hold -------------------------------------------------------------


def _clear(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or path.is_file():
        path.unlink()


def link(project: Path, rel: str, target: str | Path) -> None:
    """Make `rel` a symlink to `target` (a path, or a name relative to the link's folder)."""
    path = project / rel
    if path.is_dir() and not path.is_symlink():
        for child in sorted(path.rglob("*"), reverse=True):
            child.rmdir() if child.is_dir() else child.unlink()
        path.rmdir()
    _clear(path)
    path.symlink_to(target)


def fifo(project: Path, rel: str) -> None:
    """Make `rel` a FIFO (a named pipe: opening it for reading waits for a writer)."""
    _clear(project / rel)
    os.mkfifo(project / rel)


def loop(project: Path, rel: str) -> None:
    """Make `rel` a symlink to itself (`ELOOP`)."""
    link(project, rel, Path(rel).name)


def outside_link(rel: str) -> Callable[[Path], None]:
    """Plant `rel` as a symlink to the canary outside the project."""
    return lambda p: link(p, rel, _canary(p))


def outside_folder_link(rel: str, sub: str = "templates") -> Callable[[Path], None]:
    """Plant `rel` as a symlink to a folder outside the project."""
    return lambda p: link(p, rel, _outside(p) / sub)


def fifo_at(rel: str) -> Callable[[Path], None]:
    return lambda p: fifo(p, rel)


def loop_at(rel: str) -> Callable[[Path], None]:
    return lambda p: loop(p, rel)


def _schema_folder(project: Path, member: Callable[[Path], None] | None = None) -> None:
    """Make the schema a folder (`prisma/schema/`, with `schema.prisma` in it); plant a member."""
    folder = project / "prisma" / "schema"
    folder.mkdir()
    (project / SCHEMA).rename(folder / "schema.prisma")
    text = (project / CONFIG).read_text(encoding="utf-8")
    (project / CONFIG).write_text(text.replace(SCHEMA, "prisma/schema"), encoding="utf-8")
    if member is not None:
        member(project)


def _templates(project: Path) -> None:
    """Give the project its own templates (the packaged ones, copied)."""
    from importlib import resources

    folder = project / "evidence_templates"
    folder.mkdir(exist_ok=True)
    for name in EVIDENCE_FILES:
        text = resources.files("schemasync").joinpath("templates", name).read_text("utf-8")
        (folder / name).write_text(text, encoding="utf-8")


def _synced_run(project: Path) -> None:
    """A finished run `RUN` whose records later cases replace."""
    done = run_cli(project, "sync", "--run-id", RUN, timeout=TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr


def both(*plants: Callable[[Path], None]) -> Callable[[Path], None]:
    def plant(project: Path) -> None:
        for one in plants:
            one(project)

    return plant


@dataclass(frozen=True)
class Case:
    """A hostile repository: what it plants, the command, the exit code, words of the message."""

    id: str
    plant: Callable[[Path], None]
    args: tuple[str, ...]
    code: ExitCode
    says: str


def _cases(cases: list[Case]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("case", cases, ids=[c.id for c in cases])


OUT = "outside the project"
USAGE, SOURCE, ARTIFACT = ExitCode.USAGE, ExitCode.SOURCE, ExitCode.ARTIFACT

# ---- symlinks out of the project: refused, exit 2 ----------------------------------------------

ESCAPES = [
    # the lock is truncated when taken: a symlink there is never followed, wherever it points
    Case("lock-to-outside", outside_link(LOCK), ("sync",), USAGE, "symlink"),
    Case(
        "lock-to-project-file",
        lambda p: link(p, LOCK, "../../../README.md"),
        ("sync",),
        USAGE,
        "symlink",
    ),
    Case("current-written", outside_link(CURRENT), ("sync",), USAGE, OUT),
    Case("current-read", outside_link(CURRENT), ("phase-b",), USAGE, OUT),
    Case("view-file", outside_link(VIEW), ("sync",), USAGE, OUT),
    Case("view-dev-zero", lambda p: link(p, VIEW, "/dev/zero"), ("sync",), USAGE, OUT),
    Case("views-folder", outside_folder_link("prisma/views"), ("sync",), USAGE, OUT),
    Case(
        "schema-folder-member",
        lambda p: _schema_folder(p, outside_link("prisma/schema/leak.prisma")),
        ("sync",),
        USAGE,
        OUT,
    ),
    Case("templates-folder", outside_folder_link("evidence_templates"), ("sync",), USAGE, OUT),
    Case("template-file", both(_templates, outside_link(TEMPLATE)), ("sync",), USAGE, OUT),
    Case("mirror", outside_link(MIRROR), ("sync",), USAGE, OUT),
    Case("mirror-check", outside_link(MIRROR), ("check",), USAGE, OUT),
    Case("context", outside_link(CONTEXT), ("sync",), USAGE, OUT),
    Case("run-folder", outside_folder_link(f"{RUNS}/{RUN}"), ("sync", "--run-id", RUN), USAGE, OUT),
    Case(
        "evidence-file",
        outside_link(f"{RUNS}/{RUN}/{EVIDENCE_FILES[0]}"),
        ("sync", "--run-id", RUN),
        USAGE,
        OUT,
    ),
    Case("package-json", outside_link("package.json"), ("phase-a",), USAGE, OUT),
    Case("config", outside_link(CONFIG), ("sync",), USAGE, OUT),
    Case("gitignore", outside_link(".gitignore"), ("init",), USAGE, OUT),
    Case(
        "snapshot-out",
        outside_folder_link("exports"),
        ("snapshot", "--prisma", SCHEMA, "--out", "exports/shop.json"),
        USAGE,
        OUT,
    ),
    Case(
        "snapshot-prisma",
        outside_link("other.prisma"),
        ("snapshot", "--prisma", "other.prisma"),
        USAGE,
        OUT,
    ),
]


@_cases(ESCAPES)
def test_symlink_out_of_the_project_is_refused(project: Path, case: Case) -> None:
    """A committed symlink out of the project, at a path schemasync reads or writes: exit 2, and
    what it points at is neither read (nothing of it in any output) nor written."""
    case.plant(project)
    hostile_run(project, *case.args, code=case.code, says=case.says)


def test_lock_symlink_truncates_nothing(project: Path) -> None:
    """The trial's case: `.lock -> a file` made `sync` exit 0 with the file emptied."""
    link(project, LOCK, _canary(project))
    hostile_run(project, "sync", code=USAGE, says=LOCK)
    assert _canary(project).stat().st_size == len(CANARY.encode())


def test_code_file_symlink_out_of_the_project_is_a_finding(project: Path) -> None:
    """Phase D: a layer file linking out of the project is a finding (exit 1), never read."""
    link(project, "src/domain/leak.ts", _canary(project))
    outside = _outside_state(project)
    done = run_cli(project, "phase-d", "--task-slug", "hostile", timeout=TIMEOUT)
    assert done.returncode == ExitCode.DRIFT, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "src/domain/leak.ts: cannot be scanned: a symlink to outside the project" in done.stderr
    assert "CANARY-LEAKED" not in done.stdout + done.stderr
    assert _outside_state(project) == outside


def test_symlinks_inside_the_project_are_followed(project: Path) -> None:
    """A symlink that stays inside the project is fine: a view through one reads as the file it
    names; the mirror written where a link is replaces the link, and the file it named is
    untouched (a committed `tables.json -> ../../README.md` must not overwrite the README)."""
    real_view = project / "prisma" / "views" / "main" / "active_products.real"
    (project / VIEW).rename(real_view)
    link(project, VIEW, real_view.name)
    check = run_cli(project, "check", timeout=TIMEOUT)
    assert check.returncode == 0, check.stdout + check.stderr
    copy = project / "db" / "schema" / "copy.json"
    copy.write_bytes((project / MIRROR).read_bytes())
    link(project, MIRROR, "copy.json")
    with (project / SCHEMA).open("a", encoding="utf-8") as schema:
        schema.write("\nmodel Added {\n  id Int @id\n}\n")
    done = run_cli(project, "sync", timeout=TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (project / MIRROR).is_symlink()
    assert "Added" in (project / MIRROR).read_text(encoding="utf-8")
    assert "Added" not in copy.read_text(encoding="utf-8")


# ---- FIFOs, devices, sockets: refused by kind, never read ---------------------------------------

SPECIAL = [
    Case("view", fifo_at(VIEW), ("sync",), SOURCE, "FIFO"),
    Case("schema-file", fifo_at(SCHEMA), ("check",), SOURCE, "FIFO"),
    Case(
        "schema-folder-member",
        lambda p: _schema_folder(p, fifo_at("prisma/schema/b.prisma")),
        ("sync",),
        SOURCE,
        "FIFO",
    ),
    Case("mirror-check", fifo_at(MIRROR), ("check",), ARTIFACT, "FIFO"),
    Case("mirror-import", fifo_at(MIRROR), ("import-prisma",), ARTIFACT, "FIFO"),
    Case("context-check", fifo_at(CONTEXT), ("check",), ARTIFACT, "FIFO"),
    Case("context-refresh", fifo_at(CONTEXT), ("sync",), ARTIFACT, "FIFO"),
    Case("current", fifo_at(CURRENT), ("phase-b",), ARTIFACT, "FIFO"),
    Case("template", both(_templates, fifo_at(TEMPLATE)), ("sync",), ARTIFACT, "FIFO"),
    Case("config", fifo_at(CONFIG), ("sync", "--root", "."), USAGE, "FIFO"),
    Case("lock", fifo_at(LOCK), ("sync",), USAGE, "FIFO"),
    Case("gitignore", fifo_at(".gitignore"), ("init",), USAGE, "FIFO"),
    Case(
        "evidence",
        both(_synced_run, fifo_at(f"{RUNS}/{RUN}/{EVIDENCE_FILES[3]}")),
        ("verify", "--run-id", RUN),
        ARTIFACT,
        "FIFO",
    ),
]


@_cases(SPECIAL)
def test_fifo_is_refused_without_blocking(project: Path, case: Case) -> None:
    """A FIFO where schemasync reads: refused by the code of that kind of file (the schema 4, an
    artifact 6, config and lock 2), in well under the timeout, the lock released."""
    case.plant(project)
    hostile_run(project, *case.args, code=case.code, says=case.says)


def test_fifo_package_json_is_not_read(project: Path) -> None:
    """`package.json` only pins the Prisma major: a FIFO there is noted, and Phase A goes on."""
    fifo(project, "package.json")
    done = run_cli(project, "phase-a", timeout=TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "npx prisma@6 db pull" in done.stdout


@contextlib.contextmanager
def _socket(path: Path) -> Iterator[None]:
    """A listening UNIX socket at `path` (bound from its folder: socket paths are short)."""
    _clear(path)
    here = Path.cwd()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        os.chdir(path.parent)
        server.bind(path.name)
        os.chdir(here)
        yield
    finally:
        os.chdir(here)
        server.close()


def test_socket_view_is_refused(project: Path) -> None:
    """A socket as a view file: exit 4 naming it."""
    with _socket(project / VIEW):
        message = hostile_run(project, "sync", code=SOURCE, says="socket")
    assert message.startswith(VIEW), message


def _device(path: Path) -> None:
    """Make `path` a character device like `/dev/zero` (1, 5), or skip where that is refused."""
    _clear(path)
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 5))
    except PermissionError:
        pytest.skip("cannot make a device node here (needs root with CAP_MKNOD)")


@pytest.mark.parametrize(
    ("rel", "args", "code"),
    [(VIEW, ("sync",), SOURCE), (MIRROR, ("check",), ARTIFACT), (TEMPLATE, ("sync",), ARTIFACT)],
    ids=["view", "mirror", "template"],
)
def test_device_is_refused(project: Path, rel: str, args: tuple[str, ...], code: ExitCode) -> None:
    """A `/dev/zero` device node in the project: refused before a byte is read (reading it would
    go on until `MemoryError`: the size limit must not trust `stat`, which says 0)."""
    _device(project / rel)
    hostile_run(project, *args, code=code, says="character device")


def test_special_files_read_directly(tmp_path: Path) -> None:
    """`fsio.read_bytes` itself: `/dev/zero`, `/dev/null` and a FIFO are refused at once; a file
    over the limit is refused by what is read; a symlink at the last step is never followed."""
    for device in (Path("/dev/zero"), Path("/dev/null")):
        with pytest.raises(FileRefused, match="character device") as refused:
            read_bytes(device, limit=10)
        assert refused.value.special
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(FileRefused, match="FIFO"):
        read_bytes(pipe, limit=10)
    big = tmp_path / "big"
    big.write_bytes(b"x" * 11)
    with pytest.raises(FileRefused) as over:
        read_bytes(big, limit=10)
    assert over.value.size == 11
    assert read_bytes(big, limit=11) == b"x" * 11
    (tmp_path / "alias").symlink_to(big)
    with pytest.raises(FileRefused) as linked:
        read_bytes(tmp_path / "alias", limit=100)
    assert linked.value.unsafe
    assert read_bytes(tmp_path / "missing", limit=10) is None


# ---- symlink loops and over-long names: exit 2, one line ------------------------------------

LOOPS = [
    Case("schema-file", loop_at(SCHEMA), ("sync",), USAGE, "loop"),
    Case("view", loop_at(VIEW), ("sync",), USAGE, "loop"),
    Case(
        "schema-folder-member",
        lambda p: _schema_folder(p, loop_at("prisma/schema/b.prisma")),
        ("sync",),
        USAGE,
        "loop",
    ),
    Case("templates-folder", loop_at("evidence_templates"), ("sync",), USAGE, "loop"),
    Case("mirror", loop_at(MIRROR), ("check",), USAGE, "loop"),
    Case("context", loop_at(CONTEXT), ("check",), USAGE, "loop"),
    Case("lock", loop_at(LOCK), ("sync",), USAGE, "symlink"),
    Case("current", loop_at(CURRENT), ("phase-b",), USAGE, "loop"),
    Case(
        "evidence-dir", loop_at("evidence"), ("sync", "--evidence-dir", "evidence"), USAGE, "loop"
    ),
    Case("run-folder", loop_at(f"{RUNS}/{RUN}"), ("sync", "--run-id", RUN), USAGE, "loop"),
    Case("config", loop_at(CONFIG), ("sync",), USAGE, "loop"),
    Case("root", loop_at("elsewhere"), ("sync", "--root", "elsewhere"), USAGE, "loop"),
    Case("package-json", loop_at("package.json"), ("phase-a",), USAGE, "loop"),
    Case(
        "snapshot-prisma",
        loop_at("other.prisma"),
        ("snapshot", "--prisma", "other.prisma"),
        USAGE,
        "loop",
    ),
]


@_cases(LOOPS)
def test_symlink_loop_is_a_usage_error(project: Path, case: Case) -> None:
    """A symlink loop anywhere schemasync looks: exit 2, one line (it was a traceback, exit 1)."""
    case.plant(project)
    hostile_run(project, *case.args, code=case.code, says=case.says)


def test_code_file_loop_is_a_finding(project: Path) -> None:
    """Phase D: a layer file that is a symlink loop cannot be scanned: a finding, no traceback."""
    loop(project, "src/domain/loop.ts")
    done = run_cli(project, "phase-d", "--task-slug", "hostile", timeout=TIMEOUT)
    assert done.returncode == ExitCode.DRIFT, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "src/domain/loop.ts: cannot be scanned: a symlink loop" in done.stderr


LONG = "x" * 300
DEEP = "/".join(["d" * 200] * 25)  # 5,000 characters: over PATH_MAX

LONG_NAMES = [
    Case("evidence-dir", lambda p: None, ("sync", "--evidence-dir", LONG), USAGE, "too long"),
    Case("evidence-dir-deep", lambda p: None, ("sync", "--evidence-dir", DEEP), USAGE, "too long"),
    Case("root", lambda p: None, ("sync", "--root", LONG), USAGE, "too long"),
    Case(
        "snapshot-out",
        lambda p: None,
        ("snapshot", "--prisma", SCHEMA, "--out", f"{LONG}.json"),
        USAGE,
        "too long",
    ),
    Case("snapshot-prisma", lambda p: None, ("snapshot", "--prisma", LONG), USAGE, "too long"),
]


def _config(old: str, new: str) -> Callable[[Path], None]:
    def plant(p: Path) -> None:
        text = (p / CONFIG).read_text(encoding="utf-8")
        (p / CONFIG).write_text(text.replace(old, new), encoding="utf-8")

    return plant


LONG_NAMES += [
    Case("prisma-schema", _config(SCHEMA, f"prisma/{LONG}.prisma"), ("sync",), USAGE, "too long"),
    Case("layer-glob", _config("src/domain/**", f"src/{LONG}/**"), ("sync",), USAGE, "too long"),
]


@_cases(LONG_NAMES)
def test_over_long_name_is_a_usage_error(project: Path, case: Case) -> None:
    """A name longer than the system takes (a 300-character file name, a 5,000-character path):
    exit 2, one line (cut short in the message), no traceback."""
    case.plant(project)
    message = hostile_run(project, *case.args, code=case.code, says=case.says)
    assert len(message) < 400, message


def test_resolve_in_directly(tmp_path: Path) -> None:
    """`fsio.resolve_in`: a path that does not exist yet is fine; `..`, a loop, a name too long
    are `ConfigError`s (exit 2)."""
    from schemasync.errors import ConfigError

    assert resolve_in(tmp_path, tmp_path / "new" / "file", "x") == tmp_path.resolve() / "new/file"
    (tmp_path / "self").symlink_to("self")
    for path, words in [
        (tmp_path / ".." / "elsewhere", "outside the project"),
        (tmp_path / "self", "loop"),
        (tmp_path / "self" / "below", "loop"),
        (tmp_path / LONG, "too long"),
    ]:
        with pytest.raises(ConfigError, match=words):
            resolve_in(tmp_path, path, "x")


# ---- temp files of killed runs --------------------------------------------------------------

#: A pid no system uses (above Linux's largest `pid_max`, 2**22): the writer is gone.
DEAD = 9_999_999


def test_temp_files_of_killed_runs_are_removed(project: Path) -> None:
    """A killed run leaves `.<name>.<pid>.<random>.schemasync.tmp` beside what it was writing;
    the next run removes those in the folders it writes to. A live writer's (here: this test
    process', as `init` or `snapshot` writing without the lock) and anything else stay."""
    evidence = project / RUNS / RUN
    evidence.mkdir(parents=True)
    stale = [
        project / "db" / "schema" / f".tables.json.{DEAD}.k1ll3d_x.schemasync.tmp",
        project / "docs" / "context" / "db" / f".schema.json.{DEAD}.abcdefgh.schemasync.tmp",
        evidence / f".{EVIDENCE_FILES[2]}.{DEAD}.zzzzzzzz.schemasync.tmp",
    ]
    kept = [
        project / "db" / "schema" / f".tables.json.{os.getpid()}.livewrit.schemasync.tmp",
        project / "db" / "schema" / ".tables.json.abcdefgh.tmp",  # not schemasync's
        project / "db" / "schema" / "notes.schemasync.tmp",
    ]
    for path in (*stale, *kept):
        path.write_text("half a file", encoding="utf-8")
    done = run_cli(project, "sync", "--run-id", RUN, timeout=TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [p for p in stale if p.exists()] == []
    assert [p for p in kept if not p.exists()] == []


def test_remove_stale_temps_directly(tmp_path: Path) -> None:
    """Only schemasync's temp names whose pid is gone; not a symlink, not a folder."""
    names = {
        f".a.json.{DEAD}.abcdefgh.schemasync.tmp": True,
        f".a.json.{os.getpid()}.abcdefgh.schemasync.tmp": True,  # our own: we write none now
        f".a.json.{os.getppid()}.abcdefgh.schemasync.tmp": False,  # alive
        f".a.json.{'9' * 40}.abcdefgh.schemasync.tmp": False,  # no pid: not our name
        ".a.json.tmp": False,
    }
    for name in names:
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "target").write_text("keep", encoding="utf-8")
    (tmp_path / f".b.{DEAD}.abcdefgh.schemasync.tmp").symlink_to(tmp_path / "target")
    (tmp_path / f".c.{DEAD}.abcdefgh.schemasync.tmp").mkdir()
    removed = remove_stale_temps(tmp_path)
    assert set(removed) == {name for name, gone in names.items() if gone}
    assert (tmp_path / "target").read_text(encoding="utf-8") == "keep"
    assert (tmp_path / f".b.{DEAD}.abcdefgh.schemasync.tmp").is_symlink()


def test_init_git_ignores_temp_files(project: Path) -> None:
    """Until the next run removes it, git does not see a killed run's temp file (`init`'s
    `.gitignore` entry)."""
    subprocess.run(["git", "init", "-q", str(project)], check=True, timeout=TIMEOUT)
    done = run_cli(project, "init", timeout=TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "added .*.schemasync.tmp to .gitignore" in done.stdout
    temp = f"db/schema/.tables.json.{DEAD}.abcdefgh.schemasync.tmp"
    for path, ignored in ((temp, 0), (f"{RUNS}/x/00.md", 0), (MIRROR, 1)):
        check = subprocess.run(["git", "check-ignore", "-q", path], cwd=project, check=False)
        assert check.returncode == ignored, path


# ---- names that are not UTF-8 ---------------------------------------------------------------

#: A file name byte that is not UTF-8 (Python keeps it as a lone surrogate, which crashed the
#: evidence write: `UnicodeEncodeError`).
NOT_UTF8 = os.fsdecode(b"\xff")


def test_code_file_name_not_utf8_is_reported_escaped(project: Path) -> None:
    """Phase D names such a file with an escape (`\\xff`), in its finding and its evidence."""
    os.mkfifo(project / "src" / "domain" / f"{NOT_UTF8}.ts")
    done = run_cli(project, "phase-d", "--task-slug", "hostile", timeout=TIMEOUT)
    assert done.returncode == ExitCode.DRIFT, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "src/domain/\\xff.ts: cannot be scanned: not a regular file (a FIFO)" in done.stderr
    record = project / "dev-docs/active/hostile/artifacts/db" / EVIDENCE_FILES[4]
    assert "src/domain/\\xff.ts" in record.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("rel", "args", "code"),
    [
        (f"prisma/views/main/{NOT_UTF8}.sql", ("sync",), SOURCE),
        (f"prisma/views/{NOT_UTF8}/v.sql", ("sync",), SOURCE),
        (None, ("sync", "--evidence-dir", f"ev{NOT_UTF8}"), USAGE),
        (None, ("snapshot", "--prisma", SCHEMA, "--out", f"{NOT_UTF8}.json"), USAGE),
    ],
    ids=["view", "view-folder", "evidence-dir", "snapshot-out"],
)
def test_names_not_utf8_are_refused(
    project: Path, rel: str | None, args: tuple[str, ...], code: ExitCode
) -> None:
    """A schema or view file, an evidence folder, an output that the mirror, the evidence or a
    message would have to name: refused with one line (the name escaped), no traceback."""
    if rel is not None:
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text("SELECT 1", encoding="utf-8")
    message = hostile_run(project, *args, code=code, says="UTF-8")
    assert NOT_UTF8 not in message
