"""Comments in Prisma schemas: `/* … */` block comments anywhere Prisma accepts them, and
documentation (`///`, `/* … */`) kept where Prisma keeps it.

Each case is a schema body (a PostgreSQL datasource is prepended) with the documentation the
parser must give: `{"Model": …, "Model.field": …, "Enum.VALUE": …}`. The node-backed test asks
Prisma's own reading (`get_datamodel`, the pinned harness) of the same text and requires the same
documentation; the cases Prisma rejects must be exit 4 here, at the comment.

Deliberate differences (`PRISMA_MANGLES`): where several comments document one field and one of
them is a `/* … */` after the first, Prisma 6.19 keeps part of its markers (`d\\n/* b`, `a\\n* b`);
schemasync keeps each comment's text (`d\\nb`). The test pins Prisma's text too, so a Prisma that
stops mangling is noticed.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

import pytest

from schemasync.errors import ExitCode, SourceError
from schemasync.prisma.parser import parse_text

HEAD = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n'

Docs = dict[str, str]

#: name -> (schema body, documentation schemasync and Prisma give)
AGREE: dict[str, tuple[str, Docs]] = {
    "top-single": ("/* top */\nmodel A {\n  id Int @id\n}", {"A": "top"}),
    "top-multi": ("/* top\n   multi */\nmodel A {\n  id Int @id\n}", {"A": "top\n   multi"}),
    "top-blank-line-detaches": ("/* licence */\n\nmodel A {\n  id Int @id\n}", {}),
    "doc-blank-line-detaches": ("/// licence\n\nmodel A {\n  id Int @id\n}", {}),
    "last-group-wins": ("/// a\n\n/// b\nmodel A {\n  id Int @id\n}", {"A": "b"}),
    "block-blank-doc": ("/* c */\n\n/// d\nmodel A {\n  id Int @id\n}", {"A": "d"}),
    "line-comment-is-not-blank": ("/// d\n// x\nmodel A {\n  id Int @id\n}", {"A": "d"}),
    "line-comment-then-block": ("// x\n/* c */\nmodel A {\n  id Int @id\n}", {"A": "c"}),
    "same-line-as-model": ("/* c */ model A {\n  id Int @id\n}", {"A": "c"}),
    "doc-then-block-top": ("/// d\n/* b */\nmodel A {\n  id Int @id\n}", {"A": "d\nb"}),
    "two-blocks-top": ("/* a */\n/* b */\nmodel A {\n  id Int @id\n}", {"A": "a\nb"}),
    "after-brace": ("model A { /* c */\n  id Int @id\n}", {}),
    "doc-after-brace": ("model A { /// c\n  id Int @id\n}", {}),
    "after-close": ("model A {\n  id Int @id\n} /* c */\nmodel B {\n  id Int @id\n}", {"B": "c"}),
    "trailing-field": ("model A {\n  id Int @id /* note */\n}", {"A.id": "note"}),
    "trailing-multi": ("model A {\n  id Int @id /* a\n b */\n}", {"A.id": "a\n b"}),
    "leading-field": ("model A {\n  /* lead */ id Int @id\n}", {"A.id": "lead"}),
    "own-line": ("model A {\n  /* own */\n  id Int @id\n}", {"A.id": "own"}),
    "own-lines": (
        "model A {\n  /* own\n     lines */\n  id Int @id\n}",
        {"A.id": "own\n     lines"},
    ),
    "blank-line-inside": ("model A {\n  /* d */\n\n  id Int @id\n}", {"A.id": "d"}),
    "block-then-doc": ("model A {\n  /* a */\n  /// d\n  id Int @id\n}", {"A.id": "a\nd"}),
    "block-then-line": ("model A {\n  /* b */\n  // x\n  id Int @id\n}", {"A.id": "b"}),
    "block-attribute": ("model A {\n  id Int\n  /* x */ @@id([id]) /* y */\n}", {}),
    "enum-values": (
        "enum E {\n  A /* x */\n  /* y */ B\n}\nmodel M {\n  id Int @id\n  e E\n}",
        {"E.A": "x", "E.B": "y"},
    ),
    "datasource": ('model A {\n  id Int @id\n}\ngenerator g {\n  provider = "x" /* c */\n}', {}),
    "jsdoc": ("/**\n * jsdoc\n */\nmodel A {\n  id Int @id\n}", {"A": "*\n * jsdoc"}),
    "empty": ("/**/\nmodel A {\n  id Int @id\n}", {"A": ""}),
    "slashes-inside": ("/* // no /// no */\nmodel A {\n  id Int @id\n}", {"A": "// no /// no"}),
    "in-string": ('model A {\n  id String @id @default("/* x */")\n}', {}),
    "doc-holds-block": ("model A {\n  id Int @id /// a /* b */\n}", {"A.id": "a /* b */"}),
}

#: name -> (schema body, schemasync's documentation, Prisma 6.19's)
PRISMA_MANGLES: dict[str, tuple[str, Docs, Docs]] = {
    "doc-then-block": (
        "model A {\n  /// d\n  /* b */\n  id Int @id\n}",
        {"A.id": "d\nb"},
        {"A.id": "d\n/* b"},
    ),
    "two-blocks-one-line": (
        "model A {\n  /* a */ /* b */\n  id Int @id\n}",
        {"A.id": "a\nb"},
        {"A.id": "a\n* b"},
    ),
}

#: name -> (schema body, line:col and the start of schemasync's message)
REJECTED: dict[str, tuple[str, str, str]] = {
    "between-name-and-type": (
        "model A {\n  id /* x */ Int @id\n}",
        "6:6",
        "a `/* … */` comment cannot stand inside",
    ),
    "between-type-and-attribute": (
        "model A {\n  id Int /* x */ @id\n}",
        "6:10",
        "a `/* … */` comment cannot stand inside",
    ),
    "in-arguments": (
        "model A {\n  id Int @id @default(/* x */ 1)\n}",
        "6:23",
        "a `/* … */` comment cannot stand inside",
    ),
    "block-then-doc-trailing": (
        "model A {\n  id Int @id /* a */ /// b\n}",
        "6:14",
        "a `/* … */` comment cannot stand",
    ),
    "unterminated": ("model A {\n  id Int @id\n}\n/* open", "8:1", "unterminated `/*` comment"),
    "nested": ("/* a /* b */ c */\nmodel A {\n  id Int @id\n}", "5:14", "unknown block `c`"),
}


def _docs(text: str) -> Docs:
    """The documentation schemasync's parser gives, keyed as in the cases."""
    docs: Docs = {}
    for block in parse_text(text, "c.prisma"):
        if block.kind not in ("model", "enum"):
            continue
        if block.doc is not None:
            docs[block.name] = block.doc
        for item in (*block.fields, *block.values):
            if item.doc is not None:
                docs[f"{block.name}.{item.name}"] = item.doc
    return docs


