#!/bin/sh
# Runs once, on the first start of an empty data directory (docker-entrypoint-initdb.d).
set -eu
psql --username "$POSTGRES_USER" --dbname postgres --no-psqlrc \
    -v app_role="${APPTREMIND_DB_USER:-apptremind}" \
    -v app_password="$APPTREMIND_DB_PASSWORD" \
    -v app_database="$POSTGRES_DB" \
    -f /apptremind-init/10-apptremind-role.sql
