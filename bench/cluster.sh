#!/usr/bin/env bash
# Cluster benchmark: the same chat load through nginx on 1 node and on 3 nodes
# (NODES_LIST), each run on a fresh PostgreSQL database and one NATS server,
# all on this box. switchboard-load drives visitors and agents over WebSockets
# through nginx (plain HTTP here: TLS would measure nginx); the nodes'
# conversations are then checked in PostgreSQL for double assignment.
# Prints one JSON line per run:
#   {"nodes","connections","rate","p50_ms","p99_ms","lost","duplicated","double_assigned","node_kills"}
# KILL_EVERY=S (runs of 2+ nodes): every S seconds of the load one node is
# killed with SIGKILL (the next one each time, the routing leader among them)
# and started again a second later on its port; the load tool reconnects
# through nginx and resends what was not acknowledged (--reconnect), so lost and
# duplicated count what the cluster did, and p99 includes the reconnects.
# Quick run:  NODES_LIST="1 3" VISITORS=200 RATE=1000 DURATION=10 bench/cluster.sh
# Env: NODES_LIST ("1 3"), VISITORS (1000), AGENTS (2), RATE (2000), DURATION (20),
#      KILL_EVERY (0: none), DB_CONNECTIONS (per node, 8), KEEP=1 (keep logs).
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
KILL_EVERY=${KILL_EVERY:-0}

cmake --build "$BUILD" --target switchboard switchboard-load >&2  # up to date: a no-op
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

WORK=$(mktemp -d /tmp/switchboard-cluster-bench.XXXXXX)
chmod 755 "$WORK"

NGINX_PID=
node_pids() { cat "$WORK"/pid-* 2>/dev/null || true; }
cleanup() {
  for p in $(node_pids) $NGINX_PID; do kill -TERM "$p" 2>/dev/null || true; done
  sleep 1
  for p in $(node_pids) $NGINX_PID; do kill -KILL "$p" 2>/dev/null || true; done
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
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$1/healthz" && return; sleep 0.1; done
  echo "cluster: nginx did not start" >&2; cat "$WORK/nginx/error.log" >&2; exit 1
}

# Starts node i of run r on its port (again, after a kill) and waits until it listens.
start_node() {  # run, i, database, port
  local log=$WORK/node-$1-$2.log
  local args=(serve --port "$4" --data-dir "$WORK/data-$1" --web-root "$ROOT/web/dist"
              --limits "$ROOT/bench/limits-off.json" --database "$(pg_url "$3")" --bus "$NATS_URL"
              --node-id "node-$2" --db-connections "$DB_CONNECTIONS")
  [[ $2 == 1 && ! -f $WORK/pid-$1-$2 ]] && args+=(--demo)
  "$BUILD/switchboard" "${args[@]}" >>"$log" 2>&1 &
  echo $! >"$WORK/pid-$1-$2"
  for _ in $(seq 200); do [[ $(grep -c '"msg":"listening"' "$log") -ge ${5:-1} ]] && return; sleep 0.1; done
  cat "$log" >&2; echo "cluster: node $2 did not start" >&2; exit 1
}

# Every KILL_EVERY seconds: SIGKILL the next node, start it again a second later.
kill_nodes() {  # run, nodes, database, ports...
  local run=$1 nodes=$2 db=$3 k=0 i
  local ports=("${@:4}")
  declare -A starts
  while sleep "$KILL_EVERY"; do
    i=$((k % nodes + 1))
    kill -KILL "$(cat "$WORK/pid-$run-$i")" 2>/dev/null || true
    k=$((k + 1))
    echo "$k" >"$WORK/kills-$run"
    echo "cluster: killed node $i" >&2
    sleep 1
    starts[$i]=$((${starts[$i]:-1} + 1))
    start_node "$run" "$i" "$db" "${ports[$((i - 1))]}" "${starts[$i]}"
  done
}

