"""`schemasync drift` end to end: exit 0 when the live database matches the mirror, exit 1 with
the changes on drift, 05-drift-check.md only when an evidence folder is chosen, exit 5 with the
URL redacted when the database cannot be read."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from schemasync.evidence import check_evidence

REPO = Path(__file__).resolve().parent.parent
SHOP = REPO / "examples" / "shop"


def cli(root: Path, *args: str, url: str) -> subprocess.CompletedProcess[str]:
    """Run the installed command line (`python -m schemasync.cli`) in `root`."""
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-c", "from schemasync.cli import main; raise SystemExit(main())",
         *args, "--root", str(root)],
        cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A copy of the example project (database mode, SQLite, mirror imported from Prisma)."""
    root = tmp_path / "shop"
    shutil.copytree(SHOP, root, ignore=shutil.ignore_patterns("*.db", ".ai", "dev-docs"))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def test_snapshot_mirror_then_drift(shop: Path, tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    conn = sqlite3.connect(db)
    conn.executescript('CREATE TABLE "T" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT);')
    conn.close()
    url = f"file:{db}"
    done = cli(shop, "snapshot", "--url-env", "DATABASE_URL", url=url)
    assert done.returncode == 0, done.stderr
    # the mirror of that database (`--out` would refuse the mirror: schemasync manages it)
    (shop / "db/schema/tables.json").write_text(done.stdout, encoding="utf-8")

    same = cli(shop, "drift", url=url)
    assert same.returncode == 0, same.stderr
    assert "no drift" in same.stdout
    assert not (shop / "dev-docs").exists()
    assert not (shop / ".ai").exists()  # no evidence folder chosen: nothing written

    conn = sqlite3.connect(db)
    conn.executescript('ALTER TABLE "T" ADD COLUMN "email" TEXT;')
    conn.close()
    drifted = cli(shop, "drift", "--task-slug", "check-live", url=url)
    assert drifted.returncode == 1
    assert "add_column" in drifted.stdout
    assert "T.email" in drifted.stdout
    assert "drift: the dev database differs" in drifted.stderr
    evidence = shop / "dev-docs/active/check-live/artifacts/db/05-drift-check.md"
    text = evidence.read_text(encoding="utf-8")
    assert check_evidence(text) == ()
    assert "`add_column` | `T.email`" in text
    assert "- [ ] the database matches db/schema/tables.json" in text


def test_unreadable_database_is_exit_5_redacted(shop: Path) -> None:
    done = cli(shop, "drift", url="postgresql://u:drift-Secret-3@127.0.0.1:1/x")
    assert done.returncode == 5
    assert "drift-Secret-3" not in done.stdout + done.stderr
    assert "u:****@127.0.0.1" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.node
def test_prisma_pushed_database_has_no_drift_from_the_imported_mirror(
    shop: Path, tmp_path: Path, prisma_harness: ModuleType
) -> None:
    db = tmp_path / "dev.db"
    sqlite3.connect(db).close()
    url = f"file:{db}"
    prisma_harness.db_push(shop / "prisma" / "schema.prisma", url)
    imported = cli(shop, "import-prisma", url=url)
    assert imported.returncode == 0, imported.stderr
    done = cli(shop, "drift", url=url)
    # `db push` does not create views: the shop's view is the only difference
    assert done.returncode == 1, done.stderr
    lines = [ln.split()[0] for ln in done.stdout.splitlines()[1:]]
    assert lines == ["remove_view"], done.stdout
