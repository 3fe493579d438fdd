//! Differential test of the YKC stream decoder: chunked feeding versus one single feed.
//!
//! Input layout: `ctl`, then `ctl & 7` chunk-size bytes, then the stream.
//! `ctl & 0x80` selects LENIENT instead of STRICT (STRICT is the main target; both are checked).
//! The stream is fed in chunks whose sizes cycle through the chunk-size bytes (0 = an empty
//! feed; when every size is 0 the stream is fed byte by byte).
//!
//! Asserted:
//! - `buffered() <= max_buffer()` after every feed, and `position()` counts every byte fed;
//! - the chunked and the single-feed decoders yield the same frames and errors, in the same
//!   order, at the same offsets; `Skipped` items may be split differently at chunk boundaries,
//!   so adjacent skipped ranges are merged and the merged ranges (hence the total skipped byte
//!   count) must be equal;
//! - every frame equals the one-shot `YkcFrame::decode` of its exact bytes (the input sliced
//!   at the frame's offset and its re-encoded length), deviations included;
//! - the end of a stream: a truncated frame header (`68 FF 00 00 00 00`, declaring 259 bytes)
//!   followed by the frames found above that carry no deviation, re-encoded, as long as the
//!   header stays incomplete: chunked as above, the decoder skips exactly the header (the reason
//!   says it was truncated) and then yields each of those frames, equal to its one-shot decode.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pilekit::codec::AnyFrame as Frame;
use pilekit::codec::stream::{StreamDecoder, StreamItem};
use pilekit::codec::ykc::YkcFrame;
use pilekit::codec::{DecodeContext, DecodeOptions, Dialect};

#[derive(Debug, PartialEq)]
enum Norm {
    Frame(usize, YkcFrame),
    Error(pilekit::DecodeError),
}

#[derive(Default, Debug)]
struct Summary {
    items: Vec<Norm>,
    /// Merged skipped ranges, `(offset, len)`.
    skipped: Vec<(usize, usize)>,
}

impl Summary {
    fn push(&mut self, item: StreamItem) {
        match item {
            StreamItem::Frame {
                offset,
                frame: Frame::Ykc(f),
            } => self.items.push(Norm::Frame(offset, f)),
            StreamItem::Skipped { offset, len, .. } => {
                assert!(len > 0, "empty Skipped item at {offset}");
                match self.skipped.last_mut() {
                    Some((o, l)) if *o + *l == offset => *l += len,
                    _ => self.skipped.push((offset, len)),
                }
            }
            StreamItem::Error(e) => self.items.push(Norm::Error(e)),
            other => panic!("unexpected item {other:?}"),
        }
    }
    fn skipped_total(&self) -> usize {
        self.skipped.iter().map(|(_, l)| l).sum()
    }
}

/// Feeds `stream` in chunks cycling through `sizes`, then finishes.
fn run(stream: &[u8], sizes: &[usize], opts: DecodeOptions) -> Vec<StreamItem> {
    let mut d = StreamDecoder::new(Dialect::Ykc, opts);
    let mut items = Vec::new();
    let mut pos = 0;
    let mut i = 0;
    while pos < stream.len() {
        let n = sizes[i % sizes.len()].min(stream.len() - pos);
        i += 1;
        d.feed(&stream[pos..pos + n], |item| items.push(item.clone()));
        pos += n;
        check_bound(&d, pos);
    }
    d.finish(|item| items.push(item.clone()));
    assert_eq!(d.buffered(), 0);
    assert_eq!(d.position(), stream.len());
    items
}

/// A YKC header declaring a 259-byte frame of a type without a fixed layout.
const TRUNCATED: [u8; 6] = [0x68, 0xFF, 0x00, 0x00, 0x00, 0x00];

