-- The example shop database (SQLite). This file is the committed recipe for the example's live
-- database: `invoke example-db` (or the first `invoke pull-example`) creates examples/shop/dev.db
-- from it. The database, not prisma/schema.prisma, is the source of truth.
PRAGMA foreign_keys = ON;

CREATE TABLE customers (
  id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  email       TEXT    NOT NULL,
  full_name   TEXT    NOT NULL,
  created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX customers_email_key ON customers (email);

CREATE TABLE addresses (
  id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  customer_id  INTEGER NOT NULL,
  line1        TEXT    NOT NULL,
  city         TEXT    NOT NULL,
  country      TEXT    NOT NULL DEFAULT 'NL',
  CONSTRAINT addresses_customer_id_fkey FOREIGN KEY (customer_id)
    REFERENCES customers (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX addresses_customer_id_idx ON addresses (customer_id);

CREATE TABLE categories (
  id    INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  name  TEXT    NOT NULL
);
CREATE UNIQUE INDEX categories_name_key ON categories (name);

CREATE TABLE products (
  id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  sku          TEXT    NOT NULL,
  title        TEXT    NOT NULL,
  price        DECIMAL NOT NULL,
  active       BOOLEAN NOT NULL DEFAULT true,
  description  TEXT
);
CREATE UNIQUE INDEX products_sku_key ON products (sku);

-- Implicit many-to-many in Prisma's convention: columns A/B, unique index _AB_unique, index _B_index.
CREATE TABLE _categoriesToproducts (
  A INTEGER NOT NULL,
  B INTEGER NOT NULL,
  CONSTRAINT _categoriesToproducts_A_fkey FOREIGN KEY (A) REFERENCES categories (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT _categoriesToproducts_B_fkey FOREIGN KEY (B) REFERENCES products (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX _categoriesToproducts_AB_unique ON _categoriesToproducts (A, B);
CREATE INDEX _categoriesToproducts_B_index ON _categoriesToproducts (B);

CREATE TABLE orders (
  id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  customer_id  INTEGER NOT NULL,
  status       TEXT    NOT NULL, -- the enum OrderStatus in prisma/schema.prisma (SQLite stores enums as TEXT)
  placed_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  note         TEXT,
  CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id)
    REFERENCES customers (id) ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);

-- Composite primary key (order_id, line_no).
CREATE TABLE order_lines (
  order_id    INTEGER NOT NULL,
  line_no     INTEGER NOT NULL,
  product_id  INTEGER NOT NULL,
  quantity    INTEGER NOT NULL DEFAULT 1,
  unit_price  DECIMAL NOT NULL,
  PRIMARY KEY (order_id, line_no),
  CONSTRAINT order_lines_order_id_fkey FOREIGN KEY (order_id)
    REFERENCES orders (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT order_lines_product_id_fkey FOREIGN KEY (product_id)
    REFERENCES products (id) ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX order_lines_product_id_idx ON order_lines (product_id);

CREATE VIEW active_products AS
  SELECT p.id AS id, p.sku AS sku, p.title AS title, p.price AS price
  FROM products p
  WHERE p.active = true;
