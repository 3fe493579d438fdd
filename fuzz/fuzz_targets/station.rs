//! The session engine under arbitrary operation sequences: connections, bytes (raw, or pile
//! frames of every dialect built from the input), starts, stops, timeouts, site alarms.
//!
//! Checked after every operation: no panic; no order is settled twice (one `SessionEnded`
//! per pile, port and order); no port holds more than one session; every notification and
//! transmit can be drained; `poll_timeout` never goes backwards past `now` without firing.

#![no_main]

use std::collections::BTreeSet;

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use pilekit::codec::dny::{self, DnyFrame, DnyMessage, PhysicalId, Port};
use pilekit::codec::fields::HexBytes;
use pilekit::codec::juy::{self, JuyFrame, JuyMessage};
use pilekit::model::{OrderRef, PileId, PortNo};
use pilekit::session::{
    BudgetPolicy, Config, LinkId, Notification, PowerBudget, StartLimit, StartRequest, Station,
};
use pilekit::tariff::{Payment, Plan};
use pilekit::time::Timestamp;
use pilekit::units::*;

#[derive(Debug, Arbitrary)]
enum Op {
    Connect,
    Disconnect(u8),
    Raw(u8, Vec<u8>),
    Register(u8, u8),
    Sample {
        link: u8,
        pile: u8,
        port: u8,
        order: u8,
        elapsed: u16,
        deci_w: u16,
    },
    Settle {
        link: u8,
        pile: u8,
        port: u8,
        order: u8,
        seconds: u16,
        reason: u8,
    },
    StartReply {
        link: u8,
        pile: u8,
        port: u8,
        order: u8,
        result: u8,
    },
    Alarm(u8, u8, u8),
    JuyLogin(u8),
    JuyReport {
        link: u8,
        port: u8,
        order: u8,
        seconds: u16,
    },
    Start {
        pile: u8,
        port: u8,
        order: u8,
        fen: u16,
        limit: u8,
    },
    Stop {
        pile: u8,
        port: u8,
    },
    Advance(u16),
    SiteAlarm(u8, bool),
}

#[derive(Debug, Arbitrary)]
struct Input {
    budget: Option<(u16, bool)>,
    ops: Vec<Op>,
}

fn dny_id(n: u8) -> PhysicalId {
    PhysicalId(0x0500_0000 | u32::from(n % 4))
}

fn order16(n: u8) -> HexBytes<16> {
    let mut b = [0u8; 16];
    b[0] = b'O';
    b[1] = b'0' + n % 10;
    HexBytes(b)
}

fn port(n: u8) -> u8 {
    n % 12 + 1
}

struct World {
    station: Station,
    links: Vec<LinkId>,
    now: i64,
    ended: BTreeSet<(PileId, u8, Vec<u8>)>,
}

impl World {
    fn link(&self, n: u8) -> Option<LinkId> {
        (!self.links.is_empty()).then(|| self.links[usize::from(n) % self.links.len()])
    }

    fn ts(&self) -> Timestamp {
        Timestamp::from_unix(self.now).unwrap()
    }

    fn bytes(&mut self, link: u8, bytes: &[u8]) {
        if let Some(l) = self.link(link) {
            let now = self.ts();
            self.station.handle_bytes(l, bytes, now);
        }
    }

    fn drain(&mut self) {
        while self.station.poll_transmit().is_some() {}
        while let Some(n) = self.station.poll_notification() {
            if let Notification::SessionEnded(r) = n {
                let key = (r.pile, r.port.get(), r.order.as_bytes().to_vec());
                assert!(self.ended.insert(key), "an order was settled twice: {r:?}");
                if let Some(bill) = &r.bill {
                    assert!(bill.total.0 >= 0);
                }
            }
        }
    }
}

fn plan() -> Plan {
    serde_json::from_str(
        r#"{"family": "fixed_block", "price_yuan": 1, "block_min": 240, "billed_by": "minute"}"#,
    )
    .unwrap()
}

