"""Handbook proposals (`db/handbook/proposals/*.md`) -> the changes they expect of the mirror.

A proposal is markdown with a `Status:` line (`draft`, `proposed`, `landed`, `rejected`) and its
intended change as SQL in fenced ```` ```sql ```` blocks, in the project's dialect. Checking one
applies its statements to the mirror (`ddl.apply`, one statement at a time) and compares before
and after with `diff.diff_schemas`: the expected changes are in the diff's own vocabulary
(`add_column public.pets.chip_id`), never a second one. What the result means:

- *landed*: applying the proposal to the mirror changes nothing (every change is in it already);
- *partly landed*: some statements change nothing, others still do (what is missing is listed);
- *pending*: every statement still changes the mirror;
- *does not apply*: a statement names a table or column that neither the mirror nor an earlier
  statement has, or what it builds refers to one (a foreign key to a missing table).

Statements the applier does not model (grants, functions, …) cannot be checked: each is a
finding with its reason, never silently passed. Destructive or risky changes are flagged by the
`RISKS` table (a row per rule, not a chain of ifs). The status line is rewritten only on request
(`mark_landed_text`: that one line, nothing else). Pure: text and schemas in, data out; files are
read and written by the task layer (`commands.py`).
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from schemasync.diff import Change, diff_schemas
from schemasync.errors import SourceError
from schemasync.model import Column, Schema

if TYPE_CHECKING:
    from schemasync.ddl import Statement

#: Where proposals live, and the statuses a proposal may have (SPEC §7).
PROPOSALS_DIR = "db/handbook/proposals"
STATUSES: tuple[str, ...] = ("draft", "proposed", "landed", "rejected")
#: The statuses `proposals` checks: the others are closed.
OPEN_STATUSES: tuple[str, ...] = ("draft", "proposed")
#: A slug names a proposal file (`db/handbook/proposals/<slug>.md`).
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")

#: Change kinds that are Prisma's, not the database's: SQL cannot state them, so they are not
#: part of what a proposal expects (a column a proposal adds has no Prisma name until a pull).
PRISMA_ONLY_KINDS: tuple[str, ...] = (
    "modify_prisma_name",
    "modify_client_default",
    "add_relation",
    "remove_relation",
)

#: `**Status:** proposed`, `Status: draft`, `Status: `landed``: the word after `Status:`.
_STATUS = re.compile(
    r"^(?P<lead>[ \t>*_-]*(?:\*\*|__)?Status(?:\*\*|__)?[ \t]*:[ \t]*(?:\*\*|__)?[ \t]*`?)"
    r"(?P<word>[A-Za-z-]*)",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class SqlBlock:
    """One fenced `sql` block: its text and the file line of its first line (1-based)."""

    text: str
    line: int


@dataclass(frozen=True)
class Proposal:
    """A proposal as read: where it is, its title, its status and where that line is."""

    path: str
    title: str
    status: str | None  # lower case as written; None: no status line
    status_line: int  # 1-based; 0: none
    status_col: int  # 1-based column of the status word
    blocks: tuple[SqlBlock, ...]

    @property
    def slug(self) -> str:
        """The file's name without `.md`."""
        name = self.path.rsplit("/", 1)[-1]
        return name[:-3] if name.endswith(".md") else name


