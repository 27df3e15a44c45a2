#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests, in a fresh directory of its own: initdb,
# then the server on a unix socket in that directory (no TCP port, so nothing
# clashes with other servers or tests), fsync off, trust authentication for the
# user "sb". Nothing of the system's PostgreSQL service is used or started.
#
#   pgserver.sh start [--owner PID|parent] [--info FILE] [--durable]
#       starts one and prints it as JSON: {"dir", "socket_dir", "port", "user",
#       "url"} (url names the database "postgres"; tests create their own);
#       --info also writes the JSON to FILE; --owner stops and removes the
#       server once that process ends ("parent": the caller), so a test that
#       crashes or is killed leaves nothing behind. Commits are asynchronous
#       (fast; a crash of the server loses the last moments) unless --durable:
#       then a COMMIT returns once its WAL is written, so a server crash
#       (restart below) loses nothing acknowledged (fsync stays off: the
#       machine itself does not crash in a test).
#   pgserver.sh stop DIR|FILE
#       stops the server of that directory (or of that --info FILE) and removes it.
#   pgserver.sh restart DIR|FILE [DOWN_SECONDS]
#       stops the server as a crash would (immediate mode: no checkpoint, open
#       connections cut), waits DOWN_SECONDS (0), starts it again on the same
#       socket with the same data.
#
# initdb and the server refuse to run as root: as root they run as the
# "postgres" user the Debian package creates (or "nobody"), which owns the
# directory; the tests, as root, still connect through the socket.
set -euo pipefail

readonly PORT=5432
readonly USER_NAME=sb
readonly START_WAIT_S=30

die() { echo "pgserver.sh: $*" >&2; exit 1; }

bindir() {
  local d
  for d in "${PG_BINDIR:-}" /usr/lib/postgresql/*/bin; do
    [ -n "$d" ] && [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return; }
  die "initdb not found: install the Debian package postgresql (scripts/setup.sh)"
}

# Runs a command as the server's user: ourselves, or when root, postgres/nobody.
as_server() {
  if [ "$(id -u)" -ne 0 ]; then "$@"; return; fi
  local who=postgres
  id -u "$who" >/dev/null 2>&1 || who=nobody
  setpriv --reuid="$who" --regid="$(id -g "$who")" --init-groups -- "$@"
}

server_user() {
  if [ "$(id -u)" -ne 0 ]; then id -un; return; fi
  id -u postgres >/dev/null 2>&1 && echo postgres || echo nobody
}

json_field() {  # file key: a string field of our own flat JSON
  sed -n "s/.*\"$2\": *\"\\([^\"]*\\)\".*/\\1/p" "$1" | head -n 1
}

start() {
  local owner="" info="" commit=off
  while (($#)); do
    case "$1" in
      --owner) owner=${2:?}; shift 2 ;;
      --info) info=${2:?}; shift 2 ;;
      --durable) commit=on; shift ;;
      *) die "unknown option $1" ;;
    esac
  done
  [ "$owner" = parent ] && owner=$PPID
  local bin dir
  bin=$(bindir)
  # Short: the socket's path must fit in 107 bytes.
  dir=$(mktemp -d "${TMPDIR:-/tmp}/sb-pg.XXXXXX")
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown "$(server_user)": "$dir"
  if ! as_server "$bin/initdb" -D "$dir/data" -U "$USER_NAME" --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    die "initdb failed"
  fi
  local options="-k $dir -c listen_addresses= -p $PORT -c fsync=off -c synchronous_commit=$commit"
  options+=" -c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB"
  # Extra server settings for a diagnosis, e.g. "-c shared_preload_libraries=pg_stat_statements".
  options+=" ${SB_PG_OPTIONS:-}"
  echo "$options" >"$dir/options"
  if ! as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t "$START_WAIT_S" \
      -o "$options" start >/dev/null 2>&1; then
    echo "pgserver.sh: the server did not start; its log:" >&2
    tail -n 40 "$dir/server.log" >&2 || true
    rm -rf "$dir"
    die "pg_ctl start failed"
  fi
  local url="postgresql://$USER_NAME@/postgres?host=$dir&port=$PORT"
  local json
  json=$(printf '{"dir": "%s", "socket_dir": "%s", "port": %d, "user": "%s", "url": "%s"}' \
    "$dir" "$dir" "$PORT" "$USER_NAME" "$url")
  echo "$json" >"$dir/server.json"
  [ -n "$info" ] && echo "$json" >"$info" && info=$(realpath "$info")
  if [ -n "$owner" ]; then
    # The watchdog outlives this script; its output must not hold the caller's pipe.
    # It stops the server through the --info file when there is one, so that goes too.
    setsid bash -c 'while kill -0 "$1" 2>/dev/null && [ -d "$3" ]; do sleep 1; done
                    "$2" stop "$4"' watchdog "$owner" "$(realpath "$0")" "$dir" "${info:-$dir}" \
      </dev/null >/dev/null 2>&1 &
  fi
  echo "$json"
}

stop() {
  local target=${1:?usage: pgserver.sh stop DIR|FILE} dir
  if [ -f "$target" ]; then dir=$(json_field "$target" dir); else dir=$target; fi
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  [ -f "$dir/server.json" ] || die "$dir is not a directory pgserver.sh made"
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_server "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  if [ -f "$target" ]; then rm -f "$target"; fi
}

restart() {
  local target=${1:?usage: pgserver.sh restart DIR|FILE [DOWN_SECONDS]} down=${2:-0} dir
  if [ -f "$target" ]; then dir=$(json_field "$target" dir); else dir=$target; fi
  [ -f "$dir/server.json" ] || die "$dir is not a directory pgserver.sh made"
  local bin
  bin=$(bindir)
  as_server "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  sleep "$down"
  if ! as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t "$START_WAIT_S" \
      -o "$(cat "$dir/options")" start >/dev/null 2>&1; then
    tail -n 40 "$dir/server.log" >&2 || true
    die "pg_ctl start failed"
  fi
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  restart) shift; restart "$@" ;;
  *) die "usage: pgserver.sh start [--owner PID|parent] [--info FILE] | stop DIR|FILE | restart DIR|FILE [DOWN_SECONDS]" ;;
esac
