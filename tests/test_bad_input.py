"""The bad-input matrix of issue 5 (item 4): one test per row, through the real CLI.

Each row breaks one thing in a copy of `examples/shop`, runs the installed `schemasync` command
in a subprocess, and checks: the exit code of SPEC §5, a one-line message on stderr (with
`file:line:col` where the input has one), no traceback, and the project tree byte for byte
unchanged (snapshot of every file before and after).

What "unchanged" allows, row by row:
- config and usage errors (exit 2): nothing at all is written, not even the lock or run pointer;
- schema and artifact errors through `check`: nothing at all is written;
- the same errors through `sync`: the mirror, context, config and schema are untouched; the only
  new files are the run's evidence of the phases that passed before the failing one (00, 01 —
  the record of the failed run) and the lock file; never the evidence of the failing phase.

Full disk and unwritable folder (root runs these tests, so chmod stops nothing): a tiny tmpfs
(`mount -t tmpfs -o size=…`) and a read-only bind mount (`mount --bind -o ro`) over `db/schema`;
where mounting is not permitted, a child with `RLIMIT_FSIZE` (file-size limit) instead.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from safety_project import (
    CONFIG,
    CONTEXT,
    LOCK,
    MIRROR,
    RUNS,
    SCHEMA,
    assert_clean_failure,
    changes,
    make_project,
    run_cli,
    tree_bytes,
)
from test_parser import BAD as PARSER_ERRORS

from schemasync.errors import ExitCode


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the shop example."""
    return make_project(tmp_path)


def _write(project: Path, rel: str, data: str | bytes) -> None:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)


def expect_nothing_written(
    project: Path, code: ExitCode, *args: str, env: dict[str, str] | None = None
) -> str:
    """Run the CLI; check exit code, one-line error, and that no file changed at all."""
    before = tree_bytes(project)
    proc = run_cli(project, *args, env=env)
    message = assert_clean_failure(proc, int(code))
    assert changes(before, tree_bytes(project)) == {}, proc.stdout + proc.stderr
    return message


def expect_artifacts_kept(project: Path, code: ExitCode, *args: str) -> str:
    """Run a writing task; check exit code, one-line error, and that only the failed run's
    earlier evidence (and the lock) appeared."""
    before = tree_bytes(project)
    proc = run_cli(project, *args)
    message = assert_clean_failure(proc, int(code))
    diff = changes(before, tree_bytes(project))
    for path, what in diff.items():
        assert what == "added", f"{path} was {what}"
        assert path == LOCK or path.startswith(f"{RUNS}/"), f"{path} was written"
    evidence = sorted(Path(p).name for p in diff if p.endswith(".md"))
    assert set(evidence) <= {"00-ssot-mode-check.md", "01-db-pull-instructions.md"}, evidence
    return message


# ---- db-ssot.json (exit 2, nothing written) -----------------------------------------------


CONFIG_ROWS = {
    "missing": (None, f"{CONFIG}: not found"),
    "empty": ("", f"{CONFIG}:1:1: the file is empty"),
    "not-json": ('{"mode": "database",\n  "prismaSchema": }', f"{CONFIG}:2:19: not valid JSON"),
    "not-an-object": ('["database"]', f"{CONFIG}:1:1: expected a JSON object"),
    "wrong-type": ('{"mode": "database",\n "prismaSchema": 5}', f"{CONFIG}:2:2: prismaSchema"),
    "wrong-type-nested": (
        '{"mode": "database",\n "environments": {"dev": {"urlEnv": ["A"]}}}',
        f"{CONFIG}:2:27: environments.dev.urlEnv",
    ),
    "unknown-key": (
        '{"mode": "database",\n "prismaSchma": "x.prisma"}',
        f"{CONFIG}:2:2: unknown key 'prismaSchma'; did you mean 'prismaSchema'?",
    ),
    "unknown-mode": ('{"mode": "databse"}', f"{CONFIG}:1:2: mode: "),
    "unknown-environment": (
        '{"mode": "database",\n "environments": {"qa": {"urlEnv": "QA_URL"}}}',
        f"{CONFIG}:2:19: unknown environment 'qa'",
    ),
    "url-instead-of-env-name": (
        '{"mode": "database",\n "environments": {"dev": {"urlEnv": "postgresql://u@h/db"}}}',
        "must be the NAME of an environment variable",
    ),
    "not-utf8": (b'{"mode": "database\xff"}', f"{CONFIG}: not UTF-8"),
}


