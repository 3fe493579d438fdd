use alloc::string::ToString;
use alloc::vec;
use alloc::vec::Vec;

use proptest::prelude::*;

use super::*;
use crate::codec::framing::{Framer, Scan};
use crate::codec::wire::Wire;
use crate::codec::{DecodeContext, DecodeOptions, DirectionSource, Policy};
use crate::units::{Current, Energy, Money, Power, Seconds, Temperature, Voltage};

const PHYS: PhysicalId = PhysicalId(0x04AB_373B);

fn scan(buf: &[u8]) -> Scan<DnyText> {
    DnyFramer::new(Policy::Strict).scan(buf)
}

/// The examples of the V8.6 reference (`shared/vectors/dny.tsv`).
mod vectors {
    pub const TIME_REQUEST: &str = "44 4E 59 09 00 3B 37 AB 04 B9 00 22 F0 02";
    pub const TIME_REPLY: &str = "44 4E 59 0D 00 3B 37 AB 04 B9 00 22 09 0E A9 5F 13 04";
    pub const HEARTBEAT: &str = "44 4E 59 10 00 3B 37 AB 04 01 00 21 98 08 02 00 00 09 05 EE 02";
    pub const HEARTBEAT_REPLY: &str = "44 4E 59 0A 00 3B 37 AB 04 01 00 21 00 38 02";
    pub const CARD_SWIPE: &str =
        "44 4E 59 11 00 3B 37 AB 04 01 00 02 7A 8D 05 DD 00 01 00 00 0A 04";
    pub const CARD_REPLY: &str =
        "44 4E 59 14 00 3B 37 AB 04 01 00 02 7A 8D 05 DD 00 00 10 27 00 00 01 44 04";
    pub const SETTLEMENT: &str = "44 4E 59 28 00 3B 37 AB 04 01 00 03 10 0E E8 03 30 00 01 01 00 00 00 00 01 20 19 09 01 18 00 00 13 00 30 38 01 02 03 04 05 E8 03 44 05";
    pub const SETTLEMENT_REPLY: &str = "44 4E 59 0A 00 3B 37 AB 04 01 00 03 00 1A 02";
    pub const PORT_POWER: &str = "44 4E 59 32 00 3B 37 AB 04 0A 00 06 01 01 10 0E 30 00 01 E8 03 B0 04 20 03 E8 03 20 19 09 01 18 00 00 13 00 30 38 01 02 03 04 05 01 00 E8 03 98 08 C7 01 55 00 DA 08";
    pub const QUERY_STATUS: &str = "44 4E 59 09 00 3B 37 AB 04 01 00 81 97 02";
    pub const START: &str = "44 4E 59 26 00 3B 37 AB 04 02 00 82 00 64 01 00 00 01 01 00 00 12 34 56 78 12 34 56 78 12 34 56 78 12 34 56 78 80 70 88 13 F8 08";
    pub const START_REPLY: &str = "44 4E 59 1D 00 3B 37 AB 04 02 00 82 00 12 34 56 78 12 34 56 78 12 34 56 78 12 34 56 78 01 00 00 FE 06";
    pub const REBOOT: &str = "44 4E 59 09 00 3B 37 AB 04 01 00 87 9D 02";
    pub const REBOOT_REPLY: &str = "44 4E 59 0A 00 3B 37 AB 04 01 00 87 00 9E 02";
    pub const CLEAR_STORAGE: &str = "44 4E 59 09 00 3B 37 AB 04 01 00 88 9E 02";
    pub const CLEAR_STORAGE_REPLY: &str = "44 4E 59 0A 00 3B 37 AB 04 01 00 88 00 9F 02";
    pub const WORK_MODE: &str = "44 4E 59 0A 00 3B 37 AB 04 01 00 8D 00 A4 02";
    pub const TRIGGER_UPGRADE: &str = "44 4E 59 09 00 3B 37 AB 04 01 00 E4 FA 02";
    /// From the host reference (0x34, port 8888, 4G, socket B on, `baidu.com`).
    pub const CHANGE_SERVER_ADDRESS: &str = "44 4E 59 3B 00 70 08 BE 76 00 00 34 B8 22 03 01 62 61 69 64 75 2E 63 6F 6D 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 56 07";
}

const VECTORS: &str = include_str!("../../../tests/data/vectors/dny.tsv");

/// Every vector decodes strictly, in the direction auto picks, and re-encodes to its bytes; the
/// named constants above are the same vectors, asserted field by field in the tests below.
#[test]
fn every_vector_decodes_and_reencodes() {
    let named = [
        vectors::TIME_REQUEST,
        vectors::TIME_REPLY,
        vectors::HEARTBEAT,
        vectors::HEARTBEAT_REPLY,
        vectors::CARD_SWIPE,
        vectors::CARD_REPLY,
        vectors::SETTLEMENT,
        vectors::SETTLEMENT_REPLY,
        vectors::PORT_POWER,
        vectors::QUERY_STATUS,
        vectors::START,
        vectors::START_REPLY,
        vectors::REBOOT,
        vectors::REBOOT_REPLY,
        vectors::CLEAR_STORAGE,
        vectors::CLEAR_STORAGE_REPLY,
        vectors::WORK_MODE,
        vectors::TRIGGER_UPGRADE,
    ];
    let mut count = 0;
    for line in VECTORS.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let command = u8::from_str_radix(cols[0].trim_start_matches("0x"), 16).unwrap();
        let b = bytes(cols[1]);
        assert!(
            named.iter().any(|n| bytes(n) == b),
            "vector {line} has a golden test"
        );
        let f = DnyFrame::decode(&b, &DecodeContext::STRICT).unwrap();
        assert_eq!(f.command(), command);
        assert!(f.message.name() != "unknown", "{line}");
        assert!(f.deviations.is_empty() && f.extra.is_empty(), "{line}");
        assert_eq!(f.encode().unwrap(), b, "{line}");
        assert_eq!(scan(&b), Scan::Frame { len: b.len() });
        count += 1;
    }
    assert_eq!(count, 19);
}

