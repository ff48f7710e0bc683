-- every built-in type Prisma maps, and some it cannot
CREATE TABLE all_types (
  c_int2 smallint, c_int4 integer NOT NULL, c_int8 bigint, c_float4 real, c_float8 double precision,
  c_numeric_12_2 numeric(12,2), c_numeric numeric, c_money money, c_bool boolean,
  c_text text, c_varchar_320 varchar(320), c_varchar varchar, c_char_10 char(10), c_char char,
  c_uuid uuid, c_xml xml, c_inet inet, c_bit bit, c_bit_8 bit(8), c_varbit_5 varbit(5),
  c_date date, c_time time, c_time_3 time(3), c_timetz timetz, c_timestamp timestamp,
  c_timestamp_3 timestamp(3), c_timestamptz timestamptz, c_timestamptz_6 timestamptz(6),
  c_json json, c_jsonb jsonb, c_bytea bytea, c_oid oid,
  c_interval interval, c_tsvector tsvector, c_cidr cidr, c_point point
);
