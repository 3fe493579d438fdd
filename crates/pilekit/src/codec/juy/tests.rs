use alloc::string::ToString;
use alloc::vec;
use alloc::vec::Vec;

use proptest::prelude::*;

use crate::codec::fields::HalfHourSlots;
use proptest::strategy::Union;

use super::*;
use crate::codec::fields::{Bcd, HexBytes};
use crate::codec::framing::{Framer, Scan};
use crate::codec::wire::Wire;
use crate::codec::{DecodeContext, DirectionSource};
use crate::units::{EnergyPrice, Minutes, Money, Power, Seconds, Temperature, Voltage};

fn scan(buf: &[u8]) -> Scan {
    JuyFramer::new(Policy::Strict).scan(buf)
}

const LOGIN: &str = "5A A5 49 00 81 00 38 36 31 31 39 37 30 36 32 39 33 34 33 38 37 0A 4A 55 59 5F 42 32 5F 51 38 30 30 4D 5F 31 5F 30 4A 55 59 5F 42 32 5F 43 4F 4D 4D 5F 56 31 2E 37 38 39 38 36 30 34 45 38 31 30 32 33 43 30 39 36 33 37 33 31 1B 00 5F";
const LOGIN_REPLY: &str = "5A A5 0C 00 81 00 00 00 00 00 00 00 00 00 F0 7D";
const HEARTBEAT_REPLY_IMEI: &str =
    "5A A5 13 00 82 00 38 36 37 39 32 34 30 36 30 35 32 35 37 30 39 00 AB";
const REMOTE_STOP: &str = "5A A5 08 00 84 00 02 01 00 00 00 8F";
const READ_PARAMETERS: &str = "5A A5 04 00 89 00 00 8D";
const VECTORS: [&str; 5] = [
    LOGIN,
    LOGIN_REPLY,
    HEARTBEAT_REPLY_IMEI,
    REMOTE_STOP,
    READ_PARAMETERS,
];

fn bytes(text: &str) -> Vec<u8> {
    crate::hex::decode(text).expect("hex")
}

fn strict() -> DecodeContext {
    DecodeContext::STRICT
}

fn lenient() -> DecodeContext {
    DecodeContext::LENIENT
}

fn decode(frame: &[u8], direction: Option<Direction>) -> Result<JuyFrame, DecodeError> {
    JuyFrame::decode(frame, &strict().with_direction(direction))
}

fn ascii<const N: usize>(text: &str) -> Ascii<N> {
    Ascii::new(text).expect("fits")
}

fn encode(frame: &JuyFrame) -> Vec<u8> {
    frame.encode().expect("encodes")
}

/// Rewrites a frame's checksum after its bytes were edited.
fn reseal(frame: &mut [u8]) {
    let end = frame.len() - 1;
    frame[end] = checksum(&frame[2..end]);
}

// ---------------------------------------------------------------- golden vectors

#[test]
fn login_vector() {
    let f = decode(&bytes(LOGIN), None).unwrap();
    assert_eq!(f.direction(), Direction::Up);
    assert_eq!(f.direction_source, DirectionSource::Layout);
    assert_eq!(f.command(), 0x81);
    assert_eq!(f.message.name(), "login");
    assert_eq!(f.result, FrameResult::Fail);
    assert_eq!(f.imei, None);
    assert!(f.deviations.is_empty());
    let JuyMessage::Login(login) = &f.message else {
        panic!("{:?}", f.message)
    };
    assert_eq!(login.imei.as_str(), Some("861197062934387"));
    assert_eq!(login.port_count, 10);
    assert_eq!(login.hardware_version.as_str(), Some("JUY_B2_Q800M_1_0"));
    assert_eq!(login.software_version.as_str(), Some("JUY_B2_COMM_V1.7"));
    assert_eq!(login.iccid.as_str(), Some("898604E81023C0963731"));
    assert_eq!(login.signal, 27);
    assert!(!login.supports_imei_form());
    assert_eq!(login.reason, LoginReason::PowerOn);
}

#[test]
fn login_reply_vector() {
    let f = decode(&bytes(LOGIN_REPLY), None).unwrap();
    assert_eq!(f.direction(), Direction::Down);
    assert_eq!(f.direction_source, DirectionSource::Layout);
    let JuyMessage::LoginReply(reply) = &f.message else {
        panic!("{:?}", f.message)
    };
    assert!(reply.time.is_zero());
    assert_eq!(reply.heartbeat_interval, 0);
    assert_eq!(reply.result, LoginResult::OkSwitchToImeiForm);
    assert!(reply.switches_to_imei_form());
}

#[test]
fn heartbeat_reply_vector_in_imei_form() {
    let f = decode(&bytes(HEARTBEAT_REPLY_IMEI), None).unwrap();
    assert_eq!(f.direction(), Direction::Down);
    assert_eq!(f.direction_source, DirectionSource::Layout);
    assert_eq!(
        f.imei.map(|i| i.to_string()).as_deref(),
        Some("867924060525709")
    );
    assert_eq!(
        f.message,
        JuyMessage::HeartbeatReply(Reserved { reserved: 0 })
    );
    assert_eq!(f.message.name(), "heartbeat_reply");
    // Declared forms give the same answer; the original form cannot read it.
    let with = JuyOptions::default().with_imei_form(ImeiForm::WithImei);
    let g = JuyFrame::decode(&bytes(HEARTBEAT_REPLY_IMEI), &strict().with_juy(with)).unwrap();
    assert_eq!(g, f);
    let original = JuyOptions::default().with_imei_form(ImeiForm::Original);
    let e =
        JuyFrame::decode(&bytes(HEARTBEAT_REPLY_IMEI), &strict().with_juy(original)).unwrap_err();
    assert!(matches!(e.kind, DecodeErrorKind::LengthMismatch { .. }));
    assert_eq!(e.offset, 2);
}

#[test]
fn remote_stop_vector() {
    let f = decode(&bytes(REMOTE_STOP), None).unwrap();
    assert_eq!(f.direction(), Direction::Down);
    assert_eq!(f.direction_source, DirectionSource::Layout);
    assert_eq!(
        f.message,
        JuyMessage::RemoteStop(PortOrder { port: 2, order: 1 })
    );
    assert_eq!(f.message.name(), "remote_stop");
}

