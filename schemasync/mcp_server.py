"""`schemasync mcp`: a Model Context Protocol server over stdio, read-only over committed files.

It serves the mirror (`db/schema/tables.json`), the context (`docs/context/db/schema.json` and,
when it is sliced, each slice under `docs/context/db/schema/` that its index lists: one resource
each) and the latest evidence (the run `.ai/.tmp/db-sync/CURRENT` names: 02 for
`recent_changes`, the latest 05 for `drift_status`) to coding agents, through the tools of
`TOOLS` (the answers are `catalog.py`'s). It never opens a database connection, never reads an
environment variable, and writes nothing: a server over committed files needs no credentials.

The mirror is loaded once (in the background from the start, so that the first call rarely
waits) and indexed; a mirror that changes on disk while serving is read again on the next call
(its inode, size or modification time changed). Every answer is compact JSON, bounded in size
with a `nextCursor` to continue, and passes through the redactor. A question that cannot be
answered (`catalog.QueryError`, any `SchemasyncError`) is an MCP error (`INVALID_PARAMS`) with a
one-line message.

The SDK (the PyPI `mcp` package, the `[mcp]` extra) is imported only when the server starts.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemasync import __version__
from schemasync.catalog import (
    Catalog,
    QueryError,
    build_catalog,
    compact,
    describe_table,
    enum_values,
    evidence_page,
    evidence_section,
    join_path,
    list_tables,
    search,
)
from schemasync.errors import ArtifactError, ConfigError, SchemasyncError
from schemasync.evidence import DRIFT_EVIDENCE, EVIDENCE_FILES
from schemasync.fsio import read_text
from schemasync.options import Options
from schemasync.project import RUNS_DIR, current_run, inside, resolve_root
from schemasync.redact import Redactor
from schemasync.result import Result
from schemasync.state import CONTEXT_PATH, MIRROR_PATH

if TYPE_CHECKING:
    from schemasync.report import Report

SERVER_NAME = "schemasync"
URI_SCHEME = "schemasync://"
CONTEXT_URI = f"{URI_SCHEME}{CONTEXT_PATH}"
#: A slice as the index names it (`context.slice_context`: `schema/<name>.json`).
SLICE_NAME = re.compile(r"schema/[A-Za-z0-9_][A-Za-z0-9_.-]*\.json")
INSTALL_HINT = "pip install 'schemasync-db[mcp]'"
#: Where evidence may be besides the current run: run folders and task folders (newest wins).
EVIDENCE_GLOBS = (f"{RUNS_DIR}/*/", "dev-docs/active/*/artifacts/db/")


# ---- what is served, read through the project's paths ----------------------------------------


@dataclass
class Sources:
    """The committed files one server reads, and the mirror's index while it is current.

    Created by `serve` and gone with it (no module-level state); its lock lets the background
    load and the calls share the index.
    """

    root: Path
    redactor: Redactor = field(default_factory=Redactor)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stamp: tuple[int, int, int] | None = None
    index: Catalog | None = None

    def _read(self, rel: str) -> str | None:
        return read_text(
            inside(self.root, rel, rel), rel, ArtifactError, "run `schemasync sync` to rewrite it"
        )

    def catalog(self) -> Catalog:
        """Return the mirror's index, read again when the file changed since it was built.

        Raises:
            ArtifactError: the mirror is missing, not a regular UTF-8 file, corrupt or of an
                unknown format.
            ConfigError: its path leaves the project.
        """
        from schemasync.gcpause import paused_gc
        from schemasync.mirror import load_mirror

        path = inside(self.root, MIRROR_PATH, MIRROR_PATH)
        with self.lock:
            try:
                st = path.stat()
            except FileNotFoundError:
                self.stamp = self.index = None
                raise ArtifactError(
                    f"{MIRROR_PATH}: missing; run `schemasync sync` in the project first"
                ) from None
            stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
            if self.index is None or stamp != self.stamp:
                text = self._read(MIRROR_PATH)
                if text is None:
                    raise ArtifactError(f"{MIRROR_PATH}: missing; run `schemasync sync` first")
                # hundreds of thousands of acyclic objects at 1,000 models: with the cyclic GC
                # walking them as they are made, the load took 2.3x the CPU (0.26 s vs 0.11 s),
                # and it runs while the first requests are answered
                with paused_gc(promote=True):
                    schema = load_mirror(text, MIRROR_PATH, rebuild="schemasync sync")
                    self.index = build_catalog(schema)
                self.stamp = stamp
            return self.index

    def preload(self) -> None:
        """Build the index now (the background start); a problem is told by the next call."""
        with contextlib.suppress(SchemasyncError):
            self.catalog()

    def context(self, rel: str = CONTEXT_PATH) -> str:
        """Return a context file's text: the context (or its index), or one of its slices.

        Raises:
            ArtifactError: missing or unreadable.
        """
        text = self._read(rel)
        if text is None:
            raise ArtifactError(f"{rel}: missing; run `schemasync sync` first")
        return text

    def context_files(self) -> tuple[str, ...]:
        """The context's files: the context (or index), then the slices its `slices` lists
        (names as `slice_context` writes them; any other entry is not served). An index that
        cannot be read lists itself only: reading it says what is wrong."""
        import json

        from schemasync.context import SLICE_FOLDER

        try:
            data = json.loads(self.context())
        except (SchemasyncError, ValueError):
            return (CONTEXT_PATH,)
        names = data.get("slices") if isinstance(data, dict) else None
        if not isinstance(names, list):
            return (CONTEXT_PATH,)
        found = [n for n in names if isinstance(n, str) and SLICE_NAME.fullmatch(n)]
        return (CONTEXT_PATH, *(f"{SLICE_FOLDER}/{n.removeprefix('schema/')}" for n in found))

    def current(self) -> str | None:
        """Return the current run's id (`CURRENT`), if any."""
        return current_run(self.root)

    def evidence(self, rel: str) -> str | None:
        """Return an evidence file's text, or None when it does not exist."""
        return self._read(rel)

    def latest(self, name: str) -> str | None:
        """Return the project-relative path of the latest evidence file `name`: the current
        run's, else the most recently written one in the run folders and task folders."""
        run = self.current()
        if run is not None and (self.root / RUNS_DIR / run / name).is_file():
            return f"{RUNS_DIR}/{run}/{name}"
        found = [
            p for pattern in EVIDENCE_GLOBS for p in self.root.glob(pattern + name) if p.is_file()
        ]
        if not found:
            return None
        newest = max(found, key=lambda p: (p.stat().st_mtime_ns, p.as_posix()))
        return newest.relative_to(self.root).as_posix()


