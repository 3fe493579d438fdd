//! The protocol-neutral pile model: who and what ([`types`]), what piles report ([`PileEvent`])
//! and what platforms tell them ([`PileCommand`]), and one adapter per dialect between frames
//! and these.
//!
//! Layer: `model` uses [`codec`](crate::codec) (the dialects' messages) and
//! [`tariff`](crate::tariff) (plans and samples); the session engine and the facade build on
//! it. Nothing here reads bytes: an adapter takes decoded frames and gives frames to encode.
//!
//! ```text
//!   DnyFrame / JuyFrame / YkcFrame ──Adapter::events──► Uplink { pile, event, reply_to }
//!   PileCommand + pile + reply_to ──Adapter::command──► DnyFrame / JuyFrame / YkcFrame
//! ```
//!
//! - [`types`]: [`PileId`], [`PortNo`], [`OrderRef`], [`CardId`], [`Timestamp`],
//!   [`PortStatus`], [`StopReason`] / [`StopCause`], [`AlarmKind`], [`Refusal`].
//! - [`event`]: [`PileEvent`], [`PileCommand`] and their records.
//! - [`ykc`], [`dny`], [`juy`]: the adapters ([`YkcAdapter`], [`DnyAdapter`], [`JuyAdapter`]),
//!   each with a table of the frames it maps.
//! - [`billing`]: the billing-model messages (YKC 0x0A/0x58, JUY 0x8D/0x8E and the 0x89/0x8A
//!   parameter table) to and from tariff [`Plan`](crate::tariff::Plan)s.
//!
//! ```
//! use pilekit::codec::dny::{DnyFrame, DnyMessage, PhysicalId, ServerTime};
//! use pilekit::model::{Adapter, DnyAdapter, PileCommand, PileEvent, PileId, ReplyTo};
//!
//! let mut adapter = DnyAdapter::new();
//! let time_request = DnyFrame::new(PhysicalId(0x04AB373B), 7, DnyMessage::TimeRequest(Default::default()));
//! let mut events = Vec::new();
//! adapter.events(&time_request, &mut events).unwrap();
//! assert_eq!(events[0].pile.to_string(), "04-11220795");
//! assert_eq!(events[0].event, PileEvent::ClockRequest);
//!
//! let now = pilekit::time::Timestamp::from_unix(1_604_914_697).unwrap();
//! let reply = adapter
//!     .command(&events[0].pile, &PileCommand::SyncClock { now }, events[0].reply_to)
//!     .unwrap();
//! assert_eq!(reply.message_id, 7);
//! assert_eq!(reply.message, DnyMessage::TimeReply(ServerTime { timestamp: 1_604_914_697 }));
//! ```

pub mod billing;
pub mod dny;
pub mod event;
pub mod juy;
pub mod types;
pub mod ykc;

pub use dny::DnyAdapter;
pub use event::{
    ChargeLimit, Events, LoginInfo, MeterSample, PileCommand, PileEvent, ReplyTo, Settlement,
    StartCharge, StartOutcome, Uplink,
};
pub use juy::JuyAdapter;
pub use types::{
    AlarmKind, CardId, LocalStart, OrderRef, ParseIdError, PileId, PortNo, PortStatus, RawCode,
    Refusal, StopCause, StopReason,
};
pub use ykc::YkcAdapter;

use crate::codec::{AnyFrame, Dialect};
pub use crate::time::Timestamp;

/// Turns one dialect's frames into events and commands into its frames.
///
/// An adapter keeps the little a dialect needs across frames of one link (the JUY pile's IMEI
/// from its login, message numbering, which start a DNY 0x82 reply answers); it never reads a
/// clock.
pub trait Adapter {
    /// The dialect's frame type.
    type Frame;

    /// Appends the events of a frame the pile sent to `out` (a heartbeat of a 10-socket pile
    /// gives eleven). Frames from the platform's side give nothing.
    fn events(&mut self, frame: &Self::Frame, out: &mut Events) -> Result<(), ModelError>;

    /// The frame that carries `command` to `pile`. Acknowledgements take the `reply_to` of the
    /// event they answer; other commands take [`ReplyTo::NONE`] and are numbered by the adapter.
    fn command(
        &mut self,
        pile: &PileId,
        command: &PileCommand,
        reply_to: ReplyTo,
    ) -> Result<Self::Frame, ModelError>;
}

