#!/bin/sh
# run-with-own-display.sh COMMAND... — runs a UI test on an X server of its own.
#
# The UI tests run in parallel. On one shared X server a test that selects text owns the
# PRIMARY selection and the next test's GTK reads it across processes; GDK's X11 selection
# streams of that exchange are never freed and LeakSanitizer reports them. A private Xvfb per
# test keeps tests from seeing each other. Without a display (DISPLAY unset) the test runs as
# it is and skips.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

if [ -z "${DISPLAY:-}" ] || ! command -v Xvfb >/dev/null 2>&1; then
  exec "$@"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/zg-display-XXXXXX")
# -displayfd: Xvfb picks a free display number itself, so parallel tests do not collide.
Xvfb -displayfd 9 -screen 0 1280x800x24 -nolisten tcp 9>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true; wait "$xvfb" 2>/dev/null || true; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

i=0
until [ -s "$tmp/display" ]; do
  i=$((i + 1))
  if [ "$i" -gt 200 ] || ! kill -0 "$xvfb" 2>/dev/null; then
    echo "run-with-own-display.sh: Xvfb did not start" >&2
    cat "$tmp/xvfb.log" >&2
    exit 1
  fi
  sleep 0.05
done
DISPLAY=":$(head -n1 "$tmp/display")"
export DISPLAY

rc=0
"$@" || rc=$?
exit "$rc"
