#!/usr/bin/env bash
# Installs Switchboard on this machine as a systemd service: the binary, the web
# files, the `switchboard` user, the data directory, the settings file and the
# unit; then migrates the database and (re)starts the service. Idempotent: run it
# again after `git pull` to upgrade (a restart drains: nothing is lost). It says
# what it did, one line per step.
#
#   sudo deploy/install.sh [--build] [--binary FILE] [--web DIR] [--no-start]
#                          [--nginx HOSTNAME] [--root DIR]
#
#   --build          build the binary (Release) and the web files first
#   --binary FILE    install this binary (default: build/switchboard)
#   --web DIR        install these web files (default: web/dist)
#   --no-start       install only; do not enable or (re)start the service
#   --nginx HOST     also install the nginx site for HOST and reload nginx
#   --root DIR       install into DIR instead of / (staging; nothing is started)
set -euo pipefail

BUILD=0 START=1 NGINX_HOST="" ROOT="" BINARY="" WEB=""
while (($#)); do
  case "$1" in
    --build) BUILD=1 ;;
    --binary) BINARY=$(realpath -m "$2"); shift ;;
    --web) WEB=$(realpath -m "$2"); shift ;;
    --no-start) START=0 ;;
    --nginx) NGINX_HOST=$2; shift ;;
    --root) ROOT=$(realpath -m "$2"); START=0; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
cd "$(dirname "$0")/.."
BINARY=${BINARY:-build/switchboard} WEB=${WEB:-web/dist}

BIN_DIR=$ROOT/usr/local/bin
SHARE_DIR=$ROOT/usr/local/share/switchboard
DOC_DIR=$ROOT/usr/local/share/doc/switchboard
CONF_DIR=$ROOT/etc/switchboard
UNIT_DIR=$ROOT/etc/systemd/system
DATA_DIR=$ROOT/var/lib/switchboard
SERVICE_USER=switchboard

say() { printf '%-10s %s\n' "$1" "$2"; }

