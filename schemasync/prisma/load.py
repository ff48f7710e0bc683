"""Read, parse and import a Prisma schema in one call (`load_prisma`): the library's shortcut.

Reading is `schemasync.sources.prisma` (the one reader and its sha256); parsing and importing are
pure (`parse_schema`, `import_document`). The workflow (`state.RunState`) composes the same steps
itself, so that it can keep the parsed document for the datasource facts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from schemasync.gcpause import paused_gc
from schemasync.model import Schema
from schemasync.sources.prisma import MAX_SOURCE_BYTES, PrismaSources, read_prisma_sources

__all__ = ["MAX_SOURCE_BYTES", "PrismaSources", "load_prisma", "read_prisma_sources"]


def load_prisma(path: Path, root: Path, mask: Callable[[str], str] | None = None) -> Schema:
    """Read, parse and import the Prisma schema at `path` into a `Schema`; `mask` (a run's
    literal secrets) is applied to the schema's free text before the import reads it
    (`ast.mask_free_text`).

    Raises:
        SourceError: unreadable sources, a syntax error, or an invalid schema (file:line:col).
    """
    from schemasync.prisma.ast import mask_free_text
    from schemasync.prisma.parser import parse_schema
    from schemasync.prisma.to_model import import_document

    sources = read_prisma_sources(path, root)
    # One pause for parse and import together: each re-enable makes the collector scan every
    # object made while it was off, and the syntax tree would be scanned twice (~150 ms at 1,000
    # models).
    # The schema outlives the call: it goes straight to the oldest generation (`promote`).
    with paused_gc(promote=True):
        document = parse_schema(sources.files)
        schema = import_document(
            document if mask is None else mask_free_text(document, mask),
            source=sources.source(),
            view_definitions=sources.view_definitions,
        )
        # The syntax tree is gone by now (freed by reference counting): the collector, once
        # back on, scans only the model, not the tree too (measured: -115 ms at 1,000 models).
    return schema