/// What a platform's start or stop frame asks of the pile, in any dialect, read back as a
/// neutral [`PileCommand::Start`] or [`PileCommand::Stop`]: for tools that read the platform's
/// side of a log, such as the replay. Other frames give `None`.
pub fn platform_command(frame: &AnyFrame) -> Option<PileCommand> {
    match frame {
        AnyFrame::Ykc(f) => ykc::platform_command(f),
        AnyFrame::Dny(f) => dny::platform_command(f),
        AnyFrame::Juy(f) => juy::platform_command(f),
    }
}

/// The adapter of a link whose dialect is known only at run time (auto-detected).
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum AnyAdapter {
    /// YKC.
    Ykc(YkcAdapter),
    /// DNY.
    Dny(DnyAdapter),
    /// JUY.
    Juy(JuyAdapter),
}

impl AnyAdapter {
    /// A fresh adapter for `dialect` (YKC pile times at +08:00).
    pub fn new(dialect: Dialect) -> Self {
        match dialect {
            Dialect::Ykc => Self::Ykc(YkcAdapter::default()),
            Dialect::Dny => Self::Dny(DnyAdapter::new()),
            Dialect::Juy => Self::Juy(JuyAdapter::new()),
        }
    }

    /// The adapter's dialect.
    pub const fn dialect(&self) -> Dialect {
        match self {
            Self::Ykc(_) => Dialect::Ykc,
            Self::Dny(_) => Dialect::Dny,
            Self::Juy(_) => Dialect::Juy,
        }
    }
}

impl Adapter for AnyAdapter {
    type Frame = AnyFrame;

    fn events(&mut self, frame: &AnyFrame, out: &mut Events) -> Result<(), ModelError> {
        match (self, frame) {
            (Self::Ykc(a), AnyFrame::Ykc(f)) => a.events(f, out),
            (Self::Dny(a), AnyFrame::Dny(f)) => a.events(f, out),
            (Self::Juy(a), AnyFrame::Juy(f)) => a.events(f, out),
            (a, f) => Err(ModelError::DialectMismatch {
                adapter: a.dialect(),
                frame: f.dialect(),
            }),
        }
    }

    fn command(
        &mut self,
        pile: &PileId,
        command: &PileCommand,
        reply_to: ReplyTo,
    ) -> Result<AnyFrame, ModelError> {
        Ok(match self {
            Self::Ykc(a) => AnyFrame::Ykc(a.command(pile, command, reply_to)?),
            Self::Dny(a) => AnyFrame::Dny(a.command(pile, command, reply_to)?),
            Self::Juy(a) => AnyFrame::Juy(a.command(pile, command, reply_to)?),
        })
    }
}

/// Why a frame gave no event, or a command no frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// A frame that must name a port names none (or port 0 / "device chooses").
    #[error("the frame names no port")]
    MissingPort,
    /// A stop needs the order number in this dialect.
    #[error("a stop needs the order number in this dialect")]
    MissingOrder,
    /// A frame arrived before the pile identified itself (JUY before its login).
    #[error("a frame arrived before the pile identified itself")]
    UnknownPile,
    /// The command's pile belongs to another dialect (or a frame of another dialect was given).
    #[error("pile `{pile}` does not speak this dialect")]
    WrongDialect {
        /// The pile.
        pile: PileId,
    },
    /// A frame of another dialect than the adapter's.
    #[error("a {} frame reached the {} adapter", frame.name(), adapter.name())]
    DialectMismatch {
        /// The adapter's dialect.
        adapter: Dialect,
        /// The frame's dialect.
        frame: Dialect,
    },
    /// The dialect has no frame for the command.
    #[error("{} has no frame for {what}", dialect.name())]
    NotInDialect {
        /// What was asked.
        what: &'static str,
        /// The dialect.
        dialect: Dialect,
    },
    /// A value the dialect's field cannot carry.
    #[error("the {what} cannot be sent: {reason}")]
    NotRepresentable {
        /// The value.
        what: &'static str,
        /// What the field holds.
        reason: &'static str,
    },
    /// A time-of-use class the dialect's billing model has no place for.
    #[error("class `{class}` cannot be sent to a {} pile", dialect.name())]
    ClassNotInDialect {
        /// The class.
        class: crate::tariff::TouClass,
        /// The dialect.
        dialect: Dialect,
    },
    /// A plan the tariff refuses.
    #[error(transparent)]
    Tariff(#[from] crate::tariff::TariffError),
}
