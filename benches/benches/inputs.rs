//! The inputs of the codec benchmarks, shared with the callgrind harness
//! (`examples/callgrind.rs`).

#![allow(dead_code)]

use pilekit::codec::juy::{JuyFrame, JuyMessage, PortData, PortSample, PortSamples};
use pilekit::{Energy, Money, Power, Seconds, Temperature, Voltage};

const CAPTURE: &str = include_str!("../../examples/captures/ykc-session.hex");

/// The frames of the shipped capture.
pub fn capture_frames() -> Vec<Vec<u8>> {
    CAPTURE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| pilekit::hex::decode(l).expect("capture is hex"))
        .collect()
}

pub fn frame_of_type(frames: &[Vec<u8>], ty: u8) -> Vec<u8> {
    frames
        .iter()
        .find(|f| f[5] == ty)
        .cloned()
        .expect("frame type in capture")
}

/// The capture's frames repeated to about 1 MiB: the stream benchmark's corpus.
pub fn ykc_corpus() -> Vec<u8> {
    let frames = capture_frames();
    let mut corpus = Vec::new();
    while corpus.len() < 1 << 20 {
        for f in &frames {
            corpus.extend_from_slice(f);
        }
    }
    corpus
}

/// A DNY vector by command code.
pub fn dny_vector(cmd: &str) -> Vec<u8> {
    include_str!("../../testdata/vectors/dny.tsv")
        .lines()
        .find(|l| l.starts_with(cmd))
        .and_then(|l| l.split('\t').nth(1))
        .map(|h| pilekit::hex::decode(h).expect("vector is hex"))
        .expect("vector")
}

/// A JUY 0x88 port-data frame of a 10-socket pile with four sockets busy.
pub fn juy_port_data() -> Vec<u8> {
    let sample = |port| PortSample {
        port,
        tier: 2,
        price: Money::from_fen(30),
        power: Power::from_watts(412),
        time: Seconds(3600),
        amount: Money::from_fen(30),
        energy: Energy::from_wh(415),
        temperature: Temperature::from_celsius(31),
    };
    let ports =
        PortSamples::from_samples(&[sample(1), sample(3), sample(4), sample(9)]).expect("4 ports");
    let data = PortData {
        voltage: Voltage(2231),
        temperature: Temperature::from_celsius(28),
        ports,
    };
    JuyFrame::new(JuyMessage::PortData(data))
        .encode()
        .expect("encodes")
}
