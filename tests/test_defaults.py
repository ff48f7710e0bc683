"""Catalog default text / `dbgenerated("...")` -> the mirror's normalized Default.

The same function serves the Prisma import and native introspection, so every row here is a
promise both sides rely on: the left column is what a catalog (pg_attrdef, sqlite_master,
information_schema) or a `dbgenerated` string says.
"""

from __future__ import annotations

import pytest

from schemasync.model import ExpressionDefault, FunctionDefault, LiteralDefault
from schemasync.sql.defaults import is_autoincrement_default, normalize_default

L, F, E = LiteralDefault, FunctionDefault, ExpressionDefault


@pytest.mark.parametrize(
    ("sql", "dialect", "expected"),
    [
        # literals, with the casts PostgreSQL adds dropped
        ("'PENDING'::\"OrderStatus\"", "postgresql", L(value="PENDING")),
        ("'ACTIVE'::public.status", "postgresql", L(value="ACTIVE")),
        ("'x'::text", "postgresql", L(value="x")),
        ("'it''s'::text", "postgresql", L(value="it's")),
        ("''::text", "postgresql", L(value="")),
        ("'{}'::jsonb", "postgresql", L(value="{}")),
        ("'-1'::integer", "postgresql", L(value="-1")),
        ("-1", "postgresql", L(value="-1")),
        ("0", "postgresql", L(value="0")),
        ("1.50", "postgresql", L(value="1.50")),
        ("true", "postgresql", L(value="true")),
        ("false", "sqlite", L(value="false")),
        ("'hello'", "sqlite", L(value="hello")),
        (
            "'2020-01-01 00:00:00'::timestamp without time zone",
            "postgresql",
            L(value="2020-01-01 00:00:00"),
        ),
        ("((0))", "sqlserver", L(value="0")),
        ("('x')", "sqlserver", L(value="x")),
        # now
        ("CURRENT_TIMESTAMP", "postgresql", F(name="now")),
        ("now()", "postgresql", F(name="now")),
        ("CURRENT_TIMESTAMP", "sqlite", F(name="now")),
        ("(datetime('now'))", "sqlite", F(name="now")),
        ("CURRENT_TIMESTAMP(3)", "mysql", F(name="now")),
        ("current_timestamp(3)", "mysql", F(name="now")),
        ("getdate()", "sqlserver", F(name="now")),
        # expressions: sqlglot's spelling, constants' casts dropped
        ("gen_random_uuid()", "postgresql", E(sql="GEN_RANDOM_UUID()")),
        ("CURRENT_DATE", "postgresql", E(sql="CURRENT_DATE")),
        ("ARRAY['a'::text]", "postgresql", E(sql="ARRAY['a']")),
        ("ARRAY[1, 2]", "postgresql", E(sql="ARRAY[1, 2]")),
        ("ARRAY[]::text[]", "postgresql", E(sql="ARRAY[]")),
        ("lower('ABC'::text)", "postgresql", E(sql="LOWER('ABC')")),
        ("(lower('X'))", "sqlite", E(sql="LOWER('X')")),
        ("(1 + 2)", "sqlite", E(sql="1 + 2")),
        ("(((  broken", "postgresql", E(sql="((( broken")),
    ],
)
def test_normalize_default(sql: str, dialect: str, expected: object) -> None:
    """Catalog text -> literal / function / expression."""
    assert normalize_default(sql, dialect) == expected


@pytest.mark.parametrize(
    "sql", [None, "", "   ", "NULL", "NULL::character varying", "nextval('x_seq'::regclass)"]
)
def test_no_default(sql: str | None) -> None:
    """Nothing, NULL and sequences give no default."""
    assert normalize_default(sql, "postgresql") is None


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("nextval('\"User_id_seq\"'::regclass)", True),
        ("nextval('public.\"User_id_seq\"'::regclass)", True),
        ("NEXTVAL('orders_id_seq')", True),
        ("unique_rowid()", True),
        ("(nextval('s'))", True),
        ("gen_random_uuid()", False),
        ("0", False),
        (None, False),
    ],
)
def test_autoincrement(sql: str | None, expected: bool) -> None:
    """Sequences (and CockroachDB's unique_rowid) mean an auto-incrementing column."""
    assert is_autoincrement_default(sql, "postgresql") is expected


