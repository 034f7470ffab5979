#!/usr/bin/env bash
# The patched samod under vendor/ (vendor/README.md): the patch file still describes exactly
# what differs from the published crates, and samod-core's own unit tests, with the ones the
# patch adds, pass. Its target directory sits inside the workspace's `target/`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# Reversing the patch must apply cleanly: the vendored sources are the published 0.16.0 plus
# exactly this patch.
patch -p1 -R --dry-run --quiet -d vendor < vendor/patches/samod-0.16.0-attach-on-demand.patch \
  || { echo "vendor/ no longer matches vendor/patches/samod-0.16.0-attach-on-demand.patch" >&2; exit 1; }

# Not the workspace's linter or profile: this is upstream's code, tested as upstream tests it.
env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS \
  cargo test --locked --manifest-path vendor/samod-core/Cargo.toml --target-dir target/vendor --lib
