//! Field types shared by the dialects: BCD digit strings, fixed ASCII text, raw byte strings and
//! the half-hour slot table. (The field codecs that read and write them inside message layouts —
//! CP56Time2a times, one-byte BCD, reversed ASCII — are the crate's own.)

use core::fmt;

use super::deviation::Deviation;
use super::error::{DecodeError, DecodeErrorKind, EncodeError};
use super::wire::{FieldCodec, Reader, Wire, Writer, fixed, unrepresentable};
use crate::time::LocalDateTime;

/// A packed-BCD code of `N` bytes (`2N` digits), e.g. a YKC pile code (7 bytes, 14 digits).
///
/// The raw bytes are kept as they came. Strict decoding rejects nibbles above 9; fields that real
/// piles fill with hex letters (SIM/ICCID) use a codec that keeps them, and display them as
/// lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bcd<const N: usize>(pub [u8; N]);

impl<const N: usize> Default for Bcd<N> {
    fn default() -> Self {
        Self([0; N])
    }
}

/// Why text could not become a BCD code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BcdError {
    /// More digits than the field holds.
    #[error("{digits} digits do not fit a {max}-digit code")]
    TooLong {
        /// Digits given.
        digits: usize,
        /// Digits the field holds.
        max: usize,
    },
    /// A character that is not a (hex) digit.
    #[error("`{character}` at position {position} is not a digit")]
    NotADigit {
        /// The character.
        character: char,
        /// Its position.
        position: usize,
    },
}

impl<const N: usize> Bcd<N> {
    /// Number of digits.
    pub const DIGITS: usize = 2 * N;

    /// Builds a code from digit text; shorter text is padded with leading zeros. Hex letters are
    /// accepted (some fields carry them).
    pub fn from_digits(text: &str) -> Result<Self, BcdError> {
        let b = text.as_bytes();
        if b.len() > 2 * N {
            return Err(BcdError::TooLong {
                digits: b.len(),
                max: 2 * N,
            });
        }
        let mut out = [0u8; N];
        let pad = 2 * N - b.len();
        for (i, &c) in b.iter().enumerate() {
            let nib = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => {
                    return Err(BcdError::NotADigit {
                        character: text[i..].chars().next().unwrap_or('?'),
                        position: i,
                    });
                }
            };
            let k = pad + i;
            out[k / 2] |= if k.is_multiple_of(2) { nib << 4 } else { nib };
        }
        Ok(Self(out))
    }

    /// Builds a code from a number, if it has at most `2N` digits.
    pub fn from_u64(mut v: u64) -> Option<Self> {
        let mut out = [0u8; N];
        for byte in out.iter_mut().rev() {
            let lo = (v % 10) as u8;
            v /= 10;
            let hi = (v % 10) as u8;
            v /= 10;
            *byte = hi << 4 | lo;
        }
        (v == 0).then_some(Self(out))
    }

    /// Whether every nibble is a decimal digit.
    pub fn is_decimal(&self) -> bool {
        self.0.iter().all(|b| b >> 4 <= 9 && b & 0x0F <= 9)
    }

    /// The numeric value, if every nibble is a decimal digit and it fits.
    pub fn to_u64(&self) -> Option<u64> {
        let mut v: u64 = 0;
        for b in self.0 {
            let (h, l) = (b >> 4, b & 0x0F);
            if h > 9 || l > 9 {
                return None;
            }
            v = v.checked_mul(100)?.checked_add(u64::from(h * 10 + l))?;
        }
        Some(v)
    }

    /// Whether all digits are zero (e.g. an idle gun's trade serial).
    pub fn is_zero(&self) -> bool {
        self.0.iter().all(|&b| b == 0)
    }

    /// The index of the first byte with a nibble above 9.
    #[inline]
    fn first_invalid(&self) -> Option<usize> {
        self.0.iter().position(|b| b >> 4 > 9 || b & 0x0F > 9)
    }
}

