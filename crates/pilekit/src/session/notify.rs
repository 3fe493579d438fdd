//! What the station tells the platform ([`Notification`]), the record of a finished session, and
//! the requests the platform makes.

use alloc::boxed::Box;
use alloc::string::String;

use crate::model::{
    AlarmKind, CardId, LocalStart, OrderRef, PileId, PortNo, RawCode, Refusal, StopReason,
};
use crate::tariff::{Bill, Payment};
use crate::time::Timestamp;
use crate::units::{Energy, Money, Seconds};

/// A link (one TCP connection) of a station, numbered by [`Station::connect`](super::Station::connect).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LinkId(pub u64);

/// What limits a charge the platform starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", tag = "by"))]
pub enum StartLimit {
    /// What the prepayment buys under the pile's plan (its quote); until full for other
    /// payments.
    #[default]
    FromQuote,
    /// Until the battery is full, within `cap`.
    UntilFull {
        /// The longest the charge may run.
        #[cfg_attr(feature = "serde", serde(rename = "cap_s"))]
        cap: Seconds,
    },
    /// For a duration.
    Duration {
        /// The duration.
        #[cfg_attr(feature = "serde", serde(rename = "duration_s"))]
        duration: Seconds,
    },
    /// Up to an energy.
    Energy {
        /// The energy.
        #[cfg_attr(feature = "serde", serde(rename = "energy_kwh"))]
        energy: Energy,
    },
    /// Up to an amount of money, priced by the plan.
    Money {
        /// The amount.
        #[cfg_attr(feature = "serde", serde(rename = "amount_yuan"))]
        amount: Money,
    },
}

/// A start the platform asks for (a QR scan, a wallet, a card).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StartRequest {
    /// The platform's order number.
    pub order: OrderRef,
    /// How the resident pays.
    pub payment: Payment,
    /// What limits the charge.
    pub limit: StartLimit,
    /// The card, when a card pays.
    pub card: Option<CardId>,
}

/// How a session began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", tag = "by"))]
pub enum Origin {
    /// Started by the platform.
    Platform {
        /// How it is paid.
        payment: Payment,
    },
    /// Started at the pile.
    Local {
        /// How.
        start: LocalStart,
        /// What was paid at the pile (coins are never refunded).
        #[cfg_attr(feature = "serde", serde(rename = "paid_yuan"))]
        paid: Option<Money>,
    },
    /// Known only from its settlement (the pile started it while offline).
    SettlementOnly,
}

/// Why the station itself refused or ended something, next to the pile's reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", tag = "reason"))]
#[non_exhaustive]
pub enum StartRefusal {
    /// The pile refused.
    Pile {
        /// Why, in neutral terms.
        refusal: Refusal,
        /// The pile's code.
        raw: RawCode,
    },
    /// The pile did not answer in time.
    NoAnswer,
    /// The platform stopped it before it started (the pile had not begun charging).
    Cancelled,
    /// The station does not know the pile, or it is offline.
    PileOffline,
    /// The pile has no such port.
    NoSuchPort,
    /// A session occupies the port.
    PortBusy,
    /// The port is faulty or disabled.
    PortFault,
    /// A safety alarm (smoke, fire, water) or the site's fire-control host blocks the pile.
    Alarm,
    /// The pile would exceed its total power.
    PileOverPower,
    /// The site's power budget would be exceeded.
    OverBudget,
    /// A YKC pile has not confirmed its billing model yet.
    BillingModelPending,
    /// The plan cannot price the request (the message says why).
    Plan,
    /// The pile's dialect cannot carry the request.
    NotInDialect,
}

/// Something the station saw that it did not expect, reported and otherwise harmless.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Anomaly {
    /// A settlement that was already settled: acknowledged again, not billed again.
    DuplicateSettlement,
    /// A settlement for an order the station never saw: a closed session is made of it.
    UnknownSettlement,
    /// A meter sample for no session, or for another order than the port's.
    SampleWithoutSession,
    /// A meter sample older than one already applied.
    SampleOutOfOrder,
    /// A meter sample after the session's settlement.
    SampleAfterSettlement,
    /// A start answer for no pending start.
    UnexpectedStartResult,
    /// A local start on a port that holds another session.
    LocalStartOnBusyPort,
    /// A frame that did not decode.
    BadFrame,
    /// A frame that decoded but could not be read as an event.
    UnreadableEvent,
    /// A command the pile's dialect cannot carry, not sent (a plan with more price classes
    /// than a YKC billing model holds, an order number too long for the wire).
    CommandNotSent,
}

