//! DNY framing: `"DNY" · length u16 · …`, bounded by the length field, and the unframed text a
//! pile's 4G module sends between frames.
//!
//! The dialect's [`Framer`] for the [stream decoder](crate::codec::stream). A frame is
//! `5 + length` bytes with the length in
//! [`MIN_LENGTH_FIELD`]`..=`[`MAX_LENGTH_FIELD`]. The reference fixes no frame's length beyond
//! that (firmware appends fields, and servers are told to decode by length), so strict and
//! lenient framing agree.
//!
//! Between frames, the module sends its SIM's 20-character [`Iccid`] when it connects and
//! [`LINK`] after 30 s of silence; [`DnyFramer`] reports both as [`DnyText`].

use core::fmt;

use super::{MAX_LENGTH_FIELD, MIN_LENGTH_FIELD, START};
use crate::codec::error::DecodeErrorKind;
use crate::codec::fields::Ascii;
use crate::codec::framing::{Framer, Marker, Scan, match_marker};
use crate::codec::{Dialect, Policy};

/// The 20-character ICCID a 4G module sends when it connects, e.g. `89860413161892009275`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Iccid(pub Ascii<20>);

/// Length of an ICCID.
const ICCID_LEN: usize = 20;

impl Iccid {
    /// The 20 characters.
    pub fn as_str(&self) -> &str {
        self.0.as_str().unwrap_or("")
    }

    /// Whether `bytes` are an ICCID as modules send it: `89` and 18 more hex digits.
    pub fn is_iccid(bytes: &[u8]) -> bool {
        bytes.len() == ICCID_LEN && iccid_prefix_ok(bytes)
    }
}

impl fmt::Display for Iccid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// Whether `bytes` can begin an ICCID: `8`, `9`, then hex digits.
fn iccid_prefix_ok(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().all(|(i, &b)| match i {
        0 => b == b'8',
        1 => b == b'9',
        _ => b.is_ascii_hexdigit(),
    })
}

/// The keep-alive a 4G module sends after 30 s of silence.
pub const LINK: [u8; 4] = *b"link";

/// Unframed text a DNY pile's 4G module sends between frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DnyText {
    /// The ICCID, sent when the module connects (20 bytes).
    Iccid(Iccid),
    /// The `link` keep-alive (4 bytes).
    Link,
}

/// Finds DNY frames and module text: a frame is `5 + length` bytes with the length field in
/// [`MIN_LENGTH_FIELD`]`..=`[`MAX_LENGTH_FIELD`] (the reference fixes no frame's length beyond
/// that, so strict and lenient framing agree); between frames, the module's [`Iccid`] and
/// [`LINK`] are reported as [`DnyText`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DnyFramer;

impl Framer for DnyFramer {
    const DIALECT: Dialect = Dialect::Dny;
    const MAX_FRAME_LEN: usize = 5 + MAX_LENGTH_FIELD as usize;
    type Text = DnyText;

    fn new(_policy: Policy) -> Self {
        Self
    }

    fn is_start(byte: u8) -> bool {
        matches!(byte, b'D' | b'8' | b'l')
    }

    #[inline]
    fn find_start(buf: &[u8]) -> Option<usize> {
        memchr::memchr3(b'D', b'8', b'l', buf)
    }

    fn marker(buf: &[u8]) -> Marker {
        match buf.first() {
            Some(b'D') => match_marker(buf, &START),
            Some(b'8' | b'l') => match Self.scan(buf) {
                Scan::Skip { .. } => Marker::Found,
                Scan::NeedMore { .. } => Marker::NeedMore,
                _ => Marker::Absent,
            },
            Some(_) => Marker::Absent,
            None => Marker::NeedMore,
        }
    }

    fn scan(&self, buf: &[u8]) -> Scan<DnyText> {
        match buf.first() {
            None => Scan::NeedMore { needed: 1 },
            Some(b'D') => scan_frame(buf),
            Some(b'l') => match match_marker(buf, &LINK) {
                Marker::Found => Scan::Skip {
                    len: LINK.len(),
                    what: DnyText::Link,
                },
                Marker::NeedMore => Scan::NeedMore { needed: LINK.len() },
                Marker::Absent => Scan::NotAFrame { reason: None },
            },
            Some(b'8') => {
                let head = buf.get(..ICCID_LEN).unwrap_or(buf);
                if !iccid_prefix_ok(head) {
                    return Scan::NotAFrame { reason: None };
                }
                match <[u8; ICCID_LEN]>::try_from(head) {
                    Ok(a) => Scan::Skip {
                        len: ICCID_LEN,
                        what: DnyText::Iccid(Iccid(Ascii(a))),
                    },
                    Err(_) => Scan::NeedMore { needed: ICCID_LEN },
                }
            }
            Some(_) => Scan::NotAFrame { reason: None },
        }
    }
}

