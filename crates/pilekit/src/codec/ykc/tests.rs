use alloc::string::ToString;
use alloc::vec::Vec;

use proptest::prelude::*;

use super::*;
use crate::codec::AnyFrame as Frame;
use crate::codec::fields::HexBytes;
use crate::codec::stream::{StreamDecoder, StreamItem};
use crate::codec::{DecodeContext, DecodeErrorKind, Dialect};
use crate::hex;
use crate::time::LocalDateTime;
use crate::units::*;

const VECTORS: &str = include_str!("../../../tests/data/vectors/ykc.tsv");

fn vector(cmd: &str) -> Vec<u8> {
    VECTORS
        .lines()
        .skip(1)
        .find_map(|l| {
            let mut cols = l.split('\t');
            (cols.next() == Some(cmd)).then(|| hex::decode(cols.next().unwrap()).unwrap())
        })
        .unwrap_or_else(|| panic!("no vector {cmd}"))
}

fn strict(bytes: &[u8]) -> YkcFrame {
    YkcFrame::decode(bytes, &DecodeContext::STRICT).unwrap()
}

fn lenient(bytes: &[u8]) -> YkcFrame {
    YkcFrame::decode(bytes, &DecodeContext::LENIENT).unwrap()
}

fn pile(code: &str) -> PileCode {
    PileCode::from_digits(code).unwrap()
}

#[test]
fn every_vector_decodes_strictly_and_reencodes_to_the_same_bytes() {
    let mut n = 0;
    for line in VECTORS.lines().skip(1) {
        let mut cols = line.split('\t');
        let cmd = cols.next().unwrap();
        let bytes = hex::decode(cols.next().unwrap()).unwrap();
        let frame = strict(&bytes);
        assert_eq!(alloc::format!("0x{:02X}", frame.frame_type().0), cmd);
        assert!(
            !matches!(frame.message, YkcMessage::Unknown(_)),
            "{cmd} is a known type"
        );
        assert_eq!(frame.checksum_order, ByteOrder::LowByteFirst);
        assert_eq!(frame.encode().unwrap(), bytes, "{cmd} re-encodes");
        n += 1;
    }
    assert_eq!(n, 13);
}

#[test]
fn login_vector_fields() {
    let f = strict(&vector("0x01"));
    let YkcMessage::Login(m) = f.message.clone() else {
        panic!()
    };
    assert_eq!(m.pile_code.to_string(), "55031412782305");
    assert_eq!(m.pile_type, PileType::Dc);
    assert_eq!(m.gun_count, 2);
    assert_eq!(m.protocol_version, 0x0F);
    assert_eq!(m.program_version.as_str(), Some("V4.1.50"));
    assert_eq!(m.network, NetworkType::Lan);
    assert_eq!(m.sim.to_string(), "01010101010101010101");
    assert_eq!(m.carrier, Carrier::OtherCarrier);
    assert_eq!(f.seq, Seq([0, 0]));
    assert_eq!(f.direction(), Direction::Up);
}

#[test]
fn short_vectors_fields() {
    let YkcMessage::LoginReply(m) = strict(&vector("0x02")).message else {
        panic!()
    };
    assert_eq!(
        (m.pile_code, m.result),
        (pile("55031412782305"), ZeroIsSuccess::Success)
    );

    let f = strict(&vector("0x03"));
    assert_eq!(f.seq, Seq([0x00, 0x01]));
    assert_eq!(f.seq.as_be(), 1);
    let YkcMessage::Heartbeat(m) = f.message else {
        panic!()
    };
    assert_eq!(
        (m.pile_code, m.gun, m.gun_condition),
        (pile("32010200000001"), 1, GunCondition::Normal)
    );

    let YkcMessage::HeartbeatReply(m) = strict(&vector("0x04")).message else {
        panic!()
    };
    assert_eq!((m.gun, m.reply), (1, 0));

    let YkcMessage::ModelCheckRequest(m) = strict(&vector("0x05")).message else {
        panic!()
    };
    assert_eq!(m.model_number.to_string(), "0001");

    let f = strict(&vector("0x06"));
    assert_eq!(f.seq, Seq([0xCE, 0x04]));
    let YkcMessage::ModelCheckReply(m) = f.message else {
        panic!()
    };
    assert_eq!(
        (m.model_number.to_string().as_str(), m.result),
        ("0000", ModelCheck::Same)
    );

    let YkcMessage::ModelRequest(m) = strict(&vector("0x09")).message else {
        panic!()
    };
    assert_eq!(m.pile_code, pile("55031412782305"));

    let YkcMessage::ReadRealTimeData(m) = strict(&vector("0x12")).message else {
        panic!()
    };
    assert_eq!((m.pile_code, m.gun), (pile("32010200000001"), 1));

    let YkcMessage::RemoteStop(m) = strict(&vector("0x36")).message else {
        panic!()
    };
    assert_eq!((m.pile_code, m.gun), (pile("32010200000001"), 1));
}

