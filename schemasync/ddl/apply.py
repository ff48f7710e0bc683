"""Statements applied to a schema: `apply(schema, statements) -> schema`, pure.

How to call it::

    from schemasync.ddl import apply, split_statements, DIALECTS
    from schemasync.model import Schema, Source

    dialect = DIALECTS["postgresql"]
    empty = Schema(provider="postgresql", source=Source(kind="ddl", sha256=""))
    statements = split_statements(text.splitlines(keepends=True), dialect.lexis, "schema.sql")
    schema = apply(empty, statements, dialect="postgresql", rich=True)

A dump is its statements applied to an empty schema; a proposal (a later feature) is its SQL
applied to the current mirror, and `diff.diff_schemas(before, after)` is the change it intends.
`statements` is any iterable (a generator over a file streams: a statement is read, applied and
dropped). The input schema is not changed (models are frozen); a new one is returned, with the
input's Prisma-only facts (names, `@@ignore`, relation fields) carried over by database name
(`introspect._common.carry_over`) and its `source` kept as it is (the edge sets it).

What the result holds is what native introspection (`schemasync/introspect/`) gives for the
database the statements build: the same type spelling (`introspect.<dialect>.db_type_name`), the
same default normalisation (`CatalogDefaults`), the same notes; `rich` as introspection's `rich`
(checks, partial and expression indexes, identity kinds, generated expressions in the model
rather than in notes). Expression texts (defaults, checks, predicates, view definitions) are
taken from the statement's own text, never from sqlglot's regenerated SQL (which rewrites
`now()` as `CURRENT_TIMESTAMP`): sqlglot's tokens give the spans, its AST the structure.

Every statement that is not modelled (SET, owners, grants, functions, triggers, policies,
extensions, …) becomes a note naming its kind and its lines. A statement that cannot be parsed
raises `SourceError` with `path:line:col`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, cast

# sqlglot at module level: this module is imported only when a DDL source is read (the CLI
# starts without it); function-level imports cost a tenth of a 1,000-table dump's time
from sqlglot import TokenType, exp
from sqlglot.dialects.dialect import Dialect as SqlglotDialect
from sqlglot.errors import ErrorLevel, ParseError, TokenError
from sqlglot.tokenizer_core import Token

from schemasync.ddl.dialects import DIALECTS, Dialect
from schemasync.ddl.split import Statement
from schemasync.errors import SourceError
from schemasync.introspect._common import (
    EXCLUDED_TABLES,
    CatalogDefaults,
    carry_over,
    relations_from_fks,
)
from schemasync.model import (
    Column,
    Enum,
    EnumValue,
    Note,
    Schema,
    Table,
    View,
    operator_class_note,
)

#: token types as plain constants: an Enum member lookup in the hot loops cost a tenth of
#: the time of a large dump (Python 3.11's `Enum.__get__`)
_T_BIT = TokenType.BIT
_T_COMMA = TokenType.COMMA
_T_DCOLON = TokenType.DCOLON
_T_DOT = TokenType.DOT
_T_IDENTIFIER = TokenType.IDENTIFIER
_T_L_BRACKET = TokenType.L_BRACKET
_T_L_PAREN = TokenType.L_PAREN
_T_R_BRACKET = TokenType.R_BRACKET
_T_R_PAREN = TokenType.R_PAREN
_T_STRING = TokenType.STRING
_T_VAR = TokenType.VAR

Key = tuple[str | None, str]


def apply(
    schema: Schema,
    statements: Iterable[Statement],
    *,
    dialect: str | None = None,
    rich: bool = True,
    schemas: Iterable[str] = (),
) -> Schema:
    """Return `schema` with `statements` applied, in order.

    Args:
        schema: the schema the statements start from (an empty one for a dump).
        statements: the statements, as `split_statements` yields them (any iterable).
        dialect: `postgresql`, `mysql` or `sqlite` (default: the schema's provider).
        rich: model checks, partial/expression indexes, identity kinds and generated columns
            (as `introspect_*(rich=True)`); False: notes instead, as a plain snapshot.
        schemas: PostgreSQL schemas to keep (default: every schema the statements name).

    Raises:
        SourceError: a statement cannot be parsed (`path:line:col: …`), or names a table it
            needs that does not exist.
    """
    work = _Work.start(schema, DIALECTS[dialect or schema.provider], rich)
    for statement in statements:
        work.apply(statement)
    return work.finish(schema, tuple(schemas))


# --------------------------------------------------------------------------- the work


@dataclass
class _Relation:
    """A table or view being built: plain values, turned into models once, at the end."""

    schema: str | None
    name: str
    view: bool = False
    base: dict[str, Any] = field(default_factory=dict)  # fields carried from the input
    columns: dict[str, dict[str, Any]] = field(default_factory=dict)
    primary_key: dict[str, Any] | None = None
    indexes: dict[str, dict[str, Any]] = field(default_factory=dict)
    foreign_keys: dict[str, dict[str, Any]] = field(default_factory=dict)
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    comment: str | None = None
    definition: str | None = None
    #: notes that go with this definition (a view's columns): dropped when it is replaced
    notes: list[Note] = field(default_factory=list)


#: Why a kind of statement is not in the mirror (the note says so); the kind is the statement's
#: first words as `_kind` names them. Kinds not listed get the generic reason.
REASONS: dict[str, str] = {
    "SET": "session settings of the dump",
    "SELECT": "a query (pg_dump's `set_config`), not schema",
    "psql": "a psql meta-command (pg_dump 17's `\\restrict` guard), not SQL",
    "OWNER TO": "owners are not part of the mirror",
    "GRANT": "privileges are not part of the mirror",
    "REVOKE": "privileges are not part of the mirror",
    "CREATE FUNCTION": "code is not part of the mirror",
    "CREATE PROCEDURE": "code is not part of the mirror",
    "CREATE TRIGGER": "triggers are not part of the mirror",
    "CREATE POLICY": "row-level security policies are not part of the mirror",
    "ROW LEVEL SECURITY": "row-level security is not part of the mirror",
    "CREATE EXTENSION": "extensions are not part of the mirror",
    "CREATE SCHEMA": "a schema is known by the objects in it",
    "CREATE SEQUENCE": "a sequence is modelled as its column's autoincrement",
    "ALTER SEQUENCE": "a sequence is modelled as its column's autoincrement",
    "INSERT": "data, not schema",
    "LOCK": "a dump's table locks",
    "UNLOCK": "a dump's table locks",
    "ATTACH PARTITION": "an index partition follows its table's",
}

_WORDS = re.compile(r"[A-Za-z_]+")
_VIEW = re.compile(
    r"\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:ALGORITHM\s*=\s*\w+\s+)?(?:DEFINER\s*=\s*\S+\s+)?"
    r"(?:SQL\s+SECURITY\s+\w+\s+)?(?:TEMP\w*\s+)?(?:RECURSIVE\s+)?(MATERIALIZED\s+)?VIEW\b",
    re.IGNORECASE,
)
_TABLE = re.compile(
    r"\s*CREATE\s+(?:(?:GLOBAL|LOCAL|TEMP|TEMPORARY|UNLOGGED|FOREIGN)\s+)*TABLE\b", re.IGNORECASE
)
_DEFINER = re.compile(r"\bDEFINER\s*=\s*(?:`[^`]*`|'[^']*'|[^\s@]+)(?:@(?:`[^`]*`|'[^']*'|\S+))?",
                      re.IGNORECASE)  # fmt: skip
_COMMENT_ON = re.compile(
    r"\s*COMMENT\s+ON\s+(COLUMN|TABLE|VIEW|MATERIALIZED\s+VIEW|FOREIGN\s+TABLE|\w+(?:\s+\w+)?)\b",
    re.IGNORECASE,
)
#: what may follow a SQLite table's body, which sqlglot 30 does not read
_TABLE_OPTIONS = re.compile(r"^(?:\s*,?\s*(?:WITHOUT\s+ROWID|STRICT))+\s*$", re.IGNORECASE)
_INDEX = re.compile(r"\s*CREATE\s+(?:UNIQUE\s+|FULLTEXT\s+|SPATIAL\s+)?INDEX\b", re.IGNORECASE)
_ALTER_TABLE_WHAT = re.compile(
    r"\b(OWNER\s+TO|ATTACH\s+PARTITION|DETACH\s+PARTITION|(?:ENABLE|DISABLE|FORCE|NO\s+FORCE)"
    r"\s+ROW\s+LEVEL\s+SECURITY|REPLICA\s+IDENTITY|CLUSTER\s+ON|SET\s+WITHOUT|SET\s+\(|"
    r"ADD\s+GENERATED|SET\s+STATISTICS|SET\s+STORAGE|INHERIT|ENABLE\s+TRIGGER|DISABLE\s+TRIGGER"
    r"|DISABLE\s+KEYS|ENABLE\s+KEYS)\b",
    re.IGNORECASE,
)


def _kind(sql: str) -> str:
    """Name a statement's kind by its first words (`CREATE TABLE`, `ALTER TABLE`, `SET`)."""
    if _TABLE.match(sql):
        return "CREATE TABLE"
    if m := _VIEW.match(sql):
        return "CREATE MATERIALIZED VIEW" if m.group(1) else "CREATE VIEW"
    if _INDEX.match(sql):
        return "CREATE INDEX"
    head = _DEFINER.sub(" ", sql[:200])  # mysqldump: `CREATE DEFINER=`root`@`%` TRIGGER`
    words: list[str] = [str(w).upper() for w in _WORDS.findall(head)[:4]]
    if not words:
        return "empty"
    if words[0] == "CREATE" and len(words) > 1:
        rest = words[1:]
        if rest[:2] == ["OR", "REPLACE"]:
            rest = rest[2:]
        if rest and rest[0] in ("DEFINER", "TRUSTED", "PROCEDURAL"):
            rest = rest[1:]
        return "CREATE " + (rest[0] if rest else "")
    if words[0] in ("ALTER", "DROP", "COMMENT") and len(words) > 1:
        if words[1] in ("MATERIALIZED", "FOREIGN") and len(words) > 2:
            return f"{words[0]} {words[1]} {words[2]}"
        return f"{words[0]} {words[1]}"
    return str(words[0])


@dataclass
class _Work:
    """One application of statements: the relations, enums and notes so far (per call)."""

    dialect: Dialect
    rich: bool
    relations: dict[Key, _Relation]
    enums: dict[Key, dict[str, Any]]
    notes: list[Note]
    defaults: CatalogDefaults
    skipped: dict[str, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))
    sqlglot: Any = None

    @classmethod
    def start(cls, schema: Schema, dialect: Dialect, rich: bool) -> _Work:
        """Begin from `schema`'s tables, views, enums and notes."""
        relations: dict[Key, _Relation] = {}
        objects: list[Table | View] = [*schema.tables, *schema.views]
        for obj in objects:
            rel = _Relation(obj.db_schema, obj.name, view=isinstance(obj, View))
            data = obj.model_dump(by_alias=False)
            rel.columns = {c["name"]: c for c in data.pop("columns", ())}
            rel.comment = data.pop("comment", None)
            if isinstance(obj, View):
                rel.definition = data.pop("definition", None)
            else:
                rel.primary_key = data.pop("primary_key", None)
                rel.indexes = {i["name"]: i for i in data.pop("indexes", ())}
                rel.foreign_keys = {
                    f["name"] or f"#{n}": f for n, f in enumerate(data.pop("foreign_keys", ()))
                }
                rel.checks = {c["name"]: c for c in data.pop("checks", ())}
            data.pop("name")
            data.pop("db_schema")
            rel.base = data
            relations[(obj.db_schema, obj.name)] = rel
        enums = {(e.db_schema, e.name): e.model_dump(by_alias=False) for e in schema.enums}
        return cls(
            dialect=dialect,
            rich=rich,
            relations=relations,
            enums=enums,
            notes=list(schema.notes),
            defaults=CatalogDefaults(dialect.name),
            sqlglot=SqlglotDialect.get_or_raise(dialect.sqlglot),
        )

    # ----------------------------------------------------------------------- dispatch

    def apply(self, st: Statement) -> None:
        """Apply one statement."""
        if st.meta:
            self.skip("psql", st)
            return
        kind = _kind(st.sql)
        handler = _HANDLERS.get(kind)
        if handler is None:
            self.skip(kind, st)
            return
        handler(self, st)

    def skip(self, kind: str, st: Statement, reason: str | None = None) -> None:
        """Record a statement that is not modelled (one note per kind, with its lines)."""
        self.skipped[kind].append((reason or REASONS.get(kind, ""), st.line))

    # ----------------------------------------------------------------------- sqlglot

    def tokens(self, st: Statement) -> list[Token]:
        """Tokenize a statement (an error names its place)."""
        try:
            tokens = list(self.sqlglot.tokenize(st.sql))
        except TokenError as err:
            raise _error(st, 0, f"cannot read this SQL ({_first_line(err)})") from err
        return _joined_types(tokens)

    def parse(self, st: Statement, tokens: list[Token]) -> exp.Expression:
        """Parse a tokenized statement into sqlglot's AST (an error names its place)."""
        try:
            trees = self.sqlglot.parser(error_level=ErrorLevel.RAISE).parse(tokens, st.sql)
        except ParseError as err:
            first = err.errors[0] if err.errors else {}
            line, col = int(first.get("line") or 1), int(first.get("col") or 1)
            at = (st.line + line - 1, col if line > 1 else st.col + col - 1)
            what = _TOKEN_REPR.sub(r"\1", str(first.get("description") or _first_line(err)))
            raise SourceError(
                f"cannot parse this {_kind(st.sql)} statement ({what}); correct the SQL, or give "
                "the dump's dialect with --dialect",
                file=st.path,
                line=at[0],
                col=at[1],
            ) from err
        except (RecursionError, ValueError) as err:
            raise _error(st, 0, f"cannot parse this statement ({type(err).__name__})") from err
        tree = trees[0] if trees else None
        if tree is None:
            raise _error(st, 0, "this statement is empty")
        return cast("exp.Expression", tree)

    # ----------------------------------------------------------------------- names

    def name(self, node: Any) -> str:
        """An identifier's name as the catalog stores it (unquoted ones folded)."""

        if node is None:
            return ""
        if isinstance(node, exp.Identifier):
            return node.this if node.quoted else self.dialect.fold(node.this)
        if isinstance(node, exp.Column | exp.Table):
            return self.name(node.this)
        return self.dialect.fold(str(node.name))

    def key(self, table: exp.Expression) -> Key:
        """The (schema, name) of a table node (the dialect's default schema when unqualified)."""
        db = table.args.get("db")
        schema = self.name(db) if db is not None else self.dialect.default_schema
        return (schema, self.name(table.this))

    def relation(self, st: Statement, key: Key, *, view: bool = False) -> _Relation:
        """The table (or view) `key`; an error when the statements never created it."""
        rel = self.relations.get(key)
        if rel is None:
            what = "view" if view else "table"
            raise _error(
                st, 0, f"{what} {_shown(key)} does not exist (not created by an earlier statement)"
            )
        return rel

    def note(self, obj: str, message: str) -> None:
        """Add a note to the mirror."""
        self.notes.append(Note(object=obj, message=message))

    # ----------------------------------------------------------------------- result

    def finish(self, schema: Schema, keep: tuple[str, ...]) -> Schema:
        """Build the models, once."""
        for kind, seen in sorted(self.skipped.items()):
            lines = [str(line) for _, line in seen]
            shown = ", ".join(lines[:8]) + (f", … ({len(lines)} in all)" if len(lines) > 8 else "")
            reason = seen[0][0] or "not part of the mirror"
            self.notes.append(
                Note(
                    object="(ddl)",
                    message=f"{kind} not modelled ({reason}): line{'s' if len(lines) > 1 else ''}"
                    f" {shown}",
                )
            )
        tables: list[Table] = []
        views: list[View] = []
        for (nsp, _), rel in sorted(self.relations.items(), key=lambda kv: str(kv[0])):
            if (keep and nsp not in keep) or (not rel.view and rel.name in EXCLUDED_TABLES):
                continue
            if self.dialect.internal and rel.name.startswith(self.dialect.internal):
                continue  # SQLite's own tables (sqlite_sequence), as introspection skips them
            self.notes.extend(rel.notes)
            common: dict[str, Any] = {
                **rel.base,
                "name": rel.name,
                "db_schema": rel.schema,
                "comment": rel.comment,
                "columns": list(rel.columns.values()),
            }
            if rel.view:
                views.append(View.model_validate({**common, "definition": rel.definition}))
                continue
            tables.append(
                Table.model_validate(
                    {
                        **common,
                        "primary_key": rel.primary_key,
                        "indexes": list(rel.indexes.values()),
                        "foreign_keys": list(rel.foreign_keys.values()),
                        "checks": list(rel.checks.values()),
                    }
                )
            )
        # an enum without values has no rows in the catalog introspection reads (pg_enum)
        enums = [
            Enum.model_validate(e)
            for (nsp, _), e in self.enums.items()
            if (not keep or nsp in keep) and e["values"]
        ]
        out = Schema(
            provider=self.dialect.provider,
            source=schema.source,
            tables=tuple(tables),
            views=tuple(views),
            enums=tuple(enums),
            relations=relations_from_fks(tables),
            notes=tuple(self.notes),
        )
        return carry_over(out, schema) if schema.tables or schema.views else out