/// Whether every nibble of `bytes` is a decimal digit, eight bytes at a time: adding 6 to a
/// nibble carries into bit 4 exactly when the nibble is above 9.
#[inline]
fn bcd_valid(bytes: &[u8]) -> bool {
    const LOW: u64 = 0x0F0F_0F0F_0F0F_0F0F;
    const SIX: u64 = 0x0606_0606_0606_0606;
    const CARRY: u64 = 0x1010_1010_1010_1010;
    let lane_ok = |x: u64| (((x & LOW) + SIX) | (((x >> 4) & LOW) + SIX)) & CARRY == 0;
    let (chunks, tail) = bytes.as_chunks::<8>();
    let mut last = [0u8; 8];
    last[..tail.len()].copy_from_slice(tail);
    chunks.iter().all(|c| lane_ok(u64::from_le_bytes(*c))) && lane_ok(u64::from_le_bytes(last))
}

impl<const N: usize> fmt::Display for Bcd<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const D: &[u8; 16] = b"0123456789abcdef";
        for b in self.0 {
            let pair = [D[usize::from(b >> 4)], D[usize::from(b & 0x0F)]];
            f.write_str(core::str::from_utf8(&pair).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

impl<const N: usize> fmt::Debug for Bcd<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bcd({self})")
    }
}

impl<const N: usize> core::str::FromStr for Bcd<N> {
    type Err = BcdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_digits(s)
    }
}

impl<const N: usize> Wire for Bcd<N> {
    const LEN: usize = N;
    const FAST: bool = true;

    #[inline(always)]
    fn read_fast(b: &[u8], at: usize) -> Option<Self> {
        let a = fixed::<N>(b, at)?;
        bcd_valid(a).then_some(Self(*a))
    }

    #[inline(always)]
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let v = Self(r.array()?);
        if !bcd_valid(&v.0)
            && let Some(i) = v.first_invalid()
        {
            if r.lenient() {
                r.deviate(Deviation::InvalidBcd {
                    offset: (r.offset() - N) as u32,
                });
            } else {
                return Err(r.error_back(N - i, DecodeErrorKind::InvalidBcd { byte: v.0[i] }));
            }
        }
        Ok(v)
    }

    #[inline]
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.put(&self.0);
        Ok(())
    }

    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::strategy::Strategy;
        proptest::collection::vec((0u8..10, 0u8..10), N)
            .prop_map(|v| {
                let mut a = [0u8; N];
                for (i, (h, l)) in v.into_iter().enumerate() {
                    a[i] = h << 4 | l;
                }
                Self(a)
            })
            .boxed()
    }
}

/// A BCD field whose nibbles may be hex letters on real piles (SIM cards, ICCIDs such as
/// `898604D1…`): kept as hex-digit strings, never rejected.
pub(crate) struct HexDigits;

impl<const N: usize> FieldCodec<Bcd<N>> for HexDigits {
    const LEN: usize = N;
    const FAST: bool = true;
    #[inline(always)]
    fn read_fast(b: &[u8], at: usize) -> Option<Bcd<N>> {
        fixed::<N>(b, at).map(|a| Bcd(*a))
    }
    #[inline]
    fn read(r: &mut Reader<'_>) -> Result<Bcd<N>, DecodeError> {
        Ok(Bcd(r.array()?))
    }
    #[inline]
    fn write(v: &Bcd<N>, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.put(&v.0);
        Ok(())
    }
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Bcd<N>> {
        use proptest::strategy::Strategy;
        <[u8; N] as Wire>::arbitrary().prop_map(Bcd).boxed()
    }
}

/// A one-byte BCD number (`0x12` is 12), e.g. a YKC gun number.
pub(crate) struct BcdByte;

impl FieldCodec<u8> for BcdByte {
    const LEN: usize = 1;
    const FAST: bool = true;
    #[inline(always)]
    fn read_fast(b: &[u8], at: usize) -> Option<u8> {
        let b = *b.get(at)?;
        let (h, l) = (b >> 4, b & 0x0F);
        (h <= 9 && l <= 9).then_some(h * 10 + l)
    }
    #[inline]
    fn read(r: &mut Reader<'_>) -> Result<u8, DecodeError> {
        let b = r.u8()?;
        let (h, l) = (b >> 4, b & 0x0F);
        if h > 9 || l > 9 {
            if r.lenient() {
                r.deviate(Deviation::InvalidBcd {
                    offset: (r.offset() - 1) as u32,
                });
                return Ok(h * 10 + l);
            }
            return Err(r.error_back(1, DecodeErrorKind::InvalidBcd { byte: b }));
        }
        Ok(h * 10 + l)
    }
    #[inline]
    fn write(v: &u8, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        if *v > 99 {
            return Err(unrepresentable(v, "a one-byte BCD number is at most 99"));
        }
        w.u8((v / 10) << 4 | (v % 10));
        Ok(())
    }
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<u8> {
        use proptest::strategy::Strategy;
        (0u8..=99).boxed()
    }
}

