# Arshif in a container: `docker compose up` (see docker-compose.yml) indexes ./archive into
# Elasticsearch and serves the web app on port 8000.
#
# NOT TESTED HERE: the machines Arshif is developed on have no Docker engine, so this image has
# never been built by the project. Please report what breaks.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ARSHIF_ES_CONFIG=/app/index_config

WORKDIR /app
COPY . /app

# camel-tools depends on torch. Install torch's CPU-only wheel before this step (from PyTorch's
# CPU wheel index, for the version pinned in setup.cfg), otherwise pip may fetch the CUDA build,
# which makes the image several GB larger and gains nothing: Arshif runs on the CPU.
RUN pip install . \
    && useradd --create-home --uid 1000 arshif \
    && mkdir -p /app/data/reports \
    && chown -R arshif /app/data

USER arshif
EXPOSE 8000

# Index (or re-index) everything under /archive, then serve. `arshif index` exits with 3 when some
# input was rejected (listed in data/reports/): that is not a reason to stop serving.
CMD ["sh", "-c", "arshif index --quiet /archive; rc=$?; if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then exit $rc; fi; exec arshif serve --host 0.0.0.0 --port 8000"]
