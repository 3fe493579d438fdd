//! The DNY (AP3000) adapter: device frames → [`PileEvent`]s, [`PileCommand`]s → server frames.
//!
//! | Frame | Event | Answer |
//! |---|---|---|
//! | 0x20 register | [`PileEvent::LoggedIn`] | 0x20 ack ([`PileCommand::AckLogin`]) |
//! | 0x21 heartbeat, 0x01 old heartbeat | [`PileEvent::Heartbeat`], a [`PileEvent::PortStatus`] per socket (0x01 also a power sample per charging socket) | 0x21 / 0x01 ack |
//! | 0x06 port power | [`PileEvent::MeterSample`] | none |
//! | 0x02 card swipe | [`PileEvent::CardAuthRequest`] | 0x02 card reply |
//! | 0x03 settlement, 0x43 charge done | [`PileEvent::Settlement`] | 0x03 ack (0x43 is not answered) |
//! | 0x04 old order confirmation | [`PileEvent::LocalStart`] | 0x04 reply |
//! | 0x22 time request | [`PileEvent::ClockRequest`] | 0x22 time |
//! | 0x42 alarm push | [`PileEvent::Alarm`] | none |
//! | 0x82 start/stop reply | [`PileEvent::StartResult`] or [`PileEvent::StopResult`] | none |
//! | 0x83–0x97 acknowledgements | [`PileEvent::CommandResult`] | none |
//! | anything else | [`PileEvent::Other`] | — |
//!
//! Order numbers are 16 bytes on the wire. A platform's text order shorter than that is sent
//! NUL-padded, and a received order whose bytes are printable text followed by NULs is read
//! back without the padding, so the order a platform sent and the one the pile echoes compare
//! equal. Other order numbers (the pile's own offline orders) keep all 16 bytes.
//!
//! A reply to 0x82 does not say whether it answers a start or a stop: the adapter remembers the
//! commands it built and matches the reply by port and order (an unmatched reply is read as a
//! start result).

use alloc::boxed::Box;
use alloc::vec::Vec;

use super::event::{
    ChargeLimit, Events, LoginInfo, MeterSample, PileCommand, PileEvent, ReplyTo, Settlement,
    StartCharge, StartOutcome, Uplink,
};
use super::types::{
    AlarmKind, CardId, LocalStart, OrderRef, PileId, PortNo, PortStatus, RawCode, Refusal,
    StopCause, StopReason,
};
use super::{Adapter, ModelError};
use crate::codec::dny::{
    self, Ack, CardReply, CardStatus, DnyFrame, DnyMessage, OrderNumber, PhysicalId, Port,
    PortState, RateMode, ServerTime, StartResult, StartStop,
};
use crate::codec::fields::HexBytes;
use crate::codec::{AnyFrame, Dialect};
use crate::time::{Timestamp, UtcOffset};
use crate::units::Money;

/// Turns DNY frames into events and commands into DNY frames, for the devices of one link (a
/// pile, or a host with the piles behind it).
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DnyAdapter {
    next_message_id: u16,
    /// Start/stop commands sent and not yet answered: (physical id, port, order, is start).
    pending: Vec<(PhysicalId, Port, OrderNumber, bool)>,
    /// Devices that speak the old heartbeat (0x01), answered in kind.
    old_heartbeat: Vec<PhysicalId>,
}

const RAW: fn(u8) -> RawCode = |c| RawCode::new(Dialect::Dny, u16::from(c));

/// The order reference of a 16-byte DNY order number (see the module docs for the padding rule).
pub fn order_ref(order: &OrderNumber) -> OrderRef {
    const HIGH: u128 = u128::from_le_bytes([0x80; 16]);
    const PLUS_60: u128 = u128::from_le_bytes([0x60; 16]);
    const PLUS_01: u128 = u128::from_le_bytes([0x01; 16]);
    let b = &order.0;
    let v = u128::from_le_bytes(*b);
    // The NULs at the end are the high bytes of the number read little-endian.
    let end = 16 - (v.leading_zeros() / 8) as usize;
    let kept = u128::MAX.checked_shr(8 * (16 - end as u32)).unwrap_or(0);
    // All 16 bytes at once: with the high bit of each byte cleared, adding 0x60 sets it from
    // 0x20 up and adding 0x01 sets it at 0x7F (no carry crosses a byte).
    let low = v & !HIGH;
    let unprintable =
        (v & HIGH) | (!low.wrapping_add(PLUS_60) & HIGH) | (low.wrapping_add(PLUS_01) & HIGH);
    let text = end > 0 && unprintable & kept == 0;
    let kept = if text { &b[..end] } else { &b[..] };
    OrderRef::from_bytes(kept).unwrap_or_default()
}

