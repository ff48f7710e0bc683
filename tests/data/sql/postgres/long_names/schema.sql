CREATE TABLE "a_table_name_that_is_quite_long_and_keeps_going_and_going_on" (
  "id" serial PRIMARY KEY,
  "a_column_with_a_long_name_too" integer
);
CREATE INDEX "a_table_name_that_is_quite_long_and_keeps_going_and_going__idx"
  ON "a_table_name_that_is_quite_long_and_keeps_going_and_going_on" ("a_column_with_a_long_name_too");
CREATE TABLE "this_identifier_is_longer_than_sixty_three_bytes_and_postgres_cuts_it" (id integer);
