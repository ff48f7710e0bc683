"""Generate the JSON Schemas of every file format from its pydantic model: the mirror
(`schemas/tables.schema.json`), the capture, the context and the machine-readable outputs
(`schemas/check.schema.json`, `schemas/drift.schema.json`), each decorated by `json_schema`.

`python -m schemasync.jsonschema` rewrites the committed files; tests check they are current.
The text is canonical JSON (sorted keys, 2-space indent, trailing newline), so the file only
changes when the models do. Nothing else here touches files.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode

from schemasync.mirror import canonical_json
from schemasync.model import FORMAT, Schema

SCHEMA_FILE = Path("schemas") / "tables.schema.json"


def json_schema(
    model: type[BaseModel], name: str, title: str, mode: JsonSchemaMode = "serialization"
) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of `model`, keys as they appear in JSON, as
    `schemas/<name>` commits it: the one place every file format's schema is decorated."""
    schema = model.model_json_schema(by_alias=True, mode=mode)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://schemasync.invalid/schemas/{name}"
    schema["title"] = title
    return schema


def tables_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of `tables.json`."""
    return json_schema(Schema, SCHEMA_FILE.name, f"db/schema/tables.json ({FORMAT})")


def facts_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of the live capture `db/schema/database-facts.json`."""
    from schemasync.facts import FACTS_FORMAT, DatabaseFacts

    title = f"db/schema/database-facts.json ({FACTS_FORMAT})"
    return json_schema(DatabaseFacts, "database-facts.schema.json", title)


def render_tables_json_schema() -> str:
    """Return the canonical text of `schemas/tables.schema.json`."""
    return canonical_json(tables_json_schema())


def all_json_schemas() -> dict[str, dict[str, Any]]:
    """Every committed JSON Schema, by file name under `schemas/`."""
    from schemasync.context import context_json_schema
    from schemasync.outputs import output_json_schemas

    return {
        SCHEMA_FILE.name: tables_json_schema(),
        "database-facts.schema.json": facts_json_schema(),
        "context.schema.json": context_json_schema(),
        **output_json_schemas(),
    }


USAGE = "usage: python -m schemasync.jsonschema [ROOT]  (rewrites ROOT/schemas/*.schema.json)"


def main(argv: list[str] | None = None) -> int:
    """Rewrite every committed JSON Schema under `schemas/` of the given root (default: the
    current folder); `-h`/`--help` or anything else that starts with `-` prints the usage."""
    from schemasync.fsio import write_atomic

    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0].startswith("-")):
        print(USAGE, file=sys.stderr if args[0] not in ("-h", "--help") else sys.stdout)
        return 0 if args[0] in ("-h", "--help") else 2
    root = Path(args[0]) if args else Path.cwd()
    for name, schema in all_json_schemas().items():
        write_atomic(root / "schemas" / name, canonical_json(schema))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