fn bytes(text: &str) -> Vec<u8> {
    crate::hex::decode(text).unwrap()
}

/// Decodes strictly in `direction`, checks the frame re-encodes to the same bytes, and that
/// `auto` agrees.
fn golden(text: &str, direction: Direction) -> DnyFrame {
    let b = bytes(text);
    let f = DnyFrame::decode(&b, &DecodeContext::STRICT.with_direction(Some(direction))).unwrap();
    assert_eq!(f.direction(), direction);
    assert!(f.deviations.is_empty(), "{:?}", f.deviations);
    assert!(f.extra.is_empty());
    assert_eq!(f.encode().unwrap(), b, "re-encodes to the same bytes");
    let auto = DnyFrame::decode(&b, &DecodeContext::STRICT).unwrap();
    assert_eq!(auto.direction(), direction, "auto direction of {text}");
    assert_eq!(auto.message, f.message);
    f
}

#[test]
fn time_request_and_reply() {
    let f = golden(vectors::TIME_REQUEST, Direction::Up);
    assert_eq!(f.physical_id, PHYS);
    assert_eq!(f.message_id, 0xB9);
    assert_eq!(f.message, DnyMessage::TimeRequest(NoData {}));
    assert_eq!(f.message.name(), "time_request");
    let r = golden(vectors::TIME_REPLY, Direction::Down);
    assert_eq!(r.message_id, f.message_id);
    // 0x5FA90E09 = 2020-11-09 09:38:17 UTC
    assert_eq!(
        r.message,
        DnyMessage::TimeReply(ServerTime {
            timestamp: 0x5FA9_0E09
        })
    );
    let reply = f.reply(DnyMessage::TimeReply(ServerTime {
        timestamp: 0x5FA9_0E09,
    }));
    assert_eq!(reply.encode().unwrap(), bytes(vectors::TIME_REPLY));
}

#[test]
fn heartbeat_and_reply() {
    let f = golden(vectors::HEARTBEAT, Direction::Up);
    assert_eq!(f.physical_id.to_string(), "04AB373B");
    assert_eq!(f.physical_id.device_class(), DeviceClass::DualSocket);
    assert_eq!(f.physical_id.number(), 11_220_795);
    assert_eq!(f.message_id, 1);
    assert_eq!(f.command(), 0x21);
    let DnyMessage::Heartbeat(h) = &f.message else {
        panic!("{:?}", f.message)
    };
    assert_eq!(h.voltage, Voltage(2200));
    assert_eq!(h.voltage.to_string(), "220.0 V");
    assert_eq!(h.ports, vec![PortState::Idle, PortState::Idle]);
    assert_eq!(h.signal, 9);
    // temperature byte 5: 5 − 65 = −60 °C
    assert_eq!(h.ambient_temperature, Some(Temperature::from_celsius(-60)));
    let r = golden(vectors::HEARTBEAT_REPLY, Direction::Down);
    assert_eq!(r.message, DnyMessage::HeartbeatReply(Ack::OK));
    assert_eq!(
        f.reply(DnyMessage::HeartbeatReply(Ack::OK))
            .encode()
            .unwrap(),
        bytes(vectors::HEARTBEAT_REPLY)
    );
}

#[test]
fn card_swipe_and_reply() {
    let f = golden(vectors::CARD_SWIPE, Direction::Up);
    let DnyMessage::CardSwipe(c) = &f.message else {
        panic!("{:?}", f.message)
    };
    assert_eq!(c.card_id.to_string(), "7a8d05dd");
    assert_eq!(c.card_type, CardType::Old);
    assert_eq!(c.port, Port::Socket(2));
    assert_eq!(c.balance, Money::ZERO);
    assert_eq!(c.timestamp, None);
    assert_eq!(c.card_number_2, None);
    let r = golden(vectors::CARD_REPLY, Direction::Down);
    let DnyMessage::CardReply(c) = &r.message else {
        panic!("{:?}", r.message)
    };
    assert_eq!(c.card_id.to_string(), "7a8d05dd");
    assert_eq!(c.status, CardStatus::Ok);
    assert_eq!(c.rate_mode, RateMode::Time);
    assert_eq!(c.balance(), Some(Money::from_fen(10_000)));
    assert_eq!(c.expiry(), None);
    assert_eq!(c.port, Port::Socket(2));
}

