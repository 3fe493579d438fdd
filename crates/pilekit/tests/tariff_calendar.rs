//! Time-of-use calendars: golden bills computed by hand on the example plan
//! `tests/data/plans/tou-calendar.json`, its validation, quotes and properties.
//!
//! The plan (rates sharp 1.20, peak 0.90, flat 0.60, valley 0.30 yuan/kWh, service 0.40 on
//! every class), local time UTC+8:
//!
//! | table | 00–08 | 08–11 | 11–12 | 12–13 | 13–17 | 17–19 | 19–21 | 21–24 |
//! |---|---|---|---|---|---|---|---|---|
//! | weekday | valley | peak | peak | flat | flat | peak | peak | flat |
//! | summer weekday (07-01 to 08-31) | valley | peak | sharp | sharp | flat | peak | sharp | flat |
//! | weekend | valley | flat | flat | flat | flat | flat | flat | flat |
//! | holiday | valley | valley | valley | valley | valley | valley | valley | valley |
//!
//! Holidays 2026-01-01 and 2026-10-01 to 2026-10-07; make-up working days 2026-09-20 (a
//! Sunday) and 2026-10-10 (a Saturday). Every session draws a constant 7 kW: 7 kWh an hour.

#![cfg(feature = "serde")]

use pilekit::model::billing::YkcTouTable;
use pilekit::tariff::*;
use pilekit::{Energy, EnergyPrice, LocalDateTime, Money, Power, UtcOffset};
use proptest::prelude::*;

