//! What a decode tolerated: the ways real piles deviate from their specification.

use core::fmt;

/// One deviation from the specification that the decoder tolerated, with where it was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Deviation {
    /// The length field disagreed with the frame type's body size (lenient only).
    LengthField {
        /// Body length the length field declared.
        declared: u16,
        /// Body length of the frame type.
        expected: u16,
    },
    /// The body was longer than the frame type's layout; the extra bytes are kept.
    LongBody {
        /// How many bytes beyond the layout.
        extra: u16,
    },
    /// A BCD field held a nibble above 9 (lenient only); the raw bytes are kept.
    InvalidBcd {
        /// Absolute offset of the field.
        offset: u32,
    },
    /// A CP56Time2a time had its day-of-week, invalid or summer-time bits set; they were masked.
    TimeFlagBits {
        /// Absolute offset of the time field.
        offset: u32,
    },
    /// The checksum was not verified because the caller turned the check off.
    ChecksumNotVerified,
    /// The checksum did not match, and the caller turned the check off.
    ChecksumMismatch {
        /// The checksum computed over the frame.
        computed: u16,
        /// The checksum the frame carried.
        carried: u16,
    },
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::LengthField { declared, expected } => {
                write!(
                    f,
                    "length field says {declared} body bytes, the frame type has {expected}"
                )
            }
            Self::LongBody { extra } => write!(f, "{extra} bytes beyond the specified body"),
            Self::InvalidBcd { offset } => {
                write!(f, "non-BCD nibble in the field at byte {offset}")
            }
            Self::TimeFlagBits { offset } => {
                write!(f, "day-of-week/IV/SU bits set in the time at byte {offset}")
            }
            Self::ChecksumNotVerified => f.write_str("checksum not verified"),
            Self::ChecksumMismatch { computed, carried } => {
                write!(
                    f,
                    "checksum `{carried:04X}` does not match `{computed:04X}` (not enforced)"
                )
            }
        }
    }
}

/// The deviations of one frame: a small inline list, so decoding allocates nothing.
///
/// Holds up to [`Deviations::CAPACITY`] entries; further ones are counted in
/// [`dropped`](Self::dropped).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Deviations {
    items: [Option<Deviation>; Deviations::CAPACITY],
    len: u8,
    dropped: u8,
}

impl Deviations {
    /// How many deviations are kept per frame.
    pub const CAPACITY: usize = 6;

    /// An empty list.
    pub const fn new() -> Self {
        Self {
            items: [None; Self::CAPACITY],
            len: 0,
            dropped: 0,
        }
    }

    /// Adds a deviation.
    pub fn push(&mut self, d: Deviation) {
        if usize::from(self.len) < Self::CAPACITY {
            self.items[usize::from(self.len)] = Some(d);
            self.len += 1;
        } else {
            self.dropped = self.dropped.saturating_add(1);
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many are kept.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// How many did not fit.
    pub fn dropped(&self) -> usize {
        usize::from(self.dropped)
    }

    /// The deviations, in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Deviation> {
        self.items[..self.len()].iter().flatten()
    }

    /// Whether a deviation like `pred` was recorded.
    pub fn any(&self, pred: impl Fn(&Deviation) -> bool) -> bool {
        self.iter().any(pred)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Deviations {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Deviations {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v: alloc::vec::Vec<Deviation> = serde::Deserialize::deserialize(d)?;
        let mut out = Self::new();
        for x in v {
            out.push(x);
        }
        Ok(out)
    }
}
