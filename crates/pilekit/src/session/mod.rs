//! The session engine: every socket's charging session, from plug-in to settled receipt,
//! sans-IO.
//!
//! Layer: `session` uses [`model`](crate::model) (events and commands, one adapter per
//! dialect), [`codec`](crate::codec) (the stream decoder of each link) and
//! [`tariff`](crate::tariff) (the bill of each session, under the plan frozen at its start). It
//! never reads a clock, opens a socket or spawns: time comes in as `now`, output is pulled with
//! `poll_*`.
//!
//! Two levels, as in quinn-proto's endpoint/connection split: a link per TCP connection turns
//! bytes into events (its stream decoder and adapter) and commands into bytes; the [`Station`]
//! owns piles, ports, sessions, the settlement ledger and timers. The call order is on
//! [`Station`]; the state machine of a port is in [`port`].
//!
//! ```
//! use pilekit::codec::{Frame, dny::{DnyFrame, DnyMessage, PhysicalId, Register}};
//! use pilekit::session::{Config, Notification, Station};
//! use pilekit::time::Timestamp;
//!
//! let plan = serde_json::from_str(
//!     r#"{"family": "fixed_block", "price_yuan": 1, "block_min": 240, "billed_by": "minute"}"#,
//! )
//! .unwrap();
//! let mut station = Station::new(Config::default(), plan);
//! let now = Timestamp::from_unix(1_764_675_000).unwrap();
//! let link = station.connect(now);
//! let register = DnyFrame::new(PhysicalId(0x05AB373B), 1, DnyMessage::Register(Register::new(105, 10, 0, 5, 0)));
//! station.handle_bytes(link, &register.encode().unwrap(), now);
//! // the pile is online, and its registration is acknowledged
//! assert!(matches!(station.poll_notification(), Some(Notification::PileOnline { .. })));
//! let ack = station.poll_transmit().unwrap();
//! assert_eq!(ack.link, link);
//! assert_eq!(&ack.bytes[..3], b"DNY");
//! ```

mod config;
mod links;
mod notify;
pub mod port;
mod samples;
mod station;
mod table;

pub use config::{BudgetPolicy, Config, PowerBudget, PowerHold};
pub use notify::{
    Anomaly, LinkFault, LinkId, Notification, Origin, SessionError, SessionRecord, StartLimit,
    StartRefusal, StartRequest,
};
pub use port::Phase;
pub use station::{Station, Transmit};
