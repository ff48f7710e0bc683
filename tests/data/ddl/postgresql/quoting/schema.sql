--
-- PostgreSQL database dump
--

\restrict Zl8wLpbVHLcMsxDBz2e9oSbMOyFIS6On0UBNr1uaxTectKpf4MvhX6uJir5a3Wy

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

--
-- Name: status-kind; Type: TYPE; Schema: public; Owner: postgres
--

CREATE TYPE public."status-kind" AS ENUM (
    'a b',
    'C''D',
    'ë'
);


ALTER TYPE public."status-kind" OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: Order; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public."Order" (
    "ID" integer NOT NULL,
    "select" text,
    "from" integer,
    "weird ""name""" text,
    "ünïcödé" text,
    "CamelCase" integer
);


ALTER TABLE public."Order" OWNER TO postgres;

--
-- Name: Order_ID_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public."Order_ID_seq"
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public."Order_ID_seq" OWNER TO postgres;

--
-- Name: Order_ID_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public."Order_ID_seq" OWNED BY public."Order"."ID";


--
-- Name: T2; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public."T2" (
    s public."status-kind"
);


ALTER TABLE public."T2" OWNER TO postgres;

--
-- Name: user table; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public."user table" (
    id integer NOT NULL,
    "order id" integer
);


ALTER TABLE public."user table" OWNER TO postgres;

--
-- Name: Order ID; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public."Order" ALTER COLUMN "ID" SET DEFAULT nextval('public."Order_ID_seq"'::regclass);


--
-- Name: Order Order_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public."Order"
    ADD CONSTRAINT "Order_pkey" PRIMARY KEY ("ID");


--
-- Name: user table user table_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public."user table"
    ADD CONSTRAINT "user table_pkey" PRIMARY KEY (id);


--
-- Name: idx with space; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX "idx with space" ON public."user table" USING btree ("order id");


--
-- Name: user table user table_order id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public."user table"
    ADD CONSTRAINT "user table_order id_fkey" FOREIGN KEY ("order id") REFERENCES public."Order"("ID");


--
-- PostgreSQL database dump complete
--

\unrestrict Zl8wLpbVHLcMsxDBz2e9oSbMOyFIS6On0UBNr1uaxTectKpf4MvhX6uJir5a3Wy

