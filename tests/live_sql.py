"""Run SQL scripts on the live test servers (PostgreSQL, MariaDB): the one way tests build a
database from SQL they wrote. The servers are real (tests/conftest.py: `pg_url`, `mysql_url`)."""

from __future__ import annotations


def run_pg_script(url: str, script: str) -> None:
    """Run a multi-statement SQL script on PostgreSQL (autocommit)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(script.encode("utf-8"))


def run_mysql_script(url: str, script: str) -> None:
    """Run a multi-statement SQL script on MariaDB/MySQL."""
    from urllib.parse import unquote, urlsplit

    import pymysql  # type: ignore[import-untyped]
    from pymysql.constants import CLIENT  # type: ignore[import-untyped]

    parts = urlsplit(url)
    conn = pymysql.connect(
        host=parts.hostname,
        port=parts.port or 3306,
        user=unquote(parts.username or "root"),
        password=unquote(parts.password or ""),
        database=parts.path.lstrip("/"),
        client_flag=CLIENT.MULTI_STATEMENTS,
        autocommit=True,
        charset="utf8mb4",
    )
    try:
        with conn.cursor() as cur:
            cur.execute(script)
            while cur.nextset():
                pass
    finally:
        conn.close()
