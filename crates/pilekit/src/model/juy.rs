//! The JUY (`5A A5`) adapter: pile frames → [`PileEvent`]s, [`PileCommand`]s → platform frames.
//!
//! | Frame | Event | Answer |
//! |---|---|---|
//! | 0x81 login | [`PileEvent::LoggedIn`] | 0x81 reply ([`PileCommand::AckLogin`]) |
//! | 0x82 heartbeat | [`PileEvent::Heartbeat`], a [`PileEvent::PortStatus`] per port | 0x82 reply |
//! | 0x88 port data, 0x8F time-of-use port data | a [`PileEvent::MeterSample`] per busy port | none |
//! | 0x83 start reply | [`PileEvent::StartResult`] | none |
//! | 0x84 stop reply | [`PileEvent::StopResult`] | none |
//! | 0x85 end-of-charge report | [`PileEvent::Settlement`] | 0x85 ack (within 10 s; resent 3×) |
//! | 0x86 local start report | [`PileEvent::LocalStart`] | 0x86 ack |
//! | 0x87 card swipe | [`PileEvent::CardAuthRequest`] | 0x87 reply |
//! | 0x8A, 0x8D, 0xF5 replies | [`PileEvent::CommandResult`] | none |
//! | 0xC0 IMEI report | [`PileEvent::Heartbeat`] | 0xC0 ack (an [`PileCommand::AckHeartbeat`] with the report's [`ReplyTo`]) |
//! | anything else | [`PileEvent::Other`] | — |
//!
//! A JUY pile names itself only in its login (and, in the IMEI form, in every frame): the
//! adapter keeps the IMEI of the login and refuses frames of the original form before it
//! ([`ModelError::UnknownPile`]). Order numbers are u32 and read as their decimal digits.
//! Commands to a pile that sends the IMEI form are sent in the IMEI form.

use alloc::boxed::Box;

use super::event::{
    ChargeLimit, Events, LoginInfo, MeterSample, PileCommand, PileEvent, ReplyTo, Settlement,
    StartCharge, StartOutcome, Uplink,
};
use super::types::{
    CardId, LocalStart, OrderRef, PileId, PortNo, PortStatus, RawCode, Refusal, StopCause,
    StopReason,
};
use super::{Adapter, ModelError, dny::command_name};
use crate::codec::fields::{Ascii, Bcd};
use crate::codec::juy::{
    self, CardAuthReply, CardAuthResult, ChargeMode, JuyFrame, JuyMessage, LocalStartMode,
    LoginReply, LoginResult, PortOrder, PortState, RemoteStart, Reserved, StartMode,
};
use crate::codec::{AnyFrame, Dialect};
use crate::units::Money;

/// Turns JUY frames of one pile into events and commands into JUY frames.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct JuyAdapter {
    imei: Option<Ascii<15>>,
    imei_form: bool,
}

const RAW: fn(u8) -> RawCode = |c| RawCode::new(Dialect::Juy, u16::from(c));

/// The neutral status of a heartbeat's port state.
pub fn port_status(state: PortState) -> PortStatus {
    match state {
        PortState::Idle => PortStatus::Idle,
        PortState::InUse => PortStatus::Charging,
        PortState::FuseBlown | PortState::RelayWelded => PortStatus::Fault,
        PortState::Disabled => PortStatus::Disabled,
        _ => PortStatus::Unknown,
    }
}

/// The neutral stop reason of an end-of-charge report's code.
pub fn stop_reason(reason: juy::StopReason) -> StopReason {
    use juy::StopReason as S;
    let cause = match reason {
        S::Full | S::SmartStop => StopCause::BatteryFull,
        S::TimeUsedUp => StopCause::TimeLimit,
        S::MoneyUsedUp => StopCause::MoneyLimit,
        S::Manual => StopCause::RemoteStop,
        S::EnergyUsedUp => StopCause::EnergyLimit,
        S::PortOverPower => StopCause::OverPower,
        S::NoChargerDetected => StopCause::Unplugged,
        S::OverTemperature => StopCause::OverTemperature,
        S::Smoke => StopCause::Smoke,
        _ => StopCause::Other,
    };
    StopReason {
        cause,
        raw: RAW(reason.code()),
    }
}

