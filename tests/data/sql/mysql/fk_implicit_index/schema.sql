-- InnoDB creates an index for a foreign key that has none; it is a real index of the database
CREATE TABLE a (id int PRIMARY KEY);
CREATE TABLE b (id int PRIMARY KEY, a_id int NOT NULL, CONSTRAINT b_a_id_fkey FOREIGN KEY (a_id) REFERENCES a (id));
