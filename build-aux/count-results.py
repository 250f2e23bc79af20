#!/usr/bin/env python3
# build-aux/count-results.py — one closing line from meson's test logs.
# SPDX-License-Identifier: GPL-3.0-or-later
"""Print 'N passed, N failed[, N skipped]' from meson testlog.json files.

A meson test counts once; a skipped test is neither passed nor failed. Each
failed test is named on a line of its own just before the closing line, so
the end of a long run's output says what to look at. Exit 1 when anything
failed or no test ran at all."""
import argparse
import json
import os
import sys

PASS = {"OK", "EXPECTEDFAIL"}
SKIP = {"SKIP"}

parser = argparse.ArgumentParser()
parser.add_argument("logs", nargs="+")
parser.add_argument("--extra-failures", type=int, default=0,
                    help="failures outside meson (fixture builds)")
args = parser.parse_args()

passed = failed = skipped = 0
failures = []
for path in args.logs:
    if not os.path.exists(path):
        print(f"{path}: missing (that run did not happen)")
        failed += 1
        continue
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            entry = json.loads(line)
            result = entry.get("result")
            if result in PASS:
                passed += 1
            elif result in SKIP:
                skipped += 1
            else:
                failed += 1
                failures.append(f"{entry.get('name')} ({result}, {entry.get('duration', 0):.0f} s, {path})")
if args.extra_failures:
    failed += 1
    failures.append("the test fixtures (build-aux/fixtures)")

for failure in failures:
    print(f"failed: {failure}")

closing = f"{passed} passed, {failed} failed"
if skipped:
    closing += f", {skipped} skipped"
print(closing)
sys.exit(1 if failed or passed == 0 else 0)
