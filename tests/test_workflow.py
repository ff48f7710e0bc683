"""The workflow end to end: every task through invoke, in-process and as a subprocess.

Each test copies `examples/shop` into `tmp_path/repo/shop` (with a `.git` folder so that
`tmp_path/repo` is "the repository") and never writes into the real repo.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from invoke.program import Program

from schemasync.errors import ExitCode
from schemasync.evidence import EVIDENCE_FILES, check_evidence
from schemasync.tasks import PhaseExecutor, make_collection

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "shop"
BIN = Path(sys.executable).parent
MIRROR = "db/schema/tables.json"
CONTEXT = "docs/context/db/schema.json"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake repository holding a copy of the example at `shop/`; the cwd is its root."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    shutil.copytree(
        EXAMPLE, root / "shop", ignore=shutil.ignore_patterns(".ai", "*.db", "node_modules")
    )
    monkeypatch.chdir(root)
    monkeypatch.delenv("CI_SCHEMASYNC_DUMMY", raising=False)
    return root


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the `schemasync` program in-process; return (exit code, stdout, stderr)."""
    program = Program(
        namespace=make_collection(),
        name="schemasync",
        binary="schemasync",
        executor_class=PhaseExecutor,
    )
    code = 0
    try:
        program.run(["schemasync", *argv])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def cli(
    args: list[str], cwd: Path, *, tool: str = "schemasync"
) -> subprocess.CompletedProcess[str]:
    """Run `.venv/bin/schemasync` or `.venv/bin/invoke` as a child process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INVOKE_")}
    return subprocess.run(
        [str(BIN / tool), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def snapshot_tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path -> bytes), lock file excluded."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def evidence_dir(project: Path, slug: str) -> Path:
    return project / "dev-docs" / "active" / slug / "artifacts" / "db"


# ---- the happy paths -----------------------------------------------------------------------


def test_sync_in_process_writes_every_artifact(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = repo / "shop"
    (project / MIRROR).unlink()
    (project / CONTEXT).unlink()
    code, out, err = run(["sync", "--root", "shop", "--task-slug", "first-sync"], capsys)
    assert (code, err) == (0, "")
    assert "add_table" in out
    assert "verification checklist:" in out
    folder = evidence_dir(project, "first-sync")
    for name in EVIDENCE_FILES:
        text = (folder / name).read_text(encoding="utf-8")
        assert check_evidence(text) == (), name
    # The artifacts a fresh clone gets are the committed ones, byte for byte.
    assert (project / MIRROR).read_bytes() == (EXAMPLE / MIRROR).read_bytes()
    assert (project / CONTEXT).read_bytes() == (EXAMPLE / CONTEXT).read_bytes()


def test_rerun_is_byte_identical(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = repo / "shop"
    assert run(["sync", "--root", "shop", "--task-slug", "again"], capsys)[0] == 0
    first = snapshot_tree(project)
    mtime = (project / MIRROR).stat().st_mtime_ns
    assert run(["sync", "--root", "shop", "--task-slug", "again"], capsys)[0] == 0
    assert snapshot_tree(project) == first
    # An unchanged database gives an unchanged mirror: not even rewritten.
    assert (project / MIRROR).stat().st_mtime_ns == mtime


class _Killed(BaseException):
    """Stands for a SIGKILL at one exact point (the subprocess kill test hits points at random)."""


def test_a_run_killed_right_after_the_mirror_write_keeps_its_change_list(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Phase B records the changes (02) before it writes the mirror; a rerun would find the
    mirror current and report no change, so the record must already exist when it lands."""
    from schemasync import project as project_module
    from schemasync.fsio import write_atomic as real

    project = repo / "shop"
    (project / MIRROR).unlink()  # the previous mirror: none, so every table is a change

    def killed_after_mirror(path: Path, data: str | bytes) -> None:
        real(path, data)
        if path.as_posix().endswith(MIRROR):
            raise _Killed

    monkeypatch.setattr(project_module, "write_atomic", killed_after_mirror)
    with pytest.raises(_Killed):
        run(["sync", "--root", "shop", "--task-slug", "killed"], capsys)
    record = (evidence_dir(project, "killed") / EVIDENCE_FILES[2]).read_text(encoding="utf-8")
    assert "add_table" in record
    assert check_evidence(record) == ()


