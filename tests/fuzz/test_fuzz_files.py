"""Fuzz the JSON loaders: `db-ssot.json` (config) and `tables.json` (mirror) (issue 5, item 5).

Mutations of SPEC §3's config, the example's config and golden mirrors must give a valid model
or a one-line `ConfigError` / `ArtifactError` within 2 s — never another exception.
"""

from __future__ import annotations

import json

import pytest
from fuzzlib import FUZZ_SETTINGS, GOLDEN, REPO, check_only_schemasync_errors, mutated_text
from hypothesis import given
from hypothesis import strategies as st

from schemasync.config import SsotConfig, load_config
from schemasync.errors import ArtifactError, ConfigError
from schemasync.mirror import load_mirror
from schemasync.model import Schema

pytestmark = [pytest.mark.fuzz, pytest.mark.filterwarnings("ignore:Generating overly large repr")]

SPEC_CONFIG = """{
  "mode": "database",
  "environments": {
    "dev":     {"urlEnv": "DATABASE_URL"},
    "staging": {"urlEnv": "STAGING_DATABASE_URL", "schemas": ["public", "audit"]},
    "prod":    {"urlEnv": "PROD_DATABASE_URL", "confirm": true}
  },
  "prismaSchema": "prisma/schema.prisma",
  "layers": {"business": ["src/domain/**", "src/services/**"],
             "repositories": ["src/repositories/**"]}
}
"""
CONFIGS = [SPEC_CONFIG, '{"mode": "database"}', '{"mode": "repo-prisma"}'] + [
    p.read_text(encoding="utf-8") for p in sorted(REPO.glob("examples/*/docs/project/db-ssot.json"))
]
MIRRORS = [p.read_text(encoding="utf-8") for p in sorted(GOLDEN.glob("*/expected.tables.json"))][
    :12
]

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)


def test_seed_configs_are_valid() -> None:
    """The unmutated configs load."""
    for text in CONFIGS:
        assert isinstance(load_config(text), SsotConfig)


@FUZZ_SETTINGS
@given(text=st.sampled_from(CONFIGS).flatmap(mutated_text))
def test_fuzz_config_text(text: str) -> None:
    """Token mutations of db-ssot.json."""
    result = check_only_schemasync_errors(lambda: load_config(text))
    assert isinstance(result, SsotConfig | ConfigError)


@FUZZ_SETTINGS
@given(
    base=st.sampled_from(CONFIGS).map(json.loads),
    path=st.lists(
        st.sampled_from(["environments", "dev", "prod", "layers", "business", "x"]), max_size=3
    ),
    value=JSON_VALUES,
)
def test_fuzz_config_values(base: object, path: list[str], value: object) -> None:
    """Well-formed JSON with any value of any type at any key."""
    node = base
    for key in path[:-1]:
        if isinstance(node, dict) and isinstance(node.get(key), dict):
            node = node[key]
    if isinstance(node, dict):
        node[path[-1] if path else "mode"] = value
    text = json.dumps(base, indent=2)
    result = check_only_schemasync_errors(lambda: load_config(text))
    assert isinstance(result, SsotConfig | ConfigError)


@FUZZ_SETTINGS
@given(text=st.sampled_from(MIRRORS).flatmap(mutated_text))
def test_fuzz_mirror_text(text: str) -> None:
    """Token mutations of tables.json: a Schema or ArtifactError (exit 6)."""
    result = check_only_schemasync_errors(lambda: load_mirror(text, "db/schema/tables.json"))
    assert isinstance(result, Schema | ArtifactError)
