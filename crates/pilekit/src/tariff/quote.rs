//! Quotes: what a prepayment buys under a plan, the limit to send with a start command.

use super::TariffError;
use super::bill::Payment;
use super::plan::{Plan, Pricing};
use super::usage::Usage;
use crate::units::{Energy, Money, Power, Seconds};

/// The longest duration a quote searches: one year.
pub const MAX_QUOTE_DURATION_S: u32 = 366 * 86_400;

/// The most energy a quote searches: 100 MWh.
pub const MAX_QUOTE_ENERGY: Energy = Energy(1_000_000_000);

/// The limit a prepayment buys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "limit", rename_all = "snake_case"))]
pub enum Limit {
    /// Charge for at most this long.
    Duration {
        /// The duration.
        #[cfg_attr(feature = "serde", serde(rename = "duration_s"))]
        duration: Seconds,
    },
    /// Charge at most this much energy.
    Energy {
        /// The energy.
        #[cfg_attr(feature = "serde", serde(rename = "energy_kwh"))]
        energy: Energy,
    },
    /// A monthly card valid this many days.
    CardDays {
        /// Days of validity.
        days: u32,
        /// The longest session the card covers, if limited.
        #[cfg_attr(
            feature = "serde",
            serde(
                default,
                rename = "max_session_s",
                skip_serializing_if = "Option::is_none"
            )
        )]
        max_session: Option<Seconds>,
    },
    /// A number of uses.
    Uses {
        /// How many sessions.
        uses: u32,
        /// The longest session one use covers, if limited.
        #[cfg_attr(
            feature = "serde",
            serde(
                default,
                rename = "max_session_s",
                skip_serializing_if = "Option::is_none"
            )
        )]
        max_session: Option<Seconds>,
    },
}

/// The answer to "what does this prepayment buy?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Quote {
    /// The prepayment.
    #[cfg_attr(feature = "serde", serde(rename = "prepaid_yuan"))]
    pub prepaid: Money,
    /// The limit it buys.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub limit: Limit,
    /// What a session that reaches the limit costs (at most the prepayment).
    #[cfg_attr(feature = "serde", serde(rename = "cost_yuan"))]
    pub cost: Money,
    /// The power the quote assumed, for tiered plans.
    #[cfg_attr(
        feature = "serde",
        serde(default, rename = "power_w", skip_serializing_if = "Option::is_none")
    )]
    pub power: Option<Power>,
}

