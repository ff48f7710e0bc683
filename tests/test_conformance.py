"""Conformance with Prisma's own parser on every real-world schema of the shared corpus (issue 2).

For each schema of the corpus (a multi-file folder is ONE schema, see SOURCES.tsv), schemasync's
import (`load_prisma`) and Prisma's `get_datamodel` (prisma-schema-wasm of Prisma 6, or of
Prisma 7 for datasources without `url`) must agree on every model, view, enum, field, index,
unique, id and relation: see `conformance/oracle.py` for the rules. No exclusions.

The corpus is read in place from `SCHEMASYNC_CORPUS` (default `../shared/corpus/prisma` beside
the repository) and never copied. Missing corpus: skipped locally, a failure when `CI=true` or
`SCHEMASYNC_REQUIRE_CORPUS=1` (the nox session `conformance` sets both the path and the rule).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from conformance.oracle import compare, native_type_matches

from schemasync.model import Schema, Table

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("SCHEMASYNC_CORPUS", REPO.parent / "shared" / "corpus" / "prisma"))


@dataclass(frozen=True)
class Case:
    """One schema of the corpus: a file, or a folder of files that form one schema."""

    id: str
    path: Path


def corpus_cases(root: Path) -> list[Case]:
    """Read SOURCES.tsv: rows marked multi-file are grouped into their common folder."""
    with (root / "SOURCES.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    groups: dict[str, list[Path]] = {}
    cases: list[Case] = []
    for row in rows:
        path = root / row["staged_path"]
        if "multi-file" in row["notable features"]:
            groups.setdefault(row["project"], []).append(path)
        else:
            cases.append(Case(row["staged_path"].removesuffix("/schema.prisma"), path))
    for paths in groups.values():
        folder = Path(os.path.commonpath([p.parent for p in paths]))
        cases.append(Case(folder.relative_to(root).as_posix() + "/", folder))
    return sorted(cases, key=lambda c: c.id)


def _require_corpus() -> None:
    if (CORPUS / "SOURCES.tsv").is_file():
        return
    message = f"the Prisma corpus is not at {CORPUS} (set SCHEMASYNC_CORPUS)"
    if os.environ.get("CI", "").lower() == "true" or os.environ.get("SCHEMASYNC_REQUIRE_CORPUS"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


CASES = corpus_cases(CORPUS) if (CORPUS / "SOURCES.tsv").is_file() else []
_DATASOURCE = re.compile(r"(?ms)^\s*datasource\s+\w+\s*\{(.*?)^\s*\}")


def datasource_setting(texts: list[str], key: str) -> str | None:
    """Read one string setting of the datasource block, independently of schemasync."""
    for text in texts:
        block = _DATASOURCE.search(text)
        if block:
            found = re.search(rf'(?m)^\s*{key}\s*=\s*"([^"]*)"', block.group(1))
            return found.group(1) if found else None
    return None


def test_corpus_is_complete() -> None:
    """Every .prisma file on disk belongs to exactly one case; the corpus is not empty."""
    _require_corpus()
    on_disk = sorted(p for p in CORPUS.rglob("*.prisma"))
    covered: list[Path] = []
    for case in CASES:
        covered += sorted(case.path.rglob("*.prisma")) if case.path.is_dir() else [case.path]
    assert sorted(covered) == on_disk
    assert len(CASES) >= 15
    assert sum(1 for c in CASES if c.path.is_dir()) == 3


@pytest.mark.node
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_import_agrees_with_prisma(case: Case, prisma_harness: ModuleType) -> None:
    """The mirror carries everything Prisma's own parser reports, with the same meaning."""
    _require_corpus()
    from schemasync.prisma.load import load_prisma

    files = prisma_harness.read_files(case.path)
    datamodel = prisma_harness.datamodel(files)
    mirror = load_prisma(case.path, CORPUS)
    texts = [t for _, t in files]
    provider = datasource_setting(texts, "provider") or ""
    assert mirror.provider == provider
    relation_mode = datasource_setting(texts, "relationMode") or "foreignKeys"
    problems = compare(datamodel, mirror, provider, relation_mode)
    assert not problems, f"{len(problems)} discrepancies in {case.id}:\n" + "\n".join(problems)


def test_no_case_means_no_test() -> None:
    """Guard: the parametrized test must not silently collect zero cases."""
    _require_corpus()
    assert CASES


@pytest.mark.parametrize(
    ("native", "db_type", "same"),
    [
        (["VarChar", ["320"]], "varchar(320)", True),
        (["VarChar", ["320"]], "varchar(32)", False),
        (["Timestamptz", ["6"]], "timestamptz(6)", True),
        (["Timestamp", ["0"]], "timestamp(0)", True),
        (["DoublePrecision", []], "double precision", True),
        (["Decimal", ["10", "4"]], "numeric(10,4)", True),
        (["Decimal", ["10", "4"]], "decimal(10, 4)", True),
        (["Uuid", []], "uuid", True),
        (["Uuid", []], "text", False),
        (["Text", []], "text[]", True),
        (["UnsignedInt", []], "int unsigned", True),
        (["UnsignedInt", []], "int", False),
        (["Integer", []], "integer", True),
        (["Char", ["2"]], "char(2)", True),
        (["ObjectId", []], "objectId", True),
    ],
)
def test_native_type_matching(native: list[object], db_type: str, same: bool) -> None:
    assert native_type_matches(native, db_type) is same


