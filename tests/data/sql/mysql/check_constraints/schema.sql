CREATE TABLE bookings (
  id int PRIMARY KEY,
  qty int NOT NULL CHECK (qty > 0),
  starts date, ends date,
  CONSTRAINT bookings_dates CHECK (ends >= starts)
);
