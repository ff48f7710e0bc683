"""`diff_schemas` (data) and its rendering (text), as golden cases under tests/data/diff/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from schemasync.diff import (
    KINDS,
    Change,
    diff_schemas,
    render_changes_markdown,
    render_changes_text,
    summarize_changes,
)
from schemasync.mirror import read_mirror
from schemasync.model import Schema

DATA = Path(__file__).resolve().parent / "data" / "diff"
CASES = sorted(p for p in DATA.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_diff_golden(case: Path, golden: Any) -> None:
    old, new = read_mirror(case / "old.json"), read_mirror(case / "new.json")
    changes = diff_schemas(old, new)
    as_json = json.dumps([c.as_json() for c in changes], indent=2, ensure_ascii=False) + "\n"
    golden(as_json, case / "expected.changes.json")
    golden(render_changes_markdown(changes), case / "expected.md")
    # Every kind is alembic's vocabulary (or our documented extension of it).
    assert all(c.kind in KINDS for c in changes)
    # The rendering means what it says: a GFM table with one row per change.
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(render_changes_markdown(changes))
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == (len(changes) + 1 if changes else 0)


def test_expected_kinds_per_case() -> None:
    def kinds(name: str) -> set[str]:
        case = DATA / name
        return {
            c.kind
            for c in diff_schemas(read_mirror(case / "old.json"), read_mirror(case / "new.json"))
        }

    assert kinds("columns") == {
        "add_column",
        "remove_column",
        "modify_type",
        "modify_nullable",
        "modify_default",
        "modify_column_comment",
    }
    assert kinds("tables-indexes-fks") == {
        "add_table",
        "remove_table",
        "add_index",
        "remove_index",
        "remove_fk",
        "modify_fk",  # orders_customer_id_fkey: on delete RESTRICT -> CASCADE
    }
    assert kinds("views") == {"modify_view"}
    assert kinds("enums") == {"modify_provider", "add_enum", "remove_enum", "modify_enum"}
    assert kinds("unchanged") == set()
    assert kinds("relations") == {"add_table", "add_relation", "remove_relation"}


def test_first_import_is_all_additions() -> None:
    new = read_mirror(DATA / "columns" / "old.json")
    changes = diff_schemas(None, new)
    assert {c.kind for c in changes} == {"add_table", "add_view"}
    assert len(changes) == len(new.tables) + len(new.views)


def test_diff_is_symmetric_in_kinds() -> None:
    case = DATA / "tables-indexes-fks"
    old, new = read_mirror(case / "old.json"), read_mirror(case / "new.json")
    forward = {(c.kind, c.object) for c in diff_schemas(old, new)}
    backward = {(c.kind, c.object) for c in diff_schemas(new, old)}
    swap = {
        "add_table": "remove_table",
        "remove_table": "add_table",
        "add_index": "remove_index",
        "remove_index": "add_index",
        "add_fk": "remove_fk",
        "remove_fk": "add_fk",
        "modify_fk": "modify_fk",
    }
    assert {(swap[k], o) for k, o in forward} == backward


def test_relations_are_compared_per_schema_qualified_table() -> None:
    """`a.user` and `b.user` both hold a Prisma-only `user_team_id_fkey`: only `b.user`'s moved
    (to `a.team`), and only `b.user`'s is reported; `a.user`'s new relation is its own."""
    case = DATA / "relations"
    old, new = read_mirror(case / "old.json"), read_mirror(case / "new.json")
    changes = [c for c in diff_schemas(old, new) if c.kind.endswith("_relation")]
    assert [(c.kind, c.object, c.old, c.new) for c in changes] == [
        ("add_relation", "a.user.Other", None, "(b_team_id) -> b.team(id)"),
        ("add_relation", "b.user.user_team_id_fkey", None, "(team_id) -> a.team(id)"),
        ("remove_relation", "b.user.user_team_id_fkey", "(team_id) -> b.team(id)", None),
    ]


def test_relations_the_database_enforces_are_their_foreign_keys() -> None:
    """A relation with a foreign key is reported as the FK (add_fk/remove_fk), not twice."""
    case = DATA / "relations"
    old, new = read_mirror(case / "old.json"), read_mirror(case / "new.json")

    def enforced(schema: Schema) -> Schema:
        relations = tuple(
            r.model_copy(update={"enforced_by": "database"}) for r in schema.relations
        )
        return schema.model_copy(update={"relations": relations})

    assert [c.kind for c in diff_schemas(enforced(old), enforced(new))] == ["add_table"]


def test_text_rendering_and_summary() -> None:
    changes = (
        Change("add_table", "reviews", None, "1 columns"),
        Change("modify_nullable", "products.description", "true", "false"),
    )
    text = render_changes_text(changes)
    assert "add_table" in text
    assert "true -> false" in text
    assert summarize_changes(changes) == "2 changes (add_table 1, modify_nullable 1)"
    assert summarize_changes(()) == "no changes"
    assert render_changes_text(()) == "no changes since the previous mirror\n"
    assert render_changes_markdown(()).startswith("No changes")


def test_a_dropped_and_an_added_column_of_one_type_hint_a_rename() -> None:
    """A database cannot tell a rename from a drop and an add: the pair carries a hint, in the
    change (JSON) and in both renderings; columns of other types do not pair."""
    old = read_mirror(DATA / "columns" / "old.json")
    table = next(t for t in old.tables if len(t.columns) >= 3)
    last, other = table.columns[-1], table.columns[-2]
    renamed = last.model_copy(update={"name": f"{last.name}_renamed"})
    retyped = other.model_copy(update={"name": "brand_new", "db_type": "definitely_other"})
    new_table = table.model_copy(update={"columns": (*table.columns[:-2], retyped, renamed)})
    new = old.model_copy(
        update={"tables": tuple(new_table if t is table else t for t in old.tables)}
    )
    changes = {(c.kind, c.object): c for c in diff_schemas(old, new)}
    name = table.name
    added = changes["add_column", f"{name}.{last.name}_renamed"]
    removed = changes["remove_column", f"{name}.{last.name}"]
    assert added.hint == f"possible rename of {name}.{last.name}"
    assert removed.hint == f"possible rename to {name}.{last.name}_renamed"
    assert changes["add_column", f"{name}.brand_new"].hint is None
    assert changes["remove_column", f"{name}.{other.name}"].hint is None
    assert added.as_json()["hint"] == added.hint
    assert f"(possible rename of {name}.{last.name})" in render_changes_text((added,))
    assert f"(possible rename of {name}.{last.name})" in render_changes_markdown((added,))


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_changed_parts_give_the_changes_of_the_whole_mirrors(case: Path) -> None:
    """`check` compares only the parts whose JSON differs (`mirror.changed_parts`): the same
    changes as the whole mirrors, both ways, and only the differing tables are in the parts."""
    from schemasync.mirror import changed_parts, dump_mirror

    for a, b in (("old", "new"), ("new", "old")):
        old, new = read_mirror(case / f"{a}.json"), read_mirror(case / f"{b}.json")
        old_part, new_part, written_as = changed_parts(
            dump_mirror(old), new, dump_mirror(new), "tables.json", rebuild="schemasync sync"
        )
        assert written_as == "schemasync/tables@2"
        assert diff_schemas(old_part, new_part) == diff_schemas(old, new)
        unchanged = {t.name for t in old.tables if t in new.tables}
        assert not unchanged & {t.name for t in old_part.tables} - {
            r.table for r in old.relations if r not in new.relations
        }
