//! YKC framing: `68 · L · seq (2) · encryption · type · body · CRC (2)`, bounded by `L`.
//!
//! The dialect's [`Framer`] for the [stream decoder](crate::codec::stream). Strictly, a frame
//! is exactly `L + 4` bytes, its encryption flag is 0 or 1, and a plain frame of a type with a
//! fixed layout declares that layout's length: any other header is garbage, whatever its CRC.
//! Leniently, a length byte that disagrees with a fixed layout is tolerated when the CRC holds at
//! the layout's length.

use core::convert::Infallible;

use super::{FrameType, MAX_BODY, OVERHEAD, START, YkcFrame, checksum_order, layout};
use crate::codec::deviation::{Deviation, Deviations};
use crate::codec::error::{DecodeError, DecodeErrorKind};
use crate::codec::framing::{Framer, Marker, Scan};
use crate::codec::{DecodeOptions, Dialect, Policy};

/// Offset of the length byte.
const LEN_AT: usize = 1;
/// Offset of the encryption flag.
const ENCRYPTION_AT: usize = 4;
/// Offset of the frame type.
const TYPE_AT: usize = 5;
/// What the length byte counts beyond the body: seq (2), encryption flag, frame type.
const LEN_OVERHEAD: usize = 4;

/// Finds YKC frames: `L + 4` bytes, `L` the length byte. Under [`Policy::Strict`] the
/// encryption flag is 0 or 1 and a plain frame of a type with a fixed layout declares that
/// layout's length; any other header is garbage, whatever its CRC. Under [`Policy::Lenient`], a
/// length byte that disagrees with a fixed layout is tolerated when the CRC holds at the
/// layout's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YkcFramer {
    policy: Policy,
}

impl Framer for YkcFramer {
    const DIALECT: Dialect = Dialect::Ykc;
    const MAX_FRAME_LEN: usize = MAX_BODY + OVERHEAD;
    type Text = Infallible;

    fn new(policy: Policy) -> Self {
        Self { policy }
    }

    fn is_start(byte: u8) -> bool {
        byte == START
    }

    #[inline]
    fn find_start(buf: &[u8]) -> Option<usize> {
        memchr::memchr(START, buf)
    }

    fn marker(buf: &[u8]) -> Marker {
        crate::codec::framing::match_marker(buf, &[START])
    }

    fn scan(&self, buf: &[u8]) -> Scan {
        match buf.first() {
            None => return Scan::NeedMore { needed: 1 },
            Some(&START) => {}
            Some(_) => return Scan::NotAFrame { reason: None },
        }
        let Some(&len) = buf.get(LEN_AT) else {
            return Scan::NeedMore { needed: LEN_AT + 1 };
        };
        let len = usize::from(len);
        if len < LEN_OVERHEAD {
            return Scan::reject(DecodeErrorKind::BadLength { declared: len }, LEN_AT);
        }
        let declared = len + 4;
        let Some(&[encryption, ty]) = buf.get(ENCRYPTION_AT..=TYPE_AT) else {
            return Scan::NeedMore {
                needed: TYPE_AT + 1,
            };
        };
        let fixed = match layout(FrameType(ty)) {
            Some((body, true)) if encryption == 0 => Some(body),
            _ => None,
        };
        match self.policy {
            Policy::Strict => {
                if encryption > 1 {
                    return Scan::reject(
                        DecodeErrorKind::InvalidValue {
                            value: encryption.into(),
                        },
                        ENCRYPTION_AT,
                    );
                }
                if let Some(body) = fixed
                    && body != len - LEN_OVERHEAD
                {
                    return Scan::reject(
                        DecodeErrorKind::LengthMismatch {
                            declared: len - LEN_OVERHEAD,
                            expected: body,
                        },
                        LEN_AT,
                    );
                }
            }
            Policy::Lenient => {
                if let Some(body) = fixed
                    && let Some(len) = lenient_length(buf, declared, body + OVERHEAD)
                {
                    return len;
                }
            }
        }
        Scan::need(buf, declared).unwrap_or(Scan::Frame { len: declared })
    }
}

/// Leniently, when the length byte says `declared` but the type's fixed layout needs
/// `expected`: the shorter of the two whose CRC holds (or that more bytes are needed to tell).
/// `None` when they agree or neither holds.
fn lenient_length(buf: &[u8], declared: usize, expected: usize) -> Option<Scan> {
    if expected == declared {
        return None;
    }
    // (`<=` for `<` is the same: the lengths differ here)
    let (first, second) = if declared < expected {
        (declared, expected)
    } else {
        (expected, declared)
    };
    for len in [first, second] {
        let frame = match buf.get(..len) {
            Some(frame) => frame,
            None => return Some(Scan::NeedMore { needed: len }),
        };
        if checksum_order(frame).is_some() {
            return Some(Scan::Frame { len });
        }
    }
    None
}

impl YkcFramer {
    /// [`decode_then`](Self::decode_then) returning the frame.
    #[cfg(test)]
    pub(crate) fn decode(
        frame: &[u8],
        base: usize,
        opts: &DecodeOptions,
    ) -> Result<YkcFrame, DecodeError> {
        Self::decode_then(frame, base, opts, |f| f)
    }

