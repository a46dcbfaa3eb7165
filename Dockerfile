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

# camel-tools depends on torch: its CPU-only wheel first, from PyTorch's CPU index (PyPI's build
# pulls CUDA libraries, several GB for nothing: Arshif runs on the CPU); then Arshif at the exact
# versions of constraints.txt (torch 2.13.0+cpu satisfies its torch==2.13.0).
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0 \
    && PIP_CONSTRAINT=/app/constraints.txt pip install . \
    && useradd --create-home --uid 1000 arshif \
    && mkdir -p /app/data/reports \
    && chown -R arshif /app/data

USER arshif
EXPOSE 8000

# Index (or re-index) everything under /archive, then serve. `arshif index` exits with 3 when some
# input was rejected (listed in data/reports/): that is not a reason to stop serving.
CMD ["sh", "-c", "arshif index --quiet /archive; rc=$?; if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then exit $rc; fi; exec arshif serve --host 0.0.0.0 --port 8000"]
