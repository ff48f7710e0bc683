"""The LLM context (`schemasync/context@3`): goldens (the example, a two-schema project), JSON
Schema, compact and lossless on the corpus, and questions an agent asks answered from it alone."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from schemasync.context import (
    ContextDocument,
    context_json_schema,
    load_context,
    render_context,
    split_warnings,
)
from schemasync.errors import SchemasyncError
from schemasync.mirror import dump_mirror, load_mirror, read_mirror
from schemasync.model import Column, Index, Schema, Table, View
from schemasync.prisma.load import load_prisma

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "shop"
MULTI = Path(__file__).resolve().parent / "data" / "context" / "multi"
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
    assert doc.format == "schemasync/context@3"
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


ACTIONS = ("SET NULL", "SET DEFAULT", "NO ACTION", "CASCADE", "RESTRICT")


def _relation_parts(text: str) -> tuple[str, str, str, str, str, str]:
    """Split a context relation line `field/back: left -> right[ ON DELETE x[ ON UPDATE y][
    deferrable]][ [prisma]]` (legend.out; a slice's `in` is `back/field: ...`) into (field,
    back, left, right, enforced by, actions), the actions as the mirror says them: ON UPDATE
    CASCADE when the line leaves it out."""
    enforced = "prisma" if text.endswith(" [prisma]") else "database"
    text, _, tail = text.removesuffix(" [prisma]").partition(" ON DELETE ")
    head, rest = text.split(": ", 1)
    field, back = head.split("/")
    left, right = rest.split(" -> ")
    actions = ""
    if tail:
        delete = next(a for a in ACTIONS if tail.startswith(a))
        tail = tail.removeprefix(delete)
        update = "CASCADE"
        if tail.startswith(" ON UPDATE "):
            tail = tail.removeprefix(" ON UPDATE ")
            update = next(a for a in ACTIONS if tail.startswith(a))
            tail = tail.removeprefix(update)
        actions = f"ON DELETE {delete} ON UPDATE {update}{tail}"
    return field, back, left, right, enforced, actions


def parse_column(text: str) -> tuple[str, str, str | None, list[str], str | None, str | None]:
    """Decode a column by legend.columns: (name, Type, dbType, flags, default, prismaName)."""
    words: list[str] = []
    at = 0
    while at < len(text):
        if len(words) >= 2 and text[at] == "=":
            words.append(text[at:])
            break
        if text[at] == '"':
            word, at = json.JSONDecoder().raw_decode(text, at)
        else:
            stop = text.find(" ", at)
            stop = len(text) if stop < 0 else stop
            word, at = text[at:stop], stop
        words.append(word)
        at += 1
    name, ctype, *rest = words
    db_type = default = prisma = None
    flags = []
    for word in rest:
        if word.startswith("="):
            default = word[1:]
        elif word.startswith(":"):
            db_type = word[1:]
        elif word.startswith("@"):
            prisma = word[1:]
        else:
            flags.append(word)
    return name, ctype, db_type, flags, default, prisma


def _default_text(col: Column) -> str | None:
    if col.generated is not None:
        return col.generated
    default = col.default
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


def _index_fact(index: Index) -> tuple[Any, ...]:
    cols = tuple((c.name, c.expression, c.sort, c.length, c.opclass) for c in index.columns)
    return (index.unique, cols, index.type, index.predicate)


def mirror_facts(schema: Schema) -> dict[str, Any]:
    """The facts the context must keep, read from the mirror."""
    tables = {}
    objects: list[Table | View] = [*schema.tables, *schema.views]
    for obj in objects:
        name = f"{obj.db_schema}.{obj.name}" if obj.db_schema else obj.name
        indexes = obj.indexes if isinstance(obj, Table) else ()
        key = obj.primary_key if isinstance(obj, Table) else None
        pk = set(key.columns) if key else set()
        cols = [
            (
                c.name,
                c.prisma_name,
                c.type,
                c.db_type,
                c.nullable,
                c.list,
                c.name in pk,
                c.autoincrement,
                c.identity,
                c.generated is not None,
                _default_text(c),
                c.client_default,
                split_warnings(c.comment)[0],
            )
            for c in obj.columns
        ]
        tables[name] = {
            "prisma": obj.prisma_name,
            "comment": split_warnings(obj.comment)[0],
            "ignored": obj.ignored,
            "columns": cols,
            "pk": sorted(pk) if len(pk) > 1 else None,
            "indexes": sorted(map(repr, map(_index_fact, indexes))),
            "checks": sorted(f"{c.name}: {c.expression}" for c in obj.checks)
            if isinstance(obj, Table)
            else [],
            "sql": obj.definition if isinstance(obj, View) else None,
        }
    fks = {
        (_named(t.db_schema, t.name), fk.columns, _named(fk.referenced_schema or t.db_schema,
         fk.referenced_table), fk.referenced_columns): fk
        for t in schema.tables
        for fk in t.foreign_keys
    }  # fmt: skip

    def actions(key: tuple[Any, ...], enforced: str) -> str:
        fk = fks.pop(key, None) if enforced == "database" else None
        if fk is None:
            return ""
        text = f"ON DELETE {fk.on_delete} ON UPDATE {fk.on_update}"
        return text + (f" {fk.deferrable}" if fk.deferrable else "")

    relations = []
    for r in schema.relations:
        ends = (
            _named(r.db_schema, r.table),
            r.columns,
            _named(r.referenced_schema, r.referenced_table),
            r.referenced_columns,
        )
        relations.append(
            (*ends, r.field, r.back_field, r.enforced_by, actions(ends, r.enforced_by))
        )
    relations += [(*k, None, None, "database", actions(k, "database")) for k in list(fks)]
    found = {t.db_schema for t in schema.tables} | {v.db_schema for v in schema.views}
    one_schema = len(found | {e.db_schema for e in schema.enums}) == 1
    enums = {
        e.name: (
            e.prisma_name if e.prisma_name != e.name else None,
            None if one_schema else e.db_schema,
            [(v.name, v.prisma_name if v.prisma_name != v.name else None) for v in e.values],
        )
        for e in schema.enums
    }
    return {"provider": schema.provider, "tables": tables, "relations": relations, "enums": enums}


def _split_cols(text: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in text.split(",")) if text else ()


def _closing(text: str, start: int) -> int:
    """The index of the parenthesis closing the one at `start`."""
    depth = 0
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i
    raise AssertionError(f"unbalanced: {text!r}")


def _top_level_split(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and text.startswith(", ", i):
            parts.append(text[start:i])
            start = i + 2
    return [*parts, text[start:]]


def parse_index(text: str) -> tuple[Any, ...]:
    """Decode an `idx` entry by the legend: `[U ](col, (expression) desc, col(3) ops)[ using
    type][ where predicate]`."""
    unique = text.startswith("U ")
    text = text.removeprefix("U ")
    end = _closing(text, 0)
    inner, rest = text[1:end], text[end + 1 :]
    predicate = None
    if " where " in rest:
        rest, predicate = rest.split(" where ", 1)
    kind = rest.removeprefix(" using ") if rest else None
    cols = []
    for elem in _top_level_split(inner):
        expression = elem.startswith("(")
        if expression:
            stop = _closing(elem, 0)
            name, tail = elem[1:stop], elem[stop + 1 :]
        else:
            cut = min((i for i in (elem.find("("), elem.find(" ")) if i >= 0), default=len(elem))
            name, tail = elem[:cut], elem[cut:]
        length = None
        if tail.startswith("("):
            stop = tail.index(")")
            length, tail = int(tail[1:stop]), tail[stop + 1 :]
        words = tail.split()
        sort = words.pop() if words and words[-1] in ("asc", "desc") else None
        cols.append((name, expression, sort, length, words[0] if words else None))
    return (unique, tuple(cols), kind, predicate)


def context_facts(doc: dict[str, Any]) -> dict[str, Any]:
    """The same facts, decoded from the context using only its legend's rules."""
    tables = {}
    relations: list[tuple[Any, ...]] = []
    incoming: list[tuple[Any, ...]] = []
    for section in ("tables", "views"):
        for name, entry in doc[section].items():
            cols = []
            pk_cols = set(entry.get("pk") or ())
            indexes = [parse_index(i) for i in entry.get("idx", ())]
            for raw in entry["columns"]:
                spec, comment = (raw, None) if isinstance(raw, str) else raw
                cname, ctype, db_type, flag_set, default, prisma = parse_column(spec)
                if db_type is None:  # legend.dbType
                    plain = ctype.removesuffix("?").removesuffix("[]")
                    db_type = doc["dbTypes"].get(plain, plain) + ("[]" if "[]" in ctype else "")
                nullable = ctype.endswith("?")
                base = ctype.removesuffix("?")
                is_list = base.endswith("[]")
                base = base.removesuffix("[]")
                client = next(
                    (f[len("client=") :] for f in flag_set if f.startswith("client=")), None
                )
                identity = next(
                    (
                        {"ALWAYS": "ALWAYS", "DEFAULT": "BY DEFAULT"}[f[3:]]
                        for f in flag_set
                        if f.startswith("ID=")
                    ),
                    None,
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
                        "AI" in flag_set,
                        identity,
                        "GEN" in flag_set,
                        default,
                        client,
                        comment,
                    )
                )
                if "PK" in flag_set:
                    pk_cols.add(cname)
                if "U" in flag_set:
                    indexes.append((True, ((cname, False, None, None, None),), None, None))
            prisma_name = entry.get("prisma", name.split(".")[-1])
            tables[name] = {
                "prisma": None if prisma_name == "-" else prisma_name,
                "comment": entry.get("comment"),
                "ignored": bool(entry.get("ignored")),
                "columns": cols,
                "pk": sorted(pk_cols) if len(pk_cols) > 1 else None,
                "indexes": sorted(map(repr, indexes)),
                "checks": sorted(entry.get("checks", ())),
                "sql": entry.get("sql"),
            }
            for text in entry.get("out", ()):
                field, back, left, right, enforced, actions = _relation_parts(text)
                ref_table, ref_cols = right[:-1].split("(", 1)
                relations.append(
                    (
                        name,
                        _split_cols(left[1:-1]),
                        ref_table,
                        _split_cols(ref_cols),
                        None if field == "-" else field,
                        None if back == "-" else back,
                        enforced,
                        actions,
                    )
                )
            for text in entry.get("in", ()):  # a slice's: as its holder's out says
                back, field, left, right, enforced, actions = _relation_parts(text)
                table, cols_text = left[:-1].split("(", 1)
                incoming.append(
                    (
                        table,
                        _split_cols(cols_text),
                        name,
                        _split_cols(right[1:-1]),
                        None if field == "-" else field,
                        None if back == "-" else back,
                        enforced,
                        actions,
                    )
                )
    # every relation is written once (out); an `in` repeats one held in another slice
    assert len(set(relations)) == len(relations)
    assert set(incoming) <= set(relations), set(incoming) - set(relations)
    enums = {}
    for name, value in doc["enums"].items():
        prisma, schema, values = (
            (None, None, value)
            if isinstance(value, list)
            else (value.get("prisma"), value.get("schema"), value["values"])
        )
        enums[name] = (
            prisma,
            schema,
            [tuple(v.split("=", 1)) if "=" in v else (v, None) for v in values],
        )
    return {"provider": doc["provider"], "tables": tables, "relations": relations, "enums": enums}


