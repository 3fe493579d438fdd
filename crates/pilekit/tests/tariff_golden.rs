//! Golden bills computed by hand.

use pilekit::model::billing::{
    JuyTierTable, JuyTouTable, YkcTouTable, reconcile_ykc, ykc_pile_amount,
};
use pilekit::tariff::*;
use pilekit::{Energy, EnergyPrice, LocalDateTime, Money, Power, Seconds, UtcOffset};

fn fen(f: i64) -> Money {
    Money::from_fen(f)
}

fn block_plan(billed_by: TimeUnit) -> Plan {
    Plan::new(Pricing::FixedBlock(FixedBlockPlan {
        block: BlockPrice {
            price: Money::YUAN,
            minutes: 240,
        },
        billed_by,
    }))
}

fn hourly(rate_fen: i64, billed_by: TimeUnit) -> Plan {
    Plan::new(Pricing::Hourly(HourlyPlan {
        rate: fen(rate_fen),
        billed_by,
    }))
}

fn juy_tiers(selection: TierPolicy) -> Plan {
    let mut tiers = TierPlan::from_juy_params(
        0,
        240,
        [200, 300, 500, 800, 1000, 1500, 2000, 2500],
        [20, 25, 30, 60, 90, 100, 155, 255],
    )
    .unwrap();
    tiers.selection = selection;
    Plan::new(Pricing::PowerTiers(tiers))
}

fn minutes(m: i64) -> Usage {
    Usage::new(1_700_000_000, 1_700_000_000 + m * 60)
}

fn sample(at: i64, w: i64) -> Sample {
    Sample {
        at,
        power: Power::from_watts(w),
        energy: None,
    }
}

fn unix(text: &str) -> i64 {
    LocalDateTime::parse(text)
        .unwrap()
        .to_unix(UtcOffset::CHINA)
}

#[test]
fn four_hours_for_one_yuan_at_70_minutes() {
    // 70/240 yuan = 0.291666… → 0.29 half-up.
    let bill = block_plan(TimeUnit::Minute)
        .bill(
            &minutes(70),
            Payment::Prepaid {
                amount: Money::YUAN,
            },
        )
        .unwrap();
    assert_eq!(bill.total, fen(29));
    assert_eq!(bill.refund, fen(71));
    assert_eq!(bill.lines.len(), 1);
    assert_eq!(bill.lines[0].kind, LineKind::Electricity);
    assert_eq!(
        bill.lines[0].quantity,
        Some(Quantity::Duration(Seconds(4200)))
    );
    // Per started block: the first block costs the full yuan.
    let bill = block_plan(TimeUnit::Block)
        .bill(
            &minutes(70),
            Payment::Prepaid {
                amount: Money::YUAN,
            },
        )
        .unwrap();
    assert_eq!(bill.total, Money::YUAN);
    assert_eq!(bill.refund, Money::ZERO);
    // 70 min 1 s by the started minute is 71 minutes: 71/240 = 0.2958 → 0.30.
    let mut u = minutes(70);
    u.end += 1;
    let bill = block_plan(TimeUnit::Minute)
        .bill(&u, Payment::Postpaid)
        .unwrap();
    assert_eq!(bill.total, fen(30));
    assert_eq!(bill.due, fen(30));
}

#[test]
fn quarter_yuan_per_started_hour_vs_pro_rata() {
    // CCR-2024: 75 min at 0.25/h per started hour = 0.50; pro-rata 0.3125 → 0.31.
    let started = hourly(25, TimeUnit::Hour);
    let pro_rata = hourly(25, TimeUnit::Minute);
    assert_eq!(
        started.bill(&minutes(75), Payment::Postpaid).unwrap().total,
        fen(50)
    );
    assert_eq!(
        pro_rata
            .bill(&minutes(75), Payment::Postpaid)
            .unwrap()
            .total,
        fen(31)
    );
    // 487 min: 9 started hours = 2.25; pro-rata 2.029… → 2.03.
    assert_eq!(
        started
            .bill(&minutes(487), Payment::Postpaid)
            .unwrap()
            .total,
        fen(225)
    );
    assert_eq!(
        pro_rata
            .bill(&minutes(487), Payment::Postpaid)
            .unwrap()
            .total,
        fen(203)
    );
    // Per started half hour: 75 min → 3 × 0.125 = 0.375 → 0.38.
    let half = hourly(25, TimeUnit::HalfHour);
    assert_eq!(
        half.bill(&minutes(75), Payment::Postpaid).unwrap().total,
        fen(38)
    );
}

