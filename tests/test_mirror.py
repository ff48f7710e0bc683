"""The mirror's canonical form: pydantic's fast serializer must equal sorted-key `json.dumps`."""

from __future__ import annotations

import json

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
    ],
)
def test_corrupt_or_foreign_mirror_is_an_artifact_error(text: str, message: str) -> None:
    with pytest.raises(ArtifactError) as info:
        load_mirror(text, "tables.json")
    assert message in str(info.value)
    assert info.value.exit_code == ExitCode.ARTIFACT
