"""Pages for people (`docs/db/`, issue 14 item 5) and `schemasync export` (issue 16 item 3).

Goldens of the pages and of both exports per case (`docs_cases.CASES`), each page read back with
markdown-it-py (every column, index, foreign key and link is what the mirror says, whatever the
names hold); safe, stable file names for any table name; Phase C writes the pages only when
`"docs": true`, `check` names a missing, hand-edited or stray page and a sync removes a stray
one; `export` prints or writes the goldens. That the Mermaid and DBML parse with the real
parsers is `test_diagrams_valid.py`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import GoldenCheck
from docs_cases import CASES, DATA, EXAMPLE, REPO, expected_pages, markdown, mermaid_blocks
from hypothesis import given
from hypothesis import strategies as st
from in_process import run_schemasync
from safety_project import make_project, run_cli

from schemasync.context import split_warnings
from schemasync.dbml import render_dbml
from schemasync.diagram import edges, entity_ids, key_of, key_text, render_mermaid
from schemasync.docs import DOCS_FOLDER, page_names, render_docs
from schemasync.model import Schema, Table, View

# ---- goldens ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(CASES))
def test_pages_golden(case: str, golden: GoldenCheck) -> None:
    pages = render_docs(CASES[case]())
    folder = expected_pages(case)
    for rel, text in pages:
        golden(text, folder / rel)
    on_disk = sorted(p.relative_to(folder).as_posix() for p in (folder / DOCS_FOLDER).glob("*"))
    assert on_disk == sorted(rel for rel, _ in pages), "a golden page the mirror does not have"


@pytest.mark.parametrize("case", sorted(CASES))
def test_exports_golden(case: str, golden: GoldenCheck) -> None:
    schema = CASES[case]()
    golden(render_dbml(schema), DATA / case / "expected.dbml")
    golden(render_mermaid(schema), DATA / case / "expected.mmd")


# ---- the pages say what the mirror says ----------------------------------------------------


def _tables(text: str) -> dict[str, list[list[str]]]:
    """Each `## heading`'s first table, as rows of cell texts (code spans and links unwrapped;
    the header row first)."""
    tokens = markdown().parse(text)
    found: dict[str, list[list[str]]] = {}
    heading = None
    rows: list[list[str]] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag == "h2":
            heading = tokens[i + 1].content
        elif tok.type == "tr_open":
            rows.append([])
        elif tok.type == "inline" and rows and tokens[i - 1].type in ("th_open", "td_open"):
            rows[-1].append(
                "".join(c.content for c in tok.children or () if c.type in ("text", "code_inline"))
            )
        elif tok.type == "table_close" and heading is not None:
            found.setdefault(heading, rows)
            rows = []
    return found


def _flat(name: str) -> str:
    """A name as a code span reads: one line (a newline in a name reads as a space)."""
    return name.replace("\n", " ")


def _links(text: str) -> list[str]:
    return [
        str(c.attrs["href"])
        for t in markdown().parse(text)
        if t.type == "inline"
        for c in t.children or ()
        if c.type == "link_open"
    ]


@pytest.mark.parametrize("case", sorted(CASES))
def test_pages_read_back_as_the_mirror_says(case: str) -> None:
    schema = CASES[case]()
    pages = dict(render_docs(schema))
    objects: list[Table | View] = [*schema.tables, *schema.views]
    names = page_names(key_of(o) for o in objects)
    links = edges(schema)
    for obj in objects:
        key = key_of(obj)
        text = pages[f"{DOCS_FOLDER}/{names[key]}"]
        title = next(t for t in markdown().parse(text) if t.type == "inline").children
        assert title is not None
        assert "".join(c.content for c in title if c.type == "code_inline") == _flat(key_text(key))
        comment = split_warnings(obj.comment)[0]
        if comment:  # the paragraph after the link to the README
            inlines = [t for t in markdown().parse(text) if t.type == "inline"]
            said = "".join(
                c.content if c.type != "softbreak" else "\n" for c in inlines[2].children or ()
            )
            lines = [" ".join(line.split()) for line in comment.splitlines() if line.strip()]
            assert said == "\n".join(lines)
        tables = _tables(text)
        columns = tables["Columns"]
        assert [r[0] for r in columns[1:]] == [_flat(c.name) for c in obj.columns]
        assert [r[2] for r in columns[1:]] == [_flat(c.db_type) for c in obj.columns]
        assert [r[3] for r in columns[1:]] == ["yes" if c.nullable else "no" for c in obj.columns]
        if isinstance(obj, Table):
            assert [r[0] for r in tables.get("Indexes", [[]])[1:]] == [
                _flat(i.name) for i in obj.indexes
            ]
            assert [r[0] for r in tables.get("Checks", [[]])[1:]] == [
                _flat(c.name) for c in obj.checks
            ]
        out = [e for e in links if e.child == key]
        assert [(r[0], r[3]) for r in tables.get("Foreign keys", [[]])[1:]] == [
            (_flat(e.name or ""), e.on_delete or "enforced by Prisma only") for e in out
        ]
        into = [e for e in links if e.parent == key]
        assert [r[0] for r in tables.get("Referenced by", [[]])[1:]] == [
            _flat(key_text(e.child)) for e in into
        ]
        assert len(mermaid_blocks(text)) == 1
        for href in _links(text):
            assert href == "README.md" or f"{DOCS_FOLDER}/{href}" in pages, href
    readme = pages[f"{DOCS_FOLDER}/README.md"]
    listed = [
        "".join(c.content for c in t.children or () if c.type == "code_inline")
        for t in markdown().parse(readme)
        if t.type == "inline" and t.content.startswith("[`")
    ]
    assert sorted(listed) == sorted(_flat(key_text(key_of(o))) for o in objects)
    assert sorted(f"{DOCS_FOLDER}/{h}" for h in _links(readme)) == sorted(
        rel for rel in pages if not rel.endswith("/README.md")
    )


def test_a_page_keeps_the_odd_spelling_of_names_and_comments() -> None:
    pages = dict(render_docs(CASES["odd"]()))
    staff = pages[f"{DOCS_FOLDER}/public.employee__staff_.md"]
    paragraphs = [
        "".join(c.content if c.type != "softbreak" else "\n" for c in t.children or ())
        for t in markdown().parse(staff)
        if t.type == "inline"
    ]
    assert paragraphs[2] == (
        'Staff, with their "manager" | boss.\nSecond line: <b>not bold</b> *nor* _this_ [link](x).'
    )
    rows = _tables(staff)["Columns"]
    assert [rows[4][0], rows[4][6]] == ["nick`name", 'nick `name` | as "shown"']


def test_a_split_readme_draws_each_schema() -> None:
    """More than SPLIT_ABOVE tables over several PostgreSQL schemas: one diagram per schema,
    and a foreign key into another schema still drawn (its table without attributes)."""
    from schemasync.docs import SPLIT_ABOVE

    base = CASES["multi"]()
    extra = [
        Table(name=f"t{n:02d}", db_schema="public") for n in range(SPLIT_ABOVE)
    ]  # fmt: skip
    schema = base.model_copy(update={"tables": (*base.tables, *extra)})
    schema = Schema.model_validate(schema.model_dump(by_alias=True))
    readme = render_docs(schema)[0][1]
    assert re.findall(r"^## Schema `(\w+)`", readme, flags=re.M) == ["billing", "public"]
    blocks = mermaid_blocks(readme)
    assert len(blocks) == 2
    assert 'public_customers["public.customers"]\n' in blocks[0]  # drawn, not listed


# ---- file names ---------------------------------------------------------------------------

_SAFE = re.compile(r"^[A-Za-z0-9_.-]+\.md$")
names_st = st.lists(
    st.tuples(st.one_of(st.none(), st.text(max_size=12)), st.text(min_size=1, max_size=140)),
    unique=True,
    max_size=12,
)


@given(names_st)
def test_page_names_are_safe_distinct_and_stable(keys: list[tuple[str | None, str]]) -> None:
    names = page_names(keys)
    files = list(names.values())
    assert all(_SAFE.match(f) and not f.startswith(".") for f in files), files
    assert len({f.lower() for f in files}) == len(files), "a clash once case is folded"
    assert "readme.md" not in {f.lower() for f in files}
    assert not {f.split(".")[0].lower() for f in files} & {"con", "nul", "aux", "prn", "com1"}
    assert all(len(f.encode()) <= 120 for f in files)
    assert page_names(list(reversed(keys))) == names


def test_page_names_hash_only_what_clashes() -> None:
    names = page_names(
        [("public", "Orders"), ("public", "orders"), (None, "README"), (None, "a.b"),
         (None, "a_b"), (None, "customers"), ("s", "x" * 150), ("con", "x"), ("s", "CON")]
    )  # fmt: skip
    assert names[(None, "customers")] == "customers.md"
    assert names[("con", "x")] == "_con.x.md"
    assert names[("s", "CON")] == "s.CON.md"
    assert names[(None, "README")].startswith("README-")
    assert names[("public", "Orders")].startswith("public.Orders-")
    assert names[("public", "orders")].startswith("public.orders-")
    assert names[(None, "a.b")] == "a.b.md"  # `a.b` and `a_b` give different stems
    exact = json.dumps(["s", "x" * 150]).encode()
    assert names[("s", "x" * 150)] == f"s.{'x' * 98}-{hashlib.sha256(exact).hexdigest()[:10]}.md"


def test_pages_are_the_same_bytes_whatever_the_hash_seed() -> None:
    code = (
        "import hashlib, sys; sys.path.insert(0, 'tests'); from docs_cases import CASES;"
        "from schemasync.docs import render_docs;"
        "print(hashlib.sha256(repr([render_docs(m()) for m in CASES.values()]).encode())"
        ".hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


# ---- Phase C, check, sync -----------------------------------------------------------------


def _set_docs(project: Path, value: Any) -> None:
    path = project / "docs/project/db-ssot.json"
    config = json.loads(path.read_text())
    config["docs"] = value
    path.write_text(json.dumps(config, indent=2) + "\n")


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example (docs on), the current folder."""
    project = make_project(tmp_path)
    monkeypatch.chdir(project)
    return project