#[test]
fn rounding_modes_and_total_stage() {
    // 0.3125 yuan: half-up .31, half-even .31, truncate .31, up .32.
    let mut p = hourly(25, TimeUnit::Minute);
    for (mode, want) in [
        (RoundingMode::HalfUp, 31),
        (RoundingMode::HalfEven, 31),
        (RoundingMode::Truncate, 31),
        (RoundingMode::Up, 32),
    ] {
        p.rounding.mode = mode;
        assert_eq!(
            p.bill(&minutes(75), Payment::Postpaid).unwrap().total,
            fen(want)
        );
    }
    // Stage total: the line keeps 0.3125 and a rounding line of -0.0025 brings it to 0.31.
    p.rounding = Rounding {
        stage: RoundingStage::Total,
        mode: RoundingMode::HalfUp,
    };
    let bill = p.bill(&minutes(75), Payment::Postpaid).unwrap();
    assert_eq!(bill.lines[0].amount, Money(3125));
    assert_eq!(bill.lines[1].kind, LineKind::Rounding);
    assert_eq!(bill.lines[1].amount, Money(-25));
    assert_eq!(bill.total, fen(31));
}

#[test]
fn tiered_session_rising_into_a_higher_tier() {
    // 150 W for 60 min (tier 1, 0.20/h), then 450 W for 30 min (tier 3, 0.30/h), then back to
    // 150 W for 30 min: the ratchet keeps tier 3.
    let t0 = 1_700_000_000;
    let usage = Usage::new(t0, t0 + 120 * 60).with_samples(vec![
        sample(t0 + 90 * 60, 150),
        sample(t0, 150),
        sample(t0 + 60 * 60, 450),
        sample(t0, 150),
    ]);
    let bill = juy_tiers(TierPolicy::Ratchet)
        .bill(
            &usage,
            Payment::Prepaid {
                amount: Money::YUAN,
            },
        )
        .unwrap();
    // tier 1: 1 h × 0.20 = 0.20; tier 3: 1 h × 0.30 = 0.30.
    assert_eq!(bill.lines.len(), 2);
    assert_eq!(
        (bill.lines[0].tier, bill.lines[0].amount),
        (Some(1), fen(20))
    );
    assert_eq!(
        (bill.lines[1].tier, bill.lines[1].amount),
        (Some(3), fen(30))
    );
    assert_eq!(bill.total, fen(50));
    assert_eq!(bill.refund, fen(50));
    assert_eq!(bill.peak_power, Some(Power::from_watts(450)));
    // Each slice at its own power: 1.5 h at tier 1 (0.30) + 0.5 h at tier 3 (0.15).
    let bill = juy_tiers(TierPolicy::PerSlice)
        .bill(&usage, Payment::Postpaid)
        .unwrap();
    assert_eq!(bill.total, fen(45));
    // Session peak: 2 h at tier 3 = 0.60.
    let bill = juy_tiers(TierPolicy::SessionPeak)
        .bill(&usage, Payment::Postpaid)
        .unwrap();
    assert_eq!(bill.total, fen(60));
    // Peak within the first 5 minutes: 150 W, 2 h at tier 1 = 0.40.
    let bill = juy_tiers(TierPolicy::FirstMinutesPeak { minutes: 5 })
        .bill(&usage, Payment::Postpaid)
        .unwrap();
    assert_eq!(bill.total, fen(40));
    // Average: (150·90 + 450·30)/120 = 225 W → tier 2 (0.25/h), 2 h = 0.50.
    let bill = juy_tiers(TierPolicy::Average)
        .bill(&usage, Payment::Postpaid)
        .unwrap();
    assert_eq!(bill.lines[0].tier, Some(2));
    assert_eq!(bill.total, fen(50));
}

#[test]
fn power_above_the_top_tier_is_refused() {
    let usage = minutes(10).with_power(Power::from_watts(2600));
    let err = juy_tiers(TierPolicy::Ratchet)
        .bill(&usage, Payment::Postpaid)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "power `2600.0 W` is above the top tier `2500.0 W`"
    );
}

fn tou_residential() -> Plan {
    // valley 00:00–08:00 0.30; flat 08:00–10:00, 15:00–18:00, 21:00–23:00 0.60;
    // peak 10:00–15:00 0.90 (sharp 11:00–12:00 1.10); peak 18:00–21:00; deep valley 23:00–24:00 0.20.
    // Service 0.40/kWh for all but deep valley (0.20).
    let mut slots = vec![TouClass::Valley; 48];
    for (range, class) in [
        (16..20, TouClass::Flat),
        (20..30, TouClass::Peak),
        (22..24, TouClass::Sharp),
        (30..36, TouClass::Flat),
        (36..42, TouClass::Peak),
        (42..46, TouClass::Flat),
        (46..48, TouClass::DeepValley),
    ] {
        for s in range {
            slots[s] = class;
        }
    }
    let rate = |class, e: i64, s: i64| TouRate {
        class,
        energy: EnergyPrice(e * 1000),
        service: EnergyPrice(s * 1000),
    };
    Plan::new(Pricing::TimeOfUse(TouPlan {
        rates: vec![
            rate(TouClass::Sharp, 110, 40),
            rate(TouClass::Peak, 90, 40),
            rate(TouClass::Flat, 60, 40),
            rate(TouClass::Valley, 30, 40),
            rate(TouClass::DeepValley, 20, 20),
        ],
        slots,
        calendar: None,
    }))
}

