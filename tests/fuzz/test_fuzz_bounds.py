"""Fuzz the bounds of issue 11, item 4: JSON numbers in every JSON file, the context, evidence
templates, and SQL defaults as live catalogs give them back.

`test_fuzz_files.py` mutates config and mirror *tokens*; this module adds what it cannot reach:
- absurd numbers planted at a value of db-ssot.json, the mirror and the context (5,000 digits,
  `1e999999`, `NaN`, `Infinity`: Python's `int()` raised ValueError on the first);
- token mutations of the context (`docs/context/db/schema.json`);
- evidence templates as a project may commit them (mutated text, or raw bytes), through
  `load_template` -> `render_evidence` -> `check_evidence`, as a run does, in a temporary
  project: nothing but the template is ever in it, and nothing is written;
- SQL default texts (nested brackets up to 600 deep, casts, quotes, huge numbers, unicode, NUL,
  CASE) through `read_default` on every dialect, and the same texts stored as a column default
  in a live PostgreSQL and SQLite and read back from the catalog as the introspectors read it.

Property (`check_only_schemasync_errors`): a value, or one `SchemasyncError` of the file's exit
code with one line; nothing else, within the time limit.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Summary
from fuzzlib import FUZZ_SETTINGS, GOLDEN, REPO, check_only_schemasync_errors, mutated_text
from hypothesis import given
from hypothesis import strategies as st

from schemasync.config import SsotConfig, load_config
from schemasync.context import ContextDocument, build_context, dump_context, load_context
from schemasync.errors import ArtifactError, ConfigError, ExitCode, SchemasyncError
from schemasync.evidence import TEMPLATES, check_evidence, render_evidence
from schemasync.mirror import load_mirror, read_mirror
from schemasync.model import ExpressionDefault, FunctionDefault, LiteralDefault, Schema
from schemasync.runner import load_template
from schemasync.sql.defaults import ReadDefault, read_default

pytestmark = [pytest.mark.fuzz, pytest.mark.filterwarnings("ignore:Generating overly large repr")]

CONFIGS = [
    p.read_text(encoding="utf-8") for p in sorted(REPO.glob("examples/*/docs/project/*.json"))
]
MIRROR_FILES = sorted(GOLDEN.glob("*/expected.tables.json"))[:12]
MIRRORS = [p.read_text(encoding="utf-8") for p in MIRROR_FILES]
CONTEXTS = [
    p.read_text(encoding="utf-8") for p in sorted(REPO.glob("examples/*/docs/context/db/*.json"))
] + [dump_context(build_context(read_mirror(p), "0" * 64)) for p in MIRROR_FILES[:6]]
PACKAGED = REPO / "schemasync" / "templates"
TEMPLATE_TEXTS = [(name, (PACKAGED / name).read_text(encoding="utf-8")) for name in TEMPLATES]
DIALECTS = ("postgresql", "mysql", "sqlite", "sqlserver")
DEFAULT_KINDS = (LiteralDefault, FunctionDefault, ExpressionDefault)

# --- absurd JSON numbers ------------------------------------------------------------------------

DIGITS = st.integers(1, 6000).map(lambda n: "9" * n) | st.from_regex(r"\A[0-9]{1,40}\Z")
NUMBERS = st.one_of(
    st.tuples(st.sampled_from(["", "-"]), DIGITS).map("".join),
    st.tuples(DIGITS, DIGITS).map(lambda p: f"{p[0]}.{p[1]}"),
    st.tuples(
        DIGITS, st.sampled_from(["e", "E", "e+", "e-"]), st.from_regex(r"\A[0-9]{1,8}\Z")
    ).map("".join),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999999", "-1e999999", "1e-999999"]),
)
# A value after a key: the scalar after `"key": ` (strings with escapes, numbers, literals).
_VALUE = re.compile(r'(":\s*)("(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*|true|false|null)')


@st.composite
def planted(draw: st.DrawFn, texts: list[str]) -> str:
    """Return one of `texts` with the value of one key replaced by an absurd number (or the
    number put before the first key)."""
    text = draw(st.sampled_from(texts))
    number = draw(NUMBERS)
    found = list(_VALUE.finditer(text))
    if not found or draw(st.integers(0, 9)) == 0:
        return text.replace("{", '{"zz": ' + number + ", ", 1)
    at = draw(st.sampled_from(found))
    return text[: at.start(2)] + number + text[at.end(2) :]


def _one_line_at(result: object, code: ExitCode) -> None:
    """An error is the file's code and names file:line:col (or file: for a model error)."""
    if isinstance(result, SchemasyncError):
        assert result.exit_code == code, str(result)


