"""redact.py: every credential shape Prisma URLs carry is masked; nothing else changes."""

from __future__ import annotations

import pytest

from schemasync.redact import MASK, Redactor, redact_text, redact_url, url_secrets

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


# ---- issue 11, item 1: one table of forms, any password ----------------------------------------

#: A password holding every character a URL parser trips on.
HARD = "p@ss/w#rd?:x 'q\"Ω"

#: (text, what must not survive) for every form issue 11 names.
FORM_CASES = [
    (f"postgresql://app:{HARD}@db.example.com:5432/shop", HARD),
    (f"postgresql+asyncpg://app:{HARD}@h/db", HARD),
    (f"mysql+pymysql://root:{HARD}@h:3306/db", HARD),
    (f"mssql://sa:{HARD}@h:1433/db", HARD),
    (f"jdbc:postgresql://app:{HARD}@h/db", HARD),
    (f"x-unknown+drv://u:{HARD}@h", HARD),
    ("postgresql://u:a@b@c@h/db?sslmode=require", "a@b@c"),
    ("host=h user=u password=s3cretPw dbname=d", "s3cretPw"),
    ("host=h user=u password = 's3 cr''et' dbname=d", "s3 cr''et"),
    ("host=h password='it\\'s a secret' dbname=d", "it\\'s a secret"),
    ("Server=h;Database=d;User Id=sa;Password={a;b}}c=d};", "a;b}}c=d"),
    ("Server=h;User Id=sa;Password=my pass word;Database=d", "my pass word"),
    ("postgresql://h/db?user=u&password=p%40ss%2Fw&sslmode=require", "p%40ss%2Fw"),
    ("postgresql://u@h/db?sslmode=verify-full&sslpassword=keyPass99", "keyPass99"),
    ("libsql://db.turso.io?authToken=eyJhbGciOiJFZERTQSJ9", "eyJhbGciOiJFZERTQSJ9"),
    ("https://h/api?api_key=AKIA1234567&token=tok999", "AKIA1234567"),
    ("https://h/api?api_key=AKIA1234567&token=tok999", "tok999"),
    ("PGPASSWORD=hunter2hunter2 psql -h h", "hunter2hunter2"),
    ('PGPASSWORD="a b\\"c" psql', 'a b\\"c'),
    ("jdbc:postgresql://h:5432/db?user=app&password=p@s#s/w&ssl=true", "p@s#s/w"),
    ("jdbc:sqlserver://h:1433;user=sa;password={x;y};databaseName=d", "x;y"),
    ("CHECK (dsn <> 'host=db password=''Kx@9 \\''q'' dbname=shop')", "Kx@9 \\''q"),
]


@pytest.mark.parametrize(("text", "secret"), FORM_CASES)
def test_every_form_is_masked(text: str, secret: str) -> None:
    """Issue 11's forms: the password (any characters) is gone, the text around it stays."""
    out = redact_text(text)
    assert secret not in out
    assert MASK in out
    assert redact_text(out) == out  # idempotent


def test_each_form_of_the_table_masks_its_example() -> None:
    """The table is the documentation: every row's example is masked by that row."""
    from schemasync.redact import FORMS

    for form in FORMS:
        assert form.pattern.search(form.example), form.name
        assert MASK in redact_text(form.example), form.name


def test_forms_are_matched_on_the_original_text() -> None:
    """A password holding another form's syntax (`password=`, `://`) is masked whole: the spans
    of all forms are found before any is masked."""
    text = "postgresql://u:x password=y://z:w@h/db"
    assert redact_text(text) == "postgresql://u:****"  # the keyword's value ran to the end
    out = redact_text("mysql://u:pass&password=1234@h/db")
    assert "pass&" not in out
    assert "1234" not in out


def test_variable_values_are_secrets_whatever_their_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    """A variable holding only a password, or a keyword DSN, is masked whole (and as a SQL
    literal or JSON would spell it); a URL without credentials or a SQLite path is not."""
    from schemasync.redact import Redactor, env_secrets, value_secrets

    monkeypatch.setenv("ONLY_PASSWORD", "Tr0ub4dor's&3")
    monkeypatch.setenv("KEYWORD_DSN", "host=h user=u password=xyzzy99 dbname=d")
    monkeypatch.setenv("SQLITE_URL", "file:./dev.db")
    secrets = env_secrets(["ONLY_PASSWORD", "KEYWORD_DSN", "SQLITE_URL", "UNSET_VAR"])
    redactor = Redactor(secrets)
    assert redactor.text("see Tr0ub4dor's&3 here") == f"see {MASK} here"
    assert redactor.text("DEFAULT 'Tr0ub4dor''s&3'") == f"DEFAULT '{MASK}'"
    assert "xyzzy99" not in redactor.text("connect host=h user=u password=xyzzy99 dbname=d")
    assert value_secrets("file:./dev.db") == ()
    assert value_secrets("postgresql://u@h/db") == ()
    assert value_secrets("abc") == ()  # shorter than MIN_SECRET: masked by the forms only


