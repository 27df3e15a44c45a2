#!/usr/bin/env bash
# Cluster benchmark: the same chat load through nginx on 1 node and on 3 nodes
# (NODES_LIST), each run on a fresh PostgreSQL database and one NATS server,
# all on this box. switchboard-load drives visitors and agents over WebSockets
# through nginx (plain HTTP here: TLS would measure nginx); the nodes'
# conversations are then checked in PostgreSQL for double assignment.
# Prints one JSON line per run:
#   {"nodes","connections","rate","p50_ms","p99_ms","lost","duplicated","double_assigned","node_kills"}
# node_kills is 0: the load tool keeps its sockets for the whole run, so node
# kills under load are measured by tests/cluster/chaos.test.mjs (REST, resends).
# Quick run:  NODES_LIST="1 3" VISITORS=200 RATE=1000 DURATION=10 bench/cluster.sh
# Env: NODES_LIST ("1 3"), VISITORS (1000), AGENTS (2), RATE (2000), DURATION (20),
#      DB_CONNECTIONS (per node, 8), KEEP=1 (keep logs in the work directory).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-$ROOT/build}
NODES_LIST=${NODES_LIST:-"1 3"}
VISITORS=${VISITORS:-1000}
AGENTS=${AGENTS:-2}
RATE=${RATE:-2000}
DURATION=${DURATION:-20}
DB_CONNECTIONS=${DB_CONNECTIONS:-8}

if [[ ! -x $BUILD/switchboard || ! -x $BUILD/switchboard-load ]]; then
  cmake --build "$BUILD" --target switchboard switchboard-load >&2
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

WORK=$(mktemp -d /tmp/switchboard-cluster-bench.XXXXXX)
chmod 755 "$WORK"
PIDS=()
NGINX_PID=
cleanup() {
  for p in "${PIDS[@]}" $NGINX_PID; do kill -TERM "$p" 2>/dev/null || true; done
  sleep 1
  for p in "${PIDS[@]}" $NGINX_PID; do kill -KILL "$p" 2>/dev/null || true; done
  [[ -f $WORK/pg.json ]] && "$ROOT/tests/pg/pgserver.sh" stop "$WORK/pg.json" >/dev/null 2>&1 || true
  [[ -f $WORK/nats.json ]] && "$ROOT/tests/bus/natsserver.sh" stop "$WORK/nats.json" >/dev/null 2>&1 || true
  if [[ -z ${KEEP:-} ]]; then rm -rf "$WORK"; else echo "cluster: logs kept in $WORK" >&2; fi
}
trap cleanup EXIT

json_field() { grep -o "\"$2\": *[^,}]*" <<<"$1" | head -1 | cut -d: -f2- | tr -d '" '; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$ROOT/tests/pg/pgserver.sh" start --owner $$ --info "$WORK/pg.json" >/dev/null
"$ROOT/tests/bus/natsserver.sh" start --owner $$ --info "$WORK/nats.json" >/dev/null
PG_USER=$(json_field "$(cat "$WORK/pg.json")" user)
PG_SOCKET=$(json_field "$(cat "$WORK/pg.json")" socket_dir)
PG_PORT=$(json_field "$(cat "$WORK/pg.json")" port)
NATS_URL=$(json_field "$(cat "$WORK/nats.json")" url)
pg_url() { echo "postgresql://$PG_USER@/$1?host=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1],safe=""))' "$PG_SOCKET")&port=$PG_PORT"; }
psql_at() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$(pg_url "$1")" -c "$2"; }

start_nginx() {  # port, node ports...
  mkdir -p "$WORK/nginx"
  "$ROOT/deploy/cluster/nginx-conf.sh" "$1" "$WORK/nginx" "${@:2}" >"$WORK/nginx/nginx.conf"
  /usr/sbin/nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g "daemon off;" \
    >"$WORK/nginx/out.log" 2>&1 &
  NGINX_PID=$!
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && return; sleep 0.1; done
  echo "cluster: nginx did not start" >&2; cat "$WORK/nginx/error.log" >&2; exit 1
}

run=0
for nodes in $NODES_LIST; do
  run=$((run + 1))
  db=bench_$run
  psql_at postgres "CREATE DATABASE $db"
  "$BUILD/switchboard" migrate --database "$(pg_url "$db")" >/dev/null
  PIDS=()
  ports=()
  for i in $(seq "$nodes"); do
    port=$(free_port)
    ports+=("$port")
    log=$WORK/node-$run-$i.log
    args=(serve --port "$port" --data-dir "$WORK/data-$run" --web-root "$ROOT/web/dist"
          --limits "$ROOT/bench/limits-off.json" --database "$(pg_url "$db")" --bus "$NATS_URL"
          --node-id "node-$i" --db-connections "$DB_CONNECTIONS")
    [[ $i == 1 ]] && args+=(--demo)
    "$BUILD/switchboard" "${args[@]}" >"$log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 200); do grep -q '"msg":"listening"' "$log" && break; sleep 0.1; done
    grep -q '"msg":"listening"' "$log" || { cat "$log" >&2; echo "cluster: node $i did not start" >&2; exit 1; }
  done
  # The demo bot off: the run measures delivery between people.
  jar=$WORK/cookies
  csrf=$(curl -sf -c "$jar" -H 'content-type: application/json' \
    -d '{"email":"admin@demo.switchboard.test","password":"demo-admin-pass"}' \
    "http://127.0.0.1:${ports[0]}/api/v1/auth/login" | grep -o '"csrf_token":"[^"]*"' | cut -d'"' -f4)
  curl -sf -b "$jar" -H "x-csrf-token: $csrf" -H 'content-type: application/json' -X PUT \
    -d '{"enabled":false}' "http://127.0.0.1:${ports[0]}/api/v1/bot" >/dev/null
  nginx_port=$(free_port)
  start_nginx "$nginx_port" "${ports[@]}"
  echo "cluster: $nodes node(s) behind nginx :$nginx_port, $VISITORS visitors, $AGENTS agents, $RATE msg/s for ${DURATION}s" >&2
  line=$("$BUILD/switchboard-load" --url "http://127.0.0.1:$nginx_port" --visitors "$VISITORS" \
         --agents "$AGENTS" --rate "$RATE" --duration "$DURATION") || true
  echo "cluster: load: $line" >&2
  double=$(psql_at "$db" "SELECT count(*) FROM (SELECT conversation_id FROM event WHERE kind = 'system'
           AND notice->>'code' = 'joined' GROUP BY conversation_id HAVING count(*) > 1) d")
  kill -TERM $NGINX_PID "${PIDS[@]}" 2>/dev/null || true
  wait $NGINX_PID "${PIDS[@]}" 2>/dev/null || true
  NGINX_PID=
  PIDS=()
  echo "{\"nodes\":$nodes,\"connections\":$((VISITORS + AGENTS)),\"rate\":$(json_field "$line" rate),\"p50_ms\":$(json_field "$line" p50_ms),\"p99_ms\":$(json_field "$line" p99_ms),\"lost\":$(json_field "$line" lost),\"duplicated\":$(json_field "$line" duplicated),\"double_assigned\":$double,\"node_kills\":0}"
done
