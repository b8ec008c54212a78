#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The whole test run of Zeugnis — the README's test command and what .ci/run calls.
#
#   sudo scripts/test.sh
#
# 1. installs the Debian packages (scripts/install-deps.sh, idempotent)
# 2. builds with -Dwerror=true (build-test/) and runs the whole meson suite
# 3. builds with ASan+UBSan (build-asan/) and runs the whole suite again
# 4. static analysis of our own sources: cppcheck and clang-tidy (scripts/sast.sh)
# 5. prints one line "N passed, N failed" (meson tests of both runs + 1 per SAST tool)
#    and exits non-zero if anything failed.
#
# The suites run under a private X server (Xvfb) and a private D-Bus session bus, so
# that UI and keyring tests work on a machine without a display. Build directories are
# reused by a second run. See HACKING.md for what each step does.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

passed=0
failed=0
skipped=0
failures=()
start_all=$SECONDS

step () {
  printf '\n==> %s\n' "$*"
}

fail () {
  failed=$((failed + 1))
  failures+=("$1")
}

elapsed () {
  local s=$(($SECONDS - $1))
  printf '%dm%02ds' $((s / 60)) $((s % 60))
}

# --- 1. dependencies --------------------------------------------------------------------------
step "Installing dependencies (scripts/install-deps.sh)"
if ! scripts/install-deps.sh; then
  echo "test.sh: installing dependencies failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# --- headless display and session bus -------------------------------------------------------
xvfb_pid=""
tmp="$(mktemp -d)"
cleanup () {
  if [ -n "$xvfb_pid" ]; then
    kill "$xvfb_pid" 2>/dev/null
    wait "$xvfb_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_xvfb () {
  # -displayfd lets Xvfb pick a free display number, so parallel runs do not collide.
  Xvfb -displayfd 9 -screen 0 1280x800x24 -nolisten tcp -noreset \
    9>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 100); do
    if [ -s "$tmp/display" ]; then
      export DISPLAY=":$(head -n1 "$tmp/display")"
      unset WAYLAND_DISPLAY
      export GDK_BACKEND=x11
      echo "test.sh: Xvfb running on $DISPLAY"
      return 0
    fi
    kill -0 "$xvfb_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "test.sh: Xvfb did not start:" >&2
  cat "$tmp/xvfb.log" >&2
  xvfb_pid=""
  return 1
}
start_xvfb || fail "Xvfb"

# --- helpers ----------------------------------------------------------------------------------
# configure DIR OPTIONS...: set up a build directory once, later only update its options.
configure () {
  local dir="$1"
  shift
  if [ -f "$dir/build.ninja" ]; then
    meson configure "$dir" "$@" >/dev/null
  elif ! meson setup "$dir" "$@" >"$tmp/setup.log" 2>&1; then
    cat "$tmp/setup.log" >&2
    return 1
  fi
}

# count_results DIR LABEL: add the results of the last meson test run in DIR to the totals.
count_results () {
  local counts
  counts="$(/usr/bin/python3 - "$1/meson-logs/testlog.json" <<'EOF'
import json, sys
ok = bad = skip = 0
names = []
try:
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            res = r.get("result", "")
            if res in ("OK", "EXPECTEDFAIL"):
                ok += 1
            elif res == "SKIP":
                skip += 1
            else:
                bad += 1
                names.append(r.get("name", "?"))
except OSError:
    bad = 1
    names.append("no test log")
print(ok, bad, skip, ",".join(names))
EOF
)"
  local ok bad skip names
  read -r ok bad skip names <<<"$counts"
  passed=$((passed + ok))
  failed=$((failed + bad))
  skipped=$((skipped + skip))
  if [ "$bad" -gt 0 ]; then
    failures+=("$2 tests: $names")
  fi
  echo "test.sh: $2: $ok passed, $bad failed, $skip skipped"
}

# run_suite DIR LABEL [MESON TEST ARGS...]: build DIR and run the whole suite in it, with the
# variables in suite_env added to the environment.
suite_env=()
run_suite () {
  local dir="$1" label="$2"
  shift 2
  local t0=$SECONDS
  # --quiet: no progress lines, only compiler output (warnings are errors anyway).
  echo "test.sh: building $dir/"
  if ! ninja -C "$dir" --quiet; then
    echo "test.sh: $label: build failed" >&2
    fail "$label build"
    return
  fi
  rm -f "$dir/meson-logs/testlog.json"
  env "${suite_env[@]}" dbus-run-session -- meson test -C "$dir" --no-rebuild --print-errorlogs "$@"
  local failed_before=$failed
  count_results "$dir" "$label"
  if [ "${#suite_env[@]}" -gt 0 ] && [ "$failed" -gt "$failed_before" ]; then
    echo "test.sh: $label: sanitizer findings (first frames in our code):"
    /usr/bin/python3 scripts/sanitizer-report.py "$dir/meson-logs/testlog.txt"
  fi
  echo "test.sh: $label took $(elapsed $t0)"
}

# --- 2. normal build and suite ----------------------------------------------------------------
step "Build with -Dwerror=true and run the suite (build-test/)"
if configure build-test -Dwerror=true; then
  run_suite build-test "normal"
else
  fail "normal configure"
fi

# --- 3. sanitizers ----------------------------------------------------------------------------
step "Build with ASan+UBSan and run the suite again (build-asan/)"
if configure build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false; then
  # Leaks are errors; .ci/lsan.supp lists only leaks inside third-party libraries. Debian's
  # libraries have no frame pointers, so only the slow unwinder gives the full allocation
  # stacks that those narrow suppressions match (it roughly doubles the run time).
  # GSlice would hide allocations from ASan (GLib 2.74 still has it).
  suite_env=(
    ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:fast_unwind_on_malloc=0"
    LSAN_OPTIONS="suppressions=$root/.ci/lsan.supp:print_suppressions=0"
    UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
    G_SLICE="always-malloc"
  )
  run_suite build-asan "asan+ubsan" --timeout-multiplier 3
else
  fail "asan configure"
fi

# --- 4. static analysis -----------------------------------------------------------------------
for tool in cppcheck clang-tidy; do
  step "Static analysis: $tool (scripts/sast.sh)"
  t0=$SECONDS
  if [ -f build-test/build.ninja ] && scripts/sast.sh build-test "$tool"; then
    passed=$((passed + 1))
    echo "test.sh: $tool: no findings ($(elapsed $t0))"
  else
    fail "$tool"
    echo "test.sh: $tool: findings above ($(elapsed $t0))"
  fi
done

# --- 5. summary -------------------------------------------------------------------------------
step "Summary ($(elapsed $start_all))"
for f in "${failures[@]}"; do
  [ -n "$f" ] && echo "  FAILED: $f"
done
[ "$skipped" -gt 0 ] && echo "  ($skipped tests skipped)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
