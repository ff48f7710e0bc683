CREATE TABLE accounts (
  id int PRIMARY KEY,
  email varchar(191) NOT NULL COMMENT 'lower-cased, unique per tenant',
  displayName varchar(100) COMMENT 'shown in the UI: "quotes" and ''apostrophes'''
) COMMENT='One row per login; owned by the identity team';
