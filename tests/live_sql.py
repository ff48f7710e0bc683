"""Run SQL scripts on the live test servers (PostgreSQL, MariaDB): the one way tests build a
database from SQL they wrote, and run the command line against one. The servers are real
(tests/conftest.py: `pg_url`, `mysql_url`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def cli(root: Path, *args: str, url: str) -> subprocess.CompletedProcess[str]:
    """Run the command line in `root` with DATABASE_URL set to `url`."""
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-c", "from schemasync.cli import main; raise SystemExit(main())",
         *args, "--root", str(root)],
        cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


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


def dump_pg_schema(url: str) -> str:
    """Return `pg_dump --schema-only` of the database at `url` (the real pg_dump)."""
    import subprocess

    return subprocess.run(
        ["pg_dump", "--schema-only", "--dbname", url],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip


def dump_mysql_schema(url: str) -> str:
    """Return `mariadb-dump --no-data` (or `mysqldump`) of the database at `url`."""
    import shutil
    import subprocess
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    tool = shutil.which("mariadb-dump") or "mysqldump"
    args = [tool, "--no-data", "-h", parts.hostname or "127.0.0.1", "-P", str(parts.port or 3306),
            "-u", unquote(parts.username or "root")]  # fmt: skip
    env = None
    if parts.password:
        import os

        env = {**os.environ, "MYSQL_PWD": unquote(parts.password)}
    return subprocess.run(
        [*args, parts.path.lstrip("/")],
        capture_output=True, text=True, check=True, timeout=120, env=env,
    ).stdout  # fmt: skip


def dump_sqlite_schema(path: str) -> str:
    """Return `sqlite3 FILE .schema` (the real sqlite3 shell)."""
    import subprocess

    return subprocess.run(
        ["sqlite3", path, ".schema"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
