"""Shared helpers: the repository's paths, its golden vectors and the `pilekit` command."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

import pilekit

# Property tests leave no example database in the tree.
settings.register_profile("pilekit", database=None)
settings.load_profile("pilekit")

REPO = Path(__file__).resolve().parents[3]
VECTORS = REPO / "testdata" / "vectors"
CAPTURES = REPO / "examples" / "captures"
PLANS = REPO / "examples" / "plans"


def vectors() -> list[tuple[str, str, str, str]]:
    """Every golden vector: (file, cmd, hex, note)."""
    out = []
    for path in sorted(VECTORS.glob("*.tsv")):
        for line in path.read_text().splitlines()[1:]:
            if line.strip():
                cmd, hexed, note = line.split("\t")[:3]
                out.append((path.stem, cmd, hexed, note))
    return out


def cli_path() -> Path:
    """The built `pilekit` command ($PILEKIT_CLI, else the workspace's debug build)."""
    given = os.environ.get("PILEKIT_CLI")
    path = Path(given) if given else REPO / "target" / "debug" / "pilekit"
    if not path.exists():
        pytest.fail(f"the pilekit command is not built at {path}: cargo build -p pilekit-cli")
    return path


def cli_json(*hexes: str) -> list[dict[str, Any]]:
    """`pilekit decode --json HEX...`, one record per argument."""
    run = subprocess.run(
        [str(cli_path()), "decode", "--json", *hexes],
        capture_output=True,
        text=True,
        check=False,
    )
    return [json.loads(line) for line in run.stdout.splitlines() if line.strip()]


def capture(name: str) -> bytes:
    """The bytes of a shipped hex capture."""
    text = (CAPTURES / name).read_text()
    hexed = "".join(line.split("#")[0] for line in text.splitlines())
    return bytes.fromhex(hexed)


def crc16_modbus(data: bytes) -> int:
    """CRC-16/MODBUS, to forge YKC frames whose checksum is right but whose content is not."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def ykc_with_crc(frame: bytes) -> bytes:
    """A YKC frame (its checksum bytes dropped) with the right checksum."""
    body = frame[2:-2]
    return frame[:-2] + crc16_modbus(body).to_bytes(2, "little")


# ---- a virtual DNY pile, played with pilekit.encode -------------------------------------

T0 = 1_764_675_000  # 2025-12-02 19:30 +08:00
PILE = "05-11220795"  # the station names a DNY pile by class and number
PILE_HEX = "05AB373B"
PHYSICAL_ID = {"hex": PILE_HEX, "class": {"name": "ten_way", "code": 5}, "number": 11220795}
ORDER = "51310000000000000000000000000000"  # "Q1" padded to 16 bytes, in hex


def dny(
    message_id: int, name: str, frame_type: int, physical_id: dict[str, Any] = PHYSICAL_ID,
    **fields: Any,
) -> bytes:
    """An uplink DNY frame of a virtual pile (the one of `PILE` unless `physical_id` says)."""
    record: dict[str, Any] = {
        "dialect": "dny",
        "direction": "up",
        "frame_type": frame_type,
        "physical_id": physical_id,
        "message_id": message_id,
        "direction_source": "layout",
        "deviations": [],
        "name": name,
    }
    record.update(fields)
    return pilekit.encode(record)


REGISTER = dny(1, "register", 0x20, firmware_version=105, port_count=10, virtual_id=0,
               device_type=5, work_mode=0)
START_OK = dny(0x0101, "start_stop_reply", 0x82, result={"name": "ok", "code": 0},
               order_number=ORDER, port=3)
SETTLEMENT = dny(50, "settlement", 0x03, duration_s=9120, max_power_w=189.0, energy_kwh=0.38,
                 port=3, start_mode={"name": "online", "code": 1}, card_id="00000000",
                 stop_reason={"name": "battery_full", "code": 1}, order_number=ORDER)
