CREATE TABLE parents ("id" INTEGER NOT NULL PRIMARY KEY, "code" TEXT NOT NULL, "region" INTEGER NOT NULL, UNIQUE ("region", "code"));
CREATE TABLE children (
  "id" INTEGER NOT NULL PRIMARY KEY,
  "p_cascade" INTEGER REFERENCES parents ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "p_setnull" INTEGER, "p_implicit" INTEGER REFERENCES parents,
  "region" INTEGER, "code" TEXT,
  CONSTRAINT "children_p_setnull_fkey" FOREIGN KEY ("p_setnull") REFERENCES "parents" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT "children_region_code_fkey" FOREIGN KEY ("region", "code") REFERENCES parents ("region", "code")
);
