#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Zeugnis demo — the README's main command.
#
#   sudo scripts/demo.sh           server + demo data + the desktop app, signed in as HR
#   sudo scripts/demo.sh client    only the desktop app, for a demo server that is running
#
# Installs the Debian packages, builds into build/, creates a demo data directory with an
# encrypted database (first run only), adds two demo accounts and the demo companies,
# employees and certificates (zeugnis-server demo-data; nothing when they exist), starts
# zeugnis-server in the background on https://127.0.0.1:8443 and then the desktop app on the
# user's display (DISPLAY or WAYLAND_DISPLAY), signed in as the demo HR user Petra Schmidt.
# Ctrl+C stops both. Running it again reuses the data directory; delete that directory to
# start from scratch.
#
# The app runs with a throw-away profile of its own (settings, keyring, pinned certificate,
# offline cache in a temporary folder, deleted at the end): nothing of the demo lands in the
# user's real keyring or settings. The demo server's self-signed certificate is pinned for
# the app by its SHA-256 fingerprint — by running this script, the operator confirms that
# certificate (the script prints the fingerprint).
#
# Environment: ZEUGNIS_DEMO_DIR     data directory (default /var/lib/zeugnis-demo)
#              ZEUGNIS_DEMO_LISTEN  address to serve on (default 127.0.0.1:8443)
#              ZEUGNIS_DEMO_BUILD   build directory (default build)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

data="${ZEUGNIS_DEMO_DIR:-/var/lib/zeugnis-demo}"
listen="${ZEUGNIS_DEMO_LISTEN:-127.0.0.1:8443}"
build="${ZEUGNIS_DEMO_BUILD:-build}"
server="$build/server/zeugnis-server"
client="$build/client/zeugnis"
mode="${1:-all}"
case "$mode" in
  all|client) ;;
  *) printf 'usage: %s [client]\n' "$0" >&2; exit 2 ;;
esac

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
# Only what the demo runs: the server, the app, its compiled GSettings schema and translation.
ninja -C "$build" server/zeugnis-server client/zeugnis data/gschemas.compiled \
  po/de/LC_MESSAGES/zeugnis.mo
[ -x "$server" ] || die "$server was not built"
[ -x "$client" ] || die "$client was not built"

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

# --- data directory, accounts, demo data --------------------------------------------------------
setup_data () {
  if [ ! -f "$data/zeugnis-server.conf" ]; then
    say "creating the demo data directory $data"
    mkdir -p "$(dirname "$data")"
    "$server" --data-dir "$data" init
    # Demo: the configured listen address and the links in e-mails must match this server.
    sed -i -e "s|^listen=.*|listen=$listen|" -e "s|^public_url=.*|public_url=https://$listen|" \
      "$data/zeugnis-server.conf"
  fi

  add_user "$admin_email" Andrea Becker Administrator "$admin_password"
  local rc=0
  add_user "$hr_email" Petra Schmidt "$hr_role" "$hr_password" || rc=$?
  if [ "$rc" -eq 2 ]; then
    create_hr_role
    add_user "$hr_email" Petra Schmidt "$hr_role" "$hr_password" ||
      die "adding $hr_email failed after creating the role"
  fi
  # Companies, employees and certificates in several statuses; nothing when they exist.
  "$server" --data-dir "$data" demo-data --admin-email "$admin_email" --hr-email "$hr_email" ||
    die "creating the demo data failed"
}

# --- the server in the background ----------------------------------------------------------------
# host:port the app connects to: a wildcard listen address is reached through loopback.
client_hostport () {
  case "$listen" in
    0.0.0.0:*) printf '127.0.0.1:%s' "${listen##*:}" ;;
    "[::]:"*) printf '[::1]:%s' "${listen##*:}" ;;
    *) printf '%s' "$listen" | tr '[:upper:]' '[:lower:]' ;;
  esac
}
url="https://$(client_hostport)"

server_pid=""
client_pid=""
profile=""

# shellcheck disable=SC2317  # called through the EXIT trap
cleanup () {
  trap - EXIT INT TERM
  if [ -n "$client_pid" ]; then
    if [ -f "$profile/session.pid" ]; then
      kill "$(cat "$profile/session.pid")" 2>/dev/null || true
    else
      kill "$client_pid" 2>/dev/null || true
    fi
    wait "$client_pid" 2>/dev/null || true
  fi
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$profile" ]; then
    rm -rf "$profile"
  fi
}

