"""The distribution as a user gets it, and the README's CI snippets as a user copies them.

`python -m build`, run once on a committed copy of this checkout, must give one sdist and one
wheel named for PyPI (`schemasync_db-<version>`); each installs into a fresh virtualenv and runs
from an empty folder (`schemasync --version`, then `sync` and `check` on a copy of
examples/shop). The commands of the README's "CI usage" snippets (a nox session, GitHub Actions
steps, a pre-commit config) run on a fresh project; they are read from README.md, so the README
and this test cannot drift. The hook itself is tried with `pre-commit try-repo`. Where a snippet
installs `schemasync-db` by name, pip gets the wheel built here: `PIP_NO_INDEX` and a wheelhouse
holding it and its dependencies (it is what a release would upload).

The tests marked `package` run in the `package` nox session, which `.ci/run` runs: two compiled
builds, four virtualenvs and a pre-commit environment take about three minutes of one core, too
much for the default `nox`. The cheap checks (one version source, the snippets name the
distribution, the hook they name exists) are unmarked and run in the `tests` session.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from safety_project import CONTEXT, MIRROR, SHOP, clean_env, make_project
from user_shell import OWN_BIN, fenced_blocks, git_commit_all, run, user_env

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
HOOKS = REPO / ".pre-commit-hooks.yaml"
#: The distribution's name on PyPI; the package and the command are `schemasync`.
DIST = "schemasync-db"
#: A hand edit that leaves a valid mirror: `check` must call it drift (exit 1), not corrupt.
EDIT = ('"name": "PAID"', '"name": "PAID_BY_HAND"')


def source_version() -> str:
    """Return `__version__` as written in schemasync/__init__.py (the one version source)."""
    tree = ast.parse((REPO / "schemasync" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] == [
            "__version__"
        ]:
            assert isinstance(node.value, ast.Constant), "__version__ must be a literal string"
            assert isinstance(node.value.value, str)
            return node.value.value
    raise AssertionError("schemasync/__init__.py assigns no __version__")


def ci_snippets() -> dict[str, str]:
    """Return the fenced blocks of the README's "CI usage" section by what they are for:
    `nox` (the python block), `actions` (the yaml block with steps), `pre-commit` (`repos:`)."""
    found: dict[str, str] = {}
    for info, content in fenced_blocks(README, "CI usage"):
        if info == "python":
            kind = "nox"
        elif info == "yaml":
            kind = "pre-commit" if content.startswith("repos:") else "actions"
        else:
            raise AssertionError(f"unexpected ```{info} block in README's CI usage")
        assert kind not in found, f"two {kind} snippets in README's CI usage"
        found[kind] = content
    assert set(found) == {"nox", "actions", "pre-commit"}, sorted(found)
    return found


def readme_section(title: str) -> str:
    """Return the text of the README's `## title` section (up to the next `## `)."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


def make_venv(where: Path) -> Path:
    """Create an empty virtualenv (stdlib venv, with pip); return its bin folder."""
    run([sys.executable, "-m", "venv", where], where.parent, user_env())
    return where / "bin"


def edit_mirror(project: Path) -> None:
    """Hand-edit the project's mirror (an enum value renamed: still a valid mirror)."""
    mirror = project / MIRROR
    text = mirror.read_text(encoding="utf-8")
    assert EDIT[0] in text
    mirror.write_text(text.replace(EDIT[0], EDIT[1], 1), encoding="utf-8")


# ---------------------------------------------------------------- fixtures


@dataclass(frozen=True)
class Dists:
    """What `python -m build` wrote."""

    sdist: Path
    wheel: Path