def missing_notes(schema: Schema, doc: dict[str, Any]) -> list[str]:
    """The mirror's notes the context does not show on the object they are about (a table or
    view, by key or bare name, or one of its columns), nor under the top-level `notes`."""
    shown: dict[str, set[str]] = {}
    for section in ("tables", "views"):
        for key, entry in doc[section].items():
            for name in {key, key.split(".")[-1]}:
                shown.setdefault(name, set()).update(entry.get("notes", ()))
    missing = []
    for note in schema.notes:
        head, _, column = note.object.rpartition(".")
        if note.message in doc["notes"].get(note.object, ()):
            continue
        if note.message in shown.get(note.object, set()):
            continue
        if f"{column}: {note.message}" in shown.get(head, set()):
            continue
        missing.append(f"{note.object}: {note.message}")
    return missing


def _normalize(facts: dict[str, Any]) -> dict[str, Any]:
    # Relation keys are (table, columns, referenced table, referenced columns) in both, each
    # table as the context keys it (`schema.name` when it has a schema).
    facts["relations"] = sorted(
        (r[0], tuple(r[1]), r[2], tuple(r[3]), r[4] or "", r[5] or "", r[6], r[7])
        for r in facts["relations"]
    )
    facts["enums"] = {
        k: (p, schema, [tuple(v) for v in vs]) for k, (p, schema, vs) in facts["enums"].items()
    }
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

    def bare(lines: list[str]) -> list[str]:
        assert all(" ON DELETE " in line for line in lines)
        return [line.split(" ON DELETE ")[0] for line in lines]

    relations = {name: bare(entry.get("out", [])) for name, entry in doc["tables"].items()}
    assert relations == {
        "a.team": [],
        "a.user": ["team/users: (team_id) -> a.team(id)"],
        "b.team": [],
        "b.user": [
            "aUser/bUsers: (a_user_id) -> a.user(id)",
            "squad/members: (team_id) -> b.team(id)",
        ],
    }
    assert _normalize(context_facts(doc)) == _normalize(mirror_facts(schema))