/// The 16-byte DNY order number of an order reference (text NUL-padded).
pub fn order_number(order: &OrderRef) -> Result<OrderNumber, ModelError> {
    let b = order.as_bytes();
    if b.len() > 16 {
        return Err(ModelError::NotRepresentable {
            what: "order",
            reason: "a DNY order number holds 16 bytes",
        });
    }
    let mut out = [0u8; 16];
    out[..b.len()].copy_from_slice(b);
    Ok(HexBytes(out))
}

fn port_no(port: Port) -> Option<PortNo> {
    port.number().and_then(PortNo::new)
}

fn need_port(port: Port) -> Result<PortNo, ModelError> {
    port_no(port).ok_or(ModelError::MissingPort)
}

fn wire_port(port: PortNo) -> Port {
    Port::socket(port.get())
}

/// What a platform's start or stop frame (0x82) asks of the pile, read back as a neutral
/// command: for tools that read the platform's side of a log, such as the replay. Other frames,
/// and a start that lets the device choose the socket, give `None`.
pub fn platform_command(frame: &DnyFrame) -> Option<PileCommand> {
    let DnyMessage::StartStop(s) = &frame.message else {
        return None;
    };
    let port = port_no(s.port)?;
    let order = order_ref(&s.order_number);
    match s.charge_command {
        dny::ChargeCommand::Start => Some(PileCommand::Start(StartCharge {
            port,
            order,
            limit: match s.limit() {
                dny::ChargeLimit::UntilFull => ChargeLimit::UntilFull,
                dny::ChargeLimit::Duration(duration) => ChargeLimit::Time { duration },
                dny::ChargeLimit::Energy(energy) => ChargeLimit::Energy { energy },
            },
            balance: s.balance(),
            card: None,
        })),
        dny::ChargeCommand::Stop => Some(PileCommand::Stop {
            port,
            order: Some(order),
        }),
        _ => None,
    }
}

/// The neutral status of a socket state.
pub fn port_status(state: PortState) -> PortStatus {
    match state {
        PortState::Idle => PortStatus::Idle,
        PortState::Charging => PortStatus::Charging,
        PortState::PluggedNotStarted => PortStatus::Plugged,
        PortState::PluggedFull => PortStatus::Full,
        PortState::FloatCharging => PortStatus::Float,
        PortState::NotMetering
        | PortState::StorageDamaged
        | PortState::SocketSpringStuck
        | PortState::BadContactOrFuseBlown
        | PortState::RelayWelded
        | PortState::PlugSensorBroken
        | PortState::PrecheckRelayOrFuseBroken
        | PortState::PrecheckShortCircuit
        | PortState::PrecheckRelayWelded
        | PortState::CardReaderBroken
        | PortState::DetectionCircuitFault => PortStatus::Fault,
        _ => PortStatus::Unknown,
    }
}

/// The neutral stop reason of a settlement's stop code.
pub fn stop_reason(reason: dny::StopReason) -> StopReason {
    use dny::StopReason as S;
    let cause = match reason {
        S::BatteryFull => StopCause::BatteryFull,
        S::MaxChargeTimeReached | S::PresetTimeReached => StopCause::TimeLimit,
        S::PresetEnergyReached => StopCause::EnergyLimit,
        S::Unplugged | S::UnpluggedSpringStuck => StopCause::Unplugged,
        S::Overload | S::DynamicOverload => StopCause::OverPower,
        S::ServerStop | S::ServerForcedStop => StopCause::RemoteStop,
        S::PowerTooLow | S::NoPowerBadContactOrFuse | S::LowPowerCut => StopCause::NoLoad,
        S::AmbientOverTemperature | S::PortOverTemperature => StopCause::OverTemperature,
        S::OverCurrent => StopCause::OverCurrent,
        S::PrecheckRelayOrFuseBroken | S::StorageError => StopCause::HardwareFault,
        S::WaterImmersion => StopCause::Water,
        S::FireExtinguishedThisPort | S::FireExtinguishedOtherPort | S::FireSystem => {
            StopCause::FireLinkage
        }
        S::ExternalStop | S::CardStop => StopCause::LocalStop,
        S::OverVoltage => StopCause::OverVoltage,
        S::UnderVoltage => StopCause::UnderVoltage,
        _ => StopCause::Other,
    };
    StopReason {
        cause,
        raw: RAW(reason.code()),
    }
}

