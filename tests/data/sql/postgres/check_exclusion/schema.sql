CREATE TABLE bookings (
  id serial PRIMARY KEY,
  qty integer NOT NULL CONSTRAINT bookings_qty_positive CHECK (qty > 0),
  spot circle,
  starts date, ends date,
  CHECK (ends >= starts),
  CONSTRAINT bookings_no_overlap EXCLUDE USING gist (spot WITH &&)
);
