#!/usr/bin/env bash
# Set-up command 1: installs what is missing, builds, and starts the server on the embedded
# default (SQLite file ./iris-pgwire.db, 127.0.0.1:5432). Extra arguments go to `serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh iris-pgwire
exec build/src/iris-pgwire serve "$@"
