#!/usr/bin/env bash
# Set-up command 2: installs what is missing (build and test dependencies), builds, and runs
# every test: unit tests (ctest), then the end-to-end suite with real clients against the
# gateway, then the same suite against a throwaway PostgreSQL 15 to prove the tests encode
# PostgreSQL's own behaviour; then a short run of every fuzz harness (FUZZ_SECONDS, 20 s each)
# and the unit and gateway end-to-end tests again on an ASan+UBSan build (build-asan/).
set -euo pipefail
cd "$(dirname "$0")/.."
# Each stage's heading says how long the run has taken so far, so a slow CI log shows where.
stage() { echo "== $* (${SECONDS} s so far)"; }
stage "installing what is missing"
scripts/install-deps.sh --test
stage "build"
scripts/build.sh

stage "unit tests"
ctest --test-dir build --output-on-failure -j2

stage "end-to-end tests against the gateway"
PGW_TARGET=gateway PGW_BIN="$PWD/build/src/iris-pgwire" /usr/bin/python3 -m pytest -q \
  -p no:cacheprovider --junitxml=build/e2e-gateway.xml tests/e2e

stage "end-to-end tests through the ODBC backend: psqlODBC to a throwaway PostgreSQL 15"
PGW_TARGET=gateway PGW_BACKEND=odbc-postgres PGW_BIN="$PWD/build/src/iris-pgwire" \
  /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/e2e

stage "end-to-end tests through the ODBC backend: sqliteodbc"
PGW_TARGET=gateway PGW_BACKEND=odbc-sqlite PGW_BIN="$PWD/build/src/iris-pgwire" \
  /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/e2e

if [[ -n "${IRIS_DSN:-}" ]]; then
  stage "end-to-end tests through the ODBC backend: InterSystems IRIS at IRIS_DSN"
  PGW_TARGET=gateway PGW_BACKEND=odbc-iris PGW_BIN="$PWD/build/src/iris-pgwire" \
    /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/e2e
else
  stage "InterSystems IRIS: skipped (set IRIS_DSN=odbc:DSN=... or iris://user:pw@host:1972/NS to run the suite against a real IRIS)"
fi

stage "end-to-end tests against PostgreSQL 15 (reference)"
PGW_TARGET=postgres /usr/bin/python3 -m pytest -q -p no:cacheprovider \
  --junitxml=build/e2e-postgres.xml tests/e2e

stage "client matrix (README.md) against what the suite ran"
/usr/bin/python3 scripts/client_matrix.py check build/e2e-gateway.xml build/e2e-postgres.xml

stage "fuzzing: every harness for ${FUZZ_SECONDS:-20} s (scripts/fuzz.sh)"
FUZZ_SECONDS="${FUZZ_SECONDS:-20}" scripts/fuzz.sh

stage "ASan+UBSan build (build-asan): unit tests and the gateway end-to-end suite"
# -O1 -g1: sanitizer builds compile faster and still give line numbers in reports.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DPGW_SANITIZE=ON >/dev/null
ninja -C build-asan -j2
export ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
ctest --test-dir build-asan --output-on-failure -j2
PGW_TARGET=gateway PGW_BIN="$PWD/build-asan/src/iris-pgwire" /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/e2e
stage "all tests passed"
