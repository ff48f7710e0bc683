"""A first hour without dead ends (issue 12): the project found from a subfolder, runs that stay
records, `snapshot` as the low-level command it is, drivers and SQLite paths, CLI manners.

Everything runs the real `schemasync` command on a copy of `examples/shop` (safety_project).
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from safety_project import CONFIG, MIRROR, RUNS, SCHEMA, clean_env, make_project, run_cli

from schemasync.errors import ExitCode
from schemasync.evidence import EVIDENCE_FILES
from schemasync.options import FLAGS
from schemasync.phases import TASKS


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the shop example inside a git repository (`tmp_path/repo/shop`)."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    return make_project(repo)


def _runs(project: Path) -> list[str]:
    return sorted(p.name for p in (project / RUNS).iterdir() if p.is_dir())


# ---- the project is found upward --------------------------------------------------------------


def test_a_subfolder_finds_its_project(project: Path) -> None:
    """From `prisma/`, every task works on the project above (as git finds its repository)."""
    done = run_cli(project / "prisma", "check")
    assert done.returncode == 0, done.stderr
    done = run_cli(project / "prisma", "init")
    assert done.returncode == 0, done.stderr
    assert not (project / "prisma" / "docs").exists()  # no second project inside prisma/
    assert not (project / "prisma" / "db").exists()


def test_no_project_up_to_the_repository_says_where_it_looked(project: Path) -> None:
    (project / CONFIG).unlink()
    done = run_cli(project / "src", "check")
    assert done.returncode == ExitCode.USAGE
    assert f"{CONFIG}: not found in {project / 'src'} nor in a folder above it" in done.stderr
    assert "`schemasync init --mode database`" in done.stderr


# ---- runs are records -------------------------------------------------------------------------


def test_a_phase_alone_never_rewrites_a_finished_run(project: Path) -> None:
    """After a finished `sync`, `phase-b` starts a new run: the old record stays byte for byte."""
    assert run_cli(project, "sync").returncode == 0
    (first,) = _runs(project)
    record = {n: (project / RUNS / first / n).read_bytes() for n in EVIDENCE_FILES}
    done = run_cli(project, "phase-b")
    assert done.returncode == 0, done.stderr
    first_again, second = _runs(project)
    assert first_again == first
    assert {n: (project / RUNS / first / n).read_bytes() for n in EVIDENCE_FILES} == record
    assert sorted(p.name for p in (project / RUNS / second).iterdir()) == [
        EVIDENCE_FILES[0],
        EVIDENCE_FILES[2],
    ]
    # `verify` alone checks the current run (it writes nothing): that new, unfinished one
    done = run_cli(project, "verify")
    assert done.returncode == ExitCode.DRIFT
    assert f"{RUNS}/{second}/01-db-pull-instructions.md: missing" in done.stderr


def test_the_dba_handoff_stays_in_one_run(project: Path) -> None:
    """phase-0, then each phase alone as its printed next step says: one run, then verify."""
    done = run_cli(project, "phase-0")
    assert done.returncode == 0, done.stderr
    (run_id,) = _runs(project)
    zero = (project / RUNS / run_id / EVIDENCE_FILES[0]).read_bytes()
    for task in ("phase-a", "phase-b", "phase-c", "phase-d"):
        done = run_cli(project, task)
        assert done.returncode == 0, (task, done.stderr)
    assert _runs(project) == [run_id]
    assert (project / RUNS / run_id / EVIDENCE_FILES[0]).read_bytes() == zero  # gate re-checked
    done = run_cli(project, "verify")
    assert done.returncode == 0, done.stderr
    assert f"evidence 00-04 complete in `{RUNS}/{run_id}/`" in done.stdout


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["--task-slug", "hand-off"], "`schemasync phase-b --task-slug hand-off`"),
        (["--evidence-dir", "audit/db"], "`schemasync phase-b --evidence-dir audit/db`"),
        ([], "`schemasync phase-b --run-id "),
    ],
)
def test_the_next_step_carries_the_evidence_option(
    project: Path, given: list[str], expected: str
) -> None:
    done = run_cli(project, "phase-a", *given)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout


def test_two_runs_in_one_second_have_two_folders(project: Path) -> None:
    for _ in range(3):
        assert run_cli(project, "phase-0").returncode == 0
    runs = _runs(project)
    assert len(runs) == 3
    assert all(re.fullmatch(r"\d{8}T\d{6}Z(-\d+)?", r) for r in runs), runs


# ---- snapshot: the low-level command ----------------------------------------------------------


def test_snapshot_paths_may_be_absolute_or_outside(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "schema.prisma"
    outside.parent.mkdir()
    outside.write_bytes((project / SCHEMA).read_bytes())
    done = run_cli(project, "snapshot", "--prisma", str(outside), "--out", "../snap.json")
    assert done.returncode == 0, done.stderr
    snap = json.loads((project.parent / "snap.json").read_text())
    assert snap["source"]["path"] == "schema.prisma"  # outside the project: its name only
    done = run_cli(project, "snapshot", "--prisma", SCHEMA, "--out", str(tmp_path / "abs.json"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "abs.json").read_bytes() == (project / MIRROR).read_bytes()


@pytest.mark.parametrize(
    "target",
    [
        CONFIG,
        MIRROR,
        "docs/context/db/schema.json",
        SCHEMA,
        ".ai/.tmp/db-sync/x/00-ssot-mode-check.md",
        "dev-docs/active/t/artifacts/db/02-import-prisma-log.md",
    ],
)
def test_snapshot_out_refuses_a_managed_file(project: Path, target: str) -> None:
    before = (project / target).read_bytes() if (project / target).exists() else None
    done = run_cli(project, "snapshot", "--prisma", SCHEMA, "--out", target)
    assert done.returncode == ExitCode.USAGE, done.stderr
    assert "is a file schemasync manages" in done.stderr
    after = (project / target).read_bytes() if (project / target).exists() else None
    assert after == before


def _pg_database_with_schemas(pg_url: str) -> None:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            b'CREATE SCHEMA sales; CREATE TABLE sales."order" (id int PRIMARY KEY);'
            b"CREATE TABLE public.other (id int PRIMARY KEY);"
        )


@pytest.mark.postgres
def test_snapshot_reads_the_environments_schemas(project: Path, pg_url: str) -> None:
    """`snapshot --url-env VAR` reads the schemas of the environment whose `urlEnv` is VAR; a
    schema that does not exist is exit 5, named."""
    _pg_database_with_schemas(pg_url)
    config = json.loads((project / CONFIG).read_text())
    config["environments"]["dev"]["schemas"] = ["sales"]
    (project / CONFIG).write_text(json.dumps(config))
    done = run_cli(project, "snapshot", "--url-env", "DATABASE_URL", env={"DATABASE_URL": pg_url})
    assert done.returncode == 0, done.stderr
    assert [(t["schema"], t["name"]) for t in json.loads(done.stdout)["tables"]] == [
        ("sales", "order")
    ]
    config["environments"]["dev"]["schemas"] = ["sales", "archive"]
    (project / CONFIG).write_text(json.dumps(config))
    done = run_cli(project, "snapshot", "--url-env", "DATABASE_URL", env={"DATABASE_URL": pg_url})
    assert done.returncode == ExitCode.DATABASE
    assert "schema 'archive' does not exist in the database" in done.stderr


def test_a_missing_driver_names_the_extra(project: Path) -> None:
    """Without psycopg the message says which extra installs it (it said `No module named`)."""
    code = "import sys; sys.modules['psycopg'] = None\nfrom schemasync.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "snapshot", "--url-env", "DATABASE_URL"],
        cwd=project,
        env=clean_env({"DATABASE_URL": "postgresql://app@127.0.0.1:1/shop"}),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == ExitCode.USAGE, done.stderr
    assert "needs its driver (psycopg)" in done.stderr
    assert re.search(r"pip install '[\w.-]+\[postgres\]'", done.stderr), done.stderr


def test_a_relative_sqlite_path_is_read_from_the_schema_folder(project: Path) -> None:
    """`file:./dev.db` means `prisma/dev.db`, as Prisma reads it, in `drift` and `snapshot`
    alike, whatever the current folder."""
    db = project / "prisma" / "dev.db"
    with sqlite3.connect(db) as conn:
        conn.executescript((project / "db" / "shop.sql").read_text(encoding="utf-8"))
    conn.close()
    env = {"DATABASE_URL": "file:./dev.db"}
    for cwd in (project, project / "src"):
        done = run_cli(cwd, "drift", env=env)
        assert done.returncode == 0, done.stderr
        assert "no drift" in done.stdout
        done = run_cli(cwd, "snapshot", "--url-env", "DATABASE_URL", env=env)
        assert done.returncode == 0, done.stderr
    assert not (project / "dev.db").exists()


# ---- CLI manners ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["synk"], "unknown task 'synk'; did you mean 'sync'?"),
        (["snapshoot"], "unknown task 'snapshoot'; did you mean 'snapshot'?"),
        (["sync", "--tsk-slug", "x"], "unknown option '--tsk-slug'; did you mean '--task-slug'?"),
        (["sync", "--zzz"], "unknown option '--zzz'; `schemasync --help TASK` shows"),
    ],
)
def test_did_you_mean(project: Path, argv: list[str], message: str) -> None:
    done = run_cli(project, *argv)
    assert done.returncode == ExitCode.USAGE
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_help_shows_only_schemasync_options(project: Path) -> None:
    done = run_cli(project, "--help")
    assert done.returncode == 0
    for meaningless in ("--pty", "--dry", "--hide", "--prompt-for-sudo-password", "--echo"):
        assert meaningless not in done.stdout
    for meaningful in ("--help", "--version", "--list"):
        assert meaningful in done.stdout
    assert "sync" in done.stdout


def test_one_short_flag_means_one_option_in_every_task(project: Path) -> None:
    shorts = [f.short for f in FLAGS.values() if f.short]
    assert len(shorts) == len(set(shorts))
    for row in TASKS:
        done = run_cli(project, "--help", row.name)
        assert done.returncode == 0
        options = done.stdout.split("\nOptions:\n", 1)[1]
        for name in row.flags:
            long = "--" + name.replace("_", "-")
            short = FLAGS[name].short
            shown = re.search(rf"^\s*(-\w)?[ ,A-Z]*{re.escape(long)}\b", options, re.M)
            assert shown is not None, (row.name, long)
            assert shown.group(1) == (f"-{short}" if short else None), (row.name, long)


def test_quiet_prints_the_result_only(project: Path) -> None:
    done = run_cli(project, "sync", "--quiet")
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()
    assert re.fullmatch(r"ok: no artifact changed; evidence in \.ai/\.tmp/db-sync/\S+/", line)
    (project / MIRROR).unlink()
    done = run_cli(project, "sync", "-q")
    assert done.stdout.startswith(f"ok: wrote {MIRROR};") or done.stdout.startswith(
        f"ok: wrote {MIRROR}, "
    )
    done = run_cli(project, "sync", "-q", "--env", "nope")
    assert done.returncode == ExitCode.USAGE
    assert done.stdout == ""
    assert "unknown environment" in done.stderr


def test_hints_name_the_command_that_ran(project: Path) -> None:
    """Every hint, next step and handbook line names `schemasync …` when the installed command
    ran, and `invoke …` when invoke did (the repository's tasks.py, on the same project)."""
    (project / "db" / "handbook" / "README.md").unlink()
    done = run_cli(project, "sync", "--task-slug", "by-schemasync")
    assert done.returncode == 0, done.stderr
    written = [
        (project / "dev-docs/active/by-schemasync/artifacts/db" / n).read_text()
        for n in EVIDENCE_FILES
    ]
    handbook = (project / "db" / "handbook" / "README.md").read_text()
    for text in (done.stdout, done.stderr, handbook, *written):
        assert "invoke " not in text
    assert "`schemasync sync`" in handbook
    assert "Run `schemasync phase-b --task-slug by-schemasync`" not in written[0]
    assert "Run `schemasync phase-a --task-slug by-schemasync`" in written[0]

    (project / "db" / "handbook" / "README.md").unlink()
    repo = Path(__file__).resolve().parent.parent
    invoke = Path(sys.executable).parent / "invoke"
    env = {k: v for k, v in clean_env().items() if not k.startswith("INVOKE_")}
    done = subprocess.run(
        [str(invoke), "--search-root", str(repo), "sync", "--root", ".", "--task-slug",
         "by-invoke"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    written = [
        (project / "dev-docs/active/by-invoke/artifacts/db" / n).read_text() for n in EVIDENCE_FILES
    ]
    handbook = (project / "db" / "handbook" / "README.md").read_text()
    for text in (done.stdout, handbook, *written):
        assert not re.search(r"`schemasync [a-z]", text), text
    assert "`invoke sync`" in handbook
    assert "Run `invoke phase-a --task-slug by-invoke`" in written[0]