#[test]
fn transaction_ack_vector_keeps_the_specs_odd_serial() {
    let YkcMessage::TransactionAck(m) = strict(&vector("0x40")).message else {
        panic!()
    };
    assert_eq!(
        m.trade_serial.to_string(),
        "55031412782305012018061910262392"
    );
    assert_eq!(m.result, RecordCheck::Accepted);
}

#[test]
fn clock_sync_vectors_decode_the_spec_time() {
    for cmd in ["0x55", "0x56"] {
        let f = strict(&vector(cmd));
        let (YkcMessage::ClockSync(m) | YkcMessage::ClockSyncReply(m)) = f.message else {
            panic!()
        };
        assert_eq!(m.time.to_string(), "2020-03-16T17:14:47");
        assert_eq!(m.pile_code, pile("55031412782305"));
        assert!(f.deviations.is_empty());
    }
}

#[test]
fn qr_prefix_vector_decodes_as_corrected() {
    let YkcMessage::QrPrefix(m) = strict(&vector("0xF0")).message else {
        panic!()
    };
    assert_eq!(m.pile_code, pile("36100095124032"));
    assert_eq!(m.format, QrFormat::PrefixOrgPile);
    assert_eq!(m.prefix.len(), 81);
    assert_eq!(
        m.prefix,
        "https://charging.fzcsny.com/code/gunDetail?orgNo=MA38617Y8&id=1860&carScope=1&no="
    );
}

fn sample_real_time() -> RealTimeData {
    RealTimeData {
        trade_serial: TradeSerial::from_digits("32010200000001012001061803423060").unwrap(),
        pile_code: pile("32010200000001"),
        gun: 1,
        status: GunStatus::Charging,
        holstered: Holstered::No,
        plugged: Plugged::Yes,
        output_voltage: Voltage(3732),
        output_current: Current(101_200),
        gun_temperature: Temperature(250),
        gun_wire_code: HexBytes([0; 8]),
        soc: 78,
        battery_max_temperature: Temperature(300),
        charged: Minutes(16),
        remaining: Minutes(40),
        energy: Energy(88_000),
        loss_energy: Energy(0),
        amount: Money(93_280),
        faults: HardwareFaults(0),
    }
}

#[test]
fn real_time_data_roundtrips_with_exact_units() {
    let frame = YkcFrame::new(
        Seq::from_be(1),
        YkcMessage::RealTimeData(sample_real_time()),
    );
    let bytes = frame.encode().unwrap();
    assert_eq!(bytes.len(), 60 + OVERHEAD);
    assert_eq!(bytes[1], 0x40);
    // voltage 3732 = 0x0E94 LE, current 1012 (0.1 A) = 0x03F4 LE
    assert_eq!(&bytes[6 + 27..6 + 31], &[0x94, 0x0E, 0xF4, 0x03]);
    let back = strict(&bytes);
    assert_eq!(back, frame);
    let YkcMessage::RealTimeData(m) = back.message else {
        panic!()
    };
    assert_eq!(m.output_voltage.to_string(), "373.2 V");
    assert_eq!(m.output_current.to_string(), "101.2 A");
    assert_eq!(m.amount.to_string(), "9.3280 yuan");
    assert_eq!(m.energy.to_string(), "8.80 kWh");
}

