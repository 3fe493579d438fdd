//! The session engine through real bytes: a virtual pile encodes its frames, the station decodes
//! them, and the station's answers are decoded back, per dialect.
#![cfg(feature = "serde")]

use pilekit::codec::dny::{self, DnyFrame, DnyMessage, PhysicalId, Port};
use pilekit::codec::fields::{Ascii, Bcd, HexBytes};
use pilekit::codec::juy::{self, JuyFrame, JuyMessage};
use pilekit::codec::ykc::{self, YkcFrame, YkcMessage};
use pilekit::codec::{AnyFrame, DecodeContext, Direction};
use pilekit::model::{OrderRef, PileId, PortNo, StopCause};
use pilekit::session::{
    Anomaly, BudgetPolicy, Config, LinkId, Notification, Origin, Phase, PowerBudget, SessionError,
    SessionRecord, StartLimit, StartRefusal, StartRequest, Station,
};
use pilekit::tariff::{Payment, Plan};
use pilekit::time::Timestamp;
use pilekit::units::*;

const T0: i64 = 1_764_675_000; // 2025-12-02 19:30 +08:00

fn plan(json: &str) -> Plan {
    serde_json::from_str(json).unwrap()
}

fn one_yuan_four_hours() -> Plan {
    plan(
        r#"{"family": "fixed_block", "price_yuan": 1, "block_min": 240, "billed_by": "minute", "rounding": {"stage": "line", "mode": "half_up"}}"#,
    )
}

fn tou_flat() -> Plan {
    plan(
        r#"{"family": "time_of_use", "rates": [{"class": "flat", "energy_yuan_per_kwh": 0.75, "service_yuan_per_kwh": 0.45}], "slots": ["flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat","flat"]}"#,
    )
}

struct Site {
    station: Station,
    now: i64,
}

impl Site {
    fn new(config: Config, plan: Plan) -> Self {
        Site {
            station: Station::new(config, plan),
            now: T0,
        }
    }

    fn now(&self) -> Timestamp {
        Timestamp::from_unix(self.now).unwrap()
    }

    fn connect(&mut self) -> LinkId {
        let now = self.now();
        self.station.connect(now)
    }

    /// Bytes from the pile on `link`; the station's answers, decoded as platform frames.
    fn pile_says(&mut self, link: LinkId, bytes: &[u8]) -> Vec<AnyFrame> {
        let now = self.now();
        self.station.handle_bytes(link, bytes, now);
        self.transmits(link)
    }

    fn transmits(&mut self, link: LinkId) -> Vec<AnyFrame> {
        let mut out = Vec::new();
        while let Some(t) = self.station.poll_transmit() {
            assert_eq!(t.link, link, "answer on the pile's link");
            let ctx = DecodeContext::default().with_direction(Some(Direction::Down));
            out.push(AnyFrame::decode(&t.bytes, &ctx).unwrap());
        }
        out
    }

    fn notes(&mut self) -> Vec<Notification> {
        core::iter::from_fn(|| self.station.poll_notification()).collect()
    }

    fn advance(&mut self, seconds: i64) {
        self.now += seconds;
        let now = self.now();
        self.station.handle_timeout(now);
    }

    fn start(&mut self, pile: PileId, port: u8, request: StartRequest) -> Result<(), SessionError> {
        let now = self.now();
        self.station
            .start(pile, PortNo::new(port).unwrap(), request, now)
    }
}

fn prepaid(order: &str, yuan: i64) -> StartRequest {
    StartRequest {
        order: OrderRef::from_bytes(order.as_bytes()).unwrap(),
        payment: Payment::Prepaid {
            amount: Money::from_fen(yuan * 100),
        },
        limit: StartLimit::FromQuote,
        card: None,
    }
}

fn ended(notes: &[Notification]) -> Vec<&SessionRecord> {
    notes
        .iter()
        .filter_map(|n| match n {
            Notification::SessionEnded(r) => Some(&**r),
            _ => None,
        })
        .collect()
}

fn anomalies(notes: &[Notification]) -> Vec<Anomaly> {
    notes
        .iter()
        .filter_map(|n| match n {
            Notification::Anomaly { anomaly, .. } => Some(*anomaly),
            _ => None,
        })
        .collect()
}

// ---- DNY -----------------------------------------------------------------------------------

const DNY_ID: PhysicalId = PhysicalId(0x05AB_373B);
const DNY_PILE: PileId = PileId::Dny(DNY_ID);

fn dny(mid: u16, m: DnyMessage) -> Vec<u8> {
    DnyFrame::new(DNY_ID, mid, m).encode().unwrap()
}

fn dny_msg(f: &AnyFrame) -> &DnyMessage {
    match f {
        AnyFrame::Dny(f) => &f.message,
        other => panic!("not DNY: {other:?}"),
    }
}

fn order16(text: &str) -> HexBytes<16> {
    let mut b = [0u8; 16];
    b[..text.len()].copy_from_slice(text.as_bytes());
    HexBytes(b)
}

fn dny_register(site: &mut Site, link: LinkId) {
    let answers = site.pile_says(
        link,
        &dny(
            1,
            DnyMessage::Register(dny::Register::new(105, 10, 0, 5, 0)),
        ),
    );
    assert!(matches!(dny_msg(&answers[0]), DnyMessage::RegisterReply(a) if a.is_ok()));
}

