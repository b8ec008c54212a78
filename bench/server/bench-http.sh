#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# HTTP benchmark of zeugnis-server (issue 2, "Figures to report"). Everything runs on
# 127.0.0.1, every process is bounded in time and stopped at the end.
#
#   sudo bench/server/bench-http.sh
#
# 1. GET /api/v1/me with a valid token over TLS keep-alive (wrk, 32 connections) against
#    (a) nginx with one worker serving a static file with the same bytes,
#    (b) bare-soup: libsoup 3 answering the same bytes, no application code,
#    (c) zeugnis-server;
#    prints requests/s and p99 side by side and the ratios (goals: >= 20 % of nginx,
#    >= 50 % of bare libsoup).
# 2. While 8 logins hash concurrently (wrk, 8 connections posting logins), the p99 of
#    GET /api/v1/me (goal < 50 ms).
# 3. zeugnis-server memory (VmRSS/VmHWM) idle and under the load of 2.
#
# Environment: DURATION (seconds per run, default 15), CONNECTIONS (default 32),
# THREADS (wrk threads, default 2), BUILD_DIR (default build-bench, release build).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

duration="${DURATION:-15}"
connections="${CONNECTIONS:-32}"
threads="${THREADS:-2}"
build="${BUILD_DIR:-build-bench}"
login_connections=8
email="bench@example.org"
password="Leistung-Messen-2026!"

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  scripts/install-deps.sh
fi

tmp="$(mktemp -d /tmp/zeugnis-bench.XXXXXX)"
chmod 755 "$tmp"   # nginx workers run as an unprivileged user and must read the body file
pids=()

cleanup () {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say () {
  printf '%s\n' "$*" >&2
}

free_port () {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_https URL SECONDS: wait until URL answers over TLS.
wait_https () {
  local i
  for i in $(seq $(($2 * 10))); do
    if curl -sk -o /dev/null --max-time 1 "$1"; then
      return 0
    fi
    sleep 0.1
  done
  say "bench: $1 did not come up"
  return 1
}

# run_wrk NAME URL CONNECTIONS THREADS [WRK ARGS...]: run wrk, keep its output in $tmp/NAME.wrk.
run_wrk () {
  local name="$1" url="$2" c="$3" t="$4"
  shift 4
  timeout $((duration + 30)) wrk -t "$t" -c "$c" -d "${duration}s" --timeout 5s --latency "$@" "$url" \
    >"$tmp/$name.wrk" 2>&1 || true
}

# wrk_rate NAME / wrk_p99 NAME (ms) / wrk_errors NAME (non-2xx answers + socket errors)
wrk_rate () {
  awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$tmp/$1.wrk"
}

wrk_p99 () {
  awk '$1 == "99%" {
         v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
         if (u == "us") v /= 1000; else if (u == "s") v *= 1000; else if (u == "m") v *= 60000;
         printf "%.2f", v }' "$tmp/$1.wrk"
}

wrk_errors () {
  awk '/Non-2xx or 3xx responses:/ { n += $5 }
       /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 }
       END { print n + 0 }' "$tmp/$1.wrk"
}

mem_kb () {
  awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- build --------------------------------------------------------------------------------------
say "bench: building (release) in $build/"
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" -Dbuildtype=release >"$tmp/setup.log" 2>&1 || { cat "$tmp/setup.log"; exit 1; }
fi
ninja -C "$build" bench/server/bare-soup >/dev/null
server_bin=""
if ninja -C "$build" server/zeugnis-server >"$tmp/build-server.log" 2>&1; then
  server_bin="$build/server/zeugnis-server"
else
  say "bench: zeugnis-server does not build yet; measuring nginx and bare libsoup only"
fi

# --- TLS certificate -----------------------------------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
  -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1
chmod 644 "$tmp/key.pem"

# --- (c) zeugnis-server: start it first, its /api/v1/me answer defines the bytes ----------------
token=""
server_pid=""
if [ -n "$server_bin" ]; then
  data="$tmp/server-data"
  server_port="$(free_port)"
  # The benchmark logs in from one address far more often than the per-IP limit allows.
  if "$server_bin" --data-dir "$data" init >"$tmp/init.log" 2>&1 &&
     sed -i -e 's/^auth_burst=.*/auth_burst=100000/' -e 's/^auth_per_minute=.*/auth_per_minute=100000/' \
       "$data/zeugnis-server.conf" &&
     printf '%s\n' "$password" | "$server_bin" --data-dir "$data" user add --email "$email" \
       --first-name Bench --last-name Mark --role Administrator --password-stdin \
       >"$tmp/useradd.log" 2>&1; then
    timeout $((duration * 4 + 120)) "$server_bin" --data-dir "$data" serve \
      --listen "127.0.0.1:$server_port" >"$tmp/server.log" 2>&1 &
    pids+=($!)
    server_pid=""
    for _ in $(seq 50); do
      server_pid="$(pgrep -P "${pids[-1]}" -x zeugnis-server || true)"
      [ -n "$server_pid" ] && break
      sleep 0.1
    done
    if wait_https "https://127.0.0.1:$server_port/healthz" 20; then
      token="$(curl -sk --max-time 30 -H 'Content-Type: application/json' \
        -d "{\"email\":\"$email\",\"password\":\"$password\"}" \
        "https://127.0.0.1:$server_port/api/v1/auth/login" |
        /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin).get("token", ""))' 2>/dev/null || true)"
    fi
  fi
  if [ -z "$token" ]; then
    say "bench: zeugnis-server did not start or login failed; logs:"
    tail -n 5 "$tmp"/init.log "$tmp"/useradd.log "$tmp"/server.log >&2 2>/dev/null || true
    server_bin=""
  fi
