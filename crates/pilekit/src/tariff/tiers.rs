//! Power-tier (分档) pricing: up to eight power bands with a price per hour each (or a time
//! ratio of a base block, or a price per kWh of the energy delivered in the band), a refusal
//! above the top band, and an explicit tier-selection policy.

use alloc::vec::Vec;

use super::TariffError;
use super::block::{BlockPrice, TimeUnit};
use crate::units::{EnergyPrice, Money, Power};

/// Most tiers a plan may have (JUY and WSD piles have eight).
pub const MAX_TIERS: usize = 8;

/// One power band: powers up to and including `max` select it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Tier {
    /// The highest power of the band.
    #[cfg_attr(feature = "serde", serde(rename = "max_w"))]
    pub max: Power,
    /// What an hour in this band costs.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub price: TierPrice,
}

/// The price of a tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum TierPrice {
    /// A rate per hour (JUY billing mode 0, "按小时计费").
    #[cfg_attr(feature = "serde", serde(rename = "yuan_per_hour"))]
    PerHour(Money),
    /// A share, in percent (1–100), of the time the plan's base block buys: at 50 % one yuan
    /// buys half as long (JUY billing mode 1, "按金额·比例打折").
    #[cfg_attr(feature = "serde", serde(rename = "time_ratio_pct"))]
    TimeRatio(u8),
    /// A rate per kWh of the energy delivered while the tier applies (e-bike operators that
    /// price energy by power band). A plan's tiers are all priced by energy or all by time.
    #[cfg_attr(feature = "serde", serde(rename = "yuan_per_kwh"))]
    PerKwh(EnergyPrice),
}

impl TierPrice {
    /// Whether the tier prices energy rather than time.
    pub const fn is_energy(self) -> bool {
        matches!(self, TierPrice::PerKwh(_))
    }
}

/// Which power selects the tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "policy", rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub enum TierPolicy {
    /// Each moment is billed at the tier of the highest power seen so far: the tier ratchets up
    /// and never comes down (JUY: "档位为充电过程的最大档位").
    #[default]
    Ratchet,
    /// The whole session is billed at the tier of its peak power (CP `server_max_power`).
    SessionPeak,
    /// The whole session is billed at the tier of the peak within its first minutes (AP3000's
    /// "second maximum power" is the peak of the first 5 minutes).
    FirstMinutesPeak {
        /// The length of the window from the start, in minutes.
        minutes: u32,
    },
    /// The whole session is billed at the tier of its average power (YUN): energy over time
    /// when the energy is known, else the time-weighted average of the samples.
    Average,
    /// Each time slice is billed at the tier of its own power (CP `server_realtime_power`).
    PerSlice,
}

/// Power-tier time pricing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TierPlan {
    /// The bands, lowest first, with strictly increasing `max`; at most [`MAX_TIERS`].
    pub tiers: Vec<Tier>,
    /// Which power selects the tier.
    pub selection: TierPolicy,
    /// The block the time ratios apply to (JUY: one coin, 1 yuan, buys 240 minutes); needed only
    /// by [`TierPrice::TimeRatio`] tiers.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub base: Option<BlockPrice>,
    /// The time unit the session's duration is counted in (extra time from rounding the
    /// duration up goes to the last tier billed).
    #[cfg_attr(feature = "serde", serde(default))]
    pub billed_by: TimeUnit,
}

/// A tier's price reduced to a fraction: `num / den` money units (0.0001 yuan) per second.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TierRate {
    pub(crate) num: i128,
    pub(crate) den: i128,
}

