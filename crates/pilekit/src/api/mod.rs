//! The facade every front end wraps (the `pilekit` command, the Python and JavaScript
//! packages): canonical values in and out, the readable listing of a frame, the receipt of a
//! bill, ISO-8601 times, and one error type with a stable kind.
//!
//! In the layers of DESIGN.md this module sits on top of all the others and adds no protocol or
//! money logic of its own: it calls [`codec`](crate::codec), [`model`](crate::model) and
//! [`tariff`](crate::tariff) and speaks their canonical serde form. A binding therefore wraps
//! a handful of functions instead of the codec's types:
//!
//! | Function | In | Out |
//! |---|---|---|
//! | [`decode`] | bytes, a [`DecodeRequest`] | [`Record`]s (frames, DNY module text, skipped runs, errors) |
//! | [`decode_frame`] | the bytes of one frame, a [`DecodeRequest`] | the frame |
//! | [`Decoder`] | chunks of a stream | [`Record`]s; its state serialises and restores |
//! | [`CaptureDecoder`], [`decode_capture`] | a capture, raw or hex text (a log with timestamps and `RX:` markers), in chunks of any size | [`Record`]s, hex-text problems among them with their line |
//! | [`sniff_input`] | a capture file's contents | its bytes (hex text read as hex, binary as is) |
//! | [`encode`], [`encode_json`] | the canonical JSON of a record | the frame's bytes |
//! | [`listing`] | a frame | the readable listing |
//! | [`load_plan`] | a plan's JSON | the plan, unknown keys refused |
//! | [`plan_text`] | a plan | the plan as a person reads it (price table, time-of-use day) |
//! | [`plan_of_frame`] | a YKC billing-model or JUY tariff frame | the plan it describes |
//! | [`quote`], [`bill`] ([`quote_plan`], [`bill_plan`]) | a plan's JSON (or plan), a request | the quote or bill (canonical values) |
//! | [`parse_samples`] | `time,power_w[,energy_kwh]` lines or a JSON array | power/energy samples |
//! | [`receipt`], [`quote_text`] | a plan, a bill or quote | the bilingual receipt text |
//! | [`replay`] | a pile log (`TIMESTAMP PILE-ID up\|down HEX` lines), a plan | the sessions with their bills, the open sessions, the anomalies |
//! | [`parse_time`] | ISO-8601 text or Unix seconds | Unix seconds |
//! | [`field_spans`] | the bytes of one frame, a [`DecodeRequest`] | the byte span of each field |
//!
//! # Errors
//!
//! Every function fails with an [`Error`]: a [`kind`](ErrorKind) that programs match on, the
//! byte offset of the problem in the input where there is one, the field, and a message for
//! people (checksums in hex). Its serde form is
//! `{"kind": "checksum_mismatch", "offset": 15, "field": null, "message": "..."}`. The kinds:
//!
//! - `truncated`: the input ended inside a frame or field.
//! - `bad_start`: a frame does not begin with its dialect's start marker.
//! - `checksum_mismatch`: the checksum a frame carries does not match its contents.
//! - `length_mismatch`: the length field disagrees with the frame type's size.
//! - `bad_length`: the length field is outside what the dialect allows.
//! - `invalid_bcd`: a BCD field holds a nibble above 9.
//! - `invalid_time`: a date, time or UTC offset is malformed or out of range.
//! - `invalid_value`: a field holds a value that is not allowed there.
//! - `trailing_bytes`: bytes follow the end of a frame in a one-shot decode.
//! - `unknown_dialect`: no dialect starts with the bytes given, or a dialect name is unknown.
//! - `ambiguous_direction`: the direction cannot be told from the frame's layout.
//! - `not_representable`: a value does not fit its wire field (range or precision).
//! - `too_long`: a frame would be longer than its length field can declare.
//! - `invalid_hex`: hex text is malformed.
//! - `invalid_json`: JSON is malformed, or does not have the shape the request needs.
//! - `invalid_quantity`: a quantity (money, energy, power) is not a valid number for its unit.
//! - `invalid_plan`: a plan is not valid.
//! - `unknown_key`: a plan holds a key its family does not have.
//! - `invalid_usage`: a session's usage cannot be priced as given.
//! - `invalid_payment`: the payment does not fit the plan or does not cover it.
//! - `refused`: the plan refuses the session (a power above its top tier).
//! - `wrong_dialect`: a command or frame does not fit the dialect or the pile.
//! - `missing_value`: a command or frame lacks what it needs (a port, an order number).
//! - `overflow`: an amount is beyond the integer range.
//!
//! New kinds may be added in later versions; a name never changes meaning.

mod capture;
mod decode;
mod encode;
mod error;
mod listing;
mod node;
mod plan_text;
mod receipt;
mod replay;
mod spans;
mod stream;
mod tariff;
mod time;

pub use capture::{CaptureDecoder, CaptureFormat, decode_capture};
pub use decode::{DecodeRequest, DialectName, Record, decode, decode_frame, sniff_input};
pub use encode::{encode, encode_json};
pub use error::{Error, ErrorKind};
pub use listing::listing;
pub use plan_text::{plan_of_frame, plan_text};
pub use receipt::{quote_text, receipt};
pub use replay::{Finding, OpenSession, Replay, ReplayRequest, replay, replay_text};
pub use spans::{FieldSpan, field_spans};
pub use stream::Decoder;
pub use tariff::{
    BillRequest, QuoteRequest, bill, bill_plan, load_plan, parse_samples, quote, quote_plan,
};
pub use time::{MAX_UTC_OFFSET_S, parse_time};

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec::Vec;

    #[test]
    fn the_docs_list_every_kind_in_order() {
        let source = include_str!("mod.rs");
        let listed: Vec<&str> = source
            .lines()
            .filter_map(|l| l.strip_prefix("//! - `"))
            .filter_map(|l| l.split('`').next())
            .collect();
        let all: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(listed, all);
        for kind in ErrorKind::ALL {
            assert_eq!(ErrorKind::from_name(kind.as_str()), Some(*kind));
        }
    }

    #[test]
    fn errors_have_one_serde_form() {
        let e = Error::new(ErrorKind::ChecksumMismatch, "checksum mismatch").at(15);
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"checksum_mismatch","offset":15,"field":null,"message":"checksum mismatch"}"#
        );
        let back: Error = serde_json::from_str(&json).unwrap();
        assert_eq!(back, e);
        assert_eq!(e.to_string(), "at byte 15: checksum mismatch");
    }
}
