//! The end of a stream: `finish` scans what the decoder holds once more, so a frame that never
//! completed does not swallow the frames behind its start.

use pilekit::codec::AnyFrame;
use pilekit::codec::stream::{DialectChoice, StreamDecoder, StreamItem};
use pilekit::codec::{DecodeError, DecodeErrorKind, DecodeOptions, Dialect};

fn vectors(dialect: &str) -> Vec<Vec<u8>> {
    let path = format!(
        "{}/tests/data/vectors/{dialect}.tsv",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| pilekit::hex::decode(l.split('\t').nth(1).unwrap()).unwrap())
        .collect()
}

/// The YKC heartbeat of the reference.
fn ykc_heartbeat() -> Vec<u8> {
    vectors("ykc")[2].clone()
}

/// Decodes `stream` fed in pieces of `chunk` bytes (all at once for 0), then finishes; checks
/// the decoder's counters along the way.
fn decode(
    choice: DialectChoice,
    opts: DecodeOptions,
    stream: &[u8],
    chunk: usize,
) -> Vec<StreamItem> {
    let mut dec = StreamDecoder::with_choice(choice, opts);
    let mut items = Vec::new();
    let chunk = if chunk == 0 {
        stream.len().max(1)
    } else {
        chunk
    };
    let mut fed = 0;
    for piece in stream.chunks(chunk) {
        dec.feed(piece, |i| items.push(i.clone()));
        fed += piece.len();
        assert_eq!(dec.position(), fed);
        assert!(dec.buffered() <= dec.max_buffer());
    }
    dec.finish(|i| items.push(i.clone()));
    assert_eq!(dec.buffered(), 0);
    assert_eq!(dec.position(), stream.len());
    items
}

/// The offsets and names of the frames among `items`.
fn frames(items: &[StreamItem]) -> Vec<(usize, &'static str)> {
    items
        .iter()
        .filter_map(|i| match i {
            StreamItem::Frame { offset, frame } => Some((*offset, frame.name())),
            _ => None,
        })
        .collect()
}

/// A truncated frame header, then `tail`: each frame of `tail` is found, after one skipped run
/// that covers the header and says how much the header needed.
fn check_truncated_prefix(
    dialect: Dialect,
    prefix: &[u8],
    needed: usize,
    tail_frames: &[Vec<u8>],
    opts: DecodeOptions,
) {
    let mut stream = prefix.to_vec();
    let mut expected = Vec::new();
    for f in tail_frames {
        let one_shot = decode(DialectChoice::Fixed(dialect), opts, f, 0);
        let [StreamItem::Frame { frame, .. }] = one_shot.as_slice() else {
            panic!("{one_shot:?}")
        };
        expected.push((stream.len(), frame.name()));
        stream.extend_from_slice(f);
    }
    for choice in [DialectChoice::Fixed(dialect), DialectChoice::Auto] {
        for chunk in [0, 1, 3, 7] {
            let items = decode(choice, opts, &stream, chunk);
            assert_eq!(
                frames(&items),
                expected,
                "{dialect:?} {choice:?} {chunk}: {items:?}"
            );
            let Some(StreamItem::Skipped {
                offset: 0,
                len,
                reason: Some(reason),
            }) = items.first()
            else {
                panic!("{items:?}")
            };
            assert_eq!(*len, prefix.len(), "{items:?}");
            assert_eq!(
                *reason,
                DecodeError::new(
                    DecodeErrorKind::Truncated {
                        needed,
                        available: stream.len()
                    },
                    0
                )
            );
            assert_eq!(items.len(), tail_frames.len() + 1, "{items:?}");
        }
    }
}

#[test]
fn a_truncated_ykc_frame_does_not_hide_the_frames_behind_it() {
    let hb = ykc_heartbeat();
    let v = vectors("ykc");
    // an unknown type: strict framing too has to wait for the 259 bytes the header declares
    check_truncated_prefix(
        Dialect::Ykc,
        &[0x68, 0xFF, 0x00, 0x00, 0x00, 0x00],
        259,
        std::slice::from_ref(&hb),
        DecodeOptions::STRICT,
    );
    check_truncated_prefix(
        Dialect::Ykc,
        &[0x68, 0xFF, 0x00, 0x00, 0x00, 0x00],
        259,
        &[hb.clone(), v[3].clone(), hb.clone()],
        DecodeOptions::LENIENT,
    );
}

#[test]
fn ykc_68_ff_then_a_heartbeat() {
    let mut stream = vec![0x68, 0xFF];
    stream.extend_from_slice(&ykc_heartbeat());
    for opts in [DecodeOptions::STRICT, DecodeOptions::LENIENT] {
        for chunk in [0, 1, 2, 5] {
            let items = decode(DialectChoice::Fixed(Dialect::Ykc), opts, &stream, chunk);
            assert_eq!(frames(&items), vec![(2, "heartbeat")], "{items:?}");
            assert!(
                matches!(
                    items[0],
                    StreamItem::Skipped {
                        offset: 0,
                        len: 2,
                        ..
                    }
                ),
                "{items:?}"
            );
        }
    }
}

