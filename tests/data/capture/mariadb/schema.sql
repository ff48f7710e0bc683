-- A realistic shop on MariaDB, written by hand: comments, checks, generated columns and a view
-- that Prisma's schema language cannot carry. Every foreign key column has its own index (else
-- MariaDB adds one named after the key).
CREATE TABLE customers (
  id          INT NOT NULL AUTO_INCREMENT,
  email       VARCHAR(191) NOT NULL,
  full_name   VARCHAR(120) NOT NULL,
  created_at  DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY customers_email_key (email),
  CONSTRAINT customers_email_check CHECK (email LIKE '%@%')
) COMMENT 'People who bought at least once';

CREATE TABLE addresses (
  id           INT NOT NULL AUTO_INCREMENT,
  customer_id  INT NOT NULL,
  line1        VARCHAR(200) NOT NULL,
  city         VARCHAR(100) NOT NULL,
  country      CHAR(2) NOT NULL COMMENT 'ISO 3166-1 alpha-2',
  PRIMARY KEY (id),
  INDEX addresses_customer_id_idx (customer_id),
  CONSTRAINT addresses_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id)
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT addresses_country_check CHECK (country = upper(country))
);

CREATE TABLE categories (
  id         INT NOT NULL AUTO_INCREMENT,
  parent_id  INT NULL,
  name       VARCHAR(120) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY categories_name_key (name),
  INDEX categories_parent_id_idx (parent_id),
  CONSTRAINT categories_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES categories (id)
    ON DELETE SET NULL ON UPDATE CASCADE
);

CREATE TABLE products (
  id           INT NOT NULL AUTO_INCREMENT,
  sku          VARCHAR(40) NOT NULL,
  name         VARCHAR(200) NOT NULL,
  price_cents  INT NOT NULL,
  vat_cents    INT AS (price_cents DIV 5) PERSISTENT COMMENT 'derived: 20 % of the price',
  category_id  INT NULL,
  archived     TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY products_sku_key (sku),
  INDEX products_category_id_idx (category_id),
  CONSTRAINT products_category_id_fkey FOREIGN KEY (category_id) REFERENCES categories (id)
    ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT products_price_check CHECK (price_cents >= 0)
);

CREATE TABLE orders (
  id           INT NOT NULL AUTO_INCREMENT,
  customer_id  INT NOT NULL,
  status       ENUM('pending', 'paid', 'shipped', 'cancelled') NOT NULL DEFAULT 'pending',
  total_cents  INT NOT NULL DEFAULT 0 COMMENT 'total is denormalized from order_lines',
  placed_at    DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  INDEX orders_customer_id_idx (customer_id),
  INDEX orders_placed_at_idx (placed_at),
  CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id)
    ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT orders_total_check CHECK (total_cents >= 0)
);

CREATE TABLE order_lines (
  order_id     INT NOT NULL,
  line_no      INT NOT NULL,
  product_id   INT NOT NULL,
  quantity     INT NOT NULL DEFAULT 1,
  unit_cents   INT NOT NULL,
  line_cents   INT AS (quantity * unit_cents) VIRTUAL,
  PRIMARY KEY (order_id, line_no),
  INDEX order_lines_product_id_idx (product_id),
  CONSTRAINT order_lines_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id)
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT order_lines_product_id_fkey FOREIGN KEY (product_id) REFERENCES products (id)
    ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT order_lines_quantity_check CHECK (quantity > 0)
);

CREATE TABLE payments (
  id        VARCHAR(36) NOT NULL,
  order_id  INT NOT NULL,
  amount    DECIMAL(12, 2) NOT NULL,
  method    VARCHAR(20) NOT NULL DEFAULT 'card',
  paid_at   DATETIME(3) NULL,
  PRIMARY KEY (id),
  INDEX payments_order_id_idx (order_id),
  CONSTRAINT payments_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id)
    ON DELETE RESTRICT ON UPDATE CASCADE
);

CREATE TABLE shipments (
  id          INT NOT NULL AUTO_INCREMENT,
  order_id    INT NOT NULL,
  carrier     VARCHAR(40) NOT NULL,
  tracking    VARCHAR(80) NULL,
  shipped_at  DATETIME(3) NULL,
  PRIMARY KEY (id),
  INDEX shipments_order_id_idx (order_id),
  CONSTRAINT shipments_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id)
    ON DELETE RESTRICT ON UPDATE CASCADE
);

CREATE TABLE reviews (
  id           INT NOT NULL AUTO_INCREMENT,
  product_id   INT NOT NULL,
  customer_id  INT NOT NULL,
  rating       INT NOT NULL,
  body         TEXT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY reviews_product_id_customer_id_key (product_id, customer_id),
  INDEX reviews_customer_id_idx (customer_id),
  CONSTRAINT reviews_product_id_fkey FOREIGN KEY (product_id) REFERENCES products (id)
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT reviews_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id)
    ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT reviews_rating_check CHECK (rating BETWEEN 1 AND 5)
);

CREATE TABLE coupons (
  code         VARCHAR(40) NOT NULL,
  percent_off  INT NOT NULL,
  valid_until  DATETIME(3) NULL,
  PRIMARY KEY (code),
  CONSTRAINT coupons_percent_check CHECK (percent_off > 0 AND percent_off <= 100)
) COMMENT 'Discount codes';

CREATE TABLE warehouses (
  id    INT NOT NULL AUTO_INCREMENT,
  name  VARCHAR(100) NOT NULL,
  city  VARCHAR(100) NOT NULL,
  PRIMARY KEY (id)
);

CREATE TABLE stock (
  warehouse_id  INT NOT NULL,
  product_id    INT NOT NULL,
  on_hand       INT NOT NULL DEFAULT 0,
  PRIMARY KEY (warehouse_id, product_id),
  INDEX stock_product_id_idx (product_id),
  CONSTRAINT stock_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES warehouses (id)
    ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT stock_product_id_fkey FOREIGN KEY (product_id) REFERENCES products (id)
    ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT stock_on_hand_check CHECK (on_hand >= 0)
);

CREATE VIEW open_orders AS
  SELECT o.id AS id, o.customer_id AS customer_id, o.total_cents AS total_cents
  FROM orders o WHERE o.status IN ('pending', 'paid');
