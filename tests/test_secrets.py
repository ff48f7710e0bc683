"""No secret is ever written or printed (issue 5, item 1; SPEC §6).

Distinct secrets are planted everywhere one can hide: literal `url`, `directUrl` and
`shadowDatabaseUrl` in the schema, `///` doc comments holding URLs, `prisma.config.ts`, the
values of every environment variable db-ssot.json names, a PostgreSQL table and column comment,
the password of a live URL, and the error of a refused connection. Then every task runs through
the real CLI, and every byte it wrote (every new or changed file of the project) and printed
(stdout, stderr) is searched for every secret: zero occurrences.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from safety_project import CONFIG, MIRROR, SCHEMA, changes, run_cli, tree_bytes

from schemasync.errors import ExitCode

SECRETS = {
    "literal url": "S3cretLiteralUrl",
    "directUrl": "S3cretDirectUrl",
    "shadowDatabaseUrl": "S3cretShadowUrl",
    "model doc comment": "S3cretDocComment",
    "field doc comment": "S3cretFieldDoc",
    "default value": "S3cretDefault",
    "prisma.config.ts": "S3cretConfigTs",
    "env dev": "S3cretEnvDev",
    "env staging": "S3cretEnvStaging",
    "env prod": "S3cret%40EnvProd",  # percent-encoded '@': the decoded form must not leak either
    "refused connection": "S3cretRefused",
}

SCHEMA_TEXT = f"""\
datasource db {{
  provider          = "postgresql"
  url               = "postgresql://app:{SECRETS["literal url"]}@db.example.com:5432/shop"
  directUrl         = "postgresql://app:{SECRETS["directUrl"]}@db.example.com:5432/shop"
  shadowDatabaseUrl = "postgres://app:{SECRETS["shadowDatabaseUrl"]}@db.example.com/shadow"
}}

generator client {{
  provider = "prisma-client-js"
}}

/// Replica at postgresql://ro:{SECRETS["model doc comment"]}@replica.example.com/shop
model User {{
  id    Int    @id @default(autoincrement())
  /// copied from mysql://root:{SECRETS["field doc comment"]}@old.example.com/shop
  email String @unique
  note  String @default("sslmode=require&password={SECRETS["default value"]}")
}}
"""

CONFIG_TS = f"""\
import {{ defineConfig }} from "prisma/config";