#[cfg(feature = "serde")]
impl<const N: usize> serde::Serialize for Bcd<N> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de, const N: usize> serde::Deserialize<'de> for Bcd<N> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text: alloc::string::String = serde::Deserialize::deserialize(d)?;
        Self::from_digits(&text).map_err(serde::de::Error::custom)
    }
}

/// Fixed-width ASCII text of `N` bytes, padded with NULs on the wire. The raw bytes are kept;
/// [`as_str`](Self::as_str) gives the text with trailing NULs (and spaces) trimmed.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ascii<const N: usize>(pub [u8; N]);

impl<const N: usize> Default for Ascii<N> {
    fn default() -> Self {
        Self([0; N])
    }
}

impl<const N: usize> Ascii<N> {
    /// Text padded with NULs; `None` if longer than `N` bytes.
    pub fn new(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        if b.len() > N {
            return None;
        }
        let mut a = [0u8; N];
        a[..b.len()].copy_from_slice(b);
        Some(Self(a))
    }

    /// The meaningful bytes: trailing NULs removed.
    pub fn trimmed(&self) -> &[u8] {
        let end = self.0.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
        &self.0[..end]
    }

    /// The text, if it is valid UTF-8 once trailing NULs are removed.
    pub fn as_str(&self) -> Option<&str> {
        core::str::from_utf8(self.trimmed()).ok()
    }

    /// Whether the field is empty (all NULs).
    pub fn is_empty(&self) -> bool {
        self.trimmed().is_empty()
    }
}

impl<const N: usize> fmt::Display for Ascii<N> {
    /// The text; bytes that are not UTF-8 as `\xNN` and a backslash as `\\`, so the text reads
    /// back to the same bytes ([`Ascii::from_escaped`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.trimmed().utf8_chunks() {
            for part in chunk.valid().split_inclusive('\\') {
                match part.strip_suffix('\\') {
                    Some(text) => {
                        f.write_str(text)?;
                        f.write_str("\\\\")?;
                    }
                    None => f.write_str(part)?,
                }
            }
            for b in chunk.invalid() {
                write!(f, "\\x{b:02x}")?;
            }
        }
        Ok(())
    }
}

impl<const N: usize> Ascii<N> {
    /// Reads the text [`Display`](fmt::Display) writes: `\xNN` is the byte `NN`, `\\` a
    /// backslash. `None` when longer than `N` bytes or an escape is malformed.
    pub fn from_escaped(text: &str) -> Option<Self> {
        let mut out = [0u8; N];
        let mut len = 0;
        let mut bytes = text.bytes();
        while let Some(b) = bytes.next() {
            let byte = if b == b'\\' {
                match bytes.next()? {
                    b'\\' => b'\\',
                    b'x' => {
                        let hi = (bytes.next()? as char).to_digit(16)?;
                        let lo = (bytes.next()? as char).to_digit(16)?;
                        (hi * 16 + lo) as u8
                    }
                    _ => return None,
                }
            } else {
                b
            };
            *out.get_mut(len)? = byte;
            len += 1;
        }
        Some(Self(out))
    }
}

impl<const N: usize> fmt::Debug for Ascii<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ascii({self:?})", self = alloc::format!("{self}"))
    }
}

impl<const N: usize> Wire for Ascii<N> {
    const LEN: usize = N;
    const FAST: bool = true;
    #[inline(always)]
    fn read_fast(b: &[u8], at: usize) -> Option<Self> {
        fixed::<N>(b, at).map(|a| Self(*a))
    }
    #[inline]
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self(r.array()?))
    }
    #[inline]
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.put(&self.0);
        Ok(())
    }
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::strategy::Strategy;
        proptest::collection::vec(0x20u8..0x7F, 0..=N)
            .prop_map(|v| {
                let mut a = [0u8; N];
                a[..v.len()].copy_from_slice(&v);
                Self(a)
            })
            .boxed()
    }
}

