"""Mirror models built from values an importer computed, without validation (the hot path).

Validation is for what comes from outside (a file, a database); the Prisma import builds its
columns, keys, indexes, relations and tables from values it computed and typed itself, and
validating 40,000 models of a 1,000-model schema would cost more than the rest of the import.
Each builder does what the model's validators would (sorting, masking comments) and nothing
else; `tests/test_import_prisma.py` re-validates every golden import and compares value for
value and type for type. Compiled by mypyc with the import (setup.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, TypeVar

from pydantic import BaseModel

from schemasync import model

_M = TypeVar("_M", bound=BaseModel)
_T = TypeVar("_T", model.IndexColumn, model.Index, model.PrimaryKey, model.ForeignKey,
             model.Relation)  # fmt: skip
# The models `trusted` builds: without validators (Column and Table have theirs).
_PLAIN: Final = (model.IndexColumn, model.Index, model.PrimaryKey, model.ForeignKey, model.Relation)

# A pydantic model instance keeps its state in four slots of `BaseModel`; their descriptors'
# setters are called directly (what `object.__setattr__` does after looking them up each time).
_SLOTS: Final = BaseModel.__dict__
_set_dict: Final[Callable[[object, object], None]] = _SLOTS["__dict__"].__set__
_set_fields_set: Final[Callable[[object, object], None]] = _SLOTS["__pydantic_fields_set__"].__set__
_set_extra: Final[Callable[[object, object], None]] = _SLOTS["__pydantic_extra__"].__set__
_set_private: Final[Callable[[object, object], None]] = _SLOTS["__pydantic_private__"].__set__
_new_object: Final = object.__new__


def _fields_set(cls: type[BaseModel]) -> set[str]:
    return set(cls.model_fields)


# One shared "fields set" per class: a set per instance was 33,000 of the 87,000 objects the
# garbage collector tracked after a 1,000-model import. Nothing mutates it (the models are
# frozen; `model_copy` copies it first).
_COLUMN_FIELDS: Final = _fields_set(model.Column)
_TABLE_FIELDS: Final = _fields_set(model.Table)
_FIELDS_SETS: Final[dict[type[Any], set[str]]] = {cls: _fields_set(cls) for cls in _PLAIN}


def _defaults(cls: type[BaseModel]) -> dict[str, Any]:
    # every field, in declaration order: the default, or None where the caller must give it
    return {
        name: (None if info.is_required() else info.get_default())
        for name, info in cls.model_fields.items()
    }


_DEFAULTS: Final[dict[type[Any], dict[str, Any]]] = {cls: _defaults(cls) for cls in _PLAIN}


def _unvalidated(cls: type[_M], data: dict[str, Any], fields: set[str]) -> _M:
    """Return an instance of `cls` holding `data` (every field, in declaration order)."""
    obj: _M = _new_object(cls)
    _set_dict(obj, data)
    _set_fields_set(obj, fields)
    _set_extra(obj, None)
    _set_private(obj, None)
    return obj


def trusted_column(
    name: str,
    prisma_name: str | None,
    type: str,
    db_type: str,
    nullable: bool,
    list: bool,
    autoincrement: bool,
    default: model.LiteralDefault | model.FunctionDefault | model.ExpressionDefault | None,
    client_default: str | None,
    comment: str | None,
) -> model.Column:
    """Build a `Column`; `comment` is masked here as validation would mask it.

    A 1,000-model import builds 13,500 columns: `Column(**values)` takes ~1.8 µs each.
    """
    data = {
        "autoincrement": autoincrement,
        "captured": (),
        "client_default": client_default,
        "comment": comment if comment is None else model._masked(comment),
        "db_type": db_type,
        "default": default,
        "generated": None,
        "guessed": (),
        "identity": None,
        "list": list,
        "name": name,
        "nullable": nullable,
        "prisma_name": prisma_name,
        "type": type,
    }
    return _unvalidated(model.Column, data, _COLUMN_FIELDS)


def trusted(cls: type[_T], **values: Any) -> _T:
    """Build a key, index, foreign key or relation (models without validators only).

    Each value must already have its field's type (tuples, not lists); fields not given take
    their defaults.
    """
    return _unvalidated(cls, {**_DEFAULTS[cls], **values}, _FIELDS_SETS[cls])


def trusted_table(
    *,
    name: str,
    db_schema: str | None,
    prisma_name: str | None,
    ignored: bool,
    comment: str | None,
    columns: tuple[model.Column, ...],
    primary_key: model.PrimaryKey | None,
    indexes: tuple[model.Index, ...],
    foreign_keys: tuple[model.ForeignKey, ...],
) -> model.Table:
    """Build a `Table`, doing what its validators do: indexes and foreign keys sorted, the
    comment masked."""
    data = {
        "captured": (),
        "checks": (),
        "columns": columns,
        "comment": comment if comment is None else model._masked(comment),
        "foreign_keys": tuple(sorted(foreign_keys, key=model._fk_key)),
        "ignored": ignored,
        "indexes": tuple(sorted(indexes, key=model._index_key)),
        "name": name,
        "primary_key": primary_key,
        "prisma_name": prisma_name,
        "db_schema": db_schema,
    }
    return _unvalidated(model.Table, data, _TABLE_FIELDS)
