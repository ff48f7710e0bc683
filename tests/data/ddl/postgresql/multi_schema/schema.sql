--
-- PostgreSQL database dump
--

\restrict awJVbaGpqc5aWBExafZ781KOacsM8g5O3ZDNQf3IZGwJNcMFVb6MwPsB2GKD80f

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
-- Name: Billing; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA "Billing";


ALTER SCHEMA "Billing" OWNER TO postgres;

--
-- Name: audit; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA audit;


ALTER SCHEMA audit OWNER TO postgres;

--
-- Name: ignored; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA ignored;


ALTER SCHEMA ignored OWNER TO postgres;

--
-- Name: Level; Type: TYPE; Schema: audit; Owner: postgres
--

CREATE TYPE audit."Level" AS ENUM (
    'INFO',
    'WARN'
);


ALTER TYPE audit."Level" OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: Invoice; Type: TABLE; Schema: Billing; Owner: postgres
--

CREATE TABLE "Billing"."Invoice" (
    id integer NOT NULL,
    "userId" integer NOT NULL
);


ALTER TABLE "Billing"."Invoice" OWNER TO postgres;

--
-- Name: Invoice_id_seq; Type: SEQUENCE; Schema: Billing; Owner: postgres
--

CREATE SEQUENCE "Billing"."Invoice_id_seq"
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE "Billing"."Invoice_id_seq" OWNER TO postgres;

--
-- Name: Invoice_id_seq; Type: SEQUENCE OWNED BY; Schema: Billing; Owner: postgres
--

ALTER SEQUENCE "Billing"."Invoice_id_seq" OWNED BY "Billing"."Invoice".id;


--
-- Name: events; Type: TABLE; Schema: audit; Owner: postgres
--

CREATE TABLE audit.events (
    id bigint NOT NULL,
    user_id integer NOT NULL,
    audit_user integer
);


ALTER TABLE audit.events OWNER TO postgres;

--
-- Name: events_id_seq; Type: SEQUENCE; Schema: audit; Owner: postgres
--

CREATE SEQUENCE audit.events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE audit.events_id_seq OWNER TO postgres;

--
-- Name: events_id_seq; Type: SEQUENCE OWNED BY; Schema: audit; Owner: postgres
--

ALTER SEQUENCE audit.events_id_seq OWNED BY audit.events.id;


--
-- Name: users; Type: TABLE; Schema: audit; Owner: postgres
--

CREATE TABLE audit.users (
    id integer NOT NULL,
    level audit."Level" DEFAULT 'INFO'::audit."Level" NOT NULL
);


ALTER TABLE audit.users OWNER TO postgres;

--
-- Name: users_id_seq; Type: SEQUENCE; Schema: audit; Owner: postgres
--

CREATE SEQUENCE audit.users_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE audit.users_id_seq OWNER TO postgres;

--
-- Name: users_id_seq; Type: SEQUENCE OWNED BY; Schema: audit; Owner: postgres
--

ALTER SEQUENCE audit.users_id_seq OWNED BY audit.users.id;


--
-- Name: secret; Type: TABLE; Schema: ignored; Owner: postgres
--

CREATE TABLE ignored.secret (
    id integer NOT NULL
);


ALTER TABLE ignored.secret OWNER TO postgres;

--
-- Name: users; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.users (
    id integer NOT NULL,
    name text
);


ALTER TABLE public.users OWNER TO postgres;

--
-- Name: users_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.users_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.users_id_seq OWNER TO postgres;

--
-- Name: users_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;


--
-- Name: Invoice id; Type: DEFAULT; Schema: Billing; Owner: postgres
--

ALTER TABLE ONLY "Billing"."Invoice" ALTER COLUMN id SET DEFAULT nextval('"Billing"."Invoice_id_seq"'::regclass);


--
-- Name: events id; Type: DEFAULT; Schema: audit; Owner: postgres
--

ALTER TABLE ONLY audit.events ALTER COLUMN id SET DEFAULT nextval('audit.events_id_seq'::regclass);


--
-- Name: users id; Type: DEFAULT; Schema: audit; Owner: postgres
--

ALTER TABLE ONLY audit.users ALTER COLUMN id SET DEFAULT nextval('audit.users_id_seq'::regclass);


--
-- Name: users id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);


--
-- Name: Invoice Invoice_pkey; Type: CONSTRAINT; Schema: Billing; Owner: postgres
--

ALTER TABLE ONLY "Billing"."Invoice"
    ADD CONSTRAINT "Invoice_pkey" PRIMARY KEY (id);


--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: audit; Owner: postgres
--

ALTER TABLE ONLY audit.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: audit; Owner: postgres
--

ALTER TABLE ONLY audit.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: secret secret_pkey; Type: CONSTRAINT; Schema: ignored; Owner: postgres
--

ALTER TABLE ONLY ignored.secret
    ADD CONSTRAINT secret_pkey PRIMARY KEY (id);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: Invoice Invoice_userId_fkey; Type: FK CONSTRAINT; Schema: Billing; Owner: postgres
--

ALTER TABLE ONLY "Billing"."Invoice"
    ADD CONSTRAINT "Invoice_userId_fkey" FOREIGN KEY ("userId") REFERENCES public.users(id);


--
-- Name: events events_audit_user_fkey; Type: FK CONSTRAINT; Schema: audit; Owner: postgres
--

ALTER TABLE ONLY audit.events
    ADD CONSTRAINT events_audit_user_fkey FOREIGN KEY (audit_user) REFERENCES audit.users(id);


--
-- Name: events events_user_id_fkey; Type: FK CONSTRAINT; Schema: audit; Owner: postgres
--

ALTER TABLE ONLY audit.events
    ADD CONSTRAINT events_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict awJVbaGpqc5aWBExafZ781KOacsM8g5O3ZDNQf3IZGwJNcMFVb6MwPsB2GKD80f