/// ASCII written in reverse byte order, as YKC 0x31 carries the VIN.
pub(crate) struct ReversedAscii;

impl<const N: usize> FieldCodec<Ascii<N>> for ReversedAscii {
    const LEN: usize = N;
    const FAST: bool = true;
    #[inline(always)]
    fn read_fast(b: &[u8], at: usize) -> Option<Ascii<N>> {
        let mut a = *fixed::<N>(b, at)?;
        a.reverse();
        Some(Ascii(a))
    }
    #[inline]
    fn read(r: &mut Reader<'_>) -> Result<Ascii<N>, DecodeError> {
        let mut a: [u8; N] = r.array()?;
        a.reverse();
        Ok(Ascii(a))
    }
    #[inline]
    fn write(v: &Ascii<N>, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let mut a = v.0;
        a.reverse();
        w.put(&a);
        Ok(())
    }
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Ascii<N>> {
        <Ascii<N> as Wire>::arbitrary()
    }
}

#[cfg(feature = "serde")]
impl<const N: usize> serde::Serialize for Ascii<N> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de, const N: usize> serde::Deserialize<'de> for Ascii<N> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text: alloc::string::String = serde::Deserialize::deserialize(d)?;
        Self::from_escaped(&text).ok_or_else(|| {
            serde::de::Error::custom(alloc::format!(
                "`{text}` is longer than {N} bytes, or has a malformed `\\` escape"
            ))
        })
    }
}

/// A fixed string of `N` raw bytes (card UIDs, reserved blocks), shown as hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HexBytes<const N: usize>(pub [u8; N]);

impl<const N: usize> Default for HexBytes<N> {
    fn default() -> Self {
        Self([0; N])
    }
}

impl<const N: usize> fmt::Display for HexBytes<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl<const N: usize> fmt::Debug for HexBytes<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HexBytes({self})")
    }
}

impl<const N: usize> Wire for HexBytes<N> {
    const LEN: usize = N;
    const FAST: bool = true;
    #[inline(always)]
    fn read_fast(b: &[u8], at: usize) -> Option<Self> {
        fixed::<N>(b, at).map(|a| Self(*a))
    }
    #[inline]
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self(r.array()?))
    }
    #[inline]
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.put(&self.0);
        Ok(())
    }
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::strategy::Strategy;
        <[u8; N] as Wire>::arbitrary().prop_map(Self).boxed()
    }
}

#[cfg(feature = "serde")]
impl<const N: usize> serde::Serialize for HexBytes<N> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de, const N: usize> serde::Deserialize<'de> for HexBytes<N> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = crate::canonical::deserialize_hex(d)?;
        <[u8; N]>::try_from(v.as_slice()).map(Self).map_err(|_| {
            serde::de::Error::custom(alloc::format!("expected {N} bytes, got {}", v.len()))
        })
    }
}

/// The time-of-use class of each half hour of the local day, 00:00–00:30 first, as the YKC and
/// JUY billing models carry it: `0` sharp (尖), `1` peak (峰), `2` flat (平), `3` valley (谷),
/// and in JUY `4` deep valley (深谷).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HalfHourSlots(pub [u8; 48]);

impl Default for HalfHourSlots {
    fn default() -> Self {
        Self([0; 48])
    }
}

impl Wire for HalfHourSlots {
    const LEN: usize = 48;
    const FAST: bool = true;
    #[inline(always)]
    fn read_fast(b: &[u8], at: usize) -> Option<Self> {
        fixed::<48>(b, at).map(|a| Self(*a))
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.array().map(Self)
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.put(&self.0);
        Ok(())
    }
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::strategy::Strategy;
        proptest::collection::vec(0u8..5, 48)
            .prop_map(|v| {
                let mut a = [0u8; 48];
                a.copy_from_slice(&v);
                Self(a)
            })
            .boxed()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for HalfHourSlots {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for HalfHourSlots {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v: alloc::vec::Vec<u8> = serde::Deserialize::deserialize(d)?;
        <[u8; 48]>::try_from(v.as_slice()).map(Self).map_err(|_| {
            serde::de::Error::custom(alloc::format!("expected 48 slots, got {}", v.len()))
        })
    }
}

/// CP56Time2a (IEC 60870-5-104), 7 bytes: milliseconds u16 LE, minute, hour, day (+ day of week
/// in bits 5–7), month, year − 2000. The day-of-week, IV (minute bit 7), SU (hour bit 7) and
/// reserved bits are masked on reading and reported as a deviation; ranges are checked.
/// Writing sets the day-of-week bits to zero.
pub(crate) struct Cp56Time2a;

impl FieldCodec<LocalDateTime> for Cp56Time2a {
    const LEN: usize = 7;
    const FAST: bool = true;

