"""Drop-in for the `.ai` template (issue 15, items 1-3): its `db-ssot.json` shapes and
`db-environments.json`, adopting its v2 mirror, its v2 context and `registry.json` kept right.

Everything runs on `tests/data/ai_template/project` (built from UPSTREAM.md: a v2 mirror with the
template importer's defects, a v2 context, a registry with other tools' entries, an `AGENTS.md`
with a `DB-SSOT` block), copied per test; `sync` and `check` run in-process and as the real
command.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from in_process import run_schemasync
from safety_project import assert_clean_failure, changes, run_cli, tree_bytes

from schemasync.config import CONTEXT_V2, load_config
from schemasync.context import FORMAT as CONTEXT_FORMAT
from schemasync.errors import ConfigError, ExitCode
from schemasync.mirror import load_mirror
from schemasync.model import Schema
from schemasync.prisma.load import load_prisma
from schemasync.template_v2 import (
    V2_MIRROR,
    build_v2,
    default_text,
    render_v2_context,
    update_registry,
    v2_defects,
)

DATA = Path(__file__).parent / "data" / "ai_template"
CONFIGS = sorted((DATA / "configs").glob("*.json"))
MIRROR = "db/schema/tables.json"
CONTEXT = "docs/context/db/schema.json"
REGISTRY = "docs/context/registry.json"
CONFIG = "docs/project/db-ssot.json"
ENVIRONMENTS = "db/config/db-environments.json"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _project(tmp_path: Path, config: Path | None = None) -> Path:
    """A copy of the template project inside a git repository, with `config` as db-ssot.json."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    project = repo / "blog"
    shutil.copytree(DATA / "project", project)
    if config is not None:
        shutil.copy(config, project / CONFIG)
    return project


def _artifacts(project: Path) -> dict[str, bytes]:
    """Every project file but the run folders (`.ai/.tmp`: the run pointer moves each run)."""
    return {k: v for k, v in tree_bytes(project).items() if not k.startswith(".ai/")}


def _run(project: Path, *argv: str) -> tuple[int, str]:
    """Run `schemasync ARGV` in-process from the project's folder: (exit code, stderr)."""
    with contextlib.chdir(project):
        return run_schemasync(list(argv))


def _sync(project: Path) -> tuple[int, str]:
    return _run(project, "sync")


# ---- 1. their config ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.stem)
def test_every_template_shape_loads(path: Path) -> None:
    config = load_config(path.read_text("utf-8"), CONFIG)
    assert config.mode == "database"
    assert config.prisma_schema == "prisma/schema.prisma"
    assert config.warnings == ()  # every path is where schemasync keeps it


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ('{"db": {"ssot": "repo-prisma"}, "ssot": "database", "mode": "database"}', "repo-prisma"),
        ('{"ssot": {"mode": "none"}, "mode": "database"}', "none"),
        ('{"ssot": "convex"}', "convex"),
        ('{"mode": "database"}', "database"),
    ],
)
def test_the_mode_comes_from_db_ssot_then_ssot_then_mode(text: str, mode: str) -> None:
    config = load_config(text, CONFIG)
    assert config.mode == mode
    if text.count("database") and mode != "database":
        assert "make them agree" in config.warnings[0]


def test_a_template_path_that_differs_is_a_warning_with_its_place() -> None:
    text = '{\n  "mode": "database",\n  "paths": {"dbContextContract": "docs/ctx/db.json"}\n}'
    (warning,) = load_config(text, CONFIG).warnings
    assert warning.startswith(f'{CONFIG}:3:13: paths.dbContextContract is "docs/ctx/db.json"')
    assert "docs/context/db/schema.json" in warning


def test_paths_prisma_schema_is_honoured() -> None:
    text = '{"mode": "database", "paths": {"prismaSchema": "prisma/schema"}}'
    assert load_config(text, CONFIG).prisma_schema == "prisma/schema"


def test_all_unknown_keys_in_one_message_each_with_its_place() -> None:
    text = (DATA / "configs" / "newest.json").read_text("utf-8")
    text = text.replace('"policy"', '"polcy"').replace('"convexSchema"', '"convexSchemma"')
    text = text.replace('"typesDir"', '"typeDir"')
    with pytest.raises(ConfigError) as info:
        load_config(text, CONFIG)
    assert info.value.message == (
        f"{CONFIG}:4:3: 3 unknown keys: 'polcy' (did you mean 'policy'?), "
        "'paths.convexSchemma' at 10:5 (did you mean 'convexSchema'?), "
        "'db.generated.typeDir' at 18:19 (did you mean 'typesDir'?)"
    )
    assert info.value.exit_code == ExitCode.USAGE


