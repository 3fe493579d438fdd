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

#[test]
fn starting_price_with_included_time() {
    // 1 yuan covers the first 2 hours, then 0.5 yuan per hour, by the started minute.
    let plan = load("starting-price-two-hours.json");
    let bill = |minutes: i64| {
        plan.bill(&Usage::new(0, minutes * 60), Payment::Postpaid)
            .unwrap()
    };
    // within the included time: the starting price alone
    assert_eq!(bill(0).total, fen(100));
    assert_eq!(bill(45).total, fen(100));
    assert_eq!(bill(120).total, fen(100));
    assert_eq!(bill(120).lines.len(), 1);
    // 3 h 10 min: 70 minutes beyond, 70 × 0.5 / 60 = 0.58333 → 0.58; total 1.58
    let b = bill(190);
    let lines: Vec<_> = b.lines.iter().map(|l| (l.quantity, l.amount)).collect();
    assert_eq!(
        lines,
        vec![
            (Some(Quantity::Uses(1)), fen(100)),
            (Some(Quantity::Duration(pilekit::Seconds(70 * 60))), fen(58)),
        ]
    );
    assert_eq!(b.total, fen(158));
    assert_eq!(b.subtotals.len(), 1);
    b.check_invariants(Payment::Postpaid).unwrap();
    // 2 h 0 min 1 s: one started minute beyond, 0.5 / 60 = 0.00833 → 0.01
    let b = plan.bill(&Usage::new(0, 7201), Payment::Postpaid).unwrap();
    assert_eq!(b.total, fen(101));
    // Quotes: 1 yuan buys exactly the included 2 hours; 2 yuan buy 2 more hours.
    let q = plan.quote(Money::YUAN, None).unwrap();
    assert_eq!(
        (q.limit, q.cost),
        (
            Limit::Duration {
                duration: pilekit::Seconds(7200)
            },
            fen(100)
        )
    );
    let q = plan.quote(fen(200), None).unwrap();
    assert_eq!(
        q.limit,
        Limit::Duration {
            duration: pilekit::Seconds(4 * 3600)
        }
    );
    // less than the starting price buys nothing
    assert!(matches!(
        plan.quote(fen(99), None),
        Err(TariffError::InsufficientPrepaid { .. })
    ));
}

#[test]
fn starting_price_with_included_energy() {
    // 2 yuan cover the first 2 kWh, then 0.80 yuan per kWh.
    let plan = load("starting-price-energy.json");
    let bill = |kwh_e4: i64| {
        plan.bill(
            &Usage::new(0, 3600).with_energy(Energy(kwh_e4)),
            Payment::Prepaid { amount: fen(500) },
        )
        .unwrap()
    };
    let b = bill(10_000);
    assert_eq!((b.total, b.refund), (fen(200), fen(300)));
    // 5.5 kWh: 3.5 kWh beyond, 3.5 × 0.80 = 2.80; total 4.80, 0.20 refunded
    let b = bill(55_000);
    let lines: Vec<_> = b.lines.iter().map(|l| (l.quantity, l.amount)).collect();
    assert_eq!(
        lines,
        vec![
            (Some(Quantity::Uses(1)), fen(200)),
            (Some(Quantity::Energy(Energy(35_000))), fen(280)),
        ]
    );
    assert_eq!((b.total, b.refund), (fen(480), fen(20)));
    assert_eq!(b.energy, Some(Energy(55_000)));
    b.check_invariants(Payment::Prepaid { amount: fen(500) })
        .unwrap();
    // 2.0001 kWh: 0.0001 × 0.80 = 0.00008 → 0.00
    assert_eq!(bill(20_001).total, fen(200));
    // the energy comes from power too: 1 h at 3 kW is 3 kWh, 1 kWh beyond
    let b = plan
        .bill(
            &Usage::new(0, 3600).with_power(Power::from_watts(3000)),
            Payment::Postpaid,
        )
        .unwrap();
    assert_eq!(b.total, fen(280));
    // and without any energy there is nothing to price
    assert_eq!(
        plan.bill(&Usage::new(0, 3600), Payment::Postpaid),
        Err(TariffError::MissingEnergy)
    );
    // 4 yuan buy 2 kWh + 2 / 0.80 = 4.5 kWh
    let q = plan.quote(fen(400), None).unwrap();
    assert_eq!(
        (q.limit, q.cost),
        (
            Limit::Energy {
                energy: Energy(45_000)
            },
            fen(400)
        )
    );
}

