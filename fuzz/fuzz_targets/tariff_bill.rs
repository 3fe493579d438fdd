//! Bills and quotes of arbitrary plans, usages and payments.
//!
//! The input is read with `arbitrary` as an [`Input`]: a plan document — either one of the
//! example plans of `examples/plans/` (a time-of-use calendar among them) with a few of its
//! keys set to chosen values (a calendar too), a plan of a
//! chosen family built from chosen numbers, or raw text — then a usage (start, duration, power,
//! energy, per-class energies, samples), a payment, and a prepayment and power for a quote.
//!
//! The plan is read as the CLI reads it (key check, then the plan) and validated; a plan that
//! is refused ends the case. Invariants asserted:
//!
//! 1. `Plan::bill` and `Plan::quote` never panic and return (libFuzzer's `-timeout` catches a
//!    hang).
//! 2. Every bill satisfies [`Bill::check_invariants`] for its payment: total ≥ 0 in whole fen,
//!    the lines add up to one subtotal per kind and the subtotals to the total, refund =
//!    prepaid − total − retained (nothing refunded or retained when the total exceeds the
//!    prepayment, which is then due), coins never refunded.
//! 3. The total is at most the plan's cap, and at most the prepayment when the plan caps at it.
//! 4. A quote's cost is at most the prepayment, and a session billed at the quoted duration or
//!    energy with that prepayment owes nothing more.
#![no_main]

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use pilekit::tariff::{Bill, Limit, Payment, Plan, PlanKeys, Pricing, Sample, Usage};
use pilekit::{Energy, Money, Power};
use serde_json::{Map, Value};

const EXAMPLES: &[&str] = &[
    include_str!("../../examples/plans/hourly-with-modifiers.json"),
    include_str!("../../examples/plans/monthly-card.json"),
    include_str!("../../examples/plans/one-yuan-four-hours.json"),
    include_str!("../../examples/plans/package-two-hours.json"),
    include_str!("../../examples/plans/per-use.json"),
    include_str!("../../examples/plans/power-tiers.json"),
    include_str!("../../examples/plans/tou-residential.json"),
    include_str!("../../examples/plans/starting-price-two-hours.json"),
    include_str!("../../examples/plans/starting-price-energy.json"),
    include_str!("../../examples/plans/power-tiers-energy.json"),
    include_str!("../../examples/plans/power-tiers-tou-service.json"),
    include_str!("../../examples/plans/package-stop-when-full.json"),
    include_str!("../../examples/plans/monthly-card-limits.json"),
    include_str!("../../examples/plans/tou-calendar.json"),
];

/// Keys an edit may set, across all families (a key a family lacks is refused, which is tested
/// too).
const KEYS: &[&str] = &[
    "price_yuan",
    "block_min",
    "billed_by",
    "yuan_per_hour",
    "duration_min",
    "days",
    "max_session_min",
    "service_fee",
    "free_min",
    "minimum_yuan",
    "cap_yuan",
    "cap_at_prepaid",
    "rounding",
    "utc_offset_s",
    "selection",
    "base",
    "tiers",
    "slots",
    "rates",
    "family",
    "start_price_yuan",
    "included_min",
    "then_yuan_per_hour",
    "included_kwh",
    "then_yuan_per_kwh",
    "calendar",
];

const FAMILIES: &[&str] = &[
    "fixed_block",
    "hourly",
    "power_tiers",
    "time_of_use",
    "package",
    "monthly_card",
    "per_use",
    "starting_price",
];

const UNITS: &[&str] = &["second", "minute", "half_hour", "hour", "block", "day"];
const CLASSES: &[&str] = &["sharp", "peak", "flat", "valley", "deep_valley"];
const STAGES: &[&str] = &["line", "total"];
const MODES: &[&str] = &["half_up", "half_even", "truncate", "up"];
const POLICIES: &[&str] = &[
    "ratchet",
    "session_peak",
    "first_minutes_peak",
    "average",
    "per_slice",
];

/// A number as JSON writes it: small integers, yuan with up to four (or more) decimals, or
/// extremes.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Num {
    Small(u8),
    Yuan { whole: u16, frac: u16 },
    Fine { whole: u32, frac: u32 },
    Negative(u16),
    Raw(i64),
    Large(u64),
}

