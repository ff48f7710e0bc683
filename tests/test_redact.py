"""redact.py: every credential shape Prisma URLs carry is masked; nothing else changes."""

from __future__ import annotations

import pytest

from schemasync.redact import MASK, redact_text, redact_url, url_secrets

CASES = [
    (
        "postgresql://user:s3cr%40t@localhost:5432/db?schema=public",
        "postgresql://user:****@localhost:5432/db?schema=public",
    ),
    ("postgres://u:p@h/db", "postgres://u:****@h/db"),
    ("mysql://root:pa@ss@127.0.0.1:3306/x", "mysql://root:****@127.0.0.1:3306/x"),
    ("mariadb://root:x@h/x", "mariadb://root:****@h/x"),
    (
        "sqlserver://localhost:1433;database=x;user=sa;password=Secr3t;encrypt=true",
        "sqlserver://localhost:1433;database=x;user=sa;password=****;encrypt=true",
    ),
    ("mongodb://a:b@h1,h2/db?replicaSet=r", "mongodb://a:****@h1,h2/db?replicaSet=r"),
    (
        "mongodb+srv://a:b@cluster0.x.net/db?retryWrites=true",
        "mongodb+srv://a:****@cluster0.x.net/db?retryWrites=true",
    ),
    (
        "prisma://accelerate.prisma-data.net/?api_key=eyJhbGci",
        "prisma://accelerate.prisma-data.net/?api_key=****",
    ),
    (
        "prisma+postgres://localhost:51213/?api_key=abc",
        "prisma+postgres://localhost:51213/?api_key=****",
    ),
    (
        "postgresql://u:p@h/db?sslpassword=xyz&sslmode=require&token=t1",
        "postgresql://u:****@h/db?sslpassword=****&sslmode=require&token=****",
    ),
    ("postgresql://u@h/db?password=pw", "postgresql://u@h/db?password=****"),
    ("POSTGRESQL://U:P@H/D", "POSTGRESQL://U:****@H/D"),
]

UNCHANGED = [
    "file:./dev.db",
    "postgresql://u@h:5432/db?schema=public",
    "mariadb://root@127.0.0.1/x",
    "https://example.com/a:b@c",  # not a database scheme
]


@pytest.mark.parametrize(("url", "expected"), CASES)
def test_redact_url_masks_the_password(url: str, expected: str) -> None:
    assert redact_url(url) == expected


@pytest.mark.parametrize("url", UNCHANGED)
def test_redact_url_leaves_urls_without_secret(url: str) -> None:
    assert redact_url(url) == url


def test_redact_url_is_idempotent() -> None:
    for url, expected in CASES:
        assert redact_url(redact_url(url)) == expected


def test_redact_text_masks_urls_inside_text_and_given_secrets() -> None:
    text = "cannot connect to postgresql://u:hunter2@db.example.com:5432/app: refused (hunter2)"
    out = redact_text(text, ["hunter2"])
    assert "hunter2" not in out
    assert (
        out == f"cannot connect to postgresql://u:{MASK}@db.example.com:5432/app: refused ({MASK})"
    )


def test_redact_text_ignores_empty_secrets() -> None:
    assert redact_text("abc", ["", ""]) == "abc"


def test_url_secrets_lists_raw_and_decoded_password() -> None:
    url = "postgresql://u:s3cr%40t@h/db"
    secrets = url_secrets(url)
    assert "s3cr%40t" in secrets
    assert "s3cr@t" in secrets
    assert url in secrets
    assert url_secrets("postgresql://u@h/db") == ()
