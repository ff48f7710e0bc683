"""The DDL applier and reader on small inputs: statement splitting, `apply` as a pure function
(composable, input untouched), dialect recognition, and bad input (one line with
file:line:col, exit 4, nothing written)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from in_process import run_schemasync

from schemasync.ddl import DIALECTS, apply, detect_dialect, empty_schema, split_statements
from schemasync.errors import SourceError
from schemasync.mirror import dump_mirror
from schemasync.sources.ddl import read_ddl


def statements(text: str, dialect: str = "postgresql") -> list[tuple[int, int, str]]:
    """(line, col, sql) of each statement of `text`."""
    return [
        (s.line, s.col, s.sql)
        for s in split_statements(text.splitlines(keepends=True), DIALECTS[dialect].lexis)
    ]


def test_split_postgres_quotes_comments_dollar_bodies_and_meta_lines() -> None:
    text = (
        "\\restrict abc\n"
        "-- a comment; with a semicolon\n"
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;\n"
        "/* a /* nested */ comment; */ SELECT 'it''s;';  SELECT \"a;b\";\n"
    )
    got = statements(text)
    assert got[0][:2] == (1, 1)
    assert got[1] == (
        3,
        1,
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$",
    )
    assert got[2] == (4, 31, "SELECT 'it''s;'")
    assert got[3] == (4, 49, 'SELECT "a;b"')


def test_split_mysql_version_comments_delimiter_and_backslashes() -> None:
    text = (
        "/*!40101 SET NAMES utf8mb4 */;\n"
        "# a hash comment;\n"
        "DELIMITER ;;\n"
        "/*!50003 CREATE*/ /*!50003 TRIGGER t BEFORE INSERT ON a FOR EACH ROW "
        "SET NEW.x = 'a\\';b' */;;\n"
        "DELIMITER ;\n"
        "INSERT INTO a VALUES ('x');\n"
    )
    got = statements(text, "mysql")
    assert [s[2].split()[0] for s in got] == ["SET", "CREATE", "INSERT"]
    # the version comment's markers became spaces: offsets are the file's
    assert got[1][2].startswith("CREATE")
    assert "'a\\';b'" in got[1][2]
    assert got[2][:2] == (6, 1)


def test_split_sqlite_trigger_body() -> None:
    text = (
        "CREATE TRIGGER t AFTER UPDATE ON a BEGIN UPDATE a SET x = CASE WHEN 1 THEN 2 END; "
        "DELETE FROM b; END;\nCREATE TABLE c (x);\n"
    )
    got = statements(text, "sqlite")
    assert len(got) == 2
    assert got[0][2].endswith("END")


PG = "postgresql"


def run(sql: str, dialect: str = PG, base: object = None, rich: bool = True) -> object:
    """Apply `sql` (text) to `base` (default: empty)."""
    start = base if base is not None else empty_schema(dialect)
    lines = sql.splitlines(keepends=True)
    return apply(start, split_statements(lines, DIALECTS[dialect].lexis, "t.sql"), rich=rich)  # type: ignore[arg-type]


def test_apply_is_pure_and_composes() -> None:
    """A dump is statements applied to an empty schema; applying in two steps is the same."""
    first = "CREATE TABLE a (id integer NOT NULL);\n"
    second = (
        "ALTER TABLE ONLY a ADD CONSTRAINT a_pkey PRIMARY KEY (id);\nCOMMENT ON TABLE a IS 'x';\n"
    )
    empty = empty_schema(PG)
    before = dump_mirror(empty)
    step = run(first)
    both = run(second, base=step)
    assert dump_mirror(empty) == before  # the input is not changed
    assert dump_mirror(both) == dump_mirror(run(first + second))  # type: ignore[arg-type]
    table = both.tables[0]  # type: ignore[attr-defined]
    assert table.primary_key.name == "a_pkey"
    assert table.comment == "x"
    assert not table.columns[0].nullable


def test_default_text_comes_from_the_source_not_from_sqlglot() -> None:
    """sqlglot writes `now()` back as CURRENT_TIMESTAMP; the mirror keeps the source's text."""
    schema = run(
        "CREATE TABLE t (a timestamptz DEFAULT now(), b text DEFAULT lower('X'::text), "
        "c integer GENERATED ALWAYS AS ((a_len * 2)) STORED, a_len integer);\n"
    )
    cols = {c.name: c for c in schema.tables[0].columns}  # type: ignore[attr-defined]
    assert cols["a"].default.name == "now"
    assert cols["c"].generated == "(a_len * 2)"