fn load(name: &str) -> Plan {
    let path = format!(
        "{}/tests/data/plans/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let keys: PlanKeys = serde_json::from_str(&text).unwrap();
    keys.check().unwrap();
    let plan: Plan = serde_json::from_str(&text).unwrap();
    plan.validate().unwrap();
    plan
}

fn calendar_plan() -> Plan {
    load("tou-calendar")
}

fn unix(text: &str) -> i64 {
    LocalDateTime::parse(text)
        .unwrap()
        .to_unix(UtcOffset::CHINA)
}

fn seven_kw(from: &str, to: &str) -> Usage {
    Usage::new(unix(from), unix(to)).with_power(Power::from_watts(7000))
}

fn kwh(k: i64) -> Energy {
    Energy(k * 10_000)
}

/// The priced lines of a bill as (kind, class, energy, amount in fen).
fn lines(bill: &Bill) -> Vec<(LineKind, TouClass, Energy, i64)> {
    bill.lines
        .iter()
        .map(|l| {
            let Some(Quantity::Energy(e)) = l.quantity else {
                panic!("a time-of-use line prices energy: {l:?}")
            };
            (l.kind, l.class.unwrap(), e, l.amount.0 / 100)
        })
        .collect()
}

fn bill(usage: &Usage) -> Bill {
    let b = calendar_plan().bill(usage, Payment::Postpaid).unwrap();
    b.check_invariants(Payment::Postpaid).unwrap();
    b
}

use LineKind::{Electricity as E, Service as S};
use TouClass::{Flat, Peak, Sharp, Valley};

#[test]
fn a_weekday_uses_the_weekday_table() {
    // Wednesday 2026-12-02 10:00–12:00: peak, 14 kWh × 0.90 = 12.60, service 14 × 0.40 = 5.60
    let b = bill(&seven_kw("2026-12-02T10:00:00", "2026-12-02T12:00:00"));
    assert_eq!(
        lines(&b),
        [(E, Peak, kwh(14), 1260), (S, Peak, kwh(14), 560)]
    );
    assert_eq!(b.total, Money::from_fen(1820));
}

#[test]
fn a_weekend_day_uses_the_weekend_table() {
    // Saturday 2026-12-05 10:00–12:00: flat, 14 × 0.60 = 8.40 + 5.60
    let b = bill(&seven_kw("2026-12-05T10:00:00", "2026-12-05T12:00:00"));
    assert_eq!(
        lines(&b),
        [(E, Flat, kwh(14), 840), (S, Flat, kwh(14), 560)]
    );
    assert_eq!(b.total, Money::from_fen(1400));
    // and Sunday too
    let b = bill(&seven_kw("2026-12-06T10:00:00", "2026-12-06T12:00:00"));
    assert_eq!(b.total, Money::from_fen(1400));
}

#[test]
fn a_holiday_uses_the_holiday_table() {
    // Thursday 2026-10-01 (National Day) 10:00–12:00: valley, 14 × 0.30 = 4.20 + 5.60
    let b = bill(&seven_kw("2026-10-01T10:00:00", "2026-10-01T12:00:00"));
    assert_eq!(
        lines(&b),
        [(E, Valley, kwh(14), 420), (S, Valley, kwh(14), 560)]
    );
    assert_eq!(b.total, Money::from_fen(980));
    // New Year's Day 2026 is a Thursday, in the same table
    let b = bill(&seven_kw("2026-01-01T10:00:00", "2026-01-01T12:00:00"));
    assert_eq!(b.total, Money::from_fen(980));
    // 2026-10-08, the day after the holidays, is a Thursday again
    let b = bill(&seven_kw("2026-10-08T10:00:00", "2026-10-08T12:00:00"));
    assert_eq!(b.total, Money::from_fen(1820));
}

#[test]
fn a_make_up_workday_uses_the_weekday_table() {
    // Saturday 2026-10-10 is worked: peak as on a weekday, 12.60 + 5.60 (a Saturday would be
    // 14.00), and Sunday 2026-09-20 likewise
    let b = bill(&seven_kw("2026-10-10T10:00:00", "2026-10-10T12:00:00"));
    assert_eq!(
        lines(&b),
        [(E, Peak, kwh(14), 1260), (S, Peak, kwh(14), 560)]
    );
    let b = bill(&seven_kw("2026-09-20T10:00:00", "2026-09-20T12:00:00"));
    assert_eq!(b.total, Money::from_fen(1820));
    // the Saturday after it is a weekend day again
    let b = bill(&seven_kw("2026-10-17T10:00:00", "2026-10-17T12:00:00"));
    assert_eq!(b.total, Money::from_fen(1400));
}

#[test]
fn a_july_weekday_has_the_sharp_period() {
    // Wednesday 2026-07-15 10:00–12:00: 10–11 peak 7 kWh × 0.90 = 6.30, 11–12 sharp
    // 7 × 1.20 = 8.40; service 2.80 each
    let b = bill(&seven_kw("2026-07-15T10:00:00", "2026-07-15T12:00:00"));
    assert_eq!(
        lines(&b),
        [
            (E, Sharp, kwh(7), 840),
            (E, Peak, kwh(7), 630),
            (S, Sharp, kwh(7), 280),
            (S, Peak, kwh(7), 280),
        ]
    );
    assert_eq!(b.total, Money::from_fen(2030));
    assert_eq!(
        b.subtotals,
        [
            Subtotal {
                kind: E,
                amount: Money::from_fen(1470)
            },
            Subtotal {
                kind: S,
                amount: Money::from_fen(560)
            }
        ]
    );
    // a July weekend has none
    let b = bill(&seven_kw("2026-07-18T10:00:00", "2026-07-18T12:00:00"));
    assert_eq!(b.total, Money::from_fen(1400));
}

#[test]
fn across_midnight_friday_to_saturday() {
    // Friday 2026-12-04 22:00 – Saturday 10:00: Friday 22–24 flat 14 kWh; Saturday 00–08
    // valley 56 kWh, 08–10 flat (weekend; a weekday would be peak) 14 kWh.
    // flat 28 × 0.60 = 16.80, valley 56 × 0.30 = 16.80; service 11.20 and 22.40 = 67.20
    let b = bill(&seven_kw("2026-12-04T22:00:00", "2026-12-05T10:00:00"));
    assert_eq!(
        lines(&b),
        [
            (E, Flat, kwh(28), 1680),
            (E, Valley, kwh(56), 1680),
            (S, Flat, kwh(28), 1120),
            (S, Valley, kwh(56), 2240),
        ]
    );
    assert_eq!(b.total, Money::from_fen(6720));
}

#[test]
fn across_midnight_split_exactly_at_the_boundary() {
    // Friday 23:59:59 – Saturday 08:00:01 at 3.6 kW (1 Wh a second): Friday's last second
    // flat, Saturday 00:00–08:00 valley, the second after 08:00 flat (weekend)
    let usage = Usage::new(unix("2026-12-04T23:59:59"), unix("2026-12-05T08:00:01"))
        .with_power(Power::from_watts(3600));
    let e = bill(&usage)
        .lines
        .iter()
        .map(|l| (l.class, l.quantity))
        .collect::<Vec<_>>();
    // no peak line: 08:00:00–08:00:01 is on the weekend table
    assert_eq!(e.len(), 4);
    assert_eq!(
        &e[..2],
        [
            (Some(Flat), Some(Quantity::Energy(Energy(20)))),
            (Some(Valley), Some(Quantity::Energy(Energy(8 * 3600 * 10)))),
        ]
    );
}

#[test]
fn across_a_season_boundary() {
    // Monday 2026-08-31 22:00 – Tuesday 2026-09-01 12:00: Monday (summer) 22–24 flat 14 kWh;
    // Tuesday (rest of the year) 00–08 valley 56, 08–12 peak 28 (in summer 11–12 is sharp).
    // peak 28 × 0.90 = 25.20, flat 14 × 0.60 = 8.40, valley 56 × 0.30 = 16.80;
    // service 11.20 + 5.60 + 22.40 = 39.20; total 89.60
    let b = bill(&seven_kw("2026-08-31T22:00:00", "2026-09-01T12:00:00"));
    assert_eq!(
        lines(&b),
        [
            (E, Peak, kwh(28), 2520),
            (E, Flat, kwh(14), 840),
            (E, Valley, kwh(56), 1680),
            (S, Peak, kwh(28), 1120),
            (S, Flat, kwh(14), 560),
            (S, Valley, kwh(56), 2240),
        ]
    );
    assert_eq!(b.total, Money::from_fen(8960));
    // and into summer: Tuesday 2026-06-30 22:00 – Wednesday 07-01 12:00 ends in sharp
    let b = bill(&seven_kw("2026-06-30T22:00:00", "2026-07-01T12:00:00"));
    assert_eq!(
        lines(&b)[..3],
        [
            (E, Sharp, kwh(7), 840),
            (E, Peak, kwh(21), 1890),
            (E, Flat, kwh(14), 840),
        ]
    );
}

#[test]
fn a_total_energy_and_meter_readings_are_split_by_the_calendar() {
    // 10 kWh over Saturday 2026-12-05 07:00–09:00 split by time: 5 valley, 5 flat
    let usage =
        Usage::new(unix("2026-12-05T07:00:00"), unix("2026-12-05T09:00:00")).with_energy(kwh(10));
    let b = bill(&usage);
    assert_eq!(
        lines(&b)[..2],
        [(E, Flat, kwh(5), 300), (E, Valley, kwh(5), 150)]
    );
    // the same by meter readings on a Friday: 08–09 is peak
    let t0 = unix("2026-12-04T07:00:00");
    let usage = Usage::new(t0, t0 + 7200).with_samples(vec![
        Sample {
            at: t0 + 3600,
            power: Power::from_watts(5000),
            energy: Some(kwh(4)),
        },
        Sample {
            at: t0 + 7200,
            power: Power::from_watts(5000),
            energy: Some(kwh(10)),
        },
    ]);
    let b = bill(&usage);
    assert_eq!(
        lines(&b)[..2],
        [(E, Peak, kwh(6), 540), (E, Valley, kwh(4), 120)]
    );
}

#[test]
fn class_energies_follow_the_calendar() {
    let plan = calendar_plan();
    let usage = seven_kw("2026-07-15T10:00:00", "2026-07-15T12:00:00");
    assert_eq!(
        plan.class_energies(&usage).unwrap(),
        [kwh(7), kwh(7), Energy::ZERO, Energy::ZERO, Energy::ZERO]
    );
}

#[test]
fn the_plan_roundtrips_and_the_dates_are_kept() {
    let plan = calendar_plan();
    let json = serde_json::to_string(&plan).unwrap();
    let again: Plan = serde_json::from_str(&json).unwrap();
    assert_eq!(again, plan);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v.get("slots").is_none());
    assert_eq!(v["calendar"]["workdays"][1], "2026-10-10");
    assert_eq!(v["calendar"]["seasons"][0]["from"], "07-01");
    let Pricing::TimeOfUse(t) = &plan.pricing else {
        panic!()
    };
    let cal = t.calendar.as_ref().unwrap();
    let day = |d: &str| unix(&format!("{d}T12:00:00")).div_euclid(86_400);
    assert_eq!(cal.day_type(day("2026-10-10")), Ok(DayType::Weekday));
    assert_eq!(cal.day_type(day("2026-10-11")), Ok(DayType::Weekend));
    assert_eq!(cal.day_type(day("2026-10-03")), Ok(DayType::Holiday));
    assert_eq!(cal.day_type(day("2026-12-02")), Ok(DayType::Weekday));
}

