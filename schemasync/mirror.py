"""Dump and load `db/schema/tables.json`: canonical JSON, format check, atomic write.

Canonical means: 2-space indent, keys sorted, UTF-8 (no ASCII escapes), trailing newline; the same
`Schema` always gives the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from schemasync.errors import ArtifactError
from schemasync.fsio import write_atomic
from schemasync.model import FORMAT, Schema


def canonical_json(data: Any) -> str:
    """Return `data` (a model or plain JSON data) as canonical JSON text."""
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json", by_alias=True)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def dump_mirror(schema: Schema) -> str:
    """Return the canonical `tables.json` text of `schema`.

    Pydantic's serializer writes the models' fields in declaration order, which `model.py` keeps
    sorted, so this equals `canonical_json(schema)` at a seventh of the cost.
    """
    return schema.model_dump_json(indent=2, by_alias=True) + "\n"


def load_mirror(text: str, path: str = "tables.json") -> Schema:
    """Parse `tables.json` text into a `Schema`.

    Raises:
        ArtifactError: the text is not JSON, not of format `schemasync/tables@1`, or invalid.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ArtifactError(
            f"{path}:{err.lineno}:{err.colno}: not valid JSON ({err.msg}); the mirror is "
            "generated: delete it and run `invoke import-prisma` to rebuild it"
        ) from err
    except RecursionError as err:  # `[[[[…` 20,000 deep: json's decoder recurses per level
        raise ArtifactError(
            f"{path}:1:1: not valid JSON (nested too deeply); the mirror is generated: delete it "
            "and run `invoke import-prisma` to rebuild it"
        ) from err
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise ArtifactError(
            f"{path}: unknown format {found!r}, expected {FORMAT!r}; delete the file and run "
            "`invoke import-prisma` to rebuild it"
        )
    try:
        return Schema.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ArtifactError(
            f"{path}: invalid mirror at {where}: {first['msg']}; delete the file and run "
            "`invoke import-prisma` to rebuild it"
        ) from err


def read_mirror(path: Path, display: str | None = None) -> Schema:
    """Read and parse the mirror at `path` (see `load_mirror`)."""
    shown = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise ArtifactError(f"{shown}: not UTF-8 text; delete it and re-import") from err
    except OSError as err:
        raise ArtifactError(f"{shown}: cannot read ({err.strerror or err})") from err
    return load_mirror(text, shown)


def write_mirror(path: Path, schema: Schema) -> None:
    """Write `schema` to `path` atomically, in canonical form."""
    write_atomic(path, dump_mirror(schema))
