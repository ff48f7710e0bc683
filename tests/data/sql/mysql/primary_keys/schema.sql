CREATE TABLE single (id int PRIMARY KEY);
CREATE TABLE composite (a int NOT NULL, b varchar(20) NOT NULL, c int, PRIMARY KEY (b, a));
CREATE TABLE no_key (x int, y text);
CREATE TABLE big_auto (id bigint unsigned NOT NULL AUTO_INCREMENT, PRIMARY KEY (id));
