#!/usr/bin/env bash
# Runs every check and test of the repository. Needs only the Rust toolchain (rustup); installs
# the bare-metal target itself.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain"
cargo --version
if command -v rustup >/dev/null 2>&1; then
  rustup component add rustfmt clippy >/dev/null 2>&1 || true
  rustup target add thumbv7em-none-eabihf
fi

step "format"
cargo fmt --all -- --check

step "lints"
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "docs (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --all-features --no-deps --quiet

step "tests (all features)"
cargo test --workspace --all-features

step "tests (core without default features)"
cargo test -p pilekit --no-default-features --lib

step "no_std build for the pile's MCU (thumbv7em-none-eabihf)"
cargo build -p pilekit --no-default-features --target thumbv7em-none-eabihf
cargo build -p pilekit --no-default-features --features serde --target thumbv7em-none-eabihf

step "package"
cargo package -p pilekit --allow-dirty --quiet

step "benches compile"
(cd benches && cargo bench --no-run --quiet)

step "main job: decode the shipped capture"
cargo run --quiet -p pilekit-cli -- decode --file examples/captures/ykc-session.hex > /dev/null

echo
echo "all checks passed"