#[test]
fn read_parameters_vector() {
    let f = decode(&bytes(READ_PARAMETERS), None).unwrap();
    assert_eq!(f.direction(), Direction::Down);
    assert_eq!(
        f.message,
        JuyMessage::ReadParameters(Reserved { reserved: 0 })
    );
}

#[test]
fn vectors_encode_back_to_their_bytes() {
    for v in VECTORS {
        let raw = bytes(v);
        let f = decode(&raw, None).unwrap();
        assert_eq!(encode(&f), raw, "{v}");
        // Giving the direction yields the same message.
        let g = decode(&raw, Some(f.direction())).unwrap();
        assert_eq!(g.message, f.message);
        assert_eq!(g.direction_source, DirectionSource::Given);
    }
}

#[test]
fn shared_vector_file_decodes() {
    let text = include_str!("../../../tests/data/vectors/juy.tsv");
    let mut rows = 0;
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let cmd = u8::from_str_radix(cols[0].trim_start_matches("0x"), 16).unwrap();
        let raw = bytes(cols[1]);
        let f = decode(&raw, None).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(f.command(), cmd);
        assert_eq!(cols[2], "sum_ok");
        assert_eq!(encode(&f), raw);
        rows += 1;
    }
    assert_eq!(rows, 5);
}

/// The parameter table the reference works through.
fn worked_parameter_table() -> ParameterTable {
    ParameterTable {
        billing_mode: BillingMode::Hourly,
        coin_time: Minutes(240),
        card_time: Minutes(0),
        card_fee: Money::from_fen(10),
        tier_powers: [200, 300, 500, 800, 1000, 1500, 2000, 2500].map(Power::from_watts),
        tier_prices: [20, 25, 30, 60, 90, 100, 155, 255],
        float_power: Power::from_watts(15),
        float_time: Minutes(120),
        free_mode: 0,
        temperature_alarm: Temperature::from_celsius(90),
        smoke_alarm: 0,
        volume: 8,
        energy: Energy::ZERO,
        switches: 0,
        plug_in_wait: Seconds(120),
        removal_wait: Seconds(120),
        ic_card_type: 0,
        removal_power: Power::from_watts(2),
        reserved: HexBytes([0; 11]),
    }
}

#[test]
fn parameter_table_worked_example() {
    let table = worked_parameter_table();
    let raw = encode(&JuyFrame::new(JuyMessage::Parameters(table)));
    assert_eq!(ParameterTable::BODY_LEN, 68);
    assert_eq!(raw.len(), 4 + 3 + 68);
    // billing mode, then coin time 0x00F0 little-endian
    assert_eq!(&raw[6..9], &[0x00, 0xF0, 0x00]);
    // tier powers start after card time and card fee: 200 W = C8 00
    assert_eq!(&raw[13..15], &[0xC8, 0x00]);
    let f = decode(&raw, None).unwrap();
    assert_eq!(f.direction(), Direction::Up);
    assert_eq!(f.direction_source, DirectionSource::Layout);
    let JuyMessage::Parameters(t) = &f.message else {
        panic!()
    };
    assert_eq!(t, &table);
    assert_eq!(t.coin_time.to_string(), "240 min");
    assert_eq!(t.tier_hourly_price(6), Some(Money::from_fen(155)));
    assert!(t.auto_stop_when_full());
    // The same body written by the platform is a 0x8A write.
    let write = encode(&JuyFrame::new(JuyMessage::WriteParameters(table)));
    let f = decode(&write, None).unwrap();
    assert_eq!(f.message, JuyMessage::WriteParameters(table));
    assert_eq!(f.direction(), Direction::Down);
}

fn end_of_charge(energy: Energy) -> EndOfChargeReport {
    EndOfChargeReport {
        port: 3,
        order: 0x0102_0304,
        duration: Seconds(100),
        energy,
        amount: Money::from_fen(46),
        stop_reason: StopReason::Manual,
        stop_power: Power::from_watts(230),
        card: 0,
        tiers: vec![
            TierUsage {
                time_or_energy: 50,
                price: Money::from_fen(25),
            },
            TierUsage {
                time_or_energy: 50,
                price: Money::from_fen(30),
            },
        ],
        reserved: HexBytes([0; 8]),
    }
}

#[test]
fn end_of_charge_report_at_both_resolutions() {
    let centi = JuyOptions::default().with_energy_resolution(EnergyResolution::CentiKwh);
    let milli = JuyOptions::default();
    let report = end_of_charge(Energy::from_centi_kwh(1234));
    let raw = JuyFrame::new(JuyMessage::EndOfChargeReport(report.clone()))
        .with_energy_resolution(EnergyResolution::CentiKwh)
        .encode()
        .unwrap();
    assert_eq!(raw.len(), 4 + 3 + 33 + 4 * 2);
    // energy at body offset 9: 1234 = D2 04 00 00
    assert_eq!(&raw[6 + 9..6 + 13], &[0xD2, 0x04, 0, 0]);
    // tier times then tier prices, not interleaved
    assert_eq!(&raw[6 + 25..6 + 33], &[50, 0, 50, 0, 25, 0, 30, 0]);

    let f = JuyFrame::decode(&raw, &strict().with_juy(centi)).unwrap();
    assert_eq!(f.direction(), Direction::Up);
    assert_eq!(f.message, JuyMessage::EndOfChargeReport(report.clone()));
    let JuyMessage::EndOfChargeReport(r) = &f.message else {
        panic!()
    };
    assert_eq!(r.energy.to_string(), "12.34 kWh");
    assert_eq!(r.amount.to_string(), "0.4600 yuan");
    assert_eq!(r.tiers[1].price, Money::from_fen(30));

    // The same bytes read at 0.001 kWh are ten times less energy.
    let f = JuyFrame::decode(&raw, &strict().with_juy(milli)).unwrap();
    let JuyMessage::EndOfChargeReport(r) = &f.message else {
        panic!()
    };
    assert_eq!(r.energy, Energy::from_wh(1234));
    assert_eq!(r.energy.to_string(), "1.234 kWh");

    // 1.234 kWh cannot be written at 0.01 kWh.
    let fine = end_of_charge(Energy::from_wh(1234));
    let e = JuyFrame::new(JuyMessage::EndOfChargeReport(fine))
        .with_energy_resolution(EnergyResolution::CentiKwh)
        .encode()
        .unwrap_err();
    assert!(matches!(
        e,
        EncodeError::NotRepresentable {
            field: "energy",
            ..
        }
    ));
}

