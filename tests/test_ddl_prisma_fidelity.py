"""Fidelity of the DDL import on what real Prisma creates (issue 16, "What it must show").

For every PostgreSQL and SQLite schema that `test_e2e_fidelity` pushes (the golden Prisma cases
and the shared corpus): real `prisma db push` (6.19.3) into a fresh database, dump it with the
real `pg_dump --schema-only` or `sqlite3 .schema`, import the dump, and compare with native
introspection of the same database, plain and rich: equal on database facts and notes
(`test_ddl_fidelity.compare`). A schema whose push needs an extension the server lacks is
counted, as the e2e test counts it.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from conftest import Summary
from live_sql import dump_pg_schema, dump_sqlite_schema
from test_ddl_fidelity import compare, require_tool
from test_e2e_fidelity import CASES, MISSING_EXTENSION, Case, add_extensions, fresh_url, schemas_of

from schemasync.introspect import snapshot_database
from schemasync.prisma.load import load_prisma
from schemasync.sources.ddl import read_ddl

URL_ENV = "SCHEMASYNC_TEST_DDL_PRISMA_URL"
REPORT = "DDL import of Prisma-pushed databases"


@pytest.mark.node
@pytest.mark.postgres
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_dump_of_pushed_database_imports_as_introspected(
    case: Case,
    prisma_harness: ModuleType,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    summary: Summary,
) -> None:
    imported = load_prisma(case.path, case.root)
    url = fresh_url(imported.provider, request, tmp_path)
    if imported.provider == "postgresql":
        require_tool("pg_dump")
        add_extensions(url, case.path)
    else:
        require_tool("sqlite3")
    failure = None
    try:
        prisma_harness.db_push(case.path, url)
    except prisma_harness.PrismaHarnessError as err:
        failure = str(err)
    if failure is not None:
        # only a missing extension is accepted (as in test_e2e_fidelity); golden cases all push
        assert not case.id.startswith("golden/"), f"prisma db push failed: {failure}"
        assert MISSING_EXTENSION.search(failure), f"prisma db push failed: {failure}"
        summary(REPORT, {"compared": 0, "equal": 0, "not pushable": 1})
        return
    dump = tmp_path / "dump.sql"
    if imported.provider == "postgresql":
        schemas = schemas_of(imported)
        dump.write_text(dump_pg_schema(url), encoding="utf-8")
    else:
        schemas = ()
        db = url.removeprefix("file:")
        dump.write_text(dump_sqlite_schema(db), encoding="utf-8")
    monkeypatch.setenv(URL_ENV, url)
    for rich in (False, True):
        live = snapshot_database(URL_ENV, schemas=schemas or ("public",), rich=rich)
        ddl = read_ddl(dump, tmp_path, dialect=imported.provider, rich=rich, schemas=schemas)
        compare(live, ddl)
    summary(REPORT, {"compared": 1, "equal": 1, "not pushable": 0})
