#!/usr/bin/env bash
# Side-by-side HTTP benchmark: Switchboard vs Live Helper Chat (LHC, PHP) on this box,
# loopback only. See bench/vs-peer.md for how to get LHC, what is measured and caveats.
#
#   LHC_SRC=/path/to/livehelperchat bench/vs-peer.sh
#
# Env: LHC_SRC (required: an LHC checkout, its root or its lhc_web/ directory),
#      DURATION (s per wrk run, 20), CONNS ("16 64"), WARMUP (s, 3), CHATS (chats the
#      message test cycles over, 256), TOKENS (Switchboard visitors the chat-start test
#      cycles over, 1000), FPM_CHILDREN (php-fpm static workers, 16), MARIADB_FLUSH
#      (innodb_flush_log_at_trx_commit, 2), SWITCHBOARD (binary, default build/switchboard,
#      copied to the temp dir first), ONLY (switchboard|lhc: run one product), KEEP=1
#      (keep the temp dir with logs and databases), OPS ("start message": which operations),
#      SERVER_ARGS (more flags for `switchboard serve`, e.g. "--threads 1").
# Installs nothing. Needs (Debian packages): php-fpm php-cli php-mysql php-mbstring
# php-curl php-gd php-xml mariadb-server nginx wrk curl sqlite3.
# Prints progress on stderr and the result table on stdout. Exit status 0 only if every
# request of every run succeeded and the databases hold what the runs sent.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${DURATION:-20}
CONNS=${CONNS:-"16 64"}
WARMUP=${WARMUP:-3}
CHATS=${CHATS:-256}
TOKENS=${TOKENS:-1000}
FPM_CHILDREN=${FPM_CHILDREN:-16}
MARIADB_FLUSH=${MARIADB_FLUSH:-2}
ONLY=${ONLY:-}
SB_BIN=${SWITCHBOARD:-$ROOT/build/switchboard}
# A hard bound for the whole run: setup + 2 products x 2 operations x conns x (warm-up + run + slack).
n_conns=$(wc -w <<<"$CONNS")
TIME_LIMIT=${TIME_LIMIT:-$(( 300 + 4 * n_conns * (DURATION + WARMUP + 15) ))}

log() { echo "vs-peer: $*" >&2; }
die() { log "error: $*"; exit 1; }

