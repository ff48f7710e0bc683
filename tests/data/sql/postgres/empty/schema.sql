-- a database without tables: an empty mirror, not an error
SELECT 1;
