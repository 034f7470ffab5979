#!/usr/bin/env bash
# Installs what ScopePact needs on Debian 12 and builds the UI. Idempotent: re-running it
# only does what is missing. Run as root (or with sudo available).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages: Tauri 2 on Linux (WebKitGTK 4.1 and friends), the X server and WebDriver
# for the end-to-end tests, poppler and qpdf to check exported PDFs, NSS's certutil to trust a
# company root the way a customer's reader would.
packages=(
  build-essential pkg-config curl wget file
  libwebkit2gtk-4.1-dev libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev
  xvfb xauth webkit2gtk-driver poppler-utils qpdf libnss3-tools openssl
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

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

# tauri-driver drives the app window in the end-to-end tests (2.x; 3.0 is only alpha).
if ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  say "Installing tauri-driver"
  cargo install tauri-driver --version '^2' --locked
fi

say "Installing the UI's npm packages"
(cd ui && npm ci --no-audit --no-fund --loglevel=error)
say "Installing the stock automerge-repo peers the sync tests and benchmarks run against"
# `npm install`, not `npm ci`: cbor-x's optional native helpers (@cbor-extract/*) are not on
# every registry mirror, so the lock file cannot list them and `npm ci` would refuse; without
# them cbor-x uses its JavaScript decoder. Versions still come from package-lock.json.
(cd tests/interop && npm install --no-audit --no-fund --loglevel=error)
say "Building the UI"
(cd ui && npm run --silent build)