#: Multi-word type names sqlglot's parser does not know, as one word it does (pg_dump writes
#: `bit varying(5)`, format_type's spelling; sqlglot 30 stops at `varying`)
_JOINED_TYPES = {("BIT", "VARYING"): "varbit"}


def _joined_types(tokens: list[Token]) -> list[Token]:
    """Return `tokens` with each `_JOINED_TYPES` pair as one token spanning both (the text
    the mirror takes stays the statement's own)."""
    if not any(t.token_type == _T_BIT for t in tokens):
        return tokens
    out: list[Token] = []
    for tok in tokens:
        prev = out[-1] if out else None
        joined = (
            _JOINED_TYPES.get((prev.text.upper(), tok.text.upper())) if prev is not None else None
        )
        if prev is not None and joined is not None:
            out[-1] = Token(_T_VAR, joined, prev.line, prev.col, prev.start, tok.end)
            continue
        out.append(tok)
    return out


#: sqlglot's repr of a token in its messages -> the token's text
_TOKEN_REPR = re.compile(r"<Token token_type: [^,]+, text: (.*?), line: \d+.*?>")


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0][:200] if text else type(err).__name__


def _error(st: Statement, offset: int, what: str) -> SourceError:
    line, col = st.where(offset)
    return SourceError(f"{what}; correct the SQL (or give --dialect)", file=st.path, line=line,
                       col=col)  # fmt: skip


