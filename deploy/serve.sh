#!/usr/bin/env bash
# Serve one service under gunicorn: deploy/serve.sh nomination|review|notification|web
# PORT defaults to the service's port (8001/8002/8003; the web front 8000). Prometheus multiprocess dir is wiped first.
set -euo pipefail
SERVICE="${1:?usage: serve.sh nomination|review|notification|web}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "$SERVICE" in
  nomination) DEFAULT_PORT=8001 ;; review) DEFAULT_PORT=8002 ;; notification) DEFAULT_PORT=8003 ;;
  web) DEFAULT_PORT=8000; export ACCESS_LOG='' ;;  # the web front logs no client addresses: no access log
  *) echo "unknown service $SERVICE" >&2; exit 2 ;;
esac
export PORT="${PORT:-$DEFAULT_PORT}"
export PROMETHEUS_MULTIPROC_DIR="${PROMETHEUS_MULTIPROC_DIR:-$ROOT/var/prometheus/$SERVICE-$PORT}"
rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
cd "$ROOT"
PYTHON_BIN="${PYTHON_BIN:-$ROOT/.venv/bin/python}"
exec "$PYTHON_BIN" -m gunicorn -c deploy/gunicorn.conf.py "services.$SERVICE.app:create_app()"
