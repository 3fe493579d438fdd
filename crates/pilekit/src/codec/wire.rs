//! The machinery every dialect's message layouts are built from: a bounds-checked reader that
//! knows absolute offsets and the decode policy, a writer, and the [`Wire`] / [`FieldCodec`]
//! traits that map one typed field to its bytes.
//!
//! Message layouts are declared with [`wire_struct!`](crate::wire_struct): one line per field, in
//! wire order, naming the field's type and, where the wire scale differs from the type's, the
//! codec that converts it. The macro derives decode, encode, the fixed body length, the serde
//! form and a proptest strategy from that one declaration.
//!
//! The cursor is written here rather than taken from a parser-combinator crate: every layout of
//! the three dialects is a fixed table of little-endian integers, BCD and ASCII fields, and a
//! cursor over a length-checked body reads them with one bounds check per field, no allocation
//! and absolute error offsets — the decode path of a 0x13 frame stays under 100 ns with it.

use alloc::vec::Vec;

use super::Policy;
use super::deviation::{Deviation, Deviations};
use super::error::{DecodeError, DecodeErrorKind, EncodeError};

/// A cursor over a frame body. Offsets in errors are absolute (`base` + position).
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
    policy: Policy,
    deviations: Deviations,
}

impl<'a> Reader<'a> {
    /// A reader over `buf`, whose first byte sits at absolute offset `base`.
    #[inline]
    pub fn new(buf: &'a [u8], base: usize, policy: Policy) -> Self {
        Self::with_deviations(buf, base, policy, Deviations::new())
    }

    /// A reader that adds to deviations already found (e.g. in the frame's envelope).
    #[inline]
    pub fn with_deviations(
        buf: &'a [u8],
        base: usize,
        policy: Policy,
        deviations: Deviations,
    ) -> Self {
        Self {
            buf,
            pos: 0,
            base,
            policy,
            deviations,
        }
    }

    /// Absolute offset of the next byte.
    #[inline]
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// Bytes left.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Whether the decode is lenient.
    #[inline]
    pub fn lenient(&self) -> bool {
        self.policy == Policy::Lenient
    }

    /// Records a tolerated deviation.
    #[inline]
    pub fn deviate(&mut self, d: Deviation) {
        self.deviations.push(d);
    }

    /// The deviations recorded so far.
    #[inline]
    pub fn into_deviations(self) -> Deviations {
        self.deviations
    }

    /// The deviations recorded so far, by reference.
    #[inline]
    pub fn deviations(&self) -> &Deviations {
        &self.deviations
    }

    /// An error of `kind` at the current position.
    #[inline]
    pub fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(kind, self.offset())
    }

    /// An error of `kind` at `back` bytes before the current position.
    #[inline]
    pub fn error_back(&self, back: usize, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(kind, self.offset().saturating_sub(back))
    }

    /// The next `n` bytes.
    #[inline]
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let buf: &'a [u8] = self.buf;
        match buf.get(self.pos..self.pos + n) {
            Some(s) => {
                self.pos += n;
                Ok(s)
            }
            None => Err(self.error(DecodeErrorKind::Truncated {
                needed: n,
                available: self.remaining(),
            })),
        }
    }

    /// The next `N` bytes as an array.
    #[inline(always)]
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let buf: &'a [u8] = self.buf;
        match buf.get(self.pos..).and_then(<[u8]>::first_chunk::<N>) {
            Some(a) => {
                self.pos += N;
                Ok(*a)
            }
            None => Err(self.error(DecodeErrorKind::Truncated {
                needed: N,
                available: self.remaining(),
            })),
        }
    }

    /// The next `N` bytes without consuming them, if there are that many.
    #[inline(always)]
    pub fn peek<const N: usize>(&self) -> Option<&'a [u8; N]> {
        let buf: &'a [u8] = self.buf;
        buf.get(self.pos..).and_then(<[u8]>::first_chunk::<N>)
    }

    /// Consumes `n` bytes already looked at with [`peek`](Self::peek).
    #[inline(always)]
    pub fn skip(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.buf.len());
    }

    /// Everything that is left.
    #[inline]
    pub fn rest(&mut self) -> &'a [u8] {
        let buf: &'a [u8] = self.buf;
        let s = &buf[self.pos..];
        self.pos = buf.len();
        s
    }

    /// One byte.
    #[inline]
    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.array::<1>()?[0])
    }

    /// Little-endian u16.
    #[inline]
    pub fn u16_le(&mut self) -> Result<u16, DecodeError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    /// Little-endian u32.
    #[inline]
    pub fn u32_le(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    /// Reads one field, naming it in any error.
    #[inline]
    pub fn field<T>(
        &mut self,
        name: &'static str,
        read: impl FnOnce(&mut Self) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        read(self).map_err(|e| e.in_field(name))
    }
}

