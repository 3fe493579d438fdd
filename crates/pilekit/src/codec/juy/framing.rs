//! JUY framing: `5A A5 · LEN u16 · CMD · …`, bounded by `LEN`.
//!
//! The dialect's [`Framer`] for the [stream decoder](crate::codec::stream). A frame is
//! `4 + LEN` bytes with `LEN` in `3..=`[`MAX_LEN`]. Strictly, a command whose layouts in both
//! directions have a fixed length (a login, a remote stop, a meter reading, …) must declare one
//! of them, in the original form or with the 15-byte IMEI: any other `LEN` is garbage, whatever
//! its checksum. Commands with counted or open layouts are bounded by `LEN` alone.

use core::convert::Infallible;

use super::message::{Layout, layout};
use super::{HEADER_LEN, IMEI_LEN, LEN_OVERHEAD, MAX_LEN, START};
use crate::codec::error::DecodeErrorKind;
use crate::codec::framing::{Framer, Marker, Scan, match_marker};
use crate::codec::{Dialect, Direction, Policy};

/// Offset of `LEN`.
const LEN_AT: usize = 2;
/// Offset of `CMD`.
const COMMAND_AT: usize = 4;

/// Finds JUY frames: `4 + LEN` bytes with `LEN` in `3..=`[`MAX_LEN`]. Under
/// [`Policy::Strict`], a command whose layouts in both directions have a fixed length must
/// declare one of them (with or without the IMEI); any other `LEN` is garbage, whatever its
/// checksum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JuyFramer {
    policy: Policy,
}

impl Framer for JuyFramer {
    const DIALECT: Dialect = Dialect::Juy;
    const MAX_FRAME_LEN: usize = HEADER_LEN + MAX_LEN;
    type Text = Infallible;

    fn new(policy: Policy) -> Self {
        Self { policy }
    }

    fn is_start(byte: u8) -> bool {
        byte == START[0]
    }

    #[inline]
    fn find_start(buf: &[u8]) -> Option<usize> {
        memchr::memchr(START[0], buf)
    }

    fn marker(buf: &[u8]) -> Marker {
        match_marker(buf, &START)
    }

    fn scan(&self, buf: &[u8]) -> Scan {
        match match_marker(buf, &START) {
            Marker::Found => {}
            Marker::NeedMore => {
                return Scan::NeedMore {
                    needed: START.len(),
                };
            }
            Marker::Absent => return Scan::NotAFrame { reason: None },
        }
        let Some(&[lo, hi, command]) = buf.get(LEN_AT..=COMMAND_AT) else {
            return Scan::NeedMore {
                needed: COMMAND_AT + 1,
            };
        };
        let len = usize::from(u16::from_le_bytes([lo, hi]));
        if !(LEN_OVERHEAD..=MAX_LEN).contains(&len) {
            return Scan::reject(DecodeErrorKind::BadLength { declared: len }, LEN_AT);
        }
        if self.policy == Policy::Strict
            && let Some(expected) = fixed_len_mismatch(command, len - LEN_OVERHEAD)
        {
            return Scan::reject(
                DecodeErrorKind::LengthMismatch {
                    declared: len,
                    expected: expected + LEN_OVERHEAD,
                },
                LEN_AT,
            );
        }
        let total = HEADER_LEN + len;
        Scan::need(buf, total).unwrap_or(Scan::Frame { len: total })
    }
}

