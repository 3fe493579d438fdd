//! Frames on the wire: framing, checksums, field encodings and one module per dialect.
//!
//! | Dialect | Piles | Frame | Module |
//! |---|---|---|---|
//! | YKC (云快充) V1.5/V1.6 | car piles, AC and DC | `68 · len · seq · enc · type · body · CRC-16/MODBUS` | [`ykc`] |
//! | AP3000 "DNY" V8.6 / host V2.9 | e-bike piles (1/2/10/12/16-way) and their hosts | `"DNY" · len · phys id · msg id · cmd · data · sum16` | [`dny`] |
//! | JUY V1.2 | 10/12-way e-bike piles, coin/card/free start | `5A A5 · len · cmd · result · [IMEI] · data · sum8` | [`juy`] |
//!
//! Every dialect decodes every frame type its reference lists, in both directions, into a typed
//! message; unknown frame types decode to an opaque message that keeps the raw body. Below the
//! dialects, [`framing`] is the contract each dialect's framer implements (start marker, frame
//! length, garbage); above them, a [`stream::StreamDecoder`] composes the framers and turns
//! arbitrary TCP chunks into frames.
//!
//! Decoding follows a [`DecodeOptions`]: [`Policy::Strict`] (the default) rejects frames that
//! break the specification; [`Policy::Lenient`] decodes what real piles send and lists every
//! [`Deviation`] it tolerated. A bad checksum is rejected under both unless
//! [`DecodeOptions::verify_checksum`] is turned off.

pub mod any;
pub mod deviation;
pub mod dny;
#[cfg(feature = "serde")]
#[doc(hidden)]
pub mod enum_serde;
pub mod error;
pub mod fields;
pub mod framing;
pub mod juy;
pub mod scales;
pub mod stream;
#[doc(hidden)]
pub mod wire;
pub mod ykc;

pub use any::AnyFrame;
pub use deviation::{Deviation, Deviations};
pub use error::{DecodeError, DecodeErrorKind, EncodeError};

/// How strictly a decoder holds frames to the specification.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Policy {
    /// Reject a frame whose length field disagrees with its frame type's layout, or that holds
    /// invalid BCD digits.
    #[default]
    Strict,
    /// Decode what is there when possible, and list each tolerated [`Deviation`].
    Lenient,
}

/// Options of a decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DecodeOptions {
    /// Strict or lenient.
    pub policy: Policy,
    /// Verify the checksum (default `true`). When `false`, a mismatch is reported as a
    /// [`Deviation`] instead of an error.
    pub verify_checksum: bool,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        Self::STRICT
    }
}

impl DecodeOptions {
    /// Strict, checksum verified.
    pub const STRICT: Self = Self {
        policy: Policy::Strict,
        verify_checksum: true,
    };
    /// Lenient, checksum verified.
    pub const LENIENT: Self = Self {
        policy: Policy::Lenient,
        verify_checksum: true,
    };

    /// These options with another policy.
    pub const fn with_policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// These options with the checksum check on or off.
    pub const fn with_checksum_check(mut self, verify: bool) -> Self {
        self.verify_checksum = verify;
        self
    }
}

/// Which way a frame travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Direction {
    /// From the pile to the platform.
    Up,
    /// From the platform to the pile.
    Down,
}

impl Direction {
    /// `"up"` or `"down"`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Up => "up",
            Self::Down => "down",
        }
    }
}

/// The protocols pilekit speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Dialect {
    /// YKC (云快充) V1.5/V1.6, car piles.
    Ykc,
    /// AP3000 "DNY" V8.6, e-bike piles and their hosts.
    Dny,
    /// JUY `5A A5` V1.2, e-bike piles.
    Juy,
}

impl Dialect {
    /// The dialect's short name, as used on the command line and in JSON.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Ykc => "ykc",
            Self::Dny => "dny",
            Self::Juy => "juy",
        }
    }
}

/// The byte order a two-byte checksum was carried in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ByteOrder {
    /// Low byte first (little-endian), the Modbus RTU order.
    #[default]
    LowByteFirst,
    /// High byte first (big-endian).
    HighByteFirst,
}
