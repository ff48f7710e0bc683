CREATE TABLE users (
  id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email varchar(191) NOT NULL,
  tenant int NOT NULL,
  handle varchar(50) NOT NULL,
  UNIQUE KEY users_email_key (email),
  CONSTRAINT users_tenant_handle_key UNIQUE (tenant, handle)
);
CREATE UNIQUE INDEX users_handle_key ON users (handle);
