//! Decoding throughput: single frames (CRC checked) and the streaming decoder over a mixed
//! corpus.
//!
//! ```sh
//! cd benches && cargo bench --bench codec
//! ```

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pilekit::codec::{DecodeContext, DecodeOptions};
use pilekit::codec::dny::DnyFrame;
use pilekit::codec::juy::{JuyFrame, JuyMessage, PortData, PortSample, PortSamples};
use pilekit::codec::stream::{StreamDecoder, StreamItem};
use pilekit::codec::ykc::YkcFrame;
use pilekit::{Energy, Money, Power, Seconds, Temperature, Voltage};

const CAPTURE: &str = include_str!("../../examples/captures/ykc-session.hex");

/// The frames of the shipped capture.
fn capture_frames() -> Vec<Vec<u8>> {
    CAPTURE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| pilekit::hex::decode(l).expect("capture is hex"))
        .collect()
}

fn frame_of_type(frames: &[Vec<u8>], ty: u8) -> Vec<u8> {
    frames.iter().find(|f| f[5] == ty).cloned().expect("frame type in capture")
}

fn ykc_frames(c: &mut Criterion) {
    let frames = capture_frames();
    let opts = DecodeOptions::STRICT;
    let mut g = c.benchmark_group("ykc_decode");
    for (name, ty) in [("0x13_real_time_data", 0x13), ("0x3B_transaction_record", 0x3B)] {
        let bytes = frame_of_type(&frames, ty);
        g.throughput(Throughput::Elements(1));
        g.bench_function(name, |b| b.iter(|| YkcFrame::decode(black_box(&bytes), &DecodeContext::new(opts)).expect("decodes")));
    }
    g.finish();
}

fn ykc_stream(c: &mut Criterion) {
    let frames = capture_frames();
    // a mixed corpus: the session's frames repeated, to about 1 MiB
    let mut corpus = Vec::new();
    while corpus.len() < 1 << 20 {
        for f in &frames {
            corpus.extend_from_slice(f);
        }
    }
    let mut g = c.benchmark_group("ykc_stream");
    g.throughput(Throughput::Bytes(corpus.len() as u64));
    for chunk in [1460usize, 64 * 1024] {
        g.bench_function(format!("mixed_corpus_chunks_{chunk}"), |b| {
            b.iter(|| {
                let mut dec = StreamDecoder::new(pilekit::Dialect::Ykc, DecodeOptions::STRICT);
                let mut n = 0usize;
                for c in corpus.chunks(chunk) {
                    dec.feed(black_box(c), |item| {
                        if matches!(item, StreamItem::Frame { .. }) {
                            n += 1;
                        }
                    });
                }
                n
            })
        });
    }
    g.finish();
}

/// A DNY vector by command code.
fn dny_vector(cmd: &str) -> Vec<u8> {
    include_str!("../../testdata/vectors/dny.tsv")
        .lines()
        .find(|l| l.starts_with(cmd))
        .and_then(|l| l.split('\t').nth(1))
        .map(|h| pilekit::hex::decode(h).expect("vector is hex"))
        .expect("vector")
}

/// A JUY 0x88 port-data frame of a 10-socket pile with four sockets busy.
fn juy_port_data() -> Vec<u8> {
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
    let ports = PortSamples::from_samples(&[sample(1), sample(3), sample(4), sample(9)]).expect("4 ports");
    let data = PortData { voltage: Voltage(2231), temperature: Temperature::from_celsius(28), ports };
    JuyFrame::new(JuyMessage::PortData(data)).encode().expect("encodes")
}

fn ebike_frames(c: &mut Criterion) {
    let opts = DecodeOptions::STRICT;
    let mut g = c.benchmark_group("ebike_decode");
    g.throughput(Throughput::Elements(1));
    for (name, cmd) in [("dny_0x06_port_power", "0x06"), ("dny_0x03_settlement", "0x03")] {
        let bytes = dny_vector(cmd);
        g.bench_function(name, |b| {
            b.iter(|| DnyFrame::decode(black_box(&bytes), &DecodeContext::new(opts)).expect("decodes"))
        });
    }
    let juy = juy_port_data();
    g.bench_function("juy_0x88_port_data", |b| {
        b.iter(|| JuyFrame::decode(black_box(&juy), &DecodeContext::new(opts)).expect("decodes"))
    });
    g.finish();
}

criterion_group!(benches, ykc_frames, ykc_stream, ebike_frames);
criterion_main!(benches);
