"""Fidelity of the DDL import: a real dump of a real database imports to what native
introspection reads from that database.

For every golden SQL introspection case (`tests/data/sql/<dialect>/<case>/schema.sql`): load it
into the real server (or a SQLite file), dump it with the real `pg_dump --schema-only`,
`mariadb-dump --no-data` or `sqlite3 .schema`, import the dump (`sources.ddl.read_ddl`) and
introspect the same database (`introspect.snapshot_database`), plain and `rich`. The mirrors
must be equal on database facts (tables, views, enums) and notes. The one thing a dump cannot
say — the type of a view column that is an expression (MariaDB's `sum(...)`) — is a note of the
import, and only those columns may be missing from it.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import in_ci
from live_sql import (
    dump_mysql_schema,
    dump_pg_schema,
    dump_sqlite_schema,
    run_mysql_script,
    run_pg_script,
)
from test_introspect_sql import case_schemas, cases

from schemasync.introspect import snapshot_database
from schemasync.model import Schema
from schemasync.sources.ddl import read_ddl

URL_ENV = "SCHEMASYNC_TEST_DDL_FIDELITY_URL"
UNKNOWN_VIEW_COLUMN = "view column: its type is not known from the DDL"


def require_tool(name: str) -> None:
    """Skip when a dump tool is missing, or fail when `CI=true`."""
    if shutil.which(name) is None:
        if in_ci():
            pytest.fail(f"CI=true and {name} is not installed", pytrace=False)
        pytest.skip(f"{name} is not installed")


def facts(schema: Schema, unknown: set[str] = frozenset()) -> dict[str, object]:  # type: ignore[assignment]
    """The database facts of a mirror, without the view columns named in `unknown`."""
    views = [
        v.model_copy(
            update={"columns": tuple(c for c in v.columns if f"{v.name}.{c.name}" not in unknown)}
        )
        for v in schema.views
    ]
    return {
        "tables": [t.model_dump(by_alias=True) for t in schema.tables],
        "views": [v.model_dump(by_alias=True) for v in views],
        "enums": [e.model_dump(by_alias=True) for e in schema.enums],
    }


def compare(live: Schema, imported: Schema) -> None:
    """Equal on database facts and notes, but for the view columns the import notes."""
    unknown = {n.object for n in imported.notes if n.message.startswith(UNKNOWN_VIEW_COLUMN)}
    assert facts(imported) == facts(live, unknown)
    ddl_notes = sorted(
        (n.object, n.message)
        for n in imported.notes
        if n.object != "(ddl)" and not n.message.startswith(UNKNOWN_VIEW_COLUMN)
    )
    assert ddl_notes == sorted((n.object, n.message) for n in live.notes)


def check_both(dump: Path, dialect: str, schemas: tuple[str, ...], root: Path) -> None:
    """Import the dump and introspect the database, plain and rich; compare."""
    for rich in (False, True):
        live = snapshot_database(URL_ENV, schemas=schemas, rich=rich, root=root)
        imported = read_ddl(dump, root, dialect=dialect, rich=rich, schemas=schemas)
        assert imported.source.kind == "ddl"
        compare(live, imported)


Loader = Callable[[str, str], None]
SERVERS: dict[str, tuple[str, Loader, Callable[[str], str], str, pytest.MarkDecorator]] = {
    "postgres": ("pg_url", run_pg_script, dump_pg_schema, "pg_dump", pytest.mark.postgres),
    "mysql": ("mysql_url", run_mysql_script, dump_mysql_schema, "mysqldump", pytest.mark.mysql),
}


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(case, marks=row[4], id=f"{dialect}/{case.name}")
        for dialect, row in SERVERS.items()
        for case in cases(dialect)
    ],
)
def test_server_dump_imports_as_introspected(
    case: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fixture, load, dump_schema, tool, _ = SERVERS[case.parent.name]
    require_tool(tool)
    url: str = request.getfixturevalue(fixture)
    load(url, (case / "schema.sql").read_text(encoding="utf-8"))
    dump = tmp_path / "schema.sql"
    dump.write_text(dump_schema(url), encoding="utf-8")
    monkeypatch.setenv(URL_ENV, url)
    schemas = case_schemas(case) if case.parent.name == "postgres" else ()
    dialect = "postgresql" if case.parent.name == "postgres" else "mysql"
    check_both(dump, dialect, schemas, tmp_path)


@pytest.mark.parametrize("case", cases("sqlite"), ids=lambda p: f"sqlite/{p.name}")
def test_sqlite_schema_imports_as_introspected(
    case: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    require_tool("sqlite3")
    db = tmp_path / "db.sqlite"
    with sqlite3.connect(db) as conn:
        conn.executescript((case / "schema.sql").read_text(encoding="utf-8"))
    conn.close()
    dump = tmp_path / "schema.sql"
    dump.write_text(dump_sqlite_schema(str(db)), encoding="utf-8")
    monkeypatch.setenv(URL_ENV, f"file:{db}")
    check_both(dump, "sqlite", (), tmp_path)