# ---- the tools -------------------------------------------------------------------------------


def _str(args: dict[str, Any], name: str, required: bool = False) -> str | None:
    value = args.get(name)
    if value is None:
        if required:
            raise QueryError(f"argument {name!r} is required")
        return None
    if not isinstance(value, str):
        raise QueryError(f"argument {name!r}: give a string, not {type(value).__name__}")
    return value


def _int(args: dict[str, Any], name: str, default: int) -> int:
    value = args.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise QueryError(f"argument {name!r}: give a whole number, 1 or more")
    return value


def _list_tables(src: Sources, a: dict[str, Any]) -> dict[str, Any]:
    return list_tables(src.catalog(), _str(a, "schema"), _str(a, "pattern"), _str(a, "cursor"),
                       _int(a, "limit", 100))  # fmt: skip


def _describe_table(src: Sources, a: dict[str, Any]) -> dict[str, Any]:
    return describe_table(src.catalog(), _str(a, "name", True) or "", _str(a, "cursor"))


def _search(src: Sources, a: dict[str, Any]) -> dict[str, Any]:
    return search(src.catalog(), _str(a, "query", True) or "", _str(a, "cursor"),
                  _int(a, "limit", 100))  # fmt: skip


def _join_path(src: Sources, a: dict[str, Any]) -> dict[str, Any]:
    return join_path(src.catalog(), _str(a, "from", True) or "", _str(a, "to", True) or "")


def _enum_values(src: Sources, a: dict[str, Any]) -> dict[str, Any]:
    return enum_values(src.catalog(), _str(a, "name"), _str(a, "cursor"))


def _recent_changes(src: Sources, a: dict[str, Any]) -> dict[str, Any]:
    cursor = _str(a, "cursor")
    rel = src.latest(EVIDENCE_FILES[2])
    text = src.evidence(rel) if rel else None
    if rel is None or text is None:
        return {"evidence": None, "message": "no sync recorded here yet; run `schemasync sync`"}
    return evidence_page({"evidence": rel}, evidence_section(text), cursor)


def _drift_status(src: Sources, a: dict[str, Any]) -> dict[str, Any]:
    cursor = _str(a, "cursor")
    rel = src.latest(DRIFT_EVIDENCE)
    text = src.evidence(rel) if rel else None
    if rel is None or text is None:
        return {
            "evidence": None,
            "message": "no drift check recorded; a DBA runs `schemasync drift --task-slug SLUG` "
            "(this server never connects to a database)",
        }
    return evidence_page({"evidence": rel}, evidence_section(text), cursor)