fuzz_target!(|input: Input| {
    let mut config = Config::default();
    if let Some((w, queue)) = input.budget {
        config.budget = Some(PowerBudget {
            limit: Power::from_watts(i64::from(w)),
            policy: if queue {
                BudgetPolicy::Queue
            } else {
                BudgetPolicy::Refuse
            },
        });
    }
    let mut w = World {
        station: Station::new(config, plan()),
        links: Vec::new(),
        now: 1_764_675_000,
        ended: BTreeSet::new(),
    };
    for op in input.ops.iter().take(200) {
        match op {
            Op::Connect => {
                let now = w.ts();
                let l = w.station.connect(now);
                w.links.push(l);
            }
            Op::Disconnect(n) => {
                if let Some(l) = w.link(*n) {
                    let now = w.ts();
                    w.station.disconnect(l, now);
                }
            }
            Op::Raw(n, bytes) => w.bytes(*n, bytes),
            Op::Register(n, pile) => {
                let f = DnyFrame::new(
                    dny_id(*pile),
                    1,
                    DnyMessage::Register(dny::Register::new(105, 12, 0, 5, 0)),
                );
                w.bytes(*n, &f.encode().unwrap());
            }
            Op::Sample {
                link,
                pile,
                port: p,
                order,
                elapsed,
                deci_w,
            } => {
                let m = dny::PortPower::new(
                    Port::socket(port(*p)),
                    dny::PortState::Charging,
                    Seconds(u32::from(*elapsed)),
                    Energy::from_centi_kwh(i64::from(*elapsed / 600)),
                    dny::StartMode::Online,
                    Power(i64::from(*deci_w)),
                    Power(i64::from(*deci_w)),
                    Power(i64::from(*deci_w)),
                    Power(i64::from(*deci_w)),
                    order16(*order),
                );
                let f = DnyFrame::new(dny_id(*pile), 2, DnyMessage::PortPower(m));
                w.bytes(*link, &f.encode().unwrap());
            }
            Op::Settle {
                link,
                pile,
                port: p,
                order,
                seconds,
                reason,
            } => {
                let s = dny::Settlement::new(
                    Seconds(u32::from(*seconds)),
                    Power(1000),
                    Energy::from_centi_kwh(i64::from(*seconds / 600)),
                    Port::socket(port(*p)),
                    dny::StartMode::Online,
                    HexBytes([0; 4]),
                    dny::StopReason::from_code(*reason),
                    order16(*order),
                );
                let f = DnyFrame::new(dny_id(*pile), 3, DnyMessage::Settlement(s));
                w.bytes(*link, &f.encode().unwrap());
            }
            Op::StartReply {
                link,
                pile,
                port: p,
                order,
                result,
            } => {
                let mut r = dny::StartStopReply::new(dny::StartResult::from_code(*result % 16));
                r.order_number = Some(order16(*order));
                r.port = Some(Port::socket(port(*p)));
                let f = DnyFrame::new(dny_id(*pile), 4, DnyMessage::StartStopReply(r));
                w.bytes(*link, &f.encode().unwrap());
            }
            Op::Alarm(link, pile, kind) => {
                let a = dny::AlarmPush {
                    kind: dny::AlarmKind::from_code(*kind % 9),
                    source: 0,
                    triggered_inputs: 0,
                };
                let f = DnyFrame::new(dny_id(*pile), 5, DnyMessage::AlarmPush(a));
                w.bytes(*link, &f.encode().unwrap());
            }
            Op::JuyLogin(link) => {
                let login = juy::Login {
                    imei: pilekit::codec::fields::Ascii::new("866714041234567").unwrap(),
                    port_count: 10,
                    hardware_version: Default::default(),
                    software_version: Default::default(),
                    iccid: Default::default(),
                    signal: 24,
                    reason: juy::LoginReason::PowerOn,
                };
                w.bytes(
                    *link,
                    &JuyFrame::new(JuyMessage::Login(login)).encode().unwrap(),
                );
            }
            Op::JuyReport {
                link,
                port: p,
                order,
                seconds,
            } => {
                let r = juy::EndOfChargeReport {
                    port: port(*p),
                    order: u32::from(*order),
                    duration: Seconds(u32::from(*seconds)),
                    energy: Energy::from_wh(i64::from(*seconds / 10)),
                    amount: Money::from_fen(10),
                    stop_reason: juy::StopReason::Full,
                    stop_power: Power::from_watts(10),
                    card: 0,
                    tiers: vec![],
                    reserved: HexBytes([0; 8]),
                };
                w.bytes(
                    *link,
                    &JuyFrame::new(JuyMessage::EndOfChargeReport(r))
                        .encode()
                        .unwrap(),
                );
            }
            Op::Start {
                pile,
                port: p,
                order,
                fen,
                limit,
            } => {
                let request = StartRequest {
                    order: OrderRef::from_bytes(&order16(*order).0).unwrap(),
                    payment: Payment::Prepaid {
                        amount: Money::from_fen(i64::from(*fen)),
                    },
                    limit: match limit % 4 {
                        0 => StartLimit::FromQuote,
                        1 => StartLimit::UntilFull { cap: Seconds(3600) },
                        2 => StartLimit::Energy {
                            energy: Energy::from_centi_kwh(50),
                        },
                        _ => StartLimit::Money {
                            amount: Money::from_fen(i64::from(*fen)),
                        },
                    },
                    card: None,
                };
                let now = w.ts();
                let _ = w.station.start(
                    PileId::Dny(dny_id(*pile)),
                    PortNo::new(port(*p)).unwrap(),
                    request,
                    now,
                );
            }
            Op::Stop { pile, port: p } => {
                let now = w.ts();
                let _ = w.station.stop(
                    PileId::Dny(dny_id(*pile)),
                    PortNo::new(port(*p)).unwrap(),
                    now,
                );
            }
            Op::Advance(s) => {
                w.now += i64::from(*s);
                let now = w.ts();
                w.station.handle_timeout(now);
                if let Some(t) = w.station.poll_timeout() {
                    assert!(
                        t.unix() > w.now,
                        "a timeout is due right after handle_timeout"
                    );
                }
            }
            Op::SiteAlarm(pile, active) => {
                let now = w.ts();
                w.station
                    .site_alarm(&[PileId::Dny(dny_id(*pile))], *active, now);
            }
        }
        w.drain();
        assert!(w.station.open_sessions() <= 4 * 12 + 12);
    }
});
