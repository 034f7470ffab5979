#!/usr/bin/env bash
# Installs what only the tests need, after scripts/setup.sh: the X server, WebDriver and
# tauri-driver for the window tests, poppler, qpdf, openssl and NSS's certutil to check exported
# PDFs as a customer's tools would, xdotool to find the app's window, systemd-analyze for the
# server's unit, and the stock automerge-repo peers. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(
  xvfb xauth webkit2gtk-driver xdotool poppler-utils qpdf libnss3-tools openssl systemd
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing Debian packages for the tests: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# tauri-driver drives the app window in the end-to-end tests (2.x; 3.0 is only alpha).
if ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  say "Installing tauri-driver"
  cargo install tauri-driver --version '^2' --locked
fi

say "Installing the stock automerge-repo peers the sync tests and benchmarks run against"
# `npm install`, not `npm ci`: cbor-x's optional native helpers (@cbor-extract/*) are not on
# every registry mirror, so the lock file cannot list them and `npm ci` would refuse; without
# them cbor-x uses its JavaScript decoder. Versions still come from package-lock.json.
(cd tests/interop && npm install --no-audit --no-fund --loglevel=error)
