"""Every diagram schemasync renders parses with the real parsers from npm: Mermaid's own
(`mermaid.parse`, an `erDiagram`) and `@dbml/core`'s `Parser` (which also checks that every
reference names a table and column that exist). Over the goldens of `docs_cases.CASES`, the
committed files (the example's pages, the golden pages and exports as they are on disk), and every
corpus schema through import -> render -> parse. One node process for all of them
(`tools/diagrams/check.mjs`): node and mermaid take seconds to start, a parse milliseconds.
Marked `node`: the `e2e` session runs it; under `CI=true` it fails instead of skipping.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Summary, in_ci
from docs_cases import CASES, DATA, EXAMPLE, REPO, diagrams, mermaid_blocks

from schemasync.docs import DOCS_FOLDER
from schemasync.errors import SchemasyncError
from schemasync.prisma.load import load_prisma

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_context import corpus_schemas

pytestmark = pytest.mark.node

TOOLS = REPO / "tools" / "diagrams"


def _all_diagrams() -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    for case, make in sorted(CASES.items()):
        found += diagrams(make(), case)
    committed = [*sorted(DATA.rglob("*.md")), *sorted((EXAMPLE / DOCS_FOLDER).glob("*.md"))]
    for page in committed:
        for n, block in enumerate(mermaid_blocks(page.read_text("utf-8"))):
            found.append((f"{page.relative_to(REPO)}#{n}", "mermaid", block))
    for path in [*sorted(DATA.glob("*/expected.mmd"))]:
        found.append((str(path.relative_to(REPO)), "mermaid", path.read_text("utf-8")))
    for path in [*sorted(DATA.glob("*/expected.dbml"))]:
        found.append((str(path.relative_to(REPO)), "dbml", path.read_text("utf-8")))
    for path in corpus_schemas():
        try:
            schema = load_prisma(path, path if path.is_dir() else path.parent)
        except SchemasyncError:
            continue  # fragments and invalid fixtures: the import's tests cover those
        found += diagrams(schema, str(path))
    return found


@pytest.fixture(scope="module")
def parsed() -> dict[str, tuple[str, dict[str, object]]]:
    """Each diagram's id -> (its text, what the real parser said), from one node process."""
    problem = None
    if shutil.which("node") is None:
        problem = "node is not installed (apt-get install nodejs npm)"
    elif not (TOOLS / "node_modules" / "mermaid").is_dir():
        problem = "tools/diagrams/node_modules is missing: run `cd tools/diagrams && npm ci`"
    if problem is not None:
        if in_ci():
            pytest.fail(f"CI=true and a required tool is missing: {problem}", pytrace=False)
        pytest.skip(problem)
    found = _all_diagrams()
    payload = json.dumps([{"id": i, "kind": k, "text": t} for i, k, t in found])
    proc = subprocess.run(
        ["node", "check.mjs"],
        cwd=TOOLS,
        input=payload,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    assert [r["id"] for r in results] == [i for i, _, _ in found]
    return {i: (t, r) for (i, _, t), r in zip(found, results, strict=True)}


def test_every_diagram_parses(parsed: dict[str, tuple[str, dict[str, object]]]) -> None:
    failed = {i: r["error"] for i, (_, r) in parsed.items() if not r["ok"]}
    assert not failed, json.dumps(failed, indent=2)[:4000]


def test_the_diagrams_cover_the_cases_and_the_corpus(
    parsed: dict[str, tuple[str, dict[str, object]]], summary: Summary
) -> None:
    kinds = {"mermaid": 0, "dbml": 0}
    for ident, (text, _) in parsed.items():
        kinds["dbml" if ident.endswith(".dbml") else "mermaid"] += 1
        assert text.strip()
    corpus = {i.split(":", 1)[0] for i in parsed if i.startswith("/")}
    assert len(corpus) >= 10 or not corpus_schemas(), corpus
    assert kinds["dbml"] >= len(CASES) + len(corpus)
    summary(
        "diagrams parsed by mermaid and @dbml/core",
        {**kinds, "corpus schemas": len(corpus)},
    )


def test_a_broken_diagram_is_caught(tmp_path: Path) -> None:
    """The harness says no when it should (else a green run proves nothing)."""
    if not (TOOLS / "node_modules" / "mermaid").is_dir():
        pytest.skip("tools/diagrams/node_modules is missing")
    bad = [
        {"id": "m", "kind": "mermaid", "text": "erDiagram\n    a |--o{ b : x\n"},
        {"id": "d", "kind": "dbml", "text": 'Table "a" {\n  "x" int [ref: > "b"."id"]\n}\n'},
    ]
    proc = subprocess.run(
        ["node", "check.mjs"], cwd=TOOLS, input=json.dumps(bad), capture_output=True,
        text=True, timeout=300, check=True,
    )  # fmt: skip
    assert [r["ok"] for r in json.loads(proc.stdout)] == [False, False]
