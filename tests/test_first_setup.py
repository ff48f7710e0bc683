"""A first setup without dead ends (issue 12, items 3 and 6), through the installed command.

`init` git-ignores the run folders and says what to do next; Phase A of a project without a
Prisma schema writes a seed for `prisma db pull` to fill, pins the Prisma major of every command
(and says what to run instead on Prisma 8, which has no `db pull`); `--run-pull` pulls into the
seed. The last test walks it with real Prisma 6.19.3 and a real PostgreSQL database: empty git
repository -> `init --mode database` -> Phase A -> `prisma db pull` -> `sync` -> `check`, with
nothing under `.ai/.tmp/` for git to see.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from safety_project import CONFIG, MIRROR, SCHEMA, make_project, run_cli

from schemasync import phases  # noqa: F401  (first: importing commands first is circular)
from schemasync.commands import gitignore_text
from schemasync.errors import ExitCode
from schemasync.evidence import EVIDENCE_FILES

Summary = Callable[..., None]
SLUG = "first"
EVIDENCE = f"dev-docs/active/{SLUG}/artifacts/db"


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """An empty git repository: a team project before schemasync."""
    root = tmp_path / "app"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def _config(project: Path, **environment: object) -> None:
    """Set keys of the dev environment in the project's db-ssot.json."""
    path = project / CONFIG
    data = json.loads(path.read_text())
    data["environments"]["dev"].update(environment)
    path.write_text(json.dumps(data, indent=2) + "\n")


# ---- init leaves a clean repository ------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (None, ".ai/.tmp/\n"),
        ("", ".ai/.tmp/\n"),
        ("node_modules/\n", "node_modules/\n.ai/.tmp/\n"),
        ("node_modules/", "node_modules/\n.ai/.tmp/\n"),  # no final newline: one is added
        ("dist\r\n.env\r\n", "dist\r\n.env\r\n.ai/.tmp/\r\n"),  # CRLF kept
        ("# runs\n.ai/.tmp/\n", None),
        ("/.ai/.tmp\n", None),
        (".ai/.tmp/**\n", None),
        ("# .ai/.tmp/\n", "# .ai/.tmp/\n.ai/.tmp/\n"),  # a comment ignores nothing
        ("!.ai/.tmp/\n", "!.ai/.tmp/\n.ai/.tmp/\n"),
    ],
)
def test_gitignore_text(before: str | None, after: str | None) -> None:
    assert gitignore_text(before) == after


def test_init_gitignores_runs_once_and_says_what_next(fresh: Path) -> None:
    (fresh / ".gitignore").write_text("node_modules/\n.env")
    done = run_cli(fresh, "init", "--mode", "database")
    assert done.returncode == 0, done.stderr
    # the runs, and the temp files a killed run leaves beside what it writes (issue 11)
    ignored = "node_modules/\n.env\n.ai/.tmp/\n.*.schemasync.tmp\n"
    assert (fresh / ".gitignore").read_text() == ignored
    assert "added .ai/.tmp/ to .gitignore" in done.stdout
    # no Prisma schema yet: Phase A first, with a provider for the seed
    assert "next:\n  1. `schemasync phase-a --provider postgresql` (or cockroachdb" in done.stdout
    assert "`schemasync sync`" in done.stdout

    again = run_cli(fresh, "init")
    assert again.returncode == 0, again.stderr
    assert (fresh / ".gitignore").read_text() == ignored  # not twice
    assert "nothing to do: the skeleton is in place" in again.stdout

    (fresh / SCHEMA).parent.mkdir()
    (fresh / SCHEMA).write_text(
        'datasource db {\n  provider = "sqlite"\n  url = env("DATABASE_URL")\n}\n'
        "model A {\n  id Int @id\n}\n"
    )
    schema_present = run_cli(fresh, "init")
    assert "next:\n  1. `schemasync sync`: imports prisma/schema.prisma" in schema_present.stdout

    # the runs a phase makes are ignored by git: nothing under .ai/ to commit
    assert run_cli(fresh, "phase-0").returncode == 0
    assert (fresh / ".ai/.tmp/db-sync/CURRENT").is_file()
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=fresh, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert ".ai/" not in status
    assert ".gitignore" in status