def test_environments_come_from_db_environments_json() -> None:
    env_text = (DATA / "project" / ENVIRONMENTS).read_text("utf-8")
    config = load_config('{"ssot": "database"}', CONFIG, env_text)
    assert set(config.environments) == {"dev", "staging", "prod"}
    assert {n: e.url_env for n, e in config.environments.items()} == dict.fromkeys(
        ("dev", "staging", "prod"), "DATABASE_URL"
    )
    assert [n for n, e in config.environments.items() if e.confirm] == ["prod"]
    # the connection template is never taken for a name, nor kept
    assert "DB_PASSWORD" not in config.model_dump_json()
    # environments in db-ssot.json win over the file
    own = '{"mode": "database", "environments": {"dev": {"urlEnv": "APP_DB"}}}'
    assert list(load_config(own, CONFIG, env_text).environments) == ["dev"]


def test_db_environments_json_is_checked_like_the_config() -> None:
    env_text = (DATA / "project" / ENVIRONMENTS).read_text("utf-8")
    bad = env_text.replace('"seedData": true, "directQueries": true', '"sedData": true', 1)
    with pytest.raises(ConfigError) as info:
        load_config('{"mode": "database"}', CONFIG, bad)
    assert info.value.message == (
        f"{ENVIRONMENTS}:7:43: unknown key 'environments.0.permissions.sedData'; "
        "did you mean 'seedData'?"
    )
    other = env_text.replace('"id": "staging"', '"id": "qa"')
    config = load_config('{"mode": "database"}', CONFIG, other)
    assert "qa" not in config.environments
    assert "environment 'qa' is none of schemasync's" in config.warnings[0]


def test_context_format_is_checked() -> None:
    for fmt in (CONTEXT_FORMAT, CONTEXT_V2):
        text = json.dumps({"mode": "database", "context": {"format": fmt}})
        assert load_config(text, CONFIG).context.format == fmt
    with pytest.raises(ConfigError, match="unknown context format 'schemasync/context@0'"):
        load_config('{"mode": "database", "context": {"format": "schemasync/context@0"}}')


@pytest.mark.parametrize("mode", ["none", "convex", "repo-prisma"])
def test_modes_other_than_database_stop_and_write_no_artifact(tmp_path: Path, mode: str) -> None:
    project = _project(tmp_path)
    config = json.loads((project / CONFIG).read_text("utf-8"))
    config["db"]["ssot"] = mode
    (project / CONFIG).write_text(json.dumps(config, indent=2) + "\n", "utf-8")
    before = _artifacts(project)
    code, err = _sync(project)
    assert code == ExitCode.STOP
    assert f"mode is {mode!r}" in err
    assert "STOP" in err
    assert changes(before, _artifacts(project)) == {}  # only the run's evidence 00 is written


def test_prod_from_db_environments_json_asks_for_confirmation(tmp_path: Path) -> None:
    project = _project(tmp_path)
    code, err = _run(project, "mode-check", "--env", "prod")
    assert code == ExitCode.USAGE
    assert "needs confirmation" in err


def test_unknown_keys_as_the_real_command_one_message(tmp_path: Path) -> None:
    project = _project(tmp_path)
    text = (project / CONFIG).read_text("utf-8")
    (project / CONFIG).write_text(
        text.replace('"version"', '"versoin"').replace('"kind"', '"knd"', 1)
    )
    proc = run_cli(project, "check")
    assert "Traceback" not in proc.stderr
    assert proc.returncode == ExitCode.USAGE
    line = assert_clean_failure(proc, ExitCode.USAGE)
    assert line.startswith(f"{CONFIG}:2:3: 2 unknown keys: 'versoin' (did you mean 'version'?), ")
    assert "'db.knd' at 15:5 (did you mean 'kind'?)" in line


# ---- 2. their mirror ---------------------------------------------------------------------------


