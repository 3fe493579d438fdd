//! The stream decoder over all three dialects: auto-detection, DNY module text (ICCID, `link`)
//! interleaved with frames, and any chunking.

use pilekit::codec::AnyFrame as Frame;
use pilekit::codec::stream::{DialectChoice, StreamDecoder, StreamItem};
use pilekit::codec::{DecodeContext, DecodeOptions, Dialect, Direction};
use proptest::prelude::*;

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

const ICCID: &[u8; 20] = b"89860413161892009275";

/// What a stream item is, without the frame's contents: (offset, kind).
fn summary(item: &StreamItem) -> (usize, String) {
    match item {
        StreamItem::Frame { offset, frame } => {
            (*offset, format!("{:?}:{}", frame.dialect(), frame.name()))
        }
        StreamItem::Iccid { offset, iccid } => (*offset, format!("iccid:{}", iccid.as_str())),
        StreamItem::Link { offset } => (*offset, "link".into()),
        StreamItem::Skipped { offset, len, .. } => (*offset, format!("skipped:{len}")),
        StreamItem::Error(e) => (e.offset, format!("error:{e}")),
        _ => (0, "other".into()),
    }
}

fn decode_all(choice: DialectChoice, bytes: &[u8], cuts: &[usize]) -> Vec<(usize, String)> {
    let mut dec = StreamDecoder::with_choice(choice, DecodeOptions::STRICT);
    let mut out = Vec::new();
    let mut last = 0;
    for &c in cuts.iter().chain([bytes.len()].iter()) {
        dec.feed(&bytes[last..c], |i| out.push(summary(i)));
        assert!(dec.buffered() <= dec.max_buffer());
        last = c;
    }
    dec.finish(|i| out.push(summary(i)));
    out
}

#[test]
fn a_dny_connection_opens_with_the_iccid_and_keeps_alive_with_link() {
    let frames = vectors("dny");
    let mut stream = ICCID.to_vec();
    stream.extend_from_slice(&frames[2]); // 0x21 heartbeat
    stream.extend_from_slice(b"link");
    stream.extend_from_slice(&frames[6]); // 0x03 settlement
    let items = decode_all(DialectChoice::Auto, &stream, &[]);
    let heartbeat_end = 20 + frames[2].len();
    assert_eq!(
        items,
        vec![
            (0, "iccid:89860413161892009275".to_string()),
            (20, "Dny:heartbeat".to_string()),
            (heartbeat_end, "link".to_string()),
            (heartbeat_end + 4, "Dny:settlement".to_string()),
        ]
    );
}

#[test]
fn each_dialect_is_detected_from_its_first_frame() {
    for (name, dialect) in [
        ("ykc", Dialect::Ykc),
        ("dny", Dialect::Dny),
        ("juy", Dialect::Juy),
    ] {
        let mut frames = vectors(name);
        if name == "juy" {
            // the login and its 0xF0 reply would switch a connection to the IMEI form; the
            // vectors are separate samples, not one connection
            frames.drain(..2);
        }
        let mut dec = StreamDecoder::auto(DecodeOptions::STRICT);
        let items = dec.feed_collect(&frames.concat());
        assert_eq!(dec.dialect(), Some(dialect), "{name}");
        let decoded = items
            .iter()
            .filter(|i| matches!(i, StreamItem::Frame { .. }))
            .count();
        assert_eq!(decoded, frames.len(), "{name}: {items:?}");
    }
}

#[test]
fn an_uplink_decoder_reads_dny_start_replies_as_replies() {
    let frames = vectors("dny");
    let reply = &frames[11]; // 0x82 reply
    let mut dec =
        StreamDecoder::new(Dialect::Dny, DecodeOptions::STRICT).with_direction(Some(Direction::Up));
    let items = dec.feed_collect(reply);
    let [
        StreamItem::Frame {
            frame: Frame::Dny(f),
            ..
        },
    ] = items.as_slice()
    else {
        panic!("{items:?}")
    };
    assert_eq!(f.direction(), Direction::Up);
    assert_eq!(f.message.name(), "start_stop_reply");
}