#[test]
fn port_data_decodes_values_without_allocating_extra() {
    let sample = PortSample {
        port: 4,
        tier: 2,
        price: Money::from_fen(30),
        power: Power::from_watts(412),
        time: Seconds(3600),
        amount: Money::from_fen(30),
        energy: Energy::from_wh(415),
        temperature: Temperature::from_celsius(31),
    };
    let data = PortData {
        voltage: Voltage(2231),
        temperature: Temperature::from_celsius(28),
        ports: PortSamples::from_samples(&[sample, sample]).unwrap(),
    };
    let raw = encode(&JuyFrame::new(JuyMessage::PortData(data)));
    assert_eq!(raw.len(), 4 + 3 + 4 + 2 * 17);
    let f = decode(&raw, None).unwrap();
    assert_eq!(f.direction_source, DirectionSource::Layout);
    assert_eq!(f.message, JuyMessage::PortData(data));
    assert_eq!(f.extra.capacity(), 0);
    let JuyMessage::PortData(d) = &f.message else {
        panic!()
    };
    assert_eq!(d.voltage.to_string(), "223.1 V");
    assert_eq!(d.ports.len(), 2);
    assert_eq!(d.ports.get(1).unwrap().energy.to_string(), "0.415 kWh");
    assert_eq!(d.ports.iter().next(), Some(sample));
    // More busy ports than a list holds is an invalid count at its offset.
    let mut too_many = vec![0x5A, 0xA5, 0, 0, 0x88, 0x01, 17, 0xB7, 0x08, 28];
    too_many.extend(core::iter::repeat_n(0, 17 * 17));
    too_many.push(0);
    let len = (too_many.len() - 4) as u16;
    too_many[2..4].copy_from_slice(&len.to_le_bytes());
    reseal(&mut too_many);
    let e = decode(&too_many, None).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::InvalidValue { value: 17 });
    assert_eq!(e.offset, 6);
    assert_eq!(e.field, Some("busy_port_count"));
}

fn tariff(rates: usize) -> TouTariff {
    let mut slots = [2u8; SLOTS];
    slots[16..22].fill(1);
    slots[36..42].fill(0);
    slots[0..14].fill(3);
    TouTariff {
        mode: TouMode::Energy,
        rates: [(1200, 800), (1000, 800), (700, 800), (400, 800), (300, 800)]
            .iter()
            .take(rates)
            .map(|&(e, s)| TouRate {
                energy: EnergyPrice(e * 100),
                service: EnergyPrice(s * 100),
            })
            .collect(),
        loss_ratio: 0,
        slots: HalfHourSlots(slots),
    }
}

#[test]
fn tou_tariff_with_four_or_five_rate_pairs() {
    for (rates, body) in [(4, 66), (5, 70)] {
        let t = tariff(rates);
        let raw = encode(&JuyFrame::new(JuyMessage::SetTouTariff(t.clone())));
        assert_eq!(raw.len(), 4 + 3 + body);
        let f = decode(&raw, None).unwrap();
        assert_eq!(f.direction(), Direction::Down);
        assert_eq!(f.direction_source, DirectionSource::Layout);
        assert_eq!(f.message, JuyMessage::SetTouTariff(t.clone()));
        // In the IMEI form too (81 and 85 bytes).
        let imei =
            JuyFrame::new(JuyMessage::TouTariff(t.clone())).with_imei(ascii("861197062934387"));
        let f = decode(&encode(&imei), None).unwrap();
        assert_eq!(f, imei.clone().decoded_as(DirectionSource::Layout));
    }
    let t = tariff(5);
    assert_eq!(
        t.rate(TouClassCode::Peak).unwrap().energy.to_string(),
        "1.00000 yuan/kWh"
    );
    assert_eq!(t.class_at_minute(8 * 60 + 15), Some(TouClassCode::Peak));
    assert_eq!(t.class(0), Some(TouClassCode::Valley));
    assert_eq!(TouClassCode::DeepValley.rate_index(), 4);
}

impl JuyFrame {
    /// This frame as the decoder returns it.
    fn decoded_as(mut self, source: DirectionSource) -> Self {
        self.direction_source = source;
        self
    }
}

#[test]
fn tou_port_data_decodes() {
    let sample = TouPortSample {
        port: 1,
        class: TouClassCode::Flat,
        power: Power::from_watts(300),
        time: Seconds(600),
        amount: Money(1230),
        periods: [PeriodUsage {
            energy: Energy::from_wh(50),
            amount: Money(410),
        }; 5],
        temperature: Temperature::from_celsius(30),
    };
    let data = TouPortData {
        voltage: Voltage(2200),
        temperature: Temperature::from_celsius(25),
        current_price: EnergyPrice(150_000),
        ports: vec![sample],
    };
    let raw = encode(&JuyFrame::new(JuyMessage::TouPortData(data.clone())));
    assert_eq!(raw.len(), 4 + 3 + 6 + 31);
    let f = decode(&raw, None).unwrap();
    assert_eq!(f.message, JuyMessage::TouPortData(data));
    assert_eq!(f.direction_source, DirectionSource::Layout);
}

// ---------------------------------------------------------------- invalid frames

#[test]
fn imei_heartbeat_with_checksum_off_by_one_is_rejected() {
    let hb = Heartbeat {
        signal: 25,
        board_temperature: Temperature::from_celsius(30),
        ports: PortList::from_slice(&[PortState::Idle; 10]).unwrap(),
    };
    let mut raw =
        encode(&JuyFrame::new(JuyMessage::Heartbeat(hb)).with_imei(ascii("867924060525709")));
    let last = raw.len() - 1;
    let good = raw[last];
    raw[last] = good.wrapping_add(1);
    let e = decode(&raw, None).unwrap_err();
    assert_eq!(
        e.kind,
        DecodeErrorKind::ChecksumMismatch {
            computed: good.into(),
            carried: good.wrapping_add(1).into(),
        }
    );
    assert_eq!(e.offset, last);
    // With the check off, the frame decodes and the mismatch is listed.
    let opts = strict().with_checksum_check(false);
    let f = JuyFrame::decode(&raw, &opts).unwrap();
    assert_eq!(f.message, JuyMessage::Heartbeat(hb));
    assert!(
        f.deviations
            .any(|d| matches!(d, Deviation::ChecksumMismatch { .. }))
    );
}

