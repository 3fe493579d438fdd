//! Plan versions and their validity: a session is billed by the plan valid at its start, and
//! its bill names that plan's version.

use alloc::string::String;
use alloc::vec::Vec;

use super::TariffError;
use super::bill::{Bill, Payment};
use super::plan::Plan;
use super::usage::Usage;

/// One version of a plan and the time from which it is valid.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct PlanVersion {
    /// The version's name, e.g. "2026-07" (printed on bills).
    pub version: String,
    /// The start of its validity, in Unix seconds; it is valid until the next version's.
    #[cfg_attr(feature = "serde", serde(rename = "valid_from_unix_s"))]
    pub valid_from: i64,
    /// The plan.
    pub plan: Plan,
}

/// The versions of a plan, oldest first, each valid from its `valid_from` to the next one's.
///
/// A session is billed by the version valid at its start (a session that runs across a change
/// of plan is priced wholly by the older one, as the plan frozen at its start), and the bill's
/// `plan_version` names it. A session that starts before the first version is refused.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "Vec<PlanVersion>", into = "Vec<PlanVersion>")
)]
pub struct PlanHistory {
    versions: Vec<PlanVersion>,
}

impl PlanHistory {
    /// A history of `versions`: at least one, with strictly increasing `valid_from`, distinct
    /// names, and every plan valid.
    pub fn new(versions: Vec<PlanVersion>) -> Result<PlanHistory, TariffError> {
        if versions.is_empty() {
            return Err(TariffError::NoPlanVersion);
        }
        for (i, v) in versions.iter().enumerate() {
            v.plan.validate()?;
            if let Some(prev) = i.checked_sub(1).and_then(|j| versions.get(j))
                && prev.valid_from >= v.valid_from
            {
                return Err(TariffError::VersionsNotIncreasing {
                    valid_from: v.valid_from,
                });
            }
            if versions[..i].iter().any(|o| o.version == v.version) {
                return Err(TariffError::VersionsNotIncreasing {
                    valid_from: v.valid_from,
                });
            }
        }
        Ok(PlanHistory { versions })
    }

    /// The versions, oldest first.
    pub fn versions(&self) -> &[PlanVersion] {
        &self.versions
    }

    /// The version valid at `at` (Unix seconds).
    pub fn at(&self, at: i64) -> Result<&PlanVersion, TariffError> {
        let n = self.versions.partition_point(|v| v.valid_from <= at);
        n.checked_sub(1)
            .and_then(|i| self.versions.get(i))
            .ok_or(TariffError::NoPlanAt { at })
    }

    /// Prices a session by the version valid at its start; the bill names the version.
    pub fn bill(&self, usage: &Usage, payment: Payment) -> Result<Bill, TariffError> {
        let v = self.at(usage.start)?;
        let mut bill = v.plan.bill(usage, payment)?;
        bill.plan_version = Some(v.version.clone());
        Ok(bill)
    }
}

impl TryFrom<Vec<PlanVersion>> for PlanHistory {
    type Error = TariffError;

    fn try_from(versions: Vec<PlanVersion>) -> Result<PlanHistory, TariffError> {
        PlanHistory::new(versions)
    }
}

impl From<PlanHistory> for Vec<PlanVersion> {
    fn from(h: PlanHistory) -> Vec<PlanVersion> {
        h.versions
    }
}
