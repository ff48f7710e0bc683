"""The orchestration's promises (issue 10): one run, one set of options, one schema hash,
independent verification, nothing passed over in silence.

Each test here failed on the orchestration it replaced: `sync --run-pull` skipped the pull,
evidence and mirror recorded different hashes of the same schema, `verify` inside `sync` trusted
what the phases had cached, one `sync` validated the config eight times, and Phase D skipped a
business file over 2 MB without a word.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from safety_project import CONFIG, MIRROR, SCHEMA, make_project, run_cli

from schemasync.errors import ExitCode
from schemasync.evidence import EVIDENCE_FILES
from schemasync.options import Options
from schemasync.runner import execute

SLUG = "spine"
EVIDENCE = f"dev-docs/active/{SLUG}/artifacts/db"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the shop example."""
    return make_project(tmp_path)


def _sync(project: Path, *lines: str) -> list[str]:
    """Run `sync` in-process (every phase, then verify) into the evidence folder `spine`."""
    out: list[str] = list(lines)
    options = Options(root=str(project), cwd=str(project), task_slug=SLUG, new_run=True)
    execute(
        ["mode-check", "pull-instructions", "import-prisma", "refresh-context", "check-layers",
         "sync", "verify"],
        options,
        out.append,
    )  # fmt: skip
    return out


def test_sync_run_pull_runs_the_pull(project: Path) -> None:
    """`sync --run-pull` with the URL variable unset refuses (it used to skip the pull, exit 0)."""
    done = run_cli(project, "sync", "--run-pull", "--task-slug", SLUG)
    assert done.returncode == ExitCode.USAGE, done.stdout + done.stderr
    assert "--run-pull: environment variable DATABASE_URL is not set" in done.stderr
    # Phase 0 ran (its record exists); Phase A stopped before writing its own
    assert (project / EVIDENCE / EVIDENCE_FILES[0]).exists()
    assert not (project / EVIDENCE / EVIDENCE_FILES[1]).exists()


def test_evidence_records_the_mirrors_schema_hash(project: Path) -> None:
    """Phases 0, A and B record the one sha256 of the schema the mirror records (views
    included, CRLF normalized): an auditor can match them."""
    schema = project / SCHEMA
    schema.write_bytes(schema.read_bytes().replace(b"\n", b"\r\n"))  # a Windows checkout
    done = run_cli(project, "sync", "--task-slug", SLUG)
    assert done.returncode == 0, done.stderr
    sha = json.loads((project / MIRROR).read_text())["source"]["sha256"]
    for name in EVIDENCE_FILES[:3]:
        text = (project / EVIDENCE / name).read_text(encoding="utf-8")
        assert f"| `{SCHEMA}` | {sha} |" in text or f"| `{SCHEMA} (before pull)` | {sha} |" in text
    assert done.stdout.count("no changes since the previous mirror") == 1  # CRLF: same mirror


def test_verify_inside_sync_reads_what_is_on_disk(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mirror changed on disk after Phase B (in place, same size, same modification time —
    what a stat-keyed cache cannot see) makes the `verify` of the same `sync` fail."""
    from schemasync import layers

    real = layers.check_layers
    path = project / MIRROR

    def tamper_then_check(*args: object, **kwargs: object) -> layers.LayerReport:
        if b'"orders"' in path.read_bytes():  # once: rename a table, keeping the size
            stat = path.stat()
            with path.open("r+b") as handle:
                data = handle.read().replace(b'"orders"', b'"ORDERS"', 1)
                handle.seek(0)
                handle.write(data)
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(layers, "check_layers", tamper_then_check)
    from schemasync.errors import DriftDetected

    with pytest.raises(DriftDetected, match=f"{MIRROR}: hand-edited: its text differs") as info:
        _sync(project)
    assert 'on disk:           "field": "ORDERS",' in info.value.message  # where it differs
    assert 're-derived:        "field": "orders",' in info.value.message


def test_one_sync_reads_the_config_once(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One run, one validated config: every phase and `verify` share it."""
    from schemasync import config
    from schemasync import project as project_module

    calls: list[str] = []
    real = config.load_config

    def counting(text: str, path: str = CONFIG, environments: str | None = None) -> object:
        calls.append(path)
        return real(text, path, environments)

    monkeypatch.setattr(project_module, "load_config", counting)
    lines = _sync(project)
    assert "verification checklist:" in lines
    assert calls == [CONFIG]


def test_a_business_file_too_large_to_scan_is_a_finding(project: Path) -> None:
    """A 2.2 MB business file importing the Prisma client is reported, not skipped."""
    big = project / "src/services/generated_report.ts"
    big.write_text(
        "import { PrismaClient } from '@prisma/client'\n" + "// padding\n" * 220_000,
        encoding="utf-8",
    )
    assert big.stat().st_size > 2_200_000
    done = run_cli(project, "phase-d", "--task-slug", SLUG)
    assert done.returncode == ExitCode.DRIFT, done.stdout + done.stderr
    assert "src/services/generated_report.ts: cannot be scanned: 2.4 MB" in done.stderr
    record = (project / EVIDENCE / EVIDENCE_FILES[4]).read_text(encoding="utf-8")
    assert "`src/services/generated_report.ts`" in record
    assert "- [ ] no Prisma client import" in record


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"export const caf\xe9 = 1\n", "not UTF-8 text (invalid byte at offset 16)"),
        (None, "not a regular file"),
    ],
)
def test_an_unreadable_layer_file_is_a_finding(
    project: Path, data: bytes | None, reason: str
) -> None:
    """Not UTF-8, or a FIFO (which would block a read forever): a finding, never a skip."""
    path = project / "src/domain/odd.ts"
    if data is None:
        os.mkfifo(path)
    else:
        path.write_bytes(data)
    done = run_cli(project, "phase-d", "--task-slug", SLUG, timeout=60)
    assert done.returncode == ExitCode.DRIFT, done.stdout + done.stderr
    assert f"src/domain/odd.ts: cannot be scanned: {reason}" in done.stderr


