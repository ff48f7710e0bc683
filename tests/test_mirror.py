"""The mirror's canonical form: pydantic's fast serializer must equal sorted-key `json.dumps`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemasync.errors import ArtifactError, ExitCode
from schemasync.mirror import canonical_json, dump_mirror, load_mirror
from schemasync.model import (
    Column,
    CompositeType,
    Enum,
    EnumValue,
    ExpressionDefault,
    ForeignKey,
    FunctionDefault,
    Index,
    IndexColumn,
    LiteralDefault,
    Note,
    PrimaryKey,
    Relation,
    Schema,
    Source,
    Table,
    View,
)


def _every_model() -> Schema:
    col = Column(
        name='é\u2028\x01"\\/</日本',
        type="String",
        db_type="text",
        default=LiteralDefault(value="a\tb"),
        client_default="cuid()",
        comment="c",
    )
    return Schema(
        provider="postgresql",
        source=Source(kind="prisma", path="prisma/schema.prisma", sha256="00"),
        tables=(
            Table(
                name="t",
                db_schema="public",
                prisma_name="T",
                columns=(
                    col,
                    Column(
                        name="n", type="Int", db_type="integer", default=FunctionDefault(name="now")
                    ),
                    Column(
                        name="x",
                        type="Int",
                        db_type="integer",
                        default=ExpressionDefault(sql="1 + 1"),
                    ),
                ),
                primary_key=PrimaryKey(name="t_pkey", columns=("n",)),
                indexes=(
                    Index(name="b", columns=(IndexColumn(name="n", sort="desc", length=3),)),
                    Index(name="a", unique=True, type="Hash", columns=(IndexColumn(name="x"),)),
                ),
                foreign_keys=(
                    ForeignKey(
                        name="t_x_fkey",
                        columns=("x",),
                        referenced_table="t",
                        referenced_columns=("n",),
                        on_delete="CASCADE",
                        on_update="NO ACTION",
                    ),
                ),
            ),
        ),
        views=(View(name="v", definition="SELECT 1", columns=(col,)),),
        enums=(Enum(name="E", values=(EnumValue(name="A", prisma_name="a"),)),),
        relations=(
            Relation(
                name="TToT",
                table="t",
                columns=("x",),
                referenced_table="t",
                referenced_columns=("n",),
                field="parent",
                back_field="children",
            ),
        ),
        types=(CompositeType(name="Address", columns=(col,)),),
        notes=(Note(object="t.x", message="check constraint not captured"),),
    )


def test_fast_dump_equals_sorted_json_dumps() -> None:
    schema = _every_model()
    assert dump_mirror(schema) == canonical_json(schema)
    data = json.loads(dump_mirror(schema))
    assert (
        dump_mirror(schema) == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    )


def test_round_trip_is_byte_stable() -> None:
    text = dump_mirror(_every_model())
    assert dump_mirror(load_mirror(text)) == text


def test_collections_are_sorted_on_construction() -> None:
    table = _every_model().tables[0]
    assert [i.name for i in table.indexes] == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "tables.json:1:2: not valid JSON"),
        ("[]", "unknown format 'list'"),
        ('{"format": "other@1"}', "unknown format 'other@1'"),
        ('{"format": "schemasync/tables@1", "provider": "oracle"}', "invalid mirror at provider"),
        ('{"format": "schemasync/tables@2", "provider": "oracle"}', "invalid mirror at provider"),
        ('{"format": "schemasync/tables@3"}', "unknown format 'schemasync/tables@3'"),
        ('{"format": "schemasync/tables@0"}', "unknown format 'schemasync/tables@0'"),
        ('{"format": ["schemasync/tables@1"]}', "unknown format ['schemasync/tables@1']"),
        # an @1 file shaped wrongly where the upgrade reads it: validation reports it
        ('{"format": "schemasync/tables@1", "relations": 7}', "invalid mirror at"),
        ('{"format": "schemasync/tables@1", "relations": [7], "tables": [[]]}', "invalid mirror"),
        (
            '{"format": "schemasync/tables@1", "relations": [{"table": []}], "notes": 1, '
            '"tables": [{"name": {}}, {"name": "t", "schema": []}]}',
            "invalid mirror",
        ),
    ],
)
def test_corrupt_or_foreign_mirror_is_an_artifact_error(text: str, message: str) -> None:
    with pytest.raises(ArtifactError) as info:
        load_mirror(text, "tables.json")
    assert message in str(info.value)
    assert info.value.exit_code == ExitCode.ARTIFACT


# ---- format @1: still read (SPEC §7) ------------------------------------------------------

PRISMA_GOLDEN = Path(__file__).resolve().parent / "data" / "prisma"


def as_v1(text: str) -> str:
    """Return @2 mirror text as the @1 file of the same mirror: no relation schemas."""
    data = json.loads(text)
    data["format"] = "schemasync/tables@1"
    for rel in data["relations"]:
        del rel["schema"], rel["referencedSchema"]
    return canonical_json(data)


def test_v1_relation_ends_take_the_schema_of_their_table() -> None:
    """Where each table name is used once, an @1 file loads as the @2 file of the same mirror,
    cross-schema relations included (`audit.logs` -> `public.Account`)."""
    v2 = (PRISMA_GOLDEN / "pg_multi_schema" / "expected.tables.json").read_text(encoding="utf-8")
    loaded = load_mirror(as_v1(v2))
    assert [(r.db_schema, r.table, r.referenced_schema, r.referenced_table)
            for r in loaded.relations] == [("audit", "logs", "public", "Account")]  # fmt: skip
    assert loaded == load_mirror(v2)
    assert dump_mirror(loaded) == v2


def test_v1_without_schemas_loads_as_v2() -> None:
    """A provider without schemas: every relation end is null in both formats."""
    v2 = (PRISMA_GOLDEN / "sqlite_relations" / "expected.tables.json").read_text(encoding="utf-8")
    assert dump_mirror(load_mirror(as_v1(v2))) == v2


def test_v1_cannot_tell_which_of_two_tables_of_one_name() -> None:
    """`a.user` and `b.user`: an @1 relation on `user` is on either; its ends stay null and a
    note says why, instead of a guess."""
    v2 = (PRISMA_GOLDEN / "pg_multi_schema_same_table" / "expected.tables.json").read_text(
        encoding="utf-8"
    )
    loaded = load_mirror(as_v1(v2))
    assert loaded.format == "schemasync/tables@2"
    assert {(r.db_schema, r.referenced_schema) for r in loaded.relations} == {(None, None)}
    assert len(loaded.relations) == 3
    notes = [n for n in loaded.notes if "schemasync/tables@1" in n.message]
    assert sorted({n.object for n in notes}) == ["team", "user"]
    # two ends of three relations; the two `user_team_id_fkey`s (a.user's, b.user's) say the same
    assert len(notes) == 4
    assert "which table named `user` holds it" in notes[-1].message
    assert "which table named `team` it references" in notes[0].message
    # the tables themselves are whole
    assert loaded.tables == load_mirror(v2).tables
