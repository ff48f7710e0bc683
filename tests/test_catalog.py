"""The answers `schemasync mcp` serves, as data (`catalog.py`): names in two schemas, bounds,
paths, enums, evidence sections; and every field of a model shows up without a table of them."""

from __future__ import annotations

import pytest

from schemasync.catalog import (
    MAX_ANSWER_CHARS,
    MAX_STRING_CHARS,
    QueryError,
    build_catalog,
    compact,
    describe_table,
    enum_values,
    evidence_section,
    join_path,
    list_tables,
    page,
    search,
)
from schemasync.errors import ConfigError
from schemasync.model import (
    Column,
    Enum,
    EnumValue,
    ForeignKey,
    Note,
    PrimaryKey,
    Schema,
    Source,
    Table,
    View,
)


def _col(name: str, type_: str = "Int", **kw: object) -> Column:
    return Column.model_validate({"name": name, "type": type_, "dbType": "integer", **kw})


def _fk(cols: str, schema: str, table: str, on_delete: str = "CASCADE") -> ForeignKey:
    return ForeignKey.model_validate(
        {
            "columns": [cols],
            "referencedColumns": ["id"],
            "referencedTable": table,
            "referencedSchema": schema,
            "onDelete": on_delete,
            "onUpdate": "NO ACTION",
            "name": f"{cols}_fkey",
        }
    )


def _two_schemas() -> Schema:
    """`sales.orders` -> `sales.customer` -> `crm.user`; a `user` in both schemas; an enum."""
    status = Enum.model_validate(
        {
            "name": "order_status",
            "schema": "sales",
            "prismaName": "OrderStatus",
            "values": [{"name": "NEW"}, {"name": "PAID"}],
        }
    )
    return Schema.model_validate(
        {
            "provider": "postgresql",
            "source": Source(kind="prisma", sha256="0" * 64),
            "enums": [status],
            "notes": [Note(object="sales.orders.status", message="a check is not captured")],
            "tables": [
                Table.model_validate(
                    {
                        "name": "orders",
                        "schema": "sales",
                        "prismaName": "Order",
                        "comment": "What a customer bought",
                        "primaryKey": PrimaryKey(columns=("id",)),
                        "columns": [
                            _col("id"),
                            _col("customer_id"),
                            _col("status", "OrderStatus", comment="where the order is"),
                        ],
                        "foreignKeys": [_fk("customer_id", "sales", "customer", "RESTRICT")],
                    }
                ),
                Table.model_validate(
                    {
                        "name": "customer",
                        "schema": "sales",
                        "columns": [_col("id"), _col("user_id")],
                        "foreignKeys": [_fk("user_id", "crm", "user")],
                    }
                ),
                Table.model_validate({"name": "user", "schema": "crm", "columns": [_col("id")]}),
                Table.model_validate({"name": "user", "schema": "sales", "columns": [_col("id")]}),
                Table.model_validate(
                    {"name": "lonely", "schema": "sales", "columns": [_col("id")]}
                ),
            ],
            "views": [
                View.model_validate(
                    {"name": "big", "schema": "sales", "definition": "SELECT " + "x, " * 5000}
                )
            ],
        }
    )


def test_names_resolve_by_schema_bare_model_and_case() -> None:
    catalog = build_catalog(_two_schemas())
    assert describe_table(catalog, "sales.orders")["object"] == "sales.orders"
    assert describe_table(catalog, "orders")["object"] == "sales.orders"
    assert describe_table(catalog, "Order")["object"] == "sales.orders"
    assert describe_table(catalog, "ORDERS")["object"] == "sales.orders"
    with pytest.raises(
        QueryError, match=r"table 'user' is in several schemas: crm.user, sales.user"
    ):
        describe_table(catalog, "user")
    with pytest.raises(QueryError, match=r"unknown table 'ordres'; did you mean 'orders'"):
        describe_table(catalog, "ordres")
    assert issubclass(QueryError, ConfigError)