#[cfg(feature = "serde")]
#[test]
fn real_time_data_canonical_json() {
    let frame = YkcFrame::new(
        Seq::from_be(1),
        YkcMessage::RealTimeData(sample_real_time()),
    );
    let v = serde_json::to_value(&frame).unwrap();
    assert_eq!(v["dialect"], "ykc");
    assert_eq!(v["direction"], "up");
    assert_eq!(v["frame_type"], 19);
    assert_eq!(v["name"], "real_time_data");
    assert_eq!(v["seq"], "0001");
    assert_eq!(v["checksum"]["kind"], "crc16_modbus");
    assert_eq!(v["checksum"]["order"], "low_byte_first");
    assert_eq!(v["deviations"], serde_json::json!([]));
    assert_eq!(v["trade_serial"], "32010200000001012001061803423060");
    assert_eq!(v["pile_code"], "32010200000001");
    assert_eq!(v["gun"], 1);
    assert_eq!(
        v["status"],
        serde_json::json!({"name": "charging", "code": 3})
    );
    assert_eq!(v["output_voltage_v"].to_string(), "373.2");
    assert_eq!(v["output_current_a"].to_string(), "101.2");
    assert_eq!(v["soc_pct"], 78);
    assert_eq!(v["charged_min"], 16);
    assert_eq!(v["energy_kwh"].to_string(), "8.8");
    assert_eq!(v["amount_yuan"].to_string(), "9.328");
    assert_eq!(v["faults"], serde_json::json!([]));
    let back: YkcFrame = serde_json::from_value(v).unwrap();
    assert_eq!(back, frame);
}

#[test]
fn crc_high_byte_first_is_accepted_reported_and_echoed() {
    let mut bytes = vector("0x03");
    let n = bytes.len();
    bytes.swap(n - 2, n - 1);
    let f = strict(&bytes);
    assert_eq!(f.checksum_order, ByteOrder::HighByteFirst);
    let reply = f.reply(YkcMessage::HeartbeatReply(HeartbeatReply {
        pile_code: pile("32010200000001"),
        gun: 1,
        reply: 0,
    }));
    let out = reply.encode().unwrap();
    let crc = crc16_modbus(&out[2..out.len() - 2]);
    assert_eq!(&out[out.len() - 2..], &crc.to_be_bytes());
    assert_eq!(&out[2..4], &bytes[2..4], "reply echoes the raw seq bytes");
}

#[test]
fn big_endian_seq_is_kept_raw_and_echoed() {
    // JCPP's capture: request seq `71 ad`, reply must carry the same two bytes
    let req = YkcFrame::new(
        Seq([0x71, 0xAD]),
        YkcMessage::ModelCheckRequest(ModelCheckRequest {
            pile_code: pile("32010200000001"),
            model_number: ModelNumber::from_digits("0100").unwrap(),
        }),
    );
    let got = strict(&req.encode().unwrap());
    assert_eq!(got.seq, Seq([0x71, 0xAD]));
    assert_eq!(got.seq.as_be(), 0x71AD);
    let reply = got.reply(YkcMessage::ModelCheckReply(ModelCheckReply {
        pile_code: pile("32010200000001"),
        model_number: ModelNumber::from_digits("0100").unwrap(),
        result: ModelCheck::Same,
    }));
    assert_eq!(&reply.encode().unwrap()[2..4], &[0x71, 0xAD]);
}

#[test]
fn day_of_week_bits_are_masked_and_reported() {
    let mut frame = strict(&vector("0x56"));
    let mut bytes = frame.encode().unwrap();
    // 2020-03-16 is a Monday: day-of-week 1 in bits 5-7 of the day byte (body offset 7 + 4)
    bytes[6 + 7 + 4] |= 1 << 5;
    let n = bytes.len();
    let crc = crc16_modbus(&bytes[2..n - 2]);
    bytes[n - 2..].copy_from_slice(&crc.to_le_bytes());
    let got = strict(&bytes);
    let (YkcMessage::ClockSync(a), YkcMessage::ClockSync(b)) = (&got.message, &frame.message)
    else {
        panic!()
    };
    assert_eq!(a.time, b.time);
    assert_eq!(
        got.deviations.iter().next(),
        Some(&Deviation::TimeFlagBits { offset: 13 })
    );
    frame.deviations = got.deviations;
    assert_eq!(got, frame);
}