@dataclass(frozen=True)
class ToolSpec:
    """One tool: its name, what it is for (the model reads it), its arguments, its answer."""

    name: str
    description: str
    properties: tuple[tuple[str, str, str], ...]  # (name, JSON type, description)
    required: tuple[str, ...]
    answer: Callable[[Sources, dict[str, Any]], dict[str, Any]]

    def input_schema(self) -> dict[str, Any]:
        """The JSON Schema of the arguments."""
        return {
            "type": "object",
            "properties": {n: {"type": t, "description": d} for n, t, d in self.properties},
            "required": list(self.required),
            "additionalProperties": False,
        }


_CURSOR = ("cursor", "string", "the nextCursor of the previous answer, to continue it")
_LIMIT = ("limit", "integer", "most items per page (default 100)")

#: The tools, in the order `tools/list` shows them.
TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        "list_tables",
        "List the database's tables and views (name as schema.table, kind, column count, Prisma "
        "model, first line of the comment). Filter by PostgreSQL schema and by a name pattern "
        "(substring, or a glob with * and ?).",
        (
            ("schema", "string", "only this PostgreSQL schema"),
            ("pattern", "string", "name substring or glob, any case"),
            _CURSOR,
            _LIMIT,
        ),
        (),
        _list_tables,
    ),
    ToolSpec(
        "describe_table",
        "Everything the committed mirror says about one table or view: columns (type, database "
        "type, nullability, default, comment), primary key, indexes, foreign keys with ON "
        "DELETE / ON UPDATE, the foreign keys that reference it, its relations with Prisma "
        "field names, checks, comments and notes of what was not captured.",
        (("name", "string", "table, schema.table or Prisma model name"), _CURSOR),
        ("name",),
        _describe_table,
    ),
    ToolSpec(
        "search",
        "Find tables, views, columns, enums and enum values whose name, Prisma name or comment "
        "contains every word of the query (any case); names first, then comments.",
        (("query", "string", "words to look for"), _CURSOR, _LIMIT),
        ("query",),
        _search,
    ),
    ToolSpec(
        "join_path",
        "The shortest path of foreign keys (and Prisma relations) between two tables, in either "
        "direction, as the joins to write.",
        (("from", "string", "the first table"), ("to", "string", "the second table")),
        ("from", "to"),
        _join_path,
    ),
    ToolSpec(
        "enum_values",
        "The allowed values of an enum, by enum name or by the table.column it types; without "
        "a name, every enum.",
        (("name", "string", "enum name, schema.enum, Prisma enum or table.column"), _CURSOR),
        (),
        _enum_values,
    ),
    ToolSpec(
        "recent_changes",
        "What the last sync changed in the mirror (its evidence 02: the changes since the "
        "previous mirror, and what could not be captured).",
        (_CURSOR,),
        (),
        _recent_changes,
    ),
    ToolSpec(
        "drift_status",
        "The result of the latest recorded drift check (live database against the mirror, "
        "evidence 05), if one was recorded.",
        (_CURSOR,),
        (),
        _drift_status,
    ),
)


def answer(src: Sources, tool: str, arguments: dict[str, Any] | None) -> str:
    """Return a tool's answer as compact JSON, through the redactor.

    Raises:
        QueryError: an unknown tool, bad arguments, or a question without an answer.
        SchemasyncError: an artifact that cannot be read.
    """
    spec = next((t for t in TOOLS if t.name == tool), None)
    if spec is None:
        raise QueryError(f"unknown tool {tool!r}; tools: {', '.join(t.name for t in TOOLS)}")
    args = dict(arguments or {})
    extra = sorted(set(args) - {p[0] for p in spec.properties})
    if extra:
        raise QueryError(f"{tool}: unknown argument {extra[0]!r}")
    return src.redactor.text(compact(spec.answer(src, args)))


# ---- the server ------------------------------------------------------------------------------


