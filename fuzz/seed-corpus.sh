#!/usr/bin/env bash
# Writes the golden vectors of ../testdata/vectors/*.tsv as binary seed files into
# corpus/<target>/. Run from anywhere; corpus/ is git-ignored.
#
#   ykc_decode               the raw frame bytes (every dialect's vectors)
#   dny_decode               a control byte (direction: 00 none, 01 up, 02 down) + each DNY vector
#   juy_decode               a control byte (energy resolution, IMEI form, direction; see the
#                            target) + each JUY vector
#   ykc_stream_differential  a control prefix (see the target) + the frame bytes, plus one seed
#   auto_stream              holding every vector of a file back to back
#   dny_stream_differential  control prefixes (see the target) + each DNY/JUY vector, plus every
#                            vector of the file back to back; DNY streams start with the module's
#                            ICCID and have `link` between frames
#   tariff_bill              sessions billed under the time-of-use calendar example plan (a
#                            weekday, a weekend day, a holiday, a make-up working day, across
#                            midnight Friday→Saturday and across a season boundary), as the
#                            target's `arbitrary` input reads them
set -euo pipefail
cd "$(dirname "$0")"
vectors=../testdata/vectors

python3 - "$vectors" <<'PY'
import os, sys, glob

vectors = sys.argv[1]
targets = ["ykc_decode", "ykc_stream_differential", "auto_stream",
           "dny_decode", "juy_decode", "dny_stream_differential"]
for t in targets:
    os.makedirs(os.path.join("corpus", t), exist_ok=True)

def write(target, name, data):
    with open(os.path.join("corpus", target, name), "wb") as f:
        f.write(data)

ICCID = b"89860413161892009275"
LINK = b"link"

# Stream prefixes: ctl byte (low 3 bits = number of chunk-size bytes that follow).
#   00          byte-by-byte, strict
#   03 05 11 40 chunks of 5, 17, 64 bytes, strict
#   83 05 11 40 same chunks, lenient (differential target)
#   1b 05 11 40 auto: small buffer bound + checksum off
stream_prefixes = {
    "ykc_stream_differential": [b"\x00", b"\x03\x05\x11\x40", b"\x83\x05\x11\x40"],
    "auto_stream": [b"\x00", b"\x03\x05\x11\x40", b"\x1b\x05\x11\x40"],
}
# dny_stream_differential: ctl, opt, chunk sizes (ctl 0x40 selects JUY).
#   00 00           byte by byte, strict, direction inferred
#   03 00 05 11 40  chunks of 5, 17, 64, strict
#   13 01 05 11 40  same chunks, lenient, direction up
#   2b 02 05 11 40  small buffer bound, checksum off, direction down
differential_prefixes = [b"\x00\x00", b"\x03\x00\x05\x11\x40",
                         b"\x13\x01\x05\x11\x40", b"\x2b\x02\x05\x11\x40"]
# JUY: the same with ctl | 0x40; opt bits 3-4 = IMEI form (10 detect, 00 original,
# 08 with IMEI), opt bit 2 = 0.01 kWh.
juy_differential_prefixes = [b"\x40\x10", b"\x43\x10\x05\x11\x40",
                             b"\x53\x04\x05\x11\x40", b"\x6b\x18\x05\x11\x40"]
# juy_decode control bytes: bit 0 resolution, bits 1-2 IMEI form, bits 3-4 direction.
#   04 detect/milli/inferred  05 detect/centi  00 original  02 with IMEI  0c up  14 down
juy_ctl = [b"\x04", b"\x05", b"\x00", b"\x02", b"\x0c", b"\x14"]
dny_ctl = [b"\x00", b"\x01", b"\x02"]

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
            if dialect == "dny":
                for i, c in enumerate(dny_ctl):
                    write("dny_decode", f"{name}-c{i}", c + data)
                for i, p in enumerate(differential_prefixes):
                    write("dny_stream_differential", f"{name}-p{i}", p + data)
            if dialect == "juy":
                for i, c in enumerate(juy_ctl):
                    write("juy_decode", f"{name}-c{i}", c + data)
                for i, p in enumerate(juy_differential_prefixes):
                    write("dny_stream_differential", f"{name}-p{i}", p + data)
            count += 1
    joined = b"".join(frames)
    # a stray start byte and some noise in front, then every frame of the file
    noisy = b"\x68\x05\x00" + joined
    for target, prefixes in stream_prefixes.items():
        for i, p in enumerate(prefixes):
            write(target, f"{dialect}-all-p{i}", p + noisy)
    if dialect == "dny":
        # the module's ICCID first, `link` between frames, a stray "DN" and noise
        module = ICCID + b"".join(fr + LINK for fr in frames) + b"DN\x00" + LINK
        for i, p in enumerate(differential_prefixes):
            write("dny_stream_differential", f"dny-all-p{i}", p + module)
        for i, p in enumerate(stream_prefixes["auto_stream"]):
            write("auto_stream", f"dny-module-p{i}", p + module)
    if dialect == "juy":
        for i, p in enumerate(juy_differential_prefixes):
            write("dny_stream_differential", f"juy-all-p{i}", p + b"\x5a\x00" + joined)
print(f"wrote {count} vectors into corpus/{{{','.join(targets)}}}")

# tariff_bill: `Input` as `arbitrary` reads it — enum variants as a little-endian u32 scaled to
# the variant count, Option and Vec elements behind a bool byte, integers little-endian.
import datetime, struct
os.makedirs(os.path.join("corpus", "tariff_bill"), exist_ok=True)
CALENDAR_EXAMPLE = 13  # index of tou-calendar.json in the target's EXAMPLES
def local(text):
    t = datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    return int(t.timestamp())
sessions = {
    "weekday": ("2026-12-02T10:00:00", 2 * 3600),
    "weekend": ("2026-12-05T10:00:00", 2 * 3600),
    "holiday": ("2026-10-01T10:00:00", 2 * 3600),
    "workday": ("2026-10-10T10:00:00", 2 * 3600),
    "friday-night": ("2026-12-04T22:00:00", 12 * 3600),
    "season": ("2026-08-31T22:00:00", 14 * 3600),
}
for name, (start, duration) in sessions.items():
    data = struct.pack("<I", 0) + bytes([CALENDAR_EXAMPLE, 0])          # Example, no edits
    data += struct.pack("<I", local(start) - 1_700_000_000) + b"\x00"   # start, no raw start
    data += struct.pack("<I", duration) + b"\x00"                       # duration, not long
    data += b"\x01" + struct.pack("<i", 70_000)                         # 7 kW
    data += b"\x00\x00\x00"                                              # no energies, no samples
    data += struct.pack("<I", 0)                                        # postpaid
    data += struct.pack("<I", 1000) + b"\x00"                            # quote 10 yuan
    write("tariff_bill", f"calendar-{name}", data)
print(f"wrote {len(sessions)} calendar sessions into corpus/tariff_bill")
PY