    /// A time with no flag bits set and every part in range, checked without a branch per
    /// part; anything else goes to [`read`](Self::read).
    #[inline(always)]
    fn read_fast(b: &[u8], at: usize) -> Option<LocalDateTime> {
        let b = fixed::<7>(b, at)?;
        let ms = u16::from_le_bytes([b[0], b[1]]);
        let (minute, hour, day, month, year) = (b[2], b[3], b[4], b[5], b[6]);
        // flag bits set (or a minute, hour, day, month or year beyond its field) → slow path
        let flag_bits =
            (minute & 0xC0) | (hour & 0xE0) | (day & 0xE0) | (month & 0xF0) | (year & 0x80);
        // days of each month (0 for what is not a month), February of a leap year added below;
        // years 2000-2099 are leap exactly when divisible by 4
        const DAYS: [u8; 16] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0, 0, 0];
        let days = DAYS[usize::from(month & 0x0F)] + u8::from(month == 2 && year % 4 == 0);
        let bad = (flag_bits != 0)
            | (ms > 59_999)
            | (year > 99)
            | (day.wrapping_sub(1) >= days)
            | (hour > 23)
            | (minute > 59);
        if bad {
            return None;
        }
        Some(LocalDateTime::from_checked_parts(
            2000 + u16::from(year),
            month,
            day,
            hour,
            minute,
            (ms / 1000) as u8,
            ms % 1000,
        ))
    }

    fn read(r: &mut Reader<'_>) -> Result<LocalDateTime, DecodeError> {
        let start = r.offset();
        let b: [u8; 7] = r.array()?;
        let ms = u16::from_le_bytes([b[0], b[1]]);
        let flag_bits =
            (b[2] & 0xC0) | (b[3] & 0xE0) | (b[4] & 0xE0) | (b[5] & 0xF0) | (b[6] & 0x80);
        if flag_bits != 0 {
            r.deviate(Deviation::TimeFlagBits {
                offset: start as u32,
            });
        }
        if ms > 59_999 {
            return Err(DecodeError::new(
                DecodeErrorKind::InvalidTime {
                    part: "millisecond",
                    value: ms.into(),
                },
                start,
            ));
        }
        LocalDateTime::new(
            2000 + u16::from(b[6] & 0x7F),
            b[5] & 0x0F,
            b[4] & 0x1F,
            b[3] & 0x1F,
            b[2] & 0x3F,
            (ms / 1000) as u8,
            ms % 1000,
        )
        .map_err(|e| {
            let (part, value) = match e {
                crate::time::TimeError::OutOfRange { field, value } => (field, value),
                crate::time::TimeError::Syntax => ("value", 0),
            };
            DecodeError::new(DecodeErrorKind::InvalidTime { part, value }, start)
        })
    }

    fn write(v: &LocalDateTime, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        if !(2000..=2127).contains(&v.year()) {
            return Err(unrepresentable(v, "CP56Time2a holds years 2000-2127"));
        }
        let ms = u16::from(v.second()) * 1000 + v.millisecond();
        w.u16_le(ms);
        w.put(&[
            v.minute(),
            v.hour(),
            v.day(),
            v.month(),
            (v.year() - 2000) as u8,
        ]);
        Ok(())
    }

    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<LocalDateTime> {
        use proptest::strategy::Strategy;
        (
            2000u16..2100,
            1u8..=12,
            1u8..=28,
            0u8..24,
            0u8..60,
            0u8..60,
            0u16..1000,
        )
            .prop_filter_map("a valid date", |(y, mo, d, h, mi, s, ms)| {
                LocalDateTime::new(y, mo, d, h, mi, s, ms).ok()
            })
            .boxed()
    }
}

#[cfg(test)]
#[path = "fields_tests.rs"]
mod tests;
