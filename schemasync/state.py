"""`RunState`: what one run reads and derives, each at most once (alembic's `AutogenContext`).

A state is made for a `Run` and thrown away with it; nothing it holds outlives it or is shared
through a module. Its memoized properties follow the data flow — sources, document, datasource,
schema, mirror text, context text, layer files — so that the phases of one `sync` read and parse
the Prisma schema once. A check that re-derives and compares (`verify`, `check`) builds a state of
its own (`fresh()`), so it never compares a value with itself. Files on disk that a run may
rewrite (the mirror, the context, evidence) are read afresh each time (`read`).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from schemasync.errors import ArtifactError, ConfigError, SourceError
from schemasync.fsio import FileRefused, read_bytes, read_text
from schemasync.sources.code import LayerFiles, read_layer_files
from schemasync.sources.prisma import PrismaSources, read_prisma_sources

if TYPE_CHECKING:
    from schemasync.facts import DatabaseFacts
    from schemasync.model import Schema
    from schemasync.prisma.ast import Document
    from schemasync.prisma.datasource import Datasource
    from schemasync.project import Run

#: The memoized properties of a state (`functools.cached_property` keeps them in `__dict__`).
_MEMOIZED = ("sources", "document", "datasource", "imported", "facts", "schema", "mirror_text",
             "context_files", "context_format", "docs_files", "layer_files")  # fmt: skip
MIRROR_PATH = "db/schema/tables.json"
CONTEXT_PATH = "docs/context/db/schema.json"


class RunState:
    """The reads and derivations of one run, memoized; see the module docstring."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self._digests: dict[str, str] = {}

    def fresh(self) -> RunState:
        """Return a new state of the same run: everything is read and derived again."""
        return RunState(self.run)

    @property
    def untouched(self) -> bool:
        """True while this state has read and derived nothing (its memos are empty)."""
        return not self._digests and not any(name in self.__dict__ for name in _MEMOIZED)

    # ---- the Prisma schema ---------------------------------------------------------------

    @property
    def schema_rel(self) -> str:
        """The mirror's source, project-relative: `ddlSchema` when set (a SQL dump), else the
        Prisma schema (`prismaSchema`)."""
        return self.run.config.ddl_schema or self.run.config.prisma_schema

    @cached_property
    def sources(self) -> PrismaSources:
        """The schema's files and views as committed, with their one sha256.

        Raises:
            SourceError: missing, unreadable, empty, binary or not UTF-8.
        """
        path = self.run.path(self.schema_rel, "prismaSchema")
        if not path.exists():
            raise SourceError(
                "no Prisma schema here; pull it from the database first "
                f"(`{self.run.command('pull-instructions')}` prints how)",
                file=self.schema_rel,
            )
        return read_prisma_sources(path, self.run.root)

    @cached_property
    def document(self) -> Document:
        """The parsed schema (all files).

        Raises:
            SourceError: unreadable sources or a syntax error (file:line:col).
        """
        from schemasync.prisma.parser import parse_schema

        return parse_schema(self.sources.files)

    @cached_property
    def datasource(self) -> Datasource:
        """The datasource and generator facts of the schema."""
        from schemasync.prisma.datasource import read_datasource

        return read_datasource(self.document)

    def datasource_or_none(self) -> Datasource | None:
        """The datasource facts, or None while the schema is missing or cannot be parsed.

        Raises:
            SourceError: the schema parses, but its datasource names no variable in `env("…")`
                (a pull keeps the datasource block: it must be fixed by hand, and its name
                would be printed into the pull command).
        """
        try:
            _ = self.document
        except SourceError:
            return None
        return self.datasource

    @cached_property
    def imported(self) -> Schema:
        """The Prisma schema's import alone (no capture), with the run's secrets masked.

        Raises:
            SourceError: see `document`; or the schema is invalid (unknown type, ...).
        """
        from schemasync.prisma.ast import mask_free_text
        from schemasync.prisma.to_model import import_document
        from schemasync.redact import mask_schema

        if self.run.config.ddl_schema is not None:  # ddl-import: the mirror of a SQL dump
            from schemasync.sources.ddl import read_ddl

            path = self.run.path(self.run.config.ddl_schema, "ddlSchema")
            return mask_schema(read_ddl(path, self.run.root), self.run.redactor)
        sources = self.sources
        redactor = self.run.redactor
        # the secrets are masked in the schema's free text before the import normalizes it,
        # and in the model after (view SQL files, text the import composed)
        document = mask_free_text(self.document, redactor.value) if redactor.secrets else None
        imported = import_document(
            document or self.document,
            source=sources.source(),
            view_definitions=sources.view_definitions,
        )
        return mask_schema(imported, redactor)

    @cached_property
    def facts(self) -> tuple[str, DatabaseFacts] | None:
        """The live capture's text and model (`db/schema/database-facts.json`), or None when
        there is none, masked like the mirror.

        Raises:
            ArtifactError: the capture is not readable, not JSON or of an unknown format.
        """
        from schemasync.facts import FACTS_PATH, load_facts
        from schemasync.redact import mask_schema

        text = self.read(FACTS_PATH)
        if text is None:
            return None
        facts = load_facts(text, FACTS_PATH, rebuild=self.run.command("pull"))
        return text, mask_schema(facts, self.run.redactor)

    @cached_property
    def schema(self) -> Schema:
        """The mirror model: the Prisma schema's import with the capture's facts laid on
        (`facts.derive_mirror`), with the run's secrets masked.

        Raises:
            SourceError: see `imported`.
            ArtifactError: see `facts`.
        """
        from schemasync.facts import derive_mirror

        captured = self.facts
        if captured is None:
            return derive_mirror(self.imported, None, None)
        text, facts = captured
        return derive_mirror(self.imported, facts, self.sha256(text))

    @cached_property
    def mirror_text(self) -> str:
        """The canonical `tables.json` text of `schema`."""
        from schemasync.mirror import dump_mirror

        return dump_mirror(self.schema)

    @cached_property
    def context_files(self) -> tuple[tuple[str, str], ...]:
        """The context derived from the derived mirror (not from the file on disk): the one
        file, or the index and its slices (`context.slice_context`)."""
        return self.render_context(self.schema, self.mirror_text)

    # ---- the context's format: the one place it is chosen -----------------------------------

    @cached_property
    def context_format(self) -> str:
        """The format the context is written in: the project's `context.format`, else the
        format of the file already there (the `.ai` template's v2, or schemasync's; a file
        that is not even UTF-8 is neither, and is rewritten in schemasync's). Read once per
        state: Phase C, `check` and the registry all ask, and the file may be megabytes."""
        from schemasync.context import FORMAT
        from schemasync.template_v2 import V2_FORMAT, text_is_v2

        chosen = self.run.config.context.format
        if chosen is not None:
            return chosen
        try:
            text = self.read(CONTEXT_PATH)
        except ArtifactError:  # not even UTF-8: not the template's file, and rewritten
            text = None
        return V2_FORMAT if text_is_v2(text) else FORMAT

    def render_context(self, schema: Schema, mirror_text: str) -> tuple[tuple[str, str], ...]:
        """Return the context files of a mirror in the project's format (`context_format`):
        schemasync's (the one file, or an index and its slices) or the template's v2 (one
        file, whose `updatedAt` stays while nothing else changes). Phase C, `check` and the
        `context` task all render the context here.
        """
        from schemasync.template_v2 import V2_FORMAT, render_v2_context

        sha = self.sha256(mirror_text)
        if self.context_format == V2_FORMAT:
            previous = self.read(CONTEXT_PATH)
            return ((CONTEXT_PATH, render_v2_context(schema, sha, previous, self.now)),)
        from schemasync.context import build_context, slice_context

        doc = build_context(schema, sha)
        return slice_context(doc, self.run.config.context.slice_above_tokens)

    def registry_writes(self, context_text: str) -> tuple[tuple[str, str], ...]:
        """The write that keeps the `db-schema` entry of `docs/context/registry.json` current
        for `context_text` (none without the file, the entry, or a change).

        Raises:
            ArtifactError: the registry is not UTF-8 or cannot be read.
        """
        from schemasync.template_v2 import REGISTRY_PATH, update_registry

        text = self.read(REGISTRY_PATH)
        if text is None:
            return ()
        fmt = self.context_format
        updated = update_registry(text, CONTEXT_PATH, self.sha256(context_text), fmt, self.now)
        return () if updated is None else ((REGISTRY_PATH, updated),)

    @cached_property
    def now(self) -> str:
        """This run's clock, as the template writes times (`2026-03-02T09:14:27.512Z`)."""
        stamp = datetime.now(UTC)
        return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"

    @cached_property
    def docs_files(self) -> tuple[tuple[str, str], ...]:
        """The pages for people derived from the derived mirror (`docs.render_docs`): none
        unless the config asks for them (`"docs": true`)."""
        from schemasync.docs import render_docs

        return render_docs(self.schema) if self.run.config.docs else ()

    @property
    def context_text(self) -> str:
        """The text of `docs/context/db/schema.json` (the context, or its index)."""
        return self.context_files[0][1]

    def listing(self, rel: str, suffix: str) -> tuple[str, ...]:
        """The project files directly in folder `rel` whose names end in `suffix`
        (project-relative, sorted); none when the folder does not exist."""
        folder = self.run.path(rel)
        if not folder.is_dir():
            return ()
        return tuple(sorted(f"{rel}/{p.name}" for p in folder.iterdir() if p.name.endswith(suffix)))

    # ---- the project's code ----------------------------------------------------------------

    @cached_property
    def layer_files(self) -> LayerFiles:
        """The code files of the business and repository layers (and those not readable)."""
        layers = self.run.config.layers
        return read_layer_files(self.run.root, (*layers.business, *layers.repositories))

    # ---- files a run may rewrite -------------------------------------------------------------

    def read(self, rel: str) -> str | None:
        """Return the text of a project file as it is now, or None when it does not exist.

        Raises:
            ArtifactError: the file is not UTF-8 or cannot be read.
        """
        fix = f"delete it and run `{self.run.command('sync')}`"
        return read_text(self.run.path(rel), rel, ArtifactError, fix)

    def holds(self, rel: str, text: str) -> bool:
        """Tell whether the project file `rel` holds exactly `text` (bytes compared: a file that
        is not even UTF-8 is simply different, and will be replaced).

        Raises:
            ConfigError: the path leaves the project or loops.
            ArtifactError: the file is not a regular file (a FIFO would block the run).
        """
        raw = text.encode("utf-8")
        try:  # one byte more than `text` is enough to tell
            return read_bytes(self.run.path(rel), limit=len(raw) + 1) == raw
        except FileRefused as err:
            if err.unsafe:
                raise ConfigError(f"{rel}: {err.reason}") from err
            if err.special:
                raise ArtifactError(f"{rel}: {err.reason}") from err
            return False  # larger, or unreadable: different, and replaced

    def load_mirror(self, text: str) -> Schema:
        """Return the model of mirror text read from disk.

        When the text is what this state derived (a sync's Phase C reads the mirror Phase B
        wrote), that is the model: a 1,000-model mirror is 7 MB of JSON to parse otherwise.

        Raises:
            ArtifactError: the text is corrupt or of an unknown format.
        """
        from schemasync.mirror import load_mirror

        if "mirror_text" in self.__dict__ and text == self.mirror_text:
            return self.schema
        return load_mirror(text, MIRROR_PATH, rebuild=self.run.command("import-prisma"))

    def mirror_on_disk(self) -> tuple[str, Schema]:
        """Return the mirror file's text and model.

        Raises:
            ArtifactError: the mirror is missing, corrupt or of an unknown format.
        """
        text = self.read(MIRROR_PATH)
        if text is None:
            raise ArtifactError(
                f"{MIRROR_PATH}: missing; run `{self.run.command('import-prisma')}` first"
            )
        return text, self.load_mirror(text)

    def sha256(self, text: str) -> str:
        """Return the sha256 of a text's UTF-8 bytes, once per text in this run."""
        digest = self._digests.get(text)
        if digest is None:
            digest = self._digests[text] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return digest