start_server () {
  local log="$data/demo-server.log"

  "$server" --data-dir "$data" serve --listen "$listen" >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 300); do
    if curl -sk -o /dev/null --max-time 1 "$url/healthz"; then
      return 0
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      cat "$log" >&2
      server_pid=""
      die "the server did not start (is $listen in use?)"
    fi
    sleep 0.1
  done
  die "the server did not answer on $url within 30 s (log: $log)"
}

# --- the desktop app -----------------------------------------------------------------------------
fingerprint () {
  openssl x509 -in "$data/tls/server.crt" -noout -fingerprint -sha256 | sed 's/^[^=]*=//'
}

have_display () {
  [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]
}

# The app's session: an inner shell in a private D-Bus session with its own Secret Service
# (gnome-keyring-daemon, unlocked with a random password). It stores the session token under
# the schema and attributes of client/zg-session-store.c, writes the last server and e-mail
# to GSettings (keyfile backend, the build's compiled schema) and runs the app.
# shellcheck disable=SC2016
client_session='
  set -u
  printf %s "$ZG_DEMO_KEYRING_PASSWORD" |
    gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
  keyring=$!
  unset ZG_DEMO_KEYRING_PASSWORD
  i=0
  until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
          org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
        grep -q "boolean true"; do
    i=$((i + 1))
    if [ "$i" -gt 100 ]; then
      echo "demo: gnome-keyring-daemon did not start" >&2
      kill "$keyring" 2>/dev/null
      exit 1
    fi
    sleep 0.1
  done
  if ! secret-tool store --label="Zeugnis session of $ZG_DEMO_EMAIL on $ZG_DEMO_URL" \
         xdg:schema de.zeugnis.Session server "$ZG_DEMO_URL" user "$ZG_DEMO_EMAIL" \
         <"$ZG_DEMO_PROFILE/token" ||
     ! gsettings set de.zeugnis.Zeugnis last-server "$ZG_DEMO_URL" ||
     ! gsettings set de.zeugnis.Zeugnis last-email "$ZG_DEMO_EMAIL"; then
    echo "demo: could not prepare the app profile" >&2
    kill "$keyring" 2>/dev/null
    exit 1
  fi
  rm -f "$ZG_DEMO_PROFILE/token"
  # The demo script stops the app through this shell (dbus-run-session ignores it otherwise).
  echo "$$" >"$ZG_DEMO_PROFILE/session.pid"
  "$ZG_DEMO_CLIENT" &
  app=$!
  trap "kill \$app 2>/dev/null" TERM
  status=0
  wait "$app" || status=$?
  # A signal ends the first wait early; the app still finishes.
  wait "$app" 2>/dev/null
  kill "$keyring" 2>/dev/null
  wait "$keyring" 2>/dev/null
  exit "$status"
'

