//! Plans: what a session costs, as data a platform stores and a browser edits.

use alloc::string::String;
use alloc::vec::Vec;

use super::TariffError;
use super::block::{BlockPrice, TimeUnit};
use super::rounding::Rounding;
use super::tiers::TierPlan;
use super::tou::{TouClass, TouPlan, TouRate, TouTable};
use crate::time::UtcOffset;
use crate::units::{Energy, EnergyPrice, Money, Power};

/// The largest UTC offset a plan may declare, in seconds: 18 hours.
pub const MAX_UTC_OFFSET_S: u32 = 18 * 3600;

/// Fixed price per block of minutes ("1 yuan buys 4 hours").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FixedBlockPlan {
    /// The block and its price.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub block: BlockPrice,
    /// How the duration is counted: `minute` is pro-rata by the minute, `block` per started
    /// block.
    #[cfg_attr(feature = "serde", serde(default))]
    pub billed_by: TimeUnit,
}

/// A rate per hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HourlyPlan {
    /// The price of one hour.
    #[cfg_attr(feature = "serde", serde(rename = "yuan_per_hour"))]
    pub rate: Money,
    /// How the duration is counted: pro-rata (`second`, `minute`) or per started `half_hour`
    /// or `hour`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub billed_by: TimeUnit,
}

/// A fixed price for a fixed time (套餐, "120 minutes for 5 yuan"): charged in full when used
/// up, never charged above the price (a pile that stops late costs nothing more).
///
/// The refund rule: a session that ends before the package time is up, for whatever reason —
/// the battery full, unplugged, stopped by the user or by a fault — is charged pro-rata by the
/// second used (`price × seconds used ÷ package seconds`, rounded as the plan says) and the
/// rest of a prepayment is refunded. The bill cannot tell the reasons apart, and the rule is
/// the same for all of them, so `stop_when_full` does not change a bill: it tells the pile to
/// end the session when the battery is full (the quote carries it to the start command)
/// rather than hold the socket, float-charging, until the time is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PackagePlan {
    /// The package price.
    #[cfg_attr(feature = "serde", serde(rename = "price_yuan"))]
    pub price: Money,
    /// The time it buys, in minutes.
    #[cfg_attr(feature = "serde", serde(rename = "duration_min"))]
    pub minutes: u32,
    /// Whether the pile ends the session when the battery is full (the unused time is then
    /// refunded pro-rata, as for any early stop); otherwise it holds the session to the end of
    /// the package time.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "core::ops::Not::not")
    )]
    pub stop_when_full: bool,
}

/// A monthly card (包月): sessions within the card's validity cost nothing more, within its
/// limits.
///
/// The limits: `uses_per_day` sessions a local day (of the plan's UTC offset; the caller
/// counts the card's earlier sessions of the day, see [`Plan::bill_card_use`]),
/// `max_session_min` minutes a use (the pile stops there: the card covers that much), and
/// `max_power_w`, a power above which the card does not apply (the session's peak decides; a
/// session without a known power is covered). A session beyond the daily uses or the power
/// falls back to the pay-per-use plan given in `fallback`, billed postpaid as that plan says;
/// without a fallback it is refused ([`TariffError::CardDailyUses`],
/// [`TariffError::CardPowerAbove`]). That is the card's declared choice.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MonthlyCardPlan {
    /// The price of the card.
    #[cfg_attr(feature = "serde", serde(rename = "price_yuan"))]
    pub price: Money,
    /// How many days a card bought at that price is valid.
    pub days: u32,
    /// The longest session the card covers, in minutes (the pile stops there); 0 for no limit.
    #[cfg_attr(feature = "serde", serde(default, rename = "max_session_min"))]
    pub max_session_minutes: u32,
    /// The sessions the card covers in a local day; 0 for no limit.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_zero"))]
    pub uses_per_day: u32,
    /// The power above which the card does not apply; none for no limit.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            rename = "max_power_w",
            skip_serializing_if = "Option::is_none"
        )
    )]
    pub max_power: Option<Power>,
    /// The pay-per-use plan a session beyond the card's limits is billed by; none to refuse
    /// such a session. It may not be a monthly card itself.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub fallback: Option<alloc::boxed::Box<Plan>>,
}