# ------------------------------------------------------------------ prerequisites
find_fpm() {
  local f
  for f in php-fpm /usr/sbin/php-fpm*; do
    command -v "$f" >/dev/null 2>&1 && { command -v "$f"; return; }
  done
}
missing=()
FPM=$(find_fpm || true)
[[ -n $FPM ]] || missing+=("php-fpm (apt-get install php-fpm)")
command -v php >/dev/null || missing+=("php (apt-get install php-cli)")
for t in mariadbd:mariadb-server mariadb-install-db:mariadb-server mariadb:mariadb-client \
         nginx:nginx wrk:wrk curl:curl sqlite3:sqlite3; do
  b=${t%%:*}; p=${t#*:}
  command -v "$b" >/dev/null 2>&1 || [[ -x /usr/sbin/$b ]] || missing+=("$b (apt-get install $p)")
done
if command -v php >/dev/null; then
  for ext in pdo_mysql mbstring curl gd json; do
    php -r "exit(extension_loaded('$ext') ? 0 : 1);" || missing+=("php extension $ext (apt-get install php-${ext/pdo_mysql/mysql})")
  done
fi
if (( ${#missing[@]} )); then
  log "missing prerequisites (nothing is installed by this script):"
  printf '  - %s\n' "${missing[@]}" >&2
  exit 2
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
MARIADBD=$(command -v mariadbd || echo /usr/sbin/mariadbd)

if [[ $ONLY != switchboard ]]; then
  [[ -n ${LHC_SRC:-} ]] || die "set LHC_SRC to a Live Helper Chat checkout (see bench/vs-peer.md), or ONLY=switchboard"
  if [[ -f $LHC_SRC/lhc_web/index.php ]]; then LHC_WEB=$LHC_SRC/lhc_web
  elif [[ -f $LHC_SRC/index.php && -d $LHC_SRC/modules/lhwidgetrestapi ]]; then LHC_WEB=$LHC_SRC
  else die "LHC_SRC=$LHC_SRC holds neither lhc_web/index.php nor index.php + modules/lhwidgetrestapi"; fi
fi
LHC_REV=${LHC_REV:-$( [[ -n ${LHC_SRC:-} ]] && git -C "$LHC_SRC" rev-parse --short HEAD 2>/dev/null || echo '?')}
if [[ $ONLY != lhc ]]; then
  [[ -x $SB_BIN ]] || die "$SB_BIN missing: build it with 'make build' (or set SWITCHBOARD=...)"
fi

# ------------------------------------------------------------------ temp dir, cleanup
WORK=$(mktemp -d /tmp/vs-peer.XXXXXX)
chmod 755 "$WORK"
PIDS=()          # "name:pid" of everything started here
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local e name pid
  for (( i=${#PIDS[@]}-1; i>=0; i-- )); do
    e=${PIDS[i]}; name=${e%%:*}; pid=${e#*:}
    kill -0 "$pid" 2>/dev/null || continue
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then log "$name ($pid) did not stop on SIGTERM; SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  done
  if [[ -n ${WATCHDOG:-} ]]; then kill "$WATCHDOG" 2>/dev/null || true; fi
  if [[ -n ${KEEP:-} ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM
# Watchdog: the whole run is bounded.
( trap 'kill "$s" 2>/dev/null; exit 0' TERM
  sleep "$TIME_LIMIT" & s=$!; wait "$s"
  log "time limit ${TIME_LIMIT}s reached; stopping"; kill -TERM $$ ) 2>/dev/null &
WATCHDOG=$!

free_port() {
  # Below the ephemeral range: wrk leaves tens of thousands of client ports in TIME_WAIT
  # there, and a server cannot bind a port a client socket still holds.
  local p lo
  lo=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  (( lo > 11000 )) || lo=32768
  for _ in $(seq 200); do
    p=$(( 10000 + RANDOM % (lo - 10000) ))
    if command -v ss >/dev/null; then
      [[ -z $(ss -Htan "( sport = :$p )" 2>/dev/null) ]] && { echo "$p"; return; }
    else
      (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    fi
  done
  die "no free port"
}
wait_http() {  # url, seconds
  for _ in $(seq $(( $2 * 10 ))); do
    curl -sf -o /dev/null --max-time 2 "$1" && return 0
    sleep 0.1
  done
  return 1
}
RUN_ID=$(date +%s)-$RANDOM

# ------------------------------------------------------------------ wrk + parsing
to_ms() {  # "1.23ms" | "850.00us" | "1.02s" | "2.00m" -> ms
  awk -v v="$1" 'BEGIN{ n=v+0; u=v; sub(/^[0-9.]+/,"",u);
    if(u=="us") n/=1000; else if(u=="s") n*=1000; else if(u=="m") n*=60000; printf "%.2f", n }'
}
settle() {  # product op -> the row count once it stops changing (requests still in flight
  # when wrk stops run to completion: PHP finishes them, Switchboard commits them).
  local prev=-1 cur
  for _ in $(seq 50); do
    cur=$(count_"$1" "$2")
    [[ $cur == "$prev" ]] && break
    prev=$cur; sleep 0.5
  done
  echo "$cur"
}
RESULTS=()   # "product|op|conns|rps|p50|p99|requests|non2xx|sockerr|stored"
FAIL=0
run_wrk() {  # product op conns lua-template url -> appends to RESULTS and $WORK/wrk.log
  # The template's __TAG__ becomes a tag unique to each wrk invocation, so that client ids
  # never repeat across the warm-up and the measured run (a repeat would be an idempotent
  # no-op for Switchboard, not a new message).
  local product=$1 op=$2 c=$3 tmpl=$4 url=$5 out before after
  if (( WARMUP > 0 )); then
    sed "s/__TAG__/w$c/g" "$tmpl" >"${tmpl%.in}-w$c.lua"
    wrk -t1 -c"$c" -d"${WARMUP}s" --timeout 10s -s "${tmpl%.in}-w$c.lua" "$url" >/dev/null 2>&1 || true
  fi
  sed "s/__TAG__/r$c/g" "$tmpl" >"${tmpl%.in}-r$c.lua"
  before=$(settle "$product" "$op")
  W_LOAD=$(cut -d' ' -f1 /proc/loadavg)
  out=$(wrk -t1 -c"$c" -d"${DURATION}s" --timeout 10s --latency -s "${tmpl%.in}-r$c.lua" "$url" 2>&1) || true
  after=$(settle "$product" "$op")
  { echo "### $product $op c=$c"; echo "$out"; } >>"$WORK/wrk.log"
  W_RPS=$(awk '/^Requests\/sec:/{print $2}' <<<"$out")
  W_P50=$(to_ms "$(awk '$1=="50%"{print $2}' <<<"$out")")
  W_P99=$(to_ms "$(awk '$1=="99%"{print $2}' <<<"$out")")
  W_REQ=$(awk '/requests in/{print $1}' <<<"$out")
  W_NON2XX=$(awk '/Non-2xx or 3xx responses:/{print $NF}' <<<"$out"); W_NON2XX=${W_NON2XX:-0}
  W_SOCK=$(awk '/Socket errors:/{s=0; for(i=3;i<=NF;i++) if($i ~ /^[0-9]+,?$/) s+=$i; print s}' <<<"$out"); W_SOCK=${W_SOCK:-0}
  local stored=$(( after - before ))
  [[ -n $W_RPS && -n $W_REQ ]] || { log "wrk output not understood:"; echo "$out" >&2; FAIL=1; W_RPS=0; W_REQ=0; }
  RESULTS+=("$product|$op|$c|$W_RPS|$W_P50|$W_P99|$W_REQ|$W_NON2XX|$W_SOCK|$stored|$W_LOAD")
  # Every completed 2xx request must have stored one row (a few more may be stored by
  # requests still in flight when wrk stopped: at most one per connection).
  local ok=$(( W_REQ - W_NON2XX ))
  if (( W_NON2XX > 0 || W_SOCK > 0 || stored < ok || stored > ok + c )); then
    log "CHECK FAILED $product $op c=$c: requests=$W_REQ non2xx=$W_NON2XX socket_errors=$W_SOCK stored=$stored"
    FAIL=1
  fi
  log "$product $op c=$c: $W_RPS req/s p50 ${W_P50} ms p99 ${W_P99} ms, $W_REQ requests, non-2xx $W_NON2XX, socket errors $W_SOCK, rows stored $stored"
}

# ------------------------------------------------------------------ Switchboard
SB_URL=
start_switchboard() {
  mkdir -p "$WORK/sb"
  cp -p "$SB_BIN" "$WORK/sb/switchboard"
  SB_BUILT="built $(date -u -r "$WORK/sb/switchboard" +%Y-%m-%dT%H:%MZ), sha256 $(sha256sum "$WORK/sb/switchboard" | cut -c1-12)"
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  "$WORK/sb/switchboard" serve --port 0 --data-dir "$WORK/sb/data" --web-root "$ROOT/web/dist" --demo \
    --limits "$ROOT/bench/limits-off.json" ${SERVER_ARGS:-} >"$WORK/sb/server.log" 2>&1 &
  PIDS+=("switchboard:$!")
  local pid=$! port=
  for _ in $(seq 100); do
    port=$(grep -o '"port":[0-9]*' "$WORK/sb/server.log" 2>/dev/null | head -1 | cut -d: -f2 || true)
    [[ -n $port ]] && break
    kill -0 "$pid" 2>/dev/null || { cat "$WORK/sb/server.log" >&2; die "switchboard did not start"; }
    sleep 0.1
  done
  [[ -n $port ]] || die "switchboard did not print its port"
  SB_URL=http://127.0.0.1:$port
  SB_DB=$(find "$WORK/sb/data" -name '*.db' -o -name '*.sqlite*' | grep -v -- '-wal\|-shm' | head -1)
  [[ -n $SB_DB ]] || die "switchboard database not found under $WORK/sb/data"
  # Demo workspace: turn its FAQ bot off (LHC has no bot either), as bench/chat-load.sh does.
  local jar=$WORK/sb/cookies csrf
  csrf=$(curl -sf -c "$jar" -H 'content-type: application/json' \
    -d '{"email":"admin@demo.switchboard.test","password":"demo-admin-pass"}' \
    "$SB_URL/api/v1/auth/login" | grep -o '"csrf_token":"[^"]*"' | cut -d'"' -f4)
  curl -sf -b "$jar" -H "x-csrf-token: $csrf" -H 'content-type: application/json' -X PUT \
    -d '{"enabled":false}' "$SB_URL/api/v1/bot" >/dev/null || die "could not turn the demo bot off"
  SB_INBOX=$(sqlite3 "$SB_DB" "SELECT public_key FROM inbox ORDER BY id LIMIT 1" 2>/dev/null || true)
  log "switchboard pid $pid at $SB_URL, db $SB_DB, inbox key '${SB_INBOX}'"
}
count_switchboard() {  # op -> rows: conversations (start) or visitor message events (message)
  if [[ $1 == start ]]; then sqlite3 "$SB_DB" "SELECT count(*) FROM conversation"
  else sqlite3 "$SB_DB" "SELECT count(*) FROM event WHERE kind='message' AND author_type='visitor'"; fi
}
setup_switchboard() {
  local n cfg
  log "switchboard: $TOKENS visitor tokens, $CHATS chats for the message test"
  n=$(( TOKENS > CHATS ? TOKENS : CHATS ))
  cfg=$WORK/sb/tokens.curl
  for (( i=0; i<n; i++ )); do
    printf 'url = "%s/api/v1/widget/%s/visitors"\nrequest = "POST"\nwrite-out = "\\n"\n' "$SB_URL" "$SB_INBOX"
    (( i < n-1 )) && echo next
  done >"$cfg"
  curl -s -K "$cfg" | grep -o '"visitor_token":"[^"]*"' | cut -d'"' -f4 >"$WORK/sb/tokens"
  (( $(wc -l <"$WORK/sb/tokens") == n )) || die "switchboard: got $(wc -l <"$WORK/sb/tokens") of $n visitor tokens"
  # One open chat per visitor for the message test.
  cfg=$WORK/sb/chats.curl; : >"$cfg"
  head -n "$CHATS" "$WORK/sb/tokens" | { i=0; while read -r t; do
    (( i > 0 )) && echo next >>"$cfg"
    printf 'url = "%s/api/v1/widget/conversations"\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\ndata = "{\\"kind\\":\\"chat\\",\\"client_id\\":\\"setup-%d\\",\\"name\\":\\"Bench %d\\",\\"message\\":\\"Hello, I need help\\"}"\nwrite-out = "\\n"\n' \
      "$SB_URL" "$t" "$i" "$i" >>"$cfg"
    i=$((i+1)); done; }
  curl -s -K "$cfg" | grep -o '^{"id":[0-9]*' | cut -d: -f2 >"$WORK/sb/chat_ids"
  (( $(wc -l <"$WORK/sb/chat_ids") == CHATS )) || die "switchboard: created $(wc -l <"$WORK/sb/chat_ids") of $CHATS chats"
  # Lua: chat start cycles over the visitor tokens, a fresh client_id per request.
  { echo "local tokens = {"; sed 's/.*/"&",/' "$WORK/sb/tokens"; echo "}"
    cat <<EOF
local n = 0
request = function()
  n = n + 1
  local t = tokens[(n % #tokens) + 1]
  local body = '{"kind":"chat","client_id":"$RUN_ID-s__TAG__-' .. n .. '","name":"Visitor ' .. n .. '","message":"Hello, I need help with my order ' .. n .. '"}'
  return wrk.format("POST", "/api/v1/widget/conversations",
    {["Authorization"] = "Bearer " .. t, ["Content-Type"] = "application/json"}, body)
end
EOF
  } >"$WORK/sb/start.lua.in"
  # Lua: message send cycles over the chats (one visitor each), a fresh client_id per message.
  { echo "local chats = {"; paste -d' ' "$WORK/sb/chat_ids" <(head -n "$CHATS" "$WORK/sb/tokens") | awk '{printf "{%s,\"%s\"},\n",$1,$2}'; echo "}"
    cat <<EOF
local n = 0
request = function()
  n = n + 1
  local c = chats[(n % #chats) + 1]
  local body = '{"client_id":"$RUN_ID-m__TAG__-' .. n .. '","body":"Message number ' .. n .. ' from the visitor"}'
  return wrk.format("POST", "/api/v1/widget/conversations/" .. c[1] .. "/messages",
    {["Authorization"] = "Bearer " .. c[2], ["Content-Type"] = "application/json"}, body)
end
EOF
  } >"$WORK/sb/message.lua.in"
}

# ------------------------------------------------------------------ LHC
start_lhc() {
  local d=$WORK/lhc
  mkdir -p "$d"/{mysql,run,nginx-tmp,log}
  log "lhc: copying $LHC_WEB"
  cp -a "$LHC_WEB" "$d/web"
  local W=$d/web
  # LHC's composer dependencies (lib/vendor) are not in its git tree; the visitor paths
  # measured here need none of them. Without them, a small autoloader stands in for
  # composer's (its own classes only: lib/core, lib/models, lib/vendor_lhc, extension).
  if [[ ! -f $W/lib/vendor/autoload.php ]]; then
    log "lhc: lib/vendor/autoload.php missing (no 'composer install'); writing a class-map autoloader for LHC's own classes"
    mkdir -p "$W/lib/vendor"
    php "$ROOT/bench/vs-peer/lhc-autoload.php" "$W" >"$W/lib/vendor/autoload.php"
  fi
  chmod -R a+rwX "$W/cache" "$W/settings" "$W/var"

  # MariaDB: own datadir, loopback TCP.
  MY_PORT=$(free_port); MY_SOCK=$d/run/mysqld.sock
  local myuser=(); [[ $EUID == 0 ]] && myuser=(--user=root)
  mariadb-install-db --no-defaults "${myuser[@]}" --datadir="$d/mysql" --auth-root-authentication-method=normal \
    --skip-test-db >"$d/log/mariadb-install.log" 2>&1 || { cat "$d/log/mariadb-install.log" >&2; die "mariadb-install-db failed"; }
  "$MARIADBD" --no-defaults "${myuser[@]}" --datadir="$d/mysql" --socket="$MY_SOCK" --port="$MY_PORT" \
    --bind-address=127.0.0.1 --skip-name-resolve --pid-file="$d/run/mysqld.pid" --log-error="$d/log/mariadb.err" \
    --innodb-flush-log-at-trx-commit="$MARIADB_FLUSH" --innodb-buffer-pool-size=512M --max-connections=500 \
    --skip-log-bin >>"$d/log/mariadb.err" 2>&1 &
  PIDS+=("mariadbd:$!")
  for _ in $(seq 300); do mariadb --no-defaults -S "$MY_SOCK" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.1; done
  mariadb --no-defaults -S "$MY_SOCK" -uroot -e "CREATE DATABASE lhc CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
    CREATE USER 'lhc'@'127.0.0.1' IDENTIFIED BY 'lhcbench'; GRANT ALL ON lhc.* TO 'lhc'@'127.0.0.1';" \
    || { cat "$d/log/mariadb.err" >&2; die "mariadb did not start"; }
  log "lhc: mariadb on 127.0.0.1:$MY_PORT (innodb_flush_log_at_trx_commit=$MARIADB_FLUSH)"

  # LHC's own non-interactive installer (cli/install-cli.php): schema, settings file,
  # the default department and the admin (operator) account.
  cat >"$d/install.ini" <<EOF
[db]
host = 127.0.0.1
user = lhc
password = lhcbench
database = lhc
port = $MY_PORT

[admin]
AdminUsername = operator
AdminPassword = operator-pass-1
AdminEmail = operator@bench.example.com
AdminName = Bench
AdminSurname = Operator
Domain = 127.0.0.1
DefaultDepartament = Support
ForceVirtualHost = 0
Extensions =
ApacheUserGroupName =
ApacheUserName =
TimeZone = UTC
WebhooksEnabled = 0
WebhooksWorker = http
DefaultConfigs = []
EOF
  ( cd "$W" && php cli/install-cli.php "$d/install.ini" ) >"$d/log/install.log" 2>&1 || true
  grep -q "'installed' => true" "$W/settings/settings.ini.php" 2>/dev/null \
    || { cat "$d/log/install.log" >&2; die "LHC install-cli.php did not finish (settings/settings.ini.php not marked installed)"; }
  lhc_sql "SELECT count(*) FROM lh_departament" | grep -q '^1$' || die "LHC: expected one department"
  lhc_sql "SELECT count(*) FROM lh_users" | grep -q '^1$' || die "LHC: expected one operator"
  # No operator is online in either product: new chats wait in the queue (Switchboard's
  # demo agents have no open socket either).

  # php-fpm: own pool, unix socket, static workers.
  local run_as=(); [[ $EUID == 0 ]] && run_as=(-R)
  cat >"$d/php-fpm.conf" <<EOF
[global]
pid = $d/run/php-fpm.pid
error_log = $d/log/php-fpm.log
daemonize = no
[lhc]
listen = $d/run/php-fpm.sock
listen.mode = 0666
pm = static
pm.max_children = $FPM_CHILDREN
pm.max_requests = 0
catch_workers_output = yes
php_admin_value[error_log] = $d/log/php-error.log
php_admin_flag[log_errors] = on
php_admin_value[memory_limit] = 256M
php_admin_value[opcache.validate_timestamps] = 0
EOF
  "$FPM" "${run_as[@]}" --nodaemonize --fpm-config "$d/php-fpm.conf" >"$d/log/php-fpm.out" 2>&1 &
  PIDS+=("php-fpm:$!")

  # nginx: own config, loopback port.
  LHC_PORT=$(free_port)
  local user_line=; [[ $EUID == 0 ]] && user_line="user root root;"
  cat >"$d/nginx.conf" <<EOF
$user_line
worker_processes auto;
daemon off;
pid $d/run/nginx.pid;
error_log $d/log/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $d/nginx-tmp/body;
  fastcgi_temp_path $d/nginx-tmp/fastcgi;
  proxy_temp_path $d/nginx-tmp/proxy;
  uwsgi_temp_path $d/nginx-tmp/uwsgi;
  scgi_temp_path $d/nginx-tmp/scgi;
  keepalive_requests 1000000;
  upstream php { server unix:$d/run/php-fpm.sock; }
  server {
    listen 127.0.0.1:$LHC_PORT;
    root $W;
    index index.php;
    location / { try_files \$uri \$uri/ /index.php?\$args; }
    location ~ ^/index\.php(/|\$) {
      fastcgi_split_path_info ^(.+?\.php)(/.*)\$;
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_param PATH_INFO \$fastcgi_path_info;
      fastcgi_pass php;
    }
  }
}
EOF
  "$NGINX" -e "$d/log/nginx-error.log" -c "$d/nginx.conf" -p "$d" >"$d/log/nginx.out" 2>&1 &
  PIDS+=("nginx:$!")
  LHC_URL=http://127.0.0.1:$LHC_PORT
  for _ in $(seq 100); do [[ -S $d/run/php-fpm.sock ]] && break; sleep 0.1; done
  wait_http "$LHC_URL/index.php/widgetrestapi/settings" 20 || { cat "$d/log/"*.log >&2; die "LHC did not answer at $LHC_URL"; }
  log "lhc: nginx at $LHC_URL, php-fpm $FPM_CHILDREN static workers"
}
lhc_sql() { mariadb --no-defaults -S "$MY_SOCK" -uroot -N -B lhc -e "$1"; }
count_lhc() {  # op -> rows: chats (start) or visitor messages (message)
  if [[ $1 == start ]]; then lhc_sql "SELECT count(*) FROM lh_chat"
  else lhc_sql "SELECT count(*) FROM lh_msg WHERE user_id=0"; fi
}
UA="vs-peer-bench/1"   # the same User-Agent from curl and wrk: LHC's captcha token is bound to it
setup_lhc() {
  local cfg=$WORK/lhc/chats.curl out ts cap
  # The widget first fetches a time-stamped token (captcha/captchastring/fake/<ts>) and sends
  # it with the start form as fields.captcha_<hash> = ts and fields.tscaptcha = ts; the token
  # is valid for 30 minutes and depends on the request headers (User-Agent, Accept-*), so it
  # is fetched once here with the same headers wrk sends, as one widget would reuse it.
  ts=$(date +%s)
  out=$(curl -s -A "$UA" -H 'Accept:' -X POST "$LHC_URL/index.php/captcha/captchastring/fake/$ts" || true)
  cap=$(grep -o '"result":"[0-9a-f]*"' <<<"$out" | cut -d'"' -f4 || true)
  [[ -n $cap ]] || die "LHC: no captcha token from captcha/captchastring: $out"
  LHC_START_BODY='{"fields":{"Username":"Visitor","Question":"Hello, I need help with my order","captcha_'$cap'":'$ts',"tscaptcha":'$ts'},"department":[1]}'
  log "lhc: $CHATS chats for the message test"
  # One request first, to show LHC's answer when it is not a success.
  out=$(curl -s -A "$UA" -H 'Accept:' -H 'Content-Type: application/json' -d "$LHC_START_BODY" "$LHC_URL/index.php/widgetrestapi/submitonline")
  grep -q '"success":true' <<<"$out" || die "LHC chat start failed: $out"
  : >"$cfg"
  for (( i=1; i<CHATS; i++ )); do
    (( i > 1 )) && echo next >>"$cfg"
    printf 'url = "%s/index.php/widgetrestapi/submitonline"\nuser-agent = "%s"\nheader = "Accept:"\nheader = "Content-Type: application/json"\ndata = "%s"\nwrite-out = "\\n"\n' \
      "$LHC_URL" "$UA" "${LHC_START_BODY//\"/\\\"}" >>"$cfg"
  done
  { echo "$out"; echo; curl -s -K "$cfg"; } | grep -o '"chatData":{"id":[0-9]*,"hash":"[^"]*"' \
    | sed 's/.*"id":\([0-9]*\),"hash":"\([^"]*\)"/\1 \2/' >"$WORK/lhc/chats"
  (( $(wc -l <"$WORK/lhc/chats") == CHATS )) || die "LHC: created $(wc -l <"$WORK/lhc/chats") of $CHATS chats"
  # Lua: chat start as the widget does it (widgetrestapi/submitonline).
  cat >"$WORK/lhc/start.lua.in" <<EOF
local body = '${LHC_START_BODY}'
request = function()
  return wrk.format("POST", "/index.php/widgetrestapi/submitonline",
    {["Content-Type"] = "application/json", ["User-Agent"] = "$UA"}, body)
end
EOF
  # Lua: message send as the widget does it (widgetrestapi/addmsguser with the chat id + hash).
  { echo "local chats = {"; awk '{printf "{%s,\"%s\"},\n",$1,$2}' "$WORK/lhc/chats"; echo "}"
    cat <<'EOF'
local n = 0
request = function()
  n = n + 1
  local c = chats[(n % #chats) + 1]
  local body = '{"id":' .. c[1] .. ',"hash":"' .. c[2] .. '","msg":"Message number ' .. n .. ' from the visitor","attachments":[]}'
  return wrk.format("POST", "/index.php/widgetrestapi/addmsguser",
    {["Content-Type"] = "application/json", ["User-Agent"] = "vs-peer-bench/1"}, body)
end
EOF
  } >"$WORK/lhc/message.lua.in"
}

# ------------------------------------------------------------------ run
# Switchboard triages after the commit (language, emotion, bot greeting), so a chat-start
# run leaves a backlog that would otherwise run during the next measurement. Each
# Switchboard run starts once it has drained (logged: how long it took, at most 180 s).
# And every run (either product) starts on an idle machine: MariaDB keeps flushing and
# purging after LHC's runs, which on two cores would otherwise load the next run.
settle_cpu() {
  local t0=$SECONDS a b idle=0
  while (( SECONDS - t0 < 60 )); do
    a=($(head -1 /proc/stat)); sleep 1; b=($(head -1 /proc/stat))
    local total=0 i
    for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
    idle=$(( ((b[4] - a[4]) + (b[5] - a[5])) * 100 / (total > 0 ? total : 1) ))
    (( idle >= 90 )) && { log "machine idle (${idle}% over 1 s) after $((SECONDS - t0)) s"; return; }
  done
  log "machine still busy after 60 s (${idle}% idle); measuring anyway"
}
settle_switchboard() {
  local t0=$SECONDS m q d
  while (( SECONDS - t0 < 180 )); do
    m=$(curl -fsS "$SB_URL/metrics" 2>/dev/null || true)
    q=$(awk '/^switchboard_triage_queued_total /{print $2}' <<<"$m")
    d=$(awk '/^switchboard_triage_done_total /{print $2}' <<<"$m")
    [[ -n $q && $q == "$d" ]] && { log "switchboard: triage backlog drained in $((SECONDS - t0)) s"; return; }
    sleep 0.5
  done
  log "switchboard: triage backlog still $((q - d)) after 180 s"
}
log "$(nproc) cores, $(free -m | awk '/Mem:/{print $2}') MiB; wrk -t1 ${DURATION}s per run, connections: $CONNS"
products=()
if [[ $ONLY != lhc ]]; then start_switchboard; setup_switchboard; products+=(switchboard); fi
if [[ $ONLY != switchboard ]]; then start_lhc; setup_lhc; products+=(lhc); fi
# Both products run side by side (idle while the other is measured); the runs alternate
# product by product, so a slow minute on a shared box hits both rather than one.
for op in ${OPS:-start message}; do
  for c in $CONNS; do
    for p in "${products[@]}"; do
      settle_cpu
      if [[ $p == switchboard ]]; then settle_switchboard; run_wrk switchboard "$op" "$c" "$WORK/sb/$op.lua.in" "$SB_URL"
      else run_wrk lhc "$op" "$c" "$WORK/lhc/$op.lua.in" "$LHC_URL"; fi
    done
  done
done
if [[ $ONLY != switchboard ]]; then
  lhc_errors=$(grep -c . "$WORK/lhc/log/php-error.log" 2>/dev/null || true)
  if [[ ${lhc_errors:-0} -gt 0 ]]; then
    log "lhc: $lhc_errors lines in the PHP error log (first 5):"; head -5 "$WORK/lhc/log/php-error.log" >&2
  fi
fi
sb_errors=$(grep -ci 'error' "$WORK/sb/server.log" 2>/dev/null || true)
[[ ${sb_errors:-0} -gt 0 ]] && log "switchboard: $sb_errors lines mention 'error' in the server log"

# ------------------------------------------------------------------ table
echo
echo "vs-peer: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t1 -d${DURATION}s, Switchboard repo HEAD $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?') (binary ${SB_BUILT:-not run}), LHC ${LHC_REV:-?}, load1 = 1-min load average at the start of each run"
printf '%-12s %-9s %5s %10s %9s %9s %9s %7s %7s %9s %6s\n' product operation conns req/s p50_ms p99_ms requests non2xx sockerr stored load1
for r in "${RESULTS[@]}"; do
  IFS='|' read -r p o c rps p50 p99 req non sock st ld <<<"$r"
  printf '%-12s %-9s %5s %10s %9s %9s %9s %7s %7s %9s %6s\n' "$p" "$o" "$c" "$rps" "$p50" "$p99" "$req" "$non" "$sock" "$st" "$ld"
done
if [[ -z $ONLY ]]; then
  echo
  echo "ratios Switchboard/LHC: req/s above 1 = Switchboard serves more; latency below 1 = Switchboard answers faster"
  printf '%-8s %5s %16s %16s %16s\n' operation conns "req/s SB/LHC" "p50 SB/LHC" "p99 SB/LHC"
  for op in ${OPS:-start message}; do
    for c in $CONNS; do
      sb=; lh=
      for r in "${RESULTS[@]}"; do
        IFS='|' read -r p o cc rps p50 p99 _ <<<"$r"
        [[ $o == "$op" && $cc == "$c" ]] || continue
        [[ $p == switchboard ]] && sb="$rps $p50 $p99"
        [[ $p == lhc ]] && lh="$rps $p50 $p99"
      done
      [[ -n $sb && -n $lh ]] || continue
      awk -v op="$op" -v c="$c" -v s="$sb" -v l="$lh" 'BEGIN{ split(s,a," "); split(l,b," ");
        printf "%-8s %5s %16s %16s %16s\n", op, c,
          (b[1]>0 ? sprintf("%.1fx", a[1]/b[1]) : "n/a"),
          (b[2]>0 ? sprintf("%.3f", a[2]/b[2]) : "n/a"),
          (b[3]>0 ? sprintf("%.3f", a[3]/b[3]) : "n/a") }'
    done
  done
fi
(( FAIL == 0 )) || { log "some checks failed (see above; wrk outputs in the temp dir with KEEP=1)"; exit 1; }
