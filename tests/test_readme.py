"""The README's reference tables are generated from the code (cog) and must be current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from schemasync.errors import ExitCode
from schemasync.phases import TASKS

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_tables_are_current() -> None:
    """`cog --check` fails when a task, option or exit code changed without `cog -r README.md`."""
    done = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "--diff", str(README)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, (
        f"README.md is stale: run `cog -r README.md`\n{done.stdout}{done.stderr}"
    )


def test_every_task_and_exit_code_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    for row in TASKS:
        assert f"`{row.name}`" in text, row.name
    for code in ExitCode:
        assert f"\n| {int(code)} | " in text, code
