"""Properties: encode and decode are inverses, any chunking of a stream gives the same records,
any bytes either decode or raise a PileError, and bills keep their invariants."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import pilekit
from conftest import PLANS, capture, vectors

VECTORS = vectors()


def template(dialect: str, cmd: str) -> dict[str, Any]:
    hexed = next(v[2] for v in VECTORS if v[0] == dialect and v[1] == cmd)
    record = pilekit.decode_frame(bytes.fromhex(hexed)).to_dict()
    del record["offset"]
    return record


HEARTBEAT = template("ykc", "0x03")
REAL_TIME = next(f for f in pilekit.decode(capture("ykc-session.hex")) if f.frame_type == 0x13)
PORT_POWER = template("dny", "0x06")


def tenths(top: int) -> st.SearchStrategy[Decimal]:
    return st.integers(0, top).map(lambda n: Decimal(n) / 10)


def scaled(top: int, places: int) -> st.SearchStrategy[Decimal]:
    return st.integers(0, top).map(lambda n: Decimal(n).scaleb(-places))


@given(
    pile_code=st.text("0123456789", min_size=14, max_size=14),
    gun=st.integers(1, 99),
    seq=st.integers(0, 0xFFFF),
    condition=st.sampled_from([0, 1]),
)
def test_ykc_heartbeats_round_trip(pile_code: str, gun: int, seq: int, condition: int) -> None:
    record = dict(HEARTBEAT, pile_code=pile_code, gun=gun, seq=f"{seq:04x}",
                  gun_condition={"name": "normal" if condition == 0 else "fault",
                                 "code": condition})
    frame = pilekit.decode_frame(pilekit.encode(record))
    assert (frame.pile_code, frame.gun, frame.seq) == (pile_code, gun, f"{seq:04x}")
    assert frame.gun_condition["code"] == condition
    assert pilekit.decode_frame(frame.encode()) == frame


@given(
    volts=tenths(65_535),
    amps=tenths(4_000),
    soc=st.integers(0, 100),
    energy=scaled(2**32 - 1, 4),
    amount=scaled(2**32 - 1, 4),
    charged=st.integers(0, 0xFFFF),
)
def test_ykc_real_time_data_round_trips_exactly(
    volts: Decimal, amps: Decimal, soc: int, energy: Decimal, amount: Decimal, charged: int
) -> None:
    record = dict(REAL_TIME.to_dict(), output_voltage_v=volts, output_current_a=amps,
                  soc_pct=soc, energy_kwh=energy, amount_yuan=amount, charged_min=charged)
    frame = pilekit.decode_frame(pilekit.encode(record))
    assert frame.output_voltage_v == volts
    assert frame.output_current_a == amps
    assert frame.soc_pct == soc
    assert frame.energy_kwh == energy
    assert frame.amount_yuan == amount
    assert frame.charged_min == charged
    # the canonical form (JSON numbers) reads back to the same frame
    assert pilekit.decode_frame(pilekit.encode(frame.to_json())) == frame


@given(
    port=st.integers(1, 10),
    duration=st.integers(0, 0xFFFF),
    energy=scaled(0xFFFF, 2),
    order=st.binary(min_size=16, max_size=16),
    message_id=st.integers(0, 0xFFFF),
)
def test_dny_port_power_round_trips(
    port: int, duration: int, energy: Decimal, order: bytes, message_id: int
) -> None:
    record = dict(PORT_POWER, port=port, duration_s=duration, energy_kwh=energy,
                  order_number=order.hex().upper(), message_id=message_id)
    frame = pilekit.decode_frame(pilekit.encode(record))
    assert (frame.port, frame.duration_s, frame.message_id) == (port, duration, message_id)
    assert frame.energy_kwh == energy
    assert frame.order_number.upper() == order.hex().upper()


STREAMS = {
    d: b"".join(bytes.fromhex(v[2]) for v in VECTORS if v[0] == d) for d in ("ykc", "dny", "juy")
}


@given(
    dialect=st.sampled_from(sorted(STREAMS)),
    noise=st.binary(max_size=8),
    cuts=st.lists(st.integers(0, 2000), max_size=12),
)
@settings(max_examples=60)
def test_any_chunking_gives_the_one_shot_records(
    dialect: str, noise: bytes, cuts: list[int]
) -> None:
    data = STREAMS[dialect][:200] + noise + STREAMS[dialect]
    one_shot = pilekit.StreamDecoder(dialect)  # type: ignore[arg-type]
    expected = [r.to_dict() for r in one_shot.feed(data) + one_shot.finish()]
    dec = pilekit.StreamDecoder(dialect)  # type: ignore[arg-type]
    got: list[dict[str, Any]] = []
    last = 0
    for cut in sorted({c % (len(data) + 1) for c in cuts}) + [len(data)]:
        got.extend(r.to_dict() for r in dec.feed(data[last:cut]))
        last = cut
    got.extend(r.to_dict() for r in dec.finish())
    assert got == expected
    frames = [r for r in expected if "skipped" not in r and "error" not in r]
    assert len(frames) >= len([v for v in VECTORS if v[0] == dialect])


@given(st.binary(max_size=300))
@settings(max_examples=200)
def test_any_bytes_decode_or_raise_a_pile_error(data: bytes) -> None:
    try:
        frames = pilekit.decode(data)
    except pilekit.DecodeError as e:
        assert isinstance(e, ValueError)
        assert e.kind
        assert e.offset is None or 0 <= e.offset <= len(data)
    else:
        for f in frames:
            assert 0 <= f.offset < len(data)


ONE_YUAN = pilekit.Plan.from_json((PLANS / "one-yuan-four-hours.json").read_text())
TOU = pilekit.Plan.from_json((PLANS / "tou-residential.json").read_text())


@given(
    start=st.integers(1_700_000_000, 1_800_000_000),
    minutes=st.integers(0, 600),
    prepaid_fen=st.integers(0, 1_000),
)
def test_prepaid_bills_charge_plus_refund_is_what_was_paid(
    start: int, minutes: int, prepaid_fen: int
) -> None:
    prepaid = Decimal(prepaid_fen) / 100
    bill = ONE_YUAN.bill(start, start + minutes * 60, prepaid_yuan=prepaid)
    assert bill.total_yuan >= 0
    assert bill.total_yuan - bill.due_yuan + bill.refund_yuan == prepaid
    assert sum(line["amount_yuan"] for line in bill.lines) == bill.total_yuan
    # the price: 1 yuan per 240 minutes, half up to the fen, never above what was prepaid
    price = (Decimal(minutes) / 240).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert bill.total_yuan == min(price, prepaid)


@given(
    start=st.integers(1_700_000_000, 1_800_000_000),
    minutes=st.integers(1, 24 * 60),
    watts=st.integers(1, 7_000),
)
@settings(max_examples=50)
def test_time_of_use_lines_sum_to_the_subtotals_and_the_total(
    start: int, minutes: int, watts: int
) -> None:
    bill = TOU.bill(start, start + minutes * 60, power_w=watts)
    assert sum(line["amount_yuan"] for line in bill.lines) == bill.total_yuan
    assert sum(s["amount_yuan"] for s in bill.subtotals) == bill.total_yuan
    assert sum(line["quantity_kwh"] for line in bill.lines if line["kind"] == "electricity") \
        == bill.energy_kwh
    assert bill.due_yuan == bill.total_yuan
