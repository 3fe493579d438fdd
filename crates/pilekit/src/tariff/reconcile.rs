//! Reconciliation: an amount a pile reported against our bill, allowing for the pile's rounding.

use alloc::vec::Vec;

use super::TariffError;
use super::bill::Payment;
use super::calendar::DayTables;
use super::plan::{Plan, Pricing};
use super::rounding::Rounding;
use super::usage::{Timeline, Usage, class_energies};
use crate::units::{Energy, Money};

/// The comparison of a pile's reported amount with our bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Reconciliation {
    /// What the pile reported.
    #[cfg_attr(feature = "serde", serde(rename = "reported_yuan"))]
    pub reported: Money,
    /// Our bill's total (postpaid, uncapped), with the plan's rounding.
    #[cfg_attr(feature = "serde", serde(rename = "billed_yuan"))]
    pub billed: Money,
    /// The total the pile should have reported with its own rounding.
    #[cfg_attr(feature = "serde", serde(rename = "pile_expected_yuan"))]
    pub pile_expected: Money,
    /// `reported − billed`: positive when the pile asks for more than we bill.
    #[cfg_attr(feature = "serde", serde(rename = "difference_yuan"))]
    pub difference: Money,
    /// `reported − pile_expected`: what the pile's rounding does not explain.
    #[cfg_attr(feature = "serde", serde(rename = "unexplained_yuan"))]
    pub unexplained: Money,
}

impl Reconciliation {
    /// The comparison of `reported` with `billed` and with `pile_expected`; the differences are
    /// derived from those three.
    pub fn new(reported: Money, billed: Money, pile_expected: Money) -> Self {
        Self {
            reported,
            billed,
            pile_expected,
            difference: Money(reported.0 - billed.0),
            unexplained: Money(reported.0 - pile_expected.0),
        }
    }

    /// Whether the pile's amount is explained by its rounding, within `tolerance`.
    pub fn matches(&self, tolerance: Money) -> bool {
        self.unexplained.0.abs() <= tolerance.0
    }
}

/// Compares the amount a pile reported for `usage` with our bill under `plan`, and with the
/// bill the pile would have computed with `pile_rounding` (real YKC piles truncate each class
/// to the fen: [`Rounding::LINE_TRUNCATE`]).
pub fn reconcile(
    plan: &Plan,
    usage: &Usage,
    reported: Money,
    pile_rounding: Rounding,
) -> Result<Reconciliation, TariffError> {
    let billed = plan.bill(usage, Payment::Postpaid)?.total;
    let mut pile = plan.clone();
    pile.rounding = pile_rounding;
    let pile_expected = pile.bill(usage, Payment::Postpaid)?.total;
    Ok(Reconciliation::new(reported, billed, pile_expected))
}

impl Plan {
    /// The energy of `usage` in each time-of-use class of this plan ([`TouClass::ALL`] order):
    /// what a pile that bills by class splits a session into. The usage's own split, when it
    /// carries one, is taken as it is.
    ///
    /// [`TouClass::ALL`]: super::TouClass::ALL
    pub fn class_energies(&self, usage: &Usage) -> Result<[Energy; 5], TariffError> {
        let Pricing::TimeOfUse(tou) = &self.pricing else {
            return Err(TariffError::NotTimeOfUse);
        };
        let (table, calendar) = tou.day_tables()?;
        usage.duration_s()?;
        let mut buf = Vec::new();
        let samples = usage.sorted_samples(&mut buf);
        let tl = Timeline {
            samples,
            start: usage.start,
            end: usage.end,
            power: usage.power,
            readings: samples.iter().any(|s| s.energy.is_some()),
            strict: false,
        };
        let days = match &calendar {
            Some(c) => DayTables::Calendar(c),
            None => DayTables::One(&table.slots),
        };
        class_energies(usage, tl, &tl.stats(), self.utc_offset, days)
    }
}
