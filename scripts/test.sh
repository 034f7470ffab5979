#!/usr/bin/env bash
# Every check and every test, as CI runs them: formatting, lints, type checks, unit and CLI
# tests, then the end-to-end tests that drive the real app window under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check
step "UI: tsc --noEmit, svelte-check, eslint"
(cd ui && npm run --silent check && npm run --silent lint)
step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "Build the app binary the end-to-end tests drive"
cargo build --workspace --locked
step "Unit, store, CLI and bindings tests"
cargo test --workspace --locked --exclude scopepact-e2e
step "End-to-end tests: the real app under Xvfb through tauri-driver + WebKitWebDriver"
mkdir -p test-output
timeout 1200 xvfb-run -a --server-args="-screen 0 1600x1000x24" \
  cargo test -p scopepact-e2e --locked -- --test-threads=1
