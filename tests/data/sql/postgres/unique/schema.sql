-- a unique constraint and a unique index are both a unique index in the mirror
CREATE TABLE users (
  id serial PRIMARY KEY,
  email text NOT NULL CONSTRAINT users_email_key UNIQUE,
  tenant integer NOT NULL,
  handle text NOT NULL,
  CONSTRAINT users_tenant_handle_key UNIQUE (tenant, handle)
);
CREATE UNIQUE INDEX "users_handle_lower_key" ON users (handle);
CREATE UNIQUE INDEX users_tenant_email_key ON users (tenant DESC, email);
