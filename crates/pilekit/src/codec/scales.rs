//! Scaled integer fields shared by the dialects: each codec maps an unsigned little-endian wire
//! integer linearly onto one of pilekit's units, exactly, and refuses to encode a value the
//! field cannot carry. Dialect modules declare their own scales with the same macro.
//!
//! Every scaled codec, shared or a dialect's own, is named `<Quantity><Step><Bits>`, with an
//! `Offset<N>` suffix when the wire value is shifted: `MoneyFen32` (money, 0.01 yuan steps,
//! 32 bits), `VoltageDeciVolt16`, `EnergyDeciWh40` (0.0001 kWh in 40 bits),
//! `TemperatureDegree8Offset50` (whole °C plus 50 in a byte).

use crate::codec::error::{DecodeError, EncodeError};
use crate::codec::wire::{FieldCodec, Reader, Writer, unrepresentable};
use crate::units::{Current, Energy, Minutes, Money, Power, Seconds, Temperature, Voltage};

/// Declares a codec for an integer wire field mapped linearly onto a quantity:
/// `quantity = wire * MUL + ADD` (in the quantity's inner unit).
macro_rules! linear_codec {
    (
        $(#[$m:meta])*
        $name:ident: $q:ident, $wire:ty, mul = $mul:expr, add = $add:expr, reason = $reason:expr
    ) => {
        $(#[$m])*
        pub struct $name;

        #[allow(clippy::modulo_one, clippy::identity_op, clippy::erasing_op)]
        impl FieldCodec<$q> for $name {
            const LEN: usize = core::mem::size_of::<$wire>();
            const FAST: bool = true;

            #[inline(always)]
            fn read_fast(b: &[u8], at: usize) -> Option<$q> {
                let raw = <$wire as crate::codec::wire::Wire>::read_fast(b, at)?;
                Some($q((raw as i64 * $mul + $add) as _))
            }

            #[inline]
            fn read(r: &mut Reader<'_>) -> Result<$q, DecodeError> {
                let raw = <$wire as crate::codec::wire::Wire>::read(r)?;
                Ok($q((raw as i64 * $mul + $add) as _))
            }

            #[inline]
            fn write(v: &$q, w: &mut Writer<'_>) -> Result<(), EncodeError> {
                let x = v.0 as i64 - $add;
                if x % $mul != 0 || x < 0 || x / $mul > <$wire>::MAX as i64 {
                    return Err(unrepresentable(v, $reason));
                }
                crate::codec::wire::Wire::write(&((x / $mul) as $wire), w)
            }

            #[cfg(test)]
            fn arbitrary() -> proptest::strategy::BoxedStrategy<$q> {
                use proptest::strategy::Strategy;
                proptest::arbitrary::any::<$wire>()
                    .prop_map(|raw| $q((raw as i64 * $mul + $add) as _))
                    .boxed()
            }
        }
    };
}
pub(crate) use linear_codec;

linear_codec! {
    /// Money as u16 in fen (0.01 yuan).
    MoneyFen16: Money, u16, mul = 100, add = 0, reason = "the field holds whole fen from 0 to 655.35 yuan"
}

linear_codec! {
    /// Money as u32 in fen (0.01 yuan).
    MoneyFen32: Money, u32, mul = 100, add = 0, reason = "the field holds whole fen up to 42949672.95 yuan"
}

linear_codec! {
    /// Voltage as u16 in 0.1 V.
    VoltageDeciVolt16: Voltage, u16, mul = 1, add = 0, reason = "the field holds 0-6553.5 V in 0.1 V steps"
}

linear_codec! {
    /// Power as u8 in whole watts.
    PowerWatt8: Power, u8, mul = 10, add = 0, reason = "the field holds whole watts from 0 to 255 W"
}

linear_codec! {
    /// Power as u16 in whole watts.
    PowerWatt16: Power, u16, mul = 10, add = 0, reason = "the field holds whole watts from 0 to 65535 W"
}

linear_codec! {
    /// Power as u8 in 0.1 W.
    PowerDeciWatt8: Power, u8, mul = 1, add = 0, reason = "the field holds 0-25.5 W in 0.1 W steps"
}

linear_codec! {
    /// Power as u16 in 0.1 W.
    PowerDeciWatt16: Power, u16, mul = 1, add = 0, reason = "the field holds 0-6553.5 W in 0.1 W steps"
}

linear_codec! {
    /// Power as u32 in 0.1 W.
    PowerDeciWatt32: Power, u32, mul = 1, add = 0, reason = "the field holds 0.1 W steps in a u32"
}

linear_codec! {
    /// Energy as u16 in 0.01 kWh.
    EnergyCentiKwh16: Energy, u16, mul = 100, add = 0, reason = "the field holds 0-655.35 kWh in 0.01 kWh steps"
}

linear_codec! {
    /// Energy as u32 in 0.01 kWh.
    EnergyCentiKwh32: Energy, u32, mul = 100, add = 0, reason = "the field holds 0.01 kWh steps in a u32"
}

linear_codec! {
    /// Current as u8 in mA.
    CurrentMilliAmp8: Current, u8, mul = 1, add = 0, reason = "the field holds 0-255 mA"
}

linear_codec! {
    /// Current as u16 in mA.
    CurrentMilliAmp16: Current, u16, mul = 1, add = 0, reason = "the field holds 0-65.535 A in 1 mA steps"
}

linear_codec! {
    /// Current as u16 in 0.01 A.
    CurrentCentiAmp16: Current, u16, mul = 10, add = 0, reason = "the field holds 0-655.35 A in 0.01 A steps"
}

linear_codec! {
    /// A duration as u8 in seconds.
    DurationSecond8: Seconds, u8, mul = 1, add = 0, reason = "the field holds 0-255 s"
}

linear_codec! {
    /// A duration as u16 in seconds.
    DurationSecond16: Seconds, u16, mul = 1, add = 0, reason = "the field holds 0-65535 s"
}

linear_codec! {
    /// A duration as u32 in seconds.
    DurationSecond32: Seconds, u32, mul = 1, add = 0, reason = "the field holds 0-4294967295 s"
}

linear_codec! {
    /// A duration as u8 in minutes.
    DurationMinute8: Minutes, u8, mul = 1, add = 0, reason = "the field holds 0-255 min"
}

linear_codec! {
    /// A duration as u16 in minutes.
    DurationMinute16: Minutes, u16, mul = 1, add = 0, reason = "the field holds 0-65535 min"
}

linear_codec! {
    /// A temperature as u8 in whole °C, without an offset.
    TemperatureDegree8: Temperature, u8, mul = 10, add = 0, reason = "the field holds whole degrees from 0 to 255 °C"
}
