CREATE TABLE people (id serial PRIMARY KEY, email text NOT NULL, name text);
CREATE UNIQUE INDEX people_lower_email_key ON people (lower(email));
CREATE INDEX people_name_idx ON people (name);
CREATE INDEX people_mixed_idx ON people (name, (length(email)));
