//! A district for the session benchmarks: piles online, every socket charging.

#![allow(dead_code)]

use pilekit::codec::dny::{self, DnyFrame, DnyMessage, PhysicalId, Port};
use pilekit::codec::fields::HexBytes;
use pilekit::model::{
    LoginInfo, MeterSample, OrderRef, PileEvent, PileId, PortNo, PortStatus, ReplyTo, StartOutcome,
    Uplink,
};
use pilekit::session::{Config, LinkId, StartLimit, StartRequest, Station};
use pilekit::tariff::{Payment, Plan};
use pilekit::time::Timestamp;
use pilekit::{Energy, Money, Power, Seconds, Voltage};

pub const PORTS: u8 = 10;
pub const T0: i64 = 1_764_675_000;

pub fn at(offset_s: i64) -> Timestamp {
    Timestamp::from_unix(T0 + offset_s).expect("in range")
}

pub fn pile_id(i: u32) -> PhysicalId {
    PhysicalId(0x0500_0000 | i)
}

fn order(pile: u32, port: u8) -> OrderRef {
    OrderRef::from_bytes(format!("O{pile:07}-{port:02}").as_bytes()).expect("short")
}

fn order16(o: &OrderRef) -> HexBytes<16> {
    let mut b = [0u8; 16];
    b[..o.as_bytes().len()].copy_from_slice(o.as_bytes());
    HexBytes(b)
}

fn uplink(pile: PileId, event: PileEvent) -> Uplink {
    Uplink {
        pile,
        event,
        reply_to: ReplyTo::NONE,
    }
}

/// `piles` DNY piles, each on its own link, logged in, every socket charging (1 yuan prepaid).
pub fn district(piles: u32) -> (Station, Vec<LinkId>) {
    let plan: Plan = serde_json::from_str(
        r#"{"family": "fixed_block", "price_yuan": 1, "block_min": 240, "billed_by": "minute"}"#,
    )
    .expect("plan");
    let mut config = Config::default();
    config.pile_start_limit = None;
    let mut station = Station::new(config, plan);
    let now = at(0);
    let mut links = Vec::with_capacity(piles as usize);
    for i in 0..piles {
        let link = station.connect(now);
        let pile = PileId::Dny(pile_id(i));
        station.handle_event(
            link,
            uplink(
                pile,
                PileEvent::LoggedIn(LoginInfo {
                    ports: Some(PORTS),
                    ..LoginInfo::default()
                }),
            ),
            now,
        );
        for port in 1..=PORTS {
            let port_no = PortNo::new(port).expect("from 1");
            let request = StartRequest {
                order: order(i, port),
                payment: Payment::Prepaid {
                    amount: Money::YUAN,
                },
                limit: StartLimit::FromQuote,
                card: None,
            };
            station.start(pile, port_no, request, now).expect("starts");
            station.handle_event(
                link,
                uplink(
                    pile,
                    PileEvent::StartResult {
                        port: port_no,
                        order: Some(order(i, port)),
                        outcome: StartOutcome::Started,
                    },
                ),
                now,
            );
        }
        while station.poll_transmit().is_some() {}
        while station.poll_notification().is_some() {}
        links.push(link);
    }
    (station, links)
}

/// One meter sample per socket and one heartbeat per pile, at `elapsed` seconds.
pub fn sample_events(links: &[LinkId], elapsed: u32) -> Vec<(LinkId, Uplink)> {
    let mut events = Vec::new();
    for (i, &link) in links.iter().enumerate() {
        let pile = PileId::Dny(pile_id(i as u32));
        events.push((link, uplink(pile, PileEvent::Heartbeat { port: None })));
        for port in 1..=PORTS {
            let sample = MeterSample {
                order: Some(order(i as u32, port)),
                status: Some(PortStatus::Charging),
                power: Some(Power::from_watts(180)),
                voltage: Some(Voltage(2300)),
                energy: Some(Energy::from_centi_kwh(i64::from(elapsed / 600))),
                elapsed: Some(Seconds(elapsed)),
                ..MeterSample::default()
            };
            events.push((
                link,
                uplink(
                    pile,
                    PileEvent::MeterSample {
                        port: PortNo::new(port).expect("from 1"),
                        sample,
                    },
                ),
            ));
        }
    }
    events
}

/// The same as frames: a 0x21 heartbeat per pile and a 0x06 power report per socket.
pub fn sample_frames(links: &[LinkId], elapsed: u32) -> Vec<(LinkId, Vec<u8>)> {
    let mut frames = Vec::new();
    for (i, &link) in links.iter().enumerate() {
        let id = pile_id(i as u32);
        let heartbeat = DnyMessage::Heartbeat(dny::Heartbeat {
            voltage: Voltage(2300),
            ports: vec![dny::PortState::Charging; usize::from(PORTS)],
            signal: 0,
            ambient_temperature: None,
        });
        frames.push((
            link,
            DnyFrame::new(id, 1, heartbeat).encode().expect("encodes"),
        ));
        for port in 1..=PORTS {
            let mut p = dny::PortPower::new(
                Port::socket(port),
                dny::PortState::Charging,
                Seconds(elapsed),
                Energy::from_centi_kwh(i64::from(elapsed / 600)),
                dny::StartMode::Online,
                Power::from_watts(180),
                Power::from_watts(190),
                Power::from_watts(170),
                Power::from_watts(180),
                order16(&order(i as u32, port)),
            );
            p.voltage = Some(Voltage(2300));
            frames.push((
                link,
                DnyFrame::new(id, 2, DnyMessage::PortPower(p))
                    .encode()
                    .expect("encodes"),
            ));
        }
    }
    frames
}

/// Feeds decoded events to the station, draining what it sends and says; the bytes sent. The
/// events are moved in, so that the pass costs the station's work and no copies of them.
pub fn pass_events(station: &mut Station, events: Vec<(LinkId, Uplink)>, now: Timestamp) -> usize {
    let mut out = 0;
    for (link, up) in events {
        station.handle_event(link, up, now);
        while let Some(t) = station.poll_transmit() {
            out += t.bytes.len();
        }
        while station.poll_notification().is_some() {}
    }
    out
}

/// Feeds frames to the station as bytes, draining what it sends and says; the bytes sent.
pub fn pass_bytes(station: &mut Station, frames: &[(LinkId, Vec<u8>)], now: Timestamp) -> usize {
    let mut out = 0;
    for (link, bytes) in frames {
        station.handle_bytes(*link, bytes, now);
        while let Some(t) = station.poll_transmit() {
            out += t.bytes.len();
        }
        while station.poll_notification().is_some() {}
    }
    out
}
