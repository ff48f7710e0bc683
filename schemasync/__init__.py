"""schemasync: mirrors of a database-SSOT schema, kept in the repository with an audit trail.

Importing the package is cheap on purpose: heavy modules (sqlglot, psycopg, pymysql, markdown-it)
are imported only where they are used, so the CLI starts fast.
"""

#: The one version source: pyproject.toml's version is this (setuptools reads it without importing
#: the package); the distribution is `schemasync-db`, the package and the command `schemasync`.
__version__ = "0.1.0"


def build() -> str:
    """Return how the Prisma import runs: "compiled" (C extensions built by mypyc, see
    setup.py) or "pure Python" (an editable install, SCHEMASYNC_PURE_PYTHON=1, no compiler).

    The behaviour is the same; the compiled import is ~1.5x faster.
    """
    from importlib.util import find_spec

    spec = find_spec("schemasync.prisma.parser")
    origin = spec.origin if spec is not None else None
    return "pure Python" if origin is None or origin.endswith(".py") else "compiled"
