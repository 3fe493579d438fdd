#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub mod api;
#[cfg(feature = "serde")]
mod canonical;
pub mod codec;
mod decimal;
mod error;
pub mod hex;
pub mod model;
pub mod session;
pub mod tariff;
pub mod time;
pub mod units;

pub use codec::{
    AnyFrame, DecodeContext, DecodeError, DecodeErrorKind, DecodeOptions, Dialect, Direction,
    DirectionSource, EncodeError, Frame, Policy,
};
pub use error::Error;
pub use tariff::{Bill, Plan, TariffError};
pub use time::{LocalDateTime, UtcOffset};
pub use units::{
    Current, Energy, EnergyPrice, Minutes, Money, Permille, Power, Seconds, Temperature, Voltage,
};