#[test]
fn a_calendar_has_no_single_day_table_for_a_pile() {
    let Pricing::TimeOfUse(t) = calendar_plan().pricing else {
        panic!()
    };
    assert_eq!(t.table(), Err(TariffError::CalendarNotOneDay));
    assert!(t.to_ykc_rates().is_err());
}

#[test]
fn quotes_work_with_calendars() {
    // the dearest class is sharp, 1.20 + 0.40 = 1.60 yuan/kWh: 10 yuan buy 6.25 kWh,
    // costing 10.00 whatever the day
    let q = calendar_plan().quote(Money::from_fen(1000), None).unwrap();
    assert_eq!(
        q.limit,
        Limit::Energy {
            energy: Energy(62_500)
        }
    );
    assert_eq!(q.cost, Money::from_fen(1000));
    // 1 yuan: 0.625 kWh
    let q = calendar_plan().quote(Money::YUAN, None).unwrap();
    assert_eq!(
        q.limit,
        Limit::Energy {
            energy: Energy(6_250)
        }
    );
    // never over: 0.6251 kWh of sharp costs more than 1 yuan before rounding
    let mut class = [Energy::ZERO; 5];
    class[0] = Energy(6_251);
    let b = calendar_plan()
        .bill(&Usage::from_class_energy(0, 0, class), Payment::Postpaid)
        .unwrap();
    assert!(b.total >= Money::YUAN);
}

