--
-- PostgreSQL database dump
--

\restrict FuvwomHl1WHuGBtA0JqNLizAXvP10YuLoDue5nqokoXsqvxyMFo5Yaufvx2z5Do

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
-- Name: composite; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.composite (
    a integer NOT NULL,
    b text NOT NULL,
    c integer
);


ALTER TABLE public.composite OWNER TO postgres;

--
-- Name: named; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.named (
    id uuid NOT NULL
);


ALTER TABLE public.named OWNER TO postgres;

--
-- Name: no_key; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.no_key (
    x integer,
    y text
);


ALTER TABLE public.no_key OWNER TO postgres;

--
-- Name: single; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.single (
    id integer NOT NULL
);


ALTER TABLE public.single OWNER TO postgres;

--
-- Name: named Named_custom_pk; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.named
    ADD CONSTRAINT "Named_custom_pk" PRIMARY KEY (id);


--
-- Name: composite composite_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.composite
    ADD CONSTRAINT composite_pkey PRIMARY KEY (b, a);


--
-- Name: single single_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.single
    ADD CONSTRAINT single_pkey PRIMARY KEY (id);


--
-- PostgreSQL database dump complete
--

\unrestrict FuvwomHl1WHuGBtA0JqNLizAXvP10YuLoDue5nqokoXsqvxyMFo5Yaufvx2z5Do

