"""Live-database promises of introspection: read-only, set-based, one-line redacted errors,
Prisma names carried over from the previous mirror."""

from __future__ import annotations

import socket
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from schemasync.errors import ConfigError, DatabaseError, ExitCode
from schemasync.introspect import INTROSPECTORS, snapshot_database
from schemasync.introspect import mysql as my_introspect
from schemasync.introspect import postgres as pg_introspect
from schemasync.introspect import sqlite as lite_introspect
from schemasync.mirror import dump_mirror
from schemasync.model import Column, Schema, Source, Table, View

URL_ENV = "SCHEMASYNC_TEST_LIVE_URL"


def with_user(url: str, user: str, password: str | None = None) -> str:
    """Return `url` with another user (and password)."""
    parts = urlsplit(url)
    auth = user + (f":{password}" if password else "")
    netloc = f"{auth}@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


# ------------------------------------------------------------------- query counting


class CountingPg:
    """A real psycopg (or sqlite3) connection that counts the statements run through it."""

    def __init__(self, conn: Any) -> None:
        self.conn, self.count = conn, 0

    def execute(self, query: Any, params: Any = None) -> Any:
        self.count += 1
        return self.conn.execute(query) if params is None else self.conn.execute(query, params)


class CountingMy:
    """A real PyMySQL connection whose cursors count the statements run through them."""

    def __init__(self, conn: Any) -> None:
        self.conn, self.count = conn, 0

    def cursor(self) -> Any:
        outer = self

        class Cursor:
            def __init__(self) -> None:
                self.cur = outer.conn.cursor()

            def __enter__(self) -> Cursor:
                return self

            def __exit__(self, *exc: object) -> None:
                self.cur.close()

            def execute(self, query: str) -> Any:
                outer.count += 1
                return self.cur.execute(query)

            def fetchone(self) -> Any:
                return self.cur.fetchone()

            def fetchall(self) -> Any:
                return self.cur.fetchall()

        return Cursor()


def pg_ddl(n: int) -> str:
    """Return DDL for `n` related tables with enums, indexes, FKs, comments and a view each 10."""
    out = ["CREATE TYPE kind AS ENUM ('a', 'b');"]
    for i in range(n):
        ref = f", parent_id integer REFERENCES t{i - 1} (id)" if i else ""
        out.append(
            f"CREATE TABLE t{i} (id serial PRIMARY KEY, name varchar(50) NOT NULL UNIQUE, "
            f"k kind DEFAULT 'a', created timestamp(3) DEFAULT now(){ref}, CHECK (id > 0));"
            f"CREATE INDEX t{i}_created_idx ON t{i} (created DESC);"
            f"COMMENT ON TABLE t{i} IS 'table {i}';"
        )
        if i % 10 == 0:
            out.append(f"CREATE VIEW v{i} AS SELECT id FROM t{i};")
    return "\n".join(out)


def my_ddl(n: int) -> list[str]:
    """Return MariaDB statements for `n` related tables with indexes and FKs."""
    out = []
    for i in range(n):
        ref = (
            f", parent_id int, CONSTRAINT t{i}_fk FOREIGN KEY (parent_id) REFERENCES t{i - 1} (id)"
            if i
            else ""
        )
        out.append(
            f"CREATE TABLE t{i} (id int AUTO_INCREMENT PRIMARY KEY, "
            "name varchar(50) NOT NULL UNIQUE, "
            f"k enum('a','b') DEFAULT 'a', created datetime(3) DEFAULT CURRENT_TIMESTAMP(3), "
            "price int NOT NULL DEFAULT 0 CHECK (price >= 0), vat int AS (price / 5) PERSISTENT, "
            f"INDEX t{i}_created_idx (created){ref}) COMMENT 'table {i}'"
        )
    return out


