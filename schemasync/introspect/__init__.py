"""Read-only native introspection of live databases into the mirror model (SPEC §4).

`read_database` is the edge (`snapshot_database` makes a mirror of what it read): it reads
the URL from a *named* environment variable, picks the dialect from the URL scheme
(`INTROSPECTORS`), connects read-only, introspects and turns every driver error into a one-line
`DatabaseError` that shows the URL redacted. The dialect modules are `connection -> Schema` and
never write: PostgreSQL and MariaDB/MySQL run in a READ ONLY transaction, SQLite opens the file
so that nothing is created or changed beside it (see `sqlite.connect`; WAL mode included).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemasync.errors import ConfigError, DatabaseError, Interrupted
from schemasync.model import Schema
from schemasync.redact import redact_url


@dataclass(frozen=True)
class Introspector:
    """One dialect: how to connect read-only, how to read a connection into a `Schema`, and the
    package extra that installs its driver (None: the standard library's)."""

    provider: str
    connect: Callable[[str, float], Any]
    introspect: Callable[[Any, Sequence[str], bool], Schema]
    close: Callable[[Any], None]
    extra: str | None = None
    #: Stop the query the server is running for this connection (after SIGINT), if the
    #: dialect can: closing the socket alone leaves a query that waits for a lock waiting.
    cancel: Callable[[Any], None] | None = None


def _pg_connect(url: str, timeout: float) -> Any:
    from schemasync.introspect import postgres

    return postgres.connect(url, timeout)


def _pg_introspect(conn: Any, schemas: Sequence[str], rich: bool) -> Schema:
    from schemasync.introspect import postgres

    return postgres.introspect_postgres(conn, schemas=schemas, rich=rich)


def _pg_close(conn: Any) -> None:
    conn.rollback()
    conn.close()


def _pg_cancel(conn: Any) -> None:
    conn.cancel_safe(timeout=5.0)


def _my_connect(url: str, timeout: float) -> Any:
    from schemasync.introspect import mysql

    return mysql.connect(url, timeout)


def _my_introspect(conn: Any, schemas: Sequence[str], rich: bool) -> Schema:
    from schemasync.introspect import mysql

    return mysql.introspect_mysql(conn, rich=rich)


def _sqlite_connect(url: str, timeout: float) -> Any:
    from schemasync.introspect import sqlite

    return sqlite.connect(url, timeout)


def _sqlite_introspect(conn: Any, schemas: Sequence[str], rich: bool) -> Schema:
    from schemasync.introspect import sqlite

    schema = sqlite.introspect_sqlite(conn, rich=rich)
    sqlite.check_unchanged(conn)  # a file opened `immutable` must not have changed meanwhile
    return schema


def _close(conn: Any) -> None:
    conn.close()


def _mysql_close(conn: Any) -> None:
    try:
        conn.rollback()
    finally:
        conn.close()


_PG = Introspector("postgresql", _pg_connect, _pg_introspect, _pg_close, "postgres", _pg_cancel)
_MY = Introspector("mysql", _my_connect, _my_introspect, _mysql_close, "mysql")
_LITE = Introspector("sqlite", _sqlite_connect, _sqlite_introspect, _close)

#: URL scheme -> dialect (Prisma's datasource URL schemes).
INTROSPECTORS: dict[str, Introspector] = {
    "postgresql": _PG,
    "postgres": _PG,
    "mysql": _MY,
    "mariadb": _MY,
    "file": _LITE,
    "sqlite": _LITE,
}


#: A value that starts like a URL (`scheme://`): only then is its scheme named in an error.
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")


def scheme_of(url: str) -> str:
    """Return the lower-case scheme of `url` (`file` for `file:./dev.db`)."""
    head, sep, _ = url.partition(":")
    return head.strip().lower() if sep else ""


def snapshot_database(
    url_env: str,
    *,
    schemas: Sequence[str] = ("public",),
    timeout: float = 30.0,
    previous: Schema | None = None,
    base: Path | None = None,
    root: Path | None = None,
    rich: bool = False,
) -> Schema:
    """Introspect the database whose URL is in the environment variable `url_env` into a
    mirror: `read_database`, its source the sha256 of what was read, and the Prisma names of
    `previous` (the existing mirror) carried over by database name.

    Raises:
        ConfigError, DatabaseError: as `read_database`.
    """
    from schemasync.introspect._common import mirror_of

    read = read_database(url_env, schemas=schemas, timeout=timeout, base=base, root=root, rich=rich)
    return mirror_of(read, previous)


def read_database(
    url_env: str,
    *,
    schemas: Sequence[str] = ("public",),
    timeout: float = 30.0,
    base: Path | None = None,
    root: Path | None = None,
    rich: bool = False,
) -> Schema:
    """Read the database whose URL is in the environment variable `url_env`, as it is: no
    source digest, no Prisma names (what `pull` captures facts from; `snapshot_database`
    makes a mirror of it).

    Args:
        url_env: the *name* of the environment variable holding the connection URL.
        schemas: PostgreSQL schemas to read (ignored by SQLite and MySQL, which read the
            connected database); empty or the default `("public",)` means the URL's
            `?schema=` (Prisma's convention), else `public`.
        timeout: seconds for connecting and for each catalog query.
        base: the folder a relative SQLite `file:` path is read from (the Prisma schema's, as
            Prisma reads it); None: the current folder.
        root: the project: a SQLite path that names a place inside it must stay there (a
            symlink out of it is refused, as for every project path); a path outside it,
            named so in the URL, is the user's choice.
        rich: also read the facts a Prisma schema cannot carry (`facts.py`), from the same
            catalog queries.

    Raises:
        ConfigError: the variable is not set, its URL scheme is not one schemasync reads, or
            a SQLite path inside the project leaves it through a symlink (or loops).
        DatabaseError: connecting or introspecting failed (the URL is shown redacted).
    """
    url = os.environ.get(url_env, "").strip()
    if not url:
        raise ConfigError(
            f"environment variable {url_env} is not set; export the database URL in it "
            "(schemasync reads only the variable's name from the configuration)"
        )
    scheme = scheme_of(url)
    dialect = INTROSPECTORS.get(scheme)
    if dialect is None:
        known = ", ".join(sorted(INTROSPECTORS))
        # the value is not shown: an unknown shape (a keyword DSN, a bare password, a scheme
        # whose userinfo the forms do not know) may be a secret whole
        what = f"a {scheme}:// URL" if _SCHEME.match(url) else "a value that is not a URL"
        raise ConfigError(
            f"{url_env}: cannot introspect {what} (value not shown); schemasync reads these "
            f"schemes: {known}"
        )
    if dialect.provider == "sqlite":
        from schemasync.introspect.sqlite import anchored, sqlite_path

        url = anchored(url, base) if base is not None else url
        if root is not None and sqlite_path(url):
            _check_sqlite_path(root, sqlite_path(url), url_env)
    if dialect.provider == "postgresql" and tuple(schemas) in ((), ("public",)):
        from schemasync.introspect.postgres import libpq_url

        schemas = libpq_url(url)[1] or ("public",)
    return _run(dialect, url, url_env, tuple(schemas), timeout, rich)


def _check_sqlite_path(root: Path, path: str, url_env: str) -> None:
    """Refuse a SQLite path that names a place in the project but leads out of it.

    Raises:
        ConfigError: the path is inside the project as written and leaves it through a
            symlink, loops, or is too long.
    """
    from schemasync.fsio import resolve_in, shorten

    lexical = Path(os.path.normpath(Path.cwd() / path))
    real_root = Path(os.path.realpath(root))
    if lexical.is_relative_to(real_root) or lexical.is_relative_to(root):
        resolve_in(root, lexical, f"the SQLite file of ${url_env} ({shorten(path)!r})")


def _run(
    dialect: Introspector,
    url: str,
    url_env: str,
    schemas: Sequence[str],
    timeout: float,
    rich: bool = False,
) -> Schema:
    shown = redact_url(url)
    try:
        conn = dialect.connect(url, timeout)
    except DatabaseError:
        raise
    except ImportError as err:  # the driver is an optional extra
        raise ConfigError(
            f"reading a {dialect.provider} database needs its driver ({err.name}): install it "
            f"with `pip install '{_distribution()}[{dialect.extra}]'`"
        ) from err
    except Exception as err:
        raise DatabaseError(
            f"cannot connect to {shown} (from ${url_env}): {_reason(err)}; check the URL, "
            "that the server is running and that the role may log in"
        ) from err
    try:
        return dialect.introspect(conn, schemas, rich)
    except Interrupted:
        # Ctrl-C: the server must not go on running (or waiting for a lock) for nobody
        if dialect.cancel is not None:
            with contextlib.suppress(Exception):
                dialect.cancel(conn)
        raise
    except DatabaseError as err:
        raise DatabaseError(f"cannot introspect {shown} (from ${url_env}): {err.message}") from err
    except Exception as err:
        if not _is_driver_error(err):
            raise
        reason = _reason(err)
        hint = (
            f"the database did not answer within {timeout:g} s: raise --timeout, or retry when "
            "it is less busy (a long-held lock blocks catalog reads)"
            if reason.startswith("timed out")
            else "schemasync needs a role that may read the catalog (CONNECT and USAGE on the "
            "schema)"
        )
        raise DatabaseError(
            f"cannot introspect {shown} (from ${url_env}): {reason}; {hint}"
        ) from err
    finally:
        # closing a failed connection must not hide the real error
        with contextlib.suppress(Exception):
            dialect.close(conn)


def _distribution() -> str:
    """The name schemasync is installed under (its distribution, which is not `schemasync`)."""
    from importlib.metadata import packages_distributions

    names = packages_distributions().get("schemasync") or ["schemasync"]
    return names[0]


def _is_driver_error(err: BaseException) -> bool:
    module = type(err).__module__
    return module.startswith(("psycopg", "pymysql", "sqlite3")) or type(err).__name__ in (
        "OperationalError",
        "DatabaseError",
        "ProgrammingError",
        "InternalError",
    )


#: A driver error's reason, by what its message says (psycopg, PyMySQL, sqlite3; lower-case). The
#: message itself is never shown: drivers echo parts of the URL (a password holding `@`, `#`,
#: `?` or a space is cut where the driver mis-parses it, and no form can recognise the pieces).
REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), reason)
    for pattern, reason in (
        (r"timeout|timed out|canceling statement", "timed out"),
        (
            r"password authentication failed|access denied|authentication failed"
            r"|no password supplied|password is required|sasl",
            "authentication failed",
        ),
        (
            r"no pg_hba\.conf entry|not allowed to connect|host is blocked",
            "the server refuses connections from this host or role",
        ),
        (r"permission denied|command denied|insufficient privilege", "permission denied"),
        (
            r"could not translate host name|name or service not known|unknown mysql server host"
            r"|nodename nor servname|getaddrinfo|temporary failure in name resolution"
            r"|failed to resolve|no address associated",
            "unknown host",
        ),
        (
            r"connection refused|errno 111|no route to host|network is unreachable",
            "connection refused",
        ),
        (r'role ".*" does not exist', "the role does not exist"),
        (r'unknown database|database ".*" does not exist', "database does not exist"),
        (r"too many connections|remaining connection slots", "too many connections"),
        (r"\bssl\b|\btls\b", "SSL/TLS negotiation failed"),
        (
            r"server closed the connection|lost connection|connection reset|gone away",
            "the connection was lost",
        ),
        (
            r"unable to open database file|file is not a database|disk i/o",
            "cannot open the database file",
        ),
        (
            r"invalid dsn|invalid connection option|missing \"=\"|invalid uri|invalid integer"
            r"|unexpected spaces|percent-encod"
            r"|invalid port|could not be cast|out of range|invalid ipv6|invalid literal",
            "the URL is malformed",
        ),
        (r"codec can't encode", "the driver cannot send the password's characters"),
        (r"can't connect", "cannot reach the server"),
    )
)


def _reason(err: BaseException) -> str:
    """Return a one-line reason for a driver error (never the driver's message: see `REASONS`);
    an unknown error is named by its class and code (SQLSTATE or MySQL error number)."""
    low = " ".join(str(err).lower().split())
    for pattern, reason in REASONS:
        if pattern.search(low):
            return reason
    code = getattr(err, "sqlstate", None) or (
        err.args[0] if err.args and isinstance(err.args[0], int) else None
    )
    return f"{type(err).__name__}" + (f" (code {code})" if code else "")
