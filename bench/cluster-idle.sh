#!/usr/bin/env bash
# Idle widget connections across several nodes on this box: NODES switchboard
# processes (default 6) on one shared SQLite file, joined by a throwaway NATS
# server (tests/bus/natsserver.sh), each holding PER_NODE idle visitor sockets
# (default 17,000) opened by a switchboard-load process of its own — one process
# may hold at most 20,000 descriptors here, so 100,000 connections need five or
# more of each. Every socket is a real widget connection (token over REST, then
# the WebSocket hello); each load process holds its sockets HOLD seconds and
# measures its node's RSS before and after.
#
# A shared SQLite file is the test and development arrangement of cluster mode
# (one host); a production cluster runs on PostgreSQL. The nodes are reached
# directly: nginx in front would need two descriptors per connection per worker.
#
# Prints one JSON line per node, then
# {"nodes","connections","requested","kib_per_connection","rss_mib_total","connect_s","ok"}.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-$ROOT/build}
NODES=${NODES:-6}
PER_NODE=${PER_NODE:-17000}
HOLD=${HOLD:-20}

cmake --build "$BUILD" --target switchboard switchboard-load >&2  # up to date: a no-op
command -v nats-server >/dev/null || { echo "cluster-idle: nats-server is not installed" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

WORK=$(mktemp -d /tmp/switchboard-cluster-idle.XXXXXX)
PIDS=()
NATS_INFO=$WORK/nats.json
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  [[ -f $NATS_INFO ]] && tests/bus/natsserver.sh stop "$NATS_INFO" >/dev/null 2>&1 || true
  if [[ -z ${KEEP_DATA:-} ]]; then rm -rf "$WORK"; else echo "cluster-idle: kept $WORK" >&2; fi
}
trap cleanup EXIT

tests/bus/natsserver.sh start --owner $$ --info "$NATS_INFO" >/dev/null
NATS_URL=$(sed -n 's/.*"url": *"\([^"]*\)".*/\1/p' "$NATS_INFO")
echo "cluster-idle: nats at $NATS_URL; $NODES nodes x $PER_NODE sockets, held ${HOLD}s" >&2

PORTS=()
for i in $(seq 1 "$NODES"); do
  log=$WORK/node-$i.log
  "$BUILD/switchboard" serve --port 0 --data-dir "$WORK/db" --web-root "$ROOT/web/dist" --demo \
    --limits "$ROOT/bench/limits-off.json" --bus "$NATS_URL" --node-id "node-$i" >"$log" 2>&1 &
  PIDS+=($!)
  port=
  for _ in $(seq 200); do
    port=$(grep -o '"port":[0-9]*' "$log" 2>/dev/null | head -1 | cut -d: -f2 || true)
    [[ -n $port ]] && break
    kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$log" >&2; echo "cluster-idle: node $i did not start" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n $port ]] || { echo "cluster-idle: node $i printed no port" >&2; exit 1; }
  PORTS+=("$port")
  echo "cluster-idle: node-$i pid ${PIDS[-1]} on port $port" >&2
done

# All load processes at once, each on its own node.
LOADS=()
for i in $(seq 0 $((NODES - 1))); do
  "$BUILD/switchboard-load" --url "http://127.0.0.1:${PORTS[$i]}" --idle-only --visitors "$PER_NODE" \
    --duration "$HOLD" --server-pid "${PIDS[$i]}" >"$WORK/load-$i.json" 2>"$WORK/load-$i.err" &
  LOADS+=($!)
done
status=0
for pid in "${LOADS[@]}"; do wait "$pid" || status=1; done

python3 - "$WORK" "$NODES" "$PER_NODE" "$status" <<'EOF'
import json, sys
work, nodes, per_node, status = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rows = []
for i in range(nodes):
    text = open(f"{work}/load-{i}.json").read().strip()
    if not text:
        print(open(f"{work}/load-{i}.err").read()[-2000:], file=sys.stderr)
        sys.exit(1)
    row = json.loads(text.splitlines()[-1])
    print(json.dumps({"node": i + 1, **row}))
    rows.append(row)
conns = sum(r["connections"] for r in rows)
grown = sum(r["server_rss_kib"] - r["server_rss_before_kib"] for r in rows)
print(json.dumps({
    "nodes": nodes,
    "connections": conns,
    "requested": nodes * per_node,
    "kib_per_connection": round(grown / conns, 2) if conns else None,
    "rss_mib_total": round(sum(r["server_rss_kib"] for r in rows) / 1024, 1),
    "connect_s": max(r["connect_s"] for r in rows),
    "ok": status == 0 and conns == nodes * per_node,
}))
EOF
exit $status
