//! A stream decoder checkpointed between chunks restores with the garbage run it was holding,
//! its reason included.
#![cfg(feature = "serde")]

use pilekit::codec::stream::{StreamDecoder, StreamItem};
use pilekit::codec::{DecodeOptions, Dialect};

/// A decoder holding a garbage run whose reason is a bad YKC length byte at offset 1.
fn holding_a_run() -> StreamDecoder {
    let mut d = StreamDecoder::new(Dialect::Ykc, DecodeOptions::STRICT);
    d.feed(&[0x68, 0x02, 0x00], |_| panic!("the run is reported later"));
    d
}

#[test]
fn a_held_reason_survives_a_checkpoint() {
    let d = holding_a_run();
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["skip_reason"]["kind"], "bad_length");
    let mut back: StreamDecoder = serde_json::from_value(json).unwrap();
    assert_eq!(back, d);
    let items = back.finish_collect();
    let [
        StreamItem::Skipped {
            offset: 0,
            len: 3,
            reason: Some(r),
        },
    ] = items.as_slice()
    else {
        panic!("one run: {items:?}");
    };
    assert_eq!(r.offset, 1);
}

#[test]
fn field_and_time_part_names_are_restored() {
    let mut json = serde_json::to_value(holding_a_run()).unwrap();
    for (part, field) in [
        ("month", "length"),
        ("second", "checksum"),
        ("weekday", "start"),
    ] {
        json["skip_reason"] = serde_json::json!({
            "kind": "invalid_time", "part": part, "value": 13, "offset": 7, "field": field
        });
        let back: StreamDecoder = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(serde_json::to_value(&back).unwrap(), json);
    }
    // a name the codec never gives is restored as `field`
    json["skip_reason"]["field"] = "voltage".into();
    let back: StreamDecoder = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(
        serde_json::to_value(&back).unwrap()["skip_reason"]["field"],
        "field"
    );
}