fi

me_url_path="/api/v1/me"
if [ -n "$token" ]; then
  curl -sk --max-time 10 -H "Authorization: Bearer $token" \
    "https://127.0.0.1:$server_port$me_url_path" >"$tmp/me.json"
  say "bench: /api/v1/me answers $(wc -c <"$tmp/me.json") bytes: $(head -c 200 "$tmp/me.json")"
else
  # A stand-in of the expected size until the server answers /api/v1/me.
  printf '%s' '{"id":"3f1c2a9e-6b7d-4c1e-9a58-2d4b7e0f1a63","email":"bench@example.org","first_name":"Bench","last_name":"Mark","role":{"id":"administrator","name":"Administrator","areas":["zeugnisse","benutzer","rollen","datenschutz","einstellungen","vorlagen"]},"active":true,"two_factor":false,"created_at":"2026-11-26T19:00:00Z"}' >"$tmp/me.json"
fi
body_size="$(wc -c <"$tmp/me.json")"

# --- (a) nginx, one worker ----------------------------------------------------------------------
nginx_port="$(free_port)"
mkdir -p "$tmp/nginx/logs" "$tmp/www/api/v1"
cp "$tmp/me.json" "$tmp/www/api/v1/me"
cat >"$tmp/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port ssl;
    ssl_certificate $tmp/cert.pem;
    ssl_certificate_key $tmp/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    root $tmp/www;
    location = /api/v1/me {
      default_type application/json;
      add_header Cache-Control no-store;
      add_header X-Content-Type-Options nosniff;
      add_header Strict-Transport-Security "max-age=31536000";
    }
  }
}
EOF
timeout $((duration * 4 + 120)) nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" \
  >"$tmp/nginx/stdout.log" 2>&1 &
pids+=($!)
wait_https "https://127.0.0.1:$nginx_port/api/v1/me" 10

# --- (b) bare libsoup ---------------------------------------------------------------------------
bare_port="$(free_port)"
timeout $((duration * 4 + 120)) "$build/bench/server/bare-soup" --cert "$tmp/cert.pem" \
  --key "$tmp/key.pem" --body "$tmp/me.json" --port "$bare_port" >"$tmp/bare.log" 2>&1 &
pids+=($!)
wait_https "https://127.0.0.1:$bare_port/api/v1/me" 10

# Every answer must carry the same bytes.
for url in "https://127.0.0.1:$nginx_port$me_url_path" "https://127.0.0.1:$bare_port$me_url_path"; do
  if ! curl -sk --max-time 5 "$url" | cmp -s - "$tmp/me.json"; then
    say "bench: $url does not answer the same bytes"
    exit 1
  fi
done

# --- scenario 1 ---------------------------------------------------------------------------------
auth=()
if [ -n "$token" ]; then
  auth=(-H "Authorization: Bearer $token")
fi
say "bench: scenario 1: GET /api/v1/me, $connections connections, $threads threads, ${duration}s each"
run_wrk nginx "https://127.0.0.1:$nginx_port$me_url_path" "$connections" "$threads" "${auth[@]}"
run_wrk bare "https://127.0.0.1:$bare_port$me_url_path" "$connections" "$threads" "${auth[@]}"
if [ -n "$token" ]; then
  idle_rss="$(mem_kb "$server_pid" VmRSS)"
  run_wrk zeugnis "https://127.0.0.1:$server_port$me_url_path" "$connections" "$threads" "${auth[@]}"
fi

