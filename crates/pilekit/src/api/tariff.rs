//! Quotes and bills from a plan's canonical JSON.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::error::{Error, ErrorKind};
use super::time::parse_time;
use crate::tariff::{Bill, Payment, Plan, PlanKeys, Pricing, Quote, Sample, Usage};
use crate::time::UtcOffset;
use crate::units::{Energy, Money, Power};

/// Reads a plan from its canonical JSON: a key its family does not have is `unknown_key`
/// (read with [`PlanKeys`] first, so a misspelling is never ignored), anything else wrong is
/// `invalid_json` or `invalid_plan`.
pub fn load_plan(json: &str) -> Result<Plan, Error> {
    serde_json::from_str::<PlanKeys>(json)?.check()?;
    let plan: Plan = serde_json::from_str(json).map_err(|e| {
        let mut err = Error::json(&e);
        err.kind = ErrorKind::InvalidPlan;
        err
    })?;
    plan.validate()?;
    Ok(plan)
}

/// What to quote: a prepayment, and the expected power for power-tier plans. Serde form:
/// `{"prepaid_yuan": 1.0, "power_w": 700.0}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteRequest {
    /// The prepayment.
    #[serde(rename = "prepaid_yuan")]
    pub prepaid: Money,
    /// The expected charging power.
    #[serde(default, rename = "power_w", skip_serializing_if = "Option::is_none")]
    pub power: Option<Power>,
}

/// What a prepayment buys under the plan given as canonical JSON (see [`load_plan`]).
///
/// ```
/// use pilekit::api::{QuoteRequest, quote};
/// use pilekit::Money;
///
/// let plan = r#"{"family": "fixed_block", "price_yuan": 1.0, "block_min": 240}"#;
/// let q = quote(plan, &QuoteRequest { prepaid: Money::YUAN, power: None })?;
/// assert_eq!(serde_json::to_value(&q)?["cost_yuan"], 1.0);
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
pub fn quote(plan_json: &str, request: &QuoteRequest) -> Result<Quote, Error> {
    quote_plan(&load_plan(plan_json)?, request)
}

/// [`quote`] under a plan already read.
pub fn quote_plan(plan: &Plan, request: &QuoteRequest) -> Result<Quote, Error> {
    Ok(plan.quote(request.prepaid, request.power)?)
}

/// A session to bill: when, how much, and how it was paid. Times are text as
/// [`parse_time`] reads it (or Unix seconds as a number), in the plan's UTC offset unless they
/// carry their own. Give at most one way of paying: `prepaid_yuan` (with `coins` when paid in
/// coins, which are never refunded), `card_expires` or `uses`; without one the session is
/// postpaid, or, under a monthly-card plan, paid by a card that has not expired.
///
/// Serde form: `{"start": "2024-05-01T22:00", "end": "2024-05-02T01:00", "power_w": 2000.0,
/// "energy_kwh": 6.0, "samples": [{"at_unix_s": ..., "power_w": ...}], "prepaid_yuan": 10.0}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BillRequest {
    /// Start of the session.
    #[serde(deserialize_with = "time_text")]
    pub start: String,
    /// End of the session.
    #[serde(deserialize_with = "time_text")]
    pub end: String,
    /// A constant charging power, when there are no samples.
    #[serde(default, rename = "power_w", skip_serializing_if = "Option::is_none")]
    pub power: Option<Power>,
    /// The energy delivered.
    #[serde(
        default,
        rename = "energy_kwh",
        skip_serializing_if = "Option::is_none"
    )]
    pub energy: Option<Energy>,
    /// Power and energy samples.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub samples: Vec<Sample>,
    /// The amount prepaid; the unused part is refunded.
    #[serde(
        default,
        rename = "prepaid_yuan",
        skip_serializing_if = "Option::is_none"
    )]
    pub prepaid: Option<Money>,
    /// The prepaid amount was paid in coins.
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub coins: bool,
    /// For a monthly-card plan: when the card expires.
    #[serde(
        default,
        deserialize_with = "opt_time_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub card_expires: Option<String>,
    /// For a per-use plan: the uses left on the count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uses: Option<u32>,
}

impl BillRequest {
    /// A postpaid session from `start` to `end` and nothing else.
    pub fn new(start: impl Into<String>, end: impl Into<String>) -> Self {
        Self {
            start: start.into(),
            end: end.into(),
            power: None,
            energy: None,
            samples: Vec::new(),
            prepaid: None,
            coins: false,
            card_expires: None,
            uses: None,
        }
    }

    /// The usage, with times read in `offset`.
    pub fn usage(&self, offset: UtcOffset) -> Result<Usage, Error> {
        let at = |text: &str, field: &str| parse_time(text, offset).map_err(|e| of_field(e, field));
        let mut usage = Usage::new(at(&self.start, "start")?, at(&self.end, "end")?);
        usage.power = self.power;
        usage.energy = self.energy;
        usage.samples = self.samples.clone();
        Ok(usage)
    }

