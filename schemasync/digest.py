"""`sha256_text`: the sha256 of a text's UTF-8 bytes, computed once per text.

A sync hashes the same 7 MB mirror text in several places (evidence inputs, the context header,
the memo keys of `phases.py`): 27 hashes took 42 ms of a 1,000-model sync. Python strings cache
their own hash and compare by identity first, so the lookup of a text seen before is O(1).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache


@lru_cache(maxsize=16)
def sha256_text(text: str) -> str:
    """Return the hex sha256 of `text` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