def test_a_relation_end_of_unknown_schema_is_on_no_table() -> None:
    """An @1 mirror of that project cannot say which `user` (or `team`) a relation is on: no
    relation's field names are shown; each foreign key, which knows its own table, still shows
    there with its actions (no field: '-'), and names the table it points to."""
    schema = load_prisma(SAME_TABLE / "schema.prisma", SAME_TABLE)
    data = json.loads(dump_mirror(schema))
    data["format"] = "schemasync/tables@1"
    for rel in data["relations"]:
        del rel["schema"], rel["referencedSchema"]
    text = json.dumps(data)
    doc = json.loads(render_context(load_mirror(text), text))
    assert set(doc["tables"]) == {"a.team", "a.user", "b.team", "b.user"}
    assert doc["tables"]["b.user"]["out"] == [
        "-/-: (a_user_id) -> a.user(id) ON DELETE SET NULL",
        "-/-: (team_id) -> b.team(id) ON DELETE CASCADE",
    ]
    assert doc["tables"]["a.user"]["out"] == ["-/-: (team_id) -> a.team(id) ON DELETE RESTRICT"]
    assert all("in" not in entry for entry in doc["tables"].values())


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


# ---- context@2: goldens loaded back, Prisma's warnings, agent questions, sizes ---------------


