CREATE TABLE docs (
  id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
  title varchar(191) NOT NULL,
  body text,
  created_at datetime(3) NOT NULL,
  score int,
  INDEX docs_title_idx (title),
  INDEX docs_created_at_title_idx (created_at DESC, title),
  INDEX docs_body_prefix_idx (body(20)),
  FULLTEXT INDEX docs_body_fulltext (body),
  INDEX docs_score_hash USING HASH (score)
) ENGINE=InnoDB;