def test_describe_shows_every_field_both_directions_and_notes() -> None:
    catalog = build_catalog(_two_schemas())
    orders = describe_table(catalog, "orders")
    assert orders["comment"] == "What a customer bought"
    assert orders["primaryKey"] == {"columns": ["id"]}
    assert orders["foreignKeys"][0]["onDelete"] == "RESTRICT"
    assert orders["notes"] == [
        {"message": "a check is not captured", "object": "sales.orders.status"}
    ]
    customer = describe_table(catalog, "customer")
    assert customer["referencedBy"] == [
        {
            "table": "sales.orders",
            "columns": ["customer_id"],
            "name": "customer_id_fkey",
            "referencedColumns": ["id"],
            "onDelete": "RESTRICT",
            "onUpdate": "NO ACTION",
        }
    ]
    # a field the model has is shown without being named here: every key of the dump
    dumped = _two_schemas().tables[1].model_dump(by_alias=True, exclude_none=True)
    assert set(dumped) <= set(orders) | {"foreignKeys", "indexes", "columns"}
    big = describe_table(catalog, "big")
    assert big["kind"] == "view"
    assert big["definition"].endswith(f"(cut: {len('SELECT ' + 'x, ' * 5000)} characters)")
    assert len(big["definition"]) < MAX_STRING_CHARS + 40


def test_join_path_walks_both_directions_and_says_when_there_is_none() -> None:
    catalog = build_catalog(_two_schemas())
    path = join_path(catalog, "crm.user", "orders")
    assert [s["join"] for s in path["steps"]] == [
        "crm.user.id = sales.customer.user_id",
        "sales.customer.id = sales.orders.customer_id",
    ]
    assert [s["direction"] for s in path["steps"]] == ["referenced by", "referenced by"]
    assert join_path(catalog, "orders", "orders")["hops"] == 0
    with pytest.raises(QueryError, match=r"no path .* between sales.lonely and sales.orders"):
        join_path(catalog, "lonely", "orders")


def test_enum_values_by_name_model_and_column() -> None:
    catalog = build_catalog(_two_schemas())
    for name in ("order_status", "sales.order_status", "OrderStatus", "orders.status"):
        assert [v["name"] for v in enum_values(catalog, name)["values"]] == ["NEW", "PAID"]
    with pytest.raises(QueryError, match=r"column 'orders\.id' is of type 'Int', not an enum"):
        enum_values(catalog, "orders.id")
    with pytest.raises(QueryError, match=r"did you mean 'sales\.orders\.status'"):
        enum_values(catalog, "orders.statuss")


def test_list_and_search_filter_and_page() -> None:
    catalog = build_catalog(_two_schemas())
    assert [t["name"] for t in list_tables(catalog, schema="crm")["tables"]] == ["crm.user"]
    assert [t["name"] for t in list_tables(catalog, pattern="*us*")["tables"]] == [
        "crm.user",
        "sales.customer",
        "sales.user",
    ]
    first = list_tables(catalog, limit=2)
    assert (len(first["tables"]), first["nextCursor"], first["total"]) == (2, "2", 6)
    hits = search(catalog, "where ORDER")["matches"]
    assert hits == [
        {
            "kind": "column",
            "matched": "comment",
            "object": "sales.orders.status",
            "text": "where the order is",
        }
    ]
    with pytest.raises(QueryError, match="give a word"):
        search(catalog, "  ")


def test_a_page_stays_in_its_budget_and_continues() -> None:
    items = [("rows", {"n": i, "text": "x" * 100}) for i in range(1000)]
    seen, cursor = [], None
    while True:
        answer = page({"head": 1}, items, cursor)
        assert len(compact(answer)) <= MAX_ANSWER_CHARS
        seen += [r["n"] for r in answer["rows"]]
        cursor = answer.get("nextCursor")
        if cursor is None:
            break
    assert seen == list(range(1000))
    huge = [("rows", "y" * (MAX_ANSWER_CHARS * 2))]
    assert page({}, huge, None)["rows"] == [huge[0][1]]  # one item always fits
    with pytest.raises(QueryError, match="past the end"):
        page({}, items, "5000")


def test_evidence_section() -> None:
    text = "# T\n\n## What ran\n\nx\n\n## Results\n\none\n\n- two\n\n## Checklist\n\n- [x] y\n"
    assert evidence_section(text) == ["one", "", "- two"]
    assert evidence_section(text, "Nope") == []


def test_column_models_round_trip_the_example_value() -> None:
    value = EnumValue(name="A")
    assert value.model_dump(by_alias=True, exclude_none=True) == {"name": "A"}
