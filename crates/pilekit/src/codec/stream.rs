//! Streaming decoding: arbitrary chunks in (TCP gives half frames and three frames at once),
//! frames out, in order.
//!
//! In the `codec` layer this module sits on top: it composes the dialects' framers
//! ([`framing`](super::framing): [`YkcFramer`], [`DnyFramer`], [`JuyFramer`]) with
//! auto-detection, and decodes each bounded frame with its dialect into an [`AnyFrame`]. The
//! dialects know nothing of it; the `model` and `session` layers above use it.
//!
//! The decoder asks the dialect's framer what starts the buffer and lets the checksum
//! arbitrate: a candidate frame whose checksum fails is treated as garbage and the scan resumes
//! one byte further, so a stray start byte in line noise never swallows the frames behind it.
//! Skipped bytes are reported as [`StreamItem::Skipped`] with their offset and the first reason
//! a candidate in them was rejected, one item per run of garbage however the run was chunked:
//! the run is reported when the next frame arrives, or by [`finish`](StreamDecoder::finish). A
//! frame whose checksum holds but whose body breaks the specification is reported as
//! [`StreamItem::Error`] and skipped whole.
//!
//! The decoder holds at most one incomplete frame between calls, never more than
//! [`StreamDecoder::max_buffer`] bytes. At the end of the stream, [`finish`](StreamDecoder::finish)
//! scans what it holds again: a frame that never completed is garbage, and the frames behind
//! its start are still found.
//!
//! ```
//! use pilekit::codec::stream::{StreamDecoder, StreamItem};
//! use pilekit::codec::{Dialect, DecodeOptions};
//!
//! let frame = pilekit::hex::decode("68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A")?;
//! let mut decoder = StreamDecoder::new(Dialect::Ykc, DecodeOptions::default());
//! let mut items = decoder.feed_collect(&frame[..5]);
//! assert!(items.is_empty()); // half a frame: wait for more
//! items = decoder.feed_collect(&frame[5..]);
//! assert!(matches!(items.as_slice(), [StreamItem::Frame { offset: 0, .. }]));
//! # Ok::<(), pilekit::Error>(())
//! ```

use alloc::vec::Vec;

use super::any::AnyFrame;
use super::dny::{DnyFrame, DnyFramer, DnyText, Iccid};
use super::error::{DecodeError, DecodeErrorKind};
use super::framing::{Framer, Marker, Scan, skip_to, skip_to_start};
use super::juy::{JuyConnection, JuyFramer, JuyOptions};
use super::ykc::YkcFramer;
use super::{DecodeContext, DecodeOptions, Dialect, Direction};

/// One thing found in the stream.
///
/// Frames are held inline, not boxed, so decoding fixed-size frames allocates nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "item", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum StreamItem {
    /// A frame.
    Frame {
        /// Absolute offset of its first byte.
        offset: usize,
        /// The frame.
        frame: AnyFrame,
    },
    /// The ICCID a DNY pile's 4G module sends when it connects (unframed ASCII).
    Iccid {
        /// Absolute offset of its first byte.
        offset: usize,
        /// The 20 characters.
        iccid: Iccid,
    },
    /// The `link` keep-alive a DNY pile's 4G module sends after 30 s of silence.
    Link {
        /// Absolute offset of its first byte.
        offset: usize,
    },
    /// Bytes that were not part of any frame.
    Skipped {
        /// Absolute offset of the first skipped byte.
        offset: usize,
        /// How many bytes were skipped.
        len: usize,
        /// Why the first rejected frame candidate in them was rejected, if one was.
        reason: Option<DecodeError>,
    },
    /// A frame whose bounds and checksum held but whose contents could not be decoded.
    Error(DecodeError),
}

/// Which dialect a [`StreamDecoder`] expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum DialectChoice {
    /// Exactly this dialect.
    Fixed(Dialect),
    /// Detect the dialect from the first frame of the connection, then stay with it.
    Auto,
}