#[test]
fn starting_price_keys_are_checked() {
    let doc = r#"{"family": "starting_price", "start_price_yuan": 1, "included_minutes": 120,
        "then_yuan_per_hour": 0.5}"#;
    let err = serde_json::from_str::<PlanKeys>(doc)
        .unwrap()
        .check()
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("unknown key `included_minutes`")
    );
    // time and energy at once: the energy keys are refused, not ignored
    let doc = r#"{"family": "starting_price", "start_price_yuan": 1, "included_min": 120,
        "then_yuan_per_hour": 0.5, "included_kwh": 2}"#;
    let err = serde_json::from_str::<PlanKeys>(doc)
        .unwrap()
        .check()
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("unknown key `included_kwh beside included time`"),
        "{err}"
    );
    // a negative rate is refused
    let doc = r#"{"family": "starting_price", "start_price_yuan": 1, "included_kwh": 2,
        "then_yuan_per_kwh": -0.8}"#;
    let plan: Plan = serde_json::from_str(doc).unwrap();
    assert_eq!(
        plan.validate(),
        Err(TariffError::NegativePrice {
            what: "rate after the starting price"
        })
    );
}

fn sample(at: i64, watts: i64) -> Sample {
    Sample {
        at,
        power: Power::from_watts(watts),
        energy: None,
    }
}

#[test]
fn power_tiers_by_energy_with_service_by_tier() {
    let plan = load("power-tiers-energy.json");
    let t0 = 1_700_000_000;
    // An hour at 300 W (tier 1) then an hour at 600 W (tier 2): 0.3 kWh and 0.6 kWh.
    let usage =
        Usage::new(t0, t0 + 7200).with_samples(vec![sample(t0, 300), sample(t0 + 3600, 600)]);
    let bill = plan.bill(&usage, Payment::Postpaid).unwrap();
    let lines: Vec<_> = bill
        .lines
        .iter()
        .map(|l| (l.kind, l.tier, l.quantity, l.amount))
        .collect();
    let kwh = |e: i64| Some(Quantity::Energy(Energy(e)));
    assert_eq!(
        lines,
        vec![
            (LineKind::Electricity, Some(1), kwh(3000), fen(30)),
            (LineKind::Electricity, Some(2), kwh(6000), fen(72)),
            (LineKind::Service, Some(1), kwh(3000), fen(6)),
            (LineKind::Service, Some(2), kwh(6000), fen(18)),
        ]
    );
    assert_eq!(bill.total, fen(126));
    assert_eq!(bill.sum_of(LineKind::Electricity), fen(102));
    assert_eq!(bill.sum_of(LineKind::Service), fen(24));
    bill.check_invariants(Payment::Postpaid).unwrap();

    // A metered 1 kWh is split 1 : 2 by the power integral: 0.3333 and 0.6666 rounded down,
    // the 0.0001 left to the last tier billed: 0.6667.
    // 0.3333 × 1.00 = 0.33; 0.6667 × 1.20 = 0.80004 → 0.80; service 0.06666 → 0.07 and
    // 0.20001 → 0.20: 1.40.
    let metered = usage.clone().with_energy(Energy(10_000));
    let bill = plan.bill(&metered, Payment::Postpaid).unwrap();
    let q: Vec<_> = bill.lines.iter().map(|l| (l.quantity, l.amount)).collect();
    assert_eq!(
        q,
        vec![
            (kwh(3333), fen(33)),
            (kwh(6667), fen(80)),
            (kwh(3333), fen(7)),
            (kwh(6667), fen(20)),
        ]
    );
    assert_eq!(bill.total, fen(140));

    // Above the top tier: refused, as with time tiers.
    let over = Usage::new(t0, t0 + 60).with_samples(vec![sample(t0, 1300)]);
    assert!(matches!(
        plan.bill(&over, Payment::Postpaid),
        Err(TariffError::PowerAboveTopTier { .. })
    ));
    // No power and no energy: nothing to split.
    assert!(
        plan.bill(&Usage::new(t0, t0 + 60), Payment::Postpaid)
            .is_err()
    );
}

#[test]
fn power_tiers_by_energy_whole_session_policy() {
    let mut plan = load("power-tiers-energy.json");
    let Pricing::PowerTiers(t) = &mut plan.pricing else {
        panic!("tiers")
    };
    t.selection = TierPolicy::SessionPeak;
    let t0 = 1_700_000_000;
    // Peak 600 W: the whole 0.9 kWh at tier 2: 1.08 + service 0.27.
    let usage =
        Usage::new(t0, t0 + 7200).with_samples(vec![sample(t0, 300), sample(t0 + 3600, 600)]);
    let bill = plan.bill(&usage, Payment::Postpaid).unwrap();
    assert_eq!(bill.lines.len(), 2);
    assert_eq!(bill.lines[0].tier, Some(2));
    assert_eq!(bill.lines[0].quantity, Some(Quantity::Energy(Energy(9000))));
    assert_eq!(
        (bill.lines[0].amount, bill.lines[1].amount),
        (fen(108), fen(27))
    );
    assert_eq!(bill.total, fen(135));
}