#[test]
fn end_of_charge_sample_with_wrong_sum_is_rejected() {
    let mut report = end_of_charge(Energy::from_centi_kwh(50));
    let mut raw = encode(&JuyFrame::new(JuyMessage::EndOfChargeReport(
        report.clone(),
    )));
    // Tune a reserved byte so the contents sum to DB, as in the reference's sample, which
    // carries D4.
    let last = raw.len() - 1;
    report.reserved.0[0] = 0xDBu8.wrapping_sub(raw[last]);
    raw = encode(&JuyFrame::new(JuyMessage::EndOfChargeReport(report)));
    assert_eq!(raw[last], 0xDB);
    raw[last] = 0xD4;
    let e = decode(&raw, None).unwrap_err();
    assert_eq!(
        e.kind,
        DecodeErrorKind::ChecksumMismatch {
            computed: 0xDB,
            carried: 0xD4
        }
    );
    assert_eq!(e.offset, last);
}

#[test]
fn length_field_disagreeing_with_byte_count_is_rejected() {
    // LEN one too large: the frame needs one more byte than there is.
    let mut raw = bytes(REMOTE_STOP);
    raw[2] = 0x09;
    let e = decode(&raw, None).unwrap_err();
    assert_eq!(
        e.kind,
        DecodeErrorKind::Truncated {
            needed: 13,
            available: 12
        }
    );
    assert_eq!(e.offset, 0);
    // LEN one too small: bytes left over after the frame it declares.
    raw[2] = 0x07;
    let e = decode(&raw, None).unwrap_err();
    assert_eq!(
        e.kind,
        DecodeErrorKind::LengthMismatch {
            declared: 7,
            expected: 8
        }
    );
    assert_eq!(e.offset, 2);
    // Offsets are absolute with a base.
    let e = JuyFrame::decode(&raw, &strict().with_base_offset(100)).unwrap_err();
    assert_eq!(e.offset, 102);
}

#[test]
fn bad_start_and_bad_length() {
    let mut raw = bytes(REMOTE_STOP);
    raw[0] = 0x68;
    let e = decode(&raw, None).unwrap_err();
    assert_eq!(
        (e.kind, e.offset),
        (DecodeErrorKind::BadStart { found: 0x68 }, 0)
    );
    raw[0] = 0x5A;
    raw[1] = 0x5A;
    let e = decode(&raw, None).unwrap_err();
    assert_eq!(
        (e.kind, e.offset),
        (DecodeErrorKind::BadStart { found: 0x5A }, 1)
    );
    raw[1] = 0xA5;
    raw[2] = 0x02;
    let e = decode(&raw, None).unwrap_err();
    assert_eq!(
        (e.kind, e.offset),
        (DecodeErrorKind::BadLength { declared: 2 }, 2)
    );
    raw[2..4].copy_from_slice(&2000u16.to_le_bytes());
    let e = decode(&raw, None).unwrap_err();
    assert_eq!(
        (e.kind, e.offset),
        (DecodeErrorKind::BadLength { declared: 2000 }, 2)
    );
    let e = decode(&raw[..3], None).unwrap_err();
    assert_eq!(
        (e.kind, e.offset),
        (
            DecodeErrorKind::Truncated {
                needed: 4,
                available: 3
            },
            0
        )
    );
}

#[test]
fn layout_length_mismatch_strict_and_lenient() {
    // A remote stop with one byte appended (and the LEN and sum to match): neither the
    // 5-byte stop nor the 6-byte reply fits exactly.
    let mut raw = bytes(REMOTE_STOP);
    raw.insert(11, 0x07);
    raw[2] = 0x09;
    reseal(&mut raw);
    let e = decode(&raw, Some(Direction::Down)).unwrap_err();
    assert_eq!(
        e.kind,
        DecodeErrorKind::LengthMismatch {
            declared: 9,
            expected: 8
        }
    );
    assert_eq!(e.offset, 2);
    // Given the direction, lenient decoding keeps the extra byte.
    let f = JuyFrame::decode(&raw, &lenient().with_direction(Some(Direction::Down))).unwrap();
    assert_eq!(
        f.message,
        JuyMessage::RemoteStop(PortOrder { port: 2, order: 1 })
    );
    assert_eq!(f.extra, vec![0x07]);
    assert!(f.deviations.any(|d| *d == Deviation::LongBody { extra: 1 }));
    assert_eq!(f.direction_source, DirectionSource::Given);
    assert_eq!(f.encode().unwrap(), raw);
    // Without it, the 6 bytes are exactly the stop reply's layout.
    let f = JuyFrame::decode(&raw, &lenient()).unwrap();
    assert_eq!(f.direction(), Direction::Up);
    assert_eq!(f.direction_source, DirectionSource::Layout);
    assert_eq!(
        f.message,
        JuyMessage::RemoteStopReply(RemoteStopReply {
            port: 2,
            order: 1,
            result: StopResult::Other(7)
        })
    );
    // A short body is rejected under both policies.
    let mut short = bytes("5A A5 06 00 84 00 02 01 00 00");
    short[2] = 0x06;
    short.push(0);
    reseal(&mut short);
    for opts in [strict(), lenient()] {
        let e = JuyFrame::decode(&short, &opts).unwrap_err();
        assert!(matches!(
            e.kind,
            DecodeErrorKind::LengthMismatch { declared: 6, .. }
        ));
        assert_eq!(e.offset, 2);
    }
}

// ---------------------------------------------------------------- direction and form

