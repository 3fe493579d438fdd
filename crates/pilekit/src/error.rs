//! The top-level error: every layer's error in one type, for callers that handle them alike.

use crate::codec::fields::BcdError;
use crate::codec::{DecodeError, EncodeError};
use crate::hex::HexError;
use crate::tariff::TariffError;
use crate::time::TimeError;
use crate::units::UnitError;

/// Any error of pilekit. Each layer's own error converts into it with `?`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A frame could not be decoded.
    #[error("error {0}")]
    Decode(#[from] DecodeError),
    /// A message could not be encoded.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// A plan refused or could not price a session.
    #[error(transparent)]
    Tariff(#[from] TariffError),
    /// A quantity was out of range or not a number.
    #[error(transparent)]
    Unit(#[from] UnitError),
    /// A date or time was invalid.
    #[error(transparent)]
    Time(#[from] TimeError),
    /// Hex text was invalid.
    #[error(transparent)]
    Hex(#[from] HexError),
    /// A BCD code was invalid.
    #[error(transparent)]
    Bcd(#[from] BcdError),
}