@pytest.mark.parametrize("row", list(CONFIG_ROWS))
@pytest.mark.parametrize("task", ["sync", "check"])
def test_bad_config(project: Path, row: str, task: str) -> None:
    """Every kind of bad `db-ssot.json`: exit 2, the file:line:col and key, nothing written."""
    text, expected = CONFIG_ROWS[row]
    if text is None:
        (project / CONFIG).unlink()
    else:
        _write(project, CONFIG, text)
    message = expect_nothing_written(project, ExitCode.USAGE, task)
    assert expected in message


def test_unknown_environment_flag(project: Path) -> None:
    """`--env qa` (not configured): exit 2 naming the value and the known ones."""
    message = expect_nothing_written(project, ExitCode.USAGE, "sync", "--env", "qa")
    assert "--env 'qa'" in message
    assert "dev" in message


def test_confirm_environment_without_terminal(project: Path) -> None:
    """`prod` has "confirm": true; without a terminal and without --yes: exit 2, no artifact."""
    before = tree_bytes(project)
    proc = run_cli(project, "sync", "--env", "prod")
    message = assert_clean_failure(proc, int(ExitCode.USAGE))
    assert "--yes" in message
    for path in changes(before, tree_bytes(project)):
        assert path == LOCK or path.startswith(RUNS), path


def test_unknown_flag_is_a_usage_error(project: Path) -> None:
    """A flag the task does not know: SPEC §5 says usage error, exit 2."""
    before = tree_bytes(project)
    proc = run_cli(project, "sync", "--no-such-flag")
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == int(ExitCode.USAGE), proc.stderr
    assert "--no-such-flag" in proc.stderr
    assert changes(before, tree_bytes(project)) == {}


def test_repo_prisma_mode_stops(project: Path) -> None:
    """`repo-prisma` mode: exit 3 naming the inverse workflow; only the 00 evidence written."""
    _write(project, CONFIG, '{"mode": "repo-prisma"}')
    before = tree_bytes(project)
    proc = run_cli(project, "sync")
    message = assert_clean_failure(proc, int(ExitCode.STOP))
    assert "sync-db-schema-from-code" in message
    written = changes(before, tree_bytes(project))
    assert {Path(p).name for p in written} <= {"00-ssot-mode-check.md", "CURRENT", ".lock"}


# ---- the Prisma schema (exit 4) -------------------------------------------------------------

SCHEMA_ROWS: dict[str, tuple[bytes | None, str]] = {
    "missing": (None, f"{SCHEMA}"),
    "empty": (b"", f"{SCHEMA}: the Prisma schema file is empty"),
    "blank": (b"  \n\n", f"{SCHEMA}: the Prisma schema file is empty"),
    "binary": (b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)), f"{SCHEMA}: "),
    "not-utf8": (b"model A {\n  id Int @id // caf\xe9\n}\n", f"{SCHEMA}: "),
}


def _plant_schema(project: Path, row: str) -> str:
    """Replace the schema by SCHEMA_ROWS[row] (None: remove it); return the expected message."""
    data, expected = SCHEMA_ROWS[row]
    if data is None:
        (project / SCHEMA).unlink()
    else:
        _write(project, SCHEMA, data)
    return expected


@pytest.mark.parametrize("row", list(SCHEMA_ROWS))
def test_bad_schema_file_check(project: Path, row: str) -> None:
    """Missing, empty, binary, non-UTF-8 schema: `check` exits 4 naming the file, writes nothing."""
    expected = _plant_schema(project, row)
    message = expect_nothing_written(project, ExitCode.SOURCE, "check")
    assert message.startswith(expected), message


@pytest.mark.parametrize("row", list(SCHEMA_ROWS))
def test_bad_schema_file_sync(project: Path, row: str) -> None:
    """The same through `sync`: exit 4, mirror and context untouched, no 02 evidence."""
    expected = _plant_schema(project, row)
    message = expect_artifacts_kept(project, ExitCode.SOURCE, "sync")
    assert message.startswith(expected), message


