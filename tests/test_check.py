"""`check` on a stale or hand-edited mirror answers in CI time (issue 13, item 4): a stale mirror
is told as the changes a sync would make, in the vocabulary of evidence 02 and `drift`; text that
differs where no change shows, and the context, by their first differing line. No text diff of
two mirrors (29 s on a 1,000-model project; `nox -s bench` measures `check` against `snapshot`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from in_process import run_schemasync

from schemasync.errors import ExitCode
from schemasync.verify import CHANGE_LIMIT, first_difference

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "shop"
SCHEMA = "prisma/schema.prisma"
MIRROR = "db/schema/tables.json"
CONTEXT = "docs/context/db/schema.json"


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A synced copy of the example in a fake repository; the cwd is the project."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    project = root / "shop"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns(".ai", "*.db"))
    monkeypatch.chdir(project)
    assert run_schemasync(["sync", "-q"])[0] == 0
    return project


def _add_columns(project: Path, count: int) -> None:
    """Give the schema's `addresses` model `count` new optional columns."""
    path = project / SCHEMA
    text = path.read_text(encoding="utf-8")
    brace = text.index("{\n", text.index("model addresses")) + 2
    added = "".join(f"  added{i:02d} String?\n" for i in range(count))
    path.write_text(text[:brace] + added + text[brace:], encoding="utf-8")


def test_stale_mirror_lists_the_changes(shop: Path) -> None:
    mirror_before = (shop / MIRROR).read_bytes()
    _add_columns(shop, 2)
    code, err = run_schemasync(["check"])
    assert code == ExitCode.DRIFT
    assert (
        f"{MIRROR}: stale ({SCHEMA} changed): the import of {SCHEMA} makes 2 changes "
        "(add_column 2); never edit "
        "it: run `schemasync sync`\n"
        "  add_column             addresses.added00  String (text)\n"
        "  add_column             addresses.added01  String (text)\n"
    ) in err
    # the context follows from the mirror: told once, not rendered nor compared
    assert f"{CONTEXT}: stale: derived from the mirror, it follows the mirror's changes" in err
    assert "first difference" not in err
    assert "@@" not in err
    assert (shop / MIRROR).read_bytes() == mirror_before  # check writes nothing


def test_many_changes_are_counted_past_the_limit(shop: Path) -> None:
    _add_columns(shop, CHANGE_LIMIT + 5)
    code, err = run_schemasync(["check"])
    assert code == ExitCode.DRIFT
    assert f"makes {CHANGE_LIMIT + 5} changes (add_column {CHANGE_LIMIT + 5})" in err
    assert err.count("  add_column ") == CHANGE_LIMIT
    assert "  ... and 5 more changes\n" in err


def test_hand_edited_context_shows_where(shop: Path) -> None:
    path = shop / CONTEXT
    data = json.loads(path.read_text(encoding="utf-8"))
    data["provider"] = "mysql"
    path.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    code, err = run_schemasync(["check"])
    assert code == ExitCode.DRIFT
    assert MIRROR not in err.split("\n", 2)[1]  # the mirror is fine
    assert f"{CONTEXT}: differs from the context derived from the mirror (hand-edited or " in err
    assert "first difference" in err


def test_reformatted_mirror_is_hand_edited_not_stale(shop: Path) -> None:
    path = shop / MIRROR
    path.write_text(json.dumps(json.loads(path.read_text("utf-8")), indent=1), encoding="utf-8")
    code, err = run_schemasync(["check"])
    assert code == ExitCode.DRIFT
    assert f"{MIRROR}: hand-edited: its text differs from the import of {SCHEMA}, though no " in err
    assert f"  {MIRROR}:2:2: first difference\n" in err  # indent=1, not 2


@pytest.mark.parametrize(
    ("old", "new", "where", "disk", "derived"),
    [
        ("a\nb\nc\n", "a\nB\nc\n", "t:2:1:", "b", "B"),
        ("same\n", "same\nmore\n", "t:2:1:", "(end of file)", "more"),
        ("x" * 300 + "1" + "y" * 300, "x" * 300 + "2" + "y" * 300, "t:1:301:",
         "…" + "x" * 50 + "1" + "y" * 49 + "…", "…" + "x" * 50 + "2" + "y" * 49 + "…"),
    ],
    ids=["line", "end-of-file", "long-line"],
)  # fmt: skip
def test_first_difference(old: str, new: str, where: str, disk: str, derived: str) -> None:
    text = first_difference("t", old, new)
    assert text == (
        f"  {where} first difference\n    on disk:     {disk}\n    re-derived:  {derived}"
    )