def test_example_pages_are_current() -> None:
    code, err = run_schemasync(["check", "--root", "examples/shop"])
    assert (code, err) == (0, "")


def test_check_names_a_missing_hand_edited_or_stray_page_and_sync_mends_it(shop: Path) -> None:
    project = shop
    docs = project / DOCS_FOLDER
    (docs / "orders.md").unlink()
    edited = (docs / "customers.md").read_text().replace("| `email` |", "| `e-mail` |")
    (docs / "customers.md").write_text(edited)
    (docs / "gone.md").write_text("# a table dropped since\n")
    code, err = run_schemasync(["check"])
    assert code == 1
    assert f"{DOCS_FOLDER}/orders.md: missing; run `schemasync sync`" in err
    assert f"{DOCS_FOLDER}/customers.md: differs from the page derived from the mirror" in err
    assert "| `e-mail` |" in err  # where it differs
    assert f"{DOCS_FOLDER}/gone.md: a page the mirror no longer has" in err
    code, err = run_schemasync(["refresh-context", "-q"])
    assert code == 0, err
    assert not (docs / "gone.md").exists()
    assert run_schemasync(["check"]) == (0, "")


def test_a_schema_change_reaches_the_pages(shop: Path) -> None:
    project = shop
    schema = project / "prisma/schema.prisma"
    text = schema.read_text()
    assert "model customers {" in text
    schema.write_text(text.replace("model customers {", "model customers {\n  nickname String?", 1))
    code, err = run_schemasync(["check"])
    assert code == 1
    assert re.search(r"add_column +customers\.nickname", err), err
    assert f"{DOCS_FOLDER}/: stale: derived from the mirror" in err
    code, err = run_schemasync(["sync", "-q"])
    assert code == 0, err
    page = (project / DOCS_FOLDER / "customers.md").read_text()
    assert "| `nickname` | `String` | `text` | yes |" in page