def parse_proposal(text: str, path: str) -> Proposal:
    """Read a proposal's title, status line and `sql` blocks (markdown-it-py's tokens, so a
    `Status:` inside a code block or an ```` ```sql ```` inside another fence is not one)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    lines = text.splitlines()
    title, status, where = "", None, (0, 0)
    blocks: list[SqlBlock] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and not title and i + 1 < len(tokens):
            title = tokens[i + 1].content.strip()
        elif tok.type == "fence" and tok.map is not None:
            if tok.info.strip().split(" ", 1)[0].lower() == "sql":
                blocks.append(SqlBlock(tok.content, tok.map[0] + 2))
        elif tok.type == "inline" and tok.map is not None and status is None:
            for n in range(tok.map[0], tok.map[1]):
                m = _STATUS.match(lines[n]) if n < len(lines) else None
                if m is not None:
                    status, where = m.group("word").lower(), (n + 1, len(m.group("lead")) + 1)
                    break
    return Proposal(path, title or path, status, where[0], where[1], tuple(blocks))


def status_problem(proposal: Proposal) -> str | None:
    """What is wrong with a proposal's status line (`file:line:col: …`), or None."""
    if proposal.status is None:
        return (
            f"{proposal.path}: no `Status:` line; add one (`Status: draft`, `proposed`, "
            "`landed` or `rejected`)"
        )
    if proposal.status not in STATUSES:
        return (
            f"{proposal.path}:{proposal.status_line}:{proposal.status_col}: status "
            f"`{proposal.status}` is not one of {', '.join(STATUSES)}; write one of them"
        )
    return None


def mark_landed_text(text: str, proposal: Proposal) -> str:
    """Return `text` with only the status word of its status line turned into `landed`."""
    lines = text.splitlines(keepends=True)
    n = proposal.status_line - 1
    m = _STATUS.match(lines[n])
    assert m is not None  # the line the proposal was read from
    lines[n] = lines[n][: m.end("lead")] + "landed" + lines[n][m.end("word") :]
    return "".join(lines)


# --------------------------------------------------------------------------- risks


@dataclass(frozen=True)
class Sides:
    """Both mirrors, by the names `diff` gives objects: tables, and `table.column` columns."""

    tables: tuple[dict[str, object], dict[str, object]]
    columns: tuple[dict[str, Column], dict[str, Column]]

    @classmethod
    def of(cls, before: Schema, after: Schema) -> Sides:
        """Index both schemas."""

        def tables(s: Schema) -> dict[str, object]:
            return {_qualified(t.db_schema, t.name): t for t in s.tables}

        def columns(s: Schema) -> dict[str, Column]:
            return {
                f"{_qualified(t.db_schema, t.name)}.{c.name}": c
                for t in s.tables
                for c in t.columns
            }

        return cls((tables(before), tables(after)), (columns(before), columns(after)))

    def existing_table(self, column: str) -> bool:
        """The column's table is in the mirror before the change (it may hold rows)."""
        return column.rsplit(".", 1)[0] in self.tables[0]


