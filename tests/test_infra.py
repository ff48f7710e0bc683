"""Tests of the test infrastructure itself: goldens, the skip-or-fail rule, fixtures, harness."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import prisma_harness
import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

pytest_plugins = ["pytester"]

INNER_INI = """\
[pytest]
addopts = --strict-markers -p no:cacheprovider
markers =
    postgres: needs PostgreSQL
    mysql: needs MariaDB/MySQL
    node: needs node and the Prisma harness
"""


@pytest.fixture
def inner(pytester: pytest.Pytester) -> pytest.Pytester:
    """A throw-away pytest project that uses this repository's conftest and harness."""
    shutil.copy(HERE / "conftest.py", pytester.path / "conftest.py")
    shutil.copy(HERE / "prisma_harness.py", pytester.path / "prisma_harness.py")
    pytester.makefile(".ini", pytest=INNER_INI)
    return pytester


GOLDEN_TEST = """
from pathlib import Path

def test_it(golden):
    golden("hello\\n", Path(__file__).parent / "data" / "hello.txt")
"""


def test_golden_missing_fails_with_hint(inner: pytest.Pytester) -> None:
    inner.makepyfile(test_g=GOLDEN_TEST)
    result = inner.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*golden file*hello.txt is missing*--update-goldens*"])


def test_golden_update_writes_then_compares(inner: pytest.Pytester) -> None:
    inner.makepyfile(test_g=GOLDEN_TEST)
    inner.runpytest_subprocess("--update-goldens").assert_outcomes(passed=1)
    assert (inner.path / "data" / "hello.txt").read_bytes() == b"hello\n"
    inner.runpytest_subprocess().assert_outcomes(passed=1)


def test_golden_difference_fails_with_diff(inner: pytest.Pytester) -> None:
    inner.makepyfile(test_g=GOLDEN_TEST)
    (inner.path / "data").mkdir()
    (inner.path / "data" / "hello.txt").write_text("goodbye\n")
    result = inner.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*differs from golden file*", "*-goodbye*", "*+hello*"])
    assert (inner.path / "data" / "hello.txt").read_text() == "goodbye\n"


SERVICE_TESTS = """
import pytest

@pytest.mark.postgres
def test_marked():
    pass

def test_fixture(pg_url):
    pass

@pytest.mark.mysql
def test_mysql_marked():
    pass

def test_plain():
    pass
"""

NOWHERE = {
    "SCHEMASYNC_TEST_PG_URL": "postgresql://postgres@127.0.0.1:9/postgres",
    "SCHEMASYNC_TEST_MYSQL_URL": "mysql://root@127.0.0.1:9/mysql",
}


