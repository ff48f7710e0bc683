"""Check the compiled build by difference: it must import every schema as the pure-Python one does.

setup.py compiles a few modules of the import with mypyc (its `COMPILED` list); the rest of the
package is the same Python in both builds. So instead of running the whole suite a second time on
the wheel, `nox -s compiled` installs it and runs this script, which starts itself twice, at once:

- ``digest --build compiled``: from an empty folder, so that `schemasync` is the installed wheel;
  every module of `COMPILED` must be a C extension;
- ``digest --build "pure Python"``: with the checkout first on `PYTHONPATH`, so that
  `schemasync` is the source tree's `.py` files (what `nox -s tests` tests);

and each prints one line per case: the sha256 of the mirror text (`dump_mirror`) and of
`repr(schema)` (which shows value types: a list is not a tuple, 1 is not "1"), or the class and
message of the error raised. The two listings must be identical, line for line. Cases: every
golden case (`tests/data/prisma/*`, read by `load_prisma` like the golden tests), every schema of
the real-world corpus (`SCHEMASYNC_CORPUS`; required when `CI=true`), and a fixed fuzz corpus
of mutated seed schemas (`fuzzlib.fuzz_corpus`: seeded, the same inputs on every run) through
`parse_schema` and `import_document`, most of which end in a parse or import error.

    python tests/build_diff.py              # both builds, compare (run by `nox -s compiled`)
    python tests/build_diff.py show CASE    # one case's mirror or error, in this interpreter
                                            # (the wheel's; PYTHONPATH=. for the source tree's)
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[1:1] = [str(HERE), str(HERE / "fuzz")]

import fuzzlib  # noqa: E402 -- tests/fuzz is not a package

#: How many mutated schemas the fuzz corpus holds (half token, half line mutations; ~2 ms each).
FUZZ_CASES = 4000
BUILDS = ("compiled", "pure Python")


def compiled_modules() -> list[str]:
    """Return the module names setup.py compiles (its `COMPILED` list: one list, read here)."""
    tree = ast.parse((REPO / "setup.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "COMPILED" for t in node.targets
        ):
            paths: list[str] = ast.literal_eval(node.value)
            return [p.removesuffix(".py").replace("/", ".") for p in paths]
    raise SystemExit("setup.py has no COMPILED list")


def check_build(build: str) -> None:
    """Exit with a message unless this interpreter imports schemasync as `build` says."""
    import importlib

    import schemasync

    where = Path(str(schemasync.__file__)).resolve().parent
    files = {m: str(importlib.import_module(m).__file__) for m in compiled_modules()}
    pure = {m: f for m, f in files.items() if f.endswith(".py")}
    if build == "compiled":
        problems = [f"{m} is not compiled ({f})" for m, f in pure.items()]
        if where == REPO / "schemasync":
            problems.append(f"schemasync is imported from the checkout ({where})")
    else:
        problems = [f"{m} is compiled ({f})" for m, f in files.items() if m not in pure]
        if where != REPO / "schemasync":
            problems.append(f"schemasync is imported from {where}, not the checkout")
    if schemasync.build() != build:
        problems.append(f"schemasync.build() says {schemasync.build()!r}")
    if problems:
        raise SystemExit(f"build_diff: not the {build} build: " + "; ".join(problems))


def cases() -> Iterator[tuple[str, Callable[[], object]]]:
    """Yield (case id, a function that imports the case and returns its Schema)."""
    from functools import partial

    from schemasync.model import Source
    from schemasync.prisma.load import load_prisma
    from schemasync.prisma.parser import parse_schema
    from schemasync.prisma.to_model import import_document

    for case in sorted(p for p in fuzzlib.GOLDEN.iterdir() if p.is_dir()):
        path = case / "schema.prisma" if (case / "schema.prisma").exists() else case / "schema"
        yield f"golden/{case.name}", partial(load_prisma, path, case)
    if (fuzzlib.CORPUS / "SOURCES.tsv").is_file():
        from test_conformance import corpus_cases

        for item in corpus_cases(fuzzlib.CORPUS):
            yield f"corpus/{item.id}", partial(load_prisma, item.path, fuzzlib.CORPUS)
    source = Source(kind="prisma", path="prisma/schema.prisma", sha256="0" * 64)

    def parse_and_import(files: fuzzlib.Files) -> object:
        return import_document(parse_schema(files), source=source)

    for name, files in fuzzlib.fuzz_corpus(FUZZ_CASES):
        yield name, partial(parse_and_import, files)


def outcome(run: Callable[[], object]) -> str:
    """Return the digests of the schema `run` returns, or its error class and message."""
    from schemasync.mirror import dump_mirror
    from schemasync.model import Schema

    try:
        schema = run()
    except Exception as err:  # any error: it must be the same error in both builds
        kind = type(err)
        return f"error\t{kind.__module__}.{kind.__qualname__}: " + json.dumps(str(err))
    assert isinstance(schema, Schema)
    mirror = hashlib.sha256(dump_mirror(schema).encode("utf-8")).hexdigest()
    shown = hashlib.sha256(repr(schema).encode("utf-8")).hexdigest()
    return f"ok\tmirror {mirror} repr {shown}"


def digest(build: str) -> None:
    """Print one line per case: id, then `ok` and the digests, or `error` and the message."""
    check_build(build)
    out = sys.stdout
    for name, run in cases():
        out.write(f"{name}\t{outcome(run)}\n")


def show(name: str) -> None:
    """Print one case's mirror (or its error) as this interpreter's build imports it."""
    from schemasync import build
    from schemasync.mirror import dump_mirror
    from schemasync.model import Schema

    print(f"# {name} ({build()})", file=sys.stderr)
    for case, run in cases():
        if case == name:
            try:
                schema = run()
            except Exception as err:
                print(f"{type(err).__module__}.{type(err).__qualname__}: {err}")
                return
            assert isinstance(schema, Schema)
            sys.stdout.write(dump_mirror(schema))
            print(repr(schema))
            return
    raise SystemExit(f"no case {name!r}")


def compare_builds() -> int:
    """Run `digest` under both builds at once; compare. Return the exit status."""
    require_corpus = os.environ.get("CI", "").lower() == "true" or bool(
        os.environ.get("SCHEMASYNC_REQUIRE_CORPUS")
    )
    if not (fuzzlib.CORPUS / "SOURCES.tsv").is_file():
        message = f"the Prisma corpus is not at {fuzzlib.CORPUS} (set SCHEMASYNC_CORPUS)"
        if require_corpus:
            print(f"build_diff: {message}", file=sys.stderr)
            return 1
        print(f"build_diff: warning: {message}; golden and fuzz cases only", file=sys.stderr)
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ss-build-diff-") as tmp:
        away = Path(tmp) / "away"  # an empty folder: no `schemasync/` beside it
        away.mkdir()
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        runs = []
        for seed, build in enumerate(BUILDS, start=1):
            out = (Path(tmp) / f"{build.replace(' ', '-')}.txt").open("w+", encoding="utf-8")
            # Two hash seeds: an output that depends on one differs here too.
            child_env = {**env, "PYTHONHASHSEED": str(seed)}
            if build == "pure Python":
                child_env["PYTHONPATH"] = str(REPO)
            args = [sys.executable, str(Path(__file__).resolve()), "digest", "--build", build]
            proc = subprocess.Popen(args, cwd=away, env=child_env, stdout=out)
            runs.append((build, proc, out))
        listings: dict[str, list[str]] = {}
        failed = False
        for build, proc, out in runs:
            status = proc.wait()
            out.seek(0)
            listings[build] = out.read().splitlines()
            out.close()
            if status != 0:
                print(f"build_diff: the {build} run failed (exit {status})", file=sys.stderr)
                failed = True
        if failed:
            return 1
    compiled, pure = (listings[b] for b in BUILDS)
    differ = (
        [(a, b) for a, b in zip(compiled, pure, strict=False) if a != b]
        + [(a, "<missing>") for a in compiled[len(pure) :]]
        + [("<missing>", b) for b in pure[len(compiled) :]]
    )
    counts: dict[str, int] = {}
    errors = 0
    for line in pure:
        group = line.split("/", 1)[0]
        counts[group] = counts.get(group, 0) + 1
        errors += line.split("\t")[1] == "error"
    summary = ", ".join(f"{group} {n}" for group, n in counts.items())
    took = time.monotonic() - start
    if differ:
        print(f"build_diff: the compiled and pure-Python builds differ on {len(differ)} of "
              f"{len(pure)} cases ({summary}):", file=sys.stderr)  # fmt: skip
        for a, b in differ[:10]:
            print(f"  compiled:    {a}\n  pure Python: {b}", file=sys.stderr)
        name = (differ[0][0] if differ[0][0] != "<missing>" else differ[0][1]).split("\t")[0]
        print(
            f"(the runs had PYTHONHASHSEED 1 and 2: a hash-seed dependence shows here too)\n"
            f"see one: .nox/compiled/bin/python tests/build_diff.py show {name!r}, and with "
            "PYTHONPATH=. for the pure-Python build",
            file=sys.stderr,
        )
        return 1
    print(
        f"build_diff: the compiled and pure-Python builds agree on all {len(pure)} cases "
        f"({summary}; {len(pure) - errors} mirrors, {errors} errors) in {took:.0f} s"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line: compare (default), `digest --build B`, or `show CASE`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    one = sub.add_parser("digest", help="print the digest listing of this interpreter's build")
    one.add_argument("--build", choices=BUILDS, required=True)
    case = sub.add_parser("show", help="print one case's mirror or error")
    case.add_argument("case")
    args = parser.parse_args(argv)
    if args.command == "digest":
        digest(args.build)
        return 0
    if args.command == "show":
        show(args.case)
        return 0
    return compare_builds()


if __name__ == "__main__":
    sys.exit(main())
