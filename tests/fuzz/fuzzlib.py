"""Shared pieces of the fuzz tests: seed inputs, structure-aware mutations, and the property.

Seeds are read at test time, never copied: the golden schemas of `tests/data/prisma/*/` and,
when present, the real-world corpus (`SCHEMASYNC_CORPUS`, default `../shared/corpus/prisma`
beside the repository). A mutation works on PSL/JSON *tokens* (so it makes near-miss inputs
that get deep into the parser and the importer, not just noise the lexer rejects on byte one):
delete, duplicate or swap tokens, truncate, insert random characters or bytes, unbalance
braces, nest deeply.

The property every target must keep (`check_only_schemasync_errors`): it returns or raises a
`SchemasyncError` subclass with a non-empty one-line message; any other exception is a bug, and
every input finishes within `LIMIT_S` seconds of CPU time (CPU, not wall-clock: the machine may be
shared with other test runs; measured 23% CPU share under load, where wall time flaked). A hang
is still caught on the wall clock: Hypothesis' `deadline` (`WALL_LIMIT_S`) and a SIGALRM timer
at twice that turn an endless loop into a failure.
"""

from __future__ import annotations

import os
import random
import re
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import Any, Protocol, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from schemasync.errors import SchemasyncError

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "data" / "prisma"
CORPUS = Path(os.environ.get("SCHEMASYNC_CORPUS", REPO.parent / "shared" / "corpus" / "prisma"))
LIMIT_S = 2.0
WALL_LIMIT_S = 5.0
#: examples per property; `nox -s fuzz` sets 10000, the default test session runs a few.
EXAMPLES = int(os.environ.get("SCHEMASYNC_FUZZ_EXAMPLES", "200"))

T = TypeVar("T")

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    # Hypothesis' own per-example deadline: reported with the shrunk input when exceeded.
    deadline=timedelta(seconds=WALL_LIMIT_S),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,  # no .hypothesis/ folder written into the shared tree
    derandomize=os.environ.get("SCHEMASYNC_FUZZ_SEED") is None and EXAMPLES <= 500,
)

Files = tuple[tuple[str, str], ...]


def seed_schemas() -> list[tuple[str, Files]]:
    """Return every seed schema as (name, ((display path, text), ...)); a folder is one schema."""
    seeds: list[tuple[str, Files]] = []
    roots = [GOLDEN] + ([CORPUS] if CORPUS.is_dir() else [])
    for root in roots:
        groups: dict[Path, list[Path]] = {}
        for path in sorted(root.rglob("*.prisma")):
            groups.setdefault(path.parent, []).append(path)
        for folder, paths in sorted(groups.items()):
            files = tuple(
                (p.relative_to(root).as_posix(), p.read_text(encoding="utf-8")) for p in paths
            )
            seeds.append((folder.relative_to(root).as_posix(), files))
    return seeds


SEEDS = seed_schemas()

# PSL and JSON tokens: strings, comments, names/numbers, newlines, single punctuation; the
# blanks between tokens are kept as their own pieces so a re-joined list is the same text.
_PIECES = re.compile(r'"(?:[^"\\\n]|\\.)*"|//[^\n]*|[A-Za-z0-9_.\-]+|\n|[ \t\r]+|.', re.DOTALL)

NASTY = (
    "{", "}", "(", ")", "[", "]", "@", "@@", '"', "\\", "///", "//", "=", ":", ",", "?", "!",
    "\x00", "\ufeff", "\u202e", "\r", "\t", "€", "😀", "\u0301", "model", "enum",
    "view", "type", "datasource", "generator", "@relation", "@@id", "@@unique", "@@index",
    "@default", "@map", "@@map", "@id", "@db.", "fields:", "references:", "env(", "Int", "String",
    "Unsupported(", "-1", "1e999", "99999999999999999999", "0.5", "true", "null", "[]", "()",
)  # fmt: skip


def split_pieces(text: str) -> list[str]:
    """Cut `text` into tokens and blanks; `"".join(split_pieces(t)) == t`."""
    return _PIECES.findall(text)


