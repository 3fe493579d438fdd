//! YKC's scaled wire fields and the exact conversions into pilekit's units.
//!
//! Integers are little-endian ("BIN 码均为低位在前高位在后"). Each codec names its wire width and
//! scale; encoding refuses values the field cannot carry exactly.

use crate::codec::error::{DecodeError, EncodeError};
use crate::codec::wire::{FieldCodec, Reader, Writer, unrepresentable};
use crate::units::{Current, Energy, EnergyPrice, Minutes, Money, Permille, Temperature, Voltage};

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

linear_codec! {
    /// Voltage as u16 in 0.1 V.
    DeciVolt16: Voltage, u16, mul = 1, add = 0, reason = "the field holds 0-6553.5 V in 0.1 V steps"
}
linear_codec! {
    /// Current as u16 in 0.1 A.
    DeciAmp16: Current, u16, mul = 100, add = 0, reason = "the field holds 0-6553.5 A in 0.1 A steps"
}
linear_codec! {
    /// Current as u16 in 0.1 A with a −400 A offset (GB/T 27930 BMS fields).
    DeciAmpOffset16: Current, u16, mul = 100, add = -400_000,
    reason = "the field holds -400.0-6153.5 A in 0.1 A steps"
}
linear_codec! {
    /// Energy as u32 in 0.0001 kWh.
    Energy4Dp32: Energy, u32, mul = 1, add = 0, reason = "the field holds 0-429496.7295 kWh"
}
linear_codec! {
    /// Energy as u16 in 0.1 kWh (BMS fields).
    DeciKwh16: Energy, u16, mul = 1000, add = 0, reason = "the field holds 0-6553.5 kWh in 0.1 kWh steps"
}
linear_codec! {
    /// Money as u32 in 0.0001 yuan.
    Yuan4Dp32: Money, u32, mul = 1, add = 0, reason = "the field holds 0-429496.7295 yuan"
}
linear_codec! {
    /// Money as u32 in fen (0.01 yuan), as balances are sent.
    Fen32: Money, u32, mul = 100, add = 0, reason = "the field holds whole fen up to 42949672.95 yuan"
}
linear_codec! {
    /// A price as u32 in 0.00001 yuan/kWh.
    Price5Dp32: EnergyPrice, u32, mul = 1, add = 0, reason = "the field holds 0-42949.67295 yuan/kWh"
}
linear_codec! {
    /// Temperature as a byte with a −50 °C offset.
    Celsius50: Temperature, u8, mul = 10, add = -500, reason = "the field holds whole degrees from -50 to 205 °C"
}
linear_codec! {
    /// A state of charge as u16 in 0.1 %.
    DeciPct16: Permille, u16, mul = 1, add = 0, reason = "the field holds 0-6553.5 % in 0.1 % steps"
}

/// A duration as u16 in minutes.
pub struct Min16;

impl FieldCodec<Minutes> for Min16 {
    const LEN: usize = 2;
    #[inline]
    fn read(r: &mut Reader<'_>) -> Result<Minutes, DecodeError> {
        Ok(Minutes(u32::from(r.u16_le()?)))
    }
    #[inline]
    fn write(v: &Minutes, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let m =
            u16::try_from(v.0).map_err(|_| unrepresentable(v, "the field holds 0-65535 min"))?;
        w.u16_le(m);
        Ok(())
    }
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Minutes> {
        use proptest::strategy::Strategy;
        proptest::arbitrary::any::<u16>()
            .prop_map(|m| Minutes(u32::from(m)))
            .boxed()
    }
}

/// Energy as a 5-byte (40-bit) little-endian integer in 0.0001 kWh: the meter readings of the
/// V1.5+ transaction record.
pub struct Energy4Dp40;

impl FieldCodec<Energy> for Energy4Dp40 {
    const LEN: usize = 5;
    #[inline]
    fn read(r: &mut Reader<'_>) -> Result<Energy, DecodeError> {
        let b: [u8; 5] = r.array()?;
        let mut v = [0u8; 8];
        v[..5].copy_from_slice(&b);
        Ok(Energy(u64::from_le_bytes(v) as i64))
    }
    #[inline]
    fn write(v: &Energy, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        if v.0 < 0 || v.0 >= 1 << 40 {
            return Err(unrepresentable(
                v,
                "the field holds 0 to 2^40-1 in 0.0001 kWh",
            ));
        }
        w.put(&v.0.to_le_bytes()[..5]);
        Ok(())
    }
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Energy> {
        use proptest::strategy::Strategy;
        (0i64..(1 << 40)).prop_map(Energy).boxed()
    }
}

#[cfg(test)]
#[path = "scales_tests.rs"]
mod tests;