#[test]
fn a_truncated_juy_frame_does_not_hide_the_frames_behind_it() {
    let v = vectors("juy");
    for opts in [DecodeOptions::STRICT, DecodeOptions::LENIENT] {
        check_truncated_prefix(
            Dialect::Juy,
            &[0x5A, 0xA5, 0x00, 0x04],
            1028,
            &[v[3].clone(), v[3].clone()],
            opts,
        );
    }
}

#[test]
fn a_truncated_dny_frame_does_not_hide_the_frames_behind_it() {
    let v = vectors("dny");
    for opts in [DecodeOptions::STRICT, DecodeOptions::LENIENT] {
        check_truncated_prefix(
            Dialect::Dny,
            &[0x44, 0x4E, 0x59, 0xFF, 0x01],
            516,
            &[v[2].clone(), v[6].clone()],
            opts,
        );
    }
}

#[test]
fn module_text_behind_a_truncated_dny_frame_is_found() {
    let mut stream = b"DNY\xFF\x01".to_vec();
    stream.extend_from_slice(b"link");
    stream.extend_from_slice(&vectors("dny")[2]);
    stream.extend_from_slice(b"8986041316189200927");
    for chunk in [0, 1, 4] {
        let items = decode(DialectChoice::Auto, DecodeOptions::STRICT, &stream, chunk);
        assert!(
            matches!(
                items[0],
                StreamItem::Skipped {
                    offset: 0,
                    len: 5,
                    ..
                }
            ),
            "{items:?}"
        );
        assert_eq!(items[1], StreamItem::Link { offset: 5 });
        assert_eq!(frames(&items), vec![(9, "heartbeat")]);
        // the ICCID that never completed is garbage
        let StreamItem::Skipped {
            offset,
            len,
            reason,
        } = &items[3]
        else {
            panic!("{items:?}")
        };
        assert_eq!((*offset, *len), (stream.len() - 19, 19));
        assert_eq!(
            reason.as_ref().map(|r| (r.kind, r.offset)),
            Some((
                DecodeErrorKind::Truncated {
                    needed: 20,
                    available: 19
                },
                stream.len() - 19
            ))
        );
        assert_eq!(items.len(), 4);
    }
}

#[test]
fn a_frame_cut_at_the_end_is_reported_with_what_it_lacked() {
    let hb = ykc_heartbeat();
    let mut stream = hb.clone();
    stream.extend_from_slice(&hb[..10]);
    let items = decode(
        DialectChoice::Fixed(Dialect::Ykc),
        DecodeOptions::STRICT,
        &stream,
        0,
    );
    assert_eq!(
        items[1],
        StreamItem::Skipped {
            offset: 17,
            len: 10,
            reason: Some(DecodeError::new(
                DecodeErrorKind::Truncated {
                    needed: 17,
                    available: 10
                },
                17
            ))
        }
    );
    assert_eq!(items.len(), 2);
}

#[test]
fn an_undetected_stream_ends_as_one_skipped_run() {
    // `5A` could begin a JUY frame, `89` an ICCID: neither completes
    for tail in [&b"\x5A"[..], b"89", b"\x00\x5A", b"\x01\x02\x03"] {
        let items = decode(DialectChoice::Auto, DecodeOptions::STRICT, tail, 0);
        assert_eq!(
            items,
            vec![StreamItem::Skipped {
                offset: 0,
                len: tail.len(),
                reason: None
            }],
            "{tail:?}"
        );
    }
    // an incomplete detection does not keep the frames behind it from being found
    let mut stream = b"89".to_vec();
    stream.extend_from_slice(&vectors("dny")[2]);
    let items = decode(DialectChoice::Auto, DecodeOptions::STRICT, &stream, 0);
    assert_eq!(frames(&items), vec![(2, "heartbeat")], "{items:?}");
}

#[test]
fn finish_reports_nothing_when_nothing_is_held() {
    let mut dec = StreamDecoder::new(Dialect::Ykc, DecodeOptions::STRICT);
    assert!(dec.finish_collect().is_empty());
    let items = dec.feed_collect(&ykc_heartbeat());
    assert!(matches!(
        items.as_slice(),
        [StreamItem::Frame {
            offset: 0,
            frame: AnyFrame::Ykc(_)
        }]
    ));
    assert!(dec.finish_collect().is_empty());
    assert_eq!(dec.position(), 17);
}

#[test]
fn the_decoder_goes_on_after_finish() {
    let hb = ykc_heartbeat();
    let mut dec = StreamDecoder::new(Dialect::Ykc, DecodeOptions::STRICT);
    assert!(dec.feed_collect(&hb[..5]).is_empty());
    assert_eq!((dec.buffered(), dec.position()), (5, 5));
    let items = dec.finish_collect();
    assert_eq!(
        items,
        vec![StreamItem::Skipped {
            offset: 0,
            len: 5,
            reason: Some(DecodeError::new(
                DecodeErrorKind::Truncated {
                    needed: 6,
                    available: 5
                },
                0
            ))
        }]
    );
    assert_eq!((dec.buffered(), dec.position()), (0, 5));
    let items = dec.feed_collect(&hb);
    assert!(
        matches!(items.as_slice(), [StreamItem::Frame { offset: 5, .. }]),
        "{items:?}"
    );
    assert_eq!(dec.position(), 22);
}