class Chooser(Protocol):
    """Where a mutation's choices come from: Hypothesis (`drawn`) or a seeded `random.Random`
    (`Seeded`, for the fixed fuzz corpus of the `compiled` session: same seed, same inputs)."""

    def integer(self, low: int, high: int) -> int:
        """Return an integer in [low, high]."""
        ...

    def choice(self, options: Sequence[T]) -> T:
        """Return one of `options`."""
        ...

    def boolean(self) -> bool:
        """Return True or False."""
        ...

    def noise(self) -> str:
        """Return up to 12 random characters, latin-1 decoded bytes, or one of `NASTY`."""
        ...


_NOISE = st.one_of(
    st.text(max_size=12),
    st.binary(max_size=12).map(lambda b: b.decode("latin-1")),
    st.sampled_from(NASTY),
)


class _Drawn:
    """The choices of a Hypothesis `draw` (so Hypothesis can shrink a failing input)."""

    def __init__(self, draw: st.DrawFn) -> None:
        self._draw = draw

    def integer(self, low: int, high: int) -> int:
        return self._draw(st.integers(low, high))

    def choice(self, options: Sequence[T]) -> T:
        return self._draw(st.sampled_from(options))

    def boolean(self) -> bool:
        return self._draw(st.booleans())

    def noise(self) -> str:
        return self._draw(_NOISE)


class Seeded:
    """The choices of `random.Random(seed)`: the same seed gives the same inputs on every run,
    machine and hash seed (a str seed is hashed with SHA-512, not `hash()`)."""

    def __init__(self, seed: str) -> None:
        self._rng = random.Random(seed)

    def integer(self, low: int, high: int) -> int:
        """Return an integer in [low, high]."""
        return self._rng.randint(low, high)

    def choice(self, options: Sequence[T]) -> T:
        """Return one of `options`."""
        return options[self._rng.randrange(len(options))]

    def boolean(self) -> bool:
        """Return True or False."""
        return self._rng.random() < 0.5

    def noise(self) -> str:
        """Return up to 12 random characters, latin-1 decoded bytes, or one of `NASTY`."""
        rng = self._rng
        kind = rng.randrange(3)
        if kind == 2:
            return NASTY[rng.randrange(len(NASTY))]
        size = rng.randint(0, 12)
        if kind == 1:
            return bytes(rng.randrange(256) for _ in range(size)).decode("latin-1")
        # Any code point but a surrogate (as st.text), half of them printable ASCII.
        chars = []
        for _ in range(size):
            code = rng.randrange(0x20, 0x7F) if rng.random() < 0.5 else rng.randrange(0x110000)
            chars.append(chr(code if not 0xD800 <= code <= 0xDFFF else 0xFFFD))
        return "".join(chars)


def mutate_text(text: str, pick: Chooser) -> str:
    """Return `text` after 1-4 structure-aware mutations chosen by `pick`."""
    pieces = split_pieces(text) or [""]
    for _ in range(pick.integer(1, 4)):
        kind = pick.choice(
            ("delete", "duplicate", "swap", "truncate", "insert", "brace", "nest", "replace")
        )
        n = len(pieces)
        i = pick.integer(0, max(n - 1, 0))
        if kind == "delete" and n > 1:
            width = pick.integer(1, 8)
            del pieces[i : i + width]
        elif kind == "duplicate":
            width = pick.integer(1, 30)
            pieces[i:i] = pieces[i : i + width] * pick.integer(1, 3)
        elif kind == "swap":
            j = pick.integer(0, max(n - 1, 0))
            if n:
                pieces[i], pieces[j] = pieces[j], pieces[i]
        elif kind == "truncate":
            pieces = pieces[:i]
        elif kind == "insert":
            pieces.insert(i, pick.noise())
        elif kind == "brace":
            brace = pick.choice("{}[]()")
            matches: list[int] = [k for k, p in enumerate(pieces) if p == brace]
            remove = pick.boolean()
            if matches and remove:
                del pieces[pick.choice(matches)]
            else:
                pieces.insert(i, brace)
        elif kind == "nest":
            depth = pick.choice((10, 33, 100, 1000, 20000))
            pairs = (("(", ")"), ("[", "]"), ("{", "}"), ("f(", ")"))
            opener, closer = pick.choice(pairs)
            inner = opener * depth + (closer * depth if pick.boolean() else "")
            pieces.insert(i, inner)
        elif kind == "replace" and n:
            pieces[i] = pick.choice(NASTY)
    return "".join(pieces)


