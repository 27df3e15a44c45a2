#!/usr/bin/env bash
# Real mail servers for tests, in a directory of their own, on free loopback ports:
# Dovecot (IMAP, IMAPS, STARTTLS, LMTP, a test user in a passwd-file, Maildir),
# OpenSMTPD (plain SMTP, delivering into Dovecot over LMTP) and Dovecot's
# submission service in front of it (STARTTLS + AUTH, and SMTPS + AUTH).
#
#   mailservers.sh start DIR [--no-idle]   prints the ports and the account as JSON
#   mailservers.sh stop DIR                 stops the daemons started in DIR
#
# Why two SMTP servers: Debian 12's OpenSMTPD 6.8 cannot do TLS with OpenSSL 3
# (every handshake fails with "EVP lib", OpenSMTPD issues 1171 and 1239), so
# TLS and AUTH come from Dovecot's submission proxy, which relays to it.
# OpenSMTPD keeps its queue in /var/spool/smtpd and its control socket in /run,
# both fixed at build time, and runs only as root: it is started in a private
# mount namespace (unshare) with both bound into DIR, so several instances run
# at once and nothing is left behind. Without root only Dovecot starts, and
# "smtp" is null.
set -euo pipefail

readonly START_WAIT_S=10
readonly MAIL_USER=test
readonly MAIL_PASSWORD=test-password
readonly CUSTOMER_USER=customer
readonly CUSTOMER_PASSWORD=customer-password

die() { echo "mailservers.sh: $*" >&2; exit 1; }

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Below the kernel's ephemeral range, so no outgoing connection holds the port.
free_port() {
  local p low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  for _ in $(seq 1 200); do
    p=$((10000 + (RANDOM * 32768 + RANDOM) % (low - 10000)))
    if port_is_free "$p" && ! grep -qx "$p" "$DIR/.ports" 2>/dev/null; then
      echo "$p" >>"$DIR/.ports"
      echo "$p"
      return
    fi
  done
  die "no free loopback port found"
}

# Waits until a daemon listens; 1 (with its log on stderr) if it exited or is late.
wait_port() {  # port name log pidfile
  local deadline=$((SECONDS + START_WAIT_S)) why
  until ! port_is_free "$1"; do
    why=""
    kill -0 "$(cat "$4")" 2>/dev/null || why="exited"
    ((SECONDS >= deadline)) && why="did not listen on 127.0.0.1:$1 within ${START_WAIT_S}s"
    if [ -n "$why" ]; then
      echo "mailservers.sh: $2 $why; its log:" >&2
      tail -n 40 "$3" >&2 2>/dev/null || true
      return 1
    fi
    sleep 0.05
  done
}

make_certificate() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
    -keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem" >/dev/null 2>&1 ||
    die "openssl could not make a certificate"
  chmod 0600 "$DIR/tls/key.pem"
}

submission_conf() {
  cat <<EOF
hostname = localhost
submission_relay_host = 127.0.0.1
submission_relay_port = $SMTP_PORT
submission_relay_trusted = yes
service submission-login {
  inet_listener submission {
    address = 127.0.0.1
    port = $SUBMISSION_PORT
  }
  inet_listener submissions {
    address = 127.0.0.1
    port = $SMTPS_PORT
    ssl = yes
  }
}
EOF
}