#[test]
fn auto_direction_guesses_only_when_the_layout_cannot_tell() {
    // OTA start and its result are both one byte.
    let raw = encode(&JuyFrame::new(JuyMessage::StartOta(Reserved {
        reserved: 0,
    })));
    let f = decode(&raw, None).unwrap();
    assert_eq!(f.direction_source, DirectionSource::Guessed);
    assert_eq!(
        f.message,
        JuyMessage::OtaReply(OtaReply {
            result: OtaResult::Ok
        })
    );
    let f = decode(&raw, Some(Direction::Down)).unwrap();
    assert_eq!(f.message, JuyMessage::StartOta(Reserved { reserved: 0 }));
    // 0x8C is defined downwards only; a one-byte body is taken for an undefined reply.
    let raw = bytes("5A A5 04 00 8C 01 00 91");
    let f = decode(&raw, None).unwrap();
    assert_eq!(f.direction_source, DirectionSource::Guessed);
    assert_eq!(
        f.message,
        JuyMessage::Unknown {
            command: 0x8C,
            direction: Direction::Up,
            data: vec![0]
        }
    );
    // An unknown command keeps its body.
    let mut raw = bytes("5A A5 05 00 99 01 AA BB 00");
    reseal(&mut raw);
    let f = decode(&raw, Some(Direction::Down)).unwrap();
    assert_eq!(f.message.name(), "unknown");
    assert_eq!(f.command(), 0x99);
    assert_eq!(f.direction(), Direction::Down);
    assert_eq!(encode(&f), raw);
}

#[test]
fn imei_form_is_detected_from_the_length() {
    let imei = ascii::<IMEI_LEN>("861197062934387");
    let messages = [
        JuyMessage::RemoteStop(PortOrder { port: 1, order: 9 }),
        JuyMessage::RemoteStopReply(RemoteStopReply {
            port: 1,
            order: 9,
            result: StopResult::Done,
        }),
        JuyMessage::CardAuth(CardAuth {
            port: 5,
            card: 0x1234_5678,
            operation: CardOperation::StartCharging,
        }),
        JuyMessage::Heartbeat(Heartbeat {
            signal: 30,
            board_temperature: Temperature::from_celsius(40),
            ports: PortList::from_slice(&[PortState::InUse, PortState::FuseBlown]).unwrap(),
        }),
        JuyMessage::QueryPortData(Reserved { reserved: 0 }),
        JuyMessage::EndOfChargeReport(end_of_charge(Energy::from_wh(10))),
    ];
    for m in messages {
        let frame = JuyFrame::new(m.clone()).with_imei(imei);
        let raw = encode(&frame);
        let f = decode(&raw, None).unwrap();
        assert_eq!(f.imei, Some(imei), "{m:?}");
        assert_eq!(f.message, m);
        assert_eq!(f.direction_source, DirectionSource::Layout);
        let plain = encode(&JuyFrame::new(m.clone()));
        let f = decode(&plain, None).unwrap();
        assert_eq!(f.imei, None);
        assert_eq!(f.message, m);
    }
    // Fifteen extra bytes that are not digits are not an IMEI.
    let frame = JuyFrame::new(JuyMessage::RemoteStop(PortOrder { port: 1, order: 9 }))
        .with_imei(ascii("86119706293438X"));
    let e = decode(&encode(&frame), None).unwrap_err();
    assert!(matches!(e.kind, DecodeErrorKind::LengthMismatch { .. }));
}

#[test]
fn connection_switches_to_the_imei_form_after_a_login_reply_with_f0() {
    let imei = ascii::<IMEI_LEN>("861197062934387");
    let mut login = Login {
        imei,
        port_count: 10,
        hardware_version: ascii("JUY_B2_Q800M_1_0"),
        software_version: ascii("JUY_B2_COMM_V1.7"),
        iccid: ascii("898604E81023C0963731"),
        signal: 0x64,
        reason: LoginReason::PowerOn,
    };
    let reply = bytes(LOGIN_REPLY);
    let hb = JuyMessage::HeartbeatReply(Reserved { reserved: 0 });
    let with_imei = encode(&JuyFrame::new(hb.clone()).with_imei(imei));

    let mut conn = JuyConnection::new(JuyOptions::default());
    assert_eq!(conn.imei_form(), ImeiForm::Detect);
    let opts = strict();
    // Before any login, the form is detected.
    let f = conn.decode(&with_imei, &opts).unwrap();
    assert_eq!(f.imei, Some(imei));
    let raw_login = encode(&JuyFrame::new(JuyMessage::Login(login.clone())));
    conn.decode(&raw_login, &opts).unwrap();
    assert_eq!(conn.imei_form(), ImeiForm::Original);
    conn.decode(&reply, &opts).unwrap();
    assert_eq!(conn.imei_form(), ImeiForm::WithImei);
    assert_eq!(conn.options().imei_form, ImeiForm::WithImei);
    let f = conn
        .decode(&with_imei, &opts.with_direction(Some(Direction::Down)))
        .unwrap();
    assert_eq!(f.imei, Some(imei));
    assert_eq!(f.message, hb);
    // In the IMEI form, a frame without the IMEI no longer fits.
    let plain = encode(&JuyFrame::new(hb.clone()));
    assert!(conn.decode(&plain, &opts).is_err());
    // A new login in the original form starts over.
    login.signal = 27;
    let raw_login = encode(&JuyFrame::new(JuyMessage::Login(login)));
    conn.decode(&raw_login, &opts).unwrap();
    assert_eq!(conn.imei_form(), ImeiForm::Original);
    // A pile below protocol 0x64 does not switch, even on 0xF0.
    conn.decode(&reply, &opts).unwrap();
    assert_eq!(conn.imei_form(), ImeiForm::Original);
    let f = conn.decode(&plain, &opts).unwrap();
    assert_eq!(f.message, hb);
}

// ---------------------------------------------------------------- roundtrips

fn reserved() -> BoxedStrategy<Reserved> {
    <Reserved as Wire>::arbitrary()
}

