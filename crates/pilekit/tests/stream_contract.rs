//! The stream decoder's contract, item by item: counters, buffer bounds, skipped runs and their
//! reasons, errors, detection.

use pilekit::codec::dny::DnyFramer;
use pilekit::codec::framing::Framer;
use pilekit::codec::juy::JuyFramer;
use pilekit::codec::stream::{
    DEFAULT_MAX_BUFFER, DialectChoice, MIN_MAX_BUFFER, StreamDecoder, StreamItem, detect_dialect,
};
use pilekit::codec::ykc::{YkcFramer, crc16_modbus};
use pilekit::codec::{DecodeError, DecodeErrorKind, DecodeOptions, Dialect};

/// The YKC heartbeat of the reference.
const HEARTBEAT: [u8; 17] = [
    0x68, 0x0D, 0x00, 0x01, 0x00, 0x03, 0x32, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0xF1,
    0x1A,
];

/// The JUY remote stop of the reference.
const REMOTE_STOP: [u8; 12] = [
    0x5A, 0xA5, 0x08, 0x00, 0x84, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x8F,
];

/// A YKC frame with its CRC recomputed.
fn sealed(mut frame: Vec<u8>) -> Vec<u8> {
    let n = frame.len();
    let crc = crc16_modbus(&frame[2..n - 2]);
    frame[n - 2..].copy_from_slice(&crc.to_le_bytes());
    frame
}

fn ykc(opts: DecodeOptions) -> StreamDecoder {
    StreamDecoder::new(Dialect::Ykc, opts)
}

#[test]
fn buffer_bounds() {
    assert_eq!(MIN_MAX_BUFFER, 1028);
    for max in [
        YkcFramer::MAX_FRAME_LEN,
        DnyFramer::MAX_FRAME_LEN,
        JuyFramer::MAX_FRAME_LEN,
    ] {
        assert!(max <= MIN_MAX_BUFFER);
    }
    assert_eq!(JuyFramer::MAX_FRAME_LEN, MIN_MAX_BUFFER);
    assert_eq!(
        (YkcFramer::MAX_FRAME_LEN, DnyFramer::MAX_FRAME_LEN),
        (259, 517)
    );
    let d = ykc(DecodeOptions::STRICT);
    assert_eq!(d.max_buffer(), DEFAULT_MAX_BUFFER);
    assert_eq!(DEFAULT_MAX_BUFFER, 4096);
    assert_eq!(d.clone().with_max_buffer(0).max_buffer(), MIN_MAX_BUFFER);
    assert_eq!(d.clone().with_max_buffer(1029).max_buffer(), 1029);
    assert_eq!(d.with_max_buffer(100_000).max_buffer(), 100_000);
}

#[test]
fn the_longest_frame_fits_the_smallest_bound() {
    // a JUY frame of 1028 bytes (an unknown command, LEN 1024), fed byte by byte
    let mut frame = vec![0x5A, 0xA5, 0x00, 0x04, 0x70, 0x00];
    frame.resize(1027, 0);
    let sum = frame[2..].iter().fold(0u8, |a, &b| a.wrapping_add(b));
    frame.push(sum);
    let mut d = StreamDecoder::new(Dialect::Juy, DecodeOptions::STRICT).with_max_buffer(0);
    let mut most = 0;
    let mut items = Vec::new();
    for b in &frame {
        d.feed(std::slice::from_ref(b), |i| items.push(i.clone()));
        most = most.max(d.buffered());
        assert!(d.buffered() <= d.max_buffer());
    }
    assert_eq!(most, MIN_MAX_BUFFER - 1);
    assert!(
        matches!(items.as_slice(), [StreamItem::Frame { offset: 0, .. }]),
        "{items:?}"
    );
    assert_eq!((d.buffered(), d.position()), (0, 1028));
}

