"""Measure `schemasync mcp` on the 1,000-model benchmark mirror: start-up and describe_table.

usage: python bench/serve_mcp.py [N_MODELS] [RUNS]

The mirror is `schemasync snapshot --prisma` of `bench/gen_schema.py`'s schema. A real client
(the SDK's `stdio_client` + `ClientSession`) starts the server as a subprocess, as an agent's host
does, and times:

- start-up: spawn -> `initialize` answered (the median of RUNS starts), and spawn -> first
  `list_tables` answered (the mirror loaded and indexed);
- `describe_table`: the round trip of one call, on 200 tables in a seeded random order, after
  the first call (median, 95th percentile, max);
- the MCP SDK's own import, in a fresh interpreter, for scale: whole, and past its package
  `__init__`s as `schemasync mcp` imports it.

Targets (issue 14): start-up <= 0.5 s, describe_table <= 50 ms. Times are wall-clock and depend
on the machine's load; the table says what it measured.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import anyio
from mcp import ClientSession, StdioServerParameters, stdio_client

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_schema import generate

SCHEMASYNC = Path(sys.executable).parent / "schemasync"


def make_project(n: int, work: Path) -> Path:
    """Write a project whose mirror is the n-model benchmark schema's."""
    schema = work / "schema.prisma"
    schema.write_text(generate(n), encoding="utf-8")
    project = work / "project"
    (project / "db" / "schema").mkdir(parents=True)
    out = work / "tables.json"  # `--out` never writes over a mirror schemasync manages
    subprocess.run(
        [SCHEMASYNC, "snapshot", "--prisma", str(schema), "--out", str(out)],
        check=True, cwd=work, capture_output=True,
    )  # fmt: skip
    out.replace(project / "db" / "schema" / "tables.json")
    return project


def server_cpu() -> float:
    """CPU seconds (user + system) the running `schemasync mcp` child has used so far: a
    measure of start-up that a loaded machine does not inflate as it does wall-clock time."""
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and b"mcp" in cmdline:
            return (int(fields[11]) + int(fields[12])) / tick
    return float("nan")


async def one_start(project: Path) -> tuple[float, float, float]:
    """Return (spawn -> initialized, the server's CPU seconds then, spawn -> first list_tables
    answered) in seconds."""
    params = StdioServerParameters(command=str(SCHEMASYNC), args=["mcp"], cwd=str(project))
    start = time.perf_counter()
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        ready = time.perf_counter() - start
        cpu = server_cpu()
        await session.call_tool("list_tables", {"limit": 1})
        return ready, cpu, time.perf_counter() - start


async def describe_calls(project: Path, calls: int) -> tuple[list[float], int]:
    """Return the round-trip times of `calls` describe_table calls and the answers' largest
    size."""
    params = StdioServerParameters(command=str(SCHEMASYNC), args=["mcp"], cwd=str(project))
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        listed = []
        cursor: str | None = None
        while True:
            args = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
            page = await session.call_tool("list_tables", args)
            data = json.loads(getattr(page.content[0], "text", "{}"))
            listed += [t["name"] for t in data["tables"]]
            cursor = data.get("nextCursor")
            if cursor is None:
                break
        names = random.Random(1000).sample(listed, min(calls, len(listed)))
        await session.call_tool("describe_table", {"name": names[0]})  # warm
        times, largest = [], 0
        for name in names:
            t = time.perf_counter()
            result = await session.call_tool("describe_table", {"name": name})
            times.append(time.perf_counter() - t)
            largest = max(largest, len(getattr(result.content[0], "text", "")))
        return times, largest


#: What a fresh interpreter runs to import the SDK's stdio server: as any program would (the
#: package `__init__`s too), and as `schemasync mcp` does (`mcp_server._skip_package_inits`).
SDK_IMPORTS = {
    "whole": "import gc; gc.disable(); import mcp.server.stdio, mcp.server.lowlevel",
    "lean": "import gc; gc.disable(); from schemasync import mcp_server as m; "
    "m._skip_package_inits(); import mcp.server.stdio, mcp.server.lowlevel",
}


def sdk_import(code: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds) a fresh interpreter takes to run `code` (an import of the SDK's
    server, `SDK_IMPORTS`), with the cyclic GC paused as `schemasync mcp` imports it (median of
    3): the floor of start-up that no change of ours moves (mcp 2.3's `mcp/__init__` imports the
    client and MCPServer; its low-level server imports starlette, uvicorn and auth; `mcp_types`
    builds two protocol versions' models)."""
    import resource

    walls, cpus = [], []
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main(argv: list[str]) -> int:
    """Run the measurement and print a markdown table."""
    n = int(argv[0]) if argv else 1000
    runs = int(argv[1]) if len(argv) > 1 else 5
    with tempfile.TemporaryDirectory(prefix="ss-bench-mcp-") as tmp:
        project = make_project(n, Path(tmp))
        mirror = (project / "db" / "schema" / "tables.json").stat().st_size
        starts = [anyio.run(one_start, project) for _ in range(runs)]
        times, largest = anyio.run(describe_calls, project, 200)
    ready = statistics.median(s[0] for s in starts)
    cpu = statistics.median(s[1] for s in starts)
    loaded = statistics.median(s[2] for s in starts)
    ms = sorted(t * 1000 for t in times)
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(f"## schemasync mcp, {n} models (mirror {mirror / 1e6:.1f} MB), {runs} starts\n")
    print("| measure | value | target |")
    print("|---|---|---|")
    print(f"| start-up: spawn -> initialize answered (median) | {ready:.2f} s | <= 0.5 s |")
    print(f"| start-up: the server's CPU time until then (median) | {cpu:.2f} s | |")
    print(f"| spawn -> first list_tables (mirror loaded, median) | {loaded:.2f} s | |")
    for how, code in SDK_IMPORTS.items():
        sdk_wall, sdk_cpu = sdk_import(code)
        print(f"| importing the SDK's server alone, {how} (python -c): wall / CPU "
              f"| {sdk_wall:.2f} / {sdk_cpu:.2f} s | |")  # fmt: skip
    print(f"| describe_table round trip, median of {len(ms)} | {statistics.median(ms):.1f} ms "
          "| <= 50 ms |")  # fmt: skip
    print(f"| describe_table round trip, p95 / max | {p95:.1f} / {ms[-1]:.1f} ms | |")
    print(f"| largest describe_table answer | {largest} chars | bounded |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
