"""examples/shop/README.md speaks of this repository alone, and its commands work as written.

Its "How `prisma/` was produced" block is read from the README and run as one shell script on a
copy of the repository (the example, `tasks.py`, `invoke.yaml`, `tools/prisma` without
`node_modules`, committed to a fresh git repository): `invoke example-db`, `npm ci` of the pinned
harness, real `prisma db pull` of the example's database, `invoke sync`. Every committed file of
the example must come out byte-identical (`git status` clean).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from safety_project import CONTEXT, MIRROR, SHOP
from user_shell import fenced_blocks, git_commit_all, run, user_env

REPO = Path(__file__).resolve().parent.parent
README = SHOP / "README.md"
PULL = "How `prisma/` was produced"


def test_example_readme_names_only_this_repository() -> None:
    """No path outside the repository (`../shared`, a `pull.sh` it does not have); every path
    it names exists, in the repository or in the example."""
    text = README.read_text(encoding="utf-8")
    assert "../" not in text
    assert "pull.sh" not in text
    assert "`tools/prisma`" in text
    for name in re.findall(r"`([\w.-]+(?:/[\w.*-]+)+/?)(?:::\w+)?`", text):
        assert (REPO / name).exists() or (SHOP / name).exists(), name


@pytest.mark.node
def test_example_pull_block_leaves_the_example_unchanged(tmp_path: Path) -> None:
    """The README's pull-and-sync block, run as written from a copy of the repository's root,
    rewrites the example's schema, view SQL, mirror and context byte for byte."""
    ((info, block),) = fenced_blocks(README, PULL)
    assert info == "sh"
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("tasks.py", "invoke.yaml", ".gitignore"):
        shutil.copy2(REPO / name, root / name)
    shutil.copytree(
        SHOP,
        root / "examples" / "shop",
        ignore=shutil.ignore_patterns(".ai", "*.db", "node_modules"),
    )
    shutil.copytree(
        REPO / "tools" / "prisma",
        root / "tools" / "prisma",
        ignore=shutil.ignore_patterns("node_modules"),
    )
    git_commit_all(root, "a clone of the repository")
    # invoke and the editable schemasync of this session: a developer of this repository has them
    env = user_env(
        extra={"CHECKPOINT_DISABLE": "1", "PRISMA_HIDE_UPDATE_MESSAGE": "1"}, own_bin=True
    )
    run(["bash", "-euo", "pipefail", "-c", block], root, env, timeout=600)
    example = root / "examples" / "shop"
    assert (example / "dev.db").is_file()
    assert run(["git", "status", "--porcelain", "--untracked-files=all"], root, env).stdout == ""
    for name in (MIRROR, CONTEXT, "prisma/schema.prisma", "prisma/views/main/active_products.sql"):
        assert (example / name).read_bytes() == (SHOP / name).read_bytes(), name
    evidence = sorted(p.name for p in (example / ".ai" / ".tmp").rglob("0[0-4]-*.md"))
    assert len(evidence) == 5, evidence
