//! The facade's one error: a stable machine-readable kind, the byte offset, the field, and a
//! message.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::{String, ToString};
use core::fmt;

use crate::codec::fields::BcdError;
use crate::codec::{DecodeError, DecodeErrorKind, EncodeError};
use crate::hex::HexError;
use crate::model::ModelError;
use crate::tariff::TariffError;
use crate::time::TimeError;
use crate::units::UnitError;

macro_rules! kinds {
    ($( $(#[$m:meta])* $variant:ident => $name:literal, )*) => {
        /// What went wrong, as a stable snake_case name (see the [module docs](super) for the
        /// list). New kinds may be added; existing names never change.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorKind {
            $( $(#[$m])* $variant, )*
        }

        impl ErrorKind {
            /// Every kind, in the order of the module docs.
            pub const ALL: &'static [ErrorKind] = &[$(ErrorKind::$variant,)*];

            /// The stable snake_case name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( ErrorKind::$variant => $name, )*
                }
            }

            /// The kind of a snake_case name.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $( $name => Some(ErrorKind::$variant), )*
                    _ => None,
                }
            }
        }
    };
}

kinds! {
    /// The input ended inside a frame or field.
    Truncated => "truncated",
    /// A frame does not begin with its dialect's start marker.
    BadStart => "bad_start",
    /// The checksum a frame carries does not match its contents.
    ChecksumMismatch => "checksum_mismatch",
    /// The length field disagrees with the frame type's size.
    LengthMismatch => "length_mismatch",
    /// The length field is outside what the dialect allows.
    BadLength => "bad_length",
    /// A BCD field holds a nibble above 9.
    InvalidBcd => "invalid_bcd",
    /// A date, time or UTC offset is malformed or out of range.
    InvalidTime => "invalid_time",
    /// A field holds a value that is not allowed there.
    InvalidValue => "invalid_value",
    /// Bytes follow the end of a frame in a one-shot decode.
    TrailingBytes => "trailing_bytes",
    /// No dialect starts with the bytes given, or a dialect name is unknown.
    UnknownDialect => "unknown_dialect",
    /// The direction cannot be told from the frame's layout.
    AmbiguousDirection => "ambiguous_direction",
    /// A value does not fit its wire field (range or precision).
    NotRepresentable => "not_representable",
    /// A frame would be longer than its length field can declare.
    TooLong => "too_long",
    /// Hex text is malformed.
    InvalidHex => "invalid_hex",
    /// JSON is malformed, or does not have the shape the request needs.
    InvalidJson => "invalid_json",
    /// A quantity (money, energy, power) is not a valid number for its unit.
    InvalidQuantity => "invalid_quantity",
    /// A plan is not valid.
    InvalidPlan => "invalid_plan",
    /// A plan holds a key its family does not have.
    UnknownKey => "unknown_key",
    /// A session's usage cannot be priced as given (end before start, negative power, ...).
    InvalidUsage => "invalid_usage",
    /// The payment does not fit the plan or does not cover it.
    InvalidPayment => "invalid_payment",
    /// The plan refuses the session (a power above its top tier).
    Refused => "refused",
    /// A command or frame does not fit the dialect or the pile.
    WrongDialect => "wrong_dialect",
    /// A command or frame lacks what it needs (a port, an order number, the pile's login).
    MissingValue => "missing_value",
    /// An amount is beyond the integer range.
    Overflow => "overflow",
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ErrorKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for ErrorKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name: Cow<'de, str> = serde::Deserialize::deserialize(d)?;
        ErrorKind::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown error kind `{name}`")))
    }
}

/// An error of the facade, the same in every front end. Its serde form is
/// `{"kind": "checksum_mismatch", "offset": 15, "field": null, "message": "..."}`.
///
/// `message` says what is wrong without the offset; [`Display`](fmt::Display) adds the offset
/// and the field (`at byte 15: checksum mismatch: ...`). Checksums appear in hex.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// The absolute byte offset of the problem in the input, where there is one.
    pub offset: Option<usize>,
    /// The field (or key, or argument) the problem is in, when known.
    pub field: Option<String>,
    /// What is wrong, for people.
    pub message: String,
    /// The line of a text input (a hex capture, a log) the problem is on, counted from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

