"""Shared helpers: the repository's paths, its golden vectors and the `pilekit` command."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

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