run=0
for nodes in $NODES_LIST; do
  run=$((run + 1))
  db=bench_$run
  psql_at postgres "CREATE DATABASE $db"
  "$BUILD/switchboard" migrate --database "$(pg_url "$db")" >/dev/null
  ports=()
  for i in $(seq "$nodes"); do
    ports+=("$(free_port)")
    start_node "$run" "$i" "$db" "${ports[$((i - 1))]}"
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
  load_args=(--url "http://127.0.0.1:$nginx_port" --visitors "$VISITORS" --agents "$AGENTS"
             --rate "$RATE" --duration "$DURATION")
  killer=
  if [[ $KILL_EVERY != 0 && $nodes -gt 1 ]]; then
    load_args+=(--reconnect --drain 30)
    # Kills start with the sending: the load tool says when setup is over.
    ( while ! grep -q "setup REST done" "$WORK/load-$run.log" 2>/dev/null; do sleep 0.2; done
      kill_nodes "$run" "$nodes" "$db" "${ports[@]}" ) &
    killer=$!
  fi
  line=$("$BUILD/switchboard-load" "${load_args[@]}" 2> >(tee "$WORK/load-$run.log" >&2)) || true
  [[ -n $killer ]] && { kill "$killer" 2>/dev/null; wait "$killer" 2>/dev/null || true; }
  kills=$(cat "$WORK/kills-$run" 2>/dev/null || echo 0)
  echo "cluster: load: $line" >&2
  # A message counted lost (acknowledged, never delivered to an agent): stored or not?
  for cid in $(grep -o 'switchboard-load: lost [^ ]*' "$WORK/load-$run.log" 2>/dev/null | cut -d' ' -f3); do
    echo "cluster: lost $cid in the database (conversation|seq|last_seq): $(psql_at "$db" "SELECT e.conversation_id,
          e.seq, c.last_seq FROM event e JOIN conversation c ON c.id = e.conversation_id WHERE e.client_id = '$cid'")" >&2
  done
  echo "cluster: database (commits|rows fetched|inserted|updated): $(psql_at "$db" "SELECT xact_commit, tup_fetched,
        tup_inserted, tup_updated FROM pg_stat_database WHERE datname = current_database()")" >&2
  [[ -n ${KEEP:-} ]] && psql_at "$db" "SELECT relname, seq_scan, idx_scan, n_tup_ins, n_tup_upd
        FROM pg_stat_user_tables WHERE seq_scan + coalesce(idx_scan, 0) + n_tup_ins + n_tup_upd > 1000
        ORDER BY 3 DESC" >&2
  # With SB_PG_OPTIONS="-c shared_preload_libraries=pg_stat_statements": the costliest statements.
  if [[ -n ${KEEP:-} && ${SB_PG_OPTIONS:-} == *pg_stat_statements* ]]; then
    psql_at "$db" "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
    psql_at "$db" "SELECT calls, round(total_exec_time) AS ms, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 160)
      FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15" >&2
  fi
  double=$(psql_at "$db" "SELECT count(*) FROM (SELECT conversation_id FROM event WHERE kind = 'system'
           AND notice->>'code' = 'joined' GROUP BY conversation_id HAVING count(*) > 1) d")
  pids=$(cat "$WORK"/pid-$run-* 2>/dev/null)
  kill -TERM $NGINX_PID $pids 2>/dev/null || true
  for p in $NGINX_PID $pids; do
    for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  done
  rm -f "$WORK"/pid-$run-*
  NGINX_PID=
  echo "{\"nodes\":$nodes,\"connections\":$((VISITORS + AGENTS)),\"rate\":$(json_field "$line" rate),\"p50_ms\":$(json_field "$line" p50_ms),\"p99_ms\":$(json_field "$line" p99_ms),\"lost\":$(json_field "$line" lost),\"duplicated\":$(json_field "$line" duplicated),\"double_assigned\":$double,\"node_kills\":$kills}"
done