fn with_calendar(edit: impl FnOnce(&mut serde_json::Value)) -> Result<Plan, String> {
    let path = format!(
        "{}/tests/data/plans/tou-calendar.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    edit(&mut v);
    let plan: Plan = serde_json::from_value(v).map_err(|e| e.to_string())?;
    plan.validate().map_err(|e| e.to_string())?;
    Ok(plan)
}

#[test]
fn overlapping_seasons_are_refused() {
    let err = with_calendar(|v| v["calendar"]["seasons"][1]["from"] = "08-31".into()).unwrap_err();
    assert_eq!(
        err,
        "`calendar.seasons[1]` overlaps `calendar.seasons[0]` on `08-31`"
    );
}

#[test]
fn a_date_without_a_season_is_refused() {
    let err = with_calendar(|v| v["calendar"]["seasons"][1]["to"] = "06-29".into()).unwrap_err();
    assert_eq!(err, "`calendar.seasons` no season covers `06-30`");
    // February 29 belongs to a season too
    let err = with_calendar(|v| {
        v["calendar"]["seasons"][1]["to"] = "02-28".into();
        v["calendar"]["seasons"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"from": "03-01", "to": "06-30", "weekday": "weekday", "weekend": "weekend"}));
    })
    .unwrap_err();
    assert_eq!(err, "`calendar.seasons` no season covers `02-29`");
    let err = with_calendar(|v| v["calendar"]["seasons"] = serde_json::json!([])).unwrap_err();
    assert_eq!(err, "`calendar.seasons` no season covers `01-01`");
}