def _prisma_docs(datamodel: Mapping[str, Any], suffix: str = "") -> Docs:
    """The documentation in Prisma's datamodel, keyed as in the cases (`suffix` removed from
    model and enum names)."""
    docs: Docs = {}
    blocks = [*datamodel["models"], *datamodel["enums"]]
    for block in blocks:
        name = block["name"].removesuffix(suffix)
        if block.get("documentation") is not None:
            docs[name] = block["documentation"]
        for item in (*block.get("fields", ()), *block.get("values", ())):
            if item.get("documentation") is not None:
                docs[f"{name}.{item['name']}"] = item["documentation"]
    return docs


@pytest.mark.parametrize("name", [*AGREE, *PRISMA_MANGLES])
def test_documentation(name: str) -> None:
    body, ours = AGREE[name] if name in AGREE else PRISMA_MANGLES[name][:2]
    assert _docs(HEAD + body) == ours


@pytest.mark.parametrize("name", REJECTED)
def test_rejected_at_the_comment(name: str) -> None:
    body, where, message = REJECTED[name]
    with pytest.raises(SourceError) as caught:
        parse_text(HEAD + body, "c.prisma")
    shown = str(caught.value)
    assert shown.startswith(f"c.prisma:{where}: {message}"), shown
    assert caught.value.exit_code == ExitCode.SOURCE
    assert "\n" not in shown


def _renamed(body: str, case: int) -> str:
    """`body` with its model and enum names made unique to one case (`A` -> `A_7`)."""
    import re

    return re.sub(r"\b(model|enum) ([A-Z])\b", rf"\1 \2_{case}", body).replace(
        " E\n", f" E_{case}\n"
    )


@pytest.mark.node
def test_prisma_reads_the_same_documentation(prisma_harness: ModuleType) -> None:
    """One multi-file schema, a file per case (top-level comments are per file): Prisma's
    documentation equals schemasync's for every AGREE case, and is the pinned mangled text for
    the PRISMA_MANGLES ones."""
    names = [*AGREE, *PRISMA_MANGLES]
    files = [("head.prisma", HEAD)]
    for case, name in enumerate(names):
        body = AGREE[name][0] if name in AGREE else PRISMA_MANGLES[name][0]
        files.append((f"c{case}.prisma", _renamed(body, case)))
    datamodel = prisma_harness.datamodel(files, engine="6")
    for case, name in enumerate(names):
        suffix = f"_{case}"
        part = {
            "models": [m for m in datamodel["models"] if m["name"].endswith(suffix)],
            "enums": [e for e in datamodel["enums"] if e["name"].endswith(suffix)],
        }
        expected = AGREE[name][1] if name in AGREE else PRISMA_MANGLES[name][2]
        assert _prisma_docs(part, suffix) == expected, name


@pytest.mark.node
@pytest.mark.parametrize("name", REJECTED)
def test_prisma_rejects_them_too(name: str, prisma_harness: ModuleType) -> None:
    with pytest.raises(prisma_harness.PrismaHarnessError, match="P1012"):
        prisma_harness.validate([("c.prisma", HEAD + REJECTED[name][0])], engine="6")
