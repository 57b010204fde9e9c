-- keepwarm's roles and database, run once by the postgres image on its first start
-- (mounted into /docker-entrypoint-initdb.d by compose.yaml; psql 15 or newer, as a superuser).
-- The same set-up as docs/rollout.md: keepwarm_owner owns the database and runs
-- `keepwarm migrate`; keepwarm_app, the runtime role of serve and worker, reads and writes
-- rows but cannot change the schema.
\set ON_ERROR_STOP on
\getenv owner_password DB_OWNER_PASSWORD
\getenv app_password DB_APP_PASSWORD

CREATE ROLE keepwarm_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE keepwarm_app LOGIN PASSWORD :'app_password';
CREATE DATABASE keepwarm OWNER keepwarm_owner;
REVOKE ALL ON DATABASE keepwarm FROM PUBLIC;
GRANT CONNECT ON DATABASE keepwarm TO keepwarm_app;

\connect keepwarm
-- PostgreSQL 15: schema public belongs to the database's owner, and only it may create there.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO keepwarm_app;
-- Whatever keepwarm_owner creates from now on (every migration) is open to keepwarm_app.
ALTER DEFAULT PRIVILEGES FOR ROLE keepwarm_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO keepwarm_app;
ALTER DEFAULT PRIVILEGES FOR ROLE keepwarm_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO keepwarm_app;