#[test]
fn settlement_and_reply() {
    let f = golden(vectors::SETTLEMENT, Direction::Up);
    let DnyMessage::Settlement(s) = &f.message else {
        panic!("{:?}", f.message)
    };
    assert_eq!(s.duration, Seconds(3600));
    assert_eq!(s.max_power, Power(1000));
    assert_eq!(s.max_power.to_string(), "100.0 W");
    assert_eq!(s.energy, Energy::from_centi_kwh(48));
    assert_eq!(s.energy.to_string(), "0.48 kWh");
    assert_eq!(s.port, Port::Socket(2));
    assert_eq!(s.start_mode, StartMode::Online);
    assert_eq!(s.card_id.0, [0; 4]);
    assert_eq!(s.stop_reason, StopReason::BatteryFull);
    assert_eq!(
        s.order_number.to_string(),
        "20190901180000130030380102030405"
    );
    assert_eq!(s.second_max_power, Some(Power(1000)));
    assert_eq!(s.timestamp, None);
    assert_eq!(s.occupancy, None);
    let r = golden(vectors::SETTLEMENT_REPLY, Direction::Down);
    assert_eq!(r.message, DnyMessage::SettlementReply(Ack::OK));
}

#[test]
fn port_power() {
    let f = golden(vectors::PORT_POWER, Direction::Up);
    assert_eq!(f.message_id, 0x0A);
    let DnyMessage::PortPower(p) = &f.message else {
        panic!("{:?}", f.message)
    };
    assert_eq!(p.port, Port::Socket(2));
    assert_eq!(p.state, PortState::Charging);
    assert_eq!(p.duration, Seconds(3600));
    assert_eq!(p.energy, Energy(4800));
    assert_eq!(p.start_mode, StartMode::Online);
    assert_eq!(p.power, Power(1000));
    assert_eq!(p.period_max_power, Power(1200));
    assert_eq!(p.period_min_power, Power(800));
    assert_eq!(p.period_avg_power, Power(1000));
    assert_eq!(
        p.order_number.to_string(),
        "20190901180000130030380102030405"
    );
    assert_eq!(p.period_energy_raw, Some(1));
    assert_eq!(p.peak_power, Some(Power(1000)));
    assert_eq!(p.voltage, Some(Voltage(2200)));
    assert_eq!(p.current, Some(Current(455)));
    assert_eq!(p.current.map(|c| c.to_string()).as_deref(), Some("0.455 A"));
    assert_eq!(
        p.ambient_temperature,
        Some(Some(Temperature::from_celsius(20)))
    );
    assert_eq!(p.port_temperature, Some(None), "0 means no sensor");
    assert_eq!(p.timestamp, None);
    assert_eq!(p.occupancy, None);
}

#[test]
fn start_and_reply() {
    let f = golden(vectors::START, Direction::Down);
    assert_eq!(f.direction_source, DirectionSource::Given);
    let DnyMessage::StartStop(s) = &f.message else {
        panic!("{:?}", f.message)
    };
    assert_eq!(s.rate_mode, RateMode::Time);
    assert_eq!(s.balance(), Some(Money::from_fen(356)));
    assert_eq!(s.port, Port::Socket(2));
    assert_eq!(s.charge_command, ChargeCommand::Start);
    assert_eq!(s.limit(), ChargeLimit::UntilFull);
    assert_eq!(
        s.order_number.to_string(),
        "12345678123456781234567812345678"
    );
    assert_eq!(s.max_duration, Some(Seconds(28_800)));
    assert_eq!(s.overload_power, Some(Power::from_watts(500)));
    assert_eq!(s.qr_lamp, None);
    assert_eq!(s.full_power, None);
    let r = golden(vectors::START_REPLY, Direction::Up);
    let DnyMessage::StartStopReply(r) = &r.message else {
        panic!("{:?}", r.message)
    };
    assert_eq!(r.result, StartResult::Ok);
    assert_eq!(r.order_number, Some(s.order_number));
    assert_eq!(r.port, Some(Port::Socket(2)));
    assert_eq!(r.pending_ports, Some(0));
    let auto = DnyFrame::decode(&bytes(vectors::START), &DecodeContext::STRICT).unwrap();
    assert_eq!(auto.direction_source, DirectionSource::Layout);
}

#[test]
fn start_and_stop_builders() {
    let order =
        crate::codec::fields::HexBytes([0x12, 0x34, 0x56, 0x78].repeat(4).try_into().unwrap());
    let mut start = StartStop::start(
        Port::Socket(2),
        RateMode::Time,
        356,
        ChargeLimit::UntilFull,
        order,
    )
    .unwrap();
    start.max_duration = Some(Seconds(28_800));
    start.overload_power = Some(Power::from_watts(500));
    let f = DnyFrame::new(PHYS, 2, DnyMessage::StartStop(start));
    assert_eq!(f.encode().unwrap(), bytes(vectors::START));
    let energy = StartStop::start(
        Port::Socket(1),
        RateMode::Energy,
        100,
        ChargeLimit::Energy(Energy::from_centi_kwh(150)),
        order,
    )
    .unwrap();
    assert_eq!(energy.duration_or_energy, 150);
    assert_eq!(energy.limit(), ChargeLimit::Energy(Energy(15_000)));
    assert!(
        StartStop::start(
            Port::Socket(1),
            RateMode::Time,
            0,
            ChargeLimit::Duration(Seconds(70_000)),
            order
        )
        .is_err()
    );
    let stop = StartStop::stop(Port::Socket(2), order);
    assert_eq!(stop.charge_command, ChargeCommand::Stop);
    let b = DnyFrame::new(PHYS, 3, DnyMessage::StartStop(stop.clone()))
        .encode()
        .unwrap();
    assert_eq!(b.len(), 12 + StartStop::MIN_BODY_LEN + 2);
    let d = DnyFrame::decode(&b, &DecodeContext::STRICT).unwrap();
    assert_eq!(d.message, DnyMessage::StartStop(stop));
}