fn billing_model() -> BillingModel {
    let rate = |e, s| ClassRate {
        energy: EnergyPrice(e),
        service: EnergyPrice(s),
    };
    let mut slots = [0u8; 48];
    for (i, s) in slots.iter_mut().enumerate() {
        *s = (i / 12) as u8;
    }
    BillingModel {
        pile_code: pile("55031412782305"),
        model_number: ModelNumber::from_digits("0100").unwrap(),
        sharp: rate(200_000, 40_000),
        peak: rate(300_000, 40_000),
        flat: rate(400_000, 40_000),
        valley: rate(500_000, 40_000),
        loss_ratio: 0,
        slots: HalfHourSlots(slots),
    }
}

#[test]
fn billing_model_spec_rates() {
    let bytes = YkcFrame::new(Seq::default(), YkcMessage::ModelReply(billing_model()))
        .encode()
        .unwrap();
    assert_eq!(bytes[1], 0x5E);
    assert_eq!(&bytes[6 + 9..6 + 13], &[0x40, 0x0D, 0x03, 0x00]); // 2.00000 yuan/kWh
    assert_eq!(&bytes[6 + 13..6 + 17], &[0x40, 0x9C, 0x00, 0x00]); // 0.40000
    let YkcMessage::ModelReply(m) = strict(&bytes).message else {
        panic!()
    };
    assert_eq!(m.peak.energy.to_string(), "3.00000 yuan/kWh");
    assert_eq!(m.slots.0[47], 3);
}

#[test]
fn wrong_length_byte_is_rejected_strictly_and_tolerated_leniently() {
    let mut bytes = YkcFrame::new(Seq::default(), YkcMessage::ModelReply(billing_model()))
        .encode()
        .unwrap();
    bytes[1] = 0x5A; // real platforms send this; the CRC does not cover the length byte
    let e = YkcFrame::decode(&bytes, &DecodeContext::STRICT).unwrap_err();
    assert_eq!(e.offset, bytes.len() - 4);
    assert!(
        matches!(e.kind, DecodeErrorKind::TrailingBytes { count: 4 }),
        "{e}"
    );
    let f = lenient(&bytes);
    assert!(matches!(f.message, YkcMessage::ModelReply(_)));
    assert_eq!(
        f.deviations.iter().next(),
        Some(&Deviation::LengthField {
            declared: 86,
            expected: 90
        })
    );

    // and in a stream, the lenient decoder finds the frame's real end from the frame type
    let mut stream = bytes.clone();
    stream.extend_from_slice(&vector("0x03"));
    let mut dec = StreamDecoder::new(Dialect::Ykc, DecodeOptions::LENIENT);
    let items = dec.feed_collect(&stream);
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(
        matches!(&items[0], StreamItem::Frame { offset: 0, frame: Frame::Ykc(f) } if f.deviations.len() == 1)
    );
    let mut dec = StreamDecoder::new(Dialect::Ykc, DecodeOptions::STRICT);
    let items = dec.feed_collect(&stream);
    assert!(
        items
            .iter()
            .any(|i| matches!(i, StreamItem::Frame { offset: 98, .. })),
        "{items:?}"
    );
}

#[test]
fn long_body_is_rejected_strictly_and_kept_leniently() {
    let mut frame = strict(&vector("0x03"));
    frame.extra = alloc::vec![0xAA, 0xBB];
    let bytes = frame.encode().unwrap();
    assert_eq!(bytes[1], 0x0F);
    let e = YkcFrame::decode(&bytes, &DecodeContext::STRICT).unwrap_err();
    assert_eq!(
        e.kind,
        DecodeErrorKind::LengthMismatch {
            declared: 11,
            expected: 9
        }
    );
    assert_eq!(e.offset, 1);
    let f = lenient(&bytes);
    assert_eq!(f.extra, [0xAA, 0xBB]);
    assert_eq!(
        f.deviations.iter().next(),
        Some(&Deviation::LongBody { extra: 2 })
    );
    assert_eq!(f.encode().unwrap(), bytes);
}

#[test]
fn hex_letters_in_sim_are_kept() {
    let YkcMessage::Login(mut login) = strict(&vector("0x01")).message else {
        panic!()
    };
    login.sim = SimNumber::from_digits("898604D1192380011234").unwrap();
    let bytes = YkcFrame::new(Seq::default(), YkcMessage::Login(login))
        .encode()
        .unwrap();
    let f = strict(&bytes);
    let YkcMessage::Login(m) = &f.message else {
        panic!()
    };
    assert_eq!(m.sim.to_string(), "898604d1192380011234");
    assert!(f.deviations.is_empty());
}