fn any_message() -> BoxedStrategy<JuyMessage> {
    use JuyMessage as M;
    let port_order = || <PortOrder as Wire>::arbitrary();
    let table = || <ParameterTable as Wire>::arbitrary();
    Union::new(vec![
        <Login as Wire>::arbitrary().prop_map(M::Login).boxed(),
        <LoginReply as Wire>::arbitrary()
            .prop_map(M::LoginReply)
            .boxed(),
        Heartbeat::arbitrary().prop_map(M::Heartbeat).boxed(),
        reserved().prop_map(M::HeartbeatReply).boxed(),
        <RemoteStart as Wire>::arbitrary()
            .prop_map(M::RemoteStart)
            .boxed(),
        <RemoteStartReply as Wire>::arbitrary()
            .prop_map(M::RemoteStartReply)
            .boxed(),
        port_order().prop_map(M::RemoteStop).boxed(),
        <RemoteStopReply as Wire>::arbitrary()
            .prop_map(M::RemoteStopReply)
            .boxed(),
        EndOfChargeReport::arbitrary()
            .prop_map(M::EndOfChargeReport)
            .boxed(),
        port_order().prop_map(M::EndOfChargeAck).boxed(),
        <LocalStartReport as Wire>::arbitrary()
            .prop_map(M::LocalStartReport)
            .boxed(),
        port_order().prop_map(M::LocalStartAck).boxed(),
        <CardAuth as Wire>::arbitrary()
            .prop_map(M::CardAuth)
            .boxed(),
        <CardAuthReply as Wire>::arbitrary()
            .prop_map(M::CardAuthReply)
            .boxed(),
        PortData::arbitrary().prop_map(M::PortData).boxed(),
        reserved().prop_map(M::QueryPortData).boxed(),
        reserved().prop_map(M::ReadParameters).boxed(),
        table().prop_map(M::Parameters).boxed(),
        table().prop_map(M::WriteParameters).boxed(),
        reserved().prop_map(M::WriteParametersAck).boxed(),
        <MeterCommand as Wire>::arbitrary()
            .prop_map(M::MeterCommand)
            .boxed(),
        <MeterReading as Wire>::arbitrary()
            .prop_map(M::MeterReading)
            .boxed(),
        <ChangeServer as Wire>::arbitrary()
            .prop_map(M::ChangeServer)
            .boxed(),
        TouTariff::arbitrary().prop_map(M::SetTouTariff).boxed(),
        <SetTouTariffReply as Wire>::arbitrary()
            .prop_map(M::SetTouTariffReply)
            .boxed(),
        reserved().prop_map(M::QueryTouTariff).boxed(),
        TouTariff::arbitrary().prop_map(M::TouTariff).boxed(),
        TouPortData::arbitrary().prop_map(M::TouPortData).boxed(),
        <ImeiReport as Wire>::arbitrary()
            .prop_map(M::ImeiReport)
            .boxed(),
        reserved().prop_map(M::ImeiReportAck).boxed(),
        reserved().prop_map(M::StartOta).boxed(),
        <OtaReply as Wire>::arbitrary()
            .prop_map(M::OtaReply)
            .boxed(),
        (
            prop_oneof![Just(0x8Cu8), Just(0x8F), 0x90u8..0xC0],
            proptest::collection::vec(any::<u8>(), 0..40),
        )
            .prop_map(|(command, data)| M::Unknown {
                command,
                direction: if command == 0x8C {
                    Direction::Up
                } else {
                    Direction::Down
                },
                data,
            })
            .boxed(),
    ])
    .boxed()
}

fn any_frame() -> BoxedStrategy<JuyFrame> {
    (
        any_message(),
        any::<u8>(),
        proptest::option::of(proptest::collection::vec(b'0'..=b'9', IMEI_LEN)),
    )
        .prop_map(|(message, result, imei)| {
            let mut frame = JuyFrame::new(message);
            frame.result = FrameResult::from_code(result);
            frame.imei = imei.map(|d| Ascii(<[u8; IMEI_LEN]>::try_from(d).unwrap()));
            frame
        })
        .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_message_roundtrips(frame in any_frame(), milli in any::<bool>()) {
        let resolution = if milli { EnergyResolution::MilliKwh } else { EnergyResolution::CentiKwh };
        let form = if frame.imei.is_some() { ImeiForm::WithImei } else { ImeiForm::Original };
        let juy = JuyOptions { energy_resolution: resolution, imei_form: form };
        let frame = frame.with_energy_resolution(resolution);
        let raw = frame.encode().unwrap();
        prop_assert_eq!(scan(&raw), Scan::Frame { len: raw.len() });
        let dir = Some(frame.direction());
        let back = JuyFrame::decode(&raw, &strict().with_direction(dir).with_juy(juy)).unwrap();
        prop_assert_eq!(&back, &frame);
        // Detecting the form gives the same frame (an opaque body has no length to tell it by).
        let detect = juy.with_imei_form(ImeiForm::Detect);
        let back = JuyFrame::decode(&raw, &strict().with_direction(dir).with_juy(detect)).unwrap();
        if !matches!(frame.message, JuyMessage::Unknown { .. }) {
            prop_assert_eq!(&back, &frame);
        }
        // Inferring the direction gives the same frame unless the layout leaves it open.
        let back = JuyFrame::decode(&raw, &strict().with_juy(detect)).unwrap();
        // (An opaque message of a command defined the other way may be read as that one.)
        let opaque = matches!(frame.message, JuyMessage::Unknown { .. });
        if back.direction_source == DirectionSource::Layout && !opaque {
            prop_assert_eq!(&back.message, &frame.message);
            prop_assert_eq!(back.imei, frame.imei);
        } else if !opaque {
            prop_assert_eq!(back.direction_source, DirectionSource::Guessed);
        }
        // Re-encoding what was decoded gives the same bytes.
        prop_assert_eq!(back.encode().unwrap(), raw);
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(data in proptest::collection::vec(any::<u8>(), 0..120), cmd in any::<u8>()) {
        let mut raw = vec![0x5A, 0xA5, 0, 0, cmd, 0x01];
        raw.extend_from_slice(&data);
        raw.push(0);
        let len = (raw.len() - 4) as u16;
        raw[2..4].copy_from_slice(&len.to_le_bytes());
        reseal(&mut raw);
        for opts in [strict(), lenient()] {
            for dir in [None, Some(Direction::Up), Some(Direction::Down)] {
                for form in [ImeiForm::Original, ImeiForm::WithImei, ImeiForm::Detect] {
                    let juy = JuyOptions::default().with_imei_form(form);
                    if let Ok(f) = JuyFrame::decode(&raw, &opts.with_direction(dir).with_juy(juy)) {
                        // Whatever decodes, encodes back to the same bytes.
                        prop_assert_eq!(f.encode().unwrap(), raw.clone());
                    }
                }
            }
        }
    }

    #[test]
    fn scan_finds_frames_in_random_chunks(
        frames in proptest::collection::vec(any_frame(), 1..6),
        garbage in proptest::collection::vec(proptest::collection::vec(any::<u8>().prop_filter("not a start", |b| *b != 0x5A), 0..5), 6),
        cuts in proptest::collection::vec(1usize..40, 1..60),
    ) {
        let mut stream = Vec::new();
        let mut encoded = Vec::new();
        for (frame, junk) in frames.iter().zip(&garbage) {
            stream.extend_from_slice(junk);
            let raw = frame.encode().unwrap();
            stream.extend_from_slice(&raw);
            encoded.push(raw);
        }
        let mut found = Vec::new();
        let mut buf: Vec<u8> = Vec::new();
        let mut rest = stream.as_slice();
        let mut cuts = cuts.into_iter().cycle();
        while !rest.is_empty() {
            let n = cuts.next().unwrap().min(rest.len());
            buf.extend_from_slice(&rest[..n]);
            rest = &rest[n..];
            loop {
                match scan(&buf) {
                    Scan::Frame { len } => {
                        found.push(buf.drain(..len).collect::<Vec<u8>>());
                    }
                    Scan::NeedMore { .. } => break,
                    Scan::NotAFrame { .. } | Scan::Skip { .. } => {
                        buf.remove(0);
                    }
                }
            }
        }
        prop_assert_eq!(&found, &encoded);
        for (raw, frame) in found.iter().zip(&frames) {
            let juy = JuyOptions::default().with_imei_form(if frame.imei.is_some() { ImeiForm::WithImei } else { ImeiForm::Original });
            let back = JuyFrame::decode(raw, &strict().with_direction(Some(frame.direction())).with_juy(juy)).unwrap();
            prop_assert_eq!(&back, frame);
        }
    }
}

#[cfg(feature = "serde")]
proptest! {
    #[test]
    fn canonical_form_roundtrips(frame in any_frame()) {
        let value = serde_json::to_value(&frame).unwrap();
        prop_assert_eq!(value["name"].as_str(), Some(frame.message.name()));
        prop_assert_eq!(value["direction"].as_str(), Some(frame.direction().name()));
        let json = serde_json::to_string(&frame).unwrap();
        let back: JuyFrame = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, frame);
    }
}