if [ -z "$ROOT" ] && [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root (sudo), or stage with --root DIR" >&2
  exit 1
fi

if ((BUILD)); then
  cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DSB_BUILD_BENCH=OFF >/dev/null
  cmake --build build-release --target switchboard >/dev/null
  BINARY=build-release/switchboard
  (cd web && node build.mjs >/dev/null)
  say built "$BINARY and web/dist"
fi
[ -x "$BINARY" ] || { echo "install.sh: no binary at $BINARY (build it, or pass --build)" >&2; exit 1; }
[ -f "$WEB/widget.js" ] || { echo "install.sh: no web files in $WEB (cd web && node build.mjs)" >&2; exit 1; }

# Copies src to dst (mode) unless dst already has the same bytes; says which.
# Returns 0 when it wrote, 1 when dst was already the same.
put() {
  local src=$1 dst=$2 mode=$3
  if [ -f "$dst" ] && cmp -s "$src" "$dst"; then
    say unchanged "$dst"
    return 1
  fi
  install -D -m "$mode" "$src" "$dst.new"
  mv -f "$dst.new" "$dst"
  say installed "$dst"
}

binary_changed=0
put "$BINARY" "$BIN_DIR/switchboard" 0755 && binary_changed=1

# The web files as one tree, swapped in whole: no half-old, half-new console.
if [ -d "$SHARE_DIR/web" ] && diff -rq "$WEB" "$SHARE_DIR/web" >/dev/null 2>&1; then
  say unchanged "$SHARE_DIR/web/"
else
  mkdir -p "$SHARE_DIR"
  rm -rf "$SHARE_DIR/web.new"
  cp -r "$WEB" "$SHARE_DIR/web.new"
  chmod -R u=rwX,go=rX "$SHARE_DIR/web.new"
  rm -rf "$SHARE_DIR/web.old"
  [ -d "$SHARE_DIR/web" ] && mv "$SHARE_DIR/web" "$SHARE_DIR/web.old"
  mv "$SHARE_DIR/web.new" "$SHARE_DIR/web"
  rm -rf "$SHARE_DIR/web.old"
  say installed "$SHARE_DIR/web/"
  binary_changed=1  # the running console should come from the new files too
fi
put docs/DEPLOY.md "$DOC_DIR/DEPLOY.md" 0644 || true

# The service user: a system account without a shell or a home of its own.
if [ -z "$ROOT" ]; then
  if getent passwd "$SERVICE_USER" >/dev/null; then
    say exists "user $SERVICE_USER"
  else
    useradd --system --user-group --home-dir /var/lib/switchboard --no-create-home \
      --shell /usr/sbin/nologin --comment "Switchboard" "$SERVICE_USER"
    say created "user $SERVICE_USER"
  fi
elif [ -f "$ROOT/etc/passwd" ]; then
  if grep -q "^$SERVICE_USER:" "$ROOT/etc/passwd"; then
    say exists "user $SERVICE_USER (in $ROOT)"
  else
    useradd --prefix "$ROOT" --system --user-group --home-dir /var/lib/switchboard \
      --no-create-home --shell /usr/sbin/nologin --comment "Switchboard" "$SERVICE_USER"
    say created "user $SERVICE_USER (in $ROOT)"
  fi
else
  say skipped "user $SERVICE_USER ($ROOT/etc/passwd does not exist)"
fi
owner() {  # "user:group" for chown, or nothing when the user is not on this system
  if [ -z "$ROOT" ]; then echo "$SERVICE_USER:$SERVICE_USER"; fi
}

if [ -d "$DATA_DIR" ]; then
  say exists "$DATA_DIR"
else
  mkdir -p "$DATA_DIR"
  say created "$DATA_DIR"
fi
chmod 0700 "$DATA_DIR"
[ -n "$(owner)" ] && chown "$(owner)" "$DATA_DIR"

# Settings are the administrator's: installed once, never overwritten.
if [ -f "$CONF_DIR/switchboard.env" ]; then
  say kept "$CONF_DIR/switchboard.env (yours; deploy/switchboard.env.example has the defaults)"
else
  install -D -m 0640 deploy/switchboard.env.example "$CONF_DIR/switchboard.env"
  [ -z "$ROOT" ] && chgrp "$SERVICE_USER" "$CONF_DIR/switchboard.env"
  say installed "$CONF_DIR/switchboard.env (edit SWITCHBOARD_PUBLIC_URL)"
fi

unit_changed=0
put deploy/systemd/switchboard.service "$UNIT_DIR/switchboard.service" 0644 && unit_changed=1

# The database: created or migrated now, as the service user, so a broken
# upgrade stops here and not in a restart loop.
if [ -z "$ROOT" ]; then
  out=$(runuser -u "$SERVICE_USER" -- "$BIN_DIR/switchboard" migrate --data-dir "$DATA_DIR")
  say migrated "$DATA_DIR/switchboard.db ($out)"
fi

if [ -n "$NGINX_HOST" ]; then
  snippets=$ROOT/etc/nginx/snippets sites=$ROOT/etc/nginx/sites-available
  mkdir -p "$snippets" "$sites" "$ROOT/etc/nginx/sites-enabled" "$ROOT/var/www/letsencrypt"
  put deploy/nginx/switchboard-proxy.conf "$snippets/switchboard-proxy.conf" 0644 || true
  site=$(mktemp)
  sed "s/help\.example\.com/$NGINX_HOST/g" deploy/nginx/switchboard.conf >"$site"
  put "$site" "$sites/switchboard" 0644 || true
  rm -f "$site"
  ln -sfn ../sites-available/switchboard "$ROOT/etc/nginx/sites-enabled/switchboard"
  if [ -z "$ROOT" ]; then
    if nginx -t 2>/dev/null; then
      systemctl reload nginx && say reloaded nginx
    else
      say waiting "nginx: no certificate for $NGINX_HOST yet (docs/DEPLOY.md, TLS); nginx not reloaded"
    fi
  fi
fi

if ((START)) && [ -d /run/systemd/system ]; then
  ((unit_changed)) && systemctl daemon-reload && say reloaded "systemd units"
  systemctl enable --quiet switchboard && say enabled switchboard.service
  if systemctl is-active --quiet switchboard; then
    if ((binary_changed || unit_changed)); then
      systemctl restart switchboard && say restarted "switchboard.service (drained the old process)"
    else
      say running switchboard.service
    fi
  else
    systemctl start switchboard && say started switchboard.service
  fi
elif ((START)); then
  say skipped "starting the service (systemd is not running here)"
fi

cat <<EOT

Next: create your workspace and first admin (once):
  sudo -u $SERVICE_USER /usr/local/bin/switchboard init --data-dir /var/lib/switchboard \\
    --workspace "Acme" --admin-email you@acme.example --admin-password 'long secret'
Backups: sudo -u $SERVICE_USER /usr/local/bin/switchboard backup --data-dir /var/lib/switchboard --to FILE
More: /usr/local/share/doc/switchboard/DEPLOY.md
EOT