@pytest.mark.postgres
def test_postgres_query_count_does_not_grow_with_tables(pg_admin_url: str) -> None:
    import psycopg
    from psycopg import sql

    counts: dict[tuple[int, bool], int] = {}
    for n in (10, 200):
        name = f"ss_test_count_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(pg_admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        url = urlunsplit(urlsplit(pg_admin_url)._replace(path=f"/{name}"))
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(pg_ddl(n).encode())
            for rich in (False, True):  # `pull` and `drift` read rich: the same queries
                conn = pg_introspect.connect(url, 30.0)
                try:
                    counting = CountingPg(conn)
                    schema = pg_introspect.introspect_postgres(
                        counting, schemas=("public",), rich=rich
                    )
                finally:
                    conn.close()
                assert len(schema.tables) == n
                assert len(schema.views) == (n + 9) // 10
                counts[n, rich] = counting.count
        finally:
            with psycopg.connect(pg_admin_url, autocommit=True) as admin:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
    assert set(counts.values()) == {len(pg_introspect.QUERIES)}


@pytest.mark.slow
@pytest.mark.mysql
def test_mysql_query_count_does_not_grow_with_tables(mysql_admin_url: str) -> None:
    import pymysql  # type: ignore[import-untyped]

    parts = urlsplit(mysql_admin_url)
    counts: dict[tuple[int, bool], int] = {}
    for n in (10, 200):
        name = f"ss_test_count_{uuid.uuid4().hex[:8]}"
        admin = pymysql.connect(
            host=parts.hostname, port=parts.port or 3306, user=parts.username or "root",
            password=parts.password or "", autocommit=True,
        )  # fmt: skip
        try:
            with admin.cursor() as cur:
                cur.execute(f"CREATE DATABASE `{name}`")
                cur.execute(f"USE `{name}`")
                for stmt in my_ddl(n):
                    cur.execute(stmt)
            url = urlunsplit(parts._replace(path=f"/{name}"))
            for rich in (False, True):  # `pull` and `drift` read rich: the same queries
                conn = my_introspect.connect(url, 30.0)
                try:
                    counting = CountingMy(conn)
                    schema = my_introspect.introspect_mysql(counting, rich=rich)
                finally:
                    conn.close()
                assert len(schema.tables) == n
                assert all(bool(t.checks) == rich for t in schema.tables)
                vat = [t.column("vat") for t in schema.tables]
                assert all(c is not None and bool(c.generated) == rich for c in vat)
                counts[n, rich] = counting.count
        finally:
            with admin.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
            admin.close()
    assert set(counts.values()) == {len(my_introspect.QUERIES) + 1}  # + SELECT VERSION()


def test_sqlite_query_count_does_not_grow_with_tables(tmp_path: Path) -> None:
    counts = {}
    for n in (10, 200):
        db = tmp_path / f"{n}.db"
        conn = sqlite3.connect(db)
        conn.executescript(
            "".join(
                f"CREATE TABLE t{i} (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE"
                + (f", p INTEGER REFERENCES t{i - 1}(id));" if i else ");")
                + f"CREATE INDEX t{i}_name_idx ON t{i}(name DESC);"
                for i in range(n)
            )
        )
        conn.close()
        ro = lite_introspect.connect(f"file:{db}", 5.0)
        counting = CountingPg(ro)  # sqlite3 has the same `execute`
        schema = lite_introspect.introspect_sqlite(counting)
        ro.close()
        assert len(schema.tables) == n
        counts[n] = counting.count
    assert counts[10] == counts[200] == len(lite_introspect.QUERIES)


# ------------------------------------------------------------------- read-only


