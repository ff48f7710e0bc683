"""Generate a synthetic, realistic Prisma schema with N models, deterministically.

usage: python bench/gen_schema.py N OUT.prisma [--provider postgresql|sqlite|mysql]

The mix follows what real schemas (the shared corpus) use: snake_case tables and columns through
`@@map`/`@map`, `///` doc comments, `cuid()`/`uuid()`/`autoincrement()` ids, enums with mapped
values, `@db.*` native types, optional and required one-to-many relations with referential
actions, one-to-one relations, an occasional implicit many-to-many, composite primary keys on
join models, `@unique`, `@@unique`, `@@index` with sort orders, `@updatedAt`, lists (PostgreSQL)
and `Json`. The same N gives byte-identical output (seeded `random.Random`).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

N_ENUMS_PER_100 = 4


def _snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i:
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


def generate(n: int, provider: str = "postgresql") -> str:
    """Return the text of a valid Prisma schema with `n` models for `provider`."""
    rng = random.Random(n * 7919 + len(provider))
    pg = provider == "postgresql"
    mysql = provider == "mysql"
    parts = [
        "// Synthetic benchmark schema (bench/gen_schema.py); not a real application.\n",
        'generator client {\n  provider   = "prisma-client-js"\n  engineType = "client"\n}\n',
        f'datasource db {{\n  provider = "{provider}"\n  url      = env("DATABASE_URL")\n}}\n',
    ]
    n_enums = max(2, n * N_ENUMS_PER_100 // 100) if provider != "sqlite" else 0
    enums = []
    for e in range(n_enums):
        name = f"Kind{e}"
        values = [f"K{e}V{v}" for v in range(rng.randint(3, 7))]
        body = "".join(
            f'  {v} @map("{v.lower()}")\n' if i % 3 == 0 else f"  {v}\n"
            for i, v in enumerate(values)
        )
        parts.append(f'enum {name} {{\n{body}\n  @@map("{_snake(name)}")\n}}\n')
        enums.append((name, values))

    names = [f"Entity{i}" for i in range(n)]
    id_types: dict[int, tuple[str, str]] = {}  # model -> (id scalar, its @db.* or "")
    models: list[tuple[str, list[str], list[str]]] = []
    extra: dict[int, list[str]] = {i: [] for i in range(n)}
    m2m_done: set[int] = set()
    for i in range(n):
        lines: list[str] = []
        name = names[i]
        table = _snake(name)
        id_kind = rng.choice(("int", "cuid", "uuid", "int"))
        if id_kind == "int":
            lines.append("  id          Int      @id @default(autoincrement())")
            id_type = ("Int", "")
        elif id_kind == "cuid":
            lines.append("  id          String   @id @default(cuid())")
            id_type = ("String", "")
        else:
            native = " @db.Uuid" if pg else ""
            lines.append(f"  id          String   @id @default(uuid()){native}")
            # A foreign key column must have the referenced column's database type (uuid).
            # A foreign key column needs the referenced column's database type (uuid).
            id_type = ("String", native)
        lines.append(
            "  slug        String   @unique @db.VarChar(120)"
            if provider != "sqlite"
            else "  slug        String   @unique"
        )
        lines.append("  /// Display name shown in the UI")
        lines.append("  title       String")
        lines.append('  description String?  @map("description_text")')
        for k in range(rng.randint(2, 8)):
            kind = rng.choice(("Int", "Boolean", "Float", "DateTime", "Decimal", "String", "Json"))
            opt = "?" if rng.random() < 0.4 else ""
            col = f"attr{k}"
            mapped = f' @map("attr_{k}_{kind.lower()}")'
            default = ""
            if not opt:
                default = {
                    "Int": " @default(0)",
                    "Boolean": " @default(false)",
                    "Float": " @default(1.5)",
                    "DateTime": " @default(now())",
                    "Decimal": "",
                    "String": ' @default("")',
                    "Json": "",
                }[kind]
            native = ""
            if kind == "Decimal" and provider != "sqlite":
                native = " @db.Decimal(12, 2)"
            if kind == "Json" and provider == "sqlite":
                kind = "String"
            lines.append(f"  {col:<11} {kind}{opt}{default}{native}{mapped}")
        if enums:
            ename, values = enums[i % len(enums)]
            lines.append(f'  kind        {ename}  @default({values[0]}) @map("kind")')
        if pg and rng.random() < 0.3:
            lines.append("  tags        String[]")
        lines.append('  createdAt   DateTime @default(now()) @map("created_at")')
        lines.append('  updatedAt   DateTime @updatedAt @map("updated_at")')
        block_attrs = [f'  @@map("{table}")']
        if i > 0:
            parent = rng.randrange(0, i)
            pname = names[parent]
            required = rng.random() < 0.5
            q = "" if required else "?"
            action = rng.choice(("", ", onDelete: Cascade", ", onDelete: SetNull", ""))
            if required and action == ", onDelete: SetNull":
                action = ", onDelete: Restrict"
            ptype, pnative = id_types[parent]
            lines.append(f'  parentId    {ptype}{q} @map("parent_id"){pnative}')
            lines.append(
                f'  parent      {pname}{q} @relation("{name}Parent", fields: [parentId], '
                f"references: [id]{action})"
            )
            extra[parent].append(f'  {_lower(name)}Children {name}[] @relation("{name}Parent")')
            block_attrs.append("  @@index([parentId])")
            if rng.random() < 0.15:
                other = rng.randrange(0, i)
                oname = names[other]
                otype, onative = id_types[other]
                lines.append(f'  ownerId     {otype}? @unique @map("owner_id"){onative}')
                lines.append(
                    f'  owner       {oname}? @relation("{name}Owner", fields: [ownerId], '
                    "references: [id])"
                )
                extra[other].append(f'  {_lower(name)}Owned {name}? @relation("{name}Owner")')
            if provider != "mongodb" and rng.random() < 0.05 and parent not in m2m_done:
                m2m_done.add(parent)
                lines.append(f'  peers{parent}    {pname}[] @relation("{name}Peers")')
                extra[parent].append(f'  {_lower(name)}Peers {name}[] @relation("{name}Peers")')
        id_types[i] = id_type
        block_attrs.append("  @@unique([title, createdAt])")
        block_attrs.append(
            '  @@index([createdAt(sort: Desc), slug], map: "' + f'{table}_recent_idx")'
        )
        models.append((name, lines, block_attrs))
    for i, (name, lines, block_attrs) in enumerate(models):
        body = "".join(f"{x}\n" for x in (*lines, *extra[i]))
        attrs = "".join(f"{x}\n" for x in block_attrs)
        parts.append(
            f"/// {name}: synthetic model {i} of {n}.\nmodel {name} {{\n{body}\n{attrs}}}\n"
        )
    text = "\n".join(parts)
    if mysql:
        text = text.replace("@db.Uuid", "")
    return text


def _lower(name: str) -> str:
    return name[0].lower() + name[1:]


def main(argv: list[str] | None = None) -> int:
    """Write the schema file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument(
        "--provider", default="postgresql", choices=("postgresql", "sqlite", "mysql")
    )
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(generate(args.n, args.provider), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
