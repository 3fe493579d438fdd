//! Differential test of the DNY (and JUY) stream decoder: chunked feeding versus one single
//! feed, and every item against the one-shot decoders.
//!
//! Input layout: `ctl`, `opt`, then `ctl & 7` chunk-size bytes, then the stream (sizes cycle;
//! 0 is an empty feed; all zero means byte by byte).
//! - `ctl & 0x08`: the smallest buffer bound (`with_max_buffer(0)`, clamped to 512);
//! - `ctl & 0x10`: LENIENT instead of STRICT; `ctl & 0x20`: checksum check off;
//! - `ctl & 0x40`: `Dialect::Juy` instead of `Dialect::Dny`;
//! - `opt & 3`: direction, 1 `Some(Up)`, 2 `Some(Down)`, 0 and 3 `None`;
//! - JUY only: `opt & 4` energy resolution (`CentiKwh` when set), `(opt >> 3) & 3` the initial
//!   IMEI form (0 `Original`, 1 `WithImei`, 2 and 3 `Detect`), set with `with_juy_options`.
//!
//! Asserted:
//! - `buffered() <= max_buffer()` after every feed, `position()` counts every byte fed, nothing
//!   is left buffered after `finish`;
//! - the chunked and the single-feed decoders yield identical item lists (garbage runs are
//!   reported once, when the next item arrives or at finish, however they were chunked);
//! - the items tile the input: each `Frame`/`Iccid`/`Link`/`Skipped` starts where the previous
//!   item ended; a frame spans its declared length (DNY `5 + LEN`, JUY `4 + LEN`), an ICCID 20
//!   bytes, `link` 4, a `Skipped` item `len > 0` bytes, an `Error` the declared length of the
//!   frame at that point (its error offset lies inside it); the spans add up to the input length;
//! - `Iccid`/`Link` items appear only in DNY streams, at offsets whose bytes are exactly the
//!   ICCID / `link`;
//! - DNY: every frame (and every error) equals `DnyFrame::decode` of its exact bytes at its
//!   offset with the stream's options and direction;
//! - JUY: the connection's IMEI form changes with logins and login replies, so instead of a plain
//!   one-shot decode each frame/error is compared with a `JuyConnection` built with the same
//!   `JuyOptions` and replayed over the same frame bytes in stream order (`decode` decodes
//!   logins with `Detect` and `observe`s every frame, exactly what the stream must do);
//! - the end of a stream: a truncated frame header (DNY `44 4E 59 FF 01`, declaring 516 bytes;
//!   JUY `5A A5 00 04 00`, declaring 1028) followed by the frames found above that carry no
//!   deviation, re-encoded, as long as the header stays incomplete: chunked as above, the decoder
//!   skips exactly the header (the reason says it was truncated) and then yields each of those
//!   frames, equal to its one-shot decode (JUY: a fresh `JuyConnection` replayed over them).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pilekit::codec::AnyFrame as Frame;
use pilekit::codec::dny::DnyFrame;
use pilekit::codec::juy::{EnergyResolution, ImeiForm, JuyConnection, JuyOptions};
use pilekit::codec::stream::{StreamDecoder, StreamItem};
use pilekit::codec::{DecodeContext, DecodeOptions, Dialect, Direction};

fn check_bound(d: &StreamDecoder, fed: usize) {
    assert!(
        d.buffered() <= d.max_buffer(),
        "buffered {} > max_buffer {}",
        d.buffered(),
        d.max_buffer()
    );
    assert_eq!(d.position(), fed, "position() does not count the bytes fed");
}

/// A header declaring a frame longer than the rest of the stream will be, and that length.
fn truncated_header(dialect: Dialect) -> (&'static [u8], usize) {
    match dialect {
        Dialect::Dny => (b"DNY\xFF\x01", 516),
        _ => (&[0x5A, 0xA5, 0x00, 0x04, 0x00], 1028),
    }
}

/// The length a frame header at `bytes[0]` declares.
fn declared_len(dialect: Dialect, bytes: &[u8]) -> usize {
    match dialect {
        Dialect::Dny => 5 + usize::from(u16::from_le_bytes([bytes[3], bytes[4]])),
        _ => 4 + usize::from(u16::from_le_bytes([bytes[2], bytes[3]])),
    }
}

