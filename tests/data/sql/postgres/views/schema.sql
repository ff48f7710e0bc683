CREATE TABLE orders (id serial PRIMARY KEY, total numeric(12,2) NOT NULL, paid boolean NOT NULL DEFAULT false);
CREATE VIEW paid_orders AS SELECT id, total FROM orders WHERE paid;
COMMENT ON VIEW paid_orders IS 'orders that are paid';
CREATE VIEW "Order Totals" AS SELECT count(*) AS n, sum(total) AS "Sum" FROM orders;
CREATE MATERIALIZED VIEW order_stats AS SELECT paid, count(*) AS n FROM orders GROUP BY paid;
