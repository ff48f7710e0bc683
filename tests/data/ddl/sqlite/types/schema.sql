CREATE TABLE IF NOT EXISTS "all_types" ("i" INTEGER, "b" BIGINT, "t" TEXT, "r" REAL, "d" DECIMAL, "bo" BOOLEAN, "dt" DATETIME, "bl" BLOB, "j" JSONB,
  "v" VARCHAR(20), "n" NUMERIC(10,2), "weird" GEOMETRY, "none");
