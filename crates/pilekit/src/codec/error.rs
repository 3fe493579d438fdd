//! Errors of decoding and encoding frames.

use core::fmt;

/// What was wrong with the input, without the where (see [`DecodeError`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ended inside a frame or field.
    Truncated {
        /// Bytes the frame or field needed from the error's offset on.
        needed: usize,
        /// Bytes that were there.
        available: usize,
    },
    /// The frame does not begin with the dialect's start marker.
    BadStart {
        /// The first byte found.
        found: u8,
    },
    /// The checksum carried by the frame does not match its contents.
    ChecksumMismatch {
        /// The checksum computed over the frame.
        computed: u16,
        /// The checksum the frame carried, as read in the dialect's normal byte order.
        carried: u16,
    },
    /// The length field disagrees with the size the frame type has.
    LengthMismatch {
        /// Body length declared by the frame's length field.
        declared: usize,
        /// Body length the frame type has.
        expected: usize,
    },
    /// The length field gives a size outside what the dialect allows.
    BadLength {
        /// The declared length.
        declared: usize,
    },
    /// A BCD field holds a nibble above 9.
    InvalidBcd {
        /// The offending byte.
        byte: u8,
    },
    /// A date or time field out of range.
    InvalidTime {
        /// The part of the time that is wrong, e.g. `month`.
        part: &'static str,
        /// Its value.
        value: u32,
    },
    /// A field holds a value the protocol does not allow here.
    InvalidValue {
        /// The value.
        value: u32,
    },
    /// Bytes after the end of the frame in a one-shot decode.
    TrailingBytes {
        /// How many.
        count: usize,
    },
    /// The dialect could not be recognised from the first bytes.
    UnknownDialect {
        /// The first byte.
        found: u8,
    },
    /// The direction of the frame could not be told from its layout.
    AmbiguousDirection,
}

impl fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Truncated { needed, available } => {
                write!(
                    f,
                    "input ends early: needed {needed} bytes, {available} available"
                )
            }
            Self::BadStart { found } => write!(
                f,
                "frame does not start with its start marker (found `{found:02X}`)"
            ),
            Self::ChecksumMismatch { computed, carried } => write!(
                f,
                "checksum mismatch: frame carries `{carried:04X}`, contents give `{computed:04X}`"
            ),
            Self::LengthMismatch { declared, expected } => write!(
                f,
                "length field declares a {declared}-byte body, this frame type has {expected} bytes"
            ),
            Self::BadLength { declared } => write!(f, "length field `{declared}` is out of range"),
            Self::InvalidBcd { byte } => {
                write!(f, "`{byte:02X}` is not a BCD byte (nibble above 9)")
            }
            Self::InvalidTime { part, value } => write!(f, "time {part} `{value}` is out of range"),
            Self::InvalidValue { value } => write!(f, "value `{value}` is not allowed here"),
            Self::TrailingBytes { count } => write!(f, "{count} bytes after the end of the frame"),
            Self::UnknownDialect { found } => {
                write!(f, "no known protocol starts with byte `{found:02X}`")
            }
            Self::AmbiguousDirection => {
                f.write_str("direction cannot be told from the layout; give `up` or `down`")
            }
        }
    }
}

/// A frame that could not be decoded: what was wrong, where (absolute byte offset from the start
/// of the input, or of the stream for a stream decoder), and in which field when known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DecodeError {
    /// What was wrong.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub kind: DecodeErrorKind,
    /// Absolute byte offset of the problem.
    pub offset: usize,
    /// The field being decoded, when the problem is inside one.
    pub field: Option<&'static str>,
}

impl DecodeError {
    /// A new error without a field name.
    pub const fn new(kind: DecodeErrorKind, offset: usize) -> Self {
        Self {
            kind,
            offset,
            field: None,
        }
    }

    /// The same error, with a field name if none is set yet.
    pub const fn in_field(mut self, field: &'static str) -> Self {
        if self.field.is_none() {
            self.field = Some(field);
        }
        self
    }

    /// The same error, moved by `base` bytes (for errors found inside a sub-slice).
    pub const fn shifted(mut self, base: usize) -> Self {
        self.offset += base;
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.kind)?;
        if let Some(field) = self.field {
            write!(f, " (field `{field}`)")?;
        }
        Ok(())
    }
}

impl core::error::Error for DecodeError {}

/// A message that cannot be put on the wire as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// A field's value does not fit its wire encoding (range or precision).
    #[error("field `{field}`: {value} cannot be encoded ({reason})")]
    NotRepresentable {
        /// The field.
        field: &'static str,
        /// The value, as text.
        value: alloc::string::String,
        /// Why, e.g. `precision is 0.1 A`.
        reason: &'static str,
    },
    /// The frame would be longer than its length field can declare.
    #[error("body of {len} bytes is longer than the {max} bytes the frame allows")]
    TooLong {
        /// Body length.
        len: usize,
        /// Maximum.
        max: usize,
    },
}
