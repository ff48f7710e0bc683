"""Machine-readable output (`--format json`, issue 13 item 5): `check` and `drift` print one
versioned document on stdout, valid against the committed JSON Schema, with the text output's
exit code; the committed schemas are what `python -m schemasync.jsonschema` writes."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from schemasync.outputs import CHECK_FORMAT, DRIFT_FORMAT, output_json_schemas

REPO = Path(__file__).resolve().parent.parent
SHOP = REPO / "examples" / "shop"
MIRROR = "db/schema/tables.json"


def cli(root: Path, *args: str, url: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line in `root` as a child process."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if url is not None:
        env["DATABASE_URL"] = url
    return subprocess.run(
        [sys.executable, "-c", "from schemasync.cli import main; raise SystemExit(main())",
         *args, "--root", str(root)],
        cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _valid(name: str, text: str) -> dict[str, Any]:
    """Parse a printed document and validate it against `schemas/<name>`."""
    document: dict[str, Any] = json.loads(text)
    schema = json.loads((REPO / "schemas" / name).read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    return document


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    shutil.copytree(SHOP, root, ignore=shutil.ignore_patterns("*.db", ".ai", "dev-docs"))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def test_committed_schemas_are_current() -> None:
    for name, schema in output_json_schemas().items():
        committed = json.loads((REPO / "schemas" / name).read_text(encoding="utf-8"))
        assert committed == schema, (
            f"schemas/{name} is stale: run `python -m schemasync.jsonschema`"
        )


def test_check_json_when_current_and_when_stale(shop: Path) -> None:
    done = cli(shop, "check", "--format", "json")
    assert done.returncode == 0, done.stderr
    document = _valid("check.schema.json", done.stdout)
    assert document["format"] == CHECK_FORMAT
    assert document["ok"] is True
    # the mirror, the context, then the example's pages (`"docs": true`)
    assert [a["path"] for a in document["artifacts"]][:3] == [
        "db/schema/tables.json", "docs/context/db/schema.json", "docs/db/README.md"
    ]  # fmt: skip
    assert {a["status"] for a in document["artifacts"]} == {"ok"}

    schema = shop / "prisma" / "schema.prisma"
    text = schema.read_text(encoding="utf-8")
    brace = text.index("{\n", text.index("model addresses")) + 2
    schema.write_text(text[:brace] + "  note String?\n" + text[brace:], encoding="utf-8")
    done = cli(shop, "check", "--format", "json")
    assert done.returncode == 1
    document = _valid("check.schema.json", done.stdout)
    assert document["ok"] is False
    mirror, context, pages = document["artifacts"]
    assert mirror["status"] == "stale"
    assert mirror["changes"] == [
        {"kind": "add_column", "object": "addresses.note", "before": None,
         "after": "String (text)", "hint": None, "class": None, "reason": None},
    ]  # fmt: skip
    assert context["status"] == "stale"
    assert context["firstDifference"] is None  # it follows the mirror: not compared
    assert (pages["path"], pages["status"]) == ("docs/db/", "stale")  # so do the pages
    assert len(document["problems"]) == 3


def test_drift_json_classes_every_change(shop: Path, tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    conn = sqlite3.connect(db)
    conn.executescript(
        'CREATE TABLE "A" ("id" INTEGER NOT NULL PRIMARY KEY);'
        'CREATE TABLE "B" ("id" INTEGER NOT NULL PRIMARY KEY, "a_id" INTEGER,'
        ' CONSTRAINT "B_a_id_fkey" FOREIGN KEY ("a_id") REFERENCES "A" ("id")'
        " ON DELETE SET NULL ON UPDATE CASCADE);"
    )
    conn.close()
    url = f"file:{db}"
    done = cli(shop, "snapshot", "--url-env", "DATABASE_URL", url=url)
    assert done.returncode == 0, done.stderr
    (shop / MIRROR).write_text(done.stdout, encoding="utf-8")

    same = cli(shop, "drift", "--format", "json", url=url)
    assert same.returncode == 0, same.stderr
    document = _valid("drift.schema.json", same.stdout)
    assert document["format"] == DRIFT_FORMAT
    assert document["ok"] is True
    assert document["changes"] == []
    assert document["database"]["urlEnv"] == "DATABASE_URL"
    assert url not in same.stdout  # the URL is never shown

    conn = sqlite3.connect(db)
    conn.executescript(  # the same foreign key, now ON DELETE CASCADE, and a renamed column
        'PRAGMA foreign_keys=OFF; ALTER TABLE "B" RENAME TO "B_old";'
        'CREATE TABLE "B" ("id" INTEGER NOT NULL PRIMARY KEY, "a_ref" INTEGER,'
        ' CONSTRAINT "B_a_id_fkey" FOREIGN KEY ("a_ref") REFERENCES "A" ("id")'
        " ON DELETE CASCADE ON UPDATE CASCADE);"
        'DROP TABLE "B_old";'
    )
    conn.close()
    moved = cli(shop, "drift", "--format", "json", url=url)
    assert moved.returncode == 1, moved.stderr
    document = _valid("drift.schema.json", moved.stdout)
    assert document["ok"] is False
    changes = {(c["kind"], c["object"]): c for c in document["changes"]}
    assert {c["class"] for c in document["changes"]} == {"drift"}
    assert changes["add_column", "B.a_ref"]["hint"] == "possible rename of B.a_id"
    assert changes["remove_column", "B.a_id"]["hint"] == "possible rename to B.a_ref"
    fk = changes["modify_fk", "B.B_a_id_fkey"]
    assert "on delete SET NULL" in fk["before"]
    assert "on delete CASCADE" in fk["after"]


def test_unknown_format_is_exit_2(shop: Path) -> None:
    done = cli(shop, "check", "--format", "yaml")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "schemasync: --format 'yaml': give text or json (e.g. --format json)"
    ]