#[cfg(feature = "serde")]
#[test]
fn canonical_form_of_vectors() {
    let f = decode(&bytes(REMOTE_STOP), None).unwrap();
    let v = serde_json::to_value(&f).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "dialect": "juy", "direction": "down", "direction_source": "layout",
            "frame_type": 0x84, "frame_result": {"name": "fail", "code": 0}, "frame_imei": null,
            "energy_resolution": "milli_kwh", "deviations": [], "extra": "", "name": "remote_stop",
            "port": 2, "order": 1
        })
    );
    let f = decode(&bytes(LOGIN), None).unwrap();
    let v = serde_json::to_value(&f).unwrap();
    assert_eq!(v["name"], "login");
    assert_eq!(v["frame_imei"], serde_json::Value::Null);
    assert_eq!(v["imei"], "861197062934387");
    assert_eq!(
        v["reason"],
        serde_json::json!({"name": "power_on", "code": 0})
    );
    assert_eq!(v["hardware_version"], "JUY_B2_Q800M_1_0");
    let table = JuyFrame::new(JuyMessage::Parameters(worked_parameter_table()));
    let v = serde_json::to_value(&table).unwrap();
    assert_eq!(v["coin_time_min"], 240);
    assert_eq!(v["card_fee_yuan"], 0.1);
    assert_eq!(v["tier_powers_w"][7], 2500.0);
    assert_eq!(v["plug_in_wait_s"], 120);
    // A name that does not match the frame type is refused.
    let mut v = serde_json::to_value(&f).unwrap();
    v["frame_type"] = serde_json::json!(0x84);
    assert!(serde_json::from_value::<JuyFrame>(v).is_err());
}

#[test]
fn message_names_and_directions_match_the_layout_table() {
    let raw = bytes(LOGIN);
    let f = decode(&raw, None).unwrap();
    assert_eq!(f.message.direction(), Direction::Up);
    assert_eq!(Bcd::<7>::default(), Bcd([0; 7]));
    for (cmd, dir) in [
        (0x81, Direction::Up),
        (0x8C, Direction::Down),
        (0x8F, Direction::Up),
    ] {
        assert!(message::layout(cmd, dir).is_some());
    }
    assert!(message::layout(0x8C, Direction::Up).is_none());
    assert!(message::layout(0x8F, Direction::Down).is_none());
}

proptest! {
    #[test]
    fn fixed_layouts_consume_exactly_their_bytes(
        login in <Login as Wire>::arbitrary(),
        start in <RemoteStart as Wire>::arbitrary(),
        table in <ParameterTable as Wire>::arbitrary(),
        server in <ChangeServer as Wire>::arbitrary(),
        sample in <TouPortSample as Wire>::arbitrary(),
    ) {
        crate::codec::wire::tests::roundtrip(&login);
        crate::codec::wire::tests::roundtrip(&start);
        crate::codec::wire::tests::roundtrip(&table);
        crate::codec::wire::tests::roundtrip(&server);
        crate::codec::wire::tests::roundtrip(&sample);
    }
}

#[test]
fn invalid_bcd_in_the_login_reply_time() {
    let mut raw = bytes(LOGIN_REPLY);
    raw[8] = 0xAA;
    reseal(&mut raw);
    let e = decode(&raw, None).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::InvalidBcd { byte: 0xAA });
    assert_eq!(e.offset, 8);
    assert_eq!(e.field, Some("time"));
    let e = JuyFrame::decode(&raw, &strict().with_base_offset(40)).unwrap_err();
    assert_eq!(e.offset, 48);
    let f = JuyFrame::decode(&raw, &lenient()).unwrap();
    assert!(
        f.deviations
            .any(|d| *d == Deviation::InvalidBcd { offset: 6 })
    );
    assert_eq!(encode(&f), raw);
}

// ---------------------------------------------------------------- replies

