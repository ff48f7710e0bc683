"""Nox sessions: the test suite, lint, the compiled build, Prisma conformance, e2e, bench, fuzz.

`nox` with no arguments runs what must pass on every change, in minutes: `lint` (ruff and mypy
strict), `compiled` (the build a user installs, the Prisma import compiled by mypyc by setup.py,
checked by difference: it must import every golden, corpus and fuzz-corpus schema byte for byte
as the pure-Python one does) and `tests` (the whole suite once, on the editable pure-Python
install, in parallel with pytest-xdist; the tests that need node and real Prisma are the `e2e`
and `conformance` sessions', the release build and the README's CI snippets the `package`
session's). `e2e`, `conformance`, `fuzz`, `bench` and `package` are sessions of their own;
`.ci/run` runs them all after `nox`. Dependencies come from pyproject.toml, never repeated here.
Sessions that need node run `npm ci` in tools/prisma first (once per lock file; no download of
Prisma engines: tools/prisma/.npmrc sets ignore-scripts).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import nox

nox.options.default_venv_backend = "virtualenv"
nox.options.reuse_existing_virtualenvs = True
# tests last: its pytest summary closes the output
nox.options.sessions = ["lint", "compiled", "tests"]
nox.options.error_on_missing_interpreters = True

ROOT = Path(__file__).resolve().parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
TOOLS = ROOT / "tools" / "prisma"
#: the real Mermaid and DBML parsers the diagram tests run (tests/test_diagrams_valid.py)
DIAGRAM_TOOLS = ROOT / "tools" / "diagrams"
#: the shared real-world corpus, beside the checkout (or SCHEMASYNC_CORPUS, as the tests read it)
DEFAULT_CORPUS = os.environ.get("SCHEMASYNC_CORPUS", "../shared/corpus/prisma")


def _install(session: nox.Session, *groups: str, compiled: bool = False) -> None:
    """Install the package with the given dependency groups of pyproject.toml: editable (pure
    Python, setup.py), or built as a user gets it (`compiled`: the import as C extensions)."""
    deps: list[str] = []
    for group in groups:
        deps += nox.project.dependency_groups(PYPROJECT, group)
    if compiled:
        # setuptools builds in ./build and reuses what it finds there: a module deleted from the
        # tree would still be in the wheel
        shutil.rmtree(ROOT / "build", ignore_errors=True)
        session.install(".", *deps, env={"SCHEMASYNC_PURE_PYTHON": "0"})
    else:
        session.install("-e", ".", *deps)


def _npm_ci(session: nox.Session, tools: Path = TOOLS) -> None:
    """Install a pinned node harness (the Prisma one by default) unless its node_modules
    already matches the lock file."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        session.error("node and npm are needed (apt-get install nodejs npm)")
    lock = (tools / "package-lock.json").read_bytes()
    digest = hashlib.sha256(lock).hexdigest()
    stamp = tools / "node_modules" / ".schemasync-lock-sha256"
    if stamp.is_file() and stamp.read_text().strip() == digest:
        session.log(f"{tools.relative_to(ROOT)}/node_modules is current (lock file unchanged)")
        return
    with session.chdir(tools):
        session.run("npm", "ci", "--no-audit", "--no-fund", external=True, env={"CI": "true"})
    stamp.write_text(digest + "\n")


def _pytest(session: nox.Session, *args: str, env: dict[str, str] | None = None) -> None:
    session.run("python", "-m", "pytest", *args, env=env or {})


#: pytest-xdist: one worker per core; each test makes its own temporary files and databases.
PARALLEL = ("-n", "auto")


@nox.session
def tests(session: nox.Session) -> None:
    """Run the whole suite once on the editable, pure-Python install (tests that need node and
    the long sweeps marked `slow`: the `e2e` and `conformance` sessions; the build and the
    README's CI snippets: `package`);
    posargs go to pytest instead of the defaults."""
    _install(session, "test")
    _pytest(
        session,
        *(session.posargs or [*PARALLEL, "-m", "not node and not package and not slow", "tests"]),
        env={"SCHEMASYNC_EXPECT_BUILD": "pure Python"},
    )


@nox.session
def compiled(session: nox.Session) -> None:
    """Check the compiled build (`pip install .`) by difference with the pure-Python one.

    The wheel must be compiled (the build tests of test_infra.py, `schemasync --version`), and
    `tests/build_diff.py` must find its import byte-identical to the source tree's on every
    golden case, corpus schema and fuzz-corpus schema (mirror, repr, error messages). posargs:
    pytest arguments to run on the compiled build instead (`nox -s compiled -- tests/...`).
    """
    _install(session, "test", compiled=True)
    if session.posargs:
        _pytest_installed(session, *session.posargs)
        return
    _pytest_installed(
        session,
        str(ROOT / "tests" / "test_infra.py::test_the_build_under_test_is_the_one_installed"),
        str(ROOT / "tests" / "test_infra.py::test_version_says_how_the_import_runs"),
    )
    session.run("python", str(ROOT / "tests" / "build_diff.py"))