@pytest.mark.parametrize(
    ("catalog", "dbgenerated"),
    [
        ("gen_random_uuid()", "gen_random_uuid()"),
        ("lower('ABC'::text)", "lower('ABC')"),
        ("to_tsvector('english'::regconfig, ''::text)", "to_tsvector('english', '')"),
    ],
)
def test_catalog_and_dbgenerated_agree(catalog: str, dbgenerated: str) -> None:
    """What the catalog says after db push equals what the schema's dbgenerated says."""
    assert normalize_default(catalog, "postgresql") == normalize_default(dbgenerated, "postgresql")


def test_sqlglot_is_not_imported_at_module_level() -> None:
    """The CLI imports this module at startup: sqlglot must load only when used."""
    import subprocess
    import sys

    code = "import sys, schemasync.sql.defaults; print('sqlglot' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_what_a_dialect_cannot_say_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    """sqlglot logs what a dialect cannot express ("Arrays are not supported by MySQL") on
    stderr: a second line beside a command's one-line error. The default is read silently."""
    from schemasync.sql.defaults import read_default

    read = read_default("ARRAY[1,2]", "mysql")
    assert read.default is not None
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


PLAIN_DEFAULTS = (
    "0", "-1", "1.50", "007", "-0", "true", "FALSE", "CURRENT_TIMESTAMP", "current_timestamp()",
    "CURRENT_TIMESTAMP(3)", "'x'", "''", "'it''s'", "'%@%'", "'a \"b\"'",
)  # fmt: skip
PLAIN_PG_DEFAULTS = (
    "now()", "NOW()", "'S9_0'::\"Status9\"", "'{}'::text[]", "'{}'::integer[][]",
    "'a'::character varying", "'2020-01-01 00:00:00'::timestamp without time zone",
    "'1.5'::numeric(10,2)", "'1.5'::numeric(10, 2)", "'-1'::integer", "'P'::\"OrderStatus\"",
)  # fmt: skip
CASES = [(s, d) for s in PLAIN_DEFAULTS for d in ("postgresql", "mysql", "sqlite")]
CASES += [(s, d) for s in PLAIN_PG_DEFAULTS for d in ("postgresql", "cockroachdb")]


@pytest.mark.parametrize(("sql", "dialect"), CASES)
def test_plain_defaults_read_without_sqlglot_as_sqlglot_reads_them(sql: str, dialect: str) -> None:
    from schemasync.sql.defaults import _normalized, _plain_default, sqlglot_dialect

    plain = _plain_default(sql, dialect)
    assert plain is not None, "a plain default"
    assert plain == _normalized(sql.strip(), sqlglot_dialect(dialect))


@pytest.mark.parametrize("sql", PLAIN_PG_DEFAULTS)
@pytest.mark.parametrize("dialect", ["mysql", "sqlite"])
def test_casts_and_now_are_plain_only_in_postgres(sql: str, dialect: str) -> None:
    from schemasync.sql.defaults import _plain_default

    assert _plain_default(sql, dialect) is None


@pytest.mark.parametrize(
    "sql", ["'a\\b'", "'x' || 'y'", "0::bigint", "1e5", "gen_random_uuid()", "(0)", '"x"']
)
def test_other_defaults_go_through_sqlglot(sql: str) -> None:
    from schemasync.sql.defaults import _plain_default

    for dialect in ("postgresql", "mysql", "sqlite"):
        assert _plain_default(sql, dialect) is None


def test_plain_defaults_do_not_import_sqlglot() -> None:
    """A catalog of plain defaults (most are) is read without sqlglot's ~0.2 s import."""
    import subprocess
    import sys

    code = (
        "import sys; from schemasync.sql.defaults import normalize_default as n; "
        "[n(s, d) for s in ('CURRENT_TIMESTAMP', '0', 'true', \"'x'\") "
        "for d in ('mysql', 'sqlite')]; "
        "[n(s, 'postgresql') for s in ('now()', \"'x'::text\", \"'{}'::text[]\", 'false')]; "
        "print('sqlglot' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