    /// The payment under `plan`.
    pub fn payment(&self, plan: &Plan) -> Result<Payment, Error> {
        let given = [
            self.uses.is_some(),
            self.card_expires.is_some(),
            self.prepaid.is_some(),
        ];
        if given.iter().filter(|&&g| g).count() > 1 {
            return Err(Error::new(
                ErrorKind::InvalidPayment,
                "give one way of paying: uses, card_expires or prepaid",
            ));
        }
        if self.coins && self.prepaid.is_none() {
            return Err(Error::new(
                ErrorKind::InvalidPayment,
                "coins are a prepayment: give the amount prepaid",
            ));
        }
        // Every payment given is passed on: the plan refuses one that does not fit it (a
        // prepayment on a monthly card, say) with the reason. Only a monthly-card plan billed
        // without any payment is taken as paid by a card that has not expired.
        Ok(if let Some(remaining) = self.uses {
            Payment::UseCount { remaining }
        } else if let Some(text) = &self.card_expires {
            Payment::MonthlyCard {
                expires: parse_time(text, plan.utc_offset)
                    .map_err(|e| of_field(e, "card_expires"))?,
            }
        } else {
            match (self.prepaid, self.coins) {
                (Some(amount), true) => Payment::Coins { amount },
                (Some(amount), false) => Payment::Prepaid { amount },
                (None, _) if matches!(plan.pricing, Pricing::MonthlyCard(_)) => {
                    Payment::MonthlyCard { expires: i64::MAX }
                }
                (None, _) => Payment::Postpaid,
            }
        })
    }
}

/// Prices a session under the plan given as canonical JSON (see [`load_plan`]) into an
/// itemised bill.
///
/// ```
/// use pilekit::api::{BillRequest, bill};
///
/// let plan = r#"{"family": "hourly", "yuan_per_hour": 1.0}"#;
/// let b = bill(plan, &BillRequest::new("2024-05-01T08:00", "2024-05-01T09:30"))?;
/// assert_eq!(serde_json::to_value(&b)?["total_yuan"], 1.5);
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
pub fn bill(plan_json: &str, request: &BillRequest) -> Result<Bill, Error> {
    bill_plan(&load_plan(plan_json)?, request)
}

/// [`bill`] under a plan already read. Times in its errors are ISO 8601 in the plan's offset
/// ([`Error::from_tariff`]).
pub fn bill_plan(plan: &Plan, request: &BillRequest) -> Result<Bill, Error> {
    let usage = request.usage(plan.utc_offset)?;
    let payment = request.payment(plan)?;
    plan.bill(&usage, payment)
        .map_err(|e| Error::from_tariff(e, plan.utc_offset))
}

/// Reads samples from text: a JSON array of `{"at_unix_s", "power_w", "energy_kwh"}` objects,
/// or one sample per line, `time,power_w[,energy_kwh]`, with `time` as [`parse_time`] reads it
/// (in `offset`) and `energy_kwh` the energy delivered since the session started. Blank lines,
/// `#` comments and a first line of column names (no digit in its first field) are skipped.
pub fn parse_samples(text: &str, offset: UtcOffset) -> Result<Vec<Sample>, Error> {
    if text.trim_start().starts_with('[') {
        return serde_json::from_str(text)
            .map_err(|e| Error::json(e).context("samples are not valid"));
    }
    let first = text
        .lines()
        .position(|l| !l.split('#').next().unwrap_or("").trim().is_empty())
        .unwrap_or(0);
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let place = format!("samples line {}", n + 1);
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let time = fields.first().copied().unwrap_or("");
        let at = match parse_time(time, offset) {
            Ok(t) => t,
            // a header has no digit where the time belongs (`time`, `at`)
            Err(_) if n == first && !time.bytes().any(|b| b.is_ascii_digit()) => continue,
            Err(e) => return Err(e.context(place)),
        };
        if fields.len() < 2 || fields.len() > 3 {
            return Err(Error::new(
                ErrorKind::InvalidUsage,
                format!("{place}: `{line}` is not `time,power_w[,energy_kwh]`"),
            ));
        }
        let power: Power = fields[1]
            .parse()
            .map_err(|e| Error::from(e).context(&place))?;
        let energy = match fields.get(2) {
            Some(e) if !e.is_empty() => Some(
                e.parse::<Energy>()
                    .map_err(|e| Error::from(e).context(&place))?,
            ),
            _ => None,
        };
        out.push(Sample { at, power, energy });
    }
    Ok(out)
}

/// A time error of a request's field: the field is the request's key, the message says more.
fn of_field(mut e: Error, field: &str) -> Error {
    e.field = Some(field.into());
    e
}

fn time_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = String;
        fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("an ISO-8601 time or Unix seconds")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.into())
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
            Ok(format!("{v}"))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
            Ok(format!("{v}"))
        }
    }
    d.deserialize_any(V)
}

