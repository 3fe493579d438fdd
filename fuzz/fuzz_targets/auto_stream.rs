//! `StreamDecoder::auto(LENIENT)` over arbitrarily chunked input.
//!
//! Input layout: `ctl`, then `ctl & 7` chunk-size bytes, then the stream (sizes cycle; 0 is an
//! empty feed; all zero means byte by byte). `ctl & 0x08` sets the smallest buffer bound
//! (`with_max_buffer(0)`, clamped to 512); `ctl & 0x10` turns the checksum check off;
//! `ctl & 0x20` decodes STRICT instead of LENIENT.
//!
//! Asserted: no panic; `buffered() <= max_buffer()` after every feed; `position()` counts every
//! byte fed; nothing is left buffered after `finish`; every yielded frame (YKC, DNY, JUY at the
//! connection's energy resolution, which the frame keeps) re-encodes or carries a deviation explaining why not;
//! ICCID and `link` items appear only once DNY is detected, at offsets holding exactly their
//! bytes.
//!
//! Accounting: the items tile the input in order, each starting where the previous one ended,
//! so their offsets strictly increase and the spans add up to the input length. A DNY frame
//! spans `5 + LEN`, a JUY frame `4 + LEN`, an ICCID 20 bytes, `link` 4, a `Skipped` item its
//! `len`. An `Error` carries no start or length, but the stream flushes pending garbage before
//! it, so it starts where the previous item ended; in DNY/JUY it spans the declared length and
//! its error offset lies inside. YKC lengths depend on the lenient framer's choice (declared or
//! layout length), so a YKC frame's span is taken as its re-encoded length only when it has no
//! deviations; otherwise (and for YKC errors) only a lower bound is known and the next item's
//! offset must lie at or beyond it.
//!
//! The end of a stream: a truncated frame header of the detected dialect (YKC
//! `68 FF 00 00 00 00`, DNY `44 4E 59 FF 01`, JUY `5A A5 00 04 00`) followed by the frames found
//! above that carry no deviation, re-encoded, as long as the header stays incomplete: the
//! decoder detects the dialect from the header, skips exactly the header at the end (the reason
//! says it was truncated) and then yields each of those frames, equal to its one-shot decode
//! (JUY: a `JuyConnection` at the default options replayed over them).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pilekit::codec::AnyFrame as Frame;
use pilekit::codec::dny::DnyFrame;
use pilekit::codec::juy::{JuyConnection, JuyOptions};
use pilekit::codec::stream::{StreamDecoder, StreamItem};
use pilekit::codec::ykc::YkcFrame;
use pilekit::codec::{DecodeContext, DecodeOptions, Dialect};

/// A header declaring a frame longer than the rest of the stream will be, and that length.
fn truncated_header(dialect: Dialect) -> (&'static [u8], usize) {
    match dialect {
        Dialect::Ykc => (&[0x68, 0xFF, 0x00, 0x00, 0x00, 0x00], 259),
        Dialect::Dny => (b"DNY\xFF\x01", 516),
        _ => (&[0x5A, 0xA5, 0x00, 0x04, 0x00], 1028),
    }
}

/// The truncated header of `dialect`, then the deviation-free frames among `items`: at the end
/// of the stream the header is skipped and every frame behind it is found.
fn check_stream_end(dialect: Dialect, items: &[StreamItem], opts: DecodeOptions, sizes: &[usize]) {
    let (header, declared) = truncated_header(dialect);
    let mut stream = header.to_vec();
    let mut expected = Vec::new();
    let mut conn = JuyConnection::new(JuyOptions::default());
    let ctx = DecodeContext::new(opts);
    for item in items {
        let StreamItem::Frame { frame, .. } = item else {
            continue;
        };
        let bytes = match frame {
            Frame::Ykc(f) if f.deviations.is_empty() => f.encode(),
            Frame::Dny(f) if f.deviations.is_empty() => f.encode(),
            Frame::Juy(f) if f.deviations.is_empty() => f.encode(),
            _ => continue,
        };
        let Ok(bytes) = bytes else { continue };
        if stream.len() + bytes.len() >= declared {
            break; // the header would complete
        }
        let at = stream.len();
        let one_shot = match dialect {
            Dialect::Ykc => YkcFrame::decode(&bytes, &ctx.with_base_offset(at)).map(Frame::Ykc),
            Dialect::Dny => DnyFrame::decode(&bytes, &ctx.with_base_offset(at)).map(Frame::Dny),
            _ => conn
                .decode(&bytes, &ctx.with_base_offset(at))
                .map(Frame::Juy),
        };
        // (a frame the replayed connection reads differently is left out, with what follows)
        let Ok(frame) = one_shot else { break };
        expected.push(StreamItem::Frame { offset: at, frame });
        stream.extend_from_slice(&bytes);
    }
    let mut d = StreamDecoder::auto(opts);
    let mut got = Vec::new();
    let mut pos = 0;
    let mut i = 0;
    while pos < stream.len() {
        let n = sizes[i % sizes.len()].min(stream.len() - pos);
        i += 1;
        d.feed(&stream[pos..pos + n], |item| got.push(item.clone()));
        pos += n;
    }
    d.finish(|item| got.push(item.clone()));
    assert_eq!(d.position(), stream.len());
    assert_eq!(d.dialect(), Some(dialect));
    let Some((
        StreamItem::Skipped {
            offset: 0,
            len,
            reason: Some(reason),
        },
        rest,
    )) = got.split_first()
    else {
        panic!("the truncated header is not skipped first: {got:?}");
    };
    assert_eq!(*len, header.len(), "{got:?}");
    assert_eq!(
        reason.kind,
        pilekit::DecodeErrorKind::Truncated {
            needed: declared,
            available: stream.len()
        }
    );
    assert_eq!(
        rest,
        expected.as_slice(),
        "frames behind a truncated header are lost"
    );
}

