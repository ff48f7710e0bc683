"""Benchmark: native PostgreSQL introspection and `schemasync pull` vs `prisma db pull` of the
same database (issues 4 and 13).

usage: python bench/introspect_pg.py [N_TABLES=1000] [RUNS=5]

Generates the synthetic N-model schema and its DDL with the shared generator
(`../shared/tools/prisma/bench/gen_schema.py N out.prisma out.sql`), loads the DDL into a fresh
PostgreSQL database (`SCHEMASYNC_TEST_PG_URL`, default the local test server), then times, in the
same run and alternating, `snapshot_database` (in-process, as `schemasync snapshot` runs it),
`schemasync pull` (the live capture of issue 13: a command-line process in a project, as users
run it, interpreter start-up included) and the pinned Prisma 6.19.3 `db pull` (a node process, as
users run it). Prints medians and both ratios; the target is <= 0.25x for each. Drops the
database afterwards.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = Path(
    os.environ.get(
        "SCHEMASYNC_BENCH_GENERATOR", ROOT.parent / "shared/tools/prisma/bench/gen_schema.py"
    )
)
ADMIN_URL = os.environ.get(
    "SCHEMASYNC_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
TARGET = 0.25
CLI = "from schemasync.cli import main; raise SystemExit(main())"  # as the console script runs


def main(argv: list[str]) -> int:
    """Run the benchmark and print the ratio against the target (a missed target is printed,
    not an exit code: CI runs the bench, and a timing must never fail it on a noisy machine)."""
    sys.path.insert(0, str(ROOT / "tests"))
    prisma_harness = importlib.import_module("prisma_harness")  # the tests' Prisma harness

    from schemasync.introspect import snapshot_database

    n = int(argv[0]) if argv else 1000
    runs = int(argv[1]) if len(argv) > 1 else 5
    with generated_database(n, "introspect") as (work, schema, url):
        project = pull_project(work, schema)
        # as installed: byte code cached (pip compiles it; PYTHONDONTWRITEBYTECODE would make
        # every run compile the package again), in the bench's folder, not the source tree
        pull_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        pull_env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        pull = [sys.executable, "-c", CLI, "pull", "--env", "dev", "--root", str(project)]
        warm = subprocess.run(pull, cwd=project, env=pull_env, check=True, capture_output=True)
        assert b"captured dev" in warm.stdout, warm.stdout  # the first run writes the capture
        ours: list[float] = []
        pulls: list[float] = []
        prisma: list[float] = []
        tables = 0
        for _ in range(runs):
            start = time.perf_counter()
            mirror = snapshot_database("SCHEMASYNC_BENCH_URL")
            ours.append(time.perf_counter() - start)
            tables = len(mirror.tables)
            start = time.perf_counter()
            subprocess.run(pull, cwd=project, env=pull_env, check=True, stdout=subprocess.DEVNULL)
            pulls.append(time.perf_counter() - start)
            start = time.perf_counter()
            prisma_harness.db_pull(url, work / "pulled")
            prisma.append(time.perf_counter() - start)
        captured = json.loads((project / "db/schema/database-facts.json").read_text("utf-8"))
        assert len(captured["tables"]) == tables, "schemasync pull captured another database"
    ours_ms, prisma_ms = statistics.median(ours) * 1000, statistics.median(prisma) * 1000
    pull_ms = statistics.median(pulls) * 1000
    print(f"| what ({tables} tables, {runs} runs) | median ms | all runs ms |")
    print("|---|---|---|")
    print(f"| schemasync snapshot_database | {ours_ms:.0f} | {[round(x * 1000) for x in ours]} |")
    print(f"| schemasync pull (command) | {pull_ms:.0f} | {[round(x * 1000) for x in pulls]} |")
    print(f"| prisma db pull (6.19.3) | {prisma_ms:.0f} | {[round(x * 1000) for x in prisma]} |")
    for what, ms in (("snapshot_database", ours_ms), ("schemasync pull", pull_ms)):
        ratio = ms / prisma_ms
        verdict = "OK" if ratio <= TARGET else "MISSED"
        print(f"{what}: ratio {ratio:.3f}x (target <= {TARGET}x): {verdict}")
    return 0


@contextlib.contextmanager
def generated_database(n: int, tag: str) -> Iterator[tuple[Path, Path, str]]:
    """A fresh PostgreSQL database holding the shared generator's N-model schema (its DDL run
    one statement at a time: one transaction runs out of lock slots at 1,000 tables); yields
    (a scratch folder, the generated Prisma schema, the database URL, also exported as
    `SCHEMASYNC_BENCH_URL`) and drops the database afterwards. The DDL benchmark uses it too."""
    import psycopg

    work = Path(tempfile.mkdtemp(prefix=f"ss-bench-{tag}-"))
    schema, ddl = work / "schema.prisma", work / "schema.sql"
    subprocess.run([sys.executable, str(GENERATOR), str(n), str(schema), str(ddl)], check=True)
    name = f"ss_bench_{tag}_{n}_{os.getpid()}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"'.encode())
    url = urlunsplit(urlsplit(ADMIN_URL)._replace(path=f"/{name}"))
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            for statement in ddl.read_text(encoding="utf-8").split(";\n"):
                if statement.strip():
                    conn.execute(statement.encode())
        os.environ["SCHEMASYNC_BENCH_URL"] = url
        yield work, schema, url
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())


def pull_project(work: Path, schema: Path) -> Path:
    """A database-mode project whose `dev` environment reads `SCHEMASYNC_BENCH_URL`, with the
    generated Prisma schema (whose sha256 the capture records)."""
    project = work / "project"
    (project / "prisma").mkdir(parents=True)
    (project / "prisma" / "schema.prisma").write_bytes(schema.read_bytes())
    config = {"mode": "database", "environments": {"dev": {"urlEnv": "SCHEMASYNC_BENCH_URL"}}}
    folder = project / "docs" / "project"
    folder.mkdir(parents=True)
    (folder / "db-ssot.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    return project


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
