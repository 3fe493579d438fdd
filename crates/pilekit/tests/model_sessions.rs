//! The shipped captures of whole sessions, run through stream → adapter: the event sequence
//! each dialect's pile produces, and the platform's answers rebuilt from neutral commands
//! byte for byte.
#![cfg(feature = "serde")]

use pilekit::codec::stream::{StreamDecoder, StreamItem};
use pilekit::codec::{AnyFrame, DecodeOptions, Direction};
use pilekit::model::{
    Adapter, AnyAdapter, CardId, ChargeLimit, LocalStart, OrderRef, PileCommand, PileEvent, PortNo,
    PortStatus, StartCharge, StartOutcome, StopCause, Timestamp, Uplink,
};
use pilekit::units::{Energy, Money, Power, Seconds};

fn capture(text: &str) -> Vec<u8> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .flat_map(|l| pilekit::hex::decode(l).unwrap())
        .collect()
}

/// Every frame of a capture, with whether it is the pile's.
fn frames(text: &str) -> Vec<AnyFrame> {
    let bytes = capture(text);
    let mut decoder = StreamDecoder::auto(DecodeOptions::STRICT);
    let mut items = decoder.feed_collect(&bytes);
    items.extend(decoder.finish_collect());
    items
        .into_iter()
        .filter_map(|item| match item {
            StreamItem::Frame { frame, .. } => Some(frame),
            StreamItem::Iccid { .. } | StreamItem::Link { .. } => None,
            other => panic!("unexpected stream item {other:?}"),
        })
        .collect()
}

fn direction(frame: &AnyFrame) -> Direction {
    match frame {
        AnyFrame::Ykc(f) => f.direction(),
        AnyFrame::Dny(f) => f.direction(),
        AnyFrame::Juy(f) => f.direction(),
        _ => unreachable!(),
    }
}

fn encode(frame: &AnyFrame) -> Vec<u8> {
    match frame {
        AnyFrame::Ykc(f) => f.encode().unwrap(),
        AnyFrame::Dny(f) => f.encode().unwrap(),
        AnyFrame::Juy(f) => f.encode().unwrap(),
        _ => unreachable!(),
    }
}

/// A short text per event, so a sequence reads like the session.
fn summary(e: &PileEvent) -> String {
    match e {
        PileEvent::LoggedIn(l) => format!("login {:?} ports", l.ports),
        PileEvent::Heartbeat { port } => format!("heartbeat {port:?}"),
        PileEvent::PortStatus { port, status, .. } => format!("port {port} {status}"),
        PileEvent::MeterSample { port, sample } => format!(
            "sample {port} {}",
            sample.power.map(|p| p.to_string()).unwrap_or_default()
        ),
        PileEvent::StartResult { port, outcome, .. } => format!("start {port} {outcome:?}"),
        PileEvent::StopResult { port, stopped, .. } => format!("stop {port} {stopped}"),
        PileEvent::LocalStart { port, by, .. } => format!("local start {port} {by:?}"),
        PileEvent::Settlement { port, settlement } => {
            format!("settlement {port} {}", settlement.stop.cause)
        }
        PileEvent::Alarm { kind, .. } => format!("alarm {kind}"),
        PileEvent::CardAuthRequest { port, card, .. } => {
            format!("card {:?} {card}", port.map(PortNo::get))
        }
        PileEvent::BillingModelRequest { current } => format!("model request {current:?}"),
        PileEvent::ClockRequest => "clock request".into(),
        PileEvent::CommandResult { command, ok } => format!("result {command:#04x} {ok}"),
        PileEvent::Other(f) => format!("other {}", f.name()),
        other => format!("{other:?}"),
    }
}

/// Runs the pile's frames through the adapter; for each platform frame in the capture, the
/// `answer` closure gives the neutral command the platform meant, and the adapter must build
/// exactly the captured bytes from it.
fn run(
    text: &str,
    mut answer: impl FnMut(&[Uplink], &AnyFrame) -> PileCommand,
) -> (Vec<Uplink>, usize) {
    let frames = frames(text);
    let mut adapter = AnyAdapter::new(frames[0].dialect());
    let mut events = Vec::new();
    let mut rebuilt = 0;
    for frame in &frames {
        if direction(frame) == Direction::Up {
            adapter.events(frame, &mut events).unwrap();
        } else {
            let command = answer(&events, frame);
            let last = events.last().expect("the pile spoke first");
            let reply_to = if is_answer(&command) {
                last.reply_to
            } else {
                Default::default()
            };
            let built = adapter.command(&last.pile, &command, reply_to).unwrap();
            let (mut built, mut frame) = (built, frame.clone());
            // Commands the platform starts are numbered by the adapter; the capture's numbering
            // is the platform's own.
            if !is_answer(&command) {
                renumber(&mut built, &frame);
                renumber(&mut frame, &built);
            }
            assert_eq!(encode(&built), encode(&frame), "{command:?}");
            rebuilt += 1;
        }
    }
    (events, rebuilt)
}

