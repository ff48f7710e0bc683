"""Run a plan of tasks with one `Options`: the edge where results become files and lines.

`execute(names, options, show)` runs the steps in order (the task layer expands pre/post tasks
into the plan). The first step that needs the project opens the run once (`project.open_run`:
config validated, lock taken, evidence folder fixed) and one `RunState` serves every step after
it; a step that changed the inputs (a pull) hands a fresh state to the next. For each step this
module renders its evidence into the template, writes the files the step asked for, then the
evidence, shows its lines masked, and raises its failure. Nothing else in the package writes
project files.

Evidence never claims a write that did not happen, and a run stopped anywhere keeps its
change list. A step that writes files writes its record twice: first as *pending*
(`pending_evidence`: "Pending, not confirmed: the files below are being written", and an
unchecked "written to disk" item), then the files, then the final record. Evidence 02 says
"rewritten" with the new mirror's sha256 unqualified only once that mirror is on disk; a write
that fails (a full disk: exit 6) leaves the pending record and says so in its one line; a run
killed between the two leaves the pending record, which the next run replaces. (Until issue 11
the final record went first: on a full disk, 02 said "rewritten" while the old mirror was
kept.) SIGINT (`interrupt`) stops a run between two files; `Interrupted` is given the task,
the files written and whether the evidence is incomplete, for its one line.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from importlib import resources
from pathlib import Path

from schemasync.errors import ArtifactError, Interrupted, SchemasyncError
from schemasync.evidence import (
    PENDING,
    CheckItem,
    check_evidence,
    render_checklist,
    render_evidence,
    render_inputs,
)
from schemasync.fsio import read_text
from schemasync.interrupt import ignore_sigint
from schemasync.options import Options
from schemasync.phases import Step, step
from schemasync.project import (
    Run,
    Writer,
    inside,
    open_run,
    resolve_root,
    standalone_redactor,
    write_target,
)
from schemasync.report import Evidence
from schemasync.result import Result
from schemasync.state import RunState

TEMPLATES_DIR = "evidence_templates"
#: A template is a page of markdown; a larger file is not one.
MAX_TEMPLATE_BYTES = 1024 * 1024


def load_template(root: Path, name: str) -> tuple[str, str]:
    """Return (display name, text) of evidence template `name`: the project's own
    `evidence_templates/` first, else the packaged one.

    Raises:
        ConfigError: the template's path leaves the project (a symlink) or loops.
        ArtifactError: the project's template is not a regular file, or cannot be read as UTF-8
            text.
    """
    shown = f"{TEMPLATES_DIR}/{name}"
    own = read_text(
        inside(root, shown, "evidence template"),
        shown,
        ArtifactError,
        "save the template as UTF-8",
        limit=MAX_TEMPLATE_BYTES,
    )
    if own is not None:
        return shown, own
    packaged = resources.files("schemasync").joinpath("templates", name)
    return f"schemasync/templates/{name}", packaged.read_text(encoding="utf-8")


def render_step_evidence(
    run: Run, task: Step, evidence: Evidence, pending: Sequence[str] = ()
) -> str:
    """Return the evidence file of one step: the sections in its template, masked, checked;
    with `pending` (the files about to be written), the pending record written before them.

    Raises:
        ArtifactError: the (possibly overridden) template renders into an incomplete file.
    """
    assert task.evidence is not None
    shown, template = load_template(run.root, task.evidence)
    if pending:
        evidence = pending_evidence(evidence, pending)
    values = {
        "run_id": run.run_id,
        "env": run.options.env,
        "project": run.root.name,
        "command": run.command(task.name),
        "inputs": render_inputs(evidence.inputs),
        "results": evidence.results.rstrip("\n"),
        "checklist": render_checklist(evidence.checklist),
        "next_step": evidence.next_step,
    }
    text = run.redactor.text(render_evidence(template, values, shown))
    problems = [p for p in check_evidence(text) if not (pending and p.startswith("pending:"))]
    if problems:
        raise ArtifactError(f"{shown}: the rendered evidence is incomplete: {'; '.join(problems)}")
    return text


def _standalone(task: Step, options: Options, show: Callable[[str], None]) -> None:
    """Run a step that needs no project config (`init`, `snapshot`): its lines and its error
    are masked like a run's (the config's variables and `--url-env`)."""
    redactor = standalone_redactor(options)
    try:
        result: Result = task.run(options)
    except SchemasyncError as err:
        err.message = redactor.text(err.message)
        raise
    root = resolve_root(options.root, options.cwd)
    writer = Writer.from_env()
    try:
        for folder in result.folders:
            try:
                inside(root, folder, folder).mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise ArtifactError(f"{folder}: cannot create the folder ({err.strerror})") from err
        for rel, text in result.writes:  # an absolute path was checked (`snapshot --out`)
            writer.write(Path(rel) if Path(rel).is_absolute() else write_target(root, rel), text)
    except Interrupted as err:
        err.written = writer.shown(root)
        raise
    for line in task.report(result, None).lines:
        show(redactor.text(line))
    if result.failure is not None:
        result.failure.message = redactor.text(result.failure.message)
        raise result.failure


def _run_step(
    task: Step,
    state: RunState,
    show: Callable[[str], None],
    written: list[str],
    recorded: set[str],
    direct: bool,
) -> RunState:
    """Run one step of an open run (`direct`: given on the command line, not a pre/post task);
    return the state the next step works with. The artifacts it writes (not evidence) are added
    to `written`; the step's name to `recorded` once its evidence is written."""
    run = state.run
    result: Result = task.run(state)
    report = task.report(result, run)
    record = f"{run.evidence}/{task.evidence}"
    if task.gate and not direct and not run.options.new_run and run.path(record).exists():
        report = replace(report, evidence=None)  # a run continued: the gate's record stands
    evidence = None
    if report.evidence is not None and task.evidence is not None:
        evidence = render_step_evidence(run, task, report.evidence)  # a bad template: no write
        if result.writes:  # the record first, as pending (a killed run keeps its change list)
            files = [rel for rel, _ in result.writes]
            run.write(record, render_step_evidence(run, task, report.evidence, files))
    done: list[str] = []
    for rel, text in result.writes:
        try:
            run.write(rel, text)
        except ArtifactError as err:
            err.message += _unrecorded(done, record if evidence is not None else None)
            raise
        done.append(rel)
    for rel in result.removals:
        run.remove(rel)
        done.append(rel)
    written.extend(done)
    if evidence is not None:  # the record of what was written, once it was
        run.write(record, evidence)
    recorded.add(task.name)
    for line in report.lines:
        show(run.redactor.text(line))
    if result.failure is not None:
        raise result.failure
    return state.fresh() if result.refresh else state


