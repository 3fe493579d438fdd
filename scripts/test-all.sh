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

step "nats-server for the gateway/worker failover test (crates/pilekit-cli/tests/nats.rs)"
if ! command -v nats-server >/dev/null 2>&1 && [ ! -x /usr/sbin/nats-server ]; then
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server
  else
    echo "nats-server is missing and apt-get is not available: install nats-server (NATS with JetStream)" >&2
    exit 1
  fi
fi
export PATH="$PATH:/usr/sbin"
nats-server --version

step "tests (all features)"
cargo test --workspace --all-features

step "tests (core without default features)"
cargo test -p pilekit --no-default-features --lib

step "no_std build for the pile's MCU (thumbv7em-none-eabihf)"
cargo build -p pilekit --no-default-features --target thumbv7em-none-eabihf
cargo build -p pilekit --no-default-features --features serde --target thumbv7em-none-eabihf

step "package, and the published crate's tests from the .crate file"
cargo package -p pilekit --allow-dirty --quiet
crate_file=$(ls -t target/package/pilekit-*.crate | head -1)
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
# -m: fresh mtimes, so cargo rebuilds what an earlier unpacking built into the shared target dir
tar -m -xzf "$crate_file" -C "$unpacked"
crate_dir=$(echo "$unpacked"/pilekit-*)
# the dependencies the workspace resolved (the package carries its own Cargo.lock; if not, the
# workspace's), built into the workspace's target dir so nothing is compiled twice
[ -f "$crate_dir/Cargo.lock" ] || cp Cargo.lock "$crate_dir/"
# Every test, unit, integration and doc: everything they read is inside the package
# (crates/pilekit/tests/data). Offline: the workspace's tests fetched every dependency already.
(cd "$crate_dir" && CARGO_TARGET_DIR="$OLDPWD/target" cargo test --offline --all-features --quiet)

step "benches compile"
(cd benches && cargo bench --no-run --quiet)

step "Python package (bindings/python)"
bash scripts/test-python.sh

step "the npm package and the browser tools"
bash scripts/test-wasm.sh

step "main job: simulate a day (the README's command, in a debug build) and decode a shipped capture"
sim_out=$(mktemp -d)
cargo run --quiet -p pilekit-cli -- simulate --quiet --out "$sim_out" > "$sim_out/summary.txt"
grep -q "exactly once         ok" "$sim_out/summary.txt"
for f in receipts.jsonl summary.json load.svg; do [ -s "$sim_out/$f" ]; done
rm -rf "$sim_out"
cargo run --quiet -p pilekit-cli -- decode --file examples/captures/ykc-session.hex > /dev/null

echo
echo "all checks passed"
