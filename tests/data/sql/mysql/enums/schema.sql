CREATE TABLE orders (
  id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
  status enum('PENDING','PAID','Shipped') NOT NULL DEFAULT 'PENDING',
  mood enum('sad','ok','happy') NULL,
  quoted enum('it''s','a b') NULL
);
CREATE TABLE reviews (id int PRIMARY KEY, status enum('PENDING','DONE') NOT NULL);