fuzz_target!(|data: &[u8]| {
    let [ctl, opt, rest @ ..] = data else {
        return;
    };
    let (ctl, opt) = (*ctl, *opt);
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
    let opts = if ctl & 0x10 != 0 {
        DecodeOptions::LENIENT
    } else {
        DecodeOptions::STRICT
    }
    .with_checksum_check(ctl & 0x20 == 0);
    let dialect = if ctl & 0x40 != 0 {
        Dialect::Juy
    } else {
        Dialect::Dny
    };
    let dir = match opt & 3 {
        1 => Some(Direction::Up),
        2 => Some(Direction::Down),
        _ => None,
    };
    let juy = JuyOptions::default()
        .with_energy_resolution(if opt & 4 != 0 {
            EnergyResolution::CentiKwh
        } else {
            EnergyResolution::MilliKwh
        })
        .with_imei_form(match (opt >> 3) & 3 {
            0 => ImeiForm::Original,
            1 => ImeiForm::WithImei,
            _ => ImeiForm::Detect,
        });
    let make = || {
        let mut d = StreamDecoder::new(dialect, opts)
            .with_direction(dir)
            .with_juy_options(juy);
        if ctl & 0x08 != 0 {
            d = d.with_max_buffer(0);
        }
        d
    };

    // Chunked.
    let mut chunked = make();
    let mut a = Vec::new();
    let mut pos = 0;
    let mut i = 0;
    while pos < stream.len() {
        let n = sizes[i % sizes.len()].min(stream.len() - pos);
        i += 1;
        a.extend(chunked.feed_collect(&stream[pos..pos + n]));
        pos += n;
        check_bound(&chunked, pos);
    }
    a.extend(chunked.finish_collect());
    assert_eq!(chunked.buffered(), 0);
    assert_eq!(chunked.position(), stream.len());

    // One feed.
    let mut whole = make();
    let mut b = whole.feed_collect(stream);
    check_bound(&whole, stream.len());
    b.extend(whole.finish_collect());
    assert_eq!(whole.buffered(), 0);
    assert_eq!(whole.position(), stream.len());

    assert_eq!(a, b, "chunked and single-feed items differ");

    // Tiling, and every item against the one-shot decoders.
    let mut conn = JuyConnection::new(juy);
    let mut cursor = 0;
    for item in &b {
        match item {
            StreamItem::Frame { offset, frame } => {
                assert_eq!(*offset, cursor, "frame not where the previous item ended");
                let len = declared_len(dialect, &stream[cursor..]);
                let bytes = &stream[cursor..cursor + len];
                match (dialect, frame) {
                    (Dialect::Dny, Frame::Dny(f)) => assert_eq!(
                        DnyFrame::decode(
                            bytes,
                            &DecodeContext::new(opts)
                                .with_base_offset(cursor)
                                .with_direction(dir)
                        )
                        .as_ref(),
                        Ok(f),
                        "stream frame at {cursor} differs from one-shot decode of {}",
                        pilekit::hex::encode(bytes)
                    ),
                    (Dialect::Juy, Frame::Juy(f)) => assert_eq!(
                        conn.decode(
                            bytes,
                            &DecodeContext::new(opts)
                                .with_base_offset(cursor)
                                .with_direction(dir)
                        )
                        .as_ref(),
                        Ok(f),
                        "stream frame at {cursor} differs from the replayed connection's decode \
                         of {}",
                        pilekit::hex::encode(bytes)
                    ),
                    _ => panic!("{dialect:?} stream yielded {frame:?}"),
                }
                cursor += len;
            }
            StreamItem::Iccid { offset, iccid } => {
                assert_eq!(dialect, Dialect::Dny, "ICCID item in a {dialect:?} stream");
                assert_eq!(*offset, cursor, "ICCID not where the previous item ended");
                assert_eq!(
                    &stream[cursor..cursor + 20],
                    &iccid.0.0,
                    "ICCID bytes differ"
                );
                cursor += 20;
            }
            StreamItem::Link { offset } => {
                assert_eq!(dialect, Dialect::Dny, "link item in a {dialect:?} stream");
                assert_eq!(*offset, cursor, "link not where the previous item ended");
                assert_eq!(&stream[cursor..cursor + 4], b"link", "link bytes differ");
                cursor += 4;
            }
            StreamItem::Skipped { offset, len, .. } => {
                assert_eq!(
                    *offset, cursor,
                    "skipped run not where the previous item ended"
                );
                assert!(*len > 0, "empty Skipped item at {offset}");
                cursor += len;
            }
            StreamItem::Error(e) => {
                let len = declared_len(dialect, &stream[cursor..]);
                let bytes = &stream[cursor..cursor + len];
                assert!(
                    e.offset >= cursor && e.offset < cursor + len,
                    "error offset {} outside the frame {cursor}..{}",
                    e.offset,
                    cursor + len
                );
                let one_shot = match dialect {
                    Dialect::Dny => DnyFrame::decode(
                        bytes,
                        &DecodeContext::new(opts)
                            .with_base_offset(cursor)
                            .with_direction(dir),
                    )
                    .err(),
                    _ => conn
                        .decode(
                            bytes,
                            &DecodeContext::new(opts)
                                .with_base_offset(cursor)
                                .with_direction(dir),
                        )
                        .err(),
                };
                assert_eq!(
                    one_shot.as_ref(),
                    Some(e),
                    "stream error at {cursor} differs"
                );
                cursor += len;
            }
            other => panic!("unexpected item {other:?}"),
        }
    }
    assert_eq!(
        cursor,
        stream.len(),
        "items do not add up to the input length"
    );

    // The end of the stream: a truncated header, then the deviation-free frames found above.
    let (header, declared) = truncated_header(dialect);
    let mut stream = header.to_vec();
    let mut expected = Vec::new();
    let mut conn = JuyConnection::new(juy);
    for item in &b {
        let StreamItem::Frame { frame, .. } = item else {
            continue;
        };
        let bytes = match frame {
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
            Dialect::Dny => DnyFrame::decode(
                &bytes,
                &DecodeContext::new(opts)
                    .with_base_offset(at)
                    .with_direction(dir),
            )
            .map(Frame::Dny),
            _ => conn
                .decode(
                    &bytes,
                    &DecodeContext::new(opts)
                        .with_base_offset(at)
                        .with_direction(dir),
                )
                .map(Frame::Juy),
        };
        // (a frame the replayed connection reads differently is left out, with what follows)
        let Ok(frame) = one_shot else { break };
        expected.push(StreamItem::Frame { offset: at, frame });
        stream.extend_from_slice(&bytes);
    }
    let mut d = make();
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
    assert_eq!(d.position(), stream.len());
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
    assert_eq!(*len, header.len(), "{items:?}");
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
});
