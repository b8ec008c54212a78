#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Zeugnis demo — the README's main command.
#
#   sudo scripts/demo.sh
#
# Installs the Debian packages, builds into build/, creates a demo data directory with an
# encrypted database (first run only), adds two demo accounts and starts zeugnis-server in
# the foreground on https://127.0.0.1:8443 (Ctrl+C stops it). Running it again reuses the
# data directory; delete that directory to start from scratch.
#
# Environment: ZEUGNIS_DEMO_DIR  data directory (default /var/lib/zeugnis-demo)
#              ZEUGNIS_DEMO_LISTEN  address to serve on (default 127.0.0.1:8443)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

data="${ZEUGNIS_DEMO_DIR:-/var/lib/zeugnis-demo}"
listen="${ZEUGNIS_DEMO_LISTEN:-127.0.0.1:8443}"
build="build"
server="$build/server/zeugnis-server"

# The demo accounts (README.md lists them). Demo passwords only — never use them elsewhere.
admin_email="admin@zeugnis.example"
admin_password="Demo-Verwaltung-2026"
hr_email="personal@zeugnis.example"
hr_password="Demo-Zeugnisse-2026"
hr_role="Personalabteilung"
hr_areas='["mitarbeiter","unternehmen","berufsbilder","zeugnisformatierung","brieftexte","qualifikationen","self-service"]'

say () {
  printf 'demo: %s\n' "$*"
}

die () {
  printf 'demo: %s\n' "$*" >&2
  exit 1
}

# --- dependencies and build ---------------------------------------------------------------------
scripts/install-deps.sh
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" >/dev/null || die "meson setup failed (see $build/meson-logs/meson-log.txt)"
fi
ninja -C "$build"
[ -x "$server" ] || die "$server was not built"

# --- data directory -----------------------------------------------------------------------------
if [ ! -f "$data/zeugnis-server.conf" ]; then
  say "creating the demo data directory $data"
  mkdir -p "$(dirname "$data")"
  "$server" --data-dir "$data" init
  # Demo: the configured listen address and the links in e-mails must match this server.
  sed -i -e "s|^listen=.*|listen=$listen|" -e "s|^public_url=.*|public_url=https://$listen|" \
    "$data/zeugnis-server.conf"
fi

# add_user EMAIL FIRST LAST ROLE PASSWORD: creates the account unless it exists; prints the
# server's message and returns 2 when the role does not exist yet.
add_user () {
  local out
  if out="$(printf '%s\n' "$5" | "$server" --data-dir "$data" user add --email "$1" \
      --first-name "$2" --last-name "$3" --role "$4" --password-stdin 2>&1)"; then
    say "$out"
    return 0
  fi
  case "$out" in
    *"with this e-mail exists"*) return 0 ;;
    *"no such role"*) return 2 ;;
    *) die "adding $1 failed: $out" ;;
  esac
}

# The HR role only exists through the API (roles are data the administrator manages), so the
# first run starts the server briefly and creates it as the demo administrator.
create_hr_role () {
  local port log pid token status
  port="$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  log="$(mktemp)"
  "$server" --data-dir "$data" serve --listen "127.0.0.1:$port" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    curl -sk -o /dev/null --max-time 1 "https://127.0.0.1:$port/healthz" && break
    sleep 0.1
  done
  token="$(curl -sk --max-time 30 -H 'Content-Type: application/json' \
    -d "{\"email\":\"$admin_email\",\"password\":\"$admin_password\"}" \
    "https://127.0.0.1:$port/api/v1/auth/login" |
    /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin).get("token", ""))' 2>/dev/null || true)"
  status=000
  if [ -n "$token" ]; then
    status="$(curl -sk --max-time 10 -o /dev/null -w '%{http_code}' \
      -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"name\":\"$hr_role\",\"areas\":$hr_areas}" "https://127.0.0.1:$port/api/v1/roles")"
    curl -sk --max-time 10 -o /dev/null -X POST -H "Authorization: Bearer $token" \
      "https://127.0.0.1:$port/api/v1/auth/logout" || true
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  case "$status" in
    2*) say "created the role $hr_role" ;;
    *) cat "$log" >&2; rm -f "$log"; die "could not create the role $hr_role (HTTP $status)" ;;
  esac
  rm -f "$log"
}

add_user "$admin_email" Andrea Becker Administrator "$admin_password"
rc=0
add_user "$hr_email" Petra Schmidt "$hr_role" "$hr_password" || rc=$?
if [ "$rc" -eq 2 ]; then
  create_hr_role
  add_user "$hr_email" Petra Schmidt "$hr_role" "$hr_password" ||
    die "adding $hr_email failed after creating the role"
fi

# --- the client ---------------------------------------------------------------------------------
# CLIENT: from the client issue on, start the desktop app here (under the user's display),
# pointed at https://$listen, e.g.:
#   "$build/client/zeugnis" --server "https://$listen" &

# --- serve --------------------------------------------------------------------------------------
cat <<EOF

  Zeugnis demo server
  -------------------
  URL:            https://$listen   (self-signed certificate: $data/tls/server.crt)
  Administrator:  $admin_email   /  $admin_password
  HR (Personal):  $hr_email   /  $hr_password
  Data directory: $data   (mails without SMTP land in the Maildir $data/mail)
  API:            docs/api.md — e.g.
    curl --cacert $data/tls/server.crt -H 'Content-Type: application/json' \\
      -d '{"email":"$admin_email","password":"$admin_password"}' https://$listen/api/v1/auth/login

  Press Ctrl+C to stop the server.

EOF
exec "$server" --data-dir "$data" serve --listen "$listen"
