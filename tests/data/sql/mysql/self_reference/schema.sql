CREATE TABLE employees (
  id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
  manager_id int NULL,
  INDEX employees_manager_id_idx (manager_id),
  CONSTRAINT employees_manager_id_fkey FOREIGN KEY (manager_id) REFERENCES employees (id) ON DELETE SET NULL ON UPDATE CASCADE
);
