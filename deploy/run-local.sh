#!/usr/bin/env bash
# `make run`: the four services under gunicorn on the embedded SQLite log (var/cadreflow.db), and the
# web front on :8000, in development mode (demo sign-in). Ctrl-C stops them all.
# Other ports: WEB_PORT, NOMINATION_PORT, REVIEW_PORT, NOTIFICATION_PORT, SUPERVISION_PORT (the web
# front is pointed at the services' ports).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export EVENT_BACKEND="${EVENT_BACKEND:-sqlite}"
export EVENT_DB="${EVENT_DB:-$ROOT/var/cadreflow.db}"
# A development machine: the services accept the documented development JWT secret (and refuse
# it anywhere this is not set).
export CADREFLOW_DEV_MODE="${CADREFLOW_DEV_MODE:-1}"
declare -A PORTS=(
  [web]="${WEB_PORT:-8000}" [nomination]="${NOMINATION_PORT:-8001}" [review]="${REVIEW_PORT:-8002}"
  [notification]="${NOTIFICATION_PORT:-8003}" [supervision]="${SUPERVISION_PORT:-8004}"
)
for service in nomination review notification supervision; do
  url="WEB_${service^^}_URL"
  export "$url=${!url:-http://127.0.0.1:${PORTS[$service]}}"
done
# The web front calls the supervision service from 127.0.0.1 and passes each visitor's address in
# X-Forwarded-For; the supervision service believes that header only from these addresses, so
# public reports are rate-limited per visitor, not all together as "the web front".
export SUPERVISION_TRUSTED_PROXIES="${SUPERVISION_TRUSTED_PROXIES:-127.0.0.1,::1}"
mkdir -p "$ROOT/var"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait; echo "stopped"' INT TERM EXIT
for service in nomination review notification supervision web; do
  PORT="${PORTS[$service]}" "$ROOT/deploy/serve.sh" "$service" &
  pids+=($!)
done
for service in nomination review notification supervision web; do
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:${PORTS[$service]}/readyz" >/dev/null 2>&1 && break
    sleep 0.2
  done
done
echo "cadreflow: web http://localhost:${PORTS[web]}, nomination :${PORTS[nomination]}, review :${PORTS[review]}," \
  "notification :${PORTS[notification]}, supervision :${PORTS[supervision]} on $EVENT_BACKEND ($EVENT_DB). Ctrl-C stops."
wait
