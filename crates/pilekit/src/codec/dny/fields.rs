//! DNY field types and scales: the physical id, 0-based ports, raw byte runs, and the codecs
//! that turn the reference's fen, 0.1 W, 0.01 kWh, mA, 0.1 V and `byte − 65` fields into the
//! crate's exact units.

use alloc::vec::Vec;
use core::fmt;

use crate::codec::error::{DecodeError, EncodeError};
use crate::codec::wire::{FieldCodec, Reader, Wire, Writer, unrepresentable};
use crate::units::Temperature;

use super::enums::DeviceClass;

/// The 4-byte physical id of a pile or host (little-endian on the wire).
///
/// Read as a big-endian number, its high byte is the [`DeviceClass`] and its low three bytes
/// are the number printed under the QR code: `3B 37 AB 04` is `0x04AB373B`, a dual socket
/// numbered 11220795. Displays as 8 uppercase hex digits (`04AB373B`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhysicalId(pub u32);

impl PhysicalId {
    /// An id from its device class and the number printed under the QR code; `None` when the
    /// number needs more than three bytes.
    pub const fn new(class: DeviceClass, number: u32) -> Option<Self> {
        if number > 0x00FF_FFFF {
            return None;
        }
        Some(Self(((class.code() as u32) << 24) | number))
    }

    /// The device class (high byte).
    pub const fn device_class(self) -> DeviceClass {
        DeviceClass::from_code((self.0 >> 24) as u8)
    }

    /// The number printed under the QR code (low three bytes).
    pub const fn number(self) -> u32 {
        self.0 & 0x00FF_FFFF
    }
}

impl fmt::Display for PhysicalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08X}", self.0)
    }
}

impl Wire for PhysicalId {
    const LEN: usize = 4;
    #[inline]
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.u32_le().map(Self)
    }
    #[inline]
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.u32_le(self.0);
        Ok(())
    }
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::strategy::Strategy;
        proptest::arbitrary::any::<u32>().prop_map(Self).boxed()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for PhysicalId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("PhysicalId", 3)?;
        st.serialize_field("hex", &alloc::format!("{self}"))?;
        st.serialize_field("class", &self.device_class())?;
        st.serialize_field("number", &self.number())?;
        st.end()
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for PhysicalId {
    /// Reads `{"hex": "04AB373B", ...}`, a hex string, or a bare number.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{self, MapAccess, Visitor};
        struct V;
        fn parse_hex<E: de::Error>(text: &str) -> Result<PhysicalId, E> {
            u32::from_str_radix(text.trim(), 16)
                .map(PhysicalId)
                .map_err(|_| E::custom(alloc::format!("`{text}` is not an 8-digit hex id")))
        }
        impl<'de> Visitor<'de> for V {
            type Value = PhysicalId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a physical id: hex text, a number, or an object with `hex`")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PhysicalId, E> {
                u32::try_from(v)
                    .map(PhysicalId)
                    .map_err(|_| E::custom("physical id out of range"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PhysicalId, E> {
                parse_hex(v)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PhysicalId, A::Error> {
                let mut id = None;
                while let Some(key) = map.next_key::<alloc::string::String>()? {
                    if key == "hex" {
                        let text: alloc::string::String = map.next_value()?;
                        id = Some(parse_hex(&text)?);
                    } else {
                        map.next_value::<de::IgnoredAny>()?;
                    }
                }
                id.ok_or_else(|| de::Error::missing_field("hex"))
            }
        }
        d.deserialize_any(V)
    }
}

/// A socket of a pile, numbered from 1 as printed on the pile.
///
/// On the wire DNY numbers sockets from 0 (`0x00` is socket 1) and uses `0xFF` for "the device
/// chooses" (the plugged socket of a dual socket whose QR code ends in `ff`; in a card swipe
/// 0x02 it means "balance query, no socket"). This type's wire codec is the one place that
/// conversion happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Port {
    /// Socket `n`, counted from 1 (wire byte `n − 1`); 1 to 255.
    Socket(u8),
    /// `0xFF` on the wire: the device picks the socket (or, in a card swipe, no socket).
    DeviceChooses,
}

impl Port {
    /// Socket `n` (1-based).
    pub const fn socket(n: u8) -> Self {
        Self::Socket(n)
    }

    /// The 1-based socket number, `None` for [`Port::DeviceChooses`].
    pub const fn number(self) -> Option<u8> {
        match self {
            Self::Socket(n) => Some(n),
            Self::DeviceChooses => None,
        }
    }

    /// The port of a wire byte.
    pub const fn from_wire(b: u8) -> Self {
        match b {
            0xFF => Self::DeviceChooses,
            n => Self::Socket(n + 1),
        }
    }

    /// The wire byte, if the socket number is in range (socket 0 is not).
    pub const fn to_wire(self) -> Option<u8> {
        match self {
            Self::DeviceChooses => Some(0xFF),
            Self::Socket(0) => None,
            Self::Socket(n) => Some(n - 1),
        }
    }
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Socket(n) => write!(f, "{n}"),
            Self::DeviceChooses => f.write_str("device chooses"),
        }
    }
}

