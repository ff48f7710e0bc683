"""The mirror model: canonical order, round trips, byte stability, and the committed JSON Schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from schemasync.jsonschema import SCHEMA_FILE, render_tables_json_schema, tables_json_schema
from schemasync.mirror import dump_mirror, load_mirror
from schemasync.model import (
    Column,
    Enum,
    EnumValue,
    ForeignKey,
    Index,
    IndexColumn,
    Note,
    Relation,
    Schema,
    Source,
    Table,
)

REPO = Path(__file__).resolve().parent.parent
GOLDENS = sorted((REPO / "tests" / "data" / "prisma").glob("*/expected.tables.json"))
SOURCE = Source(kind="prisma", path="prisma/schema.prisma", sha256="ab" * 32)


def build() -> Schema:
    """A schema whose collections are given out of canonical order on purpose."""
    cols = (
        Column(name="z", type="Int", db_type="integer"),
        Column(name="a", type="String", db_type="text", nullable=True),
    )
    fk = ForeignKey(
        name="t_b_fkey", columns=("z",), referenced_table="b", referenced_columns=("id",),
        on_delete="RESTRICT", on_update="CASCADE",
    )  # fmt: skip
    fk2 = fk.model_copy(update={"name": "t_a_fkey"})
    return Schema(
        provider="postgresql",
        source=SOURCE,
        tables=(
            Table(
                name="t",
                db_schema="public",
                columns=cols,
                foreign_keys=(fk, fk2),
                indexes=(
                    Index(name="t_z_idx", columns=(IndexColumn(name="z"),)),
                    Index(name="t_a_key", unique=True, columns=(IndexColumn(name="a"),)),
                ),
            ),
            Table(name="b", db_schema="public"),
            Table(name="a", db_schema="audit"),
        ),
        enums=(Enum(name="e", values=(EnumValue(name="Z"), EnumValue(name="A"))),),
        relations=(
            Relation(
                name="r2",
                table="t",
                columns=("z",),
                referenced_table="b",
                referenced_columns=("id",),
            ),
            Relation(
                name="r1",
                table="t",
                columns=("z",),
                referenced_table="b",
                referenced_columns=("id",),
            ),
        ),
        notes=(
            Note(object="t", message="b"),
            Note(object="t", message="a"),
            Note(object="t", message="b"),
        ),
    )


def test_canonical_order() -> None:
    """Tables by (schema, name); indexes, FKs, relations, notes by name; columns/values kept."""
    schema = build()
    assert [(t.db_schema, t.name) for t in schema.tables] == [
        ("audit", "a"),
        ("public", "b"),
        ("public", "t"),
    ]
    t = schema.tables[2]
    assert [c.name for c in t.columns] == ["z", "a"]  # database order, not sorted
    assert [i.name for i in t.indexes] == ["t_a_key", "t_z_idx"]
    assert [f.name for f in t.foreign_keys] == ["t_a_fkey", "t_b_fkey"]
    assert [v.name for v in schema.enums[0].values] == ["Z", "A"]
    assert [r.name for r in schema.relations] == ["r1", "r2"]
    assert [n.message for n in schema.notes] == ["a", "b"]  # sorted, duplicates dropped


def test_relations_are_sorted_by_schema_first() -> None:
    """`a.user`'s relations before `b.user`'s, whatever order they were given in; both ends'
    schemas are in the JSON as `schema` and `referencedSchema`."""
    rel = Relation(
        name="user_team_id_fkey", db_schema="b", table="user", columns=("team_id",),
        referenced_schema="b", referenced_table="team", referenced_columns=("id",),
    )  # fmt: skip
    other = rel.model_copy(update={"db_schema": "a", "referenced_schema": "a"})
    schema = Schema(provider="postgresql", source=SOURCE, relations=(rel, other))
    assert [r.db_schema for r in schema.relations] == ["a", "b"]
    data = json.loads(dump_mirror(schema))
    assert [(r["schema"], r["referencedSchema"]) for r in data["relations"]] == [
        ("a", "a"),
        ("b", "b"),
    ]
    assert "db_schema" not in data["relations"][0]


def test_json_is_camel_case_and_schema_is_aliased() -> None:
    """JSON keys are camelCase; `Table.db_schema` is `schema`."""
    data = json.loads(dump_mirror(build()))
    table = data["tables"][0]
    assert "schema" in table
    assert "db_schema" not in table
    assert "primaryKey" in table
    assert "foreignKeys" in table
    assert "dbType" in table["columns"] or "dbType" in data["tables"][2]["columns"][0]


@pytest.mark.parametrize("path", GOLDENS, ids=lambda p: p.parent.name)
def test_round_trip_of_every_golden(path: Path) -> None:
    """dump(load(dump(x))) == dump(x), and the golden text is already canonical."""
    text = path.read_text(encoding="utf-8")
    schema = load_mirror(text)
    assert dump_mirror(schema) == text
    assert dump_mirror(load_mirror(dump_mirror(schema))) == text


def test_round_trip_of_a_built_schema() -> None:
    """A schema built in code survives dump and load unchanged."""
    schema = build()
    text = dump_mirror(schema)
    assert load_mirror(text) == schema
    assert dump_mirror(load_mirror(text)) == text


def test_unknown_keys_are_rejected() -> None:
    """The format is closed: an unknown key is an error, not silently dropped."""
    data = json.loads(dump_mirror(build()))
    data["tables"][0]["colour"] = "red"
    with pytest.raises(ValidationError):
        Schema.model_validate(data)


def test_models_are_frozen() -> None:
    """Models are immutable values."""
    schema = build()
    with pytest.raises(ValidationError):
        schema.provider = "mysql"  # type: ignore[misc]


def test_bytes_are_identical_across_hash_seeds() -> None:
    """Building and dumping gives the same bytes whatever PYTHONHASHSEED is."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import test_model;"
        "from schemasync.mirror import dump_mirror;"
        "sys.stdout.write(dump_mirror(test_model.build()))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code, str(Path(__file__).parent)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        for seed in ("0", "1", "123", "99999")
    }
    assert len(outputs) == 1
    assert next(iter(outputs)) == dump_mirror(build())