/// What a platform's remote start (0x83) or stop (0x84) frame asks of the pile, read back as
/// a neutral command: for tools that read the platform's side of a log, such as the replay.
/// Other frames give `None`.
pub fn platform_command(frame: &JuyFrame) -> Option<PileCommand> {
    match &frame.message {
        JuyMessage::RemoteStart(s) => Some(PileCommand::Start(StartCharge {
            port: PortNo::new(s.port)?,
            order: OrderRef::from_number(s.order),
            limit: match s.limit() {
                juy::ChargeLimit::Time(duration) => ChargeLimit::Time { duration },
                juy::ChargeLimit::Amount(amount) => ChargeLimit::Money { amount },
                juy::ChargeLimit::Energy(energy) => ChargeLimit::Energy { energy },
                juy::ChargeLimit::None => ChargeLimit::UntilFull,
            },
            balance: Some(s.available_balance),
            card: (s.card != 0).then_some(CardId::Number(u64::from(s.card))),
        })),
        JuyMessage::RemoteStop(s) => Some(PileCommand::Stop {
            port: PortNo::new(s.port)?,
            order: Some(OrderRef::from_number(s.order)),
        }),
        _ => None,
    }
}

fn port(n: u8) -> Result<PortNo, ModelError> {
    PortNo::new(n).ok_or(ModelError::MissingPort)
}

fn order_number(order: &OrderRef) -> Result<u32, ModelError> {
    order.to_number().ok_or(ModelError::NotRepresentable {
        what: "order",
        reason: "a JUY order number is a u32, written as its decimal digits",
    })
}

fn fen_u32(m: Money) -> Result<u32, ModelError> {
    m.as_fen()
        .and_then(|f| u32::try_from(f).ok())
        .ok_or(ModelError::NotRepresentable {
            what: "amount",
            reason: "whole fen from 0 to 42949672.95 yuan",
        })
}

impl JuyAdapter {
    /// A new adapter, for a pile that has not logged in yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// An adapter for a pile known by its IMEI (a link that continues after a restart).
    pub fn for_pile(imei: Ascii<15>) -> Self {
        Self {
            imei: Some(imei),
            imei_form: false,
        }
    }

    /// The IMEI of the pile, once known.
    pub fn imei(&self) -> Option<Ascii<15>> {
        self.imei
    }
}

impl Adapter for JuyAdapter {
    type Frame = JuyFrame;