fn dny_power(order: &str, elapsed: u32, energy_centi: i64, deci_w: i64) -> Vec<u8> {
    let mut p = dny::PortPower::new(
        Port::socket(3),
        dny::PortState::Charging,
        Seconds(elapsed),
        Energy::from_centi_kwh(energy_centi),
        dny::StartMode::Online,
        Power(deci_w),
        Power(deci_w),
        Power(deci_w),
        Power(deci_w),
        order16(order),
    );
    p.voltage = Some(Voltage(2300));
    dny(40, DnyMessage::PortPower(p))
}

fn dny_settlement(
    order: &str,
    seconds: u32,
    energy_centi: i64,
    reason: dny::StopReason,
) -> Vec<u8> {
    dny(
        50,
        DnyMessage::Settlement(dny::Settlement::new(
            Seconds(seconds),
            Power(1890),
            Energy::from_centi_kwh(energy_centi),
            Port::socket(3),
            dny::StartMode::Online,
            HexBytes([0; 4]),
            reason,
            order16(order),
        )),
    )
}

/// A DNY pile online with a charge running on socket 3 under order `Q1` (1 yuan prepaid).
fn dny_charging() -> (Site, LinkId) {
    let mut site = Site::new(Config::default(), one_yuan_four_hours());
    let link = site.connect();
    dny_register(&mut site, link);
    site.start(DNY_PILE, 3, prepaid("Q1", 1)).unwrap();
    let sent = site.transmits(link);
    let DnyMessage::StartStop(s) = dny_msg(&sent[0]) else {
        panic!("{sent:?}")
    };
    assert_eq!(s.charge_command, dny::ChargeCommand::Start);
    // 1 yuan buys 240 minutes under the plan
    assert_eq!(s.duration_or_energy, 14_400);
    assert_eq!(s.order_number, order16("Q1"));
    let mut reply = dny::StartStopReply::new(dny::StartResult::Ok);
    reply.order_number = Some(order16("Q1"));
    reply.port = Some(Port::socket(3));
    assert!(
        site.pile_says(link, &dny(0x0101, DnyMessage::StartStopReply(reply)))
            .is_empty()
    );
    let notes = site.notes();
    assert!(
        notes
            .iter()
            .any(|n| matches!(n, Notification::SessionStarted { .. }))
    );
    (site, link)
}

#[test]
fn dny_happy_path_bills_once_however_often_the_settlement_comes() {
    let (mut site, link) = dny_charging();
    site.now += 300;
    assert!(
        site.pile_says(link, &dny_power("Q1", 300, 1, 1824))
            .is_empty()
    );
    site.now += 8_820;
    let answers = site.pile_says(
        link,
        &dny_settlement("Q1", 9_120, 38, dny::StopReason::BatteryFull),
    );
    assert!(matches!(dny_msg(&answers[0]), DnyMessage::SettlementReply(a) if a.is_ok()));
    let notes = site.notes();
    let records = ended(&notes);
    assert_eq!(records.len(), 1);
    let r = records[0];
    assert_eq!(r.pile, DNY_PILE);
    assert_eq!(r.port.get(), 3);
    assert_eq!(r.order.to_string(), "Q1");
    assert_eq!(r.stop.cause, StopCause::BatteryFull);
    assert_eq!(r.duration, Seconds(9_120));
    assert_eq!(r.energy, Energy::from_centi_kwh(38));
    let bill = r.bill.as_ref().unwrap();
    // 152 minutes of "1 yuan per 240 minutes", half-up to the fen: 0.63; 0.37 back
    assert_eq!(bill.total, Money::from_fen(63));
    assert_eq!(bill.refund, Money::from_fen(37));
    assert!(matches!(r.origin, Origin::Platform { .. }));
    assert_eq!(
        site.station.port_phase(&DNY_PILE, PortNo::new(3).unwrap()),
        Some((Phase::Idle, false))
    );

    // the acknowledgement was lost: the pile resends; acknowledged again, billed once
    site.now += 1_800;
    let answers = site.pile_says(
        link,
        &dny_settlement("Q1", 9_120, 38, dny::StopReason::BatteryFull),
    );
    assert!(matches!(
        dny_msg(&answers[0]),
        DnyMessage::SettlementReply(_)
    ));
    let notes = site.notes();
    assert!(ended(&notes).is_empty());
    assert_eq!(anomalies(&notes), vec![Anomaly::DuplicateSettlement]);

    // a power heartbeat that crossed the settlement on the wire changes nothing
    site.pile_says(link, &dny_power("Q1", 9_000, 37, 50));
    assert_eq!(
        anomalies(&site.notes()),
        vec![Anomaly::SampleAfterSettlement]
    );
}