/// The truncated header, then `frames` (each exactly one frame's bytes): the header is skipped
/// at the end of the stream and every frame behind it is found.
fn check_stream_end(frames: &[Vec<u8>], sizes: &[usize], opts: DecodeOptions) {
    let mut stream = TRUNCATED.to_vec();
    let mut expected = Vec::new();
    for bytes in frames {
        if stream.len() + bytes.len() >= 259 {
            break; // the header would complete
        }
        let frame = YkcFrame::decode(
            bytes,
            &DecodeContext::new(opts).with_base_offset(stream.len()),
        )
        .unwrap_or_else(|e| panic!("a re-encoded frame does not decode: {e:?}"));
        expected.push(StreamItem::Frame {
            offset: stream.len(),
            frame: Frame::Ykc(frame),
        });
        stream.extend_from_slice(bytes);
    }
    let items = run(&stream, sizes, opts);
    let Some((
        StreamItem::Skipped {
            offset: 0,
            len,
            reason: Some(reason),
        },
        rest,
    )) = items.split_first()
    else {
        panic!("the truncated header is not skipped first: {items:?}");
    };
    assert_eq!(*len, TRUNCATED.len(), "{items:?}");
    assert_eq!(
        reason.kind,
        pilekit::DecodeErrorKind::Truncated {
            needed: 259,
            available: stream.len()
        }
    );
    assert_eq!(
        rest,
        expected.as_slice(),
        "frames behind a truncated header are lost"
    );
}

fn check_bound(d: &StreamDecoder, fed: usize) {
    assert!(
        d.buffered() <= d.max_buffer(),
        "buffered {} > max_buffer {}",
        d.buffered(),
        d.max_buffer()
    );
    assert_eq!(d.position(), fed, "position() does not count the bytes fed");
}

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, rest)) = data.split_first() else {
        return;
    };
    let k = usize::from(ctl & 7);
    if rest.len() < k {
        return;
    }
    let (sizes, stream) = rest.split_at(k);
    let opts = if ctl & 0x80 != 0 {
        DecodeOptions::LENIENT
    } else {
        DecodeOptions::STRICT
    };
    let sizes: Vec<usize> = if sizes.iter().all(|&s| s == 0) {
        vec![1]
    } else {
        sizes.iter().map(|&s| usize::from(s)).collect()
    };

    // Chunked.
    let mut chunked = StreamDecoder::new(Dialect::Ykc, opts);
    let mut a = Summary::default();
    let mut pos = 0;
    let mut i = 0;
    while pos < stream.len() {
        let n = sizes[i % sizes.len()].min(stream.len() - pos);
        i += 1;
        for item in chunked.feed_collect(&stream[pos..pos + n]) {
            a.push(item);
        }
        pos += n;
        check_bound(&chunked, pos);
    }
    for item in chunked.finish_collect() {
        a.push(item);
    }
    assert_eq!(chunked.buffered(), 0);

    // One feed.
    let mut whole = StreamDecoder::new(Dialect::Ykc, opts);
    let mut b = Summary::default();
    for item in whole.feed_collect(stream) {
        b.push(item);
    }
    check_bound(&whole, stream.len());
    for item in whole.finish_collect() {
        b.push(item);
    }
    assert_eq!(whole.buffered(), 0);

    assert_eq!(
        a.items, b.items,
        "chunked and single-feed frames/errors differ"
    );
    assert_eq!(
        a.skipped_total(),
        b.skipped_total(),
        "skipped byte counts differ"
    );
    assert_eq!(a.skipped, b.skipped, "skipped ranges differ");

    // Every frame equals the one-shot decode of its exact bytes.
    for item in &b.items {
        let Norm::Frame(offset, frame) = item else {
            continue;
        };
        let len = match frame.encode() {
            Ok(enc) => enc.len(),
            Err(e) => {
                assert!(
                    opts == DecodeOptions::LENIENT && !frame.deviations.is_empty(),
                    "stream frame at {offset} does not re-encode: {e:?}\n{frame:?}"
                );
                continue;
            }
        };
        assert!(
            offset + len <= stream.len(),
            "frame at {offset} re-encodes to {len} bytes, past the end of the input ({})",
            stream.len()
        );
        let bytes = &stream[*offset..offset + len];
        let one_shot = YkcFrame::decode(bytes, &DecodeContext::new(opts).with_base_offset(*offset));
        assert_eq!(
            one_shot.as_ref(),
            Ok(frame),
            "stream frame at {offset} differs from one-shot decode of {}",
            pilekit::hex::encode(bytes)
        );
    }

    // The end of the stream, with the deviation-free frames found above.
    let frames: Vec<Vec<u8>> = b
        .items
        .iter()
        .filter_map(|item| match item {
            Norm::Frame(_, f) if f.deviations.is_empty() => f.encode().ok(),
            _ => None,
        })
        .collect();
    check_stream_end(&frames, &sizes, opts);
});