impl Num {
    fn value(self) -> Value {
        let text = match self {
            Num::Small(v) => v.to_string(),
            Num::Yuan { whole, frac } => format!("{}.{:04}", whole % 1000, frac % 10_000),
            Num::Fine { whole, frac } => format!("{whole}.{frac:09}"),
            Num::Negative(v) => format!("-{}.{:02}", v / 100, v % 100),
            Num::Raw(v) => v.to_string(),
            Num::Large(v) => format!("{v}.5"),
        };
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }
}

/// A value to set a key to.
#[derive(Arbitrary, Debug)]
enum Val {
    Num(Num),
    Bool(bool),
    Text(u8),
    Null,
    Rounding(u8, u8),
    Selection(u8, Num),
    Fee(u8, Num),
    Tiers(Vec<(Num, Num, u8)>),
    Slots(Vec<u8>),
    Rates(Vec<(u8, Num, Num)>),
    Calendar(CalendarIn),
}

/// A time-of-use calendar: day tables, seasons (consistent month ranges, or raw month-days
/// that may overlap, leave gaps or not be dates), holidays and make-up working days.
#[derive(Arbitrary, Debug)]
struct CalendarIn {
    tables: Vec<Vec<u8>>,
    consistent: bool,
    /// Months a season starts at (consistent), or raw (from, to) month-days.
    splits: Vec<(u8, u8, u8, u8)>,
    picks: Vec<u8>,
    holidays: Vec<(u8, u8, u8)>,
    workdays: Vec<(u8, u8, u8)>,
}

impl CalendarIn {
    fn value(&self) -> Value {
        let mut days = Map::new();
        for (i, t) in self.tables.iter().take(5).enumerate() {
            days.insert(format!("t{i}"), Val::Slots(t.clone()).value());
        }
        let n = self.tables.len().clamp(1, 6);
        let pick = |k: usize| format!("t{}", self.picks.get(k).copied().unwrap_or(0) as usize % n);
        let ends = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        let mut months: Vec<u8> = self.splits.iter().take(6).map(|s| s.0 % 12 + 1).collect();
        months.sort_unstable();
        months.dedup();
        let seasons: Vec<Value> = if self.consistent {
            (0..months.len())
                .map(|i| {
                    let next = months[(i + 1) % months.len()];
                    let last = if next == 1 { 12 } else { next - 1 };
                    serde_json::json!({
                        "from": format!("{:02}-01", months[i]),
                        "to": format!("{last:02}-{:02}", ends[usize::from(last) - 1]),
                        "weekday": pick(3 * i),
                        "weekend": pick(3 * i + 1),
                        "holiday": pick(3 * i + 2),
                    })
                })
                .collect()
        } else {
            self.splits
                .iter()
                .take(6)
                .enumerate()
                .map(|(i, &(fm, fd, tm, td))| {
                    serde_json::json!({
                        "from": format!("{:02}-{:02}", fm % 14, fd % 33),
                        "to": format!("{:02}-{:02}", tm % 14, td % 33),
                        "weekday": pick(2 * i),
                        "weekend": pick(2 * i + 1),
                    })
                })
                .collect()
        };
        let date = |&(y, m, d): &(u8, u8, u8)| {
            Value::String(format!(
                "{}-{:02}-{:02}",
                2020 + u32::from(y % 12),
                m % 14,
                d % 33
            ))
        };
        serde_json::json!({
            "days": days,
            "seasons": seasons,
            "holidays": self.holidays.iter().take(20).map(date).collect::<Vec<_>>(),
            "workdays": self.workdays.iter().take(8).map(date).collect::<Vec<_>>(),
        })
    }
}

fn pick<'a>(list: &[&'a str], i: u8) -> &'a str {
    list[usize::from(i) % list.len()]
}

