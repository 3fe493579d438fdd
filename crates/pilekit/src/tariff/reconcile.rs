//! Reconciliation: an amount a pile reported against our bill, allowing for the pile's rounding.

use super::TariffError;
use super::bill::Payment;
use super::plan::Plan;
use super::rounding::Rounding;
use super::usage::Usage;
use crate::units::Money;

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
    Ok(Reconciliation {
        reported,
        billed,
        pile_expected,
        difference: Money(reported.0 - billed.0),
        unexplained: Money(reported.0 - pile_expected.0),
    })
}
