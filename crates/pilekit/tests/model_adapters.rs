//! Each adapter, frame by frame: the event of every message that carries one, the frame of
//! every command, and the refusals.

use pilekit::codec::dny::{self, DnyFrame, DnyMessage, PhysicalId, Port};
use pilekit::codec::fields::{Ascii, Bcd, HexBytes};
use pilekit::codec::juy::{self, JuyFrame, JuyMessage};
use pilekit::codec::ykc::{self, YkcFrame, YkcMessage};
use pilekit::model::{
    Adapter, AlarmKind, CardId, ChargeLimit, DnyAdapter, JuyAdapter, LocalStart, ModelError,
    OrderRef, PileCommand, PileEvent, PileId, PortNo, PortStatus, ReplyTo, StartCharge,
    StartOutcome, StopCause, Timestamp, YkcAdapter,
};
use pilekit::model::{Refusal, Uplink};
use pilekit::tariff::{Plan, Pricing, TouPlan};
use pilekit::units::*;

fn port(n: u8) -> PortNo {
    PortNo::new(n).unwrap()
}

fn events<A: Adapter>(a: &mut A, frame: &A::Frame) -> Vec<Uplink> {
    let mut out = Vec::new();
    a.events(frame, &mut out).unwrap();
    out
}

// ---- DNY -----------------------------------------------------------------------------------

const DNY_ID: PhysicalId = PhysicalId(0x05AB_373B);

fn dny(message: DnyMessage) -> DnyFrame {
    DnyFrame::new(DNY_ID, 9, message)
}

fn order16(text: &[u8]) -> HexBytes<16> {
    let mut b = [0u8; 16];
    b[..text.len()].copy_from_slice(text);
    HexBytes(b)
}

#[test]
fn dny_old_heartbeat_gives_statuses_and_samples_and_is_answered_in_kind() {
    let mut a = DnyAdapter::new();
    let hb = dny(DnyMessage::OldHeartbeat(dny::OldHeartbeat {
        firmware_version: 100,
        voltage: Voltage(2300),
        ports: vec![
            dny::OldHeartbeatPort {
                state: dny::PortState::Charging,
                power: Power(1500),
                peak_power: Power(1600),
            },
            dny::OldHeartbeatPort {
                state: dny::PortState::RelayWelded,
                power: Power(0),
                peak_power: Power(0),
            },
        ],
        virtual_id: 0,
        signal: 0,
        device_type: 5,
        ambient_temperature: None,
        work_mode: None,
    }));
    let ev = events(&mut a, &hb);
    assert_eq!(ev.len(), 4);
    assert_eq!(ev[0].event, PileEvent::Heartbeat { port: None });
    assert!(matches!(
        ev[1].event,
        PileEvent::PortStatus {
            status: PortStatus::Charging,
            ..
        }
    ));
    let PileEvent::MeterSample { port: p, sample } = &ev[2].event else {
        panic!("{:?}", ev[2])
    };
    assert_eq!((*p, sample.power), (port(1), Some(Power(1500))));
    assert!(matches!(
        ev[3].event,
        PileEvent::PortStatus {
            status: PortStatus::Fault,
            ..
        }
    ));
    let pile = ev[0].pile;
    let ack = a
        .command(
            &pile,
            &PileCommand::AckHeartbeat { port: None },
            ev[0].reply_to,
        )
        .unwrap();
    assert_eq!(ack.message, DnyMessage::OldHeartbeatReply(dny::Ack::OK));
    assert_eq!(ack.message_id, 9);
}

#[test]
fn dny_card_swipe_is_answered_with_the_account() {
    let mut a = DnyAdapter::new();
    let swipe = dny(DnyMessage::CardSwipe(dny::CardSwipe::new(
        HexBytes([0x7A, 0x8D, 0x05, 0xDD]),
        dny::CardType::from_code(0),
        Port::socket(1),
        Money::ZERO,
    )));
    let ev = events(&mut a, &swipe);
    let PileEvent::CardAuthRequest { port: p, card, .. } = ev[0].event.clone() else {
        panic!()
    };
    assert_eq!(p, Some(port(1)));
    assert_eq!(card.to_string(), "7a8d05dd");
    let reply = a
        .command(
            &ev[0].pile,
            &PileCommand::AnswerCard {
                port: p,
                card,
                accepted: true,
                balance: Money::from_fen(1234),
                order: None,
            },
            ev[0].reply_to,
        )
        .unwrap();
    let DnyMessage::CardReply(r) = reply.message else {
        panic!()
    };
    assert_eq!(r.card_id.0, [0x7A, 0x8D, 0x05, 0xDD]);
    assert_eq!(r.balance_or_expiry, 1234);
    assert_eq!(r.port, Port::socket(1));
    assert_eq!(
        a.command(
            &ev[0].pile,
            &PileCommand::AnswerCard {
                port: p,
                card: CardId::Number(5),
                accepted: true,
                balance: Money::ZERO,
                order: None,
            },
            ev[0].reply_to,
        )
        .unwrap_err(),
        ModelError::NotRepresentable {
            what: "card",
            reason: "a DNY card id is a 4-byte UID"
        }
    );
}

