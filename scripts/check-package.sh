#!/usr/bin/env bash
# CI's package check: builds the packages from the debug build the tests use, installs them
# with dpkg as IT would, runs the installed commands, checks the installed service unit, starts
# the installed app under Xvfb and looks for its window, then removes the packages again.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

bash scripts/package.sh --debug
packages=(scope-pact scopepact-server scopepact)
work=$(mktemp -d)
cleanup() {
  as_root dpkg --purge "${packages[@]}" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

say "Installing the packages with dpkg"
if ! as_root dpkg -i dist/scopepact_*.deb dist/scopepact-server_*.deb dist/ScopePact_*.deb; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -f -y -qq --no-install-recommends
fi
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}\n' "$p" | grep -q "install ok installed" || { echo "$p is not installed" >&2; exit 1; }
done

say "The installed commands"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
[ "$(/usr/bin/scopepact --version)" = "scopepact $version" ] || { echo "scopepact --version: $(/usr/bin/scopepact --version)" >&2; exit 1; }
[ "$(/usr/bin/scopepact-app --version)" = "scopepact-app $version" ] || { echo "scopepact-app --version is wrong" >&2; exit 1; }
grep -q '^Exec=scopepact-app' /usr/share/applications/ScopePact.desktop
systemd-analyze verify /lib/systemd/system/scopepact-server.service
/usr/bin/scopepact serve --config /etc/scopepact/server.toml --db "$work/check.sqlite3" --listen 127.0.0.1:0 &
server=$!
sleep 2
kill -0 "$server" 2>/dev/null || { echo "the installed server does not run with the shipped settings" >&2; exit 1; }
kill -TERM "$server"; wait "$server" || true

say "The installed app opens its window"
mkdir -p "$work/home"
HOME="$work/home" XDG_DATA_HOME="$work/home/.local/share" XDG_CONFIG_HOME="$work/home/.config" \
  timeout 120 xvfb-run -a --server-args="-screen 0 1280x900x24" bash -c '
    /usr/bin/scopepact-app --data-dir "$0/data" 2>"$0/app.log" &
    app=$!
    for _ in $(seq 1 300); do
      if xdotool search --name "^ScopePact$" >/dev/null 2>&1; then
        echo "window found: $(xdotool search --name "^ScopePact$" | head -n 1)"
        kill -TERM "$app"; wait "$app" 2>/dev/null || true
        exit 0
      fi
      kill -0 "$app" 2>/dev/null || { cat "$0/app.log" >&2; exit 1; }
      sleep 0.1
    done
    echo "no ScopePact window after 30 s" >&2; cat "$0/app.log" >&2; kill -KILL "$app"; exit 1
  ' "$work"

say "Removing the packages"
as_root dpkg --purge "${packages[@]}" >/dev/null
for binary in /usr/bin/scopepact /usr/bin/scopepact-app /lib/systemd/system/scopepact-server.service; do
  [ ! -e "$binary" ] || { echo "$binary is still there after removal" >&2; exit 1; }
done
say "Package check passed"