def test_init_without_a_config_points_to_init_mode(fresh: Path) -> None:
    done = run_cli(fresh, "init")
    assert done.returncode == 0, done.stderr
    assert (fresh / ".gitignore").read_text() == ".ai/.tmp/\n.*.schemasync.tmp\n"  # created
    assert "`schemasync init --mode database`" in done.stdout
    repo_prisma = run_cli(fresh, "init", "--mode", "repo-prisma")
    assert "sync-db-schema-from-code" in repo_prisma.stdout


# ---- Phase A: a seed, and the major of every command ----------------------------------------


def test_phase_a_seeds_a_missing_schema_never_an_existing_one(fresh: Path) -> None:
    assert run_cli(fresh, "init", "--mode", "database").returncode == 0
    _config(fresh, urlEnv="APP_DB_URL", schemas=["public", "audit"])

    asked = run_cli(fresh, "phase-a")  # no provider: says how, writes nothing
    assert asked.returncode == 0, asked.stderr
    assert "`schemasync phase-a --provider postgresql`" in asked.stdout
    assert not (fresh / "prisma").exists()

    seeded = run_cli(fresh, "phase-a", "--provider", "postgres", "--task-slug", SLUG)
    assert seeded.returncode == 0, seeded.stderr
    text = (fresh / SCHEMA).read_text()
    assert 'provider = "postgresql"' in text
    assert 'url      = env("APP_DB_URL")' in text
    assert 'schemas  = ["public", "audit"]' in text
    assert 'previewFeatures = ["views"]' in text
    assert "wrote the seed `prisma/schema.prisma`" in seeded.stdout
    assert "3. Pull: `npx prisma@6 db pull --schema prisma/schema.prisma`" in seeded.stdout
    evidence = (fresh / EVIDENCE / EVIDENCE_FILES[1]).read_text()
    assert "- [x] a Prisma schema to pull into (seed `prisma/schema.prisma` written)" in evidence
    assert "- [x] commands pinned to Prisma 6" in evidence

    (fresh / SCHEMA).write_text(text + "// a human's line\n")
    again = run_cli(fresh, "phase-a", "--provider", "postgresql")
    assert again.returncode == 0, again.stderr
    assert (fresh / SCHEMA).read_text().endswith("// a human's line\n")  # never over a schema
    assert "is still a seed (no model yet)" in again.stdout

    other = run_cli(fresh, "phase-a", "--provider", "mysql")
    assert other.returncode == ExitCode.USAGE
    assert "already says provider 'postgresql'" in other.stderr

    # a sync before the pull stops at Phase B: an empty mirror would be green and wrong
    early = run_cli(fresh, "sync")
    assert early.returncode == ExitCode.SOURCE
    assert "prisma/schema.prisma: holds no model, view or enum yet (a seed)" in early.stderr
    assert not (fresh / MIRROR).exists()


def test_phase_a_refuses_an_unknown_provider(fresh: Path) -> None:
    assert run_cli(fresh, "init", "--mode", "database").returncode == 0
    done = run_cli(fresh, "phase-a", "--provider", "postgress")
    assert done.returncode == ExitCode.USAGE
    assert done.stderr.strip().endswith(
        "--provider 'postgress': not a Prisma datasource provider; did you mean 'postgresql'? "
        "use one of postgresql, cockroachdb, mysql, sqlite, sqlserver, mongodb"
    )
    assert not (fresh / "prisma").exists()