#[test]
fn bad_bcd_in_pile_code_is_an_error_with_offset_strictly() {
    let mut bytes = vector("0x03");
    bytes[8] = 0x0C;
    let n = bytes.len();
    let crc = crc16_modbus(&bytes[2..n - 2]);
    bytes[n - 2..].copy_from_slice(&crc.to_le_bytes());
    let e = YkcFrame::decode(&bytes, &DecodeContext::STRICT).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::InvalidBcd { byte: 0x0C });
    assert_eq!(e.offset, 8);
    assert_eq!(e.field, Some("pile_code"));
    assert_eq!(
        e.to_string(),
        "at byte 8: `0C` is not a BCD byte (nibble above 9) (field `pile_code`)"
    );
    let f = lenient(&bytes);
    assert_eq!(
        f.deviations.iter().next(),
        Some(&Deviation::InvalidBcd { offset: 6 })
    );
}

#[test]
fn bad_checksum_is_rejected_in_both_policies_unless_turned_off() {
    let mut bytes = vector("0x03");
    let n = bytes.len();
    bytes[n - 1] ^= 0xFF;
    for opts in [DecodeContext::STRICT, DecodeContext::LENIENT] {
        let e = YkcFrame::decode(&bytes, &opts).unwrap_err();
        assert!(
            matches!(
                e.kind,
                DecodeErrorKind::ChecksumMismatch {
                    computed: 0x1AF1,
                    ..
                }
            ),
            "{e}"
        );
        assert_eq!(e.offset, n - 2);
    }
    let f = YkcFrame::decode(&bytes, &DecodeContext::STRICT.with_checksum_check(false)).unwrap();
    assert!(matches!(
        f.deviations.iter().next(),
        Some(Deviation::ChecksumMismatch { .. })
    ));
}

#[test]
fn malformed_envelopes_name_what_and_where() {
    let bytes = vector("0x03");
    let e = YkcFrame::decode(&bytes[..10], &DecodeContext::STRICT).unwrap_err();
    assert_eq!(
        e.kind,
        DecodeErrorKind::Truncated {
            needed: 17,
            available: 10
        }
    );
    let e = YkcFrame::decode(&[0x69, 0, 0, 0, 0, 0, 0, 0], &DecodeContext::STRICT).unwrap_err();
    assert_eq!(
        (e.kind, e.offset),
        (DecodeErrorKind::BadStart { found: 0x69 }, 0)
    );
    let e = YkcFrame::decode(&[0x68, 2, 0, 0, 0, 0, 0, 0], &DecodeContext::STRICT).unwrap_err();
    assert_eq!(
        (e.kind, e.offset),
        (DecodeErrorKind::BadLength { declared: 2 }, 1)
    );
    assert!(YkcFrame::decode(&[], &DecodeContext::STRICT).is_err());
}

#[test]
fn unknown_and_encrypted_frames_keep_their_bodies() {
    let frame = YkcFrame::new(
        Seq([0, 7]),
        YkcMessage::Unknown(Opaque {
            frame_type: 0x99,
            body: alloc::vec![1, 2, 3],
        }),
    );
    let bytes = frame.encode().unwrap();
    assert_eq!(strict(&bytes), frame);
    let mut enc = frame.clone();
    enc.encryption = 1;
    enc.message = YkcMessage::Encrypted(Opaque {
        frame_type: 0x13,
        body: alloc::vec![9; 16],
    });
    let got = strict(&enc.encode().unwrap());
    assert_eq!(got, enc);
    assert_eq!(got.frame_type(), FrameType(0x13));
}