#[test]
fn a_monthly_card_beyond_its_uses_per_day_is_billed_by_its_fallback() {
    let card_plan = plan(include_str!("data/plans/monthly-card-limits.json"));
    let mut site = Site::new(Config::default(), one_yuan_four_hours());
    site.station.set_card_plan(card_plan);
    let link = site.connect();
    dny_register(&mut site, link);
    let card = pilekit::model::CardId::Number(88);
    let mut totals = Vec::new();
    // three 1-hour sessions on one local day, a fourth the next day
    for (i, gap) in [0, 3_600, 3_600, 86_400].into_iter().enumerate() {
        site.now += gap;
        let order = format!("C{i}");
        let request = StartRequest {
            order: OrderRef::from_bytes(order.as_bytes()).unwrap(),
            payment: Payment::MonthlyCard {
                expires: T0 + 30 * 86_400,
            },
            limit: StartLimit::FromQuote,
            card: Some(card),
        };
        site.start(DNY_PILE, 3, request).unwrap();
        site.transmits(link);
        let mut reply = dny::StartStopReply::new(dny::StartResult::Ok);
        reply.order_number = Some(order16(&order));
        reply.port = Some(Port::socket(3));
        site.pile_says(link, &dny(0x0101, DnyMessage::StartStopReply(reply)));
        site.now += 3_600;
        site.pile_says(
            link,
            &dny_settlement(&order, 3_600, 20, dny::StopReason::BatteryFull),
        );
        let notes = site.notes();
        let records = ended(&notes);
        assert_eq!(records.len(), 1, "{notes:#?}");
        totals.push(records[0].bill.as_ref().unwrap().total);
    }
    // two uses a day are covered; the third falls back to 1 yuan per 240 minutes by the
    // minute (60 minutes: 0.25); the next day the card covers again
    assert_eq!(
        totals,
        vec![Money::ZERO, Money::ZERO, Money::from_fen(25), Money::ZERO]
    );
}

#[test]
fn a_plan_history_bills_each_session_by_the_version_valid_at_its_start() {
    let history: pilekit::tariff::PlanHistory = serde_json::from_str(&format!(
        r#"[{{"version": "old", "valid_from_unix_s": {}, "plan": {{"family": "hourly", "yuan_per_hour": 0.25, "billed_by": "minute"}}}},
            {{"version": "new", "valid_from_unix_s": {}, "plan": {{"family": "hourly", "yuan_per_hour": 0.50, "billed_by": "minute"}}}}]"#,
        T0 - 86_400,
        T0 + 7_200
    ))
    .unwrap();
    let mut site = Site::new(Config::default(), one_yuan_four_hours());
    let link = site.connect();
    dny_register(&mut site, link);
    let now = site.now();
    site.station.set_plan_history(None, &history, now);
    // the change of plan is a deadline of the station
    assert!(site.station.poll_timeout().unwrap().unix() <= T0 + 7_200);
    let mut bills = Vec::new();
    // one session from T0 to T0 + 3 h (across the change), one from T0 + 3 h
    for (i, order) in ["H1", "H2"].into_iter().enumerate() {
        let request = StartRequest {
            order: OrderRef::from_bytes(order.as_bytes()).unwrap(),
            payment: Payment::Postpaid,
            limit: StartLimit::UntilFull {
                cap: Seconds(4 * 3_600),
            },
            card: None,
        };
        site.start(DNY_PILE, 3, request).unwrap();
        site.transmits(link);
        let mut reply = dny::StartStopReply::new(dny::StartResult::Ok);
        reply.order_number = Some(order16(order));
        reply.port = Some(Port::socket(3));
        site.pile_says(link, &dny(0x0101, DnyMessage::StartStopReply(reply)));
        site.now += 3 * 3_600;
        if i == 0 {
            // the station's clock passes the change while the first session runs
            let now = site.now();
            site.station.handle_timeout(now);
        }
        site.pile_says(
            link,
            &dny_settlement(order, 3 * 3_600, 30, dny::StopReason::BatteryFull),
        );
        let notes = site.notes();
        let records = ended(&notes);
        assert_eq!(records.len(), 1, "{notes:#?}");
        let bill = records[0].bill.clone().unwrap();
        bills.push((bill.total, bill.plan_version));
    }
    assert_eq!(
        bills,
        vec![
            (Money::from_fen(75), Some("old".to_string())),
            (Money::from_fen(150), Some("new".to_string())),
        ]
    );
}

#[test]
fn dny_refusal_and_unanswered_start() {
    let mut site = Site::new(Config::default(), one_yuan_four_hours());
    let link = site.connect();
    dny_register(&mut site, link);
    site.notes();
    site.start(DNY_PILE, 3, prepaid("R1", 1)).unwrap();
    site.transmits(link);
    let mut reply = dny::StartStopReply::new(dny::StartResult::NoChargerPlugged);
    reply.order_number = Some(order16("R1"));
    reply.port = Some(Port::socket(3));
    site.pile_says(link, &dny(2, DnyMessage::StartStopReply(reply)));
    let notes = site.notes();
    assert!(matches!(
        notes[0],
        Notification::StartRefused {
            refusal: StartRefusal::Pile {
                refusal: pilekit::model::Refusal::NotPlugged,
                ..
            },
            ..
        }
    ));
    // no answer at all: refused when the start timeout passes
    site.start(DNY_PILE, 4, prepaid("R2", 1)).unwrap();
    site.transmits(link);
    site.advance(60);
    assert!(site.notes().is_empty());
    // keep the pile online meanwhile
    site.pile_says(
        link,
        &dny(3, DnyMessage::TimeRequest(dny::NoData::default())),
    );
    site.advance(80);
    let notes = site.notes();
    assert!(
        notes.iter().any(|n| matches!(
            n,
            Notification::StartRefused {
                refusal: StartRefusal::NoAnswer,
                ..
            }
        )),
        "{notes:?}"
    );
    assert_eq!(
        site.station.port_phase(&DNY_PILE, PortNo::new(4).unwrap()),
        Some((Phase::Idle, false))
    );
    // a busy port refuses at once
    assert_eq!(site.start(DNY_PILE, 9, prepaid("R3", 1)), Ok(()));
    assert_eq!(
        site.start(DNY_PILE, 9, prepaid("R4", 1)),
        Err(SessionError::Refused(StartRefusal::PortBusy))
    );
}

