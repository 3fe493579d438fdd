#!/usr/bin/env bash
# Builds the Python package (bindings/python) into a fresh virtual environment and runs its
# checks: pytest (golden vectors, properties, tariffs, the station, the asyncio gateway over a
# loopback socket, `mypy.stubtest` on the hand-written stubs and `mypy --strict` on the
# examples, the bench and the tests), and the decode bench in its quick form. Needs
# Python 3.10+ with pip and the Rust toolchain; installs maturin, pytest, hypothesis and mypy
# itself.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

python=${PYTHON:-python3}
venv=target/python-venv
wheels=target/python-wheels

step "python: a fresh virtual environment with maturin, pytest, hypothesis and mypy"
"$python" --version
rm -rf "$venv" "$wheels"
# (a Python without its venv module gets virtualenv from pip instead)
"$python" -m venv "$venv" 2>/dev/null || {
  "$python" -m pip install --quiet --user virtualenv && "$python" -m virtualenv --quiet "$venv"
}
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check maturin pytest hypothesis mypy

step "python: format and lints of the binding crate (its own workspace)"
cargo fmt --manifest-path bindings/python/Cargo.toml -- --check
cargo clippy --quiet --manifest-path bindings/python/Cargo.toml --all-targets -- -D warnings

step "python: the command line the tests compare with"
cargo build --quiet -p pilekit-cli

step "python: the wheel (abi3, CPython 3.10+), installed"
"$venv/bin/maturin" build --release --quiet -m bindings/python/Cargo.toml -o "$wheels"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps "$wheels"/pilekit-*.whl

step "python: pytest (with mypy.stubtest and mypy --strict among the tests)"
PILEKIT_CLI="$PWD/target/debug/pilekit" "$venv/bin/python" -m pytest -q -p no:cacheprovider \
  bindings/python/tests

step "python: decode bench (quick)"
"$venv/bin/python" benches/python/bench_decode.py --quick