#[test]
fn unknown_day_tables_are_refused() {
    let err =
        with_calendar(|v| v["calendar"]["seasons"][0]["weekend"] = "sunday".into()).unwrap_err();
    assert_eq!(
        err,
        "`calendar.seasons[0].weekend` names the day table `sunday`, which `calendar.days` does not have"
    );
    let err =
        with_calendar(|v| v["calendar"]["seasons"][1]["holiday"] = "feast".into()).unwrap_err();
    assert!(err.starts_with("`calendar.seasons[1].holiday` names the day table `feast`"));
}

#[test]
fn bad_dates_are_refused() {
    let cases: [(&str, &str, &str, &str); 6] = [
        (
            "seasons",
            "from",
            "02-30",
            "`calendar.seasons[0].from` `02-30` is not a month-day of the form `MM-DD`",
        ),
        (
            "seasons",
            "to",
            "7-31",
            "`calendar.seasons[0].to` `7-31` is not a month-day of the form `MM-DD`",
        ),
        (
            "holidays",
            "",
            "2026-02-29",
            "`calendar.holidays[0]` `2026-02-29` is not a date of the form `YYYY-MM-DD` (years 1970–9999)",
        ),
        (
            "holidays",
            "",
            "2026-10-1",
            "`calendar.holidays[0]` `2026-10-1` is not a date of the form `YYYY-MM-DD` (years 1970–9999)",
        ),
        (
            "workdays",
            "",
            "1969-12-31",
            "`calendar.workdays[0]` `1969-12-31` is not a date of the form `YYYY-MM-DD` (years 1970–9999)",
        ),
        (
            "workdays",
            "",
            "2026-13-01",
            "`calendar.workdays[0]` `2026-13-01` is not a date of the form `YYYY-MM-DD` (years 1970–9999)",
        ),
    ];
    for (list, field, text, want) in cases {
        let err = with_calendar(|v| {
            let item = &mut v["calendar"][list][0];
            if field.is_empty() {
                *item = text.into();
            } else {
                item[field] = text.into();
            }
        })
        .unwrap_err();
        assert_eq!(err, want);
    }
}

#[test]
fn other_calendar_mistakes_are_refused() {
    let err = with_calendar(|v| v["calendar"]["workdays"][0] = "2026-10-02".into()).unwrap_err();
    assert_eq!(err, "`calendar.workdays[0]` `2026-10-02` is also a holiday");
    let err = with_calendar(|v| {
        v["calendar"]["days"]["weekend"]
            .as_array_mut()
            .unwrap()
            .pop();
    })
    .unwrap_err();
    assert_eq!(
        err,
        "`calendar.days.weekend` has `47` half-hour slots, not 48"
    );
    let err =
        with_calendar(|v| v["calendar"]["days"]["holiday"][3] = "deep_valley".into()).unwrap_err();
    assert_eq!(
        err,
        "`calendar.days.holiday` class `deep_valley` of slot `3` has no rate"
    );
    let err = with_calendar(|v| v["calendar"]["days"] = serde_json::json!({})).unwrap_err();
    assert_eq!(err, "`calendar.days` names no day table");
    let err = with_calendar(|v| v["slots"] = serde_json::json!(vec!["flat"; 48])).unwrap_err();
    assert_eq!(
        err,
        "`slots` a plan with a `calendar` takes its day tables from it, not from `slots`"
    );
    // unknown keys inside the calendar are refused by name
    let err = with_calendar(|v| v["calendar"]["holiday"] = serde_json::json!([])).unwrap_err();
    assert!(err.starts_with("unknown field `holiday`"), "{err}");
    let err = with_calendar(|v| v["calendar"]["seasons"][0]["until"] = "08-31".into()).unwrap_err();
    assert!(err.starts_with("unknown field `until`"), "{err}");
    // a plan without either still needs its 48 slots
    let err = with_calendar(|v| {
        v.as_object_mut().unwrap().remove("calendar");
    })
    .unwrap_err();
    assert_eq!(err, "a time-of-use plan has 48 half-hour slots, not `0`");
    // and the calendar is a known key of a time-of-use plan, not of others
    let doc = r#"{"family": "hourly", "yuan_per_hour": 1, "calendar": {}}"#;
    let keys: PlanKeys = serde_json::from_str(doc).unwrap();
    assert!(
        keys.check()
            .unwrap_err()
            .to_string()
            .starts_with("unknown key `calendar`")
    );
}