#[test]
fn time_of_use_across_midnight_and_slot_boundaries() {
    // 22:00 → 01:00 at a constant 2 kW: flat 22–23 (2 kWh), deep valley 23–24 (2 kWh),
    // valley 00–01 (2 kWh).
    let usage = Usage::new(unix("2024-05-01T22:00:00"), unix("2024-05-02T01:00:00"))
        .with_power(Power::from_watts(2000));
    let bill = tou_residential().bill(&usage, Payment::Postpaid).unwrap();
    let line = |kind, class| {
        bill.lines
            .iter()
            .find(|l| l.kind == kind && l.class == Some(class))
            .map(|l| (l.quantity, l.amount))
    };
    let kwh = |k: i64| Some(Quantity::Energy(Energy(k * 10_000)));
    assert_eq!(
        line(LineKind::Electricity, TouClass::Flat),
        Some((kwh(2), fen(120)))
    );
    assert_eq!(
        line(LineKind::Electricity, TouClass::DeepValley),
        Some((kwh(2), fen(40)))
    );
    assert_eq!(
        line(LineKind::Electricity, TouClass::Valley),
        Some((kwh(2), fen(60)))
    );
    assert_eq!(
        line(LineKind::Service, TouClass::Flat),
        Some((kwh(2), fen(80)))
    );
    assert_eq!(
        line(LineKind::Service, TouClass::DeepValley),
        Some((kwh(2), fen(40)))
    );
    assert_eq!(
        line(LineKind::Service, TouClass::Valley),
        Some((kwh(2), fen(80)))
    );
    assert_eq!(bill.sum_of(LineKind::Electricity), fen(220));
    assert_eq!(bill.sum_of(LineKind::Service), fen(200));
    assert_eq!(bill.total, fen(420));
    assert_eq!(bill.energy, Some(Energy(60_000)));
}

#[test]
fn time_of_use_with_a_total_energy_and_part_slots() {
    // 10:45 → 11:15 with 1 kWh spread over time: 0.25 h peak (0.5 kWh), 0.25 h sharp (0.5 kWh).
    let usage = Usage::new(unix("2024-05-01T10:45:00"), unix("2024-05-01T11:15:00"))
        .with_energy(Energy(10_000));
    let bill = tou_residential().bill(&usage, Payment::Postpaid).unwrap();
    // electricity: 0.5×1.10 + 0.5×0.90 = 1.00; service: 1 × 0.40.
    assert_eq!(bill.sum_of(LineKind::Electricity), fen(100));
    assert_eq!(bill.sum_of(LineKind::Service), fen(40));
}

#[test]
fn time_of_use_from_a_ykc_transaction_record() {
    // A 0x3B record: sharp 0.165 kWh, valley 1.2345 kWh, at a 0.9 flat+service-free YKC model.
    let plan = Plan::new(Pricing::TimeOfUse(
        TouPlan::from_ykc_rates([(EnergyPrice(90_000), EnergyPrice(0)); 4], [2; 48]).unwrap(),
    ));
    let usage = Usage::from_class_energy(
        0,
        3600,
        [
            Energy(1650),
            Energy(0),
            Energy(0),
            Energy(12_345),
            Energy(0),
        ],
    );
    let bill = plan.bill(&usage, Payment::Postpaid).unwrap();
    // 0.1485 → 0.15, 1.11105 → 1.11
    assert_eq!(bill.lines.len(), 2);
    assert_eq!(bill.total, fen(126));
    // The pile truncates each class: 0.14 + 1.11 = 1.25, explained by its rounding.
    let r = reconcile(&plan, &usage, fen(125), Rounding::LINE_TRUNCATE).unwrap();
    assert_eq!(r.billed, fen(126));
    assert_eq!(r.pile_expected, fen(125));
    assert_eq!(r.difference, fen(-1));
    assert!(r.matches(Money::ZERO));
    let r = reconcile(&plan, &usage, fen(130), Rounding::LINE_TRUNCATE).unwrap();
    assert!(!r.matches(Money::ZERO));
    assert_eq!(r.unexplained, fen(5));
}