#[test]
fn position_counts_what_is_consumed_and_what_is_held() {
    let mut d = ykc(DecodeOptions::STRICT);
    assert_eq!((d.buffered(), d.position()), (0, 0));
    d.feed(&HEARTBEAT[..3], |_| {});
    assert_eq!((d.buffered(), d.position()), (3, 3));
    let mut rest = HEARTBEAT[3..].to_vec();
    rest.extend_from_slice(&HEARTBEAT[..7]);
    let items = d.feed_collect(&rest);
    assert_eq!(items.len(), 1);
    assert_eq!((d.buffered(), d.position()), (7, 24));
    d.feed(&[], |_| panic!("nothing completes"));
    assert_eq!((d.buffered(), d.position()), (7, 24));
    let items = d.feed_collect(&HEARTBEAT[7..]);
    assert!(matches!(
        items.as_slice(),
        [StreamItem::Frame { offset: 17, .. }]
    ));
    assert_eq!((d.buffered(), d.position()), (0, 34));
    // garbage is consumed at once, not held
    d.feed(&[1, 2, 3], |_| panic!("the run is reported later"));
    assert_eq!((d.buffered(), d.position()), (0, 37));
    let items = d.finish_collect();
    assert_eq!(
        items,
        vec![StreamItem::Skipped {
            offset: 34,
            len: 3,
            reason: None
        }]
    );
    assert_eq!((d.buffered(), d.position()), (0, 37));
}

#[test]
fn a_garbage_run_is_one_item_with_the_first_reason() {
    // `68 03`: a length byte below 4; `68 FF 00 00 02 00`: an encryption flag of 2; then a
    // candidate whose CRC fails; then a frame
    let mut stream = vec![0x00, 0x68, 0x03, 0x68, 0xFF, 0x00, 0x00, 0x02, 0x00];
    let mut bad_crc = HEARTBEAT.to_vec();
    bad_crc[16] ^= 0xFF;
    stream.extend_from_slice(&bad_crc);
    stream.extend_from_slice(&HEARTBEAT);
    for chunk in [1, 2, 5, stream.len()] {
        let mut d = ykc(DecodeOptions::STRICT);
        let mut items = Vec::new();
        for piece in stream.chunks(chunk) {
            d.feed(piece, |i| items.push(i.clone()));
        }
        d.finish(|i| items.push(i.clone()));
        assert_eq!(items.len(), 2, "{items:?}");
        assert_eq!(
            items[0],
            StreamItem::Skipped {
                offset: 0,
                len: 9 + 17,
                reason: Some(DecodeError::new(
                    DecodeErrorKind::BadLength { declared: 3 },
                    2
                ))
            }
        );
        assert!(matches!(items[1], StreamItem::Frame { offset: 26, .. }));
    }
}

