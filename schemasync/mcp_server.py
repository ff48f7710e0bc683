"""`schemasync mcp`: a Model Context Protocol server over stdio, read-only over committed files.

It serves the mirror (`db/schema/tables.json`), the context (`docs/context/db/schema.json` and,
when it is sliced, each slice under `docs/context/db/schema/` that its index lists: one resource
each) and the latest evidence (the run `.ai/.tmp/db-sync/CURRENT` names: 02 for
`recent_changes`, the latest 05 for `drift_status`) to coding agents, through the tools of
`TOOLS` (the answers are `catalog.py`'s). It never opens a database connection, never reads an
environment variable, and writes nothing: a server over committed files needs no credentials.

The mirror is loaded once (in the background as soon as the handshake is done, so that the
first call rarely waits) and indexed; a mirror that changes on disk while serving is read again
on the next call (its inode, size or modification time changed). Every answer is compact JSON,
bounded in size with a `nextCursor` to continue, and passes through the redactor. A question
that cannot be answered (`catalog.QueryError`, any `SchemasyncError`) is an MCP error
(`INVALID_PARAMS`) with a one-line message.

The SDK (the PyPI `mcp` package, the `[mcp]` extra) is imported only when the server starts;
`schemasync mcp` starts it without the task layer (`serve_command`) and imports only the SDK's
low-level stdio server (`_skip_package_inits`).
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
    page,
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
    from mcp.server.context import ServerRequestContext

    from schemasync.model import Schema
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
    mirror: Schema | None = None  # the schema the index was built from (proposals need it)

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
                    self.mirror = schema
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

    def proposals(self) -> list[tuple[str, str]]:
        """The (path, text) of every proposal file (`db/handbook/proposals/*.md`), sorted."""
        from schemasync.proposals import PROPOSALS_DIR

        folder = inside(self.root, PROPOSALS_DIR, PROPOSALS_DIR)
        if not folder.is_dir():
            return []
        rels = sorted(f"{PROPOSALS_DIR}/{p.name}" for p in folder.glob("*.md"))
        return [(rel, text) for rel in rels if (text := self._read(rel)) is not None]

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


def _list_proposals(src: Sources, a: dict[str, Any]) -> dict[str, Any]:
    """Every proposal with its status and what checking it against the mirror found (the
    answer of `schemasync proposals`, issue 16)."""
    from schemasync.ddl import ALIASES
    from schemasync.proposals import check_proposals, parse_proposal

    cursor = _str(a, "cursor")
    src.catalog()
    schema = src.mirror
    assert schema is not None  # set with the index
    dialect = ALIASES.get(schema.provider)
    if dialect is None:
        return {"proposals": [], "message": f"no SQL dialect for provider {schema.provider!r}"}
    found = [parse_proposal(text, rel) for rel, text in src.proposals()]
    items = [
        (
            "proposals",
            {
                "path": c.proposal.path,
                "title": c.proposal.title,
                "status": c.proposal.status,
                "state": c.state,
                "expected": [
                    " ".join(x for x in (ch.kind, ch.object, ch.new or ch.old) if x)
                    for ch in c.expected
                ],
                "flags": [
                    f"{f.level}: {f.change.kind} {f.change.object}: {f.reason}" for f in c.flags
                ],
                **({"problem": c.problem} if c.problem else {}),
            },
        )
        for c in check_proposals(found, schema, dialect)
    ]
    none = "no proposals in db/handbook/proposals/; `schemasync propose SLUG` writes one"
    head: dict[str, Any] = {} if items else {"message": none}
    return page(head, items, cursor)


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
    ToolSpec(
        "list_proposals",
        "The desired-state proposals of db/handbook/proposals/ (a DBA applies them): each one's "
        "status, whether it landed in the mirror (or partly: what is missing), the changes it "
        "expects (add_column schema.table.column …) and the destructive ones flagged.",
        (_CURSOR,),
        (),
        _list_proposals,
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
    from mcp.server.lowlevel import Server
    from mcp.shared.exceptions import MCPError
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


def _skip_package_inits() -> bool:
    """Let the next imports of the SDK's server modules skip the `mcp` and `mcp.server` package
    `__init__`s; return whether they will.

    Those two import the SDK's client, its high-level `MCPServer` and their dependencies, none
    of which a low-level stdio server runs: ~55 ms of a ~0.5 s start-up (issue 14's target is
    0.5 s from spawn to `initialize`). Each package is entered in `sys.modules` as an empty
    package with its real `__path__`, so `mcp.server.stdio` and friends import as usual. The
    cost: in this process `from mcp import X` then fails, so only `serve_command` (the process
    that is the server and exits with it) asks for this, and only when nothing of the SDK is
    imported yet; `_import_server` undoes it when the SDK's layout differs.
    """
    import importlib.util
    import sys
    import types

    if "mcp" in sys.modules:
        return False
    for name in ("mcp", "mcp.server"):
        try:
            spec = importlib.util.find_spec(name)
        except ImportError:
            spec = None
        if spec is None or spec.submodule_search_locations is None:
            _forget_sdk()
            return False
        package = types.ModuleType(name)
        package.__spec__ = spec
        package.__path__ = list(spec.submodule_search_locations)
        package.__file__ = spec.origin
        package.__package__ = name
        sys.modules[name] = package
    sys.modules["mcp"].server = sys.modules["mcp.server"]  # type: ignore[attr-defined]
    return True


def _forget_sdk() -> None:
    """Drop every module of the SDK from `sys.modules` (the next import starts afresh)."""
    import sys

    for name in [n for n in sys.modules if n == "mcp" or n.startswith("mcp.")]:
        del sys.modules[name]


def _import_server(lean: bool) -> tuple[Any, Any]:
    """Import the SDK's stdio transport and event loop runner: `(stdio_server, anyio.run)`;
    `lean`: past the package `__init__`s (`_skip_package_inits`), else as any program would.

    Raises:
        ConfigError: the MCP SDK is not installed.
    """
    try:
        if lean and _skip_package_inits():
            try:
                from mcp.server.lowlevel import Server  # noqa: F401  (what make_server needs)
                from mcp.server.stdio import stdio_server
            except ImportError:  # a layout this was not written for: the plain import
                _forget_sdk()
                return _import_server(lean=False)
        else:
            from mcp.server.stdio import stdio_server
        import anyio
    except ImportError as err:
        raise ConfigError(f"mcp: the MCP SDK is not installed; {INSTALL_HINT}") from err
    return stdio_server, anyio.run


def serve(root: Path, *, lean: bool = False) -> None:
    """Serve the project at `root` over stdio until the client closes the connection.

    The mirror is loaded in the background once the client has said it is initialized (the
    handshake comes first: it is the start-up an agent's host waits for); a call before that
    loads it itself.

    Raises:
        ConfigError: the MCP SDK is not installed.
    """
    import gc

    stdio_server, run = _import_server(lean)
    from mcp.types import NotificationParams

    # The CLI pauses the cyclic GC for a run that ends soon; a server lives on and its event
    # loop makes cycles (tasks, exceptions): collect them. What is alive now (the modules, the
    # SDK's pydantic schemas) lives as long as the server: frozen, no collection walks it again.
    src = Sources(root)
    server = make_server(src)

    async def initialized(ctx: ServerRequestContext[Any], params: NotificationParams) -> None:
        threading.Thread(target=src.preload, name="schemasync-mcp-load", daemon=True).start()

    server.add_notification_handler("notifications/initialized", NotificationParams, initialized)
    gc.freeze()
    gc.enable()

    async def main() -> None:
        async with stdio_server() as (read, write):
            await server.run(read, write, server.create_initialization_options())

    run(main)


def serve_command(root: str | None) -> int:
    """`schemasync mcp [--root DIR]` straight from the installed command (`cli.main`), without
    the task layer: invoke, the task table and the run state are not imported, and the cyclic
    GC is paused from here to the serving loop. Return the exit code; a problem is one line.
    """
    import gc
    import sys

    from schemasync.redact import redact_text

    gc.disable()
    try:
        serve(resolve_root(root), lean=True)
    except SchemasyncError as err:
        print(redact_text(f"schemasync: {err.message}"), file=sys.stderr)
        return int(err.exit_code)
    return 0


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