@pytest.fixture(scope="session")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A committed copy of this checkout as it is now (tracked and new files, not ignored ones),
    and its HEAD: `pre-commit try-repo` clones HEAD, so uncommitted work must be committed."""
    dest = tmp_path_factory.mktemp("checkout") / "schemasync"
    listed = run(  # the user's git config here: it may declare the checkout a safe.directory
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], REPO, clean_env()
    ).stdout
    for rel in filter(None, listed.split("\0")):
        source = REPO / rel
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree, not yet committed
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
    return dest, git_commit_all(dest, "the checkout under test")


@pytest.fixture(scope="session")
def dists(checkout: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Dists:
    """Build the sdist, then the wheel from it (`python -m build`, isolated, compiled)."""
    out = tmp_path_factory.mktemp("dist")
    source = checkout[0]
    run([sys.executable, "-m", "build", "--outdir", out, source], source, user_env(), timeout=900)
    sdists, wheels = sorted(out.glob("*.tar.gz")), sorted(out.glob("*.whl"))
    assert len(sdists) == 1, sdists
    assert len(wheels) == 1, wheels
    return Dists(sdist=sdists[0], wheel=wheels[0])


@pytest.fixture(scope="session")
def wheelhouse(dists: Dists, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The pip settings under which `pip install schemasync-db` finds the wheel built here and
    nothing else: a wheelhouse of it and its dependencies, and no index."""
    house = tmp_path_factory.mktemp("wheelhouse")
    run(
        [sys.executable, "-m", "pip", "download", "-q", "--dest", house, dists.wheel],
        house,
        user_env(),
    )
    return {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(house)}


@pytest.fixture
def fresh_project(tmp_path: Path) -> Path:
    """A team's project as it is committed: examples/shop (schema, config, mirror, context) in
    a new git repository."""
    project = make_project(tmp_path, "app")
    git_commit_all(project, "our project")
    return project


# ---------------------------------------------------------------- cheap checks (tests session)


def test_one_version_source() -> None:
    """pyproject.toml takes its version from `schemasync.__version__`, a literal that setuptools
    reads without importing the package; the distribution is named for PyPI."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == DIST
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    dynamic = project["tool"]["setuptools"]["dynamic"]
    assert dynamic["version"] == {"attr": "schemasync.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", source_version())
    from schemasync import __version__

    assert __version__ == source_version()


def test_readme_installs_the_distribution_by_its_name() -> None:
    """The CI snippets install `schemasync-db` (`schemasync` on PyPI is another program), run the
    `schemasync` command, and name a hook that `.pre-commit-hooks.yaml` defines."""
    snippets = ci_snippets()
    assert f'session.install("{DIST}")' in snippets["nox"]
    assert f"pip install {DIST} " in snippets["actions"]
    for kind in ("nox", "actions"):
        assert "schemasync" in snippets[kind].replace(DIST, "")
    assert "actions/checkout@" in snippets["actions"]  # `check` reads the committed files
    hook_ids = re.findall(r"(?m)^- id: (\S+)$", HOOKS.read_text(encoding="utf-8"))
    named = re.findall(r"(?m)^\s+- id: (\S+)$", snippets["pre-commit"])
    assert named
    assert set(named) <= set(hook_ids), (named, hook_ids)
    for title in ("Quickstart", "CI usage"):
        for spec in re.findall(r"pip install '?([^\s'`]+)", readme_section(title)):
            assert not spec.startswith("schemasync") or spec.startswith(DIST), (title, spec)


def test_package_names_its_extras_by_the_distribution() -> None:
    """A hint to install a driver names the distribution's extra (`schemasync-db[postgres]`):
    `pip install 'schemasync[postgres]'` would install the other program."""
    package = REPO / "schemasync"
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.md")]):
        text = path.read_text(encoding="utf-8")
        assert "schemasync[" not in text, path.relative_to(REPO)


@pytest.mark.parametrize(
    ("path", "runs"),
    [
        ("prisma/schema.prisma", True),
        ("prisma/models/user.prisma", True),  # a schema folder
        ("apps/api/prisma/schema.prisma", True),  # prismaSchema in a monorepo
        ("db/schema.prisma", True),
        ("prisma/views/main/active_products.sql", True),
        ("db/views/public/v.sql", True),
        ("db/schema/tables.json", True),
        ("docs/context/db/schema.json", True),
        ("docs/project/db-ssot.json", True),
        ("src/services/orders.ts", False),
        ("db/shop.sql", False),
        ("README.md", False),
    ],
)
def test_hook_runs_when_an_input_of_check_changes(path: str, runs: bool) -> None:
    """The hook's `files` pattern (pre-commit: `re.search`) covers what `check` reads."""
    found = re.search(r"(?m)^  files: (.+)$", HOOKS.read_text(encoding="utf-8"))
    assert found is not None
    assert bool(re.search(found.group(1), path)) is runs


