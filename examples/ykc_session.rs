//! Builds the frames of one YKC charging session, platform and pile side, and prints them as a
//! hex capture (the one shipped as `examples/captures/ykc-session.hex`).
//!
//! ```sh
//! cargo run -p pilekit-examples --example ykc_session > session.hex
//! pilekit decode --file session.hex
//! ```

use pilekit::codec::ByteOrder;
use pilekit::codec::fields::{Ascii, HexBytes};
use pilekit::codec::ykc::*;
use pilekit::{Current, Energy, EnergyPrice, LocalDateTime, Minutes, Money, Temperature, Voltage};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pile = PileCode::from_digits("32010200000001")?;
    let serial = TradeSerial::from_digits("32010200000001012411291903420001")?;
    let at = |h, m, s| LocalDateTime::new(2024, 11, 29, h, m, s, 0);
    let mut seq: u16 = 0;
    let mut frames: Vec<(&str, YkcFrame)> = Vec::new();
    let mut push = |note: &'static str, message: YkcMessage| {
        frames.push((note, YkcFrame::new(Seq::from_be(seq), message)));
        seq += 1;
    };

    push(
        "pile logs in",
        YkcMessage::Login(Login {
            pile_code: pile,
            pile_type: PileType::Dc,
            gun_count: 2,
            protocol_version: 0x0F,
            program_version: Ascii::new("V4.1.50").ok_or("version")?,
            network: NetworkType::Sim,
            sim: SimNumber::from_digits("898604D1192380011234")?,
            carrier: Carrier::ChinaMobile,
        }),
    );
    push(
        "platform accepts",
        YkcMessage::LoginReply(LoginReply {
            pile_code: pile,
            result: ZeroIsSuccess::Success,
        }),
    );
    push(
        "heartbeat, gun 1",
        YkcMessage::Heartbeat(Heartbeat {
            pile_code: pile,
            gun: 1,
            gun_condition: GunCondition::Normal,
        }),
    );
    push(
        "billing model check",
        YkcMessage::ModelCheckRequest(ModelCheckRequest {
            pile_code: pile,
            model_number: ModelNumber::from_digits("0000")?,
        }),
    );
    let rate = |e, s| ClassRate {
        energy: EnergyPrice(e),
        service: EnergyPrice(s),
    };
    let mut slots = [2u8; 48];
    slots[..16].fill(3); // 00:00-08:00 valley
    slots[20..24].fill(0); // 10:00-12:00 sharp
    slots[36..44].fill(1); // 18:00-22:00 peak
    push(
        "platform sends the time-of-use model",
        YkcMessage::ModelReply(BillingModel {
            pile_code: pile,
            model_number: ModelNumber::from_digits("0100")?,
            sharp: rate(120_000, 40_000),
            peak: rate(100_000, 40_000),
            flat: rate(70_000, 40_000),
            valley: rate(35_000, 40_000),
            loss_ratio: 0,
            slots: HalfHourSlots(slots),
        }),
    );
    push(
        "remote start from the app",
        YkcMessage::RemoteStart(RemoteStart {
            trade_serial: serial,
            pile_code: pile,
            gun: 1,
            logical_card: LogicalCard::from_digits("1000000000000001")?,
            physical_card: HexBytes([0; 8]),
            balance: Money::from_fen(10_000),
        }),
    );
    push(
        "pile started",
        YkcMessage::RemoteStartReply(RemoteStartReply {
            trade_serial: serial,
            pile_code: pile,
            gun: 1,
            result: OneIsSuccess::Success,
            failure: StartFailure::None,
        }),
    );
    for (minutes, energy, amount) in [(15u32, 46_000i64, 49_220i64), (30, 92_000, 98_440)] {
        push(
            "real-time data while charging",
            YkcMessage::RealTimeData(RealTimeData {
                trade_serial: serial,
                pile_code: pile,
                gun: 1,
                status: GunStatus::Charging,
                holstered: Holstered::No,
                plugged: Plugged::Yes,
                output_voltage: Voltage(3732),
                output_current: Current(101_200),
                gun_temperature: Temperature(350),
                gun_wire_code: HexBytes([0; 8]),
                soc: 60 + (minutes / 3) as u8,
                battery_max_temperature: Temperature(310),
                charged: Minutes(minutes),
                remaining: Minutes(90 - minutes),
                energy: Energy(energy),
                loss_energy: Energy(0),
                amount: Money(amount),
                faults: HardwareFaults(0),
            }),
        );
    }
    push(
        "remote stop",
        YkcMessage::RemoteStop(RemoteStop {
            pile_code: pile,
            gun: 1,
        }),
    );
    push(
        "pile stopped",
        YkcMessage::RemoteStopReply(RemoteStopReply {
            pile_code: pile,
            gun: 1,
            result: OneIsSuccess::Success,
            failure: StopFailure::None,
        }),
    );
    let usage = |p, e, a| ClassUsage {
        price: EnergyPrice(p),
        energy: Energy(e),
        loss_energy: Energy(0),
        amount: Money(a),
    };
    push(
        "transaction record",
        YkcMessage::TransactionRecord(TransactionRecord {
            trade_serial: serial,
            pile_code: pile,
            gun: 1,
            start_time: at(19, 3, 42)?,
            end_time: at(19, 33, 50)?,
            sharp: usage(160_000, 0, 0),
            peak: usage(140_000, 92_000, 128_800),
            flat: usage(110_000, 0, 0),
            valley: usage(75_000, 0, 0),
            meter_start: Energy(12_345_600),
            meter_stop: Energy(12_437_600),
            total_energy: Energy(92_000),
            total_loss_energy: Energy(0),
            total_amount: Money(128_800),
            vin: Ascii::new("LSVAU2180N2183294").ok_or("vin")?,
            trade_kind: TradeKind::App,
            trade_time: at(19, 33, 51)?,
            stop_reason: StopReason::AppStop,
            physical_card: HexBytes([0; 8]),
        }),
    );
    push(
        "platform confirms the record",
        YkcMessage::TransactionAck(TransactionAck {
            trade_serial: serial,
            result: RecordCheck::Accepted,
        }),
    );

    // a real DC pile's habit: the CRC of its uplinks high byte first
    if let Some((_, f)) = frames.iter_mut().find(|(n, _)| n.starts_with("heartbeat")) {
        f.checksum_order = ByteOrder::HighByteFirst;
    }
    println!(
        "# one YKC charging session (platform and pile interleaved); `pilekit decode --file` reads it"
    );
    for (note, frame) in &frames {
        println!("# {note}");
        println!("{}", pilekit::hex::encode_spaced(&frame.encode()?));
    }
    Ok(())
}