def test_huge_schema_file(project: Path) -> None:
    """A 50 MB schema file: a quick, clear exit 4 (size limit), not minutes of parsing."""
    text = (project / SCHEMA).read_text(encoding="utf-8")
    model = "model M{0} {{\n  id   Int    @id\n  name String\n}}\n"
    chunk = "".join(model.format(i) for i in range(10_000))
    blob = (text + chunk * (50_000_000 // len(chunk) + 1)).encode()
    _write(project, SCHEMA, blob)
    assert (project / SCHEMA).stat().st_size >= 50_000_000
    message = expect_nothing_written(project, ExitCode.SOURCE, "check")
    assert message.startswith(f"{SCHEMA}: "), message
    assert "MB" in message, message


def test_unreadable_schema_file(project: Path) -> None:
    """A schema that cannot be read (a folder where the file should be; root ignores chmod):
    exit 4 naming it."""
    (project / SCHEMA).unlink()
    (project / SCHEMA).mkdir()
    message = expect_nothing_written(project, ExitCode.SOURCE, "check")
    assert message.startswith(SCHEMA), message


def test_unreadable_schema_permission(project: Path) -> None:
    """A schema without read permission (mode 000): exit 4 "cannot read", nothing written.

    Root reads anything through two capabilities (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH): as root
    the CLI runs without them (setpriv), so the file is as unreadable to it as to anyone else.
    It stays root, so it still reaches a checkout inside a 0700 folder (`/root`), which the user
    `nobody` could not.
    """
    import shutil

    no_override: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: cannot drop the read permission")
        caps = "-dac_override,-dac_read_search"
        no_override = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}"]
    (project / SCHEMA).chmod(0)
    before = tree_bytes(project)
    proc = run_cli(project, "check", wrapper=no_override)
    message = assert_clean_failure(proc, int(ExitCode.SOURCE))
    assert message.startswith(f"{SCHEMA}: cannot read"), message
    assert changes(before, tree_bytes(project)) == {}


def test_empty_schema_folder(project: Path) -> None:
    """`prismaSchema` names a folder without `.prisma` files: exit 4 naming the folder."""
    (project / "prisma" / "schema").mkdir()
    config = json.loads((project / CONFIG).read_text(encoding="utf-8"))
    config["prismaSchema"] = "prisma/schema"
    _write(project, CONFIG, json.dumps(config))
    message = expect_nothing_written(project, ExitCode.SOURCE, "check")
    assert message.startswith("prisma/schema: "), message
    assert ".prisma" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    PARSER_ERRORS,
    ids=[m.split(": ")[-1][:40] for _, m in PARSER_ERRORS],
)
def test_syntax_error(project: Path, text: str, expected: str) -> None:
    """Every kind of PSL syntax error the parser reports: exit 4 at prisma/schema.prisma:L:C."""
    _write(project, SCHEMA, text)
    message = expect_nothing_written(project, ExitCode.SOURCE, "check")
    assert expected.replace("s.prisma:", f"{SCHEMA}:") in message, message
    if expected.startswith("s.prisma:"):
        assert message.startswith(f"{SCHEMA}:")


def test_syntax_error_through_sync(project: Path) -> None:
    """A syntax error through `sync`: exit 4 with the position; mirror and context untouched."""
    text = (project / SCHEMA).read_text(encoding="utf-8")
    _write(project, SCHEMA, text.replace("model ", "modle ", 1))
    message = expect_artifacts_kept(project, ExitCode.SOURCE, "sync")
    assert "unknown block `modle`: did you mean `model`?" in message
    assert message.startswith(f"{SCHEMA}:")


