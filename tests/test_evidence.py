"""Evidence templates: packaged copy, rendering, and the parse-back completeness check."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from schemasync.errors import ArtifactError
from schemasync.evidence import (
    EVIDENCE_FILES,
    TEMPLATES,
    CheckItem,
    check_evidence,
    render_checklist,
    render_evidence,
    render_inputs,
)

REPO = Path(__file__).resolve().parent.parent
VALUES = {
    "run_id": "20260101T000000Z",
    "env": "dev",
    "project": "shop",
    "command": "invoke mode-check",
    "inputs": render_inputs([("docs/project/db-ssot.json", "ab" * 32)]),
    "results": "All good.",
    "checklist": render_checklist([CheckItem("done", True), CheckItem("human step", False)]),
    "next_step": "Run `invoke phase-a`.",
}


def test_packaged_templates_are_the_repo_templates() -> None:
    repo = REPO / "evidence_templates"
    packaged = REPO / "schemasync" / "templates"
    assert sorted(p.name for p in repo.glob("*.md")) == sorted(TEMPLATES)
    assert sorted(p.name for p in packaged.glob("*.md")) == sorted(TEMPLATES)
    for name in TEMPLATES:
        assert filecmp.cmp(repo / name, packaged / name, shallow=False), name


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_template_renders_complete(name: str) -> None:
    text = render_evidence((REPO / "evidence_templates" / name).read_text(), VALUES, name)
    assert check_evidence(text) == ()
    assert "- [x] done" in text
    assert "- [ ] human step" in text
    assert text.endswith("\n")
    assert "$" not in text


def test_missing_headings_and_checklist_are_reported() -> None:
    text = "# T\n\n## What ran\n\nx\n\n## Results\n\ny\n\n## Checklist\n\n- plain item\n"
    problems = check_evidence(text)
    assert "missing heading '## Inputs'" in problems
    assert "missing heading '## Next step'" in problems
    assert "the Checklist section has no '- [x] …' items" in problems


def test_checklist_must_be_under_its_heading() -> None:
    base = render_evidence((REPO / "evidence_templates" / EVIDENCE_FILES[0]).read_text(), VALUES)
    moved = base.replace("## Checklist", "## Checklist\n\nnone\n\n## Other")
    assert "the Checklist section has no '- [x] …' items" in check_evidence(moved)


def test_unknown_placeholder_is_an_artifact_error() -> None:
    with pytest.raises(ArtifactError, match=r"unknown placeholder \$whoami"):
        render_evidence("# x $whoami", VALUES, "evidence_templates/00-ssot-mode-check.md")


def test_inputs_table_parses_as_a_table() -> None:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(VALUES["inputs"])
    assert [t.type for t in tokens].count("tr_open") == 2
