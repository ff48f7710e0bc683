"""Planted secrets in live databases, and refused connections (issue 11, item 1).

A password with hostile characters (`@ # ? / : ' "`, a space, unicode) is planted in every place
a live catalog can hold text -- table and column comments, CHECK constraints, defaults, view
definitions, PostgreSQL partial-index predicates -- in URL form, in a libpq keyword DSN, and bare
(the value of a variable the config names). `snapshot` and `drift` run through the real CLI on
SQLite, PostgreSQL and MariaDB; no run of 4 of its characters may appear in stdout, stderr or any
file written (mirror, context, evidence). A refused connection whose password holds those
characters is exit 5 with one line that shows none of it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from live_sql import run_mysql_script
from safety_project import CONFIG, SCHEMA, changes, run_cli, tree_bytes

from schemasync.errors import ExitCode

#: The planted password: every character a URL or DSN parser trips on.
HOSTILE = "Kx@9 Qz/#?:'\"Ωv7Wj"
#: PyMySQL sends a password as Latin-1: `Ω` fails before a byte is sent (a reason of its own).
ASCII_HOSTILE = HOSTILE.replace("Ω", "")
#: The same in a URL (raw: the redactor reads to the last `@`), a keyword DSN and bare.
URL_FORM = f"postgresql://app:{HOSTILE}@db.example.com:5432/shop"
DSN_FORM = "host=db user=app password='" + HOSTILE.replace("'", "\\'") + "' dbname=shop"
GRAM = 4


def _sql(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _my_sql(text: str) -> str:
    """A MariaDB string literal (a backslash escapes there)."""
    return _sql(text.replace("\\", "\\\\"))


def leaked(text: str) -> list[str]:
    """The runs of `GRAM` characters of `HOSTILE` (raw or percent-encoded) found in `text`."""
    found = []
    for secret in (HOSTILE, ASCII_HOSTILE, quote(HOSTILE, safe=""), quote(ASCII_HOSTILE, safe="")):
        found += [
            secret[i : i + GRAM]
            for i in range(len(secret) - GRAM + 1)
            if secret[i : i + GRAM] in text
        ]
    return found


def _project(tmp_path: Path, provider: str) -> Path:
    """A project whose dev database is `$LIVE_URL` and whose staging variable holds only the
    password (masked wherever it appears, though no form marks it)."""
    root = tmp_path / "live"
    (root / "prisma").mkdir(parents=True)
    (root / "docs" / "project").mkdir(parents=True)
    (root / CONFIG).write_text(
        '{"mode": "database", "environments": {"dev": {"urlEnv": "LIVE_URL"}, '
        '"staging": {"urlEnv": "STAGING_PASSWORD"}}}\n',
        encoding="utf-8",
    )
    (root / SCHEMA).write_text(
        f'datasource db {{\n  provider = "{provider}"\n  url      = env("LIVE_URL")\n}}\n\n'
        "model Other {\n  id Int @id\n}\n",
        encoding="utf-8",
    )
    return root


def _run_all(root: Path, live_url: str) -> list[str]:
    """Run import-prisma, snapshot (stdout and --out) and drift (with evidence); return every
    output and every file written."""
    env = {"LIVE_URL": live_url, "STAGING_PASSWORD": HOSTILE}
    before = tree_bytes(root)
    procs = [
        run_cli(root, "import-prisma", env=env),
        run_cli(root, "snapshot", "--url-env", "LIVE_URL", env=env),
        run_cli(root, "snapshot", "--url-env", "LIVE_URL", "--out", "live.json", env=env),
        run_cli(root, "drift", "--task-slug", "live", env=env),
    ]
    for proc in procs:
        assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    assert procs[1].returncode == 0, procs[1].stderr
    assert procs[3].returncode == int(ExitCode.DRIFT), procs[3].stdout + procs[3].stderr
    after = tree_bytes(root)
    written = [p for p in changes(before, after) if p in after]
    assert "live.json" in written
    assert any(p.endswith("05-drift-check.md") for p in written)
    blobs = [p.stdout + p.stderr for p in procs]
    blobs += [after[p].decode("utf-8", "replace") for p in written]
    assert "****" in procs[1].stdout, "the planted text reached the snapshot, masked"
    return blobs


def _assert_clean(blobs: list[str]) -> None:
    found = [gram for blob in blobs for gram in leaked(blob)]
    assert found == []


def test_sqlite_planted_secrets(tmp_path: Path) -> None:
    """SQLite: CHECK, DEFAULT, a view and the table's SQL text (comments) hold the password."""
    root = _project(tmp_path, "sqlite")
    db = root / "prisma" / "live.db"
    conn = sqlite3.connect(db)
    conn.executescript(
        f"""
        CREATE TABLE account (
          id INTEGER PRIMARY KEY, -- {URL_FORM}
          dsn TEXT DEFAULT {_sql(URL_FORM)} CHECK (dsn <> {_sql(DSN_FORM)}),
          note TEXT DEFAULT {_sql(HOSTILE)}
        );
        CREATE VIEW leaky AS SELECT id, {_sql(URL_FORM)} AS a, {_sql(HOSTILE)} AS b FROM account;
        """
    )
    conn.close()
    _assert_clean(_run_all(root, f"file:{db}"))