impl Plan {
    /// What `prepaid` buys: the longest duration (or, for energy plans, the most energy at the
    /// dearest class) whose bill, with every modifier and the plan's rounding, is at most the
    /// prepayment. Tiered plans need the expected `power`.
    ///
    /// The limit includes what the plan's rounding forgives: at 1 yuan per 240 minutes by the
    /// minute, rounded half-up, 1 yuan buys 241 minutes (241/240 yuan = 1.0042 → 1.00).
    pub fn quote(&self, prepaid: Money, power: Option<Power>) -> Result<Quote, TariffError> {
        self.validate()?;
        super::bill::check_prepaid(prepaid)?;
        if power.is_some_and(|p| p.0 < 0) {
            return Err(TariffError::NegativeUsage { what: "power" });
        }
        let mut uncapped = self.clone();
        uncapped.cap_at_prepaid = false;
        let plan = &uncapped;
        let quote = |limit, cost| Quote {
            prepaid,
            limit,
            cost,
            power,
        };
        let max_session = |m: u32| (m != 0).then_some(Seconds(m.saturating_mul(60)));
        match &self.pricing {
            Pricing::Package(p) => {
                let full = u32::try_from(u64::from(p.minutes) * 60).unwrap_or(u32::MAX);
                let cost = plan
                    .bill(&Usage::new(0, i64::from(full)), Payment::Postpaid)?
                    .total;
                if prepaid < cost.max(p.price) {
                    return Err(TariffError::InsufficientPrepaid {
                        prepaid,
                        price: cost.max(p.price),
                    });
                }
                Ok(quote(
                    Limit::Duration {
                        duration: Seconds(full),
                    },
                    cost,
                ))
            }
            Pricing::MonthlyCard(p) => {
                if p.price.0 == 0 || prepaid < p.price {
                    return Err(TariffError::InsufficientPrepaid {
                        prepaid,
                        price: p.price,
                    });
                }
                let cards = prepaid.0 / p.price.0;
                let days = u32::try_from(cards)
                    .unwrap_or(u32::MAX)
                    .saturating_mul(p.days);
                Ok(quote(
                    Limit::CardDays {
                        days,
                        max_session: max_session(p.max_session_minutes),
                    },
                    Money(cards * p.price.0),
                ))
            }
            Pricing::PerUse(p) => {
                if p.price.0 == 0 || prepaid < p.price {
                    return Err(TariffError::InsufficientPrepaid {
                        prepaid,
                        price: p.price,
                    });
                }
                let uses = prepaid.0 / p.price.0;
                Ok(quote(
                    Limit::Uses {
                        uses: u32::try_from(uses).unwrap_or(u32::MAX),
                        max_session: max_session(p.max_session_minutes),
                    },
                    Money(uses * p.price.0),
                ))
            }
            Pricing::TimeOfUse(t) => {
                let table = t.table()?;
                // The class with the highest energy + service rate; of equals, the last.
                let dearest = (0..5)
                    .filter_map(|i| table.rates[i].map(|(e, s)| (i, e.0 + s.0)))
                    .max_by_key(|&(_, r)| r)
                    .map_or(0, |(i, _)| i);
                let cost_of = |e: i64| -> Result<Money, TariffError> {
                    let mut class = [Energy::ZERO; 5];
                    class[dearest] = Energy(e);
                    let usage = Usage {
                        class_energy: Some(class),
                        ..Usage::new(0, 0)
                    };
                    Ok(plan.bill(&usage, Payment::Postpaid)?.total)
                };
                let (e, cost) = search(MAX_QUOTE_ENERGY.0, prepaid, cost_of)?;
                Ok(quote(Limit::Energy { energy: Energy(e) }, cost))
            }
            Pricing::FixedBlock(_) | Pricing::Hourly(_) | Pricing::PowerTiers(_) => {
                if matches!(self.pricing, Pricing::PowerTiers(_)) && power.is_none() {
                    return Err(TariffError::MissingPower);
                }
                let cost_of = |d: i64| -> Result<Money, TariffError> {
                    let mut usage = Usage::new(0, d);
                    usage.power = power;
                    Ok(plan.bill(&usage, Payment::Postpaid)?.total)
                };
                let (d, cost) = search(i64::from(MAX_QUOTE_DURATION_S), prepaid, cost_of)?;
                Ok(quote(
                    Limit::Duration {
                        duration: Seconds(u32::try_from(d).unwrap_or(MAX_QUOTE_DURATION_S)),
                    },
                    cost,
                ))
            }
        }
    }
}

/// The largest `x` in `0..=max` with `cost(x) <= budget`, for a non-decreasing `cost`. A cost
/// too large to compute is above any budget.
fn search(
    max: i64,
    budget: Money,
    cost: impl Fn(i64) -> Result<Money, TariffError>,
) -> Result<(i64, Money), TariffError> {
    let cost = |x: i64| match cost(x) {
        Err(TariffError::Overflow) => Ok(Money(i64::MAX)),
        other => other,
    };
    let at_zero = cost(0)?;
    if at_zero > budget {
        return Err(TariffError::InsufficientPrepaid {
            prepaid: budget,
            price: at_zero,
        });
    }
    let at_max = cost(max)?;
    if at_max <= budget {
        return Ok((max, at_max));
    }
    let (mut lo, mut lo_cost, mut hi) = (0i64, at_zero, max);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        let c = cost(mid)?;
        if c <= budget {
            lo = mid;
            lo_cost = c;
        } else {
            hi = mid;
        }
    }
    Ok((lo, lo_cost))
}
