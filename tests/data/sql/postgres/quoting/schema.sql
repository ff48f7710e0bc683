CREATE TABLE "Order" ("ID" serial PRIMARY KEY, "select" text, "from" integer, "weird ""name""" text, "ünïcödé" text, "CamelCase" integer);
CREATE TABLE "user table" ("id" integer PRIMARY KEY, "order id" integer REFERENCES "Order" ("ID"));
CREATE INDEX "idx with space" ON "user table" ("order id");
CREATE TYPE "status-kind" AS ENUM ('a b', 'C''D', 'ë');
CREATE TABLE "T2" (s "status-kind");
