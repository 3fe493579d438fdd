//! Power-tier (分档) time pricing: up to eight power bands with a price per hour each (or a time
//! ratio of a base block), a refusal above the top band, and an explicit tier-selection policy.

use alloc::vec::Vec;

use super::TariffError;
use super::plan::{BlockPrice, TimeUnit};
use crate::units::{Money, Power};

/// Most tiers a plan may have (JUY and WSD piles have eight).
pub const MAX_TIERS: usize = 8;

/// The tier fields of the JUY 0x89/0x8A parameter table: billing mode, coin time (minutes),
/// tier powers (W) and tier prices (0.01 yuan per hour, or percent).
pub type JuyTierParams = (u8, u16, [u16; MAX_TIERS], [u16; MAX_TIERS]);

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
    /// in 1–100 with a base block, and an hour in a higher tier never cheaper than in a lower
    /// one (so more power never makes a session cheaper).
    pub fn validate(&self) -> Result<(), TariffError> {
        if self.selection == (TierPolicy::FirstMinutesPeak { minutes: 0 }) {
            return Err(TariffError::ZeroPeakWindow);
        }
        if self.tiers.is_empty() || self.tiers.len() > MAX_TIERS {
            return Err(TariffError::TierCount {
                count: self.tiers.len(),
            });
        }
        let mut last = Power::ZERO;
        for t in &self.tiers {
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
                    match self.base {
                        Some(b) => b.validate()?,
                        None => return Err(TariffError::MissingBase),
                    }
                }
                TierPrice::PerHour(_) => {}
            }
        }
        for (i, pair) in self.tiers.windows(2).enumerate() {
            let (a, b) = (self.rate(i), self.rate(i + 1));
            if b.num * a.den < a.num * b.den {
                return Err(TariffError::TierCheaperThanBelow { power: pair[1].max });
            }
        }
        Ok(())
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
            None => TierRate { num: 0, den: 1 },
        }
    }

    /// Builds a plan from the JUY 0x89/0x8A parameter table: billing mode (0 hourly, 1 amount
    /// with time ratio), coin time in minutes (the base block of mode 1, for 1 yuan), eight tier
    /// powers in W and eight tier prices (0.01 yuan per hour in mode 0, percent in mode 1).
    /// Trailing tiers with power 0 are unused. JUY tiers ratchet up. A non-zero coin time is kept
    /// as the plan's base block (1 yuan per coin time) so it converts back.
    pub fn from_juy_params(
        billing_mode: u8,
        coin_time_min: u16,
        powers_w: [u16; MAX_TIERS],
        prices: [u16; MAX_TIERS],
    ) -> Result<TierPlan, TariffError> {
        let used = powers_w.iter().take_while(|&&p| p != 0).count();
        let mut tiers = Vec::with_capacity(used);
        for i in 0..used {
            let price = match billing_mode {
                0 => TierPrice::PerHour(Money::from_fen(i64::from(prices[i]))),
                1 => TierPrice::TimeRatio(
                    u8::try_from(prices[i])
                        .map_err(|_| TariffError::BadRatio { ratio: u8::MAX })?,
                ),
                m => return Err(TariffError::UnknownBillingMode { mode: m }),
            };
            tiers.push(Tier {
                max: Power::from_watts(i64::from(powers_w[i])),
                price,
            });
        }
        let base = (coin_time_min != 0).then_some(BlockPrice {
            price: Money::YUAN,
            minutes: u32::from(coin_time_min),
        });
        let plan = TierPlan {
            tiers,
            selection: TierPolicy::Ratchet,
            base,
            billed_by: TimeUnit::Second,
        };
        plan.validate()?;
        Ok(plan)
    }

    /// The JUY 0x89/0x8A tier fields of this plan: billing mode, coin time (minutes), tier powers
    /// (W) and prices (0.01 yuan per hour, or percent), unused tiers zero. Fails when the plan
    /// mixes hourly and ratio tiers, a power is not whole watts or above 65535 W, a price is not
    /// whole fen, or a ratio plan's base block is not 1 yuan. Without a 1-yuan base block the coin
    /// time is JUY's default, 240 minutes.
    pub fn to_juy_params(&self) -> Result<JuyTierParams, TariffError> {
        self.validate()?;
        let ratio = matches!(
            self.tiers.first().map(|t| t.price),
            Some(TierPrice::TimeRatio(_))
        );
        let mut powers = [0u16; MAX_TIERS];
        let mut prices = [0u16; MAX_TIERS];
        for (i, t) in self.tiers.iter().enumerate() {
            if t.max.0.rem_euclid(10) != 0 {
                return Err(TariffError::NotRepresentable {
                    what: "tier power",
                    protocol: "juy",
                });
            }
            powers[i] =
                u16::try_from(t.max.whole_watts()).map_err(|_| TariffError::NotRepresentable {
                    what: "tier power",
                    protocol: "juy",
                })?;
            prices[i] = match (t.price, ratio) {
                (TierPrice::PerHour(m), false) => m
                    .as_fen()
                    .and_then(|f| u16::try_from(f).ok())
                    .ok_or(TariffError::NotRepresentable {
                        what: "tier price",
                        protocol: "juy",
                    })?,
                (TierPrice::TimeRatio(r), true) => u16::from(r),
                _ => {
                    return Err(TariffError::NotRepresentable {
                        what: "a mix of hourly and ratio tiers",
                        protocol: "juy",
                    });
                }
            };
        }
        let coin_time = match (ratio, self.base) {
            (true, Some(b)) if b.price == Money::YUAN => {
                u16::try_from(b.minutes).map_err(|_| TariffError::NotRepresentable {
                    what: "coin time",
                    protocol: "juy",
                })?
            }
            (true, _) => {
                return Err(TariffError::NotRepresentable {
                    what: "a base block other than 1 yuan",
                    protocol: "juy",
                });
            }
            (false, Some(b)) if b.price == Money::YUAN => u16::try_from(b.minutes).unwrap_or(240),
            (false, _) => 240,
        };
        Ok((u8::from(ratio), coin_time, powers, prices))
    }
}