@pytest.mark.parametrize("name", ["shop", "multi"])
def test_golden_loads_back_with_every_fact_and_note(name: str, golden: Any) -> None:
    mirror = EXAMPLE / "db/schema/tables.json" if name == "shop" else MULTI / "tables.json"
    schema = read_mirror(mirror)
    text = render_context(schema, mirror.read_text())
    golden(text, DATA / name / "expected.schema.json")
    doc = load_context(text)
    assert doc.format == "schemasync/context@3"
    data = json.loads(text)
    assert _normalize(context_facts(data)) == _normalize(mirror_facts(schema))
    assert missing_notes(schema, data) == []
    if name == "shop":  # the committed context is what a sync writes
        assert (EXAMPLE / "docs/context/db/schema.json").read_text() == text


@pytest.mark.parametrize("old", ["schemasync/context@1", "schemasync/context@2"])
def test_an_old_context_is_named_as_such(old: str) -> None:
    with pytest.raises(SchemasyncError, match=f"written in format {old}, not schemasync/context@3"):
        load_context(json.dumps({"format": old}))


# The exact texts Prisma 6.19's `db pull` writes as `///` (from its schema engine).
PRISMA_619 = {
    "This table contains check constraints and requires additional setup for migrations. "
    "Visit https://pris.ly/d/check-constraints for more info.": "has check constraints",
    "This model or at least one of its fields has comments in the database, and requires an "
    "additional setup for migrations: Read more: https://pris.ly/d/database-comments": (
        "have comments in the database"
    ),
    "Column type 'tsvector' could not be deserialized from the database.": (
        "column type 'tsvector' could not be read"
    ),
    "This model contains an expression index which requires additional setup for migrations. "
    "Visit https://pris.ly/d/expression-indexes for more info.": "expression index",
    "The underlying table does not contain a valid unique identifier and can therefore "
    "currently not be handled by Prisma Client.": "no unique identifier",
}


@pytest.mark.parametrize("warning", sorted(PRISMA_619))
def test_prisma_warnings_become_notes_never_comments(warning: str) -> None:
    comment, notes = split_warnings(f"Kept text.\n{warning}")
    assert comment == "Kept text."
    assert len(notes) == 1
    assert PRISMA_619[warning] in notes[0]
    assert split_warnings(warning) == (None, notes)
    multi = json.loads((DATA / "multi" / "expected.schema.json").read_text())
    assert "pris.ly" not in json.dumps(multi["tables"])


