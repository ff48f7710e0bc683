"""`schemasync pull` and classified `drift` end to end (issue 13, items 1, 2, 3, 7).

A realistic database built from SQL (`tests/data/capture/<dialect>/schema.sql`: partial and
expression indexes, checks, comments, NOT NULL arrays, identity, generated columns, deferrable
foreign keys, two PostgreSQL schemas, a view) -> real `prisma db pull` -> `schemasync sync`:
drift exits 0, every difference `not_mirrored`; -> `schemasync pull` -> `sync`: drift exits 0
with no difference at all. Then a column and a partial index are added: exit 1 naming both, in
text and JSON; an ignore rule silences exactly what it names. The capture and the merged mirror
are golden files.
"""

from __future__ import annotations

import functools
import json
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import GoldenCheck
from live_sql import cli, run_mysql_script, run_pg_script

DATA = Path(__file__).resolve().parent / "data" / "capture"


def project(root: Path, ignore: list[dict[str, Any]] | None = None, **env: Any) -> None:
    """Write the project's db-ssot.json (dev environment, DATABASE_URL)."""
    config: dict[str, Any] = {
        "mode": "database",
        "environments": {"dev": {"urlEnv": "DATABASE_URL", **env}},
    }
    if ignore is not None:
        config["drift"] = {"ignore": ignore}
    path = root / "docs" / "project" / "db-ssot.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def classes(document: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """The JSON document's changes by class: (kind, object)."""
    out: dict[str, list[tuple[str, str]]] = {"drift": [], "not_mirrored": [], "ignored": []}
    for change in document["changes"]:
        out[change["class"]].append((change["kind"], change["object"]))
    return out


def run_scenario(
    root: Path,
    url: str,
    golden: GoldenCheck,
    case: Path,
    alter: str,
    run_sql: Any,
    added: tuple[tuple[str, str], tuple[str, str]],
    dropped: tuple[str, ...] = (),
) -> None:
    """pull-less sync -> drift (all not mirrored) -> pull -> sync -> drift 0 -> alter -> 1.

    `dropped` names the generated columns the Prisma pull leaves out (SQLite): the capture has
    no column to lay them on, so they stay `not_mirrored` (exit 0) after the capture too."""
    leftover = sorted(("add_column", c) for c in dropped)
    first = cli(root, "sync", url=url)
    assert first.returncode == 0, first.stdout + first.stderr
    mirror = json.loads((root / "db/schema/tables.json").read_text(encoding="utf-8"))
    guessed = [c for t in mirror["tables"] for c in t["columns"] if c.get("guessed")]
    assert all(c["list"] for c in guessed)  # item 7: the guesses are marked

    before = cli(root, "drift", "--format", "json", url=url)
    assert before.returncode == 0, before.stdout + before.stderr
    found = classes(json.loads(before.stdout))
    assert found["drift"] == [], found
    assert found["not_mirrored"], "the database has facts the Prisma schema cannot carry"

    pulled = cli(root, "pull", url=url)
    assert pulled.returncode == 0, pulled.stderr
    assert url not in pulled.stdout + pulled.stderr
    facts = (root / "db/schema/database-facts.json").read_text(encoding="utf-8")
    golden(facts, case / "expected.database-facts.json")
    again = cli(root, "pull", url=url)  # deterministic: the same bytes, nothing rewritten
    assert "(unchanged," in again.stdout
    assert (root / "db/schema/database-facts.json").read_text(encoding="utf-8") == facts

    synced = cli(root, "sync", url=url)
    assert synced.returncode == 0, synced.stdout + synced.stderr
    golden(
        (root / "db/schema/tables.json").read_text(encoding="utf-8"), case / "expected.tables.json"
    )
    evidence = sorted((root / ".ai/.tmp/db-sync").glob("*/02-import-prisma-log.md"))[-1]
    assert "Live capture laid on (sha256" in evidence.read_text(encoding="utf-8")
    check = cli(root, "check", url=url)
    assert check.returncode == 0, check.stdout + check.stderr

    clean = cli(root, "drift", url=url)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    summary = f"no drift; {len(dropped)} not mirrored" if dropped else "no drift"
    assert clean.stdout.splitlines()[0].endswith(summary), clean.stdout

    run_sql(alter)
    drifted = cli(root, "drift", url=url)
    assert drifted.returncode == 1, drifted.stdout + drifted.stderr
    for kind, obj in added:
        assert any(kind in ln and obj in ln for ln in drifted.stdout.splitlines()), drifted.stdout
    as_json = cli(root, "drift", "--format", "json", url=url)
    assert as_json.returncode == 1
    found = classes(json.loads(as_json.stdout))
    assert sorted(found["drift"]) == sorted(added), found
    assert sorted(found["not_mirrored"]) == leftover
    assert found["ignored"] == []

    (column_kind, column), (index_kind, index) = added
    rule = {"object": index, "kinds": [index_kind], "reason": "built by the reporting job"}
    project(root, [rule], **env_of(root))
    half = cli(root, "drift", "--format", "json", url=url)
    assert half.returncode == 1
    found = classes(json.loads(half.stdout))
    assert found["drift"] == [(column_kind, column)]
    assert found["ignored"] == [(index_kind, index)]
    assert "built by the reporting job" in half.stdout
    text = cli(root, "drift", url=url)
    assert "ignored (drift.ignore in db-ssot.json):" in text.stdout
    assert "built by the reporting job" in text.stdout

    both = {"object": column, "kinds": [column_kind], "reason": "a migration in review"}
    project(root, [rule, both], **env_of(root))
    quiet = cli(root, "drift", url=url)
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    mirrored = f" {len(dropped)} not mirrored;" if dropped else ""
    assert f"no drift;{mirrored} 2 ignored" in quiet.stdout