def test_an_unadopted_v2_mirror_is_named_and_check_says_how_to_adopt_it(tmp_path: Path) -> None:
    project = _project(tmp_path)
    before = _artifacts(project)
    code, err = _run(project, "check")
    assert code == ExitCode.DRIFT
    assert f"{MIRROR}: {V2_MIRROR}, not adopted yet: run `schemasync sync` to adopt it" in err
    with pytest.raises(Exception, match="normalized-db-schema-v2 mirror, not adopted yet"):
        load_mirror((project / MIRROR).read_text("utf-8"), MIRROR)
    assert _artifacts(project) == before


@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.stem)
def test_sync_adopts_the_template_project_on_the_first_try(tmp_path: Path, config: Path) -> None:
    project = _project(tmp_path, config)
    old_mirror = (project / MIRROR).read_bytes()
    old_registry = (project / REGISTRY).read_text("utf-8")
    agents = (project / "AGENTS.md").read_text("utf-8")
    code, err = _sync(project)
    assert code == 0, err

    # the mirror is schemasync's, the evidence keeps the old one's sha256 and its defects
    assert json.loads((project / MIRROR).read_text("utf-8"))["format"] == "schemasync/tables@2"
    (evidence,) = (project / ".ai/.tmp/db-sync").glob("*/02-import-prisma-log.md")
    record = evidence.read_text("utf-8")
    assert f"Adopted {V2_MIRROR} (sha256 `{_sha(old_mirror)}`)" in record
    assert "nullability 4, defaults 3, keys 3, phantom columns 10, enum values 1." in record, record

    # the context stays v2, and the registry's checksum is the new file's
    context = (project / CONTEXT).read_bytes()
    assert json.loads(context)["version"] == 2
    registry = (project / REGISTRY).read_text("utf-8")
    entry = next(a for a in json.loads(registry)["artifacts"] if a["id"] == "db-schema")
    assert entry["checksumSha256"] == _sha(context)
    assert entry["format"] == CONTEXT_V2
    assert entry["lastUpdated"] == json.loads(context)["updatedAt"]
    # every other byte of the registry is as it was: only the entry's two lines changed
    old_lines, new_lines = old_registry.splitlines(), registry.splitlines()
    assert len(old_lines) == len(new_lines)
    changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
    assert [old_lines[i].split(":")[0].strip() for i in changed] == [
        '"checksumSha256"',
        '"lastUpdated"',
    ]
    assert changed[0] == next(i for i, line in enumerate(old_lines) if '"db-schema"' in line) + 6

    # AGENTS.md: the DB-SSOT block and all around it kept, the schemasync block added
    new_agents = (project / "AGENTS.md").read_text("utf-8")
    assert new_agents.startswith(agents)
    assert "<!-- schemasync:begin -->" in new_agents

    # a second sync changes no byte; check is green
    after = _artifacts(project)
    assert _sync(project)[0] == 0
    assert changes(after, _artifacts(project)) == {}
    assert _run(project, "check") == (0, "")


