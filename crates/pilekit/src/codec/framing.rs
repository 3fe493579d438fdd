//! Framing, below the dialects: where a frame starts and how long it is, before any checksum or
//! message layout is looked at.
//!
//! In the `codec` layer this module sits at the bottom: it knows bytes, offsets and the
//! [`DecodeError`]s that say why a candidate is not a frame, and nothing of any dialect. Each
//! dialect implements [`Framer`] in its own `framing` module
//! ([`YkcFramer`](super::ykc::YkcFramer), [`DnyFramer`](super::dny::DnyFramer),
//! [`JuyFramer`](super::juy::JuyFramer)), and the [stream decoder](super::stream) composes
//! the three framers (and auto-detection) over a byte stream:
//!
//! ```text
//!   stream ──► Framer::scan ──► Frame { len } ──► dialect decode (checksum, layout) ──► AnyFrame
//!                  │        └─► Skip { len, what } (non-frame traffic the dialect knows)
//!                  ├─► NeedMore { needed }  (wait; at the end of the stream: garbage)
//!                  └─► NotAFrame { reason } (resync at the next start byte)
//! ```
//!
//! A framer's answer depends only on the bytes it looked at: more bytes never change a
//! [`Scan::Frame`], [`Scan::NotAFrame`] or [`Scan::Skip`] into something else. That is what
//! lets the stream decoder give the same items however the input is chunked.

use core::convert::Infallible;

use super::error::{DecodeError, DecodeErrorKind};
use super::{Dialect, Policy};

/// What a [`Framer`] found at the start of a buffer.
///
/// `T` is the dialect's non-frame traffic ([`Framer::Text`]); dialects without any use
/// [`Infallible`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scan<T = Infallible> {
    /// A frame candidate of `len` bytes starts at the first byte. Its checksum is not verified:
    /// the decoder does that, and a candidate whose checksum fails is garbage.
    Frame {
        /// The candidate's length in bytes.
        len: usize,
    },
    /// The buffer could begin a frame (or the dialect's text), but `needed` bytes from its first
    /// byte on are needed to tell. At the end of a stream this means the first byte is garbage.
    NeedMore {
        /// Bytes needed, counted from the first byte of the buffer (more than it holds).
        needed: usize,
    },
    /// The first byte begins nothing; the scan resumes at the next start byte.
    NotAFrame {
        /// Why the start marker there is not a frame (offset counted from the first byte of the
        /// buffer), or `None` when there is no start marker at all.
        reason: Option<DecodeError>,
    },
    /// `len` bytes of traffic that is not a frame but that the dialect knows (the DNY module's
    /// ICCID and `link`): reported as `what` and skipped.
    Skip {
        /// Its length in bytes.
        len: usize,
        /// What it is.
        what: T,
    },
}

impl<T> Scan<T> {
    /// The same answer with the non-frame traffic converted by `f`.
    pub fn map_text<U>(self, f: impl FnOnce(T) -> U) -> Scan<U> {
        match self {
            Self::Frame { len } => Scan::Frame { len },
            Self::NeedMore { needed } => Scan::NeedMore { needed },
            Self::NotAFrame { reason } => Scan::NotAFrame { reason },
            Self::Skip { len, what } => Scan::Skip { len, what: f(what) },
        }
    }

    /// `NeedMore` when `buf` (of which the scan has seen everything) is shorter than `needed`.
    pub(crate) fn need(buf: &[u8], needed: usize) -> Option<Self> {
        (buf.len() < needed).then_some(Self::NeedMore { needed })
    }

    /// `NotAFrame` with `kind` as the reason, at `offset` from the first byte.
    pub(crate) fn reject(kind: DecodeErrorKind, offset: usize) -> Self {
        Self::NotAFrame {
            reason: Some(DecodeError::new(kind, offset)),
        }
    }
}

/// Whether a buffer begins with a dialect's traffic, for auto-detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// It does: the dialect's start marker (or its known non-frame text) is there.
    Found,
    /// The bytes there are a prefix of it: more are needed to tell.
    NeedMore,
    /// It does not.
    Absent,
}