@pytest.mark.parametrize(
    ("package", "expected", "absent"),
    [
        (None, ["npx prisma@6 db pull", "no `prisma` in `package.json`"], []),
        ({"devDependencies": {"prisma": "^5.22.0"}}, ["npx prisma@5 db pull"], []),
        (
            {"dependencies": {"prisma": "^7.1.0"}},
            ["npx prisma@7 db pull", "Prisma 7 reads the URL from `prisma.config.ts`"],
            [],
        ),
        (
            {"devDependencies": {"prisma": "8.0.0-rc.2"}},
            [
                "This project uses Prisma 8",
                "in release candidates",
                "it became `prisma contract infer`",
                "see `npx prisma@8 contract --help`",
                "npx prisma@6 db pull --schema prisma/schema.prisma",
            ],
            ["npx prisma@8 db pull", "npx prisma db pull"],
        ),
    ],
)
def test_phase_a_pins_the_projects_prisma_major(
    tmp_path: Path, package: dict[str, object] | None, expected: list[str], absent: list[str]
) -> None:
    project = make_project(tmp_path)
    if package is not None:
        (project / "package.json").write_text(json.dumps(package))
    done = run_cli(project, "phase-a")
    assert done.returncode == 0, done.stderr
    for text in expected:
        assert text in done.stdout
    for text in absent:
        assert text not in done.stdout


FAKE_NPX = """#!/bin/sh
# A stand-in for npx: records its arguments, then writes what `prisma db pull` would.
printf '%s\\n' "$@" > "$NPX_LOG"
[ -n "$APP_DB_URL" ] && echo "url variable set" >> "$NPX_LOG"
while [ "$#" -gt 0 ]; do
  if [ "$1" = "--schema" ]; then schema="$2"; fi
  shift
done
dir=$(dirname "$schema")
cat > "$schema" <<'EOF'
generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["views"]
}

datasource db {
  provider = "postgresql"
  url      = env("APP_DB_URL")
}

model customers {
  id    Int    @id @default(autoincrement())
  email String @unique @db.VarChar(320)
}

view active_customers {
  id    Int?
  email String? @db.VarChar(320)
}
EOF
mkdir -p "$dir/views/public"
echo "SELECT id, email FROM customers;" > "$dir/views/public/active_customers.sql"
"""


def test_run_pull_pulls_into_a_seed(fresh: Path, tmp_path: Path) -> None:
    """`sync --provider postgresql --run-pull`: from nothing to a green mirror in one command;
    the pinned command runs (`npx --yes prisma@6`), and the seed is pulled outside the project
    so that the runner writes the result after Phase A's evidence."""
    assert run_cli(fresh, "init", "--mode", "database").returncode == 0
    _config(fresh, urlEnv="APP_DB_URL")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npx = bin_dir / "npx"
    npx.write_text(FAKE_NPX)
    npx.chmod(npx.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "npx.log"
    secret = "postgresql://app:s3cr3t-PW@db.internal/app"
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}", "NPX_LOG": str(log), "APP_DB_URL": secret}
    done = run_cli(fresh, "sync", "--provider", "postgresql", "--run-pull", "--task-slug", SLUG,
                   env=env)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    argv = log.read_text().splitlines()
    assert argv[:5] == ["--yes", "prisma@6", "db", "pull", "--schema"]
    assert not argv[5].startswith(str(fresh))  # the seed was pulled in a scratch folder
    assert argv[6] == "url variable set"
    assert "model customers" in (fresh / SCHEMA).read_text()
    assert (fresh / "prisma/views/public/active_customers.sql").is_file()
    mirror = json.loads((fresh / MIRROR).read_text())
    assert [t["name"] for t in mirror["tables"]] == ["customers"]
    assert [v["definition"] for v in mirror["views"]] == ["SELECT id, email FROM customers;"]
    phase_a = (fresh / EVIDENCE / EVIDENCE_FILES[1]).read_text()
    assert f"| `prisma/schema.prisma (after pull)` | {mirror['source']['sha256']} |" in phase_a
    for text in (done.stdout, done.stderr, phase_a):
        assert "s3cr3t" not in text
    assert run_cli(fresh, "check").returncode == 0


