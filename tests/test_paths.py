"""Path safety (issue 5, item 3): nothing resolves outside the project; names are validated.

Through the real CLI on a copy of the shop example: `..`, absolute and symlink escapes of the
evidence folder, `--root`, `prismaSchema`, the layer globs and the artifact folders, and bad
`--task-slug` / `--run-id` values, each exit 2 naming the offending value, with nothing written
inside the project or outside it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from safety_project import CONFIG, assert_clean_failure, changes, make_project, run_cli, tree_bytes

from schemasync.errors import ExitCode


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the shop example, next to an `outside` folder it must never touch."""
    (tmp_path / "outside").mkdir()
    return make_project(tmp_path)


def _outside(project: Path) -> Path:
    return project.parent / "outside"


def expect_refused(project: Path, *args: str, names: str) -> str:
    """Run; check exit 2, a one-line message naming `names`, and nothing written anywhere."""
    before = tree_bytes(project)
    proc = run_cli(project, *args)
    message = assert_clean_failure(proc, int(ExitCode.USAGE))
    assert names in message, message
    assert changes(before, tree_bytes(project)) == {}
    assert list(_outside(project).rglob("*")) == [], "something was written outside"
    return message


def _config(project: Path, **changes_: object) -> None:
    data = json.loads((project / CONFIG).read_text(encoding="utf-8"))
    data.update(changes_)
    (project / CONFIG).write_text(json.dumps(data), encoding="utf-8")


# ---- the evidence folder -------------------------------------------------------------------


@pytest.mark.parametrize("value", ["../outside", "docs/../../outside", "/tmp/schemasync-abs"])
def test_evidence_dir_escape(project: Path, value: str) -> None:
    """`--evidence-dir` with `..` or an absolute path: exit 2 naming it."""
    expect_refused(project, "sync", "--evidence-dir", value, names=repr(value))


def test_evidence_dir_symlink_escape(project: Path) -> None:
    """`--evidence-dir` through a symlink that points outside: exit 2."""
    (project / "evidence").symlink_to(_outside(project))
    expect_refused(project, "sync", "--evidence-dir", "evidence/run1", names="'evidence/run1'")


def test_runs_folder_symlink_escape(project: Path) -> None:
    """`.ai` itself a symlink to outside: the run folder would escape; exit 2."""
    (project / ".ai").symlink_to(_outside(project))
    before = tree_bytes(project)
    proc = run_cli(project, "sync")
    message = assert_clean_failure(proc, int(ExitCode.USAGE))
    assert "outside the project" in message, message
    assert changes(before, tree_bytes(project)) == {}
    assert list(_outside(project).rglob("*.md")) == []
    assert not (_outside(project) / ".tmp" / "db-sync" / "CURRENT").exists()
    assert list(_outside(project).rglob("*")) == []  # not even the lock (issue 11)


def test_artifact_folder_symlink_escape(project: Path) -> None:
    """`db/schema` a symlink to outside: the mirror is not written through it; exit 2."""
    mirror_dir = project / "db" / "schema"
    for child in mirror_dir.iterdir():
        child.unlink()
    mirror_dir.rmdir()
    mirror_dir.symlink_to(_outside(project))
    before = tree_bytes(project)
    proc = run_cli(project, "import-prisma")
    message = assert_clean_failure(proc, int(ExitCode.USAGE))
    assert "db/schema" in message, message
    assert "outside the project" in message
    assert list(_outside(project).iterdir()) == []
    assert {p for p in changes(before, tree_bytes(project)) if not p.startswith(".ai/")} == set()


# ---- --root --------------------------------------------------------------------------------


def test_root_dotdot_escape(project: Path) -> None:
    """`--root ..` from inside the project (the repository): exit 2 naming it."""
    expect_refused(project, "sync", "--root", "..", names="--root '..'")


def test_root_absolute_outside(project: Path) -> None:
    """`--root /abs/outside`: exit 2."""
    outside = str(_outside(project))
    expect_refused(project, "sync", "--root", outside, names=f"--root {outside!r}")


def test_root_symlink_escape(project: Path) -> None:
    """`--root link` where `link` points outside the repository: exit 2."""
    (project / "link").symlink_to(_outside(project))
    expect_refused(project, "sync", "--root", "link", names="--root 'link'")


# ---- prismaSchema ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["../outside/schema.prisma", "/etc/hostname", "prisma/../../x"])
def test_prisma_schema_escape(project: Path, value: str) -> None:
    """`prismaSchema` with `..` or an absolute path: exit 2 naming the value."""
    _config(project, prismaSchema=value)
    expect_refused(project, "sync", names=repr(value))


def test_prisma_schema_symlink_escape(project: Path) -> None:
    """`prisma/schema.prisma` a symlink to a file outside: not read; exit 2."""
    secret = _outside(project).parent / "elsewhere.prisma"
    secret.write_text((project / "prisma" / "schema.prisma").read_text(encoding="utf-8"), "utf-8")
    (project / "prisma" / "schema.prisma").unlink()
    (project / "prisma" / "schema.prisma").symlink_to(secret)
    expect_refused(project, "sync", names="prismaSchema")


# ---- layer globs ---------------------------------------------------------------------------


@pytest.mark.parametrize("glob", ["../outside/**", "/etc/**", "src/../../**"])
def test_layer_glob_escape(project: Path, glob: str) -> None:
    """A layer glob with `..` or an absolute path: exit 2 naming it."""
    _config(project, layers={"business": [glob], "repositories": ["src/repositories/**"]})
    expect_refused(project, "sync", names=repr(glob))


