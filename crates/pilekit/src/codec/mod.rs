//! Frames on the wire: framing, checksums, field encodings and one module per dialect.
//!
//! Layer: the bottom one. `codec` uses only the base modules ([`units`](crate::units),
//! [`time`](crate::time), [`hex`](crate::hex)); it knows nothing of sessions or money rules.
//! The `model` layer above turns its frames into protocol-neutral events.
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
//! # One contract for every dialect
//!
//! The three frame types ([`ykc::YkcFrame`], [`dny::DnyFrame`], [`juy::JuyFrame`]) and
//! [`AnyFrame`] have the same shape, written down by the [`Frame`] trait:
//!
//! - `decode(bytes, &DecodeContext)` decodes exactly one frame;
//! - `encode()` / `encode_into(&mut Vec<u8>)` write it back; a frame carries everything it
//!   needs to be re-encoded (the YKC CRC byte order, the JUY energy resolution and IMEI form),
//!   so encoding takes no options;
//! - `reply(&self, message)` builds the answer to a frame (same sequence number, message id or
//!   IMEI form), and `acknowledgement()` the answer a platform sends without deciding anything;
//! - the message catalogue of each dialect is declared with one macro (`catalogue!`), so every
//!   message enum has `name()`, `direction()` and its frame type or command code.
//!
//! A [`DecodeContext`] holds what a decode needs to know besides the bytes: the [`Policy`],
//! whether to verify the checksum, the direction if the caller knows it, the absolute offset of
//! the first byte (errors carry absolute offsets), and the JUY energy resolution and IMEI form.
//! [`Policy::Strict`] (the default) rejects frames that break the specification;
//! [`Policy::Lenient`] decodes what real piles send and lists every [`Deviation`] it tolerated. A
//! bad checksum is rejected under both unless [`DecodeContext::verify_checksum`] is turned off.
//!
//! ```
//! use pilekit::codec::{AnyFrame, DecodeContext, Direction, Frame, Policy};
//!
//! let bytes = pilekit::hex::decode("5A A5 08 00 84 00 02 01 00 00 00 8F")?;
//! let ctx = DecodeContext::default()
//!     .with_policy(Policy::Lenient)
//!     .with_direction(Some(Direction::Down));
//! let frame = AnyFrame::decode(&bytes, &ctx)?;
//! assert_eq!(frame.name(), "remote_stop");
//! assert_eq!(frame.encode()?, bytes);
//! # Ok::<(), pilekit::Error>(())
//! ```

pub mod any;
mod catalogue;
pub mod deviation;
pub mod dny;
#[cfg(feature = "serde")]
pub(crate) mod enum_serde;
pub mod error;
pub mod fields;
pub mod framing;
pub mod juy;
pub(crate) mod scales;
pub mod stream;
pub(crate) mod wire;
pub mod ykc;

pub use any::AnyFrame;
pub use catalogue::CatalogueEntry;
pub use deviation::{Deviation, Deviations};
pub use error::{DecodeError, DecodeErrorKind, EncodeError};

use alloc::vec::Vec;

use juy::{EnergyResolution, ImeiForm, JuyOptions};

/// What every dialect's frame type (and [`AnyFrame`]) offers: one way to decode, one way to
/// encode.
///
/// ```
/// use pilekit::codec::{DecodeContext, Dialect, Frame};
/// use pilekit::codec::ykc::YkcFrame;
///
/// fn roundtrip<F: Frame>(bytes: &[u8]) -> Result<Vec<u8>, pilekit::Error> {
///     let frame = F::decode(bytes, &DecodeContext::default())?;
///     Ok(frame.encode()?)
/// }
/// let bytes = pilekit::hex::decode("68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A")?;
/// assert_eq!(roundtrip::<YkcFrame>(&bytes)?, bytes);
/// # Ok::<(), pilekit::Error>(())
/// ```
pub trait Frame: Sized {
    /// Decodes exactly one frame that fills `bytes`. Error offsets are
    /// [`ctx.base_offset`](DecodeContext::base_offset) plus the offset in `bytes`.
    fn decode(bytes: &[u8], ctx: &DecodeContext) -> Result<Self, DecodeError>;

    /// Appends the encoded frame to `out`; on error `out` is left as it was.
    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), EncodeError>;

    /// The encoded frame.
    fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::new();
        self.encode_into(&mut out)?;
        Ok(out)
    }

    /// The frame's dialect.
    fn dialect(&self) -> Dialect;

    /// Which way the frame travels.
    fn direction(&self) -> Direction;

    /// The message name in snake_case, as in the canonical form.
    fn name(&self) -> &'static str;
}

