CREATE TABLE `Order` (`ID` int NOT NULL AUTO_INCREMENT PRIMARY KEY, `select` text, `from` int, `weird "name"` text, `ünïcödé` text, `CamelCase` int);
CREATE TABLE `user table` (`id` int PRIMARY KEY, `order id` int, INDEX `idx with space` (`order id`),
  CONSTRAINT `user table_order id_fkey` FOREIGN KEY (`order id`) REFERENCES `Order` (`ID`));