#[test]
fn dny_comms_loss_keeps_the_session_open_and_reconnect_settles_it() {
    let (mut site, link) = dny_charging();
    let port3 = PortNo::new(3).unwrap();
    let now = site.now();
    site.station.disconnect(link, now);
    let notes = site.notes();
    assert!(matches!(notes[0], Notification::PileOffline { .. }));
    assert_eq!(
        site.station.port_phase(&DNY_PILE, port3),
        Some((Phase::Charging, true))
    );
    assert_eq!(site.station.open_sessions(), 1);
    assert!(ended(&notes).is_empty(), "no invented end");
    // an hour later the pile reconnects and flushes its settlement
    site.now += 3_600;
    let link2 = site.connect();
    site.pile_says(link2, b"89860439101880000001");
    dny_register(&mut site, link2);
    let answers = site.pile_says(
        link2,
        &dny_settlement("Q1", 5_400, 20, dny::StopReason::Unplugged),
    );
    assert!(matches!(
        dny_msg(&answers[0]),
        DnyMessage::SettlementReply(_)
    ));
    let notes = site.notes();
    assert!(matches!(notes[0], Notification::PileOnline { .. }));
    let r = ended(&notes)[0];
    assert_eq!(r.stop.cause, StopCause::Unplugged);
    assert_eq!(r.duration, Seconds(5_400));
    assert_eq!(site.station.open_sessions(), 0);
}

#[test]
fn dny_silence_makes_a_pile_offline_and_an_unknown_settlement_becomes_a_closed_session() {
    let mut site = Site::new(Config::default(), one_yuan_four_hours());
    let link = site.connect();
    dny_register(&mut site, link);
    site.notes();
    assert_eq!(site.station.poll_timeout().unwrap().unix(), T0 + 420);
    site.advance(419);
    assert!(site.notes().is_empty());
    site.advance(1);
    assert!(matches!(site.notes()[0], Notification::PileOffline { .. }));
    assert!(!site.station.is_online(&DNY_PILE));
    // the pile comes back with a settlement of a charge started offline (by card)
    site.now += 60;
    let answers = site.pile_says(
        link,
        &dny_settlement("OFFLINE-7", 3_600, 15, dny::StopReason::PresetTimeReached),
    );
    assert!(matches!(
        dny_msg(&answers[0]),
        DnyMessage::SettlementReply(_)
    ));
    let notes = site.notes();
    assert!(anomalies(&notes).contains(&Anomaly::UnknownSettlement));
    let r = ended(&notes)[0];
    assert_eq!(r.origin, Origin::SettlementOnly);
    assert_eq!(r.stop.cause, StopCause::TimeLimit);
    assert_eq!(r.bill.as_ref().unwrap().total, Money::from_fen(25));
}

#[test]
fn dny_smoke_alarm_stops_every_port_and_blocks_starts() {
    let (mut site, link) = dny_charging();
    site.start(DNY_PILE, 5, prepaid("Q5", 1)).unwrap();
    site.transmits(link);
    site.notes();
    let sent = site.pile_says(
        link,
        &dny(
            9,
            DnyMessage::AlarmPush(dny::AlarmPush {
                kind: dny::AlarmKind::Smoke,
                source: 0,
                triggered_inputs: 0,
            }),
        ),
    );
    let stops: Vec<u8> = sent
        .iter()
        .filter_map(|f| match dny_msg(f) {
            DnyMessage::StartStop(s) if s.charge_command == dny::ChargeCommand::Stop => {
                s.port.number()
            }
            _ => None,
        })
        .collect();
    assert_eq!(stops, vec![3, 5]);
    let notes = site.notes();
    assert!(notes.iter().any(|n| matches!(
        n,
        Notification::Alarm {
            stopped_all: true,
            ..
        }
    )));
    assert_eq!(
        site.start(DNY_PILE, 6, prepaid("Q6", 1)),
        Err(SessionError::Refused(StartRefusal::Alarm))
    );
    // the settlement names smoke... or the pile's server stop: the station's reason wins
    let answers = site.pile_says(
        link,
        &dny_settlement("Q1", 600, 3, dny::StopReason::ServerStop),
    );
    assert!(!answers.is_empty());
    assert_eq!(ended(&site.notes())[0].stop.cause, StopCause::Smoke);
    site.station.clear_alarm(DNY_PILE);
    assert_eq!(site.start(DNY_PILE, 6, prepaid("Q6", 1)), Ok(()));
}

#[test]
fn dny_site_fire_alarm_stops_a_group_until_cleared() {
    let (mut site, link) = dny_charging();
    let now = site.now();
    site.station.site_alarm(&[DNY_PILE], true, now);
    let sent = site.transmits(link);
    assert!(
        matches!(dny_msg(&sent[0]), DnyMessage::StartStop(s) if s.charge_command == dny::ChargeCommand::Stop)
    );
    assert_eq!(
        site.start(DNY_PILE, 4, prepaid("F1", 1)),
        Err(SessionError::Refused(StartRefusal::Alarm))
    );
    site.station.site_alarm(&[DNY_PILE], false, now);
    assert_eq!(site.start(DNY_PILE, 4, prepaid("F1", 1)), Ok(()));
}