fn is_answer(c: &PileCommand) -> bool {
    matches!(
        c,
        PileCommand::AckLogin { .. }
            | PileCommand::AckHeartbeat { .. }
            | PileCommand::AckSettlement { .. }
            | PileCommand::AckLocalStart { .. }
            | PileCommand::AnswerCard { .. }
            | PileCommand::AnswerModelCheck { .. }
            | PileCommand::SyncClock { .. }
    ) || matches!(c, PileCommand::SendPlan { as_reply: true, .. })
}

fn renumber(frame: &mut AnyFrame, like: &AnyFrame) {
    match (frame, like) {
        (AnyFrame::Dny(f), AnyFrame::Dny(l)) => f.message_id = l.message_id,
        (AnyFrame::Ykc(f), AnyFrame::Ykc(l)) => f.seq = l.seq,
        _ => {}
    }
}

fn port(n: u8) -> PortNo {
    PortNo::new(n).unwrap()
}

#[test]
fn dny_session_gives_the_pile_events_and_rebuilds_the_platform_answers() {
    let order = OrderRef::from_bytes(b"Q2026120200042").unwrap();
    let (events, rebuilt) = run(
        include_str!("data/captures/dny-session.hex"),
        |events, frame| match &events.last().unwrap().event {
            _ if frame.name() == "start_stop" => PileCommand::Start(StartCharge {
                port: port(3),
                order,
                limit: ChargeLimit::Time {
                    duration: Seconds(14_400),
                },
                balance: Some(Money::from_fen(100)),
                card: None,
            }),
            PileEvent::LoggedIn(_) => PileCommand::AckLogin {
                accepted: true,
                now: None,
                heartbeat_interval_s: None,
            },
            PileEvent::ClockRequest => PileCommand::SyncClock {
                now: Timestamp::from_unix(1_764_675_000).unwrap(),
            },
            PileEvent::PortStatus { .. } => PileCommand::AckHeartbeat { port: None },
            PileEvent::Settlement { port, settlement } => PileCommand::AckSettlement {
                port: *port,
                order: settlement.order,
            },
            other => panic!("no answer to {other:?}"),
        },
    );
    assert_eq!(rebuilt, 5);
    let seq: Vec<String> = events.iter().map(|u| summary(&u.event)).collect();
    let mut expected = vec!["login Some(10) ports".to_string(), "clock request".into()];
    expected.push("heartbeat None".into());
    for p in 1..=10 {
        let status = if p == 3 { "plugged" } else { "idle" };
        expected.push(format!("port {p} {status}"));
    }
    expected.extend(
        [
            "start 3 Started",
            "sample 3 182.4 W",
            "sample 3 180.1 W",
            "settlement 3 battery_full",
            "settlement 3 battery_full",
            "alarm smoke",
        ]
        .map(String::from),
    );
    assert_eq!(seq, expected);
    assert!(events.iter().all(|u| u.pile.to_string() == "05-11220795"));

    let PileEvent::MeterSample { sample, .. } = &events[14].event else {
        panic!()
    };
    assert_eq!(sample.order, Some(order));
    assert_eq!(sample.energy, Some(Energy::from_centi_kwh(1)));
    assert_eq!(sample.elapsed, Some(Seconds(300)));
    assert_eq!(sample.status, Some(PortStatus::Charging));
    assert_eq!(sample.at.unwrap().unix(), 1_764_675_330);
    let PileEvent::Settlement { settlement, .. } = &events[16].event else {
        panic!()
    };
    assert_eq!(settlement.order, order);
    assert_eq!(settlement.energy, Energy::from_centi_kwh(38));
    assert_eq!(settlement.duration, Some(Seconds(9_120)));
    assert_eq!(settlement.max_power, Some(Power(1_890)));
    assert_eq!(settlement.stop.raw.code, 1);
    assert_eq!(settlement.card, None);
    assert_ne!(events[16].reply_to, events[17].reply_to);
}

