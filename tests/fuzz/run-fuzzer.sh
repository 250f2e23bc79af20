#!/bin/sh
# run-fuzzer.sh — run a libFuzzer target with a writable corpus folder
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: run-fuzzer.sh FUZZER CORPUS_DIR [libFuzzer options…]
set -eu
fuzzer=$1
corpus=$2
shift 2
mkdir -p "$corpus"
exec "$fuzzer" "$@" "$corpus"
