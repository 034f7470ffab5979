#!/usr/bin/env bash
# Installs whatever is missing, builds ScopePact and opens its window.
# Extra arguments go to the app, e.g. `--data-dir /tmp/scopepact-demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "==> Building and starting ScopePact"
exec cargo run --quiet -p scopepact-app -- "$@"
