"""Phase D's rules as pure functions over (path, text) pairs."""

from __future__ import annotations

import pytest

from schemasync.layers import check_layers, glob_regex, matches_any, scan_business_file

BUSINESS = ("src/domain/**", "src/services/**")
REPOS = ("src/repositories/**",)


@pytest.mark.parametrize(
    ("glob", "path", "expected"),
    [
        ("src/domain/**", "src/domain/a.ts", True),
        ("src/domain/**", "src/domain/deep/er/a.ts", True),
        ("src/domain/**", "src/domainx/a.ts", False),
        ("src/*/x.ts", "src/a/x.ts", True),
        ("src/*/x.ts", "src/a/b/x.ts", False),
        ("**/services/*.py", "app/services/a.py", True),
        ("**/services/*.py", "services/a.py", True),
        ("src/?.ts", "src/a.ts", True),
    ],
)
def test_globs(glob: str, path: str, expected: bool) -> None:
    assert bool(glob_regex(glob).fullmatch(path)) is expected


@pytest.mark.parametrize(
    ("line", "what"),
    [
        ('import { PrismaClient } from "@prisma/client";', "imports the Prisma client"),
        ("import type { User } from '@prisma/client/edge'", "imports the Prisma client"),
        ('const { PrismaClient } = require("@prisma/client")', "imports the Prisma client"),
        ('const m = await import("@prisma/client")', "imports the Prisma client"),
        ('import "@prisma/client";', "imports the Prisma client"),
        ('import { PrismaClient } from "../generated/prisma";', "imports the Prisma client"),
        ('import { PrismaClient } from "@/generated/prisma";', "imports the Prisma client"),
        ("export type W = Prisma.UserWhereInput;", "uses a Prisma type"),
    ],
)
def test_business_violations_in_typescript(line: str, what: str) -> None:
    text = f"// header\n{line}\n"
    found = scan_business_file("src/services/a.ts", text, ("src/generated/prisma",))
    assert [(f.line, f.what) for f in found] == [(2, what)]
    assert str(found[0]).startswith("src/services/a.ts:2: ")


@pytest.mark.parametrize(
    "line",
    [
        'import { z } from "zod";',
        'import { Order } from "../domain/order";',
        "// import { PrismaClient } from '@prisma/client'",
        " * uses Prisma.User in a doc comment",
        "const prismaLike = 1;",
    ],
)
def test_clean_typescript(line: str) -> None:
    assert scan_business_file("src/services/a.ts", line + "\n", ("src/generated/prisma",)) == ()


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        ("from prisma import Prisma", True),
        ("from prisma.models import User", True),
        ("import prisma", True),
        ("import prismatic", False),
        ("# from prisma import Prisma", False),
        ("from app.prisma_utils import x", False),
    ],
)
def test_python_imports(line: str, flagged: bool) -> None:
    assert bool(scan_business_file("src/domain/a.py", line + "\n", ())) is flagged


def test_check_layers_reports_findings_and_unmapped_models() -> None:
    files = [
        ("src/domain/order.ts", "export interface Order { id: number }\n"),
        ("src/services/pay.ts", 'import { Prisma } from "@prisma/client";\n'),
        ("src/repositories/orders.ts", "prisma.order.findMany()\n"),
        ("src/repositories/users.ts", "prisma.User.findMany()\n"),
        ("src/other/free.ts", 'import { PrismaClient } from "@prisma/client";\n'),
    ]
    report = check_layers(files, BUSINESS, REPOS, ("Order", "User", "Invoice"))
    assert [str(f) for f in report.findings] == [
        'src/services/pay.ts:1: imports the Prisma client: import { Prisma } from "@prisma/client";'
    ]
    assert report.unmapped_models == ("Invoice",)
    assert report.business_files == ("src/domain/order.ts", "src/services/pay.ts")
    assert not report.ok
    assert matches_any("src/repositories/orders.ts", REPOS)


def test_clean_project_is_ok() -> None:
    files = [("src/repositories/a.ts", "prisma.customers.findMany()\n")]
    assert check_layers(files, BUSINESS, REPOS, ("customers",)).ok
