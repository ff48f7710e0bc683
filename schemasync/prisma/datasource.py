"""The facts of a parsed schema's `datasource` and `generator` blocks, as one typed record.

`read_datasource(doc)` is the one reader of those blocks: the workflow (the provider a phase
names, the variable `url = env("…")` reads, literal connection strings that must not be
committed, the generators' `output` folders Phase D treats as the Prisma client) and the
import (provider, relation mode, multi-schema) take their facts from it instead of walking the
syntax tree themselves. It is lenient: a schema without a datasource, or with a provider Prisma
does not know, gives a record that says so; rejecting such a schema is the import's job
(`to_model.py`), at the positions this record keeps. The one thing it refuses itself is an
`env("…")` that names no variable: every reader of the record would print or use that name.
Pure: no files, no environment.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from schemasync.errors import SourceError
from schemasync.prisma.ast import Block, CallValue, Document, Pos, Property, StringValue
from schemasync.prisma.rules import PROVIDERS
from schemasync.redact import secret_spans

#: Spellings Prisma accepts for a provider, and the one the mirror uses.
PROVIDER_ALIASES: dict[str, str] = {"postgres": "postgresql"}
#: Datasource properties that hold a connection string.
URL_PROPERTIES: tuple[str, ...] = ("url", "directUrl", "shadowDatabaseUrl")


@dataclass(frozen=True)
class LiteralUrl:
    """A connection string written into the schema (`url = "postgresql://…"`): a secret."""

    property: str
    value: str
    pos: Pos
    in_env: bool = False  # pasted into `env("…")` where a variable's name belongs


@dataclass(frozen=True)
class Datasource:
    """What the schema's blocks say about the database and the generated client.

    Attributes:
        block: the (first) `datasource` block, or None when the schema has none.
        name: the datasource's name (`db`), which prefixes native types (`@db.VarChar`).
        provider: the provider as the mirror spells it (`postgres` -> `postgresql`), or None.
        provider_property: the `provider = …` line, for the import's error positions.
        relation_mode: `prisma` when the datasource says so, or the provider has no foreign
            keys (MongoDB: `rules.ProviderRules.foreign_keys`); else `foreignKeys`.
        multi_schema: the datasource lists `schemas`.
        url_env: the variable named by `url = env("…")`, or None.
        literal_urls: connection strings written literally (SQLite `file:` paths excluded).
        outputs: the generators' `output` folders, relative to the repository, sorted (those
            outside it are left out).
        extra_blocks: further `datasource` blocks (Prisma allows one).
    """

    block: Block | None
    name: str
    provider: str | None
    provider_property: Property | None
    relation_mode: str
    multi_schema: bool
    url_env: str | None
    literal_urls: tuple[LiteralUrl, ...]
    outputs: tuple[str, ...]
    extra_blocks: tuple[Block, ...]


def _string(prop: Property | None) -> str | None:
    if prop is not None and isinstance(prop.value, StringValue):
        return prop.value.value
    return None


#: What `env("…")` may name: an environment variable. The name is printed into the shell
#: commands of Phase A (`DATABASE_URL="$PROD_DATABASE_URL" npx prisma@6 db pull …`), so
#: `env("X=1; touch /tmp/PWNED; Y")` is an error, not a command.
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: A connection string pasted into `env("…")` (`scheme:…`): the literal-URL rule reports it.
_URL_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _env_argument(prop: Property | None) -> StringValue | None:
    """Return the string of `key = env("…")`, or None when the value is something else."""
    if prop is None or not isinstance(prop.value, CallValue) or prop.value.name != "env":
        return None
    args = prop.value.args
    return args[0].value if args and isinstance(args[0].value, StringValue) else None


def _pasted_url(prop: Property | None) -> str | None:
    """Return the connection string pasted into `env("…")` (`env("postgresql://u:p@h/db")`, a
    keyword DSN with a password): a literal credential, which check/verify report (exit 1) rather
    than the invalid variable name it also is (exit 4). SQLite `file:` paths are no secret."""
    argument = _env_argument(prop)
    if argument is None:
        return None
    value = argument.value
    if ENV_NAME.fullmatch(value) or value.startswith("file:"):
        return None
    return value if _URL_LIKE.match(value) or secret_spans(value) else None


def _env_name(prop: Property | None) -> str | None:
    """Return `X` of `url = env("X")`: None when there is no `env("…")`, or when it holds a
    connection string instead of a name.

    Raises:
        SourceError: `env("…")` holds neither a variable name nor a connection string (at the
            string's position; the value itself is not shown: it may be a secret).
    """
    argument = _env_argument(prop)
    if prop is None or argument is None:
        return None
    name = argument.value
    if ENV_NAME.fullmatch(name):
        return name
    if _pasted_url(prop) is not None:
        return None
    pos = argument.pos
    raise SourceError(
        f"`{prop.name} = env(…)` must name an environment variable (letters, digits and `_`, "
        "not starting with a digit, e.g. DATABASE_URL); Prisma reads that variable, and its "
        "name is printed into shell commands",
        file=pos.file,
        line=pos.line,
        col=pos.col,
    )


def _output(block: Block) -> str | None:
    """Return a generator's `output`, relative to the repository, or None (none, or outside)."""
    output = _string(block.property("output"))
    if output is None or posixpath.isabs(output):
        return None
    # Positions name files as the reader shows them: relative to the repository when inside it.
    path = posixpath.normpath(posixpath.join(posixpath.dirname(block.pos.file), output))
    return None if path == ".." or path.startswith("../") else path


def _env_names(block: Block | None) -> str | None:
    """Return the variable `url = env("…")` names, after checking every URL property's.

    Raises:
        SourceError: an `env("…")` that names no variable (`_env_name`).
    """
    if block is None:
        return None
    for name in URL_PROPERTIES:
        _env_name(block.property(name))
    return _env_name(block.property("url"))


def read_datasource(doc: Document) -> Datasource:
    """Return the datasource and generator facts of `doc` (see `Datasource`).

    Raises:
        SourceError: an `env("…")` of the datasource names no variable (the one check made
            here: Phase A prints the name into a shell command; see `_env_name`).
    """
    sources = doc.of_kind("datasource")
    block = sources[0] if sources else None
    provider_property = block.property("provider") if block is not None else None
    raw = _string(provider_property)
    provider = PROVIDER_ALIASES.get(raw, raw) if raw is not None else None
    relation_mode = "foreignKeys"
    literal: list[LiteralUrl] = []
    if block is not None:
        for key in ("relationMode", "referentialIntegrity"):
            if _string(block.property(key)) == "prisma":
                relation_mode = "prisma"
        for name in URL_PROPERTIES:
            prop = block.property(name)
            value = _string(prop)
            if prop is not None and value is not None and not value.startswith("file:"):
                literal.append(LiteralUrl(name, value, prop.pos))
            elif prop is not None and (pasted := _pasted_url(prop)) is not None:
                literal.append(LiteralUrl(name, pasted, prop.pos, in_env=True))
    rules = PROVIDERS.get(provider) if provider is not None else None
    if rules is not None and not rules.foreign_keys:
        relation_mode = "prisma"
    outputs = {out for g in doc.of_kind("generator") if (out := _output(g)) is not None}
    return Datasource(
        block=block,
        name=block.name if block is not None else "db",
        provider=provider,
        provider_property=provider_property,
        relation_mode=relation_mode,
        multi_schema=block is not None and block.property("schemas") is not None,
        url_env=_env_names(block),
        literal_urls=tuple(literal),
        outputs=tuple(sorted(outputs)),
        extra_blocks=sources[1:],
    )
