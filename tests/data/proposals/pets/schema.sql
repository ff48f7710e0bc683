-- The database the proposals are checked against (its mirror: `snapshot --ddl` of this file).
CREATE TABLE owners (
    id serial PRIMARY KEY,
    email varchar(320) NOT NULL,
    name text,
    created_at timestamptz(6) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX owners_email_key ON owners (email);

CREATE TABLE pets (
    id serial PRIMARY KEY,
    owner_id integer NOT NULL REFERENCES owners (id) ON DELETE CASCADE,
    name varchar(80) NOT NULL,
    species text NOT NULL,
    notes text,
    weight_kg numeric(6,2)
);
CREATE INDEX pets_owner_id_idx ON pets (owner_id);

CREATE TABLE visits (
    id bigserial PRIMARY KEY,
    pet_id integer NOT NULL REFERENCES pets (id),
    visited_at timestamptz(6) NOT NULL,
    legacy_code varchar(40)
);