fn opt_time_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    time_text(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    /// examples/plans/tou-residential.json
    const TOU: &str = r#"{"family": "time_of_use",
        "rates": [
            {"class": "sharp", "energy_yuan_per_kwh": 1.1, "service_yuan_per_kwh": 0.4},
            {"class": "peak", "energy_yuan_per_kwh": 0.9, "service_yuan_per_kwh": 0.4},
            {"class": "flat", "energy_yuan_per_kwh": 0.6, "service_yuan_per_kwh": 0.4},
            {"class": "valley", "energy_yuan_per_kwh": 0.3, "service_yuan_per_kwh": 0.4},
            {"class": "deep_valley", "energy_yuan_per_kwh": 0.2, "service_yuan_per_kwh": 0.2}
        ],
        "slots": [
            "valley", "valley", "valley", "valley", "valley", "valley", "valley", "valley",
            "valley", "valley", "valley", "valley", "valley", "valley", "valley", "valley",
            "flat", "flat", "flat", "flat", "peak", "peak", "sharp", "sharp",
            "peak", "peak", "peak", "peak", "peak", "peak", "flat", "flat",
            "flat", "flat", "flat", "flat", "peak", "peak", "peak", "peak",
            "peak", "peak", "flat", "flat", "flat", "flat", "deep_valley", "deep_valley"
        ],
        "rounding": {"stage": "line", "mode": "half_up"}, "utc_offset_s": 28800}"#;
    /// examples/plans/power-tiers.json
    const TIERS: &str = r#"{"family": "power_tiers",
        "tiers": [
            {"max_w": 200, "yuan_per_hour": 0.20}, {"max_w": 300, "yuan_per_hour": 0.25},
            {"max_w": 500, "yuan_per_hour": 0.30}, {"max_w": 800, "yuan_per_hour": 0.60},
            {"max_w": 1000, "yuan_per_hour": 0.90}, {"max_w": 1500, "yuan_per_hour": 1.00},
            {"max_w": 2000, "yuan_per_hour": 1.55}, {"max_w": 2500, "yuan_per_hour": 2.55}
        ],
        "selection": {"policy": "session_peak"}, "billed_by": "minute",
        "rounding": {"stage": "line", "mode": "half_up"}}"#;

    #[test]
    fn plans_refuse_unknown_keys() {
        let err = load_plan(r#"{"family": "hourly", "yuan_per_hour": 0.25, "free_minutes": 5}"#)
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::UnknownKey);
        assert_eq!(err.field.as_deref(), Some("free_minutes"));
        assert_eq!(load_plan("{").unwrap_err().kind, ErrorKind::InvalidJson);
        let err = load_plan(r#"{"family": "hourly", "yuan_per_hour": -1}"#).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidPlan, "{err}");
    }

    #[test]
    fn bills_and_quotes_from_json() {
        let request: BillRequest = serde_json::from_str(
            r#"{"start": "2024-05-01T22:00", "end": "2024-05-02T01:00", "power_w": 2000,
                "prepaid_yuan": 10}"#,
        )
        .unwrap();
        let b = bill(TOU, &request).unwrap();
        assert_eq!(b.total, Money::from_fen(420));
        assert_eq!(b.refund, Money::from_fen(580));
        let unix: BillRequest =
            serde_json::from_str(r#"{"start": 1714572000, "end": 1714582800}"#).unwrap();
        assert_eq!(unix.start, "1714572000");
        let err = bill(
            TIERS,
            &BillRequest {
                power: Some(Power::from_watts(2600)),
                ..BillRequest::new("2024-05-01T08:00", "2024-05-01T09:30")
            },
        )
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Refused);
        assert_eq!(
            err.to_string(),
            "power `2600.0 W` is above the top tier `2500.0 W`"
        );
        let err = bill(
            TOU,
            &BillRequest::new("2024-05-01T22:00", "2024-05-01T25:00"),
        )
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidTime);
        assert_eq!(err.field.as_deref(), Some("end"));
        let q: QuoteRequest =
            serde_json::from_str(r#"{"prepaid_yuan": 1, "power_w": 700}"#).unwrap();
        let quote = quote(TIERS, &q).unwrap();
        assert_eq!(quote.prepaid, Money::YUAN);
    }

    #[test]
    fn samples_parse_from_text_and_json() {
        let text =
            "time,power_w,energy_kwh\n# a comment\n1970-01-01T08:05,120.5,0.01\n\n0,100\n0,100\n";
        let s = parse_samples(text, UtcOffset::CHINA).unwrap();
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].at, 300);
        assert_eq!(s[0].power, Power(1205));
        assert_eq!(s[0].energy, Some(Energy(100)));
        let json = r#"[{"at_unix_s": 60, "power_w": 100.0}]"#;
        assert_eq!(parse_samples(json, UtcOffset::CHINA).unwrap()[0].at, 60);
        assert!(parse_samples("0,abc\n", UtcOffset::CHINA).is_err());
        let with_header = parse_samples("time,power_w\n60,100\n", UtcOffset::CHINA).unwrap();
        assert_eq!(with_header.len(), 1);
        for malformed in ["08:0x,100\n60,100\n", "2024-13-01T08:00,100\n60,100\n"] {
            let err = parse_samples(malformed, UtcOffset::CHINA).unwrap_err();
            assert!(err.message.starts_with("samples line 1:"), "{err}");
        }
    }
}
