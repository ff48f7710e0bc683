CREATE TABLE docs (
  id serial PRIMARY KEY,
  title text NOT NULL,
  body text,
  tags text[],
  created_at timestamp(3) NOT NULL,
  shape box,
  score integer
);
CREATE INDEX docs_title_idx ON docs (title);
CREATE INDEX docs_created_at_title_idx ON docs (created_at DESC, title);
CREATE INDEX docs_title_hash_idx ON docs USING hash (title);
CREATE INDEX docs_tags_idx ON docs USING gin (tags);
CREATE INDEX docs_created_brin ON docs USING brin (created_at);
CREATE INDEX docs_shape_gist ON docs USING gist (shape);
CREATE INDEX docs_score_incl ON docs (score) INCLUDE (title);
CREATE INDEX docs_score_partial ON docs (score) WHERE score > 10;