def _answers_from_context(doc: dict[str, Any]) -> dict[str, Any]:
    """Answer the agent's questions reading only the context."""
    on_delete: dict[str, list[tuple[str, str, str]]] = {}
    enum_values: dict[tuple[str, str], list[str]] = {}
    unique: dict[str, set[str]] = {}
    commented: dict[str, str] = {}
    for key, entry in doc["tables"].items():
        # the relations into a table are the `out` lines that name it (legend.out)
        for line in entry.get("out", ()):
            _, _, left, right, _, actions = _relation_parts(line)
            delete = actions.split(" ON UPDATE ")[0].removeprefix("ON DELETE ")
            target = right.split("(")[0]
            on_delete.setdefault(target, []).append((key, f"{key}{left}", delete))
        for raw in entry["columns"]:
            spec, comment = (raw, None) if isinstance(raw, str) else raw
            name, ctype, db_type, flags, _, _ = parse_column(spec)
            plain = ctype.rstrip("?").removesuffix("[]")
            db_type = db_type or doc["dbTypes"].get(plain)
            enum = doc["enums"].get(db_type) or doc["enums"].get(plain)
            if enum is not None:
                values = enum if isinstance(enum, list) else enum["values"]
                enum_values[(key, name)] = [v.split("=")[0] for v in values]
            if "U" in flags:
                unique.setdefault(key, set()).add(name)
            if comment:
                commented[comment] = key
        for idx in entry.get("idx", ()):
            parsed = parse_index(idx)
            if parsed[0] and len(parsed[1]) == 1 and parsed[3] is None:
                unique.setdefault(key, set()).add(parsed[1][0][0])
        if entry.get("comment"):
            commented[entry["comment"]] = key
    return {
        "on_delete": {k: sorted(v) for k, v in on_delete.items()},
        "enum_values": enum_values,
        "unique": unique,
        "commented": commented,
    }


def _answers_from_mirror(schema: Schema) -> dict[str, Any]:
    """The same answers computed from the mirror."""
    on_delete: dict[str, list[tuple[str, str, str]]] = {}
    enum_values: dict[tuple[str, str], list[str]] = {}
    unique: dict[str, set[str]] = {}
    commented: dict[str, str] = {}
    enums = {e.name: e for e in schema.enums}
    by_prisma = {e.prisma_name: e for e in schema.enums}
    for table in schema.tables:
        key = _named(table.db_schema, table.name)
        for fk in table.foreign_keys:
            target = _named(fk.referenced_schema or table.db_schema, fk.referenced_table)
            left = f"{key}({', '.join(fk.columns)})"
            on_delete.setdefault(target, []).append((key, left, fk.on_delete))
        for col in table.columns:
            enum = enums.get(col.db_type) or by_prisma.get(col.type)
            if enum is not None:
                enum_values[(key, col.name)] = [v.name for v in enum.values]
            if col.comment:
                commented[col.comment] = key
        for index in table.indexes:
            if index.unique and len(index.columns) == 1 and index.predicate is None:
                unique.setdefault(key, set()).add(index.columns[0].name)
        if split_warnings(table.comment)[0]:
            commented[str(split_warnings(table.comment)[0])] = key
    return {
        "on_delete": {k: sorted(v) for k, v in on_delete.items()},
        "enum_values": enum_values,
        "unique": unique,
        "commented": commented,
    }


@pytest.mark.parametrize("name", ["shop", "multi"])
def test_agent_questions_are_answered_from_the_context_alone(name: str) -> None:
    mirror = EXAMPLE / "db/schema/tables.json" if name == "shop" else MULTI / "tables.json"
    schema = read_mirror(mirror)
    doc = json.loads(render_context(schema, mirror.read_text()))
    answers = _answers_from_context(doc)
    assert answers == _answers_from_mirror(schema)
    if name == "multi":  # the facts the questions are about are there to be found
        assert ("billing.invoices", "billing.invoices(order_id)", "RESTRICT") in answers[
            "on_delete"
        ]["billing.orders"]
        assert answers["enum_values"][("billing.orders", "status")] == [
            "pending",
            "paid",
            "cancelled",
        ]
        assert "lower(email)" in answers["unique"]["public.customers"]
        assert answers["commented"]["primary contact address"] == "public.customers"


