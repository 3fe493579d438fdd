//! The JUY wire scales: field codecs that turn the protocol's scaled integers into exact units,
//! a codec for fixed arrays of fields, and the inline port list that keeps port reports
//! allocation-free.

use core::fmt;
use core::marker::PhantomData;

use super::super::error::{DecodeError, EncodeError};
use super::super::wire::{FieldCodec, Reader, Writer, unrepresentable};
use crate::units::{Energy, EnergyPrice, Money};

use crate::codec::scales::linear_codec;
pub(crate) use crate::codec::scales::{
    DurationMinute16, DurationSecond16, DurationSecond32, EnergyCentiKwh32, MoneyFen16, MoneyFen32,
    PowerWatt8, PowerWatt16, TemperatureDegree8, VoltageDeciVolt16,
};

linear_codec! {
    /// Money as a u16 in 0.001 yuan (the time-of-use amounts).
    MoneyMilliYuan16: Money, u16, mul = 10, add = 0,
    reason = "the field holds 0.001 yuan steps from 0 to 65.535 yuan"
}

linear_codec! {
    /// A price per kWh as a u16 in 0.001 yuan/kWh (the time-of-use rates).
    PriceMilliYuanPerKwh16: EnergyPrice, u16, mul = 100, add = 0,
    reason = "the field holds 0.001 yuan/kWh steps from 0 to 65.535 yuan/kWh"
}

linear_codec! {
    /// Energy as a u16 in 0.001 kWh (the time-of-use period energies).
    EnergyWh16: Energy, u16, mul = 10, add = 0,
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
