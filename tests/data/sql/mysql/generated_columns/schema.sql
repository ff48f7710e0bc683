CREATE TABLE order_lines (
  id int PRIMARY KEY,
  qty int NOT NULL,
  price decimal(10,2) NOT NULL,
  total decimal(12,2) AS (qty * price) STORED,
  label varchar(20) AS (concat('#', id)) VIRTUAL
);
