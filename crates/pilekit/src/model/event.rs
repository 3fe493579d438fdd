//! What piles tell the platform ([`PileEvent`]) and what the platform tells piles
//! ([`PileCommand`]), in no dialect's terms.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use super::types::{
    AlarmKind, CardId, LocalStart, OrderRef, PileId, PortNo, PortStatus, RawCode, Refusal,
    StopReason,
};
use crate::codec::AnyFrame;
use crate::tariff::{Plan, Sample};
use crate::time::Timestamp;
use crate::units::{Current, Energy, Money, Power, Seconds, Temperature, Voltage};

/// An event from a pile, with who sent it and how to answer it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Uplink {
    /// The pile the event is about (a DNY host forwards frames of many piles on one link).
    pub pile: PileId,
    /// What happened.
    pub event: PileEvent,
    /// What an acknowledgement of this event must echo (YKC sequence number, DNY message id).
    pub reply_to: ReplyTo,
}

/// The correlation a dialect's acknowledgement echoes: the YKC sequence number and CRC byte
/// order, or the DNY message id. Opaque: take it from an [`Uplink`] and give it back in the
/// acknowledging [`PileCommand`]. [`ReplyTo::NONE`] for commands that answer nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ReplyTo {
    /// The id to echo.
    pub id: u16,
    /// Dialect-specific framing details to mirror (YKC: 1 when the CRC came high byte first).
    pub flags: u8,
}

impl ReplyTo {
    /// No correlation: the adapter numbers the command itself.
    pub const NONE: ReplyTo = ReplyTo { id: 0, flags: 0 };
}

/// What a pile logged in with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LoginInfo {
    /// Number of ports (guns, sockets), when the login says.
    pub ports: Option<u8>,
    /// Firmware version text.
    pub firmware: Option<String>,
    /// The SIM card's ICCID.
    pub iccid: Option<String>,
    /// The dialect's protocol version number, when the login carries one.
    pub protocol_version: Option<u16>,
}

/// A measurement of one port during a charge (or idle), as far as the dialect reports it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MeterSample {
    /// The order the charge runs under, if the pile says.
    pub order: Option<OrderRef>,
    /// The pile's clock at the sample, if the frame carries one.
    pub at: Option<Timestamp>,
    /// The port's status at the sample.
    pub status: Option<PortStatus>,
    /// Power drawn.
    #[cfg_attr(feature = "serde", serde(rename = "power_w"))]
    pub power: Option<Power>,
    /// Voltage.
    #[cfg_attr(feature = "serde", serde(rename = "voltage_v"))]
    pub voltage: Option<Voltage>,
    /// Current.
    #[cfg_attr(feature = "serde", serde(rename = "current_a"))]
    pub current: Option<Current>,
    /// Energy delivered in this charge so far.
    #[cfg_attr(feature = "serde", serde(rename = "energy_kwh"))]
    pub energy: Option<Energy>,
    /// Time charged so far.
    #[cfg_attr(feature = "serde", serde(rename = "elapsed_s"))]
    pub elapsed: Option<Seconds>,
    /// Amount the pile has counted so far.
    #[cfg_attr(feature = "serde", serde(rename = "amount_yuan"))]
    pub amount: Option<Money>,
    /// The battery's state of charge, %.
    #[cfg_attr(feature = "serde", serde(rename = "soc_pct"))]
    pub soc: Option<u8>,
    /// The port's (socket, gun) temperature.
    #[cfg_attr(feature = "serde", serde(rename = "temperature_c"))]
    pub temperature: Option<Temperature>,
}

impl MeterSample {
    /// The tariff's sample at `at` (Unix seconds): the power, and the energy so far when
    /// reported. `None` without a power reading.
    pub fn to_tariff_sample(&self, at: i64) -> Option<Sample> {
        Some(Sample {
            at,
            power: self.power?,
            energy: self.energy,
        })
    }
}

