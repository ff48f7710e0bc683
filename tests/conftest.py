"""Shared test infrastructure: golden files, real-service markers and fixtures.

What every test module can use (names kept short on purpose):

- ``--update-goldens``: pytest flag; ``golden`` fixtures then (re)write the files instead of
  comparing. Review the result in ``git diff``.
- ``golden(actual: str, path: Path) -> None``: exact compare of ``actual`` with the file at
  ``path``; a missing or different file fails with a hint to rerun with ``--update-goldens``.
- Markers ``postgres`` / ``mysql`` / ``node``: the test needs PostgreSQL at 127.0.0.1:5432
  (user postgres, trust auth), MariaDB/MySQL at 127.0.0.1:3306 (root, empty password), or node
  plus the project's pinned Prisma harness (``tools/prisma/node_modules``, made by ``npm ci``).
  When the thing does not answer the test is SKIPPED, except when ``CI=true``: then it FAILS.
- ``CI=true``: no test may skip, for any reason (a missing corpus, a missing tool): a skip is
  reported as a failure with its reason. Deselecting (``-m "not node"``) is not skipping.
- ``pg_url``: URL of a fresh, uniquely named PostgreSQL database, dropped afterwards.
- ``mysql_url``: the same for MariaDB/MySQL (``mysql://root@127.0.0.1:3306/<name>``).
- ``pg_admin_url`` / ``mysql_admin_url``: the server-level URLs (session scope) for tests that
  make their own databases or roles.
- ``prisma_harness``: the :mod:`prisma_harness` module (``db_push``, ``db_pull``,
  ``datamodel``, ``validate``), after the ``node`` rule above.
- ``require_service(name)``: the same skip/fail rule as a plain function, for helpers.
- ``summary(title, counts, line=None)``: add counts (and a line) to a report printed at the end
  of the run, counts summed over the tests; works under pytest-xdist (it travels with the test's
  report as a ``user_property``, as module state in a worker would not).

The server locations can be changed with ``SCHEMASYNC_TEST_PG_URL`` and
``SCHEMASYNC_TEST_MYSQL_URL`` (admin URLs, database part ignored). They are never printed.
Hypothesis profiles: ``default`` and ``fuzz`` (``HYPOTHESIS_PROFILE=fuzz``, example count from
``SCHEMASYNC_FUZZ_EXAMPLES``, default 2000), used by ``nox -s fuzz``.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

import prisma_harness
import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parent.parent
SERVICES = ("postgres", "mysql", "node")
PG_ADMIN_URL = os.environ.get(
    "SCHEMASYNC_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
MYSQL_ADMIN_URL = os.environ.get("SCHEMASYNC_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/mysql")

settings.register_profile("default", deadline=None)
settings.register_profile(
    "fuzz",
    deadline=None,
    max_examples=int(os.environ.get("SCHEMASYNC_FUZZ_EXAMPLES", "2000")),
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

GoldenCheck = Callable[[str, Path], None]
Summary = Callable[..., None]
SUMMARY_KEY = "schemasync-summary"


def in_ci() -> bool:
    """Return whether this run is CI, where no service-backed test may be skipped."""
    return os.environ.get("CI", "").strip().lower() == "true"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--update-goldens``."""
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="write golden files from the actual output instead of comparing",
    )


# ---------------------------------------------------------------- golden files


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> GoldenCheck:
    """Compare text with a golden file, or write it under ``--update-goldens``."""
    update = bool(request.config.getoption("--update-goldens"))

    def check(actual: str, path: Path) -> None:
        path = Path(path)
        if update:
            if not path.exists() or path.read_text(encoding="utf-8") != actual:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(actual.encode("utf-8"))
            return
        shown = _shown(path)
        if not path.exists():
            pytest.fail(f"golden file {shown} is missing; create it with: pytest --update-goldens")
        expected = path.read_bytes().decode("utf-8")
        if actual != expected:
            import difflib

            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    actual.splitlines(keepends=True),
                    fromfile=f"{shown} (golden)",
                    tofile="actual",
                    n=2,
                )
            )
            if len(diff) > 6000:
                diff = diff[:6000] + "\n... (diff cut)\n"
            pytest.fail(
                f"output differs from golden file {shown}; if the change is intended, "
                f"rerun with --update-goldens and review the git diff\n{diff}",
                pytrace=False,
            )

    return check


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------- end-of-run summaries


@pytest.fixture
def summary(request: pytest.FixtureRequest) -> Summary:
    """Return ``add(title, counts, line=None)``: counts and a line for the end-of-run report."""

    def add(title: str, counts: dict[str, int], line: str | None = None) -> None:
        request.node.user_properties.append((SUMMARY_KEY, (title, counts, line)))

    return add