/// The neutral kind of an alarm push.
pub fn alarm_kind(kind: dny::AlarmKind) -> AlarmKind {
    use dny::AlarmKind as A;
    match kind {
        A::PowerCut => AlarmKind::PowerCut,
        A::WaterImmersion | A::WaterLevel => AlarmKind::Water,
        A::HotMeltFuse => AlarmKind::Fire,
        A::Smoke => AlarmKind::Smoke,
        A::Heat => AlarmKind::Heat,
        A::DoorOpened => AlarmKind::DoorOpen,
        _ => AlarmKind::Other,
    }
}

/// The neutral outcome of a 0x82 result code. Codes 0x03 (socket fault) and 0x09 (pre-check
/// relay welded) are documented as "done": charging was given.
pub fn start_outcome(result: StartResult) -> StartOutcome {
    let refusal = match result {
        StartResult::Ok | StartResult::PortFault | StartResult::PrecheckRelayWelded => {
            return StartOutcome::Started;
        }
        StartResult::NoChargerPlugged => Refusal::NotPlugged,
        StartResult::AlreadyInState | StartResult::SeveralPortsWaiting => Refusal::Busy,
        StartResult::NoSuchPort => Refusal::NoSuchPort,
        StartResult::TotalPowerExceeded => Refusal::PowerLimit,
        StartResult::StorageDamaged
        | StartResult::PrecheckRelayOrFuseBroken
        | StartResult::PrecheckShortCircuit => Refusal::Fault,
        StartResult::SmokeAlarm | StartResult::OverVoltage | StartResult::UnderVoltage => {
            Refusal::Alarm
        }
        StartResult::NoResponse => Refusal::NoResponse,
        _ => Refusal::Other,
    };
    StartOutcome::Refused {
        refusal,
        raw: RAW(result.code()),
    }
}

fn unix(t: u32) -> Option<Timestamp> {
    (t != 0)
        .then(|| Timestamp::from_unix(i64::from(t)))
        .flatten()
        .map(|t| t.at_offset(UtcOffset::CHINA))
}

fn card_of(card: &HexBytes<4>) -> Option<CardId> {
    (card.0 != [0; 4]).then(|| CardId::uid(&card.0)).flatten()
}

impl DnyAdapter {
    /// A new adapter.
    pub fn new() -> Self {
        Self::default()
    }

    fn message_id(&mut self, reply_to: ReplyTo) -> u16 {
        if reply_to != ReplyTo::NONE {
            return reply_to.id;
        }
        self.next_message_id = self.next_message_id.wrapping_add(1);
        self.next_message_id
    }

    fn settlement(s: &dny::Settlement, out: &mut Events, up: impl Fn(PileEvent) -> Uplink) {
        let Some(port) = port_no(s.port) else {
            return;
        };
        let settlement = Settlement {
            order: order_ref(&s.order_number),
            started: None,
            ended: s.timestamp.and_then(unix),
            duration: Some(s.duration),
            energy: s.energy,
            amount: None,
            max_power: Some(s.max_power),
            class_energy: None,
            stop: stop_reason(s.stop_reason),
            card: card_of(&s.card_id),
        };
        out.push(up(PileEvent::Settlement { port, settlement }));
    }
}

impl Adapter for DnyAdapter {
    type Frame = DnyFrame;

