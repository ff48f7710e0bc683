CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL, updated_at DATETIME DEFAULT CURRENT_TIMESTAMP, CHECK (length(body) > 0));
CREATE TABLE sqlite_sequence(name,seq);
CREATE TABLE tags (note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE, tag TEXT NOT NULL, PRIMARY KEY (note_id, tag)) WITHOUT ROWID;
CREATE INDEX tags_tag ON tags (tag) WHERE tag <> '';
CREATE TRIGGER notes_touch AFTER UPDATE ON notes BEGIN UPDATE notes SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id; END;
CREATE VIEW tagged AS SELECT n.id, t.tag FROM notes n JOIN tags t ON t.note_id = n.id
/* tagged(id,tag) */;