def test_readme_pre_commit_rev_is_a_placeholder_or_exists() -> None:
    """The pre-commit snippet's `rev` says what to pin, or names a tag / commit that exists here
    (the README once pinned `v0.1.0`, a tag that was never made)."""
    rev = re.search(r"(?m)^\s+rev:\s*(.+?)\s*$", ci_snippets()["pre-commit"])
    assert rev is not None
    value = rev.group(1)
    if value.startswith("<") and value.endswith(">"):
        return
    found = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{value}^{{commit}}"],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    assert found.returncode == 0, f"rev {value!r} is no tag or commit of this repository"


def test_changelog_keeps_its_release_sections() -> None:
    """`## [Unreleased]` first, then releases `## [X.Y.Z] - YYYY-MM-DD`, newest first; the
    version in the source is the newest release or the one being prepared."""
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"(?m)^## (.+)$", text)
    assert headings[0] == "[Unreleased]", headings[:1]
    released = []
    for heading in headings[1:]:
        found = re.fullmatch(r"\[(\d+)\.(\d+)\.(\d+)\] - \d{4}-\d{2}-\d{2}", heading)
        assert found, f"CHANGELOG heading {heading!r} is not `[X.Y.Z] - YYYY-MM-DD`"
        released.append(tuple(int(n) for n in found.groups()))
    assert released == sorted(released, reverse=True), released
    version = tuple(int(n) for n in source_version().split("."))
    assert not released or version >= released[0], (version, released[0])


# ---------------------------------------------------------------- the build (package session)


@pytest.mark.package
def test_build_gives_an_sdist_and_a_wheel_named_for_pypi(dists: Dists) -> None:
    """One sdist and one compiled wheel, named and versioned from the one source, with the
    `schemasync` command, the templates, the compiled import; no tests."""
    from build_diff import compiled_modules

    version = source_version()
    assert dists.sdist.name == f"schemasync_db-{version}.tar.gz"
    # cp3XX-cp3XX-<platform>: the wheel carries the import compiled by mypyc, not py3-none-any
    assert re.fullmatch(
        rf"schemasync_db-{re.escape(version)}-cp3\d+-cp3\d+-\w+\.whl", dists.wheel.name
    )
    with zipfile.ZipFile(dists.wheel) as wheel:
        names = set(wheel.namelist())
        info = f"schemasync_db-{version}.dist-info"
        metadata = wheel.read(f"{info}/METADATA").decode()
        entry_points = wheel.read(f"{info}/entry_points.txt").decode()
    assert f"\nName: {DIST}\n" in metadata
    assert f"\nVersion: {version}\n" in metadata
    assert "schemasync = schemasync.cli:main" in entry_points
    assert {"schemasync/__init__.py", "schemasync/py.typed"} <= names
    templates = {n for n in names if n.startswith("schemasync/templates/") and n.endswith(".md")}
    assert len(templates) == len(list((REPO / "schemasync" / "templates").glob("*.md")))
    assert "schemasync/shims/shim.mjs" in names  # `install-shims` writes it
    assert "schemasync/proposal_templates/proposal.md" in names  # `propose` writes it
    for module in compiled_modules():
        stem = module.replace(".", "/")
        assert any(n.startswith(stem + ".cpython-") and n.endswith(".so") for n in names), stem
    assert not any(n.startswith("tests/") for n in names)
    with tarfile.open(dists.sdist) as sdist:
        top = f"schemasync_db-{version}/"
        members = {m.name.removeprefix(top) for m in sdist.getmembers()}
        pkg_info = sdist.extractfile(top + "PKG-INFO")
        assert pkg_info is not None
        sdist_metadata = pkg_info.read().decode()
    assert {"pyproject.toml", "setup.py", "README.md", "CHANGELOG.md"} <= members
    assert {"schemasync/__init__.py", "schemasync/templates/00-ssot-mode-check.md"} <= members
    assert "schemasync/shims/shim.mjs" in members
    assert "schemasync/proposal_templates/proposal.md" in members
    assert not any(m.startswith("tests/") for m in members)
    assert f"\nName: {DIST}\n" in sdist_metadata
    assert f"\nVersion: {version}\n" in sdist_metadata


