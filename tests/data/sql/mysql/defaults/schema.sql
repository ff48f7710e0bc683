CREATE TABLE defaults (
  id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
  created_at datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  name varchar(50) NOT NULL DEFAULT 'it''s',
  empty_str varchar(10) NOT NULL DEFAULT '',
  neg int DEFAULT -1,
  ratio double DEFAULT 0.5,
  amount decimal(12,2) DEFAULT 1.50,
  flag tinyint(1) NOT NULL DEFAULT 1,
  maybe tinyint(1) DEFAULT NULL,
  uid varchar(36) DEFAULT (uuid()),
  day date DEFAULT '2020-01-01'
);
