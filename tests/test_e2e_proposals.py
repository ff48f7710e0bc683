"""Proposals end to end (issue 16 item 2) on a real PostgreSQL database and real Prisma.

A database -> real `prisma db pull` -> `schemasync sync` (the mirror). Proposals are written;
`proposals` exits 0 and prints the changes each expects, flagging the destructive one; a proposal
on a missing table exits 1 naming it. The DBA applies one proposal's SQL (taken from its markdown)
and only the first statement of another, with psycopg; `prisma db pull` again; `sync`: evidence
02 reports the first *landed in this sync* and the second *partly landed* with what is missing;
`proposals` says the same; `--mark-landed` sets the first one's status line and nothing else.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from types import ModuleType

import pytest
from live_sql import cli, run_pg_script

from schemasync.evidence import check_evidence
from schemasync.proposals import parse_proposal, proposal_statements

BASE = """
CREATE TABLE owners (
    id serial PRIMARY KEY,
    email varchar(320) NOT NULL UNIQUE,
    name text
);
CREATE TABLE pets (
    id serial PRIMARY KEY,
    owner_id integer NOT NULL REFERENCES owners (id) ON DELETE CASCADE,
    name varchar(80) NOT NULL,
    notes text
);
"""

CHIP = """# Microchip number on pets

Status: proposed

## Why

Clinics scan a pet's microchip.

## Intended change

```sql
ALTER TABLE pets ADD COLUMN chip_id varchar(15);
CREATE UNIQUE INDEX pets_chip_id_key ON pets (chip_id);
```
"""

VENDOR = """# Chip vendor

Status: draft

```sql
ALTER TABLE pets ADD COLUMN chip_vendor text;
CREATE INDEX pets_chip_vendor_idx ON pets (chip_vendor);
```
"""

DROP_NOTES = """# Drop the notes

Status: proposed

```sql
ALTER TABLE pets DROP COLUMN notes;
```
"""

TYPO = """# Breed

Status: proposed

```sql
ALTER TABLE pet ADD COLUMN breed text;
```
"""


def states(root: Path, url: str) -> tuple[int, dict[str, dict[str, object]]]:
    """`proposals --format json`: the exit code and each proposal's entry by file name."""
    done = cli(root, "proposals", "--format", "json", url=url)
    document = json.loads(done.stdout)
    return done.returncode, {p["path"].rsplit("/", 1)[-1]: p for p in document["proposals"]}


def kinds(entry: dict[str, object]) -> list[tuple[str, str]]:
    """The (kind, object) of an entry's expected changes."""
    return [(c["kind"], c["object"]) for c in entry["expected"]]  # type: ignore[attr-defined]


@pytest.mark.postgres
@pytest.mark.node
def test_proposal_lands_after_pull_and_sync(
    pg_url: str, tmp_path: Path, prisma_harness: ModuleType
) -> None:
    run_pg_script(pg_url, BASE)
    root = tmp_path / "clinic"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    schema = prisma_harness.db_pull(pg_url, root / "prisma")
    config = {"mode": "database", "environments": {"dev": {"urlEnv": "DATABASE_URL"}}}
    (root / "docs/project").mkdir(parents=True)
    (root / "docs/project/db-ssot.json").write_text(json.dumps(config) + "\n", encoding="utf-8")
    first = cli(root, "sync", url=pg_url)
    assert first.returncode == 0, first.stdout + first.stderr

    folder = root / "db/handbook/proposals"
    folder.mkdir(parents=True)
    for name, body in (("chip-id.md", CHIP), ("chip-vendor.md", VENDOR),
                       ("drop-notes.md", DROP_NOTES)):  # fmt: skip
        (folder / name).write_text(body, encoding="utf-8")

    # before: every proposal applies; the changes they expect; the destructive one flagged
    code, found = states(root, pg_url)
    assert code == 0
    assert kinds(found["chip-id.md"]) == [
        ("add_column", "public.pets.chip_id"),
        ("add_index", "public.pets.pets_chip_id_key"),
    ]
    assert found["chip-id.md"]["state"] == "pending"
    assert found["drop-notes.md"]["flags"] == [
        {
            "kind": "remove_column",
            "level": "destructive",
            "object": "public.pets.notes",
            "reason": "drops the column and every value in it",
        }
    ]
    text = cli(root, "proposals", url=pg_url)
    assert text.returncode == 0, text.stderr
    assert "add_column             public.pets.chip_id  String (varchar(15))" in text.stdout
    assert "destructive: remove_column public.pets.notes" in text.stdout

    # a proposal on a missing table: exit 1, naming the file, the place and the table
    (folder / "breed.md").write_text(TYPO, encoding="utf-8")
    typo = cli(root, "proposals", url=pg_url)
    assert typo.returncode == 1
    assert "db/handbook/proposals/breed.md:6:1: table public.pet does not exist" in typo.stdout
    assert typo.stderr.strip().splitlines() == [
        "schemasync: proposals: 1 of 4 do not apply to db/schema/tables.json: "
        "db/handbook/proposals/breed.md"
    ]
    (folder / "breed.md").unlink()

    # the DBA applies chip-id's SQL (from its markdown) and the first statement of chip-vendor
    chip = parse_proposal(CHIP, "chip-id.md")
    run_pg_script(pg_url, "".join(b.text for b in chip.blocks))
    vendor = proposal_statements(parse_proposal(VENDOR, "chip-vendor.md"), "postgresql")
    run_pg_script(pg_url, vendor[0].sql + ";")
    prisma_harness.db_pull(pg_url, root / "prisma", reintrospect=schema)
    assert "chip_id" in schema.read_text(encoding="utf-8")
    synced = cli(root, "sync", url=pg_url)
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert "proposal db/handbook/proposals/chip-id.md: landed in this sync" in synced.stdout
    assert (
        "proposal db/handbook/proposals/chip-vendor.md: partly landed; still missing: "
        "add_index public.pets.pets_chip_vendor_idx" in synced.stdout
    )
    evidence = sorted((root / ".ai/.tmp/db-sync").glob("*/02-import-prisma-log.md"))[-1]
    record = evidence.read_text(encoding="utf-8")
    assert check_evidence(record) == ()
    assert "| `db/handbook/proposals/chip-id.md` | proposed | landed in this sync | 0 |" in record
    assert "| `db/handbook/proposals/chip-vendor.md` | draft | partly landed | 1 |" in record
    assert "| `add_index` | `public.pets.pets_chip_vendor_idx` |" in record
    assert "| `db/handbook/proposals/drop-notes.md` | proposed | pending | 1 |" in record

    code, found = states(root, pg_url)
    assert code == 0
    assert found["chip-id.md"]["state"] == "landed"
    assert found["chip-id.md"]["expected"] == []
    assert found["chip-vendor.md"]["state"] == "partly landed"
    assert kinds(found["chip-vendor.md"]) == [("add_index", "public.pets.pets_chip_vendor_idx")]
    assert found["drop-notes.md"]["state"] == "pending"
    assert (folder / "chip-id.md").read_text(encoding="utf-8") == CHIP  # status untouched

    marked = cli(root, "proposals", "--mark-landed", url=pg_url)
    assert marked.returncode == 0, marked.stderr
    assert (folder / "chip-id.md").read_text(encoding="utf-8") == CHIP.replace(
        "Status: proposed", "Status: landed"
    )
    assert (folder / "chip-vendor.md").read_text(encoding="utf-8") == VENDOR
    check = cli(root, "check", url=pg_url)
    assert check.returncode == 0, check.stdout + check.stderr
