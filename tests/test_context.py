"""The LLM context (`schemasync/context@1`): golden on the example, JSON Schema, compact and
lossless on the corpus."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from schemasync.context import ContextDocument, context_json_schema, render_context
from schemasync.errors import SchemasyncError
from schemasync.mirror import dump_mirror, load_mirror, read_mirror
from schemasync.model import Default, Schema, Table, View
from schemasync.prisma.load import load_prisma

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "shop"
SAME_TABLE = REPO / "tests" / "data" / "prisma" / "pg_multi_schema_same_table"
DATA = Path(__file__).resolve().parent / "data" / "context"
CORPUS = Path(os.environ.get("SCHEMASYNC_CORPUS", REPO.parent / "shared" / "corpus" / "prisma"))
# The header (about, howToChange, legend) is a fixed ~1.5 KB: below this mirror size it dominates.
COMPACT_FROM_BYTES = 10_000


def test_example_context_golden(golden: Any) -> None:
    schema = read_mirror(EXAMPLE / "db/schema/tables.json")
    text = render_context(schema, (EXAMPLE / "db/schema/tables.json").read_text())
    golden(text, DATA / "shop" / "expected.schema.json")
    doc = ContextDocument.model_validate_json(text)
    assert doc.format == "schemasync/context@1"
    mirror_sha = hashlib.sha256((EXAMPLE / "db/schema/tables.json").read_bytes()).hexdigest()
    assert doc.mirror.sha256 == mirror_sha
    assert "single source of truth" in doc.about
    assert "db/handbook/" in doc.how_to_change


def test_committed_json_schema_is_current() -> None:
    committed = json.loads((REPO / "schemas" / "context.schema.json").read_text())
    assert committed == context_json_schema()


def test_context_is_valid_json_with_sorted_keys() -> None:
    text = (EXAMPLE / "docs/context/db/schema.json").read_text()
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert list(data["tables"]) == sorted(data["tables"])


# ---- lossless: decode the context back into the listed facts ------------------------------


def _relation_parts(text: str) -> tuple[str, str, str, str]:
    """Split a context relation line `field: left -> right [prisma]` into (field, left, right,
    enforced by)."""
    enforced = "prisma" if text.endswith(" [prisma]") else "database"
    field, rest = text.removesuffix(" [prisma]").split(": ", 1)
    left, right = rest.split(" -> ")
    return field, left, right, enforced


def _default_text(default: Default | None) -> str | None:
    if default is None:
        return None
    if default.kind == "literal":
        value = default.value
        if value in ("true", "false"):
            return value
        try:
            float(value)
        except ValueError:
            return "'" + value.replace("'", "''") + "'"
        return value
    if default.kind == "function":
        return f"{default.name}()"
    return default.sql


def _named(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name


def mirror_facts(schema: Schema) -> dict[str, Any]:
    """The facts the context must keep, read from the mirror."""
    tables = {}
    objects: list[Table | View] = [*schema.tables, *schema.views]
    for obj in objects:
        name = f"{obj.db_schema}.{obj.name}" if obj.db_schema else obj.name
        indexes = obj.indexes if isinstance(obj, Table) else ()
        key = obj.primary_key if isinstance(obj, Table) else None
        pk = set(key.columns) if key else set()
        unique = {i.columns[0].name for i in indexes if i.unique and len(i.columns) == 1}
        multi = sorted(
            tuple(c.name for c in i.columns) for i in indexes if i.unique and len(i.columns) > 1
        )
        cols = [
            (
                c.name,
                c.prisma_name,
                c.type,
                c.db_type,
                c.nullable,
                c.list,
                c.name in pk,
                c.name in unique,
                c.autoincrement,
                _default_text(c.default),
                c.client_default,
                c.comment,
            )
            for c in obj.columns
        ]
        tables[name] = {
            "prisma": obj.prisma_name,
            "comment": obj.comment,
            "ignored": obj.ignored,
            "columns": cols,
            "pk": sorted(pk) if len(pk) > 1 else None,
            "unique": multi,
        }
    relations = sorted(
        (
            _named(r.db_schema, r.table),
            r.columns,
            _named(r.referenced_schema, r.referenced_table),
            r.referenced_columns,
            r.field,
            r.back_field,
            r.enforced_by,
        )
        for r in schema.relations
    )
    enums = {
        (f"{e.db_schema}.{e.name}" if e.db_schema else e.name): (
            e.prisma_name if e.prisma_name != e.name else None,
            [(v.name, v.prisma_name if v.prisma_name != v.name else None) for v in e.values],
        )
        for e in schema.enums
    }
    return {"provider": schema.provider, "tables": tables, "relations": relations, "enums": enums}


def _split_cols(text: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in text.split(",")) if text else ()


def context_facts(doc: dict[str, Any]) -> dict[str, Any]:
    """The same facts, decoded from the context using only its legend's rules."""
    tables = {}
    relations: list[tuple[Any, ...]] = []
    for section in ("tables", "views"):
        for name, entry in doc[section].items():
            cols = []
            pk_cols = set(entry.get("pk") or ())
            for raw in entry["columns"]:
                col = [*raw, *([None] * (7 - len(raw)))]
                cname, ctype, db_type, flags, default, prisma, comment = col
                flag_set = (flags or "").split()
                nullable = ctype.endswith("?")
                base = ctype.removesuffix("?")
                is_list = base.endswith("[]")
                base = base.removesuffix("[]")
                client = next(
                    (f[len("client=") :] for f in flag_set if f.startswith("client=")), None
                )
                cols.append(
                    (
                        cname,
                        cname if prisma is None else (None if prisma == "-" else prisma),
                        base,
                        db_type,
                        nullable,
                        is_list,
                        "PK" in flag_set,
                        "U" in flag_set,
                        "AI" in flag_set,
                        default,
                        client,
                        comment,
                    )
                )
                if "PK" in flag_set:
                    pk_cols.add(cname)
            prisma_name = entry.get("prisma", name.split(".")[-1])
            tables[name] = {
                "prisma": None if prisma_name == "-" else prisma_name,
                "comment": entry.get("comment"),
                "ignored": bool(entry.get("ignored")),
                "columns": cols,
                "pk": sorted(pk_cols) if len(pk_cols) > 1 else None,
                "unique": sorted(tuple(u) for u in entry.get("unique", ())),
            }
            for text in entry.get("out", ()):
                field, left, right, enforced = _relation_parts(text)
                ref_table, ref_cols = right[:-1].split("(", 1)
                relations.append(
                    (
                        name,
                        _split_cols(left[1:-1]),
                        ref_table,
                        _split_cols(ref_cols),
                        None if field == "-" else field,
                        enforced,
                    )
                )
            for text in entry.get("in", ()):
                back, left, right, enforced = _relation_parts(text)
                table, cols_text = left[:-1].split("(", 1)
                relations.append(
                    (
                        "in",
                        table,
                        _split_cols(cols_text),
                        name,
                        _split_cols(right[1:-1]),
                        None if back == "-" else back,
                        enforced,
                    )
                )
    outs = {r[:4]: r for r in relations if r[0] != "in"}
    ins = {r[1:5]: r for r in relations if r[0] == "in"}
    merged = sorted(
        (key[0], key[1], key[2], key[3], outs[key][4], ins[key][5], outs[key][5])
        for key in outs
        if key in ins
    )
    assert len(merged) == len(outs) == len(ins), "each relation appears once out and once in"
    enums = {}
    for name, value in doc["enums"].items():
        prisma, values = (
            (None, value) if isinstance(value, list) else (value["prisma"], value["values"])
        )
        enums[name] = (prisma, [tuple(v.split("=", 1)) if "=" in v else (v, None) for v in values])
    return {"provider": doc["provider"], "tables": tables, "relations": merged, "enums": enums}


