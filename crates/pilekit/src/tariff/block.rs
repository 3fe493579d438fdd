//! Blocks of time and the unit a duration is counted in: the pieces every time-priced family
//! (fixed block, hourly, power tiers) shares.

use super::TariffError;
use crate::units::Money;

/// A price for a block of minutes: "1 yuan buys 240 minutes".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct BlockPrice {
    /// The price of one block.
    #[cfg_attr(feature = "serde", serde(rename = "price_yuan"))]
    pub price: Money,
    /// The length of one block in minutes (at least 1).
    #[cfg_attr(feature = "serde", serde(rename = "block_min"))]
    pub minutes: u32,
}

impl BlockPrice {
    /// Checks the block: positive length, non-negative price.
    pub fn validate(&self) -> Result<(), TariffError> {
        if self.minutes == 0 {
            return Err(TariffError::ZeroDuration { what: "block" });
        }
        if self.price.0 < 0 {
            return Err(TariffError::NegativePrice {
                what: "block price",
            });
        }
        Ok(())
    }

    /// The block length in seconds.
    pub const fn seconds(&self) -> u64 {
        self.minutes as u64 * 60
    }
}

/// The unit a session's duration is counted in before it is priced. Every unit but `second`
/// counts a started unit as a whole one (a session of 61 s is 2 minutes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum TimeUnit {
    /// Exactly pro-rata by the second.
    #[default]
    Second,
    /// Pro-rata by the started minute (YUN `realTimeCharging 0`, "按分钟").
    Minute,
    /// Per started 30 minutes (YUN `realTimeCharging 1`).
    HalfHour,
    /// Per started hour (`is_ceil`, 车充安's "per started hour").
    Hour,
    /// Per started block of the plan (for a fixed-block plan, its block; otherwise an hour).
    Block,
}

impl TimeUnit {
    /// The length of the unit in seconds, given the plan's block length.
    pub const fn seconds(self, block_s: u64) -> u64 {
        match self {
            TimeUnit::Second => 1,
            TimeUnit::Minute => 60,
            TimeUnit::HalfHour => 1800,
            TimeUnit::Hour => 3600,
            TimeUnit::Block => block_s,
        }
    }

    /// `duration_s` rounded up to a whole number of units.
    pub const fn billed(self, duration_s: u64, block_s: u64) -> u64 {
        let u = self.seconds(block_s);
        if u <= 1 {
            duration_s
        } else {
            duration_s.div_ceil(u) * u
        }
    }
}