/// Everything a decode needs besides the bytes, for every dialect.
///
/// Cheap to build: `DecodeContext::default()` is strict, verifies checksums, lets the layout
/// decide the direction, counts offsets from 0, and expects JUY energy in 0.001 kWh with the
/// IMEI form detected from the length. Change what differs with the `with_*` methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct DecodeContext {
    /// Strict or lenient.
    pub policy: Policy,
    /// Verify the checksum (default `true`). When `false`, a mismatch is reported as a
    /// [`Deviation`] instead of an error.
    pub verify_checksum: bool,
    /// The direction, when the caller knows it (`Some(Up)` for frames from the pile,
    /// `Some(Down)` for frames to it); `None` decides from the layout. Used by DNY and JUY, whose
    /// command codes travel both ways; YKC frame types say their direction themselves.
    pub direction: Option<Direction>,
    /// The absolute offset of `bytes[0]` in a larger input; error offsets add it.
    pub base_offset: usize,
    /// JUY: the resolution of the energy piles report (0x85, 0x88).
    pub energy_resolution: EnergyResolution,
    /// JUY: which frame form to expect.
    pub imei_form: ImeiForm,
}

impl Default for DecodeContext {
    fn default() -> Self {
        Self::STRICT
    }
}

impl DecodeContext {
    /// Strict, checksum verified, direction from the layout, offsets from 0, JUY defaults.
    pub const STRICT: Self = Self {
        policy: Policy::Strict,
        verify_checksum: true,
        direction: None,
        base_offset: 0,
        energy_resolution: EnergyResolution::MilliKwh,
        imei_form: ImeiForm::Detect,
    };
    /// As [`STRICT`](Self::STRICT), but lenient.
    pub const LENIENT: Self = Self::STRICT.with_policy(Policy::Lenient);

    /// A context with these options and the defaults for everything else.
    pub const fn new(options: DecodeOptions) -> Self {
        Self::STRICT.with_options(options)
    }

    /// This context with another policy.
    pub const fn with_policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// This context with the checksum check on or off.
    pub const fn with_checksum_check(mut self, verify: bool) -> Self {
        self.verify_checksum = verify;
        self
    }

    /// This context with the policy and checksum check of `options`.
    pub const fn with_options(mut self, options: DecodeOptions) -> Self {
        self.policy = options.policy;
        self.verify_checksum = options.verify_checksum;
        self
    }

    /// This context with a known direction (`None`: decide from the layout).
    pub const fn with_direction(mut self, direction: Option<Direction>) -> Self {
        self.direction = direction;
        self
    }

    /// This context for bytes that start at absolute offset `base_offset`.
    pub const fn with_base_offset(mut self, base_offset: usize) -> Self {
        self.base_offset = base_offset;
        self
    }

    /// This context with another JUY energy resolution.
    pub const fn with_energy_resolution(mut self, resolution: EnergyResolution) -> Self {
        self.energy_resolution = resolution;
        self
    }

    /// This context expecting another JUY frame form.
    pub const fn with_imei_form(mut self, form: ImeiForm) -> Self {
        self.imei_form = form;
        self
    }

    /// This context with the JUY settings of `juy`.
    pub const fn with_juy(mut self, juy: JuyOptions) -> Self {
        self.energy_resolution = juy.energy_resolution;
        self.imei_form = juy.imei_form;
        self
    }

    /// The policy and checksum check.
    pub const fn options(&self) -> DecodeOptions {
        DecodeOptions {
            policy: self.policy,
            verify_checksum: self.verify_checksum,
        }
    }

    /// The JUY settings.
    pub const fn juy(&self) -> JuyOptions {
        JuyOptions {
            energy_resolution: self.energy_resolution,
            imei_form: self.imei_form,
        }
    }
}

impl From<DecodeOptions> for DecodeContext {
    fn from(options: DecodeOptions) -> Self {
        Self::new(options)
    }
}

/// How a decoded frame's direction was settled (DNY and JUY, whose command codes travel both
/// ways).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum DirectionSource {
    /// The caller gave it ([`DecodeContext::direction`]), or the frame was built, not decoded.
    #[default]
    Given,
    /// Decoding was asked to decide, and the data length fitted one direction's layout only.
    Layout,
    /// Decoding was asked to decide and the layout did not settle it (both directions fit, or
    /// neither did, or the command is unknown): the most likely direction was chosen. Each
    /// dialect's module docs say which one that is.
    Guessed,
}

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

/// The policy and checksum check of a decode: what a [`stream::StreamDecoder`] is built with.
/// One-shot decodes take a [`DecodeContext`], which holds these and more.
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
