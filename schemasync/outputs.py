"""Machine-readable output (`--format json`) of `check`, `drift`, `context` and `status`:
versioned documents.

Each document is a pydantic model (camelCase keys, like every file format of schemasync) with a
`format` that names its version; `schemas/check.schema.json` and `schemas/drift.schema.json` are
generated from these models (`python -m schemasync.jsonschema`). A document is printed alone on
stdout; the exit code is the text output's (SPEC §5). Pure: building and rendering only.

A version is bumped when a key changes meaning or goes away; new keys may be added within one.
"""

from __future__ import annotations

import json
from typing import Any, Final, Literal

from pydantic import Field

from schemasync.diff import Change
from schemasync.frozen import FrozenModel

CHECK_FORMAT: Final = "schemasync/check@1"
DRIFT_FORMAT: Final = "schemasync/drift@1"
CONTEXT_REFRESH_FORMAT: Final = "schemasync/context-refresh@1"
STATUS_FORMAT: Final = "schemasync/status@1"

#: How `drift` classes a difference: the database moved on (`drift`, exit 1), a fact the
#: mirror's inputs cannot carry (`not_mirrored`: capture it with `schemasync pull`), or matched
#: by an ignore rule of `db-ssot.json` (`ignored`).
ChangeClass = Literal["drift", "not_mirrored", "ignored"]


class ChangeOut(FrozenModel):
    """One change, in the vocabulary of evidence 02 (`add_column`, `modify_fk`, …)."""

    kind: str
    object: str = Field(description="`table.column`, `table.index`, `schema.table`, …")
    before: str | None = Field(description="the value on disk / in the mirror; null: absent")
    after: str | None = Field(description="the value re-derived / in the database; null: absent")
    hint: str | None = Field(None, description="e.g. `possible rename of orders.note`")
    change_class: ChangeClass | None = Field(
        None, alias="class", description="drift only: what the difference means"
    )
    reason: str | None = Field(
        None,
        description="drift only: why a difference is not_mirrored (how to capture it) or "
        "ignored (the rule's glob and reason)",
    )


def change_out(
    change: Change, change_class: ChangeClass | None = None, reason: str | None = None
) -> ChangeOut:
    """The JSON form of a `Change`."""
    return ChangeOut(
        kind=change.kind,
        object=change.object,
        before=change.old,
        after=change.new,
        hint=change.hint,
        change_class=change_class,
        reason=reason,
    )


class FirstDifference(FrozenModel):
    """Where an artifact's text first differs from the re-derived one (1-based)."""

    line: int
    column: int


class ArtifactOut(FrozenModel):
    """One artifact `check` compared."""

    path: str
    status: Literal["ok", "missing", "stale", "hand-edited", "old-format"]
    changes: tuple[ChangeOut, ...] = Field(
        (), description="stale: what a sync changes in it (the mirror only)"
    )
    first_difference: FirstDifference | None = None


class CheckDocument(FrozenModel):
    """`schemasync check --format json`."""

    format: Literal["schemasync/check@1"] = CHECK_FORMAT
    ok: bool
    schema_path: str = Field(alias="schema", description="the Prisma schema the check imported")
    artifacts: tuple[ArtifactOut, ...]
    problems: tuple[str, ...] = Field(description="the text output's problems, one per item")


class DriftDatabase(FrozenModel):
    """What was read from the live database (never its URL)."""

    env: str
    url_env: str = Field(description="the variable that holds the URL (its value is never shown)")
    sha256: str = Field(description="of the live database's mirror")
    tables: int
    views: int
    enums: int


class DriftMirror(FrozenModel):
    """The mirror the database was compared with."""

    path: str
    sha256: str


class DriftDocument(FrozenModel):
    """`schemasync drift --format json`."""

    format: Literal["schemasync/drift@1"] = DRIFT_FORMAT
    ok: bool = Field(description="true: no difference of class drift")
    database: DriftDatabase
    mirror: DriftMirror
    changes: tuple[ChangeOut, ...]


class ContextSource(FrozenModel):
    """What the context was derived from."""

    kind: Literal["mirror", "prisma"] = Field(
        description="mirror: the mirror file (database mode); prisma: the Prisma schema's "
        "import, in memory (repo-prisma mode)"
    )
    path: str


class ContextRefreshDocument(FrozenModel):
    """`schemasync context --format json`."""

    format: Literal["schemasync/context-refresh@1"] = CONTEXT_REFRESH_FORMAT
    ok: bool
    mode: str
    out: str = Field(description="the context file (the index when sliced)")
    source: ContextSource
    written: bool = Field(description="false: every context file was current, byte for byte")
    slices: int
    tables: int
    views: int
    enums: int
    warnings: tuple[str, ...] = Field(description="what the mirror could not capture, and why")


class StatusPaths(FrozenModel):
    """The project's files (project-relative)."""

    prisma_schema: str = Field(alias="prismaSchema")
    mirror: str
    context: str


class StatusExists(FrozenModel):
    """Which of them exist."""

    prisma_schema: bool = Field(alias="prismaSchema")
    mirror: bool
    context: bool


class StatusCounts(FrozenModel):
    """What the mirror file holds."""

    tables: int
    views: int
    enums: int


class StatusDocument(FrozenModel):
    """`schemasync status --format json`."""

    format: Literal["schemasync/status@1"] = STATUS_FORMAT
    mode: str
    config: str = Field(description="the config file the mode was read from")
    paths: StatusPaths
    exists: StatusExists
    counts: StatusCounts | None = Field(description="null: no mirror file, or not readable")
    problems: tuple[str, ...] = Field(description="why the mirror file could not be read")


Document = CheckDocument | DriftDocument | ContextRefreshDocument | StatusDocument


def render(document: Document) -> str:
    """The document as printed: sorted keys, 2-space indent."""
    data = document.model_dump(mode="json", by_alias=True)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)


def output_json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schemas (draft 2020-12) of the documents, by file name under `schemas/`."""
    from schemasync.jsonschema import json_schema

    return {
        "check.schema.json": json_schema(CheckDocument, "check.schema.json", CHECK_FORMAT),
        "drift.schema.json": json_schema(DriftDocument, "drift.schema.json", DRIFT_FORMAT),
        "context-refresh.schema.json": json_schema(
            ContextRefreshDocument, "context-refresh.schema.json", CONTEXT_REFRESH_FORMAT
        ),
        "status.schema.json": json_schema(StatusDocument, "status.schema.json", STATUS_FORMAT),
    }
