//! One-shot YKC decoding of arbitrary bytes.
//!
//! Invariants asserted, for each of STRICT, LENIENT and LENIENT without the checksum check:
//!
//! 1. `YkcFrame::decode` never panics.
//! 2. A successful decode that recorded no deviation re-encodes without error.
//!    (A decode that recorded deviations may legitimately fail to encode: e.g. a lenient
//!    `InvalidBcd` gun byte `0xFF` decodes to 165, which a one-byte BCD cannot hold; a lenient
//!    over-long frame can exceed the 251-byte body limit.)
//! 3. When it re-encodes, decoding the re-encoded bytes with the same options succeeds and gives
//!    the same `message`, `seq`, `encryption` and `extra` (deviations may differ: the re-encoded
//!    frame has a correct length byte and checksum; `checksum_order` may flip to low-byte-first
//!    when both CRC bytes are equal).
//! 4. STRICT (checksum verified): a success with no deviations re-encodes to exactly the input
//!    bytes. Strict decoding only records `TimeFlagBits` (CP56Time2a flag bits masked, which
//!    encoding writes as zero), so every other strict success must be byte-exact.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pilekit::codec::ykc::YkcFrame;
use pilekit::codec::{DecodeContext, DecodeOptions};

fn check(data: &[u8], opts: DecodeOptions, name: &str) {
    let Ok(first) = YkcFrame::decode(data, &DecodeContext::new(opts)) else {
        return;
    };
    let encoded = match first.encode() {
        Ok(e) => e,
        Err(e) => {
            assert!(
                !first.deviations.is_empty() || first.deviations.dropped() > 0,
                "{name}: decode succeeded without deviations but encode failed: {e:?}\nframe: {first:?}"
            );
            return;
        }
    };
    let second = YkcFrame::decode(&encoded, &DecodeContext::new(opts)).unwrap_or_else(|e| {
        panic!(
            "{name}: re-encoded frame does not decode: {e:?}\nfirst: {first:?}\nencoded: {}",
            pilekit::hex::encode(&encoded)
        )
    });
    assert_eq!(
        first.message, second.message,
        "{name}: message changed on roundtrip"
    );
    assert_eq!(first.seq, second.seq, "{name}: seq changed on roundtrip");
    assert_eq!(
        first.encryption, second.encryption,
        "{name}: encryption changed"
    );
    assert_eq!(
        first.extra, second.extra,
        "{name}: extra changed on roundtrip"
    );
    // Encoding must be a fixpoint after one roundtrip.
    assert_eq!(
        second.encode().as_deref().ok(),
        Some(encoded.as_slice()),
        "{name}: encode(decode(encode(f))) != encode(f)"
    );
    if opts == DecodeOptions::STRICT && first.deviations.is_empty() {
        assert_eq!(
            encoded.as_slice(),
            data,
            "{name}: strict decode without deviations did not re-encode byte-exact"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    check(data, DecodeOptions::STRICT, "strict");
    check(data, DecodeOptions::LENIENT, "lenient");
    check(
        data,
        DecodeOptions::LENIENT.with_checksum_check(false),
        "lenient-nocrc",
    );
});
