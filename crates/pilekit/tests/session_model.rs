//! A model-based test of the session engine: a virtual 10-socket DNY pile that behaves the way
//! real piles do (it answers starts, reports power, settles and resends its settlements until
//! acknowledged, loses its connection, raises alarms) driven by random operation sequences
//! against a station. Whatever happens:
//!
//! - every settlement the station receives is acknowledged;
//! - no order is billed twice, and no socket holds two sessions;
//! - once the pile has flushed every settlement, every session the station opened has ended
//!   exactly once.
#![cfg(feature = "serde")]

use std::collections::{BTreeMap, BTreeSet};

use pilekit::codec::dny::{self, DnyFrame, DnyMessage, PhysicalId, Port};
use pilekit::codec::fields::HexBytes;
use pilekit::codec::{AnyFrame, DecodeContext, Direction};
use pilekit::model::{OrderRef, PileId, PortNo};
use pilekit::session::{Config, LinkId, Notification, StartLimit, StartRequest, Station};
use pilekit::tariff::{Payment, Plan};
use pilekit::time::Timestamp;
use pilekit::units::*;
use proptest::prelude::*;

const ID: PhysicalId = PhysicalId(0x05AB_373B);
const PILE: PileId = PileId::Dny(ID);
const PORTS: u8 = 10;

#[derive(Debug, Clone)]
enum Op {
    Start(u8),
    Stop(u8),
    Accept(u8),
    Refuse(u8),
    Sample(u8, u16),
    PileEnds(u8),
    Resend,
    LocalStart(u8),
    Reconnect,
    Smoke,
    ClearAlarm,
    Advance(u16),
}

fn op() -> impl Strategy<Value = Op> {
    let port = 1..=PORTS;
    prop_oneof![
        3 => port.clone().prop_map(Op::Start),
        1 => port.clone().prop_map(Op::Stop),
        3 => port.clone().prop_map(Op::Accept),
        1 => port.clone().prop_map(Op::Refuse),
        3 => (port.clone(), 0u16..3000).prop_map(|(p, w)| Op::Sample(p, w)),
        2 => port.clone().prop_map(Op::PileEnds),
        2 => Just(Op::Resend),
        1 => port.prop_map(Op::LocalStart),
        1 => Just(Op::Reconnect),
        1 => Just(Op::Smoke),
        1 => Just(Op::ClearAlarm),
        2 => (1u16..2000).prop_map(Op::Advance),
    ]
}

fn order16(o: &OrderRef) -> HexBytes<16> {
    let mut b = [0u8; 16];
    b[..o.as_bytes().len()].copy_from_slice(o.as_bytes());
    HexBytes(b)
}

/// The virtual pile.
#[derive(Default)]
struct Pile {
    /// Starts the station sent and the pile has not answered: port → order.
    pending: BTreeMap<u8, HexBytes<16>>,
    /// What each socket charges: port → (order, seconds charged).
    running: BTreeMap<u8, (HexBytes<16>, u32)>,
    /// Settlements not acknowledged yet: message id → settlement.
    unacked: BTreeMap<u16, dny::Settlement>,
    next_mid: u16,
    local_orders: u32,
}

struct World {
    station: Station,
    link: LinkId,
    now: i64,
    pile: Pile,
    /// Settlement frames sent while connected, and acknowledgements received.
    settlements_sent: usize,
    acks_received: usize,
    /// Orders the station reported as started, and as ended.
    started: BTreeSet<Vec<u8>>,
    ended: BTreeMap<Vec<u8>, usize>,
    next_order: u32,
    /// Settlements and answers the pile sends once the station's frames are read.
    deferred: Vec<DnyMessage>,
}

impl World {
    fn new() -> Self {
        let plan: Plan = serde_json::from_str(
            r#"{"family": "fixed_block", "price_yuan": 1, "block_min": 240, "billed_by": "minute"}"#,
        )
        .unwrap();
        // a budget no start reaches: the station keeps the site's load up to date pile by
        // pile, and debug builds check it against a count from scratch at every start
        let mut config = Config::default();
        config.budget = Some(pilekit::session::PowerBudget {
            limit: pilekit::units::Power(1_000_000_000_000),
            policy: pilekit::session::BudgetPolicy::Refuse,
        });
        let mut station = Station::new(config, plan);
        let now = 1_764_675_000;
        let link = station.connect(Timestamp::from_unix(now).unwrap());
        let mut w = World {
            station,
            link,
            now,
            pile: Pile::default(),
            settlements_sent: 0,
            acks_received: 0,
            started: BTreeSet::new(),
            ended: BTreeMap::new(),
            next_order: 1,
            deferred: Vec::new(),
        };
        w.send(DnyMessage::Register(dny::Register::new(
            105, PORTS, 0, 5, 0,
        )));
        w
    }

