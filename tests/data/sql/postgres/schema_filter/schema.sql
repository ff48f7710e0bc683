-- only the requested schema is read; enums, tables and views elsewhere are left out
CREATE SCHEMA other;
CREATE TYPE other.kind AS ENUM ('a');
CREATE TABLE other.hidden (id integer PRIMARY KEY);
CREATE VIEW other.hidden_view AS SELECT id FROM other.hidden;
CREATE TABLE public.visible (id integer PRIMARY KEY, k other.kind);
