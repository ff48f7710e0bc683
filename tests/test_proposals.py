"""Handbook proposals (issue 16 item 2): `schemasync proposals` and `schemasync propose SLUG`.

Golden cases: `tests/data/proposals/<case>/{schema.sql, proposals/*.md}` — the mirror is
`snapshot --ddl schema.sql` of the case, the proposals are checked against it, and the text and
JSON outputs are golden (`expected.txt`, `expected.proposals.json`; regenerate with
`pytest tests/test_proposals.py --update-goldens` and review the git diff). Then the rules one by
one: the status line, `--mark-landed` (that line only), the risk table, exit codes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GoldenCheck

from schemasync.ddl import DIALECTS, apply, empty_schema, split_statements
from schemasync.diff import Change
from schemasync.mirror import dump_mirror
from schemasync.model import Schema
from schemasync.outputs import ProposalsDocument
from schemasync.proposals import (
    RISKS,
    ProposalCheck,
    check_proposal,
    mark_landed_text,
    parse_proposal,
    status_problem,
)

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "proposals"
CONFIG = {"mode": "database", "environments": {"dev": {"urlEnv": "DATABASE_URL"}}}


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed command line (`python -m schemasync.cli`) in `root`."""
    return subprocess.run(
        [sys.executable, "-c", "from schemasync.cli import main; raise SystemExit(main())",
         *args, "--root", str(root)],
        cwd=root, env=dict(os.environ), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def schema_of(sql: str, dialect: str = "postgresql") -> Schema:
    """The mirror of a DDL text (as `snapshot --ddl` builds it)."""
    lines = sql.splitlines(keepends=True)
    return apply(
        empty_schema(dialect), split_statements(lines, DIALECTS[dialect].lexis), dialect=dialect
    )


def project(root: Path, case: Path) -> Path:
    """A project whose mirror is the case's schema.sql and whose proposals are the case's."""
    (root / "docs/project").mkdir(parents=True)
    (root / "docs/project/db-ssot.json").write_text(json.dumps(CONFIG) + "\n", encoding="utf-8")
    dialect = (case / "dialect").read_text(encoding="utf-8").strip()
    done = cli(root, "snapshot", "--ddl", str(case / "schema.sql"), "--dialect", dialect)
    assert done.returncode == 0, done.stderr
    (root / "db/schema").mkdir(parents=True)
    (root / "db/schema/tables.json").write_text(done.stdout, encoding="utf-8")
    shutil.copytree(case / "proposals", root / "db/handbook/proposals")
    return root


def cases() -> list[Path]:
    """Every golden case folder."""
    return sorted(p for p in DATA.iterdir() if (p / "schema.sql").is_file())


@pytest.mark.parametrize("case", cases(), ids=lambda p: p.name)
def test_golden_expected_changes(case: Path, tmp_path: Path, golden: GoldenCheck) -> None:
    root = project(tmp_path / "p", case)
    text = cli(root, "proposals")
    as_json = cli(root, "proposals", "--format", "json")
    expected_code = int((case / "exit").read_text(encoding="utf-8"))
    assert text.returncode == as_json.returncode == expected_code, text.stderr
    golden(text.stdout, case / "expected.txt")
    # the mirror's sha256 is that of the file (the mirror is the DDL import's, whose notes may
    # change with it: the golden keeps a placeholder)
    mirror = (root / "db/schema/tables.json").read_bytes()
    sha = hashlib.sha256(mirror).hexdigest()
    assert json.loads(as_json.stdout)["mirror"]["sha256"] == sha
    golden(as_json.stdout.replace(sha, "(sha256 of the mirror)"), case / "expected.proposals.json")
    # golden, and still valid: one line on stderr, no traceback; the JSON is the model's
    # and valid under the committed JSON Schema
    assert "Traceback" not in text.stderr + as_json.stderr
    if expected_code:
        assert len(text.stderr.strip().splitlines()) == 1, text.stderr
    document = ProposalsDocument.model_validate_json(as_json.stdout)
    assert document.ok == (expected_code == 0)
    validator = pytest.importorskip("jsonschema")
    schema = json.loads((REPO / "schemas/proposals.schema.json").read_text(encoding="utf-8"))
    validator.Draft202012Validator(schema).validate(json.loads(as_json.stdout))
    # nothing written: every proposal file is as it was
    for path in (case / "proposals").iterdir():
        assert (root / "db/handbook/proposals" / path.name).read_bytes() == path.read_bytes()


@pytest.mark.parametrize("case", cases(), ids=lambda p: p.name)
def test_the_part_of_the_mirror_gives_the_whole_answer(case: Path) -> None:
    """Proposals are applied to the part of the mirror their SQL names (`relevant_part`): the
    answer is the one the whole mirror gives."""
    dialect = (case / "dialect").read_text(encoding="utf-8").strip()
    mirror = schema_of((case / "schema.sql").read_text(encoding="utf-8"), dialect)
    for path in sorted((case / "proposals").iterdir()):
        parsed = parse_proposal(path.read_text(encoding="utf-8"), path.name)
        part = check_proposal(parsed, mirror, dialect)
        whole = check_proposal(parsed, mirror, dialect, narrow=False)
        assert (part.state, part.expected, part.flags, part.problem) == (
            whole.state,
            whole.expected,
            whole.flags,
            whole.problem,
        ), path.name


PETS = """
CREATE TABLE owners (id serial PRIMARY KEY, email varchar(320) NOT NULL);
CREATE TABLE pets (
    id serial PRIMARY KEY,
    owner_id integer NOT NULL REFERENCES owners (id),
    name varchar(80) NOT NULL,
    notes text,
    weight numeric(6,2),
    tag_count bigint
);
"""


def proposal(sql: str, status: str = "proposed") -> str:
    """A proposal file's text."""
    return f"# P\n\nStatus: {status}\n\n```sql\n{sql}\n```\n"


def check(sql: str, mirror: Schema | None = None, status: str = "proposed") -> ProposalCheck:
    """Check one proposal against `mirror` (default: PETS)."""
    parsed = parse_proposal(proposal(sql, status), "db/handbook/proposals/p.md")
    return check_proposal(parsed, mirror or schema_of(PETS), "postgresql")


def test_landed_pending_and_partly() -> None:
    sql = (
        "ALTER TABLE pets ADD COLUMN chip_id varchar(15);\n"
        "CREATE UNIQUE INDEX pets_chip_id_key ON pets (chip_id);"
    )
    pending = check(sql)
    assert pending.state == "pending"
    assert [(c.kind, c.object) for c in pending.expected] == [
        ("add_column", "public.pets.chip_id"),
        ("add_index", "public.pets.pets_chip_id_key"),
    ]
    half = schema_of(PETS + "ALTER TABLE pets ADD COLUMN chip_id varchar(15);")
    partly = check(sql, half)
    assert partly.state == "partly landed"
    assert [c.kind for c in partly.missing] == ["add_index"]
    whole = schema_of(PETS + sql)
    landed = check(sql, whole)
    assert landed.state == "landed"
    assert landed.expected == ()


def test_line_and_column_are_the_markdown_files() -> None:
    text = "# P\n\nStatus: draft\n\nWhy.\n\n```sql\nALTER TABLE pets\n  ADD COLUMN (;\n```\n"
    result = check_proposal(parse_proposal(text, "x.md"), schema_of(PETS), "postgresql")
    assert result.state == "invalid"
    assert result.parse_error
    assert result.problem is not None
    assert result.problem.startswith("x.md:9:"), result.problem


def test_missing_table_and_column_do_not_apply() -> None:
    table = check("ALTER TABLE pet ADD COLUMN breed text;")
    assert table.state == "does not apply"
    assert "table public.pet does not exist" in (table.problem or "")
    column = check("ALTER TABLE pets ALTER COLUMN nmae SET NOT NULL;")
    assert column.state == "does not apply"
    assert "column nmae of pets does not exist" in (column.problem or "")
    index = check("CREATE INDEX pets_x_idx ON pets (colour);")
    assert index.state == "does not apply"
    assert "colour" in (index.problem or "")
    fk = check("ALTER TABLE pets ADD COLUMN vet_id integer REFERENCES vets (id);")
    assert fk.state == "does not apply"
    assert "vets" in (fk.problem or "")
    created = check(
        "CREATE TABLE vets (id serial PRIMARY KEY);\n"
        "ALTER TABLE pets ADD COLUMN vet_id integer REFERENCES vets (id);"
    )
    assert created.state == "pending"


@pytest.mark.parametrize(
    ("sql", "kind", "level"),
    [
        ("DROP TABLE pets;", "remove_table", "destructive"),
        ("ALTER TABLE pets DROP COLUMN notes;", "remove_column", "destructive"),
        ("ALTER TABLE pets ALTER COLUMN name TYPE varchar(40);", "modify_type", "destructive"),
        ("ALTER TABLE pets ALTER COLUMN notes TYPE varchar(200);", "modify_type", "destructive"),
        ("ALTER TABLE pets ALTER COLUMN weight TYPE numeric(4,2);", "modify_type", "destructive"),
        ("ALTER TABLE pets ALTER COLUMN tag_count TYPE integer;", "modify_type", "destructive"),
        ("ALTER TABLE pets ALTER COLUMN name TYPE integer USING 0;", "modify_type", "may fail"),
        ("ALTER TABLE pets ADD COLUMN species text NOT NULL;", "add_column", "may fail"),
        ("ALTER TABLE pets ALTER COLUMN notes SET NOT NULL;", "modify_nullable", "may fail"),
        ("CREATE UNIQUE INDEX pets_name_key ON pets (name);", "add_index", "may fail"),
    ],
)
def test_risky_changes_are_flagged(sql: str, kind: str, level: str) -> None:
    result = check(sql)
    flags = [(f.change.kind, f.level) for f in result.flags]
    assert flags == [(kind, level)]


@pytest.mark.parametrize(
    "sql",
    [
        "ALTER TABLE pets ALTER COLUMN name TYPE varchar(200);",  # wider
        "ALTER TABLE pets ALTER COLUMN name TYPE text;",
        "ALTER TABLE pets ALTER COLUMN tag_count TYPE numeric(30,0);",
        "ALTER TABLE pets ADD COLUMN species text NOT NULL DEFAULT 'dog';",
        "ALTER TABLE pets ADD COLUMN species text;",
        "CREATE TABLE vets (id serial PRIMARY KEY, name text NOT NULL);",  # a new, empty table
        "CREATE INDEX pets_name_idx ON pets (name);",
    ],
)
def test_safe_changes_are_not_flagged(sql: str) -> None:
    result = check(sql)
    assert result.state == "pending"
    kinds = [f.change.kind for f in result.flags if f.level == "destructive"]
    assert kinds == [], result.flags


def test_every_risk_rule_names_a_diff_kind() -> None:
    from schemasync.diff import KINDS

    assert {r.kind for r in RISKS} <= set(KINDS)


def test_unmodelled_statements_are_findings_not_silence() -> None:
    result = check("GRANT SELECT ON pets TO reporting;")
    assert result.state == "unchecked"
    assert any("GRANT not modelled" in f for f in result.findings)


@pytest.mark.parametrize(
    ("line", "status"),
    [
        ("Status: proposed", "proposed"),
        ("**Status:** draft", "draft"),
        ("Status: `landed`", "landed"),
        ("status: Rejected", "rejected"),
        ("- Status: proposed", "proposed"),
    ],
)
def test_status_line_forms(line: str, status: str) -> None:
    text = f"# T\n\n{line}\n\n```sql\nSELECT 1;\n```\n"
    parsed = parse_proposal(text, "t.md")
    assert parsed.status == status
    assert parsed.status_line == 3
    marked = mark_landed_text(text, parsed)
    assert parse_proposal(marked, "t.md").status == "landed"
    # only that line changed
    before, after = text.splitlines(), marked.splitlines()
    assert [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b] in ([2], [])


def test_status_problems() -> None:
    none = parse_proposal("# T\n\n```sql\nSELECT 1;\n```\n", "t.md")
    assert "no `Status:` line" in (status_problem(none) or "")
    bad = parse_proposal("# T\n\nStatus: done\n", "t.md")
    assert (status_problem(bad) or "").startswith("t.md:3:9: status `done` is not one of")
    fenced = parse_proposal("# T\n\n```text\nStatus: landed\n```\n\nStatus: draft\n", "t.md")
    assert fenced.status == "draft"  # a Status: inside a code block is not the status line


def test_closed_and_empty_drafts() -> None:
    assert check("DROP TABLE pets;", status="rejected").state == "closed"
    assert check("-- nothing yet", status="draft").state == "empty"
    empty = check("-- nothing yet", status="proposed")
    assert empty.state == "invalid"
    assert not empty.applies


def test_prisma_only_changes_are_not_expected() -> None:
    """A column the mirror has from a pull carries its Prisma name; the proposal's SQL cannot
    state one, and re-applying it must still read as landed."""
    base = schema_of(PETS + "ALTER TABLE pets ADD COLUMN chip_id varchar(15);")
    table = next(t for t in base.tables if t.name == "pets")
    cols = tuple(
        c.model_copy(update={"prisma_name": "chipId"}) if c.name == "chip_id" else c
        for c in table.columns
    )
    named = base.model_copy(
        update={
            "tables": tuple(
                t.model_copy(update={"columns": cols}) if t.name == "pets" else t
                for t in base.tables
            )
        }
    )
    result = check("ALTER TABLE pets ADD COLUMN chip_id varchar(15);", named)
    assert result.state == "landed", result.expected


# ---- the command line -------------------------------------------------------------------------


@pytest.fixture
def pets(tmp_path: Path) -> Path:
    """A project whose mirror is the pets case's schema.sql, with no proposals."""
    root = project(tmp_path / "p", DATA / "pets")
    shutil.rmtree(root / "db/handbook/proposals")
    return root


def test_propose_scaffolds_from_the_template(pets: Path) -> None:
    done = cli(pets, "propose", "pets-chip-id")
    assert done.returncode == 0, done.stderr
    path = pets / "db/handbook/proposals/pets-chip-id.md"
    text = path.read_text(encoding="utf-8")
    for heading in ("## Why", "## Intended change", "## Risks", "## Rollback", "## How to verify"):
        assert heading in text
    assert "$" not in text.replace("$ ", "")  # every placeholder filled
    parsed = parse_proposal(text, "x.md")
    assert parsed.status == "draft"
    assert len(parsed.blocks) == 1  # the rollback is a `text` block: not part of the change
    listed = cli(pets, "proposals")
    assert listed.returncode == 0, listed.stderr
    assert "pets-chip-id.md [draft]: empty" in listed.stdout
    again = cli(pets, "propose", "pets-chip-id")
    assert again.returncode == 2
    assert again.stderr.strip().endswith("exists: edit it, or choose another slug")
    assert path.read_text(encoding="utf-8") == text  # nothing overwritten
    for asked in (("propose", "--help"), ("propose", "pets-x", "-h")):  # the task's help
        helped = cli(pets, *asked)
        assert helped.returncode == 0, helped.stderr
        assert helped.stdout.startswith("Usage: schemasync [--core-opts] propose"), helped.stdout
        assert "--slug" in helped.stdout
    assert not (pets / "db/handbook/proposals/--help.md").exists()
    bad = cli(pets, "propose", "Pets_Chip")
    assert bad.returncode == 2
    assert "slug of a-z, 0-9 and -" in bad.stderr
    assert "Traceback" not in bad.stderr + again.stderr


def test_mark_landed_rewrites_only_the_status_line(pets: Path) -> None:
    folder = pets / "db/handbook/proposals"
    folder.mkdir(parents=True)
    landed = (
        "# Owners' email\n\n> Status: proposed  \n\nThe owners' email exists already:\n\n"
        "```sql\nALTER TABLE owners ADD COLUMN email varchar(320) NOT NULL;\n```\n"
    )
    pending = proposal("ALTER TABLE pets ADD COLUMN chip_id varchar(15);")
    (folder / "email.md").write_bytes(landed.encode())
    (folder / "chip.md").write_bytes(pending.encode())
    shown = cli(pets, "proposals")
    assert shown.returncode == 0, shown.stderr
    assert "email.md [proposed]: landed" in shown.stdout
    assert "--mark-landed" in shown.stdout
    assert (folder / "email.md").read_bytes() == landed.encode()  # never behind the author's back
    marked = cli(pets, "proposals", "--mark-landed")
    assert marked.returncode == 0, marked.stderr
    assert "marked landed: db/handbook/proposals/email.md" in marked.stdout
    assert (folder / "email.md").read_bytes() == landed.replace(
        "Status: proposed", "Status: landed"
    ).encode()
    assert (folder / "chip.md").read_bytes() == pending.encode()
    closed = cli(pets, "proposals")
    assert "email.md [landed]: closed" in closed.stdout


def test_no_mirror_is_exit_6_one_line(tmp_path: Path) -> None:
    (tmp_path / "docs/project").mkdir(parents=True)
    (tmp_path / "docs/project/db-ssot.json").write_text(json.dumps(CONFIG), encoding="utf-8")
    done = cli(tmp_path, "proposals")
    assert done.returncode == 6
    assert "db/schema/tables.json: missing" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_changes_are_in_the_diff_vocabulary() -> None:
    """The expected changes are `diff.Change`s: the words of evidence 02, nothing else."""
    result = check("ALTER TABLE pets ADD COLUMN chip_id varchar(15);")
    change = result.expected[0]
    assert isinstance(change, Change)
    assert (change.kind, change.object, change.new) == (
        "add_column",
        "public.pets.chip_id",
        "String (varchar(15))",
    )
    assert dump_mirror(schema_of(PETS))  # the base mirror is a valid mirror