/// A price per use (计次).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PerUsePlan {
    /// The price of one session.
    #[cfg_attr(feature = "serde", serde(rename = "price_yuan"))]
    pub price: Money,
    /// The longest session one use covers, in minutes; 0 for no limit.
    #[cfg_attr(feature = "serde", serde(default, rename = "max_session_min"))]
    pub max_session_minutes: u32,
}

/// A starting price (起步价): the start of a session costs a fixed price that covers its first
/// minutes or its first kWh; what the session uses beyond them is priced at a rate. "1 yuan
/// covers the first 2 hours, then 0.5 yuan per hour"; "2 yuan cover the first 2 kWh, then
/// 0.80 yuan per kWh".
///
/// The starting price is charged in full for any session (free minutes aside); a session that
/// stays within the included part costs just that.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StartingPricePlan {
    /// The starting price.
    #[cfg_attr(feature = "serde", serde(rename = "start_price_yuan"))]
    pub price: Money,
    /// What the starting price includes, and the rate beyond it.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub then: Included,
}

/// What a starting price includes, and how what goes beyond it is priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum Included {
    /// The first minutes of the session; the time beyond them at a rate per hour.
    Time {
        /// The minutes included.
        #[cfg_attr(feature = "serde", serde(rename = "included_min"))]
        minutes: u32,
        /// The price of an hour beyond them.
        #[cfg_attr(feature = "serde", serde(rename = "then_yuan_per_hour"))]
        rate: Money,
        /// How the time beyond the included minutes is counted, from their end: pro-rata
        /// (`second`, `minute`) or per started `half_hour` or `hour` (`block` is an hour).
        #[cfg_attr(feature = "serde", serde(default))]
        billed_by: TimeUnit,
    },
    /// The first energy of the session; the energy beyond it at a rate per kWh.
    Energy {
        /// The energy included.
        #[cfg_attr(feature = "serde", serde(rename = "included_kwh"))]
        energy: Energy,
        /// The price of a kWh beyond it.
        #[cfg_attr(feature = "serde", serde(rename = "then_yuan_per_kwh"))]
        rate: EnergyPrice,
    },
}

impl StartingPricePlan {
    /// Checks the plan: no negative price, rate or included energy.
    pub fn validate(&self) -> Result<(), TariffError> {
        non_negative(self.price, "starting price")?;
        match self.then {
            Included::Time { rate, .. } => non_negative(rate, "rate after the starting price"),
            Included::Energy { energy, rate } => {
                if rate.0 < 0 {
                    return Err(TariffError::NegativePrice {
                        what: "rate after the starting price",
                    });
                }
                if energy.0 < 0 {
                    return Err(TariffError::NegativePrice {
                        what: "included energy",
                    });
                }
                Ok(())
            }
        }
    }
}

/// The pricing family of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "family", rename_all = "snake_case"))]
pub enum Pricing {
    /// Fixed price per block of minutes.
    FixedBlock(FixedBlockPlan),
    /// A rate per hour.
    Hourly(HourlyPlan),
    /// An hourly price by power tier.
    PowerTiers(TierPlan),
    /// Energy and service rates by time-of-use class.
    TimeOfUse(TouPlan),
    /// A fixed price for a fixed time.
    Package(PackagePlan),
    /// A monthly card.
    MonthlyCard(MonthlyCardPlan),
    /// A price per use.
    PerUse(PerUsePlan),
    /// A starting price that covers the first minutes or kWh, then a rate.
    StartingPrice(StartingPricePlan),
}

impl Pricing {
    /// The family, as plan files spell it (`fixed_block`, `time_of_use`, …).
    pub fn family(&self) -> &'static str {
        super::bill::family_name(self)
    }
}

/// A service fee charged on top of the family's price, on its own line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ServiceFee {
    /// Per kWh delivered (needs the session's energy).
    #[cfg_attr(feature = "serde", serde(rename = "yuan_per_kwh"))]
    PerKwh(EnergyPrice),
    /// Per started minute of the session.
    #[cfg_attr(feature = "serde", serde(rename = "yuan_per_min"))]
    PerMinute(Money),
    /// Per kWh at a rate of each power tier (power-tier plans only): one rate per tier, lowest
    /// first; the energy of each tier is the one its electricity is priced by (see
    /// [`TierPlan`](super::tiers::TierPlan)).
    #[cfg_attr(feature = "serde", serde(rename = "per_tier_yuan_per_kwh"))]
    PerTierKwh(Vec<EnergyPrice>),
    /// Per kWh at the rate of the time-of-use class the energy was delivered in (any family
    /// that knows the session's energy, e.g. power tiers with time-of-use service fees).
    #[cfg_attr(feature = "serde", serde(rename = "time_of_use"))]
    TimeOfUse(TouServiceFee),
}