#[test]
fn dny_a_second_link_cannot_impersonate_an_online_pile() {
    let (mut site, link) = dny_charging();
    site.notes();
    let intruder = site.connect();
    // the intruder claims the pile and tries to settle the running order for nothing
    let answers = site.pile_says(
        intruder,
        &dny_settlement("Q1", 60, 0, dny::StopReason::Unplugged),
    );
    assert!(answers.is_empty());
    let notes = site.notes();
    assert!(matches!(notes[0], Notification::Impersonation { holder, .. } if holder == link));
    assert!(ended(&notes).is_empty());
    assert_eq!(
        site.station.port_phase(&DNY_PILE, PortNo::new(3).unwrap()),
        Some((Phase::Charging, false))
    );
    // flagged once, however much it sends
    site.pile_says(
        intruder,
        &dny(3, DnyMessage::TimeRequest(dny::NoData::default())),
    );
    assert!(site.notes().is_empty());
    // once the first link is gone, the pile may continue on the new one
    let now = site.now();
    site.station.disconnect(link, now);
    site.notes();
    let answers = site.pile_says(
        intruder,
        &dny(4, DnyMessage::TimeRequest(dny::NoData::default())),
    );
    assert!(matches!(dny_msg(&answers[0]), DnyMessage::TimeReply(_)));
}

#[test]
fn dny_power_says_full_unplugged_or_the_limit_is_reached() {
    // full: below 20 W for an hour
    let (mut site, link) = dny_charging();
    site.now += 300;
    site.pile_says(link, &dny_power("Q1", 300, 1, 1800));
    site.now += 300;
    site.pile_says(link, &dny_power("Q1", 600, 2, 150));
    let hold_end = site.now + 3_600;
    assert!(site.station.poll_timeout().unwrap().unix() <= hold_end);
    // the pile keeps reporting 15 W every 5 minutes; an hour after the first low reading:
    let mut sent = Vec::new();
    for i in 1..=12 {
        site.advance(300);
        sent = site.pile_says(link, &dny_power("Q1", 600 + i * 300, 2, 150));
    }
    assert!(
        matches!(dny_msg(&sent[0]), DnyMessage::StartStop(s) if s.charge_command == dny::ChargeCommand::Stop)
    );
    let notes = site.notes();
    assert!(
        notes
            .iter()
            .any(|n| matches!(n, Notification::ChargingFull { .. }))
    );
    assert!(notes.iter().any(|n| matches!(n, Notification::StopSent { reason, .. } if reason.cause == StopCause::BatteryFull)));

    // unplugged: 0 W for 5 minutes
    let (mut site, link) = dny_charging();
    site.now += 300;
    site.pile_says(link, &dny_power("Q1", 300, 1, 1800));
    site.now += 60;
    site.pile_says(link, &dny_power("Q1", 360, 1, 0));
    site.now += 300;
    site.pile_says(link, &dny_power("Q1", 660, 1, 0));
    let notes = site.notes();
    assert!(notes.iter().any(|n| matches!(n, Notification::StopSent { reason, .. } if reason.cause == StopCause::Unplugged)), "{notes:?}");

    // the time bought runs out: the station stops it even if the pile does not
    let (mut site, link) = dny_charging();
    for i in 1..=47 {
        site.now += 300;
        site.pile_says(link, &dny_power("Q1", i * 300, i64::from(i), 1800));
        site.pile_says(
            link,
            &dny(
                60 + i as u16,
                DnyMessage::TimeRequest(dny::NoData::default()),
            ),
        );
    }
    site.notes();
    site.advance(300);
    let notes = site.notes();
    assert!(notes.iter().any(|n| matches!(n, Notification::StopSent { reason, .. } if reason.cause == StopCause::TimeLimit)), "{notes:?}");
    site.transmits(link);
    site.pile_says(
        link,
        &dny_settlement("Q1", 14_400, 48, dny::StopReason::ServerStop),
    );
    let r = ended(&site.notes())[0].clone();
    assert_eq!(r.stop.cause, StopCause::TimeLimit);
    assert_eq!(r.bill.unwrap().total, Money::YUAN);
}

#[test]
fn dny_out_of_order_and_duplicate_samples_are_harmless() {
    let (mut site, link) = dny_charging();
    site.now += 600;
    site.pile_says(link, &dny_power("Q1", 600, 4, 1800));
    site.pile_says(link, &dny_power("Q1", 600, 4, 1800));
    assert!(site.notes().is_empty(), "a duplicate is ignored quietly");
    site.pile_says(link, &dny_power("Q1", 300, 2, 1700));
    assert_eq!(anomalies(&site.notes()), vec![Anomaly::SampleOutOfOrder]);
    site.pile_says(link, &dny_power("OTHER", 700, 5, 1700));
    assert_eq!(
        anomalies(&site.notes()),
        vec![Anomaly::SampleWithoutSession]
    );
}

