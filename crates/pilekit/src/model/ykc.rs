//! The YKC adapter: pile frames → [`PileEvent`]s, [`PileCommand`]s → platform frames.
//!
//! | Frame | Event | Answer |
//! |---|---|---|
//! | 0x01 login | [`PileEvent::LoggedIn`] | 0x02 ([`PileCommand::AckLogin`]) |
//! | 0x03 heartbeat (per gun) | [`PileEvent::Heartbeat`] | 0x04 |
//! | 0x05 billing-model check | [`PileEvent::BillingModelRequest`] with the pile's model number | 0x06 ([`PileCommand::AnswerModelCheck`]) |
//! | 0x09 billing-model request | [`PileEvent::BillingModelRequest`] | 0x0A ([`PileCommand::SendPlan`] as a reply) |
//! | 0x13 real-time data | [`PileEvent::PortStatus`] and [`PileEvent::MeterSample`] | none |
//! | 0x31 start request at the pile (card, VIN) | [`PileEvent::CardAuthRequest`] | 0x32 ([`PileCommand::AnswerCard`]) |
//! | 0x33 remote start reply | [`PileEvent::StartResult`] | none |
//! | 0x35 remote stop reply | [`PileEvent::StopResult`] | none |
//! | 0x3B transaction record | [`PileEvent::Settlement`] | 0x40 ([`PileCommand::AckSettlement`]) |
//! | 0x51, 0x55, 0x57, 0x91, 0xF1 replies | [`PileEvent::CommandResult`] | none |
//! | anything else | [`PileEvent::Other`] | — |
//!
//! Pile times (CP56Time2a) are local wall time; the adapter reads them at its UTC offset
//! (default +08:00). Trade serials are kept as their 32 digits. A meter sample's power is the
//! product of the reported voltage and current, truncated to 0.1 W. Replies echo the sequence
//! number and CRC byte order of the frame they answer (carried in [`ReplyTo`]).
//!
//! A YKC remote start carries the account balance, not a limit: [`ChargeLimit::Money`] is sent
//! as the balance (the pile stops when it is spent), [`ChargeLimit::UntilFull`] sends the
//! start's balance; time and energy limits are refused (stop the charge with
//! [`PileCommand::Stop`] instead).

use alloc::boxed::Box;

use super::event::{
    ChargeLimit, Events, LoginInfo, MeterSample, PileCommand, PileEvent, ReplyTo, Settlement,
    StartCharge, StartOutcome, Uplink,
};
use super::types::{
    CardId, OrderRef, PileId, PortNo, PortStatus, RawCode, Refusal, StopCause, StopReason,
};
use super::{Adapter, ModelError, dny::command_name};
use crate::codec::fields::{Bcd, HexBytes};
use crate::codec::ykc::{
    self, AuthFailure, BillingModel, ClockSync, GunStatus, HeartbeatReply, LoginReply, ModelCheck,
    ModelCheckReply, ModelNumber, OneIsSuccess, PileCode, ReadRealTimeData, RecordCheck,
    RemoteStart, RemoteStop, Seq, StartAuthorization, TradeSerial, TransactionAck, YkcFrame,
    YkcMessage, ZeroIsSuccess,
};
use crate::codec::{AnyFrame, ByteOrder, Dialect};
use crate::time::{Timestamp, UtcOffset};
use crate::units::{Energy, Money, Power, Seconds};

/// Turns YKC frames into events and commands into YKC frames.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct YkcAdapter {
    offset: UtcOffset,
    next_seq: u16,
}

impl Default for YkcAdapter {
    fn default() -> Self {
        Self::new(UtcOffset::CHINA)
    }
}

const RAW: fn(u8) -> RawCode = |c| RawCode::new(Dialect::Ykc, u16::from(c));

/// The order reference of a trade serial: its 32 digits.
pub fn order_ref(serial: &TradeSerial) -> OrderRef {
    let mut digits = [0u8; 32];
    for (i, b) in serial.0.iter().enumerate() {
        digits[2 * i] = hex_digit(b >> 4);
        digits[2 * i + 1] = hex_digit(b & 0x0F);
    }
    OrderRef::from_bytes(&digits).unwrap_or_default()
}

fn hex_digit(n: u8) -> u8 {
    match n {
        0..=9 => b'0' + n,
        _ => b'a' + n - 10,
    }
}