/// A streaming decoder for one connection.
///
/// Its state is plain data: with the `serde` feature it serialises and restores, so a decoder
/// can be checkpointed in the middle of a frame and continued elsewhere with the same items.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StreamDecoder {
    opts: DecodeOptions,
    direction: Option<Direction>,
    juy: JuyConnection,
    choice: DialectChoice,
    detected: Option<Dialect>,
    pending: Vec<u8>,
    /// Absolute stream offset of `pending[0]` (or of the next byte when empty).
    offset: usize,
    max_buffer: usize,
    skip_start: usize,
    skip_len: usize,
    #[cfg_attr(feature = "serde", serde(with = "reason_serde"))]
    skip_reason: Option<DecodeError>,
}

/// The serde form of a pending skip reason: the error's own serde form, read back through an
/// owned mirror whose names are mapped to the static names the codec uses.
#[cfg(feature = "serde")]
mod reason_serde {
    use alloc::string::String;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{DecodeError, DecodeErrorKind};

    pub(super) fn serialize<S: Serializer>(
        reason: &Option<DecodeError>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        reason.serialize(s)
    }

    #[derive(Deserialize)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    enum Kind {
        Truncated { needed: usize, available: usize },
        BadStart { found: u8 },
        ChecksumMismatch { computed: u16, carried: u16 },
        LengthMismatch { declared: usize, expected: usize },
        BadLength { declared: usize },
        InvalidBcd { byte: u8 },
        InvalidTime { part: String, value: u32 },
        InvalidValue { value: u32 },
        TrailingBytes { count: usize },
        UnknownDialect { found: u8 },
        AmbiguousDirection,
    }

    #[derive(Deserialize)]
    struct Mirror {
        #[serde(flatten)]
        kind: Kind,
        offset: usize,
        field: Option<String>,
    }

    /// The static name of a time part or field. The framers, which give the skip reasons, name
    /// no field; a name this list lacks is restored as `field`.
    fn name(text: &str) -> &'static str {
        const NAMES: &[&str] = &[
            "year",
            "month",
            "day",
            "hour",
            "minute",
            "second",
            "millisecond",
            "weekday",
            "length",
            "checksum",
            "start",
            "offset",
        ];
        NAMES
            .iter()
            .find(|n| **n == text)
            .copied()
            .unwrap_or("field")
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<DecodeError>, D::Error> {
        let Some(m) = Option::<Mirror>::deserialize(d)? else {
            return Ok(None);
        };
        use DecodeErrorKind as K;
        let kind = match m.kind {
            Kind::Truncated { needed, available } => K::Truncated { needed, available },
            Kind::BadStart { found } => K::BadStart { found },
            Kind::ChecksumMismatch { computed, carried } => {
                K::ChecksumMismatch { computed, carried }
            }
            Kind::LengthMismatch { declared, expected } => K::LengthMismatch { declared, expected },
            Kind::BadLength { declared } => K::BadLength { declared },
            Kind::InvalidBcd { byte } => K::InvalidBcd { byte },
            Kind::InvalidTime { part, value } => K::InvalidTime {
                part: name(&part),
                value,
            },
            Kind::InvalidValue { value } => K::InvalidValue { value },
            Kind::TrailingBytes { count } => K::TrailingBytes { count },
            Kind::UnknownDialect { found } => K::UnknownDialect { found },
            Kind::AmbiguousDirection => K::AmbiguousDirection,
        };
        Ok(Some(DecodeError {
            kind,
            offset: m.offset,
            field: m.field.as_deref().map(name),
        }))
    }
}

/// The default buffer bound: larger than any frame of any dialect.
pub const DEFAULT_MAX_BUFFER: usize = 4096;

/// The smallest buffer bound: the longest frame of any dialect (a JUY frame of 1028 bytes; DNY
/// frames reach 517, YKC frames 259), so a frame that is still arriving always fits.
pub const MIN_MAX_BUFFER: usize = larger(
    JuyFramer::MAX_FRAME_LEN,
    larger(DnyFramer::MAX_FRAME_LEN, YkcFramer::MAX_FRAME_LEN),
);