    fn events(&mut self, frame: &DnyFrame, out: &mut Events) -> Result<(), ModelError> {
        if frame.direction() != crate::codec::Direction::Up {
            return Ok(());
        }
        let pile = PileId::Dny(frame.physical_id);
        let reply_to = ReplyTo {
            id: frame.message_id,
            flags: 0,
        };
        let up = |event| Uplink {
            pile,
            event,
            reply_to,
        };
        match &frame.message {
            DnyMessage::Register(r) => out.push(up(PileEvent::LoggedIn(LoginInfo {
                ports: Some(r.port_count),
                firmware: Some(alloc::format!("{}", r.firmware_version)),
                iccid: None,
                protocol_version: None,
            }))),
            DnyMessage::Heartbeat(h) => {
                self.old_heartbeat.retain(|&id| id != frame.physical_id);
                out.push(up(PileEvent::Heartbeat { port: None }));
                for (i, &state) in h.ports.iter().enumerate() {
                    if let Some(port) = u8::try_from(i + 1).ok().and_then(PortNo::new) {
                        out.push(up(PileEvent::PortStatus {
                            port,
                            status: port_status(state),
                            raw: RAW(state.code()),
                        }));
                    }
                }
            }
            DnyMessage::OldHeartbeat(h) => {
                if !self.old_heartbeat.contains(&frame.physical_id) {
                    self.old_heartbeat.push(frame.physical_id);
                }
                out.push(up(PileEvent::Heartbeat { port: None }));
                for (i, p) in h.ports.iter().enumerate() {
                    let Some(port) = u8::try_from(i + 1).ok().and_then(PortNo::new) else {
                        continue;
                    };
                    let status = port_status(p.state);
                    out.push(up(PileEvent::PortStatus {
                        port,
                        status,
                        raw: RAW(p.state.code()),
                    }));
                    if status.is_charging() {
                        out.push(up(PileEvent::MeterSample {
                            port,
                            sample: MeterSample {
                                status: Some(status),
                                power: Some(p.power),
                                voltage: Some(h.voltage),
                                ..MeterSample::default()
                            },
                        }));
                    }
                }
            }
            DnyMessage::PortPower(p) => {
                let port = need_port(p.port)?;
                out.push(up(PileEvent::MeterSample {
                    port,
                    sample: MeterSample {
                        order: Some(order_ref(&p.order_number)),
                        at: p.timestamp.and_then(unix),
                        status: Some(port_status(p.state)),
                        power: Some(p.power),
                        voltage: p.voltage,
                        current: p.current,
                        energy: Some(p.energy),
                        elapsed: Some(p.duration),
                        amount: None,
                        soc: None,
                        temperature: p.port_temperature.flatten(),
                    },
                }));
            }
            DnyMessage::CardSwipe(c) => out.push(up(PileEvent::CardAuthRequest {
                port: port_no(c.port),
                card: CardId::uid(&c.card_id.0).unwrap_or(CardId::Number(0)),
                balance: Some(c.balance),
            })),
            DnyMessage::Settlement(s) | DnyMessage::ChargeDone(s) => Self::settlement(s, out, up),
            DnyMessage::OrderConfirm(o) => out.push(up(PileEvent::LocalStart {
                port: need_port(o.port)?,
                order: Some(order_ref(&o.order_number)),
                by: match card_of(&o.card_id) {
                    Some(card) if o.start_mode == dny::StartMode::OfflineCard => {
                        LocalStart::Card { card }
                    }
                    _ => LocalStart::Other,
                },
                paid: None,
            })),
            DnyMessage::TimeRequest(_) => out.push(up(PileEvent::ClockRequest)),
            DnyMessage::AlarmPush(a) => out.push(up(PileEvent::Alarm {
                port: None,
                kind: alarm_kind(a.kind),
                raw: RAW(a.kind.code()),
            })),
            DnyMessage::StartStopReply(r) => {
                // Older firmware answers with the result alone: the oldest command sent to the
                // device is the one answered.
                let at = self.pending.iter().position(|(id, p, o, _)| {
                    *id == frame.physical_id
                        && r.port.is_none_or(|rp| rp == *p)
                        && r.order_number.is_none_or(|ro| ro == *o)
                });
                let sent = at.map(|i| self.pending.remove(i));
                let port = match (r.port, sent) {
                    (Some(p), _) => need_port(p)?,
                    (None, Some((_, p, _, _))) => need_port(p)?,
                    (None, None) => return Err(ModelError::MissingPort),
                };
                let order = r.order_number.or(sent.map(|s| s.2)).map(|o| order_ref(&o));
                let is_start = sent.is_none_or(|s| s.3);
                out.push(up(if is_start {
                    PileEvent::StartResult {
                        port,
                        order,
                        outcome: start_outcome(r.result),
                    }
                } else {
                    PileEvent::StopResult {
                        port,
                        order,
                        stopped: matches!(
                            r.result,
                            StartResult::Ok | StartResult::AlreadyInState | StartResult::PortFault
                        ),
                    }
                }));
            }
            m if m.direction() == crate::codec::Direction::Up && ack_of(m).is_some() => {
                out.push(up(PileEvent::CommandResult {
                    command: u16::from(m.command()),
                    ok: ack_of(m).is_some_and(|a| a.is_ok()),
                }));
            }
            _ => out.push(up(PileEvent::Other(Box::new(AnyFrame::Dny(frame.clone()))))),
        }
        Ok(())
    }

