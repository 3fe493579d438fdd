//! The example plans (copies in `tests/data/plans/`): each loads, survives a JSON roundtrip and bills.
#![cfg(feature = "serde")]

use pilekit::model::billing::{JuyTouTable, YkcTouTable};
use pilekit::tariff::*;
use pilekit::{Energy, LocalDateTime, Money, Power, UtcOffset};

fn load(name: &str) -> Plan {
    let path = format!("{}/tests/data/plans/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let plan: Plan = serde_json::from_str(&text).unwrap();
    plan.validate().unwrap();
    let json = serde_json::to_string(&plan).unwrap();
    let again: Plan = serde_json::from_str(&json).unwrap();
    assert_eq!(again, plan, "{name} roundtrips");
    plan
}

fn fen(f: i64) -> Money {
    Money::from_fen(f)
}

fn unix(text: &str) -> i64 {
    LocalDateTime::parse(text)
        .unwrap()
        .to_unix(UtcOffset::CHINA)
}

#[test]
fn one_yuan_four_hours() {
    let plan = load("one-yuan-four-hours.json");
    let bill = plan
        .bill(
            &Usage::new(0, 70 * 60),
            Payment::Prepaid {
                amount: Money::YUAN,
            },
        )
        .unwrap();
    assert_eq!((bill.total, bill.refund), (fen(29), fen(71)));
    let json = serde_json::to_value(&bill).unwrap();
    assert_eq!(json["total_yuan"], serde_json::json!(0.29));
    assert_eq!(json["refund_yuan"], serde_json::json!(0.71));
    assert_eq!(json["lines"][0]["amount_yuan"], serde_json::json!(0.29));
    assert_eq!(json["lines"][0]["kind"], "electricity");
    assert_eq!(json["lines"][0]["quantity_s"], 4200);
    assert_eq!(
        json["lines"][0]["unit_price_per_block"],
        serde_json::json!({"price_yuan": 1.0, "block_min": 240})
    );
    let back: Bill = serde_json::from_value(json).unwrap();
    assert_eq!(back, bill);
}

#[test]
fn power_tiers() {
    let plan = load("power-tiers.json");
    // Rising from 180 W to 700 W: session peak 700 W is tier 4 (0.60/h); 90 min = 0.90.
    let t0 = 1_700_000_000;
    let usage = Usage::new(t0, t0 + 90 * 60).with_samples(vec![
        Sample {
            at: t0,
            power: Power::from_watts(180),
            energy: None,
        },
        Sample {
            at: t0 + 1200,
            power: Power::from_watts(700),
            energy: None,
        },
    ]);
    let bill = plan.bill(&usage, Payment::Postpaid).unwrap();
    assert_eq!(bill.total, fen(90));
    assert_eq!(bill.lines[0].tier, Some(4));
    let refused = plan
        .bill(
            &Usage::new(t0, t0 + 60).with_power(Power::from_watts(2600)),
            Payment::Postpaid,
        )
        .unwrap_err();
    assert!(matches!(refused, TariffError::PowerAboveTopTier { .. }));
    let json = serde_json::to_value(&bill).unwrap();
    let back: Bill = serde_json::from_value(json).unwrap();
    assert_eq!(back, bill);
}

#[test]
fn tou_residential() {
    let plan = load("tou-residential.json");
    let usage = Usage::new(unix("2024-05-01T22:00:00"), unix("2024-05-02T01:00:00"))
        .with_power(Power::from_watts(2000));
    let bill = plan
        .bill(&usage, Payment::Prepaid { amount: fen(1000) })
        .unwrap();
    assert_eq!(bill.sum_of(LineKind::Electricity), fen(220));
    assert_eq!(bill.sum_of(LineKind::Service), fen(200));
    assert_eq!((bill.total, bill.refund), (fen(420), fen(580)));
    assert_eq!(bill.energy, Some(Energy(60_000)));
    let json = serde_json::to_value(&bill).unwrap();
    assert_eq!(json["lines"][0]["class"], "flat");
    assert_eq!(json["lines"][0]["quantity_kwh"], serde_json::json!(2.0));
    assert_eq!(
        json["lines"][0]["unit_price_yuan_per_kwh"],
        serde_json::json!(0.6)
    );
    let back: Bill = serde_json::from_value(json).unwrap();
    assert_eq!(back, bill);
    if let Pricing::TimeOfUse(t) = &plan.pricing {
        assert!(t.to_ykc_rates().is_err());
        let (rates, slots) = t.to_juy_rates().unwrap();
        assert_eq!(&TouPlan::from_juy_rates(&rates, slots).unwrap(), t);
    } else {
        panic!("not a time-of-use plan");
    }
}

#[test]
fn package() {
    let plan = load("package-two-hours.json");
    let bill = plan
        .bill(
            &Usage::new(0, 45 * 60),
            Payment::Prepaid { amount: fen(500) },
        )
        .unwrap();
    assert_eq!((bill.total, bill.refund), (fen(188), fen(312)));
}

#[test]
fn monthly_card() {
    let plan = load("monthly-card.json");
    let bill = plan
        .bill(
            &Usage::new(0, 5 * 3600),
            Payment::MonthlyCard { expires: 86_400 },
        )
        .unwrap();
    assert_eq!(bill.total, Money::ZERO);
}

#[test]
fn hourly_with_modifiers() {
    let plan = load("hourly-with-modifiers.json");
    // 4 minutes: free.
    let bill = plan.bill(&Usage::new(0, 240), Payment::Postpaid).unwrap();
    assert_eq!(bill.total, Money::ZERO);
    // 10 minutes: electricity 0.041666 → 0.0417 (0.0001), minimum 0.10 → +0.0583,
    // service 0.10; total 0.20.
    let bill = plan.bill(&Usage::new(0, 600), Payment::Postpaid).unwrap();
    assert_eq!(bill.sum_of(LineKind::Electricity), Money(417));
    assert_eq!(bill.sum_of(LineKind::Minimum), Money(583));
    assert_eq!(bill.total, fen(20));
}

#[test]
fn per_use() {
    let plan = load("per-use.json");
    let bill = plan
        .bill(&Usage::new(0, 3600), Payment::Coins { amount: fen(200) })
        .unwrap();
    assert_eq!(
        (bill.total, bill.refund, bill.retained),
        (fen(150), Money::ZERO, fen(50))
    );
}

#[test]
fn plan_json_is_canonical() {
    let plan = load("one-yuan-four-hours.json");
    let json = serde_json::to_value(&plan).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "name": "1 yuan buys 4 hours",
            "family": "fixed_block",
            "price_yuan": 1.0,
            "block_min": 240,
            "billed_by": "minute",
            "rounding": {"stage": "line", "mode": "half_up"}
        })
    );
}