write_dovecot_conf() {  # no_idle with_submission
  local login_user internal_user mail_uid mail_gid internal_group=""
  if [ "$(id -u)" -eq 0 ]; then
    login_user=dovenull internal_user=dovecot
    mail_uid=$(id -u nobody) mail_gid=$(id -g nobody)
  else
    login_user=$(id -un) internal_user=$(id -un) mail_uid=$(id -u) mail_gid=$(id -g)
    internal_group="default_internal_group = $(id -gn)"
  fi
  # A second mailbox, the customer's, so tests can read what the product sends out.
  mkdir -p "$DIR/home/$MAIL_USER" "$DIR/home/$CUSTOMER_USER"
  chown -R "$mail_uid:$mail_gid" "$DIR/home"
  {
    echo "$MAIL_USER:{PLAIN}$MAIL_PASSWORD:$mail_uid:$mail_gid::$DIR/home/$MAIL_USER"
    echo "$CUSTOMER_USER:{PLAIN}$CUSTOMER_PASSWORD:$mail_uid:$mail_gid::$DIR/home/$CUSTOMER_USER"
  } >"$DIR/dovecot/passwd"
  local capability="" protocols="imap lmtp" submission=""
  # Without IDLE in the list the client must poll; the command itself stays.
  [ "$1" = 1 ] && capability="imap_capability = IMAP4rev1 LITERAL+ SASL-IR ID ENABLE UIDPLUS"
  if [ "$2" = 1 ]; then
    protocols="imap lmtp submission"
    submission=$(submission_conf)
  fi
  cat >"$DIR/dovecot/dovecot.conf" <<EOF
instance_name = sb-mail-$(basename "$DIR")
base_dir = $DIR/dovecot/run
state_dir = $DIR/dovecot/state
log_path = $DIR/dovecot/dovecot.log
protocols = $protocols
listen = 127.0.0.1
ssl = yes
ssl_cert = <$DIR/tls/cert.pem
ssl_key = <$DIR/tls/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = $login_user
default_internal_user = $internal_user
$internal_group
first_valid_uid = 1
mail_location = maildir:~/Maildir
$capability
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n $DIR/dovecot/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%n $DIR/dovecot/passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
}
auth_failure_delay = 0
protocol imap {
  mail_max_userip_connections = 50
}
$submission
EOF
}

write_smtpd_conf() {
  # Every recipient goes to Dovecot as given; "refused@..." senders and
  # recipients are rejected, for the tests of refusals.
  printf '@ nobody\n' >"$DIR/smtpd/virtuals"
  cat >"$DIR/smtpd/smtpd.conf" <<EOF
table virtuals file:$DIR/smtpd/virtuals
filter "refuse-sender" phase mail-from match mail-from regex "^refused@" reject "550 5.7.1 sender refused"
listen on 127.0.0.1 port $SMTP_PORT hostname localhost filter "refuse-sender"
action "dovecot" lmtp "127.0.0.1:$LMTP_PORT" rcpt-to virtual <virtuals>
match from any for rcpt-to regex "^refused@" reject
match from any for any action "dovecot"
EOF
}

can_run_smtpd() {
  [ "$(id -u)" -eq 0 ] && command -v smtpd >/dev/null && unshare --mount true 2>/dev/null
}

start_smtpd() {
  mkdir -p "$DIR/smtpd/spool" "$DIR/smtpd/run"
  chmod 0755 "$DIR/smtpd/spool"
  write_smtpd_conf
  smtpd -n -f "$DIR/smtpd/smtpd.conf" >"$DIR/smtpd/smtpd.log" 2>&1 ||
    { cat "$DIR/smtpd/smtpd.log" >&2; die "smtpd refused its configuration"; }
  # The namespace's bind mounts vanish with its last process: nothing to clean up.
  setsid unshare --mount --propagation private sh -c '
    mount --bind "$1/smtpd/spool" /var/spool &&
    mount --bind "$1/smtpd/run" /run &&
    exec smtpd -d -f "$1/smtpd/smtpd.conf"' sh "$DIR" \
    >>"$DIR/smtpd/smtpd.log" 2>&1 </dev/null &
  echo $! >"$DIR/smtpd/pid"
  wait_port "$SMTP_PORT" smtpd "$DIR/smtpd/smtpd.log" "$DIR/smtpd/pid"
}