    fn ts(&self) -> Timestamp {
        Timestamp::from_unix(self.now).unwrap()
    }

    fn send(&mut self, m: DnyMessage) {
        self.pile.next_mid = self.pile.next_mid.wrapping_add(1);
        let mid = self.pile.next_mid;
        if let DnyMessage::Settlement(s) = &m {
            self.pile.unacked.insert(mid, s.clone());
            self.settlements_sent += 1;
        }
        let bytes = DnyFrame::new(ID, mid, m).encode().unwrap();
        let now = self.ts();
        self.station.handle_bytes(self.link, &bytes, now);
        self.drain();
    }

    /// Reads the station's frames as the pile does, and its notifications.
    fn drain(&mut self) {
        while let Some(t) = self.station.poll_transmit() {
            if t.link != self.link {
                continue;
            }
            let ctx = DecodeContext::default().with_direction(Some(Direction::Down));
            let AnyFrame::Dny(f) = AnyFrame::decode(&t.bytes, &ctx).unwrap() else {
                panic!("not DNY")
            };
            match f.message {
                DnyMessage::SettlementReply(_) => {
                    self.acks_received += 1;
                    self.pile.unacked.remove(&f.message_id);
                }
                DnyMessage::StartStop(s) => {
                    let port = s.port.number().unwrap();
                    if s.charge_command == dny::ChargeCommand::Start {
                        if !self.pile.running.contains_key(&port) {
                            self.pile.pending.insert(port, s.order_number);
                        }
                    } else {
                        let running = self
                            .pile
                            .running
                            .get(&port)
                            .is_some_and(|r| r.0 == s.order_number);
                        if self.pile.pending.get(&port) == Some(&s.order_number) {
                            self.pile.pending.remove(&port);
                        }
                        let mut reply = dny::StartStopReply::new(if running {
                            dny::StartResult::Ok
                        } else {
                            dny::StartResult::AlreadyInState
                        });
                        reply.order_number = Some(s.order_number);
                        reply.port = Some(s.port);
                        self.deferred.push(DnyMessage::StartStopReply(reply));
                        if running {
                            self.end(port, dny::StopReason::ServerStop);
                        }
                    }
                }
                _ => {}
            }
        }
        while let Some(n) = self.station.poll_notification() {
            match n {
                Notification::SessionStarted { order, .. } => {
                    self.started.insert(order.as_bytes().to_vec());
                }
                Notification::SessionEnded(r) => {
                    *self.ended.entry(r.order.as_bytes().to_vec()).or_default() += 1;
                }
                _ => {}
            }
        }
    }

    fn end(&mut self, port: u8, reason: dny::StopReason) {
        let Some((order, seconds)) = self.pile.running.remove(&port) else {
            return;
        };
        let s = dny::Settlement::new(
            Seconds(seconds),
            Power(1800),
            Energy::from_centi_kwh(i64::from(seconds / 600)),
            Port::socket(port),
            dny::StartMode::Online,
            HexBytes([0; 4]),
            reason,
            order,
        );
        // sent after the current drain finishes (the pile answers in its own time)
        self.deferred.push(DnyMessage::Settlement(s));
    }

