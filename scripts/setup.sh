#!/usr/bin/env bash
# Installs what building and running ScopePact needs on Debian 12 and builds the UI.
# Idempotent: re-running it only does what is missing. Run as root (or with sudo available).
# The tools only the tests use come from scripts/setup-tests.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages: Tauri 2 on Linux (WebKitGTK 4.1 and friends), the C toolchain and mold,
# the linker .cargo/config.toml asks for.
install_missing() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}
install_missing build-essential pkg-config curl wget file mold \
  libwebkit2gtk-4.1-dev libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev

# Rust toolchain and the components the checks use.
if ! command -v cargo >/dev/null; then
  echo "cargo is missing: install Rust with rustup (https://rustup.rs) and run this again" >&2
  exit 1
fi
for component in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | grep -q "^$component" || rustup component add "$component"
done

# Node.js 20.19+ builds the UI (Vite 8).
if ! command -v node >/dev/null || ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "Node.js 20.19 or newer is needed to build the UI (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

say "Installing the UI's npm packages"
(cd ui && npm ci --no-audit --no-fund --loglevel=error)
say "Building the UI"
(cd ui && npm run --silent build)