impl Val {
    fn value(&self) -> Value {
        match self {
            Val::Num(n) => n.value(),
            Val::Bool(b) => Value::Bool(*b),
            Val::Text(i) => {
                let all: Vec<&str> = [UNITS, FAMILIES, CLASSES].concat();
                Value::String(pick(&all, *i).to_owned())
            }
            Val::Null => Value::Null,
            Val::Rounding(s, m) => {
                serde_json::json!({"stage": pick(STAGES, *s), "mode": pick(MODES, *m)})
            }
            Val::Selection(p, n) => {
                let policy = pick(POLICIES, *p);
                if policy == "first_minutes_peak" {
                    serde_json::json!({"policy": policy, "minutes": n.value()})
                } else {
                    serde_json::json!({ "policy": policy })
                }
            }
            Val::Fee(kind, n) => match kind % 4 {
                0 => serde_json::json!({ "yuan_per_kwh": n.value() }),
                1 => serde_json::json!({ "yuan_per_min": n.value() }),
                2 => {
                    serde_json::json!({ "per_tier_yuan_per_kwh": vec![n.value(); usize::from(kind / 4 % 9)] })
                }
                _ => serde_json::json!({ "time_of_use": {
                    "rates": [{ "class": pick(CLASSES, kind / 4), "service_yuan_per_kwh": n.value() }],
                    "slots": vec![pick(CLASSES, kind / 4); 48],
                } }),
            },
            Val::Tiers(tiers) => Value::Array(
                tiers
                    .iter()
                    .take(10)
                    .map(|(w, p, kind)| {
                        let key = ["yuan_per_hour", "time_ratio_pct", "yuan_per_kwh"]
                            [usize::from(*kind % 3)];
                        let mut m = Map::new();
                        m.insert("max_w".to_owned(), w.value());
                        m.insert(key.to_owned(), p.value());
                        Value::Object(m)
                    })
                    .collect(),
            ),
            Val::Slots(slots) => Value::Array(
                (0..48)
                    .map(|i| {
                        let c = slots.get(i).or(slots.last()).copied().unwrap_or(2);
                        Value::String(pick(CLASSES, c).to_owned())
                    })
                    .take(if slots.len() == 1 { 47 } else { 48 })
                    .collect(),
            ),
            Val::Calendar(c) => c.value(),
            Val::Rates(rates) => Value::Array(
                rates
                    .iter()
                    .take(6)
                    .map(|(c, e, s)| {
                        serde_json::json!({
                            "class": pick(CLASSES, *c),
                            "energy_yuan_per_kwh": e.value(),
                            "service_yuan_per_kwh": s.value(),
                        })
                    })
                    .collect(),
            ),
        }
    }
}

/// Where the plan document comes from.
#[derive(Arbitrary, Debug)]
enum PlanSource {
    /// An example plan with some keys set (or removed, for `Val::Null`).
    Example { index: u8, edits: Vec<(u8, Val)> },
    /// A family and keys set from scratch.
    Family { family: u8, edits: Vec<(u8, Val)> },
    /// Raw text.
    Raw(String),
}

impl PlanSource {
    fn text(&self) -> String {
        let (mut doc, edits) = match self {
            PlanSource::Raw(text) => return text.clone(),
            PlanSource::Example { index, edits } => {
                let text = EXAMPLES[usize::from(*index) % EXAMPLES.len()];
                (serde_json::from_str(text).unwrap_or(Value::Null), edits)
            }
            PlanSource::Family { family, edits } => (
                serde_json::json!({ "family": pick(FAMILIES, *family) }),
                edits,
            ),
        };
        if let Value::Object(map) = &mut doc {
            for (key, val) in edits.iter().take(8) {
                let key = pick(KEYS, *key).to_owned();
                match val {
                    Val::Null => {
                        map.remove(&key);
                    }
                    v => {
                        map.insert(key, v.value());
                    }
                }
            }
        }
        doc.to_string()
    }
}

#[derive(Arbitrary, Debug)]
struct SampleIn {
    at: u32,
    power_w: i32,
    energy: Option<i32>,
}

#[derive(Arbitrary, Debug)]
struct UsageIn {
    /// Seconds after 2023-11-14 (or an extreme time when `raw_start` is set).
    start: u32,
    raw_start: Option<i64>,
    duration: u32,
    long: bool,
    power_w: Option<i32>,
    energy: Option<i64>,
    class_energy: Option<[u32; 5]>,
    samples: Vec<SampleIn>,
}

