//! The one way every dialect declares its message catalogue.
//!
//! Each dialect lists its messages in one table — variant, body type, frame type or command
//! code, direction, canonical name — with the `catalogue!` macro. The macro declares the message
//! enum (the catalogued variants plus the dialect's own opaque variants), its `code()`,
//! `name()` and `direction()`, a public [`CatalogueEntry`] table (`XxxMessage::CATALOGUE`), and
//! the dispatch from `(code, direction)` to the body's reader. Two entries with the same code
//! and direction are a compile error (an unreachable match arm) unless the second is told apart
//! by the body, with `when guard` naming a function of the reader (DNY's 0xFA to a host: an empty
//! body triggers the upgrade, a non-empty one is a firmware chunk).

use super::Direction;
use super::error::{DecodeError, EncodeError};
use super::juy::EnergyResolution;
use super::wire::{Reader, Wire, Writer};

/// One message of a dialect's catalogue (`YkcMessage::CATALOGUE`, `DnyMessage::CATALOGUE`,
/// `JuyMessage::CATALOGUE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CatalogueEntry {
    /// The frame type (YKC) or command code (DNY, JUY).
    pub code: u8,
    /// Which way the message travels.
    pub direction: Direction,
    /// The message name in snake_case, as in the canonical form.
    pub name: &'static str,
    /// The size of the body every firmware sends, in bytes (for variable layouts, the least).
    pub min_body_len: usize,
}

impl CatalogueEntry {
    /// The entry for `code` travelling in `direction` in `catalogue`, the first if there are
    /// several.
    pub const fn find(
        catalogue: &'static [CatalogueEntry],
        code: u8,
        direction: Direction,
    ) -> Option<&'static CatalogueEntry> {
        let mut i = 0;
        while i < catalogue.len() {
            let e = &catalogue[i];
            if e.code == code && e.direction as u8 == direction as u8 {
                return Some(e);
            }
            i += 1;
        }
        None
    }
}

/// What a message body's layout may depend on besides its bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct BodyContext {
    /// JUY: the resolution of reported energy.
    pub(crate) energy_resolution: EnergyResolution,
}