#[test]
fn rejected_candidates_carry_their_reason_at_its_offset() {
    let cases: [(&[u8], DecodeErrorKind, usize); 3] = [
        (
            &[0x68, 0xFF, 0x00, 0x00, 0x02, 0x00],
            DecodeErrorKind::InvalidValue { value: 2 },
            4,
        ),
        (
            &[0x68, 0x0E, 0x00, 0x00, 0x00, 0x03],
            DecodeErrorKind::LengthMismatch {
                declared: 10,
                expected: 9,
            },
            1,
        ),
        (
            &[
                0x68, 0x0D, 0x00, 0x01, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xF1, 0x1A,
            ],
            DecodeErrorKind::ChecksumMismatch {
                computed: crc16_modbus(&[0x00, 0x01, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
                carried: 0x1AF1,
            },
            15,
        ),
    ];
    for (bytes, kind, at) in cases {
        let mut stream = vec![0x00, 0x01];
        stream.extend_from_slice(bytes);
        stream.extend_from_slice(&HEARTBEAT);
        let items = ykc(DecodeOptions::STRICT).feed_collect(&stream);
        assert_eq!(
            items[0],
            StreamItem::Skipped {
                offset: 0,
                len: 2 + bytes.len(),
                reason: Some(DecodeError::new(kind, 2 + at))
            },
            "{bytes:02X?}"
        );
        assert!(
            matches!(items[1], StreamItem::Frame { offset, .. } if offset == 2 + bytes.len()),
            "{items:?}"
        );
    }
}

#[test]
fn a_frame_whose_checksum_holds_but_whose_body_is_wrong_is_an_error() {
    let mut bad_bcd = HEARTBEAT.to_vec();
    bad_bcd[6] = 0xFA;
    let bad_bcd = sealed(bad_bcd);
    let mut stream = vec![0x00];
    stream.extend_from_slice(&bad_bcd);
    stream.extend_from_slice(&HEARTBEAT);
    let items = ykc(DecodeOptions::STRICT).feed_collect(&stream);
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(
        items[0],
        StreamItem::Skipped {
            offset: 0,
            len: 1,
            reason: None
        }
    );
    let StreamItem::Error(e) = &items[1] else {
        panic!("{items:?}")
    };
    assert_eq!(e.offset, 1 + 6);
    assert!(matches!(e.kind, DecodeErrorKind::InvalidBcd { byte: 0xFA }));
    // skipped whole: the next frame starts right after it
    assert!(matches!(items[2], StreamItem::Frame { offset: 18, .. }));
    // leniently it is a frame with a deviation
    let items = ykc(DecodeOptions::LENIENT).feed_collect(&stream);
    assert!(
        matches!(items[1], StreamItem::Frame { offset: 1, .. }),
        "{items:?}"
    );
}

#[test]
fn without_the_checksum_check_a_bad_checksum_is_a_deviation() {
    let mut bad_crc = HEARTBEAT.to_vec();
    bad_crc[16] ^= 0xFF;
    let opts = DecodeOptions::STRICT.with_checksum_check(false);
    let items = ykc(opts).feed_collect(&bad_crc);
    let [StreamItem::Frame { offset: 0, frame }] = items.as_slice() else {
        panic!("{items:?}")
    };
    assert_eq!(frame.name(), "heartbeat");
}

#[test]
fn juy_strict_framing_rejects_a_len_no_layout_has() {
    // the remote stop with two data bytes more (7: neither 5 down nor 6 up), its checksum fixed
    let mut long = REMOTE_STOP.to_vec();
    long[2] += 2;
    long.splice(11..11, [0x00, 0x00]);
    let n = long.len();
    long[n - 1] = long[2..n - 1].iter().fold(0u8, |a, &b| a.wrapping_add(b));
    let mut stream = long.clone();
    stream.extend_from_slice(&REMOTE_STOP);
    let items = StreamDecoder::new(Dialect::Juy, DecodeOptions::STRICT).feed_collect(&stream);
    assert_eq!(
        items[0],
        StreamItem::Skipped {
            offset: 0,
            len: long.len(),
            reason: Some(DecodeError::new(
                DecodeErrorKind::LengthMismatch {
                    declared: 10,
                    expected: 9
                },
                2
            ))
        },
        "{items:?}"
    );
    assert!(matches!(items[1], StreamItem::Frame { offset: 14, .. }));
    // leniently it decodes, the extra byte kept
    let items = StreamDecoder::new(Dialect::Juy, DecodeOptions::LENIENT).feed_collect(&stream);
    assert!(
        matches!(items[0], StreamItem::Frame { offset: 0, .. }),
        "{items:?}"
    );
}

#[test]
fn detection() {
    assert_eq!(detect_dialect(&HEARTBEAT), Some(Dialect::Ykc));
    assert_eq!(detect_dialect(&[0x68]), Some(Dialect::Ykc));
    assert_eq!(detect_dialect(&REMOTE_STOP), Some(Dialect::Juy));
    assert_eq!(detect_dialect(&[0x5A]), None);
    assert_eq!(detect_dialect(&[0x5A, 0x5A]), None);
    assert_eq!(detect_dialect(b"DNY"), Some(Dialect::Dny));
    assert_eq!(detect_dialect(b"DN"), None);
    assert_eq!(detect_dialect(b"link"), Some(Dialect::Dny));
    assert_eq!(detect_dialect(b"89860413161892009275"), Some(Dialect::Dny));
    assert_eq!(detect_dialect(b"8986"), None);
    assert_eq!(detect_dialect(b""), None);
    assert_eq!(detect_dialect(&[0x00, 0x68]), None);

    let mut d = StreamDecoder::auto(DecodeOptions::STRICT);
    assert_eq!(d.choice(), DialectChoice::Auto);
    assert_eq!(d.dialect(), None);
    // a prefix of a marker is held until it tells
    assert!(d.feed_collect(&[0x00, 0x5A]).is_empty());
    assert_eq!((d.buffered(), d.position(), d.dialect()), (1, 2, None));
    let items = d.feed_collect(&REMOTE_STOP[1..]);
    assert_eq!(d.dialect(), Some(Dialect::Juy));
    assert!(
        d.clone().finish_collect().is_empty(),
        "nothing left to report"
    );
    assert!(matches!(
        items.as_slice(),
        [
            StreamItem::Skipped {
                offset: 0,
                len: 1,
                reason: None
            },
            StreamItem::Frame { offset: 1, .. }
        ]
    ));
    let fixed = StreamDecoder::new(Dialect::Dny, DecodeOptions::STRICT);
    assert_eq!(fixed.choice(), DialectChoice::Fixed(Dialect::Dny));
    assert_eq!(fixed.dialect(), Some(Dialect::Dny));
}
