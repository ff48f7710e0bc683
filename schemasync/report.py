"""Step results -> text: the lines a step prints and the sections of its evidence file.

One function per step, each `(result, run) -> Report`; no decisions are taken here (they are in
`phases.py`, `verify.py`, `commands.py`) and nothing is read or written. Hints name the command
the user ran (`run.command("phase-b")`: `schemasync phase-b` or `invoke phase-b`). The evidence
sections are placed into the (possibly overridden) templates by `runner.py`.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from schemasync.config import CONFIG_PATH
from schemasync.evidence import CheckItem, render_checklist
from schemasync.prisma.rules import PROVIDERS
from schemasync.project import INVERSE_WORKFLOW
from schemasync.state import CONTEXT_PATH, MIRROR_PATH

if TYPE_CHECKING:
    from schemasync.commands import (
        Drift,
        Export,
        Proposals,
        Proposed,
        Pulled,
        Snapshot,
        Status,
        Written,
    )
    from schemasync.outputs import ProposalsDocument
    from schemasync.phases import (
        ContextRefresh,
        Imported,
        LayerCheck,
        ModeCheck,
        PullInstructions,
    )
    from schemasync.project import Run
    from schemasync.proposals import Landing, ProposalCheck
    from schemasync.seed import Seed
    from schemasync.shims import Installed
    from schemasync.verify import Verification


@dataclass(frozen=True)
class Evidence:
    """The sections of an evidence file (the template supplies headings and the run facts)."""

    inputs: tuple[tuple[str, str], ...]  # (input, sha256 or a note)
    results: str  # markdown
    checklist: tuple[CheckItem, ...]
    next_step: str


@dataclass(frozen=True)
class Report:
    """What a step shows: terminal lines, and its evidence when it writes one."""

    lines: tuple[str, ...] = ()
    evidence: Evidence | None = None


def _cell(text: str) -> str:
    """Text as one markdown table cell (a `|` would end it)."""
    return text.replace("|", "\\|").replace("\n", " ")


def _sha(sha: str | None) -> str:
    return sha if sha is not None else "(missing)"


# ---- Phase 0 ----------------------------------------------------------------------------------


def mode_check(r: ModeCheck, run: Run) -> Report:
    """Phase 0: the mode table, or the STOP."""
    inputs = ((CONFIG_PATH, r.config_sha256),)
    if r.failure is not None:
        return Report(
            evidence=Evidence(
                inputs,
                f"**STOP**: mode is `{r.mode}`. {r.failure.message}",
                (CheckItem("db-ssot.json is valid", True), CheckItem("mode is `database`", False)),
                f"Use the `{INVERSE_WORKFLOW}` workflow: here the code is the SSOT.",
            )
        )
    if r.schema_problem is not None:
        dialect = f"unknown until the schema is pulled ({r.schema_problem})"
    elif r.provider:
        dialect = f"`{r.provider}` (datasource of `{r.schema_rel}`)"
    else:
        dialect = "unknown"
    lines = (
        f"mode: database (the live database is the SSOT) — {CONFIG_PATH}",
        f"environment: {r.env} (connection in ${r.url_env}; value never read)",
        f"dialect: {r.provider or 'unknown'}",
        f"evidence: {run.evidence}/",
        *(f"warning: {w}" for w in r.warnings),
    )
    results = "\n".join(
        [
            "| check | result |",
            "|---|---|",
            "| mode | `database`: the live database is the SSOT |",
            f"| environment | `{r.env}`, URL in env var `{r.url_env}` |",
            f"| confirmation | {'required, given' if r.confirm else 'not required'} |",
            f"| dialect | {dialect} |",
            f"| evidence folder | `{run.evidence}/` |",
            *(f"| warning | {_cell(w)} |" for w in r.warnings),
        ]
    )
    return Report(
        lines,
        Evidence(
            (*inputs, (r.schema_rel, _sha(r.schema_sha256))),
            results,
            (
                CheckItem("`docs/project/db-ssot.json` is valid", True),
                CheckItem("mode is `database`", True),
                CheckItem(f"environment `{r.env}` is configured", True),
                CheckItem("dialect is known", r.provider is not None),
            ),
            f"Run `{run.next('phase-a')}` (pull-instructions) and pull the schema from the "
            "database.",
        ),
    )


# ---- Phase A ----------------------------------------------------------------------------------

PROVIDER_NOTES: dict[str, str] = {
    "postgresql": "URL form `postgresql://USER@HOST:5432/DB?schema=public`; for several schemas "
    "list them in the datasource's `schemas`",
    "cockroachdb": "URL form `postgresql://USER@HOST:26257/DB`",
    "mysql": "URL form `mysql://USER@HOST:3306/DB`",
    "sqlserver": "URL form `sqlserver://HOST:1433;database=DB;user=USER`",
    "sqlite": "URL form `file:./dev.db` (a path, relative to the schema file)",
    "mongodb": "URL form `mongodb+srv://USER@HOST/DB`; Prisma samples documents to infer fields",
}


def _prisma_line(r: PullInstructions) -> str:
    """Which Prisma the commands are for, and why (markdown)."""
    v = r.prisma
    if v.contract:
        return (
            f"This project uses Prisma {v.major} ({v.spec} in `package.json`). Prisma 8, in "
            "release candidates, has no `prisma db pull`: it became `prisma contract infer`, "
            "which writes a starter contract for Prisma 8, not the schema schemasync imports "
            f"(see `npx prisma@{v.major} contract --help`). Pull with Prisma {v.pull_major} "
            f"instead, as below: npx runs it beside the project's Prisma {v.major}."
        )
    if v.spec:
        why = f"{v.spec} in `package.json`"
    else:
        why = (f"{v.problem}; " if v.problem else "no `prisma` in `package.json`; ") + (
            f"Prisma {v.major} is the major schemasync is tested with"
        )
    return f"The commands are for Prisma {v.pull_major} ({why})."


def code(text: str) -> str:
    """Return `text` as a markdown code span that holds it whole: fenced with one backtick more
    than its longest run of them (a path with a backtick ended a one-backtick span early, and
    the rest of the command was copied without it), padded when it starts or ends with one."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text[:1] == "`" or text[-1:] == "`" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _seed_line(seed: Seed) -> str:
    """What the seed this run wrote holds (markdown)."""
    parts = [f"provider `{seed.provider}`"]
    parts.append(
        f'`url = env("{seed.url_env}")`'
        if seed.url_env
        else f"no `url` (Prisma {seed.major} reads it from `prisma.config.ts`)"
    )
    if seed.schemas:
        parts.append(f"schemas {', '.join(code(s) for s in seed.schemas)}")
    if seed.features:
        parts.append(f"preview features {', '.join(f'`{f}`' for f in seed.features)}")
    return (
        f"No Prisma schema yet: wrote the seed {code(seed.path)} ({', '.join(parts)}) for the "
        "pull to fill."
    )


