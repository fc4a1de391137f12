# One image for every process of the platform: `docker run <image> api|relay|migrate|
# worker appointments|worker notifications|consume analytics|consume billing`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The project and its dependencies (a regular, non-editable install).
COPY pyproject.toml README.md ./
COPY api ./api
COPY apptremind ./apptremind
COPY workflows ./workflows
COPY activities ./activities
COPY workers ./workers
RUN pip install . && rm -rf build *.egg-info

RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin apptremind
USER apptremind

# In a container the API listens on every interface (the settings default is loopback).
ENV API_HOST=0.0.0.0 \
    API_PORT=8080
EXPOSE 8080

ENTRYPOINT ["apptremind"]
CMD ["api"]