DATASOURCE = 'datasource db {\n  provider = "sqlite"\n  url      = env("DATABASE_URL")\n}\n'
INVALID = {
    "relation-to-unknown-model": (
        "model Post {\n  id Int @id\n  authorId Int\n"
        "  author Autor @relation(fields: [authorId], references: [id])\n}\n",
        f"{SCHEMA}:9:10: unknown type `Autor`",
    ),
    "duplicate-model": (
        "model A {\n  id Int @id\n}\nmodel A {\n  id Int @id\n}\n",
        f"{SCHEMA}:9:",
    ),
    "id-on-unknown-field": (
        "model A {\n  a Int\n  b Int\n  @@id([a, c])\n}\n",
        f"{SCHEMA}:9:",
    ),
    "unknown-argument": (
        'model A {\n  id Int @id\n  u String @unique(mapp: "u")\n}\n',
        f"{SCHEMA}:8:20: unknown argument `mapp` of `@unique`; did you mean `map`?",
    ),
    "unknown-attribute": (
        "model A {\n  id Int @id\n  u String\n  @@indx([u])\n}\n",
        f"{SCHEMA}:9:3: unknown attribute `@@indx`; did you mean `@@index`?",
    ),
}


@pytest.mark.parametrize("row", list(INVALID))
def test_parses_but_invalid(project: Path, row: str) -> None:
    """Schemas that parse but are invalid: exit 4 at the offending node's line:col."""
    body, expected = INVALID[row]
    _write(project, SCHEMA, DATASOURCE + "\n" + body)
    message = expect_nothing_written(project, ExitCode.SOURCE, "check")
    assert message.startswith(expected), message


# ---- existing artifacts (exit 6) ------------------------------------------------------------

MIRROR_ROWS = {
    "unknown-format": ('{"format": "schemasync/tables@9"}\n', "unknown format"),
    "not-an-object": ("[]\n", "unknown format"),
    "truncated": (None, "not valid JSON"),
    "invalid-field": ('{"format": "schemasync/tables@1", "provider": 7}\n', "invalid mirror"),
    "not-utf8": (b"\xff\xfe{}", "not UTF-8"),
}


