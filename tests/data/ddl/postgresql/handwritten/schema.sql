-- a hand-written schema.sql (a Rails-style structure file): inline keys, serial, no qualifiers
CREATE TABLE authors (
  id SERIAL PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  bio TEXT
);

CREATE TABLE posts (
  id BIGSERIAL PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
  slug VARCHAR(200) NOT NULL UNIQUE,
  published BOOLEAN NOT NULL DEFAULT FALSE,
  tags TEXT[] DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT posts_slug_lower CHECK (slug = lower(slug))
);

CREATE INDEX posts_author_idx ON posts (author_id, created_at DESC);
