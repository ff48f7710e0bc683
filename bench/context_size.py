"""Measure the context's size against the mirror and the Prisma schema, in bytes and tokens.

usage: python bench/context_size.py [N_MODELS] [CORPUS]

Rows: the bundled example, every corpus schema of 10 KB or more (a lone `.prisma` file, or a
folder of several; the smaller ones summed up in one line), and the N-model benchmark schema
(`bench/gen_schema.py`, default 1,000). Tokens are o200k_base's, counted by `bpe-openai` (its
vocabulary ships inside the package: no download). Targets (issue 14): the context no larger than
`schema.prisma` from 10 KB on, and at most 35 % of `tables.json`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import bpe_openai  # type: ignore[import-untyped]  # no py.typed

from schemasync.context import render_context
from schemasync.errors import SchemasyncError
from schemasync.mirror import dump_mirror
from schemasync.prisma.load import load_prisma

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_schema import generate

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "shop" / "prisma" / "schema.prisma"
CORPUS = REPO.parent / "shared" / "corpus" / "prisma"
FROM_BYTES = 10_000

#: (Prisma bytes, tokens, mirror bytes, tokens, context bytes, tokens)
Sizes = tuple[int, int, int, int, int, int]


def corpus(root: Path) -> Iterator[Path]:
    """Every corpus schema: a lone `.prisma` file, or a folder holding several."""
    for folder in sorted({p.parent for p in root.rglob("*.prisma")}):
        files = sorted(folder.glob("*.prisma"))
        yield from [folder] if len(files) > 1 else files


def measure(path: Path, count: Callable[[str], int]) -> Sizes | None:
    """The sizes of one schema's texts; None when the import refuses it (fragments and
    invalid fixtures)."""
    try:
        schema = load_prisma(path, path if path.is_dir() else path.parent)
    except SchemasyncError:
        return None
    files = sorted(path.glob("*.prisma")) if path.is_dir() else [path]
    prisma = "".join(p.read_text(encoding="utf-8") for p in files)
    mirror = dump_mirror(schema)
    context = render_context(schema, mirror)
    b = [len(text.encode()) for text in (prisma, mirror, context)]
    t = [count(text) for text in (prisma, mirror, context)]
    return b[0], t[0], b[1], t[1], b[2], t[2]


def tokens(encode: Callable[[str], list[int]], text: str) -> int:
    """o200k_base tokens of `text`; line by line past 100,000 characters (the tokenizer refuses
    very long inputs; the CHANGELOG's earlier figures were counted the same way)."""
    if len(text) <= 100_000:
        return len(encode(text))
    return sum(len(encode(line)) for line in text.splitlines(keepends=True))


def row(name: str, s: Sizes) -> str:
    """One table row: the sizes and the context's ratios to the Prisma schema and the mirror."""
    return (
        f"| {name} | {s[0]:,} / {s[1]:,} | {s[2]:,} / {s[3]:,} | {s[4]:,} / {s[5]:,} "
        f"| {s[4] / s[0]:.2f} / {s[5] / s[1]:.2f} | {s[4] / s[2]:.0%} / {s[5] / s[3]:.0%} |"
    )


def main(argv: list[str]) -> int:
    """Print the table."""
    n = int(argv[0]) if argv else 1000
    root = Path(argv[1]) if len(argv) > 1 else CORPUS
    encode = bpe_openai.get_encoding("o200k_base").encode

    def count(text: str) -> int:
        return tokens(encode, text)

    rows = [
        "| schema | schema.prisma B / t | tables.json B / t | context B / t "
        "| context ÷ prisma B / t | context ÷ mirror B / t |",
        "|---|---|---|---|---|---|",
    ]
    example = measure(EXAMPLE, count)
    assert example is not None
    rows.append(row("examples/shop", example))
    small: list[Sizes] = []
    for path in corpus(root) if root.is_dir() else ():
        found = measure(path, count)
        if found is None:
            continue
        if found[0] >= FROM_BYTES:
            rows.append(row(str(path.relative_to(root)), found))
        else:
            small.append(found)
    if small:
        ratios = sorted(s[5] / s[1] for s in small)
        total: Sizes = tuple(sum(s[i] for s in small) for i in range(6))  # type: ignore[assignment]
        rows.append(
            row(
                f"{len(small)} corpus schemas < 10 KB, summed (token ratio each: "
                f"median {statistics.median(ratios):.2f}, max {ratios[-1]:.2f})",
                total,
            )
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "schema.prisma"
        path.write_text(generate(n), encoding="utf-8")
        big = measure(path, count)
        assert big is not None
        rows.append(row(f"bench, {n:,} models", big))
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
