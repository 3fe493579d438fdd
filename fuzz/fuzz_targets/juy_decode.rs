//! One-shot JUY decoding of arbitrary bytes.
//!
//! Input layout: a control byte `ctl`, then the frame bytes. `ctl` picks the `JuyOptions` and
//! the direction:
//! - `ctl & 1`: energy resolution, 0 `MilliKwh`, 1 `CentiKwh`;
//! - `(ctl >> 1) & 3`: IMEI form, 0 `Original`, 1 `WithImei`, 2 and 3 `Detect`;
//! - `(ctl >> 3) & 3`: direction, 1 `Some(Up)`, 2 `Some(Down)`, 0 and 3 `None` (inferred).
//!
//! Invariants asserted, for each of STRICT, LENIENT and LENIENT without the checksum check:
//!
//! 1. `JuyFrame::decode` never panics, and `decode_into` into a frame that already holds another
//!    message (port data, which is refilled in place) gives the same result as `decode`.
//! 2. A given direction is the decoded frame's `direction()`; with `Original` the frame has no
//!    IMEI, with `WithImei` it has one.
//! 3. A successful decode that recorded no deviation re-encodes without error at the same energy
//!    resolution (energy is read as `raw` steps of the resolution, so it is always a whole
//!    number of steps that fits a u32).
//! 4. When it re-encodes, decoding the re-encoded bytes with the same options, the frame's own
//!    `direction()` given and the form the frame was read in fixed (`WithImei` when it has an
//!    IMEI, else `Original`) succeeds and gives the same `result`, `imei`, `message` and
//!    `extra`; encoding is a fixpoint after one roundtrip.
//! 5. Exactness: encoding ignores `imei_form` and writes energy at the decode's resolution, so
//!    for every form and resolution, a checksum-verified success (STRICT or LENIENT) whose
//!    deviations are at most `LongBody` (extra bytes are kept and written back) re-encodes to
//!    exactly the input bytes; in particular every STRICT success without deviations does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pilekit::codec::deviation::Deviation;
use pilekit::codec::juy::{EnergyResolution, ImeiForm, JuyFrame, JuyMessage, JuyOptions, PortData};
use pilekit::codec::{DecodeContext, DecodeOptions, Direction};

fn check(data: &[u8], opts: DecodeOptions, juy: JuyOptions, dir: Option<Direction>, name: &str) {
    let decoded = JuyFrame::decode(
        data,
        &DecodeContext::new(opts).with_direction(dir).with_juy(juy),
    );
    // decode_into a frame that holds port data must agree with decode.
    let mut reused = JuyFrame::new(JuyMessage::PortData(PortData::default()));
    let into = reused.decode_into(
        data,
        &DecodeContext::new(opts).with_direction(dir).with_juy(juy),
    );
    match (&decoded, &into) {
        (Ok(f), Ok(())) => assert_eq!(f, &reused, "{name}: decode_into differs from decode"),
        (Err(a), Err(b)) => assert_eq!(a, b, "{name}: decode_into error differs"),
        _ => panic!("{name}: decode {decoded:?} vs decode_into {into:?}"),
    }
    let Ok(first) = decoded else {
        return;
    };
    let ctx = format!("{name}/{juy:?}/{dir:?}");
    if let Some(d) = dir {
        assert_eq!(
            first.direction(),
            d,
            "{ctx}: decoded against the given direction"
        );
    }
    match juy.imei_form {
        ImeiForm::Original => assert!(first.imei.is_none(), "{ctx}: IMEI in the original form"),
        ImeiForm::WithImei => assert!(first.imei.is_some(), "{ctx}: no IMEI in the IMEI form"),
        ImeiForm::Detect => {}
    }
    let encoded = match first.encode() {
        Ok(e) => e,
        Err(e) => {
            assert!(
                !first.deviations.is_empty() || first.deviations.dropped() > 0,
                "{ctx}: decode succeeded without deviations but encode failed: {e:?}\nframe: {first:?}"
            );
            return;
        }
    };
    let fixed = juy.with_imei_form(if first.imei.is_some() {
        ImeiForm::WithImei
    } else {
        ImeiForm::Original
    });
    let second = JuyFrame::decode(
        &encoded,
        &DecodeContext::new(opts)
            .with_direction(Some(first.direction()))
            .with_juy(fixed),
    )
    .unwrap_or_else(|e| {
        panic!(
            "{ctx}: re-encoded frame does not decode: {e:?}\nfirst: {first:?}\nencoded: {}",
            pilekit::hex::encode(&encoded)
        )
    });
    assert_eq!(
        first.result, second.result,
        "{ctx}: result changed on roundtrip"
    );
    assert_eq!(first.imei, second.imei, "{ctx}: imei changed on roundtrip");
    assert_eq!(
        first.message,
        second.message,
        "{ctx}: message changed on roundtrip\nencoded: {}",
        pilekit::hex::encode(&encoded)
    );
    assert_eq!(
        first.extra, second.extra,
        "{ctx}: extra changed on roundtrip"
    );
    assert_eq!(
        second.encode().as_deref().ok(),
        Some(encoded.as_slice()),
        "{ctx}: encode(decode(encode(f))) != encode(f)"
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
            "{ctx}: checksum-verified decode without deviations (but LongBody) did not re-encode \
             byte-exact\nframe: {first:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, frame)) = data.split_first() else {
        return;
    };
    let resolution = if ctl & 1 == 0 {
        EnergyResolution::MilliKwh
    } else {
        EnergyResolution::CentiKwh
    };
    let form = match (ctl >> 1) & 3 {
        0 => ImeiForm::Original,
        1 => ImeiForm::WithImei,
        _ => ImeiForm::Detect,
    };
    let dir = match (ctl >> 3) & 3 {
        1 => Some(Direction::Up),
        2 => Some(Direction::Down),
        _ => None,
    };
    let juy = JuyOptions::default()
        .with_energy_resolution(resolution)
        .with_imei_form(form);
    check(frame, DecodeOptions::STRICT, juy, dir, "strict");
    check(frame, DecodeOptions::LENIENT, juy, dir, "lenient");
    check(
        frame,
        DecodeOptions::LENIENT.with_checksum_check(false),
        juy,
        dir,
        "lenient-nocrc",
    );
});
