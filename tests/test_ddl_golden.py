"""Golden DDL cases: `tests/data/ddl/<dialect>/<case>/schema.sql` -> expected tables.json.

Each `schema.sql` is a real dump: SQL loaded into PostgreSQL 15 / MariaDB 10.11 / a SQLite file
and dumped with `pg_dump --schema-only` (15.20, `\\restrict` lines included), `mariadb-dump
--no-data` (10.11, `/*!50001 … */` views, `DELIMITER ;;` triggers) and `sqlite3 .schema`; the
`postgresql/handwritten` case is a hand-written structure file. Most cases are dumps of the
introspection goldens (`tests/data/sql/`), whose fidelity `test_ddl_fidelity` checks against
the live databases; `unmodelled`, `shop_full`, `triggers_routines` and `triggers` add what those
do not have (functions, triggers, policies, grants, extensions, domains, composite types,
inline keys, deferrable keys, partial unique indexes, ON UPDATE, FULLTEXT …).

The dialect is recognised from the PostgreSQL and MySQL dumps (their headers); a SQLite
`.schema` has no header and often nothing else that gives it away, so it is given. Regenerate with
`pytest tests/test_ddl_golden.py --update-goldens` and review the git diff.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from schemasync.mirror import dump_mirror, load_mirror
from schemasync.sources.ddl import read_ddl

DATA = Path(__file__).parent / "data" / "ddl"
Golden = Callable[[str, Path], None]
DIALECT_DIRS = ("postgresql", "mysql", "sqlite")


def ddl_cases() -> list[Path]:
    """Every case folder, sorted by dialect then name."""
    return [
        case
        for dialect in DIALECT_DIRS
        for case in sorted((DATA / dialect).iterdir())
        if (case / "schema.sql").is_file()
    ]


@pytest.mark.parametrize("case", ddl_cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_ddl_case(case: Path, golden: Golden) -> None:
    given = case.parent.name if case.parent.name == "sqlite" else None
    schema = read_ddl(case / "schema.sql", case, dialect=given)
    assert schema.provider == case.parent.name
    assert schema.source.kind == "ddl"
    assert schema.source.path == "schema.sql"
    text = dump_mirror(schema)
    golden(text, case / "expected.tables.json")
    # still valid: the mirror loads back to the same bytes, its relations are its foreign keys
    assert dump_mirror(load_mirror(text)) == text
    fks = sorted(
        (t.name, fk.columns, fk.referenced_table) for t in schema.tables for fk in t.foreign_keys
    )
    assert sorted((r.table, r.columns, r.referenced_table) for r in schema.relations) == fks
    # every statement is accounted for: a note per kind not modelled names its lines
    for note in schema.notes:
        if note.object == "(ddl)":
            assert re.search(r" not modelled \(.+\): lines? \d+", note.message), note.message


def test_counts() -> None:
    """The issue's bar: at least 15 PostgreSQL, 10 MySQL and some SQLite cases."""
    count = {d: sum(1 for c in ddl_cases() if c.parent.name == d) for d in DIALECT_DIRS}
    assert count["postgresql"] >= 15
    assert count["mysql"] >= 10
    assert count["sqlite"] >= 3


def notes_of(case: str) -> list[str]:
    """The notes of a golden case's mirror, as `object: message`."""
    schema = load_mirror((DATA / case / "expected.tables.json").read_text(encoding="utf-8"))
    return [f"{n.object}: {n.message}" for n in schema.notes]


@pytest.mark.parametrize(
    ("case", "kinds"),
    [
        (
            "postgresql/unmodelled",
            ("CREATE FUNCTION", "CREATE TRIGGER", "CREATE POLICY", "ROW LEVEL SECURITY", "GRANT",
             "CREATE EXTENSION", "COMMENT ON EXTENSION", "COMMENT ON FUNCTION", "CREATE DOMAIN",
             "CREATE TYPE", "SET", "OWNER TO", "psql"),
        ),
        ("mysql/triggers_routines", ("CREATE TRIGGER", "SET", "column ON UPDATE")),
        ("sqlite/triggers", ("CREATE TRIGGER",)),
    ],
)  # fmt: skip
def test_unmodelled_statements_are_notes(case: str, kinds: tuple[str, ...]) -> None:
    """Never silent: each kind of statement the mirror does not hold is a note, with lines."""
    notes = notes_of(case)
    for kind in kinds:
        assert any(n.startswith(f"(ddl): {kind} not modelled") for n in notes), (kind, notes)