def test_docs_off_writes_no_page(shop: Path) -> None:
    project = shop
    _set_docs(project, False)
    for page in (project / DOCS_FOLDER).iterdir():
        page.unlink()
    code, err = run_schemasync(["sync", "-q"])
    assert code == 0, err
    assert list((project / DOCS_FOLDER).iterdir()) == []


def test_docs_must_be_a_boolean(shop: Path) -> None:
    project = shop
    _set_docs(project, "yes")
    code, err = run_schemasync(["check"])
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert re.search(r"db-ssot\.json:\d+:\d+: .*docs", err), err


# ---- export -------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "golden_file"), [("dbml", "expected.dbml"),
                                                   ("mermaid", "expected.mmd")])  # fmt: skip
def test_export_prints_the_golden(fmt: str, golden_file: str) -> None:
    proc = run_cli(EXAMPLE, "export", "--format", fmt)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == (DATA / "shop" / golden_file).read_text()


def test_export_out_writes_the_file(shop: Path) -> None:
    project = shop
    code, err = run_schemasync(["export", "--format", "dbml",
                                "--out", "shop.dbml"])  # fmt: skip
    assert (code, err) == (0, "")
    assert (project / "shop.dbml").read_text() == (DATA / "shop" / "expected.dbml").read_text()


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        ([], 2, "export: give --format dbml or --format mermaid"),
        (["--format", "json"], 2, "--format 'json': give dbml or mermaid"),
        (["--format", "dbml", "--out", "docs/db/x.dbml"], 2, "is a file schemasync manages"),
        (["--format", "mermaid", "--out", "db/schema/tables.json"], 2, "schemasync manages"),
    ],
)
def test_export_refuses_bad_options(shop: Path, args: list[str], code: int, says: str) -> None:
    project = shop
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    got, err = run_schemasync(["export", *args])
    assert got == code
    assert says in err
    assert len(err.strip().splitlines()) == 1
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_check_refuses_an_export_format() -> None:
    code, err = run_schemasync(["check", "--root", "examples/shop", "--format", "dbml"])
    assert code == 2
    assert "--format 'dbml': give text or json" in err


