"""`verify` and `check`: re-derive every artifact on a fresh state and compare with the files.

Both work on a state of their own, which has read and derived nothing yet (the runner hands them
one, `Step.fresh`; given a used one, they make one): inside one `sync` the phases' state holds
what they derived and wrote, and comparing that with itself would prove nothing. The fresh state
reads the Prisma schema again, imports it, renders the mirror and the context, and compares them
byte for byte with what is on disk; `verify` also checks the run's evidence and the layering.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from schemasync.diff import Change, diff_schemas, render_changes_text, summarize_changes
from schemasync.errors import ArtifactError, DriftDetected
from schemasync.evidence import EVIDENCE_FILES, CheckItem, check_evidence
from schemasync.result import Result
from schemasync.state import CONTEXT_PATH, MIRROR_PATH, RunState

if TYPE_CHECKING:
    from schemasync.model import Schema


@dataclass(frozen=True)
class ArtifactStatus:
    """How one artifact compares with what the state derives; `problem` is the text output's
    (None: the artifact is current)."""

    path: str
    status: Literal["ok", "missing", "stale", "hand-edited", "old-format", "unadopted"]
    problem: str | None = None
    changes: tuple[Change, ...] = ()
    at: tuple[int, int] | None = None  # the first difference, 0-based (line, column)


@dataclass(frozen=True, kw_only=True)
class Verification(Result):
    """The checklist of `verify`, or the one-line summary of `check`; problems fail the run."""

    checklist: tuple[CheckItem, ...] = ()
    summary: str = ""
    problems: tuple[str, ...] = ()
    artifacts: tuple[ArtifactStatus, ...] = ()
    schema_rel: str = ""


#: At most this many changes are listed in a problem; the rest are counted.
CHANGE_LIMIT = 40


def difference_at(old: str, new: str) -> tuple[int, int, str, str]:
    """Return where two texts first differ: (line, column), both 0-based, and the two lines
    (linear in the texts; a unified diff of two 7 MB mirrors took ~30 s)."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    line = next(
        (i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=False)) if a != b),
        min(len(old_lines), len(new_lines)),
    )
    a = old_lines[line] if line < len(old_lines) else ""
    b = new_lines[line] if line < len(new_lines) else ""
    col = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return line, col, a, b


def first_difference(rel: str, old: str, new: str, width: int = 100) -> str:
    """Return where two texts first differ, as `rel:LINE:COL:` and the two lines cut to `width`
    around that column."""
    return _shown_difference(rel, *difference_at(old, new), width=width)


def _differing(rel: str, problem: str, on_disk: str, derived: str) -> ArtifactStatus:
    """An artifact hand-edited (or stale) where no change shows: `problem`, then where it first
    differs from the re-derived text (found once, for the line and the JSON output alike)."""
    line, col, a, b = difference_at(on_disk, derived)
    shown = _shown_difference(rel, line, col, a, b)
    return ArtifactStatus(rel, "hand-edited", f"{problem}\n{shown}", at=(line, col))


