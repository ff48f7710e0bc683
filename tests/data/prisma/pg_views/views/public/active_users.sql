SELECT
  id,
  email
FROM
  "User"
WHERE
  active;