#[test]
fn empty_server_commands_and_replies() {
    let q = golden(vectors::QUERY_STATUS, Direction::Down);
    assert_eq!(q.message, DnyMessage::QueryStatus(NoData {}));
    assert_eq!(
        golden(vectors::REBOOT, Direction::Down).message,
        DnyMessage::Reboot(NoData {})
    );
    assert_eq!(
        golden(vectors::REBOOT_REPLY, Direction::Up).message,
        DnyMessage::RebootReply(Ack::OK)
    );
    assert_eq!(
        golden(vectors::CLEAR_STORAGE, Direction::Down).message,
        DnyMessage::ClearStorage(NoData {})
    );
    assert_eq!(
        golden(vectors::CLEAR_STORAGE_REPLY, Direction::Up).message,
        DnyMessage::ClearStorageReply(Ack::OK)
    );
    let t = golden(vectors::TRIGGER_UPGRADE, Direction::Down);
    assert_eq!(t.message, DnyMessage::TriggerUpgrade(NoData {}));
}

#[test]
fn work_mode_is_the_same_size_both_ways() {
    let b = bytes(vectors::WORK_MODE);
    let down = DnyFrame::decode(
        &b,
        &DecodeContext::STRICT.with_direction(Some(Direction::Down)),
    )
    .unwrap();
    assert_eq!(
        down.message,
        DnyMessage::SetWorkMode(SetWorkMode {
            mode: WorkMode::Network
        })
    );
    let up = DnyFrame::decode(
        &b,
        &DecodeContext::STRICT.with_direction(Some(Direction::Up)),
    )
    .unwrap();
    assert_eq!(up.message, DnyMessage::SetWorkModeReply(Ack::OK));
    assert_eq!(up.encode().unwrap(), b);
    let auto = DnyFrame::decode(&b, &DecodeContext::STRICT).unwrap();
    assert_eq!(auto.direction(), Direction::Down);
    assert_eq!(auto.direction_source, DirectionSource::Guessed);
}

#[test]
fn host_change_server_address() {
    let f = golden(vectors::CHANGE_SERVER_ADDRESS, Direction::Down);
    assert_eq!(f.physical_id.to_string(), "76BE0870");
    let DnyMessage::ChangeServerAddress(a) = &f.message else {
        panic!("{:?}", f.message)
    };
    assert_eq!(a.tcp_port, 8888);
    assert_eq!(a.module_type, 3);
    assert_eq!(a.socket_b, 1);
    assert_eq!(a.address.as_str(), Some("baidu.com"));
}

#[test]
fn physical_ids_and_ports() {
    let id = PhysicalId::new(DeviceClass::TenWay, 13_544_000).unwrap();
    assert_eq!(id.to_string(), "05CEAA40");
    assert_eq!(id.device_class(), DeviceClass::TenWay);
    assert_eq!(PhysicalId(0x0A00_0001).device_class(), DeviceClass::RcdHost);
    assert_eq!(
        PhysicalId(0x0200_0001).device_class(),
        DeviceClass::Other(2)
    );
    assert!(PhysicalId::new(DeviceClass::Host, 0x0100_0000).is_none());
    assert_eq!(Port::from_wire(0), Port::Socket(1));
    assert_eq!(Port::from_wire(0x0F), Port::Socket(16));
    assert_eq!(Port::from_wire(0xFF), Port::DeviceChooses);
    assert_eq!(Port::Socket(1).to_wire(), Some(0));
    assert_eq!(Port::DeviceChooses.to_wire(), Some(0xFF));
    assert_eq!(Port::Socket(0).to_wire(), None);
    let bad = DnyFrame::new(
        PHYS,
        1,
        DnyMessage::Locate(Locate {
            duration: Seconds(300),
        }),
    );
    assert!(matches!(
        bad.encode(),
        Err(EncodeError::NotRepresentable {
            field: "duration",
            ..
        })
    ));
    let bad = DnyFrame::new(
        PHYS,
        1,
        DnyMessage::MultiFunction(MultiFunction {
            function: Function::ForceOpenCabinet,
            port: Port::Socket(0),
        }),
    );
    let mut out = vec![1, 2, 3];
    assert!(matches!(
        bad.encode_into(&mut out),
        Err(EncodeError::NotRepresentable { field: "port", .. })
    ));
    assert_eq!(out, [1, 2, 3], "a failed encode leaves the buffer alone");
}

#[test]
fn layouts_consume_exactly_their_bytes() {
    fn roundtrip<T: Wire + PartialEq + core::fmt::Debug>(v: &T) {
        let mut out = Vec::new();
        v.write(&mut crate::codec::wire::Writer::new(&mut out))
            .unwrap();
        let mut r = Reader::new(&out, 0, Policy::Strict);
        assert_eq!(&T::read(&mut r).unwrap(), v);
        assert_eq!(r.remaining(), 0);
    }
    roundtrip(&Ack::OK);
    roundtrip(&ServerTime { timestamp: 7 });
    roundtrip(&ChargeLimits {
        max_charge_time: Seconds(36_000),
        overload_power: Power::from_watts(2000),
        over_voltage: Some(Voltage(2700)),
        under_voltage: None,
    });
}