    fn apply(&mut self, op: &Op) {
        match *op {
            Op::Start(port) => {
                let order =
                    OrderRef::from_bytes(format!("P{}", self.next_order).as_bytes()).unwrap();
                self.next_order += 1;
                let request = StartRequest {
                    order,
                    payment: Payment::Prepaid {
                        amount: Money::YUAN,
                    },
                    limit: StartLimit::FromQuote,
                    card: None,
                };
                let now = self.ts();
                let _ = self
                    .station
                    .start(PILE, PortNo::new(port).unwrap(), request, now);
                self.drain();
            }
            Op::Stop(port) => {
                let now = self.ts();
                let _ = self.station.stop(PILE, PortNo::new(port).unwrap(), now);
                self.drain();
            }
            Op::Accept(port) | Op::Refuse(port) => {
                let Some(order) = self.pile.pending.remove(&port) else {
                    return;
                };
                let ok = matches!(op, Op::Accept(_));
                let mut reply = dny::StartStopReply::new(if ok {
                    dny::StartResult::Ok
                } else {
                    dny::StartResult::NoChargerPlugged
                });
                reply.order_number = Some(order);
                reply.port = Some(Port::socket(port));
                if ok {
                    self.pile.running.insert(port, (order, 0));
                }
                self.send(DnyMessage::StartStopReply(reply));
            }
            Op::Sample(port, deci_w) => {
                let Some(&(order, seconds)) = self.pile.running.get(&port) else {
                    return;
                };
                let p = dny::PortPower::new(
                    Port::socket(port),
                    dny::PortState::Charging,
                    Seconds(seconds),
                    Energy::from_centi_kwh(i64::from(seconds / 600)),
                    dny::StartMode::Online,
                    Power(i64::from(deci_w)),
                    Power(i64::from(deci_w)),
                    Power(i64::from(deci_w)),
                    Power(i64::from(deci_w)),
                    order,
                );
                self.send(DnyMessage::PortPower(p));
            }
            Op::PileEnds(port) => self.end(port, dny::StopReason::BatteryFull),
            Op::Resend => {
                if let Some((&mid, s)) = self.pile.unacked.iter().next() {
                    let s = s.clone();
                    self.pile.unacked.remove(&mid);
                    self.send(DnyMessage::Settlement(s));
                }
            }
            Op::LocalStart(port) => {
                if self.pile.running.contains_key(&port) || self.pile.pending.contains_key(&port) {
                    return;
                }
                self.pile.local_orders += 1;
                let order = order16(
                    &OrderRef::from_bytes(format!("L{}", self.pile.local_orders).as_bytes())
                        .unwrap(),
                );
                self.pile.running.insert(port, (order, 0));
                self.send(DnyMessage::OrderConfirm(dny::OrderConfirm {
                    port: Port::socket(port),
                    start_mode: dny::StartMode::OfflineCard,
                    card_id: HexBytes([1, 2, 3, 4]),
                    duration: Seconds(3600),
                    order_number: order,
                }));
            }
            Op::Reconnect => {
                let now = self.ts();
                self.station.disconnect(self.link, now);
                self.now += 30;
                let now = self.ts();
                self.link = self.station.connect(now);
                self.send(DnyMessage::Register(dny::Register::new(
                    105, PORTS, 0, 5, 0,
                )));
            }
            Op::Smoke => self.send(DnyMessage::AlarmPush(dny::AlarmPush {
                kind: dny::AlarmKind::Smoke,
                source: 0,
                triggered_inputs: 0,
            })),
            Op::ClearAlarm => self.station.clear_alarm(PILE),
            Op::Advance(s) => {
                self.now += i64::from(s);
                for r in self.pile.running.values_mut() {
                    r.1 += u32::from(s);
                }
                // a pile heartbeat keeps it online
                let states = vec![dny::PortState::Idle; usize::from(PORTS)];
                self.send(DnyMessage::Heartbeat(dny::Heartbeat {
                    voltage: Voltage(2300),
                    ports: states,
                    signal: 0,
                    ambient_temperature: None,
                }));
                let now = self.ts();
                self.station.handle_timeout(now);
                self.drain();
            }
        }
        self.flush_deferred();
        self.check();
    }

    fn flush_deferred(&mut self) {
        while !self.deferred.is_empty() {
            let m = self.deferred.remove(0);
            self.send(m);
        }
    }

    fn check(&self) {
        for (order, n) in &self.ended {
            assert_eq!(*n, 1, "order {order:?} ended {n} times");
        }
        assert_eq!(
            self.acks_received, self.settlements_sent,
            "every settlement acknowledged"
        );
        assert!(self.station.open_sessions() <= usize::from(PORTS));
    }

    /// The pile ends everything and resends until nothing is unacknowledged.
    fn finish(&mut self) {
        let ports: Vec<u8> = self.pile.running.keys().copied().collect();
        for port in ports {
            self.end(port, dny::StopReason::Unplugged);
        }
        self.flush_deferred();
        while let Some((&mid, s)) = self.pile.unacked.iter().next() {
            let s = s.clone();
            self.pile.unacked.remove(&mid);
            self.send(DnyMessage::Settlement(s));
        }
        // starts the pile never answered time out
        self.now += 3600;
        let now = self.ts();
        self.station.handle_timeout(now);
        self.drain();
        self.check();
        for order in &self.started {
            assert_eq!(
                self.ended.get(order),
                Some(&1),
                "order {order:?} never ended"
            );
        }
        assert_eq!(self.station.open_sessions(), 0, "no session left open");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn sessions_end_exactly_once_whatever_the_pile_and_network_do(ops in proptest::collection::vec(op(), 1..120)) {
        let mut w = World::new();
        for op in &ops {
            w.apply(op);
        }
        w.finish();
    }
}
