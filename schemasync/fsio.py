"""How schemasync finds, reads and writes a project's files, whatever the repository holds.

A project may come from a pull request from anyone, so its paths are not trusted:

- every path is resolved once (`resolve_in`: every symlink followed) and refused when it leaves
  the project (through `..` or a symlink), loops, or is too long for the system: a committed
  symlink `.ai/.tmp/db-sync/.lock -> ~/.bashrc` made a run truncate that file;
- every file is read as a regular file (`read_bytes`): opened without following a last symlink
  (`O_NOFOLLOW`) and without waiting (`O_NONBLOCK`: opening a FIFO blocks until a writer comes,
  with the project lock held), checked with `fstat` before a byte is read (FIFOs, devices,
  sockets and folders refused), and read up to a limit counted on the bytes read (`stat` says 0
  bytes for `/dev/zero`);
- every write goes to a temp file in the target's real folder, fsynced, then renamed over the
  target (`write_atomic`): a run that fails or is killed leaves the target as it was or fully
  new, and a symlink at the target is replaced, never followed. The temp file's name holds the
  writer's pid, so the next run can remove what a killed one left (`remove_stale_temps`).

Refusals are `FileRefused` (why, in words) for the caller to turn into its own error: each kind
of file keeps its exit code for "cannot be read" (the schema 4, an artifact 6, ...), and Phase D
makes a finding of it. A path that leaves the project is `ConfigError` (exit 2) everywhere.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from pathlib import Path

from schemasync.errors import ArtifactError, ConfigError, SchemasyncError
from schemasync.interrupt import deferred_sigint

MIB = 1024 * 1024
#: What `read_text` reads at most unless told: the mirror of a 30,000-model schema (the schema
#: reader's 32 MB limit) is about 200 MB.
MAX_TEXT_BYTES = 512 * MIB
#: The suffix of `write_atomic`'s temp files (`.tables.json.<pid>.<random>.schemasync.tmp`);
#: `init` git-ignores the pattern `TEMP_PATTERN`, so a killed run's leftover is never committed.
TEMP_SUFFIX = ".schemasync.tmp"
TEMP_PATTERN = f".*{TEMP_SUFFIX}"
_TEMP_NAME = re.compile(r"\..+\.(?P<pid>[0-9]{1,10})\.[A-Za-z0-9_]+" + re.escape(TEMP_SUFFIX))
_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC
_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISLNK, "a symlink"),
)


class FileRefused(Exception):  # noqa: N818 - a reason, not a failure of the program
    """Why a file is not read: `reason` completes "<file>: …" in one line.

    Attributes:
        reason: what is wrong and what to do.
        unsafe: the path itself is the problem (a symlink where none is followed, a loop, a
            name too long): a usage error (exit 2) whatever the file is.
        special: not a regular file (a FIFO, device, socket or folder).
        size: the file's size when it is over the limit (else None).
    """

    def __init__(
        self, reason: str, *, unsafe: bool = False, special: bool = False, size: int | None = None
    ) -> None:
        super().__init__(reason)
        self.reason, self.unsafe, self.special, self.size = reason, unsafe, special, size


def kind_of(mode: int) -> str:
    """Return what a non-regular file is, in words (`a FIFO`)."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def utf8_name(name: str) -> str:
    """Return a file name as text that can be written and printed: bytes that are not UTF-8
    (kept by Python as lone surrogates) as `\\xff` escapes."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def shorten(text: str, limit: int = 80) -> str:
    """Return `text` cut to `limit` characters (an over-long name stays a readable message)."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _path_refusal(err: OSError) -> FileRefused | None:
    """Return the refusal of a path the system cannot follow (a loop, a name too long)."""
    if err.errno == errno.ELOOP:
        return FileRefused(
            "a symlink loop (or a symlink where schemasync follows none); remove the link",
            unsafe=True,
        )
    if err.errno == errno.ENAMETOOLONG:
        return FileRefused("the path is too long for this system; use a shorter name", unsafe=True)
    return None


def resolve_in(root: Path, path: Path, label: str) -> Path:
    """Return the real path of `path` (every symlink followed), checked to stay inside `root`.

    The path need not exist (a file about to be written): its existing part is resolved.

    Args:
        root: the folder the path must stay in (the project).
        path: the path, absolute or relative to the current folder.
        label: how messages name it (`--evidence-dir 'x'`, `prisma/views/v.sql`).

    Raises:
        ConfigError: the path leaves `root` (via `..` or a symlink), loops, or is too long.
    """
    real_root = Path(os.path.realpath(root))
    # `realpath` (not strict) stops at a loop or an over-long name and returns the rest
    # unresolved; the `lstat` below tells those apart from a path that does not exist yet.
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(real_root):
        raise ConfigError(
            f"{label} resolves outside the project {real_root} (via '..' or a symlink); keep it "
            "inside the project"
        )
    try:
        mode = os.lstat(real).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return real
    except OSError as err:
        refusal = _path_refusal(err) or FileRefused(f"cannot be checked ({err.strerror})")
        raise ConfigError(f"{label}: {refusal.reason}") from err
    if stat.S_ISLNK(mode):  # what `realpath` could not resolve: a loop
        raise ConfigError(f"{label}: a symlink loop; remove the link")
    return real


