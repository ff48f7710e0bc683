CREATE TABLE parents (id integer PRIMARY KEY, code text NOT NULL, region integer NOT NULL, UNIQUE (region, code));
CREATE TABLE children (
  id integer PRIMARY KEY,
  p_cascade integer REFERENCES parents (id) ON DELETE CASCADE ON UPDATE CASCADE,
  p_restrict integer NOT NULL REFERENCES parents (id) ON DELETE RESTRICT ON UPDATE CASCADE,
  p_noaction integer REFERENCES parents (id),
  p_setnull integer REFERENCES parents (id) ON DELETE SET NULL ON UPDATE NO ACTION,
  p_setdefault integer DEFAULT 0 REFERENCES parents (id) ON DELETE SET DEFAULT ON UPDATE SET DEFAULT,
  region integer, code text,
  parent_child integer,
  CONSTRAINT "children_region_code_fkey" FOREIGN KEY (region, code) REFERENCES parents (region, code),
  CONSTRAINT children_self_fkey FOREIGN KEY (parent_child) REFERENCES children (id) ON DELETE SET NULL
);