/// The trade serial of an order reference of up to 32 (hex) digits, zero-padded in front.
pub fn trade_serial(order: &OrderRef) -> Result<TradeSerial, ModelError> {
    core::str::from_utf8(order.as_bytes())
        .ok()
        .and_then(|t| Bcd::from_digits(t).ok())
        .ok_or(ModelError::NotRepresentable {
            what: "order",
            reason: "a YKC trade serial is up to 32 digits",
        })
}

/// What a platform's remote start (0x34) or stop (0x36) frame asks of the pile, read back as a
/// neutral command: for tools that read the platform's side of a log, such as the replay. A
/// YKC start is limited by the account balance it carries. Other frames give `None`.
pub fn platform_command(frame: &YkcFrame) -> Option<PileCommand> {
    match &frame.message {
        YkcMessage::RemoteStart(s) => Some(PileCommand::Start(StartCharge {
            port: gun(s.gun).ok()?,
            order: order_ref(&s.trade_serial),
            limit: ChargeLimit::Money { amount: s.balance },
            balance: Some(s.balance),
            card: s
                .logical_card
                .to_u64()
                .filter(|&n| n != 0)
                .map(CardId::Number),
        })),
        YkcMessage::RemoteStop(s) => Some(PileCommand::Stop {
            port: gun(s.gun).ok()?,
            order: None,
        }),
        _ => None,
    }
}

fn gun(n: u8) -> Result<PortNo, ModelError> {
    PortNo::new(n).ok_or(ModelError::MissingPort)
}

/// The neutral status of a gun status, refined by whether the gun is plugged.
pub fn port_status(status: GunStatus, plugged: bool) -> PortStatus {
    match status {
        GunStatus::Idle if plugged => PortStatus::Plugged,
        GunStatus::Idle => PortStatus::Idle,
        GunStatus::Charging => PortStatus::Charging,
        GunStatus::Fault => PortStatus::Fault,
        _ => PortStatus::Unknown,
    }
}

/// The neutral stop reason of a transaction record's code.
pub fn stop_reason(reason: ykc::StopReason) -> StopReason {
    use ykc::StopReason as S;
    let cause = match reason {
        S::AppStop => StopCause::RemoteStop,
        S::SocFull | S::BmsVoltageReached => StopCause::BatteryFull,
        S::EnergyReached => StopCause::EnergyLimit,
        S::AmountReached | S::BalanceInsufficient => StopCause::MoneyLimit,
        S::TimeReached => StopCause::TimeLimit,
        S::ManualStop | S::EmergencyStop => StopCause::LocalStop,
        S::PilotDisconnected | S::ElectronicLock => StopCause::Unplugged,
        S::PilePowerLoss => StopCause::PowerLoss,
        S::Temperature | S::BatteryOverTemperature => StopCause::OverTemperature,
        S::TotalVoltageHigh | S::CellVoltageHigh => StopCause::OverVoltage,
        S::TotalVoltageLow | S::CellVoltageLow => StopCause::UnderVoltage,
        S::NoCurrent => StopCause::NoLoad,
        S::SystemLockout
        | S::BreakerTripped
        | S::MeterComm
        | S::AcProtection
        | S::DcProtection
        | S::ModuleFault
        | S::SurgeProtector
        | S::OutputAbnormal => StopCause::HardwareFault,
        S::TotalVoltage
        | S::BmvFault
        | S::BmtFault
        | S::BatteryState
        | S::VehicleForbids
        | S::BcsTimeout
        | S::BclTimeout
        | S::BsmTimeout
        | S::BstTimeout
        | S::BsdTimeout
        | S::CcsTimeout => StopCause::VehicleFault,
        r if r.is_start_failure() => StopCause::StartFailed,
        _ => StopCause::Other,
    };
    StopReason {
        cause,
        raw: RAW(reason.code()),
    }
}

/// The neutral outcome of a remote start reply.
pub fn start_outcome(reply: &ykc::RemoteStartReply) -> StartOutcome {
    if reply.result == OneIsSuccess::Success {
        return StartOutcome::Started;
    }
    use ykc::StartFailure as F;
    StartOutcome::Refused {
        refusal: match reply.failure {
            F::AlreadyCharging => Refusal::Busy,
            F::Fault => Refusal::Fault,
            F::Offline => Refusal::NoResponse,
            F::NotPlugged => Refusal::NotPlugged,
            _ => Refusal::Other,
        },
        raw: RAW(reply.failure.code()),
    }
}

