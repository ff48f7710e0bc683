"""`schemasync context` (both modes) and `schemasync status`.

In database mode `context` is Phase C's derivation on its own: from the mirror file, no gate, no
evidence. In repo-prisma mode, where the DB-SSOT phases STOP (exit 3), it derives the same
context from the Prisma schema imported in memory and writes no mirror: for examples/shop the
result is byte for byte the context a database-mode `sync` commits, whose facts are the import's.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest
from safety_project import (
    CONFIG,
    CONTEXT,
    MIRROR,
    SHOP,
    assert_clean_failure,
    changes,
    make_project,
    run_cli,
    tree_bytes,
)

from schemasync.context import column_words

REPO = Path(__file__).resolve().parent.parent


def repo_prisma(tmp_path: Path) -> Path:
    """examples/shop as a repo-prisma project: the schema is the SSOT; no mirror, no context."""
    project = make_project(tmp_path)
    config = project / CONFIG
    config.write_text(config.read_text().replace('"database"', '"repo-prisma"'), "utf-8")
    shutil.rmtree(project / "db")
    shutil.rmtree(project / "docs/context")
    (project / "AGENTS.md").unlink(missing_ok=True)
    return project


def validate(document: object, name: str) -> None:
    """Validate a printed document against its committed JSON Schema."""
    schema = json.loads((REPO / "schemas" / name).read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)


def test_repo_prisma_context_is_the_imports_and_sync_still_stops(tmp_path: Path) -> None:
    project = repo_prisma(tmp_path)
    before = tree_bytes(project)
    stop = run_cli(project, "sync")
    assert "STOP" in assert_clean_failure(stop, 3)
    # the STOP is recorded (evidence 00 of the run); no artifact is written
    assert all(p.startswith(".ai/.tmp/db-sync/") for p in changes(before, tree_bytes(project)))
    shutil.rmtree(project / ".ai")

    proc = run_cli(project, "context")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == (
        f"context {CONTEXT}: written from prisma/schema.prisma (repo-prisma mode): 7 tables, "
        "1 views, 1 enums"
    )
    assert changes(before, tree_bytes(project)) == {CONTEXT: "added"}  # no mirror, no evidence
    # the same bytes a database-mode sync derives from the same schema (examples/shop commits it)
    written = (project / CONTEXT).read_text(encoding="utf-8")
    assert written == (SHOP / CONTEXT).read_text(encoding="utf-8")
    # and its facts are the import's: every table and column of `snapshot --prisma`
    imported = json.loads(run_cli(project, "snapshot", "--prisma", "prisma/schema.prisma").stdout)
    context = json.loads(written)
    assert sorted(context["tables"]) == sorted(t["name"] for t in imported["tables"])
    for table in imported["tables"]:
        ours = context["tables"][table["name"]]["columns"]
        # context@3: a column is one text (or [text, comment]) whose first word is its name
        names = [column_words(c if isinstance(c, str) else c[0])[0] for c in ours]
        assert names == [c["name"] for c in table["columns"]]

    again = run_cli(project, "context", "--format", "json")
    assert again.returncode == 0
    doc = json.loads(again.stdout)
    validate(doc, "context-refresh.schema.json")
    assert doc["written"] is False
    assert doc["mode"] == "repo-prisma"
    assert doc["source"] == {"kind": "prisma", "path": "prisma/schema.prisma"}
    assert changes(before, tree_bytes(project)) == {CONTEXT: "added"}


def test_repo_prisma_context_with_a_broken_schema_is_a_source_error(tmp_path: Path) -> None:
    project = repo_prisma(tmp_path)
    schema = project / "prisma/schema.prisma"
    schema.write_text(schema.read_text() + "\nmodel Broken {\n  id Int @id\n", "utf-8")
    before = tree_bytes(project)
    line = assert_clean_failure(run_cli(project, "context"), 4)
    assert line.startswith("prisma/schema.prisma:")
    assert changes(before, tree_bytes(project)) == {}


def test_database_mode_context_is_phase_c_without_evidence(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / CONTEXT).unlink()
    before = tree_bytes(project)
    proc = run_cli(project, "context", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    validate(doc, "context-refresh.schema.json")
    assert doc["source"] == {"kind": "mirror", "path": MIRROR}
    assert (doc["written"], doc["tables"], doc["views"], doc["enums"]) == (True, 7, 1, 1)
    assert changes(before, tree_bytes(project)) == {CONTEXT: "added"}  # no .ai/.tmp, no 03
    assert (project / CONTEXT).read_bytes() == (SHOP / CONTEXT).read_bytes()
    assert run_cli(project, "check").returncode == 0


def test_database_mode_context_needs_the_mirror(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / MIRROR).unlink()
    line = assert_clean_failure(run_cli(project, "context"), 6)
    assert line == f"{MIRROR}: missing; run `schemasync import-prisma` first"


@pytest.mark.parametrize("mode", ["database", "repo-prisma"])
def test_status_json(tmp_path: Path, mode: str) -> None:
    project = make_project(tmp_path) if mode == "database" else repo_prisma(tmp_path)
    proc = run_cli(project, "status", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    validate(doc, "status.schema.json")
    assert doc["mode"] == mode
    assert doc["config"] == CONFIG
    assert doc["exists"] == {
        "prismaSchema": True, "mirror": mode == "database", "context": mode == "database"
    }  # fmt: skip
    assert doc["counts"] == ({"tables": 7, "views": 1, "enums": 1} if mode == "database" else None)


def test_status_reports_an_unreadable_mirror_instead_of_failing(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / MIRROR).write_text('{"version": 2, "tables": []}\n', encoding="utf-8")
    proc = run_cli(project, "status")
    assert proc.returncode == 0, proc.stderr
    assert f"mirror: {MIRROR} (present)" in proc.stdout
    assert proc.stdout.strip().splitlines()[-1].startswith(MIRROR)