def instructions(r: PullInstructions, run: Run) -> tuple[str, ...]:
    """Return copy-paste instructions (markdown lines) for the pinned `prisma db pull`.

    Every command is one code span (`code`) that a shell reads as the words meant: paths are
    quoted (`shlex.quote`), and variable names are names (`db-ssot.json`'s are checked when it
    is loaded, the schema's `env("…")` when it is parsed).
    """
    from schemasync.seed import pull_command

    var = r.url_env
    head = [_prisma_line(r)]
    if r.needs_provider:
        others = ", ".join(p for p in PROVIDERS if p != "postgresql")
        return (
            *head,
            "",
            f"No Prisma schema yet at {code(r.schema_rel)}, and no provider to seed one: run "
            f"{code(run.command('phase-a') + ' --provider postgresql')} (or {others}). It "
            f'writes a seed schema (the datasource with `url = env("{var}")`, a generator with '
            "the `views` preview feature) and prints how to pull the database into it.",
        )
    if r.seed is not None:
        head.append(_seed_line(r.seed))
    elif r.unpulled:
        head.append(
            f"{code(r.schema_rel)} is still a seed (no model yet): the pull below fills it."
        )
    schema_dir = r.schema_rel if r.folder else r.schema_rel.rpartition("/")[0] or "."
    pull = pull_command(r.prisma, r.schema_rel)
    if r.reads != var:
        pull = f'{r.reads}="${var}" {pull}'
    is_set = f'test -n "${var}" && echo set'
    diff = f"git diff -- {shlex.quote(schema_dir)}"
    config_note = (
        f" (Prisma {r.prisma.pull_major} reads the URL from `prisma.config.ts`: give it "
        f'`datasource: {{ url: env("{var}") }}`, `env` from `prisma/config`)'
        if r.prisma.url_in_config
        else ""
    )
    lines = [
        *head,
        "",
        f"1. In your own shell, make sure `{var}` holds the {r.env} connection string "
        "(from your secret store; do not paste it into files, tickets or chat). "
        f"{PROVIDER_NOTES.get(r.provider or '', 'See the datasource provider of the schema')}.",
        f"2. Check it is set without printing it: {code(is_set)}",
        f"3. Pull: {code(pull)}"
        + (" (a schema folder: Prisma rewrites its files)" if r.folder else "")
        + (f" (the datasource reads `{r.reads}`)" if r.reads != var else "")
        + config_note,
        f"4. Check: {code(diff)}"
        " shows only what the database changed; views land in `views/<schema>/<view>.sql`.",
        f"5. Then run {code(run.next('phase-b'))} (import-prisma) to refresh the mirror.",
    ]
    if r.env == "prod":
        lines += [
            "",
            "Production cautions:",
            "- use a read-only database role: introspection only reads the catalog;",
            "- pull in a quiet period or maintenance window: catalog queries can wait on locks;",
            "- never run a Prisma command that writes to this database: the database is the "
            "source of truth, changes go through a DBA (`db/handbook/`).",
        ]
    return tuple(lines)