/// The frame candidate at `buf[0]`, which is `D`.
fn scan_frame(buf: &[u8]) -> Scan<DnyText> {
    match match_marker(buf, &START) {
        Marker::Found => {}
        Marker::NeedMore => {
            return Scan::NeedMore {
                needed: START.len(),
            };
        }
        Marker::Absent => return Scan::NotAFrame { reason: None },
    }
    let Some(&[lo, hi]) = buf.get(3..5) else {
        return Scan::NeedMore { needed: 5 };
    };
    let declared = u16::from_le_bytes([lo, hi]);
    if !(MIN_LENGTH_FIELD..=MAX_LENGTH_FIELD).contains(&declared) {
        return Scan::reject(
            DecodeErrorKind::BadLength {
                declared: declared.into(),
            },
            3,
        );
    }
    let total = 5 + usize::from(declared);
    Scan::need(buf, total).unwrap_or(Scan::Frame { len: total })
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;

    const ICCID: &[u8; 20] = b"89860413161892009275";

    fn scan(buf: &[u8]) -> Scan<DnyText> {
        DnyFramer::new(Policy::Strict).scan(buf)
    }

    #[test]
    fn module_text_is_recognised() {
        let link = Scan::Skip {
            len: 4,
            what: DnyText::Link,
        };
        assert_eq!(scan(b"link"), link);
        assert_eq!(scan(b"linkDNY"), link);
        assert_eq!(scan(b"lin"), Scan::NeedMore { needed: 4 });
        assert_eq!(scan(b"lint"), Scan::NotAFrame { reason: None });
        let iccid = |b: &[u8; 20]| Scan::Skip {
            len: 20,
            what: DnyText::Iccid(Iccid(Ascii(*b))),
        };
        assert_eq!(scan(ICCID), iccid(ICCID));
        assert_eq!(
            scan(b"898604D1161892009275DNY"),
            iccid(b"898604D1161892009275")
        );
        assert_eq!(scan(&ICCID[..7]), Scan::NeedMore { needed: 20 });
        assert_eq!(scan(b"8"), Scan::NeedMore { needed: 20 });
        assert_eq!(
            scan(b"8986041316189200927X"),
            Scan::NotAFrame { reason: None }
        );
        assert_eq!(scan(b"88"), Scan::NotAFrame { reason: None });
        assert_eq!(
            scan(b"12345678901234567890"),
            Scan::NotAFrame { reason: None }
        );
        assert!(Iccid::is_iccid(ICCID));
        assert!(!Iccid::is_iccid(&ICCID[..19]));
        assert!(!Iccid::is_iccid(b"99860413161892009275"));
        assert!(!Iccid::is_iccid(b"88860413161892009275"));
        assert_eq!(Iccid(Ascii(*ICCID)).as_str(), "89860413161892009275");
        assert_eq!(Iccid(Ascii(*ICCID)).to_string(), "89860413161892009275");
    }

    #[test]
    fn frames_are_bounded_by_their_length_field() {
        assert_eq!(scan(b""), Scan::NeedMore { needed: 1 });
        assert_eq!(scan(b"DN"), Scan::NeedMore { needed: 3 });
        assert_eq!(scan(b"DNY\x10"), Scan::NeedMore { needed: 5 });
        assert_eq!(scan(b"DNY\x09\x00"), Scan::NeedMore { needed: 14 });
        assert_eq!(
            scan(&[b'D', b'N', b'Y', 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            Scan::Frame { len: 14 }
        );
        assert_eq!(
            scan(b"DNY\x08\x00"),
            Scan::reject(DecodeErrorKind::BadLength { declared: 8 }, 3)
        );
        assert_eq!(
            scan(b"DNY\x01\x02"),
            Scan::reject(DecodeErrorKind::BadLength { declared: 513 }, 3)
        );
        assert_eq!(scan(b"DNY\x00\x02"), Scan::NeedMore { needed: 517 });
        assert_eq!(scan(b"DNX"), Scan::NotAFrame { reason: None });
        assert_eq!(scan(b"\x00DNY"), Scan::NotAFrame { reason: None });
    }

    #[test]
    fn the_longest_frame() {
        assert_eq!(DnyFramer::MAX_FRAME_LEN, 517);
        let mut frame = b"DNY\x00\x02".to_vec();
        frame.resize(517, 0);
        assert_eq!(scan(&frame), Scan::Frame { len: 517 });
    }

    #[test]
    fn markers_and_start_bytes() {
        for b in [b'D', b'8', b'l'] {
            assert!(DnyFramer::is_start(b));
        }
        assert!(!DnyFramer::is_start(b'N'));
        assert_eq!(DnyFramer::marker(b"DNY"), Marker::Found);
        assert_eq!(DnyFramer::marker(b"DN"), Marker::NeedMore);
        assert_eq!(DnyFramer::marker(b"DX"), Marker::Absent);
        assert_eq!(DnyFramer::marker(ICCID), Marker::Found);
        assert_eq!(DnyFramer::marker(&ICCID[..5]), Marker::NeedMore);
        assert_eq!(DnyFramer::marker(b"87"), Marker::Absent);
        assert_eq!(DnyFramer::marker(b"link"), Marker::Found);
        assert_eq!(DnyFramer::marker(b"li"), Marker::NeedMore);
        assert_eq!(DnyFramer::marker(b"lx"), Marker::Absent);
        assert_eq!(DnyFramer::marker(b"x"), Marker::Absent);
        assert_eq!(DnyFramer::marker(b""), Marker::NeedMore);
    }
}