/// When both directions of `command` have a fixed layout and `data` bytes (after `RESULT`) fit
/// none of them, with or without an IMEI: the data length the uplink layout needs.
fn fixed_len_mismatch(command: u8, data: usize) -> Option<usize> {
    let (Some(Layout::Fixed(up)), Some(Layout::Fixed(down))) = (
        layout(command, Direction::Up),
        layout(command, Direction::Down),
    ) else {
        return None;
    };
    let fits = [up, down, up + IMEI_LEN, down + IMEI_LEN].contains(&data);
    (!fits).then_some(up)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::juy::command;

    fn strict() -> JuyFramer {
        JuyFramer::new(Policy::Strict)
    }

    fn lenient() -> JuyFramer {
        JuyFramer::new(Policy::Lenient)
    }

    /// The reference's remote stop.
    const REMOTE_STOP: [u8; 12] = [
        0x5A, 0xA5, 0x08, 0x00, 0x84, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x8F,
    ];

    #[test]
    fn frames_are_bounded_by_len() {
        for f in [strict(), lenient()] {
            assert_eq!(f.scan(&REMOTE_STOP), Scan::Frame { len: 12 });
            assert_eq!(f.scan(&REMOTE_STOP[..11]), Scan::NeedMore { needed: 12 });
            assert_eq!(f.scan(&REMOTE_STOP[..4]), Scan::NeedMore { needed: 5 });
            assert_eq!(f.scan(&REMOTE_STOP[..1]), Scan::NeedMore { needed: 2 });
            assert_eq!(f.scan(&[]), Scan::NeedMore { needed: 2 });
            assert_eq!(f.scan(&[0x5A, 0x5A]), Scan::NotAFrame { reason: None });
            assert_eq!(f.scan(&[0x68]), Scan::NotAFrame { reason: None });
            assert_eq!(
                f.scan(&[0x5A, 0xA5, 0x02, 0x00, 0x00]),
                Scan::reject(DecodeErrorKind::BadLength { declared: 2 }, 2)
            );
            assert_eq!(
                f.scan(&[0x5A, 0xA5, 0x01, 0x04, 0x00]),
                Scan::reject(DecodeErrorKind::BadLength { declared: 1025 }, 2)
            );
            assert_eq!(
                f.scan(&[0x5A, 0xA5, 0x00, 0x04, 0xEE]),
                Scan::NeedMore { needed: 1028 }
            );
        }
    }

    #[test]
    fn the_longest_frame() {
        assert_eq!(JuyFramer::MAX_FRAME_LEN, 1028);
        let mut frame = [0u8; 1028];
        frame[..5].copy_from_slice(&[0x5A, 0xA5, 0x00, 0x04, 0x70]);
        assert_eq!(strict().scan(&frame), Scan::Frame { len: 1028 });
        assert!(JuyFramer::is_start(0x5A) && !JuyFramer::is_start(0xA5));
        assert_eq!(JuyFramer::marker(&[0x5A, 0xA5]), Marker::Found);
        assert_eq!(JuyFramer::marker(&[0x5A]), Marker::NeedMore);
        assert_eq!(JuyFramer::marker(&[0x5A, 0x00]), Marker::Absent);
    }

    #[test]
    fn strictly_fixed_layouts_fix_len() {
        // 0x84: a port and order down, a result up (and 15 bytes more each with an IMEI)
        let header = |data: usize| [0x5A, 0xA5, (data + 3) as u8, 0x00, command::REMOTE_STOP];
        let fixed = |d| match layout(command::REMOTE_STOP, d) {
            Some(Layout::Fixed(n)) => n,
            other => panic!("{other:?}"),
        };
        let (up, down) = (fixed(Direction::Up), fixed(Direction::Down));
        assert_ne!(up, down);
        let fits = [up, down, up + IMEI_LEN, down + IMEI_LEN];
        for data in 0..60 {
            let need_more = Scan::NeedMore { needed: data + 7 };
            assert_eq!(lenient().scan(&header(data)), need_more, "{data}");
            let expected = if fits.contains(&data) {
                need_more
            } else {
                Scan::reject(
                    DecodeErrorKind::LengthMismatch {
                        declared: data + 3,
                        expected: up + 3,
                    },
                    2,
                )
            };
            assert_eq!(strict().scan(&header(data)), expected, "{data}");
        }
        // counted (heartbeat) and one-way (0x8C) layouts are not checked
        for cmd in [command::HEARTBEAT, 0x8C, 0x00] {
            assert_eq!(
                strict().scan(&[0x5A, 0xA5, 0x40, 0x00, cmd]),
                Scan::NeedMore { needed: 0x44 }
            );
        }
    }
}
