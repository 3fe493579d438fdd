"""Decoding and encoding over the golden vectors, the shipped captures and broken input."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import pilekit
from conftest import capture, cli_json, vectors, ykc_with_crc

VECTORS = vectors()


def test_there_are_vectors_of_every_dialect() -> None:
    assert {v[0] for v in VECTORS} == {"dny", "juy", "ykc"}
    assert len(VECTORS) >= 37


@pytest.mark.parametrize("dialect", ["dny", "juy", "ykc"])
def test_to_dict_is_the_command_lines_record_for_every_vector(dialect: str) -> None:
    rows = [v for v in VECTORS if v[0] == dialect]
    expected = cli_json(*(v[2] for v in rows))
    assert len(expected) == len(rows)
    for (_, cmd, hexed, _), record in zip(rows, expected):
        frames = pilekit.decode(bytes.fromhex(hexed))
        assert len(frames) == 1, hexed
        frame = frames[0]
        assert frame.to_dict() == record, hexed
        assert json.loads(frame.to_json()) == record
        assert frame.frame_type == int(cmd, 16)
        assert frame.dialect == dialect
        assert frame.offset == 0
        # encode is the inverse of decode
        assert frame.encode() == bytes.fromhex(hexed)
        assert pilekit.encode(frame.to_dict()) == bytes.fromhex(hexed)
        assert pilekit.encode(frame.to_json()) == bytes.fromhex(hexed)


def vector(dialect: str, cmd: str, n: int = 0) -> bytes:
    rows = [v for v in VECTORS if v[0] == dialect and v[1] == cmd]
    return bytes.fromhex(rows[n][2])


def test_field_values_of_vectors() -> None:
    hb = pilekit.decode_frame(vector("ykc", "0x03"))
    assert (hb.name, hb.pile_code, hb.gun, hb.seq) == ("heartbeat", "32010200000001", 1, "0001")
    assert hb.gun_condition == {"name": "normal", "code": 0}
    assert hb.checksum["order"] == "low_byte_first"

    login = pilekit.decode_frame(vector("ykc", "0x01"))
    assert login.name == "login"
    assert login.pile_code == "55031412782305"
    assert login.program_version == "V4.1.50"
    assert login.gun_count == 2
    assert login.pile_type == {"name": "dc", "code": 0}

    sync = pilekit.decode_frame(vector("ykc", "0x56"))
    assert sync.time == "2020-03-16T17:14:47"  # a local time: no offset, so text

    power = pilekit.decode_frame(vector("dny", "0x06"))
    assert power.name == "port_power"
    assert power.port == 2
    assert power.duration_s == 3600
    assert power.energy_kwh == Decimal("0.48")
    assert isinstance(power.energy_kwh, Decimal)
    assert power.voltage_v == Decimal("220")
    assert power.current_a == Decimal("0.455")
    assert power.order_number == "20190901180000130030380102030405"
    assert power.physical_id["hex"] == "04AB373B"
    assert power.to_dict()["energy_kwh"] == 0.48  # the canonical form keeps JSON's number

    start = pilekit.decode_frame(vector("dny", "0x82"))
    assert start.direction == "down"
    assert start.max_duration_s == 28800
    assert start.overload_power_w == Decimal("500")

    juy = pilekit.decode_frame(vector("juy", "0x82"))
    assert juy.dialect == "juy"
    assert juy.frame_imei == "867924060525709"


def test_a_capture_decodes_as_a_stream_with_offsets() -> None:
    data = capture("ykc-session.hex")
    frames = pilekit.decode(data, dialect="ykc")
    assert frames[0].name == "login"
    assert frames[0].offset == 0
    offsets = [f.offset for f in frames]
    assert offsets == sorted(offsets)
    assert b"".join(f.encode() for f in frames) == data
    realtime = [f for f in frames if f.frame_type == 0x13]
    assert realtime
    first = realtime[0]
    assert first.output_voltage_v == Decimal("373.2")
    assert first.output_current_a == Decimal("101.2")
    assert first.energy_kwh == Decimal("4.6")
    assert first.amount_yuan == Decimal("4.922")
    assert first.soc_pct == 65
    assert first.status == {"name": "charging", "code": 3}


def test_a_bad_checksum_is_a_decode_error_with_kind_and_offset() -> None:
    bad = bytes.fromhex("68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1B")
    with pytest.raises(pilekit.DecodeError) as info:
        pilekit.decode(bad)
    err = info.value
    assert isinstance(err, ValueError)
    assert isinstance(err, pilekit.PileError)
    assert err.kind == "checksum_mismatch"
    assert err.offset == 15
    assert "`1BF1`" in err.message
    assert str(err).startswith("at byte 15: ")
    # lenient decoding without checksum verification is not offered here, but lenient takes it
    with pytest.raises(pilekit.DecodeError):
        pilekit.decode_frame(bad, strict=False)


def test_errors_of_decode_frame_and_arguments() -> None:
    hb = vector("ykc", "0x03")
    with pytest.raises(pilekit.DecodeError) as info:
        pilekit.decode_frame(hb + b"\x00")
    assert info.value.kind == "trailing_bytes"
    with pytest.raises(pilekit.DecodeError) as info:
        pilekit.decode_frame(hb[:10])
    assert info.value.kind == "truncated"
    with pytest.raises(pilekit.DecodeError) as info:
        pilekit.decode(hb, dialect="xyz")  # type: ignore[arg-type]
    assert info.value.kind == "unknown_dialect"
    with pytest.raises(pilekit.DecodeError) as info:
        pilekit.decode(hb, dialect="dny")
    assert info.value.offset == 0
    with pytest.raises(TypeError):
        pilekit.decode("680D")  # type: ignore[arg-type]
    # bytes-like input
    assert pilekit.decode(bytearray(hb))[0].pile_code == "32010200000001"
    assert pilekit.decode(memoryview(hb))[0].pile_code == "32010200000001"


def test_garbage_between_frames_raises_at_its_offset() -> None:
    hb = vector("ykc", "0x03")
    with pytest.raises(pilekit.DecodeError) as info:
        pilekit.decode(hb + b"\xee\xee" + hb)
    assert info.value.offset == len(hb)


def test_encode_refuses_what_has_no_bytes() -> None:
    with pytest.raises(pilekit.EncodeError) as info:
        pilekit.encode({"error": {"kind": "truncated"}})
    assert info.value.kind == "invalid_json"
    assert isinstance(info.value, ValueError)
    with pytest.raises(pilekit.EncodeError):
        pilekit.encode("{")
    record = pilekit.decode_frame(vector("dny", "0x06")).to_dict()
    record["voltage_v"] = Decimal("221.5")  # a Decimal is read exactly
    again = pilekit.decode_frame(pilekit.encode(record))
    assert again.voltage_v == Decimal("221.5")


def test_dny_module_text_is_a_record_with_bytes() -> None:
    iccid = b"89860413161892009275"
    frames = pilekit.decode(iccid + b"link" + vector("dny", "0x81"), dialect="dny")
    assert [f.to_dict().get("item") for f in frames] == ["iccid", "link", None]
    assert frames[0].iccid == "89860413161892009275"
    assert frames[1].offset == 20
    assert frames[2].offset == 24
    assert frames[0].encode() == iccid
    assert frames[1].encode() == b"link"


def test_stream_decoder_in_any_split_gives_the_one_shot_records() -> None:
    data = capture("ykc-session.hex")
    whole = pilekit.decode(data)
    for size in (1, 7, 64, len(data)):
        dec = pilekit.StreamDecoder()
        got: list[pilekit.Frame | pilekit.Skipped | pilekit.Error] = []
        for i in range(0, len(data), size):
            got.extend(dec.feed(data[i : i + size]))
        got.extend(dec.finish())
        assert got == whole, size
        assert dec.position == len(data)
        assert dec.dialect == "ykc"


def test_stream_decoder_reports_problems_and_restores_from_a_snapshot() -> None:
    hb = vector("ykc", "0x03")
    bad = hb[:-1] + b"\x1b"
    dec = pilekit.StreamDecoder()
    first = dec.feed(b"\xee\xee" + hb[:5])
    restored = pilekit.StreamDecoder.restore(dec.snapshot())
    assert restored.position == 7
    records = first + restored.feed(hb[5:] + bad) + restored.finish()
    skipped = records.pop(0)
    assert isinstance(skipped, pilekit.Skipped)
    assert (skipped.offset, skipped.len) == (0, 2)
    assert skipped.to_dict() == {"skipped": {"offset": 0, "len": 2, "reason": None}}
    assert isinstance(records[0], pilekit.Frame)
    assert records[0].offset == 2
    assert records[0].pile_code == "32010200000001"
    bad_run = records[1]
    assert isinstance(bad_run, pilekit.Skipped)
    assert bad_run.offset == 2 + len(hb)
    assert bad_run.reason is not None
    assert bad_run.reason.kind == "checksum_mismatch"
    assert bad_run.reason.offset == 2 + len(hb) + 15


def test_a_frame_that_does_not_decode_is_an_error_record() -> None:
    hb = vector("ykc", "0x03")
    forged = bytearray(hb)
    forged[6] = 0x3A  # a BCD nibble above 9 in the pile code, the checksum made right
    bad = ykc_with_crc(bytes(forged))
    dec = pilekit.StreamDecoder()
    records = dec.feed(bad + hb) + dec.finish()
    err, frame = records
    assert isinstance(err, pilekit.Error)
    assert (err.kind, err.offset, err.field) == ("invalid_bcd", 6, "pile_code")
    assert err.to_dict() == {
        "kind": "invalid_bcd",
        "offset": 6,
        "field": "pile_code",
        "message": err.message,
    }
    assert repr(err) == "Error(kind='invalid_bcd', offset=6)"
    exc = err.exception()
    assert isinstance(exc, pilekit.DecodeError)
    assert isinstance(frame, pilekit.Frame)
    assert frame.offset == len(hb)
    with pytest.raises(pilekit.DecodeError) as info:
        pilekit.decode(bad)
    assert (info.value.kind, info.value.offset, info.value.field) == ("invalid_bcd", 6, "pile_code")


def test_a_truncated_frame_at_the_end_is_skipped_as_truncated() -> None:
    hb = vector("ykc", "0x03")
    dec = pilekit.StreamDecoder(dialect="ykc")
    assert dec.feed(hb + hb[:6]) != []
    last = dec.finish()
    assert len(last) == 1
    assert isinstance(last[0], pilekit.Skipped)
    assert last[0].reason is not None
    assert last[0].reason.kind == "truncated"


def test_frames_compare_and_show() -> None:
    a = pilekit.decode_frame(vector("ykc", "0x03"))
    b = pilekit.decode(vector("ykc", "0x03"))[0]
    assert a == b
    assert a != pilekit.decode_frame(vector("ykc", "0x01"))
    assert repr(a) == "Frame(offset=0, dialect='ykc', name='heartbeat')"
    assert "pile_code" in dir(a)
    assert "pile code" in a.listing()
    with pytest.raises(AttributeError):
        _ = a.no_such_field


def test_the_gil_is_released_while_a_batch_decodes() -> None:
    import threading
    import time

    hb = vector("ykc", "0x03")
    blob = hb * 200_000  # 3.4 MB
    timing: dict[str, float] = {}

    def work() -> None:
        start = time.perf_counter()
        frames = pilekit.decode(blob, dialect="ykc")
        timing["decode"] = time.perf_counter() - start
        timing["count"] = len(frames)

    thread = threading.Thread(target=work)
    longest = 0.0
    thread.start()
    last = time.perf_counter()
    while thread.is_alive():
        now = time.perf_counter()
        longest = max(longest, now - last)
        last = now
    thread.join()
    assert timing["count"] == 200_000
    # this thread kept running while the other decoded: it never waited for the whole call
    assert longest < timing["decode"] / 2, (longest, timing["decode"])


def test_a_capture_in_hex_text_is_read_as_the_command_line_reads_it() -> None:
    hb = vector("ykc", "0x03").hex(" ").upper()
    log = f"\ufeff# a pile log\n2026-12-02 08:00:01.123 RX: {hb}\n[08:00:02] TX: zz\n{hb}\n"
    records = pilekit.decode_capture(log)
    assert [type(r).__name__ for r in records] == ["Frame", "Error", "Frame"]
    first, problem, second = records
    assert isinstance(first, pilekit.Frame) and first.offset == 0
    assert first.name == "heartbeat"
    assert isinstance(problem, pilekit.Error)
    assert (problem.kind, problem.line, problem.offset) == ("invalid_hex", 3, 17)
    assert problem.to_dict()["line"] == 3
    assert isinstance(second, pilekit.Frame) and second.offset == 17
    # the same bytes, raw, and the same text given as bytes
    assert [r.to_dict() for r in pilekit.decode_capture(vector("ykc", "0x03"))] == [first.to_dict()]
    assert [r.to_dict() for r in pilekit.decode_capture(log.encode())] == [
        r.to_dict() for r in records
    ]
    with pytest.raises(ValueError):
        pilekit.decode_capture(log, format="text")  # type: ignore[arg-type]
