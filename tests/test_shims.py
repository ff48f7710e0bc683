"""`schemasync install-shims`: the `.ai` template's scripts, run with real node.

The shims are written by the installed command into a copy of examples/shop, then run as the
template's users run them (`node .ai/…/ctl-db.mjs import-prisma`), with this session's
`schemasync` on PATH, or without it (the install hint). Every subcommand is run; its exit code
(the template's 0/1) and its JSON (the template's shapes) are checked against what schemasync
itself says and writes.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from safety_project import (
    CONFIG,
    CONTEXT,
    MIRROR,
    assert_clean_failure,
    changes,
    make_project,
    run_cli,
    tree_bytes,
)
from user_shell import OWN_BIN, run, user_env

from schemasync.shims import MARKER, SHIMS

pytestmark = pytest.mark.node

CTL_DB = SHIMS[0][0]
CTL_DB_SSOT = SHIMS[1][0]
TEMPLATE_SCRIPT = "// the .ai template's own ctl-db.mjs\nconsole.log('upstream');\n"


@pytest.fixture
def node() -> str:
    """The node executable (the `node` marker's rule: skipped without it, failed under CI)."""
    found = shutil.which("node")
    if found is None:
        pytest.fail("node is not on PATH")  # the marker's check found it: PATH changed since
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of examples/shop with the shims installed."""
    shop = make_project(tmp_path)
    assert run_cli(shop, "install-shims").returncode == 0
    return shop


def shim_env(node: str) -> dict[str, str]:
    """A user's shell with this session's `schemasync` and node on PATH."""
    return user_env(OWN_BIN, {"PATH": os.pathsep.join([str(OWN_BIN), str(Path(node).parent)])})


def shim(project: Path, node: str, script: str, *args: str, code: int = 0) -> str:
    """Run a shim in `project`; return its stdout, or its stderr when it must fail."""
    proc = run([node, script, *args], project, shim_env(node), code=code)
    if code == 0:
        assert "Traceback" not in proc.stderr
    else:
        assert proc.stderr.strip(), "a failure says why on stderr"
        assert "Traceback" not in proc.stdout + proc.stderr
    return proc.stdout if code == 0 else proc.stderr


# ---- install ------------------------------------------------------------------------------


def test_install_keeps_the_original_once_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    shop = make_project(tmp_path)
    template = shop / CTL_DB
    template.parent.mkdir(parents=True)
    template.write_text(TEMPLATE_SCRIPT, encoding="utf-8")
    first = run_cli(shop, "install-shims")
    assert first.returncode == 0, first.stderr
    assert f"replaced {CTL_DB} (the original is kept as {CTL_DB}.orig)" in first.stdout
    assert f"wrote {CTL_DB_SSOT}" in first.stdout
    assert (shop / f"{CTL_DB}.orig").read_text(encoding="utf-8") == TEMPLATE_SCRIPT
    for rel, _ in SHIMS:
        assert MARKER in (shop / rel).read_text(encoding="utf-8")
    before = tree_bytes(shop)
    second = run_cli(shop, "install-shims")
    assert second.returncode == 0
    assert second.stdout.strip() == "nothing to do: the shims are in place and current"
    assert changes(before, tree_bytes(shop)) == {}
    # the template's script comes back (a template update): the .orig is never overwritten
    template.write_text("// a newer template script\n", encoding="utf-8")
    before = tree_bytes(shop)
    third = run_cli(shop, "install-shims")
    line = assert_clean_failure(third, 2)
    assert f"{CTL_DB}.orig already holds an original" in line
    assert changes(before, tree_bytes(shop)) == {}


def test_a_stale_shim_is_rewritten_without_an_orig(project: Path) -> None:
    path = project / CTL_DB_SSOT
    path.write_text(path.read_text(encoding="utf-8") + "// edited\n", encoding="utf-8")
    proc = run_cli(project, "install-shims")
    assert proc.stdout.splitlines() == [f"wrote {CTL_DB_SSOT}", f"unchanged {CTL_DB}"]
    assert not (project / f"{CTL_DB_SSOT}.orig").exists()


# ---- ctl-db.mjs -----------------------------------------------------------------------------


def test_ctl_db_init_and_import_prisma_run_schemasync(project: Path, node: str) -> None:
    (project / MIRROR).unlink()
    (project / "db/handbook/README.md").unlink()
    assert "would run: schemasync init" in shim(project, node, CTL_DB, "init", "--dry-run")
    assert not (project / "db/handbook/README.md").exists()
    assert "wrote db/handbook/README.md" in shim(project, node, CTL_DB, "init")
    expected = run_cli(project, "snapshot", "--prisma", "prisma/schema.prisma").stdout
    before = tree_bytes(project)
    dry = shim(project, node, CTL_DB, "import-prisma", "--dry-run")
    assert dry == expected  # the mirror it would write, and nothing written
    assert changes(before, tree_bytes(project)) == {}
    shim(project, node, CTL_DB, "import-prisma", "--prisma-path", "./prisma/schema.prisma")
    assert (project / MIRROR).read_text(encoding="utf-8") == expected
    other = shim(project, node, CTL_DB, "import-prisma", "--prisma-path", "x.prisma", code=1)
    assert 'set "prismaSchema" there' in other


def test_ctl_db_verify_is_schemasync_check(project: Path, node: str) -> None:
    assert "match" in shim(project, node, CTL_DB, "verify", "--strict")
    mirror = project / MIRROR
    mirror.write_text(mirror.read_text(encoding="utf-8").replace("PAID", "PAID_X"), "utf-8")
    assert "check failed" in shim(project, node, CTL_DB, "verify", code=1)


def test_ctl_db_status_json(project: Path, node: str) -> None:
    doc = json.loads(shim(project, node, CTL_DB, "status", "--format", "json"))
    assert set(doc) == {"ok", "mode", "paths", "exists", "counts", "problems"}
    assert doc["mode"] == "database"
    assert doc["ok"] is True
    assert doc["paths"] == {
        "prismaSchema": "prisma/schema.prisma",
        "dbMirror": MIRROR,
        "contextContract": CONTEXT,
    }
    mirror = json.loads((project / MIRROR).read_text(encoding="utf-8"))
    assert doc["counts"] == {k: len(mirror[k]) for k in ("tables", "views", "enums")}
    assert "mode: database" in shim(project, node, CTL_DB, "status")


def test_ctl_db_generate_migration_says_database_mode(project: Path, node: str) -> None:
    before = tree_bytes(project)
    err = shim(project, node, CTL_DB, "generate-migration", "--name", "add_x", code=1)
    assert "not available in database mode" in err
    assert "db/handbook/" in err
    assert changes(before, tree_bytes(project)) == {}


def test_unknown_command_and_option_exit_1(project: Path, node: str) -> None:
    assert "unknown command 'migrate'" in shim(project, node, CTL_DB, "migrate", code=1)
    assert "unknown option --frmat" in shim(project, node, CTL_DB, "status", "--frmat", code=1)
    assert "Commands:" in shim(project, node, CTL_DB, "--help")


# ---- ctl-db-ssot.mjs ------------------------------------------------------------------------


def test_sync_to_context_json_from_another_folder(project: Path, node: str) -> None:
    (project / CONTEXT).unlink()
    out = run(
        [node, project / CTL_DB_SSOT, "sync-to-context", "--repo-root", project, "--format",
         "json"],
        project.parent,
        shim_env(node),
    ).stdout  # fmt: skip
    doc = json.loads(out)
    assert set(doc) == {"ok", "mode", "out", "warnings", "contextTouch"}
    assert doc["ok"] is True
    assert doc["mode"] == "database"
    assert doc["out"] == CONTEXT
    assert doc["contextTouch"] == {"ran": False, "reason": "ctl-context.mjs not found"}
    assert any("OrderStatus" in w for w in doc["warnings"])  # the mirror's notes
    assert run_cli(project, "check").returncode == 0  # the context Phase C would write


def test_sync_to_context_runs_the_templates_context_touch(project: Path, node: str) -> None:
    tool = project / ".ai/skills/features/context-awareness/scripts/ctl-context.mjs"
    tool.parent.mkdir(parents=True)
    tool.write_text(
        "import fs from 'node:fs';\n"
        "fs.writeFileSync('touched.txt', process.argv.slice(2).join(' '));\n"
        "console.log('touched');\n",
        encoding="utf-8",
    )
    doc = json.loads(shim(project, node, CTL_DB_SSOT, "sync-to-context", "--format", "json"))
    assert doc["contextTouch"] == {"ran": True, "ok": True}
    assert (project / "touched.txt").read_text().startswith("touch --repo-root ")
    tool.write_text("process.exit(3);\n", encoding="utf-8")
    doc = json.loads(shim(project, node, CTL_DB_SSOT, "sync-to-context", "--format", "json"))
    assert doc["contextTouch"] == {"ran": True, "ok": False, "exitCode": 3}
    text = shim(project, node, CTL_DB_SSOT, "sync-to-context")
    assert "[ok] Context DB contract unchanged." in text


def test_ctl_db_ssot_status_json(project: Path, node: str) -> None:
    doc = json.loads(shim(project, node, CTL_DB_SSOT, "status", "--format", "json"))
    assert doc == {
        "mode": "database",
        "source": "config",
        "configPath": CONFIG,
        "paths": {"prismaSchema": "prisma/schema.prisma", "dbMirror": MIRROR,
                  "contextContract": CONTEXT},
        "exists": {"prismaSchema": True, "dbMirror": True, "contextContract": True},
    }  # fmt: skip


def test_repo_prisma_mode_sync_to_context_works_import_prisma_stops(
    project: Path, node: str
) -> None:
    config = project / CONFIG
    config.write_text(config.read_text().replace('"database"', '"repo-prisma"'), "utf-8")
    shutil.rmtree(project / "db")
    (project / CONTEXT).unlink()
    doc = json.loads(shim(project, node, CTL_DB_SSOT, "sync-to-context", "--format", "json"))
    assert doc["mode"] == "repo-prisma"
    assert (project / CONTEXT).is_file()
    # schemasync's STOP (exit 3) is the template's 1, with schemasync's message
    err = shim(project, node, CTL_DB, "import-prisma", code=1)
    assert "STOP" in err
    assert "sync-db-schema-from-code" in err
    assert not (project / MIRROR).exists()


def test_a_schemasync_error_is_exit_1_with_its_message(project: Path, node: str) -> None:
    (project / CONFIG).write_text('{"mode": "database", "prismaSchem": "x"}', encoding="utf-8")
    err = shim(project, node, CTL_DB_SSOT, "sync-to-context", "--format", "json", code=1)
    assert "prismaSchema" in err  # schemasync's did-you-mean, passed through


# ---- schemasync missing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("script", "args"),
    [
        (CTL_DB, ("import-prisma",)),
        (CTL_DB, ("status", "--format", "json")),
        (CTL_DB_SSOT, ("sync-to-context", "--format", "json")),
    ],
)
def test_without_schemasync_on_path_the_hint_says_how_to_install(
    project: Path, node: str, tmp_path: Path, script: str, args: tuple[str, ...]
) -> None:
    bare = tmp_path / "bin"  # node alone on PATH: no schemasync anywhere
    bare.mkdir()
    (bare / "node").symlink_to(node)
    env = user_env(None, {"PATH": str(bare)})
    before = tree_bytes(project)
    proc = run([bare / "node", script, *args], project, env, code=1)
    assert proc.stdout == ""
    assert "schemasync is not installed" in proc.stderr
    assert "pipx install schemasync-db" in proc.stderr
    assert changes(before, tree_bytes(project)) == {}