fn model_number(n: u16) -> Result<ModelNumber, ModelError> {
    Bcd::from_u64(u64::from(n)).ok_or(ModelError::NotRepresentable {
        what: "model number",
        reason: "a YKC billing-model number has 4 digits",
    })
}

impl YkcAdapter {
    /// An adapter reading pile times at `offset`.
    pub fn new(offset: UtcOffset) -> Self {
        Self {
            offset,
            next_seq: 0,
        }
    }

    fn time(&self, t: crate::time::LocalDateTime) -> Option<Timestamp> {
        Timestamp::from_local(t, self.offset)
    }

    fn frame(&mut self, message: YkcMessage, reply_to: ReplyTo) -> YkcFrame {
        let seq = if reply_to == ReplyTo::NONE {
            self.next_seq = self.next_seq.wrapping_add(1);
            self.next_seq
        } else {
            reply_to.id
        };
        let mut frame = YkcFrame::new(Seq::from_be(seq), message);
        if reply_to.flags & 1 != 0 {
            frame.checksum_order = ByteOrder::HighByteFirst;
        }
        frame
    }
}

impl Adapter for YkcAdapter {
    type Frame = YkcFrame;

    fn events(&mut self, frame: &YkcFrame, out: &mut Events) -> Result<(), ModelError> {
        if frame.direction() != crate::codec::Direction::Up {
            return Ok(());
        }
        let Some(code) = pile_code(&frame.message) else {
            // Frames without a pile code (0x40 is the platform's) carry no pile event.
            return Ok(());
        };
        let pile = PileId::Ykc(code);
        let reply_to = ReplyTo {
            id: frame.seq.as_be(),
            flags: u8::from(frame.checksum_order == ByteOrder::HighByteFirst),
        };
        let up = |event| Uplink {
            pile,
            event,
            reply_to,
        };
        match &frame.message {
            YkcMessage::Login(l) => out.push(up(PileEvent::LoggedIn(LoginInfo {
                ports: Some(l.gun_count),
                firmware: l.program_version.as_str().map(Into::into),
                iccid: Some(alloc::format!("{}", l.sim)),
                protocol_version: Some(u16::from(l.protocol_version)),
            }))),
            YkcMessage::Heartbeat(h) => out.push(up(PileEvent::Heartbeat {
                port: Some(gun(h.gun)?),
            })),
            YkcMessage::ModelCheckRequest(r) => out.push(up(PileEvent::BillingModelRequest {
                current: r.model_number.to_u64().and_then(|n| u16::try_from(n).ok()),
            })),
            YkcMessage::ModelRequest(_) => {
                out.push(up(PileEvent::BillingModelRequest { current: None }))
            }
            YkcMessage::RealTimeData(d) => {
                let port = gun(d.gun)?;
                let plugged = d.plugged == ykc::Plugged::Yes;
                let status = port_status(d.status, plugged);
                out.push(up(PileEvent::PortStatus {
                    port,
                    status,
                    raw: RAW(d.status.code()),
                }));
                let power = i64::from(d.output_voltage.0) * i64::from(d.output_current.0) / 1000;
                out.push(up(PileEvent::MeterSample {
                    port,
                    sample: MeterSample {
                        order: (!d.trade_serial.is_zero()).then(|| order_ref(&d.trade_serial)),
                        at: None,
                        status: Some(status),
                        power: Some(Power(power)),
                        voltage: Some(d.output_voltage),
                        current: Some(d.output_current),
                        energy: Some(d.energy),
                        elapsed: Some(Seconds(d.charged.0 * 60)),
                        amount: Some(d.amount),
                        soc: (d.soc != 0).then_some(d.soc),
                        temperature: Some(d.gun_temperature),
                    },
                }));
            }
            YkcMessage::StartRequest(r) => out.push(up(PileEvent::CardAuthRequest {
                port: PortNo::new(r.gun),
                card: CardId::uid(&r.card.0).unwrap_or(CardId::Number(0)),
                balance: None,
            })),
            YkcMessage::RemoteStartReply(r) => out.push(up(PileEvent::StartResult {
                port: gun(r.gun)?,
                order: Some(order_ref(&r.trade_serial)),
                outcome: start_outcome(r),
            })),
            YkcMessage::RemoteStopReply(r) => out.push(up(PileEvent::StopResult {
                port: gun(r.gun)?,
                order: None,
                stopped: r.result == OneIsSuccess::Success
                    || r.failure == ykc::StopFailure::NotCharging,
            })),
            YkcMessage::TransactionRecord(t) => {
                let classes = [&t.sharp, &t.peak, &t.flat, &t.valley];
                let mut class_energy = [Energy::ZERO; 5];
                for (e, c) in class_energy.iter_mut().zip(classes) {
                    *e = c.energy;
                }
                out.push(up(PileEvent::Settlement {
                    port: gun(t.gun)?,
                    settlement: Settlement {
                        order: order_ref(&t.trade_serial),
                        started: self.time(t.start_time),
                        ended: self.time(t.end_time),
                        duration: None,
                        energy: t.total_energy,
                        amount: Some(t.total_amount),
                        max_power: None,
                        class_energy: Some(class_energy),
                        stop: stop_reason(t.stop_reason),
                        card: (t.physical_card.0 != [0; 8])
                            .then(|| CardId::uid(&t.physical_card.0))
                            .flatten(),
                    },
                }));
            }
            YkcMessage::WorkParametersReply(r)
            | YkcMessage::RebootReply(r)
            | YkcMessage::QrPrefixReply(r) => out.push(up(PileEvent::CommandResult {
                command: u16::from(frame.frame_type().0),
                ok: r.result == OneIsSuccess::Success,
            })),
            YkcMessage::ModelSetReply(r) => out.push(up(PileEvent::CommandResult {
                command: 0x57,
                ok: r.result == OneIsSuccess::Success,
            })),
            YkcMessage::ClockSyncReply(_) => out.push(up(PileEvent::CommandResult {
                command: 0x55,
                ok: true,
            })),
            m if m.direction() == crate::codec::Direction::Up => {
                out.push(up(PileEvent::Other(Box::new(AnyFrame::Ykc(frame.clone())))))
            }
            _ => {}
        }
        Ok(())
    }