def read_bytes(path: Path, *, limit: int) -> bytes | None:
    """Return the bytes of the regular file at `path` (a real path: see `resolve_in`), or None
    when it does not exist.

    Raises:
        FileRefused: not a regular file (FIFO, device, socket, folder), a symlink at the last
            step, a loop or over-long name, more than `limit` bytes, or unreadable.
    """
    try:
        fd = os.open(path, _READ_FLAGS)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as err:
        if err.errno == errno.ENXIO:  # opening a socket
            raise FileRefused(_special("a socket"), special=True) from err
        raise _path_refusal(err) or FileRefused(f"cannot read ({err.strerror})") from err
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(_special(kind_of(info.st_mode)), special=True)
        if info.st_size > limit:
            raise FileRefused(_over(limit), size=info.st_size)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:  # the size may change after fstat: count what is read
            chunk = os.read(fd, min(limit + 1 - total, 8 * MIB))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise FileRefused(_over(limit), size=total)
        return b"".join(chunks)
    except OSError as err:
        raise FileRefused(f"cannot read ({err.strerror or err})") from err
    finally:
        os.close(fd)


def _special(kind: str) -> str:
    return (
        f"not a regular file ({kind}): schemasync reads only regular files (a FIFO or a device "
        "would block or never end); replace it with the file"
    )


def _over(limit: int) -> str:
    return f"over the {limit / MIB:g} MB limit; check that this is the file schemasync expects"


def read_text(
    path: Path,
    shown: str,
    error: type[SchemasyncError],
    fix: str,
    *,
    limit: int = MAX_TEXT_BYTES,
) -> str | None:
    """Return the UTF-8 text of the regular file `path` (a real path), or None when it does not
    exist.

    Args:
        path: the file, resolved (`resolve_in`): a symlink at the last step is refused.
        shown: how messages name it (project-relative).
        error: the error class to raise (its exit code says whose fault it is).
        fix: what the user should do when the file is not UTF-8.
        limit: the most bytes read.

    Raises:
        ConfigError: the path is unsafe (a symlink at the last step, a loop, a name too long).
        SchemasyncError: (`error`) not a regular file, over `limit`, not UTF-8, or unreadable.
    """
    try:
        raw = read_bytes(path, limit=limit)
    except FileRefused as err:
        raise (ConfigError if err.unsafe else error)(f"{shown}: {err.reason}") from err
    if raw is None:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise error(f"{shown}: not UTF-8 text; {fix}") from err


def write_atomic(path: Path, data: str | bytes, *, fail: OSError | None = None) -> None:
    """Write `data` to `path` atomically (UTF-8 for text); create parent folders as needed.

    `path`'s folder must be real (`resolve_in`); a symlink at `path` itself is replaced by the
    file, never followed. A SIGINT that arrives meanwhile is delivered once the file is
    complete (`interrupt.deferred_sigint`): a run stops between two files, never inside one.

    Args:
        path: the file to write.
        data: its new content.
        fail: test-only: raise this error once the temp file is written, as a full disk would
            (`project.FAIL_WRITE_ENV`).

    Raises:
        ArtifactError: the folder cannot be created or written (disk full, read-only, ...);
            the previous file, if any, is untouched.
    """
    # A lone surrogate (a file name that is not UTF-8, quoted in evidence) must not crash the
    # write: it is written as an escape.
    raw = data.encode("utf-8", "backslashreplace") if isinstance(data, str) else data
    with deferred_sigint():
        _write_atomic(path, raw, fail)
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _write_atomic(path: Path, raw: bytes, fail: OSError | None) -> None:
    tmp_path: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{path.name[:100]}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=path.parent
        )
        tmp_path = Path(tmp)
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            if fail is not None:
                raise fail
            os.fsync(handle.fileno())
        try:
            previous = os.lstat(path).st_mode
        except OSError:
            previous = 0
        # Keep the previous file's permission bits, as editors and git do.
        tmp_path.chmod(stat.S_IMODE(previous) if stat.S_ISREG(previous) else 0o644)
        tmp_path.replace(path)
    except BaseException as err:
        if tmp_path is not None:
            with contextlib.suppress(OSError):
                tmp_path.unlink()
        if not isinstance(err, OSError):
            raise
        if tmp_path is None:
            raise ArtifactError(
                f"{path}: cannot write ({err.strerror or err}); check the folder exists and is "
                "writable"
            ) from err
        raise ArtifactError(
            f"{path}: cannot write ({err.strerror or err}); nothing was changed — free space or "
            "fix permissions and run again"
        ) from err


def _alive(pid: int) -> bool:
    """Tell whether process `pid` exists (ours counts as dead: our writes leave no temp)."""
    if pid <= 0 or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # gone, or a pid no system has
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_stale_temps(folder: Path) -> tuple[str, ...]:
    """Remove the temp files a killed `write_atomic` left in `folder`; return their names.

    A temp file is stale when the process its name records is gone: a run writing into the
    same folder right now (`init`, `snapshot`, `drift` take no lock) keeps its own.
    """
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return ()
    for entry in entries:
        found = _TEMP_NAME.fullmatch(entry.name)
        if found is None or _alive(int(found["pid"])):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                Path(entry.path).unlink()
                removed.append(entry.name)
    return tuple(sorted(removed))