def _shown(key: Key) -> str:
    return f"{key[0]}.{key[1]}" if key[0] else key[1]


# --------------------------------------------------------------------------- token helpers


def _is_word(tok: Token, *words: str) -> bool:

    if tok.token_type in (_T_STRING, _T_IDENTIFIER):
        return False
    text = tok.text.upper()
    # sqlglot makes one token of `PRIMARY KEY`, `PARTITION BY`: its first word counts too
    return text in words or (" " in text and text.split(" ", 1)[0] in words)


def _closing(tokens: list[Token], i: int) -> int:
    """Index of the bracket closing the one at `i`."""

    depth = 0
    for j in range(i, len(tokens)):
        tt = tokens[j].token_type
        if tt in (_T_L_PAREN, _T_L_BRACKET):
            depth += 1
        elif tt in (_T_R_PAREN, _T_R_BRACKET):
            depth -= 1
            if depth == 0:
                return j
    return len(tokens) - 1


def _items(tokens: list[Token], open_at: int) -> list[tuple[int, int]]:
    """The (first, last) token indexes of the comma-separated items inside brackets."""

    out: list[tuple[int, int]] = []
    depth = 0
    start = open_at + 1
    for j in range(open_at, len(tokens)):
        tt = tokens[j].token_type
        if tt in (_T_L_PAREN, _T_L_BRACKET):
            depth += 1
        elif tt in (_T_R_PAREN, _T_R_BRACKET):
            depth -= 1
            if depth == 0:
                if j > start:
                    out.append((start, j - 1))
                return out
        elif tt == _T_COMMA and depth == 1:
            out.append((start, j - 1))
            start = j + 1
    return out


def _text(st: Statement, tokens: list[Token], first: int, last: int) -> str:
    """The statement's own text from token `first` to token `last` (inclusive)."""
    if last < first:
        return ""
    return st.sql[tokens[first].start : tokens[last].end + 1]


def _local_text(work: _Work, st: Statement, tokens: list[Token], first: int, last: int) -> str:
    """The statement's text from token `first` to `last`, without the default schema's
    qualifier (`public.orders` -> `orders`): the catalog prints names as the search path
    (`"$user", public`) sees them, pg_dump qualifies every one."""

    schema = work.dialect.default_schema
    if schema is None or last < first:
        return _text(st, tokens, first, last)
    out: list[str] = []
    at = tokens[first].start
    for j in range(first, last):
        tok = tokens[j]
        if (
            tok.token_type == _T_VAR
            and tok.text == schema
            and tokens[j + 1].token_type == _T_DOT
            and (j == 0 or tokens[j - 1].token_type != _T_DOT)
        ):
            out.append(st.sql[at : tok.start])
            at = tokens[j + 1].end + 1
    out.append(st.sql[at : tokens[last].end + 1])
    return "".join(out)


def _find(tokens: list[Token], start: int, end: int, *words: str) -> int:
    """Index of the first token in [start, end] at bracket depth 0 that is one of `words`."""

    depth = 0
    for j in range(start, end + 1):
        tt = tokens[j].token_type
        if tt in (_T_L_PAREN, _T_L_BRACKET):
            depth += 1
        elif tt in (_T_R_PAREN, _T_R_BRACKET):
            depth -= 1
        elif depth == 0 and _is_word(tokens[j], *words):
            return j
    return -1


def _inner(st: Statement, tokens: list[Token], open_at: int) -> str:
    """The text inside the brackets opening at token `open_at`."""
    close = _closing(tokens, open_at)
    return _text(st, tokens, open_at + 1, close - 1)


def _after_name(tokens: list[Token], node: exp.Expression) -> int:
    """Index of the first token after a (possibly qualified) name node."""
    end = max((n.meta.get("end", -1) for n in node.walk() if n.meta), default=-1)
    for j, tok in enumerate(tokens):
        if tok.start > end:
            return j
    return len(tokens)


_DEFAULT_STOPS = (
    "NOT",
    "NULL",
    "CONSTRAINT",
    "GENERATED",
    "COLLATE",
    "PRIMARY",
    "UNIQUE",
    "REFERENCES",
    "CHECK",
    "COMMENT",
    "AUTO_INCREMENT",
    "AUTOINCREMENT",
    "ON",
    "INVISIBLE",
    "VISIBLE",
    "AS",
)


def _clause_end(tokens: list[Token], start: int, end: int) -> int:
    """The last token of a DEFAULT clause's expression starting at `start`."""

    depth = 0
    for j in range(start, end + 1):
        tok = tokens[j]
        tt = tok.token_type
        if tt in (_T_L_PAREN, _T_L_BRACKET):
            depth += 1
        elif tt in (_T_R_PAREN, _T_R_BRACKET):
            depth -= 1
        elif (
            depth == 0
            and j > start
            and _is_word(tok, *_DEFAULT_STOPS)
            and tokens[j - 1].token_type != _T_DCOLON
        ):
            return j - 1
    return end


# --------------------------------------------------------------------------- handlers

_NO_ACTION = {"postgresql": "NO ACTION", "mysql": "RESTRICT", "sqlite": "NO ACTION"}
_ACTIONS = {"CASCADE", "RESTRICT", "NO ACTION", "SET NULL", "SET DEFAULT"}