#[test]
fn every_frame_type_has_its_reference_body_size() {
    let sizes: &[(u8, usize)] = &[
        (0x01, 30),
        (0x02, 8),
        (0x03, 9),
        (0x04, 9),
        (0x05, 9),
        (0x06, 10),
        (0x09, 7),
        (0x0A, 90),
        (0x12, 8),
        (0x13, 60),
        (0x15, 73),
        (0x17, 45),
        (0x19, 39),
        (0x1B, 32),
        (0x1D, 28),
        (0x21, 28),
        (0x23, 44),
        (0x25, 31),
        (0x31, 51),
        (0x32, 38),
        (0x33, 26),
        (0x34, 44),
        (0x35, 10),
        (0x36, 8),
        (0x3B, 158),
        (0x40, 17),
        (0x41, 16),
        (0x42, 20),
        (0x43, 9),
        (0x44, 8),
        (0x45, 7),
        (0x46, 8),
        (0x47, 7),
        (0x48, 8),
        (0x51, 8),
        (0x52, 9),
        (0x55, 14),
        (0x56, 14),
        (0x57, 8),
        (0x58, 90),
        (0x61, 16),
        (0x62, 13),
        (0x63, 13),
        (0x91, 8),
        (0x92, 8),
        (0x93, 8),
        (0x94, 94),
        (0xA1, 58),
        (0xA2, 44),
        (0xA3, 33),
        (0xA4, 50),
        (0xF0, 9),
        (0xF1, 8),
    ];
    assert_eq!(sizes.len(), FRAME_TYPES.len());
    for &(code, len) in sizes {
        assert_eq!(
            layout(FrameType(code)).map(|l| l.0),
            Some(len),
            "0x{code:02X}"
        );
    }
}

#[test]
fn offline_card_lists_follow_their_counts() {
    let card = |n: u8| OfflineCard {
        logical_card: LogicalCard::from_u64(u64::from(n)).unwrap(),
        physical_card: PhysicalCard::default(),
    };
    let m = OfflineCardSync {
        pile_code: pile("32010200000001"),
        cards: alloc::vec![card(1), card(2)],
    };
    let bytes = YkcFrame::new(Seq::default(), YkcMessage::OfflineCardSync(m.clone()))
        .encode()
        .unwrap();
    assert_eq!(bytes.len(), OVERHEAD + 8 + 32);
    assert_eq!(strict(&bytes).message, YkcMessage::OfflineCardSync(m));
    // a count larger than the body is a clear error
    let mut bad = bytes.clone();
    bad[6 + 7] = 3;
    let n = bad.len();
    let crc = crc16_modbus(&bad[2..n - 2]);
    bad[n - 2..].copy_from_slice(&crc.to_le_bytes());
    let e = YkcFrame::decode(&bad, &DecodeContext::STRICT).unwrap_err();
    assert!(
        matches!(
            e.kind,
            DecodeErrorKind::Truncated {
                needed: 48,
                available: 32
            }
        ),
        "{e}"
    );
    assert_eq!(e.field, Some("cards"));
}

#[test]
fn transaction_record_layout() {
    let usage = |p, e, a| ClassUsage {
        price: EnergyPrice(p),
        energy: Energy(e),
        loss_energy: Energy(e),
        amount: Money(a),
    };
    let t = |h, m| LocalDateTime::new(2024, 5, 1, h, m, 0, 0).unwrap();
    let rec = TransactionRecord {
        trade_serial: TradeSerial::from_digits("32010200000001012405011200000001").unwrap(),
        pile_code: pile("32010200000001"),
        gun: 1,
        start_time: t(12, 0),
        end_time: t(13, 30),
        sharp: usage(0, 0, 0),
        peak: usage(90_000, 1_650, 1_400),
        flat: usage(0, 0, 0),
        valley: usage(0, 0, 0),
        meter_start: Energy(1 << 33),
        meter_stop: Energy((1 << 33) + 1_650),
        total_energy: Energy(1_650),
        total_loss_energy: Energy(1_650),
        total_amount: Money(1_400),
        vin: crate::codec::fields::Ascii::new("LSVAU2180N2183294").unwrap(),
        trade_kind: TradeKind::App,
        trade_time: t(13, 31),
        stop_reason: StopReason::SocFull,
        physical_card: PhysicalCard::default(),
    };
    let frame = YkcFrame::new(Seq::from_be(0x46), YkcMessage::TransactionRecord(rec));
    let bytes = frame.encode().unwrap();
    assert_eq!(bytes[1], 0xA2);
    let got = strict(&bytes);
    assert_eq!(got, frame);
    let YkcMessage::TransactionRecord(r) = got.message else {
        panic!()
    };
    assert_eq!(r.peak.amount.to_string(), "0.1400 yuan");
    assert_eq!(r.meter_stop.0 - r.meter_start.0, 1_650);
    assert!(r.stop_reason.is_completed());
    assert_eq!(r.vin.as_str(), Some("LSVAU2180N2183294"));
}