#[test]
fn stop_reasons_keep_their_codes() {
    for code in 1..=0x1C_u8 {
        let r = StopReason::from_code(code);
        assert!(r.is_known(), "stop reason {code:#x}");
        assert_eq!(r.code(), code);
    }
    assert_eq!(StopReason::from_code(0x1D), StopReason::Other(0x1D));
    assert_eq!(StopReason::from_code(5).name(), "unplugged");
}

fn with_checksum(mut frame: Vec<u8>) -> Vec<u8> {
    let n = frame.len();
    let sum = checksum(&frame[..n - 2]);
    frame[n - 2..].copy_from_slice(&sum.to_le_bytes());
    frame
}

#[test]
fn strict_rejects_swapped_checksum_bytes() {
    let mut b = bytes(vectors::HEARTBEAT);
    let n = b.len();
    b.swap(n - 2, n - 1);
    for policy in [Policy::Strict, Policy::Lenient] {
        let e = DnyFrame::decode(&b, &DecodeContext::STRICT.with_policy(policy)).unwrap_err();
        assert_eq!(
            e.kind,
            DecodeErrorKind::ChecksumMismatch {
                computed: 0x02EE,
                carried: 0xEE02
            }
        );
        assert_eq!(e.offset, n - 2);
    }
    let f = DnyFrame::decode(&b, &DecodeContext::STRICT.with_checksum_check(false)).unwrap();
    assert!(f.deviations.any(|d| *d
        == Deviation::ChecksumMismatch {
            computed: 0x02EE,
            carried: 0xEE02
        }));
    assert!(matches!(f.message, DnyMessage::Heartbeat(_)));
}

#[test]
fn strict_rejects_wrong_lengths() {
    let good = bytes(vectors::HEARTBEAT);
    // Length one too large, nothing else changed: the frame looks cut short.
    let mut b = good.clone();
    b[3] = 0x11;
    let e = DnyFrame::decode(&b, &DecodeContext::STRICT).unwrap_err();
    assert_eq!(
        e.kind,
        DecodeErrorKind::Truncated {
            needed: 22,
            available: 21
        }
    );
    assert_eq!(e.offset, 0);
    // A pile that wrote a wrong length and summed over it: strict names the length field,
    // lenient decodes by the real size.
    let b = with_checksum({
        let mut b = good.clone();
        b[3] = 0x0F;
        b
    });
    let e = DnyFrame::decode(&b, &DecodeContext::STRICT).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::BadLength { declared: 0x0F });
    assert_eq!(e.offset, 3);
    let f = DnyFrame::decode(&b, &DecodeContext::LENIENT).unwrap();
    assert!(f.deviations.any(|d| *d
        == Deviation::LengthField {
            declared: 0x0F,
            expected: 0x10
        }));
    assert!(matches!(f.message, DnyMessage::Heartbeat(_)));
    // Out of range.
    for declared in [0u16, 8, 513, 0xFFFF] {
        let mut b = good.clone();
        b[3..5].copy_from_slice(&declared.to_le_bytes());
        let e = DnyFrame::decode(&b, &DecodeContext::STRICT).unwrap_err();
        assert_eq!(
            e.kind,
            DecodeErrorKind::BadLength {
                declared: declared.into()
            }
        );
        assert_eq!(e.offset, 3);
    }
    // A second frame glued on.
    let mut b = good.clone();
    b.extend_from_slice(&good);
    let e = DnyFrame::decode(&b, &DecodeContext::LENIENT).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::TrailingBytes { count: 21 });
    assert_eq!(e.offset, 21);
}

#[test]
fn strict_rejects_bad_start_and_short_input() {
    let mut b = bytes(vectors::HEARTBEAT);
    b[2] = b'Z';
    let e = DnyFrame::decode(&b, &DecodeContext::STRICT).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::BadStart { found: b'Z' });
    assert_eq!(e.offset, 2);
    let e = DnyFrame::decode(b"DN", &DecodeContext::STRICT).unwrap_err();
    assert!(matches!(e.kind, DecodeErrorKind::Truncated { .. }));
    let e = DnyFrame::decode(
        &bytes("41 4E 59"),
        &DecodeContext::STRICT.with_base_offset(100),
    )
    .unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::BadStart { found: 0x41 });
    assert_eq!(e.offset, 100);
}

#[test]
fn body_shorter_than_its_layout_is_truncated_at_the_field() {
    // A settlement with only 10 data bytes.
    let mut b = bytes("44 4E 59 13 00 3B 37 AB 04 01 00 03 10 0E E8 03 30 00 01 01 00 00 00 00");
    b.truncate(24);
    let b = with_checksum(b);
    let e = DnyFrame::decode(
        &b,
        &DecodeContext::LENIENT
            .with_base_offset(1000)
            .with_direction(Some(Direction::Up)),
    )
    .unwrap_err();
    assert_eq!(
        e.kind,
        DecodeErrorKind::Truncated {
            needed: 4,
            available: 2
        }
    );
    assert_eq!(e.offset, 1000 + 12 + 8);
    assert_eq!(e.field, Some("card_id"));
}

#[test]
fn extra_trailing_bytes_are_kept_and_reported() {
    let b = with_checksum(bytes("44 4E 59 0C 00 3B 37 AB 04 01 00 21 00 AA BB 00 00"));
    let f = DnyFrame::decode(
        &b,
        &DecodeContext::STRICT.with_direction(Some(Direction::Down)),
    )
    .unwrap();
    assert_eq!(f.message, DnyMessage::HeartbeatReply(Ack::OK));
    assert_eq!(f.extra, [0xAA, 0xBB]);
    assert!(f.deviations.any(|d| *d == Deviation::LongBody { extra: 2 }));
    assert_eq!(f.encode().unwrap(), b);
}