def _fk(
    work: _Work, table: _Relation, name: str | None, cols: list[str], ref: exp.Expression
) -> dict[str, Any]:
    """A foreign key's fields from sqlglot's `Reference` node."""

    target = ref.this
    ref_table = target.this if isinstance(target, exp.Schema) else target
    ref_cols = [work.name(c) for c in target.expressions] if isinstance(target, exp.Schema) else []
    ref_key = work.key(ref_table)
    if not ref_cols:  # `REFERENCES t` means t's primary key
        ref_rel = work.relations.get(ref_key)
        ref_cols = list(ref_rel.primary_key["columns"]) if ref_rel and ref_rel.primary_key else []
    # what the catalog says of an action the DDL leaves out: InnoDB reports RESTRICT
    on_delete = on_update = _NO_ACTION[work.dialect.name]
    deferrable = None
    for option in ref.args.get("options") or []:
        text = " ".join(str(option).upper().split())
        if text.startswith("ON DELETE ") and text[10:] in _ACTIONS:
            on_delete = text[10:]
        elif text.startswith("ON UPDATE ") and text[10:] in _ACTIONS:
            on_update = text[10:]
        elif text == "DEFERRABLE":
            deferrable = "DEFERRABLE INITIALLY IMMEDIATE"
        elif text == "INITIALLY DEFERRED" and deferrable:
            deferrable = "DEFERRABLE INITIALLY DEFERRED"
    return {
        "name": name,
        "columns": tuple(cols),
        "referenced_schema": ref_key[0],
        "referenced_table": ref_key[1],
        "referenced_columns": tuple(ref_cols),
        "on_delete": on_delete,
        "on_update": on_update,
        "deferrable": deferrable if work.rich else None,
    }


@dataclass(frozen=True)
class _Naming:
    """How a database names a constraint the DDL leaves unnamed (a row per dialect)."""

    primary: str | None  # `{table}_pkey`; None: the key has no name in the mirror
    unique: str
    foreign: str | None
    check: str


_NAMING = {
    "postgresql": _Naming(
        "{table}_pkey", "{table}_{columns}_key", "{table}_{columns}_fkey", "{table}_{columns}_check"
    ),
    "mysql": _Naming(None, "{first}", "{table}_ibfk_{n}", "{columns}"),
    "sqlite": _Naming(None, "sqlite_autoindex_{table}_{n}", None, "{columns}"),
}


def _auto_name(work: _Work, table: _Relation, kind: str, cols: list[str]) -> str | None:
    naming = _NAMING[work.dialect.name]
    pattern: str | None = getattr(naming, kind)
    if pattern is None:
        return None
    n = 1 + sum(
        1
        for i in (*table.indexes, *table.foreign_keys)
        if i.startswith(("sqlite_autoindex_", f"{table.name}_ibfk_"))
    )
    return pattern.format(
        table=table.name, columns="_".join(cols), first=cols[0] if cols else "", n=n
    )


def _add_constraint(
    work: _Work,
    st: Statement,
    table: _Relation,
    name: str | None,
    node: exp.Expression,
    text: str,
) -> None:
    """Add a table constraint (PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK, EXCLUDE, a MySQL KEY).

    `text` is the constraint's own text from its keyword on (`CHECK ((qty > 0))`).
    """

    if isinstance(node, exp.PrimaryKey | exp.PrimaryKeyColumnConstraint):
        cols = [work.name(c) for c in node.expressions]
        if work.dialect.name != "postgresql":
            name = None
        table.primary_key = {
            "name": name or _auto_name(work, table, "primary", cols),
            "columns": tuple(cols),
        }
        for col in cols:
            if col in table.columns:
                table.columns[col]["nullable"] = False
        return
    if isinstance(node, exp.ForeignKey):
        cols = [work.name(c) for c in node.expressions]
        fk_name = name or _auto_name(work, table, "foreign", cols)
        table.foreign_keys[fk_name or f"#{len(table.foreign_keys)}"] = _fk(
            work, table, fk_name, cols, node.args["reference"]
        )
        return
    if isinstance(node, exp.UniqueColumnConstraint):
        schema_node = node.this
        ident = schema_node.this if isinstance(schema_node, exp.Schema) else None
        parts = schema_node.expressions if isinstance(schema_node, exp.Schema) else []
        cols = [work.name(c) for c in parts]
        index_name = (work.name(ident) if ident is not None else name) or _auto_name(
            work, table, "unique", cols
        )
        assert index_name is not None
        table.indexes[index_name] = {
            "name": index_name,
            "unique": True,
            "columns": [{"name": c} for c in cols],
        }
        return
    if isinstance(node, exp.IndexColumnConstraint):
        _add_key(work, table, node, text)
        return
    if isinstance(node, exp.CheckColumnConstraint | exp.Check):
        _add_check(work, table, name, text)
        return
    if isinstance(node, exp.ExcludeColumnConstraint):
        work.note(
            table.name,
            f"exclusion constraint {name}: {text}; Prisma cannot represent exclusion constraints",
        )
        return
    work.skip(f"constraint {type(node).__name__}", st, "not modelled")


_CHECK_WORD = re.compile(r"^\s*CHECK\s*", re.IGNORECASE)


def _add_check(work: _Work, table: _Relation, name: str | None, text: str) -> None:
    """A check constraint: the mirror's expression as the catalog prints it (dialect rule)."""
    body = _CHECK_WORD.sub("", text).strip()
    if work.dialect.name == "postgresql":
        body = _PG_CAST_CONSTANT.sub(r"\1::", _pretty_parens(body))
    if work.dialect.name != "postgresql" and body.startswith("(") and body.endswith(")"):
        body = body[1:-1].strip()  # MySQL's CHECK_CLAUSE and SQLite's are inside the brackets
    check_name = name or _auto_name(work, table, "check", [])
    if work.dialect.name == "mysql" and check_name == "" and table.columns:
        check_name = next(reversed(table.columns))
    check_name = check_name or ""
    if work.dialect.name == "mysql":
        col = table.columns.get(check_name)
        if col is not None and " ".join(body.split()) == f"json_valid(`{check_name}`)":
            if col["db_type"] == "longtext":  # MariaDB's JSON is LONGTEXT + json_valid
                col["db_type"] = "json"
                col["type"] = "Json"
            return
        body = " ".join(body.split())
    if work.rich:
        table.checks[check_name] = {"name": check_name, "expression": body}
    if work.dialect.name == "sqlite" or (work.rich and not _NOTES_WHEN_RICH[work.dialect.name]):
        return
    shown = f"CHECK ({body})" if work.dialect.name != "postgresql" else f"CHECK {body}"
    work.note(
        table.name,
        f"check constraint {check_name}: {shown}; Prisma cannot represent check constraints",
    )


#: `(0)::numeric`, `(slug)::text` (pg_dump) -> `0::numeric`, `slug::text` (the pretty form
#: introspection reads): a bracketed number or column name before a cast
_PG_CAST_CONSTANT = re.compile(r'(?<![\w)])\((\d+(?:\.\d+)?|[A-Za-z_]\w*|"[^"]+")\)::')


def _pretty_parens(body: str) -> str:
    """`((qty > 0))` (pg_dump's `pg_get_constraintdef`) -> `(qty > 0)` (the pretty form
    introspection reads): one redundant outer pair of brackets dropped, nothing else."""
    if (
        body.startswith("((")
        and _matching(body, 0) == len(body) - 1
        and (_matching(body, 1) == len(body) - 2)
    ):
        return body[1:-1]
    return body


def _matching(text: str, at: int) -> int:
    """Index of the bracket closing the one at `at` (quotes skipped), or -1."""
    depth = 0
    quote = ""
    for j in range(at, len(text)):
        ch = text[j]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return j
    return -1


