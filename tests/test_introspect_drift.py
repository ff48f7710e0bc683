"""Drift: a live database compared with the mirror; only database facts count."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import ModuleType

import pytest

from schemasync.introspect import snapshot_database
from schemasync.introspect.drift import drift_changes
from schemasync.mirror import read_mirror
from schemasync.model import ForeignKey, Schema
from schemasync.prisma.load import load_prisma

URL_ENV = "SCHEMASYNC_TEST_DRIFT_URL"
REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "data" / "prisma"


def make_db(path: Path, script: str) -> str:
    """Create a SQLite database at `path` from `script`; return its URL."""
    conn = sqlite3.connect(path)
    conn.executescript(script)
    conn.close()
    return f"file:{path}"


def test_same_database_has_no_drift_and_changes_are_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "dev.db"
    monkeypatch.setenv(
        URL_ENV,
        make_db(db, 'CREATE TABLE "T" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT NOT NULL);'),
    )
    mirror = snapshot_database(URL_ENV)
    assert drift_changes(mirror, snapshot_database(URL_ENV, previous=mirror)) == ()

    conn = sqlite3.connect(db)
    conn.executescript(
        'ALTER TABLE "T" ADD COLUMN "email" TEXT; CREATE INDEX "T_name_idx" ON "T"("name");'
        'CREATE TABLE "U" ("id" INTEGER PRIMARY KEY);'
    )
    conn.close()
    changes = drift_changes(mirror, snapshot_database(URL_ENV, previous=mirror))
    assert [(c.kind, c.object) for c in changes] == [
        ("add_table", "U"),
        ("add_column", "T.email"),
        ("add_index", "T.T_name_idx"),
    ]


def test_relations_prisma_enforces_are_not_drift() -> None:
    """A database shows no relation without a foreign key (`relationMode = "prisma"`): that the
    live database lacks them is not drift; a moved foreign key is, with its schema."""
    case = Path(__file__).parent / "data" / "diff" / "relations"
    mirror = read_mirror(case / "new.json")
    live = mirror.model_copy(update={"relations": ()})
    assert drift_changes(mirror, live) == ()
    moved = live.tables[3].model_copy(
        update={
            "foreign_keys": (
                ForeignKey(
                    name="user_team_id_fkey", columns=("team_id",), referenced_schema="b",
                    referenced_table="team", referenced_columns=("id",),
                    on_delete="CASCADE", on_update="CASCADE",
                ),
            )
        }
    )  # fmt: skip
    assert (moved.db_schema, moved.name) == ("b", "user")
    live = live.model_copy(update={"tables": (*live.tables[:3], moved, *live.tables[4:])})
    assert [(c.kind, c.object, c.new) for c in drift_changes(mirror, live)] == [
        (
            "add_fk",
            "b.user.user_team_id_fkey",
            "(team_id) -> b.team(id) on delete CASCADE on update CASCADE",
        )
    ]


@pytest.mark.node
@pytest.mark.postgres
def test_prisma_mirror_of_a_pushed_database_has_no_drift_until_the_database_changes(
    prisma_harness: ModuleType, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    schema_path = GOLDEN / "pg_enums" / "schema.prisma"
    mirror = load_prisma(schema_path, REPO)
    prisma_harness.db_push(schema_path, pg_url)
    monkeypatch.setenv(URL_ENV, pg_url)
    live = snapshot_database(URL_ENV, previous=mirror)
    # Prisma names (model, field, enum) were carried over; nothing the database states differs
    assert drift_changes(mirror, live) == ()
    assert live.table("Order") is not None

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            b'ALTER TABLE "Order" ALTER COLUMN "priority" SET NOT NULL; '
            b"ALTER TYPE \"Priority\" ADD VALUE 'MEDIUM'; "
            b'ALTER TABLE "Order" DROP COLUMN "history"'
        )
    changes = drift_changes(mirror, snapshot_database(URL_ENV, previous=mirror))
    assert [(c.kind, c.object) for c in changes] == [
        ("remove_column", "public.Order.history"),
        ("modify_nullable", "public.Order.priority"),
        ("modify_enum", "public.Priority"),
    ]


def test_an_unnamed_foreign_key_matches_the_mirrors_by_columns_and_target() -> None:
    from schemasync.introspect.sqlite import introspect_sqlite

    def read(sql: str) -> Schema:
        conn = sqlite3.connect(":memory:")
        conn.executescript("CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT UNIQUE);" + sql)
        return introspect_sqlite(conn)

    named = read(
        'CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER, CONSTRAINT "c_p_id_fkey" '
        "FOREIGN KEY (p_id) REFERENCES p (id));"
    )
    same = read("CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id));")
    assert same.tables[0].foreign_keys[0].name is None
    assert drift_changes(named, same) == ()
    other = read("CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (code));")
    assert sorted(c.kind for c in drift_changes(named, other)) == ["add_fk", "remove_fk"]