impl Wire for Port {
    const LEN: usize = 1;
    const FAST: bool = true;
    #[inline(always)]
    fn read_fast(b: &[u8], at: usize) -> Option<Self> {
        b.get(at).copied().map(Self::from_wire)
    }
    #[inline]
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.u8().map(Self::from_wire)
    }
    #[inline]
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        match self.to_wire() {
            Some(b) => {
                w.u8(b);
                Ok(())
            }
            None => Err(unrepresentable(self, "sockets are numbered from 1")),
        }
    }
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::strategy::Strategy;
        proptest::arbitrary::any::<u8>()
            .prop_map(Self::from_wire)
            .boxed()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Port {
    /// A socket as its 1-based number, [`Port::DeviceChooses`] as `"device_chooses"`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Socket(n) => s.serialize_u8(*n),
            Self::DeviceChooses => s.serialize_str("device_chooses"),
        }
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Port {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{self, Visitor};
        struct V;
        impl Visitor<'_> for V {
            type Value = Port;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a socket number from 1, or `device_chooses`")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Port, E> {
                match u8::try_from(v) {
                    Ok(n) if n >= 1 => Ok(Port::Socket(n)),
                    _ => Err(E::custom(alloc::format!("socket `{v}` is not in 1..=255"))),
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Port, E> {
                u64::try_from(v)
                    .map_err(|_| E::custom("socket numbers are positive"))
                    .and_then(|v| self.visit_u64(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Port, E> {
                if v == "device_chooses" || v == "any" {
                    Ok(Port::DeviceChooses)
                } else {
                    Err(E::custom(alloc::format!("`{v}` is not a socket")))
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A run of raw bytes whose length the frame gives (firmware chunks, EEPROM data, the body of
/// an unknown command). Shown as hex.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct RawBytes(pub Vec<u8>);

impl fmt::Debug for RawBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawBytes({})", crate::hex::encode(&self.0))
    }
}

impl fmt::Display for RawBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in &self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl From<Vec<u8>> for RawBytes {
    fn from(v: Vec<u8>) -> Self {
        Self(v)
    }
}

impl Wire for RawBytes {
    /// Reads everything that is left.
    const LEN: usize = 0;
    #[inline]
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self(r.rest().to_vec()))
    }
    #[inline]
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.put(&self.0);
        Ok(())
    }
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::strategy::Strategy;
        proptest::collection::vec(proptest::arbitrary::any::<u8>(), 0..40)
            .prop_map(Self)
            .boxed()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for RawBytes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::canonical::serialize_hex(&self.0, s)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for RawBytes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::canonical::deserialize_hex(d).map(Self)
    }
}

/// Bytes preceded by their count in one byte (the card swipe's "card no. 2").
pub struct LengthPrefixed;

impl FieldCodec<RawBytes> for LengthPrefixed {
    const LEN: usize = 1;
    fn read(r: &mut Reader<'_>) -> Result<RawBytes, DecodeError> {
        let n = r.u8()?;
        Ok(RawBytes(r.take(usize::from(n))?.to_vec()))
    }
    fn write(v: &RawBytes, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let n = u8::try_from(v.0.len())
            .map_err(|_| unrepresentable(v.0.len(), "at most 255 bytes follow a count byte"))?;
        w.u8(n);
        w.put(&v.0);
        Ok(())
    }
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<RawBytes> {
        use proptest::strategy::Strategy;
        proptest::collection::vec(proptest::arbitrary::any::<u8>(), 0..20)
            .prop_map(RawBytes)
            .boxed()
    }
}

pub(crate) use crate::codec::scales::{
    CurrentCentiAmp16, CurrentMilliAmp8, CurrentMilliAmp16, DurationMinute8, DurationMinute16,
    DurationSecond8, DurationSecond16, EnergyCentiKwh16, EnergyCentiKwh32, MoneyFen16,
    PowerDeciWatt8, PowerDeciWatt16, PowerDeciWatt32, PowerWatt8, VoltageDeciVolt16,
};

/// A temperature byte: whole °C plus 65, with 0 meaning "no sensor" (`None`).
pub struct TemperatureDegree8Offset65;

impl FieldCodec<Option<Temperature>> for TemperatureDegree8Offset65 {
    const LEN: usize = 1;
    const FAST: bool = true;
    #[inline(always)]
    fn read_fast(b: &[u8], at: usize) -> Option<Option<Temperature>> {
        let b = *b.get(at)?;
        Some((b != 0).then(|| Temperature::from_offset_byte(b, 65)))
    }
    #[inline]
    fn read(r: &mut Reader<'_>) -> Result<Option<Temperature>, DecodeError> {
        let b = r.u8()?;
        Ok((b != 0).then(|| Temperature::from_offset_byte(b, 65)))
    }
    #[inline]
    fn write(v: &Option<Temperature>, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        match v {
            None => w.u8(0),
            Some(t) => match t.to_offset_byte(65) {
                Some(b) if b != 0 => w.u8(b),
                _ => {
                    return Err(unrepresentable(
                        t,
                        "a whole degree from -64 °C to 190 °C is required",
                    ));
                }
            },
        }
        Ok(())
    }
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Option<Temperature>> {
        use proptest::strategy::Strategy;
        proptest::arbitrary::any::<u8>()
            .prop_map(|b| (b != 0).then(|| Temperature::from_offset_byte(b, 65)))
            .boxed()
    }
}

pub(crate) use crate::codec::scales::TemperatureDegree8;
