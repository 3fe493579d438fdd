//! Streaming decoding: arbitrary chunks in (TCP gives half frames and three frames at once),
//! frames out, in order.
//!
//! The decoder scans for the dialect's start marker, bounds each frame by its length field and
//! lets the checksum arbitrate: a candidate frame whose checksum fails is treated as garbage and
//! the scan resumes one byte further, so a stray start byte in line noise never swallows the
//! frames behind it. Skipped bytes are reported as [`StreamItem::Skipped`] with their offset and
//! the first reason a candidate in them was rejected, one item per run of garbage however the run
//! was chunked: the run is reported when the next frame arrives, or by
//! [`finish`](StreamDecoder::finish). A frame whose checksum holds but whose body
//! breaks the specification is reported as [`StreamItem::Error`] and skipped whole.
//!
//! The decoder holds at most one incomplete frame between calls, never more than
//! [`StreamDecoder::max_buffer`] bytes.
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
use super::dny::{self, DnyFrame, Iccid, ModuleTextScan};
use super::error::{DecodeError, DecodeErrorKind};
use super::juy::{self, JuyConnection, JuyOptions};
use super::ykc;
use super::{DecodeContext, DecodeOptions, Dialect, Direction};

/// What a dialect's framer found at the start of a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scan {
    /// A complete frame of this many bytes starts at the first byte (its checksum is not yet
    /// verified).
    Frame(usize),
    /// What is there could be the start of a frame, but more bytes are needed.
    Incomplete,
    /// The first byte does not start a frame.
    NotAFrame,
}

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
pub enum DialectChoice {
    /// Exactly this dialect.
    Fixed(Dialect),
    /// Detect the dialect from the first frame of the connection, then stay with it.
    Auto,
}

/// A streaming decoder for one connection.
#[derive(Debug, Clone)]
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
    skip_reason: Option<DecodeError>,
}

/// The default buffer bound: larger than any frame of any dialect.
pub const DEFAULT_MAX_BUFFER: usize = 4096;

/// The smallest buffer bound: the largest frame of any dialect (a JUY frame of 1028 bytes; DNY
/// frames reach 517, YKC frames 259), so a frame that is still arriving always fits.
pub const MIN_MAX_BUFFER: usize = {
    let ykc = ykc::MAX_BODY + ykc::OVERHEAD;
    let dny = 5 + dny::MAX_LENGTH_FIELD as usize;
    let juy = 4 + juy::MAX_LEN;
    let m = if ykc > dny { ykc } else { dny };
    if m > juy { m } else { juy }
};

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
    pub fn feed(&mut self, chunk: &[u8], mut sink: impl FnMut(StreamItem)) {
        if self.pending.is_empty() {
            let used = self.process(chunk, &mut sink);
            self.offset += used;
            self.pending.extend_from_slice(&chunk[used..]);
        } else {
            let mut data = core::mem::take(&mut self.pending);
            data.extend_from_slice(chunk);
            let used = self.process(&data, &mut sink);
            self.offset += used;
            data.drain(..used);
            self.pending = data;
        }
        self.bound_pending();
    }

    /// Feeds a chunk and collects the items it completes.
    pub fn feed_collect(&mut self, chunk: &[u8]) -> Vec<StreamItem> {
        let mut out = Vec::new();
        self.feed(chunk, |i| out.push(i));
        out
    }

    /// Ends the stream: reports what is left over (an incomplete frame or garbage) as skipped.
    pub fn finish(&mut self, mut sink: impl FnMut(StreamItem)) {
        if !self.pending.is_empty() {
            let n = self.pending.len();
            self.note_skip(self.offset, n, None);
            self.offset += n;
            self.pending.clear();
        }
        self.flush_skip(&mut sink);
    }

    /// Ends the stream and collects the final items.
    pub fn finish_collect(&mut self) -> Vec<StreamItem> {
        let mut out = Vec::new();
        self.finish(|i| out.push(i));
        out
    }

    /// Keeps the held bytes within the bound by dropping the oldest into the current garbage
    /// run. What `process` leaves behind is the start of one frame (or of a DNY module's ICCID),
    /// shorter than [`MIN_MAX_BUFFER`], so with the bound at least that this never drops a frame.
    fn bound_pending(&mut self) {
        if self.pending.len() > self.max_buffer {
            let drop = self.pending.len() - self.max_buffer;
            self.note_skip(self.offset, drop, None);
            self.offset += drop;
            self.pending.drain(..drop);
        }
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
        if self.skip_len > 0 {
            sink(StreamItem::Skipped {
                offset: self.skip_start,
                len: self.skip_len,
                reason: self.skip_reason.take(),
            });
            self.skip_len = 0;
        }
    }

    /// Decodes what it can from `data` (whose first byte is at `self.offset`); returns how many
    /// bytes were consumed. The rest is an incomplete frame.
    fn process(&mut self, data: &[u8], sink: &mut impl FnMut(StreamItem)) -> usize {
        let mut pos = 0;
        while pos < data.len() {
            let rest = &data[pos..];
            let at = self.offset + pos;
            let dialect = match self.detected {
                Some(d) => d,
                None => match detect(rest) {
                    Detect::Dialect(d) => {
                        self.detected = Some(d);
                        d
                    }
                    Detect::NeedMore => break,
                    Detect::No => {
                        let n = skip_to_candidate(rest, None);
                        self.note_skip(at, n, None);
                        pos += n;
                        continue;
                    }
                },
            };
            if dialect == Dialect::Dny {
                match dny::scan_module_text(rest) {
                    ModuleTextScan::Iccid(iccid) => {
                        self.flush_skip(sink);
                        sink(StreamItem::Iccid { offset: at, iccid });
                        pos += 20;
                        continue;
                    }
                    ModuleTextScan::Link => {
                        self.flush_skip(sink);
                        sink(StreamItem::Link { offset: at });
                        pos += dny::LINK.len();
                        continue;
                    }
                    ModuleTextScan::Incomplete => break,
                    ModuleTextScan::No => {}
                }
            }
            match scan(dialect, rest, &self.opts) {
                Scan::Incomplete => break,
                Scan::NotAFrame => {
                    let n = skip_to_candidate(rest, Some(dialect));
                    self.note_skip(at, n, None);
                    pos += n;
                }
                Scan::Frame(len) => match self.decode_bounded(dialect, &rest[..len], at) {
                    Ok(frame) => {
                        self.flush_skip(sink);
                        sink(StreamItem::Frame { offset: at, frame });
                        pos += len;
                    }
                    Err(e) if is_boundary_error(&e) && self.opts.verify_checksum => {
                        self.note_skip(at, 1, Some(e));
                        pos += 1;
                    }
                    Err(e) => {
                        self.flush_skip(sink);
                        sink(StreamItem::Error(e));
                        pos += len;
                    }
                },
            }
        }
        pos
    }

    /// The one-shot decode context of a frame at absolute offset `base`.
    fn context(&self, base: usize) -> DecodeContext {
        DecodeContext::new(self.opts)
            .with_direction(self.direction)
            .with_base_offset(base)
    }

    fn decode_bounded(
        &mut self,
        dialect: Dialect,
        frame: &[u8],
        base: usize,
    ) -> Result<AnyFrame, DecodeError> {
        match dialect {
            Dialect::Ykc => ykc::decode_bounded(frame, base, &self.opts).map(AnyFrame::Ykc),
            Dialect::Dny => DnyFrame::decode(frame, &self.context(base)).map(AnyFrame::Dny),
            Dialect::Juy => {
                let ctx = self.context(base);
                self.juy.decode(frame, &ctx).map(AnyFrame::Juy)
            }
        }
    }
}

