#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/) with Debian's clang into build-fuzz/ and runs each for
# FUZZ_SECONDS (default 60), starting from the seed corpus in fuzz/corpus/<harness>/ (new inputs
# go to a scratch corpus, not into the repository). Prints the executions per harness; exits
# non-zero on the first crash, leaving the reproducer in build-fuzz/crashes/.
#   scripts/fuzz.sh [harness...]      (default: every harness)
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
CC_BIN="${FUZZ_CC:-clang-14}"
CXX_BIN="${FUZZ_CXX:-clang++-14}"
harnesses=("$@")
if ((${#harnesses[@]} == 0)); then
  harnesses=(fuzz_frame fuzz_startup fuzz_frontend fuzz_scram fuzz_hba fuzz_translator fuzz_copy)
fi

cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPGW_FUZZ=ON \
  -DCMAKE_C_COMPILER="$CC_BIN" -DCMAKE_CXX_COMPILER="$CXX_BIN" >/dev/null
ninja -C build-fuzz -j2 "${harnesses[@]}"

mkdir -p build-fuzz/crashes
status=0
printf '| harness | seconds | executions | exec/s | corpus | crashes |\n|---|---:|---:|---:|---:|---:|\n'
for h in "${harnesses[@]}"; do
  work="build-fuzz/corpus/$h"
  mkdir -p "$work"
  log="build-fuzz/$h.log"
  set +e
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "build-fuzz/fuzz/$h" -max_total_time="$FUZZ_SECONDS" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="build-fuzz/crashes/$h-" \
    "$work" "fuzz/corpus/$h" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  units=$(find "$work" -type f | wc -l)
  crashes=0
  if ((rc != 0)); then
    crashes=1
    status=1
    echo "fuzz: $h failed (exit $rc); see $log and build-fuzz/crashes/" >&2
    tail -40 "$log" >&2
  fi
  printf '| %s | %s | %s | %s | %s | %s |\n' "$h" "$FUZZ_SECONDS" "$execs" "$rate" "$units" "$crashes"
done
exit $status