start_daemons() {  # no_idle with_smtp
  : >"$DIR/.ports"
  : >"$DIR/dovecot/dovecot.log"
  IMAP_PORT=$(free_port) IMAPS_PORT=$(free_port) LMTP_PORT=$(free_port)
  SMTP_PORT=$(free_port) SUBMISSION_PORT=$(free_port) SMTPS_PORT=$(free_port)
  write_dovecot_conf "$1" "$2"
  setsid dovecot -F -c "$DIR/dovecot/dovecot.conf" >>"$DIR/dovecot/dovecot.log" 2>&1 </dev/null &
  echo $! >"$DIR/dovecot/pid"
  local log="$DIR/dovecot/dovecot.log" pid="$DIR/dovecot/pid"
  wait_port "$IMAP_PORT" dovecot "$log" "$pid" || return 1
  wait_port "$IMAPS_PORT" dovecot "$log" "$pid" || return 1
  wait_port "$LMTP_PORT" dovecot "$log" "$pid" || return 1
  if (($2)); then
    wait_port "$SMTPS_PORT" "dovecot submission" "$log" "$pid" || return 1
    start_smtpd || return 1
  fi
}

start_all() {
  local no_idle=0 with_smtp=0
  [ "${1:-}" = --no-idle ] && no_idle=1
  can_run_smtpd && with_smtp=1
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  [ -e "$DIR/dovecot/pid" ] && die "$DIR already has servers; stop them first"
  chmod 0711 "$DIR"  # the mail user (nobody under root) must reach its home
  mkdir -p "$DIR/tls" "$DIR/dovecot/run" "$DIR/dovecot/state" "$DIR/smtpd"
  make_certificate
  # A port taken between the check and the bind (another test starting) is
  # tried again with fresh ports.
  local attempt
  for attempt in 1 2 3; do
    start_daemons "$no_idle" "$with_smtp" && break
    stop_all
    ((attempt < 3)) && grep -q "Address already in use" "$DIR"/*/*.log 2>/dev/null ||
      die "the mail servers did not start"
    echo "mailservers.sh: a port was taken; trying others" >&2
  done
  local smtp=null
  ((with_smtp)) && smtp="{\"plain\":$SMTP_PORT,\"starttls\":$SUBMISSION_PORT,\"tls\":$SMTPS_PORT}"
  cat <<EOF | tee "$DIR/servers.json"
{"host":"127.0.0.1","user":"$MAIL_USER","password":"$MAIL_PASSWORD","address":"$MAIL_USER@localhost","imap":{"plain":$IMAP_PORT,"starttls":$IMAP_PORT,"tls":$IMAPS_PORT},"lmtp":$LMTP_PORT,"smtp":$smtp,"idle":$((1 - no_idle)),"certificate":"$DIR/tls/cert.pem","maildir":"$DIR/home/$MAIL_USER/Maildir","customer":{"user":"$CUSTOMER_USER","address":"$CUSTOMER_USER@localhost","maildir":"$DIR/home/$CUSTOMER_USER/Maildir"}}
EOF
}

any_alive() {
  local g
  for g in "$@"; do kill -0 -- "$g" 2>/dev/null && return 0; done
  return 1
}

stop_all() {
  # setsid made each daemon a process-group leader: end both groups at once (each
  # takes about two seconds to shut down cleanly), wait, then force what is left.
  local groups=() f
  for f in "$DIR/smtpd/pid" "$DIR/dovecot/pid"; do
    [ -f "$f" ] && groups+=("-$(cat "$f")")
  done
  ((${#groups[@]})) || return 0
  kill -TERM -- "${groups[@]}" 2>/dev/null || true
  for _ in $(seq 1 100); do
    any_alive "${groups[@]}" || break
    sleep 0.05
  done
  kill -KILL -- "${groups[@]}" 2>/dev/null || true
  rm -f "$DIR/smtpd/pid" "$DIR/dovecot/pid"
}

[ $# -ge 2 ] || die "usage: $0 start DIR [--no-idle] | stop DIR"
DIR=$2
case "$1" in
  start) start_all "${3:-}" ;;
  stop) if [ -d "$DIR" ]; then DIR=$(cd "$DIR" && pwd) && stop_all; fi ;;
  *) die "usage: $0 start DIR [--no-idle] | stop DIR" ;;
esac
