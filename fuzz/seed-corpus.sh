#!/usr/bin/env bash
# Writes the golden vectors of ../testdata/vectors/*.tsv as binary seed files into
# corpus/<target>/. Run from anywhere; corpus/ is git-ignored.
#
#   ykc_decode               the raw frame bytes
#   ykc_stream_differential  a control prefix (see the target) + the frame bytes, plus one seed
#   auto_stream              holding every vector of a file back to back
set -euo pipefail
cd "$(dirname "$0")"
vectors=../testdata/vectors

python3 - "$vectors" <<'PY'
import os, sys, glob

vectors = sys.argv[1]
targets = ["ykc_decode", "ykc_stream_differential", "auto_stream"]
for t in targets:
    os.makedirs(os.path.join("corpus", t), exist_ok=True)

def write(target, name, data):
    with open(os.path.join("corpus", target, name), "wb") as f:
        f.write(data)

# Stream prefixes: ctl byte (low 3 bits = number of chunk-size bytes that follow).
#   00          byte-by-byte, strict
#   03 05 11 40 chunks of 5, 17, 64 bytes, strict
#   83 05 11 40 same chunks, lenient (differential target)
#   1b 05 11 40 auto: small buffer bound + checksum off
stream_prefixes = {
    "ykc_stream_differential": [b"\x00", b"\x03\x05\x11\x40", b"\x83\x05\x11\x40"],
    "auto_stream": [b"\x00", b"\x03\x05\x11\x40", b"\x1b\x05\x11\x40"],
}

count = 0
for path in sorted(glob.glob(os.path.join(vectors, "*.tsv"))):
    dialect = os.path.splitext(os.path.basename(path))[0]
    frames = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 2 or cols[1] == "hex" or not cols[1].strip():
                continue
            data = bytes.fromhex(cols[1])
            frames.append(data)
            name = f"{dialect}-{lineno:03d}"
            write("ykc_decode", name, data)
            for target, prefixes in stream_prefixes.items():
                for i, p in enumerate(prefixes):
                    write(target, f"{name}-p{i}", p + data)
            count += 1
    joined = b"".join(frames)
    # a stray start byte and some noise in front, then every frame of the file
    noisy = b"\x68\x05\x00" + joined
    for target, prefixes in stream_prefixes.items():
        for i, p in enumerate(prefixes):
            write(target, f"{dialect}-all-p{i}", p + noisy)
print(f"wrote {count} vectors into corpus/{{{','.join(targets)}}}")
PY
