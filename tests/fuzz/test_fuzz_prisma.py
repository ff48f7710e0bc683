"""Fuzz the Prisma path: parser, importer and the file edge (issue 5, item 5).

Mutated golden and corpus schemas go through `parse_schema`, then `import_document`, then (as
bytes on disk) `load_prisma`. Only `SchemasyncError`s may escape, each with a one-line message,
and each input must finish within 2 s. `SCHEMASYNC_FUZZ_EXAMPLES` sets the examples per test
(200 by default; `nox -s fuzz` runs 10,000).
"""

from __future__ import annotations

import hashlib
import tempfile
from functools import partial
from pathlib import Path

import pytest
from fuzzlib import (
    FUZZ_SETTINGS,
    SEEDS,
    Files,
    check_only_schemasync_errors,
    mutated_schema,
    mutated_text,
)
from hypothesis import given
from hypothesis import strategies as st

from schemasync.errors import SchemasyncError, SourceError
from schemasync.model import Schema, Source
from schemasync.prisma.load import load_prisma
from schemasync.prisma.parser import parse_schema
from schemasync.prisma.to_model import import_document

pytestmark = [pytest.mark.fuzz, pytest.mark.filterwarnings("ignore:Generating overly large repr")]

SOURCE = Source(kind="prisma", path="prisma/schema.prisma", sha256=hashlib.sha256(b"").hexdigest())


def parse_and_import(files: Files) -> Schema:
    """The pure part of the import: text -> Document -> Schema."""
    return import_document(parse_schema(files), source=SOURCE)


def test_seeds_are_valid() -> None:
    """The unmutated seeds import cleanly (else the fuzzing would only test the error path)."""
    assert len(SEEDS) >= 25
    for name, files in SEEDS:
        result = check_only_schemasync_errors(partial(parse_and_import, files))
        if isinstance(result, SchemasyncError):
            # Some corpus schemas use Prisma 7 features; they still must fail cleanly.
            assert isinstance(result, SourceError), name


@FUZZ_SETTINGS
@given(files=mutated_schema())
def test_fuzz_parse_and_import(files: Files) -> None:
    """Mutated schemas: a Schema or a one-line SchemasyncError, within 2 s."""
    result = check_only_schemasync_errors(lambda: parse_and_import(files))
    if isinstance(result, Schema):
        assert result.tables is not None


@FUZZ_SETTINGS
@given(
    seed=st.sampled_from(SEEDS),
    data=st.data(),
)
def test_fuzz_load_prisma_bytes(seed: tuple[str, Files], data: st.DataObject) -> None:
    """The file edge: a mutated schema written as bytes (maybe non-UTF-8 or binary) to a file
    or folder, read by `load_prisma`."""
    _, files = seed
    raw: list[bytes] = []
    for _, text in files:
        mutated = data.draw(mutated_text(text))
        blob = mutated.encode("utf-8", "surrogatepass")
        if data.draw(st.integers(0, 9)) == 0:
            cut = data.draw(st.integers(0, len(blob)))
            blob = blob[:cut] + data.draw(st.binary(max_size=8)) + blob[cut:]
        raw.append(blob)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if len(raw) == 1:
            target = root / "prisma" / "schema.prisma"
            target.parent.mkdir()
            target.write_bytes(raw[0])
        else:
            target = root / "prisma" / "schema"
            for i, blob in enumerate(raw):
                path = target / f"part{i}.prisma"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(blob)
        result = check_only_schemasync_errors(lambda: load_prisma(target, root))
        if isinstance(result, SchemasyncError):
            assert tmp not in str(result), "an absolute temp path leaked into the message"


_DS = 'datasource db {\n  provider = "sqlite"\n  url = env("U")\n}\n'
FOUND = {
    # parser look-ahead past the end: IndexError
    "ends-in-open-call": _DS + "model A {\n  id Int @default(",
    # lexer: exponential backtracking on trailing blanks (44 spaces: hours)
    "ends-in-blanks": _DS + "model A {\n  id Int @id\n}" + " " * 60,
    "ends-in-blanks-mid-field": _DS + "model A {\n  id    Int" + " " * 60,
    # lexer: the last character of a trailing comment came back as a token
    "ends-in-comment": _DS + "model A {\n  id Int @id\n}\n// hello",
    # importer: unknown type in a composite type block: KeyError
    "composite-unknown-type": (
        'datasource db {\n  provider = "mongodb"\n  url = env("U")\n}\n'
        "type T {\n  zip provider?\n}\n"
    ),
}


@pytest.mark.parametrize("name", list(FOUND))
def test_found_by_fuzzing(name: str) -> None:
    """The inputs the fuzzer found bugs with, kept as fixed regression cases."""
    files = (("prisma/schema.prisma", FOUND[name]),)
    result = check_only_schemasync_errors(partial(parse_and_import, files))
    valid = name in ("ends-in-comment", "ends-in-blanks")
    assert isinstance(result, Schema if valid else SourceError)