def test_rerun_identical_under_other_hash_seeds(repo: Path) -> None:
    outputs = []
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        for rel in (MIRROR, CONTEXT):
            (repo / "shop" / rel).unlink()
        proc = subprocess.run(
            [str(BIN / "schemasync"), "sync", "--root", "shop", "--task-slug", "seed"],
            cwd=repo,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        outputs.append(snapshot_tree(repo / "shop"))
    assert outputs[0] == outputs[1]


def test_dba_step_by_step_order(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """phase-0, phase-a, (human pulls), phase-b, phase-c, phase-d, verify: one evidence run."""
    project = repo / "shop"
    code, out, _ = run(["phase-0", "--root", "shop"], capsys)
    assert code == 0
    assert "mode: database" in out
    run_id = (project / ".ai/.tmp/db-sync/CURRENT").read_text().strip()
    folder = project / ".ai/.tmp/db-sync" / run_id
    assert sorted(p.name for p in folder.iterdir()) == [EVIDENCE_FILES[0]]
    for step, evidence in zip(
        ("phase-a", "phase-b", "phase-c", "phase-d"), EVIDENCE_FILES[1:], strict=True
    ):
        time.sleep(0.01)
        code, out, err = run([step, "--root", "shop"], capsys)
        assert (code, err) == (0, ""), step
        assert (folder / evidence).is_file(), step
        # The gate ran again first (pre-task) and the run went on in the same folder.
        assert "mode: database" in out
    code, out, _ = run(["verify", "--root", "shop"], capsys)
    assert code == 0
    assert f"evidence 00-04 complete in `.ai/.tmp/db-sync/{run_id}/`" in out
    assert sorted(p.name for p in folder.iterdir()) == sorted(EVIDENCE_FILES)


def test_later_phase_alone_rechecks_the_gate(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = repo / "shop/docs/project/db-ssot.json"
    config.write_text(config.read_text().replace('"database"', '"repo-prisma"'))
    code, _, err = run(["phase-c", "--root", "shop", "--task-slug", "gate"], capsys)
    assert code == ExitCode.STOP
    assert "sync-db-schema-from-code" in err
    assert [p.name for p in evidence_dir(repo / "shop", "gate").iterdir()] == [EVIDENCE_FILES[0]]


def test_subprocess_schemasync_and_invoke(repo: Path) -> None:
    proc = cli(["sync", "--root", "shop", "--task-slug", "sub"], repo)
    assert proc.returncode == 0, proc.stderr
    assert "verification checklist:" in proc.stdout
    proc = cli(["check", "--root", "shop"], repo)
    assert proc.returncode == 0, proc.stderr
    # `invoke` picks up a tasks.py + invoke.yaml like the repo's own (default root: the example).
    shutil.copy(REPO / "tasks.py", repo / "tasks.py")
    shutil.copy(REPO / "invoke.yaml", repo / "invoke.yaml")
    (repo / "examples").mkdir()
    shutil.move(repo / "shop", repo / "examples" / "shop")
    proc = cli(["sync", "--task-slug", "inv"], repo, tool="invoke")
    assert proc.returncode == 0, proc.stderr
    assert (evidence_dir(repo / "examples/shop", "inv") / EVIDENCE_FILES[4]).is_file()
    proc = cli(["phase-d"], repo, tool="invoke")
    assert proc.returncode == 0, proc.stderr
    listing = cli(["--list"], repo, tool="invoke").stdout
    for name in ("mode-check (phase-0)", "check-layers (phase-d)", "sync", "snapshot", "init"):
        assert name in listing


def test_help_says_what_and_which_evidence(capsys: pytest.CaptureFixture[str]) -> None:
    for name, evidence in (
        ("mode-check", "00-ssot-mode-check.md"),
        ("pull-instructions", "01-db-pull-instructions.md"),
        ("import-prisma", "02-import-prisma-log.md"),
        ("refresh-context", "03-context-refresh-log.md"),
        ("check-layers", "04-layer-coherence.md"),
        ("verify", "Writes nothing"),
        ("check", "Writes nothing"),
        ("sync", "evidence 00-04"),
        ("init", "db-ssot.json only with --mode"),
        ("snapshot", "Writes no evidence"),
    ):
        code, out, _ = run(["--help", name], capsys)
        assert code == 0
        assert evidence in " ".join(out.split()), name


# ---- Phase A ---------------------------------------------------------------------------------


def test_pull_instructions_name_variables_never_values(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "postgresql://app:s3cr3t-VALUE@db.internal:5432/shop"
    monkeypatch.setenv("PROD_DATABASE_URL", secret)
    code, out, err = run(
        ["phase-a", "--root", "shop", "--env", "prod", "--yes", "--task-slug", "prod-pull"], capsys
    )
    assert code == 0, err
    assert "PROD_DATABASE_URL" in out
    assert "read-only" in out
    assert "maintenance window" in out
    written = "\n".join(p.read_text() for p in evidence_dir(repo / "shop", "prod-pull").iterdir())
    for text in (out, err, written):
        assert "s3cr3t" not in text
        assert "migrate dev" not in text
        assert "db push" not in text
    sha = (evidence_dir(repo / "shop", "prod-pull") / EVIDENCE_FILES[1]).read_text()
    # the one sha256 of the schema (views included), as the mirror's `source.sha256` records it
    mirror = json.loads((repo / "shop" / MIRROR).read_text())
    assert mirror["source"]["sha256"] in sha


def test_run_pull_refuses_when_variable_unset(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    code, _, err = run(["phase-a", "--root", "shop", "--run-pull"], capsys)
    assert code == ExitCode.USAGE
    assert "DATABASE_URL is not set" in err


# ---- exit codes of SPEC §5 ----------------------------------------------------------------------


def test_exit_1_hand_edited_mirror_caught_by_check(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mirror = repo / "shop" / MIRROR
    data = json.loads(mirror.read_text())
    data["tables"][1]["columns"][0]["nullable"] = True
    mirror.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    code, _, err = run(["check", "--root", "shop"], capsys)
    assert code == ExitCode.DRIFT
    assert "db/schema/tables.json: stale: the import of prisma/schema.prisma makes 1 change" in err
    assert "  modify_nullable        addresses.id  true -> false\n" in err  # what a sync changes
    assert "Traceback" not in err
    proc = cli(["check", "--root", "shop"], repo)
    assert proc.returncode == 1
    assert "stale" in proc.stderr


def test_exit_1_hand_edited_context(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    context = repo / "shop" / CONTEXT
    context.write_text(context.read_text().replace('"sqlite"', '"postgresql"'))
    code, _, err = run(["check", "--root", "shop"], capsys)
    assert code == ExitCode.DRIFT
    assert "docs/context/db/schema.json: differs" in err


def test_exit_1_missing_evidence_fails_verify(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["sync", "--root", "shop", "--task-slug", "ev"], capsys)[0] == 0
    folder = evidence_dir(repo / "shop", "ev")
    (folder / EVIDENCE_FILES[3]).unlink()
    text = (folder / EVIDENCE_FILES[2]).read_text().replace("## Checklist", "## Checks")
    (folder / EVIDENCE_FILES[2]).write_text(text)
    code, _out, err = run(["verify", "--root", "shop", "--task-slug", "ev"], capsys)
    assert code == ExitCode.DRIFT
    assert f"{EVIDENCE_FILES[3]}: missing" in err
    assert f"{EVIDENCE_FILES[2]}: missing heading '## Checklist'" in err


def test_exit_1_phase_d_violation(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    service = repo / "shop/src/services/report.ts"
    service.write_text(
        'import { PrismaClient } from "@prisma/client";\n'
        "export async function count(): Promise<number> {\n"
        "  const where: Prisma.ordersWhereInput = {};\n"
        "  return new PrismaClient().orders.count({ where });\n"
        "}\n"
    )
    code, _, err = run(["sync", "--root", "shop", "--task-slug", "layers"], capsys)
    assert code == ExitCode.DRIFT
    assert "src/services/report.ts:1: imports the Prisma client" in err
    assert "src/services/report.ts:3: uses a Prisma type" in err
    evidence = (evidence_dir(repo / "shop", "layers") / EVIDENCE_FILES[4]).read_text()
    assert "`src/services/report.ts:1`" in evidence
    assert "- [ ] no Prisma client import" in evidence
    code, _, err = run(["verify", "--root", "shop", "--task-slug", "layers"], capsys)
    assert code == ExitCode.DRIFT
    assert "report.ts:1" in err


def test_exit_1_model_without_repository(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo_file = repo / "shop/src/repositories/catalog-repository.ts"
    repo_file.write_text(repo_file.read_text().replace("addresses", "adr"))
    # a warning until the project requires the mapping (issue 12)
    code, out, err = run(["phase-d", "--root", "shop", "--task-slug", "map"], capsys)
    assert (code, err) == (0, "")
    assert "warning: model addresses: no file in the repository layer names it" in out
    evidence = (evidence_dir(repo / "shop", "map") / EVIDENCE_FILES[4]).read_text()
    assert "| warning: no repository names model `addresses` |" in evidence
    assert "- [x] every model is named by a repository-layer file but 1, listed as warnings" in (
        evidence
    )
    config = repo / "shop/docs/project/db-ssot.json"
    data = json.loads(config.read_text())
    data["layers"]["requireRepositoryMapping"] = True
    config.write_text(json.dumps(data))
    code, _, err = run(["phase-d", "--root", "shop"], capsys)
    assert code == ExitCode.DRIFT
    assert "model addresses: no file in the repository layer names it" in err
    code, _, err = run(["sync", "--root", "shop"], capsys)
    assert code == ExitCode.DRIFT
    data["layers"]["modelsWithoutRepository"] = ["addresses"]
    config.write_text(json.dumps(data))
    code, out, err = run(["sync", "--root", "shop"], capsys)
    assert (code, err) == (0, "")
    assert "Exempt from the mapping: addresses." in out


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (None, "docs/project/db-ssot.json: not found"),
        ("", "docs/project/db-ssot.json:1:1: the file is empty"),
        ("{\n  mode: database\n}", "docs/project/db-ssot.json:2:3: not valid JSON"),
        ("[1]", "expected a JSON object"),
        (
            '{\n  "mode": "database",\n  "prismaSchem": "x"\n}',
            "db-ssot.json:3:3: unknown key 'prismaSchem'; did you mean 'prismaSchema'?",
        ),
        ('{"mode": "databse"}', "use 'database'"),
        (
            '{"mode": "database", "environments": {"prod": {"confirm": "yes"}}}',
            "environments.prod.confirm: Input should be a valid boolean",
        ),
        (
            '{"mode": "database", "prismaSchema": "../../etc/schema.prisma"}',
            "must stay inside the project",
        ),
        ('{"mode": "database", "prismaSchema": "/etc/schema.prisma"}', "no absolute paths"),
        ('{"mode": "database", "layers": {"business": ["../src/**"]}}', "no '..'"),
        (
            '{"mode": "database", "environments": {"dev": {"urlEnv": "postgres://u:p@h/db"}}}',
            "never a URL",
        ),
    ],
)
def test_exit_2_bad_config(
    repo: Path, capsys: pytest.CaptureFixture[str], config: str | None, message: str
) -> None:
    path = repo / "shop/docs/project/db-ssot.json"
    if config is None:
        path.unlink()
    else:
        path.write_text(config)
    before = snapshot_tree(repo / "shop")
    code, _out, err = run(["sync", "--root", "shop"], capsys)
    assert code == ExitCode.USAGE
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    after = snapshot_tree(repo / "shop")
    assert {k for k in after if k not in before} <= {".ai/.tmp/db-sync/CURRENT"}
    assert {k: v for k, v in after.items() if k in before} == before


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--root", "../outside"], "outside the repository"),
        (["--root", "nope"], "no such folder"),
        (["--root", "shop", "--task-slug", "Bad Slug"], "--task-slug 'Bad Slug'"),
        (["--root", "shop", "--run-id", "../x"], "--run-id '../x'"),
        (["--root", "shop", "--evidence-dir", "../escape"], "resolves outside the project"),
        (["--root", "shop", "--evidence-dir", "/tmp/abs"], "is absolute"),
        (["--root", "shop", "--env", "production"], "did you mean 'prod'?"),
        (["--root", "shop", "--task-slug", "a", "--evidence-dir", "e"], "give only one way"),
    ],
)
def test_exit_2_unsafe_flags(
    repo: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    (repo.parent / "outside").mkdir(exist_ok=True)
    code, _, err = run(["sync", *argv], capsys)
    assert code == ExitCode.USAGE, err
    assert message in err


def test_exit_2_symlink_escape(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "elsewhere").mkdir()
    (repo / "shop/evidence-link").symlink_to(tmp_path / "elsewhere")
    code, _, err = run(["phase-0", "--root", "shop", "--evidence-dir", "evidence-link/x"], capsys)
    assert code == ExitCode.USAGE
    assert "symlink" in err
    assert not any((tmp_path / "elsewhere").iterdir())


def test_exit_2_confirm_without_terminal(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["sync", "--root", "shop", "--env", "prod"], capsys)
    assert code == ExitCode.USAGE
    assert "needs confirmation" in err
    assert "--yes" in err
    code, _, err = run(["sync", "--root", "shop", "--env", "prod", "--yes"], capsys)
    assert code == 0, err


def test_exit_2_second_run_waits_then_names_holder(repo: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from schemasync.project import "
            "project_lock\nwith project_lock(Path(sys.argv[1]), 5):\n    print('held', "
            "flush=True); time.sleep(30)",
            str(repo / "shop"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        proc = cli(["sync", "--root", "shop", "--lock-timeout", "1"], repo)
        waited = time.monotonic() - started
        assert proc.returncode == ExitCode.USAGE
        assert f"(pid {holder.pid}) holds the project lock" in proc.stderr
        assert waited >= 1.0
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
    assert cli(["sync", "--root", "shop", "--lock-timeout", "1"], repo).returncode == 0


def test_two_concurrent_syncs_do_not_interleave(repo: Path) -> None:
    procs = [
        subprocess.Popen(
            [str(BIN / "schemasync"), "sync", "--root", "shop", "--task-slug", f"c{i}"],
            cwd=repo,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert (repo / "shop" / MIRROR).read_bytes() == (EXAMPLE / MIRROR).read_bytes()


def test_exit_3_repo_prisma_stops_and_writes_only_00(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = repo / "shop"
    config = project / "docs/project/db-ssot.json"
    config.write_text('{"mode": "repo-prisma"}\n')
    before = snapshot_tree(project)
    code, _out, err = run(["sync", "--root", "shop", "--task-slug", "stop"], capsys)
    assert code == ExitCode.STOP
    assert "STOP" in err
    assert "sync-db-schema-from-code" in err
    after = snapshot_tree(project)
    new = sorted(set(after) - set(before))
    assert new == [f"dev-docs/active/stop/artifacts/db/{EVIDENCE_FILES[0]}"]
    assert {k: after[k] for k in before} == before
    evidence = (evidence_dir(project, "stop") / EVIDENCE_FILES[0]).read_text()
    assert check_evidence(evidence) == ()
    assert "sync-db-schema-from-code" in evidence


def test_exit_4_broken_schema(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = repo / "shop/prisma/schema.prisma"
    schema.write_text(schema.read_text().replace("model orders {", "model orders {{", 1))
    before = (repo / "shop" / MIRROR).read_bytes()
    code, _, err = run(["sync", "--root", "shop"], capsys)
    assert code == ExitCode.SOURCE
    assert err.startswith("schemasync: prisma/schema.prisma:")
    assert len(err.strip().splitlines()) == 1
    assert (repo / "shop" / MIRROR).read_bytes() == before


def test_exit_4_missing_schema(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "shop/prisma/schema.prisma").unlink()
    code, out, err = run(["phase-0", "--root", "shop"], capsys)
    assert code == 0
    assert "dialect: unknown" in out
    code, _, err = run(["phase-b", "--root", "shop"], capsys)
    assert code == ExitCode.SOURCE
    assert "pull-instructions" in err


def test_exit_5_unreachable_database(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOP_URL", "postgresql://app:pw-XYZ@127.0.0.1:1/shop?connect_timeout=2")
    code, _, err = run(
        ["snapshot", "--root", "shop", "--url-env", "SHOP_URL", "--timeout", "3"], capsys
    )
    assert code == ExitCode.DATABASE, err
    assert "pw-XYZ" not in err


def test_exit_6_corrupt_mirror(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mirror = repo / "shop" / MIRROR
    mirror.write_text('{"format": "schemasync/tables@0"}\n')
    code, _, err = run(["phase-b", "--root", "shop"], capsys)
    assert code == ExitCode.ARTIFACT
    assert "unknown format" in err
    assert mirror.read_text() == '{"format": "schemasync/tables@0"}\n'
    mirror.write_text('{"format": ')
    code, _, err = run(["check", "--root", "shop"], capsys)
    assert code == ExitCode.ARTIFACT
    assert "not valid JSON" in err


def test_exit_6_override_template_without_checklist(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own = repo / "shop/evidence_templates"
    own.mkdir()
    (own / EVIDENCE_FILES[0]).write_text("# Mine\n\n## What ran\n\n$command\n")
    code, _, err = run(["phase-0", "--root", "shop", "--task-slug", "tpl"], capsys)
    assert code == ExitCode.ARTIFACT
    assert "evidence_templates/00-ssot-mode-check.md: the rendered evidence is incomplete" in err
    assert not evidence_dir(repo / "shop", "tpl").exists()


def test_project_template_override_is_used(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    own = repo / "shop/evidence_templates"
    own.mkdir()
    text = (REPO / "evidence_templates" / EVIDENCE_FILES[0]).read_text()
    (own / EVIDENCE_FILES[0]).write_text(text.replace("# Phase 0", "# ACME Phase 0"))
    assert run(["phase-0", "--root", "shop", "--task-slug", "own"], capsys)[0] == 0
    written = (evidence_dir(repo / "shop", "own") / EVIDENCE_FILES[0]).read_text()
    assert written.startswith("# ACME Phase 0")


# ---- init / snapshot -----------------------------------------------------------------------------


def test_init_installs_skeleton_and_config_only_when_asked(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "fresh/prisma").mkdir(parents=True)
    shutil.copy(EXAMPLE / "prisma/schema.prisma", repo / "fresh/prisma/schema.prisma")
    code, out, _ = run(["init", "--root", "fresh"], capsys)
    assert code == 0
    assert not (repo / "fresh/docs/project/db-ssot.json").exists()
    assert (repo / "fresh/db/handbook/README.md").is_file()
    assert (repo / "fresh/docs/context/db").is_dir()
    mirror = json.loads((repo / "fresh" / MIRROR).read_text())
    assert mirror["tables"] == []
    assert mirror["provider"] == "sqlite"
    code, out, _ = run(["init", "--root", "fresh", "--mode", "database"], capsys)
    assert code == 0
    assert "wrote docs/project/db-ssot.json" in out
    code, _, err = run(["init", "--root", "fresh", "--mode", "database"], capsys)
    assert code == ExitCode.USAGE
    assert "already exists" in err
    # No repository layer yet: the model mapping is reported as unchecked, not failed.
    code, out, err = run(["sync", "--root", "fresh"], capsys)
    assert code == 0, err
    assert "No repository-layer file was found" in out


def test_snapshot_prisma_to_stdout_and_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["snapshot", "--root", "shop", "--prisma", "prisma/schema.prisma"], capsys)
    assert code == 0
    assert out == (EXAMPLE / MIRROR).read_text()
    code, out, _ = run(
        ["snapshot", "--root", "shop", "--prisma", "prisma/schema.prisma", "--out", "snap.json"],
        capsys,
    )
    assert code == 0
    assert (repo / "shop/snap.json").read_text() == (EXAMPLE / MIRROR).read_text()
    code, _, err = run(["snapshot", "--root", "shop"], capsys)
    assert code == ExitCode.USAGE
    assert "exactly one of" in err


# ---- the example itself -------------------------------------------------------------------------


def test_example_sql_builds_the_database(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "shop.db")
    db.executescript((EXAMPLE / "db/shop.sql").read_text())
    tables = {r[0] for r in db.execute("select name from sqlite_master where type = 'table'")}
    assert len(tables - {"sqlite_sequence"}) >= 6
    assert "_categoriesToproducts" in tables
    views = {r[0] for r in db.execute("select name from sqlite_master where type = 'view'")}
    assert views == {"active_products"}


@pytest.mark.node
def test_example_schema_is_what_prisma_db_pull_writes(
    tmp_path: Path, prisma_harness: object
) -> None:
    db = tmp_path / "shop.db"
    conn = sqlite3.connect(db)
    conn.executescript((EXAMPLE / "db/shop.sql").read_text())
    conn.close()
    # A plain `prisma db pull` in a project re-introspects its existing schema: that is how the
    # enum OrderStatus over the TEXT column orders.status survives (SQLite has no enum type).
    out = prisma_harness.db_pull(  # type: ignore[attr-defined]
        f"file:{db}", tmp_path / "pulled", reintrospect=EXAMPLE / "prisma/schema.prisma"
    )
    assert out.read_text() == (EXAMPLE / "prisma/schema.prisma").read_text()
    view = "views/main/active_products.sql"
    assert (tmp_path / "pulled" / view).read_text() == (EXAMPLE / "prisma" / view).read_text()


def test_example_db_task_creates_the_database_once(repo: Path) -> None:
    shutil.copy(REPO / "tasks.py", repo / "tasks.py")
    shutil.copy(REPO / "invoke.yaml", repo / "invoke.yaml")
    (repo / "examples").mkdir()
    shutil.move(repo / "shop", repo / "examples" / "shop")
    proc = cli(["example-db"], repo, tool="invoke")
    assert proc.returncode == 0, proc.stderr
    db = repo / "examples/shop/dev.db"
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("select count(*) from sqlite_master where type='view'").fetchone() == (
            1,
        )
    finally:
        conn.close()
    before = db.stat().st_mtime_ns
    assert cli(["example-db"], repo, tool="invoke").returncode == 0
    assert db.stat().st_mtime_ns == before


def test_every_task_as_a_subprocess(repo: Path) -> None:
    """Each task by its full name through the installed `schemasync` command, DBA order."""
    steps = [
        (["mode-check"], 0),
        (["pull-instructions"], 0),
        (["import-prisma"], 0),
        (["refresh-context"], 0),
        (["check-layers"], 0),
        (["verify"], 0),
        (["check"], 0),
        (["init"], 0),
        (["snapshot", "--prisma", "prisma/schema.prisma", "--out", "snap.json"], 0),
    ]
    for argv, expected in steps:
        proc = cli([argv[0], "--root", "shop", *argv[1:]], repo)
        assert proc.returncode == expected, (argv, proc.stderr)
        assert "Traceback" not in proc.stderr
    assert (repo / "shop/snap.json").read_bytes() == (EXAMPLE / MIRROR).read_bytes()


def test_committed_example_artifacts_are_current() -> None:
    """`schemasync check` on the repository's own example (read-only: check writes nothing)."""
    proc = cli(["check", "--root", "examples/shop"], REPO)
    assert proc.returncode == 0, proc.stderr


def test_cli_startup_imports_no_heavy_module() -> None:
    code = (
        "import sys, schemasync.cli\n"
        "names = ('sqlglot', 'psycopg', 'pymysql', 'markdown_it')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == ""


def test_exit_1_literal_connection_string(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = repo / "shop/prisma/schema.prisma"
    text = schema.read_text().replace(
        'url      = env("DATABASE_URL")', 'url      = "postgresql://app:hunter2pw@db:5432/shop"'
    )
    schema.write_text(text)
    code, _, err = run(["check", "--root", "shop"], capsys)
    assert code == ExitCode.DRIFT
    assert "prisma/schema.prisma:" in err
    assert "literal connection string in `url`" in err
    assert 'env("DATABASE_URL")' in err
    assert "hunter2pw" not in err


@pytest.mark.parametrize(("answer", "expected"), [(True, 0), (False, ExitCode.USAGE)])
def test_confirm_asks_on_a_terminal(repo: Path, answer: bool, expected: int) -> None:
    """With a terminal, an environment with "confirm": true asks; "no" stops with nothing done."""
    from schemasync.errors import SchemasyncError
    from schemasync.options import Options
    from schemasync.runner import execute

    asked: list[str] = []

    def confirm(question: str) -> bool:
        asked.append(question)
        return answer

    options = Options(root="shop", env="prod", task_slug="ask", new_run=True, confirm=confirm)
    if answer:
        execute(["mode-check"], options, print)
    else:
        with pytest.raises(SchemasyncError, match="not confirmed") as info:
            execute(["mode-check"], options, print)
        assert info.value.exit_code == expected
    assert asked == ["Environment 'prod' asks for confirmation. Go on? [y/N] "]
    written = evidence_dir(repo / "shop", "ask") / EVIDENCE_FILES[0]
    assert written.exists() is answer