/// A pile's record of a finished charge: what it measured and why it stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Settlement {
    /// The order.
    pub order: OrderRef,
    /// When charging started, by the pile's clock.
    pub started: Option<Timestamp>,
    /// When charging ended, by the pile's clock.
    pub ended: Option<Timestamp>,
    /// How long it charged.
    #[cfg_attr(feature = "serde", serde(rename = "duration_s"))]
    pub duration: Option<Seconds>,
    /// Energy delivered.
    #[cfg_attr(feature = "serde", serde(rename = "energy_kwh"))]
    pub energy: Energy,
    /// The amount the pile counted, if it bills itself.
    #[cfg_attr(feature = "serde", serde(rename = "amount_yuan"))]
    pub amount: Option<Money>,
    /// The highest power seen.
    #[cfg_attr(feature = "serde", serde(rename = "max_power_w"))]
    pub max_power: Option<Power>,
    /// Energy per time-of-use class (sharp, peak, flat, valley, deep valley), when the pile
    /// splits it.
    #[cfg_attr(feature = "serde", serde(rename = "class_energy_kwh"))]
    pub class_energy: Option<[Energy; 5]>,
    /// Why it stopped.
    pub stop: StopReason,
    /// The card that paid, if any.
    pub card: Option<CardId>,
}

/// The pile's answer to a start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", tag = "outcome"))]
pub enum StartOutcome {
    /// Charging started.
    Started,
    /// The pile refused.
    Refused {
        /// Why.
        refusal: Refusal,
        /// The dialect's code.
        raw: RawCode,
    },
}

/// Something a pile reported, in no dialect's terms.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", tag = "event"))]
#[non_exhaustive]
pub enum PileEvent {
    /// The pile logged in (registered); it expects an answer ([`PileCommand::AckLogin`]).
    LoggedIn(LoginInfo),
    /// A keep-alive; answered with [`PileCommand::AckHeartbeat`] where the dialect expects it.
    Heartbeat {
        /// The port it is about (YKC sends one per gun).
        port: Option<PortNo>,
    },
    /// A port's status.
    PortStatus {
        /// The port.
        port: PortNo,
        /// Its status.
        status: PortStatus,
        /// The dialect's code.
        raw: RawCode,
    },
    /// A measurement during (or outside) a charge.
    MeterSample {
        /// The port.
        port: PortNo,
        /// The measurement.
        sample: MeterSample,
    },
    /// The pile's answer to a start command.
    StartResult {
        /// The port.
        port: PortNo,
        /// The order of the start, when the answer carries it.
        order: Option<OrderRef>,
        /// Started or refused.
        outcome: StartOutcome,
    },
    /// The pile's answer to a stop command.
    StopResult {
        /// The port.
        port: PortNo,
        /// The order, when the answer carries it.
        order: Option<OrderRef>,
        /// Whether the port stopped (or already was stopped).
        stopped: bool,
    },
    /// A charge started at the pile (coin, card, free button); answered with
    /// [`PileCommand::AckLocalStart`] where the dialect expects it.
    LocalStart {
        /// The port.
        port: PortNo,
        /// The order the pile gave the charge.
        order: Option<OrderRef>,
        /// How it was started.
        by: LocalStart,
        /// What was paid at the pile.
        #[cfg_attr(feature = "serde", serde(rename = "paid_yuan"))]
        paid: Option<Money>,
    },
    /// A charge ended and the pile settled it; answered with [`PileCommand::AckSettlement`].
    /// Piles resend it until acknowledged.
    Settlement {
        /// The port.
        port: PortNo,
        /// The record.
        settlement: Settlement,
    },
    /// An alarm.
    Alarm {
        /// The port, when the alarm is about one.
        port: Option<PortNo>,
        /// What it is about.
        kind: AlarmKind,
        /// The dialect's code.
        raw: RawCode,
    },
    /// A card was swiped and the pile asks whether it may charge; answered with
    /// [`PileCommand::AnswerCard`].
    CardAuthRequest {
        /// The port, when the pile names one.
        port: Option<PortNo>,
        /// The card.
        card: CardId,
        /// The balance the card itself holds, if it says.
        #[cfg_attr(feature = "serde", serde(rename = "balance_yuan"))]
        balance: Option<Money>,
    },
    /// The pile asks for its billing model (YKC 0x05 with its current model number, 0x09
    /// without); answered with [`PileCommand::AnswerModelCheck`] or [`PileCommand::SendPlan`].
    BillingModelRequest {
        /// The model number the pile runs, for a check; `None` for a request.
        current: Option<u16>,
    },
    /// The pile asks for the time; answered with [`PileCommand::SyncClock`].
    ClockRequest,
    /// The pile answered a command that needs no neutral meaning beyond success.
    CommandResult {
        /// The dialect's frame type or command it answers.
        command: u16,
        /// Whether it succeeded.
        ok: bool,
    },
    /// A frame with no event meaning, kept whole.
    Other(Box<AnyFrame>),
}