/// Service rates by time-of-use class over the 48 half-hour slots of the local day.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TouServiceFee {
    /// The service rate of each class used, one entry per class.
    pub rates: Vec<TouServiceRate>,
    /// The class of each half-hour slot of the local day; exactly 48 entries.
    pub slots: Vec<TouClass>,
}

/// The service rate of one time-of-use class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TouServiceRate {
    /// The class.
    pub class: TouClass,
    /// Service fee per kWh.
    #[cfg_attr(feature = "serde", serde(rename = "service_yuan_per_kwh"))]
    pub service: EnergyPrice,
}

impl TouServiceFee {
    /// The fee as a time-of-use table (its energy rates zero), validated as a time-of-use
    /// plan is: 48 slots, each class once, a rate for every slot's class, no negative rate.
    pub fn table(&self) -> Result<TouTable, TariffError> {
        TouPlan {
            rates: self
                .rates
                .iter()
                .map(|r| TouRate {
                    class: r.class,
                    energy: EnergyPrice(0),
                    service: r.service,
                })
                .collect(),
            slots: self.slots.clone(),
            calendar: None,
        }
        .table()
    }
}

#[cfg(feature = "serde")]
fn default_true() -> bool {
    true
}

#[cfg(feature = "serde")]
fn is_true(b: &bool) -> bool {
    *b
}

#[cfg(feature = "serde")]
fn is_zero(v: &u32) -> bool {
    *v == 0
}

#[cfg(feature = "serde")]
fn is_china(o: &UtcOffset) -> bool {
    *o == UtcOffset::CHINA
}

/// A tariff plan: a pricing family, its modifiers, the declared rounding and the local time
/// offset of its time-of-use slots.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Plan {
    /// A name for people, e.g. "1 yuan buys 4 hours".
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "String::is_empty")
    )]
    pub name: String,
    /// The pricing family and its parameters.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub pricing: Pricing,
    /// A service fee on top of the family's price (time-of-use plans carry their own).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub service_fee: Option<ServiceFee>,
    /// Free minutes: the whole session is free if it ends within them.
    #[cfg_attr(
        feature = "serde",
        serde(default, rename = "free_min", skip_serializing_if = "is_zero")
    )]
    pub free_minutes: u32,
    /// A minimum for the electricity line(s); service fees never pad it.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            rename = "minimum_yuan",
            skip_serializing_if = "Option::is_none"
        )
    )]
    pub minimum: Option<Money>,
    /// A ceiling on the total of any session.
    #[cfg_attr(
        feature = "serde",
        serde(default, rename = "cap_yuan", skip_serializing_if = "Option::is_none")
    )]
    pub cap: Option<Money>,
    /// Whether a prepaid session is never charged more than was prepaid.
    #[cfg_attr(
        feature = "serde",
        serde(default = "default_true", skip_serializing_if = "is_true")
    )]
    pub cap_at_prepaid: bool,
    /// Where and how amounts are rounded to the fen.
    #[cfg_attr(feature = "serde", serde(default))]
    pub rounding: Rounding,
    /// The offset of the local time the time-of-use slots are in (default UTC+8).
    #[cfg_attr(
        feature = "serde",
        serde(default, rename = "utc_offset_s", skip_serializing_if = "is_china")
    )]
    pub utc_offset: UtcOffset,
}

impl Plan {
    /// A plan of `pricing` with no modifiers, each line rounded half-up to the fen, capped at
    /// the prepaid amount, in China time.
    pub fn new(pricing: Pricing) -> Plan {
        Plan {
            name: String::new(),
            pricing,
            service_fee: None,
            free_minutes: 0,
            minimum: None,
            cap: None,
            cap_at_prepaid: true,
            rounding: Rounding::default(),
            utc_offset: UtcOffset::CHINA,
        }
    }