#[test]
fn appended_fields_decode_by_length() {
    let full = Settlement {
        duration: Seconds(60),
        max_power: Power(2000),
        energy: Energy::from_centi_kwh(3),
        port: Port::Socket(10),
        start_mode: StartMode::OfflineCard,
        card_id: crate::codec::fields::HexBytes([1, 2, 3, 4]),
        stop_reason: StopReason::Unplugged,
        order_number: crate::codec::fields::HexBytes([7; 16]),
        second_max_power: Some(Power(1900)),
        timestamp: Some(1_700_000_000),
        occupancy: Some(crate::units::Minutes(5)),
    };
    let f = DnyFrame::new(PHYS, 9, DnyMessage::Settlement(full.clone()));
    let b = f.encode().unwrap();
    assert_eq!(b.len(), HEADER_LEN + Settlement::FULL_BODY_LEN + 2);
    assert_eq!(
        DnyFrame::decode(
            &b,
            &DecodeContext::STRICT.with_direction(Some(Direction::Up))
        )
        .unwrap(),
        f
    );
    // Drop the occupancy (2 bytes) and one byte of the timestamp: the timestamp no longer
    // fits, so it and what follows are absent, and the odd bytes are extra.
    let mut short = b[..b.len() - 2 - 3].to_vec();
    let length = (short.len() - 5 + 2) as u16;
    short[3..5].copy_from_slice(&length.to_le_bytes());
    short.extend_from_slice(&[0, 0]);
    let short = with_checksum(short);
    let d = DnyFrame::decode(&short, &DecodeContext::STRICT).unwrap();
    let DnyMessage::Settlement(s) = &d.message else {
        panic!()
    };
    assert_eq!(s.second_max_power, Some(Power(1900)));
    assert_eq!(s.timestamp, None);
    assert_eq!(s.occupancy, None);
    assert_eq!(d.extra.len(), 3);
    assert_eq!(d.encode().unwrap(), short);
}

#[test]
fn unknown_commands_keep_their_data() {
    let b = with_checksum(bytes("44 4E 59 0C 00 3B 37 AB 04 05 00 FD 01 02 03 00 00"));
    let f = DnyFrame::decode(&b, &DecodeContext::STRICT).unwrap();
    assert_eq!(
        f.message,
        DnyMessage::Unknown {
            command: 0xFD,
            direction: Direction::Down,
            data: RawBytes(vec![1, 2, 3])
        }
    );
    assert_eq!(f.direction_source, DirectionSource::Guessed);
    assert_eq!(f.encode().unwrap(), b);
    // A known code in a direction it has no layout for.
    let f = DnyFrame::decode(
        &bytes(vectors::QUERY_STATUS),
        &DecodeContext::STRICT.with_direction(Some(Direction::Up)),
    )
    .unwrap();
    assert!(matches!(
        f.message,
        DnyMessage::Unknown { command: 0x81, .. }
    ));
}

#[test]
fn firmware_verification_chunk() {
    let mut data = VerificationChunk::MAGIC.to_vec();
    data.extend_from_slice(&[0x78, 0x56, 0x34, 0x12, 0x20, 0x64, 0x00]);
    data.resize(200, 0);
    let chunk = FirmwareChunk {
        total: 5,
        index: 5,
        data: RawBytes(data),
    };
    assert_eq!(
        chunk.verification(),
        Some(VerificationChunk {
            firmware_sum: 0x1234_5678,
            device_type: 0x20,
            firmware_version: 100
        })
    );
    let f = DnyFrame::new(PHYS, 3, DnyMessage::UpgradeChunk(chunk));
    let b = f.encode().unwrap();
    assert_eq!(b.len(), 12 + 204 + 2);
    let d = DnyFrame::decode(&b, &DecodeContext::STRICT).unwrap();
    assert_eq!(d.message, f.message);
    assert_eq!(d.direction_source, DirectionSource::Layout);
    // The old 256-byte chunks exceed the reference's 256-byte packet limit; they still frame.
    let old = DnyFrame::new(
        PHYS,
        4,
        DnyMessage::LegacyUpgradeChunk(FirmwareChunk {
            total: 1,
            index: 1,
            data: RawBytes(vec![0xAB; 256]),
        }),
    );
    let b = old.encode().unwrap();
    assert_eq!(scan(&b), Scan::Frame { len: b.len() });
    assert_eq!(
        DnyFrame::decode(&b, &DecodeContext::STRICT)
            .unwrap()
            .message,
        old.message
    );
}

