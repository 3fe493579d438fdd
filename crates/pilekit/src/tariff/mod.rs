//! The tariff engine: plans, bills with itemised receipts, quotes and reconciliation.
//!
//! Layer: `tariff` uses no other layer (only the base modules [`units`](crate::units) and
//! [`time`](crate::time)); it knows plans, not protocols. The dialects' billing models convert
//! to and from plans in the `model` layer above (`model::billing`).
//!
//! # Plans
//!
//! A [`Plan`] is data with one canonical serde form. Its [`Pricing`] is one of the families
//! community piles use:
//!
//! | Family | Example | Parameters |
//! |---|---|---|
//! | `fixed_block` | "1 yuan buys 240 minutes" | block price and length; pro-rata by the second or minute, or per started block |
//! | `hourly` | 0.25 yuan per hour | rate; pro-rata, or per started half hour or hour |
//! | `power_tiers` | JUY's 8 gears 200 W … 2500 W; e-bike energy tiers | up to 8 bands with a price per hour, a time ratio, or a price per kWh (all tiers by time or all by energy); refusal above the top band; a [`TierPolicy`] |
//! | `time_of_use` | 尖峰平谷深谷 | up to 5 classes with an energy and a service rate, over 48 half-hour slots of local time: the same every day, or by a [`TouCalendar`] of day tables (weekday, weekend, holiday, make-up working day) and seasons |
//! | `package` | 120 minutes for 5 yuan | price and time; pro-rata refund by the second for any stop before the time is up (battery full included), never above the price; `stop_when_full` tells the pile (through the quote) to end the session when full |
//! | `monthly_card` | 包月 | price and days; sessions cost nothing within the card's validity and limits (uses per day, minutes per use, a power); beyond them a declared `fallback` pay-per-use plan, or a refusal |
//! | `per_use` | 计次 | price per session |
//! | `starting_price` | 起步价: "1 yuan covers the first 2 hours, then 0.5 yuan per hour" | a starting price covering the first minutes (then a rate per hour, counted in a time unit) or the first kWh (then a rate per kWh) |
//!
//! Modifiers apply to every family: a [`ServiceFee`] per kWh, per minute, per kWh at a rate
//! of each power tier (power tiers only), or per kWh at the rate of the time-of-use class the
//! energy was delivered in ([`TouServiceFee`]: tiers combined with time-of-use service fees),
//! on its own lines,
//! free minutes (the whole session is free if it ends within them), a minimum charge on the
//! electricity lines only, a cap, and the cap at the prepaid amount. Time-of-use slots are in
//! the plan's local time (`utc_offset_s`, default UTC+8).
//!
//! A [`PlanHistory`] holds a plan's versions, each valid from a time to the next one's: a
//! session is billed by the version valid at its start, and the bill's `plan_version` names it.
//!
//! # Rounding
//!
//! All arithmetic is on integers: amounts are exact fractions (an energy of 0.0001 kWh times a
//! rate of 0.00001 yuan/kWh is 10⁻⁹ yuan; pro-rata time is a fraction of an hour or a block),
//! computed in `i128`, and rounded only where the plan's [`Rounding`] says: at stage `line`
//! each priced line is rounded to the fen; at stage `total` lines keep 0.0001 yuan and a
//! `rounding` line brings the total to the fen. The mode is half-up, half-even, truncate or up.
//!
//! # Bills
//!
//! [`Plan::bill`] prices a [`Usage`] — start, end, and what is known of power and energy:
//! samples in any order with duplicates, a total energy, or per-class energies from a YKC 0x3B
//! record — paid by a [`Payment`]. The [`Bill`] lists, in order:
//!
//! The energy of each power tier (for tiers priced per kWh and service fees by tier) is the
//! session's energy split in proportion to the power integral of the slices billed at each
//! tier (ratchet and per-slice policies; the whole-session policies put it all in one tier),
//! each share rounded down to 0.0001 kWh and the remainder given to the last tier billed, so
//! the shares add up to the session's energy exactly.
//!
//! 1. priced lines: electricity (by time, per tier, or per time-of-use class), then service
//!    fees, each with quantity, unit price and amount (NDRC 537: electricity and service fee
//!    on separate lines);
//! 2. adjustments: `minimum`, `rounding`, `free_minutes`, `cap`;
//! 3. the total (the sum of the lines), the prepaid amount, the refund, the amount retained
//!    (coins are never refunded) and any amount still due.
//!
//! [`Plan::quote`] answers the inverse question (what a prepayment buys) and [`reconcile`]
//! compares a pile's reported amount with the bill, allowing for the pile's own rounding
//! (`model::billing::reconcile_ykc`, in the layer above, for the YKC pile's own
//! arithmetic: per class, combined rate, truncated).
//!
//! ```
//! use pilekit::tariff::{BlockPrice, FixedBlockPlan, Payment, Plan, Pricing, TimeUnit, Usage};
//! use pilekit::Money;
//!
//! let plan = Plan::new(Pricing::FixedBlock(FixedBlockPlan {
//!     block: BlockPrice { price: Money::YUAN, minutes: 240 },
//!     billed_by: TimeUnit::Minute,
//! }));
//! let bill = plan.bill(&Usage::new(0, 70 * 60), Payment::Prepaid { amount: Money::YUAN })?;
//! assert_eq!(bill.total, Money::from_fen(29));
//! assert_eq!(bill.refund, Money::from_fen(71));
//! # Ok::<(), pilekit::tariff::TariffError>(())
//! ```