def _shown_difference(rel: str, line: int, col: int, a: str, b: str, width: int = 100) -> str:
    start = max(0, col - width // 2)

    def cut(text: str) -> str:
        part = text[start : start + width]
        return ("…" if start else "") + part + ("…" if start + width < len(text) else "")

    return (
        f"  {rel}:{line + 1}:{col + 1}: first difference\n"
        f"    on disk:     {cut(a) or '(end of file)'}\n"
        f"    re-derived:  {cut(b) or '(end of file)'}"
    )


def _listed(changes: tuple[Change, ...]) -> str:
    """The changes as lines (`render_changes_text`), at most CHANGE_LIMIT of them."""
    shown = render_changes_text(changes[:CHANGE_LIMIT]).rstrip("\n")
    if len(changes) > CHANGE_LIMIT:
        shown += f"\n  ... and {len(changes) - CHANGE_LIMIT} more changes"
    return shown


def changed_inputs(old: Schema, new: Schema, schema_rel: str) -> str:
    """Say which committed input changed since the mirror on disk was derived: the Prisma
    schema, the live capture, or both (empty when neither's sha256 differs)."""
    from schemasync.facts import FACTS_PATH

    said = []
    if old.source.sha256 != new.source.sha256:
        said.append(f"{schema_rel} changed")
    before, after = old.source.capture, new.source.capture
    if before != after:
        what = "added" if before is None else "removed" if after is None else "changed"
        said.append(f"{FACTS_PATH} {what}")
    return f" ({'; '.join(said)})" if said else ""


def _context_format(text: str) -> object:
    """The `format` a context text names, or None when it is no JSON object."""
    from schemasync.jsontext import parse_json

    try:
        data = parse_json(text, CONTEXT_PATH, ArtifactError, "")
    except ArtifactError:
        return None
    return data.get("format") if isinstance(data, dict) else None


def artifact_statuses(state: RunState) -> tuple[ArtifactStatus, ...]:
    """Compare the mirror and context on disk with what `state` derives. A stale mirror is told
    as the changes a sync would make (`diff_schemas`, the vocabulary of evidence 02 and
    `drift`), in time linear in the mirror; a mirror whose text differs where no change shows
    (formatting, a relation's field name), and the context, by their first differing line.

    Raises:
        SourceError: the schema cannot be read or imported.
        ArtifactError: an artifact on disk is corrupt or of an unknown format (exit 6, not a
            difference).
    """
    from schemasync.context import FORMAT as CONTEXT_FORMAT
    from schemasync.context import OLD_FORMATS as CONTEXT_OLD_FORMATS
    from schemasync.context import load_context
    from schemasync.mirror import changed_parts
    from schemasync.model import FORMAT, FORMAT_V1
    from schemasync.template_v2 import (
        V2_FORMAT,
        V2_MIRROR,
        text_is_v2,
        updated_at,
        with_updated_at,
    )

    sync = state.run.command("sync")
    on_disk = state.read(MIRROR_PATH)
    derived = state.mirror_text
    mirror = ArtifactStatus(MIRROR_PATH, "ok")
    if on_disk is None:
        mirror = ArtifactStatus(MIRROR_PATH, "missing", f"{MIRROR_PATH}: missing; run `{sync}`")
    elif text_is_v2(on_disk):
        mirror = ArtifactStatus(
            MIRROR_PATH,
            "unadopted",
            f"{MIRROR_PATH}: {V2_MIRROR}, not adopted yet: run `{sync}` to adopt it (it is "
            f"replaced by schemasync's mirror, {FORMAT}; evidence 02 keeps the old file's "
            "sha256 and counts what it had wrong)",
        )
    elif on_disk != derived:
        # corrupt or foreign: exit 6, not a difference; only what differs is validated
        old, new, written_as = changed_parts(
            on_disk, state.schema, derived, MIRROR_PATH, rebuild=sync
        )
        changes = diff_schemas(old, new)
        if written_as == FORMAT_V1:
            mirror = ArtifactStatus(
                MIRROR_PATH,
                "old-format",
                f"{MIRROR_PATH}: written in format {FORMAT_V1}; run `{sync}` to rewrite it as "
                f"{FORMAT}",
                changes,
            )
        elif changes:
            mirror = ArtifactStatus(
                MIRROR_PATH,
                "stale",
                f"{MIRROR_PATH}: stale{changed_inputs(old, state.schema, state.schema_rel)}: "
                f"the import of {state.schema_rel} makes "
                f"{summarize_changes(changes)}; never edit it: run `{sync}`\n" + _listed(changes),
                changes,
            )
        else:
            mirror = _differing(
                MIRROR_PATH,
                f"{MIRROR_PATH}: hand-edited: its text differs from the import of "
                f"{state.schema_rel}, though no table, column, key, index, relation, view or "
                f"enum does; never edit it: run `{sync}`",
                on_disk,
                derived,
            )
    if mirror.status == "stale":
        # The context is derived from the mirror (it names the mirror's sha256): a sync rewrites
        # it and its slices whatever they hold, so they are not rendered and compared here (at
        # 1,000 models that was a third of `check`'s time on a stale mirror). So are the pages.
        from schemasync.docs import DOCS_FOLDER

        followers = [CONTEXT_PATH, *([f"{DOCS_FOLDER}/"] if state.run.config.docs else [])]
        return (
            mirror,
            *(
                ArtifactStatus(
                    rel,
                    "stale",
                    f"{rel}: stale: derived from the mirror, it follows the mirror's "
                    f"changes (not compared; never edit it: run `{sync}`)",
                )
                for rel in followers
            ),
        )
    on_disk = state.read(CONTEXT_PATH)
    derived = state.context_text
    context = ArtifactStatus(CONTEXT_PATH, "ok")
    if on_disk is None:
        context = ArtifactStatus(CONTEXT_PATH, "missing", f"{CONTEXT_PATH}: missing; run `{sync}`")
    elif on_disk != derived and state.context_format == V2_FORMAT:
        stamp = updated_at(on_disk)  # shown where the facts differ, not where the clocks do
        context = _differing(
            CONTEXT_PATH,
            f"{CONTEXT_PATH}: differs from the {V2_FORMAT} context derived from the mirror "
            f"(hand-edited or stale; never edit it: run `{sync}`)",
            on_disk,
            derived if stamp is None else with_updated_at(derived, stamp),
        )
    elif on_disk != derived and text_is_v2(on_disk):  # context.format chose schemasync's
        context = ArtifactStatus(
            CONTEXT_PATH,
            "old-format",
            f"{CONTEXT_PATH}: written in format {V2_FORMAT}, the project's context.format is "
            f"{state.context_format}: run `{sync}` to rewrite it",
        )
    elif on_disk != derived:
        try:
            load_context(on_disk, CONTEXT_PATH, rebuild=sync)  # corrupt: exit 6
        except ArtifactError:
            context_format = _context_format(on_disk)
            if context_format not in CONTEXT_OLD_FORMATS:
                raise
            context = ArtifactStatus(
                CONTEXT_PATH,
                "old-format",
                f"{CONTEXT_PATH}: written in format {context_format}; run `{sync}` to rewrite "
                f"it as {CONTEXT_FORMAT}",
            )
        else:
            context = _differing(
                CONTEXT_PATH,
                f"{CONTEXT_PATH}: differs from the context derived from the mirror (hand-edited "
                f"or stale; never edit it: run `{sync}`)",
                on_disk,
                derived,
            )
    return (
        mirror,
        context,
        *_slice_statuses(state),
        *_docs_statuses(state),
        *_registry_statuses(state, derived),
    )


def _registry_statuses(state: RunState, context_text: str) -> tuple[ArtifactStatus, ...]:
    """How the `db-schema` entry of `docs/context/registry.json` compares with the context
    derived (the template's `ctl-context verify --strict` fails on a checksum that differs)."""
    from schemasync.template_v2 import REGISTRY_PATH, registry_entry

    text = state.read(REGISTRY_PATH)
    entry = None if text is None else registry_entry(text, CONTEXT_PATH)
    if entry is None:
        return ()
    want = state.sha256(context_text)
    if entry.get("checksumSha256") == want and entry.get("format") == state.context_format:
        return (ArtifactStatus(REGISTRY_PATH, "ok"),)
    return (
        ArtifactStatus(
            REGISTRY_PATH,
            "stale",
            f"{REGISTRY_PATH}: the db-schema entry records checksumSha256 "
            f"{str(entry.get('checksumSha256'))[:12]}… and format {entry.get('format')!r}, the "
            f"context derived has {want[:12]}… and {state.context_format!r}: run "
            f"`{state.run.command('sync')}`",
        ),
    )


def _slice_statuses(state: RunState) -> tuple[ArtifactStatus, ...]:
    """How each slice of a sliced context compares (`context.slice_context`), and a slice
    file on disk that the context no longer has (stale: a sync removes it).

    Raises:
        ArtifactError: a slice on disk is corrupt or of an unknown format.
    """
    from schemasync.context import FORMAT, OLD_FORMATS, SLICE_FOLDER, load_context

    sync = state.run.command("sync")

    def checked(rel: str, text: str) -> ArtifactStatus | None:
        """A slice in an older format is told so; a corrupt one is an ArtifactError."""
        try:
            load_context(text, rel, rebuild=sync)
        except ArtifactError:
            written_as = _context_format(text)
            if written_as not in OLD_FORMATS:
                raise
            problem = f"{rel}: written in format {written_as}; run `{sync}` to rewrite it as "
            return ArtifactStatus(rel, "old-format", problem + FORMAT)
        return None

    return _derived_statuses(
        state,
        dict(state.context_files[1:]),
        (SLICE_FOLDER, ".json"),
        "context slice",
        checked,
    )


def _docs_statuses(state: RunState) -> tuple[ArtifactStatus, ...]:
    """How each page for people compares (`docs.render_docs`, when `"docs"` is on), and a page
    on disk that the mirror no longer has (stale: a sync removes it)."""
    from schemasync.docs import DOCS_FOLDER

    if not state.run.config.docs:
        return ()
    return _derived_statuses(state, dict(state.docs_files), (DOCS_FOLDER, ".md"), "page", None)


def _derived_statuses(
    state: RunState,
    derived: dict[str, str],
    folder: tuple[str, str],
    what: str,
    validate: Callable[[str, str], ArtifactStatus | None] | None,
) -> tuple[ArtifactStatus, ...]:
    """How each file of a derived set compares with disk: missing, what `validate` says of a
    file that differs (an old format), else where it first differs; and each file of the set's
    folder (`folder`: path, suffix) that the set no longer has.

    Raises:
        ArtifactError: `validate` found a file on disk corrupt.
    """
    sync = state.run.command("sync")
    out = []
    for rel, text in derived.items():
        on_disk = state.read(rel)
        if on_disk is None:
            out.append(ArtifactStatus(rel, "missing", f"{rel}: missing; run `{sync}`"))
        elif on_disk != text:
            said = validate(rel, on_disk) if validate is not None else None
            if said is not None:
                out.append(said)
                continue
            out.append(
                _differing(
                    rel,
                    f"{rel}: differs from the {what} derived from the mirror (hand-edited "
                    f"or stale; never edit it: run `{sync}`)",
                    on_disk,
                    text,
                )
            )
        else:
            out.append(ArtifactStatus(rel, "ok"))
    for rel in state.listing(*folder):
        if rel not in derived:
            out.append(
                ArtifactStatus(
                    rel,
                    "stale",
                    f"{rel}: a {what} the mirror no longer has; never edit it: run "
                    f"`{sync}` to remove it",
                )
            )
    return tuple(out)


def artifact_problems(state: RunState) -> tuple[str, ...]:
    """The problems of `artifact_statuses`, one per artifact that is not current."""
    return tuple(a.problem for a in artifact_statuses(state) if a.problem is not None)


def agents_problems(state: RunState) -> tuple[str, ...]:
    """The problem with `AGENTS.md`'s schemasync block, if any (a project without the file has
    none: Phase C creates it, and a project may delete it)."""
    from schemasync.agents import AGENTS_PATH, agents_problem

    problem = agents_problem(state.read(AGENTS_PATH), state.run.command("sync"))
    return (problem,) if problem else ()


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
    from schemasync.docs import DOCS_FOLDER
    from schemasync.phases import layer_problems, layer_report, literal_url_problems

    fresh = state if state.untouched else state.fresh()
    literal = literal_url_problems(fresh)
    artifacts = (*literal, *artifact_problems(fresh), *agents_problems(fresh))
    evidence = evidence_problems(fresh)
    layers = layer_problems(layer_report(fresh)[0])
    checklist = (
        CheckItem(
            f"`{MIRROR_PATH}` matches the import of `{fresh.schema_rel}`",
            not any(p.startswith(MIRROR_PATH) for p in artifacts),
        ),
        CheckItem(
            f"`{CONTEXT_PATH}` (and its slices, if any) matches the mirror",
            # `docs/context/db/schema.json` and the slices in `docs/context/db/schema/`
            not any(p.startswith(CONTEXT_PATH.removesuffix(".json")) for p in artifacts),
        ),
        *(
            (
                CheckItem(
                    f"`{DOCS_FOLDER}/` (the pages for people) matches the mirror",
                    not any(p.startswith(f"{DOCS_FOLDER}/") for p in artifacts),
                ),
            )
            if fresh.run.config.docs
            else ()
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
    artifacts = artifact_statuses(fresh)
    problems = (
        *literal_url_problems(fresh),
        *(a.problem for a in artifacts if a.problem is not None),
        *agents_problems(fresh),
    )
    return Verification(
        summary=f"ok: {MIRROR_PATH}"
        + (f", {CONTEXT_PATH} and docs/db/" if fresh.run.config.docs else f" and {CONTEXT_PATH}")
        + f" match {fresh.schema_rel}",
        problems=problems,
        artifacts=artifacts,
        schema_rel=fresh.schema_rel,
        failure=DriftDetected("check failed:\n" + "\n".join(problems)) if problems else None,
    )


def synced(state: RunState) -> Result:
    """`sync` itself: nothing to do between its phases (pre) and its `verify` (post)."""
    return Result()
