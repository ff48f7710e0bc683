--
-- PostgreSQL database dump
--

\restrict hKcfvjxvIbsJauxqT2yj6Zwzz6TMZYrUer48v5PAf6gRVHdlXeEgfvOFCTJmpFY

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

--
-- Name: measurements; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurements (
    id bigint NOT NULL,
    taken date NOT NULL,
    value double precision
)
PARTITION BY RANGE (taken);


ALTER TABLE public.measurements OWNER TO postgres;

SET default_table_access_method = heap;

--
-- Name: measurements_2024; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurements_2024 (
    id bigint NOT NULL,
    taken date NOT NULL,
    value double precision
);


ALTER TABLE public.measurements_2024 OWNER TO postgres;

--
-- Name: measurements_2025; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurements_2025 (
    id bigint NOT NULL,
    taken date NOT NULL,
    value double precision
);


ALTER TABLE public.measurements_2025 OWNER TO postgres;

--
-- Name: measurements_2024; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurements ATTACH PARTITION public.measurements_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');


--
-- Name: measurements_2025; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurements ATTACH PARTITION public.measurements_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');


--
-- Name: measurements measurements_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurements
    ADD CONSTRAINT measurements_pkey PRIMARY KEY (id, taken);


--
-- Name: measurements_2024 measurements_2024_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurements_2024
    ADD CONSTRAINT measurements_2024_pkey PRIMARY KEY (id, taken);


--
-- Name: measurements_2025 measurements_2025_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurements_2025
    ADD CONSTRAINT measurements_2025_pkey PRIMARY KEY (id, taken);


--
-- Name: measurements_2024_pkey; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurements_pkey ATTACH PARTITION public.measurements_2024_pkey;


--
-- Name: measurements_2025_pkey; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurements_pkey ATTACH PARTITION public.measurements_2025_pkey;


--
-- PostgreSQL database dump complete
--

\unrestrict hKcfvjxvIbsJauxqT2yj6Zwzz6TMZYrUer48v5PAf6gRVHdlXeEgfvOFCTJmpFY

