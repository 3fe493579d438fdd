//! Feeds a capture to the streaming decoder in small, arbitrary chunks — the way TCP delivers
//! it — and prints each frame in the canonical JSON form.
//!
//! ```sh
//! cargo run -p pilekit-examples --example stream_decode -- examples/captures/ykc-session.hex
//! ```

use pilekit::codec::DecodeOptions;
use pilekit::codec::stream::{StreamDecoder, StreamItem};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "examples/captures/ykc-session.hex".into());
    let text = std::fs::read_to_string(&path)?;
    let hex: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join(" ");
    let bytes = pilekit::hex::decode(&hex)?;

    let mut decoder = StreamDecoder::auto(DecodeOptions::LENIENT);
    for chunk in bytes.chunks(7) {
        decoder.feed(chunk, |item| match item {
            StreamItem::Frame { offset, frame } => {
                let json = serde_json::to_string(&frame).unwrap_or_default();
                println!("@{offset} {json}");
            }
            StreamItem::Skipped { offset, len, .. } => eprintln!("skipped {len} bytes at {offset}"),
            StreamItem::Error(e) => eprintln!("error {e}"),
            _ => {}
        });
    }
    decoder.finish(|item| eprintln!("left over: {item:?}"));
    Ok(())
}
