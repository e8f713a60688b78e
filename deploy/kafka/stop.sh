#!/usr/bin/env bash
# Stop the broker started by start.sh: SIGTERM (controlled shutdown), SIGKILL after 60 s.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VAR="${KAFKA_VAR_DIR:-$ROOT/var/kafka}"
PIDFILE="$VAR/kafka.pid"
[[ -f "$PIDFILE" ]] || { echo "kafka: not running"; exit 0; }
PID="$(cat "$PIDFILE")"
if kill -0 "$PID" 2>/dev/null; then
  kill "$PID"
  for _ in $(seq 1 120); do kill -0 "$PID" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$PID" 2>/dev/null; then echo "kafka: forcing stop"; kill -9 "$PID"; fi
fi
rm -f "$PIDFILE"
echo "kafka: stopped"
