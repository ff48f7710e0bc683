--
-- PostgreSQL database dump
--

\restrict xRveWODkF5F1w8zYa5IcMPDecKE30C0FpR6VNnZ2tmfy00n1lrmqGv9NK7tpVaY

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
-- Name: people; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.people (
    id integer NOT NULL,
    email text NOT NULL,
    name text
);


ALTER TABLE public.people OWNER TO postgres;

--
-- Name: people_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.people_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.people_id_seq OWNER TO postgres;

--
-- Name: people_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.people_id_seq OWNED BY public.people.id;


--
-- Name: people id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.people ALTER COLUMN id SET DEFAULT nextval('public.people_id_seq'::regclass);


--
-- Name: people people_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.people
    ADD CONSTRAINT people_pkey PRIMARY KEY (id);


--
-- Name: people_lower_email_key; Type: INDEX; Schema: public; Owner: postgres
--

CREATE UNIQUE INDEX people_lower_email_key ON public.people USING btree (lower(email));


--
-- Name: people_mixed_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX people_mixed_idx ON public.people USING btree (name, length(email));


--
-- Name: people_name_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX people_name_idx ON public.people USING btree (name);


--
-- PostgreSQL database dump complete
--

\unrestrict xRveWODkF5F1w8zYa5IcMPDecKE30C0FpR6VNnZ2tmfy00n1lrmqGv9NK7tpVaY