def _normalize(facts: dict[str, Any]) -> dict[str, Any]:
    # Relation keys are (table, columns, referenced table, referenced columns) in both, each
    # table as the context keys it (`schema.name` when it has a schema).
    facts["relations"] = sorted(
        (r[0], tuple(r[1]), r[2], tuple(r[3]), r[4], r[5], r[6]) for r in facts["relations"]
    )
    facts["enums"] = {k: (p, [tuple(v) for v in vs]) for k, (p, vs) in facts["enums"].items()}
    return facts


def corpus_schemas() -> list[Path]:
    """Every corpus schema: a lone `.prisma` file, or a folder holding several."""
    if not CORPUS.is_dir():
        return []
    found = []
    for folder in sorted({p.parent for p in CORPUS.rglob("*.prisma")}):
        files = sorted(folder.glob("*.prisma"))
        found += [folder] if len(files) > 1 else files
    return found


def test_context_keeps_every_fact_of_the_example() -> None:
    schema = read_mirror(EXAMPLE / "db/schema/tables.json")
    doc = json.loads((EXAMPLE / "docs/context/db/schema.json").read_text())
    assert _normalize(context_facts(doc)) == _normalize(mirror_facts(schema))


def test_two_tables_of_one_name_keep_their_own_relations() -> None:
    """`a.user` and `b.user`: each shows its own relations, the other end named with its schema
    (grouped by bare name, each got the relations of both)."""
    schema = load_prisma(SAME_TABLE / "schema.prisma", SAME_TABLE)
    doc = json.loads(render_context(schema, dump_mirror(schema)))
    relations = {
        name: (entry.get("out", []), entry.get("in", [])) for name, entry in doc["tables"].items()
    }
    assert relations == {
        "a.team": ([], ["users: a.user(team_id) -> (id)"]),
        "a.user": (["team: (team_id) -> a.team(id)"], ["bUsers: b.user(a_user_id) -> (id)"]),
        "b.team": ([], ["members: b.user(team_id) -> (id)"]),
        "b.user": (
            ["aUser: (a_user_id) -> a.user(id)", "squad: (team_id) -> b.team(id)"],
            [],
        ),
    }
    assert _normalize(context_facts(doc)) == _normalize(mirror_facts(schema))