    fn command(
        &mut self,
        pile: &PileId,
        command: &PileCommand,
        reply_to: ReplyTo,
    ) -> Result<YkcFrame, ModelError> {
        let PileId::Ykc(pile_code) = *pile else {
            return Err(ModelError::WrongDialect { pile: *pile });
        };
        let balance_fen = |m: Money| -> Result<Money, ModelError> {
            match m.as_fen() {
                Some(f) if (0..=i64::from(u32::MAX)).contains(&f) => Ok(m),
                _ => Err(ModelError::NotRepresentable {
                    what: "balance",
                    reason: "whole fen from 0 to 42949672.95 yuan",
                }),
            }
        };
        let message = match command {
            PileCommand::AckLogin { accepted, .. } => YkcMessage::LoginReply(LoginReply {
                pile_code,
                result: if *accepted {
                    ZeroIsSuccess::Success
                } else {
                    ZeroIsSuccess::Failure
                },
            }),
            PileCommand::AckHeartbeat { port } => YkcMessage::HeartbeatReply(HeartbeatReply {
                pile_code,
                gun: port.ok_or(ModelError::MissingPort)?.get(),
                reply: 0,
            }),
            PileCommand::AnswerModelCheck {
                model_number: n,
                current,
            } => YkcMessage::ModelCheckReply(ModelCheckReply {
                pile_code,
                model_number: model_number(*n)?,
                result: if *current {
                    ModelCheck::Same
                } else {
                    ModelCheck::Different
                },
            }),
            PileCommand::SendPlan {
                plan,
                model_number: n,
                as_reply,
            } => {
                let model = BillingModel::from_plan(pile_code, model_number(*n)?, plan)?;
                if *as_reply {
                    YkcMessage::ModelReply(model)
                } else {
                    YkcMessage::ModelSet(model)
                }
            }
            PileCommand::AnswerCard {
                port,
                card,
                accepted,
                balance,
                order,
            } => YkcMessage::StartAuthorization(StartAuthorization {
                trade_serial: trade_serial(&order.ok_or(ModelError::MissingOrder)?)?,
                pile_code,
                gun: port.ok_or(ModelError::MissingPort)?.get(),
                logical_card: logical_card(card),
                balance: balance_fen(*balance)?,
                authorized: if *accepted {
                    OneIsSuccess::Success
                } else {
                    OneIsSuccess::Failure
                },
                failure: if *accepted {
                    AuthFailure::None
                } else {
                    AuthFailure::InsufficientBalance
                },
            }),
            PileCommand::Start(s) => {
                let balance = match s.limit {
                    ChargeLimit::Money { amount } => amount,
                    ChargeLimit::UntilFull => s.balance.unwrap_or(Money::ZERO),
                    _ => {
                        return Err(ModelError::NotInDialect {
                            what: "a start limited by time or energy",
                            dialect: Dialect::Ykc,
                        });
                    }
                };
                let physical = s
                    .card
                    .and_then(|c| c.uid_bytes().map(<[u8]>::to_vec))
                    .unwrap_or_default();
                let mut physical_card = [0u8; 8];
                let n = physical.len().min(8);
                physical_card[8 - n..].copy_from_slice(&physical[..n]);
                YkcMessage::RemoteStart(RemoteStart {
                    trade_serial: trade_serial(&s.order)?,
                    pile_code,
                    gun: s.port.get(),
                    logical_card: s.card.map(|c| logical_card(&c)).unwrap_or_default(),
                    physical_card: HexBytes(physical_card),
                    balance: balance_fen(balance)?,
                })
            }
            PileCommand::Stop { port, .. } => YkcMessage::RemoteStop(RemoteStop {
                pile_code,
                gun: port.get(),
            }),
            PileCommand::AckSettlement { order, .. } => {
                YkcMessage::TransactionAck(TransactionAck {
                    trade_serial: trade_serial(order)?,
                    result: RecordCheck::Accepted,
                })
            }
            PileCommand::SyncClock { now } => YkcMessage::ClockSync(ClockSync {
                pile_code,
                time: now.at_offset(self.offset).to_local().map_err(|_| {
                    ModelError::NotRepresentable {
                        what: "time",
                        reason: "CP56Time2a holds years 2000–2099",
                    }
                })?,
            }),
            PileCommand::Query { port } => YkcMessage::ReadRealTimeData(ReadRealTimeData {
                pile_code,
                gun: port.ok_or(ModelError::MissingPort)?.get(),
            }),
            PileCommand::Frame(f) => match &**f {
                AnyFrame::Ykc(f) => return Ok(f.clone()),
                _ => return Err(ModelError::WrongDialect { pile: *pile }),
            },
            _ => {
                return Err(ModelError::NotInDialect {
                    what: command_name(command),
                    dialect: Dialect::Ykc,
                });
            }
        };
        Ok(self.frame(message, reply_to))
    }
}