def _add_key(work: _Work, table: _Relation, node: exp.Expression, text: str) -> None:
    """A MySQL `KEY`/`FULLTEXT KEY`/`SPATIAL KEY` in a CREATE TABLE."""

    cols: list[dict[str, Any]] = []
    for part in node.expressions:
        desc = isinstance(part, exp.Ordered) and bool(part.args.get("desc"))
        inner = part.this if isinstance(part, exp.Ordered) else part
        length = None
        if isinstance(inner, exp.ColumnPrefix):
            length = int(inner.expression.name)
            inner = inner.this
        cols.append({"name": work.name(inner), "sort": "desc" if desc else None, "length": length})
    # FULLTEXT / SPATIAL; `USING HASH` is not: InnoDB keeps a B-tree (STATISTICS says BTREE)
    itype = str(node.args.get("kind") or "").lower() or None
    name = work.name(node.this) if node.this is not None else (cols[0]["name"] if cols else "")
    table.indexes[name] = {
        "name": name,
        "unique": False,
        "type": None if itype in (None, "btree") else itype,
        "columns": cols,
    }


def _column(
    work: _Work, st: Statement, tokens: list[Token], span: tuple[int, int], table: _Relation,
    node: exp.ColumnDef,
) -> None:  # fmt: skip
    """Add one column of a CREATE TABLE (or ALTER TABLE … ADD COLUMN)."""

    d = work.dialect
    first, last = span
    name = work.name(node.this)
    stop = _find(tokens, first + 1, last, *d.type_stops)
    type_end = (stop - 1) if stop >= 0 else last
    written = _text(st, tokens, first + 1, type_end)
    type_tokens = tokens[first + 1 : type_end + 1]
    qualified: tuple[str, ...] = ()
    if any(t.token_type == _T_DOT for t in type_tokens[:3]):
        parts = [t for t in type_tokens if t.token_type != _T_DOT]
        qualified = tuple(
            t.text if t.token_type == _T_IDENTIFIER else d.fold(t.text) for t in parts[:2]
        )
        written = written.split("[", 1)[0] if "[" not in written else written
    elif type_tokens and d.default_schema is not None:
        bare = type_tokens[0]
        bare_name = bare.text if bare.token_type == _T_IDENTIFIER else d.fold(bare.text)
        if (d.default_schema, bare_name) in work.enums:
            qualified = (d.default_schema, bare_name)
    if not written.strip() and d.name != "sqlite":
        raise _error(st, tokens[first].start, f"column {name} has no type")
    ctype = d.column_type(written, qualified, work.enums)
    serial = d.name == "postgresql" and written.strip().lower() in (
        "serial", "bigserial", "smallserial", "serial4", "serial8", "serial2",
    )  # fmt: skip
    col: dict[str, Any] = {
        "name": name,
        "type": ctype.type,
        "db_type": ctype.db_type,
        "list": ctype.list,
        "nullable": not serial,
        "autoincrement": serial,
        "default": None,
    }
    if ctype.enum_values is not None:  # MySQL: an inline enum is an enum of the mirror
        enum_name = f"{table.name}_{name}"
        col["type"] = enum_name
        work.enums[(None, enum_name)] = {
            "name": enum_name,
            "values": [{"name": v} for v in ctype.enum_values],
        }
    generated: str | None = None
    for constraint in node.args.get("constraints") or []:
        kind = constraint.args.get("kind")
        cname = work.name(constraint.this) if constraint.this is not None else None
        if isinstance(kind, exp.NotNullColumnConstraint):
            col["nullable"] = bool(kind.args.get("allow_null"))
        elif isinstance(kind, exp.AutoIncrementColumnConstraint):
            col["autoincrement"] = True
        elif isinstance(kind, exp.CommentColumnConstraint):
            col["comment"] = kind.this.name or None
        elif (
            isinstance(kind, exp.GeneratedAsIdentityColumnConstraint)
            and kind.args.get("expression") is None
        ):
            col["autoincrement"] = True
            col["nullable"] = False
            if work.rich:
                col["identity"] = "ALWAYS" if kind.this else "BY DEFAULT"
        elif isinstance(
            kind, exp.GeneratedAsIdentityColumnConstraint | exp.ComputedColumnConstraint
        ):
            at = _find(tokens, first + 1, last, "AS")
            opened = at + 1 if at >= 0 else -1
            if opened > 0 and tokens[opened].token_type == _T_L_PAREN:
                generated = _local_text(work, st, tokens, opened + 1,
                                        _closing(tokens, opened) - 1)  # fmt: skip
        elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
            table.columns[name] = col
            _add_constraint(work, st, table, cname, exp.PrimaryKey(expressions=[node.this]), "")
        elif isinstance(kind, exp.UniqueColumnConstraint):
            index_name = cname or _auto_name(work, table, "unique", [name])
            table.indexes[index_name or name] = {
                "name": index_name or name, "unique": True, "columns": [{"name": name}],
            }  # fmt: skip
        elif isinstance(kind, exp.Reference):
            fk_name = cname or _auto_name(work, table, "foreign", [name])
            table.foreign_keys[fk_name or f"#{len(table.foreign_keys)}"] = _fk(
                work, table, fk_name, [name], kind
            )
        elif isinstance(kind, exp.CheckColumnConstraint):
            at = _find(tokens, first + 1, last, "CHECK")
            close = _closing(tokens, at + 1)
            table.columns[name] = col
            check_name = cname or _auto_name(work, table, "check", [name])
            if d.name == "mysql":
                check_name = cname or name  # MariaDB names a column check after the column
            _add_check(work, table, check_name, _local_text(work, st, tokens, at, close))
    if any(isinstance(c.args.get("kind"), exp.OnUpdateColumnConstraint)
           for c in node.args.get("constraints") or []):  # fmt: skip
        # neither the model nor introspection has a field for MySQL's ON UPDATE
        work.skip("column ON UPDATE", st, "the mirror has no field for it")
    at_default = _find(tokens, first + 1, last, "DEFAULT")
    if at_default >= 0 and generated is None:
        end = _clause_end(tokens, at_default + 1, last)
        text = _local_text(work, st, tokens, at_default + 1, end)
        if d.name == "mysql" and text.upper() == "NULL":
            text = ""
        cleaned = work.defaults(text or None)
        col["default"] = cleaned.default
        col["autoincrement"] = col["autoincrement"] or cleaned.autoincrement
        if cleaned.note:
            work.note(f"{table.name}.{name}", cleaned.note)
    if generated is not None:
        _generated(work, table, col, generated, tokens, first, last)
    table.columns[name] = col


#: How a generated column reads in the mirror, per dialect: the note's words, and whether the
#: expression keeps the DDL's own brackets (PostgreSQL's `pg_get_expr` prints them)
_GENERATED_NOTE = {
    "postgresql": "generated column: GENERATED ALWAYS AS ({expr}) STORED; Prisma cannot "
    "represent it",
    "mysql": "generated column: AS ({expr}); Prisma cannot represent it",
    "sqlite": "generated column: Prisma cannot represent it",
}


#: Whether introspection also notes what `rich` models (PostgreSQL's and SQLite's notes stay)
_NOTES_WHEN_RICH = {"postgresql": True, "mysql": False, "sqlite": True}


def _generated(
    work: _Work, table: _Relation, col: dict[str, Any], expr: str, tokens: list[Token],
    first: int, last: int,
) -> None:  # fmt: skip
    shown = expr if work.dialect.name != "mysql" else " ".join(expr.split())
    if work.rich:
        col["generated"] = shown
    if not work.rich or _NOTES_WHEN_RICH[work.dialect.name]:
        work.note(
            f"{table.name}.{col['name']}",
            _GENERATED_NOTE[work.dialect.name].format(expr=expr),
        )


