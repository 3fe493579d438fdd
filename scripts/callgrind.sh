#!/usr/bin/env bash
# Instruction counts of the decoders under callgrind (stable on any machine, unlike times):
# instructions per decode for single frames, per byte for the stream.
set -euo pipefail
cd "$(dirname "$0")/../benches"
cargo build --release --example callgrind -q
bin=target/release/examples/callgrind
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
for input in ykc_0x13 ykc_0x3b dny_0x06 dny_0x03 juy_0x88 ykc_stream; do
    base=$(count "$input" 0)
    full=$(count "$input" 1000)
    if [ "$input" = ykc_stream ]; then
        bytes=$(( 1048576 / 1000 * 1000 ))
        awk -v d="$((full - base))" -v b="$bytes" -v i="$input" 'BEGIN { printf "%-10s %8.1f instructions per byte\n", i, d / b }'
    else
        awk -v d="$((full - base))" -v i="$input" 'BEGIN { printf "%-10s %8.0f instructions per decode\n", i, d / 1000 }'
    fi
done