@FUZZ_SETTINGS
@given(text=planted(CONFIGS))
def test_fuzz_config_numbers(text: str) -> None:
    """db-ssot.json with an absurd number anywhere: a config or exit 2, one line."""
    result = check_only_schemasync_errors(lambda: load_config(text))
    assert isinstance(result, SsotConfig | ConfigError)
    _one_line_at(result, ExitCode.USAGE)


@FUZZ_SETTINGS
@given(text=planted(MIRRORS))
def test_fuzz_mirror_numbers(text: str) -> None:
    """tables.json with an absurd number anywhere: a Schema or exit 6, one line."""
    result = check_only_schemasync_errors(lambda: load_mirror(text, "db/schema/tables.json"))
    assert isinstance(result, Schema | ArtifactError)
    _one_line_at(result, ExitCode.ARTIFACT)


@FUZZ_SETTINGS
@given(text=planted(CONTEXTS) | st.sampled_from(CONTEXTS).flatmap(mutated_text))
def test_fuzz_context_text(text: str) -> None:
    """The context: token mutations and absurd numbers; a ContextDocument or exit 6."""
    result = check_only_schemasync_errors(lambda: load_context(text, "docs/context/db/schema.json"))
    assert isinstance(result, ContextDocument | ArtifactError)
    _one_line_at(result, ExitCode.ARTIFACT)


def test_seed_contexts_load() -> None:
    """The unmutated contexts load (the targets start from valid files)."""
    for text in CONTEXTS:
        assert isinstance(load_context(text, "schema.json"), ContextDocument)


# --- evidence templates -------------------------------------------------------------------------

TEMPLATE_INPUT = st.one_of(
    st.sampled_from(TEMPLATE_TEXTS).flatmap(
        lambda nt: mutated_text(nt[1]).map(lambda t: (nt[0], t.encode("utf-8", "surrogatepass")))
    ),
    st.tuples(st.sampled_from(TEMPLATES), st.binary(max_size=300)),
    st.tuples(
        st.sampled_from(TEMPLATES), NUMBERS.map(lambda n: f"## What ran\n{n} $run_id\n".encode())
    ),
)


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@FUZZ_SETTINGS
@given(case=TEMPLATE_INPUT)
def test_fuzz_evidence_template(case: tuple[str, bytes]) -> None:
    """A project's template (mutated, raw bytes, absurd numbers) rendered as a run renders it:
    evidence text or exit 6 (2 for an unsafe path), one line; the project is left as it was."""
    name, data = case
    values = {
        "run_id": "20260101T000000Z",
        "env": "dev",
        "project": "shop",
        "command": "schemasync sync",
        "inputs": "| input | sha256 |\n|---|---|",
        "results": "ok",
        "checklist": "- [x] done",
        "next_step": "none",
    }
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "evidence_templates").mkdir()
        (root / "evidence_templates" / name).write_bytes(data)
        before = _tree(root)

        def run() -> str:
            shown, template = load_template(root, name)
            text = render_evidence(template, values, shown)
            problems = check_evidence(text)
            if problems:
                raise ArtifactError(f"{shown}: the rendered evidence is incomplete: {problems[0]}")
            return text

        result = check_only_schemasync_errors(run)
        assert isinstance(result, str | ArtifactError | ConfigError)
        assert _tree(root) == before


# --- SQL defaults ---------------------------------------------------------------------------


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


ATOMS = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    NUMBERS.filter(lambda n: n[-1].isdigit() and len(n) < 2000),
    st.text(max_size=8).map(_quoted),
    st.sampled_from(["NULL", "true", "false", "CURRENT_TIMESTAMP", "now()", "'it''s'", "''"]),
)
#: PostgreSQL's `::` casts and arrays; the portable trees (SQLite) use CAST(… AS …) only.
CASTS = ("::int", "::text", "::bigint", "::numeric(10,2)", '::"Status"', "::jsonb", "::int[]")
PORTABLE_TYPES = ("INTEGER", "TEXT", "REAL", "NUMERIC", "BLOB")


def _expressions(postgres: bool) -> st.SearchStrategy[str]:
    def extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        options: list[st.SearchStrategy[str]] = [
            st.tuples(children, st.sampled_from(["+", "-", "*", "||"]), children).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            st.tuples(
                st.sampled_from(["abs", "coalesce", "lower", "upper", "length"]), children
            ).map(lambda t: f"{t[0]}({t[1]})"),
            st.tuples(children, children).map(lambda t: f"CASE WHEN {t[0]} THEN {t[1]} END"),
            st.tuples(children, st.sampled_from(PORTABLE_TYPES)).map(
                lambda t: f"CAST({t[0]} AS {t[1]})"
            ),
        ]
        if postgres:
            options.append(st.tuples(children, st.sampled_from(CASTS)).map("".join))
            options.append(children.map(lambda c: f"ARRAY[{c}]"))
        return st.one_of(options)

    return st.recursive(ATOMS, extend, max_leaves=40)


