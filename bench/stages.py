"""Where the import's time goes, stage by stage (a tool for speed work; not a target check).

usage: python bench/stages.py [N_MODELS] [RUNS]

Generates the benchmark schema (bench/gen_schema.py, default 1,000 models) and prints the median
milliseconds of each stage over RUNS runs (default 7) in this process, warm, the cyclic GC paused
as `load_prisma` pauses it:

  lex        cutting the text into tokens (`lexer._scan`)
  parse      tokens -> syntax tree (lexing included)
  import     syntax tree -> `Schema` (`import_document`), split by its steps (pure Python)
  free tree  dropping the syntax tree
  gc         the first collection once the GC is back on (it scans what survived: the model)
  dump       `Schema` -> canonical tables.json text
  free model dropping the `Schema`

`nox -s bench` compares against Prisma; this says which stage to work on.
"""

from __future__ import annotations

import gc
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from gen_schema import generate  # noqa: E402

# The import's steps (`to_model` functions), timed by patching the module in the pure-Python
# build: the context (checks and index), then the steps it feeds.
STEPS = ("build_context", "_columns", "_primary_key", "_indexes", "_relations", "_join_tables")


def _timed(steps: dict[str, float], name: str, fn: Any) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            steps[name] += time.perf_counter() - start

    return wrapper


def main(argv: list[str]) -> int:
    """Print the stage table."""
    from schemasync.mirror import dump_mirror
    from schemasync.prisma import to_model
    from schemasync.prisma.lexer import Source
    from schemasync.prisma.load import read_prisma_sources
    from schemasync.prisma.parser import parse_schema

    n = int(argv[0]) if argv else 1000
    runs = int(argv[1]) if len(argv) > 1 else 7
    with tempfile.TemporaryDirectory(prefix="ss-stages-") as tmp:
        path = Path(tmp) / "schema.prisma"
        path.write_text(generate(n), encoding="utf-8")
        sources = read_prisma_sources(path, path.parent)
    steps: dict[str, float] = defaultdict(float)
    if str(to_model.__file__).endswith(".py"):
        for name in STEPS:
            setattr(to_model, name, _timed(steps, name, getattr(to_model, name)))
    else:  # compiled functions call each other directly: the stages without the steps
        print("(compiled build: the import's steps are timed in the pure-Python build only)")
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs + 1):  # the first run warms up and is not counted
        steps.clear()
        gc.collect()
        gc.disable()
        t0 = time.perf_counter()
        Source(sources.files[0][1], sources.files[0][0])
        t1 = time.perf_counter()
        doc = parse_schema(sources.files)
        t2 = time.perf_counter()
        schema = to_model.import_document(doc, source=sources.source())
        t3 = time.perf_counter()
        del doc
        t4 = time.perf_counter()
        gc.enable()
        gc.collect(0)
        t5 = time.perf_counter()
        dump_mirror(schema)
        t6 = time.perf_counter()
        del schema
        t7 = time.perf_counter()
        row = {"lex": t1 - t0, "parse": t2 - t1, "import": t3 - t2, "free tree": t4 - t3,
               "gc": t5 - t4, "dump": t6 - t5, "free model": t7 - t6,
               **{f"  {k}": v for k, v in steps.items()}}  # fmt: skip
        for key, value in row.items():
            samples[key].append(value * 1000)
    print(f"{n:,} models, median of {runs} warm runs (ms):")
    for key, values in samples.items():
        print(f"  {key:<22} {statistics.median(values[1:]):7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