def pull_instructions(r: PullInstructions, run: Run) -> Report:
    """Phase A: the instructions, the seed when one was written, and the pull when it ran."""
    steps = instructions(r, run)
    pulled = r.after is not None
    lines = [f"How to pull the {r.env} schema (schemasync never reads ${r.url_env}):", *steps]
    inputs = [(f"{r.schema_rel} (before pull)", _sha(r.before))]
    if r.capture_sha256 is not None:
        from schemasync.facts import FACTS_PATH

        inputs.append((f"{FACTS_PATH} (live capture)", r.capture_sha256))
    if pulled:
        inputs.append((f"{r.schema_rel} (after pull)", _sha(r.after)))
        lines.append(f"pulled: {r.schema_rel} sha256 {_sha(r.before)[:12]} -> {_sha(r.after)[:12]}")
    return Report(
        tuple(lines),
        Evidence(
            tuple(inputs),
            "\n".join(steps),
            (
                CheckItem(f"instructions use only the variable name `{r.url_env}`", True),
                CheckItem(f"commands pinned to Prisma {r.prisma.pull_major}", True),
                CheckItem(
                    "a Prisma schema to pull into"
                    + (f" (seed {code(r.seed.path)} written)" if r.seed else ""),
                    not r.needs_provider,
                ),
                CheckItem("schema sha256 recorded before the pull", True),
                CheckItem("a human ran `prisma db pull` and reviewed the diff", pulled),
            ),
            f"Pull as above, then run {code(run.next('phase-b'))} (import-prisma)."
            if not r.needs_provider
            else f"Run `{run.next('phase-a')} --provider <provider>` to write a seed schema.",
        ),
    )


# ---- Phase B ----------------------------------------------------------------------------------


def import_prisma(r: Imported, run: Run) -> Report:
    """Phase B: the import's counts, its changes and what it could not capture."""
    from schemasync.diff import render_changes_markdown, render_changes_text, summarize_changes
    from schemasync.template_v2 import V2_MIRROR

    summary = "first import" if r.first else summarize_changes(r.changes)
    adopted = ""
    if r.adopted is not None:
        summary = f"adopted {V2_MIRROR}"
        wrong = ", ".join(f"{what} {n}" for i, (what, n) in enumerate(r.adopted) if n or i < 5)
        adopted = (
            f"Adopted {V2_MIRROR} (sha256 `{r.previous_sha256}`): replaced by schemasync's "
            f"mirror; it was generated, nothing is lost. What it had wrong, against the "
            f"database's facts: {wrong}.\n\n"
        )
    lines = [
        f"imported {r.schema_rel} -> {MIRROR_PATH}: {r.tables} tables, {r.views} views, "
        f"{r.enums} enums ({summary})",
        *render_changes_text(r.changes).rstrip("\n").split("\n"),
        *([adopted.strip().replace("`", "")] if adopted else []),
        *_landing_lines(r.proposals, run),
        *(f"warning: {w}" for w in r.warnings),
    ]
    notes = [f"- `{n.object}`: {n.message}" for n in r.notes]
    added = ", ".join(f"{n} {what}" for what, n in r.capture_added) or "nothing new"
    if r.capture_sha256:
        capture = f"Live capture laid on (sha256 `{r.capture_sha256}`): {added}.\n\n"
    elif r.ddl:  # a SQL dump states the database's facts itself: nothing is guessed
        capture = ""
    else:
        capture = (
            "No live capture (`db/schema/database-facts.json`): facts the Prisma schema "
            "cannot know are marked `guessed` (a list's nullability and default).\n\n"
        )
    state = "rewritten" if r.rewritten else "unchanged, byte for byte"
    source = "SQL dump" if r.ddl else "Prisma schema"
    results = (
        adopted
        + capture
        + (
            f"Mirror `{MIRROR_PATH}`: {state}; "
            f"{r.tables} tables, {r.views} views, {r.enums} enums, {r.relations} relations.\n\n"
            f"Changes since the previous mirror ({summary}):\n\n"
            f"{render_changes_markdown(r.changes)}"
            + ("\nNot captured:\n\n" + "\n".join(notes) + "\n" if notes else "")
            + _landings_markdown(r.proposals, run)
        )
    )
    return Report(
        tuple(lines),
        Evidence(
            (
                (r.schema_rel, r.sources_sha256),
                *(
                    (("db/schema/database-facts.json", r.capture_sha256),)
                    if r.capture_sha256
                    else ()
                ),
                (f"{MIRROR_PATH} (previous)", _sha(r.previous_sha256)),
                (MIRROR_PATH, r.mirror_sha256),
            ),
            results,
            (
                CheckItem(f"the {source} parsed and imported", True),
                CheckItem(f"`{MIRROR_PATH}` written atomically in canonical form", True),
                CheckItem("changes reviewed (table above)", not r.changes),
            ),
            f"Run `{run.next('phase-c')}` (refresh-context).",
        ),
    )