#[test]
fn free_minutes_waive_the_whole_session() {
    let mut p = hourly(100, TimeUnit::Minute);
    p.free_minutes = 5;
    let bill = p
        .bill(
            &minutes(5),
            Payment::Prepaid {
                amount: Money::YUAN,
            },
        )
        .unwrap();
    assert_eq!(bill.total, Money::ZERO);
    assert_eq!(bill.refund, Money::YUAN);
    assert_eq!(bill.lines[1].kind, LineKind::FreeMinutes);
    assert_eq!(bill.lines[1].amount, fen(-8));
    // 6 minutes: all six are charged, 0.10.
    let bill = p.bill(&minutes(6), Payment::Postpaid).unwrap();
    assert_eq!(bill.total, fen(10));
}

#[test]
fn minimum_charge_pads_the_electricity_line_only() {
    // 10 min at 0.60/h = 0.10 electricity, service 0.01/min = 0.10; minimum 0.50 on electricity.
    let mut p = hourly(60, TimeUnit::Minute);
    p.service_fee = Some(ServiceFee::PerMinute(fen(1)));
    p.minimum = Some(fen(50));
    let bill = p.bill(&minutes(10), Payment::Postpaid).unwrap();
    assert_eq!(bill.sum_of(LineKind::Electricity), fen(10));
    assert_eq!(bill.sum_of(LineKind::Service), fen(10));
    assert_eq!(bill.sum_of(LineKind::Minimum), fen(40));
    assert_eq!(bill.total, fen(60));
}

#[test]
fn cap_at_prepaid_and_refund() {
    // 10 h at 0.25/h = 2.50, prepaid 2.00 → capped at 2.00, no refund.
    let p = hourly(25, TimeUnit::Minute);
    let bill = p
        .bill(&minutes(600), Payment::Prepaid { amount: fen(200) })
        .unwrap();
    assert_eq!(bill.total, fen(200));
    assert_eq!(bill.sum_of(LineKind::Cap), fen(-50));
    assert_eq!(bill.refund, Money::ZERO);
    // 3 h = 0.75 of 2.00: refund 1.25.
    let bill = p
        .bill(&minutes(180), Payment::Prepaid { amount: fen(200) })
        .unwrap();
    assert_eq!((bill.total, bill.refund), (fen(75), fen(125)));
    // Coins are never refunded.
    let bill = p
        .bill(&minutes(180), Payment::Coins { amount: fen(200) })
        .unwrap();
    assert_eq!(
        (bill.total, bill.refund, bill.retained),
        (fen(75), Money::ZERO, fen(125))
    );
    // A plan cap below the prepayment.
    let mut capped = p.clone();
    capped.cap = Some(fen(100));
    let bill = capped
        .bill(&minutes(600), Payment::Prepaid { amount: fen(200) })
        .unwrap();
    assert_eq!((bill.total, bill.refund), (fen(100), fen(100)));
    // Without the cap at prepaid, the excess is due.
    let mut open = p.clone();
    open.cap_at_prepaid = false;
    let bill = open
        .bill(&minutes(600), Payment::Prepaid { amount: fen(200) })
        .unwrap();
    assert_eq!(
        (bill.total, bill.refund, bill.due),
        (fen(250), Money::ZERO, fen(50))
    );
}

#[test]
fn package_stopped_early_is_refunded_pro_rata() {
    // 120 min for 5 yuan, stopped after 45 min: 5 × 45/120 = 1.875 → 1.88; refund 3.12.
    let p = Plan::new(Pricing::Package(PackagePlan {
        price: fen(500),
        minutes: 120,
        stop_when_full: false,
    }));
    let bill = p
        .bill(&minutes(45), Payment::Prepaid { amount: fen(500) })
        .unwrap();
    assert_eq!((bill.total, bill.refund), (fen(188), fen(312)));
    // A late device stop never charges above the price.
    let bill = p
        .bill(&minutes(130), Payment::Prepaid { amount: fen(500) })
        .unwrap();
    assert_eq!((bill.total, bill.refund), (fen(500), Money::ZERO));
    assert_eq!(
        bill.lines[0].quantity,
        Some(Quantity::Duration(Seconds(7200)))
    );
}