    /// Checks that the plan can price sessions: positive durations, ordered tiers, 48 slots
    /// with a rate for every class used, no negative price.
    pub fn validate(&self) -> Result<(), TariffError> {
        match &self.pricing {
            Pricing::PowerTiers(p) => p.validate()?,
            Pricing::TimeOfUse(p) => p.validate()?,
            _ => self.validate_simple_family()?,
        }
        self.validate_modifiers()
    }

    /// Checks the families whose checks are cheap (all but tiers and time of use).
    pub(crate) fn validate_simple_family(&self) -> Result<(), TariffError> {
        match &self.pricing {
            Pricing::FixedBlock(p) => p.block.validate(),
            Pricing::Hourly(p) => non_negative(p.rate, "hourly rate"),
            Pricing::Package(p) => {
                non_negative(p.price, "package price")?;
                if p.minutes == 0 {
                    return Err(TariffError::ZeroDuration { what: "package" });
                }
                Ok(())
            }
            Pricing::MonthlyCard(p) => {
                non_negative(p.price, "card price")?;
                if let Some(max) = p.max_power
                    && max.0 <= 0
                {
                    return Err(TariffError::NegativePrice {
                        what: "card power limit",
                    });
                }
                match &p.fallback {
                    Some(f) if matches!(f.pricing, Pricing::MonthlyCard(_)) => {
                        Err(TariffError::ModifierNotApplicable {
                            modifier: "fallback",
                            family: "monthly_card",
                        })
                    }
                    Some(f) => f.validate(),
                    None => Ok(()),
                }
            }
            Pricing::PerUse(p) => non_negative(p.price, "price per use"),
            Pricing::StartingPrice(p) => p.validate(),
            Pricing::PowerTiers(_) | Pricing::TimeOfUse(_) => Ok(()),
        }
    }

    /// Checks the modifiers: no negative service fee, minimum or cap; a cap and a minimum in
    /// whole fen (a bill's total is money paid, in fen); a
    /// minimum only where the family has electricity lines it can pad (not on a package, which
    /// is never charged above its price, nor on a monthly card or a per-use price, which are
    /// prices of their own); a UTC offset within ±18 hours.
    pub(crate) fn validate_modifiers(&self) -> Result<(), TariffError> {
        if self.utc_offset.0.unsigned_abs() > MAX_UTC_OFFSET_S {
            return Err(TariffError::UtcOffsetOutOfRange {
                offset_s: self.utc_offset.0,
            });
        }
        if self.minimum.is_some()
            && matches!(
                self.pricing,
                Pricing::Package(_) | Pricing::MonthlyCard(_) | Pricing::PerUse(_)
            )
        {
            return Err(TariffError::ModifierNotApplicable {
                modifier: "minimum_yuan",
                family: super::bill::family_name(&self.pricing),
            });
        }
        for (what, amount) in [("cap", self.cap), ("minimum charge", self.minimum)] {
            if let Some(amount) = amount
                && amount.0 % 100 != 0
            {
                return Err(TariffError::NotWholeFen { what, amount });
            }
        }
        match &self.service_fee {
            Some(ServiceFee::PerKwh(p)) if p.0 < 0 => {
                return Err(TariffError::NegativePrice {
                    what: "service fee",
                });
            }
            Some(ServiceFee::PerMinute(m)) => non_negative(*m, "service fee")?,
            Some(ServiceFee::PerTierKwh(rates)) => {
                let tiers = match &self.pricing {
                    Pricing::PowerTiers(p) => p.tiers.len(),
                    _ => 0,
                };
                if tiers == 0 || rates.len() != tiers {
                    return Err(TariffError::TierServiceMismatch {
                        rates: rates.len(),
                        tiers,
                    });
                }
                if rates.iter().any(|r| r.0 < 0) {
                    return Err(TariffError::NegativePrice {
                        what: "service fee",
                    });
                }
            }
            Some(ServiceFee::TimeOfUse(t)) => {
                t.table()?;
            }
            _ => {}
        }
        if let Some(m) = self.minimum {
            non_negative(m, "minimum charge")?;
        }
        if let Some(c) = self.cap {
            non_negative(c, "cap")?;
        }
        Ok(())
    }
}

fn non_negative(m: Money, what: &'static str) -> Result<(), TariffError> {
    if m.0 < 0 {
        Err(TariffError::NegativePrice { what })
    } else {
        Ok(())
    }
}
