CREATE TABLE IF NOT EXISTS "Order" ("ID" INTEGER PRIMARY KEY AUTOINCREMENT, "select" TEXT, "weird ""name""" TEXT, "ünïcödé" TEXT DEFAULT 'it''s');
CREATE TABLE sqlite_sequence(name,seq);
CREATE VIEW "Order View" AS SELECT "ID", "select" FROM "Order"
/* "Order View"(ID,"select") */;
CREATE TABLE t_gen ("a" INTEGER, "b" INTEGER GENERATED ALWAYS AS ("a" * 2) VIRTUAL);