impl TierPlan {
    /// Checks the plan: 1–8 tiers with increasing positive powers, non-negative prices, ratios
    /// in 1–100 with a base block, all tiers priced by time or all by energy, and an hour (or a
    /// kWh) in a higher tier never cheaper than in a lower one (so more power never makes a
    /// session cheaper).
    pub fn validate(&self) -> Result<(), TariffError> {
        if self.selection == (TierPolicy::FirstMinutesPeak { minutes: 0 }) {
            return Err(TariffError::ZeroPeakWindow);
        }
        if self.tiers.is_empty() || self.tiers.len() > MAX_TIERS {
            return Err(TariffError::TierCount {
                count: self.tiers.len(),
            });
        }
        // One pass. Its own faults are reported at once, tier by tier; a mix of prices and a
        // tier cheaper than the one below are reported after it, in that order.
        let by_energy = self.by_energy();
        let mut mixed = false;
        let mut cheaper = None;
        let mut last = Power::ZERO;
        // the base block is checked once, at the first tier that needs it
        let mut base_checked = false;
        let mut below: Option<(usize, TierPrice)> = None;
        for (i, t) in self.tiers.iter().enumerate() {
            if t.max <= last {
                return Err(TariffError::TiersNotIncreasing { power: t.max });
            }
            last = t.max;
            match t.price {
                TierPrice::PerHour(m) if m.0 < 0 => {
                    return Err(TariffError::NegativePrice { what: "tier price" });
                }
                TierPrice::TimeRatio(r) => {
                    if r == 0 || r > 100 {
                        return Err(TariffError::BadRatio { ratio: r });
                    }
                    if !base_checked {
                        match self.base {
                            Some(b) => b.validate()?,
                            None => return Err(TariffError::MissingBase),
                        }
                        base_checked = true;
                    }
                }
                TierPrice::PerKwh(p) if p.0 < 0 => {
                    return Err(TariffError::NegativePrice { what: "tier price" });
                }
                TierPrice::PerHour(_) | TierPrice::PerKwh(_) => {}
            }
            mixed |= t.price.is_energy() != by_energy;
            if let Some((j, price)) = below
                && cheaper.is_none()
                && self.cheaper_than(j, price, i, t.price)
            {
                cheaper = Some(t.max);
            }
            below = Some((i, t.price));
        }
        if mixed {
            return Err(TariffError::TierPricesMixed);
        }
        if let Some(power) = cheaper {
            return Err(TariffError::TierCheaperThanBelow { power });
        }
        Ok(())
    }

    /// Whether tier `i` (priced `b`) is cheaper than tier `j` (priced `a`) below it, for
    /// prices of one kind.
    #[inline]
    fn cheaper_than(&self, j: usize, a: TierPrice, i: usize, b: TierPrice) -> bool {
        match (a, b) {
            // hourly prices compare as they are (the same denominator)
            (TierPrice::PerHour(a), TierPrice::PerHour(b)) => b < a,
            // ratios of one base block: a larger ratio buys more time, so it is cheaper unless
            // the block costs nothing
            (TierPrice::TimeRatio(a), TierPrice::TimeRatio(b)) => {
                b > a && self.base.is_some_and(|base| base.price.0 > 0)
            }
            _ => {
                let (a, b) = (self.rate(j), self.rate(i));
                b.num * a.den < a.num * b.den
            }
        }
    }

    /// Whether the tiers price energy ([`TierPrice::PerKwh`]) rather than time.
    pub fn by_energy(&self) -> bool {
        self.tiers.first().is_some_and(|t| t.price.is_energy())
    }

    /// The top tier's power: anything above it is refused.
    pub fn top(&self) -> Power {
        self.tiers.last().map_or(Power::ZERO, |t| t.max)
    }

    /// The index (0-based) of the tier a power falls in, or the refusal.
    pub fn tier_of(&self, power: Power) -> Result<usize, TariffError> {
        self.tiers
            .iter()
            .position(|t| power <= t.max)
            .ok_or(TariffError::PowerAboveTopTier {
                power,
                top: self.top(),
            })
    }

    pub(crate) fn rate(&self, tier: usize) -> TierRate {
        match self.tiers.get(tier).map(|t| t.price) {
            Some(TierPrice::PerHour(m)) => TierRate {
                num: i128::from(m.0),
                den: 3600,
            },
            Some(TierPrice::TimeRatio(r)) => {
                let base = self.base.unwrap_or(BlockPrice {
                    price: Money::ZERO,
                    minutes: 1,
                });
                TierRate {
                    num: i128::from(base.price.0) * 100,
                    den: i128::from(base.minutes) * 60 * i128::from(r.max(1)),
                }
            }
            // per energy unit (0.0001 kWh): comparable with the other energy tiers only
            Some(TierPrice::PerKwh(p)) => TierRate {
                num: i128::from(p.0),
                den: 100_000,
            },
            None => TierRate { num: 0, den: 1 },
        }
    }
}
