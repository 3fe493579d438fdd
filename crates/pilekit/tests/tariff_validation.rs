//! What bills and quotes refuse in plans and usages, and the rules at their edges.

#![cfg(feature = "serde")]

use pilekit::tariff::*;
use pilekit::{Energy, Money, Power};

fn plan_named(name: &str) -> Plan {
    let path = format!(
        "{}/tests/data/plans/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn sample(at: i64, w: i64) -> Sample {
    Sample {
        at,
        power: Power::from_watts(w),
        energy: None,
    }
}

const EIGHT: i64 = 1_732_838_400; // 2024-11-29T08:00:00+08:00

#[test]
fn negative_energy_power_and_samples_are_refused() {
    let tou = plan_named("tou-residential");
    let usage = Usage::new(EIGHT, EIGHT + 3600).with_energy(Energy::from_centi_kwh(-500));
    assert_eq!(
        tou.bill(&usage, Payment::Postpaid),
        Err(TariffError::NegativeUsage { what: "energy" })
    );
    let usage = Usage::new(EIGHT, EIGHT + 3600).with_power(Power::from_watts(-1));
    assert_eq!(
        tou.bill(&usage, Payment::Postpaid),
        Err(TariffError::NegativeUsage { what: "power" })
    );
    let usage = Usage::new(EIGHT, EIGHT + 3600).with_samples(vec![sample(EIGHT + 60, -100)]);
    let err = tou.bill(&usage, Payment::Postpaid).unwrap_err();
    assert_eq!(
        err,
        TariffError::NegativeUsage {
            what: "sample power"
        }
    );
    assert_eq!(err.to_string(), "sample power is negative");
    let tiers = plan_named("power-tiers");
    let usage = Usage::new(EIGHT, EIGHT + 3600).with_power(Power::from_watts(-200));
    assert_eq!(
        tiers.quote(Money::YUAN, Some(Power::from_watts(-200))),
        Err(TariffError::NegativeUsage { what: "power" })
    );
    assert_eq!(
        tiers.bill(&usage, Payment::Postpaid),
        Err(TariffError::NegativeUsage { what: "power" })
    );
}

#[test]
fn times_outside_the_calendar_range_are_refused_without_hanging() {
    let tou = plan_named("tou-residential");
    let usage = Usage::new(9_223_372_036_854_775_000, i64::MAX).with_power(Power::from_watts(100));
    assert_eq!(
        tou.bill(&usage, Payment::Postpaid),
        Err(TariffError::TimeOutOfRange {
            at: 9_223_372_036_854_775_000
        })
    );
    let usage = Usage::new(i64::MIN, EIGHT);
    assert_eq!(
        tou.bill(&usage, Payment::Postpaid),
        Err(TariffError::TimeOutOfRange { at: i64::MIN })
    );
    let usage = Usage::new(EIGHT, EIGHT + 60).with_samples(vec![sample(-1, 100)]);
    assert_eq!(
        tou.bill(&usage, Payment::Postpaid),
        Err(TariffError::TimeOutOfRange { at: -1 })
    );
    // the last second of year 9999 is in range, the next is not
    let usage =
        Usage::new(MAX_TIME_UNIX_S - 60, MAX_TIME_UNIX_S).with_power(Power::from_watts(100));
    assert!(tou.bill(&usage, Payment::Postpaid).is_ok());
    let usage = Usage::new(MAX_TIME_UNIX_S - 60, MAX_TIME_UNIX_S + 1);
    assert_eq!(
        tou.bill(&usage, Payment::Postpaid),
        Err(TariffError::TimeOutOfRange {
            at: MAX_TIME_UNIX_S + 1
        })
    );
}

#[test]
fn sessions_longer_than_400_days_are_refused() {
    let block = plan_named("one-yuan-four-hours");
    let max = i64::try_from(MAX_SESSION_S).unwrap();
    assert!(
        block
            .bill(&Usage::new(EIGHT, EIGHT + max), Payment::Postpaid)
            .is_ok()
    );
    let err = block
        .bill(&Usage::new(EIGHT, EIGHT + max + 1), Payment::Postpaid)
        .unwrap_err();
    assert_eq!(
        err,
        TariffError::SessionTooLong {
            duration_s: MAX_SESSION_S + 1,
            max_s: MAX_SESSION_S
        }
    );
    assert_eq!(
        err.to_string(),
        "a session of `34560001` s is longer than the `34560000` s a bill prices"
    );
}

#[test]
fn of_samples_that_share_a_time_the_largest_holds_before_them_too() {
    // 08:00–08:02, samples 08:01 at 100 W and 300 W: 300 W holds for the whole session,
    // 300 W × 120 s = 0.0100 kWh (not 100 W for the first minute: 0.0067 kWh).
    let tou = plan_named("tou-residential");
    for samples in [
        vec![sample(EIGHT + 60, 100), sample(EIGHT + 60, 300)],
        vec![sample(EIGHT + 60, 300), sample(EIGHT + 60, 100)],
    ] {
        let usage = Usage::new(EIGHT, EIGHT + 120).with_samples(samples);
        let bill = tou.bill(&usage, Payment::Postpaid).unwrap();
        let energy = bill
            .lines
            .iter()
            .find(|l| l.kind == LineKind::Electricity)
            .and_then(|l| l.quantity);
        assert_eq!(energy, Some(Quantity::Energy(Energy(100))));
    }
}

#[test]
fn plan_numbers_are_read_exactly_or_refused() {
    let json = |rate: &str| {
        format!(r#"{{"family": "hourly", "yuan_per_hour": {rate}, "billed_by": "second"}}"#)
    };
    // 17 significant digits: a binary float cannot carry them, so the number is refused ...
    let err = serde_json::from_str::<Plan>(&json("1234567890123.4567")).unwrap_err();
    assert!(
        err.to_string().contains("more than 15 significant digits"),
        "{err}"
    );
    // ... and the same value written as a string is read exactly
    let plan: Plan = serde_json::from_str(&json(r#""1234567890123.4567""#)).unwrap();
    let Pricing::Hourly(h) = &plan.pricing else {
        panic!("{plan:?}")
    };
    assert_eq!(h.rate, Money(12_345_678_901_234_567));
    // 15 significant digits are exact as a number
    let plan: Plan = serde_json::from_str(&json("12345678901.2345")).unwrap();
    let Pricing::Hourly(h) = &plan.pricing else {
        panic!("{plan:?}")
    };
    assert_eq!(h.rate, Money(123_456_789_012_345));
}

#[test]
fn amounts_beyond_15_digits_are_written_as_strings_and_read_back_exactly() {
    let plan = Plan::new(Pricing::Hourly(HourlyPlan {
        rate: Money(12_345_678_901_234_567),
        billed_by: TimeUnit::Second,
    }));
    let json = serde_json::to_string(&plan).unwrap();
    assert!(
        json.contains(r#""yuan_per_hour":"1234567890123.4567""#),
        "{json}"
    );
    assert_eq!(serde_json::from_str::<Plan>(&json).unwrap(), plan);
    let small = Plan::new(Pricing::Hourly(HourlyPlan {
        rate: Money(2_500),
        billed_by: TimeUnit::Second,
    }));
    let json = serde_json::to_string(&small).unwrap();
    assert!(json.contains(r#""yuan_per_hour":0.25"#), "{json}");
}

fn average_tiers() -> Plan {
    serde_json::from_str(
        r#"{"family": "power_tiers", "billed_by": "second",
            "selection": {"policy": "average"},
            "tiers": [{"max_w": 200, "yuan_per_hour": 1}, {"max_w": 400, "yuan_per_hour": 2}]}"#,
    )
    .unwrap()
}

fn tier_of(bill: &Bill) -> Option<u8> {
    bill.lines
        .iter()
        .find(|l| l.kind == LineKind::Electricity)
        .and_then(|l| l.tier)
}

#[test]
fn the_average_policy_compares_the_exact_mean_with_the_tiers() {
    let plan = average_tiers();
    // 200.1 W for 1000 s: the mean is 200.1 W (the truncated energy 0.0555 kWh would say 199.8)
    let usage = Usage::new(EIGHT, EIGHT + 1000).with_power("200.1".parse().unwrap());
    assert_eq!(
        tier_of(&plan.bill(&usage, Payment::Postpaid).unwrap()),
        Some(2)
    );
    let usage = Usage::new(EIGHT, EIGHT + 1000).with_power(Power::from_watts(200));
    assert_eq!(
        tier_of(&plan.bill(&usage, Payment::Postpaid).unwrap()),
        Some(1)
    );
    // 0.4001 kWh over 2 h is 200.05 W, above the 200 W tier; 0.4000 kWh is exactly 200 W
    let usage = Usage::new(EIGHT, EIGHT + 7200).with_energy(Energy(4001));
    assert_eq!(
        tier_of(&plan.bill(&usage, Payment::Postpaid).unwrap()),
        Some(2)
    );
    let usage = Usage::new(EIGHT, EIGHT + 7200).with_energy(Energy(4000));
    assert_eq!(
        tier_of(&plan.bill(&usage, Payment::Postpaid).unwrap()),
        Some(1)
    );
    // a mean above the top tier is refused, naming the mean
    let usage = Usage::new(EIGHT, EIGHT + 7200).with_energy(Energy(8001));
    assert_eq!(
        plan.bill(&usage, Payment::Postpaid),
        Err(TariffError::PowerAboveTopTier {
            power: "400.1".parse().unwrap(),
            top: Power::from_watts(400)
        })
    );
}

fn with(plan: &str, key: &str, value: &str) -> Result<Plan, String> {
    let mut v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/tests/data/plans/{plan}.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    v[key] = serde_json::from_str(value).unwrap();
    serde_json::from_value(v).map_err(|e| e.to_string())
}

#[test]
fn a_minimum_is_refused_where_there_is_no_electricity_line_to_pad() {
    for (family, plan) in [
        ("package", "package-two-hours"),
        ("monthly_card", "monthly-card"),
        ("per_use", "per-use"),
    ] {
        let plan = with(plan, "minimum_yuan", "1").unwrap();
        let err = plan.validate().unwrap_err();
        assert_eq!(
            err,
            TariffError::ModifierNotApplicable {
                modifier: "minimum_yuan",
                family
            }
        );
        assert_eq!(
            err.to_string(),
            format!("`minimum_yuan` does not apply to a `{family}` plan")
        );
        assert!(
            plan.bill(&Usage::new(EIGHT, EIGHT + 7200), Payment::Postpaid)
                .is_err()
        );
    }
    // where it belongs, it pads the electricity line
    let plan = with("one-yuan-four-hours", "minimum_yuan", "0.5").unwrap();
    let bill = plan
        .bill(&Usage::new(EIGHT, EIGHT + 600), Payment::Postpaid)
        .unwrap();
    assert_eq!(bill.total, Money::from_fen(50));
}

#[test]
fn caps_and_prepayments_are_whole_fen() {
    let plan = with("one-yuan-four-hours", "cap_yuan", "0.125").unwrap();
    assert_eq!(
        plan.validate(),
        Err(TariffError::NotWholeFen {
            what: "cap",
            amount: Money(1250)
        })
    );
    // a minimum is padded to on a bill, so it is money paid too: 0.505 yuan cannot be
    let plan = with("one-yuan-four-hours", "minimum_yuan", "0.505").unwrap();
    assert_eq!(
        plan.validate(),
        Err(TariffError::NotWholeFen {
            what: "minimum charge",
            amount: Money(5050)
        })
    );
    let plan = plan_named("one-yuan-four-hours");
    let usage = Usage::new(EIGHT, EIGHT + 600);
    let err = plan
        .bill(
            &usage,
            Payment::Prepaid {
                amount: Money(10_050),
            },
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "prepaid amount `1.0050 yuan` is not a whole number of fen"
    );
    assert!(plan.quote(Money(10_050), None).is_err());
    assert!(plan.quote(Money::YUAN, None).is_ok());
}

#[test]
fn utc_offsets_beyond_18_hours_and_empty_peak_windows_are_refused() {
    let plan = with("tou-residential", "utc_offset_s", "64801").unwrap();
    assert_eq!(
        plan.validate(),
        Err(TariffError::UtcOffsetOutOfRange { offset_s: 64_801 })
    );
    assert!(
        with("tou-residential", "utc_offset_s", "-64800")
            .unwrap()
            .validate()
            .is_ok()
    );
    let plan = with(
        "power-tiers",
        "selection",
        r#"{"policy": "first_minutes_peak", "minutes": 0}"#,
    )
    .unwrap();
    assert_eq!(plan.validate(), Err(TariffError::ZeroPeakWindow));
    let plan = with(
        "power-tiers",
        "selection",
        r#"{"policy": "first_minutes_peak", "minutes": 5}"#,
    )
    .unwrap();
    assert!(plan.validate().is_ok());
}

fn flat_tou(extra: &str) -> Plan {
    let slots = vec!["\"flat\""; 48].join(",");
    serde_json::from_str(&format!(
        r#"{{"family": "time_of_use", "slots": [{slots}],
            "rates": [{{"class": "flat", "energy_yuan_per_kwh": 0.6, "service_yuan_per_kwh": 0.4}}]
            {extra}}}"#
    ))
    .unwrap()
}

#[test]
fn energy_quotes_are_not_lengthened_by_free_minutes() {
    // 1 yuan at 1.00 yuan/kWh is 1 kWh, free minutes or not (not 100 MWh for nothing)
    for extra in ["", r#", "free_min": 5"#] {
        let q = flat_tou(extra).quote(Money::YUAN, None).unwrap();
        assert_eq!(
            (q.limit, q.cost),
            (
                Limit::Energy {
                    energy: Energy::from_centi_kwh(100)
                },
                Money::YUAN
            ),
            "{extra}"
        );
    }
}

#[test]
fn energy_quotes_count_per_minute_fees_over_the_time_the_energy_takes() {
    let plan = flat_tou(r#", "service_fee": {"yuan_per_min": 0.01}"#);
    assert_eq!(
        plan.quote(Money::YUAN, None),
        Err(TariffError::MissingPower)
    );
    // at 1 kW, 0.62 kWh take 37.2 minutes: 0.372 + 0.248 yuan for the energy and 38 started
    // minutes at 0.01 yuan make 1.00; 0.6201 kWh would cost 1.0001
    let q = plan
        .quote(Money::YUAN, Some(Power::from_watts(1000)))
        .unwrap();
    assert_eq!(
        (q.limit, q.cost),
        (
            Limit::Energy {
                energy: Energy::from_centi_kwh(62)
            },
            Money::YUAN
        )
    );
}

fn check_keys(json: &str) -> Result<(), TariffError> {
    serde_json::from_str::<PlanKeys>(json).unwrap().check()
}

#[test]
fn unknown_plan_keys_are_refused_naming_the_valid_ones() {
    for name in [
        "one-yuan-four-hours",
        "power-tiers",
        "tou-residential",
        "package-two-hours",
        "monthly-card",
        "per-use",
        "hourly-with-modifiers",
    ] {
        let path = format!(
            "{}/tests/data/plans/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        assert_eq!(
            check_keys(&std::fs::read_to_string(path).unwrap()),
            Ok(()),
            "{name}"
        );
    }
    let err = check_keys(r#"{"family": "hourly", "yuan_per_hour": 0.25, "free_minutes": 5}"#)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown key `free_minutes`; the valid keys are name, family, service_fee, free_min, \
         minimum_yuan, cap_yuan, cap_at_prepaid, rounding, utc_offset_s, yuan_per_hour, billed_by"
    );
    // a key of another family is unknown here
    assert!(matches!(
        check_keys(r#"{"family": "hourly", "yuan_per_hour": 0.25, "block_min": 240}"#),
        Err(TariffError::UnknownKey { key, .. }) if key == "block_min"
    ));
    assert!(matches!(
        check_keys(r#"{"family": "power_tiers", "tiers": [{"max_w": 200, "yuan_per_hr": 1}]}"#),
        Err(TariffError::UnknownKey { key, .. }) if key == "yuan_per_hr of a tier"
    ));
    // nested objects refuse unknown keys as they are read
    let err = serde_json::from_str::<Plan>(
        r#"{"family": "hourly", "yuan_per_hour": 0.25, "rounding": {"stage": "line", "mod": "up"}}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("unknown field `mod`"), "{err}");
}

#[test]
fn hourly_tiers_compare_their_prices_and_slots_need_a_rate() {
    // power-tiers.json: hourly tiers; a tier priced as the one below is fine, a fen less is not
    let mut plan = plan_named("power-tiers");
    let Pricing::PowerTiers(t) = &mut plan.pricing else {
        panic!("tiers")
    };
    let TierPrice::PerHour(below) = t.tiers[1].price else {
        panic!("hourly tiers")
    };
    let power = t.tiers[2].max;
    t.tiers[2].price = TierPrice::PerHour(below);
    assert_eq!(plan.validate(), Ok(()));
    let Pricing::PowerTiers(t) = &mut plan.pricing else {
        panic!("tiers")
    };
    t.tiers[2].price = TierPrice::PerHour(Money(below.0 - 100));
    assert_eq!(
        plan.validate(),
        Err(TariffError::TierCheaperThanBelow { power })
    );
    // the first slot of a class without a rate is named
    let mut tou = plan_named("tou-residential");
    let Pricing::TimeOfUse(t) = &mut tou.pricing else {
        panic!("time of use")
    };
    t.rates.retain(|r| r.class != TouClass::Sharp);
    assert_eq!(
        tou.validate(),
        Err(TariffError::ClassWithoutRate {
            class: TouClass::Sharp,
            slot: 22
        })
    );
    let Pricing::TimeOfUse(t) = &tou.pricing else {
        panic!("time of use")
    };
    assert_eq!(
        t.table(),
        Err(TariffError::ClassWithoutRate {
            class: TouClass::Sharp,
            slot: 22
        })
    );
}

#[test]
fn sample_times_at_the_edges_of_the_range() {
    let tou = plan_named("tou-residential");
    let end = MAX_TIME_UNIX_S - 60;
    // a sample at the last second of year 9999 is read (after the session: its power holds
    // from the start); one second later is refused, as is a time below 1970
    let usage = Usage::new(end - 3600, end).with_samples(vec![sample(MAX_TIME_UNIX_S, 3600)]);
    let bill = tou.bill(&usage, Payment::Postpaid).unwrap();
    assert_eq!(bill.energy, Some(Energy::from_centi_kwh(360)));
    for at in [MAX_TIME_UNIX_S + 1, i64::MAX, -1, i64::MIN] {
        let usage =
            Usage::new(end - 3600, end).with_samples(vec![sample(end - 60, 100), sample(at, 100)]);
        assert_eq!(
            tou.bill(&usage, Payment::Postpaid),
            Err(TariffError::TimeOutOfRange { at })
        );
    }
    // a sample without an energy reading and a negative power is refused by name
    let usage = Usage::new(EIGHT, EIGHT + 60).with_samples(vec![sample(EIGHT, -1)]);
    assert_eq!(
        tou.bill(&usage, Payment::Postpaid),
        Err(TariffError::NegativeUsage {
            what: "sample power"
        })
    );
}

#[test]
fn time_ratio_tiers_never_get_cheaper_with_power() {
    let tiers = |ratios: [u8; 3], price: Money| TierPlan {
        tiers: ratios
            .iter()
            .enumerate()
            .map(|(i, &r)| Tier {
                max: Power::from_watts(200 * (i as i64 + 1)),
                price: TierPrice::TimeRatio(r),
            })
            .collect(),
        selection: TierPolicy::Ratchet,
        base: Some(BlockPrice {
            price,
            minutes: 240,
        }),
        billed_by: TimeUnit::Second,
    };
    // a coin buys 100 %, then 80 %, then 80 % of 240 minutes: each tier as dear or dearer
    assert_eq!(tiers([100, 80, 80], Money::YUAN).validate(), Ok(()));
    // 90 % above 80 % buys more time for the coin at the higher power
    assert_eq!(
        tiers([100, 80, 90], Money::YUAN).validate(),
        Err(TariffError::TierCheaperThanBelow {
            power: Power::from_watts(600)
        })
    );
    // a free block costs nothing at any ratio
    assert_eq!(tiers([100, 80, 90], Money::ZERO).validate(), Ok(()));
    // the first of several faults is named, the base block once
    let mut plan = tiers([100, 80, 90], Money::YUAN);
    plan.base = None;
    assert_eq!(plan.validate(), Err(TariffError::MissingBase));
}
