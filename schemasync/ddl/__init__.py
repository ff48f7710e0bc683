"""SQL DDL -> the mirror's `Schema`: statements applied to a schema (pure; files are read by
`schemasync/sources/ddl.py`).

- `split.py`: text lines -> `Statement`s (line, column), quote-aware, streaming;
- `dialects.py`: one row per dialect (scanner rules, sqlglot dialect, type reading through
  introspection's own functions), and recognising a dump's dialect;
- `apply.py`: `apply(schema, statements) -> schema` (see its docstring for how to call it).
"""

from __future__ import annotations

from schemasync.ddl.apply import apply, empty_schema
from schemasync.ddl.dialects import ALIASES, DIALECTS, detect_dialect
from schemasync.ddl.split import Statement, split_statements

__all__ = [
    "ALIASES",
    "DIALECTS",
    "Statement",
    "apply",
    "detect_dialect",
    "empty_schema",
    "split_statements",
]