impl Anomaly {
    /// Its snake_case name, as serde writes it.
    pub const fn name(self) -> &'static str {
        match self {
            Anomaly::DuplicateSettlement => "duplicate_settlement",
            Anomaly::UnknownSettlement => "unknown_settlement",
            Anomaly::SampleWithoutSession => "sample_without_session",
            Anomaly::SampleOutOfOrder => "sample_out_of_order",
            Anomaly::SampleAfterSettlement => "sample_after_settlement",
            Anomaly::UnexpectedStartResult => "unexpected_start_result",
            Anomaly::LocalStartOnBusyPort => "local_start_on_busy_port",
            Anomaly::BadFrame => "bad_frame",
            Anomaly::UnreadableEvent => "unreadable_event",
            Anomaly::CommandNotSent => "command_not_sent",
        }
    }

    /// What it means, in a sentence an operator reads in a report.
    pub const fn description(self) -> &'static str {
        match self {
            Anomaly::DuplicateSettlement => {
                "a settlement that was already settled (acknowledged again, not billed again)"
            }
            Anomaly::UnknownSettlement => {
                "a settlement for an order the platform never started (billed as a closed session)"
            }
            Anomaly::SampleWithoutSession => "a meter sample for no session, or for another order",
            Anomaly::SampleOutOfOrder => "a meter sample older than one already applied",
            Anomaly::SampleAfterSettlement => "a meter sample after the session's settlement",
            Anomaly::UnexpectedStartResult => "a start answer for no pending start",
            Anomaly::LocalStartOnBusyPort => "a local start on a port that holds another session",
            Anomaly::BadFrame => "bytes that did not decode as a frame",
            Anomaly::UnreadableEvent => "a frame that decoded but could not be read as an event",
            Anomaly::CommandNotSent => {
                "the station's answer cannot be carried by the pile's dialect (e.g. a plan with \
                 more price classes than the pile's billing model) and was not sent"
            }
        }
    }
}

impl core::fmt::Display for Anomaly {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.description())
    }
}

/// A finished session: what the resident's phone shows.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SessionRecord {
    /// The pile.
    pub pile: PileId,
    /// The port.
    pub port: PortNo,
    /// The order.
    pub order: OrderRef,
    /// How it began.
    pub origin: Origin,
    /// When charging started (the pile's time when it says, else the station's).
    pub started: Timestamp,
    /// When it ended.
    pub ended: Timestamp,
    /// How long it charged.
    #[cfg_attr(feature = "serde", serde(rename = "duration_s"))]
    pub duration: Seconds,
    /// Energy delivered.
    #[cfg_attr(feature = "serde", serde(rename = "energy_kwh"))]
    pub energy: Energy,
    /// Why it ended.
    pub stop: StopReason,
    /// The itemised bill under the plan frozen at the start.
    pub bill: Option<Bill>,
    /// Why there is no bill, when there is none.
    pub bill_error: Option<String>,
    /// The version of the plan the bill used (its position in the station's plan history).
    pub plan_version: u32,
}