def test_committed_json_schema_is_current() -> None:
    """`schemas/tables.schema.json` is what `python -m schemasync.jsonschema` writes."""
    committed = (REPO / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == render_tables_json_schema(), (
        "schemas/tables.schema.json is stale: run `python -m schemasync.jsonschema`"
    )


def test_json_schema_describes_the_json_keys() -> None:
    """The JSON Schema speaks JSON (camelCase, `schema`), closed to unknown keys."""
    schema = tables_json_schema()
    table = schema["$defs"]["Table"]
    assert "schema" in table["properties"]
    assert "primaryKey" in table["properties"]
    assert table["additionalProperties"] is False
    assert schema["properties"]["format"]["const"] == "schemasync/tables@2"
    relation = schema["$defs"]["Relation"]
    assert {"schema", "referencedSchema"} <= set(relation["properties"])
    assert relation["additionalProperties"] is False


def test_goldens_validate_against_the_json_schema() -> None:
    """Every golden mirror is valid under the committed JSON Schema (when jsonschema exists)."""
    validator_mod = pytest.importorskip("jsonschema")
    validator = validator_mod.Draft202012Validator(tables_json_schema())
    for path in GOLDENS:
        errors = list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
        assert not errors, f"{path.parent.name}: {errors[0].message}"


def test_every_committed_json_schema_is_current() -> None:
    """`schemas/` holds exactly what `python -m schemasync.jsonschema` writes, file for file."""
    from schemasync.jsonschema import all_json_schemas

    schemas = all_json_schemas()
    folder = Path(__file__).resolve().parent.parent / "schemas"
    assert sorted(p.name for p in folder.glob("*.json")) == sorted(schemas)
    for name, schema in schemas.items():
        committed = json.loads((folder / name).read_text(encoding="utf-8"))
        assert committed == schema, f"schemas/{name}: run `python -m schemasync.jsonschema`"
