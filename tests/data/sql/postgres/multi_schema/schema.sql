CREATE SCHEMA audit;
CREATE SCHEMA "Billing";
CREATE TYPE audit."Level" AS ENUM ('INFO', 'WARN');
CREATE TABLE public.users (id serial PRIMARY KEY, name text);
CREATE TABLE audit.users (id serial PRIMARY KEY, level audit."Level" NOT NULL DEFAULT 'INFO');
CREATE TABLE audit.events (
  id bigserial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
  audit_user integer REFERENCES audit.users (id)
);
CREATE TABLE "Billing"."Invoice" (id serial PRIMARY KEY, "userId" integer NOT NULL REFERENCES public.users (id));
CREATE SCHEMA ignored;
CREATE TABLE ignored.secret (id integer PRIMARY KEY);
