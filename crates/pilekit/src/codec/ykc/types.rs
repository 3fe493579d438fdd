//! YKC field types beyond plain numbers: codes, the fault bitmap, the 48 tariff slots, lists.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::codec::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::codec::fields::Bcd;
use crate::codec::wire::{FieldCodec, Reader, Wire, Writer, unrepresentable};

/// A pile code: 7 BCD bytes, 14 digits (e.g. `32010200000001`).
pub type PileCode = Bcd<7>;
/// A trade serial number: 16 BCD bytes, 32 digits — pile code, gun, `YYMMDDhhmmss`, counter.
pub type TradeSerial = Bcd<16>;
/// A logical (printed) card number: 8 BCD bytes.
pub type LogicalCard = Bcd<8>;
/// A parallel-charging serial: 6 BCD bytes, `YYMMDDhhmmss`.
pub type ParallelSerial = Bcd<6>;
/// A billing-model number: 2 BCD bytes.
pub type ModelNumber = Bcd<2>;

/// The frame sequence number, kept as its two raw bytes: piles disagree on its byte order, and
/// a reply must echo exactly what the request carried.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Seq(pub [u8; 2]);

impl Seq {
    /// The number read big-endian (how most real piles count), for logging.
    pub const fn as_be(self) -> u16 {
        u16::from_be_bytes(self.0)
    }

    /// A sequence number written big-endian.
    pub const fn from_be(n: u16) -> Self {
        Self(n.to_be_bytes())
    }
}

impl fmt::Display for Seq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02x}{:02x}", self.0[0], self.0[1])
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Seq {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Seq {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = crate::canonical::deserialize_hex(d)?;
        <[u8; 2]>::try_from(v.as_slice())
            .map(Self)
            .map_err(|_| serde::de::Error::custom("seq is two bytes, e.g. `0001`"))
    }
}

/// Which bit of the 0x13 hardware-fault field the specification's "Bit1" is.
///
/// The specification lists faults from "Bit1" "low to high", which most likely makes Bit1 the
/// least significant bit; piles that count otherwise can be read with the other mapping.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FaultBitOrder {
    /// Bit1 is the least significant bit (`0x0001`).
    #[default]
    Bit1IsLsb,
    /// Bit1 is the most significant bit (`0x8000`).
    Bit1IsMsb,
}

/// The hardware faults of 0x13 as the raw 16-bit field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct HardwareFaults(pub u16);

impl HardwareFaults {
    /// The fault names in specification order, "Bit1" first.
    pub const NAMES: [&'static str; 13] = [
        "emergency_stop",
        "no_rectifier_module",
        "outlet_over_temperature",
        "ac_surge_protector",
        "dc20_comm",
        "fc08_insulation_comm",
        "meter_comm",
        "card_reader_comm",
        "rc10_comm",
        "fan_board",
        "dc_fuse",
        "high_voltage_contactor",
        "door_open",
    ];

    /// Whether no fault is set.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The names of the faults set, reading the bits with `order`; bits beyond the named ones
    /// appear as `bit14`..`bit16`.
    pub fn names(self, order: FaultBitOrder) -> impl Iterator<Item = &'static str> {
        const EXTRA: [&str; 3] = ["bit14", "bit15", "bit16"];
        (0..16u16).filter_map(move |i| {
            let mask = match order {
                FaultBitOrder::Bit1IsLsb => 1u16 << i,
                FaultBitOrder::Bit1IsMsb => 0x8000u16 >> i,
            };
            (self.0 & mask != 0).then(|| {
                Self::NAMES
                    .get(usize::from(i))
                    .copied()
                    .unwrap_or_else(|| EXTRA[usize::from(i) - 13])
            })
        })
    }
}

