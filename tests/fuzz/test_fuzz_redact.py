"""Fuzz the redactor (issue 11, item 1): no password, whatever its characters, leaves schemasync.

Generated passwords over the full printable ASCII range and unicode are written in every form a
secret takes (`PLANTS`: URL userinfo in known, `+driver`, `jdbc:` and unknown schemes, raw and
percent-encoded; libpq, SQL Server, query-string, JDBC and shell keyword forms; a variable holding
only the password) and planted in every kind of sink line (`SINKS`). The property: no run of 4
consecutive characters of the password (the whole password when shorter, unless it is trivially
common) occurs in the output more often than in the output of the same text planted with a
neutral password -- so text around the secret that happens to share characters with it is no
leak, and any character of the secret that survives is one.

The bulk runs through the pure `Redactor` (`SCHEMASYNC_FUZZ_EXAMPLES`, `nox -s fuzz`: 10,000);
a smaller sample runs `sync` in-process on a copy of the shop example with the password in a
doc comment, a `@default`, a `dbgenerated(…)`, a view SQL file, a Phase D finding and the URL
variable, and checks stdout, stderr and every file written (evidence, mirror, context), and a
parse error's message.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from fuzzlib import EXAMPLES, FUZZ_SETTINGS, REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from schemasync.redact import MASK, MIN_SECRET, Redactor, value_secrets

pytestmark = [pytest.mark.fuzz, pytest.mark.filterwarnings("ignore:Generating overly large repr")]

#: The password a baseline text is planted with: no character in common with a generated one
#: that matters (the comparison is by counts, so sharing is harmless anyway).
NEUTRAL = "Zq9Zq9Zq9"
GRAM = 4

PRINTABLE = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
UNICODE = st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn"))
PASSWORDS = st.text(PRINTABLE, min_size=1, max_size=40) | st.text(
    PRINTABLE | UNICODE, min_size=1, max_size=40
)


def _libpq(pw: str) -> str:
    """A libpq keyword value: bare when it can be, else quoted with `\\'` and `\\\\` (libpq)."""
    if pw and not any(c.isspace() or c in "'\\" for c in pw):
        return pw
    return "'" + pw.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _libpq_sql(pw: str) -> str:
    """A quoted value in the SQL style (`'it''s'`)."""
    return "'" + pw.replace("'", "''") + "'"


def _braces(pw: str) -> str:
    """A SQL Server `{…}` value (`}` doubled)."""
    return "{" + pw.replace("}", "}}") + "}"


def _mssql_bare(pw: str) -> str:
    return pw if pw and not any(c.isspace() or c in ";{}'\"" for c in pw) else _braces(pw)


def _shell(pw: str) -> str:
    """A shell assignment's value: double-quoted with the shell's escapes."""
    return '"' + re.sub(r'(["\\$`])', r"\\\1", pw) + '"'


def _raw_query(pw: str) -> str:
    """A query value as people paste it: raw unless it holds a separator, then encoded."""
    return pw if not any(c.isspace() or c in "&;" for c in pw) else quote(pw, safe="")


@dataclass(frozen=True)
class Plant:
    """One form of a secret: `write(pw)` gives the text holding it (the env value, too)."""

    name: str
    write: Callable[[str], str]


def _userinfo(scheme: str) -> Plant:
    """`scheme://app:PASSWORD@host`, the password as pasted (raw)."""
    return Plant(f"userinfo {scheme}", lambda pw: f"{scheme}://app:{pw}@db.example.com:5432/shop")


PLANTS: tuple[Plant, ...] = (
    *(
        _userinfo(scheme)
        for scheme in (
            "postgresql",
            "postgres",
            "postgresql+asyncpg",
            "postgresql+psycopg",
            "mysql",
            "mysql+pymysql",
            "mariadb",
            "mssql",
            "sqlserver",
            "mongodb+srv",
            "cockroachdb",
            "prisma+postgres",
            "redis",
            "x-unknown+drv",
            "jdbc:postgresql",
            "jdbc:mysql",
        )
    ),
    Plant("userinfo no user", lambda pw: f"postgresql://:{pw}@h/db"),
    Plant("userinfo encoded", lambda pw: f"postgresql://app:{quote(pw, safe='')}@h:5432/db"),
    Plant("userinfo encoded+", lambda pw: f"mysql+pymysql://app:{quote_plus(pw)}@h/db"),
    Plant("libpq", lambda pw: f"host=h port=5432 user=app password={_libpq(pw)} dbname=shop"),
    Plant("libpq spaced", lambda pw: f"host=h password = {_libpq(pw)} dbname=shop"),
    Plant("libpq sql quotes", lambda pw: f"host=h password={_libpq_sql(pw)} dbname=shop"),
    Plant("sqlserver braces", lambda pw: f"Server=h;Database=d;User Id=sa;Password={_braces(pw)};"),
    Plant("sqlserver bare", lambda pw: f"Server=h;User Id=sa;Password={_mssql_bare(pw)};Db=d"),
    Plant("sqlserver url", lambda pw: f"sqlserver://h:1433;user=sa;password={_braces(pw)};db=d"),
    Plant("query password", lambda pw: f"postgresql://h/db?password={quote(pw, safe='')}&x=1"),
    Plant("query raw", lambda pw: f"postgresql://h/db?sslmode=require&password={_raw_query(pw)}"),
    Plant(
        "sslpassword", lambda pw: f"postgresql://u@h/db?sslmode=verify&sslpassword={_raw_query(pw)}"
    ),
    Plant("authToken", lambda pw: f"libsql://h.turso.io?authToken={_raw_query(pw)}"),
    Plant("api_key", lambda pw: f"prisma://accelerate.prisma-data.net/?api_key={_raw_query(pw)}"),
    Plant("token", lambda pw: f"https://h/x?token={quote(pw, safe='')}"),
    Plant(
        "jdbc params", lambda pw: f"jdbc:postgresql://h:5432/db?user=app&password={_raw_query(pw)}"
    ),
    Plant("PGPASSWORD", lambda pw: f"PGPASSWORD={_shell(pw)} psql -h h -U app shop"),
    Plant("PGPASSWORD bare", lambda pw: f"PGPASSWORD={_libpq(pw)} psql"),
    Plant("variable holding only the password", lambda pw: pw),
)

#: Lines of every kind of sink a secret can reach: `{}` is the planted text.
SINKS: tuple[str, ...] = (
    "/// Replica at {} (read-only)",
    '  note String @default("{}")',
    '  dsn  String @default(dbgenerated("{}"))',
    "CREATE VIEW v AS SELECT dblink('{}') AS x",
    "prisma/schema.prisma:12:5: unexpected `{}`: expected a field, an attribute or `}}`",
    "src/domain/leak.ts:3: imports the Prisma client: const url = `{}`;",
    "cannot connect to {} (from $DATABASE_URL): connection refused; check the URL",
    "| 02 | {} | rewritten |",
    "{}",
)


def _common(pw: str) -> bool:
    """A password too short or plain to find in text (`a`, `)`)."""
    return len(pw) < 2 or not any(c.isalnum() for c in pw)


def leaks(pw: str, written: str, output: str, baseline: str) -> list[str]:
    """Return the runs of the password (as chosen and as written) that occur in `output` more
    often than in `baseline` (the same text planted with `NEUTRAL`)."""
    found: list[str] = []
    for secret in {pw, written}:
        if len(secret) >= GRAM:
            grams = {secret[i : i + GRAM] for i in range(len(secret) - GRAM + 1)}
        elif not _common(secret):
            grams = {secret}
        else:
            continue
        found += [g for g in sorted(grams) if output.count(g) > baseline.count(g)]
    return found


def _env_redactor(value: str) -> Redactor:
    """The redactor of a run whose URL variable holds `value` (as `env_secrets` builds it)."""
    return Redactor(value_secrets(value))


def _span(plant: Plant, pw: str) -> tuple[int, int]:
    """Where the form writes the password (encoded, escaped): the middle part where the text
    differs from the form written with an empty password."""
    text, blank = plant.write(pw), plant.write("")
    start = 0
    while start < min(len(text), len(blank)) and text[start] == blank[start]:
        start += 1
    end = 0
    while end < min(len(text), len(blank)) - start and text[-1 - end] == blank[-1 - end]:
        end += 1
    return start, len(text) - end


def _written(plant: Plant, pw: str) -> str:
    """The password as the form writes it: what a leak would show."""
    start, end = _span(plant, pw)
    return plant.write(pw)[start:end]


def _plant_pair(plant: Plant, pw: str) -> tuple[str, str]:
    """(planted text, baseline text): the same form with the password, and with `NEUTRAL` where
    the written password stands (the form's quoting decisions are kept)."""
    text = plant.write(pw)
    start, end = _span(plant, pw)
    return text, text[:start] + NEUTRAL + text[end:]


@FUZZ_SETTINGS
@given(pw=PASSWORDS, plant=st.sampled_from(PLANTS), sink=st.sampled_from(SINKS))
def test_fuzz_redactor_masks_every_password(pw: str, plant: Plant, sink: str) -> None:
    """The pure redactor: any password, any form, any sink line, the run's variable holding the
    form (so its literal value is masked too): no run of its characters is left."""
    if plant.name.startswith("variable") and len(pw) < MIN_SECRET:
        return  # a 3-character value cannot be masked as text (it would mask every word)
    text, neutral = _plant_pair(plant, pw)
    line, base_line = sink.format(text), sink.format(neutral)
    out = _env_redactor(text).text(line)
    base = _env_redactor(neutral).text(base_line)
    assert leaks(pw, _written(plant, pw), out, base) == [], (line, out)
    # the forms alone, without the variable's value (a URL seen in a comment or a driver error)
    if not plant.name.startswith("variable"):
        bare = Redactor().text(line)
        assert leaks(pw, _written(plant, pw), bare, Redactor().text(base_line)) == [], (line, bare)


# ---- end to end, in-process, through the real sinks ---------------------------------------------

SHOP = REPO / "examples" / "shop"
#: Run ids, timestamps and digests differ between two runs; they are no secret.
_VOLATILE = re.compile(
    r"[0-9a-f]{64}|\d{8}T\d{6}Z(?:-\d+)?|\d{4}-\d\d-\d\dT[\d:.]+Z?|\d+(?:\.\d+)? ?m?s\b"
)


def _prisma_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _project(folder: Path, text: str) -> Path:
    """A copy of the shop example with `text` planted in a doc comment, defaults, a view and a
    business file that imports the Prisma client (a Phase D finding that quotes its line)."""
    root = folder / "shop"
    shutil.copytree(SHOP, root, ignore=shutil.ignore_patterns(".ai", "*.db", "node_modules"))
    schema = root / "prisma" / "schema.prisma"
    body = schema.read_text(encoding="utf-8")
    planted = (
        f"\n/// Replica at {text}\nmodel Leak {{\n  id Int @id\n"
        f'  note String @default("{_prisma_string(text)}")\n'
        f'  dsn String @default(dbgenerated("{_prisma_string(text)}"))\n}}\n'
    )
    schema.write_text(body + planted, encoding="utf-8")
    view = root / "prisma" / "views" / "main" / "active_products.sql"
    view.write_text(view.read_text(encoding="utf-8") + f"\n-- copied from {text}\n", "utf-8")
    (root / "src" / "domain" / "leak.ts").write_text(
        f'import {{ PrismaClient }} from "@prisma/client"; const url = `{text}`;\n',
        encoding="utf-8",
    )
    return root


@contextlib.contextmanager
def _env(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            del os.environ[name]
        else:
            os.environ[name] = old


def _run(root: Path, *args: str) -> str:
    """Run `schemasync ARGS` in-process in the project folder; return stdout + stderr."""
    from schemasync.program import program

    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.chdir(root),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        contextlib.suppress(SystemExit),
    ):
        program.run(["schemasync", *args], exit=True)
    return out.getvalue() + "\n" + err.getvalue()


def _all_output(root: Path, printed: str) -> str:
    """What the run printed plus every file it wrote (the tree minus the inputs)."""
    texts = [printed]
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            rel = path.relative_to(root).as_posix()
            if rel.startswith((".ai/", "db/", "docs/context/")):
                texts.append(rel + "\n" + path.read_text(encoding="utf-8", errors="replace"))
    return _VOLATILE.sub("<v>", "\n".join(texts))


def _sync_output(text: str, env_value: str) -> str:
    with tempfile.TemporaryDirectory() as tmp, _env("DATABASE_URL", env_value):
        root = _project(Path(tmp), text)
        printed = _run(root, "sync")
        broken = root / "prisma" / "schema.prisma"
        # a parse error that quotes the offending token: the planted string
        broken.write_text(
            f'model Broken {{\n  id Int @id\n  "{_prisma_string(text)}"\n}}\n', encoding="utf-8"
        )
        printed += _run(root, "import-prisma")
        return _all_output(root, printed)


E2E = settings(FUZZ_SETTINGS, max_examples=max(8, EXAMPLES // 100))
#: The forms for the in-process sample (each run costs two `sync`s).
E2E_PLANTS = tuple(p for p in PLANTS if p.name in {
    "userinfo postgresql", "userinfo postgresql+asyncpg", "userinfo mssql", "userinfo jdbc:mysql",
    "userinfo encoded", "libpq", "sqlserver braces", "query raw", "PGPASSWORD",
    "variable holding only the password",
})  # fmt: skip


@E2E
@given(pw=PASSWORDS.filter(lambda p: len(p) >= MIN_SECRET), plant=st.sampled_from(E2E_PLANTS))
def test_fuzz_sync_prints_and_writes_no_password(pw: str, plant: Plant) -> None:
    """`sync` (mirror, context, evidence, stdout, stderr, Phase D lines) and a parse error, with
    the password in every input kind and in the URL variable: no run of it anywhere."""
    text, neutral = _plant_pair(plant, pw)
    out = _sync_output(text, text)
    base = _sync_output(neutral, neutral)
    assert "Traceback" not in out
    # the run reached every sink: the planted model in the mirror, the Phase D finding printed
    assert '"name": "Leak"' in base, base[:2000]
    assert "src/domain/leak.ts:1: " in base, base[:2000]
    assert "expected a field name (write `name Type`) but found string" in base, base[:2000]
    assert leaks(pw, _written(plant, pw), out, base) == [], text


def test_neutral_password_is_masked_too() -> None:
    """The baseline is masked like the password (else the comparison would excuse a leak)."""
    for plant in PLANTS:
        text, neutral = _plant_pair(plant, "p@ss w/rd#?'\"")
        assert NEUTRAL not in _env_redactor(neutral).text(neutral), plant.name
        assert MASK in _env_redactor(text).text(text), plant.name


def test_unicode_passwords_are_generated() -> None:
    """The strategy reaches beyond ASCII (a check of the test, not of schemasync)."""
    seen: list[str] = []

    @settings(max_examples=200, database=None, derandomize=True)
    @given(PASSWORDS)
    def collect(pw: str) -> None:
        seen.append(pw)

    collect()
    assert any(any(ord(c) > 0x7E for c in pw) for pw in seen)
    assert any(unicodedata.category(c).startswith("Z") or c == " " for pw in seen for c in pw)