def _landing_state(landing: Landing) -> str:
    check = landing.check
    if check.state == "landed":
        return "landed" + (" in this sync" if landing.this_sync else "")
    return check.state


def _landing_lines(landings: tuple[Landing, ...], run: Run) -> list[str]:
    """Phase B's terminal lines about the open proposals (issue 16)."""
    lines = []
    for landing in landings:
        check = landing.check
        missing = f"; still missing: {len(check.expected)} changes" if check.expected else ""
        if check.state in ("partly landed", "pending"):
            missing = "; still missing: " + ", ".join(
                f"{c.kind} {c.object}" for c in check.expected
            )
        lines.append(f"proposal {check.proposal.path}: {_landing_state(landing)}{missing}"
                     + (f" ({check.problem})" if check.problem else ""))  # fmt: skip
    if any(lg.check.state == "landed" for lg in landings):
        lines.append(
            f"set a landed proposal's status with `{run.command('proposals')} --mark-landed`"
        )
    return lines


def _landings_markdown(landings: tuple[Landing, ...], run: Run) -> str:
    """Evidence 02's section on the open proposals: a table, and what is missing."""
    from schemasync.diff import render_changes_markdown

    if not landings:
        return ""
    rows = [
        f"| `{lg.check.proposal.path}` | {lg.check.proposal.status} | {_landing_state(lg)} "
        f"| {len(lg.check.expected)} |"
        for lg in landings
    ]
    out = (
        "\nProposals (`db/handbook/proposals/`, open ones) against the new mirror:\n\n"
        "| proposal | status | state | changes still missing |\n|---|---|---|---|\n"
        + "\n".join(rows)
        + "\n"
    )
    for lg in landings:
        check = lg.check
        if check.problem:
            out += f"\n`{check.proposal.path}` does not apply: {check.problem}\n"
        elif check.expected and check.state == "partly landed":
            out += (
                f"\nStill missing for `{check.proposal.path}` (partly landed):\n\n"
                + render_changes_markdown(check.expected)
            )
    if any(lg.check.state == "landed" for lg in landings):
        out += (
            f"\nThe status line of a landed proposal changes only with "
            f"`{run.command('proposals')} --mark-landed`.\n"
        )
    return out


# ---- Phase C ----------------------------------------------------------------------------------


def refresh_context(r: ContextRefresh, run: Run) -> Report:
    """Phase C: the context's size against the mirror's."""
    ratio = r.size / max(r.mirror_size, 1)
    sliced = f", the index of {r.slices} slices" if r.slices else ""
    line = (
        f"context {CONTEXT_PATH}: {'written' if r.rewritten else 'unchanged'}{sliced}, "
        f"{r.size} bytes ({ratio:.0%} of the mirror)"
    )
    if r.pages is not None:
        line += f"; docs/db/: {r.pages} pages, {r.pages_rewritten} written or removed"
    return Report(
        (line,),
        Evidence(
            ((MIRROR_PATH, r.mirror_sha256),),
            f"`{CONTEXT_PATH}` (format `{r.format}`): "
            f"{'rewritten' if r.rewritten else 'unchanged, byte for byte'}; "
            f"{r.tables} tables, {r.views} views, {r.enums} enums; "
            f"{r.size} bytes, {ratio:.0%} of the mirror's {r.mirror_size}"
            + (f"; sliced: an index and {r.slices} slices" if r.slices else "")
            + "."
            f"\n\nsha256 of the context: {r.context_sha256}"
            f"\n\n`AGENTS.md`: the schemasync block "
            f"{'written' if r.agents_rewritten else 'unchanged'}."
            + (
                "\n\n`docs/context/registry.json`: the `db-schema` entry's checksum updated."
                if r.registry_rewritten
                else ""
            )
            + (
                f"\n\nPages for people in `docs/db/`: {r.pages} "
                f"({r.pages_rewritten} written or removed)."
                if r.pages is not None
                else ""
            ),
            (
                CheckItem(
                    "context derived from the current mirror (its sha256 is in the header)", True
                ),
                CheckItem("context validates against `schemas/context.schema.json`", True),
            ),
            f"Run `{run.next('phase-d')}` (check-layers).",
        ),
    )