def create_table(work: _Work, st: Statement) -> None:
    """CREATE TABLE: columns, inline and table constraints, comment, partitioning notes."""

    tokens = work.tokens(st)
    # the partitioning clause is a note; sqlglot 30 does not read MySQL's partition list
    # (`(PARTITION p VALUES LESS THAN (2025) ENGINE = InnoDB, …)`), so it is cut before parsing
    body_at = next((j for j, t in enumerate(tokens) if t.token_type == _T_L_PAREN), -1)
    partkey: str | None = None
    body_end = _closing(tokens, body_at) if body_at >= 0 else -1
    tail = st.sql[tokens[body_end].end + 1 :].strip() if body_at >= 0 else ""
    if tail and _TABLE_OPTIONS.match(tail):
        st = replace(st, sql=st.sql[: tokens[body_end].end + 1])
        tokens = work.tokens(st)
    elif tail:
        at = _find(tokens, body_end + 1, len(tokens) - 1, "PARTITION BY")
        if at >= 0:
            partkey = _text(st, tokens, at + 1, len(tokens) - 1)
            st = replace(st, sql=st.sql[: tokens[at].start].rstrip())
            tokens = work.tokens(st)
    tree = work.parse(st, tokens)
    schema_node = tree.this
    if not isinstance(tree, exp.Create) or schema_node is None:
        work.skip("CREATE TABLE", st, "not a form schemasync reads")
        return
    table_node = schema_node.this if isinstance(schema_node, exp.Schema) else schema_node
    key = work.key(table_node)
    rel = _Relation(key[0], key[1])
    work.relations[key] = rel
    if re.match(r"\s*CREATE\s+FOREIGN\b", st.sql, re.IGNORECASE):
        work.note(rel.name, "foreign table: Prisma cannot create it")
    props = tree.args.get("properties")
    for prop in props.expressions if props is not None else []:
        if isinstance(prop, exp.SchemaCommentProperty):
            rel.comment = prop.this.name or None
        elif isinstance(prop, exp.PartitionedOfProperty):
            parent = work.key(prop.this)
            source = work.relations.get(parent)
            if source is not None:
                rel.columns = {k: dict(v) for k, v in source.columns.items()}
            work.note(rel.name, f"partition of {_shown(parent)}")
    after = _after_name(tokens, table_node)
    if not isinstance(schema_node, exp.Schema):
        pass
    elif after < len(tokens) and tokens[after].token_type == _T_L_PAREN:
        spans = _items(tokens, after)
        for first, last in spans:
            if last < first:  # `(a int,, b int)`: sqlglot skips the empty item
                raise _error(st, tokens[first].start if first < len(tokens) else 0,
                             "an empty item in the column list (two commas)")  # fmt: skip
        for node, span in zip(schema_node.expressions, spans, strict=False):
            if isinstance(node, exp.Identifier):  # SQLite: a column without a type
                node = exp.ColumnDef(this=node)
            if isinstance(node, exp.ColumnDef):
                _column(work, st, tokens, span, rel, node)
                continue
            cname: str | None = None
            if isinstance(node, exp.Constraint):
                cname = work.name(node.this)
                node = node.expressions[0] if node.expressions else node
            kw = span[0]
            if _is_word(tokens[kw], "CONSTRAINT"):
                kw += 2
            _add_constraint(work, st, rel, cname, node, _local_text(work, st, tokens, kw, span[1]))
        if partkey is not None:
            partkey = re.split(r"\s+(?:ENGINE|WITH|TABLESPACE)\b", partkey, maxsplit=1)[0]
            if work.dialect.name == "postgresql":
                work.note(
                    rel.name,
                    f"partitioned table: PARTITION BY {partkey}; Prisma cannot represent "
                    "partitioning",
                )
            else:
                work.note(rel.name, "partitioned table: Prisma cannot represent it")
    if work.dialect.name == "sqlite":
        _sqlite_finish(rel, st.sql)


def _sqlite_finish(rel: _Relation, sql: str) -> None:
    """SQLite: an INTEGER PRIMARY KEY is the rowid (never NULL); AUTOINCREMENT on it."""
    pk: tuple[str, ...] = tuple(rel.primary_key["columns"]) if rel.primary_key else ()
    for name in pk:
        col = rel.columns.get(name)
        if col is not None and col["db_type"] == "integer":
            col["nullable"] = False
    if len(pk) == 1 and re.search(r"\bAUTOINCREMENT\b", sql, re.IGNORECASE):
        rel.columns[pk[0]]["autoincrement"] = True
    elif len(pk) != 1 or rel.columns.get(pk[0], {}).get("db_type") != "integer":
        for name in pk:
            if name in rel.columns:
                rel.columns[name]["autoincrement"] = False


def alter_table(work: _Work, st: Statement) -> None:
    """ALTER TABLE: ADD CONSTRAINT, ALTER COLUMN … SET DEFAULT / ADD GENERATED … AS IDENTITY,
    ADD/DROP COLUMN, ATTACH PARTITION; owners, RLS switches and the like are notes."""

    what = _ALTER_TABLE_WHAT.search(st.sql)
    if what is not None:
        word = " ".join(what.group(1).upper().split())
        if word == "ADD GENERATED":
            _add_identity(work, st)
        elif word == "ATTACH PARTITION":
            _attach(work, st)
        elif word.endswith("ROW LEVEL SECURITY"):
            work.skip("ROW LEVEL SECURITY", st)
        else:
            work.skip(word, st, REASONS.get(word, "not part of the mirror"))
        return
    tokens = work.tokens(st)
    tree = work.parse(st, tokens)
    if not isinstance(tree, exp.Alter):
        work.skip("ALTER TABLE", st, "a form sqlglot does not read")
        return
    rel = work.relation(st, work.key(tree.this))
    for action in tree.args.get("actions") or []:
        if isinstance(action, exp.AddConstraint):
            for constraint in action.expressions:
                name = (
                    work.name(constraint.this) if isinstance(constraint, exp.Constraint) else None
                )
                node = (
                    constraint.expressions[0]
                    if isinstance(constraint, exp.Constraint)
                    else constraint
                )
                kw = _find(tokens, 0, len(tokens) - 1, "PRIMARY", "FOREIGN", "UNIQUE", "CHECK",
                           "EXCLUDE")  # fmt: skip
                _add_constraint(
                    work, st, rel, name, node, _local_text(work, st, tokens, kw, len(tokens) - 1)
                )
        elif isinstance(action, exp.AlterColumn):
            col = rel.columns.get(work.name(action.this))
            if col is None:
                raise _error(st, 0, f"column {work.name(action.this)} of {rel.name} does not exist")
            if action.args.get("default") is not None:
                at = _find(tokens, 0, len(tokens) - 1, "DEFAULT")
                cleaned = work.defaults(_local_text(work, st, tokens, at + 1, len(tokens) - 1))
                col["default"] = cleaned.default
                col["autoincrement"] = col["autoincrement"] or cleaned.autoincrement
                if cleaned.note:
                    work.note(f"{rel.name}.{col['name']}", cleaned.note)
            elif action.args.get("drop") and action.args.get("allow_null") is None:
                col["default"] = None
            elif action.args.get("allow_null") is not None:
                col["nullable"] = bool(action.args.get("allow_null"))
            elif action.args.get("dtype") is not None:  # proposals: ALTER COLUMN … TYPE
                at = _find(tokens, 0, len(tokens) - 1, "TYPE")
                end = _find(tokens, at + 1, len(tokens) - 1, "USING", "COLLATE")
                written = _text(st, tokens, at + 1, end - 1 if end >= 0 else len(tokens) - 1)
                ctype = work.dialect.column_type(written, (), work.enums)
                col.update(type=ctype.type, db_type=ctype.db_type, list=ctype.list)
            else:
                work.skip("ALTER COLUMN", st, "not modelled")
        elif isinstance(action, exp.ColumnDef):
            span = (_find(tokens, 0, len(tokens) - 1, "COLUMN", "ADD") + 1, len(tokens) - 1)
            if _is_word(tokens[span[0]], "COLUMN"):
                span = (span[0] + 1, span[1])
            _column(work, st, tokens, span, rel, action)
        elif (
            isinstance(action, exp.Drop) and str(action.args.get("kind") or "").upper() == "COLUMN"
        ):
            # sqlglot 30 puts the dropped column(s) in `tables`, earlier ones in `this`
            for dropped in action.args.get("tables") or [action.this]:
                rel.columns.pop(work.name(dropped), None)
        else:
            work.skip(f"ALTER TABLE {type(action).__name__}", st, "not modelled")


