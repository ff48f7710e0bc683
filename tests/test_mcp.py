"""`schemasync mcp` (issue 14, item 3), through the SDK's real stdio client and `ClientSession`.

The server runs as a subprocess (`schemasync mcp`) on a copy of the example and on a project with
a huge table; every tool is called, an unknown table is an MCP error with a did-you-mean, long
answers continue through `nextCursor`, a mirror rewritten while serving is read again. The server
opens no network socket (strace when present, else /proc) and never reads a database URL: a
value planted in the variables is in no answer, and an in-process run of every tool (through
the SDK's in-memory client) reads no such variable and imports no database driver.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TextIO

import anyio
import pytest
from mcp import ClientSession, MCPError, StdioServerParameters, stdio_client
from mcp.types import TextContent
from safety_project import make_project, run_cli
from test_packaging import Dists, checkout, dists, make_venv  # noqa: F401  (session fixtures)
from user_shell import run, user_env

from schemasync.catalog import MAX_ANSWER_CHARS
from schemasync.mirror import dump_mirror
from schemasync.model import Column, Schema, Source, Table

SCHEMASYNC = Path(sys.executable).parent / "schemasync"
SECRET = "pw-planted-7f3c9a"
URL = f"postgresql://app:{SECRET}@db.internal:5432/shop"
TOOLS = ["list_tables", "describe_table", "search", "join_path", "enum_values",
         "recent_changes", "drift_status", "list_proposals"]  # fmt: skip
#: A proposal on the example (SQLite): the MCP server lists it with what it expects.
PROPOSAL = """\
# Gift note on orders

Status: proposed

```sql
ALTER TABLE orders ADD COLUMN gift_note TEXT;
DROP TABLE order_lines;
```
"""
DRIFT = """\
# Drift check

## What ran

`schemasync drift`

## Results

drift dev ($DATABASE_URL) vs db/schema/tables.json: 1 difference
  add_column orders.note  String (text)

## Checklist

- [x] compared

## Next step

Nothing.
"""

Session = Callable[[ClientSession], Awaitable[None]]


def _serve(
    project: Path,
    body: Session,
    command: Path = SCHEMASYNC,
    errlog: TextIO = sys.stderr,
    **env: str,
) -> None:
    """Start `schemasync mcp` in `project` and run `body` with a session to it (the server's
    stderr to `errlog`)."""

    async def main() -> None:
        params = StdioServerParameters(
            command=str(command), args=["mcp"], cwd=str(project), env=env or None
        )
        streams = stdio_client(params, errlog=errlog)
        async with streams as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            await body(session)

    anyio.run(main)


async def _call(session: ClientSession, tool: str, **args: Any) -> dict[str, Any]:
    """Call a tool; return its answer (compact JSON) as data, checked to be bounded."""
    result = await session.call_tool(tool, args)
    assert not result.is_error
    content = result.content[0]
    assert isinstance(content, TextContent)
    assert len(content.text) <= MAX_ANSWER_CHARS + 1000
    data: dict[str, Any] = json.loads(content.text)
    return data


async def _pages(session: ClientSession, tool: str, **args: Any) -> list[dict[str, Any]]:
    """Every page of an answer, following nextCursor."""
    pages = [await _call(session, tool, **args)]
    while "nextCursor" in pages[-1]:
        pages.append(await _call(session, tool, **args, cursor=pages[-1]["nextCursor"]))
    return pages


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A synced copy of the example (evidence 02 in its run) with a recorded drift check."""
    project = make_project(tmp_path)
    (project / ".git").mkdir()
    assert run_cli(project, "sync", "-q").returncode == 0
    return _with_drift_and_proposal(project)


def _with_drift_and_proposal(project: Path) -> Path:
    """Add a recorded drift check and an open proposal to a synced project."""
    drift = project / "dev-docs/active/check/artifacts/db/05-drift-check.md"
    drift.parent.mkdir(parents=True)
    drift.write_text(DRIFT)
    proposal = project / "db/handbook/proposals/gift-note.md"
    proposal.parent.mkdir(parents=True)
    proposal.write_text(PROPOSAL)
    return project


