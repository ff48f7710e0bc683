CREATE TABLE orders (id int PRIMARY KEY, total decimal(12,2) NOT NULL, paid tinyint(1) NOT NULL DEFAULT 0);
CREATE VIEW paid_orders AS SELECT id, total FROM orders WHERE paid = 1;
CREATE VIEW `Order Totals` AS SELECT count(*) AS n, sum(total) AS `Sum` FROM orders;
