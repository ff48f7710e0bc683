"""Generate the JSON Schemas of the mirror format (`schemas/tables.schema.json`) and of the
machine-readable outputs (`schemas/check.schema.json`, `schemas/drift.schema.json`) from the models.

`python -m schemasync.jsonschema` rewrites the committed files; tests check they are current.
The text is canonical JSON (sorted keys, 2-space indent, trailing newline), so the file only
changes when the models do. Nothing else here touches files.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from schemasync.mirror import canonical_json
from schemasync.model import FORMAT, Schema

SCHEMA_FILE = Path("schemas") / "tables.schema.json"
FACTS_SCHEMA_FILE = Path("schemas") / "database-facts.schema.json"


def facts_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of the live capture `db/schema/database-facts.json`."""
    from schemasync.facts import FACTS_FORMAT, DatabaseFacts

    schema = DatabaseFacts.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://schemasync.invalid/schemas/database-facts.schema.json"
    schema["title"] = f"db/schema/database-facts.json ({FACTS_FORMAT})"
    return schema


def tables_json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of `tables.json`, keys as they appear in JSON."""
    schema = Schema.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://schemasync.invalid/schemas/tables.schema.json"
    schema["title"] = f"db/schema/tables.json ({FORMAT})"
    return schema


def render_tables_json_schema() -> str:
    """Return the canonical text of `schemas/tables.schema.json`."""
    return canonical_json(tables_json_schema())


USAGE = "usage: python -m schemasync.jsonschema [ROOT]  (rewrites ROOT/schemas/*.schema.json)"


def main(argv: list[str] | None = None) -> int:
    """Rewrite every committed JSON Schema under `schemas/` of the given root (default: the
    current folder); `-h`/`--help` or anything else that starts with `-` prints the usage."""
    from schemasync.context import context_json_schema
    from schemasync.fsio import write_atomic
    from schemasync.outputs import output_json_schemas

    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0].startswith("-")):
        print(USAGE, file=sys.stderr if args[0] not in ("-h", "--help") else sys.stdout)
        return 0 if args[0] in ("-h", "--help") else 2
    root = Path(args[0]) if args else Path.cwd()
    write_atomic(root / SCHEMA_FILE, render_tables_json_schema())
    for name, schema in output_json_schemas().items():
        write_atomic(root / "schemas" / name, canonical_json(schema))
    write_atomic(root / FACTS_SCHEMA_FILE, canonical_json(facts_json_schema()))
    write_atomic(root / "schemas" / "context.schema.json", canonical_json(context_json_schema()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