def make_server(src: Sources) -> Any:
    """Return the SDK's low-level `Server` over `src` (tools; the context's files as resources)."""
    from mcp import MCPError
    from mcp.server import Server, ServerRequestContext
    from mcp.types import (
        INVALID_PARAMS,
        CallToolRequestParams,
        CallToolResult,
        ListResourcesResult,
        ListToolsResult,
        PaginatedRequestParams,
        ReadResourceRequestParams,
        ReadResourceResult,
        Resource,
        TextContent,
        TextResourceContents,
        Tool,
        ToolAnnotations,
    )

    read_only = ToolAnnotations(
        read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
    )
    tools = [
        Tool(
            name=t.name,
            description=t.description,
            input_schema=t.input_schema(),
            annotations=read_only,
        )
        for t in TOOLS
    ]

    def error(err: SchemasyncError) -> MCPError:
        return MCPError(INVALID_PARAMS, src.redactor.text(" ".join(err.message.split())))

    async def list_tools(
        ctx: ServerRequestContext[Any], params: PaginatedRequestParams | None
    ) -> ListToolsResult:
        return ListToolsResult(tools=tools)

    async def call_tool(
        ctx: ServerRequestContext[Any], params: CallToolRequestParams
    ) -> CallToolResult:
        try:
            text = answer(src, params.name, params.arguments)
        except SchemasyncError as err:  # QueryError among them
            raise error(err) from None
        return CallToolResult(content=[TextContent(type="text", text=text)])

    def resource(rel: str, sliced: bool) -> Resource:
        if rel == CONTEXT_PATH:
            what = (
                "the index of the sliced context: every table and view with its purpose, "
                "neighbours and slice (one resource each)"
                if sliced
                else "every table on one line, relations, enums"
            )
            text = f"The committed LLM context of the database schema ({rel}: {what})"
        else:
            text = f"A slice of the committed LLM context ({rel}): whole for its tables and views"
        return Resource(
            uri=URI_SCHEME + rel, name=rel, description=text, mime_type="application/json"
        )

    async def list_resources(
        ctx: ServerRequestContext[Any], params: PaginatedRequestParams | None
    ) -> ListResourcesResult:
        files = src.context_files()
        return ListResourcesResult(resources=[resource(rel, len(files) > 1) for rel in files])

    async def read_resource(
        ctx: ServerRequestContext[Any], params: ReadResourceRequestParams
    ) -> ReadResourceResult:
        uri = str(params.uri)
        files = src.context_files()
        rel = uri.removeprefix(URI_SCHEME)
        if not uri.startswith(URI_SCHEME) or rel not in files:
            raise MCPError(
                INVALID_PARAMS,
                f"unknown resource {uri!r}; resources/list names the {len(files)} served, "
                f"e.g. {CONTEXT_URI}",
            )
        try:
            text = src.redactor.text(src.context(rel))
        except SchemasyncError as err:
            raise error(err) from None
        return ReadResourceResult(
            contents=[TextResourceContents(uri=uri, mime_type="application/json", text=text)]
        )

    return Server(
        SERVER_NAME,
        version=__version__,
        instructions="Read-only answers about this project's database schema, from the "
        "committed mirror (no database connection). Start with list_tables or search, then "
        "describe_table; pass nextCursor back as cursor to continue a long answer.",
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_resources=list_resources,
        on_read_resource=read_resource,
    )


def serve(root: Path) -> None:
    """Serve the project at `root` over stdio until the client closes the connection.

    Raises:
        ConfigError: the MCP SDK is not installed.
    """
    import gc

    try:
        import anyio
        from mcp.server.stdio import stdio_server
    except ImportError as err:
        raise ConfigError(f"mcp: the MCP SDK is not installed; {INSTALL_HINT}") from err
    # The CLI pauses the cyclic GC for a run that ends soon; a server lives on and its event
    # loop makes cycles (tasks, exceptions): collect them. What is alive now (the modules, the
    # SDK's pydantic schemas) lives as long as the server: frozen, no collection walks it again.
    gc.freeze()
    gc.enable()
    src = Sources(root)
    threading.Thread(target=src.preload, name="schemasync-mcp-load", daemon=True).start()
    server = make_server(src)

    async def main() -> None:
        async with stdio_server() as (read, write):
            await server.run(read, write, server.create_initialization_options())

    anyio.run(main)


@dataclass(frozen=True, kw_only=True)
class Served(Result):
    """`mcp`: the server ran until the client left (nothing written, nothing to show)."""

    root: str = ""


def run_mcp(options: Options) -> Served:
    """`schemasync mcp`: find the project, then serve it over stdio.

    Raises:
        ConfigError: a bad `--root`, or the SDK is not installed.
    """
    root = resolve_root(options.root, options.cwd)
    serve(root)
    return Served(root=str(root))


def served(result: Served, run: Any) -> Report:
    """`mcp`: nothing to print (stdout was the protocol's)."""
    from schemasync.report import Report

    return Report(())
