"""Benchmark: native PostgreSQL introspection vs `prisma db pull` of the same database (issue 4).

usage: python bench/introspect_pg.py [N_TABLES=1000] [RUNS=5]

Generates the synthetic N-model schema and its DDL with the shared generator
(`../shared/tools/prisma/bench/gen_schema.py N out.prisma out.sql`), loads the DDL into a fresh
PostgreSQL database (`SCHEMASYNC_TEST_PG_URL`, default the local test server), then times, in the
same run and alternating, `snapshot_database` (in-process, as `schemasync snapshot` runs it) and
the pinned Prisma 6.19.3 `db pull` (a node process, as users run it). Prints medians and the
ratio; the target is <= 0.25x. Drops the database afterwards.
"""

from __future__ import annotations

import importlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
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


def main(argv: list[str]) -> int:
    """Run the benchmark and print the ratio against the target (a missed target is printed,
    not an exit code: CI runs the bench, and a timing must never fail it on a noisy machine)."""
    import psycopg

    sys.path.insert(0, str(ROOT / "tests"))
    prisma_harness = importlib.import_module("prisma_harness")  # the tests' Prisma harness

    from schemasync.introspect import snapshot_database

    n = int(argv[0]) if argv else 1000
    runs = int(argv[1]) if len(argv) > 1 else 5
    work = Path(tempfile.mkdtemp(prefix="ss-bench-introspect-"))
    schema, ddl = work / "schema.prisma", work / "schema.sql"
    subprocess.run([sys.executable, str(GENERATOR), str(n), str(schema), str(ddl)], check=True)
    name = f"ss_bench_introspect_{n}_{os.getpid()}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"'.encode())
    url = urlunsplit(urlsplit(ADMIN_URL)._replace(path=f"/{name}"))
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            # one statement at a time: a single transaction runs out of lock slots at 1,000 tables
            for statement in ddl.read_text(encoding="utf-8").split(";\n"):
                if statement.strip():
                    conn.execute(statement.encode())
        os.environ["SCHEMASYNC_BENCH_URL"] = url
        ours: list[float] = []
        prisma: list[float] = []
        tables = 0
        for _ in range(runs):
            start = time.perf_counter()
            mirror = snapshot_database("SCHEMASYNC_BENCH_URL")
            ours.append(time.perf_counter() - start)
            tables = len(mirror.tables)
            start = time.perf_counter()
            prisma_harness.db_pull(url, work / "pulled")
            prisma.append(time.perf_counter() - start)
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())
    ours_ms, prisma_ms = statistics.median(ours) * 1000, statistics.median(prisma) * 1000
    ratio = ours_ms / prisma_ms
    print(f"| what ({tables} tables, {runs} runs) | median ms | all runs ms |")
    print("|---|---|---|")
    print(f"| schemasync snapshot_database | {ours_ms:.0f} | {[round(x * 1000) for x in ours]} |")
    print(f"| prisma db pull (6.19.3) | {prisma_ms:.0f} | {[round(x * 1000) for x in prisma]} |")
    print(f"ratio {ratio:.3f}x (target <= {TARGET}x): {'OK' if ratio <= TARGET else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
