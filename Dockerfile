# syntax=docker/dockerfile:1
# One image for every process of the platform: `docker run <image> api|relay|migrate|
# worker appointments|worker notifications|consume analytics|consume billing`.
#
# Stages: python-deps (the runtime lock) -> openapi (the API's OpenAPI document) -> web (the
# web app, built with Node) -> runtime (the lock's virtual environment, the sources, web/dist).
# Only the runtime stage ships: no Node, no compilers, no dev tools, no embedded dev stack.
#
# Bases pinned by exact tag: Python 3.11 as in CI (requires-python >= 3.11), Node 22 LTS (the
# web app's engines: >= 20.19). Bumping one is a one-line change here.
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm
ARG NODE_IMAGE=node:22.21.1-bookworm-slim

# --- The runtime dependencies, exactly as locked (every file hash-checked) --------------------
FROM ${PYTHON_IMAGE} AS python-deps
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
# Only the lock: a change to the sources does not reinstall the dependencies.
COPY requirements/runtime.txt /tmp/requirements/runtime.txt
RUN /opt/venv/bin/pip install --require-hashes --no-deps --only-binary=:all: \
        -r /tmp/requirements/runtime.txt \
    && rm -rf /tmp/requirements

# --- The OpenAPI document the web app's API client is generated from ------------------------
FROM python-deps AS openapi
WORKDIR /app
COPY api ./api
COPY apptremind ./apptremind
COPY workflows ./workflows
COPY activities ./activities
COPY workers ./workers
RUN /opt/venv/bin/python -m api.openapi_export /tmp/openapi.json

# --- The web app (web/dist), as `make web` builds it ------------------------------------------
FROM ${NODE_IMAGE} AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
COPY --from=openapi /tmp/openapi.json ./openapi.json
RUN npm run build

# --- The image ----------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app

RUN groupadd --system --gid 10001 apptremind \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin apptremind

COPY --from=python-deps /opt/venv /opt/venv
WORKDIR /app
# The sources as in the repository (settings find web/dist beside them); owned by root and
# read-only to the platform's user, compiled once here.
COPY pyproject.toml ./
COPY api ./api
COPY apptremind ./apptremind
COPY workflows ./workflows
COPY activities ./activities
COPY workers ./workers
COPY --from=web /web/dist ./web/dist
RUN python -m compileall -q api apptremind workflows activities workers

USER 10001:10001

# In a container the API listens on every interface (the settings default is loopback).
ENV API_HOST=0.0.0.0 \
    API_PORT=8080
EXPOSE 8080

ENTRYPOINT ["python", "-m", "apptremind.cli"]
CMD ["api"]
