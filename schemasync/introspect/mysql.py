"""MariaDB/MySQL introspection: `information_schema` -> `Schema`, in a READ ONLY transaction.

Six set-based queries over the connected database (`DATABASE()`), whatever its number of tables.
MariaDB and MySQL 8 spell column defaults differently (MariaDB quotes string literals and says
`NULL`; MySQL 8 does not quote and marks expressions `DEFAULT_GENERATED`); both are handled here.
Never writes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from schemasync import model
from schemasync.errors import DatabaseError
from schemasync.introspect._common import EXCLUDED_TABLES, CatalogDefault, CatalogDefaults, assemble

TABLES_SQL = """
SELECT TABLE_NAME, TABLE_TYPE, TABLE_COMMENT, CREATE_OPTIONS
FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()
ORDER BY TABLE_NAME
"""

COLUMNS_SQL = """
SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE, DATA_TYPE,
       COLUMN_TYPE, EXTRA, COLUMN_COMMENT, GENERATION_EXPRESSION
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
ORDER BY TABLE_NAME, ORDINAL_POSITION
"""

STATISTICS_SQL = """
SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, COLLATION, SUB_PART,
       INDEX_TYPE
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX
"""

FKS_SQL = """
SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA,
       k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.DELETE_RULE, r.UPDATE_RULE
FROM information_schema.KEY_COLUMN_USAGE k
LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS r
  ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
 AND r.TABLE_NAME = k.TABLE_NAME
WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION
"""

VIEWS_SQL = """
SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS
WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME
"""

CHECKS_SQL = """
SELECT t.TABLE_NAME, t.CONSTRAINT_NAME, c.CHECK_CLAUSE
FROM information_schema.TABLE_CONSTRAINTS t
JOIN information_schema.CHECK_CONSTRAINTS c
  ON c.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME
