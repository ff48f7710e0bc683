"""Bounded parsing (issue 11, item 4): a SQL default nested deeper than sqlglot's parser can
recurse is kept as written, with a note saying why, never a RecursionError; a JSON number
Python cannot read is one line with its file:line:col and the file's exit code.

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
from safety_project import (
    CONFIG,
    CONTEXT,
    MIRROR,
    RUNS,
    assert_clean_failure,
    changes,
    make_project,
    run_cli,
    tree_bytes,
)

from schemasync.errors import ArtifactError, ExitCode, SourceError
from schemasync.introspect import snapshot_database
from schemasync.introspect.drift import drift_changes
from schemasync.jsontext import MAX_DIGITS, parse_json
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
        ("ARRAY[ARRAY[1], ARRAY[(2)]]", 3),
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


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_nested_arrays_are_capped_before_sqlglot_slows_down(dialect: str) -> None:
    """sqlglot's time grew 1.7-fold per `ARRAY[` level (0.9 s at 15, ~15 s at 20): fuzz find."""
    import time

    start = time.process_time()
    read = read_default(nested(20, "ARRAY[", "0", "]"), dialect)
    assert time.process_time() - start < 0.5
    assert read.note is not None
    assert "20 square brackets deep" in read.note
    assert nesting_depth(nested(20, "ARRAY[", "0", "]"), "[]") == 20
    assert read_default(nested(6, "ARRAY[", "0", "]"), dialect).note is None


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


# --- JSON numbers with absurd digit counts -----------------------------------------------------

#: Numbers Python cannot read (`int()` of 4,301+ digits raises ValueError), a float out of range,
#: and the constants Python's `json` accepts but JSON does not.
NUMBERS = {
    "digits5000": "9" * 5000,
    "negative5000": "-" + "9" * 5000,
    "fraction5000": "1" * 5000 + ".5",
    "exp999999": "1e999999",
    "nan": "NaN",
    "infinity": "Infinity",
    "minus-infinity": "-Infinity",
}
#: The JSON files schemasync reads: where a number is planted (line 2, column 8), and the code.
JSON_FILES = {
    "config": (CONFIG, ExitCode.USAGE),
    "mirror": (MIRROR, ExitCode.ARTIFACT),
    "context": (CONTEXT, ExitCode.ARTIFACT),
}


@pytest.mark.parametrize("number", NUMBERS.values(), ids=NUMBERS.keys())
@pytest.mark.parametrize("file", JSON_FILES.keys())
def test_absurd_json_numbers_are_one_line_with_the_place(
    file: str, number: str, tmp_path: Path
) -> None:
    rel, code = JSON_FILES[file]
    project = make_project(tmp_path)
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert text.startswith("{\n")
    path.write_text('{\n  "zz": ' + number + ",\n" + text[2:], encoding="utf-8")
    before = tree_bytes(project)
    line = assert_clean_failure(run_cli(project, "check"), code)
    assert line.startswith(f"{rel}:2:9: "), line
    assert "digits (at most 100)" in line or "out of range" in line or "not a JSON number" in line
    assert changes(before, tree_bytes(project)) == {}


@pytest.mark.parametrize("number", NUMBERS.values(), ids=NUMBERS.keys())
def test_parse_json_refuses_absurd_numbers_anywhere(number: str) -> None:
    for text, where in [
        (number, "1:1"),
        ('{"a": [1, 2,\n "x\\"9e9999", ' + number + "]}", "2:15"),
        ('{"s": "' + number + '", "n": ' + number + "}", f"1:{len(number) + 16}"),
    ]:
        with pytest.raises(ArtifactError) as err:
            parse_json(text, "f.json", ArtifactError, "fix it")
        assert str(err.value).startswith(f"f.json:{where}: "), str(err.value)
        assert str(err.value).endswith("; fix it")
    assert parse_json('{"n": [' + "9" * MAX_DIGITS + ", 1e308, -0.0]}", "f", ArtifactError, "")


def test_package_json_number_is_a_problem_not_a_crash() -> None:
    from schemasync.seed import prisma_version, spec_version

    assert prisma_version('{"devDependencies": {"prisma": ' + "9" * 5000 + "}}").problem
    assert spec_version("^" + "9" * 5000 + ".1.0") is None
    assert spec_version("^6.19.0") == (6, None)


@pytest.mark.parametrize(
    ("attribute", "col"),
    [
        ("s String\n  @@index([s(length: " + "9" * 5000 + ")])", 22),
        ("s String\n  @@index([s(length: 1.5)])", 22),
        ("s String @unique(length: " + "9" * 5000 + ")", 28),
    ],
    ids=["index-digits5000", "index-fraction", "unique-digits5000"],
)
def test_prisma_index_length_out_of_bounds_is_exit_4(
    attribute: str, col: int, tmp_path: Path
) -> None:
    schema = tmp_path / "schema.prisma"
    schema.write_text(
        'datasource db {\n  provider = "mysql"\n  url = env("DATABASE_URL")\n}\n'
        f"model T {{\n  id Int @id\n  {attribute}\n}}\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError) as err:
        load_prisma(schema, tmp_path)
    line = 8 if "@@index" in attribute else 7
    assert (err.value.line, err.value.col) == (line, col)
    assert "is not a prefix length; write e.g. length: 10" in str(err.value)


@pytest.mark.parametrize(
    ("rel", "text", "args"),
    [
        (f"{RUNS}/CURRENT", "9" * 5000, ("phase-b",)),
        ("evidence_templates/02-import-prisma-log.md", "# 02\n" + "9" * 5000 + "\n", ("sync",)),
        ("evidence_templates/05-drift-check.md", "1e999999 NaN " + "9" * 5000 + "\n", ("sync",)),
    ],
    ids=["current", "template-02", "template-05"],
)
def test_absurd_numbers_in_text_files_are_text(
    rel: str, text: str, args: tuple[str, ...], tmp_path: Path
) -> None:
    """CURRENT and evidence templates are text: a 5,000-digit number is no number to read."""
    project = make_project(tmp_path)
    (project / rel).parent.mkdir(parents=True, exist_ok=True)
    (project / rel).write_text(text, encoding="utf-8")
    done = run_cli(project, *args)
    assert "Traceback" not in done.stdout + done.stderr
    assert done.returncode in (0, 1, 6), done.stderr
    if done.returncode:
        assert_clean_failure(done, done.returncode)