def _exercise_shop(project: Path, command: Path = SCHEMASYNC) -> list[str]:
    """Call every tool on the example; return every answer's text (for the secret test)."""
    texts: list[str] = []

    async def body(session: ClientSession) -> None:
        tools = (await session.list_tools()).tools
        assert [t.name for t in tools] == TOOLS
        for tool in tools:
            assert tool.annotations is not None
            assert tool.annotations.read_only_hint is True

        listed = await _call(session, "list_tables")
        names = [t["name"] for t in listed["tables"]]
        assert "orders" in names
        assert {"name": "active_products", "kind": "view"}.items() <= listed["tables"][-1].items()
        assert [t["name"] for t in (await _call(session, "list_tables", pattern="ORDER*"))[
            "tables"]] == ["order_lines", "orders"]  # fmt: skip

        orders = await _call(session, "describe_table", name="orders")
        assert orders["object"] == "orders"
        assert [c["name"] for c in orders["columns"]][:3] == ["id", "customer_id", "status"]
        (fk,) = orders["foreignKeys"]
        assert (fk["referencedTable"], fk["onDelete"], fk["onUpdate"]) == (
            "customers", "RESTRICT", "CASCADE")  # fmt: skip
        (back,) = orders["referencedBy"]
        assert (back["table"], back["onDelete"]) == ("order_lines", "CASCADE")
        assert {r["direction"] for r in orders["relations"]} == {"incoming", "outgoing"}
        assert any("OrderStatus" in n["message"] for n in orders["notes"])
        assert (await _call(session, "describe_table", name="Orders"))["object"] == "orders"

        found = await _call(session, "search", query="order")
        assert {"kind": "enum", "matched": "name", "object": "OrderStatus"} in found["matches"]

        path = await _call(session, "join_path", **{"from": "order_lines", "to": "customers"})
        assert [s["join"] for s in path["steps"]] == [
            "order_lines.order_id = orders.id", "orders.customer_id = customers.id"]  # fmt: skip

        values = await _call(session, "enum_values", name="orders.status")
        assert [v["name"] for v in values["values"]] == ["PENDING", "PAID", "SHIPPED", "CANCELLED"]
        assert (await _call(session, "enum_values"))["enums"][0]["enum"] == "OrderStatus"

        changes = await _call(session, "recent_changes")
        assert changes["evidence"].endswith("/02-import-prisma-log.md")
        assert any("7 tables" in line for line in changes["lines"])

        drift = await _call(session, "drift_status")
        assert drift["evidence"] == "dev-docs/active/check/artifacts/db/05-drift-check.md"
        assert "  add_column orders.note  String (text)" in drift["lines"]

        proposals = await _call(session, "list_proposals")
        (gift,) = proposals["proposals"]
        assert (gift["path"], gift["status"], gift["state"]) == (
            "db/handbook/proposals/gift-note.md", "proposed", "pending")  # fmt: skip
        assert gift["expected"] == [
            "remove_table order_lines 5 columns",
            "add_column orders.gift_note String (text)",
        ]
        assert "destructive: remove_table order_lines: drops the table" in gift["flags"][0]

        with pytest.raises(MCPError) as caught:
            await session.call_tool("describe_table", {"name": "ordrs"})
        assert (
            caught.value.message == "unknown table 'ordrs'; did you mean 'orders' or 'order_lines'?"
        )
        with pytest.raises(MCPError, match="argument 'name' is required"):
            await session.call_tool("describe_table", {})
        with pytest.raises(MCPError, match="unknown argument 'nme'"):
            await session.call_tool("describe_table", {"nme": "orders"})

        (resource,) = (await session.list_resources()).resources
        read = await session.read_resource(resource.uri)
        context = (project / "docs/context/db/schema.json").read_text()
        assert getattr(read.contents[0], "text", None) == context

        for name in TOOLS:  # every answer, for the secret test
            args = {"name": "orders"} if name == "describe_table" else {}
            args = {"query": "o"} if name == "search" else args
            args = {"from": "orders", "to": "products"} if name == "join_path" else args
            result = await session.call_tool(name, args)
            texts.extend(c.text for c in result.content if isinstance(c, TextContent))
        texts.append(context)

    _serve(project, body, command, DATABASE_URL=URL, STAGING_DATABASE_URL=URL)
    return texts


def test_every_tool_through_the_stdio_client(shop: Path) -> None:
    texts = _exercise_shop(shop)
    assert all(SECRET not in t for t in texts)


def _wide_project(root: Path, columns: int, tables: int) -> Path:
    """A project whose mirror has one table of `columns` commented columns, and `tables` small
    ones."""
    project = root / "wide"
    (project / "db/schema").mkdir(parents=True)
    comment = "what this column holds, said at some length for the agent " * 2
    wide = Table(
        name="wide",
        columns=tuple(
            Column(name=f"c{i:04}", type="String", db_type="TEXT", comment=f"{comment}{i}")
            for i in range(columns)
        ),
    )
    small = tuple(
        Table(name=f"t{i:03}", columns=(Column(name="id", type="Int", db_type="INTEGER"),))
        for i in range(tables)
    )
    schema = Schema(
        provider="sqlite",
        source=Source(kind="prisma", sha256="0" * 64),
        tables=(wide, *small),
    )
    (project / "db/schema/tables.json").write_text(dump_mirror(schema))
    return project


