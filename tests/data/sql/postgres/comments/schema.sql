CREATE TABLE accounts (id serial PRIMARY KEY, email text NOT NULL, "displayName" text);
COMMENT ON TABLE accounts IS 'One row per login; owned by the identity team';
COMMENT ON COLUMN accounts.email IS 'lower-cased, unique per tenant';
COMMENT ON COLUMN accounts."displayName" IS 'shown in the UI: "quotes" and ''apostrophes''';
