//! Reconciliation: an amount a pile reported against our bill, allowing for the pile's rounding.

use alloc::vec::Vec;

use super::TariffError;
use super::bill::Payment;
use super::plan::{Plan, Pricing};
use super::rounding::{Rounding, RoundingMode};
use super::usage::{Timeline, Usage, class_energies};
use crate::units::{EnergyPrice, Money};

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

/// What a YKC pile reports in its 0x3B transaction record for `usage` under a time-of-use
/// `plan`: per class, the energy times the class's combined rate (energy + service), truncated
/// to the fen, summed. Modifiers (free minutes, minimum, caps) are the platform's, not the
/// pile's, and do not enter.
pub fn ykc_pile_amount(plan: &Plan, usage: &Usage) -> Result<Money, TariffError> {
    let Pricing::TimeOfUse(tou) = &plan.pricing else {
        return Err(TariffError::NotRepresentable {
            what: "a plan other than time of use",
            protocol: "ykc",
        });
    };
    let table = tou.table()?;
    usage.duration_s()?;
    let mut buf = Vec::new();
    let samples = usage.sorted_samples(&mut buf);
    let tl = Timeline {
        samples,
        start: usage.start,
        end: usage.end,
        power: usage.power,
    };
    let energies = class_energies(usage, tl, &tl.stats(), plan.utc_offset, &table.slots)?;
    let mut total = 0i128;
    for (i, e) in energies.iter().enumerate() {
        let (er, sr) = table.rates[i].unwrap_or((EnergyPrice::ZERO, EnergyPrice::ZERO));
        let exact = i128::from(er.0 + sr.0) * i128::from(e.0);
        // 10⁻⁹ yuan to fen: 10⁷.
        total += RoundingMode::Truncate.div(exact, 10_000_000) * 100;
    }
    i64::try_from(total)
        .map(Money)
        .map_err(|_| TariffError::Overflow)
}

/// Compares the amount a YKC pile reported in a 0x3B record with our bill, expecting the pile's
/// own arithmetic ([`ykc_pile_amount`]) as the explanation.
pub fn reconcile_ykc(
    plan: &Plan,
    usage: &Usage,
    reported: Money,
) -> Result<Reconciliation, TariffError> {
    let billed = plan.bill(usage, Payment::Postpaid)?.total;
    let pile_expected = ykc_pile_amount(plan, usage)?;
    Ok(Reconciliation::new(reported, billed, pile_expected))
}
