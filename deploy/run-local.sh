#!/usr/bin/env bash
# `make run`: the services under gunicorn on the embedded SQLite log (var/cadreflow.db), and the
# web front on :8000, in development mode (demo sign-in). Ctrl-C stops them all.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export EVENT_BACKEND="${EVENT_BACKEND:-sqlite}"
export EVENT_DB="${EVENT_DB:-$ROOT/var/cadreflow.db}"
export CADREFLOW_DEV_MODE="${CADREFLOW_DEV_MODE:-1}"
mkdir -p "$ROOT/var"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait; echo "stopped"' INT TERM EXIT
for service in nomination review notification web; do
  "$ROOT/deploy/serve.sh" "$service" &
  pids+=($!)
done
for port in 8001 8002 8003 8000; do
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 0.2
  done
done
echo "cadreflow: web http://localhost:8000, nomination :8001, review :8002, notification :8003 on $EVENT_BACKEND ($EVENT_DB). Ctrl-C stops."
wait
