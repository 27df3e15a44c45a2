#!/usr/bin/env bash
# A throwaway NATS server for tests, in a fresh directory of its own, listening
# on loopback only. Nothing of the system's nats-server service is used.
#
#   natsserver.sh start [--port N] [--max-payload BYTES] [--user U --pass P]
#                       [--owner PID|parent] [--info FILE]
#       starts one and prints it as JSON: {"dir", "port", "pid", "url"}.
#       Without --port the server picks a free one; --port N reuses a known
#       port (a test restarting "the same" server); --user/--pass require
#       those credentials of every client. --info also writes the
#       JSON to FILE; --owner stops and removes the server once that process
#       ends ("parent": the caller), so a crashed test leaves nothing behind.
#   natsserver.sh stop DIR|FILE
#       stops the server of that directory (or --info FILE) and removes it.
set -euo pipefail

readonly START_WAIT_S=20

die() { echo "natsserver.sh: $*" >&2; exit 1; }

alive() {  # running, not a zombie
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

json_field() {  # file key: a string field of our own flat JSON
  sed -n "s/.*\"$2\": *\"\\([^\"]*\\)\".*/\\1/p" "$1" | head -n 1
}

start() {
  local owner="" info="" port=-1 max_payload="" user="" pass=""
  while (($#)); do
    case "$1" in
      --port) port=${2:?}; shift 2 ;;
      --max-payload) max_payload=${2:?}; shift 2 ;;
      --user) user=${2:?}; shift 2 ;;
      --pass) pass=${2:?}; shift 2 ;;
      --owner) owner=${2:?}; shift 2 ;;
      --info) info=${2:?}; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  [ "$owner" = parent ] && owner=$PPID
  local bin
  bin=$(command -v nats-server) || die "nats-server not found: install the Debian package nats-server (scripts/setup.sh)"
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/sb-nats.XXXXXX")
  {
    echo "listen: \"127.0.0.1:$port\""
    [ -n "$max_payload" ] && echo "max_payload: $max_payload"
    [ -n "$user" ] && echo "authorization { user: \"$user\", password: \"$pass\" }"
    echo "ports_file_dir: \"$dir\""
  } >"$dir/nats.conf"
  setsid "$bin" -c "$dir/nats.conf" -l "$dir/server.log" </dev/null >/dev/null 2>&1 &
  local pid=$!
  echo "$pid" >"$dir/pid"
  # The ports file appears once the server listens: it names the real port.
  local ports="$dir/nats-server_$pid.ports" waited=0
  while [ ! -s "$ports" ]; do
    if ! kill -0 "$pid" 2>/dev/null || ((waited >= START_WAIT_S * 10)); then
      echo "natsserver.sh: the server did not start; its log:" >&2
      tail -n 20 "$dir/server.log" >&2 || true
      kill -9 "$pid" 2>/dev/null || true
      rm -rf "$dir"
      die "nats-server did not start"
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  local real_port
  real_port=$(sed -n 's/.*"nats:\/\/[^"]*:\([0-9]*\)".*/\1/p' "$ports" | head -n 1)
  [ -n "$real_port" ] || real_port=$(grep -o ':[0-9]*"' "$ports" | head -n 1 | tr -dc 0-9)
  local json
  json=$(printf '{"dir": "%s", "port": %d, "pid": %d, "url": "nats://127.0.0.1:%d"}' \
    "$dir" "$real_port" "$pid" "$real_port")
  echo "$json" >"$dir/server.json"
  [ -n "$info" ] && echo "$json" >"$info" && info=$(realpath "$info")
  if [ -n "$owner" ]; then
    setsid bash -c 'while kill -0 "$1" 2>/dev/null && [ -d "$3" ]; do sleep 1; done
                    "$2" stop "$4"' watchdog "$owner" "$(realpath "$0")" "$dir" "${info:-$dir}" \
      </dev/null >/dev/null 2>&1 &
  fi
  echo "$json"
}

stop() {
  local target=${1:?usage: natsserver.sh stop DIR|FILE} dir
  if [ -f "$target" ]; then dir=$(json_field "$target" dir); else dir=$target; fi
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  [ -f "$dir/server.json" ] || [ -f "$dir/nats.conf" ] || die "$dir is not a directory natsserver.sh made"
  local pid
  pid=$(cat "$dir/pid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid" 2>/dev/null || true
    # Gone for good before we return: a restart on the same port must find it free.
    local waited=0
    # A zombie (its parent, init, reaps it in its own time) holds no port.
    while alive "$pid" && ((waited < 200)); do sleep 0.02; waited=$((waited + 1)); done
  fi
  rm -rf "$dir"
  if [ -f "$target" ]; then rm -f "$target"; fi
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) die "usage: natsserver.sh start [--port N] [--max-payload BYTES] [--user U --pass P] [--owner PID|parent] [--info FILE] | stop DIR|FILE" ;;
esac
