SELECT
  o.id AS id,
  o.customer_id AS customer_id,
  o.total_cents AS total_cents
FROM
  orders AS o
WHERE
  o.status IN ('pending', 'paid');