#[test]
fn start_request_vin_is_reversed_on_the_wire() {
    let m = StartRequest {
        pile_code: pile("32010200000001"),
        gun: 1,
        start_mode: StartMode::Vin,
        password_required: 0,
        card: PhysicalCard::default(),
        password_md5: HexBytes([0; 16]),
        vin: crate::codec::fields::Ascii::new("LSVAU2180N2183294").unwrap(),
    };
    let bytes = YkcFrame::new(Seq::default(), YkcMessage::StartRequest(m.clone()))
        .encode()
        .unwrap();
    assert_eq!(&bytes[6 + 34..6 + 37], b"492");
    assert_eq!(strict(&bytes).message, YkcMessage::StartRequest(m));
}

#[test]
fn hardware_fault_bits_map_both_ways() {
    let f = HardwareFaults(0b1001);
    assert_eq!(
        f.names(FaultBitOrder::Bit1IsLsb).collect::<Vec<_>>(),
        ["emergency_stop", "ac_surge_protector"]
    );
    assert_eq!(
        HardwareFaults(0x8000)
            .names(FaultBitOrder::Bit1IsMsb)
            .collect::<Vec<_>>(),
        ["emergency_stop"]
    );
    assert_eq!(
        HardwareFaults(0x8000)
            .names(FaultBitOrder::Bit1IsLsb)
            .collect::<Vec<_>>(),
        ["bit16"]
    );
}

fn arb_frame() -> impl Strategy<Value = YkcFrame> {
    (
        any::<[u8; 2]>(),
        any::<bool>(),
        YkcMessage::arbitrary_catalogued(),
    )
        .prop_map(|(seq, high, message)| YkcFrame {
            checksum_order: if high {
                ByteOrder::HighByteFirst
            } else {
                ByteOrder::LowByteFirst
            },
            ..YkcFrame::new(Seq(seq), message)
        })
        .prop_map(|mut f| {
            // a CRC whose two bytes are equal reads the same in both orders
            let bytes = f.encode().unwrap();
            if bytes[bytes.len() - 1] == bytes[bytes.len() - 2] {
                f.checksum_order = ByteOrder::LowByteFirst;
            }
            f
        })
}

proptest! {
    #[test]
    fn every_message_roundtrips(frame in arb_frame()) {
        let bytes = frame.encode().unwrap();
        let back = YkcFrame::decode(&bytes, &DecodeContext::STRICT).unwrap();
        prop_assert_eq!(&back, &frame);
        prop_assert_eq!(back.encode().unwrap(), bytes);
    }

    #[test]
    fn any_chunking_of_frames_and_garbage_yields_exactly_the_frames(
        parts in proptest::collection::vec(
            prop_oneof![
                arb_frame().prop_map(Ok),
                proptest::collection::vec(any::<u8>().prop_filter("not a start byte", |b| *b != START), 1..40).prop_map(Err),
            ],
            0..12,
        ),
        cuts in proptest::collection::vec(any::<proptest::sample::Index>(), 0..10),
    ) {
        let mut stream = Vec::new();
        let mut expected = Vec::new();
        for p in &parts {
            match p {
                Ok(f) => {
                    expected.push((stream.len(), f.clone()));
                    f.encode_into(&mut stream).unwrap();
                }
                Err(g) => stream.extend_from_slice(g),
            }
        }
        let mut points: Vec<usize> = cuts.iter().map(|i| i.index(stream.len() + 1)).collect();
        points.push(0);
        points.push(stream.len());
        points.sort_unstable();
        let mut dec = StreamDecoder::new(Dialect::Ykc, DecodeOptions::STRICT);
        let mut got = Vec::new();
        let mut skipped = 0;
        for w in points.windows(2) {
            for item in dec.feed_collect(&stream[w[0]..w[1]]).into_iter().chain(core::iter::empty()) {
                match item {
                    StreamItem::Frame { offset, frame: Frame::Ykc(f) } => got.push((offset, f)),
                    StreamItem::Skipped { len, .. } => skipped += len,
                    other => prop_assert!(false, "unexpected {:?}", other),
                }
            }
            prop_assert!(dec.buffered() <= dec.max_buffer());
        }
        for item in dec.finish_collect() {
            if let StreamItem::Skipped { len, .. } = item { skipped += len }
        }
        prop_assert_eq!(got, expected.clone());
        let framed: usize = expected.iter().map(|(_, f)| f.encode().unwrap().len()).sum();
        prop_assert_eq!(skipped + framed, stream.len());
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = YkcFrame::decode(&bytes, &DecodeContext::LENIENT);
        let _ = YkcFrame::decode(&bytes, &DecodeContext::STRICT.with_checksum_check(false));
        let mut dec = StreamDecoder::new(Dialect::Ykc, DecodeOptions::LENIENT);
        let _ = dec.feed_collect(&bytes);
    }
}

