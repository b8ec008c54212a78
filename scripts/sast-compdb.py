#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Writes a compile database for static analysis: only the project's own C sources
# (no generated files from the build dir), and system include paths turned into
# -isystem so that analysers report nothing from third-party headers.
#
# usage: sast-compdb.py SOURCE_ROOT BUILD_DIR OUT_DIR

import json
import os
import shlex
import sys

OWN_DIRS = ("shared", "server", "client", "tools", "tests", "bench")


def own_file(root, path):
    rel = os.path.relpath(path, root)
    return rel.endswith(".c") and rel.split(os.sep)[0] in OWN_DIRS


def rewrite(args):
    out = []
    for a in args:
        if a.startswith("-I/usr/"):
            out += ["-isystem", a[2:]]
        elif a.startswith("-fdiagnostics-color"):
            continue
        else:
            out.append(a)
    return out


def main():
    root, build, out_dir = (os.path.realpath(p) for p in sys.argv[1:4])
    with open(os.path.join(build, "compile_commands.json"), encoding="utf-8") as f:
        db = json.load(f)
    result = []
    seen = set()
    for entry in db:
        path = os.path.realpath(os.path.join(entry["directory"], entry["file"]))
        if not own_file(root, path) or path in seen:
            continue
        seen.add(path)
        args = entry.get("arguments") or shlex.split(entry["command"])
        result.append({
            "directory": entry["directory"],
            "arguments": rewrite(args),
            "file": path,
        })
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "compile_commands.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
    print(f"sast: {len(result)} translation units of our own")


if __name__ == "__main__":
    main()
