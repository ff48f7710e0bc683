"""Within one locked run, files are read once and re-read only when their stat changes."""

from __future__ import annotations

import os
from pathlib import Path

from schemasync import phases
from schemasync.fsio import write_atomic


def _ctx(root: Path) -> phases.RunContext:
    (root / "docs" / "project").mkdir(parents=True)
    (root / "docs" / "project" / "db-ssot.json").write_text('{"mode": "database"}\n')
    (root / "prisma").mkdir()
    (root / "prisma" / "schema.prisma").write_text(
        'datasource db {\n  provider = "sqlite"\n}\n\nmodel A {\n  id Int @id\n}\n'
    )
    return phases.prepare(phases.Options(root=str(root), cwd=str(root)))


def test_a_file_replaced_during_the_run_is_read_again(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    path = ctx.path("notes.txt")
    path.write_text("one")
    with phases.reading_once():
        assert phases._read_text(ctx, "notes.txt") == "one"
        write_atomic(path, "two")  # a new inode, as every schemasync write
        assert phases._read_text(ctx, "notes.txt") == "two"
        with path.open("r+") as handle:  # in place, same size, a later modification time
            handle.write("six")
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10_000_000))
        assert phases._read_text(ctx, "notes.txt") == "six"


def test_outside_a_run_every_read_is_fresh(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    path = ctx.path("notes.txt")
    path.write_text("one")
    mtime = path.stat().st_mtime_ns
    assert phases._read_text(ctx, "notes.txt") == "one"
    with path.open("r+") as handle:  # same size, same inode, same modification time
        handle.write("two")
    os.utime(path, ns=(path.stat().st_atime_ns, mtime))
    assert phases._read_text(ctx, "notes.txt") == "two"


def test_the_schema_is_parsed_again_when_a_pull_rewrites_it(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    schema = ctx.schema_path
    with phases.reading_once():
        first = phases.derive_mirror(ctx)
        assert [t.name for t in first.tables] == ["A"]
        schema.write_text(schema.read_text() + "\nmodel B {\n  id Int @id\n}\n")
        second = phases.derive_mirror(ctx)
        assert [t.name for t in second.tables] == ["A", "B"]
    assert not phases._TEXTS
    assert not phases._SOURCES
