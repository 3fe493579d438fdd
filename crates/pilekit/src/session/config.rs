//! What a station is told once: timeouts, how full and unplugged are detected from power, and
//! power limits. Every default is a real pile's default (see `domain.md` §2 of the project's
//! references), named on the field.

use crate::codec::Dialect;
use crate::units::{Power, Seconds};

/// Detection of a condition from power samples: the power stays below `below` for `hold`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PowerHold {
    /// The threshold.
    #[cfg_attr(feature = "serde", serde(rename = "below_w"))]
    pub below: Power,
    /// How long the power must stay below it.
    #[cfg_attr(feature = "serde", serde(rename = "hold_s"))]
    pub hold: Seconds,
}

/// What happens to a start that would take the site over its power budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum BudgetPolicy {
    /// Refuse it (the notification says why).
    #[default]
    Refuse,
    /// Queue it, first come first served, and send it when enough of the budget is free again
    /// (a queued start that waits longer than the start timeout is refused).
    Queue,
}

/// The supply the community's transformer gives the pile area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PowerBudget {
    /// The most the site may draw.
    #[cfg_attr(feature = "serde", serde(rename = "limit_w"))]
    pub limit: Power,
    /// What to do with a start that would exceed it.
    pub policy: BudgetPolicy,
}

/// How a station runs its piles.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Config {
    /// Silence after which a pile is offline, per dialect: YKC 35 s (a 10 s heartbeat per gun,
    /// three missed); DNY 7 min (a 3 min heartbeat, two missed acknowledgements, and margin);
    /// JUY 3 × the heartbeat interval the login reply sets.
    #[cfg_attr(feature = "serde", serde(rename = "offline_after_s"))]
    pub offline_after: [Seconds; 3],
    /// The heartbeat interval sent to JUY piles in the login reply (10–250 s; default 60 s).
    #[cfg_attr(feature = "serde", serde(rename = "juy_heartbeat_s"))]
    pub juy_heartbeat: u8,
    /// How long a start may wait for the pile's answer and the charger to be plugged in
    /// (JUY's plug-in wait, 120 s, plus the reply's 15 s).
    #[cfg_attr(feature = "serde", serde(rename = "start_timeout_s"))]
    pub start_timeout: Seconds,
    /// Full detection when the pile does not decide itself: below 20 W (X10P's 判满) for
    /// 3600 s (AP3000's float time). `None`: leave it to the pile.
    pub full: Option<PowerHold>,
    /// Unplug (no-load) detection: below 2.5 W for 300 s (X10P's 5-minute average). `None`:
    /// leave it to the pile.
    pub unplugged: Option<PowerHold>,
    /// Float detection: the power falls below this share (‰) of the session's peak (AP3000's
    /// 浮充百分比 20 %).
    #[cfg_attr(feature = "serde", serde(rename = "float_permille"))]
    pub float_permille: u16,
    /// The longest charge any start may run, whatever its limit (AP3000's maximum charge time,
    /// 36000 s).
    #[cfg_attr(feature = "serde", serde(rename = "max_session_s"))]
    pub max_session: Seconds,
    /// The power a new start is expected to draw, for the pile and site limits (an e-bike
    /// charger: 250 W).
    #[cfg_attr(feature = "serde", serde(rename = "expected_start_power_w"))]
    pub expected_start_power: Power,
    /// A pile refuses new starts above this total (X10P: no new start above 7800 W).
    #[cfg_attr(feature = "serde", serde(rename = "pile_start_limit_w"))]
    pub pile_start_limit: Option<Power>,
    /// The site's power budget.
    pub budget: Option<PowerBudget>,
    /// How many settled orders per pile are remembered to acknowledge resends without billing
    /// them again (64: far more than a pile keeps unacknowledged).
    pub settled_memory: u16,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            offline_after: [Seconds(35), Seconds(420), Seconds(180)],
            juy_heartbeat: 60,
            start_timeout: Seconds(135),
            full: Some(PowerHold {
                below: Power::from_watts(20),
                hold: Seconds(3600),
            }),
            unplugged: Some(PowerHold {
                below: Power(25),
                hold: Seconds(300),
            }),
            float_permille: 200,
            max_session: Seconds(36_000),
            expected_start_power: Power::from_watts(250),
            pile_start_limit: Some(Power::from_watts(7_800)),
            budget: None,
            settled_memory: 64,
        }
    }
}

impl Config {
    /// The silence after which a pile of `dialect` is offline.
    pub fn offline_after(&self, dialect: Dialect) -> Seconds {
        self.offline_after[match dialect {
            Dialect::Ykc => 0,
            Dialect::Dny => 1,
            Dialect::Juy => 2,
        }]
    }
}