def golden_pulled(root: Path, case: Path, golden: GoldenCheck) -> None:
    """The pulled Prisma schema folder is golden too: the standalone merge cases
    (tests/test_capture_golden.py) lay the capture on it."""
    for path in sorted(p for p in (root / "prisma").rglob("*") if p.is_file()):
        golden(
            path.read_text(encoding="utf-8"), case / "prisma" / path.relative_to(root / "prisma")
        )


def env_of(root: Path) -> dict[str, Any]:
    """The dev environment's settings besides urlEnv (to rewrite the config with rules)."""
    config = json.loads((root / "docs/project/db-ssot.json").read_text(encoding="utf-8"))
    dev = dict(config["environments"]["dev"])
    dev.pop("urlEnv")
    return dev


@pytest.mark.postgres
@pytest.mark.node
def test_postgres_realistic_database(
    pg_url: str, tmp_path: Path, golden: GoldenCheck, prisma_harness: ModuleType
) -> None:
    case = DATA / "postgres"
    run_sql = functools.partial(run_pg_script, pg_url)
    run_sql((case / "schema.sql").read_text(encoding="utf-8"))
    root = tmp_path / "shop"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    prisma_harness.db_pull(pg_url, root / "prisma", schemas=["public", "audit"])
    golden_pulled(root, case, golden)
    project(root, schemas=["audit", "public"])
    run_scenario(
        root,
        pg_url,
        golden,
        case,
        "ALTER TABLE orders ADD COLUMN gift_note text;"
        "CREATE INDEX orders_gift_idx ON orders (placed_at) WHERE gift_note IS NOT NULL;",
        run_sql,
        (("add_column", "public.orders.gift_note"), ("add_index", "public.orders.orders_gift_idx")),
    )


@pytest.mark.node
def test_sqlite_realistic_database(
    tmp_path: Path, golden: GoldenCheck, prisma_harness: ModuleType
) -> None:
    """Hand-written SQLite: its foreign keys have no name (Prisma's pull names them
    `{table}_{cols}_fkey`), which is no drift; the deferrable ones are captured."""
    import sqlite3

    case = DATA / "sqlite"
    db = tmp_path / "shop.db"
    url = f"file:{db}"

    def run_sql(text: str) -> None:
        conn = sqlite3.connect(db)
        try:
            conn.executescript(text)
        finally:
            conn.close()

    run_sql((case / "schema.sql").read_text(encoding="utf-8"))
    root = tmp_path / "shop"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    prisma_harness.db_pull(url, root / "prisma")
    golden_pulled(root, case, golden)
    project(root)
    run_scenario(
        root,
        url,
        golden,
        case,
        "ALTER TABLE orders ADD COLUMN gift_note TEXT;"
        "CREATE INDEX orders_gift_idx ON orders (placed_at) WHERE gift_note IS NOT NULL;",
        run_sql,
        (("add_column", "orders.gift_note"), ("add_index", "orders.orders_gift_idx")),
        dropped=("order_lines.line_cents", "products.vat_cents"),
    )
    facts = json.loads((root / "db/schema/database-facts.json").read_text(encoding="utf-8"))
    deferrable = {
        (t["name"], k["name"]): k["deferrable"]
        for t in facts["tables"]
        for k in t.get("foreignKeys", ())
    }
    assert deferrable == {
        ("categories", "parent_id"): "DEFERRABLE INITIALLY DEFERRED",
        ("order_lines", "order_id"): "DEFERRABLE INITIALLY IMMEDIATE",
    }


