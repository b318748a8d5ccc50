#!/usr/bin/env bash
# Runs "$@" with this shell's process group, and every PostgreSQL server process that appears
# meanwhile, at autogroup nice -20, so that a benchmark on a shared machine is not starved by
# unrelated builds. Both servers get the same priority, so the ratios stay fair. Needs root
# (writes /proc/PID/autogroup); without it the command runs at normal priority.
#
# Usage: bench/with_priority.sh env PGW_BIN=build/src/iris-pgwire bash bench/pgbench_compare.sh
set -u
echo -20 >/proc/self/autogroup 2>/dev/null || echo "with_priority: not raised (needs root)" >&2
(
  end=$((SECONDS + 3600))  # bounded: at most an hour
  while ((SECONDS < end)); do
    for p in $(pgrep -x postgres); do echo -20 >"/proc/$p/autogroup" 2>/dev/null; done
    sleep 0.1
  done
) &
watcher=$!
trap 'kill "$watcher" 2>/dev/null; echo 0 >/proc/self/autogroup 2>/dev/null' EXIT
"$@"