fn check_encodes(frame: &Frame) {
    let (err, no_deviations) = match frame {
        Frame::Ykc(f) => (f.encode().err(), f.deviations.is_empty()),
        Frame::Dny(f) => (f.encode().err(), f.deviations.is_empty()),
        Frame::Juy(f) => (f.encode().err(), f.deviations.is_empty()),
        other => panic!("unknown frame {other:?}"),
    };
    if let Some(e) = err {
        assert!(
            !no_deviations,
            "frame without deviations does not encode: {e:?}\n{frame:?}"
        );
    }
}

#[derive(Debug, Clone, Copy)]
enum Cursor {
    /// The next item starts exactly here.
    Exact(usize),
    /// The next item starts here or later (after a YKC span of unknown length).
    AtLeast(usize),
}

impl Cursor {
    fn arrive(self, offset: usize, what: &str) {
        match self {
            Cursor::Exact(c) => assert_eq!(offset, c, "{what} not where the previous item ended"),
            Cursor::AtLeast(c) => assert!(offset >= c, "{what} at {offset}, before {c}"),
        }
    }
}

fn check_accounting(stream: &[u8], items: &[StreamItem], dialect: Option<Dialect>) {
    let declared = |d: Dialect, at: usize| -> Option<usize> {
        let b = &stream[at..];
        match d {
            Dialect::Dny => Some(5 + usize::from(u16::from_le_bytes([b[3], b[4]]))),
            Dialect::Juy => Some(4 + usize::from(u16::from_le_bytes([b[2], b[3]]))),
            _ => None,
        }
    };
    let mut cursor = Cursor::Exact(0);
    for item in items {
        cursor = match item {
            StreamItem::Frame { offset, frame } => {
                cursor.arrive(*offset, "frame");
                assert_eq!(Some(frame.dialect()), dialect, "frame of another dialect");
                match frame {
                    Frame::Ykc(f) => match f.encode() {
                        Ok(enc) if f.deviations.is_empty() => {
                            assert_eq!(
                                stream.get(*offset..offset + enc.len()),
                                Some(enc.as_slice()),
                                "YKC frame without deviations at {offset} is not its encoding"
                            );
                            Cursor::Exact(offset + enc.len())
                        }
                        _ => Cursor::AtLeast(offset + 1),
                    },
                    _ => Cursor::Exact(offset + declared(frame.dialect(), *offset).unwrap()),
                }
            }
            StreamItem::Iccid { offset, iccid } => {
                cursor.arrive(*offset, "ICCID");
                assert_eq!(dialect, Some(Dialect::Dny), "ICCID outside a DNY stream");
                assert_eq!(
                    &stream[*offset..offset + 20],
                    &iccid.0.0,
                    "ICCID bytes differ"
                );
                Cursor::Exact(offset + 20)
            }
            StreamItem::Link { offset } => {
                cursor.arrive(*offset, "link");
                assert_eq!(dialect, Some(Dialect::Dny), "link outside a DNY stream");
                assert_eq!(&stream[*offset..offset + 4], b"link", "link bytes differ");
                Cursor::Exact(offset + 4)
            }
            StreamItem::Skipped { offset, len, .. } => {
                cursor.arrive(*offset, "skipped run");
                assert!(*len > 0, "empty Skipped item at {offset}");
                Cursor::Exact(offset + len)
            }
            StreamItem::Error(e) => {
                let d = dialect.expect("an error before the dialect is known");
                match cursor {
                    Cursor::Exact(start) => {
                        assert!(
                            e.offset >= start,
                            "error offset {} before {start}",
                            e.offset
                        );
                        match declared(d, start) {
                            Some(len) => {
                                assert!(
                                    e.offset < start + len,
                                    "error offset {} beyond the frame {start}..{}",
                                    e.offset,
                                    start + len
                                );
                                Cursor::Exact(start + len)
                            }
                            None => Cursor::AtLeast(e.offset.max(start) + 1),
                        }
                    }
                    Cursor::AtLeast(c) => Cursor::AtLeast(c.max(e.offset) + 1),
                }
            }
            other => panic!("unexpected item {other:?}"),
        };
    }
    cursor.arrive(stream.len(), "end of input");
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
    let sizes: Vec<usize> = if sizes.iter().all(|&s| s == 0) {
        vec![1]
    } else {
        sizes.iter().map(|&s| usize::from(s)).collect()
    };
    let policy = if ctl & 0x20 != 0 {
        DecodeOptions::STRICT
    } else {
        DecodeOptions::LENIENT
    };
    let opts = policy.with_checksum_check(ctl & 0x10 == 0);
    let mut d = StreamDecoder::auto(opts);
    if ctl & 0x08 != 0 {
        d = d.with_max_buffer(0);
    }
    let mut items = Vec::new();
    let mut pos = 0;
    let mut i = 0;
    while pos < stream.len() {
        let n = sizes[i % sizes.len()].min(stream.len() - pos);
        i += 1;
        items.extend(d.feed_collect(&stream[pos..pos + n]));
        pos += n;
        assert!(
            d.buffered() <= d.max_buffer(),
            "buffered {} > max_buffer {}",
            d.buffered(),
            d.max_buffer()
        );
        assert_eq!(d.position(), pos);
    }
    items.extend(d.finish_collect());
    assert_eq!(d.buffered(), 0);
    assert_eq!(d.position(), stream.len());
    for item in &items {
        if let StreamItem::Frame { frame, .. } = item {
            check_encodes(frame);
        }
    }
    check_accounting(stream, &items, d.dialect());
    if let Some(dialect) = d.dialect() {
        check_stream_end(dialect, &items, opts, &sizes);
    }
});
