SELECT
  o.id AS order_id,
  o.customer_id,
  sum((l.quantity * l.unit_cents)) AS lines_cents
FROM
  (
    orders o
    JOIN order_lines l ON ((l.order_id = o.id))
  )
GROUP BY
  o.id,
  o.customer_id;