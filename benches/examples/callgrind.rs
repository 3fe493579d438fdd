//! A harness for instruction counts under callgrind: decodes one input `N` times.
//!
//! ```sh
//! scripts/callgrind.sh          # every input, instructions per decode (or per byte)
//! ```
//!
//! `cargo run --release --example callgrind -- INPUT N` with INPUT one of `ykc_0x13`,
//! `ykc_0x3b`, `dny_0x06`, `dny_0x03`, `juy_0x88`, `ykc_stream` (the 1 MiB corpus, 1460-byte
//! chunks). The script runs each input with N = 0 and N = 1000 and divides the difference, so
//! setup costs cancel out.

use std::hint::black_box;

use pilekit::codec::dny::DnyFrame;
use pilekit::codec::juy::JuyFrame;
use pilekit::codec::stream::{StreamDecoder, StreamItem};
use pilekit::codec::ykc::YkcFrame;
use pilekit::codec::{DecodeContext, DecodeOptions};

#[path = "../benches/inputs.rs"]
mod inputs;
use inputs::*;

fn main() {
    let mut args = std::env::args().skip(1);
    let input = args.next().expect("INPUT");
    let n: u32 = args.next().expect("N").parse().expect("N is a number");
    let ctx = DecodeContext::new(DecodeOptions::STRICT);
    let frames = capture_frames();
    match input.as_str() {
        "ykc_0x13" | "ykc_0x3b" => {
            let bytes = frame_of_type(&frames, if input == "ykc_0x13" { 0x13 } else { 0x3B });
            for _ in 0..n {
                black_box(YkcFrame::decode(black_box(&bytes), &ctx).expect("decodes"));
            }
        }
        "dny_0x06" | "dny_0x03" => {
            let bytes = dny_vector(&input[4..]);
            for _ in 0..n {
                black_box(DnyFrame::decode(black_box(&bytes), &ctx).expect("decodes"));
            }
        }
        "juy_0x88" => {
            let bytes = juy_port_data();
            for _ in 0..n {
                black_box(JuyFrame::decode(black_box(&bytes), &ctx).expect("decodes"));
            }
        }
        "ykc_stream" => {
            let corpus = ykc_corpus();
            // n counts passes over 1/1000 of the corpus, so N = 1000 is one pass.
            let part = &corpus[..corpus.len() / 1000 * (n as usize).min(1000)];
            let mut dec = StreamDecoder::new(pilekit::Dialect::Ykc, DecodeOptions::STRICT);
            let mut frames = 0usize;
            for c in part.chunks(1460) {
                dec.feed(black_box(c), |item| {
                    if matches!(item, StreamItem::Frame { .. }) {
                        frames += 1;
                    }
                });
            }
            black_box(frames);
        }
        other => panic!("unknown input {other}"),
    }
}