#[test]
fn a_calendar_plan_is_refused_at_bill_time_when_invalid() {
    let mut plan = calendar_plan();
    let Pricing::TimeOfUse(t) = &mut plan.pricing else {
        panic!()
    };
    t.calendar.as_mut().unwrap().seasons.pop();
    let err = plan
        .bill(
            &seven_kw("2026-12-02T10:00:00", "2026-12-02T12:00:00"),
            Payment::Postpaid,
        )
        .unwrap_err();
    assert_eq!(
        err,
        TariffError::BadCalendar {
            key: "calendar.seasons".into(),
            problem: "no season covers `01-01`".into()
        }
    );
}

// --- properties ---------------------------------------------------------------------------

fn class() -> impl Strategy<Value = TouClass> {
    (0u8..5).prop_map(|i| TouClass::from_index(i).unwrap())
}

fn rates() -> Vec<TouRate> {
    TouClass::ALL
        .iter()
        .enumerate()
        .map(|(i, &class)| TouRate {
            class,
            energy: EnergyPrice(30_000 + 17_000 * i as i64),
            service: EnergyPrice(40_000 - 3_000 * i as i64),
        })
        .collect()
}

/// A calendar of `n` seasons splitting the year at month starts, each season's weekday,
/// weekend and holiday tables picked among `tables`.
fn calendar(tables: Vec<Vec<TouClass>>, splits: Vec<u32>, picks: Vec<usize>) -> TouCalendar {
    let mut months: Vec<u32> = splits.into_iter().map(|m| m % 12 + 1).collect();
    months.sort_unstable();
    months.dedup();
    let days = tables
        .into_iter()
        .enumerate()
        .map(|(i, t)| (format!("t{i}"), t))
        .collect::<std::collections::BTreeMap<_, _>>();
    let n = days.len();
    let pick = |k: usize| format!("t{}", picks[k % picks.len()] % n);
    let seasons = (0..months.len())
        .map(|i| {
            let from = months[i];
            let next = months[(i + 1) % months.len()];
            let last = if next == 1 { 12 } else { next - 1 };
            let last_day = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][last as usize - 1];
            Season {
                name: String::new(),
                from: format!("{from:02}-01"),
                to: format!("{last:02}-{last_day:02}"),
                weekday: pick(3 * i),
                weekend: pick(3 * i + 1),
                holiday: Some(pick(3 * i + 2)),
            }
        })
        .collect();
    TouCalendar {
        days,
        seasons,
        holidays: vec!["2026-10-01".into(), "2027-01-01".into()],
        workdays: vec!["2026-10-10".into()],
    }
}