def test_layer_glob_symlink_escape(project: Path) -> None:
    """A layer glob whose folder is a symlink to outside: exit 2 naming the glob."""
    (project / "vendor").symlink_to(_outside(project))
    _config(project, layers={"business": ["vendor/**"], "repositories": ["src/repositories/**"]})
    expect_refused(project, "sync", names="'vendor/**'")


# ---- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["Bad Slug", "../up", "a/b", "-lead", "x" * 81, "ünï"])
def test_bad_task_slug(project: Path, slug: str) -> None:
    """`--task-slug` outside `[a-z0-9][a-z0-9-]*`: exit 2 naming the value."""
    expect_refused(project, "sync", "--task-slug", slug, names=f"--task-slug {slug!r}")


@pytest.mark.parametrize("run_id", ["../up", "a/b", "a b", ".hidden", "x" * 81])
def test_bad_run_id(project: Path, run_id: str) -> None:
    """`--run-id` with path characters or spaces: exit 2 naming the value."""
    expect_refused(project, "sync", "--run-id", run_id, names=f"--run-id {run_id!r}")


def test_two_evidence_names(project: Path) -> None:
    """`--task-slug` and `--run-id` together: exit 2 naming both flags."""
    expect_refused(
        project, "sync", "--task-slug", "ok", "--run-id", "ok", names="--task-slug and --run-id"
    )


def test_good_names_work(project: Path) -> None:
    """The accepted forms write where SPEC §1 says."""
    proc = run_cli(project, "sync", "--task-slug", "add-orders-index")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (
        project / "dev-docs/active/add-orders-index/artifacts/db/02-import-prisma-log.md"
    ).is_file()
    proc = run_cli(project, "sync", "--run-id", "20260101T120000Z")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (project / ".ai/.tmp/db-sync/20260101T120000Z/00-ssot-mode-check.md").is_file()


# ---- reserved folders (issue 11) -------------------------------------------------------------


def _own_templates(project: Path) -> dict[str, bytes]:
    """Give the project its own evidence templates; return their bytes."""
    from importlib import resources

    from schemasync.evidence import EVIDENCE_FILES

    folder = project / "evidence_templates"
    folder.mkdir()
    for name in EVIDENCE_FILES:
        text = resources.files("schemasync").joinpath("templates", name).read_text("utf-8")
        (folder / name).write_text(text + "<!-- the project's own -->\n", encoding="utf-8")
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.mark.parametrize(
    ("value", "reserved"),
    [
        ("evidence_templates", "evidence_templates/"),
        ("evidence_templates/old", "evidence_templates/"),
        ("db", "db/"),
        ("db/schema", "db/"),
        ("docs/context", "docs/context/"),
        ("docs/context/db/", "docs/context/"),
        ("docs/project", "docs/project/"),
        ("prisma", "prisma/"),
        ("prisma/views", "prisma/"),
        (".git/evidence", ".git/"),
    ],
)
def test_evidence_dir_in_a_reserved_folder(project: Path, value: str, reserved: str) -> None:
    """`--evidence-dir evidence_templates` overwrote the project's templates: the folders
    schemasync and Prisma keep are never an evidence folder (exit 2, nothing written)."""
    templates = _own_templates(project)
    message = expect_refused(project, "sync", "--evidence-dir", value, names=f"is in {reserved}")
    assert repr(value.rstrip("/")) in message
    folder = project / "evidence_templates"
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == templates


def test_evidence_dir_reaching_a_reserved_folder_through_a_symlink(project: Path) -> None:
    """The folder is checked where it really is: a link inside the project to a reserved
    folder is refused too, for `--evidence-dir` and for a `--run-id` run folder."""
    _own_templates(project)
    (project / "evidence").symlink_to("evidence_templates")
    expect_refused(project, "sync", "--evidence-dir", "evidence", names="is in evidence_templates/")
    runs = project / ".ai" / ".tmp" / "db-sync"
    runs.mkdir(parents=True)
    (runs / "r1").symlink_to("../../../evidence_templates")
    expect_refused(project, "sync", "--run-id", "r1", names="is in evidence_templates/")


def test_runs_folder_in_a_reserved_folder(project: Path) -> None:
    """`.ai` linked to `db/` would put the lock, `CURRENT` and the runs among the mirror."""
    (project / ".ai").symlink_to("db")
    expect_refused(project, "sync", names="is in db/")


def test_the_schema_folder_is_reserved(project: Path) -> None:
    """Wherever `prismaSchema` puts the schema, its folder is reserved (here `schema/`)."""
    (project / "schema").mkdir()
    (project / "prisma" / "schema.prisma").rename(project / "schema" / "main.prisma")
    _config(project, prismaSchema="schema/main.prisma")
    expect_refused(project, "sync", "--evidence-dir", "schema/runs", names="is in schema/")


def test_evidence_dir_with_control_characters(project: Path) -> None:
    """A newline in the folder would split the next-step command printed with it: exit 2."""
    expect_refused(project, "sync", "--evidence-dir", "ev\nidence", names="control characters")


def test_free_evidence_dirs_work(project: Path) -> None:
    """Anywhere else inside the project is fine, as before."""
    proc = run_cli(project, "sync", "--evidence-dir", "docs/db-evidence/run 1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (project / "docs/db-evidence/run 1/04-layer-coherence.md").is_file()