# ---- Phase D ----------------------------------------------------------------------------------


def check_layers(r: LayerCheck, run: Run) -> Report:
    """Phase D: what was scanned, every finding, and the warnings."""
    found = r.report
    rows = ["| finding | where |", "|---|---|"]
    rows += [
        f"| {f.what} | `{f.path}{f':{f.line}' if f.line else ''}` `{f.text.replace('|', '¦')}` |"
        for f in found.findings
    ]
    globs = f"`{', '.join(r.repositories)}`"
    rows += [f"| no repository names model `{m}` | {globs} |" for m in found.mapping_failures]
    rows += [
        f"| warning: no repository names model `{m}` | {globs} |" for m in found.mapping_warnings
    ]
    rows += [
        f"| warning: `layers.modelsWithoutRepository` names `{m}`, not a model | `{CONFIG_PATH}` |"
        for m in found.unknown_exempt
    ]
    scanned = (
        f"Scanned {len(found.business_files)} business-layer files "
        f"({', '.join(r.business)}) and {len(found.repository_files)} "
        f"repository-layer files ({', '.join(r.repositories)}) for "
        f"{len(r.models)} models."
    )
    if found.exempt_models:
        scanned += f" Exempt from the mapping: {', '.join(found.exempt_models)}."
    if not found.mapping_checked:
        scanned += " No repository-layer file was found: the model mapping was not checked."
    elif not found.mapping_required:
        scanned += (
            " The model mapping is not required (`layers.requireRepositoryMapping`): models "
            "without a repository are warnings."
        )
    if found.mapping_required:
        mapping = CheckItem(
            "every model is named by a repository-layer file (required)", not found.mapping_failures
        )
    elif not found.mapping_checked:
        mapping = CheckItem(
            "every model is named by a repository-layer file (not checked: no repository-layer "
            "file yet)",
            False,
        )
    else:
        count = len(found.mapping_warnings)
        mapping = CheckItem(
            "every model is named by a repository-layer file"
            + (f" but {count}, listed as warnings (not required)" if count else ""),
            True,
        )
    return Report(
        (scanned, *(f"warning: {w}" for w in r.warnings)),
        Evidence(
            ((MIRROR_PATH, r.mirror_sha256),),
            scanned + "\n\n" + ("\n".join(rows) if len(rows) > 2 else "No findings."),
            (
                CheckItem(
                    "no Prisma client import or `Prisma.` type in the business layer (every "
                    "file scanned)",
                    not found.findings,
                ),
                mapping,
            ),
            f"Run `{run.next('verify')}`."
            if not r.problems
            else "Move the Prisma client use behind a repository (and make every layer file "
            f"readable), then run `{run.next('phase-d')}`.",
        ),
    )


# ---- the other tasks -------------------------------------------------------------------------


def verification(r: Verification, run: Run) -> Report:
    """`verify` / `check`: the checklist (the problems are the failure's message); `check
    --format json`: the document `outputs.CheckDocument`."""
    if r.summary and run.options.format == "json":
        from schemasync import outputs

        document = outputs.CheckDocument(
            ok=not r.problems,
            schema_path=r.schema_rel,
            artifacts=tuple(
                outputs.ArtifactOut(
                    path=a.path,
                    status=a.status,
                    changes=tuple(outputs.change_out(c) for c in a.changes),
                    first_difference=None
                    if a.at is None
                    else outputs.FirstDifference(line=a.at[0] + 1, column=a.at[1] + 1),
                )
                for a in r.artifacts
            ),
            problems=r.problems,
        )
        return Report((outputs.render(document),))
    if r.summary:
        return Report(() if r.problems else (r.summary,))
    return Report(("verification checklist:", *render_checklist(r.checklist).split("\n")))


