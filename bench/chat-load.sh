#!/usr/bin/env bash
# Load benchmark: builds if needed, starts a fresh server (temporary data dir,
# free port, demo workspace), runs switchboard-load twice and stops the server.
#   (a) idle:  VISITORS idle widget sockets held IDLE_HOLD s -> server memory per connection
#   (b) chat:  CHAT_VISITORS visitors + AGENTS agents, RATE messages/s for DURATION s
# Each run prints its JSON line; the chat line is printed last.
# Quick run:  VISITORS=200 RATE=500 DURATION=5 bench/chat-load.sh
# Env: VISITORS (20000), CHAT_VISITORS (1000, at most VISITORS), AGENTS (2), RATE (5000),
#      DURATION (60), IDLE_HOLD (10), SERVER_THREADS (server default), SKIP_IDLE=1, SKIP_CHAT=1,
#      KEEP_DATA=1 (keep the data dir and server log), BOT=1 (leave the demo FAQ bot on),
#      SERVER_ARGS (extra `switchboard serve` flags, e.g. "--reconcile-ms 60000").
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-$ROOT/build}
VISITORS=${VISITORS:-20000}
CHAT_VISITORS=${CHAT_VISITORS:-1000}
(( CHAT_VISITORS > VISITORS )) && CHAT_VISITORS=$VISITORS
AGENTS=${AGENTS:-2}
RATE=${RATE:-5000}
DURATION=${DURATION:-60}
IDLE_HOLD=${IDLE_HOLD:-10}

cmake --build "$BUILD" --target switchboard switchboard-load >&2  # up to date: a no-op

# Both processes need one descriptor per socket. The soft limit can be raised
# here; the hard limit only by root / the container (see bench/README.md).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
hard=$(ulimit -Hn)
if [[ $hard != unlimited ]] && (( hard < VISITORS + 100 )); then
  echo "chat-load: warning: open-file hard limit is $hard, below VISITORS=$VISITORS + ~100;" \
       "the idle run will not reach $VISITORS connections (see bench/README.md)" >&2
fi

DATA=$(mktemp -d /tmp/switchboard-bench.XXXXXX)
LOG=$DATA/server.log
SERVER_PID=
cleanup() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
  if [[ -z ${KEEP_DATA:-} ]]; then rm -rf "$DATA"; else echo "chat-load: data and log kept in $DATA" >&2; fi
}
trap cleanup EXIT

start_server() {
  # One IP plays thousands of visitors: the anonymous-write limits are off here.
  local args=(serve --port 0 --data-dir "$DATA/db" --web-root "$ROOT/web/dist" --demo
              --limits "$ROOT/bench/limits-off.json")
  [[ -n ${SERVER_THREADS:-} ]] && args+=(--threads "$SERVER_THREADS")
  # shellcheck disable=SC2206  # SERVER_ARGS is split on purpose: extra server flags
  [[ -n ${SERVER_ARGS:-} ]] && args+=($SERVER_ARGS)
  "$BUILD/switchboard" "${args[@]}" >"$LOG" 2>&1 &
  SERVER_PID=$!
  PORT=
  for _ in $(seq 100); do
    PORT=$(grep -o '"port":[0-9]*' "$LOG" 2>/dev/null | head -1 | cut -d: -f2 || true)
    [[ -n $PORT ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$LOG" >&2; echo "chat-load: server did not start" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n $PORT ]] || { echo "chat-load: server did not print its port" >&2; exit 1; }
  echo "chat-load: server pid $SERVER_PID on port $PORT ($(nproc) cores, $(free -m | awk '/Mem:/{print $2}') MiB)" >&2
  [[ ${BOT:-0} == 1 ]] || bot_off
}

# The demo workspace has its FAQ bot on; the load test measures chat delivery
# without it unless BOT=1 (then every chat's first message goes through the bot).
bot_off() {
  local jar=$DATA/cookies csrf
  csrf=$(curl -sf -c "$jar" -H 'content-type: application/json' \
    -d '{"email":"admin@demo.switchboard.test","password":"demo-admin-pass"}' \
    "http://127.0.0.1:$PORT/api/v1/auth/login" | grep -o '"csrf_token":"[^"]*"' | cut -d'"' -f4)
  curl -sf -b "$jar" -H "x-csrf-token: $csrf" -H 'content-type: application/json' -X PUT \
    -d '{"enabled":false}' "http://127.0.0.1:$PORT/api/v1/bot" >/dev/null
}

stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "chat-load: server did not stop on SIGTERM within 10 s" >&2
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

status=0
idle_line=
if [[ -z ${SKIP_IDLE:-} ]]; then
  start_server
  echo "chat-load: (a) $VISITORS idle visitor sockets for ${IDLE_HOLD}s" >&2
  idle_line=$("$BUILD/switchboard-load" --url "http://127.0.0.1:$PORT" --idle-only --visitors "$VISITORS" \
              --duration "$IDLE_HOLD" --server-pid "$SERVER_PID") || status=1
  stop_server
  rm -rf "$DATA/db"
fi

chat_line=
if [[ -z ${SKIP_CHAT:-} ]]; then
  start_server
  echo "chat-load: (b) $CHAT_VISITORS visitors, $AGENTS agents, $RATE msg/s for ${DURATION}s" >&2
  chat_line=$("$BUILD/switchboard-load" --url "http://127.0.0.1:$PORT" --visitors "$CHAT_VISITORS" \
              --agents "$AGENTS" --rate "$RATE" --duration "$DURATION" --server-pid "$SERVER_PID") || status=1
  stop_server
fi

[[ -n $idle_line ]] && echo "$idle_line"
[[ -n $chat_line ]] && echo "$chat_line"
exit $status