SQL_TREES = {True: _expressions(postgres=True), False: _expressions(postgres=False)}


@st.composite
def sql_defaults(draw: st.DrawFn, postgres: bool = True) -> str:
    """Return a default expression text: a generated tree, nested deeply, or mutated."""
    text = draw(SQL_TREES[postgres])
    kind = draw(st.sampled_from(["tree", "nest", "sum", "mutate", "noise"]))
    if kind == "nest":
        depth = draw(st.integers(1, 600))
        pairs = [("(", ")"), ("abs(", ")")] + ([("ARRAY[", "]")] if postgres else [])
        opener, closer = draw(st.sampled_from(pairs))
        text = opener * depth + text + closer * depth
    elif kind == "sum":
        for i in range(draw(st.integers(1, 500))):
            text = f"({text} + {i})"
    elif kind == "mutate":
        text = draw(mutated_text(text))
    elif kind == "noise":
        text += draw(st.text(max_size=10))
    return text


def _check_read(text: str, dialect: str) -> ReadDefault:
    result = check_only_schemasync_errors(lambda: read_default(text, dialect))
    assert isinstance(result, ReadDefault)
    assert result.default is None or isinstance(result.default, DEFAULT_KINDS)
    return result


@FUZZ_SETTINGS
@given(text=st.booleans().flatmap(sql_defaults), dialect=st.sampled_from(DIALECTS))
def test_fuzz_sql_defaults(text: str, dialect: str) -> None:
    """Any default text on any dialect: a default (or none), with a note when kept as written;
    never an exception, never over the time limit."""
    _check_read(text, dialect)


@contextlib.contextmanager
def _sqlite() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    try:
        yield conn
    finally:
        conn.close()


def test_fuzz_sqlite_catalog_defaults(summary: Summary) -> None:
    """The texts SQLite accepts as a column default, as `PRAGMA table_info` gives them back."""
    seen = {"stored": 0, "refused": 0, "kept as written": 0}

    @FUZZ_SETTINGS
    @given(text=sql_defaults(postgres=False))
    def target(text: str) -> None:
        with _sqlite() as conn:
            try:
                conn.execute(f'CREATE TABLE "t" ("c" DEFAULT ({text}))')
            except (sqlite3.Error, ValueError):  # not SQL SQLite takes, a NUL: nothing stored
                seen["refused"] += 1
                return
            stored = conn.execute("PRAGMA table_info(t)").fetchone()[4]
        seen["stored"] += 1
        seen["kept as written"] += _check_read(stored, "sqlite").note is not None

    target()
    summary("fuzz: SQLite catalog defaults", seen)
    assert seen["stored"] > 0, seen


@pytest.fixture
def pg_catalog(pg_url: str) -> Iterator[Any]:
    """One connection to a fresh test database for the whole target (a savepoint per example)."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=False) as conn:
        conn.execute("SET statement_timeout = '2s'")
        conn.execute("SET max_stack_depth = '7MB'")
        yield conn
        conn.rollback()


@pytest.mark.postgres
def test_fuzz_postgres_catalog_defaults(pg_catalog: Any, summary: Summary) -> None:
    """The texts PostgreSQL accepts as a column default, as `pg_get_expr` writes them back:
    PostgreSQL adds its own brackets and casts (a 60-term sum is 59 brackets deep)."""
    import psycopg

    seen = {"stored": 0, "refused": 0, "kept as written": 0}

    @FUZZ_SETTINGS
    @given(text=sql_defaults())
    def target(text: str) -> None:
        pg_catalog.execute("SAVEPOINT s")
        try:
            pg_catalog.execute(f"CREATE TEMP TABLE t (c text DEFAULT ({text}))")
            row = pg_catalog.execute(
                "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 't'::regclass"
            ).fetchone()
            if row is None:  # `DEFAULT (null)`: PostgreSQL stores no default at all
                seen["stored"] += 1
                return
            stored = row[0]
        except (psycopg.Error, ValueError):  # not SQL PostgreSQL takes, a NUL
            seen["refused"] += 1
            return
        finally:
            pg_catalog.execute("ROLLBACK TO SAVEPOINT s")
        seen["stored"] += 1
        seen["kept as written"] += _check_read(stored, "postgresql").note is not None

    target()
    summary("fuzz: PostgreSQL catalog defaults", seen)
    assert seen["stored"] > 0, seen