/// The larger of two lengths (`Ord::max` is not `const`). (`>=` for `>` is the same function.)
const fn larger(a: usize, b: usize) -> usize {
    if a > b { a } else { b }
}

impl StreamDecoder {
    /// A decoder for one dialect.
    pub fn new(dialect: Dialect, opts: DecodeOptions) -> Self {
        Self::with_choice(DialectChoice::Fixed(dialect), opts)
    }

    /// A decoder that detects the dialect from the first frame.
    pub fn auto(opts: DecodeOptions) -> Self {
        Self::with_choice(DialectChoice::Auto, opts)
    }

    /// A decoder for a [`DialectChoice`].
    pub fn with_choice(choice: DialectChoice, opts: DecodeOptions) -> Self {
        Self {
            opts,
            direction: None,
            juy: JuyConnection::new(JuyOptions::default()),
            choice,
            detected: match choice {
                DialectChoice::Fixed(d) => Some(d),
                DialectChoice::Auto => None,
            },
            pending: Vec::new(),
            offset: 0,
            max_buffer: DEFAULT_MAX_BUFFER,
            skip_start: 0,
            skip_len: 0,
            skip_reason: None,
        }
    }

    /// Sets the most bytes held between calls (at least [`MIN_MAX_BUFFER`], so any frame fits).
    ///
    /// The decoder only ever holds the start of one frame, shorter than the longest frame of
    /// its dialect, so no bound at least [`MIN_MAX_BUFFER`] ever drops a byte: the bound is a
    /// guarantee to the caller, not a policy.
    pub fn with_max_buffer(mut self, max: usize) -> Self {
        self.max_buffer = max.max(MIN_MAX_BUFFER);
        self
    }

    /// Sets the direction of the frames, for dialects whose commands travel both ways with
    /// different layouts (DNY, JUY): `Some(Up)` for a platform reading what piles send,
    /// `Some(Down)` for a pile reading what the platform sends, `None` (the default) to decide
    /// from each frame's layout.
    pub fn with_direction(mut self, direction: Option<Direction>) -> Self {
        self.direction = direction;
        self
    }

    /// Sets the JUY options (energy resolution, IMEI form). The IMEI form then follows the
    /// connection: a login reply carrying 0xF0 switches it.
    pub fn with_juy_options(mut self, options: JuyOptions) -> Self {
        self.juy = JuyConnection::new(options);
        self
    }

    /// The most bytes held between calls.
    pub fn max_buffer(&self) -> usize {
        self.max_buffer
    }

    /// The dialect asked for.
    pub fn choice(&self) -> DialectChoice {
        self.choice
    }

    /// The dialect in use, once known.
    pub fn dialect(&self) -> Option<Dialect> {
        self.detected
    }

    /// Bytes held, waiting for the rest of a frame.
    pub fn buffered(&self) -> usize {
        self.pending.len()
    }

    /// Total bytes consumed so far (the absolute offset of the next byte to arrive).
    pub fn position(&self) -> usize {
        self.offset + self.pending.len()
    }

    /// Feeds a chunk; `sink` receives every item completed by it, in stream order.
    pub fn feed(&mut self, chunk: &[u8], mut sink: impl FnMut(&StreamItem)) {
        self.feed_owned(chunk, |item| sink(&item));
    }

    /// Feeds a chunk and collects the items it completes.
    pub fn feed_collect(&mut self, chunk: &[u8]) -> Vec<StreamItem> {
        let mut out = Vec::new();
        self.feed_owned(chunk, |item| out.push(item));
        out
    }

    /// Ends the stream: scans what is held once more, now that no more bytes will come. A frame
    /// that never completed is skipped as garbage (the reason says how many bytes it needed),
    /// frames and text behind its start are still reported, and the last garbage run is.
    pub fn finish(&mut self, mut sink: impl FnMut(&StreamItem)) {
        self.finish_owned(|item| sink(&item));
    }