    fn command(
        &mut self,
        pile: &PileId,
        command: &PileCommand,
        reply_to: ReplyTo,
    ) -> Result<DnyFrame, ModelError> {
        let PileId::Dny(id) = *pile else {
            return Err(ModelError::WrongDialect { pile: *pile });
        };
        let message = match command {
            PileCommand::AckLogin { accepted, .. } => DnyMessage::RegisterReply(ack(*accepted)),
            PileCommand::AckHeartbeat { .. } if self.old_heartbeat.contains(&id) => {
                DnyMessage::OldHeartbeatReply(Ack::OK)
            }
            PileCommand::AckHeartbeat { .. } => DnyMessage::HeartbeatReply(Ack::OK),
            PileCommand::AckSettlement { .. } => DnyMessage::SettlementReply(Ack::OK),
            PileCommand::AckLocalStart { port, .. } => {
                DnyMessage::OrderConfirmReply(dny::OrderConfirmReply {
                    port: wire_port(*port),
                    result: 0,
                })
            }
            PileCommand::AnswerCard {
                port,
                card,
                accepted,
                balance,
                ..
            } => {
                let uid = card.uid_bytes().filter(|b| b.len() == 4).ok_or(
                    ModelError::NotRepresentable {
                        what: "card",
                        reason: "a DNY card id is a 4-byte UID",
                    },
                )?;
                DnyMessage::CardReply(CardReply {
                    card_id: HexBytes([uid[0], uid[1], uid[2], uid[3]]),
                    status: if *accepted {
                        CardStatus::from_code(0)
                    } else {
                        CardStatus::from_code(1)
                    },
                    rate_mode: RateMode::Time,
                    balance_or_expiry: fen_u32(*balance)?,
                    port: port.map_or(Port::DeviceChooses, wire_port),
                })
            }
            PileCommand::Start(s) => {
                let limit = match s.limit {
                    ChargeLimit::UntilFull => dny::ChargeLimit::UntilFull,
                    ChargeLimit::Time { duration } => dny::ChargeLimit::Duration(duration),
                    ChargeLimit::Energy { energy } => dny::ChargeLimit::Energy(energy),
                    ChargeLimit::Money { .. } => {
                        return Err(ModelError::NotInDialect {
                            what: "a start limited by money",
                            dialect: Dialect::Dny,
                        });
                    }
                };
                let rate_mode = match s.limit {
                    ChargeLimit::Energy { .. } => RateMode::Energy,
                    _ => RateMode::Time,
                };
                let order = order_number(&s.order)?;
                let start = StartStop::start(
                    wire_port(s.port),
                    rate_mode,
                    fen_u32(s.balance.unwrap_or(Money::ZERO))?,
                    limit,
                    order,
                )
                .map_err(|_| ModelError::NotRepresentable {
                    what: "limit",
                    reason: "1 to 65535 seconds, or 0.01 to 655.35 kWh",
                })?;
                self.remember(id, start.port, order, true);
                DnyMessage::StartStop(start)
            }
            PileCommand::Stop { port, order } => {
                let order = order_number(&order.ok_or(ModelError::MissingOrder)?)?;
                self.remember(id, wire_port(*port), order, false);
                DnyMessage::StartStop(StartStop::stop(wire_port(*port), order))
            }
            PileCommand::SyncClock { now } => DnyMessage::TimeReply(ServerTime {
                timestamp: u32::try_from(now.unix()).map_err(|_| ModelError::NotRepresentable {
                    what: "time",
                    reason: "DNY time is a u32 of Unix seconds (up to 2106)",
                })?,
            }),
            PileCommand::Query { .. } => DnyMessage::QueryStatus(dny::NoData {}),
            PileCommand::Frame(f) => match &**f {
                AnyFrame::Dny(f) => return Ok(f.clone()),
                _ => return Err(ModelError::WrongDialect { pile: *pile }),
            },
            _ => {
                return Err(ModelError::NotInDialect {
                    what: command_name(command),
                    dialect: Dialect::Dny,
                });
            }
        };
        Ok(DnyFrame::new(id, self.message_id(reply_to), message))
    }
}