@pytest.mark.package
@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_installs_and_runs_from_an_empty_folder(kind: str, dists: Dists, tmp_path: Path) -> None:
    """`pip install` of the wheel (or the sdist, compiled at install) into a fresh venv gives a
    `schemasync` that says its version and build, imports from the venv, and syncs a project."""
    version = source_version()
    bin_dir = make_venv(tmp_path / "venv")
    empty = tmp_path / "empty"
    empty.mkdir()
    env = user_env(bin_dir)
    run([bin_dir / "pip", "install", "-q", getattr(dists, kind)], empty, env, timeout=900)
    assert run(["schemasync", "--version"], empty, env).stdout == (
        f"schemasync {version} (compiled)\n"
    )
    probe = "import importlib.metadata as m, schemasync; print(m.version('schemasync-db')); "
    probe += "print(schemasync.__file__)"
    found, where = run(["python", "-c", probe], empty, env).stdout.splitlines()
    assert found == version
    assert Path(where).is_relative_to(tmp_path / "venv"), where
    assert list(empty.iterdir()) == []

    project = make_project(tmp_path)
    run(["schemasync", "sync"], project, env)
    for artifact in (MIRROR, CONTEXT):  # the example's are current: rewritten byte-identical
        assert (project / artifact).read_bytes() == (SHOP / artifact).read_bytes(), artifact
    evidence = sorted(p.name for p in (project / ".ai" / ".tmp").rglob("0[0-4]-*.md"))
    assert len(evidence) == 5, evidence
    run(["schemasync", "check"], project, env)
    edit_mirror(project)
    run(["schemasync", "check"], project, env, code=1)


# ---------------------------------------------------------------- the README's CI snippets


@pytest.mark.package
def test_readme_nox_session_runs_on_a_fresh_project(
    fresh_project: Path, wheelhouse: dict[str, str]
) -> None:
    """The nox snippet, pasted into a project's noxfile.py, installs `schemasync-db` and passes
    on a current project; the same session fails on a hand-edited mirror."""
    snippet = ci_snippets()["nox"]
    session = re.search(r"(?m)^def (\w+)\(session", snippet)
    assert session is not None
    (fresh_project / "noxfile.py").write_text("import nox\n\n\n" + snippet, encoding="utf-8")
    env = user_env(extra=wheelhouse)
    nox = [OWN_BIN / "nox", "--no-color", "-s", session.group(1)]
    done = run(nox, fresh_project, env)
    assert f"Session {session.group(1)} was successful" in done.stderr
    installed = fresh_project / ".nox" / session.group(1) / "bin" / "schemasync"
    assert installed.is_file()
    edit_mirror(fresh_project)
    failed = run([*nox, "--reuse-existing-virtualenvs", "--no-install"], fresh_project, env, code=1)
    assert MIRROR in failed.stdout + failed.stderr


@pytest.mark.package
def test_readme_github_actions_steps_run_on_a_fresh_project(
    fresh_project: Path, wheelhouse: dict[str, str], tmp_path: Path
) -> None:
    """The `run:` steps of the GitHub Actions snippet, in the job's shell (`bash -e`) with a
    fresh Python first on PATH (what actions/setup-python gives), pass on a current project and
    fail on a hand-edited mirror."""
    steps = re.findall(r"(?m)^\s*(?:- )?run:\s*(.+?)\s*$", ci_snippets()["actions"])
    assert steps
    env = user_env(make_venv(tmp_path / "python"), wheelhouse)
    for step in steps:
        run(["bash", "-e", "-c", step], fresh_project, env)
    assert (tmp_path / "python" / "bin" / "schemasync").is_file()
    edit_mirror(fresh_project)
    failed = run(["bash", "-e", "-c", steps[-1]], fresh_project, env, code=1)
    assert MIRROR in failed.stdout + failed.stderr


