#!/usr/bin/env bash
# Installs everything Switchboard needs to build, run and test on Debian 12.
# Idempotent: packages already present are skipped quickly.
set -euo pipefail
cd "$(dirname "$0")/.."

# postgresql: its binaries for the tests, which start throwaway servers of their
# own (tests/pg/pgserver.sh); nats-server likewise (tests/bus/natsserver.sh).
# Neither system service is used.
APT_PACKAGES=(
  build-essential cmake ninja-build ccache mold pkg-config
  libboost1.81-dev libboost-json1.81-dev
  libsqlite3-dev sqlite3 postgresql libpq-dev libsodium-dev libssl-dev liboath-dev libzip-dev unzip
  libgtest-dev libgmock-dev libbenchmark-dev
  libgmime-3.0-dev libgumbo-dev libcurl4-openssl-dev dovecot-imapd dovecot-lmtpd dovecot-submissiond opensmtpd
  libcld2-dev libhunspell-dev libstemmer-dev libcmark-dev hunspell-en-us hunspell-it hunspell-pl hunspell-hu hunspell-ru
  chromium
  nginx nats-server
  clang-format clang libclang-rt-14-dev
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js: the machine image may ship its own; only fall back to Debian's.
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Front-end toolchain (esbuild, TypeScript, Preact, Playwright) from npm.
if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.stamp ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.stamp)
fi