    fn events(&mut self, frame: &JuyFrame, out: &mut Events) -> Result<(), ModelError> {
        if frame.direction() != crate::codec::Direction::Up {
            return Ok(());
        }
        if let Some(imei) = frame.imei {
            self.imei = Some(imei);
            self.imei_form = true;
        }
        if let JuyMessage::Login(l) = &frame.message {
            self.imei = Some(l.imei);
        }
        let pile = PileId::Juy(self.imei.ok_or(ModelError::UnknownPile)?);
        // The command code tells an acknowledgement which frame it answers (0xC0 or 0x82).
        let reply_to = ReplyTo {
            id: u16::from(frame.command()),
            flags: 0,
        };
        let up = |event| Uplink {
            pile,
            event,
            reply_to,
        };
        match &frame.message {
            JuyMessage::Login(l) => out.push(up(PileEvent::LoggedIn(LoginInfo {
                ports: Some(l.port_count),
                firmware: l.software_version.as_str().map(Into::into),
                iccid: l.iccid.as_str().map(Into::into),
                protocol_version: Some(u16::from(l.signal)),
            }))),
            JuyMessage::Heartbeat(h) => {
                out.push(up(PileEvent::Heartbeat { port: None }));
                for (i, &state) in h.ports.iter().enumerate() {
                    out.push(up(PileEvent::PortStatus {
                        port: port(u8::try_from(i + 1).unwrap_or(u8::MAX))?,
                        status: port_status(state),
                        raw: RAW(state.code()),
                    }));
                }
            }
            JuyMessage::ImeiReport(_) => out.push(up(PileEvent::Heartbeat { port: None })),
            JuyMessage::PortData(d) => {
                for s in d.ports.iter() {
                    out.push(up(PileEvent::MeterSample {
                        port: port(s.port)?,
                        sample: MeterSample {
                            status: Some(PortStatus::Charging),
                            power: Some(s.power),
                            voltage: Some(d.voltage),
                            energy: Some(s.energy),
                            elapsed: Some(s.time),
                            amount: Some(s.amount),
                            temperature: Some(s.temperature),
                            ..MeterSample::default()
                        },
                    }));
                }
            }
            JuyMessage::TouPortData(d) => {
                for s in &d.ports {
                    let energy = s
                        .periods
                        .iter()
                        .try_fold(crate::units::Energy::ZERO, |a, p| a.checked_add(p.energy));
                    out.push(up(PileEvent::MeterSample {
                        port: port(s.port)?,
                        sample: MeterSample {
                            status: Some(PortStatus::Charging),
                            power: Some(s.power),
                            voltage: Some(d.voltage),
                            energy,
                            elapsed: Some(s.time),
                            amount: Some(s.amount),
                            temperature: Some(s.temperature),
                            ..MeterSample::default()
                        },
                    }));
                }
            }
            JuyMessage::RemoteStartReply(r) => out.push(up(PileEvent::StartResult {
                port: port(r.port)?,
                order: Some(OrderRef::from_number(r.order)),
                outcome: match r.result {
                    juy::StartResult::Started => StartOutcome::Started,
                    other => StartOutcome::Refused {
                        refusal: match other {
                            juy::StartResult::AlreadyCharging => Refusal::Busy,
                            juy::StartResult::PortFault => Refusal::Fault,
                            _ => Refusal::Other,
                        },
                        raw: RAW(other.code()),
                    },
                },
            })),
            JuyMessage::RemoteStopReply(r) => out.push(up(PileEvent::StopResult {
                port: port(r.port)?,
                order: Some(OrderRef::from_number(r.order)),
                stopped: matches!(
                    r.result,
                    juy::StopResult::Done | juy::StopResult::AlreadyIdle
                ),
            })),
            JuyMessage::EndOfChargeReport(r) => out.push(up(PileEvent::Settlement {
                port: port(r.port)?,
                settlement: Settlement {
                    order: OrderRef::from_number(r.order),
                    started: None,
                    ended: None,
                    duration: Some(r.duration),
                    energy: r.energy,
                    amount: Some(r.amount),
                    max_power: None,
                    class_energy: None,
                    stop: stop_reason(r.stop_reason),
                    card: (r.card != 0).then_some(CardId::Number(u64::from(r.card))),
                },
            })),
            JuyMessage::LocalStartReport(r) => out.push(up(PileEvent::LocalStart {
                port: port(r.port)?,
                order: Some(OrderRef::from_number(r.order)),
                by: match r.mode {
                    LocalStartMode::Coin => crate::model::LocalStart::Coin,
                    LocalStartMode::FreeButton => LocalStart::FreeButton,
                    LocalStartMode::OfflineCard => LocalStart::Card {
                        card: CardId::Number(u64::from(r.card)),
                    },
                    _ => LocalStart::Other,
                },
                paid: Some(r.amount),
            })),
            JuyMessage::CardAuth(c) => out.push(up(PileEvent::CardAuthRequest {
                port: PortNo::new(c.port),
                card: CardId::Number(u64::from(c.card)),
                balance: None,
            })),
            JuyMessage::WriteParametersAck(_) => out.push(up(PileEvent::CommandResult {
                command: 0x8A,
                ok: frame.result == juy::FrameResult::Ok,
            })),
            JuyMessage::SetTouTariffReply(r) => out.push(up(PileEvent::CommandResult {
                command: 0x8D,
                ok: r.result == 0,
            })),
            JuyMessage::OtaReply(r) => out.push(up(PileEvent::CommandResult {
                command: 0xF5,
                ok: r.result == juy::OtaResult::Ok,
            })),
            _ => out.push(up(PileEvent::Other(Box::new(AnyFrame::Juy(frame.clone()))))),
        }
        Ok(())
    }

