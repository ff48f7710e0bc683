"""Benchmark: `snapshot --ddl` of a `pg_dump --schema-only` vs native introspection of the same
PostgreSQL database (issue 16).

usage: python bench/ddl_pg.py [N_TABLES=1000] [RUNS=5]

Generates the synthetic N-model schema and its DDL with the shared generator (as
`bench/introspect_pg.py` does), loads it into a fresh PostgreSQL database
(`SCHEMASYNC_TEST_PG_URL`, default the local test server), dumps it with the real `pg_dump
--schema-only`, then times, alternating, `read_ddl` of the dump (in-process, as `schemasync
snapshot --ddl` runs it) and `snapshot_database` of the database (plain, as `snapshot
--url-env`). Both mirrors must be equal on database facts. The import's peak memory is measured
in a child process (`ru_maxrss`: the whole interpreter, imports included). Prints medians, the
ratio, and whether sqlglot's compiled extension (`sqlglotc`) was in use; the targets are 3 s and
200 MB at 2,000 tables. A missed target is printed, never an exit code (CI runs the bench on a
noisy machine). Drops the database afterwards.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time

from introspect_pg import generated_database  # the same generated database, set up alike

TARGET_S_AT_2000 = 3.0
TARGET_MB = 200.0
#: The child that measures the import's peak memory: the import alone, in a fresh interpreter.
PEAK = (
    "import resource, sys; from pathlib import Path; "
    "from schemasync.sources.ddl import read_ddl; "
    "s = read_ddl(Path(sys.argv[1]), Path(sys.argv[1]).parent, dialect='postgresql', rich=False); "
    "print(len(s.tables), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
)


def compiled() -> bool:
    """Whether sqlglot's parser is the compiled one (`sqlglotc` installed)."""
    import sqlglot.parser

    return str(sqlglot.parser.__file__).endswith((".so", ".pyd"))


def facts(schema: object) -> str:
    """The database facts of a mirror (tables, views, enums) as JSON."""
    data = json.loads(schema.model_dump_json(by_alias=True))  # type: ignore[attr-defined]
    return json.dumps({k: data[k] for k in ("tables", "views", "enums")}, sort_keys=True)


def main(argv: list[str]) -> int:
    """Run the benchmark and print the figures (see the module docstring)."""
    from schemasync.introspect import snapshot_database
    from schemasync.sources.ddl import read_ddl

    n = int(argv[0]) if argv else 1000
    runs = int(argv[1]) if len(argv) > 1 else 5
    with generated_database(n, "ddl") as (work, _, url):
        dump = work / "dump.sql"
        with dump.open("w", encoding="utf-8") as out:
            subprocess.run(["pg_dump", "--schema-only", "--dbname", url], stdout=out, check=True)
        imports: list[float] = []
        lives: list[float] = []
        imported = live = None
        for _ in range(runs):
            start = time.perf_counter()
            imported = read_ddl(dump, work, dialect="postgresql", rich=False)
            imports.append(time.perf_counter() - start)
            start = time.perf_counter()
            live = snapshot_database("SCHEMASYNC_BENCH_URL")
            lives.append(time.perf_counter() - start)
        assert imported is not None
        assert live is not None
        same = facts(imported) == facts(live)
        peak = subprocess.run(
            [sys.executable, "-c", PEAK, str(dump)], check=True, capture_output=True, text=True
        ).stdout.split()
    tables, peak_mb = int(peak[0]), int(peak[1]) / 1024
    ddl_ms, live_ms = statistics.median(imports) * 1000, statistics.median(lives) * 1000
    size_mb = dump.stat().st_size / 1e6
    kind = "compiled sqlglotc" if compiled() else "pure-Python sqlglot"
    print(f"| what ({tables} tables, {size_mb:.1f} MB dump, {runs} runs, {kind}) "
          "| median ms | all runs ms |")  # fmt: skip
    print("|---|---|---|")
    print(f"| snapshot --ddl (read_ddl) | {ddl_ms:.0f} | {[round(x * 1000) for x in imports]} |")
    print(f"| snapshot_database (live) | {live_ms:.0f} | {[round(x * 1000) for x in lives]} |")
    print(f"ratio ddl / live: {ddl_ms / live_ms:.2f}x; equal on database facts: {same}")
    scaled = ddl_ms / 1000 * 2000 / max(tables, 1)
    verdict = "OK" if scaled <= TARGET_S_AT_2000 else "MISSED"
    print(
        f"time scaled to 2,000 tables: {scaled:.2f} s (target <= {TARGET_S_AT_2000} s): {verdict}"
    )
    verdict = "OK" if peak_mb <= TARGET_MB else "MISSED"
    print(f"peak memory of the import (child, RSS): {peak_mb:.0f} MB (target <= {TARGET_MB:.0f} "
          f"MB): {verdict}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