impl Wire for HardwareFaults {
    const LEN: usize = 2;
    const FAST: bool = true;
    #[inline(always)]
    fn read_fast(b: &[u8], at: usize) -> Option<Self> {
        <u16 as Wire>::read_fast(b, at).map(Self)
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.u16_le().map(Self)
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.u16_le(self.0);
        Ok(())
    }
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::strategy::Strategy;
        proptest::arbitrary::any::<u16>().prop_map(Self).boxed()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for HardwareFaults {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.names(FaultBitOrder::default()))
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for HardwareFaults {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let names: Vec<String> = serde::Deserialize::deserialize(d)?;
        let mut bits = 0u16;
        for n in &names {
            let i = Self::NAMES
                .iter()
                .position(|k| k == n)
                .or_else(|| {
                    n.strip_prefix("bit")
                        .and_then(|x| x.parse::<usize>().ok())
                        .map(|b| b - 1)
                })
                .filter(|&i| i < 16)
                .ok_or_else(|| serde::de::Error::custom(alloc::format!("unknown fault `{n}`")))?;
            bits |= 1 << i;
        }
        Ok(Self(bits))
    }
}

pub use crate::codec::fields::HalfHourSlots;

/// A list preceded by a one-byte count.
pub struct Counted;

impl<T: Wire + fmt::Debug + 'static> FieldCodec<Vec<T>> for Counted {
    const LEN: usize = 1;
    fn read(r: &mut Reader<'_>) -> Result<Vec<T>, DecodeError> {
        let n = usize::from(r.u8()?);
        let needed = n * T::LEN;
        if r.remaining() < needed {
            return Err(r.error(DecodeErrorKind::Truncated {
                needed,
                available: r.remaining(),
            }));
        }
        (0..n).map(|_| T::read(r)).collect()
    }
    fn write(v: &Vec<T>, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let n =
            u8::try_from(v.len()).map_err(|_| unrepresentable(v.len(), "at most 255 entries"))?;
        w.u8(n);
        v.iter().try_for_each(|x| x.write(w))
    }
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Vec<T>> {
        use proptest::strategy::Strategy;
        proptest::collection::vec(T::arbitrary(), 0..8).boxed()
    }
}

/// A list that runs to the end of the body.
pub struct ToEnd;

impl<T: Wire + fmt::Debug + 'static> FieldCodec<Vec<T>> for ToEnd {
    const LEN: usize = 0;
    fn read(r: &mut Reader<'_>) -> Result<Vec<T>, DecodeError> {
        if T::LEN == 0 || !r.remaining().is_multiple_of(T::LEN) {
            return Err(r.error(DecodeErrorKind::Truncated {
                needed: T::LEN.max(1) * (r.remaining() / T::LEN.max(1) + 1),
                available: r.remaining(),
            }));
        }
        (0..r.remaining() / T::LEN).map(|_| T::read(r)).collect()
    }
    fn write(v: &Vec<T>, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        v.iter().try_for_each(|x| x.write(w))
    }
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Vec<T>> {
        use proptest::strategy::Strategy;
        proptest::collection::vec(T::arbitrary(), 0..8).boxed()
    }
}

/// Text preceded by a one-byte length (the 0xF0 QR prefix).
pub struct LengthPrefixedText;

impl FieldCodec<String> for LengthPrefixedText {
    const LEN: usize = 1;
    fn read(r: &mut Reader<'_>) -> Result<String, DecodeError> {
        let n = usize::from(r.u8()?);
        let at = r.offset();
        let bytes = r.take(n)?;
        String::from_utf8(bytes.to_vec()).map_err(|e| {
            DecodeError::new(
                DecodeErrorKind::InvalidValue {
                    value: u32::from(bytes[e.utf8_error().valid_up_to()]),
                },
                at + e.utf8_error().valid_up_to(),
            )
        })
    }
    fn write(v: &String, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let n = u8::try_from(v.len()).map_err(|_| unrepresentable(v.len(), "at most 255 bytes"))?;
        w.u8(n);
        w.put(v.as_bytes());
        Ok(())
    }
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<String> {
        use proptest::strategy::Strategy;
        "[ -~]{0,100}".boxed()
    }
}