#[test]
fn dny_charge_done_order_confirm_and_alarm() {
    let mut a = DnyAdapter::new();
    let done = dny(DnyMessage::ChargeDone(dny::Settlement::new(
        Seconds(60),
        Power(900),
        Energy::from_centi_kwh(2),
        Port::socket(4),
        dny::StartMode::OfflineCard,
        HexBytes([1, 2, 3, 4]),
        dny::StopReason::Unplugged,
        HexBytes([0xAB; 16]),
    )));
    let ev = events(&mut a, &done);
    let PileEvent::Settlement {
        port: p,
        settlement,
    } = &ev[0].event
    else {
        panic!()
    };
    assert_eq!(*p, port(4));
    assert_eq!(settlement.stop.cause, StopCause::Unplugged);
    assert_eq!(settlement.order.as_bytes(), &[0xAB; 16]);
    assert_eq!(settlement.card, CardId::uid(&[1, 2, 3, 4]));

    let confirm = dny(DnyMessage::OrderConfirm(dny::OrderConfirm {
        port: Port::socket(2),
        start_mode: dny::StartMode::OfflineCard,
        card_id: HexBytes([9, 9, 9, 9]),
        duration: Seconds(3600),
        order_number: order16(b"OFF1"),
    }));
    let ev = events(&mut a, &confirm);
    let PileEvent::LocalStart {
        port: p, by, order, ..
    } = &ev[0].event
    else {
        panic!()
    };
    assert_eq!(*p, port(2));
    assert!(matches!(by, LocalStart::Card { .. }));
    assert_eq!(order.unwrap().to_string(), "OFF1");
    let ack = a
        .command(
            &ev[0].pile,
            &PileCommand::AckLocalStart {
                port: *p,
                order: order.unwrap(),
            },
            ev[0].reply_to,
        )
        .unwrap();
    assert!(matches!(ack.message, DnyMessage::OrderConfirmReply(r) if r.port == Port::socket(2)));

    for (kind, expected) in [
        (dny::AlarmKind::Smoke, AlarmKind::Smoke),
        (dny::AlarmKind::WaterImmersion, AlarmKind::Water),
        (dny::AlarmKind::HotMeltFuse, AlarmKind::Fire),
        (dny::AlarmKind::PowerCut, AlarmKind::PowerCut),
        (dny::AlarmKind::from_code(0x55), AlarmKind::Other),
    ] {
        let ev = events(
            &mut a,
            &dny(DnyMessage::AlarmPush(dny::AlarmPush {
                kind,
                source: 0,
                triggered_inputs: 0,
            })),
        );
        assert!(
            matches!(ev[0].event, PileEvent::Alarm { kind: k, raw, .. } if k == expected && raw.code == u16::from(kind.code()))
        );
    }
}

#[test]
fn dny_start_stop_replies_are_matched_to_the_command_sent() {
    let mut a = DnyAdapter::new();
    let pile = PileId::Dny(DNY_ID);
    let order = OrderRef::from_bytes(b"ORDER-7").unwrap();
    let stop = a
        .command(
            &pile,
            &PileCommand::Stop {
                port: port(2),
                order: Some(order),
            },
            ReplyTo::NONE,
        )
        .unwrap();
    let DnyMessage::StartStop(s) = &stop.message else {
        panic!()
    };
    assert_eq!(s.charge_command, dny::ChargeCommand::Stop);
    assert_eq!(s.order_number, order16(b"ORDER-7"));
    let reply = |result| {
        let mut reply = dny::StartStopReply::new(result);
        reply.order_number = Some(order16(b"ORDER-7"));
        reply.port = Some(Port::socket(2));
        dny(DnyMessage::StartStopReply(reply))
    };
    let ev = events(&mut a, &reply(dny::StartResult::Ok));
    assert_eq!(
        ev[0].event,
        PileEvent::StopResult {
            port: port(2),
            order: Some(order),
            stopped: true
        }
    );
    // Unmatched: read as a start result.
    let ev = events(&mut a, &reply(dny::StartResult::NoChargerPlugged));
    assert!(matches!(
        ev[0].event,
        PileEvent::StartResult {
            outcome: StartOutcome::Refused {
                refusal: Refusal::NotPlugged,
                ..
            },
            ..
        }
    ));
    assert_eq!(
        a.command(
            &pile,
            &PileCommand::Stop {
                port: port(2),
                order: None
            },
            ReplyTo::NONE
        )
        .unwrap_err(),
        ModelError::MissingOrder
    );
    let money = PileCommand::Start(StartCharge {
        port: port(1),
        order,
        limit: ChargeLimit::Money {
            amount: Money::YUAN,
        },
        balance: None,
        card: None,
    });
    assert!(matches!(
        a.command(&pile, &money, ReplyTo::NONE),
        Err(ModelError::NotInDialect { .. })
    ));
    let juy_pile = PileId::Juy(Ascii::new("866714041234567").unwrap());
    assert!(matches!(
        a.command(&juy_pile, &money, ReplyTo::NONE),
        Err(ModelError::WrongDialect { .. })
    ));
    // Platform-side frames give nothing.
    assert!(events(&mut a, &stop).is_empty());
}

