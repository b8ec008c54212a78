#!/bin/sh
# run-with-keyring.sh — runs a test inside its own D-Bus session with an unlocked
# gnome-keyring (the real Secret Service), in a throw-away home so no real keyring is touched.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

tmp=$(mktemp -d "${TMPDIR:-/tmp}/zg-keyring-XXXXXX")
# GTK may start the document portal on this bus, which mounts a FUSE file system at
# $XDG_RUNTIME_DIR/doc; unmount it before removing the folder. Cleaning up never changes the
# test's exit status.
cleanup () {
  fusermount -u -z "$tmp/run/doc" 2>/dev/null || true
  rm -rf "$tmp" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$tmp/home" "$tmp/data" "$tmp/run"
chmod 700 "$tmp/run"
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run"
unset DBUS_SESSION_BUS_ADDRESS DISPLAY || true

# The daemon runs in the foreground of this shell so that it ends with the test.
dbus-run-session -- sh -c '
  printf pw | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
  daemon=$!
  i=0
  until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
          org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
        | grep -q "boolean true"; do
    i=$((i + 1))
    if [ "$i" -gt 100 ]; then
      echo "gnome-keyring-daemon did not start" >&2
      kill "$daemon" 2>/dev/null || true
      exit 1
    fi
    sleep 0.1
  done
  status=0
  "$@" || status=$?
  kill "$daemon" 2>/dev/null || true
  wait "$daemon" 2>/dev/null || true
  exit "$status"
' zg-keyring "$@"