/// What limits a charge the platform starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", tag = "by"))]
pub enum ChargeLimit {
    /// Until full (or the pile's own maximum).
    UntilFull,
    /// A duration.
    Time {
        /// The duration.
        #[cfg_attr(feature = "serde", serde(rename = "duration_s"))]
        duration: Seconds,
    },
    /// An energy.
    Energy {
        /// The energy.
        #[cfg_attr(feature = "serde", serde(rename = "energy_kwh"))]
        energy: Energy,
    },
    /// An amount of money (the pile bills itself).
    Money {
        /// The amount.
        #[cfg_attr(feature = "serde", serde(rename = "amount_yuan"))]
        amount: Money,
    },
}

/// A start of a charge by the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StartCharge {
    /// The port.
    pub port: PortNo,
    /// The platform's order number for the charge.
    pub order: OrderRef,
    /// What limits it.
    pub limit: ChargeLimit,
    /// The payer's balance, for piles that show or enforce it.
    #[cfg_attr(feature = "serde", serde(rename = "balance_yuan"))]
    pub balance: Option<Money>,
    /// The card that pays, if any.
    pub card: Option<CardId>,
}

/// Something the platform tells a pile, in no dialect's terms. The adapter of the pile's
/// dialect turns it into a frame; commands a dialect has no frame for are refused with
/// [`ModelError::NotInDialect`](super::ModelError::NotInDialect).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", tag = "command"))]
#[non_exhaustive]
pub enum PileCommand {
    /// Answer a login.
    AckLogin {
        /// Accept or refuse the pile.
        accepted: bool,
        /// The time to tell the pile, for dialects whose answer carries it.
        now: Option<Timestamp>,
        /// The heartbeat interval to ask for (JUY), seconds.
        heartbeat_interval_s: Option<u8>,
    },
    /// Answer a heartbeat.
    AckHeartbeat {
        /// The port the heartbeat was about (YKC).
        port: Option<PortNo>,
    },
    /// Acknowledge a settlement (so the pile stops resending it).
    AckSettlement {
        /// The port.
        port: PortNo,
        /// The order.
        order: OrderRef,
    },
    /// Acknowledge a start at the pile.
    AckLocalStart {
        /// The port.
        port: PortNo,
        /// The order.
        order: OrderRef,
    },
    /// Answer a card swipe.
    AnswerCard {
        /// The port.
        port: Option<PortNo>,
        /// The card.
        card: CardId,
        /// Whether the card may charge.
        accepted: bool,
        /// Its balance.
        #[cfg_attr(feature = "serde", serde(rename = "balance_yuan"))]
        balance: Money,
        /// The order number the charge will run under (YKC).
        order: Option<OrderRef>,
    },
    /// Answer a billing-model check (YKC 0x06).
    AnswerModelCheck {
        /// The model number checked.
        model_number: u16,
        /// Whether the pile's model is current.
        current: bool,
    },
    /// Start a charge.
    Start(StartCharge),
    /// Stop a charge.
    Stop {
        /// The port.
        port: PortNo,
        /// The order (JUY, DNY need it).
        order: Option<OrderRef>,
    },
    /// Send a time-of-use plan to the pile (YKC 0x0A answer or 0x58 setting, JUY 0x8D).
    SendPlan {
        /// The plan.
        plan: Box<Plan>,
        /// The model number to give it (YKC).
        model_number: u16,
        /// Whether this answers the pile's request (YKC 0x0A) rather than setting it (0x58).
        as_reply: bool,
    },
    /// Set the pile's clock.
    SyncClock {
        /// The time.
        now: Timestamp,
    },
    /// Ask for a port's (or every port's) live data.
    Query {
        /// The port, or all.
        port: Option<PortNo>,
    },
    /// Send a dialect frame as it is.
    Frame(Box<AnyFrame>),
}

/// Events decoded from one frame: most frames carry one, a heartbeat of a 10-socket pile ten.
pub type Events = Vec<Uplink>;
