# One image for the cadreflow services and the web front; the command picks the service:
#   docker run cadreflow:latest review      (default: nomination)
# deploy/serve.sh runs gunicorn with deploy/gunicorn.conf.py and wipes the Prometheus
# multiprocess directory first. docker-compose.yml builds and wires it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHON_BIN=python \
    BIND_HOST=0.0.0.0

WORKDIR /app

RUN groupadd --system --gid 10001 cadreflow \
 && useradd --system --uid 10001 --gid cadreflow --home-dir /app --no-create-home --shell /usr/sbin/nologin cadreflow

# Runtime dependencies only (requirements-dev.txt is for tests and tooling).
COPY requirements.txt ./
RUN pip install --no-compile -r requirements.txt

COPY shared/ shared/
COPY services/ services/
COPY tools/ tools/
COPY deploy/ deploy/
# The web front's message catalogues (.po -> .mo), as `make web-i18n` builds them.
RUN pybabel compile -d services/web/translations

# var/ holds the Prometheus multiprocess files (and the SQLite log when EVENT_BACKEND=sqlite).
# /var/lib/cadreflow/keys: the supervision service's key store; /var/lib/cadreflow/person-keys: the
# per-person keys of the other services; /run/cadreflow-keys: the head-signing key;
# /var/lib/cadreflow/heads: signed heads for outsiders (named volumes take this owner and mode).
RUN mkdir -p var /var/lib/cadreflow/keys /var/lib/cadreflow/person-keys /var/lib/cadreflow/heads /run/cadreflow-keys \
    && chown cadreflow:cadreflow var /run/cadreflow-keys && chown -R cadreflow:cadreflow /var/lib/cadreflow \
    && chmod 700 /var/lib/cadreflow/keys /var/lib/cadreflow/person-keys /run/cadreflow-keys \
    && chmod +x deploy/serve.sh

USER cadreflow

EXPOSE 8000 8001 8002 8003

ENTRYPOINT ["deploy/serve.sh"]
CMD ["nomination"]
