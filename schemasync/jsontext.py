"""JSON text -> Python values, bounded: the one parser of every JSON file schemasync reads.

`db-ssot.json` (exit 2), the mirror and the context (exit 6), `package.json` (a problem, not an
error) all go through `parse_json`, so every JSON input has the same rules:
- not JSON -> `file:line:col: not valid JSON (…)`, as `json` reports it;
- nested too deeply for `json`'s recursive decoder (`[[[[…` 20,000 deep) -> `file:1:1`;
- a number with more than `MAX_DIGITS` digits (Python refuses `int()` of 4,301 and more with a
  ValueError, and no file of ours holds a number that long), a number outside the float range
  (`1e999999`), or `NaN` / `Infinity` / `-Infinity` (Python's extension, not JSON) -> the
  number's `file:line:col`.
The error class and the fix are the caller's: the same text is exit 2 in a config file and exit 6
in an artifact. Pure: never touches files.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from schemasync.errors import SchemasyncError

_M = TypeVar("_M", bound=BaseModel)

#: The longest number read, in digits (sign, point and exponent not counted).
MAX_DIGITS = 100

# What `_locate` skips (strings, with escapes) and finds (numbers and the non-JSON constants).
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|(?P<token>-?(?:Infinity|NaN|[0-9][0-9.eE+-]*))', re.S)


class _RefusedError(Exception):
    """A number token `parse_json` does not accept, and why."""

    def __init__(self, token: str, why: str) -> None:
        super().__init__(why)
        self.token, self.why = token, why


def parse_json(text: str, path: str, error: type[SchemasyncError], fix: str) -> Any:
    """Return the value of JSON `text`, read from `path` (as the messages name it).

    Raises:
        SchemasyncError: of class `error`, one line `path:line:col: what; fix`: not JSON, nested
            too deeply, or a number out of bounds (see the module docstring).
    """
    try:
        return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as err:
        raise error(f"{path}:{err.lineno}:{err.colno}: not valid JSON ({err.msg}); {fix}") from err
    except RecursionError as err:  # `[[[[…` 20,000 deep: json's decoder recurses per level
        raise error(f"{path}:1:1: not valid JSON (nested too deeply); {fix}") from err
    except _RefusedError as err:
        line, col = _locate(text, err.token)
        raise error(f"{path}:{line}:{col}: {err.why}; {fix}") from None


def _digits(token: str) -> int:
    return sum(c.isdigit() for c in token)


def _int(token: str) -> int:
    if _digits(token) > MAX_DIGITS:
        raise _RefusedError(token, f"a number of {_digits(token)} digits (at most {MAX_DIGITS})")
    return int(token)


def _float(token: str) -> float:
    if _digits(token) > MAX_DIGITS:
        raise _RefusedError(token, f"a number of {_digits(token)} digits (at most {MAX_DIGITS})")
    value = float(token)
    if not math.isfinite(value):
        raise _RefusedError(token, f"the number {token} is out of range")
    return value


def _constant(token: str) -> Any:
    raise _RefusedError(token, f"`{token}` is not a JSON number")


def _locate(text: str, token: str) -> tuple[int, int]:
    """Return the 1-based line and column of the first `token` outside strings (1:1 if none)."""
    for found in _TOKEN.finditer(text):
        if found["token"] == token:
            at = found.start()
            return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
    return 1, 1


def validated(
    model: type[_M], data: Any, path: str, what: str, error: type[SchemasyncError], fix: str
) -> _M:
    """Return `data` (a parsed JSON document) as `model`; the first problem pydantic finds is one
    line, `path: invalid <what> at <location>: <why>; <fix>`, of class `error` — the message of
    every file format schemasync reads (mirror, context, capture).

    Raises:
        SchemasyncError: of class `error`: `data` is not a valid `model`.
    """
    try:
        return model.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise error(f"{path}: invalid {what} at {where}: {first['msg']}; {fix}") from err
