#!/usr/bin/env bash
# Builds the installable packages into dist/:
#   scopepact_<v>_<arch>.deb         the `scopepact` command (no desktop libraries needed)
#   scopepact-server_<v>_all.deb      the sync server as a systemd service (needs scopepact)
#   ScopePact_<v>_<arch>.deb          the desktop app (needs scopepact), from the Tauri bundler
#   ScopePact-<v>-1.<arch>.rpm        the desktop app with the `scopepact` command inside
# Release build by default; `--debug` packages the debug build the tests already made (CI's
# package check, which must not compile the tree a second time).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

profile=release
case "${1:-}" in
  --debug) profile=debug ;;
  "") ;;
  *) echo "usage: scripts/package.sh [--debug]" >&2; exit 2 ;;
esac

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

bash scripts/setup.sh
command -v dpkg-deb >/dev/null || { echo "dpkg-deb is needed to build the .deb packages" >&2; exit 1; }

if [ "$profile" = release ]; then
  say "Building the app and the command line (release)"
  cargo build --release --locked -p scopepact-app -p scopepact-cli
else
  say "Using the debug build (cargo build --workspace, as the tests build it)"
  cargo build --workspace --locked
fi
target="target/$profile"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
arch=$(dpkg --print-architecture)
rm -rf dist && mkdir -p dist

say "The desktop app: .deb and .rpm (Tauri bundler)"
bundle_flags=()
[ "$profile" = debug ] && bundle_flags+=(--debug)
# The .deb leans on the scopepact package for the command line; the .rpm carries it.
overrides=$(printf '{"bundle":{"linux":{"deb":{"depends":["scopepact (= %s)"]},"rpm":{"files":{"/usr/bin/scopepact":"../%s/scopepact"}}}}}' "$version" "$target")
rm -rf "$target/bundle"
ui/node_modules/.bin/tauri bundle "${bundle_flags[@]}" --bundles deb,rpm --config "$overrides"
cp "$target"/bundle/deb/*.deb "$target"/bundle/rpm/*.rpm dist/

# A .deb from a staged tree: control fields from the arguments, files already in $root.
build_deb() {
  local root=$1 name=$2 package_arch=$3 depends=$4 description=$5 details=$6
  local size
  size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
  mkdir -p "$root/DEBIAN"
  cat > "$root/DEBIAN/control" <<CONTROL
Package: $name
Version: $version
Architecture: $package_arch
Maintainer: ScopePact <maintainers@scopepact.invalid>
Installed-Size: $size
Depends: $depends
Section: office
Priority: optional
Description: $description
 $details
CONTROL
  dpkg-deb --root-owner-group --build "$root" "dist/${name}_${version}_${package_arch}.deb" >/dev/null
}

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

say "The command line: scopepact .deb"
cli="$stage/cli"
install -D -m 0755 "$target/scopepact" "$cli/usr/bin/scopepact"
build_deb "$cli" scopepact "$arch" "libc6 (>= 2.34), libgcc-s1, libssl3" \
  "committed-scope documents shared by sales and operations (command line)" \
  "The scopepact command: import, edit, sign, export and verify scope documents, sync them, and run the sync server."

say "The sync server as a service: scopepact-server .deb"
server="$stage/server"
install -D -m 0644 packaging/server/scopepact-server.service "$server/lib/systemd/system/scopepact-server.service"
install -D -m 0644 packaging/server/server.toml "$server/etc/scopepact/server.toml"
install -D -m 0644 packaging/server/README.server.md "$server/usr/share/doc/scopepact-server/README.server.md"
for script in postinst prerm postrm; do
  install -D -m 0755 "packaging/server/$script" "$server/DEBIAN/$script"
done
echo /etc/scopepact/server.toml > "$server/DEBIAN/conffiles"
build_deb "$server" scopepact-server all "scopepact (= $version), systemd" \
  "ScopePact sync server as a systemd service (scopepact serve)" \
  "Runs scopepact serve as an unprivileged dynamic user, state in /var/lib/scopepact, settings in /etc/scopepact/server.toml."

say "Packages in dist/"
ls -l dist/