class _Summaries:
    """The end-of-run report of one pytest run: what `summary` recorded, summed by title."""

    def __init__(self) -> None:
        self.by_title: dict[str, tuple[dict[str, int], list[str]]] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Collect a test's summaries (in the controller when pytest-xdist runs workers)."""
        if report.when != "call":  # the setup and teardown reports carry the same properties
            return
        for key, value in report.user_properties:
            if key == SUMMARY_KEY:
                title, counts, line = cast(tuple[str, dict[str, int], str | None], value)
                totals, lines = self.by_title.setdefault(title, ({}, []))
                for name, n in counts.items():
                    totals[name] = totals.get(name, 0) + n
                if line:
                    lines.append(line)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """Print each title's counts (`title: name: n; ...`) and its lines."""
        for title, (totals, lines) in sorted(self.by_title.items()):
            terminalreporter.write_line("")
            counted = "; ".join(f"{name}: {n}" for name, n in totals.items())
            terminalreporter.write_line(f"{title}: {counted}")
            for line in sorted(lines):
                terminalreporter.write_line("  " + line)


def pytest_configure(config: pytest.Config) -> None:
    """Register this run's summary collector."""
    config.pluginmanager.register(_Summaries(), "schemasync-summaries")


# ---------------------------------------------------------------- services


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = f"{parts.username or ''}:***@{parts.hostname or ''}"
        if parts.port:
            netloc += f":{parts.port}"
        return urlunsplit(parts._replace(netloc=netloc))
    return url


@functools.cache
def service_problem(name: str) -> str | None:
    """Return why service ``name`` is unusable, or None when it answers (cached per run)."""
    if name == "postgres":
        try:
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, connect_timeout=5) as conn:
                conn.execute("SELECT 1")
        except Exception as err:  # any failure means "not available"; shown in the reason
            return f"PostgreSQL at {_redacted(PG_ADMIN_URL)} does not answer: {_first_line(err)}"
        return None
    if name == "mysql":
        try:
            _mysql_connect(MYSQL_ADMIN_URL, database=None).close()
        except Exception as err:
            return (
                f"MariaDB/MySQL at {_redacted(MYSQL_ADMIN_URL)} does not answer: {_first_line(err)}"
            )
        return None
    if name == "node":
        return prisma_harness.problem()
    raise ValueError(f"unknown service {name!r}; expected one of {SERVICES}")


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0] if text else ''}"


def require_service(name: str) -> None:
    """Skip the running test when ``name`` is missing, or fail it when ``CI=true``."""
    problem = service_problem(name)
    if problem is None:
        return
    if in_ci():
        pytest.fail(f"CI=true and a required service is missing: {problem}", pytrace=False)
    pytest.skip(problem)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse a test that uses the Prisma harness without the `node` marker: the default
    session deselects `node` tests (the `e2e` session runs them) and installs no node."""
    unmarked = [
        item.nodeid
        for item in items
        if "prisma_harness" in getattr(item, "fixturenames", ())
        and item.get_closest_marker("node") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "tests using the prisma_harness fixture must be marked node: " + ", ".join(unmarked)
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Under ``CI=true`` report a skipped test as failed, with the reason it gave."""
    report = yield
    if in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"CI=true and the test skipped (no test may skip in CI): {reason}"
    return report


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Apply the skip-or-fail rule to tests marked postgres / mysql / node."""
    for name in SERVICES:
        if item.get_closest_marker(name) is not None:
            require_service(name)


def _mysql_connect(url: str, database: str | None) -> Any:
    import pymysql  # type: ignore[import-untyped]

    parts = urlsplit(url)
    return pymysql.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 3306,
        user=parts.username or "root",
        password=parts.password or "",
        database=database,
        connect_timeout=5,
        autocommit=True,
    )


def _with_database(url: str, database: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}", query=""))


def _unique_name() -> str:
    return f"ss_test_{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """Server-level PostgreSQL URL (database ``postgres``); skip/fail rule applied."""
    require_service("postgres")
    return PG_ADMIN_URL


@pytest.fixture(scope="session")
def mysql_admin_url() -> str:
    """Server-level MariaDB/MySQL URL; skip/fail rule applied."""
    require_service("mysql")
    return MYSQL_ADMIN_URL


@pytest.fixture
def pg_url(pg_admin_url: str) -> Iterator[str]:
    """Create a fresh PostgreSQL database, yield its URL, drop it afterwards."""
    import psycopg
    from psycopg import sql

    name = _unique_name()
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _with_database(pg_admin_url, name)
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture
def mysql_url(mysql_admin_url: str) -> Iterator[str]:
    """Create a fresh MariaDB/MySQL database, yield its URL, drop it afterwards."""
    name = _unique_name()
    _mysql_admin(mysql_admin_url, f"CREATE DATABASE `{name}`")
    try:
        yield _with_database(mysql_admin_url, name)
    finally:
        _mysql_admin(mysql_admin_url, f"DROP DATABASE IF EXISTS `{name}`")


def _mysql_admin(admin_url: str, statement: str) -> None:
    """Run one statement on the server, outside any database."""
    conn = _mysql_connect(admin_url, database=None)
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
    finally:
        conn.close()


@pytest.fixture(name="prisma_harness")
def _prisma_harness() -> ModuleType:
    """The Prisma harness module (node + pinned Prisma); skip/fail rule of ``node`` applied."""
    require_service("node")
    return prisma_harness