    fn command(
        &mut self,
        pile: &PileId,
        command: &PileCommand,
        reply_to: ReplyTo,
    ) -> Result<JuyFrame, ModelError> {
        let PileId::Juy(imei) = *pile else {
            return Err(ModelError::WrongDialect { pile: *pile });
        };
        let port_order = |port: &PortNo, order: &OrderRef| -> Result<PortOrder, ModelError> {
            Ok(PortOrder {
                port: port.get(),
                order: order_number(order)?,
            })
        };
        let message = match command {
            PileCommand::AckLogin {
                accepted,
                heartbeat_interval_s,
                ..
            } => JuyMessage::LoginReply(LoginReply {
                time: Bcd::default(),
                heartbeat_interval: heartbeat_interval_s.unwrap_or(60).clamp(10, 250),
                result: if *accepted {
                    LoginResult::Ok
                } else {
                    LoginResult::IllegalModule
                },
            }),
            PileCommand::AckHeartbeat { .. } if reply_to.id == 0xC0 => {
                JuyMessage::ImeiReportAck(Reserved::default())
            }
            PileCommand::AckHeartbeat { .. } => JuyMessage::HeartbeatReply(Reserved::default()),
            PileCommand::AckSettlement { port, order } => {
                JuyMessage::EndOfChargeAck(port_order(port, order)?)
            }
            PileCommand::AckLocalStart { port, order } => {
                JuyMessage::LocalStartAck(port_order(port, order)?)
            }
            PileCommand::AnswerCard {
                port,
                card,
                accepted,
                balance,
                ..
            } => JuyMessage::CardAuthReply(CardAuthReply {
                port: port.map_or(0, PortNo::get),
                card: match card {
                    CardId::Number(n) => u32::try_from(*n).ok(),
                    CardId::Uid { .. } => None,
                }
                .ok_or(ModelError::NotRepresentable {
                    what: "card",
                    reason: "a JUY card is a u32 number",
                })?,
                balance: fen_u32(*balance)?,
                result: if *accepted {
                    CardAuthResult::Ok
                } else {
                    CardAuthResult::InsufficientBalance
                },
            }),
            PileCommand::Start(s) => {
                let (charge_mode, parameter) = match s.limit {
                    ChargeLimit::UntilFull => (ChargeMode::UntilFull, 0),
                    ChargeLimit::Time { duration } => (ChargeMode::ByTime, duration.0),
                    ChargeLimit::Money { amount } => (ChargeMode::ByAmount, fen_u32(amount)?),
                    ChargeLimit::Energy { energy } => (
                        ChargeMode::ByEnergy,
                        energy
                            .to_scaled(2)
                            .and_then(|v| u32::try_from(v).ok())
                            .ok_or(ModelError::NotRepresentable {
                                what: "energy",
                                reason: "whole 0.01 kWh in a u32",
                            })?,
                    ),
                };
                let card = match s.card {
                    Some(CardId::Number(n)) => {
                        u32::try_from(n).map_err(|_| ModelError::NotRepresentable {
                            what: "card",
                            reason: "a JUY card is a u32 number",
                        })?
                    }
                    Some(CardId::Uid { .. }) => {
                        return Err(ModelError::NotRepresentable {
                            what: "card",
                            reason: "a JUY card is a u32 number",
                        });
                    }
                    None => 0,
                };
                JuyMessage::RemoteStart(RemoteStart {
                    port: s.port.get(),
                    order: order_number(&s.order)?,
                    start_mode: if card != 0 {
                        StartMode::CardPay
                    } else {
                        StartMode::QrPay
                    },
                    card,
                    charge_mode,
                    parameter,
                    available_balance: s.balance.unwrap_or(Money::ZERO),
                })
            }
            PileCommand::Stop { port, order } => {
                let order = order.ok_or(ModelError::MissingOrder)?;
                JuyMessage::RemoteStop(port_order(port, &order)?)
            }
            PileCommand::Query { .. } => JuyMessage::QueryPortData(Reserved::default()),
            PileCommand::SendPlan { plan, .. } => {
                let mut table = crate::codec::juy::TouTariff {
                    mode: crate::codec::juy::TouMode::Energy,
                    rates: alloc::vec::Vec::new(),
                    loss_ratio: 0,
                    slots: crate::codec::fields::HalfHourSlots([0; 48]),
                };
                table.set_plan(plan)?;
                JuyMessage::SetTouTariff(table)
            }
            PileCommand::Frame(f) => match &**f {
                AnyFrame::Juy(f) => return Ok(f.clone()),
                _ => return Err(ModelError::WrongDialect { pile: *pile }),
            },
            _ => {
                return Err(ModelError::NotInDialect {
                    what: command_name(command),
                    dialect: Dialect::Juy,
                });
            }
        };
        let frame = JuyFrame::new(message);
        Ok(if self.imei_form {
            frame.with_imei(imei)
        } else {
            frame
        })
    }
}

/// The limit of a remote start in neutral terms.
pub fn charge_limit(start: &RemoteStart) -> ChargeLimit {
    match start.limit() {
        juy::ChargeLimit::None => ChargeLimit::UntilFull,
        juy::ChargeLimit::Time(duration) => ChargeLimit::Time { duration },
        juy::ChargeLimit::Amount(amount) => ChargeLimit::Money { amount },
        juy::ChargeLimit::Energy(energy) => ChargeLimit::Energy { energy },
    }
}
