"""Decoding YKC 0x13 real-time data frames from Python: pilekit in one call over a batch, pilekit
one call per frame, and a straightforward pure-Python decoder of 0x13 for comparison.

Run it (with the package installed)::

    python benches/python/bench_decode.py            # 200,000 frames, best of 5
    python benches/python/bench_decode.py --quick    # a short run that checks it works

Targets: at least 1,000,000 frames/s into ``Frame`` objects in one call over a batch (fields
are read lazily: ``to_dict()`` on demand), at least 300,000 frames/s one call per frame.
"""

from __future__ import annotations

import argparse
import struct
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pilekit

REPO = Path(__file__).resolve().parents[2]

# ---- a plain pure-Python decoder of YKC 0x13 --------------------------------------------------


def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return table


CRC_TABLE = _crc_table()
BODY = struct.Struct("<16s7sBBBBHHB8sBBHHIIIH")  # the 60 bytes of a 0x13 body


def crc16_modbus(data: bytes) -> int:
    """CRC-16/MODBUS, table-driven."""
    crc = 0xFFFF
    for byte in data:
        crc = (crc >> 8) ^ CRC_TABLE[(crc ^ byte) & 0xFF]
    return crc


def pure_python_decode_0x13(frame: bytes) -> dict[str, Any]:
    """One YKC 0x13 frame into a dict of its fields, checking start, length and CRC."""
    if len(frame) < 8 or frame[0] != 0x68:
        raise ValueError("not a YKC frame")
    length = frame[1]
    if len(frame) != length + 4 or frame[5] != 0x13 or length != 64:
        raise ValueError("not a 0x13 frame of 64 bytes")
    crc = frame[-2] | frame[-1] << 8
    if crc16_modbus(frame[2:-2]) != crc:
        raise ValueError("checksum mismatch")
    (serial, pile, gun, status, holstered, plugged, volts, amps, gun_temp, wire, soc,
     battery_temp, charged, remaining, energy, loss, amount, faults) = BODY.unpack_from(frame, 6)
    return {
        "seq": frame[2:4].hex(),
        "name": "real_time_data",
        "trade_serial": serial.hex(),
        "pile_code": pile.hex(),
        "gun": int(f"{gun:x}"),
        "status": status,
        "holstered": holstered,
        "plugged": plugged,
        "output_voltage_v": volts / 10,
        "output_current_a": amps / 10,
        "gun_temperature_c": float(gun_temp - 50),
        "gun_wire_code": wire.hex(),
        "soc_pct": soc,
        "battery_max_temperature_c": float(battery_temp - 50),
        "charged_min": charged,
        "remaining_min": remaining,
        "energy_kwh": energy / 10_000,
        "loss_energy_kwh": loss / 10_000,
        "amount_yuan": amount / 10_000,
        "faults": faults,
    }


# ---- the frames --------------------------------------------------------------------------------


def sample_frames(count: int) -> list[bytes]:
    """`count` 0x13 frames: the shipped session's first one, with 256 sequence numbers and
    voltages, repeated."""
    text = (REPO / "examples" / "captures" / "ykc-session.hex").read_text()
    capture = bytes.fromhex("".join(line.split("#")[0] for line in text.splitlines()))
    record = next(f for f in pilekit.decode(capture) if f.frame_type == 0x13).to_dict()
    distinct = []
    for i in range(256):
        record["seq"] = f"{i:02x}00"
        record["output_voltage_v"] = 300 + i / 10
        distinct.append(pilekit.encode(record))
    return [distinct[i % 256] for i in range(count)]


def best_rate(count: int, repeat: int, run: Callable[[], object]) -> float:
    """Frames per second of the best of `repeat` runs."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return count / best


def main() -> None:
    parser = argparse.ArgumentParser(description="decode 0x13 frames from Python")
    parser.add_argument("--frames", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="a short run that checks it works")
    args = parser.parse_args()
    count, repeat = (5_000, 1) if args.quick else (args.frames, args.repeat)

    frames = sample_frames(count)
    blob = b"".join(frames)

    # the three decoders agree
    decoded = pilekit.decode(blob, dialect="ykc")
    assert len(decoded) == count
    mine = pure_python_decode_0x13(frames[1])
    theirs = decoded[1].to_dict()
    for key in ("seq", "pile_code", "output_voltage_v", "energy_kwh", "amount_yuan", "soc_pct"):
        assert mine[key] == theirs[key], (key, mine[key], theirs[key])
    one = pilekit.decode_frame(frames[1], dialect="ykc").to_dict()
    assert {**one, "offset": theirs["offset"]} == theirs

    rates = {
        "pilekit.decode, one call over the batch": best_rate(
            count, repeat, lambda: pilekit.decode(blob, dialect="ykc")
        ),
        "pilekit.decode, batch + read one field of each": best_rate(
            count, repeat,
            lambda: [f.output_voltage_v for f in pilekit.decode(blob, dialect="ykc")],
        ),
        "pilekit.decode_frame, one call per frame": best_rate(
            count, repeat, lambda: [pilekit.decode_frame(f, "ykc") for f in frames]
        ),
        "pure Python 0x13 decoder, one call per frame": best_rate(
            count, repeat, lambda: [pure_python_decode_0x13(f) for f in frames]
        ),
    }
    print(f"{count} YKC 0x13 frames of {len(frames[0])} bytes, best of {repeat}:")
    for name, rate in rates.items():
        print(f"  {name:<48} {rate:>12,.0f} frames/s")


if __name__ == "__main__":
    main()