@pytest.mark.parametrize(
    ("flag", "value"),
    [("--lock-timeout", "abc"), ("--lock-timeout", "-1"), ("--lock-timeout", "nan")],
)
def test_bad_numbers_are_usage_errors(project: Path, flag: str, value: str) -> None:
    done = run_cli(project, "sync", flag, value)
    assert done.returncode == ExitCode.USAGE, done.stderr
    assert f"{flag} {value!r}: give a number of seconds" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (project / ".ai").exists()


def test_lock_timeout_zero_does_not_wait(project: Path) -> None:
    """`--lock-timeout 0` means no wait (it used to mean the default, 30 s)."""
    import fcntl
    import time

    lock = project / ".ai/.tmp/db-sync/.lock"
    lock.parent.mkdir(parents=True)
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write("4242\n")
        handle.flush()
        started = time.monotonic()
        done = run_cli(project, "phase-b", "--lock-timeout", "0")
        waited = time.monotonic() - started
    assert done.returncode == ExitCode.USAGE
    assert "(pid 4242) holds the project lock; waited 0 s" in done.stderr
    assert waited < 10


def test_options_given_twice_must_agree(project: Path) -> None:
    done = run_cli(project, "phase-b", "--env", "staging", "phase-c", "--env", "prod")
    assert done.returncode == ExitCode.USAGE
    assert "--env: given as 'staging' and 'prod'" in done.stderr


def test_drift_evidence_honours_the_projects_template(project: Path) -> None:
    """`drift`'s evidence comes from a template like every phase's: a project's own
    `evidence_templates/05-drift-check.md` is used (its template was inline in tasks.py)."""
    import sqlite3

    from schemasync.evidence import DRIFT_EVIDENCE

    db = project / "dev.db"
    with sqlite3.connect(db) as conn:
        conn.executescript((project / "db/shop.sql").read_text(encoding="utf-8"))
    conn.close()
    own = project / "evidence_templates"
    own.mkdir()
    template = Path(__file__).resolve().parent.parent / "evidence_templates" / DRIFT_EVIDENCE
    (own / DRIFT_EVIDENCE).write_text(
        template.read_text(encoding="utf-8").replace("# Drift check", "# ACME drift check"),
        encoding="utf-8",
    )
    done = run_cli(project, "drift", "--task-slug", SLUG, env={"DATABASE_URL": f"file:{db}"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no drift" in done.stdout
    written = (project / EVIDENCE / DRIFT_EVIDENCE).read_text(encoding="utf-8")
    assert written.startswith("# ACME drift check")
    (own / DRIFT_EVIDENCE).write_text("# Mine\n\n## What ran\n\n$command\n", encoding="utf-8")
    done = run_cli(project, "drift", "--task-slug", SLUG, env={"DATABASE_URL": f"file:{db}"})
    assert done.returncode == ExitCode.ARTIFACT
    assert "evidence_templates/05-drift-check.md: the rendered evidence is incomplete" in (
        done.stderr
    )


def test_check_names_an_old_format_mirror(project: Path) -> None:
    """A mirror still in format @1 (written before relations carried their schemas) is read,
    and `check` says to rewrite it rather than showing a diff of every relation."""
    path = project / MIRROR
    data = json.loads(path.read_text(encoding="utf-8"))
    data["format"] = "schemasync/tables@1"
    for rel in data["relations"]:
        del rel["schema"], rel["referencedSchema"]
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    done = run_cli(project, "check")
    assert done.returncode == ExitCode.DRIFT, done.stderr
    assert (
        f"{MIRROR}: written in format schemasync/tables@1; run `schemasync sync` to rewrite it "
        "as schemasync/tables@2"
    ) in done.stderr
    assert run_cli(project, "sync").returncode == 0
    assert run_cli(project, "check").returncode == 0


@pytest.mark.parametrize(("flag", "expected"), [([], "False"), (["-B"], "True")])
def test_the_command_writes_byte_code_as_the_interpreter_was_told(
    tmp_path: Path, flag: list[str], expected: str
) -> None:
    """invoke's Program turns byte-code writing off (its `--write-pyc` is off by default), so every
    module a task imported after start-up was compiled from source on every run that found no
    `.pyc`; the command follows the interpreter's own setting (`-B`, `PYTHONDONTWRITEBYTECODE`)."""
    code = (
        "import sys; from schemasync.program import program; "
        "program.run(['schemasync', '--list'], exit=False); "
        "print(sys.dont_write_bytecode, file=sys.stderr)"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(
        [sys.executable, *flag, "-c", code],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == expected