// ---- JUY -----------------------------------------------------------------------------------

fn juy_login() -> JuyFrame {
    JuyFrame::new(JuyMessage::Login(juy::Login {
        imei: Ascii::new("866714041234567").unwrap(),
        port_count: 10,
        hardware_version: Ascii::default(),
        software_version: Ascii::new("V1.7").unwrap(),
        iccid: Ascii::default(),
        signal: 24,
        reason: juy::LoginReason::PowerOn,
    }))
}

#[test]
fn juy_frames_before_login_have_no_pile() {
    let mut a = JuyAdapter::new();
    let stop = JuyFrame::new(JuyMessage::RemoteStopReply(juy::RemoteStopReply {
        port: 1,
        order: 5,
        result: juy::StopResult::AlreadyIdle,
    }));
    let mut out = Vec::new();
    assert_eq!(a.events(&stop, &mut out), Err(ModelError::UnknownPile));
    events(&mut a, &juy_login());
    let ev = events(&mut a, &stop);
    assert_eq!(
        ev[0].event,
        PileEvent::StopResult {
            port: port(1),
            order: Some(OrderRef::from_number(5)),
            stopped: true
        }
    );
    assert_eq!(a.imei().unwrap().as_str(), Some("866714041234567"));
}

#[test]
fn juy_imei_form_frames_name_the_pile_and_commands_follow_the_form() {
    let mut a = JuyAdapter::new();
    let imei = Ascii::new("866714041234568").unwrap();
    let report = JuyFrame::new(JuyMessage::ImeiReport(juy::ImeiReport {
        signal: 20,
        imei,
        reserved: HexBytes::default(),
    }))
    .with_imei(imei);
    let ev = events(&mut a, &report);
    assert_eq!(ev[0].pile, PileId::Juy(imei));
    assert_eq!(ev[0].event, PileEvent::Heartbeat { port: None });
    let q = a
        .command(
            &ev[0].pile,
            &PileCommand::Query { port: None },
            ReplyTo::NONE,
        )
        .unwrap();
    assert_eq!(q.imei, Some(imei));
    assert!(matches!(q.message, JuyMessage::QueryPortData(_)));
}

#[test]
fn juy_starts_by_each_limit_and_plans_become_tariff_tables() {
    let mut a = JuyAdapter::new();
    events(&mut a, &juy_login());
    let pile = PileId::Juy(Ascii::new("866714041234567").unwrap());
    for (limit, mode, parameter) in [
        (ChargeLimit::UntilFull, juy::ChargeMode::UntilFull, 0),
        (
            ChargeLimit::Money {
                amount: Money::from_fen(150),
            },
            juy::ChargeMode::ByAmount,
            150,
        ),
        (
            ChargeLimit::Energy {
                energy: Energy::from_centi_kwh(75),
            },
            juy::ChargeMode::ByEnergy,
            75,
        ),
    ] {
        let f = a
            .command(
                &pile,
                &PileCommand::Start(StartCharge {
                    port: port(4),
                    order: OrderRef::from_number(99),
                    limit,
                    balance: None,
                    card: Some(CardId::Number(42)),
                }),
                ReplyTo::NONE,
            )
            .unwrap();
        let JuyMessage::RemoteStart(s) = f.message else {
            panic!()
        };
        assert_eq!((s.charge_mode, s.parameter, s.card), (mode, parameter, 42));
        assert_eq!(s.start_mode, juy::StartMode::CardPay);
        assert_eq!(pilekit::model::juy::charge_limit(&s), limit);
    }
    let text_order = PileCommand::Stop {
        port: port(1),
        order: Some(OrderRef::from_bytes(b"A1").unwrap()),
    };
    assert!(matches!(
        a.command(&pile, &text_order, ReplyTo::NONE),
        Err(ModelError::NotRepresentable { what: "order", .. })
    ));
    let plan = Plan::new(Pricing::TimeOfUse(TouPlan::flat(
        EnergyPrice::from_hundred_thousandths(60_000),
        EnergyPrice::from_hundred_thousandths(40_000),
    )));
    let f = a
        .command(
            &pile,
            &PileCommand::SendPlan {
                plan: Box::new(plan),
                model_number: 1,
                as_reply: false,
            },
            ReplyTo::NONE,
        )
        .unwrap();
    let JuyMessage::SetTouTariff(t) = f.message else {
        panic!()
    };
    assert_eq!(
        t.rates[2].energy,
        EnergyPrice::from_hundred_thousandths(60_000)
    );
    assert!(t.slots.0.iter().all(|&c| c == 2));
}

