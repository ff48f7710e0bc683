"""Evidence markdown: render a phase's values into its template, and check a file back.

Templates are `string.Template` files (no logic): the packaged ones in `schemasync/templates/`
(a copy of the repo's `evidence_templates/`), or a project's own `evidence_templates/` folder.
Every rendered file is parsed back with markdown-it-py and must have the required headings and a
GFM checklist. Pure functions: `runner.py` reads templates and writes files.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from schemasync.errors import ArtifactError

EVIDENCE_FILES: tuple[str, ...] = (
    "00-ssot-mode-check.md",
    "01-db-pull-instructions.md",
    "02-import-prisma-log.md",
    "03-context-refresh-log.md",
    "04-layer-coherence.md",
)
#: `drift`'s evidence, written only into a folder its flags name (not one of the phases' files).
DRIFT_EVIDENCE = "05-drift-check.md"
#: Every template a project may override in its own `evidence_templates/`.
TEMPLATES: tuple[str, ...] = (*EVIDENCE_FILES, DRIFT_EVIDENCE)
#: How an evidence file written before the files it describes begins its results
#: (`runner.pending_evidence`); the final record, written after them, does not.
PENDING = "**Pending, not confirmed**"

REQUIRED_HEADINGS: tuple[str, ...] = ("What ran", "Inputs", "Results", "Checklist", "Next step")


@dataclass(frozen=True)
class CheckItem:
    """One checklist line: done or not."""

    text: str
    done: bool


def render_checklist(items: Sequence[CheckItem]) -> str:
    """Return a GFM task list."""
    return "\n".join(f"- [{'x' if i.done else ' '}] {i.text}" for i in items)


def render_inputs(rows: Sequence[tuple[str, str]]) -> str:
    """Return a two-column table of repo paths and their sha256 (or a note)."""
    lines = ["| input | sha256 |", "|---|---|"]
    lines += [f"| `{path}` | {sha} |" for path, sha in rows]
    return "\n".join(lines)


def render_evidence(template: str, values: Mapping[str, str], name: str = "template") -> str:
    """Substitute `values` into `template` (`$name` placeholders).

    Raises:
        ArtifactError: the template uses a placeholder schemasync does not provide.
    """
    try:
        text = string.Template(template).substitute(values)
    except KeyError as err:
        known = ", ".join(f"${k}" for k in sorted(values))
        raise ArtifactError(
            f"{name}: unknown placeholder ${err.args[0]}; a template may use {known}"
        ) from err
    except ValueError as err:
        raise ArtifactError(f"{name}: invalid template ({err}); write $$ for a literal $") from err
    return text if text.endswith("\n") else text + "\n"


def check_evidence(text: str) -> tuple[str, ...]:
    """Return what is wrong with an evidence file (empty when complete).

    Complete means: every heading of `REQUIRED_HEADINGS` as a level-2 heading, a GFM task
    list (`- [x] …` / `- [ ] …`) under `## Checklist`, and not a pending record (`PENDING`).
    """
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    headings: list[str] = []
    in_checklist = False
    tasks = 0
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            title = tokens[i + 1].content.strip()
            if token.tag == "h2":
                headings.append(title)
            in_checklist = token.tag == "h2" and title == "Checklist"
        elif (
            in_checklist
            and token.type == "inline"
            and i >= 2
            and tokens[i - 1].type == "paragraph_open"
            and tokens[i - 2].type == "list_item_open"
            and token.content[:4] in ("[ ] ", "[x] ", "[X] ")
        ):
            # A list item's paragraph: GFM task list items start with "[ ] " or "[x] ".
            tasks += 1
    problems = [f"missing heading '## {h}'" for h in REQUIRED_HEADINGS if h not in headings]
    if "Checklist" in headings and tasks == 0:
        problems.append("the Checklist section has no '- [x] …' items")
    if PENDING in text:
        problems.append(
            "pending: written before the files it describes, which may not be on disk (a run "
            "stopped or failed there); run the phase again"
        )
    if "$" in text and any(f"${k}" in text for k in _PLACEHOLDERS):
        problems.append("a template placeholder was left unfilled")
    return tuple(problems)


_PLACEHOLDERS: tuple[str, ...] = (
    "run_id",
    "env",
    "project",
    "command",
    "inputs",
    "results",
    "checklist",
    "next_step",
)
