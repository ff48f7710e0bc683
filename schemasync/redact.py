"""The one place that recognises and masks secrets (connection-string passwords, tokens).

Everything that shows a URL or a text that might carry one (error messages, evidence, logs) goes
through `redact_url` / `redact_text`; every comment, default, view definition and note of the mirror
model goes through `redact_value` (model.py validators), so the mirror and the context never hold
one either. A run also masks the values of the variables its `db-ssot.json` names: its `Redactor`
holds them (read by `env_url_secrets` solely to be masked, never stored elsewhere, printed or
written), masks every line and file it shows or writes, and `mask_schema` masks them in a model's
text fields. No module-level state: the secrets live on the run. No files are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel

MASK = "****"

#: URL schemes whose `user:password@` part is a credential.
SECRET_SCHEMES: tuple[str, ...] = (
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "sqlserver",
    "mongodb",
    "mongodb+srv",
    "prisma",
    "prisma+postgres",
    "cockroachdb",
)

#: Query / keyword parameters whose value is a credential (case-insensitive).
SECRET_PARAMS: tuple[str, ...] = ("password", "pwd", "token", "api_key", "apikey", "sslpassword")

_SCHEME_RE = "|".join(re.escape(s) for s in sorted(SECRET_SCHEMES, key=len, reverse=True))
# scheme://user:password@host  (password may contain anything but '@' and whitespace; the
# last '@' before the host ends it, as libpq and the WHATWG URL parser read it)
_USERINFO = re.compile(
    rf"(?P<head>\b(?:{_SCHEME_RE})://[^:/@\s;?#]*:)(?P<secret>[^\s]*?)(?P<tail>@(?=[^@\s]*(?:[\s\"'`]|$)))",
    re.IGNORECASE,
)
_PARAM = re.compile(
    rf"(?P<head>(?:^|[?&;\s])(?:{'|'.join(SECRET_PARAMS)})=)(?P<secret>[^&;\s\"'`]*)",
    re.IGNORECASE,
)
# a bare `scheme://user:secret@` for text where the URL is followed by more text without a space
_USERINFO_LOOSE = re.compile(
    rf"(?P<head>\b(?:{_SCHEME_RE})://[^:/@\s;?#]*:)(?P<secret>[^@\s/]+)(?P<tail>@)",
    re.IGNORECASE,
)


def _mask_match(match: re.Match[str]) -> str:
    secret = match.group("secret")
    tail = match.groupdict().get("tail") or ""
    return match.group("head") + (MASK if secret else "") + tail


def redact_url(url: str) -> str:
    """Return `url` with its password and secret query parameters masked.

    Handles `scheme://user:password@host/...` for the database schemes Prisma knows
    (PostgreSQL, MySQL/MariaDB, SQL Server, MongoDB(+srv), Prisma Accelerate, CockroachDB), the
    SQL Server `;password=...;` style and `password=`/`token=`/`api_key=`/`sslpassword=` query
    parameters. Anything else (a `file:` path, a URL without a password) is returned unchanged.
    """
    text = _USERINFO.sub(_mask_match, url)
    if text == url:
        text = _USERINFO_LOOSE.sub(_mask_match, url)
    return _PARAM.sub(_mask_match, text)


def env_url_secrets(names: Iterable[str]) -> tuple[str, ...]:
    """Return the secrets inside the values of the environment variables `names` (the URL's
    password raw and percent-decoded, and the whole URL when it has one), for
    `register_secrets`. The values are read only to be masked."""
    import os

    found: list[str] = []
    for name in names:
        value = os.environ.get(name, "")
        if value:
            found.extend(url_secrets(value))
    return tuple(dict.fromkeys(found))


def redact_value(value: str | None) -> str | None:
    """Mask credentials in a model string (a comment, default, view definition, note).

    Cheap for the common case: text with neither `://` nor `=` nor a registered secret is
    returned as is.
    """
    if value is None:
        return None
    if "://" not in value and "=" not in value:
        return value
    return redact_text(value)


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Return `text` with every given or registered secret and every URL credential masked.

    Args:
        text: any text (an error message, a log line, a markdown file).
        secrets: literal values to mask wherever they occur (e.g. the value of the URL
            environment variable and its password); empty strings are ignored.
    """
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = _USERINFO_LOOSE.sub(_mask_match, text)
    return _PARAM.sub(_mask_match, text)


def url_secrets(url: str) -> tuple[str, ...]:
    """Return the literal secrets inside `url` (the whole URL when it has a password, and the
    password itself, raw and percent-decoded), for `redact_text`."""
    from urllib.parse import unquote

    found: list[str] = []
    for pattern in (_USERINFO, _USERINFO_LOOSE, _PARAM):
        for match in pattern.finditer(url):
            secret = match.group("secret")
            if secret:
                found.extend((secret, unquote(secret)))
    if found:
        found.append(url)
    return tuple(dict.fromkeys(s for s in found if len(s) >= 3))


@dataclass(frozen=True)
class Redactor:
    """The masking of one run: URL credentials everywhere, plus the run's literal secrets (the
    values of the URL variables its config names)."""

    secrets: tuple[str, ...] = ()

    def text(self, text: str) -> str:
        """Return `text` with every secret and URL credential masked (see `redact_text`)."""
        return redact_text(text, self.secrets)

    def value(self, value: str) -> str:
        """Mask a model string: the literal secrets only (URL credentials are masked when the
        model is built); cheap when none occurs."""
        if not any(s in value for s in self.secrets):
            return value
        return redact_text(value, self.secrets)


_M = TypeVar("_M", bound=BaseModel)


class FreeText:
    """Marks a model field as free text that may carry a secret (`model.Text`, `model.OptText`):
    URL credentials are masked when the model is built, a run's secrets by `mask_schema`."""


FREE_TEXT = FreeText()


def _masked_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `cls` that hold free text."""
    return tuple(name for name, info in cls.model_fields.items() if FREE_TEXT in info.metadata)


def mask_schema(model: _M, redactor: Redactor) -> _M:
    """Return `model` (a mirror `Schema` or any part of it) with the redactor's literal secrets
    masked in every free-text field (comments, defaults, view SQL, notes).

    Objects without a secret are returned as they are (no copy), so a schema without one costs a
    walk and nothing else.
    """
    if not redactor.secrets:
        return model
    update: dict[str, object] = {}
    masked = _masked_fields(type(model))
    for name in type(model).model_fields:
        value = getattr(model, name)
        if name in masked and isinstance(value, str):
            new: object = redactor.value(value)
        elif isinstance(value, BaseModel):
            new = mask_schema(value, redactor)
        elif isinstance(value, tuple) and value and isinstance(value[0], BaseModel):
            items = tuple(mask_schema(v, redactor) for v in value)
            new = value if all(a is b for a, b in zip(items, value, strict=True)) else items
        else:
            continue
        if new is not value:
            update[name] = new
    return model.model_copy(update=update) if update else model
