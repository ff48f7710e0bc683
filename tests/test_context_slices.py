"""A context above its token budget is an index plus slices (issue 14, item 2): goldens of a
two-schema project (one slice per PostgreSQL schema) and of a large generated one (groups of
tables), each slice standing alone and all of them together holding every fact of the mirror;
`sync` writes them, `check` covers every one, and slices that go stale are removed."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from in_process import run_schemasync

from schemasync.context import (
    INDEX_PATH,
    SLICE_FOLDER,
    build_context,
    dump_context,
    estimate_tokens,
    load_context,
    slice_context,
)
from schemasync.mirror import dump_mirror, read_mirror
from schemasync.model import Schema
from schemasync.prisma.load import load_prisma

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_context import (
    _normalize,
    context_facts,
    corpus_schemas,
    mirror_facts,
    missing_notes,
    parse_column,
)

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "context"
EXAMPLE = REPO / "examples" / "shop"


def _large() -> Schema:
    """The 40-model schema of the benchmark generator (byte-identical for the same N)."""
    spec = importlib.util.spec_from_file_location("gen_schema", REPO / "bench" / "gen_schema.py")
    assert spec is not None
    assert spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "schema.prisma"
        path.write_text(gen.generate(40))
        return load_prisma(path, Path(tmp))


CASES: dict[str, tuple[Any, int]] = {
    # name: (the mirror, the token budget)
    "sliced-multi": (lambda: read_mirror(DATA / "multi" / "tables.json"), 1_300),
    "sliced-large": (_large, 8_000),
}


def _merged(files: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """The slices put back together as one context."""
    docs = [json.loads(text) for _, text in files[1:]]
    whole: dict[str, Any] = json.loads(files[0][1])
    for key in ("tables", "views", "enums"):
        whole[key] = {k: v for doc in docs for k, v in doc[key].items()}
    return whole


@pytest.mark.parametrize("name", sorted(CASES))
def test_sliced_context_golden_stands_alone_and_keeps_every_fact(name: str, golden: Any) -> None:
    make, budget = CASES[name]
    schema = make()
    doc = build_context(schema, "0" * 64)
    files = slice_context(doc, budget)
    assert len(files) > 2, "sliced"
    for rel, text in files:
        golden(text, DATA / name / rel.removeprefix("docs/context/db/"))
        load_context(text, rel)  # each file is a whole, valid context
    index = json.loads(files[0][1])
    assert [f"{SLICE_FOLDER}/{s.removeprefix('schema/')}" for s in index["slices"]] == [
        rel for rel, _ in files[1:]
    ]
    # every table and view is in the index, in the slice the index names, and only there
    names = {rel.removeprefix("docs/context/db/"): json.loads(t) for rel, t in files[1:]}
    assert set(index["index"]) == set(doc["tables"]) | set(doc["views"])
    for key, entry in index["index"].items():
        holders = [s for s, d in names.items() if key in d["tables"] or key in d["views"]]
        assert holders == [entry["slice"]]
    # a slice stands alone: the enums its columns name are in it
    for part in names.values():
        for entry in [*part["tables"].values(), *part["views"].values()]:
            for cell in entry["columns"]:
                ctype = parse_column(cell if isinstance(cell, str) else cell[0])[1]
                if ctype.rstrip("?").removesuffix("[]") in {
                    *doc["enums"],
                    *(v.get("prisma") for v in doc["enums"].values() if isinstance(v, dict)),
                }:
                    assert part["enums"], cell
        assert estimate_tokens(dump_context(part)) <= budget or len(part["tables"]) == 1
    # a relation is written once per file: on its holder, and as `in` on the table it points to
    # when that sits in another slice (never when both are in one file)
    for part in names.values():
        here = {*part["tables"], *part["views"]}
        for key, entry in [*part["tables"].items(), *part["views"].items()]:
            for line in entry.get("in", ()):
                source = line.split(": ", 1)[1].split("(", 1)[0]
                assert source not in here, (key, line)
            for line in entry.get("out", ()):
                target = line.split(" -> ", 1)[1].split("(", 1)[0]
                if target not in here:
                    holder = names[index["index"][target]["slice"]]
                    ins = {**holder["tables"], **holder["views"]}[target]["in"]
                    back, field = line.split(": ", 1)[0].split("/")[::-1]
                    assert any(i.startswith(f"{back}/{field}: {key}(") for i in ins), line
    merged = _merged(files)
    assert _normalize(context_facts(merged)) == _normalize(mirror_facts(schema))
    assert missing_notes(schema, merged) == []
    if name == "sliced-multi":  # one file per PostgreSQL schema
        assert index["slices"] == ["schema/billing.json", "schema/public.json"]


def test_under_budget_is_one_file() -> None:
    schema = read_mirror(DATA / "multi" / "tables.json")
    doc = build_context(schema, "0" * 64)
    assert slice_context(doc, 25_000) == ((INDEX_PATH, dump_context(doc)),)


@pytest.mark.skipif(not corpus_schemas(), reason="corpus not present (set SCHEMASYNC_CORPUS)")
def test_token_estimate_never_undercounts() -> None:
    """The budget is in tokens, estimated from bytes: never below o200k_base's count."""
    bpe_openai = pytest.importorskip("bpe_openai")
    enc = bpe_openai.get_encoding("o200k_base")
    texts = [(EXAMPLE / "docs/context/db/schema.json").read_text()]
    for path in corpus_schemas()[:60]:
        try:
            schema = load_prisma(path, path if path.is_dir() else path.parent)
        except Exception:
            continue
        texts.append(dump_context(build_context(schema, dump_mirror(schema)[:64])))
    for text in texts:
        lines = text.splitlines(keepends=True)
        assert estimate_tokens(text) >= sum(len(enc.encode(line)) for line in lines)