def _names(tokens: list[Token], start: int) -> tuple[list[str], int]:
    """Read a dotted name from token `start`: its parts (quoted ones as written), next index."""

    parts: list[str] = []
    j = start
    while j < len(tokens):
        tok = tokens[j]
        parts.append(tok.text if tok.token_type == _T_IDENTIFIER else tok.text.lower())
        if j + 1 < len(tokens) and tokens[j + 1].token_type == _T_DOT:
            j += 2
            continue
        return parts, j + 1
    return parts, j


def _table_at(work: _Work, tokens: list[Token], start: int) -> tuple[Key, int]:
    j = start + 1 if _is_word(tokens[start], "ONLY") else start
    parts, j = _names(tokens, j)
    key: Key = (
        (parts[-2], parts[-1]) if len(parts) > 1 else (work.dialect.default_schema, parts[-1])
    )
    return key, j


def _add_identity(work: _Work, st: Statement) -> None:
    """ALTER TABLE t ALTER COLUMN c ADD GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY (…)."""
    tokens = work.tokens(st)
    key, j = _table_at(work, tokens, 2)
    rel = work.relation(st, key)
    at = _find(tokens, j, len(tokens) - 1, "COLUMN")
    cols, j = _names(tokens, at + 1 if at >= 0 else j + 1)
    col = rel.columns.get(cols[-1])
    if col is None:
        raise _error(st, 0, f"column {cols[-1]} of {rel.name} does not exist")
    col["autoincrement"] = True
    if work.rich:
        always = _find(tokens, j, len(tokens) - 1, "ALWAYS") >= 0
        col["identity"] = "ALWAYS" if always else "BY DEFAULT"


def _attach(work: _Work, st: Statement) -> None:
    """ALTER TABLE parent ATTACH PARTITION child …: a note on the child, as introspection."""
    tokens = work.tokens(st)
    parent, j = _table_at(work, tokens, 2)
    at = _find(tokens, j, len(tokens) - 1, "PARTITION")
    child, _ = _table_at(work, tokens, at + 1)
    work.note(child[1], f"partition of {_shown(parent)}")


def create_index(work: _Work, st: Statement) -> None:
    """CREATE [UNIQUE] INDEX: columns, sort, method; predicates, expressions and operator
    classes as introspection has them (in the model when `rich`, else notes)."""

    tokens = work.tokens(st)
    tree = work.parse(st, tokens)
    index = tree.this
    if not isinstance(index, exp.Index) or index.args.get("table") is None:
        work.skip("CREATE INDEX", st, "a form sqlglot does not read")
        return
    name = work.name(index.this)
    rel = work.relation(st, work.key(index.args["table"]))
    params = index.args.get("params")
    using = params.args.get("using") if params is not None else None
    method = using.name.lower() if using is not None else None
    at = _after_name(tokens, index.args["table"])
    while at < len(tokens) and tokens[at].token_type != _T_L_PAREN:
        at += 1
    spans = _items(tokens, at)
    close = _closing(tokens, at)
    where = _find(tokens, close + 1, len(tokens) - 1, "WHERE")
    predicate = _local_text(work, st, tokens, where + 1, len(tokens) - 1) if where >= 0 else None
    columns: list[dict[str, Any]] = []
    any_expr = False
    opclasses: list[tuple[str, str]] = []
    parts = params.args.get("columns") if params is not None else []
    for part, (first, last) in zip(parts or [], spans, strict=False):
        desc = isinstance(part, exp.Ordered) and bool(part.args.get("desc"))
        inner = part.this if isinstance(part, exp.Ordered) else part
        opclass = None
        while last > first and _is_word(tokens[last], "ASC", "DESC", "FIRST", "LAST", "NULLS"):
            last -= 1
        if isinstance(inner, exp.Opclass):
            opclass = inner.expression.name
            last -= 1
            while last > first and tokens[last].token_type == _T_DOT:
                last -= 2
            inner = inner.this
        if isinstance(inner, exp.Column) and not inner.table:
            cname = work.name(inner)
            columns.append({"name": cname, "sort": "desc" if desc else None, "opclass": opclass})
            if opclass is not None:
                opclasses.append((cname, opclass))
            continue
        any_expr = True
        text = _local_text(work, st, tokens, first, last)
        if text.startswith("(") and _closing(tokens, first) == last:
            text = text[1:-1]
        columns.append(
            {"name": text, "expression": True, "sort": "desc" if desc else None, "opclass": opclass}
        )
    entry = {
        "name": name,
        "unique": bool(tree.args.get("unique")),
        "type": None if method in (None, "btree") else method,
        "columns": columns,
    }
    _index_notes(work, rel, name, st.sql.strip(), predicate, any_expr, opclasses)
    if work.rich and not (any_expr and work.dialect.name == "mysql"):
        rel.indexes[name] = {**entry, "predicate": predicate}
        return
    if any_expr:
        return
    entry["columns"] = [{k: v for k, v in c.items() if k != "opclass"} for c in columns]
    rel.indexes[name] = entry


def _index_notes(
    work: _Work, rel: _Relation, name: str, whole: str, predicate: str | None, any_expr: bool,
    opclasses: list[tuple[str, str]],
) -> None:  # fmt: skip
    """The notes introspection writes about an index, in the same words."""

    dialect = work.dialect.name
    # rich: the model holds what the notes say, except MySQL's expression indexes (never in the
    # model) and PostgreSQL's notes, which introspection writes in both modes
    quiet = work.rich and (not _NOTES_WHEN_RICH[dialect] or dialect == "sqlite")
    if quiet and not (dialect == "mysql" and any_expr):
        return
    if any_expr:
        work.note(
            rel.name,
            f"expression index {name}: Prisma cannot represent it"
            if dialect == "mysql"
            else f"expression index {name}: {whole}; Prisma cannot represent expression indexes",
        )
        return
    if predicate is not None:
        work.note(
            rel.name,
            f"partial index {name}: WHERE {predicate} is not in the mirror; Prisma cannot "
            "represent partial indexes"
            if dialect == "postgresql"
            else f"partial index {name}: its WHERE clause is not in the mirror; Prisma cannot "
            "represent partial indexes",
        )
    if dialect == "postgresql":
        for cname, opclass in opclasses:
            work.note(f"{rel.name}.{cname}", operator_class_note(opclass))


_VIEW_TAIL = re.compile(
    r"\s+WITH\s+(?:(?:LOCAL|CASCADED)\s+)?CHECK\s+OPTION\s*$|\s+WITH\s+(?:NO\s+)?DATA\s*$",
    re.IGNORECASE,
)


def create_view(work: _Work, st: Statement) -> None:
    """CREATE [MATERIALIZED] VIEW: the definition from the text, the columns from the tables
    the select reads (a column that is an expression is a note: its type needs the database)."""

    # sqlglot 30 does not read `WITH NO DATA` (a materialized view) nor `WITH CHECK OPTION`
    tail = _VIEW_TAIL.search(st.sql)
    materialized = _kind(st.sql) == "CREATE MATERIALIZED VIEW"
    if tail is not None:
        st = replace(st, sql=st.sql[: tail.start()])
    tokens = work.tokens(st)
    tree = work.parse(st, tokens)
    target = tree.this
    table_node = target.this if isinstance(target, exp.Schema) else target
    if not isinstance(table_node, exp.Table):
        work.skip("CREATE VIEW", st, "a form sqlglot does not read")
        return
    key = work.key(table_node)
    at = _find(tokens, _after_name(tokens, table_node), len(tokens) - 1, "AS")
    body = _local_text(work, st, tokens, at + 1, len(tokens) - 1) if at >= 0 else ""
    body = _VIEW_TAIL.sub("", body).strip()
    rel = _Relation(key[0], key[1], view=True)
    rel.definition = _VIEW_BODY[work.dialect.name](body) or None
    if materialized:
        work.note(
            rel.name, "materialized view: kept as a view; Prisma introspects only plain views"
        )
    old = work.relations.get(key)
    if old is not None and old.view:
        rel.comment = old.comment
    work.relations[key] = rel
    select = tree.expression
    names = [work.name(c) for c in target.expressions] if isinstance(target, exp.Schema) else []
    if isinstance(select, exp.Query):
        _view_columns(work, rel, select, names)


