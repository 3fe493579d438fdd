//! `api::replay` over the shipped pile logs and over logs with every kind of trouble: the
//! sessions, their bills and the findings are asserted value by value.

use pilekit::api::{Replay, ReplayRequest, load_plan, replay, replay_text};
use pilekit::model::StopCause;
use pilekit::session::Origin;
use pilekit::tariff::{LineKind, Payment};
use pilekit::units::{Energy, Money};

const ONE_YUAN: &str = include_str!("data/plans/one-yuan-four-hours.json");
const TOU: &str = include_str!("data/plans/tou-residential.json");
const DNY_LOG: &str = include_str!("data/logs/dny-session.log");
const JUY_LOG: &str = include_str!("data/logs/juy-session.log");
const YKC_LOG: &str = include_str!("data/logs/ykc-session.log");

fn run(plan: &str, log: &str) -> Replay {
    replay(log, &load_plan(plan).unwrap(), &ReplayRequest::default())
}

fn kinds(r: &Replay) -> Vec<(usize, &str)> {
    r.anomalies
        .iter()
        .map(|f| (f.line, f.kind.as_str()))
        .collect()
}

#[test]
fn the_dny_log_gives_one_session_billed_once_and_the_smoke_alarm() {
    let r = run(ONE_YUAN, DNY_LOG);
    assert_eq!(r.lines, 34);
    assert_eq!(
        r.sessions.len(),
        1,
        "the resent settlement is not billed again"
    );
    let s = &r.sessions[0];
    assert_eq!(s.pile.to_string(), "05-11220795");
    assert_eq!(s.port.get(), 3);
    assert_eq!(s.order.to_string(), "Q2026120200042");
    assert_eq!(
        s.origin,
        Origin::Platform {
            payment: Payment::Prepaid {
                amount: Money::from_fen(100)
            }
        }
    );
    assert_eq!(s.stop.cause, StopCause::BatteryFull);
    assert_eq!(s.energy, Energy::from_centi_kwh(38));
    assert_eq!(s.ended.to_string(), "2025-12-02T22:02:30+08:00");
    let bill = s.bill.as_ref().unwrap();
    // 152 minutes of a 1-yuan 240-minute block, billed by the minute
    assert_eq!(bill.total, Money::from_fen(63));
    assert_eq!(bill.refund, Money::from_fen(37));
    assert_eq!(
        kinds(&r),
        vec![(30, "duplicate_settlement"), (34, "alarm")],
        "{:#?}",
        r.anomalies
    );
    assert!(r.open.is_empty());
}

#[test]
fn the_juy_log_keeps_the_coin_start_open_and_bills_the_qr_start() {
    let r = run(ONE_YUAN, JUY_LOG);
    assert_eq!(r.sessions.len(), 1);
    let s = &r.sessions[0];
    assert_eq!(s.port.get(), 2);
    assert_eq!(s.order.to_string(), "20261202");
    assert_eq!(s.stop.cause, StopCause::BatteryFull);
    assert_eq!(s.energy, Energy::from_wh(412));
    assert_eq!(s.duration.0, 2 * 3600 + 21 * 60);
    // a JUY report carries no times: the log's, in the plan's local time
    assert_eq!(s.started.to_string(), "2025-12-02T20:01:01+08:00");
    assert_eq!(s.ended.to_string(), "2025-12-02T22:22:01+08:00");
    assert_eq!(s.bill.as_ref().unwrap().total, Money::from_fen(59));
    assert_eq!(
        r.open.len(),
        1,
        "the coin start on port 5 has no settlement"
    );
    assert_eq!(r.open[0].port.get(), 5);
    assert_eq!(r.open[0].line, 18);
    assert_eq!(kinds(&r), vec![(28, "duplicate_settlement")]);
}