def synced(r: Any, run: Run) -> Report:
    """`sync` itself: between the phases and its `verify`."""
    return Report(("sync: phases 0, A, B, C, D done; verifying",))


def written(r: Written, run: Any) -> Report:
    """`init`: what it wrote, and the next steps for the project's state."""
    from schemasync.commands import GITIGNORE, IGNORED_ENTRIES

    why = dict(IGNORED_ENTRIES)
    done = [
        line
        for w in r.written
        for line in (
            [f"added {entry} to {GITIGNORE} ({why[entry]})" for entry in r.ignored]
            if w == GITIGNORE
            else [f"wrote {w}"]
        )
    ]
    if r.mode is None:
        steps = [
            f"write {CONFIG_PATH}: `{r.command('init')} --mode database` (the live database is "
            "the source of truth)"
        ]
    elif r.mode != "database":
        steps = [
            f"mode is {r.mode!r}: the Prisma schema is the source of truth here; use the "
            f"`{INVERSE_WORKFLOW}` workflow (schemasync's phases STOP in this mode)"
        ]
    elif not r.has_schema:
        steps = [
            f"`{r.command('phase-a')} --provider postgresql` (or "
            f"{', '.join(p for p in PROVIDERS if p != 'postgresql')}): writes a seed "
            f"{r.schema_rel} and prints how to pull the database into it",
            f"`{r.command('sync')}`: imports the pulled schema into {MIRROR_PATH}, derives "
            f"{CONTEXT_PATH}, writes the evidence",
            f"commit them; CI and pre-commit run `{r.command('check')}`",
        ]
    else:
        steps = [
            f"`{r.command('sync')}`: imports {r.schema_rel} into {MIRROR_PATH}, derives "
            f"{CONTEXT_PATH}, writes the evidence",
            f"commit them; CI and pre-commit run `{r.command('check')}`",
        ]
    return Report(
        (
            *(done or ("nothing to do: the skeleton is in place",)),
            "next:",
            *(f"  {n}. {step}" for n, step in enumerate(steps, start=1)),
        )
    )


def snapshot(r: Snapshot, run: Any) -> Report:
    """`snapshot`: the mirror text itself, or where it went."""
    return Report((f"wrote {r.out}",) if r.out else (r.text.rstrip("\n"),))


def exported(r: Export, run: Any) -> Report:
    """`export`: the DBML or Mermaid text itself, or where it went."""
    return Report((f"wrote {r.out}",) if r.out else (r.text.rstrip("\n"),))


def drift(r: Drift, run: Run) -> Report:
    """`drift`: the differences by class, and the evidence when a folder was named."""
    from schemasync.diff import render_changes_markdown, render_changes_text, summarize_changes

    groups = r.of_class
    summary = summarize_changes(r.changes).replace("change", "difference")
    others = "; ".join(
        f"{len(groups[k])} {label}"
        for k, label in (("not_mirrored", "not mirrored"), ("ignored", "ignored"))
        if groups[k]
    )
    head = f"drift {r.env} (${r.url_env}) vs {MIRROR_PATH}: "
    lines = [head + (summary if r.changes else "no drift") + (f"; {others}" if others else "")]
    if r.changes:
        lines.append(render_changes_text(r.changes).rstrip("\n"))
    capture = f"`{run.command('pull')} --env {r.env}`"
    if groups["not_mirrored"]:
        lines.append(
            "not mirrored (facts the mirror's inputs cannot carry; capture them with "
            f"{capture}, then `{run.command('sync')}`):"
        )
        lines.append(
            render_changes_text(tuple(c.change for c in groups["not_mirrored"])).rstrip("\n")
        )
    if groups["ignored"]:
        lines.append("ignored (drift.ignore in db-ssot.json):")
        lines += [
            render_changes_text((c.change,)).rstrip("\n") + f"  [{c.reason}]"
            for c in groups["ignored"]
        ]
    if run.options.format == "json":
        from schemasync import outputs

        document = outputs.DriftDocument(
            ok=not r.changes,
            database=outputs.DriftDatabase(
                env=r.env,
                url_env=r.url_env,
                sha256=r.live_sha256,
                tables=r.tables,
                views=r.views,
                enums=r.enums,
            ),
            mirror=outputs.DriftMirror(path=MIRROR_PATH, sha256=r.mirror_sha256),
            changes=tuple(outputs.change_out(c.change, c.cls, c.reason) for c in r.classified),
        )
        lines = [outputs.render(document)]
    if not run.evidence:
        return Report(tuple(lines))

    def table(group: str) -> str:
        rows = render_changes_markdown(tuple(c.change for c in groups[group])).rstrip("\n")
        if group != "ignored":
            return rows
        reasons = "\n".join(f"- `{c.change.object}` ({c.change.kind}): {c.reason}" for c in
                            groups["ignored"])  # fmt: skip
        return f"{rows}\n\nReasons:\n\n{reasons}"

    sections = [
        (
            render_changes_markdown(r.changes)
            if r.changes
            else "No drift: the database matches the mirror.\n"
        ).rstrip("\n")
    ]
    if groups["not_mirrored"]:
        sections.append(
            "Not mirrored (facts the mirror's inputs cannot carry; exit 0; capture them with "
            f"{capture}):\n\n" + table("not_mirrored")
        )
    if groups["ignored"]:
        sections.append("Ignored (rules in `drift.ignore` of db-ssot.json):\n\n" + table("ignored"))
    return Report(
        tuple(lines),
        Evidence(
            (
                (MIRROR_PATH, r.mirror_sha256),
                (f"database of {r.env} (${r.url_env})", r.live_sha256),
            ),
            f"{r.tables} tables, {r.views} views, {r.enums} enums read from the {r.env} "
            "database; compared on database facts"
            + (" (the mirror carries a live capture)" if r.captured else "")
            + ".\n\n"
            + "\n\n".join(sections),
            (
                CheckItem("database read in a READ ONLY transaction (no write)", True),
                CheckItem(f"the database matches {MIRROR_PATH}", not r.changes),
            ),
            "Ask the DBA whether the database change is intended; then run `prisma db pull`, "
            f"{capture} and `{run.command('sync')}` to bring the mirror up to date."
            if r.changes
            else "Nothing to do.",
        ),
    )


