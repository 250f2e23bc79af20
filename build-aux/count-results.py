#!/usr/bin/env python3
# build-aux/count-results.py — one closing line from meson's test logs.
# SPDX-License-Identifier: GPL-3.0-or-later
"""Print 'N passed, N failed[, N skipped]' from meson testlog.json files.

A meson test counts once; a skipped test is neither passed nor failed. Each
failed test is named on a line of its own just before the closing line,
with its failed TAP checks and the comment lines after them (or the end of
its output), so the end of a long run's output, which may be all that is
kept, says what failed and why. Exit 1 when anything
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

MAX_DETAIL_LINES = 24


def failure_details(entry):
    """The failed checks of a TAP test with their comments, else its last lines."""
    out = (entry.get("stdout") or "").splitlines()
    picked = []
    keep = False
    for line in out:
        if line.startswith("not ok") or line.startswith("Bail out!"):
            keep = True
            picked.append(line)
        elif keep and line.startswith("#"):
            picked.append(line)
        else:
            keep = False
    if not picked:
        picked = out[-8:]
    err = (entry.get("stderr") or "").splitlines()
    picked += [f"stderr: {line}" for line in err[-4:]]
    return picked[:MAX_DETAIL_LINES]


passed = failed = skipped = 0
failures = []
details = []
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
                details.append(failure_details(entry))
if args.extra_failures:
    failed += 1
    failures.append("the test fixtures (build-aux/fixtures)")
    details.append([])

for failure, lines in zip(failures, details):
    print(f"failed: {failure}")
    for line in lines:
        print(f"    {line}")

closing = f"{passed} passed, {failed} failed"
if skipped:
    closing += f", {skipped} skipped"
print(closing)
sys.exit(1 if failed or passed == 0 else 0)
