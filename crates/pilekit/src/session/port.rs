//! The state machine of one port, as an explicit transition table.
//!
//! ```text
//!                 start requested                 pile accepted
//!   ┌──────┐ ───────────────────────► ┌──────────┐ ─────────────► ┌──────────┐  float seen   ┌───────┐
//!   │ Idle │                          │ Starting │                │ Charging │ ────────────► │ Float │
//!   └──────┘ ◄─────────────────────── └──────────┘                └──────────┘ ◄──────────── └───────┘
//!     ▲   │    refused / no answer                                  │   ▲  power again         │
//!     │   │                                                         │   │                      │ full seen
//!     │   └── local start (coin, card, free button) ───────────────►┘   └───── power again ── ┌──────┐
//!     │                                                                                       │ Full │
//!     │                                   stop sent, or the pile     ┌────────┐ ◄─────────────└──────┘
//!     └──────────── settled ─────────────  reports the end ────────► │ Ending │ ◄── (from Charging, Float, Full)
//!                   (the pile's settlement closes any phase)         └────────┘
//! ```
//!
//! Faulted, disabled and offline are conditions of a port or pile beside its phase, not steps on
//! this path: a faulted port refuses new starts; an offline pile keeps its sessions open with
//! their live data marked stale.
//!
//! [`next`] is the whole table: an input not listed for a phase is not a transition (the
//! station reports it as an anomaly where it matters and otherwise ignores it).

/// Where a port is in a charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Phase {
    /// No session.
    #[default]
    Idle,
    /// A start was sent; waiting for the pile's answer (and the charger to be plugged in).
    Starting,
    /// Charging.
    Charging,
    /// The charger dropped to float (trickle) charging.
    Float,
    /// The battery is full; the port still holds the session.
    Full,
    /// The charge is over (a stop was sent, or the pile ended it); waiting for its settlement.
    Ending,
}

impl Phase {
    /// Whether a session occupies the port.
    pub const fn is_busy(self) -> bool {
        !matches!(self, Phase::Idle)
    }

    /// Whether the port delivers (or may deliver) energy.
    pub const fn is_charging(self) -> bool {
        matches!(self, Phase::Charging | Phase::Float | Phase::Full)
    }
}

/// What can happen to a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Input {
    /// The platform asked for a start and the start was sent.
    StartSent,
    /// The pile accepted the start.
    StartAccepted,
    /// The pile refused the start.
    StartRefused,
    /// The pile did not answer the start in time.
    StartTimedOut,
    /// A charge started at the pile (coin, card, free button).
    LocalStart,
    /// The power (or the pile's status) says float charging.
    FloatSeen,
    /// The power (or the pile's status) says the battery is full.
    FullSeen,
    /// Power is drawn again after float or full.
    PowerAgain,
    /// A stop was sent, or the pile reported that the charge ended.
    Ended,
    /// The pile's settlement of the session arrived.
    Settled,
}

/// The transition table: `(from, input, to)`.
pub const TRANSITIONS: &[(Phase, Input, Phase)] = &[
    (Phase::Idle, Input::StartSent, Phase::Starting),
    (Phase::Idle, Input::LocalStart, Phase::Charging),
    (Phase::Starting, Input::StartAccepted, Phase::Charging),
    (Phase::Starting, Input::StartRefused, Phase::Idle),
    (Phase::Starting, Input::StartTimedOut, Phase::Idle),
    (Phase::Starting, Input::Ended, Phase::Ending),
    (Phase::Starting, Input::Settled, Phase::Idle),
    (Phase::Charging, Input::FloatSeen, Phase::Float),
    (Phase::Charging, Input::FullSeen, Phase::Full),
    (Phase::Charging, Input::Ended, Phase::Ending),
    (Phase::Charging, Input::Settled, Phase::Idle),
    (Phase::Float, Input::FullSeen, Phase::Full),
    (Phase::Float, Input::PowerAgain, Phase::Charging),
    (Phase::Float, Input::Ended, Phase::Ending),
    (Phase::Float, Input::Settled, Phase::Idle),
    (Phase::Full, Input::PowerAgain, Phase::Charging),
    (Phase::Full, Input::Ended, Phase::Ending),
    (Phase::Full, Input::Settled, Phase::Idle),
    (Phase::Ending, Input::Settled, Phase::Idle),
];

/// The phase after `input` in `phase`, or `None` when the table has no such transition.
pub fn next(phase: Phase, input: Input) -> Option<Phase> {
    TRANSITIONS
        .iter()
        .find(|(from, i, _)| *from == phase && *i == input)
        .map(|&(_, _, to)| to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_and_the_local_start() {
        let mut p = Phase::Idle;
        for (input, expected) in [
            (Input::StartSent, Phase::Starting),
            (Input::StartAccepted, Phase::Charging),
            (Input::FloatSeen, Phase::Float),
            (Input::FullSeen, Phase::Full),
            (Input::Ended, Phase::Ending),
            (Input::Settled, Phase::Idle),
        ] {
            p = next(p, input).unwrap();
            assert_eq!(p, expected);
        }
        assert_eq!(next(Phase::Idle, Input::LocalStart), Some(Phase::Charging));
    }

    #[test]
    fn refusals_timeouts_and_settlements_return_to_idle() {
        assert_eq!(
            next(Phase::Starting, Input::StartRefused),
            Some(Phase::Idle)
        );
        assert_eq!(
            next(Phase::Starting, Input::StartTimedOut),
            Some(Phase::Idle)
        );
        for p in [
            Phase::Starting,
            Phase::Charging,
            Phase::Float,
            Phase::Full,
            Phase::Ending,
        ] {
            assert_eq!(next(p, Input::Settled), Some(Phase::Idle), "{p:?}");
        }
    }

    #[test]
    fn what_the_table_does_not_list_is_no_transition() {
        assert_eq!(next(Phase::Idle, Input::StartAccepted), None);
        assert_eq!(next(Phase::Idle, Input::Settled), None);
        assert_eq!(next(Phase::Charging, Input::StartSent), None);
        assert_eq!(next(Phase::Ending, Input::PowerAgain), None);
        // every (from, input) pair appears at most once
        for (i, a) in TRANSITIONS.iter().enumerate() {
            for b in &TRANSITIONS[i + 1..] {
                assert!(!(a.0 == b.0 && a.1 == b.1), "{a:?} twice");
            }
        }
        assert!(Phase::Float.is_charging() && !Phase::Ending.is_charging());
        assert!(Phase::Ending.is_busy() && !Phase::Idle.is_busy());
    }
}