#[test]
fn login_reply_keeps_the_form_and_switches_to_imei() {
    let login = decode(&bytes(LOGIN), None).unwrap();
    let JuyMessage::Login(l) = &login.message else {
        panic!("not a login")
    };
    let reply = login.reply(JuyMessage::LoginReply(
        l.reply(60, LoginResult::OkSwitchToImeiForm),
    ));
    assert_eq!(reply.imei, None);
    assert_eq!(reply.direction(), Direction::Down);
    let raw = encode(&reply);
    // the reference's login reply, with result byte ok and a 60 s interval
    let mut expected = bytes(LOGIN_REPLY);
    expected[5] = 0x01;
    expected[13] = 60;
    reseal(&mut expected);
    assert_eq!(raw, expected);
    let back = decode(&raw, Some(Direction::Down)).unwrap();
    let JuyMessage::LoginReply(r) = &back.message else {
        panic!("not a login reply")
    };
    assert!(r.switches_to_imei_form());
    assert_eq!(login.acknowledgement(), None, "a login needs a decision");
}

#[test]
fn acknowledgements_answer_what_the_reference_says_is_answered() {
    let imei: Ascii<IMEI_LEN> = ascii("867924060525709");
    let hb = JuyFrame::new(JuyMessage::Heartbeat(Heartbeat::default())).with_imei(imei);
    let ack = hb.acknowledgement().unwrap();
    assert_eq!(
        ack.message,
        JuyMessage::HeartbeatReply(Reserved { reserved: 0 })
    );
    assert_eq!(ack.imei, Some(imei), "the answer keeps the IMEI form");
    // the reference's IMEI-form heartbeat reply, but with result ok
    let mut expected = bytes(HEARTBEAT_REPLY_IMEI);
    expected[5] = 0x01;
    reseal(&mut expected);
    assert_eq!(encode(&ack), expected);

    let report = JuyFrame::new(JuyMessage::EndOfChargeReport(end_of_charge(
        Energy::from_centi_kwh(5),
    )))
    .with_energy_resolution(EnergyResolution::CentiKwh);
    let ack = report.acknowledgement().unwrap();
    assert_eq!(
        ack.message,
        JuyMessage::EndOfChargeAck(PortOrder {
            port: 3,
            order: 0x0102_0304
        })
    );
    assert_eq!(ack.energy_resolution, EnergyResolution::CentiKwh);
    assert_eq!(encode(&ack), bytes("5A A5 08 00 85 01 03 04 03 02 01 9B"));

    let local = JuyFrame::new(JuyMessage::LocalStartReport(LocalStartReport {
        port: 7,
        order: 9,
        mode: LocalStartMode::Coin,
        amount: Money::from_fen(100),
        card_balance: Money::from_fen(0),
        card: 0,
    }));
    assert_eq!(
        local.acknowledgement().unwrap().message,
        JuyMessage::LocalStartAck(PortOrder { port: 7, order: 9 })
    );

    let report = JuyFrame::new(JuyMessage::ImeiReport(ImeiReport {
        signal: 20,
        imei,
        reserved: HexBytes([0; 10]),
    }));
    assert_eq!(
        report.acknowledgement().unwrap().message,
        JuyMessage::ImeiReportAck(Reserved { reserved: 0 })
    );

    // reports nobody answers, and the pile's own answers
    for m in [
        JuyMessage::PortData(PortData::default()),
        JuyMessage::RemoteStopReply(RemoteStopReply {
            port: 1,
            order: 1,
            result: StopResult::Done,
        }),
        JuyMessage::RemoteStop(PortOrder { port: 1, order: 1 }),
    ] {
        assert_eq!(JuyFrame::new(m).acknowledgement(), None);
    }
}

#[test]
fn card_swipe_replies_echo_port_and_card() {
    let swipe = CardAuth {
        port: 4,
        card: 0xDEAD_BEEF,
        operation: CardOperation::BalanceQuery,
    };
    let reply = swipe.reply(1234, CardAuthResult::Ok);
    assert_eq!(reply.port, 4);
    assert_eq!(reply.card, 0xDEAD_BEEF);
    assert_eq!(reply.balance_money(), Some(Money::from_fen(1234)));
    assert!(!swipe.wants_start());
    let days = swipe.reply_remaining_days(12);
    assert_eq!(days.remaining_days(), Some(12));
    let start = CardAuth {
        operation: CardOperation::StartCharging,
        ..swipe
    };
    assert!(start.wants_start());
    let frame = JuyFrame::new(JuyMessage::CardAuth(swipe));
    assert_eq!(frame.acknowledgement(), None, "a swipe needs a decision");
    let answer = frame.reply(JuyMessage::CardAuthReply(reply));
    assert_eq!(
        decode(&encode(&answer), None).unwrap().message,
        JuyMessage::CardAuthReply(reply)
    );
}

#[cfg(feature = "serde")]
proptest! {
    /// The canonical JSON of any frame (at either energy resolution) reads back as an
    /// `AnyFrame` that encodes to the same bytes, and the bytes decode (dialect detected,
    /// direction, form and resolution given) to the same frame.
    #[test]
    fn json_of_any_frame_encodes_to_the_same_bytes(frame in any_frame(), milli in any::<bool>()) {
        use crate::codec::AnyFrame;
        let resolution = if milli { EnergyResolution::MilliKwh } else { EnergyResolution::CentiKwh };
        let frame = frame.with_energy_resolution(resolution);
        let bytes = frame.encode().unwrap();
        let form = if frame.imei.is_some() { ImeiForm::WithImei } else { ImeiForm::Original };
        let ctx = DecodeContext::STRICT
            .with_direction(Some(frame.direction()))
            .with_imei_form(form)
            .with_energy_resolution(resolution);
        let any = AnyFrame::decode(&bytes, &ctx).unwrap();
        prop_assert_eq!(&any, &AnyFrame::Juy(frame.clone()));
        let json = serde_json::to_string(&any).unwrap();
        let back: AnyFrame = serde_json::from_str(&json)
            .map_err(|e| TestCaseError::fail(alloc::format!("{e}: {json}")))?;
        prop_assert_eq!(back.encode().unwrap(), bytes);
        prop_assert_eq!(back, any);
    }
}
