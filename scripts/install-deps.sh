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
  unixodbc-dev
)
test_pkgs=(
  postgresql-15 postgresql-client-15
  python3 python3-pytest python3-psycopg python3-psycopg2
  openssl  # test_tls.py makes its CA and certificates with the openssl command
  odbc-postgresql libsqliteodbc
  # The client matrix (tests/e2e/test_*.py, programs in tests/clients/).
  python3-sqlalchemy python3-asyncpg
  default-jdk-headless libpostgresql-jdbc-java
  golang-go golang-github-jackc-pgx-v4-dev
  cargo librust-tokio-postgres-dev
  ruby ruby-pg
  php8.2-cli php8.2-pgsql
  clang-14 libclang-rt-14-dev
)

pkgs=("${build_pkgs[@]}")
if [[ "${1:-}" == "--test" ]]; then
  pkgs+=("${test_pkgs[@]}")
  # node and npm may come from elsewhere than Debian; only what is missing is installed.
  command -v node >/dev/null || pkgs+=(nodejs)
  command -v npm >/dev/null || pkgs+=(npm)
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: every package is installed"
else
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "install-deps: done"
fi

# npm packages of the node client test, into the project-local tests/clients/node/node_modules
# (versions pinned by its package-lock.json).
node_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/clients/node"
if [[ "${1:-}" == "--test" && ! -d "$node_dir/node_modules/pg" ]]; then
  echo "install-deps: npm ci in tests/clients/node"
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