fn known_frame() -> impl Strategy<Value = DnyFrame> {
    (
        any::<u32>(),
        any::<u16>(),
        DnyMessage::arbitrary_catalogued(),
    )
        .prop_map(|(id, mid, m)| DnyFrame::new(PhysicalId(id), mid, m))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_message_roundtrips(frame in known_frame()) {
        let b = frame.encode().unwrap();
        prop_assert_eq!(scan(&b), Scan::Frame { len: b.len() });
        let d = DnyFrame::decode(&b, &DecodeContext::STRICT.with_direction(Some(frame.direction()))).unwrap();
        prop_assert_eq!(&d, &frame);
        let auto = DnyFrame::decode(&b, &DecodeContext::STRICT).unwrap();
        if auto.direction_source == DirectionSource::Layout
            && !matches!(frame.message, DnyMessage::TemporaryQrCode(_))
        {
            prop_assert_eq!(auto.direction(), frame.direction());
            prop_assert_eq!(&auto.message, &frame.message);
        }
    }

    #[test]
    fn unknown_messages_roundtrip(
        command in any::<u8>(),
        up in any::<bool>(),
        data in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let direction = if up { Direction::Up } else { Direction::Down };
        prop_assume!(!DnyMessage::is_known(command, direction));
        let frame = DnyFrame::new(PHYS, 7, DnyMessage::Unknown { command, direction, data: RawBytes(data) });
        let b = frame.encode().unwrap();
        prop_assert_eq!(DnyFrame::decode(&b, &DecodeContext::STRICT.with_direction(Some(direction))).unwrap(), frame);
    }

    #[test]
    fn decoding_anything_never_panics(b in proptest::collection::vec(any::<u8>(), 0..80), lenient in any::<bool>()) {
        let opts = if lenient { DecodeOptions::LENIENT } else { DecodeOptions::STRICT }.with_checksum_check(false);
        let mut framed = b"DNY".to_vec();
        framed.extend_from_slice(&b);
        for input in [&b[..], &framed[..]] {
            let _ = DnyFrame::decode(input, &DecodeContext::new(opts));
            let _ = DnyFrame::decode(input, &DecodeContext::new(opts).with_direction(Some(Direction::Up)));
            let _ = DnyFrame::decode(input, &DecodeContext::new(opts).with_direction(Some(Direction::Down)));
            let _ = scan(input);
        }
    }
}

/// A well-framed frame around any data.
fn framed(command: u8, data: &[u8]) -> Vec<u8> {
    let mut b = b"DNY".to_vec();
    b.extend_from_slice(&((data.len() + 9) as u16).to_le_bytes());
    b.extend_from_slice(&PHYS.0.to_le_bytes());
    b.extend_from_slice(&[0x34, 0x12, command]);
    b.extend_from_slice(data);
    b.extend_from_slice(&[0, 0]);
    with_checksum(b)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Whatever data a known or unknown command carries, a frame that decodes re-encodes to
    /// exactly its bytes (appended fields that do not fit, and extra bytes, are kept).
    #[test]
    fn any_accepted_frame_reencodes_to_its_bytes(
        command in prop_oneof![
            Just(0x01u8), Just(0x02), Just(0x03), Just(0x06), Just(0x11), Just(0x17), Just(0x20),
            Just(0x21), Just(0x35), Just(0x3A), Just(0x82), Just(0x84), Just(0x85), Just(0x89),
            Just(0x8B), Just(0x8C), Just(0xE0), Just(0xFA), any::<u8>()
        ],
        data in proptest::collection::vec(any::<u8>(), 0..120),
    ) {
        let b = framed(command, &data);
        for direction in [None, Some(Direction::Up), Some(Direction::Down)] {
            if let Ok(f) = DnyFrame::decode(&b, &DecodeContext::STRICT.with_direction(direction)) {
                prop_assert_eq!(f.message_id, 0x1234);
                prop_assert_eq!(f.encode().unwrap(), b.clone(), "{:?}", f);
            }
        }
    }
}

const ICCID: &str = "89860413161892009275";

/// What a small stream loop over the framer finds.
#[derive(Debug, PartialEq)]
enum Item {
    Iccid(alloc::string::String),
    Link,
    Frame(Vec<u8>),
    Garbage(usize),
}

fn split_stream(chunks: &[&[u8]]) -> (Vec<Item>, usize) {
    let mut buf: Vec<u8> = Vec::new();
    let mut items = Vec::new();
    let mut garbage = 0;
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        loop {
            let item = match scan(&buf) {
                Scan::Skip {
                    what: DnyText::Iccid(i),
                    ..
                } => Item::Iccid(i.as_str().into()),
                Scan::Skip {
                    what: DnyText::Link,
                    ..
                } => Item::Link,
                Scan::Frame { len } => Item::Frame(buf[..len].to_vec()),
                Scan::NeedMore { .. } => break,
                Scan::NotAFrame { .. } => {
                    garbage += 1;
                    buf.remove(0);
                    continue;
                }
            };
            if garbage > 0 {
                items.push(Item::Garbage(garbage));
                garbage = 0;
            }
            let n = match &item {
                Item::Frame(f) => f.len(),
                Item::Iccid(_) => 20,
                Item::Link => 4,
                Item::Garbage(_) => 0,
            };
            items.push(item);
            buf.drain(..n);
        }
    }
    (items, buf.len())
}

fn stream_bytes() -> (Vec<u8>, Vec<Item>) {
    let mut s = Vec::new();
    let mut expected = Vec::new();
    s.extend_from_slice(ICCID.as_bytes());
    expected.push(Item::Iccid(ICCID.into()));
    for v in [
        vectors::REBOOT_REPLY,
        vectors::HEARTBEAT,
        vectors::PORT_POWER,
    ] {
        s.extend_from_slice(&bytes(v));
        expected.push(Item::Frame(bytes(v)));
    }
    s.extend_from_slice(b"link");
    expected.push(Item::Link);
    s.extend_from_slice(b"\x00\xFFxx");
    expected.push(Item::Garbage(4));
    s.extend_from_slice(&bytes(vectors::SETTLEMENT));
    expected.push(Item::Frame(bytes(vectors::SETTLEMENT)));
    s.extend_from_slice(b"link");
    expected.push(Item::Link);
    (s, expected)
}