@pytest.fixture
def pg_readonly_url(pg_url: str) -> Iterator[str]:
    """A role with only CONNECT on the database and SELECT on its tables (no write right)."""
    import psycopg
    from psycopg import sql

    role = f"ss_ro_{uuid.uuid4().hex[:10]}"
    database = urlsplit(pg_url).path.lstrip("/")
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            (Path(__file__).parent / "data/sql/postgres/prisma_shop/schema.sql")
            .read_text()
            .encode()
        )
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        conn.execute(
            sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(database))
        )
        conn.execute(sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
        conn.execute(
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(database), sql.Identifier(role)
            )
        )
        conn.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(sql.Identifier(role)))
        conn.execute(
            sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}").format(
                sql.Identifier(role)
            )
        )
    try:
        yield with_user(pg_url, role)
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
            conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM {}").format(
                sql.Identifier(database), sql.Identifier(role)))  # fmt: skip
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@pytest.mark.postgres
def test_postgres_select_only_role_introspects_the_same(
    pg_readonly_url: str, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(URL_ENV, pg_readonly_url)
    as_reader = snapshot_database(URL_ENV)
    monkeypatch.setenv(URL_ENV, pg_url)
    as_owner = snapshot_database(URL_ENV)
    assert len(as_reader.tables) == 5
    assert dump_mirror(as_reader) == dump_mirror(as_owner)


@pytest.mark.postgres
def test_postgres_connection_is_in_a_read_only_transaction(pg_url: str) -> None:
    import psycopg

    conn = pg_introspect.connect(pg_url, 10.0)
    try:
        assert conn.execute("SHOW transaction_read_only").fetchone()[0] == "on"
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("CREATE TABLE must_not_exist (id integer)")
    finally:
        conn.rollback()
        conn.close()


@pytest.mark.postgres
def test_postgres_role_without_connect_is_a_database_error(
    pg_readonly_url: str, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg
    from psycopg import sql

    role = urlsplit(pg_readonly_url).username or ""
    database = urlsplit(pg_url).path.lstrip("/")
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("REVOKE CONNECT ON DATABASE {} FROM {}").format(
                sql.Identifier(database), sql.Identifier(role)
            )
        )
    monkeypatch.setenv(URL_ENV, pg_readonly_url)
    with pytest.raises(DatabaseError) as info:
        snapshot_database(URL_ENV)
    assert "permission denied" in info.value.message
    assert "\n" not in info.value.message


@pytest.fixture
def mysql_readonly_url(mysql_url: str) -> Iterator[str]:
    """A MariaDB user with only SELECT on the test database."""
    import pymysql

    parts = urlsplit(mysql_url)
    database = parts.path.lstrip("/")
    user = f"ss_ro_{uuid.uuid4().hex[:10]}"
    admin = pymysql.connect(
        host=parts.hostname, port=parts.port or 3306, user=parts.username or "root",
        password=parts.password or "", database=database, autocommit=True,
    )  # fmt: skip
    try:
        with admin.cursor() as cur:
            for stmt in my_ddl(3):
                cur.execute(stmt)
            cur.execute(f"CREATE USER '{user}'@'%' IDENTIFIED BY 'ro-Secret-9'")
            cur.execute(f"CREATE USER '{user}'@'localhost' IDENTIFIED BY 'ro-Secret-9'")
            cur.execute(f"GRANT SELECT ON `{database}`.* TO '{user}'@'%'")
            cur.execute(f"GRANT SELECT ON `{database}`.* TO '{user}'@'localhost'")
        yield with_user(mysql_url, user, "ro-Secret-9")
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP USER IF EXISTS '{user}'@'%'")
            cur.execute(f"DROP USER IF EXISTS '{user}'@'localhost'")
        admin.close()


@pytest.mark.mysql
def test_mysql_read_only_user_introspects_the_same(
    mysql_readonly_url: str, mysql_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SELECT only: MariaDB hides the FK actions, which is a one-line privilege error ...
    monkeypatch.setenv(URL_ENV, mysql_readonly_url)
    with pytest.raises(DatabaseError) as info:
        snapshot_database(URL_ENV)
    assert "missing privilege" in info.value.message
    assert "REFERENCES" in info.value.message
    assert "ro-Secret-9" not in info.value.message
    # ... and SELECT + REFERENCES (still no write right) reads everything
    import pymysql

    parts = urlsplit(mysql_url)
    user = urlsplit(mysql_readonly_url).username
    admin = pymysql.connect(host=parts.hostname, port=parts.port or 3306, user=parts.username,
                            password=parts.password or "", autocommit=True)  # fmt: skip
    with admin.cursor() as cur:
        for host in ("%", "localhost"):
            cur.execute(f"GRANT REFERENCES ON `{parts.path.lstrip('/')}`.* TO '{user}'@'{host}'")
    admin.close()
    as_reader = snapshot_database(URL_ENV)
    monkeypatch.setenv(URL_ENV, mysql_url)
    as_owner = snapshot_database(URL_ENV)
    assert len(as_reader.tables) == 3
    assert dump_mirror(as_reader) == dump_mirror(as_owner)


@pytest.mark.mysql
def test_mysql_connection_is_in_a_read_only_transaction(mysql_url: str) -> None:
    import pymysql

    conn = my_introspect.connect(mysql_url, 10.0)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
            with pytest.raises(pymysql.err.OperationalError, match="READ ONLY"):
                cur.execute("CREATE TEMPORARY TABLE x (a int)")
    finally:
        conn.close()


@pytest.mark.mysql
def test_mysql_wrong_password_is_redacted(
    mysql_readonly_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = mysql_readonly_url.replace("ro-Secret-9", "wrong-Secret-7")
    monkeypatch.setenv(URL_ENV, bad)
    with pytest.raises(DatabaseError) as info:
        snapshot_database(URL_ENV)
    message = info.value.message
    assert "wrong-Secret-7" not in message
    assert "****" in message
    assert "authentication failed" in message
    assert info.value.exit_code == ExitCode.DATABASE


@pytest.mark.mysql
def test_mysql_missing_database(mysql_admin_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    url = urlunsplit(urlsplit(mysql_admin_url)._replace(path="/ss_no_such_db_x"))
    monkeypatch.setenv(URL_ENV, url)
    with pytest.raises(DatabaseError, match="database does not exist"):
        snapshot_database(URL_ENV)


def test_sqlite_is_opened_read_only(tmp_path: Path) -> None:
    db = tmp_path / "dev.db"
    sqlite3.connect(db).close()
    conn = lite_introspect.connect(f"file:{db}", 5.0)
    try:
        with pytest.raises(sqlite3.OperationalError, match=r"readonly|read-only|query_only"):
            conn.execute("CREATE TABLE x (a)")
    finally:
        conn.close()


# ------------------------------------------------------------------- errors


@pytest.mark.postgres
def test_postgres_unknown_role_is_one_redacted_line(
    pg_admin_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(URL_ENV, with_user(pg_admin_url, "ss_nobody_x", "hunter2-secret"))
    with pytest.raises(DatabaseError) as info:
        snapshot_database(URL_ENV)
    message = info.value.message
    assert "hunter2-secret" not in message
    assert "ss_nobody_x:****@" in message
    assert "\n" not in message
    assert f"${URL_ENV}" in message
    assert info.value.exit_code == ExitCode.DATABASE
    assert int(info.value.exit_code) == 5


@pytest.mark.postgres
def test_postgres_missing_database(pg_admin_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    url = urlunsplit(urlsplit(pg_admin_url)._replace(path="/ss_no_such_db_x"))
    monkeypatch.setenv(URL_ENV, url)
    with pytest.raises(DatabaseError, match="database does not exist"):
        snapshot_database(URL_ENV)


def test_connection_refused_is_a_database_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:  # a free port, closed again: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv(URL_ENV, f"postgresql://u:pw-Secret-1@127.0.0.1:{port}/db?schema=public")
    with pytest.raises(DatabaseError) as info:
        snapshot_database(URL_ENV, timeout=3)
    assert "pw-Secret-1" not in info.value.message
    assert "\n" not in info.value.message


@pytest.mark.parametrize("scheme", ["postgresql", "mysql"])
def test_timeout_is_a_database_error(scheme: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as server:  # accepts the TCP connection, never answers
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        port = server.getsockname()[1]
        monkeypatch.setenv(URL_ENV, f"{scheme}://u:pw-Secret-2@127.0.0.1:{port}/db")
        with pytest.raises(DatabaseError) as info:
            snapshot_database(URL_ENV, timeout=1)
    message = info.value.message
    assert "timed out" in message or "timeout" in message.lower()
    assert "pw-Secret-2" not in message


def test_sqlite_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(URL_ENV, f"file:{tmp_path / 'nope.db'}")
    with pytest.raises(DatabaseError, match="no such SQLite database file"):
        snapshot_database(URL_ENV)
    assert not (tmp_path / "nope.db").exists()


def test_unset_variable_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(URL_ENV, raising=False)
    with pytest.raises(ConfigError, match=f"{URL_ENV} is not set"):
        snapshot_database(URL_ENV)


def test_unknown_scheme_is_a_config_error_and_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(URL_ENV, "sqlserver://h:1433;user=sa;password=Secr3t-x")
    with pytest.raises(ConfigError) as info:
        snapshot_database(URL_ENV)
    assert "Secr3t-x" not in info.value.message
    assert "sqlserver" in info.value.message


def test_introspectors_cover_prisma_url_schemes() -> None:
    assert {"postgresql", "postgres", "mysql", "mariadb", "file"} <= set(INTROSPECTORS)


# ------------------------------------------------------------------- carry-over


def test_prisma_names_are_carried_over_by_database_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "dev.db"
    conn = sqlite3.connect(db)
    conn.executescript(
        'CREATE TABLE "order_lines" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, '
        '"unit_price" DECIMAL NOT NULL, "new_col" TEXT);'
        'CREATE VIEW "big_lines" AS SELECT "id", "unit_price" FROM "order_lines";'
    )
    conn.close()
    previous = Schema(
        provider="sqlite",
        source=Source(kind="prisma", path="prisma/schema.prisma", sha256="0" * 64),
        tables=(
            Table(
                name="order_lines",
                prisma_name="OrderLine",
                columns=(
                    Column(name="id", prisma_name="id", type="Int", db_type="integer"),
                    Column(
                        name="unit_price",
                        prisma_name="unitPrice",
                        type="Decimal",
                        db_type="decimal",
                    ),
                    Column(name="gone", prisma_name="gone", type="String", db_type="text"),
                ),
            ),
        ),
        views=(
            View(
                name="big_lines",
                prisma_name="BigLine",
                columns=(Column(name="id", prisma_name="lineId", type="Int", db_type="integer"),),
            ),
        ),
    )
    monkeypatch.setenv(URL_ENV, f"file:{db}")
    schema = snapshot_database(URL_ENV, previous=previous)
    (view,) = schema.views
    assert view.prisma_name == "BigLine"
    view_names = [(c.name, c.prisma_name) for c in view.columns]
    assert view_names == [("id", "lineId"), ("unit_price", None)]
    table = schema.tables[0]
    assert table.prisma_name == "OrderLine"
    assert [(c.name, c.prisma_name) for c in table.columns] == [
        ("id", "id"),
        ("unit_price", "unitPrice"),
        ("new_col", None),
    ]
    assert schema.source.kind == "database"
    # the database facts are the database's, whatever the previous mirror said
    assert table.columns[0].autoincrement is True


#: What `prisma db push` creates for tests/data/prisma/pg_multi_schema_same_table (two `user`
#: and two `team` tables, FKs of the same name in both schemas, one FK from b.user to a.user).
SAME_TABLE = Path(__file__).parent / "data" / "prisma" / "pg_multi_schema_same_table"
SAME_TABLE_DDL = """
CREATE SCHEMA a; CREATE SCHEMA b;
CREATE TABLE a.team (id integer NOT NULL, CONSTRAINT team_pkey PRIMARY KEY (id));
CREATE TABLE b.team (id integer NOT NULL, CONSTRAINT team_pkey PRIMARY KEY (id));
CREATE TABLE a."user" (id integer NOT NULL, team_id integer NOT NULL,
  CONSTRAINT user_pkey PRIMARY KEY (id),
  CONSTRAINT user_team_id_fkey FOREIGN KEY (team_id) REFERENCES a.team (id)
    ON DELETE RESTRICT ON UPDATE CASCADE);
CREATE TABLE b."user" (id integer NOT NULL, team_id integer NOT NULL, a_user_id integer,
  CONSTRAINT user_pkey PRIMARY KEY (id),
  CONSTRAINT user_team_id_fkey FOREIGN KEY (team_id) REFERENCES b.team (id)
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT user_a_user_id_fkey FOREIGN KEY (a_user_id) REFERENCES a."user" (id)
    ON DELETE SET NULL ON UPDATE CASCADE);
CREATE INDEX user_a_user_id_idx ON b."user" (a_user_id);
"""


@pytest.mark.postgres
def test_relations_of_two_tables_of_one_name_match_the_import(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Introspection gives each relation both ends' schemas, and the carry-over matches them by
    schema: `b.user`'s `user_team_id_fkey` keeps its field `squad`, `a.user`'s keeps `team`.
    The result is the import's relations, value for value."""
    import psycopg

    from schemasync.prisma.load import load_prisma

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(SAME_TABLE_DDL.encode())
    imported = load_prisma(SAME_TABLE / "schema.prisma", SAME_TABLE)
    monkeypatch.setenv(URL_ENV, pg_url)
    bare = snapshot_database(URL_ENV, schemas=("a", "b"))
    assert [(r.db_schema, r.table, r.referenced_schema, r.referenced_table, r.field)
            for r in bare.relations] == [
        ("a", "user", "a", "team", None),
        ("b", "user", "a", "user", None),
        ("b", "user", "b", "team", None),
    ]  # fmt: skip
    carried = snapshot_database(URL_ENV, schemas=("a", "b"), previous=imported)
    assert carried.tables == imported.tables  # the DDL is what db push creates
    assert carried.relations == imported.relations


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("schemas", "query", "expected"),
    [
        ((), "", ["public"]),
        (("public",), "?schema=audit", ["audit"]),
        ((), "?schema=audit", ["audit"]),
        (("public", "audit"), "?schema=audit", ["audit", "public"]),
    ],
)
def test_postgres_schemas_default_to_the_url_schema(
    pg_url: str,
    monkeypatch: pytest.MonkeyPatch,
    schemas: tuple[str, ...],
    query: str,
    expected: list[str],
) -> None:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(b"CREATE SCHEMA audit; CREATE TABLE audit.a (id int); CREATE TABLE b (id int)")
    monkeypatch.setenv(URL_ENV, pg_url + query)
    schema = snapshot_database(URL_ENV, schemas=schemas)
    assert sorted(t.db_schema or "" for t in schema.tables) == expected


@pytest.mark.postgres
def test_postgres_statement_timeout_is_a_database_error(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(b"CREATE TABLE t (id int); CREATE VIEW v AS SELECT id FROM t")
    locker = psycopg.connect(pg_url)  # holds a lock that blocks reading the view's definition
    try:
        locker.execute(b"LOCK TABLE v IN ACCESS EXCLUSIVE MODE")
        monkeypatch.setenv(URL_ENV, pg_url)
        with pytest.raises(DatabaseError) as info:
            snapshot_database(URL_ENV, timeout=1)
    finally:
        locker.rollback()
        locker.close()
    message = info.value.message
    assert "timed out" in message
    assert "raise --timeout" in message
    assert "\n" not in message


@pytest.mark.postgres
def test_postgres_index_keys_as_the_catalog_has_them(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index query spells an expression index's keys with pg_get_indexdef and every other
    index's keys from pg_attribute, and lists only non-default operator classes: a mixed
    column-and-expression index, a name that needs quoting, DESC and an operator class each
    come out as the database has them."""
    from live_sql import run_pg_script

    run_pg_script(
        pg_url,
        'CREATE TABLE t ("Email" text NOT NULL, n int NOT NULL, code text NOT NULL);'
        'CREATE INDEX t_mixed ON t (n DESC, lower("Email"));'
        'CREATE INDEX t_plain ON t ("Email" DESC, n);'
        "CREATE INDEX t_ops ON t (code text_pattern_ops, n);",
    )
    monkeypatch.setenv(URL_ENV, pg_url)
    table = snapshot_database(URL_ENV, rich=True).tables[0]
    keys = {
        i.name: [(c.name, c.expression, c.sort, c.opclass) for c in i.columns]
        for i in table.indexes
    }
    assert keys == {
        "t_mixed": [("n", False, "desc", None), ('lower("Email")', True, None, None)],
        "t_ops": [("code", False, None, "text_pattern_ops"), ("n", False, None, None)],
        "t_plain": [("Email", False, "desc", None), ("n", False, None, None)],
    }