    /// Ends the stream and collects the final items.
    pub fn finish_collect(&mut self) -> Vec<StreamItem> {
        let mut out = Vec::new();
        self.finish_owned(|item| out.push(item));
        out
    }

    fn feed_owned(&mut self, chunk: &[u8], mut sink: impl FnMut(StreamItem)) {
        let mut data = core::mem::take(&mut self.pending);
        let used = if data.is_empty() {
            let used = self.process(chunk, false, &mut sink);
            data.extend_from_slice(chunk.get(used..).unwrap_or_default());
            used
        } else {
            data.extend_from_slice(chunk);
            let used = self.process(&data, false, &mut sink);
            data.drain(..used);
            used
        };
        self.offset += used;
        self.pending = data;
    }

    fn finish_owned(&mut self, mut sink: impl FnMut(StreamItem)) {
        let mut data = core::mem::take(&mut self.pending);
        // At the end of the stream `process` consumes everything.
        self.offset += self.process(&data, true, &mut sink);
        data.clear();
        self.pending = data;
        self.flush_skip(&mut sink);
    }

    fn note_skip(&mut self, at: usize, len: usize, reason: Option<DecodeError>) {
        if self.skip_len == 0 {
            self.skip_start = at;
        }
        self.skip_len += len;
        if self.skip_reason.is_none() {
            self.skip_reason = reason;
        }
    }

    fn flush_skip(&mut self, sink: &mut impl FnMut(StreamItem)) {
        flush_run(
            self.skip_start,
            &mut self.skip_len,
            &mut self.skip_reason,
            sink,
        );
    }

    /// Decodes what it can from `data` (whose first byte is at `self.offset`); returns how many
    /// bytes were consumed. Unless `end`, the rest is the start of a frame that needs more
    /// bytes; at the `end` of the stream everything is consumed.
    fn process(&mut self, data: &[u8], end: bool, sink: &mut impl FnMut(StreamItem)) -> usize {
        let mut pos = 0;
        while let Some(rest) = data.get(pos..).filter(|r| !r.is_empty()) {
            let at = self.offset + pos;
            let dialect = match self.detected {
                Some(d) => d,
                None => match detect(rest) {
                    Detect::Dialect(d) => {
                        self.detected = Some(d);
                        d
                    }
                    Detect::NeedMore if !end => break,
                    Detect::NeedMore | Detect::No => {
                        let n = skip_to_start(rest, is_any_start);
                        self.note_skip(at, n, None);
                        pos += n;
                        continue;
                    }
                },
            };
            pos += match scan(dialect, self.opts, rest) {
                Scan::NeedMore { .. } if !end => break,
                Scan::NeedMore { needed } => {
                    let available = rest.len();
                    let reason =
                        DecodeError::new(DecodeErrorKind::Truncated { needed, available }, at);
                    let n = skip_to_next_start(dialect, rest);
                    self.note_skip(at, n, Some(reason));
                    n
                }
                Scan::NotAFrame { reason } => {
                    let n = skip_to_next_start(dialect, rest);
                    self.note_skip(at, n, reason.map(|e| e.shifted(at)));
                    n
                }
                Scan::Skip { len, what } => {
                    self.flush_skip(sink);
                    sink(match what {
                        DnyText::Iccid(iccid) => StreamItem::Iccid { offset: at, iccid },
                        DnyText::Link => StreamItem::Link { offset: at },
                    });
                    len
                }
                Scan::Frame { len } => {
                    // a framer bounds a frame within what it was shown
                    let bytes = rest.get(..len).unwrap_or(rest);
                    match self.decode_bounded(dialect, bytes, at, sink) {
                        Ok(()) => len,
                        Err(e) if is_boundary_error(&e) && self.opts.verify_checksum => {
                            self.note_skip(at, 1, Some(e));
                            1
                        }
                        Err(e) => {
                            self.flush_skip(sink);
                            sink(StreamItem::Error(e));
                            len
                        }
                    }
                }
            };
        }
        pos
    }