/// What the station tells the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "snake_case", tag = "notification")
)]
#[non_exhaustive]
pub enum Notification {
    /// A pile logged in or spoke again after being offline.
    PileOnline {
        /// The pile.
        pile: PileId,
        /// Its link.
        link: LinkId,
        /// When.
        at: Timestamp,
    },
    /// A pile fell silent (its sessions stay open, their live data stale).
    PileOffline {
        /// The pile.
        pile: PileId,
        /// When it was last heard.
        last_seen: Timestamp,
        /// When the station noticed.
        at: Timestamp,
    },
    /// A second link claimed a pile that is online on another link; its frames change nothing.
    Impersonation {
        /// The pile claimed.
        pile: PileId,
        /// The link that claimed it.
        link: LinkId,
        /// The link that holds it.
        holder: LinkId,
        /// When.
        at: Timestamp,
    },
    /// A session started (the pile accepted a start, or reported a local one).
    SessionStarted {
        /// The pile.
        pile: PileId,
        /// The port.
        port: PortNo,
        /// The order.
        order: OrderRef,
        /// How it began.
        origin: Origin,
        /// When.
        at: Timestamp,
    },
    /// A start was refused (by the pile or by the station).
    StartRefused {
        /// The pile.
        pile: PileId,
        /// The port.
        port: PortNo,
        /// The order.
        order: OrderRef,
        /// Why.
        refusal: StartRefusal,
        /// When.
        at: Timestamp,
    },
    /// A start waits for the site's power budget.
    StartQueued {
        /// The pile.
        pile: PileId,
        /// The port.
        port: PortNo,
        /// The order.
        order: OrderRef,
        /// When.
        at: Timestamp,
    },
    /// The battery is full (detected by the pile or from the power).
    ChargingFull {
        /// The pile.
        pile: PileId,
        /// The port.
        port: PortNo,
        /// The order.
        order: OrderRef,
        /// When.
        at: Timestamp,
    },
    /// The station sent a stop (a limit, full or unplugged from the power, an alarm, or the
    /// platform's request).
    StopSent {
        /// The pile.
        pile: PileId,
        /// The port.
        port: PortNo,
        /// The order.
        order: OrderRef,
        /// Why.
        reason: StopReason,
        /// When.
        at: Timestamp,
    },
    /// A session ended and was settled.
    SessionEnded(Box<SessionRecord>),
    /// An alarm.
    Alarm {
        /// The pile.
        pile: PileId,
        /// The port, when the alarm is about one.
        port: Option<PortNo>,
        /// What.
        kind: AlarmKind,
        /// Whether every port of the pile was stopped for it.
        stopped_all: bool,
        /// When.
        at: Timestamp,
    },
    /// A card was swiped; answer with [`Station::answer_card`](super::Station::answer_card).
    CardSwipe {
        /// The pile.
        pile: PileId,
        /// The port.
        port: Option<PortNo>,
        /// The card.
        card: CardId,
        /// When.
        at: Timestamp,
    },
    /// Something unexpected, reported and otherwise harmless.
    Anomaly {
        /// The pile, when known.
        pile: Option<PileId>,
        /// The port, when known.
        port: Option<PortNo>,
        /// What.
        anomaly: Anomaly,
        /// Where in a link's bytes, for bytes that were not read ([`Anomaly::BadFrame`],
        /// [`Anomaly::UnreadableEvent`]).
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        fault: Option<LinkFault>,
        /// When.
        at: Timestamp,
    },
}

/// Where and why bytes a link carried were not read: what a log needs to point at the byte.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LinkFault {
    /// The link.
    pub link: LinkId,
    /// The position in the link's byte stream (its first byte is 0) of the frame or of the run
    /// of bytes.
    pub offset: usize,
    /// How many bytes were skipped as no frame; 0 for a frame that was framed but not read.
    pub skipped: usize,
    /// Why, when the decoder or the adapter said: the first rejected frame in a skipped run, the
    /// error of a framed frame whose contents did not decode (then `offset` is where in the
    /// frame the problem is), or why a decoded frame is no event.
    pub reason: Option<String>,
}

/// Why a platform call could not be carried out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// The station does not know the pile.
    #[error("pile `{0}` is unknown")]
    UnknownPile(PileId),
    /// The pile is offline.
    #[error("pile `{0}` is offline")]
    Offline(PileId),
    /// The port holds no session.
    #[error("port {port} of pile `{pile}` holds no session")]
    NoSession {
        /// The pile.
        pile: PileId,
        /// The port.
        port: PortNo,
    },
    /// The start was refused at once.
    #[error("the start was refused: {0:?}")]
    Refused(StartRefusal),
}

#[cfg(all(test, feature = "serde"))]
mod tests {
    use super::Anomaly;
    use alloc::string::ToString;

    #[test]
    fn an_anomaly_s_name_is_its_serde_name() {
        let all = [
            Anomaly::DuplicateSettlement,
            Anomaly::UnknownSettlement,
            Anomaly::SampleWithoutSession,
            Anomaly::SampleOutOfOrder,
            Anomaly::SampleAfterSettlement,
            Anomaly::UnexpectedStartResult,
            Anomaly::LocalStartOnBusyPort,
            Anomaly::BadFrame,
            Anomaly::UnreadableEvent,
            Anomaly::CommandNotSent,
        ];
        for a in all {
            assert_eq!(serde_json::to_value(a).unwrap(), a.name(), "{a:?}");
            assert!(!a.description().is_empty());
        }
        assert_eq!(
            Anomaly::SampleOutOfOrder.to_string(),
            "a meter sample older than one already applied"
        );
    }
}