# Starts the app in the background, signed in as the HR user, with a fresh profile: GSettings,
# keyring, pinned certificate (client/zg-certificate-pins.c) and offline cache in a temporary
# folder that is deleted at the end. ZG_LOCALEDIR: the translations in the build folder, for
# an app that is not installed.
start_client () {
  local answer fp user_home

  profile="$(mktemp -d "${TMPDIR:-/tmp}/zeugnis-demo-app-XXXXXX")"
  mkdir -p "$profile/config/zeugnis" "$profile/data" "$profile/cache" "$profile/run"
  chmod 700 "$profile" "$profile/run"

  fp="$(fingerprint)"
  [ "${#fp}" -eq 95 ] || die "could not read the fingerprint of $data/tls/server.crt"
  printf '[server %s]\nsha256=%s\n' "$(client_hostport)" "$fp" \
    >"$profile/config/zeugnis/pinned-certificates"
  chmod 600 "$profile/config/zeugnis/pinned-certificates"

  # A new session of the HR user; the token reaches the keyring through a 0600 file, never
  # through a command line.
  answer="$(curl -sk --max-time 30 -H 'Content-Type: application/json' \
    -d "{\"email\":\"$hr_email\",\"password\":\"$hr_password\"}" "$url/api/v1/auth/login")" ||
    die "signing in as $hr_email failed"
  (umask 077; printf '%s' "$answer" |
    /usr/bin/python3 -c 'import json, sys; sys.stdout.write(json.load(sys.stdin)["token"])' \
      >"$profile/token") || die "signing in as $hr_email failed: $answer"

  # Under sudo, the invoking user's X display needs that user's X authority file.
  if [ -z "${XAUTHORITY:-}" ] && [ -n "${SUDO_USER:-}" ]; then
    user_home="$(getent passwd "$SUDO_USER" | cut -d: -f6)"
    if [ -n "$user_home" ] && [ -r "$user_home/.Xauthority" ]; then
      export XAUTHORITY="$user_home/.Xauthority"
    fi
  fi
  # The app gets a runtime folder of its own: name the Wayland socket by its full path.
  if [ -n "${WAYLAND_DISPLAY:-}" ] && [ "${WAYLAND_DISPLAY#/}" = "$WAYLAND_DISPLAY" ] &&
     [ -n "${XDG_RUNTIME_DIR:-}" ] && [ -S "$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY" ]; then
    export WAYLAND_DISPLAY="$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY"
  fi

  ZG_DEMO_PROFILE="$profile" ZG_DEMO_URL="$url" ZG_DEMO_EMAIL="$hr_email" \
  ZG_DEMO_CLIENT="$(realpath "$client")" \
  ZG_DEMO_KEYRING_PASSWORD="$(head -c 18 /dev/urandom | base64)" \
  XDG_CONFIG_HOME="$profile/config" XDG_DATA_HOME="$profile/data" \
  XDG_CACHE_HOME="$profile/cache" XDG_RUNTIME_DIR="$profile/run" \
  GSETTINGS_BACKEND=keyfile GSETTINGS_SCHEMA_DIR="$(realpath "$build/data")" \
  ZG_LOCALEDIR="$(realpath "$build/po")" \
    dbus-run-session -- sh -c "$client_session" >"$data/demo-app.log" 2>&1 &
  client_pid=$!
}

print_banner () {
  cat <<EOF

  Zeugnis demo
  ------------
  Server:         $url   (self-signed certificate $data/tls/server.crt,
                  SHA-256 $(fingerprint))
  HR (Personal):  $hr_email   /  $hr_password   (Petra Schmidt)
  Administrator:  $admin_email   /  $admin_password   (Andrea Becker)
  Data directory: $data   (mails without SMTP land in the Maildir $data/mail;
                  logs: demo-server.log, demo-app.log)
  API:            docs/api.md — e.g.
    curl --cacert $data/tls/server.crt -H 'Content-Type: application/json' \\
      -d '{"email":"$admin_email","password":"$admin_password"}' $url/api/v1/auth/login

EOF
}

trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$mode" = client ]; then
  curl -sk -o /dev/null --max-time 5 "$url/healthz" || die "no demo server on $url: start it with $0"
  have_display || die "no display: set DISPLAY or WAYLAND_DISPLAY"
  say "starting the desktop app, signed in as Petra Schmidt ($hr_email); the demo pins the"
  say "server certificate SHA-256 $(fingerprint) for it"
  start_client
  wait "$client_pid" || true
  client_pid=""
  exit 0
fi

setup_data
start_server
print_banner
if have_display; then
  say "starting the desktop app on ${WAYLAND_DISPLAY:-$DISPLAY}, signed in as Petra Schmidt ($hr_email)."
  say "You started this demo server, so the demo pins its certificate (SHA-256 above) for the app."
  start_client
else
  say "no display (DISPLAY and WAYLAND_DISPLAY are empty): only the server runs."
  hint=""
  [ -z "${ZEUGNIS_DEMO_DIR:-}" ] || hint="ZEUGNIS_DEMO_DIR=$data "
  [ -z "${ZEUGNIS_DEMO_LISTEN:-}" ] || hint="${hint}ZEUGNIS_DEMO_LISTEN=$listen "
  [ -z "${ZEUGNIS_DEMO_BUILD:-}" ] || hint="${hint}ZEUGNIS_DEMO_BUILD=$build "
  say "Start the app later from a desktop session with: sudo ${hint}$0 client"
fi
say "Ctrl+C stops the demo."

wait "$server_pid" || true
server_pid=""
die "the server stopped (log: $data/demo-server.log)"