#[test]
fn site_budget_refuses_or_queues() {
    let mut config = Config::default();
    config.budget = Some(PowerBudget {
        limit: Power::from_watts(600),
        policy: BudgetPolicy::Refuse,
    });
    let mut site = Site::new(config.clone(), one_yuan_four_hours());
    let link = site.connect();
    dny_register(&mut site, link);
    site.start(DNY_PILE, 1, prepaid("B1", 1)).unwrap();
    site.start(DNY_PILE, 2, prepaid("B2", 1)).unwrap();
    assert_eq!(
        site.start(DNY_PILE, 3, prepaid("B3", 1)),
        Err(SessionError::Refused(StartRefusal::OverBudget))
    );

    config.budget = Some(PowerBudget {
        limit: Power::from_watts(600),
        policy: BudgetPolicy::Queue,
    });
    let mut site = Site::new(config, one_yuan_four_hours());
    let link = site.connect();
    dny_register(&mut site, link);
    site.notes();
    site.start(DNY_PILE, 1, prepaid("B1", 1)).unwrap();
    site.start(DNY_PILE, 2, prepaid("B2", 1)).unwrap();
    site.start(DNY_PILE, 3, prepaid("B3", 1)).unwrap();
    assert!(matches!(site.notes()[0], Notification::StartQueued { .. }));
    assert_eq!(site.transmits(link).len(), 2);
    // port 1 is refused by the pile: the queued start goes out
    let mut reply = dny::StartStopReply::new(dny::StartResult::NoChargerPlugged);
    reply.order_number = Some(order16("B1"));
    reply.port = Some(Port::socket(1));
    let sent = site.pile_says(link, &dny(5, DnyMessage::StartStopReply(reply)));
    assert!(
        matches!(dny_msg(&sent[0]), DnyMessage::StartStop(s) if s.order_number == order16("B3"))
    );
}

// ---- JUY -----------------------------------------------------------------------------------

fn juy(m: JuyMessage) -> Vec<u8> {
    JuyFrame::new(m).encode().unwrap()
}

fn juy_msg(f: &AnyFrame) -> &JuyMessage {
    match f {
        AnyFrame::Juy(f) => &f.message,
        other => panic!("not JUY: {other:?}"),
    }
}

const IMEI: &str = "866714041234567";

fn juy_pile() -> PileId {
    PileId::Juy(Ascii::new(IMEI).unwrap())
}

fn juy_login(site: &mut Site, link: LinkId) {
    let login = juy::Login {
        imei: Ascii::new(IMEI).unwrap(),
        port_count: 10,
        hardware_version: Ascii::new("JUY_B2_Q800M_1_0").unwrap(),
        software_version: Ascii::new("JUY_B2_COMM_V1.7").unwrap(),
        iccid: Ascii::new("89860439101880000002").unwrap(),
        signal: 24,
        reason: juy::LoginReason::PowerOn,
    };
    let answers = site.pile_says(link, &juy(JuyMessage::Login(login)));
    let JuyMessage::LoginReply(r) = juy_msg(&answers[0]) else {
        panic!("{answers:?}")
    };
    assert_eq!(r.result, juy::LoginResult::Ok);
    assert_eq!(r.heartbeat_interval, 60);
}

#[test]
fn juy_platform_start_and_coin_start_are_billed_by_their_payment() {
    let mut site = Site::new(Config::default(), one_yuan_four_hours());
    let link = site.connect();
    juy_login(&mut site, link);
    let ports = juy::PortList::from_slice(&[juy::PortState::Idle; 10]).unwrap();
    let answers = site.pile_says(
        link,
        &juy(JuyMessage::Heartbeat(juy::Heartbeat {
            signal: 24,
            board_temperature: Temperature::from_celsius(21),
            ports,
        })),
    );
    assert!(matches!(
        juy_msg(&answers[0]),
        JuyMessage::HeartbeatReply(_)
    ));

    let mut req = prepaid("20261202", 1);
    req.order = OrderRef::from_number(20_261_202);
    site.start(juy_pile(), 2, req).unwrap();
    let sent = site.transmits(link);
    let JuyMessage::RemoteStart(s) = juy_msg(&sent[0]) else {
        panic!()
    };
    assert_eq!((s.port, s.order), (2, 20_261_202));
    assert_eq!(s.charge_mode, juy::ChargeMode::ByTime);
    assert_eq!(s.parameter, 14_400);
    site.pile_says(
        link,
        &juy(JuyMessage::RemoteStartReply(juy::RemoteStartReply {
            port: 2,
            order: 20_261_202,
            start_mode: juy::StartMode::QrPay,
            result: juy::StartResult::Started,
        })),
    );
    // coins on port 5
    let answers = site.pile_says(
        link,
        &juy(JuyMessage::LocalStartReport(juy::LocalStartReport {
            port: 5,
            order: 7,
            mode: juy::LocalStartMode::Coin,
            amount: Money::from_fen(100),
            card_balance: Money::ZERO,
            card: 0,
        })),
    );
    assert!(
        matches!(juy_msg(&answers[0]), JuyMessage::LocalStartAck(a) if a.port == 5 && a.order == 7)
    );
    let report = |port, order, seconds| {
        juy(JuyMessage::EndOfChargeReport(juy::EndOfChargeReport {
            port,
            order,
            duration: Seconds(seconds),
            energy: Energy::from_wh(412),
            amount: Money::from_fen(59),
            stop_reason: juy::StopReason::Full,
            stop_power: Power::from_watts(38),
            card: 0,
            tiers: vec![],
            reserved: HexBytes([0; 8]),
        }))
    };
    site.now += 3_600;
    let answers = site.pile_says(link, &report(5, 7, 3_600));
    assert!(
        matches!(juy_msg(&answers[0]), JuyMessage::EndOfChargeAck(a) if a.port == 5 && a.order == 7)
    );
    site.now += 600;
    site.pile_says(link, &report(2, 20_261_202, 4_200));
    // the pile did not get the acknowledgement in 10 s: it resends, billed once
    site.now += 10;
    site.pile_says(link, &report(2, 20_261_202, 4_200));
    let notes = site.notes();
    let records = ended(&notes);
    assert_eq!(records.len(), 2);
    let coin = records[0];
    assert!(matches!(coin.origin, Origin::Local { .. }));
    let bill = coin.bill.as_ref().unwrap();
    // an hour costs 0.25; coins are never refunded
    assert_eq!(bill.total, Money::from_fen(25));
    assert_eq!(bill.refund, Money::ZERO);
    let qr = records[1];
    assert_eq!(qr.order.to_number(), Some(20_261_202));
    assert_eq!(qr.bill.as_ref().unwrap().total, Money::from_fen(29));
    assert_eq!(qr.bill.as_ref().unwrap().refund, Money::from_fen(71));
    assert_eq!(anomalies(&notes), vec![Anomaly::DuplicateSettlement]);
}