/// A message body: every catalogued variant holds one.
pub(crate) trait Body: Sized {
    /// The size every firmware sends (the least, for variable layouts).
    const MIN_LEN: usize;
    /// Reads the body; the reader spans exactly the body's bytes.
    fn read_body(r: &mut Reader<'_>, cx: BodyContext) -> Result<Self, DecodeError>;
    /// Writes the body.
    fn write_body(&self, w: &mut Writer<'_>, cx: BodyContext) -> Result<(), EncodeError>;
    /// Bodies that encode, for roundtrip tests.
    #[cfg(test)]
    fn arbitrary_body() -> proptest::strategy::BoxedStrategy<Self>;
}

impl<T: Wire> Body for T {
    const MIN_LEN: usize = T::LEN;

    #[inline]
    fn read_body(r: &mut Reader<'_>, _: BodyContext) -> Result<Self, DecodeError> {
        T::read(r)
    }

    #[inline]
    fn write_body(&self, w: &mut Writer<'_>, _: BodyContext) -> Result<(), EncodeError> {
        self.write(w)
    }

    #[cfg(test)]
    fn arbitrary_body() -> proptest::strategy::BoxedStrategy<Self> {
        T::arbitrary()
    }
}

/// Declares a dialect's message enum from its catalogue (see the [module docs](self)).
///
/// ```text
/// catalogue! {
///     /// Doc of the enum.
///     pub enum DnyMessage {
///         /// 0x21 heartbeat (up).
///         Heartbeat(Heartbeat) = 0x21, Up, "heartbeat";
///         /// A second layout of a key, chosen when `guard(&reader)` holds.
///         Trigger(NoData) = 0xFA, Down when no_data, "host_upgrade_trigger";
///     }
///     others {
///         variants { /// The dialect's opaque variants, verbatim.
///                    Unknown { command: u8, direction: Direction, data: RawBytes }, }
///         code { Self::Unknown { command, .. } => *command }
///         name { Self::Unknown { .. } => "unknown" }
///         direction { Self::Unknown { direction, .. } => *direction }
///         read_other: Self::unknown_body,   // fn(u8, Direction, &mut Reader) -> Self
///         write_other: Self::write_unknown, // fn(&Self, &mut Writer) -> Result<(), EncodeError>
///     }
/// }
/// ```
macro_rules! catalogue {
    (
        $(#[$em:meta])*
        pub enum $msg:ident {
            $(
                $(#[$m:meta])*
                $variant:ident($ty:ty) = $code:literal, $dir:ident $(when $guard:path)?, $name:literal;
            )*
        }
        others {
            variants { $($others:tt)* }
            code { $($code_arms:tt)* }
            name { $($name_arms:tt)* }
            direction { $($dir_arms:tt)* }
            read_other: $read_other:path,
            write_other: $write_other:path $(,)?
        }
    ) => {
        $(#[$em])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(tag = "name"))]
        #[non_exhaustive]
        pub enum $msg {
            $(
                $(#[$m])*
                #[cfg_attr(feature = "serde", serde(rename = $name))]
                $variant($ty),
            )*
            $($others)*
        }

        impl $msg {
            /// Every message this version knows, in the order of the reference: code,
            /// direction, name and least body size.
            pub const CATALOGUE: &'static [$crate::codec::CatalogueEntry] = &[
                $(
                    $crate::codec::CatalogueEntry {
                        code: $code,
                        direction: $crate::codec::Direction::$dir,
                        name: $name,
                        min_body_len: <$ty as $crate::codec::catalogue::Body>::MIN_LEN,
                    },
                )*
            ];

            /// The frame type or command code.
            pub const fn code(&self) -> u8 {
                match self {
                    $( Self::$variant(_) => $code, )*
                    $($code_arms)*
                }
            }

            /// The snake_case name, as in the canonical form.
            pub const fn name(&self) -> &'static str {
                match self {
                    $( Self::$variant(_) => $name, )*
                    $($name_arms)*
                }
            }

            /// Which way the message travels.
            pub const fn direction(&self) -> $crate::codec::Direction {
                match self {
                    $( Self::$variant(_) => $crate::codec::Direction::$dir, )*
                    $($dir_arms)*
                }
            }

            /// Whether `(code, direction)` is in the catalogue.
            pub const fn is_known(code: u8, direction: $crate::codec::Direction) -> bool {
                $crate::codec::CatalogueEntry::find(Self::CATALOGUE, code, direction).is_some()
            }

            /// Reads the body of `code` travelling in `direction`; what the catalogue does not
            /// list is read by the dialect's fallback.
            #[inline]
            #[allow(dead_code)]
            pub(crate) fn read_body(
                code: u8,
                direction: $crate::codec::Direction,
                r: &mut $crate::codec::wire::Reader<'_>,
                cx: $crate::codec::catalogue::BodyContext,
            ) -> Result<Self, $crate::codec::DecodeError> {
                match (code, direction) {
                    $(
                        ($code, $crate::codec::Direction::$dir) $(if $guard(r))? => {
                            <$ty as $crate::codec::catalogue::Body>::read_body(r, cx)
                                .map(Self::$variant)
                        }
                    )*
                    _ => Ok($read_other(code, direction, r)),
                }
            }

            /// Reads the body of `code` travelling in `direction` like
            /// [`read_body`](Self::read_body), and hands the message to `finish`, which builds
            /// the result from it: each message type gets its own inlined `finish`, so the
            /// message is built where the result is, not moved there.
            #[inline(always)]
            #[allow(dead_code)]
            pub(crate) fn read_body_then<R>(
                code: u8,
                direction: $crate::codec::Direction,
                r: &mut $crate::codec::wire::Reader<'_>,
                cx: $crate::codec::catalogue::BodyContext,
                finish: impl FnOnce(Self, &mut $crate::codec::wire::Reader<'_>) -> Result<R, $crate::codec::DecodeError>,
            ) -> Result<R, $crate::codec::DecodeError> {
                match (code, direction) {
                    $(
                        ($code, $crate::codec::Direction::$dir) $(if $guard(r))? => {
                            match <$ty as $crate::codec::catalogue::Body>::read_body(r, cx) {
                                Ok(m) => finish(Self::$variant(m), r),
                                Err(e) => Err(e),
                            }
                        }
                    )*
                    _ => {
                        let m = $read_other(code, direction, r);
                        finish(m, r)
                    }
                }
            }

            /// Writes the body.
            #[inline]
            pub(crate) fn write_body(
                &self,
                w: &mut $crate::codec::wire::Writer<'_>,
                cx: $crate::codec::catalogue::BodyContext,
            ) -> Result<(), $crate::codec::EncodeError> {
                match self {
                    $(
                        Self::$variant(m) => {
                            <$ty as $crate::codec::catalogue::Body>::write_body(m, w, cx)
                        }
                    )*
                    other => $write_other(other, w),
                }
            }

            /// Every catalogued message, for roundtrip tests.
            #[cfg(test)]
            #[allow(dead_code)]
            pub(crate) fn arbitrary_catalogued() -> proptest::strategy::BoxedStrategy<Self> {
                use proptest::strategy::Strategy;
                proptest::strategy::Union::new(alloc::vec![
                    $(
                        <$ty as $crate::codec::catalogue::Body>::arbitrary_body()
                            .prop_map(Self::$variant)
                            .boxed(),
                    )*
                ])
                .boxed()
            }
        }
    };
}

pub(crate) use catalogue;

#[cfg(test)]
mod tests {
    use alloc::collections::BTreeSet;
    use alloc::vec;

    use proptest::prelude::*;

    use super::CatalogueEntry;
    use crate::codec::dny::{DnyFrame, DnyMessage, FirmwareChunk, NoData, PhysicalId, RawBytes};
    use crate::codec::juy::JuyMessage;
    use crate::codec::ykc::YkcMessage;
    use crate::codec::{DecodeContext, Direction};

    fn names_are_unique(catalogue: &[CatalogueEntry]) {
        let mut seen = BTreeSet::new();
        for e in catalogue {
            assert!(seen.insert(e.name), "`{}` twice", e.name);
            assert_ne!(e.name, "unknown");
        }
    }

    #[test]
    fn every_dialect_names_each_message_once() {
        names_are_unique(YkcMessage::CATALOGUE);
        names_are_unique(DnyMessage::CATALOGUE);
        names_are_unique(JuyMessage::CATALOGUE);
        assert_eq!(YkcMessage::CATALOGUE.len(), 53);
        assert_eq!(JuyMessage::CATALOGUE.len(), 32);
    }

    #[test]
    fn ykc_directions_follow_the_frame_type_parity() {
        for e in YkcMessage::CATALOGUE {
            let up = e.code % 2 == 1;
            assert_eq!(e.direction == Direction::Up, up, "{}", e.name);
        }
    }

    #[test]
    fn dny_0xfa_to_a_host_is_a_trigger_when_empty_and_a_chunk_otherwise() {
        let to_host = |m| {
            DnyFrame::new(PhysicalId(7), 1, m)
                .encode()
                .expect("encodes")
        };
        let ctx = DecodeContext::STRICT.with_direction(Some(Direction::Down));
        let trigger = to_host(DnyMessage::HostUpgradeTrigger(NoData {}));
        let got = DnyFrame::decode(&trigger, &ctx).expect("decodes");
        assert_eq!(got.message, DnyMessage::HostUpgradeTrigger(NoData {}));
        let chunk = DnyMessage::HostUpgradeChunk(FirmwareChunk {
            total: 1,
            index: 1,
            data: RawBytes(vec![1, 2, 3]),
        });
        let got = DnyFrame::decode(&to_host(chunk.clone()), &ctx).expect("decodes");
        assert_eq!(got.message, chunk);
        assert!(DnyMessage::is_known(0xFA, Direction::Down));
        assert!(!DnyMessage::is_known(0xFB, Direction::Down));
    }

    fn listed(catalogue: &[CatalogueEntry], code: u8, direction: Direction, name: &str) -> bool {
        catalogue
            .iter()
            .any(|e| e.code == code && e.direction == direction && e.name == name)
    }

    proptest! {
        #[test]
        fn every_message_is_listed_under_its_code_direction_and_name(
            ykc in YkcMessage::arbitrary_catalogued(),
            dny in DnyMessage::arbitrary_catalogued(),
            juy in JuyMessage::arbitrary_catalogued(),
        ) {
            prop_assert!(listed(YkcMessage::CATALOGUE, ykc.code(), ykc.direction(), ykc.name()));
            prop_assert!(listed(DnyMessage::CATALOGUE, dny.code(), dny.direction(), dny.name()));
            prop_assert!(listed(JuyMessage::CATALOGUE, juy.code(), juy.direction(), juy.name()));
        }
    }
}
