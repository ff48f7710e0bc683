"""Helpers of the tests that run commands as a user would (test_packaging, test_example_readme):
a user's shell environment, a command that must exit as expected, a fresh git repository, and
the fenced blocks of a README section (the commands those tests run are read from the READMEs,
so that documentation and tests cannot drift).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from safety_project import clean_env

#: This session's own scripts (nox, pre-commit, invoke, the editable schemasync).
OWN_BIN = Path(sys.executable).parent
#: A commit needs an author; a user's git config must not matter (signing, hooks, branch name).
GIT_ENV = {
    "GIT_AUTHOR_NAME": "schemasync tests",
    "GIT_AUTHOR_EMAIL": "tests@schemasync.invalid",
    "GIT_COMMITTER_NAME": "schemasync tests",
    "GIT_COMMITTER_EMAIL": "tests@schemasync.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def run(
    args: Sequence[str | Path],
    cwd: Path,
    env: dict[str, str],
    *,
    code: int = 0,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run a command; fail the test with its output unless it exits with `code`."""
    proc = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert proc.returncode == code, (
        f"{' '.join(map(str, args))}: exit {proc.returncode}, expected {code}\n"
        f"--- stdout\n{proc.stdout[-6000:]}\n--- stderr\n{proc.stderr[-6000:]}"
    )
    return proc


def user_env(
    first: Path | None = None,
    extra: dict[str, str] | None = None,
    *,
    own_bin: bool = False,
) -> dict[str, str]:
    """A user's shell: no database URLs, no active virtualenv, no test or build switches, git
    without the user's config; `first` (a venv's bin) in front of PATH; this session's scripts
    on PATH only with `own_bin` (a developer of this repository has them)."""
    env = {
        k: v
        for k, v in clean_env().items()
        if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "SCHEMASYNC_PURE_PYTHON")
        and not k.startswith(
            ("NOX", "INVOKE_", "PRE_COMMIT", "SCHEMASYNC_TEST_", "SCHEMASYNC_EXPECT_")
        )
    }
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and Path(p) != OWN_BIN]
    env["PATH"] = os.pathsep.join(
        [*([str(first)] if first else []), *([str(OWN_BIN)] if own_bin else []), *path]
    )
    env.update(GIT_ENV)
    env.update(extra or {})
    return env


def git_commit_all(folder: Path, message: str) -> str:
    """Make `folder` a git repository (if it is not one) holding all its files; return HEAD."""
    env = user_env()
    if not (folder / ".git").exists():
        run(["git", "init", "-q", "-b", "main", "."], folder, env)
    run(["git", "add", "-A"], folder, env)
    run(["git", "commit", "-q", "--no-verify", "-m", message], folder, env)
    return run(["git", "rev-parse", "HEAD"], folder, env).stdout.strip()


def fenced_blocks(markdown: Path, section: str) -> list[tuple[str, str]]:
    """Return the fenced code blocks of `markdown`'s `## section` as (info string, content)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(markdown.read_text(encoding="utf-8"))
    inside, blocks = False, []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag == "h2":
            inside = tokens[i + 1].content.strip() == section
        elif inside and tok.type == "fence":
            blocks.append((tok.info.strip(), tok.content))
    assert blocks, f"{markdown.name} has no code block under '## {section}'"
    return blocks