def test_a_huge_table_is_paginated_and_a_changed_mirror_is_read_again(tmp_path: Path) -> None:
    project = _wide_project(tmp_path, columns=1500, tables=250)

    async def body(session: ClientSession) -> None:
        pages = await _pages(session, "describe_table", name="wide")
        assert len(pages) > 5
        columns = [c["name"] for p in pages for c in p.get("columns", [])]
        assert columns == [f"c{i:04}" for i in range(1500)]
        assert all(p["object"] == "wide" and p["total"] == 1500 for p in pages)

        listed = await _pages(session, "list_tables", limit=100)
        assert [len(p["tables"]) for p in listed] == [100, 100, 51]
        found = await _pages(session, "search", query="column holds")
        assert sum(len(p["matches"]) for p in found) == 1500

        with pytest.raises(MCPError, match="cursor 'x'"):
            await session.call_tool("list_tables", {"cursor": "x"})

        # rewritten while serving: the next call reads it again
        _wide_project(tmp_path / "again", columns=3, tables=251)
        shutil.copy(tmp_path / "again/wide/db/schema/tables.json", project / "db/schema")
        assert (await _call(session, "list_tables", pattern="t250"))["tables"][0]["name"] == "t250"
        assert (await _call(session, "describe_table", name="wide"))["total"] == 3

    _serve(project, body)


def _socket_inodes(pid: int) -> set[str]:
    """The inodes of the sockets process `pid` holds open."""
    found = set()
    for fd in (Path("/proc") / str(pid) / "fd").iterdir():
        target = str(fd.readlink()) if fd.is_symlink() else ""
        if target.startswith("socket:["):
            found.add(target[8:-1])
    return found


def _inet_inodes() -> set[str]:
    """The inodes of every TCP/UDP socket of this network namespace."""
    inodes = set()
    for table in ("tcp", "tcp6", "udp", "udp6", "raw", "raw6"):
        path = Path("/proc/net") / table
        if path.exists():
            for line in path.read_text().splitlines()[1:]:
                inodes.add(line.split()[9])
    return inodes


