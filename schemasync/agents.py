"""The schemasync block of a project's `AGENTS.md`: what coding agents read about the mirror.

`init` and Phase C keep a marked block (`<!-- schemasync:begin -->` … `<!-- schemasync:end -->`)
in `AGENTS.md` at the project root current: where the mirror and the context are, that they are
never edited by hand, how to propose a change, and the MCP server. Text outside the markers is
the project's: it is kept byte for byte (line endings included). `check` and `verify` report a
file whose block is missing or differs. Pure: text in, text out; the runner writes.
"""

from __future__ import annotations

from typing import Final

from schemasync.errors import ArtifactError

AGENTS_PATH: Final = "AGENTS.md"
BEGIN: Final = "<!-- schemasync:begin -->"
END: Final = "<!-- schemasync:end -->"

#: The block's text between the markers. Deterministic: it names the installed command
#: (`schemasync`), never the one a run was started with (`invoke sync` in this repository would
#: otherwise write another block than `schemasync sync`).
BODY: Final = """\
## Database schema (maintained by schemasync; do not edit this block)

The live database is the single source of truth for this project's schema.

- `db/schema/tables.json` (the mirror) and `docs/context/db/schema.json` (the context for coding
  agents) are generated from the Prisma schema that `prisma db pull` writes. Never edit them, nor
  the Prisma schema, by hand: `schemasync check` fails on any difference.
- Read the context for the schema: tables, columns, keys, indexes, relations both ways, enums.
- To change the schema, propose it in `db/handbook/` (see its README); a DBA applies it to the
  database, then the schema is pulled again and `schemasync sync` refreshes both files.
- MCP server (read-only, no database connection, no credentials): `schemasync mcp` serves the
  committed mirror over stdio. Tools: `list_tables`, `describe_table`, `search`, `join_path`,
  `enum_values`, `recent_changes`, `drift_status`.
"""


def agents_block() -> str:
    """Return the block, markers included, ending with a newline."""
    return f"{BEGIN}\n{BODY}{END}\n"


def _span(text: str) -> tuple[int, int] | None:
    """Return where the block is in `text` (start of BEGIN, end of END), or None without one.

    Raises:
        ArtifactError: a marker without its partner, out of order, or twice.
    """
    begin, end = text.count(BEGIN), text.count(END)
    if begin == end == 0:
        return None
    start, stop = text.find(BEGIN), text.find(END)
    if begin != 1 or end != 1 or stop < start:
        raise ArtifactError(
            f"{AGENTS_PATH}: the schemasync markers are broken (`{BEGIN}` {begin}x, `{END}` "
            f"{end}x; one of each, in that order); fix or delete them by hand"
        )
    return start, stop + len(END)


def update_agents(text: str | None) -> str:
    """Return `AGENTS.md` with the block current: the block alone for a new file, appended
    (after a blank line) to a file without one, else replaced between its markers. Text outside
    the markers is kept byte for byte; the block takes the file's line endings.

    >>> update_agents("# Notes\\n").startswith("# Notes\\n\\n<!-- schemasync:begin -->")
    True

    Raises:
        ArtifactError: broken markers (`_span`).
    """
    block = agents_block()
    if text is None or text == "":
        return block
    if "\r\n" in text:
        block = block.replace("\n", "\r\n")
    span = _span(text)
    if span is None:
        newline = "\r\n" if "\r\n" in text else "\n"
        sep = newline * (2 - text.endswith(newline) - text.endswith(newline * 2))
        return text + sep + block
    start, stop = span
    # the block's own final newline is the one after END in the file, if any
    return text[:start] + block.rstrip("\r\n") + text[stop:]


def agents_problem(text: str | None, sync: str) -> str | None:
    """Return `check`'s problem with `AGENTS.md` (one line naming the file and the fix), or
    None: no file (a project may go without one), or its block is current."""
    if text is None:
        return None
    try:
        current = update_agents(text) == text
    except ArtifactError as err:
        return err.message
    if current:
        return None
    what = "is stale" if _span(text) is not None else "is missing"
    return f"{AGENTS_PATH}: the schemasync block {what}; never edit it: run `{sync}`"