#[test]
fn juy_session_gives_the_pile_events_and_rebuilds_the_platform_answers() {
    let (events, rebuilt) = run(
        include_str!("data/captures/juy-session.hex"),
        |events, frame| match &events.last().unwrap().event {
            _ if frame.name() == "remote_start" => PileCommand::Start(StartCharge {
                port: port(2),
                order: OrderRef::from_number(20_261_202),
                limit: ChargeLimit::Time {
                    duration: Seconds(14_400),
                },
                balance: Some(Money::from_fen(100)),
                card: None,
            }),
            PileEvent::LoggedIn(_) => PileCommand::AckLogin {
                accepted: true,
                now: None,
                heartbeat_interval_s: Some(60),
            },
            PileEvent::PortStatus { .. } => PileCommand::AckHeartbeat { port: None },
            PileEvent::LocalStart { port, order, .. } => PileCommand::AckLocalStart {
                port: *port,
                order: order.unwrap(),
            },
            PileEvent::CardAuthRequest { port, card, .. } => PileCommand::AnswerCard {
                port: *port,
                card: *card,
                accepted: true,
                balance: Money::from_fen(2_350),
                order: None,
            },
            PileEvent::Settlement { port, settlement } => PileCommand::AckSettlement {
                port: *port,
                order: settlement.order,
            },
            other => panic!("no answer to {other:?}"),
        },
    );
    assert_eq!(rebuilt, 6);
    let seq: Vec<String> = events.iter().map(|u| summary(&u.event)).collect();
    let mut expected = vec!["login Some(10) ports".to_string(), "heartbeat None".into()];
    for p in 1..=10 {
        expected.push(format!("port {p} idle"));
    }
    expected.extend(
        [
            "start 2 Started",
            "sample 2 176.0 W",
            "local start 5 Coin",
            "card Some(7) 3141592",
            "settlement 2 battery_full",
            "settlement 2 battery_full",
        ]
        .map(String::from),
    );
    assert_eq!(seq, expected);
    assert!(
        events
            .iter()
            .all(|u| u.pile.to_string() == "866714041234567")
    );
    let PileEvent::LocalStart {
        by, paid, order, ..
    } = &events[14].event
    else {
        panic!()
    };
    assert_eq!(*by, LocalStart::Coin);
    assert_eq!(*paid, Some(Money::from_fen(100)));
    assert_eq!(order.unwrap().to_string(), "7");
    let PileEvent::Settlement { settlement, .. } = &events[16].event else {
        panic!()
    };
    assert_eq!(settlement.energy, Energy::from_wh(412));
    assert_eq!(settlement.amount, Some(Money::from_fen(59)));
    assert_eq!(settlement.stop.cause, StopCause::BatteryFull);
    assert_eq!(settlement.order.to_number(), Some(20_261_202));
    let PileEvent::CardAuthRequest { card, .. } = &events[15].event else {
        panic!()
    };
    assert_eq!(*card, CardId::Number(3_141_592));
}

#[test]
fn ykc_session_gives_the_pile_events_and_rebuilds_the_platform_answers() {
    let text = include_str!("data/captures/ykc-session.hex");
    let frames = frames(text);
    let mut adapter = AnyAdapter::new(frames[0].dialect());
    let mut events = Vec::new();
    for frame in frames.iter().filter(|f| direction(f) == Direction::Up) {
        adapter.events(frame, &mut events).unwrap();
    }
    let seq: Vec<String> = events.iter().map(|u| summary(&u.event)).collect();
    assert_eq!(seq[0], "login Some(2) ports");
    assert_eq!(seq[1], format!("heartbeat {:?}", Some(port(1))));
    assert_eq!(seq[2], "model request Some(0)");
    assert_eq!(seq[3], "start 1 Started");
    assert_eq!(seq[4], "port 1 charging");
    assert!(seq.iter().any(|s| s.starts_with("stop 1 true")), "{seq:?}");
    let settlement = events
        .iter()
        .find_map(|u| match &u.event {
            PileEvent::Settlement { settlement, .. } => Some(settlement),
            _ => None,
        })
        .expect("a transaction record");
    assert_eq!(
        settlement.order.to_string(),
        "32010200000001012411291903420001"
    );
    assert!(settlement.started.unwrap() < settlement.ended.unwrap());
    assert!(settlement.class_energy.is_some());
    assert!(
        events
            .iter()
            .all(|u| u.pile.to_string() == "32010200000001")
    );

    // The platform's answers rebuilt from neutral commands.
    let ack = |event: usize, command: PileCommand| {
        let u = &events[event];
        let mut a = AnyAdapter::new(pilekit::Dialect::Ykc);
        encode(&a.command(&u.pile, &command, u.reply_to).unwrap())
    };
    let login_reply = ack(
        0,
        PileCommand::AckLogin {
            accepted: true,
            now: None,
            heartbeat_interval_s: None,
        },
    );
    assert_eq!(login_reply, encode(&frames[1]));
    let _ = StartOutcome::Started;
}