_ATTRIBUTE = re.compile(r"@@?[A-Za-z_][\w.]*(?:\([^()\n]*\))?")


def mutate_lines(text: str, pick: Chooser) -> str:
    """Return `text` after 1-3 line-level mutations: delete, duplicate or swap lines, drop one
    attribute. Unlike token mutations, these often leave a schema that still parses, so the
    importer's rules (relations, names, defaults) get the input rather than the parser's errors."""
    lines = text.splitlines(keepends=True) or [""]
    for _ in range(pick.integer(1, 3)):
        kind = pick.choice(("delete", "duplicate", "swap", "attribute"))
        i = pick.integer(0, len(lines) - 1)
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif kind == "attribute":
            found = list(_ATTRIBUTE.finditer(lines[i]))
            if found:
                m = pick.choice(found)
                lines[i] = lines[i][: m.start()] + lines[i][m.end() :]
    return "".join(lines)


def mutate_schema(pick: Chooser, mutate: Callable[[str, Chooser], str] = mutate_text) -> Files:
    """Return a seed schema with one of its files mutated (sometimes a file dropped/added)."""
    _, files = pick.choice(SEEDS)
    k = pick.integer(0, len(files) - 1)
    out = list(files)
    out[k] = (files[k][0], mutate(files[k][1], pick))
    if len(out) > 1 and pick.integer(0, 9) == 0:
        del out[pick.integer(0, len(out) - 1)]
    elif pick.integer(0, 19) == 0:
        out.append(("extra.prisma", out[0][1]))  # duplicate every block of the first file
    return tuple(out)


@st.composite
def mutated_text(draw: st.DrawFn, text: str) -> str:
    """Return `text` after 1-4 structure-aware mutations (Hypothesis strategy)."""
    return mutate_text(text, _Drawn(draw))


@st.composite
def mutated_schema(draw: st.DrawFn) -> Files:
    """Return a mutated seed schema (Hypothesis strategy; see `mutate_schema`)."""
    return mutate_schema(_Drawn(draw))


def fuzz_corpus(count: int, seed: str = "schemasync") -> list[tuple[str, Files]]:
    """Return `count` mutated seed schemas, the same ones on every run: (id, files); even ids
    have token mutations (`mutate_text`), odd ones line mutations (`mutate_lines`)."""
    return [
        (f"fuzz/{i}", mutate_schema(Seeded(f"{seed}:{i}"), (mutate_text, mutate_lines)[i % 2]))
        for i in range(count)
    ]


class Hang(Exception):  # noqa: N818 -- the name says what the property reports
    """An input took longer than the hard limit (raised by the alarm, never caught as OK)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `Hang` in the main thread when the block runs longer than `seconds` (SIGALRM)."""

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"input not finished after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_only_schemasync_errors(run: Callable[[], T]) -> T | SchemasyncError:
    """Run `run()`; return its value or the `SchemasyncError` it raised, after checking the
    property: no other exception, a one-line non-empty message, at most `LIMIT_S` seconds."""
    start = time.process_time()
    result: Any
    # The alarm is a backstop (an endless loop never returns to be measured); the CPU time
    # measured below is the real check.
    with time_limit(WALL_LIMIT_S * 2):
        try:
            result = run()
        except SchemasyncError as err:
            result = err
    elapsed = time.process_time() - start
    assert elapsed < LIMIT_S, f"input took {elapsed:.2f} s of CPU (limit {LIMIT_S:g} s)"
    if isinstance(result, SchemasyncError):
        message = str(result)
        assert message.strip(), f"{type(result).__name__} with an empty message"
        # str.splitlines also breaks at \r, \v, \f, \x1c-\x1e, \x85, \u2028, \u2029.
        assert len(message.splitlines()) == 1, f"multi-line message: {message!r}"
        assert "Traceback" not in message
    return result  # type: ignore[no-any-return]
