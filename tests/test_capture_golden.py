"""Golden capture cases per dialect (issue 13): without the CLI, Prisma or node.

Each case in `tests/data/capture/<dialect>/` holds the database as SQL (`schema.sql`), its
Prisma schema (`prisma/`: pulled by `prisma db pull` for PostgreSQL and SQLite, hand-written
for MariaDB), the capture (`expected.database-facts.json`) and the mirror
(`expected.tables.json`). Two standalone checks per dialect:

- capture: the SQL, run into a fresh database, read as `schemasync pull` reads it (rich,
  read-only), gives the capture golden byte for byte;
- merge: the Prisma schema with the capture laid on gives the mirror golden byte for byte.

The e2e tests (`tests/test_e2e_capture.py`) write the same goldens through the command line,
so the two routes must agree.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import GoldenCheck
from live_sql import run_mysql_script

from schemasync.facts import (
    ColumnFacts,
    DatabaseFacts,
    ForeignKeyFacts,
    TableFacts,
    ViewFacts,
    derive_mirror,
    dump_facts,
    facts_of,
    facts_sha256,
    load_facts,
)
from schemasync.introspect import snapshot_database
from schemasync.mirror import canonical_json, dump_mirror
from schemasync.model import Check, Index, IndexColumn, LiteralDefault
from schemasync.prisma.load import load_prisma
from schemasync.sources.prisma import read_prisma_sources

DATA = Path(__file__).resolve().parent / "data" / "capture"
DIALECTS = ("mariadb", "postgres", "sqlite")


def stage(case: Path, root: Path) -> Path:
    """Copy the case's Prisma folder into a project at `root`; return the schema's path."""
    shutil.copytree(case / "prisma", root / "prisma")
    return root / "prisma" / "schema.prisma"


def capture(case: Path, root: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Read the database at `url` as `schemasync pull` does; return the capture's text."""
    schema = stage(case, root)
    monkeypatch.setenv("SS_CAPTURE_URL", url)
    live = snapshot_database(
        "SS_CAPTURE_URL", schemas=("audit", "public"), base=schema.parent, root=root, rich=True
    )
    facts = facts_of(
        live,
        environment="dev",
        prisma_sha256=read_prisma_sources(schema, root).sha256,
        schemas=tuple(sorted({t.db_schema for t in live.tables if t.db_schema})),
    )
    return dump_facts(facts)


def test_every_dialect_has_a_case() -> None:
    assert sorted(p.name for p in DATA.iterdir() if p.is_dir()) == list(DIALECTS)
    for dialect in DIALECTS:
        names = {p.name for p in (DATA / dialect).iterdir()}
        assert {"schema.sql", "prisma", "expected.database-facts.json"} <= names, dialect
        assert "expected.tables.json" in names, dialect


@pytest.mark.parametrize("dialect", DIALECTS)
def test_merge_golden(dialect: str, tmp_path: Path, golden: GoldenCheck) -> None:
    case = DATA / dialect
    schema = load_prisma(stage(case, tmp_path), tmp_path)
    text = (case / "expected.database-facts.json").read_text(encoding="utf-8")
    mirror = derive_mirror(schema, load_facts(text), facts_sha256(text))
    golden(dump_mirror(mirror), case / "expected.tables.json")
    assert any(t.captured or t.checks for t in mirror.tables)  # the capture laid something


def test_sqlite_capture_golden(
    tmp_path: Path, golden: GoldenCheck, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = DATA / "sqlite"
    db = tmp_path / "shop.db"
    conn = sqlite3.connect(db)
    conn.executescript((case / "schema.sql").read_text(encoding="utf-8"))
    conn.close()
    golden(
        capture(case, tmp_path / "shop", f"file:{db}", monkeypatch),
        case / "expected.database-facts.json",
    )


@pytest.mark.postgres
def test_postgres_capture_golden(
    pg_url: str, tmp_path: Path, golden: GoldenCheck, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    case = DATA / "postgres"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute((case / "schema.sql").read_text(encoding="utf-8").encode())
    golden(capture(case, tmp_path, pg_url, monkeypatch), case / "expected.database-facts.json")


@pytest.mark.mysql
def test_mariadb_capture_golden(
    mysql_url: str, tmp_path: Path, golden: GoldenCheck, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = DATA / "mariadb"
    run_mysql_script(mysql_url, (case / "schema.sql").read_text(encoding="utf-8"))
    golden(capture(case, tmp_path, mysql_url, monkeypatch), case / "expected.database-facts.json")


def test_fast_dump_equals_sorted_json_dumps() -> None:
    """`dump_facts` relies on the capture's models declaring their fields in sorted JSON order:
    a capture with every field set, non-ASCII and control characters included, dumps as the
    sorted, indented `json.dumps` would; so does every golden capture."""
    column = ColumnFacts(
        name="tags",
        autoincrement=False,
        comment="étiquettes\tand \x01 \u2028 tags",
        default=LiteralDefault(value="{}"),
        generated="lower(name)",
        identity="BY DEFAULT",
        list=True,
        nullable=True,
    )
    index = Index(
        name="t_lower",
        unique=True,
        type="gin",
        predicate="deleted_at IS NULL",
        columns=(IndexColumn(name="lower(name)", expression=True, sort="desc", opclass="x_ops"),),
    )
    facts = DatabaseFacts(
        environment="dev",
        prisma_sha256="ab" * 32,
        provider="postgresql",
        schemas=("audit", "public"),
        tables=(
            TableFacts(
                name="t",
                db_schema="public",
                comment='a "quoted" comment\n',
                checks=(Check(name="t_check", expression="(n > 0)"),),
                columns=(column,),
                indexes=(index,),
                foreign_keys=(ForeignKeyFacts(name="t_fk", deferrable="DEFERRABLE"),),
            ),
        ),
        views=(ViewFacts(name="v", db_schema="audit", comment="c", definition="SELECT 1"),),
    )
    assert dump_facts(facts) == canonical_json(facts)
    for dialect in DIALECTS:
        text = (DATA / dialect / "expected.database-facts.json").read_text(encoding="utf-8")
        assert dump_facts(load_facts(text)) == canonical_json(load_facts(text)) == text