/// Appends encoded fields to a buffer.
pub struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

impl<'a> Writer<'a> {
    /// A writer appending to `out`.
    #[inline]
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        Self { out }
    }

    /// Appends bytes.
    #[inline]
    pub fn put(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }

    /// Appends one byte.
    #[inline]
    pub fn u8(&mut self, v: u8) {
        self.out.push(v);
    }

    /// Appends a little-endian u16.
    #[inline]
    pub fn u16_le(&mut self, v: u16) {
        self.put(&v.to_le_bytes());
    }

    /// Appends a little-endian u32.
    #[inline]
    pub fn u32_le(&mut self, v: u32) {
        self.put(&v.to_le_bytes());
    }

    /// Writes one field, naming it in any error.
    #[inline]
    pub fn field(
        &mut self,
        name: &'static str,
        write: impl FnOnce(&mut Self) -> Result<(), EncodeError>,
    ) -> Result<(), EncodeError> {
        write(self).map_err(|e| match e {
            EncodeError::NotRepresentable {
                field: "",
                value,
                reason,
            } => EncodeError::NotRepresentable {
                field: name,
                value,
                reason,
            },
            other => other,
        })
    }
}

/// An error for a value that does not fit its wire encoding; the field name is filled in by
/// [`Writer::field`].
pub fn unrepresentable(value: impl core::fmt::Display, reason: &'static str) -> EncodeError {
    EncodeError::NotRepresentable {
        field: "",
        value: alloc::format!("{value}"),
        reason,
    }
}

/// The `N` bytes of `b` at `at`, for [`Wire::read_fast`] implementations.
#[inline(always)]
pub fn fixed<const N: usize>(b: &[u8], at: usize) -> Option<&[u8; N]> {
    b.get(at..).and_then(<[u8]>::first_chunk::<N>)
}

/// A type with one natural wire encoding.
pub trait Wire: Sized {
    /// Encoded size in bytes (the minimum size for variable-length types).
    const LEN: usize;
    /// Whether [`read_fast`](Self::read_fast) can read the value (a fixed layout).
    const FAST: bool = false;
    /// Reads the value.
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError>;
    /// Reads the value from `b` at offset `at`, where the caller knows `b` holds it in full;
    /// `None` when the value needs a closer look (an invalid value, a deviation to record) —
    /// the caller then reads it again with [`read`](Self::read), which says what is wrong.
    #[inline(always)]
    fn read_fast(b: &[u8], at: usize) -> Option<Self> {
        let _ = (b, at);
        None
    }
    /// Writes the value.
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError>;
    /// Values that encode, for roundtrip tests.
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Self>;
}