#[test]
fn monthly_card_sessions_cost_nothing_while_valid() {
    let p = Plan::new(Pricing::MonthlyCard(MonthlyCardPlan {
        price: fen(2500),
        days: 30,
        max_session_minutes: 600,
        uses_per_day: 0,
        max_power: None,
        fallback: None,
    }));
    let u = minutes(300);
    let bill = p
        .bill(
            &u,
            Payment::MonthlyCard {
                expires: u.end + 86_400,
            },
        )
        .unwrap();
    assert_eq!(bill.total, Money::ZERO);
    assert_eq!(bill.lines[0].kind, LineKind::MonthlyCard);
    assert_eq!(
        p.bill(&u, Payment::MonthlyCard { expires: u.start })
            .unwrap_err(),
        TariffError::CardExpired { expires: u.start }
    );
    assert!(matches!(
        p.bill(&u, Payment::Postpaid),
        Err(TariffError::PaymentMismatch { .. })
    ));
    let q = p.quote(fen(5000), None).unwrap();
    assert_eq!(
        q.limit,
        Limit::CardDays {
            days: 60,
            max_session: Some(Seconds(36_000))
        }
    );
}

#[test]
fn per_use_counts() {
    let p = Plan::new(Pricing::PerUse(PerUsePlan {
        price: fen(150),
        max_session_minutes: 480,
    }));
    let bill = p
        .bill(&minutes(100), Payment::UseCount { remaining: 3 })
        .unwrap();
    assert_eq!((bill.total, bill.uses), (Money::ZERO, 1));
    assert_eq!(
        p.bill(&minutes(100), Payment::UseCount { remaining: 0 })
            .unwrap_err(),
        TariffError::NoUsesLeft
    );
    let bill = p
        .bill(&minutes(100), Payment::Prepaid { amount: fen(200) })
        .unwrap();
    assert_eq!((bill.total, bill.refund), (fen(150), fen(50)));
}

#[test]
fn quotes_invert_the_bill() {
    // 1 yuan buys 240 minutes by the minute; 0.5 yuan buys 120 minutes. The price before
    // rounding decides: 121 min cost 0.5042, which half-up would forgive, but no quote does.
    let q = block_plan(TimeUnit::Minute).quote(fen(50), None).unwrap();
    assert_eq!(
        q.limit,
        Limit::Duration {
            duration: Seconds(120 * 60)
        }
    );
    let yuan = block_plan(TimeUnit::Minute)
        .quote(Money::YUAN, None)
        .unwrap();
    assert_eq!(
        (yuan.limit, yuan.cost),
        (
            Limit::Duration {
                duration: Seconds(240 * 60)
            },
            Money::YUAN
        )
    );
    // nothing bought is an answer of its own, not "1 minute"
    assert!(matches!(
        block_plan(TimeUnit::Minute).quote(Money::ZERO, None),
        Err(TariffError::InsufficientPrepaid { .. })
    ));
    assert_eq!(q.cost, fen(50));
    let q = block_plan(TimeUnit::Block).quote(fen(200), None).unwrap();
    assert_eq!(
        q.limit,
        Limit::Duration {
            duration: Seconds(480 * 60)
        }
    );
    // Tiers need the power: 400 W is tier 3 at 0.30/h: 1 yuan buys 3 h 20 min exactly.
    assert_eq!(
        juy_tiers(TierPolicy::Ratchet)
            .quote(Money::YUAN, None)
            .unwrap_err(),
        TariffError::MissingPower
    );
    let q = juy_tiers(TierPolicy::Ratchet)
        .quote(Money::YUAN, Some(Power::from_watts(400)))
        .unwrap();
    // 1 yuan / 0.30 per hour = 12000 s; 12001 s cost 1.0000833 yuan.
    assert_eq!(
        q.limit,
        Limit::Duration {
            duration: Seconds(12_000)
        }
    );
    // Energy: 10 yuan at the dearest class (sharp, 1.10 + 0.40) buys 6.6666 kWh (9.9999
    // yuan before rounding, 7.33 + 2.67 after); 6.6667 kWh cost 10.0001 before rounding.
    let q = tou_residential().quote(fen(1000), None).unwrap();
    assert_eq!(
        q.limit,
        Limit::Energy {
            energy: Energy(66_666)
        }
    );
    assert_eq!(q.cost, fen(1000));
    // A package needs its price.
    let pkg = Plan::new(Pricing::Package(PackagePlan {
        price: fen(500),
        minutes: 120,
        stop_when_full: false,
    }));
    assert!(pkg.quote(fen(400), None).is_err());
    assert_eq!(
        pkg.quote(fen(500), None).unwrap().limit,
        Limit::Duration {
            duration: Seconds(7200)
        }
    );
}

