"""Real Prisma 6.19.3 for tests, run as node subprocesses from the pinned ``tools/prisma`` harness.

- ``datamodel(files)``: Prisma's own parse of a schema (``get_datamodel``, the DMMF datamodel),
  through ``@prisma/prisma-schema-wasm`` of Prisma 6 or, when that rejects the datasource style,
  of Prisma 7 (``tools/prisma/oracle.mjs``).
- ``validate(files)``: the same engines' verdict.
- ``db_push(schema, url)``: ``prisma db push`` of a schema into a real database (PostgreSQL or
  SQLite ``file:`` URLs), on a temporary copy whose datasource/generator are rewritten so that no
  engine is downloaded.
- ``db_pull(url, out_dir, schemas=None)``: ``prisma db pull`` of a database into
  ``out_dir/schema.prisma`` (and ``out_dir/views/`` when the database has views).

Needs node and ``npm ci`` in ``tools/prisma`` (``problem()`` says what is missing). The database
URL goes to the child only through its environment and is masked in every error message.
This module never imports schemasync: it is the independent side of every comparison.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

TOOLS = Path(__file__).resolve().parent.parent / "tools" / "prisma"
PRISMA_CLI = TOOLS / "node_modules" / "prisma" / "build" / "index.js"
ORACLE = TOOLS / "oracle.mjs"
TIMEOUT_S = 180

Files = Sequence[tuple[str, str]]
SchemaInput = str | Path | Files


class PrismaHarnessError(RuntimeError):
    """Prisma refused the schema or the command failed; the message is redacted."""


def problem() -> str | None:
    """Return why the harness cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed (apt-get install nodejs npm)"
    if not PRISMA_CLI.is_file():
        return f"the Prisma harness is not installed: run `npm ci` in {TOOLS}"
    return None


def read_files(source: SchemaInput) -> list[tuple[str, str]]:
    """Return ``[(path, text), ...]`` for schema text, a .prisma file or a schema folder."""
    if isinstance(source, str):
        return [("schema.prisma", source)]
    if isinstance(source, Path):
        if source.is_dir():
            paths = sorted(p for p in source.rglob("*.prisma") if "node_modules" not in p.parts)
            if not paths:
                raise PrismaHarnessError(f"no .prisma files under {source}")
            return [(str(p), p.read_text(encoding="utf-8")) for p in paths]
        return [(str(source), source.read_text(encoding="utf-8"))]
    return [(str(p), t) for p, t in source]


def _secrets(url: str | None) -> list[str]:
    if not url:
        return []
    found = [url]
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    if password:
        found += [password, unquote(password)]
    return sorted({s for s in found if len(s) >= 3}, key=len, reverse=True)


def redact(text: str, url: str | None) -> str:
    """Mask ``url`` and its password everywhere in ``text``."""
    for secret in _secrets(url):
        text = text.replace(secret, "***")
    return text