impl Error {
    /// A new error without an offset or field.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            offset: None,
            field: None,
            message: message.into(),
            line: None,
        }
    }

    /// The same error at byte `offset`.
    pub fn at(mut self, offset: usize) -> Self {
        self.offset = Some(offset);
        self
    }

    /// The same error in `field`, if none is set yet.
    pub fn in_field(mut self, field: impl Into<String>) -> Self {
        if self.field.is_none() {
            self.field = Some(field.into());
        }
        self
    }

    /// The same error with its message prefixed by `context` (`plan: ...`).
    pub fn context(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }

    /// An `invalid_json` error from a serde error's text.
    pub(crate) fn json(e: impl fmt::Display) -> Self {
        Self::new(ErrorKind::InvalidJson, e.to_string())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(offset) = self.offset {
            write!(f, "at byte {offset}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(field) = &self.field {
            write!(f, " (field `{field}`)")?;
        }
        Ok(())
    }
}

impl core::error::Error for Error {}

impl From<DecodeErrorKind> for ErrorKind {
    fn from(kind: DecodeErrorKind) -> Self {
        match kind {
            DecodeErrorKind::Truncated { .. } => ErrorKind::Truncated,
            DecodeErrorKind::BadStart { .. } => ErrorKind::BadStart,
            DecodeErrorKind::ChecksumMismatch { .. } => ErrorKind::ChecksumMismatch,
            DecodeErrorKind::LengthMismatch { .. } => ErrorKind::LengthMismatch,
            DecodeErrorKind::BadLength { .. } => ErrorKind::BadLength,
            DecodeErrorKind::InvalidBcd { .. } => ErrorKind::InvalidBcd,
            DecodeErrorKind::InvalidTime { .. } => ErrorKind::InvalidTime,
            DecodeErrorKind::TrailingBytes { .. } => ErrorKind::TrailingBytes,
            DecodeErrorKind::UnknownDialect { .. } => ErrorKind::UnknownDialect,
            DecodeErrorKind::AmbiguousDirection => ErrorKind::AmbiguousDirection,
            _ => ErrorKind::InvalidValue,
        }
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Self {
            kind: e.kind.into(),
            offset: Some(e.offset),
            field: e.field.map(Into::into),
            message: e.kind.to_string(),
            line: None,
        }
    }
}

impl From<&DecodeError> for Error {
    fn from(e: &DecodeError) -> Self {
        Self::from(*e)
    }
}

impl From<EncodeError> for Error {
    fn from(e: EncodeError) -> Self {
        let message = e.to_string();
        match e {
            EncodeError::NotRepresentable { field, .. } => {
                Self::new(ErrorKind::NotRepresentable, message).in_field(field)
            }
            EncodeError::TooLong { .. } => Self::new(ErrorKind::TooLong, message),
        }
    }
}

impl From<HexError> for Error {
    fn from(e: HexError) -> Self {
        let err = Self::new(ErrorKind::InvalidHex, e.to_string());
        match e {
            HexError::InvalidCharacter { offset, .. } => err.at(offset),
            _ => err,
        }
    }
}

impl From<TimeError> for Error {
    fn from(e: TimeError) -> Self {
        let err = Self::new(ErrorKind::InvalidTime, e.to_string());
        match e {
            TimeError::OutOfRange { field, .. } => err.in_field(field),
            _ => err,
        }
    }
}

impl From<UnitError> for Error {
    fn from(e: UnitError) -> Self {
        let kind = match e {
            UnitError::Overflow { .. } => ErrorKind::Overflow,
            _ => ErrorKind::InvalidQuantity,
        };
        Self::new(kind, e.to_string())
    }
}

impl From<BcdError> for Error {
    fn from(e: BcdError) -> Self {
        Self::new(ErrorKind::InvalidBcd, e.to_string())
    }
}

impl Error {
    /// A tariff error as a person reads it: times as ISO 8601 in `offset` (the plan's), and
    /// durations in days, hours, minutes and seconds, where the plain conversion shows Unix
    /// seconds.
    pub fn from_tariff(e: TariffError, offset: crate::time::UtcOffset) -> Self {
        let message = match &e {
            TariffError::EndBeforeStart { start, end } => Some(format!(
                "session end {} is before its start {}",
                iso(*end, offset),
                iso(*start, offset)
            )),
            TariffError::TimeOutOfRange { at } => Some(format!(
                "time {} is outside the years 1970 to 9999",
                iso(*at, offset)
            )),
            TariffError::SessionTooLong { duration_s, max_s } => Some(format!(
                "a session of {} is longer than the {} a bill prices",
                span(*duration_s),
                span(*max_s)
            )),
            _ => None,
        };
        let mut err = Self::from(e);
        if let Some(m) = message {
            err.message = m;
        }
        err
    }
}

