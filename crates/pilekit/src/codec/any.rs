//! A frame of any dialect: what auto-detecting decoders return and what the canonical form
//! encodes back to bytes.

use super::Dialect;
use super::dny::DnyFrame;
use super::juy::JuyFrame;
use super::ykc::YkcFrame;

/// A frame of any dialect.
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
}
