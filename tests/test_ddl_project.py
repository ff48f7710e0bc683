"""A project whose mirror comes from a SQL dump (`"ddlSchema"` in db-ssot.json): `sync` imports
it (source kind `ddl`, the same sha256 in the mirror and in evidence 02), `check` passes, and a
change to the dump is reported as the changes it makes to the mirror. No database is needed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from safety_project import run_cli

DUMP = Path(__file__).parent / "data" / "ddl" / "postgresql" / "shop_full" / "schema.sql"


def ddl_project(tmp_path: Path) -> Path:
    """A database-mode project with `ddlSchema` and a real pg_dump as its source."""
    project = tmp_path / "dba"
    (project / "docs" / "project").mkdir(parents=True)
    (project / "db" / "schema").mkdir(parents=True)
    config = {"mode": "database", "ddlSchema": "db/schema/schema.sql"}
    (project / "docs/project/db-ssot.json").write_text(json.dumps(config) + "\n", "utf-8")
    shutil.copyfile(DUMP, project / "db/schema/schema.sql")
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    return project


def test_sync_and_check_from_a_dump(tmp_path: Path) -> None:
    project = ddl_project(tmp_path)
    done = run_cli(project, "sync", "--yes")
    assert done.returncode == 0, done.stderr
    mirror = json.loads((project / "db/schema/tables.json").read_text("utf-8"))
    assert mirror["source"]["kind"] == "ddl"
    assert mirror["source"]["path"] == "db/schema/schema.sql"
    assert sorted(t["name"] for t in mirror["tables"]) == ["customers", "invoices", "orders"]
    evidence = next((project / ".ai/.tmp/db-sync").glob("*/02-*.md")).read_text("utf-8")
    assert mirror["source"]["sha256"] in evidence
    # evidence 02 names the source it read (its title stays the phase's, as the template has
    # it); a SQL dump states the facts a capture would add, so nothing is marked guessed
    assert "the SQL dump parsed and imported" in evidence
    assert "the Prisma schema parsed" not in evidence
    assert "No live capture" not in evidence
    done = run_cli(project, "check")
    assert done.returncode == 0, done.stderr
    with (project / "db/schema/schema.sql").open("a", encoding="utf-8") as dump:
        dump.write("CREATE TABLE public.extra (id integer NOT NULL);\n")
    done = run_cli(project, "check")
    assert done.returncode == 1
    assert "add_table" in done.stderr
    assert "public.extra" in done.stderr


def test_unparsable_dump_exits_4(tmp_path: Path) -> None:
    project = ddl_project(tmp_path)
    (project / "db/schema/schema.sql").write_text(
        "-- PostgreSQL database dump\nCREATE TABLE public.t (a int,, b int);\n", "utf-8"
    )
    done = run_cli(project, "sync", "--yes")
    assert done.returncode == 4
    assert "db/schema/schema.sql:2:" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (project / "db/schema/tables.json").exists()