#[test]
fn juy_time_of_use_port_data_sums_the_periods() {
    let mut a = JuyAdapter::new();
    events(&mut a, &juy_login());
    let mut periods = [juy::PeriodUsage::default(); 5];
    periods[1].energy = Energy::from_wh(120);
    periods[2].energy = Energy::from_wh(30);
    let data = JuyFrame::new(JuyMessage::TouPortData(juy::TouPortData {
        voltage: Voltage(2200),
        temperature: Temperature::from_celsius(20),
        current_price: EnergyPrice::ZERO,
        ports: vec![juy::TouPortSample {
            port: 3,
            class: juy::TouClassCode::Peak,
            power: Power::from_watts(200),
            time: Seconds(900),
            amount: Money::from_fen(12),
            periods,
            temperature: Temperature::from_celsius(25),
        }],
    }));
    let ev = events(&mut a, &data);
    let PileEvent::MeterSample { port: p, sample } = &ev[0].event else {
        panic!()
    };
    assert_eq!(*p, port(3));
    assert_eq!(sample.energy, Some(Energy::from_wh(150)));
    assert_eq!(sample.power, Some(Power::from_watts(200)));
    assert_eq!(sample.elapsed, Some(Seconds(900)));
}

// ---- YKC -----------------------------------------------------------------------------------

fn pile_code() -> ykc::PileCode {
    Bcd::from_digits("32010200000001").unwrap()
}

#[test]
fn ykc_billing_model_request_is_answered_with_the_plan() {
    let mut a = YkcAdapter::default();
    let req = YkcFrame::new(
        ykc::Seq::from_be(0x0102),
        YkcMessage::ModelRequest(ykc::ModelRequest {
            pile_code: pile_code(),
        }),
    );
    let ev = events(&mut a, &req);
    assert_eq!(
        ev[0].event,
        PileEvent::BillingModelRequest { current: None }
    );
    let plan = Plan::new(Pricing::TimeOfUse(TouPlan::flat(
        EnergyPrice::from_hundred_thousandths(75_000),
        EnergyPrice::from_hundred_thousandths(45_000),
    )));
    let reply = a
        .command(
            &ev[0].pile,
            &PileCommand::SendPlan {
                plan: Box::new(plan),
                model_number: 7,
                as_reply: true,
            },
            ev[0].reply_to,
        )
        .unwrap();
    assert_eq!(reply.seq, ykc::Seq::from_be(0x0102));
    let YkcMessage::ModelReply(m) = reply.message else {
        panic!()
    };
    assert_eq!(m.model_number.to_u64(), Some(7));
    assert_eq!(m.flat.energy, EnergyPrice::from_hundred_thousandths(75_000));
}

