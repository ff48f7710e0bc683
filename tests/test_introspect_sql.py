"""Golden introspection cases: `tests/data/sql/<dialect>/<case>/schema.sql` -> expected tables.json.

Each PostgreSQL / MariaDB case runs in a fresh, uniquely named database (conftest `pg_url`,
`mysql_url`), dropped afterwards; SQLite cases in a temporary file. A case folder may hold
`schemas.txt` (PostgreSQL schemas to read, one per line; default `public`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from live_sql import run_mysql_script, run_pg_script

from schemasync.introspect import snapshot_database
from schemasync.mirror import dump_mirror, load_mirror
from schemasync.model import Schema

DATA = Path(__file__).parent / "data" / "sql"
URL_ENV = "SCHEMASYNC_TEST_INTROSPECT_URL"
Golden = Callable[[str, Path], None]


def cases(dialect: str) -> list[Path]:
    """Return the case folders of `dialect`, sorted."""
    root = DATA / dialect
    return (
        sorted(p for p in root.iterdir() if (p / "schema.sql").is_file()) if root.is_dir() else []
    )


def case_schemas(case: Path) -> tuple[str, ...]:
    """Return the PostgreSQL schemas a case reads (`schemas.txt`, default `public`)."""
    path = case / "schemas.txt"
    if not path.is_file():
        return ("public",)
    return tuple(s.strip() for s in path.read_text(encoding="utf-8").splitlines() if s.strip())


def check(schema: Schema, case: Path, golden: Golden) -> None:
    """Compare with the golden file, then check the text is a valid, canonical mirror."""
    text = dump_mirror(schema)
    golden(text, case / "expected.tables.json")
    assert dump_mirror(load_mirror(text)) == text
    # each relation is a foreign key of the table it names, both ends with their schemas
    fks = [
        (t.db_schema, t.name, fk.columns, fk.referenced_schema, fk.referenced_table)
        for t in schema.tables
        for fk in t.foreign_keys
    ]
    ends = [
        (r.db_schema, r.table, r.columns, r.referenced_schema, r.referenced_table)
        for r in schema.relations
    ]
    assert sorted(ends, key=str) == sorted(fks, key=str)


#: The server dialects: each case runs in a fresh database of its server (its fixture's URL).
SERVERS = {
    "postgres": ("pg_url", run_pg_script, pytest.mark.postgres),
    "mysql": ("mysql_url", run_mysql_script, pytest.mark.mysql),
}


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(case, marks=mark, id=f"{dialect}/{case.name}")
        for dialect, (_, _, mark) in SERVERS.items()
        for case in cases(dialect)
    ],
)
def test_server_case(
    case: Path, golden: Golden, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixture, run_script, _ = SERVERS[case.parent.name]
    url: str = request.getfixturevalue(fixture)
    run_script(url, (case / "schema.sql").read_text(encoding="utf-8"))
    monkeypatch.setenv(URL_ENV, url)
    schemas = case_schemas(case) if case.parent.name == "postgres" else ()
    check(snapshot_database(URL_ENV, schemas=schemas), case, golden)


@pytest.mark.parametrize("case", cases("sqlite"), ids=lambda p: p.name)
def test_sqlite_case(
    case: Path, tmp_path: Path, golden: Golden, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    db = tmp_path / "dev.db"
    conn = sqlite3.connect(db)
    conn.executescript((case / "schema.sql").read_text(encoding="utf-8"))
    conn.close()
    monkeypatch.setenv(URL_ENV, f"file:{db}")
    check(snapshot_database(URL_ENV), case, golden)


def test_every_server_dialect_has_fifteen_cases() -> None:
    assert len(cases("postgres")) >= 15
    assert len(cases("mysql")) >= 15
    assert len(cases("sqlite")) >= 3