impl UsageIn {
    fn usage(&self) -> Usage {
        let start = self
            .raw_start
            .unwrap_or(1_700_000_000 + i64::from(self.start % 100_000_000));
        // up to about 2 days, or up to about 414 days (beyond the 400 a bill prices)
        let span = if self.long { 35_800_000 } else { 200_000 };
        let duration = i64::from(self.duration % span);
        let end = start.saturating_add(duration);
        let mut u = Usage::new(start, end);
        u.power = self.power_w.map(|w| Power(i64::from(w)));
        u.energy = self.energy.map(Energy);
        u.class_energy = self.class_energy.map(|c| c.map(|e| Energy(i64::from(e))));
        u.samples = self
            .samples
            .iter()
            .take(200)
            .map(|s| Sample {
                at: start.saturating_add(i64::from(s.at % (span as u32 + 1000))) - 500,
                power: Power(i64::from(s.power_w)),
                energy: s.energy.map(|e| Energy(i64::from(e))),
            })
            .collect();
        u
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum PaymentIn {
    Postpaid,
    Prepaid(u32),
    Coins(u32),
    Card(i64),
    Uses(u8),
    /// Not whole fen or negative: refused.
    Odd(i32),
}

impl PaymentIn {
    fn payment(self, start: i64) -> Payment {
        match self {
            PaymentIn::Postpaid => Payment::Postpaid,
            PaymentIn::Prepaid(f) => Payment::Prepaid {
                amount: Money::from_fen(i64::from(f % 1_000_000)),
            },
            PaymentIn::Coins(f) => Payment::Coins {
                amount: Money::from_fen(i64::from(f % 10_000)),
            },
            PaymentIn::Card(d) => Payment::MonthlyCard {
                expires: start.saturating_add(d % 10_000_000),
            },
            PaymentIn::Uses(n) => Payment::UseCount {
                remaining: u32::from(n % 4),
            },
            PaymentIn::Odd(v) => Payment::Prepaid {
                amount: Money(i64::from(v)),
            },
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Input {
    plan: PlanSource,
    usage: UsageIn,
    payment: PaymentIn,
    quote_fen: u32,
    quote_power_w: Option<u16>,
}

fn read_plan(text: &str) -> Option<Plan> {
    serde_json::from_str::<PlanKeys>(text).ok()?.check().ok()?;
    let plan: Plan = serde_json::from_str(text).ok()?;
    plan.validate().ok()?;
    Some(plan)
}

fn check_bill(plan: &Plan, bill: &Bill, payment: Payment) {
    if let Err(broken) = bill.check_invariants(payment) {
        panic!("{broken}\nplan: {plan:?}\npayment: {payment:?}\nbill: {bill:?}");
    }
    if let Some(cap) = plan.cap {
        assert!(bill.total <= cap, "above the cap: {bill:?}");
    }
    if plan.cap_at_prepaid && matches!(payment, Payment::Prepaid { .. } | Payment::Coins { .. }) {
        assert!(
            bill.total <= payment.prepaid(),
            "above the prepayment: {bill:?}"
        );
    }
}

fuzz_target!(|input: Input| {
    let Some(plan) = read_plan(&input.plan.text()) else {
        return;
    };
    let usage = input.usage.usage();
    let payment = input.payment.payment(usage.start);
    if let Ok(bill) = plan.bill(&usage, payment) {
        check_bill(&plan, &bill, payment);
    }

    let prepaid = Money::from_fen(i64::from(input.quote_fen % 100_000));
    let power = input
        .quote_power_w
        .map(|w| Power::from_watts(i64::from(w % 4000)));
    let Ok(quote) = plan.quote(prepaid, power) else {
        return;
    };
    assert!(
        quote.cost <= prepaid,
        "a quote above the prepayment: {quote:?}"
    );
    let usage = match quote.limit {
        Limit::Duration { duration } => {
            let mut u = Usage::new(0, i64::from(duration.0));
            u.power = power;
            u
        }
        Limit::Energy { energy } => {
            let mut u = Usage::new(0, 0).with_energy(energy);
            if let Some(p) = power.filter(|p| p.0 > 0) {
                let secs = i128::from(energy.0) * 3600 / i128::from(p.0);
                u.end = i64::try_from(secs).unwrap_or(i64::MAX);
            }
            u
        }
        Limit::CardDays { .. } | Limit::Uses { .. } => return,
    };
    let payment = Payment::Prepaid { amount: prepaid };
    if let Ok(bill) = plan.bill(&usage, payment) {
        check_bill(&plan, &bill, payment);
        if !matches!(plan.pricing, Pricing::TimeOfUse(_)) {
            assert_eq!(
                bill.due,
                Money::ZERO,
                "the quoted limit costs more: {quote:?} {bill:?}"
            );
        }
    }
});
