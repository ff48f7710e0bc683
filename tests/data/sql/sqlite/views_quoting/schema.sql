CREATE TABLE "Order" ("ID" INTEGER PRIMARY KEY AUTOINCREMENT, "select" TEXT, "weird ""name""" TEXT, "ünïcödé" TEXT DEFAULT 'it''s');
CREATE VIEW "Order View" AS SELECT "ID", "select" FROM "Order";
CREATE TABLE t_gen ("a" INTEGER, "b" INTEGER GENERATED ALWAYS AS ("a" * 2) VIRTUAL);