def _pg_view_body(body: str) -> str:
    return body + ";"


def _plain_body(body: str) -> str:
    return body


_VIEW_BODY = {"postgresql": _pg_view_body, "mysql": _plain_body, "sqlite": _plain_body}


def _view_columns(work: _Work, rel: _Relation, select: exp.Query, names: list[str]) -> None:

    sources: dict[str, _Relation] = {}
    for table in select.find_all(exp.Table):
        src = work.relations.get(work.key(table))
        if src is not None:
            sources[
                work.name(table.args.get("alias") or table.this) if table.alias else src.name
            ] = src
            sources.setdefault(src.name, src)
    only = next(iter(sources.values())) if len({id(s) for s in sources.values()}) == 1 else None
    projections = select.selects if hasattr(select, "selects") else []
    for n, proj in enumerate(projections):
        name = (
            names[n]
            if n < len(names)
            else (proj.alias if proj.alias else work.name(proj.unalias()))
        )
        if proj.alias:
            alias = proj.args.get("alias")
            name = names[n] if n < len(names) else work.name(alias)
        inner = proj.unalias()
        base = None
        if isinstance(inner, exp.Column):
            src = sources.get(work.name(inner.args.get("table"))) if inner.table else only
            base = src.columns.get(work.name(inner)) if src is not None else None
        elif work.dialect.name == "postgresql":
            base = _pg_aggregate(work, inner, sources, only)
        if base is None:
            rel.notes.append(
                Note(
                    object=f"{rel.name}.{name}",
                    message="view column: its type is not known from the DDL (an expression, "
                    "or a table the DDL does not create); not in the mirror",
                )
            )
            continue
        rel.columns[name] = {
            "name": name,
            "type": base["type"],
            "db_type": base["db_type"],
            "list": base.get("list", False),
            "nullable": True if work.dialect.name != "mysql" else base["nullable"],
        }


#: PostgreSQL's result type of an aggregate over a column of type db_type (None: the input's)
_PG_SUM = {"smallint": "bigint", "integer": "bigint", "bigint": "numeric", "real": "real"}
_PG_TYPES = {"bigint": "BigInt", "numeric": "Decimal", "real": "Float", "double precision": "Float"}


def _pg_aggregate(
    work: _Work, node: Any, sources: dict[str, _Relation], only: _Relation | None
) -> dict[str, Any] | None:
    """The type of `count(…)`, `sum(col)`, `min(col)`, `max(col)` in a PostgreSQL view (the
    catalog's: count is bigint, sum widens integers); None for any other expression."""

    if isinstance(node, exp.Count):
        return {"type": "BigInt", "db_type": "bigint"}
    arg = node.this if isinstance(node, exp.Sum | exp.Min | exp.Max) else None
    if not isinstance(arg, exp.Column):
        return None
    src = sources.get(work.name(arg.args.get("table"))) if arg.table else only
    col = src.columns.get(work.name(arg)) if src is not None else None
    if col is None or col.get("list"):
        return None
    if not isinstance(node, exp.Sum):
        return col
    db_type = col["db_type"]
    if db_type.startswith("numeric"):
        return {"type": "Decimal", "db_type": "numeric"}
    widened = _PG_SUM.get(db_type, db_type if db_type in _PG_TYPES else None)
    return {"type": _PG_TYPES[widened], "db_type": widened} if widened else None


def comment_on(work: _Work, st: Statement) -> None:
    """COMMENT ON TABLE / VIEW / COLUMN; on anything else a note."""

    target_kind = _COMMENT_ON.match(st.sql)
    kind_words = " ".join(target_kind.group(1).upper().split()) if target_kind else ""
    if kind_words not in ("COLUMN", "TABLE", "VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE"):
        work.skip(f"COMMENT ON {kind_words.split(' ')[0]}".strip(), st,
                  "comments on objects the mirror does not hold")  # fmt: skip
        return
    tokens = work.tokens(st)
    tree = work.parse(st, tokens)
    if not isinstance(tree, exp.Comment):
        work.skip("COMMENT ON", st, "a form sqlglot does not read")
        return
    kind = str(tree.args.get("kind") or "").upper()
    value = tree.expression
    text = value.name if isinstance(value, exp.Literal) else None
    target = tree.this
    if kind == "COLUMN" and isinstance(target, exp.Column):
        table = exp.Table(this=target.args.get("table"), db=target.args.get("db"))
        rel = work.relation(st, work.key(table))
        col = rel.columns.get(work.name(target))
        if col is None:
            raise _error(st, 0, f"column {work.name(target)} of {rel.name} does not exist")
        col["comment"] = text
        return
    if kind in ("TABLE", "VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE") and isinstance(
        target, exp.Table
    ):
        work.relation(st, work.key(target), view="VIEW" in kind).comment = text
        return
    work.skip(f"COMMENT ON {kind}", st, "comments on objects the mirror does not hold")


def create_type(work: _Work, st: Statement) -> None:
    """CREATE TYPE … AS ENUM: an enum of the mirror; other types are notes."""

    if not re.search(r"\bAS\s+ENUM\b", st.sql, re.IGNORECASE):
        work.skip("CREATE TYPE", st, "only enum types are modelled")
        return
    tokens = work.tokens(st)
    tree = work.parse(st, tokens)
    dtype = tree.args.get("expression")
    if not isinstance(tree.this, exp.Table) or not isinstance(dtype, exp.DataType):
        work.skip("CREATE TYPE", st, "a form sqlglot does not read")
        return
    key = work.key(tree.this)
    work.enums[key] = {
        "name": key[1],
        "db_schema": key[0],
        "values": [EnumValue(name=v.name).model_dump() for v in dtype.expressions],
    }


def drop(work: _Work, st: Statement) -> None:
    """DROP TABLE / VIEW [IF EXISTS] (mysqldump drops before it creates); DROP INDEX."""
    tokens = work.tokens(st)
    tree = work.parse(st, tokens)
    if not isinstance(tree, exp.Drop):
        work.skip(_kind(st.sql), st, "a form sqlglot does not read")
        return
    # sqlglot 30 puts the dropped tables in `tables`, earlier ones in `this`/`expressions`
    for table in tree.args.get("tables") or [tree.this, *(tree.args.get("expressions") or [])]:
        if not isinstance(table, exp.Table):
            continue
        if str(tree.args.get("kind") or "").upper() == "INDEX":  # proposals: DROP INDEX name
            nsp, name = work.key(table)
            for rel in work.relations.values():
                if rel.schema == nsp:
                    rel.indexes.pop(name, None)
            continue
        gone = work.relations.pop(work.key(table), None)
        if gone is not None and tree.args.get("cascade"):  # its foreign keys elsewhere go too
            for rel in work.relations.values():
                rel.foreign_keys = {
                    k: fk
                    for k, fk in rel.foreign_keys.items()
                    if (fk["referenced_schema"] or rel.schema, fk["referenced_table"])
                    != (gone.schema, gone.name)
                }


_HANDLERS = {
    "CREATE TABLE": create_table,
    "ALTER TABLE": alter_table,
    "CREATE INDEX": create_index,
    "CREATE VIEW": create_view,
    "CREATE MATERIALIZED VIEW": create_view,
    "COMMENT ON": comment_on,
    "CREATE TYPE": create_type,
    "DROP TABLE": drop,
    "DROP VIEW": drop,
    "DROP INDEX": drop,
}


def empty_schema(dialect: str) -> Schema:
    """The schema a dump starts from: no tables, source kind `ddl` (set by the reader)."""
    from schemasync.model import Source

    return Schema(provider=DIALECTS[dialect].provider, source=Source(kind="ddl", sha256=""))


# the Column model is used by callers comparing with introspection's; kept importable here
__all__ = ["Column", "Statement", "apply", "empty_schema"]
