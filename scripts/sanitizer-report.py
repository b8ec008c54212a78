#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Condenses the sanitizer reports in a meson test log into one line per distinct finding:
# the test, the kind (leak, heap-use-after-free, runtime error, ...) and the first stack
# frames in our own code. scripts/test.sh prints this after a failing ASan+UBSan run.
#
# usage: sanitizer-report.py BUILD_DIR/meson-logs/testlog.txt

import collections
import re
import sys

FUNC = re.compile(r" in (\S+) (\S+:\d+)")
ANY_FUNC = re.compile(r" in (\w+)")
OWN_PATH = re.compile(r"(?:^|/)((?:server|shared|client|tools|tests|bench)/[^/]\S*)$")
FRAME = re.compile(r"^\s+#\d+ 0x[0-9a-f]+")
TEST = re.compile(r"^=+ \d+/\d+ =+$")
NAME = re.compile(r"^test:\s+(.*)$")
HEADER = re.compile(r"^(Direct leak|Indirect leak) of (\d+) byte|"
                    r"ERROR: AddressSanitizer: (\S+)|"
                    r"^(\S+:\d+:\d+): runtime error: (.*)$")


def main():
    findings = collections.OrderedDict()
    test = "?"
    kind = None
    size = 0
    own = []
    callee = None

    def flush():
        nonlocal kind, own, size, callee
        if kind is not None:
            where = " <- ".join(own[:2]) if own else "(no frame in our code)"
            if callee and own:
                where = f"{callee}() from {where}"
            key = (test, kind, where)
            entry = findings.setdefault(key, [0, 0])
            entry[0] += 1
            entry[1] += size
        kind, own, size, callee = None, [], 0, None

    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if TEST.match(line):
                flush()
                continue
            m = NAME.match(line)
            if m:
                test = m.group(1)
                continue
            m = HEADER.search(line)
            if m:
                flush()
                if m.group(1):
                    kind, size = m.group(1).lower(), int(m.group(2))
                elif m.group(3):
                    kind = m.group(3)
                else:
                    kind = "ubsan " + m.group(5)
                    own = [m.group(4)]
                continue
            if kind is not None and FRAME.match(line):
                fn = FUNC.search(line)
                o = OWN_PATH.search(fn.group(2).rsplit(":", 1)[0]) if fn else None
                if o:
                    own.append(f"{fn.group(1)} {o.group(1)}:{fn.group(2).rsplit(':', 1)[1]}")
                elif not own:
                    lib = ANY_FUNC.search(line)
                    if lib and not lib.group(1).startswith(("__interceptor", "g_malloc",
                                                            "g_realloc", "g_slice")):
                        callee = lib.group(1)
            elif kind is not None and line.strip() == "" and own:
                flush()
    flush()

    # Indirect leaks follow from the direct ones; show them only when nothing else explains a test.
    direct_tests = {t for (t, k, _) in findings if k != "indirect leak"}
    shown = collections.Counter()
    hidden = collections.Counter()
    for (t, k, where), (n, size) in sorted(findings.items(), key=lambda i: (i[0][0], -i[1][0])):
        if k == "indirect leak" and t in direct_tests:
            continue
        if shown[t] >= 6:
            hidden[t] += 1
            continue
        shown[t] += 1
        extra = f", {size} bytes" if size else ""
        print(f"  {t}: {k} x{n}{extra}: {where}")
    for t, n in hidden.items():
        print(f"  {t}: ... and {n} more (see the test log)")


if __name__ == "__main__":
    main()
