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


# ---- the model mapping grows with the code (issue 12) ------------------------------------------

FILES = [
    ("src/repositories/orders.ts", "prisma.order.findMany()\n"),
    ("src/domain/order.ts", "export interface Order { id: number }\n"),
]


def test_unmapped_models_are_warnings_until_required() -> None:
    """The first repository file used to turn every other model into a failure at once."""
    optional = check_layers(FILES, BUSINESS, REPOS, ("Order", "User", "Invoice"))
    assert optional.unmapped_models == ("Invoice", "User")
    assert optional.mapping_warnings == ("Invoice", "User")
    assert optional.mapping_failures == ()
    assert optional.ok
    required = check_layers(
        FILES, BUSINESS, REPOS, ("Order", "User", "Invoice"), require_mapping=True
    )
    assert required.mapping_failures == ("Invoice", "User")
    assert required.mapping_warnings == ()
    assert not required.ok


def test_no_repository_layer_is_unchecked_unless_required() -> None:
    files = [("src/domain/order.ts", "export interface Order { id: number }\n")]
    unchecked = check_layers(files, BUSINESS, REPOS, ("Order",))
    assert not unchecked.mapping_checked
    assert (unchecked.mapping_warnings, unchecked.mapping_failures) == ((), ())
    required = check_layers(files, BUSINESS, REPOS, ("Order",), require_mapping=True)
    assert required.mapping_failures == ("Order",)


def test_exempt_models_and_a_stale_allow_list() -> None:
    report = check_layers(
        FILES,
        BUSINESS,
        REPOS,
        ("Order", "AuditLog", "Country"),
        require_mapping=True,
        exempt=("AuditLog", "Country", "Gone"),
    )
    assert report.ok
    assert report.exempt_models == ("AuditLog", "Country")
    assert report.unknown_exempt == ("Gone",)


def test_unscannable_layer_files_fail_whatever_the_mapping_rule() -> None:
    report = check_layers(
        FILES, BUSINESS, REPOS, ("Order",), unreadable=(("src/services/big.ts", "3.0 MB"),)
    )
    assert [str(f) for f in report.findings] == ["src/services/big.ts: cannot be scanned: 3.0 MB"]
    assert not report.ok


@pytest.mark.parametrize(
    ("path", "layer"),
    [
        ("src/domain/order.ts", "business"),
        ("apps/web/src/services/pay.ts", "business"),
        ("apps/api/src/domain/deep/order.py", "business"),
        ("packages/core/src/domain/order.ts", "business"),
        ("packages/db/src/repositories/orders.ts", "repositories"),
        ("apps/api/src/repositories/orders.ts", "repositories"),
        ("apps/api/test/domain/order.ts", None),
        ("apps/api/lib/src/domain/order.ts", None),
        ("node/packages/x/src/domain/a.ts", None),
    ],
)
def test_default_globs_cover_monorepos(path: str, layer: str | None) -> None:
    from schemasync.config import Layers

    layers = Layers()
    assert matches_any(path, layers.business) is (layer == "business")
    assert matches_any(path, layers.repositories) is (layer == "repositories")
