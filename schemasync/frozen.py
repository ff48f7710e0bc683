"""`FrozenModel`: the one base of every file format's pydantic model.

The mirror (`model.py`) and `db-ssot.json` (`config.py`) share it: immutable, strict about
unknown keys, camelCase in JSON. Its own module so that reading the config does not define the
mirror's models (every command reads the config; few load a mirror).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class FrozenModel(BaseModel):
    """Immutable, strict about unknown keys, camelCase in JSON.

    The mirror's models declare their fields in the sorted order of their JSON names, so that
    pydantic's own (Rust) serializer writes sorted keys: `dump_mirror` then needs no
    Python-level `json.dumps(sort_keys=True, indent=2)`, which took 290 ms of a 1,000-model
    import. `tests/test_model.py` checks that the two agree.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        alias_generator=to_camel,
        populate_by_name=True,
        serialize_by_alias=True,
        defer_build=True,  # built on first use: `snapshot` and `--help` never need them
    )