WHERE t.TABLE_SCHEMA = DATABASE() AND t.CONSTRAINT_TYPE = 'CHECK'
ORDER BY t.TABLE_NAME, t.CONSTRAINT_NAME
"""

# MariaDB's CHECK_CONSTRAINTS names the table and is visible to a SELECT-only user (its
# TABLE_CONSTRAINTS is not); MySQL 8's has no TABLE_NAME, hence the join above.
CHECKS_SQL_MARIADB = """
SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME
"""

QUERIES: tuple[str, ...] = (
    TABLES_SQL,
    COLUMNS_SQL,
    STATISTICS_SQL,
    FKS_SQL,
    VIEWS_SQL,
    CHECKS_SQL,
)

#: DATA_TYPE -> Prisma scalar (Prisma's MySQL introspection mapping); tinyint(1) is Boolean.
SCALARS: dict[str, str] = {
    "tinyint": "Int",
    "smallint": "Int",
    "mediumint": "Int",
    "int": "Int",
    "year": "Int",
    "bigint": "BigInt",
    "float": "Float",
    "double": "Float",
    "decimal": "Decimal",
    "char": "String",
    "varchar": "String",
    "tinytext": "String",
    "text": "String",
    "mediumtext": "String",
    "longtext": "String",
    "date": "DateTime",
    "datetime": "DateTime",
    "timestamp": "DateTime",
    "time": "DateTime",
    "json": "Json",
    "binary": "Bytes",
    "varbinary": "Bytes",
    "tinyblob": "Bytes",
    "blob": "Bytes",
    "mediumblob": "Bytes",
    "longblob": "Bytes",
    "bit": "Bytes",
}

_INT_WIDTH = re.compile(r"^(tinyint|smallint|mediumint|int|bigint|year)\(\d+\)")
_ENUM_VALUE = re.compile(r"'((?:[^']|'')*)'")


def db_type_name(column_type: str) -> str:
    """Return the mirror's spelling of a MySQL column type.

    Lower case as `COLUMN_TYPE` has it, without integer display widths (MariaDB's `int(11)` is
    MySQL 8's `int`), except `tinyint(1)`, which is how Prisma's `Boolean` is stored.
    """
    text = " ".join(column_type.split())
    head, paren, rest = text.partition("(")
    if head.lower() in ("enum", "set"):  # the values keep their case
        return head.lower() + paren + rest
    text = text.lower()
    if text.startswith("tinyint(1)"):
        return text
    return _INT_WIDTH.sub(r"\1", text)


def prisma_scalar(data_type: str, db_type: str, enum_name: str) -> str:
    """Return the Prisma scalar, enum name or `Unsupported` (dbType says which) of a column."""
    if data_type == "enum":
        return enum_name
    if db_type.startswith("tinyint(1)") or db_type == "bit(1)":
        return "Boolean"
    return SCALARS.get(data_type, "Unsupported")


def enum_values(column_type: str) -> tuple[str, ...]:
    """Return the values of an `enum('A','B')` column type, in order."""
    inner = column_type[column_type.index("(") + 1 : column_type.rindex(")")]
    return tuple(m.group(1).replace("''", "'") for m in _ENUM_VALUE.finditer(inner))


def mysql_default(
    raw: str | None, extra: str, mariadb: bool, defaults: CatalogDefaults
) -> CatalogDefault:
    """Normalize `COLUMN_DEFAULT` (MariaDB: SQL text; MySQL 8: raw value unless generated)."""
    if raw is None:
        return CatalogDefault(None)
    if mariadb:
        if raw == "NULL":
            return CatalogDefault(None)
        return defaults(raw)
    if "DEFAULT_GENERATED" in extra.upper():
        return defaults(raw)
    from schemasync.model import LiteralDefault

    return CatalogDefault(LiteralDefault(value=raw))


def introspect_mysql(conn: Any, *, rich: bool = False) -> model.Schema:
    """Return the shape of the MariaDB/MySQL database behind `conn` (a PyMySQL connection).

    `rich` also fills the facts a Prisma schema cannot carry, from the rows the same queries
    read: check constraints (name and clause) and generated columns (their expression) go into
    the mirror instead of notes. Comments and defaults are read either way, as the database
    spells them."""
    results: list[tuple[tuple[Any, ...], ...]] = []
    with conn.cursor() as cur:
        cur.execute("SELECT VERSION(), DATABASE()")
        version, database = cur.fetchone()
        mariadb = "mariadb" in str(version).lower()
        defaults = CatalogDefaults("mysql")
        for query in QUERIES:
            cur.execute(CHECKS_SQL_MARIADB if mariadb and query is CHECKS_SQL else query)
            results.append(tuple(cur.fetchall()))
    table_rows, col_rows, stat_rows, fk_rows, view_rows, check_rows = results

    # MariaDB's JSON is LONGTEXT plus CHECK (json_valid(`col`)) named after the column: that is a
    # `json` column (as Prisma reads it), not a longtext with a check constraint
    json_checks = {
        (rel, cname)
        for rel, cname, clause in check_rows
        if " ".join(str(clause).split()) == f"json_valid(`{cname}`)"
    }
    notes: list[model.Note] = []
    columns: dict[str, list[model.Column]] = defaultdict(list)
    enums: list[model.Enum] = []
    for (
        rel, name, _pos, raw_default, is_nullable, data_type, column_type, extra, comment, gen,
    ) in col_rows:  # fmt: skip
        data_type = str(data_type).lower()
        db_type = db_type_name(str(column_type))
        if data_type == "longtext" and (rel, name) in json_checks:
            data_type = db_type = "json"
        nullable = is_nullable == "YES"
        enum_name = f"{rel}_{name}"
        if data_type == "enum":
            enums.append(
                model.Enum(
                    name=enum_name,
                    values=tuple(model.EnumValue(name=v) for v in enum_values(str(column_type))),
                )
            )
        if gen and not rich:
            notes.append(
                model.Note(
                    object=f"{rel}.{name}",
                    message=f"generated column: AS ({gen}); Prisma cannot represent it",
                )
            )
        if gen:
            cleaned = CatalogDefault(None)
        else:
            cleaned = mysql_default(raw_default, str(extra or ""), mariadb, defaults)
            notes.extend(cleaned.notes_for(f"{rel}.{name}"))
        columns[rel].append(
            model.Column(
                name=name,
                type=prisma_scalar(data_type, db_type, enum_name),
                db_type=db_type,
                nullable=nullable,
                autoincrement="auto_increment" in str(extra or "").lower(),
                default=cleaned.default,
                comment=comment or None,
                generated=" ".join(str(gen).split()) if gen and rich else None,
            )
        )

    pks: dict[str, list[str]] = defaultdict(list)
    idx: dict[str, dict[str, tuple[bool, str, list[model.IndexColumn]]]] = defaultdict(dict)
    for rel, iname, non_unique, _seq, cname, collation, sub_part, itype in stat_rows:
        if iname == "PRIMARY":
            pks[rel].append(cname)
            continue
        entry = idx[rel].setdefault(iname, (not int(non_unique), str(itype), []))
        if cname is None:
            entry[2].append(
                model.IndexColumn(name="")
            )  # an expression part (MySQL 8 functional index)
            continue
        entry[2].append(
            model.IndexColumn(
                name=cname,
                sort="desc" if collation == "D" else None,
                length=int(sub_part) if sub_part is not None else None,
            )
        )

    fk_parts: dict[str, dict[str, list[Any]]] = defaultdict(dict)
    for rel, cname, col, _rschema, rtable, rcol, delete_rule, update_rule in fk_rows:
        if delete_rule is None:
            # MariaDB hides REFERENTIAL_CONSTRAINTS from a user with only SELECT on the table
            raise DatabaseError(
                f"missing privilege: cannot read the referential actions of foreign key {cname} "
                f"on {rel}; grant the read-only user REFERENCES as well as SELECT "
                "(GRANT SELECT, REFERENCES ON <db>.* TO <user>); neither allows writing"
            )
        part = fk_parts[rel].setdefault(cname, [rtable, [], [], delete_rule, update_rule])
        part[1].append(col)
        part[2].append(rcol)

    checks: dict[str, list[model.Check]] = defaultdict(list)
    for rel, cname, clause in check_rows:
        if (rel, cname) in json_checks:
            continue
        if rich:
            checks[rel].append(model.Check(name=cname, expression=" ".join(str(clause).split())))
            continue
        notes.append(
            model.Note(
                object=rel,
                message=f"check constraint {cname}: CHECK ({clause}); Prisma cannot represent "
                "check constraints",
            )
        )

    # MariaDB qualifies every name with the database (`shop`.`orders`): drop it, so the mirror
    # does not depend on what the database is called
    qualifier = f"`{database}`."
    view_defs = {name: (definition or "").replace(qualifier, "") for name, definition in view_rows}
    tables: list[model.Table] = []
    views: list[model.View] = []
    for rel, ttype, comment, options in table_rows:
        if ttype == "VIEW":
            views.append(
                model.View(
                    name=rel,
                    columns=tuple(columns[rel]),
                    definition=(view_defs.get(rel) or "").strip() or None,
                )
            )
            continue
        if rel in EXCLUDED_TABLES:
            continue
        if "partitioned" in str(options or "").lower():
            notes.append(
                model.Note(object=rel, message="partitioned table: Prisma cannot represent it")
            )
        indexes = []
        for iname, (unique, itype, icols) in idx[rel].items():
            if any(not c.name for c in icols):
                notes.append(
                    model.Note(
                        object=rel,
                        message=f"expression index {iname}: Prisma cannot represent it",
                    )
                )
                continue
            indexes.append(
                model.Index(
                    name=iname,
                    unique=unique,
                    type=None if itype.upper() == "BTREE" else itype.lower(),
                    columns=tuple(icols),
                )
            )
        tables.append(
            model.Table(
                name=rel,
                comment=comment or None,
                columns=tuple(columns[rel]),
                primary_key=model.PrimaryKey(name=None, columns=tuple(pks[rel]))
                if pks[rel]
                else None,
                indexes=tuple(indexes),
                checks=tuple(checks[rel]),
                foreign_keys=tuple(
                    model.ForeignKey(
                        name=fname,
                        columns=tuple(src),
                        referenced_table=rtable,
                        referenced_columns=tuple(dst),
                        on_delete=_action(delete_rule),
                        on_update=_action(update_rule),
                    )
                    for fname, (rtable, src, dst, delete_rule, update_rule) in fk_parts[rel].items()
                ),
            )
        )
    return assemble("mysql", tables, views, notes, enums)


def _action(word: str) -> model.Action:
    upper = str(word).upper()
    if upper in ("CASCADE", "RESTRICT", "NO ACTION", "SET NULL", "SET DEFAULT"):
        return upper  # type: ignore[return-value]
    return "NO ACTION"


def connect(url: str, timeout: float) -> Any:
    """Open a PyMySQL connection to `url` and start a READ ONLY transaction."""
    from urllib.parse import unquote, urlsplit

    import pymysql  # type: ignore[import-untyped]

    parts = urlsplit(url)
    database = unquote(parts.path.lstrip("/"))
    conn = pymysql.connect(
        host=parts.hostname or "localhost",
        port=parts.port or 3306,
        user=unquote(parts.username or "root"),
        password=unquote(parts.password or ""),
        database=database or None,
        connect_timeout=max(1, round(timeout)),
        read_timeout=max(1, round(timeout)),
        write_timeout=max(1, round(timeout)),
        charset="utf8mb4",
        autocommit=True,
    )
    if not database:
        conn.close()
        raise DatabaseError("the MySQL URL names no database; add it as the path (mysql://h/db)")
    with conn.cursor() as cur:
        cur.execute("START TRANSACTION READ ONLY")
    return conn
