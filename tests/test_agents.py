"""The schemasync block of `AGENTS.md` (issue 14, item 4): created when absent, updated between
its markers only (the rest byte for byte), idempotent, and `check` fails when it is stale."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from in_process import run_schemasync

from schemasync.agents import AGENTS_PATH, BEGIN, END, agents_block, agents_problem, update_agents
from schemasync.errors import ArtifactError, ExitCode

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "shop"
OUTSIDE_BEFORE = "# Our agents\r\n\r\nUse tabs.  \r\n"
OUTSIDE_AFTER = "\r\n## Deploys\r\nAsk Ana. ü\r\n"


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example (its AGENTS.md included) in a fake repository; cwd is the project."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    project = root / "shop"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns(".ai", "*.db"))
    monkeypatch.chdir(project)
    return project


# ---- the pure part -----------------------------------------------------------------------------


def test_a_new_file_is_the_block() -> None:
    assert update_agents(None) == agents_block()
    assert update_agents("") == agents_block()
    assert agents_block().startswith(BEGIN + "\n")
    assert agents_block().endswith(END + "\n")
    for fact in ("db/schema/tables.json", "docs/context/db/schema.json", "db/handbook/",
                 "schemasync mcp", "Never edit"):  # fmt: skip
        assert fact in agents_block()


@pytest.mark.parametrize("text", ["# Notes\n", "# Notes", "# Notes\n\n", "# Notes\r\n"])
def test_the_block_is_appended_after_the_text(text: str) -> None:
    updated = update_agents(text)
    assert updated.startswith(text)
    assert update_agents(updated) == updated  # idempotent
    assert BEGIN in updated
    assert agents_problem(updated, "schemasync sync") is None


def test_an_update_touches_nothing_outside_the_markers() -> None:
    stale = f"{OUTSIDE_BEFORE}{BEGIN}\r\nold words\r\n{END}{OUTSIDE_AFTER}"
    updated = update_agents(stale)
    start, stop = updated.index(BEGIN), updated.index(END) + len(END)
    assert updated[:start] == OUTSIDE_BEFORE
    assert updated[stop:] == OUTSIDE_AFTER
    assert "old words" not in updated
    assert updated[start:stop] == agents_block().rstrip("\n").replace("\n", "\r\n")
    assert update_agents(updated) == updated
    assert agents_problem(updated, "x") is None


def test_problems_name_the_file_and_the_fix() -> None:
    assert agents_problem(None, "schemasync sync") is None  # no file: nothing to be stale
    missing = agents_problem("# Notes\n", "schemasync sync")
    stale = agents_problem(f"{BEGIN}\nold\n{END}\n", "schemasync sync")
    broken = agents_problem(f"{BEGIN}\nno end\n", "schemasync sync")
    for problem in (missing, stale, broken):
        assert problem is not None
        assert problem.startswith(f"{AGENTS_PATH}: ")
        assert "\n" not in problem
    assert missing is not None
    assert "missing" in missing
    assert "`schemasync sync`" in missing
    assert stale is not None
    assert "stale" in stale
    with pytest.raises(ArtifactError, match="markers are broken"):
        update_agents(f"{END}\n{BEGIN}\n")


# ---- through the commands ----------------------------------------------------------------------


def test_the_example_block_is_current(shop: Path) -> None:
    text = (shop / AGENTS_PATH).read_bytes()
    assert update_agents(text.decode()) == text.decode()
    assert run_schemasync(["sync", "-q"])[0] == 0
    assert (shop / AGENTS_PATH).read_bytes() == text


def test_phase_c_creates_updates_and_check_fails_when_stale(shop: Path) -> None:
    (shop / AGENTS_PATH).unlink()
    assert run_schemasync(["sync", "-q"])[0] == 0
    assert (shop / AGENTS_PATH).read_text() == agents_block()  # created
    assert run_schemasync(["check"])[0] == 0

    path = shop / AGENTS_PATH
    path.write_bytes(f"{OUTSIDE_BEFORE}{BEGIN}\nhand-edited\n{END}{OUTSIDE_AFTER}".encode())
    code, err = run_schemasync(["check"])
    assert code == ExitCode.DRIFT
    assert (
        f"{AGENTS_PATH}: the schemasync block is stale; never edit it: run `schemasync sync`"
        in (err)
    )
    assert run_schemasync(["phase-c", "-q"])[0] == 0
    updated = path.read_bytes().decode()
    assert updated.startswith(OUTSIDE_BEFORE)
    assert updated.endswith(OUTSIDE_AFTER)
    assert run_schemasync(["check"])[0] == 0
    before = path.read_bytes()
    assert run_schemasync(["phase-c", "-q"])[0] == 0
    assert path.read_bytes() == before  # idempotent

    path.write_text("# Ours\n")  # the block removed: missing
    code, err = run_schemasync(["check"])
    assert code == ExitCode.DRIFT
    assert "block is missing" in err
    path.unlink()  # no file at all: check has nothing to say
    assert run_schemasync(["check"])[0] == 0


def test_verify_reports_a_stale_block(shop: Path) -> None:
    assert run_schemasync(["sync", "-q"])[0] == 0
    (shop / AGENTS_PATH).write_text(f"{BEGIN}\nold\n{END}\n")
    code, err = run_schemasync(["verify"])
    assert code == ExitCode.DRIFT
    assert f"{AGENTS_PATH}: the schemasync block is stale" in err


def test_init_writes_the_block_in_database_mode_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for mode, expected in (("database", True), ("repo-prisma", False)):
        root = tmp_path / mode
        (root / ".git").mkdir(parents=True)
        (root / AGENTS_PATH).write_text("# Team rules\n")
        monkeypatch.chdir(root)
        assert run_schemasync(["init", "--mode", mode])[0] == 0
        text = (root / AGENTS_PATH).read_text()
        assert text.startswith("# Team rules\n")
        assert (BEGIN in text) is expected
        before = text
        assert run_schemasync(["init"])[0] == 0
        assert (root / AGENTS_PATH).read_text() == before
