CREATE TABLE docs ("id" INTEGER NOT NULL PRIMARY KEY, "title" TEXT NOT NULL, "score" INTEGER, "code" TEXT UNIQUE);
CREATE INDEX "docs_title_score_idx" ON docs ("title" DESC, "score");
CREATE INDEX "docs_score_partial" ON docs ("score") WHERE "score" > 10;
CREATE INDEX "docs_lower_title" ON docs (lower("title"));
CREATE TABLE pairs ("a" TEXT NOT NULL, "b" TEXT NOT NULL, PRIMARY KEY ("a", "b"));
