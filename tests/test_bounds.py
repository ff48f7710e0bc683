"""Bounded parsing (issue 11, item 4): a SQL default nested deeper than sqlglot's parser can
recurse is kept as written, with a note saying why, never a RecursionError.

PostgreSQL writes a 60-term sum as `((((a + 1) + 2) + 3) ...)`, 59 brackets deep; sqlglot
raised RecursionError on it from 47 levels (39 on MySQL). The cap is counted on the text before
parsing; a RecursionError that still happens (CASE … END nests without brackets) becomes the same
note. Live databases on all three dialects, through the real command line.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import pytest

from schemasync.introspect import snapshot_database
from schemasync.introspect.drift import drift_changes
from schemasync.model import ExpressionDefault, LiteralDefault, Schema
from schemasync.prisma.load import load_prisma
from schemasync.sql.defaults import MAX_DEPTH, nesting_depth, normalize_default, read_default

URL_ENV = "SCHEMASYNC_TEST_BOUNDS_URL"


def pg_sum(terms: int) -> str:
    """Return the sum `a + 1 + … ` of `terms` terms as PostgreSQL writes it back."""
    text = "a"
    for i in range(1, terms):
        text = f"({text} + {i})"
    return text


def nested(depth: int, open_: str = "(", inner: str = "1", close: str = ")") -> str:
    """Return `inner` nested `depth` times in `open_` … `close`."""
    return open_ * depth + inner + close * depth


@pytest.mark.parametrize(
    ("sql", "depth"),
    [
        ("1", 0),
        ("((a + 1) + 2)", 2),
        ("f(x[1])", 2),
        ("'((((('", 0),  # brackets in a string do not nest
        ("'it''s (' || ((1))", 2),
        ('"a((b" + ((1))', 2),  # nor in a quoted name
        ("`a((b` + ((1))", 2),
        # PostgreSQL reads 'a\' as a whole string, MySQL reads on: the deeper reading counts
        ("'a\\' || ((((1))))", 4),
        ("(1))))((", 2),  # unbalanced: what opens counts
        (pg_sum(60), 59),
    ],
)
def test_nesting_depth_is_counted_outside_quotes(sql: str, depth: int) -> None:
    assert nesting_depth(sql) == depth


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite", "sqlserver"])
@pytest.mark.parametrize(
    "sql",
    [
        pg_sum(46),
        pg_sum(60),
        pg_sum(500),
        nested(5000),
        nested(300, "abs(", "1", ")"),
        nested(300, "ARRAY[", "1", "]"),
        nested(200, "(", "1", "::int)"),
        "CASE WHEN a THEN " * 200 + "1" + " END" * 200,  # no brackets: the RecursionError net
        "NOT " * 2000 + "a",
    ],
    ids=[
        "sum46",
        "sum60",
        "sum500",
        "parens5000",
        "calls300",
        "arrays300",
        "casts200",
        "case200",
        "not2000",
    ],
)
def test_deep_defaults_are_kept_as_written_with_a_note(sql: str, dialect: str) -> None:
    read = read_default(sql, dialect)
    assert read.default is not None
    if read.note is not None:
        assert read.default == ExpressionDefault(sql=" ".join(sql.split()))
        assert read.note.startswith("default kept as written, not normalised: nested")
        assert str(MAX_DEPTH) in read.note
    if nesting_depth(sql) > MAX_DEPTH:
        assert read.note is not None
        assert "brackets deep" in read.note
    assert normalize_default(sql, dialect) == read.default


def test_the_cap_leaves_shallow_defaults_normalised() -> None:
    assert read_default(nested(MAX_DEPTH, "(", "'x'::text", ")")).default == LiteralDefault(
        value="x"
    )
    shallow = read_default(pg_sum(MAX_DEPTH + 1))  # MAX_DEPTH brackets: normalised
    assert shallow.note is None
    assert shallow.default == ExpressionDefault(sql=pg_sum(MAX_DEPTH + 1)[1:-1])


def test_a_stack_already_half_used_still_gets_the_note() -> None:
    """Under the cap but with little stack left (a deep caller): the RecursionError net."""

    def deep(levels: int) -> object:
        return read_default(pg_sum(MAX_DEPTH + 1), "mysql") if levels == 0 else deep(levels - 1)

    used = 0
    frame = sys._getframe()
    while frame.f_back is not None:
        frame, used = frame.f_back, used + 1
    free = sys.getrecursionlimit() - used
    notes = set()
    for levels in range(0, free - 30, 20):
        result = deep(levels)
        assert result.default is not None  # type: ignore[attr-defined]
        notes.add(result.note)  # type: ignore[attr-defined]
    assert None in notes  # enough stack: normalised
    assert any(n and "nested too deeply" in n for n in notes)  # too little: kept, with a note


def test_a_sequence_deep_in_brackets_is_found_in_linear_time() -> None:
    from schemasync.sql.defaults import is_autoincrement_default

    assert is_autoincrement_default(nested(100_000, "(", "nextval('s'::regclass)", ")"))
    assert not is_autoincrement_default(nested(100_000, "(", "nextval('s') + 1", ")") + " + 1")


# --- Prisma: dbgenerated("...") with the same text ---------------------------------------------


def test_prisma_dbgenerated_deep_text_is_the_same_default_with_a_note(tmp_path: Path) -> None:
    schema = tmp_path / "schema.prisma"
    text = pg_sum(60).replace("a", "0", 1)
    schema.write_text(
        'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n'
        "model T {\n  id Int @id\n"
        f'  s  Int @default(dbgenerated("{text}"))\n'
        "}\n",
        encoding="utf-8",
    )
    mirror = load_prisma(schema, tmp_path)
    column = mirror.tables[0].columns[1]
    assert column.default == ExpressionDefault(sql=text)
    assert [n.object for n in mirror.notes if "kept as written" in n.message] == ["T.s"]


# --- live databases ----------------------------------------------------------------------------


def _cli(root: Path, *args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-c", "from schemasync.cli import main; raise SystemExit(main())",
         *args, "--root", str(root)],
        cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _project(tmp_path: Path, provider: str) -> Path:
    root = tmp_path / "proj"
    (root / "docs" / "project").mkdir(parents=True)
    (root / "prisma").mkdir()
    (root / "docs" / "project" / "db-ssot.json").write_text('{"mode": "database"}\n')
    (root / "prisma" / "schema.prisma").write_text(
        f'datasource db {{\n  provider = "{provider}"\n  url = env("DATABASE_URL")\n}}\n'
    )
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def _snapshot_then_drift(tmp_path: Path, provider: str, url: str, columns: tuple[str, ...]) -> None:
    """`snapshot` the database (exit 0, one note per deep column), then `drift` against that
    mirror (exit 0), in a fresh process each: the command line, not a library call."""
    root = _project(tmp_path, provider)
    done = _cli(root, "snapshot", "--url-env", "DATABASE_URL", url=url)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    mirror = Schema.model_validate(json.loads(done.stdout))
    noted = sorted(n.object for n in mirror.notes if "kept as written" in n.message)
    assert noted == sorted(columns)
    (root / "db" / "schema").mkdir(parents=True)
    (root / "db" / "schema" / "tables.json").write_text(done.stdout, encoding="utf-8")
    same = _cli(root, "drift", url=url)
    assert same.returncode == 0, same.stdout + same.stderr
    assert "Traceback" not in same.stdout + same.stderr


@pytest.mark.postgres
def test_postgres_sum_defaults_of_60_and_500_terms(pg_url: str, tmp_path: Path) -> None:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            'CREATE TABLE "T" ("id" int PRIMARY KEY, '
            f'"s60" int DEFAULT {" + ".join(map(str, range(60)))}, '
            f'"s500" bigint DEFAULT {" + ".join(map(str, range(500)))}, '
            '"shallow" int DEFAULT (1 + 2))'
        )
        stored = conn.execute(
            "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = '\"T\"'::regclass"
            " ORDER BY adnum"
        ).fetchall()
    assert nesting_depth(stored[0][0]) == 59  # PostgreSQL's own bracketing, as the issue says
    assert nesting_depth(stored[1][0]) == 499
    _snapshot_then_drift(tmp_path, "postgresql", pg_url, ("T.s500", "T.s60"))


def right_nested(terms: int) -> str:
    """Return `0 - (1 - (2 - …))`: brackets MariaDB must keep (it writes sums back flat)."""
    text = str(terms - 1)
    for i in range(terms - 2, -1, -1):
        text = f"({i} - {text})"
    return text


@pytest.mark.mysql
def test_mariadb_deep_defaults(mysql_url: str, tmp_path: Path) -> None:
    """MariaDB writes `((0 + 1) + 2)` back as `(0 + 1 + 2)`: the deep cases are brackets it
    keeps, a difference nested 60 and 500 terms deep and calls nested 60 deep; the 500-term sum
    is flat once stored (no note)."""
    from conftest import _mysql_connect

    conn = _mysql_connect(mysql_url, urlsplit(mysql_url).path.lstrip("/"))
    try:
        with conn.cursor() as cur:
            cur.execute(
                "CREATE TABLE `T` (`id` int PRIMARY KEY, "
                f"`d60` int DEFAULT ({right_nested(60)}), "
                f"`d500` bigint DEFAULT ({right_nested(500)}), "
                f"`abs60` int DEFAULT ({nested(60, 'abs(', '1', ')')}), "
                f"`sum500` bigint DEFAULT ({pg_sum(500).replace('a', '0', 1)}), "
                "`shallow` int DEFAULT (1 + 2))"
            )
    finally:
        conn.close()
    _snapshot_then_drift(tmp_path, "mysql", mysql_url, ("T.abs60", "T.d500", "T.d60"))


def test_sqlite_deep_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's own parser stops at 99 levels ("parser stack overflow"): 60 and 80 levels, and
    a 500-term sum written flat (sqlglot parses that without recursing)."""
    db = tmp_path / "deep.db"
    conn = sqlite3.connect(db)
    conn.execute(
        'CREATE TABLE "T" ("id" INTEGER PRIMARY KEY, '
        f'"s60" INTEGER DEFAULT ({pg_sum(60).replace("a", "0", 1)}), '
        f'"s80" INTEGER DEFAULT ({pg_sum(80).replace("a", "0", 1)}), '
        f'"flat500" INTEGER DEFAULT ({" + ".join(map(str, range(500)))}), '
        '"shallow" INTEGER DEFAULT (1 + 2))'
    )
    conn.close()
    url = f"file:{db}"
    _snapshot_then_drift(tmp_path, "sqlite", url, ("T.s60", "T.s80"))
    monkeypatch.setenv(URL_ENV, url)
    mirror = snapshot_database(URL_ENV)
    assert drift_changes(mirror, snapshot_database(URL_ENV, previous=mirror)) == ()


@pytest.mark.postgres
@pytest.mark.node
def test_prisma_pull_of_a_deep_default_matches_the_snapshot(
    pg_url: str, tmp_path: Path, prisma_harness: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Prisma's own `db pull` writes the catalog text into `dbgenerated(...)`: its import and
    the live snapshot keep the same text, so the deep default is no drift."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            'CREATE TABLE "T" ("id" int PRIMARY KEY, '
            f'"s60" int NOT NULL DEFAULT {" + ".join(map(str, range(60)))})'
        )
    prisma_harness.db_pull(pg_url, tmp_path / "pulled")
    imported = load_prisma(tmp_path / "pulled" / "schema.prisma", tmp_path)
    monkeypatch.setenv(URL_ENV, pg_url)
    live = snapshot_database(URL_ENV, previous=imported)
    assert drift_changes(imported, live) == ()
    assert any(n.object == "T.s60" and "kept as written" in n.message for n in imported.notes)