    /// The one-shot decode context of a frame at absolute offset `base`.
    fn context(&self, base: usize) -> DecodeContext {
        DecodeContext::new(self.opts)
            .with_direction(self.direction)
            .with_base_offset(base)
    }

    /// Decodes a frame the framer bounded and hands it to `sink`, after the garbage run before
    /// it. A YKC frame is built inside the item handed over, not moved there.
    #[inline(always)]
    fn decode_bounded(
        &mut self,
        dialect: Dialect,
        frame: &[u8],
        base: usize,
        sink: &mut impl FnMut(StreamItem),
    ) -> Result<(), DecodeError> {
        let decoded = match dialect {
            Dialect::Ykc => {
                let skip = (self.skip_start, &mut self.skip_len, &mut self.skip_reason);
                return YkcFramer::decode_then(
                    frame,
                    base,
                    &self.opts,
                    #[inline(always)]
                    |frame| {
                        flush_run(skip.0, skip.1, skip.2, sink);
                        sink(StreamItem::Frame {
                            offset: base,
                            frame: AnyFrame::Ykc(frame),
                        });
                    },
                );
            }
            Dialect::Dny => self.decode_dny(frame, base)?,
            Dialect::Juy => self.decode_juy(frame, base)?,
        };
        self.flush_skip(sink);
        sink(StreamItem::Frame {
            offset: base,
            frame: decoded,
        });
        Ok(())
    }

    // The DNY and JUY decoders are called from these two functions, which do not depend on
    // the sink, so that each has one caller here however many sinks `process` is built for.

    /// Decodes a DNY frame the framer bounded.
    fn decode_dny(&self, frame: &[u8], base: usize) -> Result<AnyFrame, DecodeError> {
        DnyFrame::decode(frame, &self.context(base)).map(AnyFrame::Dny)
    }

    /// Decodes a JUY frame the framer bounded (the connection follows its IMEI form).
    fn decode_juy(&mut self, frame: &[u8], base: usize) -> Result<AnyFrame, DecodeError> {
        let ctx = self.context(base);
        self.juy.decode(frame, &ctx).map(AnyFrame::Juy)
    }
}

/// Reports the garbage run of `len` bytes from `start` (if any) and empties it.
#[inline]
fn flush_run(
    start: usize,
    len: &mut usize,
    reason: &mut Option<DecodeError>,
    sink: &mut impl FnMut(StreamItem),
) {
    if *len > 0 {
        sink(StreamItem::Skipped {
            offset: start,
            len: *len,
            reason: reason.take(),
        });
        *len = 0;
    }
}

/// Errors that say the candidate was not a real frame at all. (A bad length field is the
/// framer's to reject: a bounded frame's length field is in range.)
fn is_boundary_error(e: &DecodeError) -> bool {
    matches!(e.kind, DecodeErrorKind::ChecksumMismatch { .. })
}

/// What the framer of `dialect` finds at the start of `buf`.
fn scan(dialect: Dialect, opts: DecodeOptions, buf: &[u8]) -> Scan<DnyText> {
    match dialect {
        Dialect::Ykc => YkcFramer::new(opts.policy)
            .scan(buf)
            .map_text(|n| match n {}),
        Dialect::Dny => DnyFramer::new(opts.policy).scan(buf),
        Dialect::Juy => JuyFramer::new(opts.policy)
            .scan(buf)
            .map_text(|n| match n {}),
    }
}

/// Whether `byte` can begin a frame (or text) of `dialect`.
fn is_start(dialect: Dialect, byte: u8) -> bool {
    match dialect {
        Dialect::Ykc => YkcFramer::is_start(byte),
        Dialect::Dny => DnyFramer::is_start(byte),
        Dialect::Juy => JuyFramer::is_start(byte),
    }
}

