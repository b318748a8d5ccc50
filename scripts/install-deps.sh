#!/usr/bin/env bash
# Installs the Debian 12 packages iris-pgwire needs that are not installed yet.
#   scripts/install-deps.sh          build and run dependencies
#   scripts/install-deps.sh --test   plus what the test suite and benchmarks use
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build pkg-config ccache
  libsqlite3-dev libpg-query-dev libprotobuf-c-dev libssl-dev libasio-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev libidn-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
test_pkgs=(
  postgresql-15 postgresql-client-15
  python3 python3-pytest python3-psycopg python3-psycopg2
  clang-14 libclang-rt-14-dev
)

pkgs=("${build_pkgs[@]}")
if [[ "${1:-}" == "--test" ]]; then
  pkgs+=("${test_pkgs[@]}")
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: everything is installed"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
