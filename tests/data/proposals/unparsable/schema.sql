CREATE TABLE pets (id serial PRIMARY KEY, name varchar(80) NOT NULL);
