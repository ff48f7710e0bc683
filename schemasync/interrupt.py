"""SIGINT (Ctrl-C): an exception the command line turns into exit 130 and one line.

What Ctrl-C must do, at any moment of a run: stop, leave every file as it was or completely
new, release the lock, remove its temp files, and say in one line what was interrupted and
what was written. Python's own `KeyboardInterrupt` cannot be used for that: invoke's
`Program.run` catches it and exits 1 (the drift code) without a word, and library code's
`except Exception` is the wrong place to meet it. So the command line installs `sigint_raises`:

- the first SIGINT raises `Interrupted` (a `BaseException`, not a `KeyboardInterrupt`) where
  the program is, and from then on SIGINT is ignored: the clean-up that follows (`finally`
  blocks, the lock's release, a temp file's removal) cannot be interrupted in turn;
- `deferred_sigint` holds a SIGINT back for a short critical section (an atomic write: temp
  file, fsync, rename) and delivers it at its end, so the interruption comes between two files,
  never inside one.

The lock is an `flock`: the system releases it when the process ends, whatever happened.

`CheckpointHook` is test-only (`SCHEMASYNC_TEST_INTERRUPT_AT`): it makes the process send
itself SIGINT at its N-th checkpoint, so that a test can interrupt a run at chosen, repeatable
points (tests/test_exits.py). Nothing here keeps state in the module: the hook's counter lives
on the hook, which `cli.main` creates for the one run of the process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

from schemasync.errors import Interrupted

#: Test-only: `N` sends SIGINT to the process at its N-th checkpoint; `count:FILE` lets the run
#: finish and writes its number of checkpoints to FILE (tests/test_exits.py).
INTERRUPT_AT_ENV = "SCHEMASYNC_TEST_INTERRUPT_AT"
#: The modules whose steps are checkpoints: the edge, where files are read and written and the
#: run is opened (parsing and rendering read and write nothing: interrupting them is
#: interrupting the step that called them).
CHECKPOINT_MODULES = (
    "cli",
    "program",
    "tasks",
    "runner",
    "project",
    "fsio",
    "state",
    "mirror",
    "evidence",
)


def raise_interrupted(signum: int, frame: FrameType | None) -> NoReturn:
    """The SIGINT handler: ignore the next ones (the clean-up must run to its end), raise."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise Interrupted


@contextlib.contextmanager
def sigint_raises() -> Iterator[None]:
    """Make SIGINT raise `Interrupted` within the block (main thread only; a no-op elsewhere);
    the previous handler is restored after it."""
    try:
        previous = signal.signal(signal.SIGINT, raise_interrupted)
    except ValueError:  # not the main thread: signals are not ours to handle
        yield
        return
    try:
        yield
    finally:
        # Ignored now: an interruption (whose clean-up outside must run to its end too) or a
        # run that is over (`ignore_sigint`). Under the command line that stays so to the exit
        # (a Ctrl-C after the last file must not turn a finished run into "interrupted"); a
        # program that embeds the CLI gets its own handler back.
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN or previous is not (
            raise_interrupted
        ):
            signal.signal(signal.SIGINT, previous)


def ignore_sigint() -> None:
    """Ignore SIGINT from now on when it is ours to handle (`sigint_raises` or the command
    line installed `raise_interrupted`): the run is over, its outcome stands. A caller's own
    handler (a library use of the runner, a test) is left alone."""
    if signal.getsignal(signal.SIGINT) is raise_interrupted:
        with contextlib.suppress(ValueError):
            signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def deferred_sigint() -> Iterator[None]:
    """Hold a SIGINT that arrives within the block back until its end, then deliver it to the
    handler that was in place (`Interrupted` raised after the block, not inside it)."""
    caught: list[int] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    except ValueError:  # not the main thread: no handler of ours to defer
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            signal.raise_signal(signal.SIGINT)  # the previous handler's turn


class CheckpointHook:
    """Test-only: count the process' checkpoints; send SIGINT at the `at`-th.

    A checkpoint is a call made by, or into, a function of the edge modules
    (`CHECKPOINT_MODULES`), Python functions and C functions alike (`os.replace`, `fcntl.flock`,
    `os.read`): every step at which a run reads, writes, locks or moves to its next phase, up
    to the moment the run is over and SIGINT is ignored (`ignore_sigint`). The
    count depends only on the run's input, not on timing: the same run has the same N-th
    checkpoint each time (with the same `PYTHONHASHSEED`).
    """

    def __init__(self, at: int | None, report: Path | None) -> None:
        self.at, self.report, self.count = at, report, 0
        package = Path(__file__).resolve().parent
        self.files = frozenset(str(package / f"{name}.py") for name in CHECKPOINT_MODULES)

    @classmethod
    def from_env(cls) -> CheckpointHook | None:
        """Return the hook the test-only variable asks for, installed; None when it is unset."""
        value = os.environ.get(INTERRUPT_AT_ENV, "")
        if value.startswith("count:"):
            hook = cls(None, Path(value.removeprefix("count:")))
        elif value.isdigit():
            hook = cls(int(value), None)
        else:
            return None
        sys.setprofile(hook)
        return hook

    def __call__(self, frame: FrameType, event: str, arg: Any) -> None:
        """The profile function: count a checkpoint; at the chosen one, interrupt."""
        if event not in ("call", "c_call"):
            return
        here = frame.f_code.co_filename in self.files
        caller = event == "call" and (
            frame.f_back is not None and frame.f_back.f_code.co_filename in self.files
        )
        if not (here or caller) or signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
            return  # not ours; or the run is over (its outcome stands): no checkpoint
        self.count += 1
        if self.count == self.at:
            sys.setprofile(None)
            signal.raise_signal(signal.SIGINT)  # the real handler runs, as for a Ctrl-C

    def finish(self) -> None:
        """Stop counting; write the count where `count:FILE` said."""
        sys.setprofile(None)
        if self.report is not None:
            self.report.write_text(f"{self.count}\n", encoding="ascii")


def interruption(err: BaseException) -> Interrupted | None:
    """Return the `Interrupted` that `err` is or was caused by, if any: code that catches
    every exception may wrap it (Python 3.11 turns one raised in a class body's
    `__set_name__` into a `RuntimeError`)."""
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        if isinstance(current, Interrupted):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