@pytest.mark.package
def test_pre_commit_hook_passes_then_catches_a_hand_edit(
    checkout: tuple[Path, str], fresh_project: Path, tmp_path: Path
) -> None:
    """`pre-commit try-repo` runs this repository's hook on a fresh project; the README's config,
    with this checkout as `repo` and its HEAD as `rev` (the two values a user fills in), passes,
    then fails (exit 1) once the mirror is edited by hand."""
    source, head = checkout
    pre_commit = OWN_BIN / "pre-commit"
    # The hook's environment is `pip install .` of the repository: compiling the import there
    # (the sdist test does it) would only add ~40 s.
    env = user_env(
        extra={"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "SCHEMASYNC_PURE_PYTHON": "1"}
    )
    run([pre_commit, "validate-manifest", source / ".pre-commit-hooks.yaml"], source, env)
    tried = run(
        [pre_commit, "try-repo", source, "schemasync-check", "--all-files"],
        fresh_project,
        env,
        timeout=900,
    )
    assert re.search(r"schemasync check .*Passed", tried.stdout), tried.stdout

    config, replaced = re.subn(
        r"(?m)^(\s*- repo:\s*)\S.*$",
        lambda m: m.group(1) + str(source),
        ci_snippets()["pre-commit"],
    )
    assert replaced == 1
    config, replaced = re.subn(r"(?m)^(\s*rev:\s*)\S.*$", lambda m: m.group(1) + head, config)
    assert replaced == 1
    (fresh_project / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    run([pre_commit, "validate-config"], fresh_project, env)
    git_commit_all(fresh_project, "pre-commit")
    passed = run([pre_commit, "run", "--all-files"], fresh_project, env, timeout=900)
    assert re.search(r"schemasync check .*Passed", passed.stdout), passed.stdout
    edit_mirror(fresh_project)
    run(["git", "add", "-A"], fresh_project, env)
    failed = run([pre_commit, "run", "--all-files"], fresh_project, env, code=1)
    assert re.search(r"schemasync check .*Failed", failed.stdout), failed.stdout
    assert MIRROR in failed.stdout


@pytest.mark.package
@pytest.mark.node
@pytest.mark.postgres
def test_a_fresh_project_from_nothing_to_a_green_pre_commit_hook(
    checkout: tuple[Path, str],
    pg_url: str,
    prisma_harness: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """The first hour, end to end: an empty git repository -> `init --mode database` -> Phase A
    (a seed schema) -> real Prisma 6.19.3 `db pull` from a real PostgreSQL database -> `sync` ->
    the README's pre-commit hook (`schemasync check`) passes on the commit; nothing under
    `.ai/.tmp/` is committed."""
    import psycopg
    from test_first_setup import DATABASE, _config

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(DATABASE)
    project = tmp_path / "team-app"
    project.mkdir()
    run(["git", "init", "-q", "-b", "main", "."], project, user_env())
    env = user_env(
        extra={"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "SCHEMASYNC_PURE_PYTHON": "1"}
    )
    schemasync = OWN_BIN / "schemasync"
    run([schemasync, "init", "--mode", "database"], project, env)
    _config(project, schemas=["public", "audit"])
    run([schemasync, "phase-a", "--provider", "postgresql"], project, env)
    monkeypatch.setenv("PRISMA_QUERY_ENGINE_LIBRARY", "/bin/true")  # the harness README, gotcha 5
    prisma_harness.db_pull(
        pg_url, project / "prisma", reintrospect=project / "prisma/schema.prisma"
    )
    run([schemasync, "sync"], project, env)

    source, head = checkout
    config = re.sub(r"(?m)^(\s*- repo:\s*)\S.*$", lambda m: m.group(1) + str(source),
                    ci_snippets()["pre-commit"])  # fmt: skip
    config = re.sub(r"(?m)^(\s*rev:\s*)\S.*$", lambda m: m.group(1) + head, config)
    (project / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    git_commit_all(project, "schemasync: the mirror of our database")
    committed = run(["git", "ls-files"], project, env).stdout.splitlines()
    assert MIRROR in committed
    assert not [p for p in committed if p.startswith(".ai/")], committed
    passed = run([OWN_BIN / "pre-commit", "run", "--all-files"], project, env, timeout=900)
    assert re.search(r"schemasync check .*Passed", passed.stdout), passed.stdout
    status = run(["git", "status", "--porcelain", "--untracked-files=all"], project, env).stdout
    assert status == "", status  # the run's lock and records are ignored (.gitignore by init)