#[test]
fn ykc_and_juy_conversions() {
    let plan = match tou_residential().pricing {
        Pricing::TimeOfUse(t) => t,
        _ => unreachable!(),
    };
    assert_eq!(
        plan.to_ykc_rates().unwrap_err().to_string(),
        "class `deep_valley` cannot be sent to a ykc pile"
    );
    let (rates, slots) = plan.to_juy_rates().unwrap();
    assert_eq!(rates[0], (1100, 400));
    assert_eq!(rates[4], (200, 200));
    assert_eq!(slots[47], 4);
    assert_eq!(TouPlan::from_juy_rates(&rates, slots).unwrap(), plan);
    // The YKC spec example: 2/3/4/5 yuan energy rates.
    let ykc = [
        (EnergyPrice(200_000), EnergyPrice(40_000)),
        (EnergyPrice(300_000), EnergyPrice(40_000)),
        (EnergyPrice(400_000), EnergyPrice(40_000)),
        (EnergyPrice(500_000), EnergyPrice(40_000)),
    ];
    let mut classes = [0u8; 48];
    for (i, c) in classes.iter_mut().enumerate() {
        *c = (i / 12) as u8;
    }
    let tou = TouPlan::from_ykc_rates(ykc, classes).unwrap();
    assert_eq!(tou.to_ykc_rates().unwrap(), (ykc, classes));
    classes[5] = 4;
    assert!(TouPlan::from_ykc_rates(ykc, classes).is_err());
    // YKC rates with 0.00001 precision do not fit JUY's 0.001.
    let fine = TouPlan::flat(EnergyPrice(61_234), EnergyPrice(0));
    assert!(fine.to_juy_rates().is_err());
    // JUY 0x89 parameter table of the document.
    let tiers = TierPlan::from_juy_params(
        0,
        240,
        [200, 300, 500, 800, 1000, 1500, 2000, 2500],
        [20, 25, 30, 60, 90, 100, 155, 255],
    )
    .unwrap();
    assert_eq!(tiers.tiers.len(), 8);
    assert_eq!(tiers.tiers[7].price, TierPrice::PerHour(fen(255)));
    assert_eq!(
        tiers.to_juy_params().unwrap(),
        (
            0,
            240,
            [200, 300, 500, 800, 1000, 1500, 2000, 2500],
            [20, 25, 30, 60, 90, 100, 155, 255]
        )
    );
}

#[test]
fn time_ratio_tiers() {
    // Mode 1: 1 yuan buys 240 min at 100 %, 120 min at 50 %. 60 min at 50 % costs 0.50.
    let tiers = TierPlan::from_juy_params(
        1,
        240,
        [200, 500, 0, 0, 0, 0, 0, 0],
        [100, 50, 0, 0, 0, 0, 0, 0],
    )
    .unwrap();
    let plan = Plan::new(Pricing::PowerTiers(tiers.clone()));
    let bill = plan
        .bill(
            &minutes(60).with_power(Power::from_watts(400)),
            Payment::Postpaid,
        )
        .unwrap();
    assert_eq!(bill.total, fen(50));
    assert_eq!(tiers.to_juy_params().unwrap().0, 1);
}

#[test]
fn samples_in_any_order_with_duplicates() {
    let t0 = 1_700_000_000;
    let mut samples = vec![
        sample(t0, 100),
        sample(t0 + 600, 250),
        sample(t0 + 1200, 900),
        sample(t0 + 1800, 120),
    ];
    let usage = Usage::new(t0, t0 + 3600).with_samples(samples.clone());
    let plan = juy_tiers(TierPolicy::Ratchet);
    let want = plan.bill(&usage, Payment::Postpaid).unwrap();
    samples.reverse();
    samples.push(sample(t0 + 600, 250));
    samples.push(sample(t0, 100));
    let got = plan
        .bill(
            &Usage::new(t0, t0 + 3600).with_samples(samples),
            Payment::Postpaid,
        )
        .unwrap();
    assert_eq!(got, want);
    // 600 s tier 1 (0.20/h), 600 s tier 2 (0.25/h), 1800 s tier 5 (0.90/h) by the ratchet:
    // 0.0333 → 0.03, 0.0417 → 0.04, 0.60.
    assert_eq!(want.total, fen(67));
}

#[test]
fn end_before_start_is_an_error() {
    let err = hourly(25, TimeUnit::Minute)
        .bill(&Usage::new(100, 50), Payment::Postpaid)
        .unwrap_err();
    assert_eq!(
        err,
        TariffError::EndBeforeStart {
            start: 100,
            end: 50
        }
    );
}