fn logical_card(card: &CardId) -> ykc::LogicalCard {
    match card {
        CardId::Number(n) => Bcd::from_u64(*n).unwrap_or_default(),
        CardId::Uid { .. } => Bcd::default(),
    }
}

/// The pile code a message carries (every pile-side YKC message carries one).
fn pile_code(m: &YkcMessage) -> Option<PileCode> {
    use YkcMessage as M;
    Some(match m {
        M::Login(x) => x.pile_code,
        M::Heartbeat(x) => x.pile_code,
        M::ModelCheckRequest(x) => x.pile_code,
        M::ModelRequest(x) => x.pile_code,
        M::RealTimeData(x) => x.pile_code,
        M::Handshake(x) => x.pile_code,
        M::ParameterConfig(x) => x.pile_code,
        M::ChargeEnd(x) => x.pile_code,
        M::ErrorReport(x) => x.pile_code,
        M::BmsStop(x) | M::ChargerStop(x) => x.pile_code,
        M::BmsDemand(x) => x.pile_code,
        M::BmsInfo(x) => x.pile_code,
        M::StartRequest(x) => x.pile_code,
        M::RemoteStartReply(x) => x.pile_code,
        M::RemoteStopReply(x) => x.pile_code,
        M::TransactionRecord(x) => x.pile_code,
        M::BalanceUpdateReply(x) => x.pile_code,
        M::WorkParametersReply(x) | M::RebootReply(x) | M::QrPrefixReply(x) => x.pile_code,
        M::ClockSyncReply(x) => x.pile_code,
        M::ModelSetReply(x) => x.pile_code,
        M::UpdateReply(x) => x.pile_code,
        M::ParkingLockStatus(x) => x.pile_code,
        _ => return None,
    })
}