mod bill;
mod block;
mod calendar;
mod history;
#[cfg(feature = "serde")]
mod keys;
mod plan;
mod quote;
mod reconcile;
mod rounding;
mod tiers;
mod tou;
mod usage;

pub use bill::{Bill, Line, LineKind, Payment, Quantity, Subtotal, UnitPrice};
pub use block::{BlockPrice, TimeUnit};
pub use calendar::{DayType, Season, TouCalendar};
pub use history::{PlanHistory, PlanVersion};
#[cfg(feature = "serde")]
pub use keys::PlanKeys;
pub use plan::{
    FixedBlockPlan, HourlyPlan, Included, MAX_UTC_OFFSET_S, MonthlyCardPlan, PackagePlan,
    PerUsePlan, Plan, Pricing, ServiceFee, StartingPricePlan, TouServiceFee, TouServiceRate,
};
pub use quote::{Limit, MAX_QUOTE_DURATION_S, MAX_QUOTE_ENERGY, Quote};
pub use reconcile::{Reconciliation, reconcile};
pub use rounding::{Rounding, RoundingMode, RoundingStage};
pub use tiers::{MAX_TIERS, Tier, TierPlan, TierPolicy, TierPrice};
pub use tou::{SLOTS, TouClass, TouPlan, TouRate, TouTable};
pub use usage::{MAX_SESSION_S, MAX_TIME_UNIX_S, MIN_TIME_UNIX_S, Sample, Usage};

use crate::units::{Energy, Money, Power};

