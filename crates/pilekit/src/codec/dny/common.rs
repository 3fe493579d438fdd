//! Layouts shared by many commands: no data, a one-byte result, a Unix time.

use crate::codec::error::{DecodeError, EncodeError};
use crate::codec::wire::{Reader, Wire, Writer};
use crate::wire_struct;

/// A command or request without data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NoData {}

impl Wire for NoData {
    const LEN: usize = 0;
    #[inline]
    fn read(_: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {})
    }
    #[inline]
    fn write(&self, _: &mut Writer<'_>) -> Result<(), EncodeError> {
        Ok(())
    }
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::strategy::Strategy;
        proptest::strategy::Just(Self {}).boxed()
    }
}

wire_struct! {
    /// A one-byte result: 0 is success, anything else a failure (what a failure means depends
    /// on the command; a parameter command answers 1 for "parameter error").
    pub struct Ack {
        /// The result code.
        result: u8,
    }
}

impl Ack {
    /// Success.
    pub const OK: Self = Self { result: 0 };

    /// Whether the result is success (0).
    pub const fn is_ok(&self) -> bool {
        self.result == 0
    }
}

wire_struct! {
    /// The server's time (0x22, 0x12 replies).
    pub struct ServerTime {
        /// Unix time in seconds.
        timestamp: u32,
    }
}