def test_missing_service_is_skipped_outside_ci(
    inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in NOWHERE.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("CI", raising=False)
    inner.makepyfile(test_s=SERVICE_TESTS)
    result = inner.runpytest_subprocess("-rs")
    result.assert_outcomes(passed=1, skipped=3)
    result.stdout.fnmatch_lines(["*PostgreSQL at postgresql://postgres@127.0.0.1:9/*"])


def test_missing_service_fails_in_ci(
    inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in NOWHERE.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("CI", "true")
    inner.makepyfile(test_s=SERVICE_TESTS)
    result = inner.runpytest_subprocess()
    outcomes = result.parseoutcomes()
    assert outcomes.get("skipped", 0) == 0
    assert outcomes.get("passed") == 1
    assert outcomes.get("failed", 0) + outcomes.get("errors", outcomes.get("error", 0)) == 3
    result.stdout.fnmatch_lines(["*CI=true and a required service is missing*"])


SKIPPING_TESTS = """
import pytest

def test_skips():
    pytest.skip("no frobnicator here")

@pytest.mark.skipif(True, reason="not beside the repo")
def test_skipif():
    pass

@pytest.mark.xfail(reason="known", strict=True)
def test_xfail():
    assert False
"""


@pytest.mark.parametrize("ci", [True, False])
def test_no_test_may_skip_in_ci(
    inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ci: bool
) -> None:
    """With CI=true any skip (pytest.skip, skipif) fails, naming its reason; xfail stays xfail."""
    if ci:
        monkeypatch.setenv("CI", "true")
    else:
        monkeypatch.delenv("CI", raising=False)
    inner.makepyfile(test_k=SKIPPING_TESTS)
    result = inner.runpytest_subprocess("-rfs")
    if ci:
        result.assert_outcomes(failed=1, errors=1, xfailed=1)  # skipif: an error at setup
        result.stdout.fnmatch_lines(["*no test may skip in CI*no frobnicator here*"])
        result.stdout.fnmatch_lines(["*no test may skip in CI*not beside the repo*"])
    else:
        result.assert_outcomes(skipped=2, xfailed=1)


def test_password_is_not_shown(inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHEMASYNC_TEST_PG_URL", "postgresql://u:s3cr3tpw@127.0.0.1:9/postgres")
    monkeypatch.delenv("CI", raising=False)
    inner.makepyfile(test_s=SERVICE_TESTS)
    result = inner.runpytest_subprocess("-rs")
    assert "s3cr3tpw" not in result.stdout.str() + result.stderr.str()


@pytest.fixture
def check_dropped(pg_admin_url: str) -> Iterator[list[str]]:
    """Set up before ``pg_url`` so that its check runs after ``pg_url``'s teardown."""
    import psycopg

    names: list[str] = []
    yield names
    with psycopg.connect(pg_admin_url) as conn:
        for name in names:
            row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            assert row is None, f"database {name} was not dropped"


@pytest.mark.postgres
def test_pg_url_is_a_fresh_database_dropped_afterwards(
    check_dropped: list[str], pg_url: str
) -> None:
    import psycopg

    check_dropped.append(pg_url.rsplit("/", 1)[1])
    with psycopg.connect(pg_url) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
        assert tables == (0,)
        conn.execute("CREATE TABLE t (id int)")


@pytest.mark.mysql
def test_mysql_url_is_a_fresh_database(mysql_url: str) -> None:
    import pymysql  # type: ignore[import-untyped]

    name = mysql_url.rsplit("/", 1)[1]
    conn = pymysql.connect(host="127.0.0.1", port=3306, user="root", database=name)
    try:
        with conn.cursor() as cur:
            cur.execute("SHOW TABLES")
            assert cur.fetchall() == ()
    finally:
        conn.close()


# ------------------------------------------------------------------ the Prisma harness


def test_redact_masks_url_and_password() -> None:
    url = "postgresql://me:p%40ss@db:5432/x"
    text = f"could not reach {url} with p@ss or p%40ss"
    out = prisma_harness.redact(text, url)
    assert "p@ss" not in out
    assert "p%40ss" not in out
    assert out == "could not reach *** with *** or ***"


def test_push_schema_rewrites_datasource_and_generators() -> None:
    files = [
        (
            "a.prisma",
            'datasource db {\n  provider = "postgresql"\n  url = env("X")\n'
            '  directUrl = env("Y")\n}\n'
            'generator client {\n  provider = "prisma-client-js"\n'
            '  previewFeatures = ["multiSchema"]\n}\n',
        ),
        ("b.prisma", "model A {\n  id Int @id\n}\n"),
    ]
    text = prisma_harness._push_schema_text(files)
    assert text.count("generator ") == 1
    assert 'engineType      = "client"' in text
    assert '"multiSchema", "views"' in text
    assert 'url = env("DATABASE_URL")' in text
    assert "directUrl" not in text
    assert 'env("X")' not in text
    assert "model A" in text


def test_push_schema_adds_url_to_prisma7_datasource() -> None:
    text = prisma_harness._push_schema_text(
        [("s.prisma", 'datasource db {\n  provider = "sqlite"\n}\nmodel A {\n  id Int @id\n}\n')]
    )
    assert 'provider = "sqlite"\n  url = env("DATABASE_URL")\n}' in text


@pytest.mark.node
def test_datamodel_reads_both_datasource_styles(prisma_harness: ModuleType) -> None:
    body = "model User {\n  id Int @id @default(autoincrement())\n  email String @unique\n}\n"
    six = 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n' + body
    seven = 'datasource db {\n  provider = "postgresql"\n}\n' + body
    for text in (six, seven):
        dm = prisma_harness.datamodel(text)
        assert [m["name"] for m in dm["models"]] == ["User"]
        email = next(f for f in dm["models"][0]["fields"] if f["name"] == "email")
        assert email["isUnique"] is True
    with pytest.raises(prisma_harness.PrismaHarnessError):
        prisma_harness.datamodel(six, engine="7")
    with pytest.raises(prisma_harness.PrismaHarnessError):
        prisma_harness.datamodel(seven, engine="6")


@pytest.mark.node
def test_datamodel_of_a_large_schema_is_complete(prisma_harness: ModuleType) -> None:
    models = "".join(f"model M{i} {{\n  id Int @id\n  name{i} String\n}}\n" for i in range(400))
    text = 'datasource db {\n  provider = "sqlite"\n  url = "file:x.db"\n}\n' + models
    dm = prisma_harness.datamodel(text)  # > 64 KiB of JSON through a pipe
    assert len(dm["models"]) == 400


@pytest.mark.node
def test_validate_rejects_a_bad_schema(prisma_harness: ModuleType) -> None:
    with pytest.raises(prisma_harness.PrismaHarnessError, match="P1012"):
        prisma_harness.validate("model A {\n  id Int @id\n  b Strin\n}\n")


@pytest.mark.node
def test_sqlite_push_then_pull(prisma_harness: ModuleType, tmp_path: Path) -> None:
    schema = (
        'datasource db {\n  provider = "sqlite"\n}\n'
        "model Author {\n  id Int @id @default(autoincrement())\n  posts Post[]\n}\n"
        "model Post {\n  id Int @id\n  authorId Int\n"
        "  author Author @relation(fields: [authorId], references: [id])\n}\n"
    )
    db = tmp_path / "dev.db"
    prisma_harness.db_push(schema, f"file:{db}")
    with sqlite3.connect(db) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"Author", "Post"} <= names
    out = prisma_harness.db_pull(f"file:{db}", tmp_path / "pulled")
    pulled = out.read_text()
    assert "model Author" in pulled
    assert "model Post" in pulled


@pytest.mark.node
@pytest.mark.postgres
def test_postgres_push_then_pull_keeps_url_secret(
    prisma_harness: ModuleType, pg_url: str, tmp_path: Path
) -> None:
    schema = (
        'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n'
        "enum Status {\n  A\n  B\n}\n"
        "model Order {\n  id Int @id @default(autoincrement())\n  status Status @default(A)\n}\n"
    )
    log = prisma_harness.db_push(schema, pg_url)
    assert pg_url not in log
    out = prisma_harness.db_pull(pg_url, tmp_path)
    assert "enum Status" in out.read_text()
    dm = prisma_harness.datamodel(out)
    assert [e["name"] for e in dm["enums"]] == ["Status"]
    bad = pg_url.replace("127.0.0.1", "127.0.0.1:1").replace(":5432", "")
    with pytest.raises(prisma_harness.PrismaHarnessError) as info:
        prisma_harness.db_pull(bad, tmp_path / "bad")
    assert bad not in str(info.value)


def test_harness_package_is_pinned() -> None:
    pkg = json.loads((REPO / "tools" / "prisma" / "package.json").read_text())
    lock = json.loads((REPO / "tools" / "prisma" / "package-lock.json").read_text())
    for name, spec in pkg["dependencies"].items():
        version = spec.rsplit("@", 1)[-1] if spec.startswith("npm:") else spec
        assert version[0].isdigit(), f"{name} is not pinned to an exact version: {spec}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


# ------------------------------------------------------------------ the benchmark generator


def _gen_module() -> ModuleType:
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_schema", REPO / "bench" / "gen_schema.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_generator_is_deterministic() -> None:
    gen = _gen_module()
    assert gen.generate(40) == gen.generate(40)
    assert gen.generate(40).count("\nmodel ") == 40


@pytest.mark.node
@pytest.mark.parametrize("provider", ["postgresql", "sqlite", "mysql"])
def test_bench_schema_is_valid_for_prisma_and_schemasync(
    prisma_harness: ModuleType, provider: str, tmp_path: Path
) -> None:
    from schemasync.prisma.load import load_prisma

    path = tmp_path / "schema.prisma"
    path.write_text(_gen_module().generate(60, provider), encoding="utf-8")
    dm = prisma_harness.datamodel(path)
    assert len(dm["models"]) == 60
    mirror = load_prisma(path, tmp_path)
    assert len([t for t in mirror.tables if t.prisma_name]) == 60


# ------------------------------------------------------------------ CI entry point


def test_ci_runs_exactly_the_readme_test_command() -> None:
    """`.ci/run` runs the README's second Quickstart shell block (parsed with markdown-it)."""
    import subprocess

    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse((REPO / "README.md").read_text(encoding="utf-8"))
    in_quickstart, blocks = False, []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag == "h2":
            in_quickstart = tokens[i + 1].content.strip() == "Quickstart"
        elif in_quickstart and tok.type == "fence":
            blocks.append(tok.content.strip())
    assert len(blocks) == 2, "README Quickstart must hold exactly two shell blocks"
    printed = subprocess.run(
        ["bash", str(REPO / ".ci" / "run"), "--print-test-command"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert printed == blocks[1]
    assert "nox" in printed
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in script
    assert 'exit "$status"' in script


def test_ci_runs_every_nox_session() -> None:
    """Each session of noxfile.py runs in CI: by default (the README's `nox`) or named in the
    loop of `.ci/run` that follows it (read from the files: nox is not installed here)."""
    import ast
    import re

    tree = ast.parse((REPO / "noxfile.py").read_text(encoding="utf-8"))
    sessions, default = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(
            ast.unparse(d).startswith("nox.session") for d in node.decorator_list
        ):
            sessions.add(node.name)
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "nox.options.sessions":
            default = set(ast.literal_eval(node.value))
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    loop = re.search(r"(?m)^for session in ([\w ]+); do$", script)
    assert loop is not None, "no `for session in ...; do` loop in .ci/run"
    in_ci = set(loop.group(1).split())
    assert {"lint", "compiled", "tests"} <= default
    assert {"e2e", "conformance", "fuzz", "bench"} <= in_ci
    assert sessions == default | in_ci, sessions ^ (default | in_ci)
    assert not default & in_ci, "a default session would run twice in CI"


def test_the_build_under_test_is_the_one_installed() -> None:
    """`build()` says how the import runs, module by module; nox says which build it installed
    (`SCHEMASYNC_EXPECT_BUILD`: `tests` an editable, pure-Python one; `compiled` a wheel), so a
    compiled session cannot silently test the pure-Python files, nor the other way round."""
    import importlib
    import os

    from build_diff import compiled_modules  # setup.py's list, read from setup.py

    from schemasync import build

    files = [importlib.import_module(m).__file__ for m in compiled_modules()]
    kinds = {"pure Python" if str(f).endswith(".py") else "compiled" for f in files}
    assert kinds == {build()}, files  # all compiled, or none
    expected = os.environ.get("SCHEMASYNC_EXPECT_BUILD")
    if expected is not None:
        assert build() == expected


def test_version_says_how_the_import_runs() -> None:
    import subprocess
    import sys

    from schemasync import __version__, build

    cli = Path(sys.executable).with_name("schemasync")
    out = subprocess.run([str(cli), "--version"], capture_output=True, text=True, check=True)
    assert out.stdout == f"schemasync {__version__} ({build()})\n"


SUMMARY_TESTS = """
import pytest

@pytest.mark.parametrize("i", range(4))
def test_counted(summary, i):
    summary("tally", {"seen": 1, "odd": i % 2}, f"case {i}" if i % 2 else None)
"""


def test_summary_is_summed_over_xdist_workers(inner: pytest.Pytester) -> None:
    """`summary` counts travel with each test's report from the worker: summed in the
    controller, once each (one worker: the same path as two, and a second starts slowly)."""
    inner.makepyfile(test_t=SUMMARY_TESTS)
    result = inner.runpytest_subprocess("-n", "1")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["tally: seen: 4; odd: 2", "  case 1", "  case 3"])
