#!/usr/bin/env bash
# Start a single-node KRaft Kafka broker on loopback and wait until it has started.
#   KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_VAR_DIR (<repo>/var/kafka)
# Data survives stop/start (format is skipped when the storage is already formatted).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PORT="${KAFKA_PORT:-9092}"
CPORT="${KAFKA_CONTROLLER_PORT:-9093}"
VAR="${KAFKA_VAR_DIR:-$ROOT/var/kafka}"
PIDFILE="$VAR/kafka.pid"

if [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  echo "kafka: already running (pid $(cat "$PIDFILE")) on 127.0.0.1:$PORT"
  exit 0
fi
if ! ls "$HERE"/lib/kafka_2.13-*.jar >/dev/null 2>&1; then
  echo "kafka: fetching broker jars from Maven Central"
  mvn -B -q -f "$HERE/pom.xml" dependency:copy-dependencies
fi

mkdir -p "$VAR/logs" "$VAR/data"
sed -e "s#127.0.0.1:9092#127.0.0.1:$PORT#g" \
    -e "s#127.0.0.1:9093#127.0.0.1:$CPORT#g" \
    -e "s#^log.dirs=.*#log.dirs=$VAR/data#" \
    "$HERE/server.properties" > "$VAR/server.properties"

CP="$HERE/lib/*"
JOPTS=(-Xms256m -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
       -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true -XX:TieredStopAtLevel=1
       "-Dlog4j2.configurationFile=$HERE/log4j2.properties" "-Dkafka.logs.dir=$VAR/logs")

if [[ ! -f "$VAR/data/meta.properties" ]]; then
  # Uuid.fromString wants URL-safe base64 of 16 bytes without padding; it may begin with "-",
  # so it is passed as --cluster-id=<id>, never as a separate argument that looks like an option.
  CLUSTER_ID="$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  java "${JOPTS[@]}" -cp "$CP" kafka.tools.StorageTool format "--cluster-id=$CLUSTER_ID" \
       -c "$VAR/server.properties" --ignore-formatted > "$VAR/format.out" 2>&1 \
    || { cat "$VAR/format.out"; exit 1; }
fi

START=$(date +%s%N)
: > "$VAR/kafka.out"
nohup java "${JOPTS[@]}" -cp "$CP" kafka.Kafka "$VAR/server.properties" >> "$VAR/kafka.out" 2>&1 &
echo $! > "$PIDFILE"

for _ in $(seq 1 240); do
  if grep -q "Kafka Server started" "$VAR/kafka.out"; then
    printf 'kafka: started on 127.0.0.1:%s in %.1f s (pid %s)\n' "$PORT" \
      "$(( ($(date +%s%N) - START) / 1000000 ))e-3" "$(cat "$PIDFILE")"
    exit 0
  fi
  if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    echo "kafka: broker exited during start"; tail -50 "$VAR/kafka.out"; exit 1
  fi
  sleep 0.5
done
echo "kafka: not started after 120 s"; tail -50 "$VAR/kafka.out"; exit 1
