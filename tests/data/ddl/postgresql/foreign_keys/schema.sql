--
-- PostgreSQL database dump
--

\restrict cW9zTdjNxSNDhW21JWK1eWoI66lNxFjvfMUnuXqaUNSGaxHNxSAcdembeWVovKf

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
-- Name: children; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.children (
    id integer NOT NULL,
    p_cascade integer,
    p_restrict integer NOT NULL,
    p_noaction integer,
    p_setnull integer,
    p_setdefault integer DEFAULT 0,
    region integer,
    code text,
    parent_child integer
);


ALTER TABLE public.children OWNER TO postgres;

--
-- Name: parents; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.parents (
    id integer NOT NULL,
    code text NOT NULL,
    region integer NOT NULL
);


ALTER TABLE public.parents OWNER TO postgres;

--
-- Name: children children_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.children
    ADD CONSTRAINT children_pkey PRIMARY KEY (id);


--
-- Name: parents parents_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.parents
    ADD CONSTRAINT parents_pkey PRIMARY KEY (id);


--
-- Name: parents parents_region_code_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.parents
    ADD CONSTRAINT parents_region_code_key UNIQUE (region, code);


--
-- Name: children children_p_cascade_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.children
    ADD CONSTRAINT children_p_cascade_fkey FOREIGN KEY (p_cascade) REFERENCES public.parents(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: children children_p_noaction_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.children
    ADD CONSTRAINT children_p_noaction_fkey FOREIGN KEY (p_noaction) REFERENCES public.parents(id);


--
-- Name: children children_p_restrict_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.children
    ADD CONSTRAINT children_p_restrict_fkey FOREIGN KEY (p_restrict) REFERENCES public.parents(id) ON UPDATE CASCADE ON DELETE RESTRICT;


--
-- Name: children children_p_setdefault_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.children
    ADD CONSTRAINT children_p_setdefault_fkey FOREIGN KEY (p_setdefault) REFERENCES public.parents(id) ON UPDATE SET DEFAULT ON DELETE SET DEFAULT;


--
-- Name: children children_p_setnull_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.children
    ADD CONSTRAINT children_p_setnull_fkey FOREIGN KEY (p_setnull) REFERENCES public.parents(id) ON DELETE SET NULL;


--
-- Name: children children_region_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.children
    ADD CONSTRAINT children_region_code_fkey FOREIGN KEY (region, code) REFERENCES public.parents(region, code);


--
-- Name: children children_self_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.children
    ADD CONSTRAINT children_self_fkey FOREIGN KEY (parent_child) REFERENCES public.children(id) ON DELETE SET NULL;


--
-- PostgreSQL database dump complete
--

\unrestrict cW9zTdjNxSNDhW21JWK1eWoI66lNxFjvfMUnuXqaUNSGaxHNxSAcdembeWVovKf