    /// Decodes a frame this framer bounded (`frame` is exactly the candidate it found, at
    /// absolute offset `base`) and hands it to `finish`, which builds the result where the frame
    /// is built. A length byte that disagrees with the bounds is an error under
    /// [`Policy::Strict`] and a [`Deviation::LengthField`] under [`Policy::Lenient`].
    #[inline(always)]
    pub(crate) fn decode_then<R>(
        frame: &[u8],
        base: usize,
        opts: &DecodeOptions,
        finish: impl FnOnce(YkcFrame) -> R,
    ) -> Result<R, DecodeError> {
        let declared = frame.get(LEN_AT).map_or(0, |&l| usize::from(l) + 4);
        let mut deviations = Deviations::new();
        if declared != frame.len() {
            let (declared, expected) = (
                declared.saturating_sub(OVERHEAD),
                frame.len().saturating_sub(OVERHEAD),
            );
            if opts.policy == Policy::Strict {
                return Err(DecodeError::new(
                    DecodeErrorKind::LengthMismatch { declared, expected },
                    base + LEN_AT,
                ));
            }
            deviations.push(Deviation::LengthField {
                declared: declared as u16,
                expected: expected as u16,
            });
        }
        YkcFrame::decode_frame_then(frame, base, opts, deviations, finish)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strict() -> YkcFramer {
        YkcFramer::new(Policy::Strict)
    }

    fn lenient() -> YkcFramer {
        YkcFramer::new(Policy::Lenient)
    }

    /// The heartbeat of the module docs.
    const HEARTBEAT: [u8; 17] = [
        0x68, 0x0D, 0x00, 0x01, 0x00, 0x03, 0x32, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00,
        0xF1, 0x1A,
    ];

    #[test]
    fn a_frame_is_bounded_by_its_length_byte() {
        for f in [strict(), lenient()] {
            assert_eq!(f.scan(&HEARTBEAT), Scan::Frame { len: 17 });
            assert_eq!(f.scan(&HEARTBEAT[..16]), Scan::NeedMore { needed: 17 });
            assert_eq!(f.scan(&HEARTBEAT[..5]), Scan::NeedMore { needed: 6 });
            assert_eq!(f.scan(&HEARTBEAT[..1]), Scan::NeedMore { needed: 2 });
            assert_eq!(f.scan(&[]), Scan::NeedMore { needed: 1 });
            assert_eq!(f.scan(&[0x00, 0x68]), Scan::NotAFrame { reason: None });
            assert_eq!(
                f.scan(&[0x68, 0x03]),
                Scan::reject(DecodeErrorKind::BadLength { declared: 3 }, 1)
            );
            assert_eq!(
                f.scan(&[0x68, 0x04, 0, 0, 0, 0xEE]),
                Scan::NeedMore { needed: 8 }
            );
        }
    }

    #[test]
    fn the_longest_frame() {
        assert_eq!(YkcFramer::MAX_FRAME_LEN, 259);
        let mut frame = [0u8; 259];
        frame[..2].copy_from_slice(&[0x68, 0xFF]);
        assert_eq!(strict().scan(&frame), Scan::Frame { len: 259 });
        assert!(YkcFramer::is_start(0x68) && !YkcFramer::is_start(0x5A));
        assert_eq!(YkcFramer::marker(&[0x68]), Marker::Found);
        assert_eq!(YkcFramer::marker(&[]), Marker::NeedMore);
        assert_eq!(YkcFramer::marker(&[0x5A]), Marker::Absent);
    }

    #[test]
    fn strictly_the_encryption_flag_is_0_or_1() {
        let mut b = HEARTBEAT;
        b[4] = 2;
        assert_eq!(
            strict().scan(&b[..6]),
            Scan::reject(DecodeErrorKind::InvalidValue { value: 2 }, 4)
        );
        // encrypted: the fixed layout says nothing of the body
        b[4] = 1;
        b[1] = 0x20;
        assert_eq!(strict().scan(&b), Scan::NeedMore { needed: 0x24 });
        b[4] = 0xFF;
        assert_eq!(lenient().scan(&b), Scan::NeedMore { needed: 0x24 });
    }

    #[test]
    fn strictly_a_fixed_layout_fixes_the_length_byte() {
        let mut b = HEARTBEAT;
        b[1] = 0x0E;
        assert_eq!(
            strict().scan(&b[..6]),
            Scan::reject(
                DecodeErrorKind::LengthMismatch {
                    declared: 10,
                    expected: 9
                },
                1
            )
        );
        // leniently, the CRC at the layout's length decides
        assert_eq!(lenient().scan(&b), Scan::Frame { len: 17 });
        b[1] = 0x0C;
        assert_eq!(lenient().scan(&b[..15]), Scan::NeedMore { needed: 16 });
        assert_eq!(lenient().scan(&b[..16]), Scan::NeedMore { needed: 17 });
        assert_eq!(lenient().scan(&b), Scan::Frame { len: 17 });
        // neither length holds: the length byte bounds the candidate
        b[16] ^= 1;
        assert_eq!(lenient().scan(&b), Scan::Frame { len: 16 });
    }

    #[test]
    fn bounded_decoding_checks_the_length_byte_against_the_bounds() {
        let mut b = HEARTBEAT;
        b[1] = 0x0E;
        assert_eq!(
            YkcFramer::decode(&b, 100, &DecodeOptions::STRICT),
            Err(DecodeError::new(
                DecodeErrorKind::LengthMismatch {
                    declared: 10,
                    expected: 9
                },
                101
            ))
        );
        let f = YkcFramer::decode(&b, 100, &DecodeOptions::LENIENT).unwrap();
        assert_eq!(
            f.deviations.iter().next(),
            Some(&Deviation::LengthField {
                declared: 10,
                expected: 9
            })
        );
        assert!(YkcFramer::decode(&HEARTBEAT, 0, &DecodeOptions::STRICT).is_ok());
    }
}