def pulled(r: Pulled, run: Run) -> Report:
    """`pull`: what the capture holds, and what to run next."""
    facts = ", ".join(f"{n} {k}" for k, n in r.counts.items()) or "no fact beyond the schema"
    state = (
        "unchanged"
        if r.previous_sha256 == r.sha256
        else "written"
        if r.previous_sha256 is None
        else "rewritten"
    )
    return Report(
        (
            f"captured {r.env} (${r.url_env}) -> {r.path} ({state}, sha256 {r.sha256[:12]}): "
            f"{r.tables} tables, {r.views} views; {facts}",
            f"next: commit it with the Prisma schema and run `{run.command('sync')}`",
        )
    )


def context_refreshed(r: ContextRefresh, run: Run) -> Report:
    """`context`: one line (no evidence: like `alembic upgrade` or `tbls doc`, a refresh of a
    generated file leaves its record in git); `--format json`: `outputs.ContextRefreshDocument`."""
    from schemasync import outputs

    mirror = run.config.mode == "database"
    source = MIRROR_PATH if mirror else run.config.prisma_schema
    if run.options.format == "json":
        document = outputs.ContextRefreshDocument(
            ok=True,
            mode=run.config.mode,
            out=CONTEXT_PATH,
            source=outputs.ContextSource(kind="mirror" if mirror else "prisma", path=source),
            written=r.rewritten,
            slices=r.slices,
            tables=r.tables,
            views=r.views,
            enums=r.enums,
            warnings=r.notes,
        )
        return Report((outputs.render(document),))
    sliced = f", the index of {r.slices} slices" if r.slices else ""
    return Report(
        (
            f"context {CONTEXT_PATH}: {'written' if r.rewritten else 'unchanged'}{sliced} "
            f"from {source} ({run.config.mode} mode): {r.tables} tables, {r.views} views, "
            f"{r.enums} enums",
        )
    )


def status(r: Status, run: Run) -> Report:
    """`status`: mode, paths (present or missing), the mirror's counts; `--format json`:
    `outputs.StatusDocument`."""
    from schemasync import outputs

    if run.options.format == "json":
        document = outputs.StatusDocument.model_validate(
            {
                "mode": r.mode,
                "config": CONFIG_PATH,
                "paths": r.paths,
                "exists": r.exists,
                "counts": r.counts,
                "problems": r.problems,
            }
        )
        return Report((outputs.render(document),))
    names = {"prismaSchema": "Prisma schema", "mirror": "mirror", "context": "context"}
    held = ": " + ", ".join(f"{n} {k}" for k, n in r.counts.items()) if r.counts else ""
    return Report(
        (
            f"mode: {r.mode} ({CONFIG_PATH})",
            *(
                f"{names[k]}: {rel} ({'present' if r.exists[k] else 'missing'})"
                + (held if k == "mirror" else "")
                for k, rel in r.paths.items()
            ),
            *r.problems,
        )
    )


