#!/usr/bin/env bash
# Load test of the gateway: a district of virtual piles over loopback TCP at 100x real time.
#   bash benches/gateway-load.sh [PILES] [SOCKETS] [HOURS] [SPEED]   (default 2000 12 2 100)
# Reports frames/s and answer latency (from the piles' side), the gateway's CPU time and peak
# memory, and holds piles.jsonl against the gateway's receipts: every acknowledged charge
# billed exactly once.
set -euo pipefail
cd "$(dirname "$0")/.."
piles=${1:-2000}
sockets=${2:-12}
hours=${3:-2}
speed=${4:-100}
ulimit -n 65536 2>/dev/null || true
cargo build --release --quiet -p pilekit-cli
bin=target/release/pilekit
work=$(mktemp -d)
trap 'kill "$gw" 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" gateway --listen 127.0.0.1:0 --quiet --plan examples/plans/one-yuan-four-hours.json \
  --db "$work/gateway.db" 2> "$work/gateway.log" &
gw=$!
for _ in $(seq 100); do grep -q "listening on" "$work/gateway.log" && break; sleep 0.1; done
addr=$(sed -n 's/.*listening on \([^,]*\),.*/\1/p' "$work/gateway.log")
echo "gateway $gw on $addr; $piles piles x $sockets sockets, $hours h at ${speed}x"
start_ticks=$(awk '{print $14+$15}' /proc/$gw/stat)
"$bin" simulate --connect "$addr" --piles "$piles" --sockets "$sockets" --hours "$hours" \
  --speed "$speed" --quiet --out "$work/out"
end_ticks=$(awk '{print $14+$15}' /proc/$gw/stat)
peak_kb=$(awk '/VmHWM/ {print $2}' /proc/$gw/status)
kill -TERM "$gw"; wait "$gw" || true
hz=$(getconf CLK_TCK)
echo "gateway CPU          $(( (end_ticks - start_ticks) / hz )) s"
echo "gateway peak memory  $(( peak_kb / 1024 )) MB"
"$bin" receipts --db "$work/gateway.db" > "$work/receipts.jsonl"
python3 - "$work/out/piles.jsonl" "$work/receipts.jsonl" <<'PY'
import json, sys, collections
piles = [json.loads(l) for l in open(sys.argv[1])]
receipts = [json.loads(l) for l in open(sys.argv[2])]
count = collections.Counter((r["pile"], r["port"], r["order"]) for r in receipts)
acked = [p for p in piles if p["acknowledged"]]
missing = [p for p in acked if (p["pile"], p["port"], p["order"]) not in count]
twice = [k for k, n in count.items() if n > 1]
print(f"charges {len(piles)}, acknowledged {len(acked)}, receipts {len(receipts)}, "
      f"missing {len(missing)}, billed twice {len(twice)}")
sys.exit(1 if missing or twice or len(acked) != len(piles) else 0)
PY