#[test]
fn power_tiers_with_time_of_use_service_fees() {
    let plan = load("power-tiers-tou-service.json");
    // 21:00–23:00 at 500 W: tier 1, 2 h × 0.30 = 0.60; 0.5 kWh in the peak (to 22:00) at 0.40
    // = 0.20 and 0.5 kWh in the valley at 0.10 = 0.05: 0.85.
    let mut usage = Usage::new(unix("2026-07-01 21:00:00"), unix("2026-07-01 23:00:00"));
    usage.power = Some(Power::from_watts(500));
    let bill = plan.bill(&usage, Payment::Postpaid).unwrap();
    let lines: Vec<_> = bill
        .lines
        .iter()
        .map(|l| (l.kind, l.tier, l.class, l.quantity, l.amount))
        .collect();
    assert_eq!(
        lines,
        vec![
            (
                LineKind::Electricity,
                Some(1),
                None,
                Some(Quantity::Duration(pilekit::Seconds(7200))),
                fen(60)
            ),
            (
                LineKind::Service,
                None,
                Some(TouClass::Peak),
                Some(Quantity::Energy(Energy(5000))),
                fen(20)
            ),
            (
                LineKind::Service,
                None,
                Some(TouClass::Valley),
                Some(Quantity::Energy(Energy(5000))),
                fen(5)
            ),
        ]
    );
    assert_eq!(bill.total, fen(85));
    bill.check_invariants(Payment::Postpaid).unwrap();
}

#[test]
fn energy_tiers_are_validated() {
    let mut plan = load("power-tiers-energy.json");
    let Pricing::PowerTiers(t) = &mut plan.pricing else {
        panic!("tiers")
    };
    t.tiers[1].price = TierPrice::PerHour(fen(30));
    assert_eq!(plan.validate(), Err(TariffError::TierPricesMixed));
    let mut plan = load("power-tiers-energy.json");
    let Pricing::PowerTiers(t) = &mut plan.pricing else {
        panic!("tiers")
    };
    t.tiers[2].price = TierPrice::PerKwh(pilekit::EnergyPrice(1));
    assert!(matches!(
        plan.validate(),
        Err(TariffError::TierCheaperThanBelow { .. })
    ));
    let mut plan = load("power-tiers-energy.json");
    plan.service_fee = Some(ServiceFee::PerTierKwh(vec![pilekit::EnergyPrice(0); 2]));
    assert_eq!(
        plan.validate(),
        Err(TariffError::TierServiceMismatch { rates: 2, tiers: 3 })
    );
    let mut hourly = load("hourly-with-modifiers.json");
    hourly.service_fee = Some(ServiceFee::PerTierKwh(vec![]));
    assert_eq!(
        hourly.validate(),
        Err(TariffError::TierServiceMismatch { rates: 0, tiers: 0 })
    );
    let typo = r#"{"family":"power_tiers","tiers":[{"max_w":400,"yuan_per_kwhh":1}],"selection":{"policy":"per_slice"}}"#;
    let keys: PlanKeys = serde_json::from_str(typo).unwrap();
    assert!(keys.check().is_err());
}

#[test]
fn package_that_stops_when_full() {
    let plan = load("package-stop-when-full.json");
    let prepaid = Payment::Prepaid { amount: fen(500) };
    // Full after 47 min 30 s: 5 × 2850 / 7200 = 1.979… → 1.98; 3.02 refunded.
    let bill = plan.bill(&Usage::new(0, 2850), prepaid).unwrap();
    assert_eq!((bill.total, bill.refund), (fen(198), fen(302)));
    assert_eq!(bill.lines[0].kind, LineKind::Package);
    assert_eq!(
        bill.lines[0].quantity,
        Some(Quantity::Duration(pilekit::Seconds(2850)))
    );
    bill.check_invariants(prepaid).unwrap();
    // Used up, or stopped late by the pile: the price, nothing more.
    for end in [7200, 7800] {
        let bill = plan.bill(&Usage::new(0, end), prepaid).unwrap();
        assert_eq!((bill.total, bill.refund), (fen(500), fen(0)));
    }
    // The refund rule is the same without the flag: an early stop is an early stop.
    let mut holds = plan.clone();
    if let Pricing::Package(p) = &mut holds.pricing {
        p.stop_when_full = false;
    }
    assert_eq!(
        holds.bill(&Usage::new(0, 2850), prepaid).unwrap(),
        plan.bill(&Usage::new(0, 2850), prepaid).unwrap()
    );
    // The quote tells the start command to stop when full; the plain package does not.
    let q = plan.quote(fen(500), None).unwrap();
    assert!(q.stop_when_full);
    assert_eq!(
        q.limit,
        Limit::Duration {
            duration: pilekit::Seconds(7200)
        }
    );
    assert!(!holds.quote(fen(500), None).unwrap().stop_when_full);
    let json = serde_json::to_value(q).unwrap();
    assert_eq!(json["stop_when_full"], true);
    // The flag is a key of the family, not of others.
    let typo = r#"{"family":"hourly","yuan_per_hour":1,"stop_when_full":true}"#;
    let keys: PlanKeys = serde_json::from_str(typo).unwrap();
    assert!(keys.check().is_err());
}