def _server_pids() -> list[int]:
    """The `schemasync mcp` processes this test started (children of this process)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and b"mcp" in cmdline:
            pids.append(int(stat.parent.name))
    return pids


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_it_opens_no_network_socket(shop: Path) -> None:
    """While serving, the server holds no TCP/UDP/raw socket (asyncio's self-pipe is an AF_UNIX
    socketpair, which is no connection)."""

    async def body(session: ClientSession) -> None:
        for tool in ("list_tables", "recent_changes", "drift_status"):
            await _call(session, tool)
        await _call(session, "describe_table", name="orders")
        (pid,) = _server_pids()
        assert not _socket_inodes(pid) & _inet_inodes()

    _serve(shop, body, DATABASE_URL=URL)


@pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace")
def test_under_strace_it_calls_neither_socket_nor_connect(shop: Path, tmp_path: Path) -> None:
    """The whole life of the server, traced: no `socket()` and no `connect()` at all."""
    trace = tmp_path / "trace"
    strace = Path(shutil.which("strace") or "strace")
    wrapper = tmp_path / "traced-schemasync"
    wrapper.write_text(
        f'#!/bin/sh\nexec {strace} -f -qq -e trace=socket,connect -o {trace} {SCHEMASYNC} "$@"\n'
    )
    wrapper.chmod(0o755)
    probe = subprocess.run([strace, "-o", os.devnull, "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"strace cannot trace here: {probe.stderr.decode().strip()}")

    async def body(session: ClientSession) -> None:
        for tool in ("list_tables", "recent_changes", "drift_status"):
            await _call(session, tool)
        await _call(session, "describe_table", name="orders")

    _serve(shop, body, wrapper, DATABASE_URL=URL)
    calls = [
        line for line in trace.read_text().splitlines() if re.search(r"\b(socket|connect)\(", line)
    ]
    assert calls == []


IN_PROCESS = textwrap.dedent(
    """
    import json, os, sys
    from collections.abc import MutableMapping

    read = []

    class Spy(MutableMapping):
        # os.environ, recording which variables are read (os.getenv reads it too)
        def __init__(self, env): self.env = env
        def __getitem__(self, k): read.append(k); return self.env[k]
        def __setitem__(self, k, v): self.env[k] = v
        def __delitem__(self, k): del self.env[k]
        def __iter__(self): read.append("*"); return iter(self.env)
        def __len__(self): return len(self.env)
        def __contains__(self, k): read.append(k); return k in self.env
        def copy(self): read.append("*"); return dict(self.env)

    os.environ = Spy(os.environ)
    import anyio
    from mcp import Client
    from schemasync.mcp_server import TOOLS, Sources, make_server

    ARGS = {"describe_table": {"name": "orders"}, "search": {"query": "o"},
            "join_path": {"from": "orders", "to": "products"}}
    texts = []

    DRIVERS = ("psycopg", "pymysql", "sqlite3", "_sqlite3")
    async def main():
        async with Client(make_server(Sources(__import__("pathlib").Path(sys.argv[1])))) as c:
            for tool in TOOLS:
                if tool.name == "list_proposals":  # last: see below
                    global before
                    before = sorted(m for m in DRIVERS if m in sys.modules)
                result = await c.call_tool(tool.name, ARGS.get(tool.name, {}))
                texts.extend(x.text for x in result.content)

    anyio.run(main)
    drivers = sorted(m for m in DRIVERS if m in sys.modules)
    print(json.dumps({"read": sorted(set(read)), "drivers": drivers, "before": before,
                      "texts": texts}))
    """
)


def test_in_process_it_reads_no_url_variable_and_imports_no_driver(shop: Path) -> None:
    env = {**os.environ, "DATABASE_URL": URL, "STAGING_DATABASE_URL": URL, "PROD_DATABASE_URL": URL}
    done = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, str(shop)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert not [k for k in found["read"] if "DATABASE_URL" in k or k == "*"], found["read"]
    assert found["before"] == []  # every tool but list_proposals: no driver module at all
    # list_proposals reads SQL with the DDL applier, whose SQLite types come from
    # `introspect.sqlite`, which imports the standard library's sqlite3 (never connecting)
    assert [d for d in found["drivers"] if "sqlite3" not in d] == []
    assert len(found["texts"]) == len(TOOLS)
    assert all(SECRET not in t for t in found["texts"])


def test_a_served_session_skips_the_task_layer_and_the_sdk_client(
    shop: Path, tmp_path: Path
) -> None:
    """`schemasync mcp` starts without invoke, the task table or the run state, and without the
    SDK's client and high-level server (the `mcp` and `mcp.server` package `__init__`s): what an
    agent's host waits for is the handshake (issue 14: start-up <= 0.5 s). Seen by the
    interpreter itself (`PYTHONPROFILEIMPORTTIME`: every module the server imported, on its
    stderr) over a whole session."""
    log = tmp_path / "imports.log"

    async def body(session: ClientSession) -> None:
        assert (await _call(session, "describe_table", name="orders"))["name"] == "orders"

    with log.open("w") as errlog:
        _serve(shop, body, errlog=errlog, PYTHONPROFILEIMPORTTIME="1")
    imported = {
        line.rsplit("|", 1)[1].strip()
        for line in log.read_text().splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert {"mcp.server.stdio", "mcp.server.lowlevel.server", "schemasync.catalog"} <= imported
    task_layer = {"invoke", "schemasync.program", "schemasync.tasks", "schemasync.phases"}
    assert imported.isdisjoint(task_layer), imported & task_layer
    assert not {m for m in imported if m.startswith(("mcp.client", "mcp.server.mcpserver"))}


@pytest.mark.parametrize(
    ("args", "root"),
    [
        (["mcp"], (None,)),
        (["mcp", "--root", "proj"], ("proj",)),
        (["mcp", "-r", "proj"], ("proj",)),
        (["mcp", "--root=proj"], ("proj",)),
        (["mcp", "--help"], None),
        (["mcp", "--root"], None),
        (["mcp", "--root="], None),
        (["mcp", "--root", "--help"], None),
        (["mcp", "--bogus"], None),
        (["mcp", "check"], None),
        (["--list"], None),
        (["check"], None),
        ([], None),
    ],
)
def test_only_a_plain_mcp_command_line_skips_the_program(
    args: list[str], root: tuple[str | None] | None
) -> None:
    from schemasync.cli import _mcp_root

    assert _mcp_root(args) == root


def test_a_wrong_root_is_one_line_either_way(shop: Path) -> None:
    """`schemasync mcp --root X` starts without the task layer, and still reports a bad root as
    every task does: one line, exit 2, nothing on stdout (the protocol's)."""
    lean = subprocess.run(
        [str(SCHEMASYNC), "mcp", "--root", "no-such-folder"],
        cwd=shop, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert (lean.returncode, lean.stdout) == (2, "")
    assert lean.stderr == (
        "schemasync: --root 'no-such-folder': no such folder; pass the project folder\n"
    )


def test_the_sdk_imported_past_its_package_inits_can_be_forgotten() -> None:
    """The fallback of the lean import: after `_skip_package_inits` the SDK can be dropped and
    imported whole again (what `_import_server` does when the SDK's layout differs); with the
    SDK already imported, nothing is skipped."""
    code = textwrap.dedent(
        """
        import sys
        from schemasync import mcp_server as m
        assert m._skip_package_inits()
        from mcp.server.stdio import stdio_server
        assert not hasattr(sys.modules["mcp"], "ClientSession")  # the __init__ did not run
        m._forget_sdk()
        from mcp import ClientSession
        from mcp.server import Server
        assert not m._skip_package_inits()  # the SDK is imported: nothing to skip
        assert sys.modules["mcp"].ClientSession is ClientSession
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert (done.returncode, done.stdout) == (0, "ok\n"), done.stderr


def test_without_a_mirror_each_call_says_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()

    async def body(session: ClientSession) -> None:
        with pytest.raises(MCPError) as caught:
            await session.call_tool("list_tables", {})
        assert caught.value.message == (
            "db/schema/tables.json: missing; run `schemasync sync` in the project first"
        )
        assert (await _call(session, "recent_changes"))["evidence"] is None

    _serve(tmp_path / "empty", body)


@pytest.mark.package
def test_the_installed_wheel_serves_with_the_mcp_extra(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """`pip install 'schemasync-db[mcp]'` of the wheel `python -m build` makes, in a fresh venv:
    its `schemasync mcp` answers every tool through the stdio client."""
    built: Dists = request.getfixturevalue("dists")  # test_packaging's, built once a session
    bin_dir = make_venv(tmp_path / "venv")
    env = user_env(bin_dir)
    run([bin_dir / "pip", "install", "-q", f"{built.wheel}[mcp]"], tmp_path, env, timeout=900)
    project = make_project(tmp_path)
    (project / ".git").mkdir()
    run(["schemasync", "sync", "-q"], project, env)
    texts = _exercise_shop(_with_drift_and_proposal(project), bin_dir / "schemasync")
    assert all(SECRET not in t for t in texts)


def test_without_the_sdk_it_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from schemasync.errors import ConfigError, ExitCode
    from schemasync.mcp_server import INSTALL_HINT, serve

    monkeypatch.setitem(sys.modules, "mcp.server.stdio", None)  # `import` raises ImportError
    with pytest.raises(ConfigError, match=re.escape(INSTALL_HINT)) as caught:
        serve(tmp_path)
    assert caught.value.exit_code == ExitCode.USAGE


def test_a_sliced_context_is_one_resource_per_file(tmp_path: Path) -> None:
    """Above the token budget the context is an index plus slices: each is a resource (the
    index first), read back byte for byte; a URI outside them is an MCP error, even one that
    names a committed file (the mirror) or climbs out of the slice folder."""
    project = make_project(tmp_path)
    (project / ".git").mkdir()
    config_path = project / "docs/project/db-ssot.json"
    config = json.loads(config_path.read_text())
    config["context"] = {"sliceAboveTokens": 1_000}
    config_path.write_text(json.dumps(config, indent=2) + "\n")
    assert run_cli(project, "sync", "-q").returncode == 0
    index = json.loads((project / "docs/context/db/schema.json").read_text())
    assert len(index["slices"]) >= 2
    expected = ["docs/context/db/schema.json"] + [
        f"docs/context/db/{name}" for name in index["slices"]
    ]

    async def body(session: ClientSession) -> None:
        resources = (await session.list_resources()).resources
        assert [r.name for r in resources] == expected
        assert [str(r.uri) for r in resources] == [f"schemasync://{rel}" for rel in expected]
        assert "index" in (resources[0].description or "")
        for item, rel in zip(resources, expected, strict=True):
            read = await session.read_resource(item.uri)
            assert getattr(read.contents[0], "text", None) == (project / rel).read_text()
        for uri in (
            "schemasync://db/schema/tables.json",
            "schemasync://docs/context/db/schema/../../../../db/schema/tables.json",
            "file:///etc/passwd",
        ):
            with pytest.raises(MCPError, match="unknown resource"):
                await session.read_resource(uri)

    _serve(project, body)