def _pytest_installed(session: nox.Session, *args: str, env: dict[str, str] | None = None) -> None:
    """Run pytest on the installed (compiled) package: from an empty folder, so that neither
    pytest nor the processes the tests start (`python -c ...`) import the source tree."""
    with tempfile.TemporaryDirectory(prefix="ss-compiled-") as away, session.chdir(away):
        session.run(
            "pytest", "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml"),
            "-p", "no:cacheprovider", *args,
            env={"SCHEMASYNC_EXPECT_BUILD": "compiled", **(env or {})},
        )  # fmt: skip


@nox.session
def package(session: nox.Session) -> None:
    """Build the sdist and wheel as a release would (`python -m build`), install each into a fresh
    venv and run it from an empty folder; run the README's CI snippets (nox, GitHub Actions,
    pre-commit) on a fresh project (tests/test_packaging.py, the tests marked `package`)."""
    _install(session, "test", "package")
    _npm_ci(session)  # the first-hour walkthrough pulls with the Prisma harness
    _pytest(session, "-m", "package", *(session.posargs or ["tests"]))


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and types: ruff check, ruff format --check, mypy strict."""
    _install(session, "test", "lint")
    session.install("nox")  # so that mypy sees the types of noxfile.py's decorators
    targets = [
        p
        for p in ("schemasync", "tests", "bench", "tasks.py", "noxfile.py", "setup.py")
        if Path(p).exists()
    ]
    session.run("ruff", "check", *targets)
    session.run("ruff", "format", "--check", *targets)
    session.run("mypy", *targets)


@nox.session
def conformance(session: nox.Session) -> None:
    """Check every corpus schema's import against Prisma's get_datamodel (arg: corpus path)."""
    corpus = Path(session.posargs[0] if session.posargs else DEFAULT_CORPUS).resolve()
    if not corpus.is_dir():
        session.error(f"corpus folder not found: {corpus} (pass it as: nox -s conformance -- PATH)")
    _install(session, "test")
    _npm_ci(session)
    _pytest(
        session,
        *PARALLEL,
        "tests/test_conformance.py",
        env={"SCHEMASYNC_CORPUS": str(corpus), "SCHEMASYNC_REQUIRE_CORPUS": "1"},
    )


@nox.session
def e2e(session: nox.Session) -> None:
    """Run the tests that need node and real Prisma (db push / db pull fidelity against live
    databases, drift, the harness) or the real Mermaid/DBML parsers, and the long sweeps marked
    `slow` (SIGINT at 100 points, SIGKILL and a failed write at every write point), but the
    corpus conformance (its own session)."""
    _install(session, "test")
    _npm_ci(session)
    _npm_ci(session, DIAGRAM_TOOLS)
    _pytest(
        session,
        *PARALLEL,
        "-m",
        "(node or slow) and not package",
        *(session.posargs or ["tests", "--ignore", "tests/test_conformance.py"]),
    )


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmark the import against Prisma at 100 / 1,000 / 10,000 models; print a table.

    It measures the build a user installs (compiled, `pip install .`); `python bench/run.py`
    in an editable install measures the pure-Python one (the table says which it measured).
    """
    _install(session, "test", compiled=True)
    _npm_ci(session)
    session.run("python", "bench/run.py", *session.posargs)
    # issue 4: native introspection of a 1,000-table PostgreSQL database vs `prisma db pull`;
    # issue 13: `schemasync pull` (the live capture) of the same database vs `prisma db pull`
    session.run("python", "bench/introspect_pg.py", "1000", "5")
    # issue 16: `snapshot --ddl` of a pg_dump of the 1,000-table database vs its introspection
    session.run("python", "bench/ddl_pg.py", "1000", "5")
    # issue 14: `schemasync mcp` start-up and describe_table latency on the 1,000-model mirror
    session.run("python", "bench/serve_mcp.py", "1000", "5")
    # issue 14: context vs mirror vs schema.prisma, bytes and tokens (example, corpus, 1,000)
    session.run("python", "bench/context_size.py", "1000")


@nox.session
def fuzz(session: nox.Session) -> None:
    """Run the property/fuzz tests in tests/fuzz with a large example count (Hypothesis), against
    the compiled build (what users run; the `tests` session runs them on the pure-Python one)."""
    folder = ROOT / "tests" / "fuzz"
    if not any(folder.glob("test_*.py")):
        session.skip("tests/fuzz has no test modules yet")
    _install(session, "test", compiled=True)
    examples = os.environ.get("SCHEMASYNC_FUZZ_EXAMPLES", "10000")
    _pytest_installed(
        session,
        *PARALLEL,
        str(folder),
        *session.posargs,
        env={"HYPOTHESIS_PROFILE": "fuzz", "SCHEMASYNC_FUZZ_EXAMPLES": examples},
    )