def test_recognised_dialects() -> None:
    assert detect_dialect("--\n-- PostgreSQL database dump\n--\n") == "postgresql"
    assert detect_dialect("-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB\n") == "mysql"
    assert detect_dialect("CREATE TABLE x (id INTEGER PRIMARY KEY AUTOINCREMENT);\n") == "sqlite"
    assert detect_dialect("CREATE TABLE x (id int);\n") is None


@pytest.mark.parametrize(
    ("sql", "where", "what"),
    [
        ("SET x = 1;\nCREATE TABLE t (\n  a int REFERENCES,\n  b int);\n", "bad.sql:3:19:",
         "cannot parse this CREATE TABLE statement"),
        ("CREATE TABLE t (a int,, b int);\n", "bad.sql:1:23:", "empty item"),
        ("CREATE INDEX i ON missing (a);\n", "bad.sql:1:1:", "table public.missing does not exist"),
        ("CREATE TABLE t (a int);\nCOMMENT ON COLUMN t.b IS 'x';\n", "bad.sql:2:1:",
         "column b of t does not exist"),
        ("CREATE TABLE t (a);\n", "bad.sql:1:17:", "column a has no type"),
    ],
)  # fmt: skip
def test_bad_statement_exits_4_with_place_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sql: str, where: str, what: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.sql").write_text(sql, encoding="utf-8")
    code, err = run_schemasync(
        ["snapshot", "--root", ".", "--ddl", "bad.sql", "--dialect", "postgres",
         "--out", "out.json"]
    )  # fmt: skip
    assert code == 4
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert where in lines[0]
    assert what in lines[0]
    assert "Traceback" not in err
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize(
    ("content", "args", "code", "what"),
    [
        (b"CREATE TABLE t (id int);\n", [], 4, "cannot tell which SQL dialect"),
        (b"CREATE TABLE t (id int);\n", ["--dialect", "oracle"], 2, "not a dialect"),
        (b"CREATE TABLE t (id int);\x00\n", ["--dialect", "mysql"], 4, "binary"),
        (b"CREATE TABLE t (id int) COMMENT='\xff';\n", ["--dialect", "mysql"], 4, "not UTF-8"),
        (None, ["--dialect", "mysql"], 4, "not found"),
    ],
)
def test_bad_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    content: bytes | None,
    args: list[str],
    code: int,
    what: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    if content is not None:
        (tmp_path / "s.sql").write_bytes(content)
    got, err = run_schemasync(["snapshot", "--root", ".", "--ddl", "s.sql", *args])
    assert got == code, err
    assert what in err
    assert len(err.strip().splitlines()) == 1


def test_snapshot_ddl_writes_the_mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.sql").write_text(
        "-- PostgreSQL database dump\nCREATE TABLE public.t (id integer NOT NULL);\n"
        "GRANT SELECT ON public.t TO someone;\n",
        encoding="utf-8",
    )
    code, err = run_schemasync(["snapshot", "--root", ".", "--ddl", "s.sql", "--out", "t.json"])
    assert code == 0, err
    data = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert data["source"]["kind"] == "ddl"
    assert data["source"]["path"] == "s.sql"
    assert [t["name"] for t in data["tables"]] == ["t"]
    assert any("GRANT not modelled" in n["message"] and "line 3" in n["message"]
               for n in data["notes"])  # fmt: skip


def test_only_one_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, err = run_schemasync(["snapshot", "--root", ".", "--ddl", "a.sql", "--url-env", "X"])
    assert code == 2
    assert "exactly one of" in err


def test_read_ddl_schema_filter(tmp_path: Path) -> None:
    (tmp_path / "s.sql").write_text(
        "CREATE SCHEMA a;\nCREATE TABLE a.x (id int);\nCREATE TABLE public.y (id int);\n",
        encoding="utf-8",
    )
    schema = read_ddl(tmp_path / "s.sql", tmp_path, dialect="postgresql", schemas=("a",))
    assert [(t.db_schema, t.name) for t in schema.tables] == [("a", "x")]
    with pytest.raises(SourceError):
        read_ddl(tmp_path / "missing.sql", tmp_path, dialect="postgresql")