def _tokens(text: str) -> int:
    bpe_openai = pytest.importorskip("bpe_openai")
    return len(bpe_openai.get_encoding("o200k_base").encode(text))


def _corpus_sizes() -> list[tuple[Path, str, str, str]]:
    """(path, Prisma text, mirror, context) of every corpus schema of 10 KB or more."""
    rows = []
    for path in corpus_schemas():
        try:
            schema = load_prisma(path, path if path.is_dir() else path.parent)
        except SchemasyncError:
            continue
        prisma = "".join(
            p.read_text() for p in (sorted(path.glob("*.prisma")) if path.is_dir() else [path])
        )
        if len(prisma.encode()) >= COMPACT_FROM_BYTES:
            mirror = dump_mirror(schema)
            rows.append((path, prisma, mirror, render_context(schema, mirror)))
    return rows


@pytest.mark.skipif(not corpus_schemas(), reason="corpus not present (set SCHEMASYNC_CORPUS)")
def test_context_is_at_most_35_percent_of_the_mirror_in_bytes_and_tokens() -> None:
    rows = _corpus_sizes()
    assert len(rows) >= 3
    for path, _, mirror, text in rows:
        assert len(text.encode()) <= 0.35 * len(mirror.encode()), path
        assert _tokens(text) <= 0.35 * _tokens(mirror), path


@pytest.mark.skipif(not corpus_schemas(), reason="corpus not present (set SCHEMASYNC_CORPUS)")
def test_context_is_no_larger_than_the_prisma_schema_from_10_kb() -> None:
    """No larger than the Prisma schema from 10 KB on, in bytes and in tokens (o200k_base)."""
    for path, prisma, _, text in _corpus_sizes():
        assert len(text.encode()) <= len(prisma.encode()), path
        assert _tokens(text) <= _tokens(prisma), path


def test_awkward_column_words_read_back() -> None:
    """A name or type with a space, a `"`-first name, a dbType with a space, a default holding
    ` =`, ` @` and ` :`, a client default with a space, an empty literal: each column's one
    text still decodes to the mirror's facts (legend.columns: JSON-quoted words, the default
    runs to the end)."""
    from schemasync.model import ExpressionDefault, LiteralDefault

    schema = read_mirror(MULTI / "tables.json")
    table = schema.tables[0]
    base = table.columns[0]
    odd = (
        base.model_copy(update={"name": "my col", "prisma_name": "myCol", "type": "Empty One"}),
        base.model_copy(update={"name": '"quoted', "prisma_name": None, "db_type": "a  b"}),
        base.model_copy(
            update={
                "name": "=x",
                "prisma_name": "=x",
                "type": "String",
                "db_type": "double precision",
                "default": ExpressionDefault(sql="'a =b' || ' @c :d' || \"e\""),
                "client_default": 'nanoid(10, "a b")',
                "comment": "",
            }
        ),
        base.model_copy(
            update={"name": "e", "prisma_name": "e", "default": LiteralDefault(value="")}
        ),
    )
    tables = (table.model_copy(update={"columns": (*table.columns, *odd)}), *schema.tables[1:])
    schema = schema.model_copy(update={"tables": tables})
    doc = json.loads(render_context(schema, dump_mirror(schema)))
    assert _normalize(context_facts(doc)) == _normalize(mirror_facts(schema))
    cells = doc["tables"][_named(table.db_schema, table.name)]["columns"]
    assert '"my col" "Empty One" AI @myCol' in cells  # dbTypes["Empty One"]: integer


def test_each_relation_is_written_once_on_the_table_holding_it() -> None:
    """Both directions from one line: the `out` of the holder names the other end's field; no
    `in` in a whole (unsliced) context."""
    schema = read_mirror(MULTI / "tables.json")
    doc = json.loads(render_context(schema, (MULTI / "tables.json").read_text()))
    lines = [line for entry in doc["tables"].values() for line in entry.get("out", ())]
    assert len(lines) == len(schema.relations)
    assert all("in" not in entry for entry in doc["tables"].values())
    assert (
        "order/invoices: (order_id) -> billing.orders(id) ON DELETE RESTRICT ON UPDATE NO ACTION "
        "DEFERRABLE INITIALLY DEFERRED" in doc["tables"]["billing.invoices"]["out"]
    )
