#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Static analysis of Zeugnis' own C sources (see HACKING.md, "Static analysis").
#
#   scripts/sast.sh BUILD_DIR cppcheck      cppcheck, zero findings required
#   scripts/sast.sh BUILD_DIR clang-tidy    clang-tidy with .clang-tidy, zero findings required
#
# BUILD_DIR must be configured and built (generated headers such as config.h must exist).
# Only files under shared/ server/ client/ tools/ tests/ bench/ are analysed; third-party
# headers are included as system headers so that their noise does not count.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:?usage: sast.sh BUILD_DIR cppcheck|clang-tidy}"
tool="${2:?usage: sast.sh BUILD_DIR cppcheck|clang-tidy}"
build="$(cd "$build" && pwd)"
out="$build/sast"
jobs="$(nproc 2>/dev/null || echo 2)"

/usr/bin/python3 "$root/scripts/sast-compdb.py" "$root" "$build" "$out" || exit 2

case "$tool" in
  cppcheck)
    # varFuncNullUB is switched off: GLib's variadic API (g_strconcat, g_build_filename,
    # g_object_new, ...) takes a NULL sentinel by design and marks it G_GNUC_NULL_TERMINATED;
    # on every platform we build for NULL is ((void *) 0), and gcc's -Wformat/-Wsentinel checks
    # the sentinel. Everything else in the enabled groups counts.
    mkdir -p "$out/cppcheck-cache"
    cppcheck --project="$out/compile_commands.json" \
      --enable=warning,style,performance,portability \
      --library=gnu --library=gtk --library=openssl --library=libcurl \
      --library=sqlite3 --library=cairo \
      --inline-suppr \
      --suppress=varFuncNullUB \
      --suppressions-list="$root/.ci/cppcheck-suppressions.txt" \
      --error-exitcode=1 \
      --cppcheck-build-dir="$out/cppcheck-cache" \
      -j "$jobs" --quiet \
      --template='{file}:{line}:{column}: {severity}: {message} [{id}]'
    ;;
  clang-tidy)
    # run-clang-tidy always colours its output; strip that for readable logs.
    run-clang-tidy -p "$out" -quiet -j "$jobs" \
      -header-filter="^$root/(shared|server|client|tools|tests|bench)/" \
      -extra-arg=-Wno-unknown-warning-option \
      "^$root/(shared|server|client|tools|tests|bench)/" 2>&1 \
      | sed -e 's/\x1b\[[0-9;]*m//g' \
      | grep -v -E '^(clang-tidy-[0-9]+ |Running clang-tidy|[0-9]+ warnings? (and [0-9]+ errors? )?generated\.|Suppressed [0-9]+ warnings|Use -header-filter)'
    exit "${PIPESTATUS[0]}"
    ;;
  *)
    echo "sast.sh: unknown tool '$tool'" >&2
    exit 2
    ;;
esac