#[test]
fn time_of_use_from_interpolated_meter_readings() {
    // 10:30 → 11:30, readings 0.5 kWh at 10:40, 1.5 kWh at 11:10, 2.0 kWh at 11:30.
    // At 11:00 (peak → sharp) the meter reads 0.5 + 1.0 × 20/30 = 1.16666… → 1.1666 kWh.
    let reading = |t: &str, e: i64| Sample {
        at: unix(t),
        power: Power::from_watts(2000),
        energy: Some(Energy(e)),
    };
    let usage =
        Usage::new(unix("2024-05-01T10:30:00"), unix("2024-05-01T11:30:00")).with_samples(vec![
            reading("2024-05-01T11:30:00", 20_000),
            reading("2024-05-01T10:40:00", 5_000),
            reading("2024-05-01T11:10:00", 15_000),
        ]);
    let bill = tou_residential().bill(&usage, Payment::Postpaid).unwrap();
    let amounts: Vec<_> = bill
        .lines
        .iter()
        .map(|l| (l.kind, l.class, l.quantity, l.amount))
        .collect();
    let kwh = |e: i64| Some(Quantity::Energy(Energy(e)));
    assert_eq!(
        amounts,
        vec![
            // 0.8334 × 1.10 = 0.91674 → 0.92; 1.1666 × 0.90 = 1.04994 → 1.05
            (
                LineKind::Electricity,
                Some(TouClass::Sharp),
                kwh(8_334),
                fen(92)
            ),
            (
                LineKind::Electricity,
                Some(TouClass::Peak),
                kwh(11_666),
                fen(105)
            ),
            // 0.8334 × 0.40 = 0.33336 → 0.33; 1.1666 × 0.40 = 0.46664 → 0.47
            (
                LineKind::Service,
                Some(TouClass::Sharp),
                kwh(8_334),
                fen(33)
            ),
            (
                LineKind::Service,
                Some(TouClass::Peak),
                kwh(11_666),
                fen(47)
            ),
        ]
    );
    assert_eq!(bill.total, fen(277));
    assert_eq!(bill.energy, Some(Energy(20_000)));
}

#[test]
fn invalid_plans_are_refused_with_the_value() {
    let mut p = hourly(-5, TimeUnit::Minute);
    assert_eq!(
        p.bill(&minutes(10), Payment::Postpaid)
            .unwrap_err()
            .to_string(),
        "hourly rate is negative"
    );
    p = hourly(25, TimeUnit::Minute);
    p.service_fee = Some(ServiceFee::PerKwh(EnergyPrice(-1)));
    assert!(p.validate().is_err());
    let mut tiers = match juy_tiers(TierPolicy::Ratchet).pricing {
        Pricing::PowerTiers(t) => t,
        _ => unreachable!(),
    };
    tiers.tiers.swap(2, 3);
    assert_eq!(
        tiers.validate().unwrap_err().to_string(),
        "tier power `500.0 W` is not above the tier before it"
    );
    let mut tou = TouPlan::flat(EnergyPrice(60_000), EnergyPrice(0));
    tou.slots.pop();
    assert_eq!(
        tou.validate().unwrap_err().to_string(),
        "a time-of-use plan has 48 half-hour slots, not `47`"
    );
}

#[test]
fn ykc_piles_truncate_each_class_of_energy_plus_service() {
    // Sharp 0.165 kWh at 0.90 + 0.05 = 0.15675 → 0.15; valley 1.2345 kWh at 0.30 + 0.05 =
    // 0.432075 → 0.43. Our bill rounds the four lines half-up: 0.15 + 0.01 + 0.37 + 0.06 = 0.59.
    let plan = Plan::new(Pricing::TimeOfUse(
        TouPlan::from_ykc_rates(
            [
                (EnergyPrice(90_000), EnergyPrice(5_000)),
                (EnergyPrice(70_000), EnergyPrice(5_000)),
                (EnergyPrice(50_000), EnergyPrice(5_000)),
                (EnergyPrice(30_000), EnergyPrice(5_000)),
            ],
            [3; 48],
        )
        .unwrap(),
    ));
    let usage = Usage::from_class_energy(
        0,
        3600,
        [
            Energy(1650),
            Energy(0),
            Energy(0),
            Energy(12_345),
            Energy(0),
        ],
    );
    assert_eq!(ykc_pile_amount(&plan, &usage).unwrap(), fen(58));
    let r = reconcile_ykc(&plan, &usage, fen(58)).unwrap();
    assert_eq!((r.billed, r.difference), (fen(59), fen(-1)));
    assert!(r.matches(Money::ZERO));
}

#[test]
fn time_of_use_slots_follow_the_plan_offset() {
    // 14:00–15:00 UTC is 22:00–23:00 in China (flat, 0.60 + 0.40) but 14:00–15:00 at UTC
    // (peak, 0.90 + 0.40).
    let start = LocalDateTime::parse("2024-05-01T14:00:00")
        .unwrap()
        .to_unix(UtcOffset::UTC);
    let usage = Usage::new(start, start + 3600).with_energy(Energy(10_000));
    let mut plan = tou_residential();
    assert_eq!(
        plan.bill(&usage, Payment::Postpaid).unwrap().total,
        fen(100)
    );
    plan.utc_offset = UtcOffset::UTC;
    assert_eq!(
        plan.bill(&usage, Payment::Postpaid).unwrap().total,
        fen(130)
    );
}