@pytest.mark.parametrize("row", list(MIRROR_ROWS))
@pytest.mark.parametrize("task", ["check", "sync"])
def test_corrupt_mirror(project: Path, row: str, task: str) -> None:
    """An existing tables.json of an unknown format, truncated or invalid: exit 6 naming it;
    the corrupt file is left for the human to look at, nothing else is written."""
    text, expected = MIRROR_ROWS[row]
    if text is None:
        whole = (project / MIRROR).read_bytes()
        text = whole[: len(whole) // 2]
    _write(project, MIRROR, text)
    if task == "check":
        message = expect_nothing_written(project, ExitCode.ARTIFACT, task)
    else:
        message = expect_artifacts_kept(project, ExitCode.ARTIFACT, task)
    assert message.startswith(MIRROR), message
    assert expected in message
    if row == "truncated":
        assert message.startswith(f"{MIRROR}:"), "a JSON error has its line:col"


CONTEXT_ROWS = {
    "truncated": (None, "not valid JSON"),
    "unknown-format": (b'{"format": "other@1"}\n', "unknown format 'other@1'"),
    "not-an-object": (b"[]\n", "unknown format 'list'"),
    "invalid-field": (b'{"format": "schemasync/context@3", "about": 7}\n', "invalid context"),
    "not-utf8": (b"\xff\xfe{}", "not UTF-8"),
}


@pytest.fixture(scope="session")
def synced_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shop example after one `sync` (its committed artifacts may be stale)."""
    project = make_project(tmp_path_factory.mktemp("synced"))
    proc = run_cli(project, "sync")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project


@pytest.fixture
def synced(synced_once: Path, tmp_path: Path) -> tuple[Path, bytes]:
    """A fresh copy of the synced project (same folder name) and its context bytes."""
    import shutil

    project = tmp_path / synced_once.name
    shutil.copytree(synced_once, project, symlinks=True)
    return project, (project / CONTEXT).read_bytes()


@pytest.mark.parametrize("row", list(CONTEXT_ROWS))
@pytest.mark.parametrize("task", ["check", "verify"])
def test_corrupt_context(synced: tuple[Path, bytes], row: str, task: str) -> None:
    """A context that is not JSON, of another format or invalid is corrupt (SPEC §5): `check` and
    `verify` exit 6 naming it and write nothing; `sync` rebuilds it whole (it is derived)."""
    project, good = synced
    bad, expected = CONTEXT_ROWS[row]
    _write(project, CONTEXT, good[: len(good) // 2] if bad is None else bad)
    message = expect_nothing_written(project, ExitCode.ARTIFACT, task)
    assert message.startswith(CONTEXT), message
    assert expected in message, message
    if row == "truncated":
        assert message.startswith(f"{CONTEXT}:"), "a JSON error has its line:col"
    proc = run_cli(project, "sync")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (project / CONTEXT).read_bytes() == good


@pytest.mark.parametrize("task", ["check", "verify"])
def test_stale_context_is_drift(synced: tuple[Path, bytes], task: str) -> None:
    """A valid context that differs from the derived one (hand-edited or stale) is drift: exit 1
    with the diff, nothing written; `sync` regenerates it."""
    project, good = synced
    edited = good.replace(b"never edit them", b"edit them freely", 1)
    assert edited != good
    _write(project, CONTEXT, edited)
    before = tree_bytes(project)
    proc = run_cli(project, task)
    assert proc.returncode == int(ExitCode.DRIFT), proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert f"{CONTEXT}: differs" in proc.stdout + proc.stderr
    assert "edit them freely" in proc.stdout + proc.stderr
    assert changes(before, tree_bytes(project)) == {}
    proc = run_cli(project, "sync")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (project / CONTEXT).read_bytes() == good


# ---- unwritable folder, full disk -----------------------------------------------------------


def _change_schema(project: Path) -> None:
    """Add a model so Phase B must rewrite the mirror."""
    text = (project / SCHEMA).read_text(encoding="utf-8")
    _write(project, SCHEMA, text + "\nmodel Extra {\n  id Int @id @default(autoincrement())\n}\n")


@contextmanager
def mounted(args: list[str], target: Path) -> Iterator[bool]:
    """Mount over `target` for the block; yield False when mounting is not permitted."""
    proc = subprocess.run(["mount", *args, str(target)], capture_output=True, check=False)
    if proc.returncode != 0:
        yield False
        return
    try:
        yield True
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)


def _run_with_fsize_limit(project: Path, limit: int) -> subprocess.CompletedProcess[str]:
    # util-linux's prlimit sets the limit and runs the command (a `preexec_fn` would be unsafe
    # in an xdist worker, which has threads)
    return run_cli(project, "sync", wrapper=["prlimit", f"--fsize={limit}"])


def _assert_mirror_kept(project: Path, proc: subprocess.CompletedProcess[str], old: bytes) -> None:
    message = assert_clean_failure(proc, int(ExitCode.ARTIFACT))
    assert MIRROR in message, message
    assert (project / MIRROR).read_bytes() == old
    leftovers = [p.name for p in (project / MIRROR).parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == [], f"temp files left behind: {leftovers}"


def test_unwritable_artifact_folder(project: Path) -> None:
    """`db/schema` read-only (a read-only bind mount: chmod does not stop root; chmod 0o555
    when not root): exit 6 naming the mirror; the old mirror is intact, no temp file left."""
    _change_schema(project)
    folder = project / "db" / "schema"
    old = (project / MIRROR).read_bytes()
    with mounted(["--bind", "-o", "ro", str(folder)], folder) as ok:
        if not ok:
            if os.geteuid() == 0:
                pytest.skip("root without mount permission: no way to make a folder read-only")
            folder.chmod(0o555)
        try:
            proc = run_cli(project, "sync")
        finally:
            if not ok:
                folder.chmod(0o755)
        _assert_mirror_kept(project, proc, old)


def test_full_disk(project: Path) -> None:
    """`db/schema` on a tmpfs too small for the new mirror: exit 6, the old mirror intact.

    Without mount permission: `RLIMIT_FSIZE` below the new mirror's size but above the evidence
    files' (EFBIG on the mirror's temp file), same checks.
    """
    _change_schema(project)
    folder = project / "db" / "schema"
    old = (project / MIRROR).read_bytes()
    size = (len(old) // 4096 + 2) * 4096
    with mounted(["-t", "tmpfs", "-o", f"size={size}"], folder) as ok:
        if not ok:
            proc = _run_with_fsize_limit(project, len(old) // 2)
        else:
            (folder / "tables.json").write_bytes(old)
            free = os.statvfs(folder)
            assert free.f_bavail * free.f_frsize < len(old) + 4096
            proc = run_cli(project, "sync")
        _assert_mirror_kept(project, proc, old)
