CREATE TABLE times (
  c_date date, c_datetime datetime, c_datetime3 datetime(3) NOT NULL, c_timestamp timestamp NULL,
  c_timestamp6 timestamp(6) NULL, c_time time, c_time3 time(3), c_json json
);