@pytest.mark.mysql
def test_mariadb_realistic_database(mysql_url: str, tmp_path: Path, golden: GoldenCheck) -> None:
    """Hand-written MariaDB SQL and a hand-written Prisma schema for it (Prisma cannot pull
    MySQL here): comments, checks and generated columns come from the capture."""

    case = DATA / "mariadb"
    run_sql = functools.partial(run_mysql_script, mysql_url)
    run_sql((case / "schema.sql").read_text(encoding="utf-8"))
    root = tmp_path / "shop"
    (root / "prisma").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "prisma" / "schema.prisma").write_text(
        (case / "prisma" / "schema.prisma").read_text(encoding="utf-8"), encoding="utf-8"
    )
    project(root)
    run_scenario(
        root,
        mysql_url,
        golden,
        case,
        "ALTER TABLE orders ADD COLUMN gift_note TEXT NULL;"
        "CREATE INDEX orders_gift_idx ON orders (placed_at, total_cents);",
        run_sql,
        (("add_column", "orders.gift_note"), ("add_index", "orders.orders_gift_idx")),
    )


def test_ignore_rules_are_validated(tmp_path: Path) -> None:
    from schemasync.config import load_config
    from schemasync.errors import ConfigError

    text = (
        '{"mode": "database",\n "drift": {"ignore": [\n'
        '  {"object": "public.audit_*", "kinds": ["add_indx"], "reason": "x"}]}}'
    )
    with pytest.raises(
        ConfigError, match=r"db-ssot.json:3:\d+: .*'add_indx'; did you mean 'add_index'"
    ):
        load_config(text)
    with pytest.raises(
        ConfigError, match=r":3:\d+: unknown key 'drift.ignore.0.reasn'; did you mean 'reason'"
    ):
        load_config(text.replace('"reason"', '"reasn"').replace("add_indx", "add_index"))
    with pytest.raises(ConfigError, match=r":2:\d+: missing required key 'drift.ignore.0.reason'"):
        load_config(text.replace(', "reason": "x"', "").replace("add_indx", "add_index"))
    rules = load_config(text.replace("add_indx", "add_index")).drift.ignore
    assert rules[0].kinds == ("add_index",)


def test_sqlite_rich_introspection_reads_the_stored_sql() -> None:
    import sqlite3

    from schemasync.facts import facts_of
    from schemasync.introspect.sqlite import introspect_sqlite

    conn = sqlite3.connect(":memory:")
    conn.executescript(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT NOT NULL, "
        "price INTEGER NOT NULL CHECK (price >= 0), "
        "vat INTEGER GENERATED ALWAYS AS (price / 5) STORED, deleted INTEGER, "
        "CONSTRAINT email_ok CHECK (instr(email, '@') > 1));"
        "CREATE UNIQUE INDEX t_email_live ON t (lower(email)) WHERE deleted IS NULL;"
        "CREATE INDEX t_price_idx ON t (price DESC) WHERE price > 100;"
        "CREATE INDEX t_email_idx ON t (email);"
    )
    plain = introspect_sqlite(conn)
    assert [i.name for i in plain.tables[0].indexes] == ["t_email_idx", "t_price_idx"]
    facts = facts_of(introspect_sqlite(conn, rich=True), environment="dev", prisma_sha256=None)
    (table,) = facts.tables
    assert [(c.name, c.expression) for c in table.checks] == [
        ("email_ok", "(instr(email, '@') > 1)"),
        ("t_check1", "(price >= 0)"),
    ]
    assert [(c.name, c.generated) for c in table.columns] == [("id", None), ("vat", "price / 5")]
    assert table.columns[0].autoincrement is False  # a rowid alias without AUTOINCREMENT
    live, partial = table.indexes
    assert (live.name, live.predicate, live.unique) == ("t_email_live", "deleted IS NULL", True)
    assert [(c.name, c.expression) for c in live.columns] == [("lower(email)", True)]
    assert (partial.predicate, partial.columns[0].sort) == ("price > 100", "desc")


def test_a_capture_drops_only_the_operator_class_notes_it_answers() -> None:
    import sqlite3

    from schemasync.facts import DatabaseFacts, TableFacts, lay_facts
    from schemasync.introspect.sqlite import introspect_sqlite
    from schemasync.model import Index, IndexColumn, Note, operator_class_note

    conn = sqlite3.connect(":memory:")
    conn.executescript("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT);")
    notes = tuple(
        Note(object=f"t.{c}", message=operator_class_note("text_pattern_ops")) for c in "ab"
    )
    schema = introspect_sqlite(conn).model_copy(update={"notes": notes})
    index = Index(name="t_a_idx", columns=(IndexColumn(name="a", opclass="text_pattern_ops"),))
    facts = DatabaseFacts(
        environment="dev", provider="sqlite", tables=(TableFacts(name="t", indexes=(index,)),)
    )
    laid = lay_facts(schema, facts, "0" * 64)
    assert [n.object for n in laid.notes] == ["t.b"]  # b's index is not in the capture
    none = lay_facts(schema, facts.model_copy(update={"tables": ()}), "0" * 64)
    assert none.notes == notes