#[test]
fn the_ykc_log_bills_by_time_of_use_with_its_subtotals() {
    let r = run(TOU, YKC_LOG);
    assert_eq!(r.sessions.len(), 1);
    let s = &r.sessions[0];
    assert_eq!(s.order.to_string(), "32010200000001012411291903420001");
    assert_eq!(s.stop.cause, StopCause::RemoteStop);
    assert_eq!(s.energy, Energy::from_centi_kwh(920));
    let bill = s.bill.as_ref().unwrap();
    assert_eq!(bill.sum_of(LineKind::Electricity), Money::from_fen(828));
    assert_eq!(bill.sum_of(LineKind::Service), Money::from_fen(368));
    assert_eq!(bill.total, Money::from_fen(1196));
    // the plan's deep-valley class does not fit a YKC billing model: the model is not sent
    assert_eq!(kinds(&r), vec![(12, "command_not_sent")]);
    let text = replay_text(&r, &load_plan(TOU).unwrap());
    assert!(
        text.contains("30m08s  9.20 kWh  remote_stop  11.96 yuan (electricity 8.28, service 3.68)"),
        "{text}"
    );
}

#[test]
fn malformed_lines_and_bad_frames_are_reported_with_their_line_and_the_rest_replayed() {
    let mut log = String::from(DNY_LOG);
    log.push_str("2025-12-02T22:11:00 05-11220795 sideways 44 4E 59\n");
    log.push_str("yesterday 05-11220795 up 44 4E 59\n");
    log.push_str("2025-12-02T22:12:00 05-11220795 up 44 4E 5G\n");
    log.push_str("2025-12-02T22:13:00 05-11220795\n");
    // a heartbeat with a wrong checksum (the last but one byte)
    log.push_str(
        "2025-12-02T22:14:00 05-11220795 up 44 4E 59 18 00 3B 37 AB 05 03 00 21 01 09 0A 00 00 \
         02 00 00 00 00 00 00 00 00 53 B3 02\n",
    );
    let r = run(ONE_YUAN, &log);
    assert_eq!(r.sessions.len(), 1, "the lines before still count");
    let tail: Vec<_> = kinds(&r).into_iter().filter(|(l, _)| *l > 34).collect();
    assert_eq!(
        tail,
        vec![
            (35, "malformed_line"),
            (36, "malformed_line"),
            (37, "malformed_line"),
            (38, "malformed_line"),
            (39, "bad_frame"),
        ]
    );
    let bad = r.anomalies.iter().find(|f| f.line == 39).unwrap();
    assert_eq!(bad.offset, Some(0));
    assert!(bad.message.contains("checksum"), "{}", bad.message);
    assert!(r.anomalies[2].message.contains("sideways"));
}

#[test]
fn a_frame_cut_short_at_the_end_of_the_log_is_reported_at_its_line_and_byte() {
    let mut log = String::from(DNY_LOG);
    // garbage, then the first half of a heartbeat: the log ends before the rest
    log.push_str("2025-12-02T22:14:00 05-11220795 up EE 44 4E 59 18 00 3B 37 AB 05 03\n");
    let r = run(ONE_YUAN, &log);
    assert_eq!(r.sessions.len(), 1);
    let found: Vec<_> = r.anomalies.iter().filter(|f| f.line == 35).collect();
    assert_eq!(found.len(), 1, "{:#?}", r.anomalies);
    assert_eq!(found[0].kind, "bad_frame");
    assert_eq!(
        found[0].offset,
        Some(0),
        "the run begins at the line's first byte"
    );
    assert!(
        found[0].message.contains("11 bytes"),
        "{}",
        found[0].message
    );
    assert_eq!(
        found[0].pile.map(|p| p.to_string()).as_deref(),
        Some("05-11220795")
    );
}

#[test]
fn a_settlement_the_platform_never_started_is_billed_as_a_closed_session() {
    // the DNY log without the platform's start command and the pile's answer
    let log: String = DNY_LOG
        .lines()
        .filter(|l| !l.contains(" 82 00 64 ") && !l.contains("00 82 00 51"))
        .map(|l| format!("{l}\n"))
        .collect();
    let r = run(ONE_YUAN, &log);
    assert_eq!(r.sessions.len(), 1);
    assert_eq!(r.sessions[0].origin, Origin::SettlementOnly);
    assert!(
        kinds(&r).iter().any(|(_, k)| *k == "unknown_settlement"),
        "{:#?}",
        r.anomalies
    );
}

#[test]
fn the_replay_serialises_with_stable_keys() {
    let r = run(ONE_YUAN, DNY_LOG);
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["sessions"][0]["order"], "Q2026120200042");
    assert_eq!(v["anomalies"][0]["kind"], "duplicate_settlement");
    assert_eq!(v["anomalies"][0]["line"], 30);
    let back: Replay = serde_json::from_value(v).unwrap();
    assert_eq!(back, r);
}
