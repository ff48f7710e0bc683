"""Phase D's layering rules, as pure functions over (path, text) pairs.

Business-layer files must not import the Prisma client (`@prisma/client`, the generator's `output`
path, Python `prisma`) nor use `Prisma.` types; every (non-ignored) model should be named by at
least one repository-layer file (a warning until the project requires it; some models may be
exempt). `sources/code.py` reads the files; this module only reads text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import PurePosixPath

CODE_SUFFIXES: tuple[str, ...] = (
    ".ts",
    ".tsx",
    ".mts",
    ".cts",
    ".js",
    ".jsx",
    ".mjs",
    ".cjs",
    ".py",
)


@dataclass(frozen=True, order=True)
class Finding:
    """A business-layer file that reaches for the Prisma client, at `path:line`."""

    path: str
    line: int
    what: str
    text: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.what}: {self.text}"


@dataclass(frozen=True)
class LayerReport:
    """Phase D's result: violations, models without a repository, and what was scanned.

    `findings` always fail. Models no repository-layer file names fail only when the project
    requires the mapping (`layers.requireRepositoryMapping`); otherwise they are warnings, and
    with no repository-layer file at all they are not checked.
    """

    findings: tuple[Finding, ...]
    unmapped_models: tuple[str, ...]
    business_files: tuple[str, ...]
    repository_files: tuple[str, ...]
    mapping_required: bool = False
    exempt_models: tuple[str, ...] = ()  # models the allow-list exempts from the mapping
    unknown_exempt: tuple[str, ...] = ()  # allow-list names that are not models

    @property
    def mapping_checked(self) -> bool:
        """The model mapping was checked (required, or a repository layer exists)."""
        return self.mapping_required or bool(self.repository_files)

    @property
    def mapping_failures(self) -> tuple[str, ...]:
        """The models whose missing repository fails the check."""
        return self.unmapped_models if self.mapping_required else ()

    @property
    def mapping_warnings(self) -> tuple[str, ...]:
        """The models whose missing repository is only a warning."""
        return () if self.mapping_required or not self.repository_files else self.unmapped_models

    @property
    def ok(self) -> bool:
        """Return True when nothing fails (warnings aside)."""
        return not self.findings and not self.mapping_failures


def glob_regex(glob: str) -> re.Pattern[str]:
    """Translate a repo-relative glob (`*`, `?`, `**`) into a regex over POSIX paths.

    `src/domain/**` matches every file below `src/domain/`; `**/x.ts` matches `x.ts` at any depth.
    """
    out = []
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return re.compile("".join(out))  # `re` keeps compiled patterns: no cache of our own


def globs_regex(globs: Sequence[str]) -> re.Pattern[str]:
    """Return one regex that matches a path when any of `globs` does (compile once, match often)."""
    return re.compile("|".join(f"(?:{glob_regex(g).pattern})" for g in globs) or "(?!)")


def matches_any(path: str, globs: Sequence[str]) -> bool:
    """Return True if `path` matches one of `globs`."""
    return globs_regex(globs).fullmatch(path) is not None


_JS_IMPORT = re.compile(
    r"""(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])(?P<spec>[^'"]+)\1"""
)
_PRISMA_TYPE = re.compile(r"\bPrisma\.[A-Za-z_]\w*")
_PY_IMPORT = re.compile(r"^\s*(?:from\s+prisma(?:\.[\w.]+)?\s+import\b|import\s+prisma\b)")


def _strip_line_comment(line: str, python: bool) -> str:
    stripped = line.lstrip()
    if python and stripped.startswith("#"):
        return ""
    if not python and (stripped.startswith("//") or stripped.startswith("*")):
        return ""
    return line


def _is_client_spec(spec: str, path: str, outputs: Sequence[str]) -> bool:
    if spec == "@prisma/client" or spec.startswith("@prisma/client/"):
        return True
    if spec.startswith("."):
        resolved = PurePosixPath(path).parent.joinpath(spec).as_posix()
        parts: list[str] = []
        for part in resolved.split("/"):
            if part == "..":
                if parts:
                    parts.pop()
            elif part not in (".", ""):
                parts.append(part)
        target = "/".join(parts)
    else:
        target = spec
    for out in outputs:
        if target == out or target.startswith(out + "/"):
            return True
        # Path aliases (`@/generated/prisma`, `~/generated/prisma`): compare the tail.
        tail = "/".join(out.split("/")[-2:])
        if not spec.startswith(".") and (spec.endswith("/" + tail) or spec == tail):
            return True
    return False


def scan_business_file(path: str, text: str, outputs: Sequence[str]) -> tuple[Finding, ...]:
    """Return every Prisma-client import or `Prisma.` type use in one business-layer file.

    `outputs` are the repo-relative `output` folders of the schema's generators.
    """
    python = path.endswith(".py")
    found: list[Finding] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _strip_line_comment(raw, python)
        if not line:
            continue
        if python:
            if _PY_IMPORT.search(line):
                found.append(Finding(path, number, "imports the Python Prisma client", raw.strip()))
            continue
        for match in _JS_IMPORT.finditer(line):
            if _is_client_spec(match.group("spec"), path, outputs):
                found.append(Finding(path, number, "imports the Prisma client", raw.strip()))
                break
        else:
            if _PRISMA_TYPE.search(line):
                found.append(Finding(path, number, "uses a Prisma type", raw.strip()))
    return tuple(found)


_WORD = re.compile(r"\w+")


def _names_model(model: str, words: AbstractSet[str]) -> bool:
    """Tell whether `model` (or its client accessor, `orderLine`) is a word of the files.

    Words are `\\w+` runs, so this is `\\b(?:Model|model)\\b` searched in every file, computed
    once for all models: a regex per model per file took 0.25 s for 1,000 models.
    """
    return model in words or (model[:1].lower() + model[1:]) in words


def check_layers(
    files: Sequence[tuple[str, str]],
    business: Sequence[str],
    repositories: Sequence[str],
    models: Sequence[str],
    outputs: Sequence[str] = (),
    unreadable: Sequence[tuple[str, str]] = (),
    *,
    require_mapping: bool = False,
    exempt: Sequence[str] = (),
) -> LayerReport:
    """Check the layering of `files` ((repo-relative POSIX path, text) pairs).

    Args:
        files: every code file of the project.
        business: globs of the business layer (no Prisma client there).
        repositories: globs of the repository layer (must name every model).
        models: Prisma model names to account for.
        outputs: repo-relative generator `output` folders (imports of them count as the client).
        unreadable: (path, reason) of layer files that could not be read: each is a finding
            (line 0), since what it holds cannot be checked.
        require_mapping: a model no repository-layer file names fails (else: a warning).
        exempt: models that need no repository (names that are not models are reported).
    """
    in_business = globs_regex(business).fullmatch
    in_repositories = globs_regex(repositories).fullmatch
    business_files = sorted(p for p, _ in files if in_business(p))
    repo_texts = [t for p, t in files if in_repositories(p)]
    repo_files = sorted(p for p, _ in files if in_repositories(p))
    text_of = dict(files)
    findings = [
        Finding(path, 0, "cannot be scanned", reason)
        for path, reason in unreadable
        if in_business(path) or in_repositories(path)
    ]
    for path in business_files:
        findings.extend(scan_business_file(path, text_of[path], outputs))
    words = {w for t in repo_texts for w in _WORD.findall(t)}
    exempt_set = set(exempt)
    unmapped = tuple(
        sorted(m for m in models if m not in exempt_set and not _names_model(m, words))
    )
    known = set(models)
    return LayerReport(
        findings=tuple(sorted(findings)),
        unmapped_models=unmapped,
        business_files=tuple(business_files),
        repository_files=tuple(repo_files),
        mapping_required=require_mapping,
        exempt_models=tuple(sorted(exempt_set & known)),
        unknown_exempt=tuple(sorted(exempt_set - known)),
    )