def shims_installed(r: Installed, run: Any) -> Report:
    """`install-shims`: what it wrote, what it replaced (and where the original is)."""
    lines = [
        *(f"wrote {rel}" for rel in r.written),
        *(f"replaced {rel} (the original is kept as {orig})" for rel, orig in r.replaced),
    ]
    if not lines:
        return Report(("nothing to do: the shims are in place and current",))
    return Report((*lines, *(f"unchanged {rel}" for rel in r.unchanged)))


# ---- proposals (issue 16) ---------------------------------------------------------------------


def _proposal_lines(check: ProposalCheck) -> list[str]:
    """One proposal's lines: its state, then what it expects, flags, findings."""
    from schemasync.diff import render_changes_text

    p = check.proposal
    head = f"{p.path} [{p.status or 'no status'}]: {check.state}"
    if check.state == "partly landed":
        done = sum(1 for s in check.statements if not s.changes and not s.unmodelled)
        head += f" ({done} of {len(check.statements)} statements in the mirror; still missing:)"
    elif check.state == "pending" and check.expected:
        head += " (expected changes:)"
    lines = [head]
    if check.problem:
        lines.append(f"  {check.problem}")
    if check.expected and check.state in ("pending", "partly landed"):
        lines += render_changes_text(check.expected).rstrip("\n").split("\n")
    lines += [f"  {f.level}: {f.change.kind} {f.change.object}: {f.reason}" for f in check.flags]
    lines += [f"  not checked: {finding}" for finding in check.findings]
    return lines


def proposals_document(r: Proposals) -> ProposalsDocument:
    """The JSON document of `proposals` (`outputs.ProposalsDocument`)."""
    from schemasync import outputs

    def one(check: ProposalCheck) -> outputs.ProposalOut:
        p = check.proposal
        return outputs.ProposalOut(
            path=p.path,
            title=p.title,
            status=p.status,
            state=check.state,
            applies=check.applies,
            expected=tuple(outputs.change_out(c) for c in check.expected),
            flags=tuple(
                outputs.FlagOut(
                    kind=f.change.kind, object=f.change.object, level=f.level, reason=f.reason
                )
                for f in check.flags
            ),
            statements=tuple(
                outputs.StatementOut(
                    line=s.line,
                    column=s.col,
                    sql=s.summary,
                    changes=tuple(outputs.change_out(c) for c in s.changes),
                    unmodelled=s.unmodelled,
                )
                for s in check.statements
            ),
            problem=check.problem,
            findings=check.findings,
        )

    return outputs.ProposalsDocument(
        ok=all(c.applies for c in r.checks),
        mirror=outputs.DriftMirror(path=MIRROR_PATH, sha256=r.mirror_sha256),
        proposals=tuple(one(c) for c in r.checks),
        marked_landed=r.marked,
    )


def proposals(r: Proposals, run: Run) -> Report:
    """`proposals`: each proposal's state against the mirror (or the JSON document)."""
    if run.options.format == "json":
        from schemasync import outputs

        return Report((outputs.render(proposals_document(r)),))
    if not r.checks:
        return Report(
            (
                "no proposals in db/handbook/proposals/ (scaffold one with "
                f"`{run.command('propose')} SLUG`)",
            )
        )
    counts: dict[str, int] = {}
    for c in r.checks:
        counts[c.state] = counts.get(c.state, 0) + 1
    lines = [
        f"{len(r.checks)} proposal{'s' if len(r.checks) != 1 else ''} vs {MIRROR_PATH}: "
        + ", ".join(f"{n} {state}" for state, n in counts.items())
    ]
    for check in r.checks:
        lines += _proposal_lines(check)
    lines += [f"marked landed: {rel}" for rel in r.marked]
    landed = [c for c in r.checks if c.state == "landed" and c.proposal.path not in r.marked]
    if landed:
        lines.append(
            f"set their status with `{run.command('proposals')} --mark-landed` (only the "
            "`Status:` line is rewritten)"
        )
    return Report(tuple(lines))


def proposed(r: Proposed, run: Run) -> Report:
    """`propose`: the file it wrote and what to do next."""
    return Report(
        (
            f"wrote {r.path} (Status: draft)",
            f"write the intended change as SQL in its ```sql block, then run "
            f"`{r.command('proposals')}` to see the changes it expects",
        )
    )