/// An encoding of a `T` other than its natural one (a scale, an offset, a byte order).
pub trait FieldCodec<T> {
    /// Encoded size in bytes.
    const LEN: usize;
    /// Whether [`read_fast`](Self::read_fast) can read the value (a fixed layout).
    const FAST: bool = false;
    /// Reads a `T`.
    fn read(r: &mut Reader<'_>) -> Result<T, DecodeError>;
    /// Reads a `T` from `b` at offset `at`, where the caller knows `b` holds it in full; `None`
    /// when the value needs a closer look (an invalid value, a deviation to record) — the
    /// caller then reads it again with [`read`](Self::read), which says what is wrong.
    #[inline(always)]
    fn read_fast(b: &[u8], at: usize) -> Option<T> {
        let _ = (b, at);
        None
    }
    /// Writes a `T`.
    fn write(v: &T, w: &mut Writer<'_>) -> Result<(), EncodeError>;
    /// Values of `T` this codec can encode, for roundtrip tests.
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<T>;
}

impl<T: Wire> FieldCodec<T> for T {
    const LEN: usize = T::LEN;
    const FAST: bool = T::FAST;
    #[inline]
    fn read(r: &mut Reader<'_>) -> Result<T, DecodeError> {
        T::read(r)
    }
    #[inline(always)]
    fn read_fast(b: &[u8], at: usize) -> Option<T> {
        T::read_fast(b, at)
    }
    #[inline]
    fn write(v: &T, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        v.write(w)
    }
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<T> {
        T::arbitrary()
    }
}

macro_rules! wire_int {
    ($t:ty, $n:expr, $read:ident, $write:ident) => {
        impl Wire for $t {
            const LEN: usize = $n;
            const FAST: bool = true;
            #[inline]
            fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                r.$read()
            }
            #[inline(always)]
            fn read_fast(b: &[u8], at: usize) -> Option<Self> {
                fixed::<$n>(b, at).map(|a| <$t>::from_le_bytes(*a))
            }
            #[inline]
            fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
                w.$write(*self);
                Ok(())
            }
            #[cfg(test)]
            fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
                use proptest::strategy::Strategy;
                proptest::arbitrary::any::<$t>().boxed()
            }
        }
    };
}
wire_int!(u8, 1, u8, u8);
wire_int!(u16, 2, u16_le, u16_le);
wire_int!(u32, 4, u32_le, u32_le);

impl<const N: usize> Wire for [u8; N] {
    const LEN: usize = N;
    const FAST: bool = true;
    #[inline]
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.array()
    }
    #[inline(always)]
    fn read_fast(b: &[u8], at: usize) -> Option<Self> {
        fixed::<N>(b, at).copied()
    }
    #[inline]
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.put(self);
        Ok(())
    }
    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::strategy::Strategy;
        proptest::collection::vec(proptest::arbitrary::any::<u8>(), N)
            .prop_map(|v| {
                let mut a = [0u8; N];
                a.copy_from_slice(&v);
                a
            })
            .boxed()
    }
}

/// Nests strategies into right-leaning pairs, so a message of any number of fields gets one
/// strategy (proptest's tuples stop at 12).
#[cfg(test)]
#[macro_export]
#[doc(hidden)]
macro_rules! __nest_strategy {
    () => { proptest::strategy::Just(()) };
    ($h:expr $(, $t:expr)*) => { ($h, $crate::__nest_strategy!($($t),*)) };
}

/// The pattern matching [`__nest_strategy!`]'s values.
#[cfg(test)]
#[macro_export]
#[doc(hidden)]
macro_rules! __nest_pattern {
    () => { () };
    ($h:ident $(, $t:ident)*) => { ($h, $crate::__nest_pattern!($($t),*)) };
}

/// The codec of a field: its own type, or the named codec.
#[macro_export]
#[doc(hidden)]
macro_rules! __field_codec {
    ($ty:ty) => {
        $ty
    };
    ($ty:ty, $codec:ty) => {
        $codec
    };
}

