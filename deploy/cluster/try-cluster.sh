#!/usr/bin/env bash
# A 3-node cluster on this one machine, for trying cluster mode: a throwaway
# PostgreSQL and NATS server (in /tmp, loopback only), three `switchboard serve`
# nodes sharing one data directory (uploads, keys), nginx in front on
# http://127.0.0.1:$PORT. Ctrl-C stops everything and removes it.
#   deploy/cluster/try-cluster.sh [PORT]        (default 8080; demo data included)
# Needs the Debian packages postgresql, nats-server and nginx (scripts/setup.sh),
# and a built binary (make build).
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BIN=${SWITCHBOARD_BIN:-$ROOT/build/switchboard}
PORT=${1:-8080}
NODES=${NODES:-3}
[[ -x $BIN ]] || { echo "build first: make build" >&2; exit 1; }

WORK=$(mktemp -d /tmp/switchboard-cluster.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$ROOT/tests/pg/pgserver.sh" stop "$WORK/pg.json" >/dev/null 2>&1 || true
  "$ROOT/tests/bus/natsserver.sh" stop "$WORK/nats.json" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
"$ROOT/tests/pg/pgserver.sh" start --owner $$ --info "$WORK/pg.json" >/dev/null
"$ROOT/tests/bus/natsserver.sh" start --owner $$ --info "$WORK/nats.json" >/dev/null
socket=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' \
         "$(field "$WORK/pg.json" socket_dir)")
admin_url="postgresql://$(field "$WORK/pg.json" user)@/postgres?host=$socket&port=$(field "$WORK/pg.json" port)"
psql -X -q -d "$admin_url" -c "CREATE DATABASE switchboard"
DB=${admin_url/\/postgres\?/\/switchboard?}
"$BIN" migrate --database "$DB"

node_ports=()
for i in $(seq "$NODES"); do
  port=$((PORT + i))
  node_ports+=("$port")
  args=(serve --port "$port" --data-dir "$WORK/data" --web-root "$ROOT/web/dist" --database "$DB"
        --bus "$(field "$WORK/nats.json" url)" --node-id "node-$i" --trusted-proxy 127.0.0.1
        --public-url "http://127.0.0.1:$PORT")
  [[ $i == 1 ]] && args+=(--demo)
  "$BIN" "${args[@]}" >"$WORK/node-$i.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do grep -q '"msg":"listening"' "$WORK/node-$i.log" && break; sleep 0.1; done
done
"$ROOT/deploy/cluster/nginx-conf.sh" "$PORT" "$WORK" "${node_ports[@]}" >"$WORK/nginx.conf"
/usr/sbin/nginx -p "$WORK" -c "$WORK/nginx.conf" -g "daemon off;" &
PIDS+=($!)
sed -n '/Demo workspace ready/,/offline form/p' "$WORK/node-1.log" | sed "s/127.0.0.1:$((PORT + 1))/127.0.0.1:$PORT/g"
echo "$NODES nodes behind nginx on http://127.0.0.1:$PORT (logs in $WORK); Ctrl-C stops them all."
echo "Try: kill -9 one node's pid (${PIDS[*]:0:$NODES}) and keep chatting."
wait
