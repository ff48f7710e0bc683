--
-- PostgreSQL database dump
--

\restrict kUE6niQjj2enutzLePjaQo39zBCIK95lD93mkD91HzWrzGEe5Fse1kMGYFavlFu

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: all_types; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.all_types (
    c_int2 smallint,
    c_int4 integer NOT NULL,
    c_int8 bigint,
    c_float4 real,
    c_float8 double precision,
    c_numeric_12_2 numeric(12,2),
    c_numeric numeric,
    c_money money,
    c_bool boolean,
    c_text text,
    c_varchar_320 character varying(320),
    c_varchar character varying,
    c_char_10 character(10),
    c_char character(1),
    c_uuid uuid,
    c_xml xml,
    c_inet inet,
    c_bit bit(1),
    c_bit_8 bit(8),
    c_varbit_5 bit varying(5),
    c_date date,
    c_time time without time zone,
    c_time_3 time(3) without time zone,
    c_timetz time with time zone,
    c_timestamp timestamp without time zone,
    c_timestamp_3 timestamp(3) without time zone,
    c_timestamptz timestamp with time zone,
    c_timestamptz_6 timestamp(6) with time zone,
    c_json json,
    c_jsonb jsonb,
    c_bytea bytea,
    c_oid oid,
    c_interval interval,
    c_tsvector tsvector,
    c_cidr cidr,
    c_point point
);


ALTER TABLE public.all_types OWNER TO postgres;

--
-- PostgreSQL database dump complete
--

\unrestrict kUE6niQjj2enutzLePjaQo39zBCIK95lD93mkD91HzWrzGEe5Fse1kMGYFavlFu