export default defineConfig({{
  schema: "prisma/schema.prisma",
  datasource: {{ url: "postgresql://app:{SECRETS["prisma.config.ts"]}@db.example.com/shop" }},
}});
"""

ENV = {
    "DATABASE_URL": f"postgresql://app:{SECRETS['env dev']}@127.0.0.1:1/shop",
    "STAGING_DATABASE_URL": f"postgresql://app:{SECRETS['env staging']}@127.0.0.1:1/shop",
    "PROD_DATABASE_URL": f"postgresql://app:{SECRETS['env prod']}@127.0.0.1:1/shop",
    "REFUSED_URL": f"postgresql://app:{SECRETS['refused connection']}@127.0.0.1:1/shop",
}


def _forms(secret: str) -> set[str]:
    from urllib.parse import unquote

    return {secret, unquote(secret)}


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "secret-project"
    files = {
        CONFIG: (
            '{"mode": "database", "environments": {'
            '"dev": {"urlEnv": "DATABASE_URL"}, '
            '"staging": {"urlEnv": "STAGING_DATABASE_URL"}, '
            '"prod": {"urlEnv": "PROD_DATABASE_URL", "confirm": true}}}\n'
        ),
        SCHEMA: SCHEMA_TEXT,
        "prisma.config.ts": CONFIG_TS,
        "src/domain/user.ts": "export interface User { id: number; email: string }\n",
        "src/repositories/user-repository.ts": "export class UserRepository { model = 'User' }\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _leaks(text: str | bytes, where: str) -> list[str]:
    data = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return [
        f"{name} secret in {where}"
        for name, secret in SECRETS.items()
        for form in _forms(secret)
        if form in data
    ]


TASKS: list[tuple[str, ...]] = [
    ("mode-check",),
    ("pull-instructions",),
    ("import-prisma",),
    ("refresh-context",),
    ("check-layers",),
    ("verify",),
    ("sync",),
    ("sync", "--env", "staging"),
    ("sync", "--env", "prod", "--yes"),
    ("check",),
    ("init",),
    ("snapshot", "--prisma", SCHEMA),
    ("snapshot", "--prisma", SCHEMA, "--out", "snap/tables.json"),
    ("snapshot", "--url-env", "REFUSED_URL", "--timeout", "5"),
    ("snapshot", "--url-env", "DATABASE_URL", "--timeout", "5"),
]


def test_no_secret_in_anything_written_or_printed(tmp_path: Path) -> None:
    """Every task, every byte written or printed: zero occurrences of any planted secret."""
    project = _project(tmp_path)
    before = tree_bytes(project)
    leaks: list[str] = []
    outputs: dict[tuple[str, ...], subprocess.CompletedProcess[str]] = {}
    for args in TASKS:
        proc = run_cli(project, *args, env=ENV)
        outputs[args] = proc
        assert "Traceback" not in proc.stdout + proc.stderr, (args, proc.stderr)
        leaks += _leaks(proc.stdout, f"stdout of {' '.join(args)}")
        leaks += _leaks(proc.stderr, f"stderr of {' '.join(args)}")
    after = tree_bytes(project)
    written = changes(before, after)
    assert MIRROR in written, "the import ran (else nothing was tested)"
    for path in written:
        if path in after:
            leaks += _leaks(after[path], path)
    assert leaks == []
    # The refused connection failed as a database error, its URL shown redacted.
    refused = outputs[("snapshot", "--url-env", "REFUSED_URL", "--timeout", "5")]
    assert refused.returncode == int(ExitCode.DATABASE), refused.stderr
    assert "****" in refused.stderr or "REFUSED_URL" in refused.stderr


def test_literal_url_fails_check_and_verify_naming_file_and_line(tmp_path: Path) -> None:
    """A literal connection string: `check` and `verify` exit 1, naming file:line and the fix."""
    project = _project(tmp_path)
    assert run_cli(project, "sync", env=ENV).returncode == int(ExitCode.DRIFT)
    for task in ("check", "verify"):
        proc = run_cli(project, task, env=ENV)
        assert proc.returncode == int(ExitCode.DRIFT), proc.stderr
        for line, key in ((3, "url"), (4, "directUrl"), (5, "shadowDatabaseUrl")):
            assert f"{SCHEMA}:{line}:3: literal connection string in `{key}`" in proc.stderr
        assert 'env("' in proc.stderr
        assert "prisma.config.ts" in proc.stderr
        assert _leaks(proc.stderr, task) == []


def test_literal_url_warned_at_import(tmp_path: Path) -> None:
    """Phase B warns about each literal connection string with its file:line:col."""
    project = _project(tmp_path)
    proc = run_cli(project, "import-prisma", env=ENV)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for line, key in ((3, "url"), (4, "directUrl"), (5, "shadowDatabaseUrl")):
        assert f"warning: {SCHEMA}:{line}:3: literal connection string in `{key}`" in proc.stdout
    assert _leaks(proc.stdout, "import-prisma") == []


def test_env_url_schema_passes(tmp_path: Path) -> None:
    """The same project with `url = env("DATABASE_URL")`: no literal-URL finding."""
    project = _project(tmp_path)
    schema = project / SCHEMA
    text = schema.read_text(encoding="utf-8").splitlines(keepends=True)
    text[2] = '  url               = env("DATABASE_URL")\n'
    del text[3:5]
    schema.write_text("".join(text), encoding="utf-8")
    proc = run_cli(project, "sync", env=ENV)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "literal connection string in `" not in proc.stdout + proc.stderr


@pytest.mark.postgres
def test_no_secret_from_a_live_database(tmp_path: Path, pg_url: str) -> None:
    """A live PostgreSQL with secrets in table and column comments, reached through a URL with
    a password (trust auth ignores it): the snapshot holds neither."""
    import psycopg

    comment_secret, column_secret, url_secret = "S3cretPgTable", "S3cretPgColumn", "S3cretPgUrl"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE account (id int PRIMARY KEY, dsn text)")
        conn.execute(f"COMMENT ON TABLE account IS 'copy of postgresql://u:{comment_secret}@h/db'")
        conn.execute(f"COMMENT ON COLUMN account.dsn IS 'host=h user=u password={column_secret}'")
    parts = urlsplit(pg_url)
    netloc = f"{parts.username or 'postgres'}:{url_secret}@{parts.hostname}:{parts.port or 5432}"
    live_url = urlunsplit(parts._replace(netloc=netloc))
    project = _project(tmp_path)
    before = tree_bytes(project)
    env = {**ENV, "LIVE_URL": live_url}
    printed = run_cli(project, "snapshot", "--url-env", "LIVE_URL", env=env)
    written = run_cli(project, "snapshot", "--url-env", "LIVE_URL", "--out", "live.json", env=env)
    for proc in (printed, written):
        assert proc.returncode == 0, proc.stderr
    assert '"account"' in printed.stdout
    assert "copy of postgresql://u:****@h/db" in printed.stdout
    after = tree_bytes(project)
    blobs = [printed.stdout, printed.stderr, written.stdout, written.stderr]
    blobs += [after[p].decode() for p in changes(before, after) if p in after]
    for blob in blobs:
        for secret in (comment_secret, column_secret, url_secret):
            assert secret not in blob


# ---- the library pieces (pure) ---------------------------------------------------------------


def test_redact_value_masks_and_is_idempotent() -> None:
    """Model texts: URLs and secret parameters masked; plain text untouched; stable."""
    from schemasync.redact import redact_value

    assert redact_value(None) is None
    assert redact_value("customer e-mail, unique") == "customer e-mail, unique"
    once = redact_value("replica postgresql://ro:pw1234@h/db; sslpassword=abc123")
    assert once == "replica postgresql://ro:****@h/db; sslpassword=****"
    assert redact_value(once) == once


def test_env_secrets_reads_only_the_named_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """The values of the named variables give their passwords (raw and decoded); others none."""
    from schemasync.redact import env_secrets

    monkeypatch.setenv("NAMED_URL", "postgresql://u:p%40ssw0rd@h/db")
    monkeypatch.setenv("OTHER_URL", "postgresql://u:n0tNamed@h/db")
    found = env_secrets(["NAMED_URL", "UNSET_URL"])
    assert "p%40ssw0rd" in found
    assert "p@ssw0rd" in found
    assert not any("n0tNamed" in s for s in found)


def test_model_masks_comments_defaults_and_views() -> None:
    """Secrets never survive into a built model, so no mirror or context can hold them."""
    from schemasync.mirror import dump_mirror, load_mirror
    from schemasync.model import Column, LiteralDefault, Schema, Source, Table, View

    secret = "M0delSecret"
    url = f"mysql://root:{secret}@h/db"
    schema = Schema(
        provider="postgresql",
        source=Source(kind="prisma", sha256="0" * 64),
        tables=(
            Table(
                name="t",
                comment=url,
                columns=(
                    Column(
                        name="c",
                        type="String",
                        db_type="text",
                        comment=f"token={secret}",
                        default=LiteralDefault(value=url),
                    ),
                ),
            ),
        ),
        views=(View(name="v", definition=f"SELECT dblink('{url}')"),),
    )
    text = dump_mirror(schema)
    assert secret not in text
    assert dump_mirror(load_mirror(text)) == text


# ---- issue 11, item 1: pasted URLs, unknown shapes -------------------------------------------

HOSTILE = "Kx@9 Qz/#?:Ωv7Wj"


def _gram_leaks(text: str, secret: str = HOSTILE) -> list[str]:
    return [secret[i : i + 4] for i in range(len(secret) - 3) if secret[i : i + 4] in text]


@pytest.mark.parametrize(
    "pasted",
    [
        f"postgresql://app:{HOSTILE}@db.example.com/shop",
        f"mysql+pymysql://root:{HOSTILE}@h/db",
        f"host=db user=app password='{HOSTILE}' dbname=shop",
    ],
    ids=["url", "driver-scheme", "keyword-dsn"],
)
@pytest.mark.parametrize("task", ["check", "verify"])
def test_connection_string_pasted_into_env_is_a_literal(
    tmp_path: Path, pasted: str, task: str
) -> None:
    """`url = env("postgresql://u:p@h/db")` is a literal connection string, not a variable name:
    check and verify exit 1 with the finding at file:line:col (not exit 4, the code of a name
    that is no name), and the password is printed nowhere."""
    project = _project(tmp_path)
    schema = project / SCHEMA
    lines = schema.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = f'  url               = env("{pasted.replace(chr(34), chr(92) + chr(34))}")\n'
    del lines[3:5]
    schema.write_text("".join(lines), encoding="utf-8")
    (project / "prisma.config.ts").unlink()
    assert run_cli(project, "sync", env=ENV).returncode == int(ExitCode.DRIFT)  # the finding
    proc = run_cli(project, task, env=ENV)
    assert proc.returncode == int(ExitCode.DRIFT), proc.stdout + proc.stderr
    finding = f"{SCHEMA}:3:3: literal connection string in `url` (inside env(…)"
    assert finding in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert _gram_leaks(proc.stdout + proc.stderr) == []


@pytest.mark.parametrize(
    "value",
    [
        f"postgresql+asyncpg://app:{HOSTILE}@h/db",
        f"mssql://sa:{HOSTILE}@h:1433/db",
        f"host=h user=app password='{HOSTILE}' dbname=d",
        HOSTILE,  # a variable holding only the password
    ],
    ids=["asyncpg", "mssql", "keyword-dsn", "bare-password"],
)
def test_cannot_introspect_does_not_print_the_value(tmp_path: Path, value: str) -> None:
    """An unknown scheme, a keyword DSN or a bare password in the URL variable: exit 2, one
    line naming the variable and the schemes read, never the value."""
    project = _project(tmp_path)
    for args in (("snapshot", "--url-env", "ODD_URL"), ("drift",)):
        env = {**ENV, "ODD_URL": value, "DATABASE_URL": value}
        proc = run_cli(project, *args, env=env)
        out = proc.stdout + proc.stderr
        assert "Traceback" not in out
        assert _gram_leaks(out) == [], out
        if args[0] == "snapshot":
            assert proc.returncode == int(ExitCode.USAGE), out
            assert proc.stderr.count("\n") == 1, proc.stderr
            assert "ODD_URL: cannot introspect" in proc.stderr
            assert "value not shown" in proc.stderr
