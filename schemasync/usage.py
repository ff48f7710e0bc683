"""The README's reference tables, generated from what the code knows (run by cog).

`README.md` holds `[[[cog … ]]]` blocks that call these functions; `cog -r README.md` rewrites
them and `tests/test_readme.py` fails when they are stale. The phases and tasks come from the
task table (`phases.TASKS`), their options from `options.FLAGS`, the exit codes from
`errors.ExitCode` and `errors.MEANINGS`: a task, flag or code added there shows up here.
"""

from __future__ import annotations

from schemasync.errors import MEANINGS, ExitCode
from schemasync.options import FLAGS, RUN_FLAGS
from schemasync.phases import PHASES, TASKS, Step

#: How an option's value is shown in the tables (flags without one take no value).
_METAVARS: dict[str, str] = {
    "root": "DIR",
    "env": "dev|staging|prod",
    "task_slug": "SLUG",
    "run_id": "ID",
    "evidence_dir": "DIR",
    "lock_timeout": "S",
    "mode": "database|repo-prisma",
    "provider": "NAME",
    "prisma": "PATH",
    "url_env": "VAR",
    "ddl": "FILE",
    "dialect": "NAME",
    "slug": "SLUG",
    "out": "FILE",
    "schemas": "a,b",
    "timeout": "S",
    "format": "text|json|dbml|mermaid",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "\\<").replace("\n", " ")


def _task(row: Step) -> str:
    return f"`{row.name}` (`{row.alias}`)" if row.alias else f"`{row.name}`"


def phases_table() -> str:
    """The phases in order: phase, task (alias), what it does, evidence."""
    lines = ["| phase | task (alias) | does | evidence |", "|---|---|---|---|"]
    for row in PHASES:
        lines.append(f"| {row.phase} | {_task(row)} | {_cell(row.does)} | `{row.evidence}` |")
    return "\n".join(lines)


def tasks_table() -> str:
    """The tasks that are not phases: task, what it does."""
    lines = ["| task | does |", "|---|---|"]
    for row in TASKS:
        if row.phase is None:
            lines.append(f"| {_task(row)} | {_cell(row.does)}. {_cell(row.writes)} |")
    return "\n".join(lines)


def _takers(name: str) -> str:
    """The tasks that take option `name`: 'phases' stands for all five phases."""
    rows = [row for row in TASKS if name in row.flags]
    names = [row.name for row in rows]
    if len(rows) == len(TASKS):
        names = ["all"]
    elif all(p in rows for p in PHASES):
        names = ["phases", *(row.name for row in rows if row.phase is None)]
    return ", ".join(n if n in ("phases", "all") else f"`{n}`" for n in names)


def options_table() -> str:
    """Every option once: flag, the tasks that take it, what it means."""
    lines = ["| option | tasks | meaning |", "|---|---|---|"]
    for name in (*RUN_FLAGS, *(n for n in FLAGS if n not in RUN_FLAGS)):
        flag = "--" + name.replace("_", "-")
        shown = f"`{flag} {_METAVARS[name]}`" if name in _METAVARS else f"`{flag}`"
        lines.append(f"| {_cell(shown)} | {_takers(name)} | {_cell(FLAGS[name].help)} |")
    return "\n".join(lines)


def exit_codes_table() -> str:
    """Every exit code and what it means (SPEC §5)."""
    lines = ["| code | meaning |", "|---|---|"]
    lines += [f"| {int(code)} | {_cell(MEANINGS[code])} |" for code in ExitCode]
    return "\n".join(lines)
