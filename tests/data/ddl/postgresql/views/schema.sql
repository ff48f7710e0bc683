--
-- PostgreSQL database dump
--

\restrict umrY9cU0hkcInFDfohmAlPdlUEox9u6vjUlwiuN7iOVYgrDS63ycAmHkcRbjcFs

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
-- Name: orders; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.orders (
    id integer NOT NULL,
    total numeric(12,2) NOT NULL,
    paid boolean DEFAULT false NOT NULL
);


ALTER TABLE public.orders OWNER TO postgres;

--
-- Name: Order Totals; Type: VIEW; Schema: public; Owner: postgres
--

CREATE VIEW public."Order Totals" AS
 SELECT count(*) AS n,
    sum(orders.total) AS "Sum"
   FROM public.orders;


ALTER TABLE public."Order Totals" OWNER TO postgres;

--
-- Name: order_stats; Type: MATERIALIZED VIEW; Schema: public; Owner: postgres
--

CREATE MATERIALIZED VIEW public.order_stats AS
 SELECT orders.paid,
    count(*) AS n
   FROM public.orders
  GROUP BY orders.paid
  WITH NO DATA;


ALTER TABLE public.order_stats OWNER TO postgres;

--
-- Name: orders_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.orders_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.orders_id_seq OWNER TO postgres;

--
-- Name: orders_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.orders_id_seq OWNED BY public.orders.id;


--
-- Name: paid_orders; Type: VIEW; Schema: public; Owner: postgres
--

CREATE VIEW public.paid_orders AS
 SELECT orders.id,
    orders.total
   FROM public.orders
  WHERE orders.paid;


ALTER TABLE public.paid_orders OWNER TO postgres;

--
-- Name: VIEW paid_orders; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON VIEW public.paid_orders IS 'orders that are paid';


--
-- Name: orders id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.orders ALTER COLUMN id SET DEFAULT nextval('public.orders_id_seq'::regclass);


--
-- Name: orders orders_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);


--
-- PostgreSQL database dump complete
--

\unrestrict umrY9cU0hkcInFDfohmAlPdlUEox9u6vjUlwiuN7iOVYgrDS63ycAmHkcRbjcFs

