//! Decoding throughput: single frames (CRC checked) and the streaming decoder over a mixed
//! corpus.
//!
//! ```sh
//! cd benches && cargo bench --bench codec
//! ```

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pilekit::codec::dny::DnyFrame;
use pilekit::codec::juy::JuyFrame;
use pilekit::codec::stream::{StreamDecoder, StreamItem};
use pilekit::codec::ykc::YkcFrame;
use pilekit::codec::{DecodeContext, DecodeOptions};

#[path = "inputs.rs"]
mod inputs;
use inputs::*;

fn ykc_frames(c: &mut Criterion) {
    let frames = capture_frames();
    let opts = DecodeOptions::STRICT;
    let mut g = c.benchmark_group("ykc_decode");
    for (name, ty) in [
        ("0x13_real_time_data", 0x13),
        ("0x3B_transaction_record", 0x3B),
    ] {
        let bytes = frame_of_type(&frames, ty);
        g.throughput(Throughput::Elements(1));
        g.bench_function(name, |b| {
            b.iter(|| {
                YkcFrame::decode(black_box(&bytes), &DecodeContext::new(opts)).expect("decodes")
            })
        });
    }
    g.finish();
}

fn ykc_stream(c: &mut Criterion) {
    // a mixed corpus: the session's frames repeated, to about 1 MiB
    let corpus = ykc_corpus();
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

fn ebike_frames(c: &mut Criterion) {
    let opts = DecodeOptions::STRICT;
    let mut g = c.benchmark_group("ebike_decode");
    g.throughput(Throughput::Elements(1));
    for (name, cmd) in [
        ("dny_0x06_port_power", "0x06"),
        ("dny_0x03_settlement", "0x03"),
    ] {
        let bytes = dny_vector(cmd);
        g.bench_function(name, |b| {
            b.iter(|| {
                DnyFrame::decode(black_box(&bytes), &DecodeContext::new(opts)).expect("decodes")
            })
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