@pytest.mark.parametrize(
    ("native", "db_type", "same"),
    [
        (["Timestamp", ["0"]], "timestamp", True),
        (["Timestamp", ["0"]], "timestamp(0)", False),
        (["DateTime", ["0"]], "datetime", True),
        (["Time", ["0"]], "time", True),
        (["Timestamp", ["3"]], "timestamp", False),
        (["Timestamp", ["3"]], "timestamp(3)", True),
    ],
)
def test_mysql_does_not_show_precision_zero(native: list[object], db_type: str, same: bool) -> None:
    assert native_type_matches(native, db_type, "mysql") is same


SMALL = """
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

enum Status {
  OPEN
  DONE @map("done")
}

model Author {
  id    Int    @id @default(autoincrement())
  email String @unique @db.VarChar(320)
  posts Post[]
  tags  Tag[]
}

model Post {
  id       String   @id @default(cuid())
  status   Status   @default(DONE)
  authorId Int      @map("author_id")
  author   Author   @relation(fields: [authorId], references: [id], onDelete: Cascade)
  updated  DateTime @updatedAt
  labels   String[]

  @@index([status(sort: Desc)])
  @@map("posts")
}

model Tag {
  id      Int      @id
  authors Author[]
}
"""


def _mutations() -> dict[str, Callable[[Schema], Schema]]:
    """Each one-fact change to a correct mirror that the oracle must notice."""
    from schemasync.model import LiteralDefault

    def table(s: Schema, name: str) -> Table:
        return next(t for t in s.tables if t.name == name)

    def with_table(s: Schema, tname: str, /, **changes: object) -> Schema:
        tables = tuple(t.model_copy(update=changes) if t.name == tname else t for t in s.tables)
        return s.model_copy(update={"tables": tables})

    def with_column(s: Schema, tname: str, cname: str, **changes: object) -> Schema:
        cols = tuple(
            c.model_copy(update=changes) if c.prisma_name == cname else c
            for c in table(s, tname).columns
        )
        return with_table(s, tname, columns=cols)

    def first_fk(s: Schema, **changes: object) -> Schema:
        fks = (table(s, "posts").foreign_keys[0].model_copy(update=changes),)
        return with_table(s, "posts", foreign_keys=fks)

    def unsorted(s: Schema) -> Schema:
        indexes = tuple(
            i.model_copy(update={"columns": (i.columns[0].model_copy(update={"sort": None}),)})
            for i in table(s, "posts").indexes
        )
        return with_table(s, "posts", indexes=indexes)

    def renamed_pk(s: Schema) -> Schema:
        pk = table(s, "Author").primary_key
        assert pk is not None
        return with_table(s, "Author", primary_key=pk.model_copy(update={"name": "pk"}))

    def one_enum_value(s: Schema) -> Schema:
        enums = tuple(e.model_copy(update={"values": e.values[:1]}) for e in s.enums)
        return s.model_copy(update={"enums": enums})

    def no_join_table(s: Schema) -> Schema:
        return s.model_copy(update={"tables": tuple(t for t in s.tables if t.name[0] != "_")})

    return {
        "column name": lambda s: with_column(s, "posts", "authorId", name="authorId"),
        "nullable": lambda s: with_column(s, "Author", "email", nullable=True),
        "list nullable": lambda s: with_column(s, "posts", "labels", nullable=False),
        "native type": lambda s: with_column(s, "Author", "email", db_type="varchar(32)"),
        "type": lambda s: with_column(s, "posts", "status", type="String"),
        "enum default is the db value": lambda s: with_column(
            s, "posts", "status", default=LiteralDefault(value="DONE")
        ),
        "client default": lambda s: with_column(s, "posts", "id", client_default=None),
        "updatedAt": lambda s: with_column(s, "posts", "updated", client_default=None),
        "autoincrement": lambda s: with_column(s, "Author", "id", autoincrement=False),
        "unique index": lambda s: with_table(s, "Author", indexes=()),
        "index sort": unsorted,
        "primary key name": renamed_pk,
        "onDelete": lambda s: first_fk(s, on_delete="RESTRICT"),
        "onUpdate": lambda s: first_fk(s, on_update="NO ACTION"),
        "missing fk": lambda s: with_table(s, "posts", foreign_keys=()),
        "relation": lambda s: s.model_copy(update={"relations": ()}),
        "join table": no_join_table,
        "enum value": one_enum_value,
        "table name": lambda s: with_table(s, "posts", name="Post"),
    }


@pytest.mark.node
def test_oracle_notices_every_kind_of_difference(
    prisma_harness: ModuleType, tmp_path: Path
) -> None:
    """The comparison is not vacuous: a correct import passes, each one-fact change fails."""
    from schemasync.prisma.load import load_prisma

    path = tmp_path / "schema.prisma"
    path.write_text(SMALL, encoding="utf-8")
    datamodel = prisma_harness.datamodel(path)
    mirror = load_prisma(path, tmp_path)
    assert compare(datamodel, mirror, "postgresql", "foreignKeys") == []
    missed = []
    for what, mutate in _mutations().items():
        changed = mutate(mirror)
        if not compare(datamodel, changed, "postgresql", "foreignKeys"):
            missed.append(what)
    assert missed == []
    emulated = compare(datamodel, mirror, "postgresql", "prisma")
    assert any("emulated by Prisma" in p for p in emulated)