def test_check_is_red_with_the_change_named_when_the_schema_moves(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert _sync(project)[0] == 0
    schema = project / "prisma" / "schema.prisma"
    schema.write_text(
        schema.read_text("utf-8").replace("  label String\n", "  label String\n  color String?\n")
    )
    code, err = _run(project, "check")
    assert code == ExitCode.DRIFT
    assert "add_column" in err
    assert "tags.color" in err
    assert _sync(project)[0] == 0
    assert _run(project, "check")[0] == 0


def test_check_names_a_hand_edited_v2_context_and_a_stale_registry(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert _sync(project)[0] == 0
    context = project / CONTEXT
    edited = context.read_text("utf-8").replace('"nullable": true', '"nullable": false', 1)
    context.write_text(edited, "utf-8")
    code, err = _run(project, "check")
    assert code == ExitCode.DRIFT
    assert f"{CONTEXT}: differs from the normalized-db-schema-v2 context" in err
    assert '"nullable": false' in err.split("on disk:")[1].split("\n")[0]  # not the clock
    assert f"{REGISTRY}: the db-schema entry records checksumSha256" in err


def test_a_failed_import_writes_no_handbook_and_keeps_the_mirror(tmp_path: Path) -> None:
    project = _project(tmp_path)
    schema = project / "prisma" / "schema.prisma"
    schema.write_text(schema.read_text("utf-8").replace("model Tag {", "model Tag {{"), "utf-8")
    before = _artifacts(project)
    proc = run_cli(project, "sync")
    line = assert_clean_failure(proc, ExitCode.SOURCE)
    assert line.startswith("prisma/schema.prisma:")
    assert changes(before, _artifacts(project)) == {}  # no handbook, mirror and context kept
    assert not (project / "db" / "handbook").exists()


def test_the_real_command_adopts_and_the_registry_verifies(tmp_path: Path) -> None:
    project = _project(tmp_path)
    proc = run_cli(project, "sync")
    assert proc.returncode == 0, proc.stderr
    assert "adopted the .ai template's normalized-db-schema-v2 mirror" in proc.stdout
    # what `ctl-context verify --strict` checks: every registry checksum that names this file
    registry = json.loads((project / REGISTRY).read_text("utf-8"))
    for entry in registry["artifacts"]:
        if entry["path"] == CONTEXT:
            assert entry["checksumSha256"] == _sha((project / CONTEXT).read_bytes())
    assert run_cli(project, "check").returncode == 0


# ---- 3. their readers --------------------------------------------------------------------------


def _imported() -> Schema:
    return load_prisma(DATA / "project" / "prisma" / "schema.prisma", DATA / "project")


def test_the_v2_context_says_what_the_mirror_says() -> None:
    """A reader of the template's shape finds the mirror's facts: nullability, defaults, keys,
    indexes with names, relations both ways, enum values."""
    schema = _imported()
    doc = build_v2(schema, "0" * 64, "2026-01-01T00:00:00.000Z")
    enums = {
        e.prisma_name or e.name: {v.name: v.prisma_name or v.name for v in e.values}
        for e in schema.enums
    }
    tables = {t["name"]: t for t in doc["tables"]}
    assert set(tables) == {t.prisma_name for t in schema.tables}
    for table in schema.tables:
        v2 = tables[table.prisma_name]
        assert v2["dbName"] == (table.name if table.name != table.prisma_name else None)
        assert [c["name"] for c in v2["columns"]] == [c.prisma_name for c in table.columns]
        pk = table.primary_key.columns if table.primary_key else ()
        for col, got in zip(table.columns, v2["columns"], strict=True):
            assert got["nullable"] == col.nullable
            assert got["dbType"] == col.db_type
            assert got["dbName"] == (col.name if col.name != col.prisma_name else None)
            assert got["primaryKey"] == (col.name in pk)
            assert got["default"] == default_text(col, enums)
        names = {i["name"] for i in v2["indexes"]}
        primary = {table.primary_key.name} if table.primary_key else set()
        assert names == {i.name for i in table.indexes} | primary
    for rel in schema.relations:
        owner = next(t for t in schema.tables if t.name == rel.table)
        target = next(t for t in schema.tables if t.name == rel.referenced_table)
        held = next(r for r in tables[owner.prisma_name]["relations"] if r["field"] == rel.field)
        assert held["to"] == target.prisma_name
        back = next(
            r for r in tables[target.prisma_name]["relations"] if r["field"] == rel.back_field
        )
        assert back["to"] == owner.prisma_name
        assert back["list"]

    # the template importer's defects, each right here
    users, posts, comments = tables["User"], tables["Post"], tables["Comment"]
    fields = {c["name"]: c for t in (users, posts, comments) for c in t["columns"]}
    assert fields["body"]["nullable"] is False  # Comment.body is required ...
    assert (
        next(c for c in posts["columns"] if c["name"] == "body")["nullable"] is True
    )  # Post's not
    assert fields["createdAt"]["default"] == "now()"
    assert fields["settings"]["default"] == '"{}"'
    assert fields["role"]["default"] == "READER"
    assert fields["email"]["dbType"] == "varchar(320)"
    assert "posts" not in {c["name"] for c in users["columns"]}  # a back-relation is no column
    assert {
        "type": "primary",
        "fields": ["postId", "tagSlug"],
        "name": "post_tags_pk",
        "map": None,
    } in (tables["PostTag"]["indexes"])
    author = next(r for r in comments["relations"] if r["field"] == "author")
    assert author["optional"]
    assert author["onDelete"] == "SET NULL"
    assert doc["enums"][0]["values"] == ["ADMIN", "AUTHOR", "READER"]


def test_v2_context_golden(golden: Any) -> None:
    text = render_v2_context(_imported(), "0" * 64, None, "2026-01-01T00:00:00.000Z")
    golden(text, DATA / "expected.context.json")


def test_updated_at_changes_only_with_the_content() -> None:
    schema = _imported()
    first = render_v2_context(schema, "a" * 64, None, "2026-01-01T00:00:00.000Z")
    assert render_v2_context(schema, "a" * 64, first, "2027-01-01T00:00:00.000Z") == first
    moved = render_v2_context(schema, "b" * 64, first, "2027-01-01T00:00:00.000Z")
    assert json.loads(moved)["updatedAt"] == "2027-01-01T00:00:00.000Z"


def test_defects_are_counted_against_the_correct_document() -> None:
    schema = _imported()
    correct = build_v2(schema, "0" * 64, "")
    assert dict(v2_defects(correct, correct)) == dict.fromkeys(
        dict(v2_defects(correct, correct)), 0
    )
    old = json.loads((DATA / "project" / MIRROR).read_text("utf-8"))
    assert dict(v2_defects(old, correct)) == {
        "nullability": 4,
        "defaults": 3,
        "keys": 3,
        "phantom columns": 10,
        "enum values": 1,
        "missing tables": 0,
        "missing columns": 0,
    }


def test_the_registry_is_edited_in_place() -> None:
    text = (DATA / "project" / REGISTRY).read_text("utf-8")
    assert (
        update_registry(
            text,
            CONTEXT,
            "46839bdb359546b5b5d91273ffc2d95f4fbf16c144a1620619ebfa607d760b41",
            CONTEXT_V2,
            "x",
        )
        is None
    )
    new = update_registry(text, CONTEXT, "f" * 64, CONTEXT_FORMAT, "2027-01-01T00:00:00.000Z")
    assert new is not None
    assert (
        new.replace("f" * 64, "46839bdb359546b5b5d91273ffc2d95f4fbf16c144a1620619ebfa607d760b41")
        .replace(
            '"lastUpdated": "2027-01-01T00:00:00.000Z"', '"lastUpdated": "2026-03-02T09:14:29.301Z"'
        )
        .replace(f'"format": "{CONTEXT_FORMAT}"', f'"format": "{CONTEXT_V2}"')
        == text
    )
    # a missing key is added to the entry; another path's entry is not ours
    bare = text.replace('      "format": "normalized-db-schema-v2",\n', "")
    added = update_registry(bare, CONTEXT, "f" * 64, CONTEXT_V2, "now")
    assert added is not None
    assert (
        next(a for a in json.loads(added)["artifacts"] if a["id"] == "db-schema")["format"]
        == CONTEXT_V2
    )
    assert update_registry(text, "docs/other.json", "f" * 64, CONTEXT_V2, "now") is None


def test_the_project_chooses_schemasync_context_format(tmp_path: Path) -> None:
    project = _project(tmp_path)
    config = json.loads((project / CONFIG).read_text("utf-8"))
    config["context"] = {"format": CONTEXT_FORMAT}
    (project / CONFIG).write_text(json.dumps(config, indent=2) + "\n", "utf-8")
    code, err = _run(project, "check")
    assert code == ExitCode.DRIFT
    assert f"{CONTEXT}: written in format {CONTEXT_V2}, the project's context.format is" in err
    assert _sync(project)[0] == 0
    context = (project / CONTEXT).read_bytes()
    assert json.loads(context)["format"] == CONTEXT_FORMAT
    entry = next(
        a
        for a in json.loads((project / REGISTRY).read_text("utf-8"))["artifacts"]
        if a["id"] == "db-schema"
    )
    assert (entry["format"], entry["checksumSha256"]) == (CONTEXT_FORMAT, _sha(context))
    assert _run(project, "check")[0] == 0


def test_check_json_names_the_unadopted_mirror(tmp_path: Path) -> None:
    import jsonschema  # type: ignore[import-untyped]

    project = _project(tmp_path)
    proc = run_cli(project, "check", "--format", "json")
    assert proc.returncode == ExitCode.DRIFT
    out = json.loads(proc.stdout)
    schema = json.loads((Path(__file__).parent.parent / "schemas/check.schema.json").read_text())
    jsonschema.validate(out, schema)
    assert {a["path"]: a["status"] for a in out["artifacts"]}[MIRROR] == "unadopted"