def test_export_without_a_mirror_or_with_a_corrupt_one(shop: Path) -> None:
    project = shop
    mirror = project / "db/schema/tables.json"
    mirror.write_text("{not json")
    code, err = run_schemasync(["export", "--format", "dbml"])
    assert code == 6
    assert "db/schema/tables.json:1:" in err
    mirror.unlink()
    code, err = run_schemasync(["export", "--format", "dbml"])
    assert code == 6
    assert "db/schema/tables.json: missing; run `schemasync sync`" in err


@given(names_st)
def test_diagram_ids_are_distinct_words(keys: list[tuple[str | None, str]]) -> None:
    ids = entity_ids(keys)
    assert len({i.lower() for i in ids.values()}) == len(keys)
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", i) for i in ids.values())


def test_a_schema_too_large_for_one_diagram_says_so() -> None:
    """Above Mermaid's default `maxTextSize` even without columns, the README says why it
    draws no diagram (silence would look like a bug); every page still draws its table."""
    from schemasync.docs import MERMAID_MAX_TEXT

    base = CASES["relation-mode"]()
    extra = tuple(Table(name=f"table_with_a_long_name_{n:04d}") for n in range(2_000))
    schema = Schema.model_validate(
        base.model_copy(update={"tables": (*base.tables, *extra)}).model_dump(by_alias=True)
    )
    pages = render_docs(schema)
    readme = pages[0][1]
    assert not mermaid_blocks(readme)
    assert f"Mermaid renders at most {MERMAID_MAX_TEXT:,}" in readme
    assert all(len(mermaid_blocks(text)) == 1 for _, text in pages[1:])
