CREATE TABLE texts (
  c_char char(10), c_char1 char, c_varchar varchar(191) NOT NULL, c_varchar_320 varchar(320),
  c_tinytext tinytext, c_text text, c_mediumtext mediumtext, c_longtext longtext,
  c_binary binary(16), c_varbinary varbinary(255), c_blob blob, c_longblob longblob, c_tinyblob tinyblob, c_mediumblob mediumblob,
  c_set set('a','b')
) DEFAULT CHARSET=utf8mb4;