/// A time as ISO 8601 with its offset, e.g. `2024-05-01T22:00:00+08:00`.
fn iso(unix: i64, offset: crate::time::UtcOffset) -> String {
    match crate::time::Timestamp::from_unix(unix) {
        Some(t) => t.at_offset(offset).to_string(),
        None if unix < 0 => "before 1970-01-01T00:00:00Z".into(),
        None => "after 9999-12-31T23:59:59Z".into(),
    }
}

/// A duration in days, hours, minutes and seconds: `729 d 23 h`.
fn span(s: u64) -> String {
    let (d, h, m, sec) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
    let parts: alloc::vec::Vec<String> = [(d, "d"), (h, "h"), (m, "min"), (sec, "s")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n} {unit}"))
        .collect();
    if parts.is_empty() {
        "0 s".into()
    } else {
        parts.join(" ")
    }
}

impl From<TariffError> for Error {
    fn from(e: TariffError) -> Self {
        use TariffError as T;
        let message = e.to_string();
        let (kind, field): (ErrorKind, Option<String>) = match &e {
            T::UnknownKey { key, .. } => (ErrorKind::UnknownKey, Some(key.clone())),
            T::PowerAboveTopTier { .. } => (ErrorKind::Refused, None),
            T::EndBeforeStart { .. }
            | T::SessionTooLong { .. }
            | T::MissingEnergy
            | T::MissingPower
            | T::EnergyWithoutRate { .. } => (ErrorKind::InvalidUsage, None),
            T::NegativeUsage { what } => (ErrorKind::InvalidUsage, Some((*what).into())),
            T::TimeOutOfRange { .. } => (ErrorKind::InvalidTime, None),
            T::UtcOffsetOutOfRange { .. } => (ErrorKind::InvalidTime, Some("utc_offset_s".into())),
            T::PaymentMismatch { .. }
            | T::CardExpired { .. }
            | T::NoUsesLeft
            | T::InsufficientPrepaid { .. } => (ErrorKind::InvalidPayment, None),
            T::Overflow => (ErrorKind::Overflow, None),
            _ => (ErrorKind::InvalidPlan, None),
        };
        Self {
            kind,
            offset: None,
            field,
            message,
            line: None,
        }
    }
}

impl From<ModelError> for Error {
    fn from(e: ModelError) -> Self {
        let message = e.to_string();
        let kind = match e {
            ModelError::Tariff(t) => return t.into(),
            ModelError::MissingPort | ModelError::MissingOrder | ModelError::UnknownPile => {
                ErrorKind::MissingValue
            }
            ModelError::NotRepresentable { .. } | ModelError::ClassNotInDialect { .. } => {
                ErrorKind::NotRepresentable
            }
            _ => ErrorKind::WrongDialect,
        };
        Self::new(kind, message)
    }
}

impl From<crate::Error> for Error {
    fn from(e: crate::Error) -> Self {
        match e {
            crate::Error::Decode(e) => e.into(),
            crate::Error::Encode(e) => e.into(),
            crate::Error::Tariff(e) => e.into(),
            crate::Error::Unit(e) => e.into(),
            crate::Error::Time(e) => e.into(),
            crate::Error::Hex(e) => e.into(),
            crate::Error::Bcd(e) => e.into(),
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Self::json(e)
    }
}

#[cfg(test)]
mod tariff_tests {
    use super::Error;
    use crate::tariff::TariffError;
    use crate::time::UtcOffset;

    #[test]
    fn tariff_errors_show_iso_times_and_spans() {
        let e = TariffError::EndBeforeStart {
            start: 1_714_572_000,
            end: 1_714_568_400,
        };
        assert_eq!(
            Error::from_tariff(e, UtcOffset::CHINA).message,
            "session end 2024-05-01T21:00:00+08:00 is before its start 2024-05-01T22:00:00+08:00"
        );
        let e = TariffError::SessionTooLong {
            duration_s: 63_068_400,
            max_s: 34_560_000,
        };
        let err = Error::from_tariff(e, UtcOffset::CHINA);
        assert_eq!(
            err.message,
            "a session of 729 d 23 h is longer than the 400 d a bill prices"
        );
        assert_eq!(err.kind.as_str(), "invalid_usage");
        let e = TariffError::TimeOutOfRange { at: -5 };
        assert_eq!(
            Error::from_tariff(e, UtcOffset::UTC).message,
            "time before 1970-01-01T00:00:00Z is outside the years 1970 to 9999"
        );
    }
}
