CREATE TABLE single (id integer PRIMARY KEY);
CREATE TABLE composite (a integer, b text, c integer, PRIMARY KEY (b, a));
CREATE TABLE named (id uuid CONSTRAINT "Named_custom_pk" PRIMARY KEY);
CREATE TABLE no_key (x integer, y text);
