-- A realistic shop on SQLite, written by hand: its foreign keys have no name, and what Prisma's
-- schema language cannot carry is everywhere (checks, partial and expression indexes, generated
-- columns, deferrable foreign keys, a view).
CREATE TABLE customers (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  email       TEXT NOT NULL,
  full_name   TEXT NOT NULL,
  created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  deleted_at  DATETIME,
  CONSTRAINT customers_email_check CHECK (instr(email, '@') > 1)
);
CREATE UNIQUE INDEX customers_email_live_key ON customers (lower(email)) WHERE deleted_at IS NULL;

CREATE TABLE addresses (
  id           INTEGER PRIMARY KEY,
  customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  line1        TEXT NOT NULL,
  city         TEXT NOT NULL,
  country      TEXT NOT NULL CHECK (length(country) = 2)
);
CREATE INDEX addresses_customer_id_idx ON addresses (customer_id);

CREATE TABLE categories (
  id         INTEGER PRIMARY KEY,
  parent_id  INTEGER REFERENCES categories (id) DEFERRABLE INITIALLY DEFERRED,
  name       TEXT NOT NULL
);
CREATE UNIQUE INDEX categories_name_key ON categories (name);

CREATE TABLE products (
  id           INTEGER PRIMARY KEY,
  sku          TEXT NOT NULL,
  name         TEXT NOT NULL,
  price_cents  INTEGER NOT NULL,
  vat_cents    INTEGER GENERATED ALWAYS AS (price_cents / 5) STORED,
  category_id  INTEGER REFERENCES categories (id),
  archived     BOOLEAN NOT NULL DEFAULT false,
  CONSTRAINT products_price_check CHECK (price_cents >= 0)
);
CREATE UNIQUE INDEX products_sku_key ON products (sku);
CREATE INDEX products_active_idx ON products (category_id) WHERE NOT archived;

CREATE TABLE orders (
  id           INTEGER PRIMARY KEY,
  customer_id  INTEGER NOT NULL REFERENCES customers (id),
  status       TEXT NOT NULL DEFAULT 'pending',
  total_cents  INTEGER NOT NULL DEFAULT 0,
  placed_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT orders_status_check CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled')),
  CONSTRAINT orders_total_check CHECK (total_cents >= 0)
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX orders_open_idx ON orders (placed_at) WHERE status IN ('pending', 'paid');

CREATE TABLE order_lines (
  order_id     INTEGER NOT NULL,
  line_no      INTEGER NOT NULL,
  product_id   INTEGER NOT NULL REFERENCES products (id),
  quantity     INTEGER NOT NULL DEFAULT 1,
  unit_cents   INTEGER NOT NULL,
  line_cents   INTEGER GENERATED ALWAYS AS (quantity * unit_cents) VIRTUAL,
  PRIMARY KEY (order_id, line_no),
  FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
  CONSTRAINT order_lines_quantity_check CHECK (quantity > 0)
);

CREATE TABLE payments (
  id          TEXT PRIMARY KEY NOT NULL,
  order_id    INTEGER NOT NULL REFERENCES orders (id),
  amount      DECIMAL NOT NULL,
  method      TEXT NOT NULL DEFAULT 'card',
  paid_at     DATETIME
);
CREATE INDEX payments_unpaid_idx ON payments (order_id) WHERE paid_at IS NULL;

CREATE TABLE shipments (
  id           INTEGER PRIMARY KEY,
  order_id     INTEGER NOT NULL REFERENCES orders (id),
  carrier      TEXT NOT NULL,
  tracking     TEXT,
  shipped_at   DATETIME
);
CREATE INDEX shipments_tracking_idx ON shipments (upper(tracking));

CREATE TABLE reviews (
  id           INTEGER PRIMARY KEY,
  product_id   INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  customer_id  INTEGER NOT NULL REFERENCES customers (id),
  rating       INTEGER NOT NULL,
  body         TEXT,
  CONSTRAINT reviews_rating_check CHECK (rating BETWEEN 1 AND 5)
);
CREATE UNIQUE INDEX reviews_product_customer_key ON reviews (product_id, customer_id);

CREATE TABLE coupons (
  code         TEXT PRIMARY KEY NOT NULL,
  percent_off  INTEGER NOT NULL,
  valid_until  DATETIME,
  CONSTRAINT coupons_percent_check CHECK (percent_off > 0 AND percent_off <= 100)
);

CREATE TABLE order_coupons (
  order_id     INTEGER NOT NULL REFERENCES orders (id),
  coupon_code  TEXT NOT NULL REFERENCES coupons (code),
  PRIMARY KEY (order_id, coupon_code)
);

CREATE TABLE warehouses (
  id    INTEGER PRIMARY KEY,
  name  TEXT NOT NULL,
  city  TEXT NOT NULL
);

CREATE TABLE stock (
  warehouse_id  INTEGER NOT NULL REFERENCES warehouses (id),
  product_id    INTEGER NOT NULL REFERENCES products (id),
  on_hand       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (warehouse_id, product_id),
  CHECK (on_hand >= 0)
);
CREATE INDEX stock_low_idx ON stock (product_id) WHERE on_hand < 5;

CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  happened_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX events_actor_day_idx ON events (actor, date(happened_at));

CREATE VIEW open_orders AS
  SELECT o.id AS id, o.customer_id AS customer_id, o.total_cents AS total_cents
  FROM orders o WHERE o.status IN ('pending', 'paid');
