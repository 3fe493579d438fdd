//! The JUY wire scales: field codecs that turn the protocol's scaled integers into exact units,
//! a codec for fixed arrays of fields, and the inline port list that keeps port reports
//! allocation-free.

use core::fmt;
use core::marker::PhantomData;

use super::super::error::{DecodeError, EncodeError};
use super::super::wire::{FieldCodec, Reader, Writer, unrepresentable};
use crate::units::{Energy, EnergyPrice, Minutes, Money, Power, Seconds, Temperature, Voltage};

/// Declares a codec mapping an unsigned wire integer to a quantity by an exact scale.
macro_rules! scaled_codec {
    (
        $(#[$m:meta])*
        $name:ident: $unit:ty, $wire:ty, $read:ident, $write:ident,
        to_unit = |$v:ident| $to:expr,
        from_unit = |$u:ident| $from:expr,
        reason = $reason:literal
    ) => {
        $(#[$m])*
        pub struct $name;

        impl FieldCodec<$unit> for $name {
            const LEN: usize = core::mem::size_of::<$wire>();

            #[inline]
            fn read(r: &mut Reader<'_>) -> Result<$unit, DecodeError> {
                let $v = r.$read()?;
                Ok($to)
            }

            #[inline]
            fn write(value: &$unit, w: &mut Writer<'_>) -> Result<(), EncodeError> {
                let $u = *value;
                let wire: Option<$wire> = $from;
                match wire {
                    Some(x) => {
                        w.$write(x);
                        Ok(())
                    }
                    None => Err(unrepresentable(value, $reason)),
                }
            }

            #[cfg(test)]
            fn arbitrary() -> proptest::strategy::BoxedStrategy<$unit> {
                use proptest::strategy::Strategy;
                proptest::arbitrary::any::<$wire>()
                    .prop_map(|$v| $to)
                    .boxed()
            }
        }
    };
}

/// Rescales `raw` with `from` decimals to an unsigned wire integer with `to` decimals, if exact and
/// in range.
fn to_wire<T: TryFrom<i128>>(raw: i128, from: u32, to: u32) -> Option<T> {
    crate::decimal::rescale(raw, from, to).and_then(|v| T::try_from(v).ok())
}

scaled_codec! {
    /// Money as a u16 in fen (0.01 yuan).
    Fen16: Money, u16, u16_le, u16_le,
    to_unit = |v| Money::from_fen(i64::from(v)),
    from_unit = |m| to_wire(i128::from(m.0), Money::DECIMALS, 2),
    reason = "the field holds whole fen from 0 to 655.35 yuan"
}

scaled_codec! {
    /// Money as a u32 in fen (0.01 yuan).
    Fen32: Money, u32, u32_le, u32_le,
    to_unit = |v| Money::from_fen(i64::from(v)),
    from_unit = |m| to_wire(i128::from(m.0), Money::DECIMALS, 2),
    reason = "the field holds whole fen from 0 to 42949672.95 yuan"
}

scaled_codec! {
    /// Money as a u16 in 0.001 yuan (the time-of-use amounts).
    MilliYuan16: Money, u16, u16_le, u16_le,
    to_unit = |v| Money(i64::from(v) * 10),
    from_unit = |m| to_wire(i128::from(m.0), Money::DECIMALS, 3),
    reason = "the field holds 0.001 yuan steps from 0 to 65.535 yuan"
}

scaled_codec! {
    /// A price per kWh as a u16 in 0.001 yuan/kWh (the time-of-use rates).
    MilliYuanPerKwh16: EnergyPrice, u16, u16_le, u16_le,
    to_unit = |v| EnergyPrice(i64::from(v) * 100),
    from_unit = |p| to_wire(i128::from(p.0), EnergyPrice::DECIMALS, 3),
    reason = "the field holds 0.001 yuan/kWh steps from 0 to 65.535 yuan/kWh"
}

scaled_codec! {
    /// Power as a u8 in whole watts.
    Watts8: Power, u8, u8, u8,
    to_unit = |v| Power::from_watts(i64::from(v)),
    from_unit = |p| to_wire(i128::from(p.0), Power::DECIMALS, 0),
    reason = "the field holds whole watts from 0 to 255 W"
}

scaled_codec! {
    /// Power as a u16 in whole watts.
    Watts16: Power, u16, u16_le, u16_le,
    to_unit = |v| Power::from_watts(i64::from(v)),
    from_unit = |p| to_wire(i128::from(p.0), Power::DECIMALS, 0),
    reason = "the field holds whole watts from 0 to 65535 W"
}

scaled_codec! {
    /// Voltage as a u16 in 0.1 V.
    DeciVolts16: Voltage, u16, u16_le, u16_le,
    to_unit = |v| Voltage(i32::from(v)),
    from_unit = |v| u16::try_from(v.0).ok(),
    reason = "the field holds 0.1 V steps from 0 to 6553.5 V"
}

scaled_codec! {
    /// Temperature as a u8 in whole degrees Celsius, without an offset.
    Celsius8: Temperature, u8, u8, u8,
    to_unit = |v| Temperature::from_celsius(i32::from(v)),
    from_unit = |t| to_wire(i128::from(t.0), Temperature::DECIMALS, 0),
    reason = "the field holds whole degrees from 0 to 255 °C"
}

scaled_codec! {
    /// A duration as a u16 in seconds.
    Secs16: Seconds, u16, u16_le, u16_le,
    to_unit = |v| Seconds(u32::from(v)),
    from_unit = |s| u16::try_from(s.0).ok(),
    reason = "the field holds 0 to 65535 s"
}

scaled_codec! {
    /// A duration as a u32 in seconds.
    Secs32: Seconds, u32, u32_le, u32_le,
    to_unit = |v| Seconds(v),
    from_unit = |s| Some(s.0),
    reason = "unreachable"
}

scaled_codec! {
    /// A duration as a u16 in minutes.
    Mins16: Minutes, u16, u16_le, u16_le,
    to_unit = |v| Minutes(u32::from(v)),
    from_unit = |m| u16::try_from(m.0).ok(),
    reason = "the field holds 0 to 65535 min"
}

scaled_codec! {
    /// Energy as a u32 in 0.01 kWh (fields whose scale the V1.1 change did not touch).
    CentiKwh32: Energy, u32, u32_le, u32_le,
    to_unit = |v| Energy::from_centi_kwh(i64::from(v)),
    from_unit = |e| to_wire(i128::from(e.0), Energy::DECIMALS, 2),
    reason = "the field holds 0.01 kWh steps from 0 to 42949672.95 kWh"
}

scaled_codec! {
    /// Energy as a u16 in 0.001 kWh (the time-of-use period energies).
    MilliKwh16: Energy, u16, u16_le, u16_le,
    to_unit = |v| Energy::from_wh(i64::from(v)),
    from_unit = |e| to_wire(i128::from(e.0), Energy::DECIMALS, 3),
    reason = "the field holds 0.001 kWh steps from 0 to 65.535 kWh"
}

/// `N` consecutive fields of one codec, as a fixed array (e.g. the eight tier powers).
pub struct Each<C, const N: usize>(PhantomData<C>);

impl<T, C, const N: usize> FieldCodec<[T; N]> for Each<C, N>
where
    T: Copy + Default + fmt::Debug + 'static,
    C: FieldCodec<T>,
{
    const LEN: usize = C::LEN * N;

    #[inline]
    fn read(r: &mut Reader<'_>) -> Result<[T; N], DecodeError> {
        let mut out = [T::default(); N];
        for slot in &mut out {
            *slot = C::read(r)?;
        }
        Ok(out)
    }

    #[inline]
    fn write(value: &[T; N], w: &mut Writer<'_>) -> Result<(), EncodeError> {
        for v in value {
            C::write(v, w)?;
        }
        Ok(())
    }

    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<[T; N]> {
        use proptest::strategy::Strategy;
        proptest::collection::vec(C::arbitrary(), N)
            .prop_map(|v| {
                let mut out = [T::default(); N];
                for (slot, x) in out.iter_mut().zip(v) {
                    *slot = x;
                }
                out
            })
            .boxed()
    }
}

/// The most ports a JUY port list holds: JUY piles have 10 or 12 ports. A frame announcing more
/// is rejected (`InvalidValue` at the count).
pub const MAX_PORTS: usize = 12;

/// A list of up to [`MAX_PORTS`] per-port items, stored inline so that decoding a port report
/// allocates nothing. It dereferences to a slice.
#[derive(Clone, Copy)]
pub struct PortList<T: Copy + Default> {
    items: [T; MAX_PORTS],
    len: u8,
}

impl<T: Copy + Default> PortList<T> {
    /// An empty list.
    pub fn new() -> Self {
        Self {
            items: [T::default(); MAX_PORTS],
            len: 0,
        }
    }

    /// A list holding `items`, or `None` if there are more than [`MAX_PORTS`].
    pub fn from_slice(items: &[T]) -> Option<Self> {
        let mut list = Self::new();
        for item in items {
            list.push(*item).ok()?;
        }
        Some(list)
    }

    /// Appends an item; gives it back when the list is full.
    pub fn push(&mut self, item: T) -> Result<(), T> {
        match self.items.get_mut(usize::from(self.len)) {
            Some(slot) => {
                *slot = item;
                self.len += 1;
                Ok(())
            }
            None => Err(item),
        }
    }

    /// Removes every item.
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// The items.
    pub fn as_slice(&self) -> &[T] {
        self.items.get(..usize::from(self.len)).unwrap_or(&[])
    }
}

impl<T: Copy + Default> Default for PortList<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Copy + Default> core::ops::Deref for PortList<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T: Copy + Default + PartialEq> PartialEq for PortList<T> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Copy + Default + Eq> Eq for PortList<T> {}

impl<T: Copy + Default + fmt::Debug> fmt::Debug for PortList<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl<'a, T: Copy + Default> IntoIterator for &'a PortList<T> {
    type Item = &'a T;
    type IntoIter = core::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

#[cfg(feature = "serde")]
impl<T: Copy + Default + serde::Serialize> serde::Serialize for PortList<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.as_slice())
    }
}

#[cfg(feature = "serde")]
impl<'de, T: Copy + Default + serde::Deserialize<'de>> serde::Deserialize<'de> for PortList<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items: alloc::vec::Vec<T> = serde::Deserialize::deserialize(d)?;
        Self::from_slice(&items).ok_or_else(|| {
            serde::de::Error::custom(alloc::format!(
                "{} ports is more than the {MAX_PORTS} a list holds",
                items.len()
            ))
        })
    }
}

#[cfg(test)]
impl<T: Copy + Default + fmt::Debug + 'static> PortList<T> {
    /// Lists of up to [`MAX_PORTS`] items from `item`, for roundtrip tests.
    pub(crate) fn arbitrary(
        item: proptest::strategy::BoxedStrategy<T>,
    ) -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::strategy::Strategy;
        proptest::collection::vec(item, 0..=MAX_PORTS)
            .prop_map(|v| Self::from_slice(&v).unwrap_or_default())
            .boxed()
    }
}
