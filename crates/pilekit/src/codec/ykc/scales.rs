//! YKC's scaled wire fields and the exact conversions into pilekit's units.
//!
//! Integers are little-endian ("BIN 码均为低位在前高位在后"). Each codec names its wire width and
//! scale; encoding refuses values the field cannot carry exactly.

use crate::codec::error::{DecodeError, EncodeError};
use crate::codec::scales::linear_codec;
pub(crate) use crate::codec::scales::{
    DurationMinute8, DurationMinute16, MoneyFen32, VoltageDeciVolt16,
};
use crate::codec::wire::{FieldCodec, Reader, Writer, unrepresentable};
use crate::units::{Current, Energy, EnergyPrice, Money, Permille, Temperature};

linear_codec! {
    /// Current as u16 in 0.1 A.
    CurrentDeciAmp16: Current, u16, mul = 100, add = 0, reason = "the field holds 0-6553.5 A in 0.1 A steps"
}
linear_codec! {
    /// Current as u16 in 0.1 A with a −400 A offset (GB/T 27930 BMS fields).
    CurrentDeciAmp16Offset400: Current, u16, mul = 100, add = -400_000,
    reason = "the field holds -400.0-6153.5 A in 0.1 A steps"
}
linear_codec! {
    /// Energy as u32 in 0.0001 kWh.
    EnergyDeciWh32: Energy, u32, mul = 1, add = 0, reason = "the field holds 0-429496.7295 kWh"
}
linear_codec! {
    /// Energy as u16 in 0.1 kWh (BMS fields).
    EnergyDeciKwh16: Energy, u16, mul = 1000, add = 0, reason = "the field holds 0-6553.5 kWh in 0.1 kWh steps"
}
linear_codec! {
    /// Money as u32 in 0.0001 yuan.
    MoneyCentiFen32: Money, u32, mul = 1, add = 0, reason = "the field holds 0-429496.7295 yuan"
}
linear_codec! {
    /// A price as u32 in 0.00001 yuan/kWh.
    PriceMilliFenPerKwh32: EnergyPrice, u32, mul = 1, add = 0, reason = "the field holds 0-42949.67295 yuan/kWh"
}
linear_codec! {
    /// Temperature as a byte with a −50 °C offset.
    TemperatureDegree8Offset50: Temperature, u8, mul = 10, add = -500, reason = "the field holds whole degrees from -50 to 205 °C"
}
linear_codec! {
    /// A state of charge as u16 in 0.1 %.
    RatioDeciPercent16: Permille, u16, mul = 1, add = 0, reason = "the field holds 0-6553.5 % in 0.1 % steps"
}

/// Energy as a 5-byte (40-bit) little-endian integer in 0.0001 kWh: the meter readings of the
/// V1.5+ transaction record.
pub struct EnergyDeciWh40;

impl FieldCodec<Energy> for EnergyDeciWh40 {
    const LEN: usize = 5;
    const FAST: bool = true;
    #[inline(always)]
    fn read_fast(b: &[u8], at: usize) -> Option<Energy> {
        let b = crate::codec::wire::fixed::<5>(b, at)?;
        let mut v = [0u8; 8];
        v[..5].copy_from_slice(b);
        Some(Energy(u64::from_le_bytes(v) as i64))
    }
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