def test_pieces_of_a_secret_cut_by_an_earlier_mask_are_masked() -> None:
    """Text masked by the forms alone (a mirror model) may have cut a literal secret: the URL's
    password ran to an `@` inside it. The run's redactor masks the pieces too."""
    from schemasync.redact import Redactor, redact_value

    secret = "Kx@9 Qz/#?"
    sql = f"SELECT 'postgresql://a:{secret}@h/db' AS a, '{secret}' AS b"
    once = redact_value(sql)
    assert once is not None
    assert "@9 Qz/#?" in once  # what the forms alone leave
    assert "9 Qz" not in Redactor((secret,)).value(once)


def test_url_secrets_spell_the_password_as_text_quotes_it() -> None:
    """Raw, percent-decoded, SQL-doubled and JSON-escaped spellings are all secrets."""
    found = url_secrets("postgresql://u:it%27s%22x@h/db")
    for spelling in ("it%27s%22x", "it's\"x", "it''s\"x", "it's\\\"x"):
        assert spelling in found


def test_mask_free_text_masks_docs_and_defaults_only() -> None:
    """A run's secrets are masked in a schema's doc comments and `@default(…)` strings before the
    import normalizes them (`dbgenerated("0:A00")` would become `0 AS :A00`); names and maps are
    left alone, and a document without a secret is returned as is."""
    from schemasync.model import Source
    from schemasync.prisma.ast import mask_free_text
    from schemasync.prisma.parser import parse_schema
    from schemasync.prisma.to_model import import_document
    from schemasync.redact import Redactor

    text = (
        'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n'
        '/// copy of 0:A00x\nmodel T {\n  id Int @id\n  a String @default(dbgenerated("0:A00x"))\n'
        '  b String @default("0:A00x") @map("b_col")\n}\n'
    )
    document = parse_schema((("schema.prisma", text),))
    redactor = Redactor(("0:A00x",))
    assert mask_free_text(document, Redactor(("absent",)).value) is document
    source = Source(kind="prisma", sha256="0" * 64)
    unmasked = import_document(document, source=source).model_dump_json()
    assert "0 AS :A00x" in unmasked or "A00x" in unmasked  # what the import made of it
    schema = import_document(mask_free_text(document, redactor.value), source=source)
    dumped = schema.model_dump_json()
    assert "A00x" not in dumped
    assert "b_col" in dumped


def test_redaction_is_linear_on_hostile_lines() -> None:
    """Lines built to make the patterns backtrack finish at once (a regex `.*@` rescanned the
    line from every `a://b:`: 100,000 of them took hours)."""
    import time

    from schemasync.redact import redact_text

    for text in ("a://b:" * 100_000, ("a://b:" * 50_000) + "@h", "x password=" * 50_000,
                 "password=''" + "\\''" * 20_000, ";password=" * 50_000):  # fmt: skip
        start = time.process_time()
        redact_text(text)
        assert time.process_time() - start < 2.0


def test_a_variable_value_is_masked_in_markdown_cells() -> None:
    """Evidence tables escape `|` (`\\|`, or `¦` in Phase D findings): the value of a variable
    is masked in those spellings too (the fuzz run found `0000|` shown as `0000¦`)."""
    from schemasync.redact import Redactor, value_secrets

    redactor = Redactor(value_secrets("0000|`x\ny"))
    for shown in ("0000¦`x\ny", "0000\\|'x y"):
        assert "0000" not in redactor.text(f"| finding | `{shown}` |"), shown


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        # SQL quoting of ` 0\` (the fuzz run of stop 19 found it): the last backslash is the
        # password's, not an escape of the closing quote
        ("host=h password=' 0\\' dbname=shop", "host=h password='****' dbname=shop"),
        ("password='it\\'s' x", "password='****' x"),  # libpq: `\'` is an escaped quote
        ('PGPASSWORD="a\\" b', 'PGPASSWORD="****" b'),
    ],
)
def test_a_quoted_value_ending_in_a_backslash_is_masked(line: str, masked: str) -> None:
    assert Redactor().text(line) == masked
