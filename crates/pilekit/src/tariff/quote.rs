//! Quotes: what a prepayment buys under a plan, the limit to send with a start command.

use super::TariffError;
use super::bill::{LineKind, Payment};
use super::plan::{Included, PackagePlan, Plan, Pricing, ServiceFee, StartingPricePlan};
use super::rounding::{Rounding, RoundingMode, RoundingStage};
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
    /// Whether the pile is to end the session when the battery is full (packages that say
    /// so; the unused time is refunded pro-rata).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "core::ops::Not::not")
    )]
    pub stop_when_full: bool,
}

impl Plan {
    /// What `prepaid` buys: the longest duration (or, for time-of-use plans and starting prices
    /// that include energy, the most energy)
    /// whose price, with every modifier, is at most the prepayment both before rounding and as
    /// the plan rounds it. Tiered plans need the expected `power`.
    ///
    /// The price before rounding decides, so a limit never includes what the plan's rounding
    /// would forgive: at 1 yuan per 240 minutes by the minute, rounded half-up, 1 yuan buys
    /// 240 minutes (241 minutes cost 1.0042 yuan, which would round to 1.00). The bill of the
    /// quoted limit is rounded as the plan says, and is the quote's `cost`.
    ///
    /// An energy limit holds whichever time-of-use class the energy is drawn in. Free minutes
    /// do not lengthen it (a session that spends the prepayment does not end within them);
    /// a per-minute service fee is counted over the time the energy takes at `power`, which
    /// such plans then need. A prepayment that buys nothing is refused as insufficient.
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
            stop_when_full: matches!(
                self.pricing,
                Pricing::Package(PackagePlan {
                    stop_when_full: true,
                    ..
                })
            ),
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
                // the rates are the plan's whatever the day (a calendar only moves the classes)
                let (table, _) = t.day_tables()?;
                let per_minute_fee = matches!(self.service_fee, Some(ServiceFee::PerMinute(_)));
                // only a per-minute fee makes the time the energy takes matter
                let power = match power {
                    _ if !per_minute_fee => None,
                    Some(p) if p.0 > 0 => Some(p),
                    _ => return Err(TariffError::MissingPower),
                };
                let mut energy_plan = uncapped.clone();
                energy_plan.free_minutes = 0;
                let classes: alloc::vec::Vec<usize> =
                    (0..5).filter(|&i| table.rates[i].is_some()).collect();
                let cost_of = |e: i64| -> Result<Price, TariffError> {
                    // the time the energy takes at the given power, for per-minute fees
                    let duration = match power {
                        Some(p) => ceil_div(i128::from(e) * 3600, i128::from(p.0)),
                        None => 0,
                    };
                    let duration = i64::try_from(duration).map_err(|_| TariffError::Overflow)?;
                    let mut worst = Price::ZERO;
                    for &class_index in &classes {
                        let mut class = [Energy::ZERO; 5];
                        class[class_index] = Energy(e);
                        let usage = Usage {
                            class_energy: Some(class),
                            ..Usage::new(0, duration)
                        };
                        worst = worst.max(price(&energy_plan, &usage)?);
                    }
                    Ok(worst)
                };
                let (e, cost) = search(MAX_QUOTE_ENERGY.0, prepaid, cost_of)?;
                Ok(quote(Limit::Energy { energy: Energy(e) }, cost))
            }
            Pricing::StartingPrice(StartingPricePlan {
                then: Included::Energy { .. },
                ..
            }) => {
                // as for time of use: the most energy, free minutes not lengthening it, a
                // per-minute fee counted over the time the energy takes at `power`
                let per_minute_fee = matches!(self.service_fee, Some(ServiceFee::PerMinute(_)));
                let power = match power {
                    _ if !per_minute_fee => None,
                    Some(p) if p.0 > 0 => Some(p),
                    _ => return Err(TariffError::MissingPower),
                };
                let mut energy_plan = uncapped.clone();
                energy_plan.free_minutes = 0;
                let cost_of = |e: i64| -> Result<Price, TariffError> {
                    let duration = match power {
                        Some(p) => ceil_div(i128::from(e) * 3600, i128::from(p.0)),
                        None => 0,
                    };
                    let duration = i64::try_from(duration).map_err(|_| TariffError::Overflow)?;
                    price(
                        &energy_plan,
                        &Usage::new(0, duration).with_energy(Energy(e)),
                    )
                };
                let (e, cost) = search(MAX_QUOTE_ENERGY.0, prepaid, cost_of)?;
                Ok(quote(Limit::Energy { energy: Energy(e) }, cost))
            }
            Pricing::FixedBlock(_)
            | Pricing::Hourly(_)
            | Pricing::PowerTiers(_)
            | Pricing::StartingPrice(_) => {
                if matches!(self.pricing, Pricing::PowerTiers(_)) && power.is_none() {
                    return Err(TariffError::MissingPower);
                }
                let cost_of = |d: i64| -> Result<Price, TariffError> {
                    let mut usage = Usage::new(0, d);
                    usage.power = power;
                    price(plan, &usage)
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

/// What a session costs for a quote: the price before rounding (each line to 0.0001 yuan,
/// rounded up, so nothing is forgiven) and the bill as the plan rounds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Price {
    /// The larger of the two: what must fit the prepayment.
    bound: Money,
    /// The bill's total, as the plan rounds it.
    billed: Money,
}

impl Price {
    const ZERO: Price = Price {
        bound: Money::ZERO,
        billed: Money::ZERO,
    };
    const TOO_HIGH: Price = Price {
        bound: Money(i64::MAX),
        billed: Money(i64::MAX),
    };
}

/// The price of `usage` under `plan`, postpaid.
fn price(plan: &Plan, usage: &Usage) -> Result<Price, TariffError> {
    let billed = plan.bill(usage, Payment::Postpaid)?.total;
    let mut exact_plan = plan.clone();
    exact_plan.rounding = Rounding {
        stage: RoundingStage::Total,
        mode: RoundingMode::Up,
    };
    let bill = exact_plan.bill(usage, Payment::Postpaid)?;
    let unrounded = Money(bill.total.0 - bill.sum_of(LineKind::Rounding).0);
    Ok(Price {
        bound: unrounded.max(billed),
        billed,
    })
}

/// `num / den` rounded up, for a positive `den`.
fn ceil_div(num: i128, den: i128) -> i128 {
    let q = num.div_euclid(den);
    if num.rem_euclid(den) == 0 { q } else { q + 1 }
}

/// The largest `x` in `0..=max` whose price is within `budget`, for a price that does not
/// decrease with `x`, and the bill of `x`. A price too large to compute (or a session too long
/// to bill) is above any budget;
/// a budget that buys nothing at all (`x = 0` included, or `x = 1` when nothing is free) is
/// insufficient.
fn search(
    max: i64,
    budget: Money,
    cost: impl Fn(i64) -> Result<Price, TariffError>,
) -> Result<(i64, Money), TariffError> {
    let cost = |x: i64| match cost(x) {
        Err(TariffError::Overflow | TariffError::SessionTooLong { .. }) => Ok(Price::TOO_HIGH),
        other => other,
    };
    let at_zero = cost(0)?;
    if at_zero.bound > budget {
        return Err(TariffError::InsufficientPrepaid {
            prepaid: budget,
            price: at_zero.bound,
        });
    }
    let at_max = cost(max)?;
    if at_max.bound <= budget {
        return Ok((max, at_max.billed));
    }
    let (mut lo, mut lo_cost, mut hi) = (0i64, at_zero, max);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        let c = cost(mid)?;
        if c.bound <= budget {
            lo = mid;
            lo_cost = c;
        } else {
            hi = mid;
        }
    }
    if lo == 0 {
        // nothing but an empty session fits: the prepayment buys nothing
        return Err(TariffError::InsufficientPrepaid {
            prepaid: budget,
            price: cost(1)?.bound,
        });
    }
    Ok((lo, lo_cost.billed))
}