@pytest.mark.postgres
def test_postgres_planted_secrets(tmp_path: Path, pg_url: str) -> None:
    """PostgreSQL: comments, CHECK, DEFAULT, a view, a partial index predicate."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            f"""
            CREATE TABLE account (id int PRIMARY KEY,
              dsn text DEFAULT {_sql(URL_FORM)} CHECK (dsn <> {_sql(DSN_FORM)}),
              note text DEFAULT {_sql(HOSTILE)});
            COMMENT ON TABLE account IS {_sql("copy of " + URL_FORM)};
            COMMENT ON COLUMN account.dsn IS {_sql(DSN_FORM)};
            COMMENT ON COLUMN account.note IS {_sql(HOSTILE)};
            CREATE INDEX account_dsn ON account (dsn) WHERE dsn <> {_sql(URL_FORM)};
            CREATE INDEX account_note ON account (note) WHERE note <> {_sql(HOSTILE)};
            CREATE VIEW leaky AS SELECT id, {_sql(URL_FORM)}::text AS a, {_sql(HOSTILE)}::text AS b
              FROM account;
            """.encode()
        )
    _assert_clean(_run_all(_project(tmp_path, "postgresql"), pg_url))


@pytest.mark.mysql
def test_mariadb_planted_secrets(tmp_path: Path, mysql_url: str) -> None:
    """MariaDB: comments, CHECK, DEFAULT, a view."""
    run_mysql_script(
        mysql_url,
        f"CREATE TABLE account (id int PRIMARY KEY, "
        f"dsn varchar(200) DEFAULT {_my_sql(URL_FORM)} COMMENT {_my_sql(DSN_FORM)}, "
        f"note varchar(200) DEFAULT {_my_sql(HOSTILE)} COMMENT {_my_sql(HOSTILE)}, "
        f"CONSTRAINT c CHECK (dsn <> {_my_sql(DSN_FORM)})) "
        f"COMMENT={_my_sql('copy of ' + URL_FORM)};\n"
        f"CREATE VIEW leaky AS SELECT id, {_my_sql(URL_FORM)} AS a, "
        f"{_my_sql(HOSTILE)} AS b FROM account",
    )
    _assert_clean(_run_all(_project(tmp_path, "mysql"), mysql_url))


# ---- refused connections: exit 5, one line, none of the password -------------------------------


def _refused(tmp_path: Path, url: str, reason: str | None = None) -> None:
    """`snapshot` and `drift` (after an import, so that a mirror exists) on `url`: exit 5, one
    line on stderr naming the `reason` (not the driver's message), no run of the password."""
    root = _project(tmp_path, "postgresql")
    env = {"LIVE_URL": url, "STAGING_PASSWORD": "unrelated-1"}
    assert run_cli(root, "import-prisma", env=env).returncode == 0
    for args in (("snapshot", "--url-env", "LIVE_URL"), ("drift",)):
        proc = run_cli(root, *args, "--timeout", "5", env=env)
        out = proc.stdout + proc.stderr
        assert "Traceback" not in out
        assert proc.returncode == int(ExitCode.DATABASE), out
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert proc.stderr.startswith("schemasync: cannot connect to "), proc.stderr
        assert reason is None or f"(from $LIVE_URL): {reason}; " in proc.stderr, proc.stderr
        assert leaked(out) == [], out


def _with_password(url: str, user: str, password: str) -> str:
    parts = urlsplit(url)
    netloc = f"{user}:{password}@{parts.hostname}:{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


@pytest.mark.postgres
@pytest.mark.parametrize("encoded", [False, True], ids=["raw", "percent-encoded"])
def test_postgres_refused_connection(tmp_path: Path, pg_url: str, encoded: bool) -> None:
    """A role that does not exist, with the hostile password (raw, as pasted, or encoded)."""
    password = quote(HOSTILE, safe="") if encoded else HOSTILE
    # psycopg's own message quoted the password's piece after a space ("9 Qz")
    reason = "the role does not exist" if encoded else "the URL is malformed"
    _refused(tmp_path, _with_password(pg_url, "ss_ghost_role", password), reason)


@pytest.mark.mysql
@pytest.mark.parametrize(
    ("password", "reason"),
    [
        # raw, the `#` ends the URL's authority: PyMySQL is sent to a host made of the password
        (ASCII_HOSTILE, "unknown host"),
        (quote(ASCII_HOSTILE, safe=""), "authentication failed"),
        (quote(HOSTILE, safe=""), "the driver cannot send the password's characters"),
    ],
    ids=["raw", "percent-encoded", "unicode"],
)
def test_mariadb_wrong_password(tmp_path: Path, mysql_url: str, password: str, reason: str) -> None:
    """The wrong password for a real user: the reason, nothing of the password echoed."""
    user = urlsplit(mysql_url).username or "root"
    url = _with_password(mysql_url, user, password).replace("postgresql://", "mysql://")
    _refused(tmp_path, url, reason)


def test_closed_port(tmp_path: Path) -> None:
    """Nothing listens: `connection refused`, whatever the password holds."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    for scheme in ("postgresql", "mysql"):
        url = f"{scheme}://app:{quote(ASCII_HOSTILE, safe='')}@127.0.0.1:{port}/db"
        _refused(tmp_path / scheme, url, "connection refused")