/// How many bytes of `buf` to skip to reach the next byte after the first that can begin a
/// frame (or text) of `dialect`: where a resync stops (all of `buf` when there is none).
///
/// Stopping at start bytes only saves work: a framer finds nothing at any other byte, and the
/// skipped bytes join one garbage run either way, so stopping at the next byte whatever it is
/// (this function returning 1) gives the same items, more slowly.
fn skip_to_next_start(dialect: Dialect, buf: &[u8]) -> usize {
    match dialect {
        Dialect::Ykc => skip_to(buf, YkcFramer::find_start),
        Dialect::Dny => skip_to(buf, DnyFramer::find_start),
        Dialect::Juy => skip_to(buf, JuyFramer::find_start),
    }
}

/// Whether `byte` can begin a frame (or text) of any dialect. As with [`is_start`], returning
/// `true` for every byte would give the same items, more slowly.
fn is_any_start(byte: u8) -> bool {
    DIALECTS.iter().any(|&d| is_start(d, byte))
}

/// What auto-detection found.
enum Detect {
    Dialect(Dialect),
    NeedMore,
    No,
}

/// The dialects auto-detection knows.
const DIALECTS: [Dialect; 3] = [Dialect::Ykc, Dialect::Dny, Dialect::Juy];

/// The dialect whose frames (or, for DNY, whose module's ICCID or `link`) begin `bytes`:
/// `0x68` YKC, `DNY` DNY, `5A A5` JUY. `None` when the bytes start none of them, or are too few
/// to tell.
pub fn detect_dialect(bytes: &[u8]) -> Option<Dialect> {
    match detect(bytes) {
        Detect::Dialect(d) => Some(d),
        Detect::NeedMore | Detect::No => None,
    }
}

/// Recognises a dialect from the first bytes of a connection: the first whose framer finds
/// its marker, else whether one of them needs more bytes to tell.
fn detect(buf: &[u8]) -> Detect {
    let marker = |d: Dialect| match d {
        Dialect::Ykc => YkcFramer::marker(buf),
        Dialect::Dny => DnyFramer::marker(buf),
        Dialect::Juy => JuyFramer::marker(buf),
    };
    let mut need_more = false;
    for d in DIALECTS {
        match marker(d) {
            Marker::Found => return Detect::Dialect(d),
            Marker::NeedMore => need_more = true,
            Marker::Absent => {}
        }
    }
    if need_more {
        Detect::NeedMore
    } else {
        Detect::No
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_dialect_finds_the_start_bytes_it_names() {
        let bytes: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for from in 0..bytes.len() {
            let buf = &bytes[from..];
            let naive = |is: fn(u8) -> bool| buf.iter().position(|&b| is(b));
            assert_eq!(YkcFramer::find_start(buf), naive(YkcFramer::is_start));
            assert_eq!(DnyFramer::find_start(buf), naive(DnyFramer::is_start));
            assert_eq!(JuyFramer::find_start(buf), naive(JuyFramer::is_start));
        }
        assert_eq!(YkcFramer::find_start(&[1, 2, 0x68, 0x68]), Some(2));
        assert_eq!(DnyFramer::find_start(b"xxl8D"), Some(2));
        assert_eq!(JuyFramer::find_start(&[0xA5, 0x5A]), Some(1));
        assert_eq!(YkcFramer::find_start(&[]), None);
    }

    #[test]
    fn a_resync_stops_at_the_next_start_byte_after_the_first() {
        assert_eq!(skip_to_next_start(Dialect::Ykc, &[0x68, 1, 0x68, 0x68]), 2);
        assert_eq!(skip_to_next_start(Dialect::Ykc, &[0x68, 1, 2]), 3);
        assert_eq!(skip_to_next_start(Dialect::Dny, b"DNxl"), 3);
        assert_eq!(skip_to_next_start(Dialect::Juy, &[0x5A, 0x5A]), 1);
        assert_eq!(skip_to_next_start(Dialect::Juy, &[0x00]), 1);
    }

    #[test]
    fn larger_is_the_larger() {
        assert_eq!(larger(1, 2), 2);
        assert_eq!(larger(2, 1), 2);
        assert_eq!(larger(3, 3), 3);
    }
}
