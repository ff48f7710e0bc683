CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');
CREATE TABLE lists (
  id serial PRIMARY KEY,
  tags text[],
  scores integer[] NOT NULL,
  codes varchar(20)[],
  roles "Role"[] NOT NULL DEFAULT ARRAY['USER']::"Role"[],
  stamps timestamp(3)[],
  empty_default text[] DEFAULT ARRAY[]::text[]
);
