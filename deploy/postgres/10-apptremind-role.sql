-- The role the platform connects as: no superuser, no CREATEDB/CREATEROLE. It owns its
-- domain schemas (created here and by its migrations) and the migrations' version table,
-- nothing else; the btree_gist extension the booking constraints use is installed here.
-- Run by psql with `-v app_role=... -v app_password=... -v app_database=...`.
\set ON_ERROR_STOP on

SELECT format(
    'CREATE ROLE %I LOGIN PASSWORD %L NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION',
    :'app_role', :'app_password'
)
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_role') \gexec

\connect :app_database

CREATE EXTENSION IF NOT EXISTS btree_gist;

REVOKE ALL ON DATABASE :"app_database" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"app_database" TO :"app_role";
-- Its schemas: the domains' (a later migration may add one, which it then owns).
GRANT CREATE ON DATABASE :"app_database" TO :"app_role";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app_role";

CREATE SCHEMA IF NOT EXISTS auth AUTHORIZATION :"app_role";
CREATE SCHEMA IF NOT EXISTS business AUTHORIZATION :"app_role";
CREATE SCHEMA IF NOT EXISTS booking AUTHORIZATION :"app_role";
CREATE SCHEMA IF NOT EXISTS billing AUTHORIZATION :"app_role";
CREATE SCHEMA IF NOT EXISTS analytics AUTHORIZATION :"app_role";
CREATE SCHEMA IF NOT EXISTS outbox AUTHORIZATION :"app_role";

-- Alembic keeps its version in public.alembic_version: the role owns that one table.
CREATE TABLE IF NOT EXISTS public.alembic_version (
    version_num varchar(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
ALTER TABLE public.alembic_version OWNER TO :"app_role";
