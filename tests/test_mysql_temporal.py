"""MySQL and MariaDB spell a temporal type of precision 0 without it (`timestamp`, not
`timestamp(0)`): the import of `@db.Timestamp(0)` must say what the database says, or `drift`
reports changes that do not exist (issue 13, item 6).

No Wasm schema engine has a MySQL connector (tools/prisma/README.md), so the table is created
with the DDL `prisma db push` writes for the golden case `mysql_temporal_precision`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from live_sql import run_mysql_script

from schemasync.introspect import snapshot_database
from schemasync.introspect.drift import drift_changes
from schemasync.prisma.load import load_prisma

CASE = Path(__file__).parent / "data" / "prisma" / "mysql_temporal_precision"
URL_ENV = "SCHEMASYNC_TEST_TEMPORAL_URL"

#: What `prisma migrate diff --from-empty --to-schema-datamodel` writes for the case (Prisma 6).
DDL = """
CREATE TABLE `Event` (
    `id` INTEGER NOT NULL,
    `createdAt` TIMESTAMP(0) NOT NULL DEFAULT CURRENT_TIMESTAMP(0),
    `updatedAt` DATETIME(0) NOT NULL,
    `startsAt` TIME(0) NOT NULL,
    `loggedAt` DATETIME(0) NOT NULL DEFAULT '2020-01-02 03:04:05',
    `exactAt` TIMESTAMP(3) NOT NULL,
    `plain` DATETIME NOT NULL,
    `precise` TIME(6) NOT NULL,
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci
"""


@pytest.mark.mysql
def test_precision_zero_is_spelled_as_the_database_does(
    mysql_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_mysql_script(mysql_url, DDL)
    imported = load_prisma(CASE / "schema.prisma", CASE)
    monkeypatch.setenv(URL_ENV, mysql_url)
    live = snapshot_database(URL_ENV, previous=imported)
    types = {c.name: c.db_type for c in live.tables[0].columns}
    assert types == {c.name: c.db_type for c in imported.tables[0].columns}
    assert types["createdAt"] == "timestamp"
    assert types["exactAt"] == "timestamp(3)"
    assert drift_changes(imported, live) == ()