/// Declares a message layout: a struct whose fields are read and written in order.
///
/// A layout that grew over firmware versions lists the fields every version sends, then, in an
/// `appended { ... }` section, the fields later versions append. Appended fields are `Option`s:
/// decoding stops at the first one the body has no room for (it and all after it are `None`),
/// encoding stops at the first `None`. Such a struct is `#[non_exhaustive]` (a later firmware
/// may append more) and gets a `new` taking the fields every version sends.
///
/// ```text
/// wire_struct! {
///     /// Doc of the message.
///     pub struct Heartbeat {
///         /// Doc of the field.
///         pile_code: PileCode,
///         /// A field whose wire form differs from its type: `type = codec => "json_key"`.
///         voltage: Voltage = VoltageDeciVolt16 => "voltage_v",
///     }
/// }
/// ```
#[macro_export]
#[doc(hidden)]
macro_rules! wire_struct {
    (
        $(#[$m:meta])*
        pub struct $name:ident {
            $(
                $(#[$fm:meta])*
                $field:ident : $ty:ty $(= $codec:ty)? $(=> $key:literal)?
            ),* $(,)?
        }
        appended {
            $(
                $(#[$om:meta])*
                $ofield:ident : $oty:ty $(= $ocodec:ty)? $(=> $okey:literal)?
            ),* $(,)?
        }
    ) => {
        $(#[$m])*
        ///
        /// Later firmware may append more fields, so the struct is `#[non_exhaustive]`: build it
        /// with `new` (appended fields `None`) and set the appended fields you have.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[non_exhaustive]
        pub struct $name {
            $(
                $(#[$fm])*
                $( #[cfg_attr(feature = "serde", serde(rename = $key))] )?
                pub $field: $ty,
            )*
            $(
                $(#[$om])*
                ///
                /// Appended by later firmware: `None` when the frame ends before it.
                #[cfg_attr(feature = "serde", serde(
                    default,
                    skip_serializing_if = "Option::is_none",
                    deserialize_with = "crate::codec::wire::deserialize_present"
                ))]
                $( #[cfg_attr(feature = "serde", serde(rename = $okey))] )?
                pub $ofield: Option<$oty>,
            )*
        }

        impl $name {
            /// The message with the fields every firmware sends; the appended fields are `None`.
            #[allow(clippy::too_many_arguments)]
            pub fn new($($field: $ty),*) -> Self {
                Self { $($field,)* $($ofield: None,)* }
            }

            /// Size of the fields every firmware sends, in bytes.
            pub const MIN_BODY_LEN: usize = 0 $(
                + <$crate::__field_codec!($ty $(, $codec)?) as $crate::codec::wire::FieldCodec<$ty>>::LEN
            )*;
            /// Size with every appended field present (at least), in bytes.
            pub const FULL_BODY_LEN: usize = Self::MIN_BODY_LEN $(
                + <$crate::__field_codec!($oty $(, $ocodec)?) as $crate::codec::wire::FieldCodec<$oty>>::LEN
            )*;
        }

        impl $crate::codec::wire::Wire for $name {
            const LEN: usize = Self::MIN_BODY_LEN;

            #[inline]
            #[allow(unused_assignments)]
            fn read(
                r: &mut $crate::codec::wire::Reader<'_>,
            ) -> Result<Self, $crate::codec::DecodeError> {
                use $crate::codec::wire::{FieldCodec, Reader};
                // When a part of the layout is there in full, it is read from a fixed-size copy,
                // which lets the compiler drop the per-field bounds checks. Otherwise fields are
                // read one by one, so a short body is reported at the field it cuts.
                let policy = if r.lenient() {
                    $crate::codec::Policy::Lenient
                } else {
                    $crate::codec::Policy::Strict
                };
                // The fast path: every field at its constant offset in one fixed-size view,
                // with no per-field error handling. A value that needs a closer look sends the
                // whole part down the field-by-field path below, which names what is wrong.
                const HEAD_FAST: bool = true $(
                    && <$crate::__field_codec!($ty $(, $codec)?) as FieldCodec<$ty>>::FAST
                )*;
                let fast = if HEAD_FAST {
                    r.peek::<{ Self::MIN_BODY_LEN }>().and_then(|head| {
                        #[allow(unused_variables)]
                        let head: &[u8] = head;
                        #[allow(unused_mut, unused_variables)]
                        let mut at = 0usize;
                        Some(($(
                            {
                                let v = <$crate::__field_codec!($ty $(, $codec)?) as FieldCodec<$ty>>::read_fast(head, at)?;
                                at += <$crate::__field_codec!($ty $(, $codec)?) as FieldCodec<$ty>>::LEN;
                                v
                            },
                        )*))
                    })
                } else {
                    None
                };
                let ($($field,)*) = if let Some(fields) = fast {
                    r.skip(Self::MIN_BODY_LEN);
                    fields
                } else if r.remaining() >= Self::MIN_BODY_LEN {
                    let base = r.offset();
                    let head: [u8; Self::MIN_BODY_LEN] = r.array()?;
                    let mut h = Reader::new(&head, base, policy);
                    let fields = ($(
                        h.field(
                            stringify!($field),
                            <$crate::__field_codec!($ty $(, $codec)?) as FieldCodec<$ty>>::read,
                        )?,
                    )*);
                    for d in h.deviations().iter() {
                        r.deviate(*d);
                    }
                    fields
                } else {
                    ($(
                        r.field(
                            stringify!($field),
                            <$crate::__field_codec!($ty $(, $codec)?) as FieldCodec<$ty>>::read,
                        )?,
                    )*)
                };
                const APPENDED_LEN: usize = $name::FULL_BODY_LEN - $name::MIN_BODY_LEN;
                const TAIL_FAST: bool = true $(
                    && <$crate::__field_codec!($oty $(, $ocodec)?) as FieldCodec<$oty>>::FAST
                )*;
                let fast = if TAIL_FAST && APPENDED_LEN > 0 && r.remaining() == APPENDED_LEN {
                    r.peek::<APPENDED_LEN>().and_then(|tail| {
                        #[allow(unused_variables)]
                        let tail: &[u8] = tail;
                        #[allow(unused_mut, unused_variables)]
                        let mut at = 0usize;
                        Some(($(
                            {
                                let v = <$crate::__field_codec!($oty $(, $ocodec)?) as FieldCodec<$oty>>::read_fast(tail, at)?;
                                at += <$crate::__field_codec!($oty $(, $ocodec)?) as FieldCodec<$oty>>::LEN;
                                Some(v)
                            },
                        )*))
                    })
                } else {
                    None
                };
                let ($($ofield,)*) = if let Some(fields) = fast {
                    r.skip(APPENDED_LEN);
                    fields
                } else if APPENDED_LEN > 0 && r.remaining() == APPENDED_LEN {
                    let base = r.offset();
                    let tail: [u8; APPENDED_LEN] = r.array()?;
                    let mut t = Reader::new(&tail, base, policy);
                    let fields = ($(
                        Some(t.field(
                            stringify!($ofield),
                            <$crate::__field_codec!($oty $(, $ocodec)?) as FieldCodec<$oty>>::read,
                        )?),
                    )*);
                    for d in t.deviations().iter() {
                        r.deviate(*d);
                    }
                    fields
                } else {
                    #[allow(unused_mut, unused_variables)]
                    let mut present = true;
                    ($(
                        if present
                            && r.remaining()
                                >= <$crate::__field_codec!($oty $(, $ocodec)?) as FieldCodec<$oty>>::LEN
                        {
                            Some(r.field(
                                stringify!($ofield),
                                <$crate::__field_codec!($oty $(, $ocodec)?) as FieldCodec<$oty>>::read,
                            )?)
                        } else {
                            present = false;
                            None
                        },
                    )*)
                };
                Ok(Self { $($field,)* $($ofield,)* })
            }

            #[inline]
            fn write(
                &self,
                w: &mut $crate::codec::wire::Writer<'_>,
            ) -> Result<(), $crate::codec::EncodeError> {
                $(
                    w.field(stringify!($field), |w| {
                        <$crate::__field_codec!($ty $(, $codec)?) as $crate::codec::wire::FieldCodec<$ty>>::write(&self.$field, w)
                    })?;
                )*
                $(
                    match &self.$ofield {
                        Some(v) => w.field(stringify!($ofield), |w| {
                            <$crate::__field_codec!($oty $(, $ocodec)?) as $crate::codec::wire::FieldCodec<$oty>>::write(v, w)
                        })?,
                        None => return Ok(()),
                    }
                )*
                Ok(())
            }

            #[cfg(test)]
            fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
                use proptest::strategy::Strategy;
                let appended_count = 0usize $( + { let _ = stringify!($ofield); 1 } )*;
                (
                    $crate::__nest_strategy!($(
                        <$crate::__field_codec!($ty $(, $codec)?) as $crate::codec::wire::FieldCodec<$ty>>::arbitrary()
                    ),*),
                    $crate::__nest_strategy!($(
                        <$crate::__field_codec!($oty $(, $ocodec)?) as $crate::codec::wire::FieldCodec<$oty>>::arbitrary()
                    ),*),
                    0..=appended_count,
                )
                    .prop_map(|(
                        $crate::__nest_pattern!($($field),*),
                        $crate::__nest_pattern!($($ofield),*),
                        present,
                    )| {
                        #[allow(unused_mut, unused_variables)]
                        let mut index = 0usize;
                        $(
                            let $ofield = (index < present).then_some($ofield);
                            index += 1;
                        )*
                        let _ = (index, present);
                        Self { $($field,)* $($ofield,)* }
                    })
                    .boxed()
            }
        }
    };
    (
        $(#[$m:meta])*
        pub struct $name:ident {
            $(
                $(#[$fm:meta])*
                $field:ident : $ty:ty $(= $codec:ty)? $(=> $key:literal)?
            ),* $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub struct $name {
            $(
                $(#[$fm])*
                $( #[cfg_attr(feature = "serde", serde(rename = $key))] )?
                pub $field: $ty,
            )*
        }

        impl $name {
            /// Size of this message's body on the wire, in bytes.
            pub const BODY_LEN: usize = 0 $(
                + <$crate::__field_codec!($ty $(, $codec)?) as $crate::codec::wire::FieldCodec<$ty>>::LEN
            )*;
        }

        impl $crate::codec::wire::Wire for $name {
            const LEN: usize = Self::BODY_LEN;
            const FAST: bool = true $(
                && <$crate::__field_codec!($ty $(, $codec)?) as $crate::codec::wire::FieldCodec<$ty>>::FAST
            )*;

            #[inline(always)]
            #[allow(unused_assignments, unused_mut, unused_variables)]
            fn read_fast(b: &[u8], at: usize) -> Option<Self> {
                let mut at = at;
                Some(Self {
                    $(
                        $field: {
                            let v = <$crate::__field_codec!($ty $(, $codec)?) as $crate::codec::wire::FieldCodec<$ty>>::read_fast(b, at)?;
                            at += <$crate::__field_codec!($ty $(, $codec)?) as $crate::codec::wire::FieldCodec<$ty>>::LEN;
                            v
                        },
                    )*
                })
            }

            #[inline]
            fn read(
                r: &mut $crate::codec::wire::Reader<'_>,
            ) -> Result<Self, $crate::codec::DecodeError> {
                // The fast path: every field at its constant offset in one fixed-size view, with
                // no per-field error handling. A value that needs a closer look sends the body
                // down the field-by-field path below, which names what is wrong.
                if <Self as $crate::codec::wire::Wire>::FAST
                    && let Some(v) = r
                        .peek::<{ Self::BODY_LEN }>()
                        .and_then(|b| <Self as $crate::codec::wire::Wire>::read_fast(&b[..], 0))
                {
                    r.skip(Self::BODY_LEN);
                    return Ok(v);
                }
                if <Self as $crate::codec::wire::Wire>::FAST {
                    Self::read_fields_cold(r)
                } else {
                    Self::read_fields(r)
                }
            }

            #[inline]
            fn write(
                &self,
                w: &mut $crate::codec::wire::Writer<'_>,
            ) -> Result<(), $crate::codec::EncodeError> {
                $(
                    w.field(stringify!($field), |w| {
                        <$crate::__field_codec!($ty $(, $codec)?) as $crate::codec::wire::FieldCodec<$ty>>::write(&self.$field, w)
                    })?;
                )*
                Ok(())
            }

            #[cfg(test)]
            fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
                use proptest::strategy::Strategy;
                $crate::__nest_strategy!($(
                    <$crate::__field_codec!($ty $(, $codec)?) as $crate::codec::wire::FieldCodec<$ty>>::arbitrary()
                ),*)
                .prop_map(|$crate::__nest_pattern!($($field),*)| Self { $($field),* })
                .boxed()
            }
        }

        impl $name {
            /// [`read_fields`](Self::read_fields) out of line, for bodies the fast path
            /// declines (short, invalid, or with a deviation to record).
            #[cold]
            #[inline(never)]
            fn read_fields_cold(
                r: &mut $crate::codec::wire::Reader<'_>,
            ) -> Result<Self, $crate::codec::DecodeError> {
                Self::read_fields(r)
            }

            /// Reads the fields one by one, naming the field of any error.
            #[inline]
            fn read_fields(
                r: &mut $crate::codec::wire::Reader<'_>,
            ) -> Result<Self, $crate::codec::DecodeError> {
                Ok(Self {
                    $(
                        $field: r.field(
                            stringify!($field),
                            <$crate::__field_codec!($ty $(, $codec)?) as $crate::codec::wire::FieldCodec<$ty>>::read,
                        )?,
                    )*
                })
            }
        }
    };
}

/// Declares an enum of protocol codes that keeps unknown codes: every known code gets a variant
/// with a snake_case name, anything else becomes `Other(code)`.
///
/// Its serde form is `{"name": "...", "code": N}`; reading accepts that or a bare code.
#[macro_export]
#[doc(hidden)]
macro_rules! open_enum {
    (
        $(#[$m:meta])*
        pub enum $name:ident : $repr:ty {
            $(
                $(#[$vm:meta])*
                $variant:ident = $code:literal => $text:literal
            ),* $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vm])* $variant, )*
            /// A code this version does not know; kept as it came.
            Other($repr),
        }

        impl $name {
            /// The variant of a code; unknown codes become `Other`.
            #[inline]
            pub const fn from_code(code: $repr) -> Self {
                match code {
                    $( $code => Self::$variant, )*
                    other => Self::Other(other),
                }
            }

            /// The code on the wire.
            #[inline]
            pub const fn code(self) -> $repr {
                match self {
                    $( Self::$variant => $code, )*
                    Self::Other(c) => c,
                }
            }

            /// The snake_case name (`"other"` for unknown codes).
            pub const fn name(self) -> &'static str {
                match self {
                    $( Self::$variant => $text, )*
                    Self::Other(_) => "other",
                }
            }

            /// Whether the code is one the protocol defines.
            pub const fn is_known(self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        impl From<$repr> for $name {
            fn from(code: $repr) -> Self {
                Self::from_code(code)
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "{} ({})", self.name(), self.code())
            }
        }

        impl $crate::codec::wire::Wire for $name {
            const LEN: usize = <$repr as $crate::codec::wire::Wire>::LEN;
            const FAST: bool = true;
            #[inline]
            fn read(r: &mut $crate::codec::wire::Reader<'_>) -> Result<Self, $crate::codec::DecodeError> {
                <$repr as $crate::codec::wire::Wire>::read(r).map(Self::from_code)
            }
            #[inline(always)]
            fn read_fast(b: &[u8], at: usize) -> Option<Self> {
                <$repr as $crate::codec::wire::Wire>::read_fast(b, at).map(Self::from_code)
            }
            #[inline]
            fn write(&self, w: &mut $crate::codec::wire::Writer<'_>) -> Result<(), $crate::codec::EncodeError> {
                $crate::codec::wire::Wire::write(&self.code(), w)
            }
            #[cfg(test)]
            fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
                use proptest::strategy::Strategy;
                proptest::arbitrary::any::<$repr>().prop_map(Self::from_code).boxed()
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                let mut st = s.serialize_struct(stringify!($name), 2)?;
                st.serialize_field("name", self.name())?;
                st.serialize_field("code", &self.code())?;
                st.end()
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::codec::enum_serde::deserialize_code::<D, $repr>(d).map(Self::from_code)
            }
        }
    };
}

#[cfg(test)]
#[path = "wire_tests.rs"]
pub(crate) mod tests;

/// Reads a present field of a message with trailing optional fields: `null` is the field's own
/// value (e.g. "no sensor"), a missing key is an absent field.
#[cfg(feature = "serde")]
#[doc(hidden)]
pub fn deserialize_present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}