#[test]
fn stream_with_iccid_and_link_interleaved() {
    let (s, expected) = stream_bytes();
    let (items, left) = split_stream(&[&s]);
    assert_eq!(items, expected);
    assert_eq!(left, 0);
    let one_by_one: Vec<&[u8]> = s.chunks(1).collect();
    assert_eq!(split_stream(&one_by_one), (expected, 0));
}

proptest! {
    #[test]
    fn stream_survives_any_chunking(cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..12)) {
        let (s, expected) = stream_bytes();
        let mut at: Vec<usize> = cuts.iter().map(|i| i.index(s.len() + 1)).collect();
        at.push(0);
        at.push(s.len());
        at.sort_unstable();
        let chunks: Vec<&[u8]> = at.windows(2).map(|w| &s[w[0]..w[1]]).collect();
        let (items, left) = split_stream(&chunks);
        prop_assert_eq!(items, expected);
        prop_assert_eq!(left, 0);
        for item in split_stream(&chunks).0 {
            if let Item::Frame(f) = item {
                prop_assert!(DnyFrame::decode(&f, &DecodeContext::STRICT).is_ok());
            }
        }
    }
}

#[cfg(feature = "serde")]
mod canonical {
    use super::*;

    #[test]
    fn heartbeat_json() {
        let f = DnyFrame::decode(&bytes(vectors::HEARTBEAT), &DecodeContext::STRICT).unwrap();
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "dialect": "dny", "direction": "up", "frame_type": 33,
                "physical_id": {"hex": "04AB373B", "class": {"name": "dual_socket", "code": 4}, "number": 11220795},
                "message_id": 1, "direction_source": "layout", "deviations": [],
                "name": "heartbeat", "voltage_v": 220.0,
                "ports": [{"name": "idle", "code": 0}, {"name": "idle", "code": 0}],
                "signal": 9, "ambient_temperature_c": -60.0
            })
        );
        let back: DnyFrame = serde_json::from_value(v).unwrap();
        assert_eq!(back, f);
    }

    #[test]
    fn port_power_json_marks_absent_and_sensorless_fields() {
        let f = DnyFrame::decode(&bytes(vectors::PORT_POWER), &DecodeContext::STRICT).unwrap();
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["port"], 2);
        assert_eq!(v["energy_kwh"], 0.48);
        assert_eq!(v["current_a"], 0.455);
        assert_eq!(v["ambient_temperature_c"], 20.0);
        assert_eq!(v["port_temperature_c"], serde_json::Value::Null);
        assert!(v.get("timestamp").is_none(), "absent fields have no key");
        assert_eq!(v["order_number"], "20190901180000130030380102030405");
        let back: DnyFrame = serde_json::from_value(v).unwrap();
        assert_eq!(back, f);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn canonical_form_roundtrips(frame in known_frame(), unknown in any::<bool>()) {
            let frame = if unknown {
                DnyFrame::new(frame.physical_id, 3, DnyMessage::Unknown {
                    command: 0xFD,
                    direction: Direction::Down,
                    data: RawBytes(vec![1, 2]),
                })
            } else {
                frame
            };
            let text = serde_json::to_string(&frame).unwrap();
            let back: DnyFrame = serde_json::from_str(&text).map_err(|e| {
                TestCaseError::fail(alloc::format!("{e}: {text}"))
            })?;
            prop_assert_eq!(back, frame);
        }
    }
}

#[test]
fn acknowledgements_are_the_reference_replies() {
    for (request, reply) in [
        (vectors::HEARTBEAT, vectors::HEARTBEAT_REPLY),
        (vectors::SETTLEMENT, vectors::SETTLEMENT_REPLY),
    ] {
        let f = DnyFrame::decode(&bytes(request), &DecodeContext::STRICT).unwrap();
        let ack = f.acknowledgement().unwrap();
        assert_eq!(ack.message_id, f.message_id);
        assert_eq!(ack.physical_id, f.physical_id);
        assert_eq!(ack.direction(), Direction::Down);
        assert_eq!(ack.encode().unwrap(), bytes(reply));
    }
    // a card swipe needs the account; the device's answers are not answered
    for v in [vectors::CARD_SWIPE, vectors::HEARTBEAT_REPLY] {
        let f = DnyFrame::decode(&bytes(v), &DecodeContext::STRICT).unwrap();
        assert_eq!(f.acknowledgement(), None, "{v}");
    }
}

#[cfg(feature = "serde")]
proptest! {
    /// The canonical JSON of any frame reads back as an `AnyFrame` that encodes to the same
    /// bytes, and the bytes decode (dialect detected, direction given) to the same frame.
    #[test]
    fn json_of_any_frame_encodes_to_the_same_bytes(frame in known_frame()) {
        use crate::codec::AnyFrame;
        let bytes = frame.encode().unwrap();
        let ctx = DecodeContext::STRICT.with_direction(Some(frame.direction()));
        let any = AnyFrame::decode(&bytes, &ctx).unwrap();
        prop_assert_eq!(&any, &AnyFrame::Dny(frame.clone()));
        let json = serde_json::to_string(&any).unwrap();
        let back: AnyFrame = serde_json::from_str(&json)
            .map_err(|e| TestCaseError::fail(alloc::format!("{e}: {json}")))?;
        prop_assert_eq!(back.encode().unwrap(), bytes);
        prop_assert_eq!(back, any);
    }
}
