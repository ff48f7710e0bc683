CREATE TABLE parents (id int PRIMARY KEY, code varchar(20) NOT NULL, region int NOT NULL, UNIQUE KEY parents_region_code_key (region, code));
CREATE TABLE children (
  id int PRIMARY KEY,
  p_cascade int, p_restrict int NOT NULL, p_noaction int, p_setnull int,
  region int, code varchar(20),
  CONSTRAINT children_p_cascade_fkey FOREIGN KEY (p_cascade) REFERENCES parents (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT children_p_restrict_fkey FOREIGN KEY (p_restrict) REFERENCES parents (id) ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT children_p_noaction_fkey FOREIGN KEY (p_noaction) REFERENCES parents (id) ON DELETE NO ACTION ON UPDATE NO ACTION,
  CONSTRAINT children_p_setnull_fkey FOREIGN KEY (p_setnull) REFERENCES parents (id) ON DELETE SET NULL ON UPDATE SET NULL,
  CONSTRAINT children_region_code_fkey FOREIGN KEY (region, code) REFERENCES parents (region, code)
);
