#!/usr/bin/env bash
# Builds everything and runs the whole test suite (see HACKING.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
meson setup build-test -Dwerror=true --reconfigure >/dev/null 2>&1 || meson setup build-test -Dwerror=true
ninja -C build-test
meson test -C build-test --print-errorlogs
