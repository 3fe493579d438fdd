//! The facade's round trip: `api::decode` (auto-detecting, lenient) → canonical JSON text →
//! `api::encode_json`.
//!
//! Input layout: `ctl`, then the stream. `ctl & 1` decodes strict instead of lenient;
//! `ctl & 2` turns the checksum check off; `ctl & 4` also feeds the stream through
//! `api::Decoder` with a serde snapshot and restore after every byte of the first 64 (taken after
//! polling, as a checkpoint is).
//!
//! Asserted: no panic; every frame record without deviations encodes back to exactly the
//! bytes it was decoded from, ICCID and `link` records to their text; skipped runs and errors
//! are refused by `encode` with a stable kind; every record's JSON parses; the snapshotting
//! decoder gives the same records as the one-shot decode.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pilekit::api::{self, DecodeRequest, Decoder, Record};

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, stream)) = data.split_first() else {
        return;
    };
    let request = DecodeRequest {
        strict: ctl & 1 != 0,
        verify_checksum: ctl & 2 == 0,
        ..DecodeRequest::default()
    };
    let records = api::decode(stream, &request);
    for (i, record) in records.iter().enumerate() {
        let text = serde_json::to_string(record).expect("a record serialises");
        let value: serde_json::Value = serde_json::from_str(&text).expect("its JSON parses");
        let start = record.offset();
        match record {
            Record::Frame { offset, frame } => {
                let clean = value["deviations"].as_array().is_some_and(Vec::is_empty);
                let bytes = api::encode_json(&text);
                if clean {
                    let bytes = bytes.expect("a deviation-free frame encodes");
                    let end = offset + bytes.len();
                    assert_eq!(&stream[*offset..end], bytes.as_slice(), "{frame:?}");
                }
                let _ = api::listing(frame);
            }
            Record::Iccid { offset, iccid } => {
                let bytes = api::encode_json(&text).expect("an ICCID encodes");
                assert_eq!(bytes, iccid.as_bytes());
                assert_eq!(&stream[*offset..offset + 20], bytes.as_slice());
            }
            Record::Link { offset } => {
                assert_eq!(api::encode_json(&text).expect("link encodes"), b"link");
                assert_eq!(&stream[*offset..offset + 4], b"link");
            }
            Record::Skipped { .. } | Record::Error(_) => {
                let err = api::encode_json(&text).expect_err("no bytes to encode");
                assert_eq!(err.kind.as_str(), "invalid_json");
            }
            _ => {}
        }
        if let (Some(a), Some(b)) = (start, records.get(i + 1).and_then(Record::offset)) {
            assert!(a <= b, "records out of order");
        }
    }
    if ctl & 4 != 0 {
        // A checkpoint is taken after polling: the state is then the stream decoder's alone.
        let mut decoder = Decoder::new(&request);
        let mut again: Vec<Record> = Vec::new();
        let head = stream.len().min(64);
        for byte in &stream[..head] {
            decoder.feed(core::slice::from_ref(byte));
            again.extend(decoder.by_ref());
            let snapshot = serde_json::to_string(&decoder).expect("the state serialises");
            decoder = serde_json::from_str(&snapshot).expect("and restores");
        }
        decoder.feed(&stream[head..]);
        decoder.finish();
        again.extend(decoder);
        assert_eq!(again, records);
    }
});