impl DnyAdapter {
    fn remember(&mut self, id: PhysicalId, port: Port, order: OrderNumber, start: bool) {
        // A stop of an order whose start is unanswered: the pile's next answer is the stop's.
        self.pending
            .retain(|&(i, p, o, _)| !(i == id && p == port && o == order));
        // A pile that never answers must not grow the list without bound.
        if self.pending.len() >= 64 {
            self.pending.remove(0);
        }
        self.pending.push((id, port, order, start));
    }
}

fn ack(ok: bool) -> Ack {
    if ok { Ack::OK } else { Ack { result: 1 } }
}

fn fen_u32(m: Money) -> Result<u32, ModelError> {
    m.as_fen()
        .and_then(|f| u32::try_from(f).ok())
        .ok_or(ModelError::NotRepresentable {
            what: "balance",
            reason: "whole fen from 0 to 42949672.95 yuan",
        })
}

fn ack_of(m: &DnyMessage) -> Option<&Ack> {
    use DnyMessage as M;
    match m {
        M::SetRunParameters1Reply(a)
        | M::SetRunParameters2Reply(a)
        | M::SetChargeLimitsReply(a)
        | M::SetCardKeysReply(a)
        | M::RebootReply(a)
        | M::ClearStorageReply(a)
        | M::PlayVoiceReply(a)
        | M::WriteEepromReply(a)
        | M::SetWorkModeReply(a)
        | M::SetQrCodeReply(a)
        | M::SetCardModeReply(a)
        | M::TemporaryQrCodeReply(a)
        | M::LocateReply(a)
        | M::SetMuteReply(a) => Some(a),
        _ => None,
    }
}

/// A short name of a command, for errors.
pub(crate) fn command_name(c: &PileCommand) -> &'static str {
    match c {
        PileCommand::AckLogin { .. } => "ack_login",
        PileCommand::AckHeartbeat { .. } => "ack_heartbeat",
        PileCommand::AckSettlement { .. } => "ack_settlement",
        PileCommand::AckLocalStart { .. } => "ack_local_start",
        PileCommand::AnswerCard { .. } => "answer_card",
        PileCommand::AnswerModelCheck { .. } => "answer_model_check",
        PileCommand::Start(_) => "start",
        PileCommand::Stop { .. } => "stop",
        PileCommand::SendPlan { .. } => "send_plan",
        PileCommand::SyncClock { .. } => "sync_clock",
        PileCommand::Query { .. } => "query",
        PileCommand::Frame(_) => "frame",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The padding rule read byte by byte: text up to the last non-NUL byte when all of it is
    /// printable ASCII, else the 16 raw bytes.
    fn by_bytes(b: &[u8; 16]) -> OrderRef {
        let end = b.iter().rposition(|&x| x != 0).map_or(0, |i| i + 1);
        let text = end > 0 && b[..end].iter().all(|x| (0x20..0x7F).contains(x));
        OrderRef::from_bytes(if text { &b[..end] } else { &b[..] }).unwrap()
    }

    #[test]
    fn order_numbers_read_as_text_up_to_the_padding_or_as_raw_bytes() {
        let text = order_ref(&HexBytes(*b"O0000042-07\0\0\0\0\0"));
        assert_eq!(text.as_bytes(), b"O0000042-07");
        let full = order_ref(&HexBytes(*b"0123456789abcdef"));
        assert_eq!(full.as_bytes(), b"0123456789abcdef");
        let zero = order_ref(&HexBytes([0; 16]));
        assert_eq!(zero.as_bytes(), &[0; 16]);
        let mut raw = *b"O1\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
        raw[1] = 0x7F;
        assert_eq!(order_ref(&HexBytes(raw)).as_bytes(), &raw);
        // a NUL inside the text makes the bytes raw
        let inner = *b"AB\0C\0\0\0\0\0\0\0\0\0\0\0\0";
        assert_eq!(order_ref(&HexBytes(inner)).as_bytes(), &inner);
        // every byte value at every position, against the rule read byte by byte
        for pos in 0..16 {
            for v in 0..=255u8 {
                let mut b = *b"ORDER-0123\0\0\0\0\0\0";
                b[pos] = v;
                assert_eq!(order_ref(&HexBytes(b)), by_bytes(&b), "{pos} {v:#04x}");
            }
        }
    }
}