#[test]
fn garbage_before_a_connection_is_skipped_and_counted() {
    let frames = vectors("juy");
    let mut stream = vec![0x00, 0x11, 0x22];
    stream.extend_from_slice(&frames[2]);
    let items = decode_all(DialectChoice::Auto, &stream, &[1, 2]);
    assert_eq!(items[0], (0, "skipped:3".to_string()), "{items:?}");
    assert_eq!(items[1].0, 3);
    assert!(items[1].1.starts_with("Juy:"));
}

proptest! {
    #[test]
    fn any_chunking_gives_the_same_items_as_one_feed(
        picks in proptest::collection::vec((0usize..19, 0u8..4), 1..12),
        cuts in proptest::collection::vec(any::<proptest::sample::Index>(), 0..12),
    ) {
        let frames = vectors("dny");
        let mut stream = ICCID.to_vec();
        let mut expected = vec![(0usize, "iccid:89860413161892009275".to_string())];
        let n_frames = picks.len();
        for (i, extra) in picks {
            if extra == 0 {
                expected.push((stream.len(), "link".into()));
                stream.extend_from_slice(b"link");
            }
            stream.extend_from_slice(&frames[i]);
        }
        let mut points: Vec<usize> = cuts.iter().map(|c| c.index(stream.len() + 1)).collect();
        points.sort_unstable();
        let whole = decode_all(DialectChoice::Auto, &stream, &[]);
        let chunked = decode_all(DialectChoice::Auto, &stream, &points);
        prop_assert_eq!(&whole, &chunked);
        let frames_seen = whole.iter().filter(|(_, k)| k.starts_with("Dny:")).count();
        prop_assert_eq!(frames_seen, n_frames);
        let module_text: Vec<_> = whole.iter().filter(|(_, k)| k == "link" || k.starts_with("iccid")).cloned().collect();
        prop_assert_eq!(module_text, expected);
        prop_assert!(whole.iter().all(|(_, k)| !k.starts_with("skipped")), "{:?}", whole);
    }
}

/// The largest DNY frame (length field 512): a heartbeat carrying 498 bytes beyond its layout.
fn largest_dny_frame() -> Vec<u8> {
    let heartbeat = &vectors("dny")[2];
    let mut frame =
        pilekit::codec::dny::DnyFrame::decode(heartbeat, &DecodeContext::STRICT).unwrap();
    frame.extra = vec![0; 496];
    let bytes = frame.encode().unwrap();
    assert_eq!(bytes.len(), 517);
    bytes
}

#[test]
fn the_smallest_buffer_bound_holds_the_largest_frame() {
    // a frame still arriving, fed at once: the held bytes stay within the bound
    let mut partial = vec![0x08, 0x00, 0x44, 0x4E, 0x59, 0x00, 0x02];
    partial.extend(std::iter::repeat_n(0, 509));
    let mut dec = StreamDecoder::new(Dialect::Dny, DecodeOptions::STRICT).with_max_buffer(0);
    dec.feed(&partial, |_| {});
    assert!(
        dec.buffered() <= dec.max_buffer(),
        "{} > {}",
        dec.buffered(),
        dec.max_buffer()
    );
    assert!(dec.max_buffer() >= 4 + pilekit::codec::juy::MAX_LEN);

    // the largest frame split across feeds arrives whole, garbage before it is one run
    let mut stream = vec![0x0A, 0x00, 0xFF, 0x04];
    stream.extend(largest_dny_frame());
    let cuts = [255, 259];
    let mut dec = StreamDecoder::new(Dialect::Dny, DecodeOptions::LENIENT).with_max_buffer(0);
    let mut items = Vec::new();
    let mut last = 0;
    for c in cuts.into_iter().chain([stream.len()]) {
        dec.feed(&stream[last..c], |i| items.push(summary(i)));
        last = c;
    }
    dec.finish(|i| items.push(summary(i)));
    assert_eq!(
        items,
        vec![
            (0, "skipped:4".to_string()),
            (4, "Dny:heartbeat".to_string())
        ]
    );
    let mut whole = StreamDecoder::new(Dialect::Dny, DecodeOptions::LENIENT).with_max_buffer(0);
    let mut single: Vec<_> = whole.feed_collect(&stream).iter().map(summary).collect();
    single.extend(whole.finish_collect().iter().map(summary));
    assert_eq!(items, single);
}
