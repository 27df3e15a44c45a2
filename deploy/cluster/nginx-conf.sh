#!/usr/bin/env bash
# Prints a self-contained nginx.conf for a cluster on this machine: plain HTTP
# on 127.0.0.1:PORT, WebSockets passed through, the nodes as the upstream (a
# refused connection or a draining node's 503 goes to the next one; no node is
# ever marked down, as in deploy/nginx/switchboard.conf), every
# file nginx writes under DIR. Used by try-cluster.sh and bench/cluster.sh; a
# real installation uses deploy/nginx/switchboard.conf (TLS) instead.
#   deploy/cluster/nginx-conf.sh PORT DIR NODE_PORT... > DIR/nginx.conf
set -euo pipefail
port=${1:?usage: nginx-conf.sh PORT DIR NODE_PORT...}
dir=${2:?usage: nginx-conf.sh PORT DIR NODE_PORT...}
shift 2
servers=""
for p in "$@"; do servers+="    server 127.0.0.1:$p max_fails=0;"$'\n'; done
[[ $(id -u) == 0 ]] && echo "user nobody nogroup;"
cat <<EOF
worker_processes 1;
worker_rlimit_nofile 65536;
error_log $dir/error.log warn;
pid $dir/nginx.pid;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  client_max_body_size 11m;
  map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }
  upstream switchboard {
$servers    keepalive 64;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://switchboard;
      proxy_http_version 1.1;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_next_upstream error timeout http_503;
      proxy_read_timeout 120s;
    }
  }
}
EOF