def pending_evidence(evidence: Evidence, writes: Sequence[str]) -> Evidence:
    """Return `evidence` as the record written before the files it describes: a first line
    saying so, and an unchecked item naming them (the final record, written after them, has
    neither)."""
    names = ", ".join(f"`{rel}`" for rel in writes)
    return replace(
        evidence,
        results=f"{PENDING}: the files below are being written ({names}); until this record "
        "is rewritten without this line, none of them may be on disk.\n\n" + evidence.results,
        checklist=(*evidence.checklist, CheckItem(f"written to disk: {names}", False)),
    )


def _unrecorded(done: Sequence[str], record: str | None) -> str:
    """The end of the message of a failed artifact write: what the step had written, and what
    its evidence says."""
    wrote = f"; written before it: {', '.join(done)}" if done else ""
    if record is None:
        return wrote
    return f"{wrote}; {record} records these writes as pending, not done"


def execute(
    names: Sequence[str],
    options: Options,
    show: Callable[[str], None],
    direct: Sequence[str] | None = None,
) -> None:
    """Run the tasks `names` in order, as one run; `show` prints a line; `direct` are the tasks
    given on the command line (default: all of `names`), the others are their pre/post tasks.

    Raises:
        SchemasyncError: the first failing step's error (after its evidence, if any), with the
            run's secrets masked.
    """
    steps = [step(name) for name in names]
    given = {step(name).name for name in (names if direct is None else direct)}
    # a plan records evidence of its own when a task given writes some (`verify` alone does not)
    records = any(s.evidence is not None and s.name in given for s in steps)
    written: list[str] = []
    recorded: set[str] = set()  # the steps whose evidence this run wrote
    step_show = (lambda line: None) if options.quiet else show
    state: RunState | None = None
    task, complete = steps[0], False
    try:
        with contextlib.ExitStack() as stack:
            for task in steps:
                if task.standalone:
                    _standalone(task, options, show)
                    continue
                if state is not None and task.fresh:
                    state = state.fresh()  # the previous state is freed: `verify` reuses it
                if state is None:
                    # phases and verify work in one evidence folder under the lock; `check`
                    # and `drift` need neither (drift writes evidence only into a folder given)
                    lock = any(s.lock for s in steps)
                    run = open_run(options, lock=lock, records=records)
                    state = RunState(stack.enter_context(run))
                try:
                    state = _run_step(task, state, step_show, written, recorded, task.name in given)
                except SchemasyncError as err:
                    err.message = state.run.redactor.text(err.message)
                    raise
            complete = True
            if options.quiet and state is not None:
                show(_summary(written, state.run))
        ignore_sigint()  # the run is over (lock released): what it wrote and said stands
    except Interrupted as err:
        again = next((s.name for s in steps if s.name in given), task.name)
        pending = not complete and any(
            s.evidence and s.name not in recorded for s in steps[steps.index(task) :]
        )
        when = "at the end of the run" if complete else f"during `{task.name}`"
        _interrupted(err, when, state, "" if complete else options.command(again), pending)
        raise


def _interrupted(
    err: Interrupted, during: str, state: RunState | None, again: str, unfinished: bool
) -> None:
    """Say in `err` what SIGINT interrupted: the task, the files the run wrote (in full: see
    `fsio.write_atomic`), the evidence it left incomplete, the command to run again."""
    err.during, err.again = during, again
    if state is None:  # the run was not open yet: nothing of it was written
        return
    run = state.run
    err.written = run.writer.shown(run.root)
    if unfinished and run.evidence:
        err.evidence = run.evidence


def _summary(written: Sequence[str], run: Run) -> str:
    """The one line `--quiet` prints: what changed, and where the evidence is."""
    changed = f"wrote {', '.join(written)}" if written else "no artifact changed"
    return f"ok: {changed}" + (f"; evidence in {run.evidence}/" if run.evidence else "")