// ---- YKC -----------------------------------------------------------------------------------

fn ykc_code() -> ykc::PileCode {
    Bcd::from_digits("32010200000001").unwrap()
}

fn ykc_pile() -> PileId {
    PileId::Ykc(ykc_code())
}

fn ykc(seq: u16, m: YkcMessage) -> Vec<u8> {
    YkcFrame::new(ykc::Seq::from_be(seq), m).encode().unwrap()
}

fn ykc_msg(f: &AnyFrame) -> &YkcMessage {
    match f {
        AnyFrame::Ykc(f) => &f.message,
        other => panic!("not YKC: {other:?}"),
    }
}

#[test]
fn ykc_checks_the_billing_model_before_charging_and_bills_by_class() {
    let mut site = Site::new(Config::default(), tou_flat());
    let link = site.connect();
    let login = ykc::Login {
        pile_code: ykc_code(),
        pile_type: ykc::PileType::from_code(0),
        gun_count: 1,
        protocol_version: 0x0F,
        program_version: Ascii::new("V4.1.50").unwrap(),
        network: ykc::NetworkType::from_code(0),
        sim: Bcd::default(),
        carrier: ykc::Carrier::from_code(0),
    };
    let answers = site.pile_says(link, &ykc(1, YkcMessage::Login(login)));
    assert!(
        matches!(ykc_msg(&answers[0]), YkcMessage::LoginReply(r) if r.result == ykc::ZeroIsSuccess::Success)
    );
    assert!(
        matches!(ykc_msg(&answers[1]), YkcMessage::ClockSync(_)),
        "clock sync after login"
    );
    let request = StartRequest {
        order: OrderRef::from_bytes(b"32010200000001012411291903420001").unwrap(),
        payment: Payment::Prepaid {
            amount: Money::from_fen(10_000),
        },
        limit: StartLimit::FromQuote,
        card: None,
    };
    assert_eq!(
        site.start(ykc_pile(), 1, request),
        Err(SessionError::Refused(StartRefusal::BillingModelPending))
    );
    // the pile checks model 0: different; it requests the model and gets the plan
    let answers = site.pile_says(
        link,
        &ykc(
            2,
            YkcMessage::ModelCheckRequest(ykc::ModelCheckRequest {
                pile_code: ykc_code(),
                model_number: Bcd::default(),
            }),
        ),
    );
    assert!(
        matches!(ykc_msg(&answers[0]), YkcMessage::ModelCheckReply(r) if r.result == ykc::ModelCheck::Different)
    );
    let answers = site.pile_says(
        link,
        &ykc(
            3,
            YkcMessage::ModelRequest(ykc::ModelRequest {
                pile_code: ykc_code(),
            }),
        ),
    );
    let YkcMessage::ModelReply(m) = ykc_msg(&answers[0]) else {
        panic!()
    };
    assert_eq!(m.flat.energy, EnergyPrice::from_hundred_thousandths(75_000));
    assert!(matches!(&answers[0], AnyFrame::Ykc(f) if f.seq == ykc::Seq::from_be(3)));

    site.start(ykc_pile(), 1, request).unwrap();
    let sent = site.transmits(link);
    let YkcMessage::RemoteStart(s) = ykc_msg(&sent[0]) else {
        panic!()
    };
    assert_eq!(s.balance, Money::from_fen(10_000));
    let serial: ykc::TradeSerial = Bcd::from_digits("32010200000001012411291903420001").unwrap();
    site.pile_says(
        link,
        &ykc(
            4,
            YkcMessage::RemoteStartReply(ykc::RemoteStartReply {
                trade_serial: serial,
                pile_code: ykc_code(),
                gun: 1,
                result: ykc::OneIsSuccess::Success,
                failure: ykc::StartFailure::None,
            }),
        ),
    );
    assert!(
        site.notes()
            .iter()
            .any(|n| matches!(n, Notification::SessionStarted { .. }))
    );
    // two hours at 7 kW: 14 kWh flat
    site.now += 7_200;
    let start = pilekit::LocalDateTime::from_unix(T0, pilekit::UtcOffset::CHINA).unwrap();
    let end = pilekit::LocalDateTime::from_unix(T0 + 7_200, pilekit::UtcOffset::CHINA).unwrap();
    let usage = |energy| ykc::ClassUsage {
        price: EnergyPrice::from_hundred_thousandths(120_000),
        energy,
        loss_energy: Energy::ZERO,
        amount: Money::ZERO,
    };
    let record = ykc::TransactionRecord {
        trade_serial: serial,
        pile_code: ykc_code(),
        gun: 1,
        start_time: start,
        end_time: end,
        sharp: usage(Energy::ZERO),
        peak: usage(Energy::ZERO),
        flat: usage(Energy::from_deci_kwh(140)),
        valley: usage(Energy::ZERO),
        meter_start: Energy::ZERO,
        meter_stop: Energy::from_deci_kwh(140),
        total_energy: Energy::from_deci_kwh(140),
        total_loss_energy: Energy::ZERO,
        total_amount: Money::from_fen(1_680),
        vin: Ascii::default(),
        trade_kind: ykc::TradeKind::from_code(1),
        trade_time: end,
        stop_reason: ykc::StopReason::AppStop,
        physical_card: HexBytes::default(),
    };
    let answers = site.pile_says(link, &ykc(5, YkcMessage::TransactionRecord(record)));
    assert!(
        matches!(ykc_msg(&answers[0]), YkcMessage::TransactionAck(a) if a.trade_serial == serial)
    );
    let notes = site.notes();
    let r = ended(&notes)[0];
    assert_eq!(r.duration, Seconds(7_200));
    let bill = r.bill.as_ref().unwrap();
    // electricity 10.50, service 6.30, total 16.80
    assert_eq!(bill.total, Money::from_fen(1_680));
    let subtotals: Vec<Money> = bill.subtotals.iter().map(|s| s.amount).collect();
    assert_eq!(
        subtotals,
        vec![Money::from_fen(1_050), Money::from_fen(630)]
    );
}

