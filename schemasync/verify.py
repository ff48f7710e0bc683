"""`verify` and `check`: re-derive every artifact on a fresh state and compare with the files.

Both work on a state of their own, which has read and derived nothing yet (the runner hands them
one, `Step.fresh`; given a used one, they make one): inside one `sync` the phases' state holds
what they derived and wrote, and comparing that with itself would prove nothing. The fresh state
reads the Prisma schema again, imports it, renders the mirror and the context, and compares them
byte for byte with what is on disk; `verify` also checks the run's evidence and the layering.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from schemasync.errors import DriftDetected
from schemasync.evidence import EVIDENCE_FILES, CheckItem, check_evidence
from schemasync.result import Result
from schemasync.state import CONTEXT_PATH, MIRROR_PATH, RunState


@dataclass(frozen=True, kw_only=True)
class Verification(Result):
    """The checklist of `verify`, or the one-line summary of `check`; problems fail the run."""

    checklist: tuple[CheckItem, ...] = ()
    summary: str = ""
    problems: tuple[str, ...] = ()


def _unified(rel: str, old: str, new: str, limit: int = 40) -> str:
    diff = list(
        difflib.unified_diff(
            old.splitlines(),
            new.splitlines(),
            f"{rel} (on disk)",
            f"{rel} (re-derived)",
            lineterm="",
            n=1,
        )
    )
    if len(diff) > limit:
        diff = [*diff[:limit], f"... {len(diff) - limit} more diff lines"]
    return "\n".join(diff)


def artifact_problems(state: RunState) -> tuple[str, ...]:
    """Compare the mirror and context on disk with what `state` derives; a problem per
    difference, with a unified diff.

    Raises:
        SourceError: the schema cannot be read or imported.
        ArtifactError: an artifact on disk is corrupt or of an unknown format (exit 6, not a
            difference).
    """
    from schemasync.context import load_context
    from schemasync.mirror import load_mirror

    sync = state.run.command("sync")
    artifacts: tuple[tuple[str, str, Callable[..., Any], str], ...] = (
        (MIRROR_PATH, state.mirror_text, load_mirror, f"the import of {state.schema_rel}"),
        (CONTEXT_PATH, state.context_text, load_context, "the context derived from the mirror"),
    )
    problems: list[str] = []
    for rel, derived, load, what in artifacts:
        on_disk = state.read(rel)
        if on_disk is None:
            problems.append(f"{rel}: missing; run `{sync}`")
        elif on_disk != derived:
            load(on_disk, rel, rebuild=sync)  # corrupt or foreign: exit 6, not a difference
            from schemasync.model import FORMAT, FORMAT_V1

            if rel == MIRROR_PATH and json.loads(on_disk).get("format") == FORMAT_V1:
                problems.append(
                    f"{rel}: written in format {FORMAT_V1}; run `{sync}` to rewrite it as {FORMAT}"
                )
                continue
            problems.append(
                f"{rel}: differs from {what} (hand-edited or stale; never edit it: run "
                f"`{sync}`):\n" + _unified(rel, on_disk, derived)
            )
    return tuple(problems)


def evidence_problems(state: RunState) -> tuple[str, ...]:
    """Return what is missing or incomplete in the run's evidence folder."""
    folder = state.run.evidence
    problems = []
    for name in EVIDENCE_FILES:
        rel = f"{folder}/{name}"
        text = state.read(rel)
        if text is None:
            problems.append(
                f"{rel}: missing; run the phase that writes it (`{state.run.command('sync')}`)"
            )
            continue
        problems += [f"{rel}: {p}" for p in check_evidence(text)]
    return tuple(problems)


def verify(state: RunState) -> Verification:
    """Re-derive every artifact on a fresh state, check evidence and layering."""
    from schemasync.phases import layer_problems, layer_report, literal_url_problems

    fresh = state if state.untouched else state.fresh()
    literal = literal_url_problems(fresh)
    artifacts = (*literal, *artifact_problems(fresh))
    evidence = evidence_problems(fresh)
    layers = layer_problems(layer_report(fresh)[0])
    checklist = (
        CheckItem(
            f"`{MIRROR_PATH}` matches the import of `{fresh.schema_rel}`",
            not any(p.startswith(MIRROR_PATH) for p in artifacts),
        ),
        CheckItem(
            f"`{CONTEXT_PATH}` matches the mirror",
            not any(p.startswith(CONTEXT_PATH) for p in artifacts),
        ),
        CheckItem(f"evidence 00-04 complete in `{state.run.evidence}/`", not evidence),
        CheckItem("layering clean (Phase D)", not layers),
        CheckItem("no literal connection string in the Prisma schema", not literal),
    )
    problems = (*artifacts, *evidence, *layers)
    failure = DriftDetected("verify failed:\n" + "\n".join(problems)) if problems else None
    return Verification(checklist=checklist, problems=problems, failure=failure)


def check(state: RunState) -> Verification:
    """`schemasync check`: the artifacts match the schema (no database, no evidence).

    Raises:
        ModeStop: the project is not in database mode.
    """
    from schemasync.phases import literal_url_problems  # the task table imports this module

    state.run.gate()
    fresh = state if state.untouched else state.fresh()
    problems = (*literal_url_problems(fresh), *artifact_problems(fresh))
    return Verification(
        summary=f"ok: {MIRROR_PATH} and {CONTEXT_PATH} match {fresh.schema_rel}",
        problems=problems,
        failure=DriftDetected("check failed:\n" + "\n".join(problems)) if problems else None,
    )


def synced(state: RunState) -> Result:
    """`sync` itself: nothing to do between its phases (pre) and its `verify` (post)."""
    return Result()