#[test]
fn acknowledgements_echo_seq_and_crc_order() {
    let mut bytes = vector("0x03");
    let n = bytes.len();
    bytes.swap(n - 2, n - 1);
    let f = strict(&bytes);
    let ack = f.acknowledgement().unwrap();
    assert_eq!(
        ack.message,
        YkcMessage::HeartbeatReply(HeartbeatReply {
            pile_code: pile("32010200000001"),
            gun: 1,
            reply: 0,
        })
    );
    assert_eq!(ack.seq, f.seq);
    assert_eq!(ack.checksum_order, ByteOrder::HighByteFirst);
    // a login needs the platform's decision
    assert_eq!(strict(&vector("0x01")).acknowledgement(), None);
    // a transaction record is accepted with its serial
    let ack = strict(&vector("0x40"));
    let YkcMessage::TransactionAck(expected) = &ack.message else {
        panic!("not an ack")
    };
    let record = YkcFrame::new(
        ack.seq,
        YkcMessage::TransactionRecord(TransactionRecord {
            trade_serial: expected.trade_serial,
            ..record_fixture()
        }),
    );
    let got = record.acknowledgement().unwrap();
    assert_eq!(
        got.message,
        YkcMessage::TransactionAck(TransactionAck {
            trade_serial: expected.trade_serial,
            result: RecordCheck::Accepted,
        })
    );
}

fn record_fixture() -> TransactionRecord {
    let usage = |p, e, a| ClassUsage {
        price: EnergyPrice(p),
        energy: Energy(e),
        loss_energy: Energy(e),
        amount: Money(a),
    };
    let t = |h, m| LocalDateTime::new(2024, 5, 1, h, m, 0, 0).unwrap();
    TransactionRecord {
        trade_serial: TradeSerial::from_digits("32010200000001012405011200000001").unwrap(),
        pile_code: pile("32010200000001"),
        gun: 1,
        start_time: t(12, 0),
        end_time: t(13, 30),
        sharp: usage(0, 0, 0),
        peak: usage(90_000, 1_650, 1_400),
        flat: usage(0, 0, 0),
        valley: usage(0, 0, 0),
        meter_start: Energy(1 << 33),
        meter_stop: Energy((1 << 33) + 1_650),
        total_energy: Energy(1_650),
        total_loss_energy: Energy(1_650),
        total_amount: Money(1_400),
        vin: crate::codec::fields::Ascii::new("LSVAU2180N2183294").unwrap(),
        trade_kind: TradeKind::App,
        trade_time: t(13, 31),
        stop_reason: StopReason::SocFull,
        physical_card: PhysicalCard::default(),
    }
}

#[cfg(feature = "serde")]
proptest! {
    /// The canonical JSON of any frame reads back as an `AnyFrame` that encodes to the same
    /// bytes, and the bytes decode (dialect detected) to the same frame.
    #[test]
    fn json_of_any_frame_encodes_to_the_same_bytes(frame in arb_frame()) {
        let bytes = frame.encode().unwrap();
        let any = Frame::decode(&bytes, &DecodeContext::STRICT).unwrap();
        prop_assert_eq!(&any, &Frame::Ykc(frame.clone()));
        let json = serde_json::to_string(&any).unwrap();
        let back: Frame = serde_json::from_str(&json)
            .map_err(|e| TestCaseError::fail(alloc::format!("{e}: {json}")))?;
        prop_assert_eq!(back.encode().unwrap(), bytes);
        prop_assert_eq!(back, any);
    }
}
