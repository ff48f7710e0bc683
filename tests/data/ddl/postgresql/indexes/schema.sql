--
-- PostgreSQL database dump
--

\restrict GUQGUkBdUnXzmxph0NNdXwCf2L4HVM6cWTXGNtwHLEAFbMuF0yEmwVIi3adCUTB

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
-- Name: docs; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.docs (
    id integer NOT NULL,
    title text NOT NULL,
    body text,
    tags text[],
    created_at timestamp(3) without time zone NOT NULL,
    shape box,
    score integer
);


ALTER TABLE public.docs OWNER TO postgres;

--
-- Name: docs_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.docs_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.docs_id_seq OWNER TO postgres;

--
-- Name: docs_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.docs_id_seq OWNED BY public.docs.id;


--
-- Name: docs id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.docs ALTER COLUMN id SET DEFAULT nextval('public.docs_id_seq'::regclass);


--
-- Name: docs docs_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.docs
    ADD CONSTRAINT docs_pkey PRIMARY KEY (id);


--
-- Name: docs_created_at_title_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX docs_created_at_title_idx ON public.docs USING btree (created_at DESC, title);


--
-- Name: docs_created_brin; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX docs_created_brin ON public.docs USING brin (created_at);


--
-- Name: docs_score_incl; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX docs_score_incl ON public.docs USING btree (score) INCLUDE (title);


--
-- Name: docs_score_partial; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX docs_score_partial ON public.docs USING btree (score) WHERE (score > 10);


--
-- Name: docs_shape_gist; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX docs_shape_gist ON public.docs USING gist (shape);


--
-- Name: docs_tags_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX docs_tags_idx ON public.docs USING gin (tags);


--
-- Name: docs_title_hash_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX docs_title_hash_idx ON public.docs USING hash (title);


--
-- Name: docs_title_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX docs_title_idx ON public.docs USING btree (title);


--
-- PostgreSQL database dump complete
--

\unrestrict GUQGUkBdUnXzmxph0NNdXwCf2L4HVM6cWTXGNtwHLEAFbMuF0yEmwVIi3adCUTB

