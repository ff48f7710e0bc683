"""The project a run works on: its root, the paths inside it, its lock, and one open run.

`open_run(options)` is where a run begins: it resolves the root, reads and validates
`db-ssot.json` once, checks every path from flags and config, picks the evidence folder, takes
the project lock and (for a new run) records the run id. The `Run` it yields is what every step
of the invocation shares; it is thrown away with the run. Nothing here parses schemas or renders
artifacts; files are read only to validate the config and written only through `Run.write`.

Every project path goes through `inside` (to read: the real path, inside the project, no loop,
not too long) or `write_target` (to write: the real folder, and a symlink at the file replaced,
never followed); the rules themselves are `fsio`'s. An evidence folder is never one that
schemasync or Prisma keeps (`config.reserved_folder`).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shlex
import signal
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from schemasync.config import (
    CONFIG_PATH,
    ENVIRONMENTS_PATH,
    Environment,
    SsotConfig,
    load_config,
    pick_environment,
    reserved_folder,
)
from schemasync.errors import ArtifactError, ConfigError, Interrupted, ModeStop, SchemasyncError
from schemasync.evidence import EVIDENCE_FILES
from schemasync.fsio import (
    FileRefused,
    kind_of,
    read_bytes,
    read_text,
    remove_stale_temps,
    resolve_in,
    shorten,
    write_atomic,
)
from schemasync.interrupt import deferred_sigint
from schemasync.options import Options
from schemasync.redact import Redactor
from schemasync.state import CONTEXT_PATH, MIRROR_PATH

RUNS_DIR = ".ai/.tmp/db-sync"
LOCK_PATH = f"{RUNS_DIR}/.lock"
CURRENT_RUN = f"{RUNS_DIR}/CURRENT"
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,79}")
INVERSE_WORKFLOW = "sync-db-schema-from-code"
#: Test-only: the process kills itself (SIGKILL) right after this many atomic writes of a run,
#: so that a test can stop a run after each of its writes in turn (tests/test_kill_and_lock.py).
KILL_AFTER_WRITE_ENV = "SCHEMASYNC_TEST_KILL_AFTER_WRITE"
#: Test-only: this write of a run (1 = the first) fails as on a full disk (ENOSPC), after its
#: temp file was written (tests/test_exits.py).
FAIL_WRITE_ENV = "SCHEMASYNC_TEST_FAIL_WRITE"
_LOCK_FLAGS = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
#: The folders of the files a locked run may write (the mirror, the context, the run pointer;
#: and its evidence folder): cleared of a killed run's temp files when the run opens, even when
#: the run has nothing to write there.
SWEPT_FOLDERS = tuple(str(PurePosixPath(f).parent) for f in (MIRROR_PATH, CONTEXT_PATH, LOCK_PATH))
#: `db-ssot.json` is a few hundred bytes; a larger one is not a config.
MAX_CONFIG_BYTES = 1024 * 1024


# ---- paths -----------------------------------------------------------------------------------


def _repository_of(cwd: Path) -> Path | None:
    """Return the repository folder (the nearest one upward with `.git`), if any."""
    for folder in (cwd, *cwd.parents):
        if (folder / ".git").exists():
            return folder
    return None


def resolve_root(root: str | None, cwd: str | None = None) -> Path:
    """Return the project folder (real): `--root` when given, else the nearest folder upward
    from the current one that holds `docs/project/db-ssot.json` (as git finds its repository),
    else the current folder.

    Raises:
        ConfigError: `--root` does not exist, escapes the repository (`..`, symlink), loops or
            is too long.
    """
    here = Path(cwd).resolve() if cwd else Path.cwd().resolve()
    repo = _repository_of(here)
    if root is None:
        for folder in (here, *here.parents):
            if (folder / CONFIG_PATH).is_file():
                return folder
            if folder == repo:
                break  # a project does not reach out of its repository
        return here
    label = f"--root {shorten(root)!r}"
    base = repo or here
    real = Path(os.path.realpath(here / root))
    if not real.is_relative_to(base):
        raise ConfigError(
            f"{label}: resolves to {shorten(str(real))}, outside the repository {base}; run "
            "schemasync from inside the project's repository"
        )
    path = resolve_in(base, here / root, label)  # a loop, a name too long
    if not path.is_dir():
        raise ConfigError(f"{label}: no such folder; pass the project folder")
    return path


def inside(root: Path, rel: str, what: str) -> Path:
    """Return the real path of `root / rel`, checked to stay inside `root` (see
    `fsio.resolve_in`): what schemasync reads there.

    Raises:
        ConfigError: the path is absolute, escapes the project (`..`, symlink), loops or is too
            long.
    """
    label = repr(shorten(rel)) if what == rel else f"{what}: {shorten(rel)!r}"
    if Path(rel).is_absolute() or re.match(r"^[A-Za-z]:[\\/]", rel):
        raise ConfigError(f"{label} is absolute; use a path relative to the project root")
    return resolve_in(root, root / rel, label)


def write_target(root: Path, rel: str, what: str | None = None) -> Path:
    """Return where a write of `rel` goes: its real folder (checked as `inside`), and its own
    name there. A symlink at `rel` must stay inside the project too; the write replaces it
    rather than following it (a committed `tables.json -> ../README.md` is not overwritten).

    Raises:
        ConfigError: as `inside`.
    """
    inside(root, rel, what or rel)
    path = PurePosixPath(rel)
    return inside(root, path.parent.as_posix(), what or rel) / path.name


def read_config(root: Path, program: str = "schemasync") -> tuple[str, SsotConfig]:
    """Read and validate `docs/project/db-ssot.json`; return (its text, the config).

    Raises:
        ConfigError: missing, unreadable or invalid.
    """
    path = inside(root, CONFIG_PATH, CONFIG_PATH)
    fix = "save it as UTF-8 JSON"
    text = read_text(path, CONFIG_PATH, ConfigError, fix, limit=MAX_CONFIG_BYTES)
    if text is None:
        raise ConfigError(
            f"{CONFIG_PATH}: not found in {root} nor in a folder above it; run this in the "
            f"project's folder (or pass --root), or create the project with `{program} init "
            "--mode database` in its folder"
        )
    environments = inside(root, ENVIRONMENTS_PATH, ENVIRONMENTS_PATH)
    env_text = read_text(environments, ENVIRONMENTS_PATH, ConfigError, fix, limit=MAX_CONFIG_BYTES)
    return text, load_config(text, CONFIG_PATH, env_text)


def check_config_paths(root: Path, config: SsotConfig) -> None:
    """Check that the schema path and the layer globs of `config` stay inside the project.

    Raises:
        ConfigError: a path escapes the project (through a symlink: `..` is refused on load).
    """
    inside(root, config.prisma_schema, "prismaSchema")
    for glob in (*config.layers.business, *config.layers.repositories):
        inside(root, glob.split("*", 1)[0] or ".", f"layers glob {shorten(glob)!r}")


#: What is the source of truth in each mode that is not `database`, and what to do instead.
STOP_REASONS: dict[str, str] = {
    "repo-prisma": "the Prisma schema, not the database, is the source of truth here; STOP: "
    f"use the inverse workflow `{INVERSE_WORKFLOW}` instead",
    "none": "the project keeps no schema source of truth; STOP: set the mode to 'database' "
    "when the live database is the source of truth",
    "convex": "Convex (`convex/schema.ts`), not a SQL database, is the source of truth here; "
    "STOP: schemasync mirrors SQL databases only",
}


def mode_stop_message(config: SsotConfig) -> str:
    """Return the STOP message of a project that is not in database mode."""
    return f"{CONFIG_PATH}: mode is {config.mode!r}: {STOP_REASONS[config.mode]}"


# ---- evidence folder and run ids --------------------------------------------------------------


def _now_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def current_run(root: Path) -> str | None:
    """Return the run id recorded in `.ai/.tmp/db-sync/CURRENT`, if any (a pointer that is not
    a run id is no pointer).

    Raises:
        ConfigError: the pointer's path leaves the project or loops.
        ArtifactError: the pointer is not a regular file (a FIFO would block the run).
    """
    path = inside(root, CURRENT_RUN, "run pointer")
    try:
        raw = read_bytes(path, limit=4096)
    except FileRefused as err:
        raise (ConfigError if err.unsafe else ArtifactError)(
            f"{CURRENT_RUN}: {err.reason}"
        ) from err
    current = (raw or b"").decode("utf-8", "replace").strip()
    return current if RUN_ID.fullmatch(current) else None


def finished(root: Path, run_id: str) -> bool:
    """Tell whether a run is finished: its folder holds every phase's evidence (00-04). A
    finished run is a record: no later run writes into it unless the user names it."""
    folder = root / RUNS_DIR / run_id
    return all((folder / name).is_file() for name in EVIDENCE_FILES)


def _new_run_id(root: Path) -> str:
    """Return a fresh run id: the UTC time, with `-2`, `-3`, … when a run of that second exists
    (two runs in one second must not share a folder)."""
    stamp = _now_run_id()
    run_id, n = stamp, 1
    while os.path.lexists(root / RUNS_DIR / run_id) or current_run(root) == run_id:
        n += 1
        run_id = f"{stamp}-{n}"
    return run_id


def _check_run_id(run_id: str) -> None:
    if not RUN_ID.fullmatch(run_id):
        raise ConfigError(
            f"--run-id {run_id!r}: use letters, digits, '_' and '-' only (e.g. 20260101T120000Z)"
        )


def evidence_folder(options: Options, root: Path, config: SsotConfig) -> str | None:
    """Return the project-relative evidence folder the flags name, or None (`--run-id` not given
    yet: the run decides, see `open_run`).

    Raises:
        ConfigError: more than one way given, a bad slug or run id, an unsafe or reserved
            folder (`check_evidence_folder`).
    """
    given = [
        name
        for name, value in (
            ("--task-slug", options.task_slug),
            ("--run-id", options.run_id),
            ("--evidence-dir", options.evidence_dir),
        )
        if value
    ]
    if len(given) > 1:
        raise ConfigError(f"{' and '.join(given)}: give only one way to name the evidence folder")
    if options.evidence_dir:
        rel = options.evidence_dir.rstrip("/")
        if any(not c.isprintable() for c in rel):
            raise ConfigError(
                f"--evidence-dir {shorten(rel)!r}: a folder name with control characters or "
                "bytes that are not UTF-8; use a plain name"
            )
        check_evidence_folder(root, config, rel, "--evidence-dir")
        return Path(rel).as_posix()
    if options.task_slug is not None:
        if not SLUG.fullmatch(options.task_slug):
            raise ConfigError(
                f"--task-slug {options.task_slug!r}: use lower-case letters, digits and '-' "
                "(e.g. add-orders-index)"
            )
        rel = f"dev-docs/active/{options.task_slug}/artifacts/db"
        check_evidence_folder(root, config, rel, f"--task-slug {options.task_slug}")
        return rel
    if options.run_id is not None:
        _check_run_id(options.run_id)
        rel = f"{RUNS_DIR}/{options.run_id}"
        check_evidence_folder(root, config, rel, f"--run-id {options.run_id}")
        return rel
    return None


def check_evidence_folder(root: Path, config: SsotConfig, rel: str, what: str) -> None:
    """Check that the evidence folder `rel` stays inside the project and, resolved, is not in a
    folder schemasync or Prisma keeps (`config.reserved_folder`): `--evidence-dir
    evidence_templates` overwrote the project's templates with evidence.

    Raises:
        ConfigError: the folder escapes the project, loops, or is reserved.
    """
    real = inside(root, rel, what)
    schema = PurePosixPath(config.prisma_schema)
    schema_dir = schema.parent if schema.suffix == ".prisma" else schema
    real_root = Path(os.path.realpath(root))
    real_schema_dir = inside(root, schema_dir.as_posix(), "prismaSchema")
    found = reserved_folder(
        real.relative_to(real_root).as_posix(),
        real_schema_dir.relative_to(real_root).as_posix(),
    )
    if found is not None:
        folder, holds = found
        raise ConfigError(
            f"{what}: {shorten(rel)!r} is in {folder}/, which holds {holds}: evidence never "
            "goes there (it would overwrite or mix with it); name another folder, or use "
            "--task-slug or --run-id"
        )


# ---- the lock --------------------------------------------------------------------------------


@contextlib.contextmanager
def project_lock(root: Path, timeout: float) -> Iterator[None]:
    """Hold the project lock (`.ai/.tmp/db-sync/.lock`, an flock; the holder's pid inside).

    Raises:
        ConfigError: another process held the lock for longer than `timeout` seconds.
        ArtifactError: the lock file cannot be created.
    """
    folder = inside(root, RUNS_DIR, "the runs folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # The lock file is not an artifact: it must stay the same inode while held, so it is
        # opened in place rather than written with write_atomic; never through a symlink (it is
        # truncated: a committed `.lock -> ~/.bashrc` emptied that file) nor waiting on a FIFO.
        fd = os.open(folder / ".lock", _LOCK_FLAGS, 0o644)
    except OSError as err:
        if err.errno in (errno.ELOOP, errno.ENXIO):
            raise ConfigError(
                f"{LOCK_PATH}: {'a socket' if err.errno == errno.ENXIO else 'a symlink'}, not "
                "the lock file schemasync makes; delete it (schemasync never follows a symlink "
                "there)"
            ) from err
        raise ArtifactError(
            f"{LOCK_PATH}: cannot create the project lock ({err.strerror})"
        ) from err
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise ConfigError(
            f"{LOCK_PATH}: {kind_of(mode)}, not the lock file schemasync makes; delete it"
        )
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
                    raise ConfigError(
                        f"{LOCK_PATH}: another schemasync run (pid {holder}) holds the project "
                        f"lock; waited {timeout:g} s; let it finish, or raise --lock-timeout"
                    ) from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# ---- the run ---------------------------------------------------------------------------------


@dataclass
class Writer:
    """Writes a run's files atomically and counts them (the test-only kill hook counts too);
    the first write into a folder removes the temp files killed runs left there."""

    kill_after: int | None = None
    fail_at: int | None = None
    count: int = 0
    swept: set[Path] = field(default_factory=set)
    paths: list[Path] = field(default_factory=list)

    @classmethod
    def from_env(cls) -> Writer:
        """Return a writer, with the test-only hooks when their variables are set."""
        kill = os.environ.get(KILL_AFTER_WRITE_ENV, "")
        fail = os.environ.get(FAIL_WRITE_ENV, "")
        return cls(
            kill_after=int(kill) if kill.isdigit() else None,
            fail_at=int(fail) if fail.isdigit() else None,
        )

    def shown(self, root: Path) -> tuple[str, ...]:
        """Return the files written so far, project-relative where they are in `root`."""
        real = Path(os.path.realpath(root))
        return tuple(p.relative_to(real).as_posix() if p.is_relative_to(real) else str(p)
                     for p in self.paths)  # fmt: skip

    def sweep(self, folder: Path) -> None:
        """Remove the temp files killed runs left in the real folder `folder`, once a run."""
        if folder not in self.swept:
            self.swept.add(folder)
            remove_stale_temps(folder)

    def write(self, path: Path, data: str | bytes) -> None:
        """Write `data` to `path` atomically (see `fsio.write_atomic`); `path`'s folder is real
        (`write_target`)."""
        self.sweep(path.parent)
        disk_full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        with deferred_sigint():  # a SIGINT meanwhile comes once the write is counted
            write_atomic(path, data, fail=disk_full if self.count + 1 == self.fail_at else None)
            self.count += 1
            self.paths.append(path)
        if self.count == self.kill_after:
            os.kill(os.getpid(), signal.SIGKILL)


@dataclass(frozen=True)
class Run:
    """One invocation's shared, validated facts; created by `open_run`, gone with the run."""

    options: Options
    root: Path
    config: SsotConfig
    config_text: str
    evidence: str  # the project-relative evidence folder
    redactor: Redactor
    writer: Writer = field(default_factory=Writer.from_env, compare=False)

    @property
    def environment(self) -> Environment:
        """The environment `--env` names."""
        return pick_environment(self.config, self.options.env)

    @property
    def run_id(self) -> str:
        """The evidence folder's run id, or the folder itself when a slug or folder named it."""
        folder = self.evidence
        return folder.rsplit("/", 1)[-1] if folder.startswith(RUNS_DIR + "/") else folder

    def path(self, rel: str, what: str | None = None) -> Path:
        """Return the real path of a project-relative path, to read (see `inside`)."""
        return inside(self.root, rel, what or rel)

    def write(self, rel: str, data: str) -> None:
        """Write a project file atomically.

        The text is written as given: evidence is masked when rendered, and the mirror and
        context are built from a model whose text fields are masked (`redact.mask_schema`);
        masking finished JSON by text replacement could corrupt it.
        """
        self.writer.write(write_target(self.root, rel), data)

    def remove(self, rel: str) -> None:
        """Remove a project file (gone already: nothing to do).

        Raises:
            ArtifactError: it cannot be removed.
        """
        path = write_target(self.root, rel)
        try:
            path.unlink(missing_ok=True)
        except OSError as err:
            raise ArtifactError(f"{rel}: cannot remove the file ({err.strerror})") from err

    def command(self, task: str) -> str:
        """Return how the user runs `task` (`schemasync phase-b`), for hints."""
        return self.options.command(task)

    def next(self, task: str) -> str:
        """Return how the user runs `task` in this same run (`schemasync phase-b --run-id R`):
        the hint of a phase's next step carries the evidence folder, so a DBA's handoff stays
        in one record."""
        opts = self.options
        if opts.task_slug is not None:
            where = ("--task-slug", opts.task_slug)
        elif opts.evidence_dir is not None:
            where = ("--evidence-dir", self.evidence)
        else:
            where = ("--run-id", self.run_id)
        return f"{self.command(task)} {where[0]} {shlex.quote(where[1])}"

    def gate(self) -> None:
        """Raise `ModeStop` unless the project is in database mode."""
        if self.config.mode != "database":
            raise ModeStop(mode_stop_message(self.config))


def config_redactor(config: SsotConfig | None, *names: str | None) -> Redactor:
    """The redactor of a run: it masks the values of every variable the config's environments
    name (`urlEnv`) and of the variables `names` (`snapshot --url-env`), whatever their shape."""
    envs = [e.url_env for e in config.environments.values()] if config is not None else []
    return Redactor.for_variables(n for n in (*envs, *names) if n)


def standalone_redactor(options: Options) -> Redactor:
    """The redactor of a step that needs no config (`init`, `snapshot`): the project's config
    variables when it has a valid config, and `--url-env`."""
    config: SsotConfig | None = None
    with contextlib.suppress(SchemasyncError, OSError):
        root = resolve_root(options.root, options.cwd)
        if (root / CONFIG_PATH).is_file():
            config = read_config(root, options.program)[1]
    return config_redactor(config, options.url_env)


def open_project(options: Options) -> tuple[Path, str, SsotConfig]:
    """Resolve the root and read the config; check every path they name (no lock, no writes).

    Raises:
        ConfigError: a bad root, config, environment or path.
    """
    root = resolve_root(options.root, options.cwd)
    text, config = read_config(root, options.program)
    pick_environment(config, options.env)
    check_config_paths(root, config)
    return root, text, config


@contextlib.contextmanager
def open_run(options: Options, *, lock: bool = True, records: bool = True) -> Iterator[Run]:
    """Open one run: validate flags and config, take the lock, fix the evidence folder.

    Everything is validated before the lock is taken and before anything is written: bad flags
    or config write nothing, not even the run pointer. Without `lock` (`check`, `drift`) the
    run has only the folder the flags name, if any (`Run.evidence` is empty otherwise). A new
    run (`options.new_run`: Phase 0 or `sync` on the command line) without a named folder gets
    a fresh UTC run id, recorded in `.ai/.tmp/db-sync/CURRENT` under the lock. A later phase
    run on its own continues the current run while it is unfinished (`finished`), and starts a
    new one otherwise (`records`: the tasks write evidence of their own): a finished run's
    evidence is never rewritten. `verify` alone (no record of its own) checks the current run,
    finished or not. A folder the user names (`--run-id`, `--task-slug`, `--evidence-dir`) is
    written as asked.

    Raises:
        ConfigError: bad flags, config or paths; another run holds the lock too long.
    """
    root, text, config = open_project(options)
    named = evidence_folder(options, root, config)
    redactor = config_redactor(config)
    if lock:  # the lock, the run pointer and the run folders live there
        check_evidence_folder(root, config, RUNS_DIR, "the runs folder")
    held = project_lock(root, options.lock_timeout) if lock else contextlib.nullcontext()
    with held:
        run = Run(options, root, config, text, named or "", redactor)
        try:
            if named is None and lock:
                run_id = None if options.new_run else current_run(root)
                if run_id is None or (records and finished(root, run_id)):
                    run_id = _new_run_id(root)
                    pointer = write_target(root, CURRENT_RUN, "run pointer")
                    run.writer.write(pointer, run_id + "\n")
                check_evidence_folder(root, config, f"{RUNS_DIR}/{run_id}", "the run folder")
                run = replace(run, evidence=f"{RUNS_DIR}/{run_id}")
            if lock:
                for folder in (*SWEPT_FOLDERS, run.evidence):
                    with contextlib.suppress(ConfigError):  # unsafe: its write refuses it
                        run.writer.sweep(inside(root, folder, folder))
        except Interrupted as err:  # the run pointer may be written: say so
            err.written = run.writer.shown(root)
            raise
        yield run
