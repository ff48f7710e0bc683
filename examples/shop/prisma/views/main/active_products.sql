SELECT
  p.id AS id,
  p.sku AS sku,
  p.title AS title,
  p.price AS price
FROM
  products AS p
WHERE
  p.active = TRUE;