/// Why a plan could not be used or a session could not be priced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TariffError {
    /// A power-tier plan mixes tiers priced by time with tiers priced by energy.
    #[error("a plan's tiers are all priced per kWh or all by time, not a mix")]
    TierPricesMixed,
    /// A service fee by tier whose rates do not match the plan's tiers one to one, or on a
    /// plan without tiers.
    #[error("a service fee by tier needs one rate per tier: `{rates}` rates for `{tiers}` tiers")]
    TierServiceMismatch {
        /// The rates given.
        rates: usize,
        /// The plan's tiers (0 when the plan has none).
        tiers: usize,
    },
    /// A power above the plan's top tier: the plan refuses the session.
    #[error("power `{power}` is above the top tier `{top}`")]
    PowerAboveTopTier {
        /// The power seen.
        power: Power,
        /// The top tier's power.
        top: Power,
    },
    /// The session ends before it starts.
    #[error("session end `{end}` is before its start `{start}`")]
    EndBeforeStart {
        /// Start, Unix seconds.
        start: i64,
        /// End, Unix seconds.
        end: i64,
    },
    /// A time outside the years 1970 to 9999.
    #[error("time `{at}` is outside the years 1970 to 9999")]
    TimeOutOfRange {
        /// The time, Unix seconds.
        at: i64,
    },
    /// A session longer than a bill prices.
    #[error("a session of `{duration_s}` s is longer than the `{max_s}` s a bill prices")]
    SessionTooLong {
        /// The session's duration.
        duration_s: u64,
        /// The longest session priced.
        max_s: u64,
    },
    /// A negative power or energy in a usage.
    #[error("{what} is negative")]
    NegativeUsage {
        /// Which quantity.
        what: &'static str,
    },
    /// The plan prices energy and the usage carries none.
    #[error("the plan prices energy, and the session has no energy, power or meter readings")]
    MissingEnergy,
    /// The plan selects a tier by power and the usage carries none.
    #[error("the plan selects a tier by power, and no power was given")]
    MissingPower,
    /// A price below zero.
    #[error("{what} is negative")]
    NegativePrice {
        /// Which price.
        what: &'static str,
    },
    /// A block or package of zero minutes.
    #[error("the {what} lasts `0` minutes")]
    ZeroDuration {
        /// Which duration.
        what: &'static str,
    },
    /// Not 1–8 tiers.
    #[error("a tiered plan has 1 to 8 tiers, not `{count}`")]
    TierCount {
        /// The number given.
        count: usize,
    },
    /// Tier powers not strictly increasing.
    #[error("tier power `{power}` is not above the tier before it")]
    TiersNotIncreasing {
        /// The offending power.
        power: Power,
    },
    /// A tier whose hour costs less than the tier below it.
    #[error("tier `{power}` costs less per hour than the tier below it")]
    TierCheaperThanBelow {
        /// The offending tier's power.
        power: Power,
    },
    /// A time ratio outside 1–100 %.
    #[error("time ratio `{ratio}` is not within 1–100 %")]
    BadRatio {
        /// The ratio given.
        ratio: u8,
    },
    /// Ratio tiers without a base block.
    #[error("time-ratio tiers need a `base` block")]
    MissingBase,
    /// A JUY billing mode other than 0 or 1.
    #[error("billing mode `{mode}` is neither 0 (hourly) nor 1 (time ratio)")]
    UnknownBillingMode {
        /// The mode given.
        mode: u8,
    },
    /// A time-of-use table without exactly 48 slots.
    #[error("a time-of-use plan has 48 half-hour slots, not `{count}`")]
    SlotCount {
        /// The number given.
        count: usize,
    },
    /// A class listed twice.
    #[error("class `{class}` has more than one rate")]
    DuplicateClass {
        /// The class.
        class: TouClass,
    },
    /// A slot of a class without a rate.
    #[error("class `{class}` of slot `{slot}` has no rate")]
    ClassWithoutRate {
        /// The class.
        class: TouClass,
        /// The slot (0 is 00:00–00:30).
        slot: usize,
    },
    /// A slot whose class number the rate table has no class for.
    #[error("class number `{index}` in slot `{slot}` is beyond the table's {classes} classes")]
    UnknownClass {
        /// The class number.
        index: u8,
        /// The slot.
        slot: usize,
        /// How many classes the table has.
        classes: usize,
    },
    /// A time-of-use calendar that cannot be used: a bad date, a gap or an overlap between
    /// seasons, a day table it does not have.
    #[error("`{key}` {problem}")]
    BadCalendar {
        /// Where in the plan, e.g. `calendar.seasons[1].from`.
        key: alloc::string::String,
        /// What is wrong there.
        problem: alloc::string::String,
    },
    /// A time-of-use plan with a calendar asked for its one day table (a pile takes one).
    #[error(
        "the time-of-use plan has a calendar of several day tables, not one table for every day"
    )]
    CalendarNotOneDay,
    /// An operation only a time-of-use plan supports.
    #[error("the plan is not time-of-use")]
    NotTimeOfUse,
    /// A payment that does not fit the plan.
    #[error("payment by `{payment}` does not fit a `{family}` plan")]
    PaymentMismatch {
        /// The payment.
        payment: &'static str,
        /// The plan family.
        family: &'static str,
    },
    /// A monthly card past its validity.
    #[error("the monthly card expired at `{expires}`")]
    CardExpired {
        /// Its end of validity, Unix seconds.
        expires: i64,
    },
    /// A monthly card session beyond the card's uses of the day, on a card without a fallback.
    #[error("the monthly card covers `{uses_per_day}` sessions a day, all used")]
    CardDailyUses {
        /// The card's uses per day.
        uses_per_day: u32,
    },
    /// A monthly card session above the card's power, on a card without a fallback.
    #[error("power `{power}` is above the `{max}` a monthly card covers")]
    CardPowerAbove {
        /// The session's peak power.
        power: Power,
        /// The card's power limit.
        max: Power,
    },
    /// A plan history without a version.
    #[error("a plan history needs at least one version")]
    NoPlanVersion,
    /// Plan versions out of order, or two with one name.
    #[error(
        "plan versions must have increasing validity starts and distinct names (at `{valid_from}`)"
    )]
    VersionsNotIncreasing {
        /// The start of validity of the offending version, Unix seconds.
        valid_from: i64,
    },
    /// A session that starts before any version of the plan is valid.
    #[error("no plan version is valid at `{at}`")]
    NoPlanAt {
        /// The session's start, Unix seconds.
        at: i64,
    },
    /// A use count at zero.
    #[error("no uses are left on the count")]
    NoUsesLeft,
    /// A prepayment that does not buy anything.
    #[error("prepaid amount `{prepaid}` is below the price `{price}`")]
    InsufficientPrepaid {
        /// The prepayment.
        prepaid: Money,
        /// The least that must be paid.
        price: Money,
    },
    /// Energy reported in a class the plan has no rate for.
    #[error("energy `{energy}` was reported in class `{class}`, which the plan has no rate for")]
    EnergyWithoutRate {
        /// The class.
        class: TouClass,
        /// The energy reported in it.
        energy: Energy,
    },
    /// A modifier given to a plan family it does not apply to.
    #[error("`{modifier}` does not apply to a `{family}` plan")]
    ModifierNotApplicable {
        /// The modifier's key.
        modifier: &'static str,
        /// The plan family.
        family: &'static str,
    },
    /// An amount that must be whole fen and is not.
    #[error("{what} `{amount}` is not a whole number of fen")]
    NotWholeFen {
        /// Which amount.
        what: &'static str,
        /// The amount.
        amount: Money,
    },
    /// A UTC offset beyond ±18 hours.
    #[error("utc offset `{offset_s}` s is beyond ±18 hours")]
    UtcOffsetOutOfRange {
        /// The offset, in seconds.
        offset_s: i32,
    },
    /// A policy parameter that makes no sense, e.g. a peak over the first `0` minutes.
    #[error("the `first_minutes_peak` policy needs at least `1` minute")]
    ZeroPeakWindow,
    /// A key a plan of its family does not have (a misspelling is not ignored).
    #[error("unknown key `{key}`; the valid keys are {valid}")]
    UnknownKey {
        /// The key, and where it is when not at the top level.
        key: alloc::string::String,
        /// The keys that would be valid there.
        valid: alloc::string::String,
    },
    /// An amount beyond the integer range.
    #[error("an amount is out of range")]
    Overflow,
}
