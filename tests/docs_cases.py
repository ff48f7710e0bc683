"""The mirrors whose pages and exports are goldens (`tests/data/docs/<case>/`), and every diagram
the docs tests render: shared by `test_docs.py` (goldens, markdown) and `test_diagrams_valid.py`
(the real Mermaid and DBML parsers, one node process for all)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from markdown_it import MarkdownIt

from schemasync.dbml import render_dbml
from schemasync.diagram import render_mermaid
from schemasync.docs import render_docs
from schemasync.mirror import read_mirror
from schemasync.model import (
    Check,
    Column,
    Enum,
    EnumValue,
    ForeignKey,
    Index,
    IndexColumn,
    PrimaryKey,
    Schema,
    Source,
    Table,
    View,
)
from schemasync.prisma.load import load_prisma

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
DATA = TESTS / "data" / "docs"
EXAMPLE = REPO / "examples" / "shop"


def _prisma(case: str) -> Callable[[], Schema]:
    folder = DATA / case
    return lambda: load_prisma(folder / "schema.prisma", folder)


#: Names no database would refuse, and every character the renderers must escape.
NASTY = ('a"b', "a'b", "a\\b", "a`b", "a|b", "a}b", "a{b", "%%x", "a\nb", "ü 漢字", "-x", "1x",
         " ", "a;b", "a:b", "a[b]", "a#b", "--", "x" * 70, "a\tb", "<br>", "''", '""', "README",
         "readme", "con", "1. one", "- item", "+", "=", "> quote", "&amp;", "*a*")  # fmt: skip


def _nasty() -> Schema:
    """A table per nasty name, in a schema of that name, with a column, comment, default, key,
    index, check and a foreign key (to the next one) of that name; an enum and a view."""
    tables = []
    for i, name in enumerate(NASTY):
        after = NASTY[(i + 1) % len(NASTY)]
        column = Column(name=name, type="String", db_type=name, nullable=True, comment=name,
                        default={"kind": "literal", "value": name})  # fmt: skip
        fk = ForeignKey(name=name, columns=(name,), referenced_schema=f"s{after}",
                        referenced_table=after, referenced_columns=("id",), on_delete="CASCADE",
                        on_update="NO ACTION")  # fmt: skip
        index = Index(name=name, columns=(IndexColumn(name=name),), unique=True, predicate=name)
        tables.append(
            Table(
                name=name,
                db_schema=f"s{name}",
                comment=name,
                columns=(Column(name="id", type="Int", db_type="integer"), column),
                primary_key=PrimaryKey(columns=("id",), name=name),
                foreign_keys=(fk,),
                indexes=(index,),
                checks=(Check(name=name, expression=name),),
            )
        )
    return Schema(
        provider="postgresql",
        source=Source(kind="prisma", sha256="0" * 64),
        tables=tuple(tables),
        enums=(Enum(name=NASTY[0], db_schema="s", values=tuple(EnumValue(name=n) for n in NASTY)),),
        views=(
            View(
                name=NASTY[1],
                db_schema="v",
                definition="```\n" + NASTY[2],
                columns=(Column(name=NASTY[3], type="Int", db_type="integer"),),
            ),
        ),
    )


#: case -> the mirror. `shop`: the example's committed mirror (its pages are the example's own
#: `docs/db/`); `multi`: the two-schema PostgreSQL golden of the context tests (comments, checks,
#: a view, an enum, cross-schema FKs); `odd`: odd names, a self-reference, a composite FK, an
#: implicit many-to-many, a case clash, `README`; `nasty`: names and comments holding every
#: character the renderers escape (built here: no schema language spells all of them);
#: `relation-mode`: relations without FKs.
CASES: dict[str, Callable[[], Schema]] = {
    "shop": lambda: read_mirror(EXAMPLE / "db" / "schema" / "tables.json"),
    "multi": lambda: read_mirror(TESTS / "data" / "context" / "multi" / "tables.json"),
    "odd": _prisma("odd"),
    "nasty": _nasty,
    "relation-mode": _prisma("relation-mode"),
}


def expected_pages(case: str) -> Path:
    """Where a case's pages are kept: the example's own `docs/db/`, else `expected/`."""
    return EXAMPLE if case == "shop" else DATA / case / "expected"


def markdown() -> MarkdownIt:
    """The project's reading of markdown (pipe tables on)."""
    return MarkdownIt("commonmark").enable("table")


def mermaid_blocks(text: str) -> list[str]:
    """The contents of the ```mermaid fences of a page."""
    return [
        t.content
        for t in markdown().parse(text)
        if t.type == "fence" and t.info.strip() == "mermaid"
    ]


def diagrams(schema: Schema, name: str) -> Iterator[tuple[str, str, str]]:
    """Every diagram rendered from one mirror: (id, kind, text) for each page's Mermaid, the
    Mermaid export and the DBML export."""
    for rel, text in render_docs(schema):
        for n, block in enumerate(mermaid_blocks(text)):
            yield f"{name}:{rel}#{n}", "mermaid", block
    yield f"{name}:export.mmd", "mermaid", render_mermaid(schema)
    yield f"{name}:export.dbml", "dbml", render_dbml(schema)