# --- scenario 2 and 3 ---------------------------------------------------------------------------
if [ -n "$token" ]; then
  say "bench: scenario 2: GET /api/v1/me while $login_connections logins hash concurrently"
  cat >"$tmp/login.lua" <<EOF
wrk.method = "POST"
wrk.body = '{"email":"$email","password":"$password"}'
wrk.headers["Content-Type"] = "application/json"
EOF
  login_duration=$((duration + 4))
  timeout $((login_duration + 30)) wrk -t 1 -c "$login_connections" -d "${login_duration}s" \
    --timeout 10s -s "$tmp/login.lua" "https://127.0.0.1:$server_port/api/v1/auth/login" \
    >"$tmp/logins.wrk" 2>&1 &
  login_wrk=$!
  pids+=("$login_wrk")
  sleep 2
  peak_rss=0
  ( while kill -0 "$login_wrk" 2>/dev/null; do
      mem_kb "$server_pid" VmRSS
      sleep 0.5
    done >"$tmp/rss.samples" ) &
  pids+=($!)
  run_wrk loaded "https://127.0.0.1:$server_port$me_url_path" "$connections" 1 "${auth[@]}"
  wait "$login_wrk" || true
  peak_rss="$(sort -n "$tmp/rss.samples" | tail -n1)"
  peak_rss="${peak_rss:-0}"
  hwm="$(mem_kb "$server_pid" VmHWM)"
fi

# --- report -------------------------------------------------------------------------------------
printf '\n'
printf 'Zeugnis HTTP benchmark  (%s, %s cores, body %s bytes, wrk %s threads, %s connections, %ss)\n' \
  "$(date -u +%Y-%m-%dT%H:%MZ)" "$(nproc)" "$body_size" "$threads" "$connections" "$duration"
printf 'Load average before the run: %s (other work on the machine skews the figures)\n' "$load_before"
printf '\nScenario 1: GET /api/v1/me over TLS keep-alive\n'
printf '  %-22s %12s %10s %8s\n' "server" "requests/s" "p99 ms" "errors"
printf '  %-22s %12s %10s %8s\n' "nginx (1 worker)" "$(wrk_rate nginx)" "$(wrk_p99 nginx)" "$(wrk_errors nginx)"
printf '  %-22s %12s %10s %8s\n' "bare libsoup" "$(wrk_rate bare)" "$(wrk_p99 bare)" "$(wrk_errors bare)"
status=0
if [ -n "$token" ]; then
  printf '  %-22s %12s %10s %8s\n' "zeugnis-server" "$(wrk_rate zeugnis)" "$(wrk_p99 zeugnis)" "$(wrk_errors zeugnis)"
  ratios="$(awk -v z="$(wrk_rate zeugnis)" -v n="$(wrk_rate nginx)" -v b="$(wrk_rate bare)" \
    'BEGIN { printf "%.1f %.1f", 100 * z / n, 100 * z / b }')"
  read -r of_nginx of_bare <<<"$ratios"
  printf '  zeugnis / nginx        %5s %%   (goal >= 20 %%)\n' "$of_nginx"
  printf '  zeugnis / bare libsoup %5s %%   (goal >= 50 %%)\n' "$of_bare"
  awk -v a="$of_nginx" -v b="$of_bare" 'BEGIN { exit !(a >= 20 && b >= 50) }' || status=1
  [ "$(wrk_errors zeugnis)" -eq 0 ] || status=1

  logins="$(awk '/^Requests\/sec:/ { printf "%.1f", $2 }' "$tmp/logins.wrk")"
  login_mean="$(awk '$1 == "Latency" && NF >= 4 { print $2 }' "$tmp/logins.wrk")"
  printf '\nScenario 2: GET /api/v1/me (%s connections) while %s logins hash concurrently\n' \
    "$connections" "$login_connections"
  printf '  /api/v1/me             %s requests/s, p99 %s ms   (goal < 50 ms)\n' \
    "$(wrk_rate loaded)" "$(wrk_p99 loaded)"
  printf '  logins                 %s /s, mean latency %s, failed answers %s\n' \
    "$logins" "$login_mean" "$(wrk_errors logins)"
  awk -v p="$(wrk_p99 loaded)" 'BEGIN { exit !(p < 50) }' || status=1

  printf '\nScenario 3: zeugnis-server memory\n'
  printf '  idle (after start and one login)   VmRSS %6d KiB\n' "$idle_rss"
  printf '  under the load of scenario 2       VmRSS %6d KiB (peak sample), VmHWM %d KiB\n' \
    "$peak_rss" "$hwm"
else
  printf '  %-22s %12s\n' "zeugnis-server" "(not measured: server not available yet)"
  status=1
fi
exit "$status"