def _qualified(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name


_TYPE = re.compile(r"^\s*([a-z][a-z0-9 _]*?)\s*(?:\(([^)]*)\))?\s*(\[\])?\s*$")
#: Integer and float families, narrowest first: a move down the list narrows.
_RANKS: tuple[tuple[str, ...], ...] = (
    ("tinyint", "smallint", "int2", "mediumint", "integer", "int", "int4", "bigint", "int8"),
    ("real", "float4", "float", "double precision", "double", "float8"),
)
_RANK: dict[str, tuple[int, int]] = {
    name: (family, rank if name not in ("int2", "int4", "int8", "float4", "float8") else -1)
    for family, names in enumerate(_RANKS)
    for rank, name in enumerate(names)
}
_ALIAS = {"int2": "smallint", "int4": "integer", "int": "integer", "int8": "bigint",
          "float4": "real", "float8": "double precision", "double": "double precision",
          "character varying": "varchar", "character": "char", "decimal": "numeric"}  # fmt: skip
_TEXTS = ("text", "longtext", "mediumtext")


def _type_parts(db_type: str) -> tuple[str, tuple[int, ...], bool] | None:
    m = _TYPE.match(db_type.lower())
    if m is None:
        return None
    base = _ALIAS.get(m.group(1), m.group(1))
    args = tuple(int(a) for a in re.findall(r"\d+", m.group(2) or ""))
    return base, args, bool(m.group(3))


def _narrows(old: str, new: str) -> bool:
    """True when every value of `old` may not fit `new` (`varchar(40)` -> `varchar(15)`,
    `bigint` -> `integer`, `text` -> `varchar(n)`, `numeric(12,2)` -> `numeric(8,2)`)."""
    a, b = _type_parts(old), _type_parts(new)
    if a is None or b is None or a[2] != b[2]:
        return False
    if a[0] == b[0]:
        if a[1] and not b[1]:
            return False  # varchar(40) -> varchar: wider
        if not a[1] and b[1]:
            return True  # varchar -> varchar(15), numeric -> numeric(8,2)
        return any(y < x for x, y in zip(a[1], b[1], strict=False))
    if a[0] in _TEXTS and b[0] in ("varchar", "char"):
        return True
    order = [r for names in _RANKS for r in names]
    ra, rb = _RANK.get(a[0]), _RANK.get(b[0])
    if ra is None or rb is None or ra[0] != rb[0]:
        return False
    return order.index(_ALIAS.get(b[0], b[0])) < order.index(_ALIAS.get(a[0], a[0]))


def _column_pair(change: Change, sides: Sides) -> tuple[Column | None, Column | None]:
    return sides.columns[0].get(change.object), sides.columns[1].get(change.object)


def _narrowing(change: Change, sides: Sides) -> bool:
    old, new = _column_pair(change, sides)
    return old is not None and new is not None and _narrows(old.db_type, new.db_type)


def _retyped(change: Change, sides: Sides) -> bool:
    old, new = _column_pair(change, sides)
    return (
        old is not None
        and new is not None
        and old.db_type != new.db_type
        and not _narrows(old.db_type, new.db_type)
    )


def _required_without_default(change: Change, sides: Sides) -> bool:
    new = sides.columns[1].get(change.object)
    return (
        new is not None
        and sides.existing_table(change.object)
        and not new.nullable
        and new.default is None
        and not new.autoincrement
        and not new.generated
    )


def _made_required(change: Change, sides: Sides) -> bool:
    return change.old == "true" and change.new == "false"


def _values_removed(change: Change, sides: Sides) -> bool:
    before = {v.strip() for v in (change.old or "").split(",")}
    after = {v.strip() for v in (change.new or "").split(",")}
    return bool(before - after)


def _unique_on_existing(change: Change, sides: Sides) -> bool:
    return (change.new or "").startswith("unique") and change.object.rsplit(".", 1)[
        0
    ] in sides.tables[0]


def _key_on_existing(change: Change, sides: Sides) -> bool:
    return change.object in sides.tables[0]


def _always(change: Change, sides: Sides) -> bool:
    return True


@dataclass(frozen=True)
class Risk:
    """A rule: a change of `kind` for which `when` holds is flagged `level` with `reason`."""

    kind: str
    level: str  # `destructive`: data is lost; `may fail`: existing rows can make it fail
    reason: str
    when: Callable[[Change, Sides], bool] = _always


#: Every rule that flags a change; the first that matches a change names it.
RISKS: tuple[Risk, ...] = (
    Risk("remove_table", "destructive", "drops the table and every row in it"),
    Risk("remove_column", "destructive", "drops the column and every value in it"),
    Risk("remove_view", "destructive", "drops the view (queries using it fail)"),
    Risk("remove_enum", "destructive", "drops the enum type"),
    Risk("modify_enum", "destructive", "removes enum values rows may hold", _values_removed),
    Risk(
        "modify_type",
        "destructive",
        "narrows the type: values that do not fit fail or are cut",
        _narrowing,
    ),
    Risk("modify_type", "may fail", "changes the type: existing values must convert", _retyped),
    Risk(
        "add_column",
        "may fail",
        "NOT NULL without a default on an existing table: fails while the table has rows",
        _required_without_default,
    ),
    Risk(
        "modify_nullable",
        "may fail",
        "makes the column NOT NULL: fails while a row holds NULL",
        _made_required,
    ),
    Risk(
        "add_index",
        "may fail",
        "a unique index on an existing table: fails on duplicate values",
        _unique_on_existing,
    ),
    Risk(
        "add_pk",
        "may fail",
        "a primary key on an existing table: fails on duplicates or NULLs",
        _key_on_existing,
    ),
    Risk("remove_pk", "destructive", "drops the primary key (rows lose their identity)"),
)


@dataclass(frozen=True)
class Flag:
    """A change a rule of `RISKS` flagged."""

    change: Change
    level: str
    reason: str


def flag_changes(changes: Iterable[Change], before: Schema, after: Schema) -> tuple[Flag, ...]:
    """Flag every change that a rule of `RISKS` matches (the first matching rule)."""
    sides = Sides.of(before, after)
    out: list[Flag] = []
    for change in changes:
        rule = next((r for r in RISKS if r.kind == change.kind and r.when(change, sides)), None)
        if rule is not None:
            out.append(Flag(change, rule.level, rule.reason))
    return tuple(out)


# --------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class StatementCheck:
    """One statement of a proposal against the mirror."""

    line: int
    col: int
    summary: str  # the statement's first line, shortened
    changes: tuple[Change, ...]  # what it still changes (empty: already in the mirror)
    unmodelled: str | None = None  # why it cannot be checked (a grant, a function …)


@dataclass(frozen=True)
class ProposalCheck:
    """A proposal checked against one mirror.

    `state`: `landed`, `partly landed`, `pending`, `does not apply` (a missing table or
    column: `problem` says which), `invalid` (SQL that cannot be parsed, no SQL, or a bad status
    line: `problem`), `unchecked` (no statement the mirror models: `findings` say why),
    `empty` (a draft with no SQL yet), or `closed` (status `landed`/`rejected`: not checked).
    """

    proposal: Proposal
    state: str
    expected: tuple[Change, ...] = ()
    statements: tuple[StatementCheck, ...] = ()
    flags: tuple[Flag, ...] = ()
    problem: str | None = None
    parse_error: bool = False
    findings: tuple[str, ...] = field(default=())

    @property
    def missing(self) -> tuple[Change, ...]:
        """What is not in the mirror yet (all that is expected, unless it landed)."""
        return self.expected

    @property
    def applies(self) -> bool:
        """The proposal can be applied to the mirror (or is closed, or landed)."""
        return self.state not in ("does not apply", "invalid")


_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/|#[^\n]*", re.DOTALL)


def _has_code(sql: str) -> bool:
    """The statement is more than comments (a template's `-- for example:` lines)."""
    return bool(_COMMENTS.sub("", sql).strip())


def _summary(sql: str) -> str:
    first = " ".join(sql.split())
    return first if len(first) <= 72 else first[:69] + "..."


def proposal_statements(proposal: Proposal, dialect: str) -> list[Statement]:
    """The proposal's SQL statements, located in its markdown file (line and column)."""
    from schemasync.ddl import DIALECTS, split_statements

    lexis = DIALECTS[dialect].lexis
    out: list[Statement] = []
    for block in proposal.blocks:
        lines = ["\n"] * (block.line - 1) + block.text.splitlines(keepends=True)
        out.extend(split_statements(lines, lexis, proposal.path))
    return out


def _dangling(after: Schema, touched: set[str]) -> str | None:
    """A key, index or foreign key of a table the proposal touched that names a missing
    table or column."""
    tables = {_qualified(t.db_schema, t.name): t for t in after.tables}
    for name in sorted(touched & tables.keys()):
        table = tables[name]
        columns = {c.name for c in table.columns}
        named = [
            *(table.primary_key.columns if table.primary_key else ()),
            *(c.name for i in table.indexes for c in i.columns if not c.expression),
            *(c for fk in table.foreign_keys for c in fk.columns),
        ]
        for col in named:
            if col not in columns:
                return f"column {name}.{col} does not exist"
        for fk in table.foreign_keys:
            what = f"foreign key {fk.name or ','.join(fk.columns)} of {name}"
            target = tables.get(
                _qualified(fk.referenced_schema or table.db_schema, fk.referenced_table)
            ) or tables.get(fk.referenced_table)
            if target is None:
                ref = _qualified(fk.referenced_schema, fk.referenced_table)
                return f"{what} references table {ref}, which does not exist"
            have = {c.name for c in target.columns}
            for col in fk.referenced_columns:
                if col not in have:
                    ref = f"{fk.referenced_table}.{col}"
                    return f"{what} references column {ref}, which does not exist"
    return None


def _table_of(change: Change, tables: Iterable[str]) -> str | None:
    """The (qualified) table a change is about."""
    known = set(tables)
    obj = change.object
    while obj:
        if obj in known:
            return obj
        if "." not in obj:
            return None
        obj = obj.rsplit(".", 1)[0]
    return None


def check_proposal(
    proposal: Proposal, mirror: Schema, dialect: str, *, narrow: bool = True
) -> ProposalCheck:
    """Check a proposal against the mirror: its state, expected changes, flags and findings.

    Statements are applied one at a time, each to the result of the ones before it, so a
    statement that changes nothing is told apart (already in the mirror) from one that does.
    """
    from sqlglot.errors import ParseError, TokenError

    from schemasync.ddl import apply

    if problem := status_problem(proposal):
        return ProposalCheck(proposal, "invalid", problem=problem)
    if proposal.status not in OPEN_STATUSES:
        return ProposalCheck(proposal, "closed")
    statements = proposal_statements(proposal, dialect)
    if narrow:  # False: the whole mirror (the tests check both give the same answer)
        mirror = relevant_part(mirror, " ".join(st.sql for st in statements))
    if not any(_has_code(st.sql) for st in statements):
        if proposal.status == "draft":
            return ProposalCheck(proposal, "empty")
        return ProposalCheck(
            proposal, "invalid", problem=f"{proposal.path}: no SQL statement in a ```sql block; "
            "write the intended change in one (or set `Status: draft`)",
        )  # fmt: skip
    current = mirror
    checked: list[StatementCheck] = []
    for st in statements:
        if not _has_code(st.sql):
            continue
        notes = len(current.notes)
        try:
            after = apply(current, [st], dialect=dialect)
        except SourceError as err:
            parse = isinstance(err.__cause__, ParseError | TokenError | RecursionError | ValueError)
            return ProposalCheck(
                proposal,
                "invalid" if parse else "does not apply",
                problem=_for_proposals(err.message, dialect),
                parse_error=parse,
                statements=tuple(checked),
            )
        changes = _database_changes(diff_schemas(current, after))
        new_notes = [n for n in after.notes[notes:] if n.object == "(ddl)"]
        unmodelled = new_notes[0].message if new_notes and not changes else None
        checked.append(StatementCheck(st.line, st.col, _summary(st.sql), changes, unmodelled))
        current = after.model_copy(update={"notes": mirror.notes})
    expected = _database_changes(diff_schemas(mirror, current))
    touched = {
        t
        for c in expected
        if (t := _table_of(c, {_qualified(x.db_schema, x.name) for x in current.tables}))
    }
    if dangling := _dangling(current, touched):
        return ProposalCheck(
            proposal, "does not apply", problem=f"{proposal.path}: {dangling}; correct the SQL",
            statements=tuple(checked), expected=expected,
        )  # fmt: skip
    findings = tuple(
        f"{proposal.path}:{s.line}:{s.col}: {s.unmodelled}; not checked against the mirror"
        for s in checked
        if s.unmodelled
    )
    modelled = [s for s in checked if not s.unmodelled]
    if not modelled:
        state = "unchecked"
    elif not expected:
        state = "landed"
    elif any(not s.changes for s in modelled):
        state = "partly landed"
    else:
        state = "pending"
    return ProposalCheck(
        proposal,
        state,
        expected=expected,
        statements=tuple(checked),
        flags=flag_changes(expected, mirror, current),
        findings=findings,
    )


#: The applier's advice for dumps (`--dialect`), and what a proposal's author does instead.
_DUMP_ADVICE = ("; correct the SQL, or give the dump's dialect with --dialect",
                "; correct the SQL (or give --dialect)")  # fmt: skip


def _for_proposals(message: str, dialect: str) -> str:
    for advice in _DUMP_ADVICE:
        message = message.replace(advice, f"; correct the proposal's SQL ({dialect})")
    return message


_NAMES = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")


def relevant_part(mirror: Schema, sql: str) -> Schema:
    """The part of the mirror a proposal's SQL can touch: the tables and views it names (any
    case, quoted or not), the tables whose foreign keys point at those (a `DROP … CASCADE`
    drops them), and the tables those reference (a touched table's keys are checked); enums
    whole.

    Applying and comparing costs time in proportion to the schema: on a 1,000-model mirror a
    two-statement proposal took seconds against the whole, and a proposal names a few tables.
    What is left out cannot change: the applier changes only what a statement names.
    """
    words = {w.lower() for w in _NAMES.findall(sql)}
    named = {
        t.name
        for t in mirror.tables
        if t.name.lower() in words
        or any(fk.referenced_table.lower() in words for fk in t.foreign_keys)
    }
    targets = {
        fk.referenced_table for t in mirror.tables if t.name in named for fk in t.foreign_keys
    }
    keep = named | targets
    return mirror.model_copy(
        update={
            "tables": tuple(t for t in mirror.tables if t.name in keep),
            "views": tuple(v for v in mirror.views if v.name.lower() in words),
            "relations": tuple(
                r for r in mirror.relations if r.table in keep and r.referenced_table in keep
            ),
        }
    )


def _database_changes(changes: Sequence[Change]) -> tuple[Change, ...]:
    return tuple(c for c in changes if c.kind not in PRISMA_ONLY_KINDS)


def check_proposals(
    proposals: Iterable[Proposal], mirror: Schema, dialect: str
) -> tuple[ProposalCheck, ...]:
    """Check every proposal (sorted by path) against the mirror."""
    with _quiet_sqlglot():
        return tuple(
            check_proposal(p, mirror, dialect) for p in sorted(proposals, key=lambda p: p.path)
        )


@contextlib.contextmanager
def _quiet_sqlglot() -> Iterator[None]:
    """Keep sqlglot's own warnings (`… contains unsupported syntax. Falling back to parsing as a
    'Command'`) off stderr while proposals are checked: the check reports every statement it
    cannot read itself, with its place, in one line."""
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


# --------------------------------------------------------------------------- Phase B


@dataclass(frozen=True)
class Landing:
    """An open proposal as Phase B reports it: checked against the new mirror, and whether
    this sync's changes include some of what it expected of the previous mirror."""

    check: ProposalCheck
    this_sync: bool


def check_landings(
    proposals: Iterable[Proposal],
    previous: Schema | None,
    new: Schema,
    dialect: str,
    changes: Sequence[Change],
) -> tuple[Landing, ...]:
    """Check every open proposal against the new mirror (Phase B's report): landed, partly
    landed (with what is missing), pending, or not applicable; closed ones and empty drafts
    are left out."""
    synced = {(c.kind, c.object) for c in changes}
    out: list[Landing] = []
    with _quiet_sqlglot():
        for proposal in sorted(proposals, key=lambda p: p.path):
            out.extend(_landing(proposal, previous, new, dialect, synced))
    return tuple(out)


def _landing(
    proposal: Proposal,
    previous: Schema | None,
    new: Schema,
    dialect: str,
    synced: set[tuple[str, str]],
) -> tuple[Landing, ...]:
    """One proposal for Phase B (none when it is closed or an empty draft)."""
    now = check_proposal(proposal, new, dialect)
    if now.state in ("closed", "empty"):
        return ()
    before = check_proposal(proposal, previous, dialect) if previous and synced else None
    this_sync = before is not None and any((c.kind, c.object) in synced for c in before.expected)
    return (Landing(now, this_sync),)
