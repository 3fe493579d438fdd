//! Helpers for the canonical serde form: the one shape every message, plan and bill has, whoever
//! reads it (the command line's `--json`, a platform's store, a browser).
//!
//! Scaled quantities appear as JSON numbers in the unit their key's suffix names (`"voltage_v":
//! 373.2`). Serde's data model has no exact decimal number, so the value crosses the serde
//! boundary as the `f64` nearest to the exact decimal. No arithmetic is done on it: every
//! quantity has at most 15 significant digits, for which the shortest decimal that round-trips
//! the `f64` — what JSON writers print — is exactly the original decimal. Reading goes back
//! through that shortest decimal text, so `deserialize(serialize(x)) == x` holds exactly. A
//! number whose shortest text has more than 15 significant digits is refused, since the reader
//! may have changed it; such values are written as strings (`"1234567890123.4567"`), which are
//! read exactly, and written as strings.

use alloc::string::String;
use core::fmt::Write as _;

use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

use crate::decimal;

/// Serializes `raw / 10^decimals` as a JSON number (an integer when `decimals` is 0), or as a
/// decimal string when it has more than 15 significant digits.
pub(crate) fn serialize_decimal<S: Serializer>(
    raw: i128,
    decimals: u32,
    s: S,
) -> Result<S::Ok, S::Error> {
    if decimals == 0 {
        return match i64::try_from(raw) {
            Ok(v) => s.serialize_i64(v),
            Err(_) => Err(serde::ser::Error::custom("value out of range")),
        };
    }
    let mut digits = raw.unsigned_abs();
    while digits != 0 && digits.is_multiple_of(10) {
        digits /= 10;
    }
    if digits >= 10u128.pow(MAX_EXACT_DIGITS as u32) {
        // Too many significant digits for a binary float: the exact decimal as a string.
        struct Text(i128, u32);
        impl core::fmt::Display for Text {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                decimal::write(f, self.0, self.1, 0)
            }
        }
        return s.collect_str(&Text(raw, decimals));
    }
    let scale = decimal::pow10(decimals).unwrap_or(1);
    // Exact for at most 15 significant digits: both operands are exact and the division is
    // correctly rounded, so the shortest text of the result is the decimal itself.
    s.serialize_f64(raw as f64 / scale as f64)
}

/// Reads a JSON number (or a decimal string) into an integer with `decimals` decimals, exactly.
pub(crate) fn deserialize_decimal<'de, D: Deserializer<'de>>(
    d: D,
    decimals: u32,
) -> Result<i128, D::Error> {
    struct V(u32);
    impl Visitor<'_> for V {
        type Value = i128;
        fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            write!(f, "a decimal number with at most {} decimals", self.0)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<i128, E> {
            decimal::rescale(i128::from(v), 0, self.0).ok_or_else(|| E::custom("out of range"))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<i128, E> {
            decimal::rescale(i128::from(v), 0, self.0).ok_or_else(|| E::custom("out of range"))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<i128, E> {
            let mut text = String::new();
            let _ = write!(text, "{v}");
            if significant_digits(&text) > MAX_EXACT_DIGITS {
                return Err(E::custom(alloc::format!(
                    "`{text}` has more than {MAX_EXACT_DIGITS} significant digits and cannot be \
                     read exactly as a number; write it as a string"
                )));
            }
            self.visit_str(&text)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<i128, E> {
            decimal::parse(v.trim(), self.0).ok_or_else(|| {
                E::custom(alloc::format!(
                    "`{v}` is not a decimal number with at most {} decimals",
                    self.0
                ))
            })
        }
    }
    d.deserialize_any(V(decimals))
}

/// The most significant digits a decimal can have and still be the shortest text of the `f64`
/// nearest to it: a JSON number with more may have been changed by the reader's binary float.
const MAX_EXACT_DIGITS: usize = 15;

/// The significant digits of a plain decimal text (no exponent): leading and trailing zeros,
/// the sign and the point do not count.
fn significant_digits(text: &str) -> usize {
    let digits = text.trim_start_matches('-').replace('.', "");
    digits.trim_start_matches('0').trim_end_matches('0').len()
}

/// Serializes bytes as a lowercase hex string.
pub(crate) fn serialize_hex<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::hex::encode(bytes))
}

/// Reads a hex string (spaces allowed) into bytes.
pub(crate) fn deserialize_hex<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<alloc::vec::Vec<u8>, D::Error> {
    let text: String = serde::Deserialize::deserialize(d)?;
    crate::hex::decode(&text).map_err(de::Error::custom)
}