fn usage() -> impl Strategy<Value = Usage> {
    (
        1_767_196_800i64..1_830_268_800, // 2026 to 2027
        0i64..4 * 86_400,
        prop::option::of(0i64..2_000_000),
        prop::collection::vec((0i64..4 * 86_400, 0i64..10_000), 0..12),
    )
        .prop_map(|(start, len, energy, samples)| {
            let mut u = Usage::new(start, start + len);
            u.energy = energy.map(Energy);
            u.samples = samples
                .into_iter()
                .map(|(at, w)| Sample {
                    at: start + at.min(len),
                    power: Power::from_watts(w),
                    energy: None,
                })
                .collect();
            if u.samples.is_empty() && u.energy.is_none() {
                u.power = Some(Power::from_watts(3000));
            }
            u
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A calendar whose tables are all the same bills exactly as the single-day plan.
    #[test]
    fn one_table_everywhere_is_the_single_day_plan(
        slots in prop::collection::vec(class(), 48),
        copies in 1usize..4,
        splits in prop::collection::vec(0u32..12, 1..5),
        picks in prop::collection::vec(0usize..4, 1..8),
        offset in -12i32 * 3600..14 * 3600,
        u in usage(),
    ) {
        let single = TouPlan { rates: rates(), slots: slots.clone(), calendar: None };
        let cal = TouPlan {
            rates: rates(),
            slots: Vec::new(),
            calendar: Some(calendar(vec![slots; copies], splits, picks)),
        };
        let mut a = Plan::new(Pricing::TimeOfUse(single));
        let mut b = Plan::new(Pricing::TimeOfUse(cal));
        a.utc_offset = UtcOffset(offset);
        b.utc_offset = UtcOffset(offset);
        prop_assert_eq!(a.bill(&u, Payment::Postpaid), b.bill(&u, Payment::Postpaid));
        prop_assert_eq!(a.quote(Money::from_fen(1234), None), b.quote(Money::from_fen(1234), None));
    }

    /// Any calendar: the bill keeps its invariants, the classes add up to the session's
    /// energy, and splitting a session at a local midnight bills each part by its own day.
    #[test]
    fn calendar_bills_split_at_midnight(
        tables in prop::collection::vec(prop::collection::vec(class(), 48), 1..4),
        splits in prop::collection::vec(0u32..12, 1..5),
        picks in prop::collection::vec(0usize..4, 1..8),
        day in 20_454i64..20_819, // 2026
        before in 1i64..20 * 3600,
        after in 1i64..20 * 3600,
    ) {
        let plan = Plan::new(Pricing::TimeOfUse(TouPlan {
            rates: rates(),
            slots: Vec::new(),
            calendar: Some(calendar(tables, splits, picks)),
        }));
        let midnight = day * 86_400 - 8 * 3600;
        let whole = Usage::new(midnight - before, midnight + after).with_power(Power::from_watts(3600));
        let b = plan.bill(&whole, Payment::Postpaid).unwrap();
        b.check_invariants(Payment::Postpaid).unwrap();
        prop_assert_eq!(b.energy, Some(Energy(10 * (before + after))));
        let e1 = plan.class_energies(&Usage { end: midnight, ..whole.clone() }).unwrap();
        let e2 = plan.class_energies(&Usage { start: midnight, ..whole.clone() }).unwrap();
        let all = plan.class_energies(&whole).unwrap();
        for i in 0..5 {
            prop_assert_eq!(all[i].0, e1[i].0 + e2[i].0);
        }
    }
}

#[test]
fn plan_show_prints_the_day_tables_and_seasons() {
    let text = pilekit::api::plan_text(&calendar_plan());
    assert!(
        text.contains("\n  holiday          vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\n")
    );
    assert!(
        text.contains("\n  summer_weekday   vvvvvvvvvvvvvvvvPPPPPPSSSSFFFFFFFFPPPPSSSSFFFFFF\n")
    );
    assert!(
        text.contains("\n  weekday          vvvvvvvvvvvvvvvvPPPPPPPPFFFFFFFFFFPPPPPPPPFFFFFF\n")
    );
    assert!(
        text.contains("\n  weekend          vvvvvvvvvvvvvvvvFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\n")
    );
    assert!(text.contains("07-01 to 08-31"));
    assert!(text.contains("09-01 to 06-30"));
    assert!(text.contains("Workdays    2026-09-20, 2026-10-10 (make-up working days"));
    assert!(text.contains("Holidays    2026-01-01, 2026-10-01,"));
    assert!(!text.contains("\ncalendar"));
    // the single-day form is printed as before
    let text = pilekit::api::plan_text(&load("tou-residential"));
    assert!(text.contains("The day, one character per half hour"));
    assert!(text.contains("Periods:"));
}