#[test]
fn bills_carry_subtotals_per_kind() {
    // A YKC billing model of 0.75 + 0.45 yuan/kWh, 2 h at 7 kW = 14 kWh:
    // electricity 10.50, service 6.30, total 16.80 (the NDRC 537 receipt).
    let plan = Plan::new(Pricing::TimeOfUse(TouPlan::flat(
        EnergyPrice(75_000),
        EnergyPrice(45_000),
    )));
    let bill = plan
        .bill(
            &Usage::new(1_700_000_000, 1_700_000_000 + 7200).with_power(Power::from_watts(7000)),
            Payment::Postpaid,
        )
        .unwrap();
    assert_eq!(bill.energy, Some(Energy::from_centi_kwh(1400)));
    assert_eq!(
        bill.subtotals,
        [
            Subtotal {
                kind: LineKind::Electricity,
                amount: fen(1050)
            },
            Subtotal {
                kind: LineKind::Service,
                amount: fen(630)
            },
        ]
    );
    assert_eq!(bill.total, fen(1680));
    // adjustments have subtotals of their own, and all of them add up to the total
    let mut capped = plan.clone();
    capped.cap = Some(fen(1500));
    let bill = capped
        .bill(
            &Usage::new(1_700_000_000, 1_700_000_000 + 7200).with_power(Power::from_watts(7000)),
            Payment::Postpaid,
        )
        .unwrap();
    assert_eq!(
        bill.subtotals.last(),
        Some(&Subtotal {
            kind: LineKind::Cap,
            amount: fen(-180)
        })
    );
    assert_eq!(
        bill.subtotals.iter().map(|s| s.amount.0).sum::<i64>(),
        bill.total.0
    );
}

#[test]
fn meter_readings_scaled_to_the_total_round_once() {
    // 10:30 → 11:30 with the pile's total 3.0 kWh and the meter's readings 0.5 kWh at 10:40,
    // 1.5 kWh at 11:10, 2.0 kWh at 11:30. At 11:00 the meter reads exactly 0.5 + 1.0 × 20/30 =
    // 7/6 kWh; scaled to the total: 3.0 × (7/6) / 2.0 = 1.75 kWh, exact, so peak 1.75 kWh and
    // sharp 1.25 kWh. (Truncating 7/6 to 1.1666 before scaling gave 1.7499 / 1.2501.)
    let reading = |t: &str, e: i64| Sample {
        at: unix(t),
        power: Power::from_watts(2000),
        energy: Some(Energy(e)),
    };
    let usage = Usage::new(unix("2024-05-01T10:30:00"), unix("2024-05-01T11:30:00"))
        .with_energy(Energy(30_000))
        .with_samples(vec![
            reading("2024-05-01T10:40:00", 5_000),
            reading("2024-05-01T11:10:00", 15_000),
            reading("2024-05-01T11:30:00", 20_000),
        ]);
    let plan = tou_residential();
    let energies = plan.class_energies(&usage).unwrap();
    assert_eq!(energies[TouClass::Sharp.index()], Energy(12_500));
    assert_eq!(energies[TouClass::Peak.index()], Energy(17_500));
    let bill = plan.bill(&usage, Payment::Postpaid).unwrap();
    // sharp 1.25 × 1.10 = 1.375 → 1.38; peak 1.75 × 0.90 = 1.575 → 1.58;
    // service 1.25 × 0.40 = 0.50 and 1.75 × 0.40 = 0.70.
    let amounts: Vec<_> = bill.lines.iter().map(|l| (l.class, l.amount)).collect();
    assert_eq!(
        amounts,
        vec![
            (Some(TouClass::Sharp), fen(138)),
            (Some(TouClass::Peak), fen(158)),
            (Some(TouClass::Sharp), fen(50)),
            (Some(TouClass::Peak), fen(70)),
        ]
    );
    assert_eq!(bill.total, fen(416));
    assert_eq!(bill.energy, Some(Energy(30_000)));
}

#[test]
fn meter_readings_scaled_beyond_exact_range_are_an_overflow() {
    let reading = |at: i64, e: i64| Sample {
        at,
        power: Power::from_watts(2000),
        energy: Some(Energy(e)),
    };
    let start = unix("2024-05-01T10:30:00");
    let usage = Usage::new(start, start + 400 * 86_400)
        .with_energy(Energy(i64::MAX))
        .with_samples(vec![
            reading(start + 1, i64::MAX / 2),
            reading(start + 399 * 86_400, i64::MAX),
        ]);
    assert_eq!(
        tou_residential().bill(&usage, Payment::Postpaid),
        Err(TariffError::Overflow)
    );
}