// ---- snapshot --------------------------------------------------------------------------------

/// The same DNY session run straight through, and with the station serialised and restored
/// twice on the way — once in the middle of a frame. Both give the same bytes and notifications.
#[test]
fn a_restored_station_continues_exactly_as_an_uninterrupted_one() {
    let mut script: Vec<(i64, Vec<u8>)> = vec![
        (
            0,
            dny(
                1,
                DnyMessage::Register(dny::Register::new(105, 10, 0, 5, 0)),
            ),
        ),
        (300, dny_power("Q1", 300, 1, 1824)),
        (600, dny_power("Q1", 600, 2, 150)),
        (
            9_000,
            dny_settlement("Q1", 9_000, 38, dny::StopReason::BatteryFull),
        ),
        (
            9_060,
            dny_settlement("Q1", 9_000, 38, dny::StopReason::BatteryFull),
        ),
    ];
    // a half frame: split the first power report in two
    let tail = script[1].1.split_off(20);
    script.insert(2, (300, tail));

    let run = |snapshots: &[usize]| -> (Vec<Vec<u8>>, Vec<String>) {
        let mut station = Station::new(Config::default(), one_yuan_four_hours());
        let t = |s: i64| Timestamp::from_unix(T0 + s).unwrap();
        let link = station.connect(t(0));
        let mut bytes = Vec::new();
        let mut notes = Vec::new();
        for (i, (at, frame)) in script.iter().enumerate() {
            if snapshots.contains(&i) {
                let json = serde_json::to_string(&station).unwrap();
                station = serde_json::from_str(&json).unwrap();
            }
            if i == 1 {
                let mut req = prepaid("Q1", 1);
                req.limit = StartLimit::FromQuote;
                station
                    .start(DNY_PILE, PortNo::new(3).unwrap(), req, t(*at))
                    .unwrap();
                let mut reply = dny::StartStopReply::new(dny::StartResult::Ok);
                reply.order_number = Some(order16("Q1"));
                reply.port = Some(Port::socket(3));
                station.handle_bytes(link, &dny(7, DnyMessage::StartStopReply(reply)), t(*at));
            }
            station.handle_bytes(link, frame, t(*at));
            station.handle_timeout(t(*at));
            while let Some(tx) = station.poll_transmit() {
                bytes.push(tx.bytes);
            }
            while let Some(n) = station.poll_notification() {
                notes.push(serde_json::to_string(&n).unwrap());
            }
        }
        (bytes, notes)
    };
    let straight = run(&[]);
    let restored = run(&[2, 4]);
    assert_eq!(straight, restored);
    assert!(straight.1.iter().any(|n| n.contains("session_ended")));
    assert_eq!(
        straight
            .1
            .iter()
            .filter(|n| n.contains("session_ended"))
            .count(),
        1
    );
}

/// A station restored after its process restarted still holds the links of connections that
/// are gone: once they are disconnected, the pile's new connection is the pile, not an
/// impersonator.
#[test]
fn after_a_restart_the_old_links_are_dropped_and_the_pile_reconnects() {
    let mut site = Site::new(Config::default(), one_yuan_four_hours());
    let old = site.connect();
    let register = dny(
        1,
        DnyMessage::Register(dny::Register::new(105, 10, 0, 5, 0)),
    );
    site.pile_says(old, &register);
    site.notes();
    let json = serde_json::to_string(&site.station).unwrap();
    site.station = serde_json::from_str(&json).unwrap();
    assert_eq!(site.station.links().collect::<Vec<_>>(), vec![old]);
    let now = site.now();
    for link in site.station.links().collect::<Vec<_>>() {
        site.station.disconnect(link, now);
    }
    assert_eq!(site.station.links().count(), 0);
    site.advance(5);
    let new = site.connect();
    assert_ne!(new, old, "link numbers continue after a restore");
    let answers = site.pile_says(new, &register);
    assert_eq!(answers.len(), 1, "the login is acknowledged");
    let notes = site.notes();
    assert!(
        notes
            .iter()
            .any(|n| matches!(n, Notification::PileOnline { link, .. } if *link == new)),
        "{notes:?}"
    );
    assert!(
        !notes
            .iter()
            .any(|n| matches!(n, Notification::Impersonation { .. }))
    );
}
