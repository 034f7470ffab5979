#!/usr/bin/env bash
# Every check and every test, as CI runs them: formatting, lints, type checks, unit and CLI
# tests, the packages installed and started, then the end-to-end tests that drive the real app
# window under Xvfb. Prints the seconds each step took at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

timings=()
started=$SECONDS
step_name=""
step_start=$SECONDS
step() {
  if [ -n "$step_name" ]; then timings+=("$(printf '%5d s  %s' $((SECONDS - step_start)) "$step_name")"); fi
  step_name="$*"
  step_start=$SECONDS
  printf '\n\033[1m==> %s\033[0m\n' "$*"
}
report() {
  local status=$?
  if [ -n "$step_name" ]; then timings+=("$(printf '%5d s  %s' $((SECONDS - step_start)) "$step_name")"); fi
  printf '\n\033[1m==> Seconds per step\033[0m\n'
  printf '%s\n' "${timings[@]}"
  printf '%5d s  in all\n' $((SECONDS - started))
  exit $status
}
trap report EXIT

step "Setup: system packages, npm packages, the UI build, the test tools"
bash scripts/setup.sh
bash scripts/setup-tests.sh

step "cargo fmt --check"
cargo fmt --all -- --check
step "UI: tsc --noEmit, svelte-check, eslint"
(cd ui && npm run --silent check && npm run --silent lint)
# Clippy is the compiler of the workspace's own crates (RUSTC_WORKSPACE_WRAPPER, the way
# `cargo clippy` runs it), so one build lints every target with -D warnings and makes the
# binaries the tests run: the dependencies compile once, not once to check and once to build.
# Every cargo command selects the whole workspace, so features unify the same way and nothing
# is compiled twice; the window tests are told apart by name (`window::…`).
RUSTC_WORKSPACE_WRAPPER=$(command -v clippy-driver)
export RUSTC_WORKSPACE_WRAPPER
export CLIPPY_ARGS="-Dwarnings"
step "Build every target, linted by clippy (-D warnings)"
cargo test --workspace --all-targets --locked --no-run
cargo build --workspace --locked
step "Unit, store, CLI and bindings tests (with a 60 s fuzz run of PDF verify)"
SCOPEPACT_FUZZ_SECONDS=60 cargo test --workspace --locked -- --skip window::
step "Vendored samod: the patch matches, samod-core's unit tests pass"
bash scripts/check-vendor.sh
step "Packages: build the .deb/.rpm, install, run, open the window, remove"
bash scripts/check-package.sh
step "End-to-end tests: the real app under Xvfb through tauri-driver + WebKitWebDriver"
mkdir -p test-output
timeout 1200 xvfb-run -a --server-args="-screen 0 1600x1000x24" \
  cargo test --workspace --locked --test '*_window' -- --test-threads=1 window::