def _run(
    args: list[str], *, url: str | None = None, stdin: str | None = None, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    problem_text = problem()
    if problem_text:
        raise PrismaHarnessError(problem_text)
    full_env = {
        **os.environ,
        "CHECKPOINT_DISABLE": "1",
        "PRISMA_HIDE_UPDATE_MESSAGE": "1",
        "NO_COLOR": "1",
        **env,
    }
    if url is not None:
        full_env["DATABASE_URL"] = url
    try:
        return subprocess.run(
            ["node", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=TOOLS,
            env=full_env,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as err:
        raise PrismaHarnessError(f"node {args[0]} timed out after {TIMEOUT_S} s") from err


def datamodel(files: SchemaInput, *, engine: str = "auto") -> dict[str, Any]:
    """Return Prisma's DMMF datamodel (``enums``, ``models``, ``types``, ``indexes``)."""
    payload = json.dumps(read_files(files))
    proc = _run([str(ORACLE), "datamodel", "--stdin", f"--engine={engine}"], stdin=payload, env={})
    if proc.returncode != 0:
        raise PrismaHarnessError(f"Prisma rejected the schema: {proc.stderr.strip()[:4000]}")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def validate(files: SchemaInput, *, engine: str = "auto") -> None:
    """Raise PrismaHarnessError unless Prisma accepts the schema."""
    payload = json.dumps(read_files(files))
    proc = _run([str(ORACLE), "validate", "--stdin", f"--engine={engine}"], stdin=payload, env={})
    if proc.returncode != 0:
        raise PrismaHarnessError(f"Prisma rejected the schema: {proc.stderr.strip()[:4000]}")


# ------------------------------------------------------------------ db push / db pull

_GENERATOR = re.compile(r"(?ms)^[ \t]*generator[ \t]+\w+[ \t]*\{.*?^[ \t]*\}[ \t]*\n?")
_DATASOURCE = re.compile(r"(?ms)^([ \t]*datasource[ \t]+\w+[ \t]*\{)(.*?)(^[ \t]*\})")
_PREVIEW = re.compile(r"previewFeatures\s*=\s*\[([^\]]*)\]")
_URL_KEYS = re.compile(r"(?m)^[ \t]*(url|directUrl|shadowDatabaseUrl)[ \t]*=.*\n?")


def _push_schema_text(files: Files) -> str:
    """Join a (multi-file) schema into one text Prisma 6.19.3 can push without downloads.

    Generators are replaced by one with ``engineType = "client"`` (else the CLI downloads
    libquery_engine) keeping the preview features; the datasource gets
    ``url = env("DATABASE_URL")`` and loses ``directUrl``/``shadowDatabaseUrl`` (their env
    vars are not set here).
    """
    text = "\n".join(t for _, t in files).lstrip("\ufeff")
    features: list[str] = []
    for block in _GENERATOR.findall(text):
        for match in _PREVIEW.finditer(block):
            for item in re.findall(r'"([^"]+)"', match.group(1)):
                if item not in features:
                    features.append(item)
    text = _GENERATOR.sub("", text)
    if "views" not in features:
        features.append("views")

    def fix(m: re.Match[str]) -> str:
        body = _URL_KEYS.sub("", m.group(2))
        return f'{m.group(1)}{body.rstrip()}\n  url = env("DATABASE_URL")\n{m.group(3)}'

    text, count = _DATASOURCE.subn(fix, text, count=1)
    if count != 1:
        raise PrismaHarnessError("the schema has no datasource block")
    feature_list = ", ".join(f'"{f}"' for f in features)
    generator = (
        "generator client {\n"
        '  provider        = "prisma-client-js"\n'
        '  engineType      = "client"\n'
        f"  previewFeatures = [{feature_list}]\n"
        "}\n\n"
    )
    return generator + text


def db_push(schema: SchemaInput, url: str, *, accept_data_loss: bool = True) -> str:
    """Run ``prisma db push`` of ``schema`` into the database at ``url``; return its log.

    ``url`` is ``postgresql://…`` or ``file:/abs/path.db`` (SQLite). Views are not created
    by ``db push`` (Prisma's behaviour).
    """
    text = _push_schema_text(read_files(schema))
    with tempfile.TemporaryDirectory(prefix="ss-push-") as tmp:
        path = Path(tmp) / "schema.prisma"
        path.write_text(text, encoding="utf-8")
        args = [
            "-r",
            str(TOOLS / "unref-wasm-timers.cjs"),
            str(PRISMA_CLI),
            "db",
            "push",
            "--config",
            str(TOOLS / "prisma.config.ts"),
            "--skip-generate",
        ]
        if accept_data_loss:
            args.append("--accept-data-loss")
        proc = _run(args, url=url, env={"PRISMA_SCHEMA_PATH": str(path)})
    log = redact(proc.stdout + proc.stderr, url)
    if proc.returncode != 0:
        raise PrismaHarnessError(f"prisma db push failed (exit {proc.returncode}):\n{log[-4000:]}")
    return log


def _provider(url: str) -> str:
    scheme = url.split(":", 1)[0].lower()
    if scheme in ("postgres", "postgresql"):
        return "postgresql"
    if scheme == "file":
        return "sqlite"
    raise PrismaHarnessError(
        f"prisma db pull/push here supports postgresql:// and file: URLs, not {scheme}: "
        "(the Wasm schema engine has no MySQL support)"
    )


def db_pull(
    url: str,
    out_dir: Path,
    schemas: Sequence[str] | None = None,
    *,
    reintrospect: Path | None = None,
) -> Path:
    """Run ``prisma db pull`` of the database at ``url``; return ``out_dir/schema.prisma``.

    ``schemas`` lists PostgreSQL schemas to introspect (multiSchema). View SQL files go to
    ``out_dir/views/<schema>/<view>.sql`` as Prisma writes them. ``reintrospect`` starts from an
    existing schema file, as a plain ``npx prisma db pull`` in a project does (Prisma keeps what the
    database cannot say, such as an enum over an SQLite TEXT column); the default starts from an
    empty seed, so the output depends on the database only.
    """
    provider = _provider(url)
    schemas_line = ""
    if schemas:
        if provider != "postgresql":
            raise PrismaHarnessError("schemas= is only supported for PostgreSQL")
        schemas_line = "  schemas  = [" + ", ".join(f'"{s}"' for s in schemas) + "]\n"
    seed = (
        "generator client {\n"
        '  provider        = "prisma-client-js"\n'
        '  engineType      = "client"\n'
        '  previewFeatures = ["views"]\n'
        "}\n\n"
        "datasource db {\n"
        f'  provider = "{provider}"\n'
        '  url      = env("DATABASE_URL")\n'
        f"{schemas_line}"
        "}\n"
    )
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory(prefix="ss-pull-") as tmp:
        work = Path(tmp) / "schema.prisma"
        if reintrospect is not None:
            seed = Path(reintrospect).read_text(encoding="utf-8")
        work.write_text(seed, encoding="utf-8")
        proc = _run(
            [str(PRISMA_CLI), "db", "pull", "--config", str(TOOLS / "prisma.config.ts")],
            url=url,
            env={"PRISMA_SCHEMA_PATH": str(work)},
        )
        if proc.returncode != 0:
            log = redact(proc.stdout + proc.stderr, url)
            raise PrismaHarnessError(
                f"prisma db pull failed (exit {proc.returncode}):\n{log[-4000:]}"
            )
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / "schema.prisma"
        shutil.copyfile(work, target)
        views = Path(tmp) / "views"
        if views.is_dir():
            shutil.rmtree(out_dir / "views", ignore_errors=True)
            shutil.copytree(views, out_dir / "views")
    return target
