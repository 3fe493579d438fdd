"""Plans, quotes and bills: exact Decimal amounts, aware times, errors that name the key."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

import pilekit
from conftest import PLANS, cli_path

CHINA = timezone(timedelta(hours=8))


def plan(name: str) -> pilekit.Plan:
    return pilekit.Plan.from_json((PLANS / name).read_text())


def test_every_shipped_plan_loads_and_round_trips() -> None:
    names = sorted(p.name for p in PLANS.glob("*.json") if p.name != "plan-history.json")
    assert len(names) >= 12
    for name in names:
        p = plan(name)
        assert pilekit.Plan.from_dict(p.to_dict()) == p
        assert pilekit.Plan.from_json(p.to_json()) == p


def test_a_time_of_use_bill_is_exact_and_itemised() -> None:
    bill = plan("tou-residential.json").bill(
        "2024-05-01T22:00", "2024-05-02T01:00", power_w=2000, prepaid_yuan=10
    )
    assert bill.total_yuan == Decimal("4.2")
    assert bill.refund_yuan == Decimal("5.8")
    assert bill.prepaid_yuan == Decimal("10")
    assert bill.energy_kwh == Decimal("6")
    for value in (bill.total_yuan, bill.refund_yuan, bill.energy_kwh):
        assert isinstance(value, Decimal)
    assert bill.duration_s == 10800
    assert bill.start == datetime(2024, 5, 1, 22, 0, tzinfo=CHINA)
    assert bill.end == datetime(2024, 5, 2, 1, 0, tzinfo=CHINA)
    assert bill.start.utcoffset() == timedelta(hours=8)
    amounts = [line["amount_yuan"] for line in bill.lines]
    assert amounts == [Decimal(x) for x in ("1.2", "0.6", "0.4", "0.8", "0.8", "0.4")]
    assert sum(amounts) == bill.total_yuan
    assert [s["amount_yuan"] for s in bill.subtotals] == [Decimal("2.2"), Decimal("2")]
    assert "Total 合计 (yuan)" in bill.receipt()
    assert "4.20" in bill.receipt()


def test_a_bill_equals_the_command_lines() -> None:
    path = PLANS / "power-tiers.json"
    run = subprocess.run(
        [str(cli_path()), "bill", "--plan", str(path), "--start", "2024-05-01T08:00",
         "--end", "2024-05-01T09:30", "--power-w", "700", "--prepaid", "2", "--coins", "--json"],
        capture_output=True, text=True, check=True,
    )
    expected = json.loads(run.stdout)
    bill = plan("power-tiers.json").bill(
        datetime(2024, 5, 1, 8, 0), datetime(2024, 5, 1, 9, 30),
        power_w=700, prepaid_yuan=Decimal("2"), coins=True,
    )
    assert bill.to_dict() == expected
    assert json.loads(bill.to_json()) == expected
    # coins are never refunded: what is not used is retained
    assert bill.total_yuan == Decimal("0.9")
    assert bill.retained_yuan == Decimal("1.1")
    assert bill.refund_yuan == Decimal("0")


def test_times_as_aware_datetimes_text_or_unix_seconds_agree() -> None:
    p = plan("one-yuan-four-hours.json")
    a = p.bill("2024-11-29T19:00", "2024-11-29T20:10", prepaid_yuan=1)
    b = p.bill(datetime(2024, 11, 29, 11, 0, tzinfo=timezone.utc),
               datetime(2024, 11, 29, 20, 10, tzinfo=CHINA), prepaid_yuan="1")
    c = p.bill(1732878000, 1732882200, prepaid_yuan=Decimal("1.00"))
    assert a == b == c
    # 70 of 240 minutes of 1 yuan, half up to the fen
    assert a.total_yuan == Decimal("0.29")
    assert a.refund_yuan == Decimal("0.71")


def test_a_quote_says_what_a_prepayment_buys() -> None:
    q = plan("power-tiers.json").quote(1, power_w=700)
    assert q.limit == "duration"
    assert q.duration_s == 6000
    assert q.cost_yuan == Decimal("1")
    assert q.prepaid_yuan == Decimal("1")
    assert isinstance(q.cost_yuan, Decimal)
    assert q.to_dict()["power_w"] == 700.0
    assert "100" in q.text() or "min" in q.text()


def test_plan_errors_name_the_key() -> None:
    with pytest.raises(pilekit.PlanError) as info:
        pilekit.Plan.from_dict({"family": "hourly", "yuan_per_hour": 0.25, "free_minutes": 5})
    err = info.value
    assert err.kind == "unknown_key"
    assert err.field == "free_minutes"
    assert isinstance(err, ValueError)
    with pytest.raises(pilekit.PlanError) as info:
        pilekit.Plan.from_json('{"family": "hourly", "yuan_per_hour": -1}')
    assert info.value.kind == "invalid_plan"
    with pytest.raises(pilekit.PlanError) as info:
        pilekit.Plan.from_json("{")
    assert info.value.kind == "invalid_json"


def test_billing_errors_have_their_kind_and_field() -> None:
    tiers = plan("power-tiers.json")
    with pytest.raises(pilekit.BillingError) as info:
        tiers.bill("2024-05-01T08:00", "2024-05-01T09:30", power_w=2600)
    assert info.value.kind == "refused"
    assert str(info.value) == "power `2600.0 W` is above the top tier `2500.0 W`"
    with pytest.raises(pilekit.BillingError) as info:
        tiers.bill("2024-05-01T22:00", "2024-05-01T25:00", power_w=100)
    assert (info.value.kind, info.value.field) == ("invalid_time", "end")
    with pytest.raises(pilekit.BillingError) as info:
        tiers.bill("2024-05-01T08:00", "2024-05-01T09:00", power_w=100, prepaid_yuan=1, uses=2)
    assert info.value.kind == "invalid_payment"


def test_parse_time() -> None:
    assert pilekit.parse_time("1970-01-01T08:00") == datetime(1970, 1, 1, tzinfo=timezone.utc)
    assert pilekit.parse_time("1714572000").timestamp() == 1714572000
    assert pilekit.parse_time("2024-05-01T08:00", utc_offset_s=0).utcoffset() == timedelta(0)
    with pytest.raises(pilekit.PileError) as info:
        pilekit.parse_time("2024-05-01T08:00+99:99")
    assert info.value.kind == "invalid_time"