#[test]
fn ykc_real_time_data_gives_status_and_an_exact_sample() {
    let mut a = YkcAdapter::default();
    let data = ykc::RealTimeData {
        trade_serial: Bcd::from_digits("32010200000001012411291903420001").unwrap(),
        pile_code: pile_code(),
        gun: 2,
        status: ykc::GunStatus::Charging,
        holstered: ykc::Holstered::No,
        plugged: ykc::Plugged::Yes,
        output_voltage: Voltage(3732),
        output_current: Current::from_deci_amps(1012),
        gun_temperature: Temperature::from_celsius(30),
        gun_wire_code: HexBytes::default(),
        soc: 78,
        battery_max_temperature: Temperature::from_celsius(31),
        charged: Minutes(16),
        remaining: Minutes(30),
        energy: Energy::from_deci_kwh(88),
        loss_energy: Energy::ZERO,
        amount: Money::from_ten_thousandths(93_280),
        faults: ykc::HardwareFaults(0),
    };
    let f = YkcFrame::new(ykc::Seq::from_be(1), YkcMessage::RealTimeData(data));
    let ev = events(&mut a, &f);
    assert!(matches!(
        ev[0].event,
        PileEvent::PortStatus {
            status: PortStatus::Charging,
            ..
        }
    ));
    let PileEvent::MeterSample { port: p, sample } = &ev[1].event else {
        panic!()
    };
    assert_eq!(*p, port(2));
    // 373.2 V × 101.2 A = 37,767.84 W, truncated to 0.1 W.
    assert_eq!(sample.power, Some(Power(377_678)));
    assert_eq!(sample.soc, Some(78));
    assert_eq!(sample.elapsed, Some(Seconds(960)));
    assert_eq!(
        sample.order.unwrap().to_string(),
        "32010200000001012411291903420001"
    );
    assert_eq!(sample.to_tariff_sample(100).unwrap().power, Power(377_678));
}

#[test]
fn ykc_commands_become_their_frames() {
    let mut a = YkcAdapter::default();
    let pile = PileId::Ykc(pile_code());
    let order = OrderRef::from_bytes(b"32010200000001012411291903420001").unwrap();
    let start = a
        .command(
            &pile,
            &PileCommand::Start(StartCharge {
                port: port(1),
                order,
                limit: ChargeLimit::Money {
                    amount: Money::from_fen(10_000),
                },
                balance: None,
                card: Some(CardId::Number(1000001)),
            }),
            ReplyTo::NONE,
        )
        .unwrap();
    let YkcMessage::RemoteStart(s) = &start.message else {
        panic!()
    };
    assert_eq!(s.balance, Money::from_fen(10_000));
    assert_eq!(s.logical_card.to_u64(), Some(1000001));
    assert_eq!(
        s.trade_serial.to_string(),
        "32010200000001012411291903420001"
    );
    let stop = a
        .command(
            &pile,
            &PileCommand::Stop {
                port: port(1),
                order: None,
            },
            ReplyTo::NONE,
        )
        .unwrap();
    assert!(matches!(stop.message, YkcMessage::RemoteStop(r) if r.gun == 1));
    assert_ne!(start.seq, stop.seq);
    let now = Timestamp::parse("2026-12-02T19:30:00+08:00").unwrap();
    let sync = a
        .command(&pile, &PileCommand::SyncClock { now }, ReplyTo::NONE)
        .unwrap();
    let YkcMessage::ClockSync(c) = sync.message else {
        panic!()
    };
    assert_eq!(c.time.to_string(), "2026-12-02T19:30:00");
    let ack = a
        .command(
            &pile,
            &PileCommand::AckSettlement {
                port: port(1),
                order,
            },
            ReplyTo {
                id: 0x0809,
                flags: 1,
            },
        )
        .unwrap();
    assert_eq!(ack.seq, ykc::Seq::from_be(0x0809));
    assert_eq!(ack.checksum_order, pilekit::codec::ByteOrder::HighByteFirst);
    assert!(matches!(
        a.command(
            &pile,
            &PileCommand::Start(StartCharge {
                port: port(1),
                order,
                limit: ChargeLimit::Time {
                    duration: Seconds(60)
                },
                balance: None,
                card: None,
            }),
            ReplyTo::NONE,
        ),
        Err(ModelError::NotInDialect { .. })
    ));
    assert_eq!(
        a.command(&pile, &PileCommand::Query { port: None }, ReplyTo::NONE)
            .unwrap_err(),
        ModelError::MissingPort
    );
}

#[test]
fn ykc_stop_reasons_map_by_range() {
    use pilekit::model::ykc::stop_reason;
    assert_eq!(
        stop_reason(ykc::StopReason::SocFull).cause,
        StopCause::BatteryFull
    );
    assert_eq!(
        stop_reason(ykc::StopReason::AppStop).cause,
        StopCause::RemoteStop
    );
    assert_eq!(
        stop_reason(ykc::StopReason::StartBmsNotReady).cause,
        StopCause::StartFailed
    );
    assert_eq!(
        stop_reason(ykc::StopReason::PilePowerLoss).cause,
        StopCause::PowerLoss
    );
    assert_eq!(
        stop_reason(ykc::StopReason::from_code(0x99)).cause,
        StopCause::Other
    );
    assert_eq!(stop_reason(ykc::StopReason::from_code(0x99)).raw.code, 0x99);
}
