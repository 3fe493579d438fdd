//! The facade over the golden vectors: decode, canonical JSON, encode, listing, the stream
//! decoder's snapshots.
#![cfg(feature = "serde")]

use pilekit::api::{
    self, DecodeRequest, Decoder, DialectName, ErrorKind, Record, decode, decode_frame, encode,
    listing,
};

fn vectors(dialect: &str) -> Vec<(String, Vec<u8>)> {
    let text = match dialect {
        "ykc" => include_str!("data/vectors/ykc.tsv"),
        "dny" => include_str!("data/vectors/dny.tsv"),
        _ => include_str!("data/vectors/juy.tsv"),
    };
    text.lines()
        .skip(1)
        .map(|l| {
            let mut cols = l.split('\t');
            let cmd = cols.next().unwrap().to_string();
            (cmd, pilekit::hex::decode(cols.next().unwrap()).unwrap())
        })
        .collect()
}

#[test]
fn every_vector_decodes_lists_and_encodes_back() {
    for (dialect, count) in [("ykc", 13), ("dny", 19), ("juy", 5)] {
        let vectors = vectors(dialect);
        assert_eq!(vectors.len(), count, "{dialect}");
        for (cmd, bytes) in vectors {
            let request = DecodeRequest {
                strict: false,
                ..DecodeRequest::default()
            };
            let records = decode(&bytes, &request);
            let [Record::Frame { offset: 0, frame }] = records.as_slice() else {
                panic!("{dialect} {cmd}: {records:?}");
            };
            let json = serde_json::to_value(&records[0]).unwrap();
            assert_eq!(json["offset"], 0);
            assert_eq!(json["dialect"], dialect, "{cmd}");
            let code = u64::from_str_radix(cmd.trim_start_matches("0x"), 16).unwrap();
            assert_eq!(json["frame_type"], code, "{dialect} {cmd}");
            let text = listing(frame);
            let title = format!("{dialect} 0x{code:02X} {} (", frame.name());
            assert!(text.starts_with(&title), "{dialect} {cmd}: {text}");
            if json["deviations"].as_array().is_some_and(Vec::is_empty) {
                assert_eq!(encode(&json).unwrap(), bytes, "{dialect} {cmd}");
                assert_eq!(api::encode_json(&json.to_string()).unwrap(), bytes);
            }
        }
    }
}

#[test]
fn the_first_ykc_vector_in_detail() {
    let (_, bytes) = &vectors("ykc")[2];
    let frame = decode_frame(bytes, &DecodeRequest::default()).unwrap();
    assert_eq!(
        listing(&frame),
        "ykc 0x03 heartbeat (up) seq 0001 crc low_byte_first\n  \
         pile code                    32010200000001\n  \
         gun                          1\n  \
         gun condition                normal (0)\n"
    );
    let as_dny = DecodeRequest {
        dialect: DialectName::Dny,
        ..DecodeRequest::default()
    };
    let err = decode_frame(bytes, &as_dny).unwrap_err();
    assert_eq!(err.kind, ErrorKind::BadStart);
    assert_eq!(err.offset, Some(0));
    let mut bad = bytes.clone();
    *bad.last_mut().unwrap() ^= 1;
    let unchecked = DecodeRequest {
        verify_checksum: false,
        ..DecodeRequest::default()
    };
    let text = listing(&decode_frame(&bad, &unchecked).unwrap());
    assert!(
        text.contains("  ! deviation: checksum `1BF1` does not match `1AF1` (not enforced)\n"),
        "{text}"
    );
    let mut cut = bytes.clone();
    cut.pop();
    let err = decode_frame(&cut, &DecodeRequest::default()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Truncated);
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["kind"], "truncated");
}

#[test]
fn all_vectors_as_one_stream_survive_a_snapshot_anywhere() {
    for dialect in ["ykc", "dny", "juy"] {
        let stream: Vec<u8> = vectors(dialect).into_iter().flat_map(|(_, b)| b).collect();
        let request = DecodeRequest {
            strict: false,
            ..DecodeRequest::default()
        };
        let expect = decode(&stream, &request);
        let frames = expect
            .iter()
            .filter(|r| matches!(r, Record::Frame { .. }))
            .count();
        assert!(frames > 0, "{dialect}");
        let step = (stream.len() / 40).max(1);
        for cut in (0..=stream.len()).step_by(step) {
            let mut a = Decoder::new(&request);
            a.feed(&stream[..cut]);
            let snapshot = serde_json::to_string(&a).unwrap();
            let mut b: Decoder = serde_json::from_str(&snapshot).unwrap();
            for chunk in stream[cut..].chunks(7) {
                b.feed(chunk);
            }
            b.finish();
            let got: Vec<Record> = b.collect();
            assert_eq!(got, expect, "{dialect}, snapshot at {cut}");
        }
    }
}