/// Errors that say the candidate was not a real frame at all.
fn is_boundary_error(e: &DecodeError) -> bool {
    matches!(
        e.kind,
        DecodeErrorKind::ChecksumMismatch { .. } | DecodeErrorKind::BadLength { .. }
    )
}

enum Detect {
    Dialect(Dialect),
    NeedMore,
    No,
}

/// The dialect whose frames (or, for DNY, whose module's ICCID or `link`) begin `bytes`:
/// `0x68` YKC, `DNY` DNY, `5A A5` JUY. `None` when the bytes start none of them, or are too few
/// to tell.
pub fn detect_dialect(bytes: &[u8]) -> Option<Dialect> {
    match detect(bytes) {
        Detect::Dialect(d) => Some(d),
        Detect::NeedMore | Detect::No => None,
    }
}

/// Recognises a dialect from the first bytes of a connection.
fn detect(buf: &[u8]) -> Detect {
    match buf.first() {
        None => Detect::NeedMore,
        Some(&ykc::START) => Detect::Dialect(Dialect::Ykc),
        Some(&b) if b == juy::START[0] => match buf.get(1) {
            None => Detect::NeedMore,
            Some(&b) if b == juy::START[1] => Detect::Dialect(Dialect::Juy),
            Some(_) => Detect::No,
        },
        Some(_) => {
            // "DNY", or the ICCID / `link` a DNY pile's module sends first
            let n = buf.len().min(dny::START.len());
            if buf[..n] == dny::START[..n] {
                return if n == dny::START.len() {
                    Detect::Dialect(Dialect::Dny)
                } else {
                    Detect::NeedMore
                };
            }
            match dny::scan_module_text(buf) {
                ModuleTextScan::Iccid(_) | ModuleTextScan::Link => Detect::Dialect(Dialect::Dny),
                ModuleTextScan::Incomplete => Detect::NeedMore,
                ModuleTextScan::No => Detect::No,
            }
        }
    }
}

/// How many bytes to skip to reach the next byte that could start a frame (at least 1).
fn skip_to_candidate(buf: &[u8], dialect: Option<Dialect>) -> usize {
    let is_start = |b: u8| match dialect {
        Some(Dialect::Ykc) => b == ykc::START,
        Some(Dialect::Juy) => b == juy::START[0],
        Some(Dialect::Dny) => matches!(b, b'D' | b'8' | b'l'),
        None => matches!(b, ykc::START | b'D' | b'8' | b'l') || b == juy::START[0],
    };
    buf.iter()
        .skip(1)
        .position(|&b| is_start(b))
        .map_or(buf.len(), |p| p + 1)
}

fn scan(dialect: Dialect, buf: &[u8], opts: &DecodeOptions) -> Scan {
    match dialect {
        Dialect::Ykc => ykc::scan(buf, opts.policy),
        Dialect::Juy => juy::scan(buf),
        Dialect::Dny => dny::scan(buf),
    }
}
