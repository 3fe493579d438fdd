//! A frame of any dialect: what auto-detecting decoders return and what the canonical form
//! encodes back to bytes.

use alloc::vec::Vec;

use super::dny::DnyFrame;
use super::error::{DecodeError, DecodeErrorKind, EncodeError};
use super::juy::JuyFrame;
use super::ykc::YkcFrame;
use super::{DecodeContext, Dialect, Direction, Frame};

/// A frame of any dialect.
///
/// [`decode`](Self::decode) tells the dialect from the start marker (`68` YKC, `DNY` DNY,
/// `5A A5` JUY). The canonical serde form is the dialect frame's own, whose `dialect` key says
/// which one it is; deserialising reads that key back, so what `pilekit decode --json` prints
/// reads back into the frame and encodes to the same bytes.
///
/// What the canonical form keeps, encoding reproduces: the YKC sequence bytes, encryption flag
/// and CRC byte order, the DNY message id, the JUY header result byte, IMEI form and energy
/// resolution, and bytes beyond a layout (`extra`). Two lenient deviations are listed but not
/// reproduced, since encoding always writes a sound frame: a wrong length field
/// ([`Deviation::LengthField`](super::Deviation::LengthField)) is written as the right one, and
/// a checksum that did not match (decoding without the check,
/// [`Deviation::ChecksumMismatch`](super::Deviation::ChecksumMismatch)) is written as the right
/// one. A frame decoded with such deviations encodes to different bytes.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use pilekit::codec::{AnyFrame, DecodeContext};
///
/// let bytes = pilekit::hex::decode("44 4E 59 0A 00 3B 37 AB 04 01 00 21 00 38 02")?;
/// let frame = AnyFrame::decode(&bytes, &DecodeContext::default())?;
/// let json = serde_json::to_string(&frame)?;
/// let back: AnyFrame = serde_json::from_str(&json)?;
/// assert_eq!(back.encode()?, bytes);
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
#[non_exhaustive]
pub enum AnyFrame {
    /// A YKC frame.
    Ykc(YkcFrame),
    /// A DNY frame.
    Dny(DnyFrame),
    /// A JUY frame.
    Juy(JuyFrame),
}

impl AnyFrame {
    /// What a lenient decode tolerated in the frame (empty for a frame built in code).
    pub fn deviations(&self) -> &super::Deviations {
        match self {
            Self::Ykc(f) => &f.deviations,
            Self::Dny(f) => &f.deviations,
            Self::Juy(f) => &f.deviations,
        }
    }

    /// The dialect of the frame.
    pub const fn dialect(&self) -> Dialect {
        match self {
            Self::Ykc(_) => Dialect::Ykc,
            Self::Dny(_) => Dialect::Dny,
            Self::Juy(_) => Dialect::Juy,
        }
    }

    /// The message name in snake_case.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Ykc(f) => f.message.name(),
            Self::Dny(f) => f.message.name(),
            Self::Juy(f) => f.message.name(),
        }
    }

    /// Which way the frame travels.
    pub fn direction(&self) -> Direction {
        match self {
            Self::Ykc(f) => f.direction(),
            Self::Dny(f) => f.direction(),
            Self::Juy(f) => f.direction(),
        }
    }

    /// Decodes exactly one frame of the dialect its first bytes announce. Error offsets are
    /// [`ctx.base_offset`](DecodeContext::base_offset) plus the offset in `bytes`; bytes that
    /// start no dialect's frame are [`DecodeErrorKind::UnknownDialect`] at offset 0.
    pub fn decode(bytes: &[u8], ctx: &DecodeContext) -> Result<Self, DecodeError> {
        match Self::detect(bytes, ctx)? {
            Dialect::Ykc => YkcFrame::decode(bytes, ctx).map(Self::Ykc),
            Dialect::Dny => DnyFrame::decode(bytes, ctx).map(Self::Dny),
            Dialect::Juy => JuyFrame::decode(bytes, ctx).map(Self::Juy),
        }
    }

    /// Decodes exactly one frame of `dialect`.
    pub fn decode_as(
        dialect: Dialect,
        bytes: &[u8],
        ctx: &DecodeContext,
    ) -> Result<Self, DecodeError> {
        match dialect {
            Dialect::Ykc => YkcFrame::decode(bytes, ctx).map(Self::Ykc),
            Dialect::Dny => DnyFrame::decode(bytes, ctx).map(Self::Dny),
            Dialect::Juy => JuyFrame::decode(bytes, ctx).map(Self::Juy),
        }
    }

    /// The dialect `bytes` start, or the error a decode reports.
    fn detect(bytes: &[u8], ctx: &DecodeContext) -> Result<Dialect, DecodeError> {
        let at = ctx.base_offset;
        // A frame, not a stream: the DNY module's ICCID and `link` are not frames.
        let dialect = match bytes.first() {
            None => {
                return Err(DecodeError::new(
                    DecodeErrorKind::Truncated {
                        needed: 1,
                        available: 0,
                    },
                    at,
                ));
            }
            Some(&b'D') => Some(Dialect::Dny),
            Some(_) => super::stream::detect_dialect(bytes),
        };
        match (dialect, bytes.first()) {
            (Some(d), _) => Ok(d),
            (None, Some(&0x5A)) if bytes.len() < 2 => Err(DecodeError::new(
                DecodeErrorKind::Truncated {
                    needed: 2,
                    available: bytes.len(),
                },
                at,
            )),
            (None, first) => Err(DecodeError::new(
                DecodeErrorKind::UnknownDialect {
                    found: first.copied().unwrap_or(0),
                },
                at,
            )),
        }
    }

    /// The encoded frame.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::new();
        self.encode_into(&mut out)?;
        Ok(out)
    }

    /// Appends the encoded frame to `out`; on error `out` is left as it was.
    pub fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        match self {
            Self::Ykc(f) => f.encode_into(out),
            Self::Dny(f) => f.encode_into(out),
            Self::Juy(f) => f.encode_into(out),
        }
    }
}

impl Frame for AnyFrame {
    fn decode(bytes: &[u8], ctx: &DecodeContext) -> Result<Self, DecodeError> {
        AnyFrame::decode(bytes, ctx)
    }

    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        AnyFrame::encode_into(self, out)
    }

    fn dialect(&self) -> Dialect {
        AnyFrame::dialect(self)
    }

    fn direction(&self) -> Direction {
        AnyFrame::direction(self)
    }

    fn name(&self) -> &'static str {
        AnyFrame::name(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for AnyFrame {
    /// Reads the canonical form of a frame of any dialect; its `dialect` key says which.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(tag = "dialect", rename_all = "snake_case")]
        enum Tagged {
            Ykc(YkcFrame),
            Dny(DnyFrame),
            Juy(JuyFrame),
        }
        Ok(match Tagged::deserialize(d)? {
            Tagged::Ykc(f) => Self::Ykc(f),
            Tagged::Dny(f) => Self::Dny(f),
            Tagged::Juy(f) => Self::Juy(f),
        })
    }
}

impl From<YkcFrame> for AnyFrame {
    fn from(f: YkcFrame) -> Self {
        Self::Ykc(f)
    }
}

impl From<DnyFrame> for AnyFrame {
    fn from(f: DnyFrame) -> Self {
        Self::Dny(f)
    }
}

impl From<JuyFrame> for AnyFrame {
    fn from(f: JuyFrame) -> Self {
        Self::Juy(f)
    }
}
