"""Build: the Prisma import's hot modules compiled with mypyc; pure Python when that cannot be done.

Everything else (metadata, dependencies, entry points) is in pyproject.toml. The modules below are
plain, strictly typed Python; mypyc turns them into C extensions (about 1.5x faster to parse and
import a schema). The same `.py` files are the fallback: set SCHEMASYNC_PURE_PYTHON=1 to skip the
compilation, and a machine without a C compiler gets the pure-Python package with a warning
instead of a failed install. Editable installs (`pip install -e .`) stay pure Python, so an edit
to a `.py` file is what runs (`schemasync --version` tells which one is installed).
"""

from __future__ import annotations

import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

COMPILED = [
    "schemasync/prisma/ast.py",
    "schemasync/prisma/import_context.py",
    "schemasync/prisma/lexer.py",
    "schemasync/prisma/parser.py",
    "schemasync/prisma/rules.py",
    "schemasync/prisma/to_model.py",
    "schemasync/trusted.py",
]


class _OptionalBuildExt(build_ext):
    """Build the compiled modules when a C compiler works; fall back to pure Python otherwise."""

    def run(self) -> None:
        if self.inplace:  # an editable install: keep running the .py files the developer edits
            self.extensions: list[object] = []
            return
        try:
            super().run()
        except Exception as err:  # no compiler, no headers: the .py files still work
            self._fallback(err)

    def build_extension(self, ext: object) -> None:
        try:
            super().build_extension(ext)
        except Exception as err:
            self._fallback(err)

    def _fallback(self, err: BaseException) -> None:
        print(
            f"schemasync: compiling the Prisma import failed ({err}); installing pure Python "
            "(the same behaviour, slower); set SCHEMASYNC_PURE_PYTHON=1 to skip the attempt",
            file=sys.stderr,
        )
        self.extensions = []


def _ext_modules() -> list[object]:
    if os.environ.get("SCHEMASYNC_PURE_PYTHON", "") not in ("", "0"):
        return []
    # Only a build compiles (a wheel, `build_ext`): not the metadata steps, an sdist or an
    # editable install, which would pay mypyc's type check (~15 s) for nothing.
    if not {"bdist_wheel", "build", "build_ext", "install"} & set(sys.argv[1:]):
        return []
    try:
        from mypyc.build import mypycify

        return list(mypycify(COMPILED, opt_level="3", debug_level="0", group_name="schemasync"))
    except (Exception, SystemExit) as err:  # no mypyc, or its type check failed
        print(
            f"schemasync: not compiling the Prisma import ({err!r}); pure Python", file=sys.stderr
        )
        return []


setup(ext_modules=_ext_modules(), cmdclass={"build_ext": _OptionalBuildExt})