/// Finds frames of one dialect in a buffer: its start marker, the frame's length (or that more
/// bytes are needed), and what is garbage, under a strict or lenient [`Policy`].
///
/// A framer never verifies a checksum or decodes a message; it bounds candidates. It rejects,
/// under [`Policy::Strict`], headers the dialect's layout forbids (so that line noise whose
/// checksum happens to hold is not taken for a frame).
pub trait Framer {
    /// The dialect.
    const DIALECT: Dialect;
    /// The longest frame (or text) the framer can ask the decoder to hold.
    const MAX_FRAME_LEN: usize;
    /// Traffic the dialect interleaves with its frames that is not a frame
    /// ([`Infallible`] when there is none).
    type Text;

    /// A framer for `policy`.
    fn new(policy: Policy) -> Self;

    /// Whether `byte` can begin a frame or text of the dialect: where a resync stops.
    fn is_start(byte: u8) -> bool;

    /// The index of the first byte of `buf` for which [`is_start`](Self::is_start) holds, if
    /// any. Dialects scan with `memchr`, several bytes at a time.
    fn find_start(buf: &[u8]) -> Option<usize> {
        buf.iter().position(|&b| Self::is_start(b))
    }

    /// Whether `buf` begins with the dialect's start marker or text.
    fn marker(buf: &[u8]) -> Marker;

    /// What the start of `buf` holds. Offsets in reasons count from `buf[0]`.
    fn scan(&self, buf: &[u8]) -> Scan<Self::Text>;
}

/// How many bytes to skip from `buf[0]` to reach the next byte for which `is_start` holds (at
/// least 1; all of `buf` when there is none).
pub(crate) fn skip_to_start(buf: &[u8], is_start: impl Fn(u8) -> bool) -> usize {
    skip_to(buf, |rest| rest.iter().position(|&b| is_start(b)))
}

/// How many bytes to skip from `buf[0]` to reach the next start byte, which `find` finds in the
/// bytes after the first (at least 1; all of `buf` when there is none).
#[inline]
pub(crate) fn skip_to(buf: &[u8], find: impl FnOnce(&[u8]) -> Option<usize>) -> usize {
    match buf.get(1..) {
        Some(rest) => find(rest).map_or(buf.len(), |p| p + 1),
        None => buf.len(),
    }
}

/// Whether `buf` begins with `marker`, or is a prefix of it.
pub(crate) fn match_marker(buf: &[u8], marker: &[u8]) -> Marker {
    let n = buf.len().min(marker.len());
    if buf.get(..n) != marker.get(..n) {
        Marker::Absent
    } else if n == marker.len() {
        Marker::Found
    } else {
        Marker::NeedMore
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skip_to_start_stops_at_the_next_start_byte() {
        let is_start = |b: u8| b == 0x68;
        assert_eq!(skip_to_start(&[0x68, 0x00, 0x68], is_start), 2);
        assert_eq!(skip_to_start(&[0x68, 0x68], is_start), 1);
        assert_eq!(skip_to_start(&[0x00, 0x01, 0x02], is_start), 3);
        assert_eq!(skip_to_start(&[0x00], is_start), 1);
    }

    #[test]
    fn markers_match_whole_or_in_part() {
        assert_eq!(match_marker(b"DNY!", b"DNY"), Marker::Found);
        assert_eq!(match_marker(b"DNY", b"DNY"), Marker::Found);
        assert_eq!(match_marker(b"DN", b"DNY"), Marker::NeedMore);
        assert_eq!(match_marker(b"", b"DNY"), Marker::NeedMore);
        assert_eq!(match_marker(b"DX", b"DNY"), Marker::Absent);
    }

    #[test]
    fn map_text_keeps_everything_but_the_text() {
        let reason = Some(DecodeError::new(
            DecodeErrorKind::BadLength { declared: 2 },
            1,
        ));
        let cases: [(Scan<u8>, Scan<u16>); 4] = [
            (Scan::Frame { len: 3 }, Scan::Frame { len: 3 }),
            (Scan::NeedMore { needed: 4 }, Scan::NeedMore { needed: 4 }),
            (Scan::NotAFrame { reason }, Scan::NotAFrame { reason }),
            (
                Scan::Skip { len: 5, what: 7 },
                Scan::Skip { len: 5, what: 700 },
            ),
        ];
        for (from, to) in cases {
            assert_eq!(from.map_text(|t| u16::from(t) * 100), to);
        }
        assert_eq!(
            Scan::<u8>::need(&[1, 2], 3),
            Some(Scan::NeedMore { needed: 3 })
        );
        assert_eq!(Scan::<u8>::need(&[1, 2, 3], 3), None);
    }
}
