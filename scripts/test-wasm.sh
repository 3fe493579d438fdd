#!/usr/bin/env bash
# Builds the npm package and the browser tools (bindings/wasm) and runs their tests: the
# binding's lints and unit tests, the package build (wasm-bindgen, wasm-opt), the TypeScript
# example under `tsc --noEmit`, the Node tests against the built package and the `pilekit`
# command, and the browser tests in headless Chromium.
#
# Needs the Rust toolchain (rustup) and Node 20 with npm; installs the rest itself: the
# wasm32-unknown-unknown target, wasm-bindgen-cli (the version the crate pins), the npm
# packages of bindings/wasm (binaryen for wasm-opt, playwright-core, typescript) and, when
# /usr/bin/chromium is missing, Debian's chromium.
#
# PILEKIT_WASM_BENCH=1 also runs the Node decode bench (bindings/wasm/bench/decode.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."

# Must equal the `wasm-bindgen = "=..."` pin in bindings/wasm/Cargo.toml.
WASM_BINDGEN_VERSION=0.2.106

step() { printf '\n==> %s\n' "$*"; }

step "wasm toolchain"
grep -q "^wasm-bindgen = \"=$WASM_BINDGEN_VERSION\"" bindings/wasm/Cargo.toml \
  || { echo "bindings/wasm/Cargo.toml does not pin wasm-bindgen =$WASM_BINDGEN_VERSION" >&2; exit 1; }
rustup target add wasm32-unknown-unknown
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked
fi
wasm-bindgen --version
node --version
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi
(cd bindings/wasm && npm ci --no-audit --no-fund)

step "binding: format, lints, unit tests"
(cd bindings/wasm && cargo fmt -- --check)
(cd bindings/wasm && cargo clippy --all-targets -- -D warnings)
(cd bindings/wasm && cargo clippy --target wasm32-unknown-unknown -- -D warnings)
(cd bindings/wasm && cargo test --quiet)

step "build the package (pkg/) and the page's module (web/pkg/)"
(cd bindings/wasm && cargo build --release --target wasm32-unknown-unknown)
node bindings/wasm/build.mjs

step "TypeScript: the typed example against the package's types"
(cd bindings/wasm && npx --no-install tsc -p tsconfig.json)

step "the pilekit command (the reference the Node tests compare with)"
cargo build --quiet -p pilekit-cli

step "Node tests"
(cd bindings/wasm && PILEKIT_CLI="$PWD/../../target/debug/pilekit" node --test tests/)

step "browser tests (headless Chromium; screenshots in target/wasm-screenshots/)"
(cd bindings/wasm && node --test tests-browser/)

if [ "${PILEKIT_WASM_BENCH:-0}" = 1 ]; then
  step "decode speed in Node"
  node bindings/wasm/bench/decode.mjs
fi
