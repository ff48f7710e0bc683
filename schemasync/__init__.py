"""schemasync: mirrors of a database-SSOT schema, kept in the repository with an audit trail.

Importing the package is cheap on purpose: heavy modules (sqlglot, psycopg, pymysql, markdown-it)
are imported only where they are used, so the CLI starts fast.
"""

__version__ = "0.1.0"
