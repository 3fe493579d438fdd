//! One-shot DNY decoding of arbitrary bytes.
//!
//! Input layout: a control byte `ctl`, then the frame bytes. `ctl & 3` picks the direction
//! passed to the decoder: 0 and 3 `None` (inferred from the layout), 1 `Some(Up)`, 2 `Some(Down)`.
//!
//! Invariants asserted, for each of STRICT, LENIENT and LENIENT without the checksum check:
//!
//! 1. `DnyFrame::decode` never panics.
//! 2. A successful decode that recorded no deviation re-encodes without error.
//! 3. When it re-encodes, decoding the re-encoded bytes with the same options and the frame's
//!    own `direction()` given explicitly succeeds and gives the same `physical_id`,
//!    `message_id`, `message` and `extra`; encoding is a fixpoint after one roundtrip.
//! 4. With the checksum verified (STRICT and LENIENT), a success whose deviations are at most
//!    `LongBody` (the bytes beyond the newest layout are kept in `extra` and written back)
//!    re-encodes to exactly the input bytes; in particular every STRICT success without
//!    deviations does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pilekit::codec::deviation::Deviation;
use pilekit::codec::dny::DnyFrame;
use pilekit::codec::{DecodeContext, DecodeOptions, Direction};

fn check(data: &[u8], opts: DecodeOptions, dir: Option<Direction>, name: &str) {
    let Ok(first) = DnyFrame::decode(data, &DecodeContext::new(opts).with_direction(dir)) else {
        return;
    };
    if let Some(d) = dir {
        assert_eq!(
            first.direction(),
            d,
            "{name}: decoded against the given direction"
        );
    }
    let encoded = match first.encode() {
        Ok(e) => e,
        Err(e) => {
            assert!(
                !first.deviations.is_empty() || first.deviations.dropped() > 0,
                "{name}/{dir:?}: decode succeeded without deviations but encode failed: {e:?}\nframe: {first:?}"
            );
            return;
        }
    };
    let second = DnyFrame::decode(&encoded, &DecodeContext::new(opts).with_direction(Some(first.direction()))).unwrap_or_else(|e| {
        panic!(
            "{name}/{dir:?}: re-encoded frame does not decode: {e:?}\nfirst: {first:?}\nencoded: {}",
            pilekit::hex::encode(&encoded)
        )
    });
    assert_eq!(
        first.physical_id, second.physical_id,
        "{name}/{dir:?}: physical_id changed"
    );
    assert_eq!(
        first.message_id, second.message_id,
        "{name}/{dir:?}: message_id changed"
    );
    assert_eq!(
        first.message,
        second.message,
        "{name}/{dir:?}: message changed on roundtrip\nencoded: {}",
        pilekit::hex::encode(&encoded)
    );
    assert_eq!(
        first.extra, second.extra,
        "{name}/{dir:?}: extra changed on roundtrip"
    );
    assert_eq!(
        second.encode().as_deref().ok(),
        Some(encoded.as_slice()),
        "{name}/{dir:?}: encode(decode(encode(f))) != encode(f)"
    );
    let only_long_body = first.deviations.dropped() == 0
        && first
            .deviations
            .iter()
            .all(|d| matches!(d, Deviation::LongBody { .. }));
    if opts.verify_checksum && only_long_body {
        assert_eq!(
            pilekit::hex::encode(&encoded),
            pilekit::hex::encode(data),
            "{name}/{dir:?}: checksum-verified decode without deviations (but LongBody) did not \
             re-encode byte-exact\nframe: {first:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, frame)) = data.split_first() else {
        return;
    };
    let dir = match ctl & 3 {
        1 => Some(Direction::Up),
        2 => Some(Direction::Down),
        _ => None,
    };
    check(frame, DecodeOptions::STRICT, dir, "strict");
    check(frame, DecodeOptions::LENIENT, dir, "lenient");
    check(
        frame,
        DecodeOptions::LENIENT.with_checksum_check(false),
        dir,
        "lenient-nocrc",
    );
});
