CREATE TABLE nums (
  c_tinyint tinyint, c_bool tinyint(1) NOT NULL, c_boolean boolean, c_smallint smallint, c_mediumint mediumint,
  c_int int NOT NULL, c_int_unsigned int unsigned, c_bigint bigint, c_bigint_unsigned bigint unsigned,
  c_float float, c_double double, c_decimal decimal(12,2), c_decimal_default decimal, c_year year,
  c_bit1 bit(1), c_bit8 bit(8)
);
