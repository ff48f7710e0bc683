"""Repo-root invoke tasks: the schemasync collection, run on the bundled example by default.

`invoke sync` in a fresh clone syncs `examples/shop`; pass `--root` for another project.
`invoke.yaml` beside this file makes invoke use `schemasync.tasks.PhaseExecutor`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, cast

from invoke.context import Context
from invoke.tasks import Task, task

from schemasync.tasks import make_collection

EXAMPLE = Path(__file__).resolve().parent / "examples" / "shop"


def ensure_example_db(example: Path = EXAMPLE) -> Path:
    """Create the example's live database `dev.db` from the committed `db/shop.sql` once."""
    db = example / "dev.db"
    if not db.exists():
        tmp = db.with_name(".dev.db.tmp")
        tmp.unlink(missing_ok=True)
        conn = sqlite3.connect(tmp)
        try:
            conn.executescript((example / "db" / "shop.sql").read_text(encoding="utf-8"))
            conn.commit()
        finally:
            conn.close()
        tmp.replace(db)
    return db


@task
def example_db(c: Context) -> None:
    """Create examples/shop/dev.db (the example's live SQLite database) from db/shop.sql."""
    db = ensure_example_db()
    print(
        f"{db.relative_to(Path.cwd()) if db.is_relative_to(Path.cwd()) else db}: ready "
        f"(DATABASE_URL=file:{db})"
    )


ns = make_collection(default_root=str(EXAMPLE), program="invoke")
ns.add_task(cast("Task[Any]", example_db))
