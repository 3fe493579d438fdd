"""The session engine through real bytes: a virtual DNY pile played with `pilekit.encode`."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
import pytest

import pilekit
from conftest import ORDER, PILE, PILE_HEX, PLANS, REGISTER, SETTLEMENT, START_OK, T0

def station() -> pilekit.Station:
    return pilekit.Station(pilekit.Plan.from_json((PLANS / "one-yuan-four-hours.json").read_text()))


def drain(st: pilekit.Station) -> tuple[list[pilekit.Frame], list[pilekit.Notification]]:
    sent = []
    while (t := st.poll_transmit()) is not None:
        sent.append(pilekit.decode_frame(t[1]))
    notes = []
    while (n := st.poll_notification()) is not None:
        notes.append(n)
    return sent, notes


def charging() -> tuple[pilekit.Station, int]:
    st = station()
    link = st.connect(T0)
    st.handle_bytes(link, REGISTER, T0)
    sent, notes = drain(st)
    assert [f.name for f in sent] == ["register_reply"]
    assert [n.kind for n in notes] == ["pile_online"]
    assert notes[0].pile == PILE
    assert notes[0].at == datetime.fromtimestamp(T0, timezone.utc)
    assert st.is_online(PILE)
    request = {"order": "Q1", "payment": {"method": "prepaid", "amount_yuan": Decimal("1")}}
    st.start(PILE_HEX, 3, request, T0)  # the hex form names it too
    sent, _ = drain(st)
    assert sent[0].name == "start_stop"
    assert sent[0].charge_command["name"] == "start"
    assert sent[0].duration_or_energy == 14400  # 1 yuan buys 240 minutes
    assert sent[0].order_number == ORDER
    st.handle_bytes(link, START_OK, T0 + 1)
    _, notes = drain(st)
    assert [n.kind for n in notes] == ["session_started"]
    assert st.open_sessions() == 1
    return st, link


def test_a_session_settles_with_its_bill_once() -> None:
    st, link = charging()
    end = T0 + 9_120
    # the settlement in two chunks, split inside the frame
    st.handle_bytes(link, SETTLEMENT[:7], end)
    st.handle_bytes(link, SETTLEMENT[7:], end)
    sent, notes = drain(st)
    assert [f.name for f in sent] == ["settlement_reply"]
    (ended,) = [n for n in notes if n.kind == "session_ended"]
    assert ended.order == "Q1"
    assert ended.port == 3
    assert ended.duration_s == 9120
    assert ended.energy_kwh == Decimal("0.38")
    assert ended.stop["cause"] == "battery_full"
    bill = ended.bill
    # 152 minutes of "1 yuan per 240 minutes", half up to the fen
    assert bill["total_yuan"] == Decimal("0.63")
    assert bill["refund_yuan"] == Decimal("0.37")
    assert isinstance(bill["total_yuan"], Decimal)
    assert ended.to_dict()["bill"]["total_yuan"] == 0.63
    assert st.open_sessions() == 0
    # a resent settlement is acknowledged again and not billed again
    st.handle_bytes(link, SETTLEMENT, end + 60)
    sent, notes = drain(st)
    assert [f.name for f in sent] == ["settlement_reply"]
    assert [n.kind for n in notes] == ["anomaly"]
    assert notes[0].anomaly == "duplicate_settlement"


def test_a_restored_station_continues_as_the_uninterrupted_one() -> None:
    st, link = charging()
    snapshot = st.snapshot()
    assert isinstance(snapshot, bytes)
    restored = pilekit.Station.restore(snapshot)
    assert restored.snapshot() == snapshot
    for s in (st, restored):
        s.handle_bytes(link, SETTLEMENT, T0 + 9_120)
    a, b = drain(st), drain(restored)
    assert [f.to_dict() for f in a[0]] == [f.to_dict() for f in b[0]]
    assert [n.to_dict() for n in a[1]] == [n.to_dict() for n in b[1]]
    with pytest.raises(pilekit.SessionError):
        pilekit.Station.restore(b"{}")


def test_timeouts_and_refusals() -> None:
    st = station()
    with pytest.raises(pilekit.SessionError) as info:
        st.start(PILE, 3, {"order": "Q9", "payment": {"method": "postpaid"}}, T0)
    assert info.value.kind == "unknown_pile"
    link = st.connect(T0)
    st.handle_bytes(link, REGISTER, T0)
    drain(st)
    st.start(PILE, 3, {"order": "Q2", "payment": {"method": "postpaid"}}, T0)
    with pytest.raises(pilekit.SessionError) as info:
        st.start(PILE, 3, {"order": "Q3", "payment": {"method": "postpaid"}}, T0)
    assert (info.value.kind, info.value.refusal) == ("refused", "port_busy")
    drain(st)
    deadline = st.poll_timeout()
    assert deadline is not None
    assert deadline == datetime.fromtimestamp(T0 + 135, timezone.utc)
    st.handle_timeout(deadline)
    _, notes = drain(st)
    refused = [n for n in notes if n.kind == "start_refused"]
    assert refused[0].refusal == {"reason": "no_answer"}
    with pytest.raises(pilekit.SessionError) as info:
        st.stop(PILE, 3, T0 + 200)
    assert info.value.kind == "no_session"
    st.disconnect(link, T0 + 300)
    _, notes = drain(st)
    assert [n.kind for n in notes] == ["pile_offline"]
    assert not st.is_online(PILE)
    assert st.piles() == [PILE]


def test_arguments_are_checked() -> None:
    plan = pilekit.Plan.from_json((PLANS / "one-yuan-four-hours.json").read_text())
    with pytest.raises(ValueError, match="unknown config key `start_timeout`"):
        pilekit.Station(plan, {"start_timeout": 10})
    st = pilekit.Station(plan, {"start_timeout_s": 10})
    with pytest.raises(ValueError, match="naive"):
        st.connect(datetime(2025, 1, 1))  # noqa: DTZ001
    with pytest.raises(ValueError):
        st.stop(PILE, 0, T0)
    with pytest.raises(pilekit.SessionError) as info:
        st.stop("not a pile", 1, T0)
    assert info.value.field == "pile"


def test_a_site_fire_alarm_stops_the_pile_and_blocks_starts_until_cleared() -> None:
    st, link = charging()
    st.site_alarm([PILE], True, T0 + 60)
    sent, notes = drain(st)
    assert [f.name for f in sent] == ["start_stop"]
    assert sent[0].charge_command["name"] == "stop"
    (alarm,) = [n for n in notes if n.kind == "alarm"]
    assert (alarm.pile, alarm.stopped_all) == (PILE, True)
    request = {"order": "Q4", "payment": {"method": "postpaid"}}
    with pytest.raises(pilekit.SessionError) as info:
        st.start(PILE, 4, request, T0 + 120)
    assert (info.value.kind, info.value.refusal) == ("refused", "alarm")
    st.site_alarm([PILE], False, T0 + 180)
    st.start(PILE, 4, request, T0 + 240)
    sent, _ = drain(st)
    assert [f.name for f in sent] == ["start_stop"]
    assert sent[0].port == 4
