"""`install-shims`: the `.ai` template's command paths, answered by schemasync.

Projects built from the `.ai` template (`shared/UPSTREAM.md`) call its Node scripts from their
agent instructions, skills and `package.json`. `install-shims` writes, at those paths, small
dependency-free ESM scripts that run the installed `schemasync` with the same subcommands and
flags, the template's exit codes (0 / 1, message on stderr) and its JSON shapes. One template
(`shims/shim.mjs`, package data) serves every script: each copy names its script in its
`SCRIPT` line and picks its subcommands from the template's one table.

A file already at a shim's path that is not a shim is kept as `<name>.orig` (never over an
existing `.orig`: the template's original is kept once); a shim already current is left
alone, so a second run writes nothing. Like every step this returns the writes; the runner
performs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Final

from schemasync.errors import ArtifactError, ConfigError
from schemasync.fsio import read_text
from schemasync.options import Options
from schemasync.project import inside, resolve_root
from schemasync.result import Result
from schemasync.state import CONTEXT_PATH

#: The template's scripts: (project-relative path, the script's name in the shim's table).
SHIMS: Final[tuple[tuple[str, str], ...]] = (
    (".ai/skills/features/database/sync-code-schema-from-db/scripts/ctl-db.mjs", "ctl-db"),
    (".ai/scripts/ctl-db-ssot.mjs", "ctl-db-ssot"),
)
#: The line every shim carries: a file with it is ours (rewritten when stale, never kept).
MARKER: Final = "// schemasync-shim:"
ORIG_SUFFIX: Final = ".orig"


def shim_text(script: str) -> str:
    """Return the shim for `script` (`ctl-db` or `ctl-db-ssot`): the packaged template with its
    `SCRIPT` filled in."""
    template = resources.files("schemasync").joinpath("shims", "shim.mjs")
    text = template.read_text(encoding="utf-8")
    assert MARKER in text
    assert "__SCRIPT__" in text
    return text.replace("__SCRIPT__", script).replace("__CONTEXT_PATH__", CONTEXT_PATH)


@dataclass(frozen=True, kw_only=True)
class Installed(Result):
    """`install-shims`: what happened at each path.

    Attributes:
        written: shims written where there was no file, or an older shim.
        replaced: (path, where the original was kept) for files that were not shims.
        unchanged: shims already current.
    """

    written: tuple[str, ...] = ()
    replaced: tuple[tuple[str, str], ...] = ()
    unchanged: tuple[str, ...] = ()


def install_shims(options: Options) -> Installed:
    """Return the writes that put the shims in place (see the module docstring).

    Raises:
        ConfigError: a path leaves the project (a symlink), or a file that is not a shim sits
            at a shim's path while its `.orig` exists already.
        ArtifactError: an existing file there cannot be read as UTF-8 text.
    """
    root = resolve_root(options.root, options.cwd)
    writes: list[tuple[str, str]] = []
    written: list[str] = []
    replaced: list[tuple[str, str]] = []
    unchanged: list[str] = []
    for rel, script in SHIMS:
        text = shim_text(script)
        orig = rel + ORIG_SUFFIX
        fix = f"move it away and run `{options.command('install-shims')}` again"
        current = read_text(inside(root, rel, rel), rel, ArtifactError, fix)
        if current == text:
            unchanged.append(rel)
            continue
        if current is not None and MARKER not in current:
            if inside(root, orig, orig).exists():
                raise ConfigError(
                    f"{rel}: not a schemasync shim, and {orig} already holds an original; "
                    f"{fix} (the original is never overwritten)"
                )
            writes.append((orig, current))
            replaced.append((rel, orig))
        else:
            written.append(rel)
        writes.append((rel, text))
    return Installed(
        written=tuple(written),
        replaced=tuple(replaced),
        unchanged=tuple(unchanged),
        writes=tuple(writes),
    )