# ---- end to end: sync writes the slices, check covers them, stale ones go -----------------


def _budget(project: Path, tokens: int | None) -> None:
    path = project / "docs/project/db-ssot.json"
    config = json.loads(path.read_text())
    config.pop("context", None)
    if tokens is not None:
        config["context"] = {"sliceAboveTokens": tokens}
    path.write_text(json.dumps(config, indent=2) + "\n")


def test_sync_writes_slices_check_covers_them_and_stale_ones_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    project = root / "shop"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns(".ai", "*.db"))
    monkeypatch.chdir(project)
    _budget(project, 1_000)
    assert run_schemasync(["sync", "-q"]) == (0, "")
    slices = sorted(p.name for p in (project / SLICE_FOLDER).iterdir())
    assert len(slices) >= 2
    index = json.loads((project / INDEX_PATH).read_text())
    assert [f"schema/{s}" for s in slices] == index["slices"]
    assert run_schemasync(["check"])[0] == 0
    # a hand-edited slice fails check, and names the file
    first = project / SLICE_FOLDER / slices[0]
    first.write_text(first.read_text().replace('"Int"', '"Int?"', 1))
    code, err = run_schemasync(["check"])
    assert code == 1
    assert f"{SLICE_FOLDER}/{slices[0]}" in err
    # a stray slice is stale for check, and sync removes it
    (project / SLICE_FOLDER / "zz-old.json").write_text(first.read_text())
    code, err = run_schemasync(["check"])
    assert code == 1
    assert "zz-old.json" in err
    assert run_schemasync(["sync", "-q"]) == (0, "")
    assert sorted(p.name for p in (project / SLICE_FOLDER).iterdir()) == slices
    # back under the budget: one file again, every slice removed
    _budget(project, None)
    assert run_schemasync(["sync", "-q"]) == (0, "")
    assert list((project / SLICE_FOLDER).iterdir()) == []
    assert (project / INDEX_PATH).read_text() == (EXAMPLE / INDEX_PATH).read_text()
    assert run_schemasync(["check"])[0] == 0


def test_budget_is_validated() -> None:
    from schemasync.config import load_config
    from schemasync.errors import ConfigError

    with pytest.raises(ConfigError, match="sliceAboveTokens"):
        load_config('{"mode": "database", "context": {"sliceAboveTokens": 10}}')
    with pytest.raises(ConfigError, match="sliceAboveToken"):
        load_config('{"mode": "database", "context": {"sliceAboveToken": 5000}}')
    assert load_config('{"mode": "database"}').context.slice_above_tokens == 25_000