def test_a_relation_end_of_unknown_schema_is_on_no_table() -> None:
    """An @1 mirror of that project cannot say which `user` (or `team`) a relation is on: the
    context shows it on none, rather than on both."""
    schema = load_prisma(SAME_TABLE / "schema.prisma", SAME_TABLE)
    data = json.loads(dump_mirror(schema))
    data["format"] = "schemasync/tables@1"
    for rel in data["relations"]:
        del rel["schema"], rel["referencedSchema"]
    text = json.dumps(data)
    doc = json.loads(render_context(load_mirror(text), text))
    assert set(doc["tables"]) == {"a.team", "a.user", "b.team", "b.user"}
    assert all("out" not in t and "in" not in t for t in doc["tables"].values())


@pytest.mark.skipif(not corpus_schemas(), reason="corpus not present (set SCHEMASYNC_CORPUS)")
def test_context_is_compact_and_lossless_on_the_corpus() -> None:
    total_mirror = total_context = checked = 0
    rows = []
    for path in corpus_schemas():
        try:
            schema = load_prisma(path, path if path.is_dir() else path.parent)
        except SchemasyncError:
            continue  # fragments and invalid fixtures: the import's tests cover those
        mirror = dump_mirror(schema)
        text = render_context(schema, mirror)
        assert _normalize(context_facts(json.loads(text))) == _normalize(mirror_facts(schema)), path
        ratio = len(text.encode()) / len(mirror.encode())
        rows.append((ratio, len(mirror.encode()), path))
        if len(mirror.encode()) >= COMPACT_FROM_BYTES:
            assert ratio <= 0.35, f"{path}: context is {ratio:.0%} of tables.json"
            total_mirror += len(mirror.encode())
            total_context += len(text.encode())
            checked += 1
    assert checked >= 5, rows
    assert total_context / total_mirror <= 0.35
