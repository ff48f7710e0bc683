"""Prisma's validation where it matters to the mirror (issue 11, item 7): two models or views
mapped to one table, two fields mapped to one column, a relation to an unknown model.

Prisma rejects each with P1012; schemasync would otherwise write a mirror with two tables of one
name (or two columns of one name) and a context that mixes them. Each case is exit 4 with one
line naming file:line:col, in Prisma's words plus the fix, and nothing written; the node-backed
test asks the real Prisma about the same files and checks it says P1012 at the same line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from safety_project import (
    MIRROR,
    SCHEMA,
    assert_clean_failure,
    changes,
    make_project,
    run_cli,
    tree_bytes,
)

from schemasync.errors import ExitCode, SourceError
from schemasync.prisma.load import load_prisma

DATASOURCE = 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n'
VIEWS = 'generator c {\n  provider = "prisma-client-js"\n  previewFeatures = ["views"]\n}\n'
SCHEMAS = 'generator c {\n  provider = "prisma-client-js"\n  previewFeatures = ["multiSchema"]\n}\n'


@dataclass(frozen=True)
class Case:
    """A schema body after the datasource, and where and what schemasync reports (or None)."""

    body: str
    where: str | None  # "line:col" of the error, None: valid for Prisma and for us
    says: str = ""
    datasource: str = DATASOURCE


CASES = {
    "two-models-one-table": Case(
        'model A {\n  id Int @id\n  @@map("t")\n}\n\nmodel B {\n  id Int @id\n  @@map("t")\n}\n',
        "12:3",
        'The model with database name "t" could not be defined because another model or view '
        'with this name exists: "A" (at ',
    ),
    "map-is-another-models-name": Case(
        'model A {\n  id Int @id\n}\n\nmodel B {\n  id Int @id\n  @@map("A")\n}\n',
        "11:3",
        'The model with database name "A" could not be defined because another model or view '
        'with this name exists: "A"',
    ),
    "model-then-unmapped-name": Case(
        'model B {\n  id Int @id\n  @@map("A")\n}\n\nmodel A {\n  id Int @id\n}\n',
        "7:3",
        'database name "A" could not be defined because another model or view with this name '
        'exists: "A"',
    ),
    "model-and-view-one-table": Case(
        VIEWS + 'model A {\n  id Int @id\n  @@map("t")\n}\n\nview V {\n  id Int @unique\n'
        '  @@map("t")\n}\n',
        "16:3",
        'The model with database name "t" could not be defined because another model or view '
        'with this name exists: "A"',
    ),
    "two-views-one-table": Case(
        VIEWS + 'view V {\n  id Int @unique\n  @@map("t")\n}\n\nview W {\n  id Int @unique\n'
        '  @@map("t")\n}\n',
        "16:3",
        'exists: "V"',
    ),
    "two-fields-one-column": Case(
        'model A {\n  id Int @id\n  a  Int @map("x")\n  b  Int @map("x")\n}\n',
        "8:3",
        'Field "b" is already defined on model "A": it maps to column "x", as field `a` does; '
        "give one of them another `@map",
    ),
    "map-is-another-fields-name": Case(
        'model A {\n  id Int @id\n  a  Int\n  b  Int @map("a")\n}\n',
        "8:3",
        'Field "b" is already defined on model "A": it maps to column "a", as field `a` does',
    ),
    "relation-to-an-unknown-model": Case(
        "model A {\n  id  Int @id\n  bId Int\n  b   Nope @relation(fields: [bId], "
        "references: [id])\n}\n",
        "8:7",
        "unknown type `Nope`; use a Prisma scalar type or the name of a model",
    ),
    # what Prisma accepts, so must we: the same table name in two schemas, another case
    "same-table-other-schema": Case(
        SCHEMAS + 'model A {\n  id Int @id\n  @@map("t")\n  @@schema("a")\n}\n\nmodel B {\n'
        '  id Int @id\n  @@map("t")\n  @@schema("b")\n}\n',
        None,
        datasource=DATASOURCE.replace("}\n", '  schemas = ["a", "b"]\n}\n', 1),
    ),
    "table-names-differ-in-case": Case(
        'model A {\n  id Int @id\n  @@map("t")\n}\n\nmodel B {\n  id Int @id\n  @@map("T")\n}\n',
        None,
    ),
    "relation-field-named-like-a-column": Case(
        "model A {\n  id Int @id\n  b  B[]\n}\n\nmodel B {\n  id  Int @id\n  a   A   "
        '@relation(fields: [aId], references: [id])\n  aId Int @map("a")\n}\n',
        None,
    ),
}


def _text(case: Case) -> str:
    return case.datasource + case.body


@pytest.mark.parametrize("name", CASES)
def test_import_reports_what_prisma_rejects(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    schema = tmp_path / "schema.prisma"
    schema.write_text(_text(case), encoding="utf-8")
    if case.where is None:
        load_prisma(schema, tmp_path)
        return
    with pytest.raises(SourceError) as err:
        load_prisma(schema, tmp_path)
    assert f"{err.value.line}:{err.value.col}" == case.where
    assert case.says in err.value.detail


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.where is not None])
def test_sync_is_exit_4_with_one_line_and_writes_nothing(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    project = make_project(tmp_path)
    (project / SCHEMA).write_text(_text(case), encoding="utf-8")
    before = tree_bytes(project)
    line = assert_clean_failure(run_cli(project, "sync"), ExitCode.SOURCE)
    assert line.startswith(f"{SCHEMA}:{case.where}: "), line
    assert case.says in line
    assert {p: c for p, c in changes(before, tree_bytes(project)).items()
            if not p.startswith(".ai/")} == {}  # fmt: skip
    assert (project / MIRROR).read_bytes() == before[MIRROR]


@pytest.mark.node
@pytest.mark.parametrize("name", CASES)
def test_prisma_says_p1012_where_we_say_exit_4(
    name: str, tmp_path: Path, prisma_harness: ModuleType
) -> None:
    """The real Prisma 6 on the same text: P1012 at the same line exactly when we refuse."""
    case = CASES[name]
    text = _text(case)
    try:
        prisma_harness.validate(text, engine="6")
    except prisma_harness.PrismaHarnessError as err:
        verdict = json.loads(str(err).partition(": ")[2])["6"]
        assert case.where is not None, f"Prisma rejects {name}: {verdict['message']}"
        assert verdict["error_code"] == "P1012"
        line = case.where.split(":")[0]
        assert f"-->  schema.prisma:{line}\n" in verdict["message"], verdict["message"]
    else:
        assert case.where is None, f"Prisma accepts {name}, schemasync refuses it"