def test_run_pull_without_a_schema_needs_a_provider(fresh: Path) -> None:
    assert run_cli(fresh, "init", "--mode", "database").returncode == 0
    done = run_cli(fresh, "phase-a", "--run-pull", env={"DATABASE_URL": "postgresql://h/db"})
    assert done.returncode == ExitCode.USAGE
    assert "--run-pull: no Prisma schema at prisma/schema.prisma yet; add --provider" in (
        done.stderr
    )


# ---- the walkthrough, with real Prisma and PostgreSQL -----------------------------------------

DATABASE = """
CREATE SCHEMA audit;
CREATE TYPE order_status AS ENUM ('new', 'paid');
CREATE TABLE customers (
  id serial PRIMARY KEY,
  email varchar(320) NOT NULL UNIQUE
);
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id int NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  status order_status NOT NULL DEFAULT 'new',
  total numeric(12, 2) NOT NULL
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE TABLE audit.events (
  id bigserial PRIMARY KEY,
  order_id bigint REFERENCES public.orders (id),
  at timestamptz(6) NOT NULL DEFAULT now()
);
CREATE VIEW paid_orders AS SELECT id, customer_id, total FROM orders WHERE status = 'paid';
"""


@pytest.mark.node
@pytest.mark.postgres
def test_fresh_project_to_green_with_real_prisma(
    fresh: Path,
    pg_url: str,
    prisma_harness: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    summary: Summary,
) -> None:
    """Empty git repository -> `init --mode database` -> Phase A (seed) -> real Prisma 6.19.3
    `db pull` into the seed from a real PostgreSQL database (two schemas, an enum, a view) ->
    `sync` green -> `check` green; nothing under `.ai/.tmp/` for git."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(DATABASE)
    started = time.monotonic()

    init = run_cli(fresh, "init", "--mode", "database")
    assert init.returncode == 0, init.stderr
    _config(fresh, schemas=["public", "audit"])
    phase_a = run_cli(fresh, "phase-a", "--provider", "postgresql")
    assert phase_a.returncode == 0, phase_a.stderr
    assert "npx prisma@6 db pull --schema prisma/schema.prisma" in phase_a.stdout
    seed = (fresh / SCHEMA).read_text()

    # The harness runs the pinned Prisma 6.19.3 CLI without engine downloads; the seed's
    # generator has no `engineType = "client"` (a user's Prisma downloads its engines), so the
    # query-engine library the CLI would fetch first is pointed at an existing file (its README,
    # gotcha 5): the pull itself runs in the Wasm schema engine.
    monkeypatch.setenv("PRISMA_QUERY_ENGINE_LIBRARY", "/bin/true")
    prisma_harness.db_pull(pg_url, fresh / "prisma", reintrospect=fresh / SCHEMA)
    pulled = (fresh / SCHEMA).read_text()
    assert pulled != seed
    assert "model orders {" in pulled
    assert 'schemas  = ["audit", "public"]' in pulled  # Prisma kept (and sorted) the seed's
    assert (fresh / "prisma/views/public/paid_orders.sql").is_file()

    sync = run_cli(fresh, "sync")
    assert sync.returncode == 0, sync.stdout + sync.stderr
    mirror = json.loads((fresh / MIRROR).read_text())
    assert sorted((t["schema"], t["name"]) for t in mirror["tables"]) == [
        ("audit", "events"),
        ("public", "customers"),
        ("public", "orders"),
    ]
    assert [v["name"] for v in mirror["views"]] == ["paid_orders"]
    assert [e["name"] for e in mirror["enums"]] == ["order_status"]
    check = run_cli(fresh, "check")
    assert check.returncode == 0, check.stderr
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=fresh, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert ".ai/" not in status
    assert "db/schema/tables.json" in status
    summary(
        "first setup with real Prisma 6.19.3",
        {"projects": 1},
        f"init -> phase-a -> db pull -> sync -> check: {time.monotonic() - started:.1f} s",
    )