#[test]
fn monthly_card_with_limits() {
    let plan = load("monthly-card-limits.json");
    let t0 = 1_700_000_000;
    let card = Payment::MonthlyCard {
        expires: t0 + 86_400,
    };
    let at = |watts| {
        Usage::new(t0, t0 + 70 * 60).with_samples(vec![sample(t0, watts), sample(t0 + 600, watts)])
    };
    // Within the limits: covered, nothing to pay.
    let bill = plan.bill_card_use(&at(600), card, 1).unwrap();
    assert_eq!(bill.total, Money::ZERO);
    assert_eq!(bill.lines[0].kind, LineKind::MonthlyCard);
    bill.check_invariants(card).unwrap();
    // The third session of the day falls back to "1 yuan buys 4 hours" by the minute: 70 min
    // = 1 × 70 / 240 = 0.2916… → 0.29, due.
    let bill = plan.bill_card_use(&at(600), card, 2).unwrap();
    assert_eq!((bill.total, bill.due), (fen(29), fen(29)));
    assert_eq!(bill.lines[0].kind, LineKind::Electricity);
    bill.check_invariants(card).unwrap();
    // Above 800 W: the fallback too, whatever the count.
    let bill = plan.bill_card_use(&at(900), card, 0).unwrap();
    assert_eq!(bill.total, fen(29));
    // Exactly 800 W is covered.
    assert_eq!(plan.bill(&at(800), card).unwrap().total, Money::ZERO);
    // Without a fallback the card refuses.
    let mut strict = plan.clone();
    if let Pricing::MonthlyCard(p) = &mut strict.pricing {
        p.fallback = None;
    }
    assert_eq!(
        strict.bill_card_use(&at(600), card, 2),
        Err(TariffError::CardDailyUses { uses_per_day: 2 })
    );
    assert_eq!(
        strict.bill(&at(900), card),
        Err(TariffError::CardPowerAbove {
            power: Power::from_watts(900),
            max: Power::from_watts(800)
        })
    );
    // A card may not fall back to a card.
    let mut nested = plan.clone();
    if let Pricing::MonthlyCard(p) = &mut nested.pricing {
        p.fallback = Some(Box::new(load("monthly-card.json")));
    }
    assert!(nested.validate().is_err());
    // An expired card is refused before any fallback.
    let expired = Payment::MonthlyCard { expires: t0 };
    assert!(matches!(
        plan.bill_card_use(&at(900), expired, 5),
        Err(TariffError::CardExpired { .. })
    ));
}

#[test]
fn plan_history_bills_by_the_version_valid_at_the_start() {
    let path = format!(
        "{}/tests/data/plans/plan-history.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let history: PlanHistory =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    // 2026-01-01 00:00 and 2026-07-01 00:00 China time
    assert_eq!(
        history.versions()[0].valid_from,
        unix("2026-01-01 00:00:00")
    );
    assert_eq!(
        history.versions()[1].valid_from,
        unix("2026-07-01 00:00:00")
    );
    // Two hours on 30 June from 23:00: the old plan for the whole session, 2 × 0.25 = 0.50.
    let start = unix("2026-06-30 23:00:00");
    let bill = history
        .bill(&Usage::new(start, start + 7200), Payment::Postpaid)
        .unwrap();
    assert_eq!(bill.total, fen(50));
    assert_eq!(bill.plan_version.as_deref(), Some("2026-01"));
    // From the new version's first second: 2 × 0.30 = 0.60.
    let start = unix("2026-07-01 00:00:00");
    let bill = history
        .bill(&Usage::new(start, start + 7200), Payment::Postpaid)
        .unwrap();
    assert_eq!(bill.total, fen(60));
    let json = serde_json::to_value(&bill).unwrap();
    assert_eq!(json["plan_version"], "2026-07");
    // Before the first version: refused.
    let early = unix("2025-12-31 23:59:59");
    assert_eq!(
        history.bill(&Usage::new(early, early + 60), Payment::Postpaid),
        Err(TariffError::NoPlanAt { at: early })
    );
    // Out of order, or no version at all: refused.
    let mut v = history.versions().to_vec();
    v.swap(0, 1);
    assert!(PlanHistory::new(v).is_err());
    assert_eq!(PlanHistory::new(vec![]), Err(TariffError::NoPlanVersion));
    // A roundtrip keeps it.
    let text = serde_json::to_string(&history).unwrap();
    assert_eq!(serde_json::from_str::<PlanHistory>(&text).unwrap(), history);
}
