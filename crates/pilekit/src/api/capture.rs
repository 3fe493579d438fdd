//! Reading a capture as it comes: raw bytes or hex text (a pile log with timestamps, `RX:`
//! markers, comments and a byte-order mark), told apart from its first line and decoded record
//! by record in bounded memory.

use alloc::collections::VecDeque;
use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::decode::{DecodeRequest, Record};
use super::error::{Error, ErrorKind};
use super::stream::Decoder;

/// How a capture is given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaptureFormat {
    /// Hex text if its first line with hex digits is hex text (after comments and log
    /// prefixes), raw bytes otherwise.
    #[default]
    Auto,
    /// Hex text.
    Hex,
    /// Raw bytes.
    Binary,
}

/// The most bytes held while telling hex text from raw bytes; at this many the answer is final.
const SNIFF_LIMIT: usize = 64 * 1024;

/// Longest line start examined for a log prefix.
const MAX_PREFIX: usize = 256;

/// A capture decoder: [`feed`](Self::feed) the capture in chunks of any size,
/// [`poll`](Self::poll) the [`Record`]s, [`finish`](Self::finish) at its end.
///
/// The capture is raw bytes or hex text, as [`CaptureFormat`] says or as its first line with
/// hex digits shows. Hex text is read line by line: a UTF-8 byte-order mark, `#` comments and
/// each line's log prefix are dropped (a timestamp such as `2026-12-02 08:00:01.123`,
/// `2026-12-02T08:00:01+08:00`, `12:00:00.5` or `[08:00:01]`, a bracketed tag such as
/// `[pile 7]`, a `|`, and a direction marker: everything up to `RX:`/`TX:`, or `<-`, `->`,
/// `<<`, `>>`, `recv`, `send`, `in`, `out`...; a bare `hh:mm:ss` is a prefix only before a
/// marker, since it is also three bytes of hex). Between bytes, whitespace, `,`, `:`, `-` and
/// `0x` are ignored; a byte may be split across lines.
///
/// A character that is not hex is an `invalid_hex` [`Record::Error`] in its place among the
/// records, with the line it is on (the rest of that line is skipped), and so is an odd digit at
/// the end. Record offsets count the capture's bytes (after hex conversion). Memory stays
/// bounded whatever the size of the capture or of its lines.
///
/// ```
/// use pilekit::api::{CaptureDecoder, CaptureFormat, DecodeRequest, Record};
///
/// let log = "2026-12-02 08:00:01.123 RX: 68 0D 00 01 00 03 32 01\n\
///            2026-12-02 08:00:01.130 RX: 02 00 00 00 01 01 00 F1 1A\n";
/// let mut decoder = CaptureDecoder::new(&DecodeRequest::default(), CaptureFormat::Auto);
/// for chunk in log.as_bytes().chunks(7) {
///     decoder.feed(chunk);
/// }
/// decoder.finish();
/// assert_eq!(decoder.format(), Some(CaptureFormat::Hex));
/// assert!(matches!(decoder.poll(), Some(Record::Frame { offset: 0, .. })));
/// assert_eq!(decoder.poll(), None);
/// ```
#[derive(Debug, Clone)]
pub struct CaptureDecoder {
    decoder: Decoder,
    format: CaptureFormat,
    /// Bytes held while the format is not known yet.
    held: Vec<u8>,
    text: HexText,
    /// Bytes converted from the chunk being fed.
    bytes: Vec<u8>,
    problems: Vec<Error>,
    ready: VecDeque<Record>,
    finished: bool,
}

impl CaptureDecoder {
    /// A decoder for `request`'s dialect and policy and a capture given as `format`.
    pub fn new(request: &DecodeRequest, format: CaptureFormat) -> Self {
        Self {
            decoder: Decoder::new(request),
            format,
            held: Vec::new(),
            text: HexText::new(),
            bytes: Vec::new(),
            problems: Vec::new(),
            ready: VecDeque::new(),
            finished: false,
        }
    }

    /// How the capture is read, once known (`None` while the first bytes cannot tell).
    pub fn format(&self) -> Option<CaptureFormat> {
        (self.format != CaptureFormat::Auto).then_some(self.format)
    }

    /// Feeds a chunk of the capture; the records it completes are then polled.
    pub fn feed(&mut self, chunk: &[u8]) {
        if self.format == CaptureFormat::Auto {
            self.held.extend_from_slice(chunk);
            if let Some(format) = sniff(&self.held, self.held.len() >= SNIFF_LIMIT) {
                self.format = format;
                let held = core::mem::take(&mut self.held);
                self.convert(&held, false);
            }
        } else {
            self.convert(chunk, false);
        }
    }

    /// Ends the capture: held bytes are read (a frame that never completed is skipped as
    /// `truncated`, an odd hex digit is an error); the last records are then polled.
    pub fn finish(&mut self) {
        if self.finished {
            return;
        }
        self.finished = true;
        if self.format == CaptureFormat::Auto {
            self.format = sniff(&self.held, true).unwrap_or(CaptureFormat::Binary);
            let held = core::mem::take(&mut self.held);
            self.convert(&held, false);
        }
        self.convert(&[], true);
    }

    /// The next record completed so far, in capture order.
    pub fn poll(&mut self) -> Option<Record> {
        self.ready.pop_front()
    }

    /// Converts `chunk` to bytes and decodes them, with the hex text's problems in place.
    fn convert(&mut self, chunk: &[u8], end: bool) {
        let mut bytes = core::mem::take(&mut self.bytes);
        bytes.clear();
        let data: &[u8] = if self.format == CaptureFormat::Hex {
            if end {
                self.text.finish(&mut bytes, &mut self.problems);
            } else {
                self.text.push(chunk, &mut bytes, &mut self.problems);
            }
            &bytes
        } else {
            chunk
        };
        let base = self.decoder.position();
        let mut fed = 0;
        let problems = core::mem::take(&mut self.problems);
        for p in problems {
            let upto = p.offset.map_or(data.len(), |o| {
                o.saturating_sub(base).clamp(fed, data.len())
            });
            self.decode(&data[fed..upto], false);
            fed = upto;
            self.ready.push_back(Record::Error(p));
        }
        self.decode(&data[fed..], end);
        self.bytes = bytes;
    }

    fn decode(&mut self, data: &[u8], end: bool) {
        self.decoder.feed(data);
        if end {
            self.decoder.finish();
        }
        self.ready.extend(self.decoder.by_ref());
    }
}

impl Iterator for CaptureDecoder {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        self.poll()
    }
}

/// Decodes a whole capture (raw bytes or hex text, as [`CaptureDecoder`] reads it).
///
/// ```
/// use pilekit::api::{CaptureFormat, DecodeRequest, Record, decode_capture};
///
/// let records = decode_capture(b"RX: 68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A\nRX: zz\n",
///     &DecodeRequest::default(), CaptureFormat::Auto);
/// assert!(matches!(records[0], Record::Frame { offset: 0, .. }));
/// let Record::Error(e) = &records[1] else { panic!() };
/// assert_eq!((e.kind.as_str(), e.line), ("invalid_hex", Some(2)));
/// ```
pub fn decode_capture(
    capture: &[u8],
    request: &DecodeRequest,
    format: CaptureFormat,
) -> Vec<Record> {
    let mut decoder = CaptureDecoder::new(request, format);
    decoder.feed(capture);
    decoder.finish();
    decoder.collect()
}

/// Whether a capture is hex text, from its first line with hex digits: after a UTF-8
/// byte-order mark, `#` comments and log prefixes, only hex digits and separators. `None` while
/// the bytes so far cannot tell (a pipe may give a few bytes at a time): raw bytes show at once
/// (control bytes, bytes that are not UTF-8), hex text at the end of its first line with a
/// digit. At the `last` bytes to look at, the answer is final. A later line that is not hex is
/// an error of the hex text, not a sign of raw bytes.
fn sniff(head: &[u8], last: bool) -> Option<CaptureFormat> {
    let control = head
        .iter()
        .any(|&b| (b < 0x20 && !b"\t\r\n".contains(&b)) || b == 0x7F);
    if control || core::str::from_utf8(head).is_err_and(|e| e.error_len().is_some()) {
        return Some(CaptureFormat::Binary);
    }
    let mut text = HexText::new();
    let mut bytes = Vec::new();
    let mut problems = Vec::new();
    for line in head.split_inclusive(|&b| b == b'\n') {
        text.push(line, &mut bytes, &mut problems);
        if !line.ends_with(b"\n") {
            if !last {
                return None; // the line goes on
            }
            if text.finish(&mut bytes, &mut problems) {
                problems.pop(); // an odd digit at the end is hex text cut short
            }
        }
        if !problems.is_empty() {
            return Some(CaptureFormat::Binary);
        }
        if text.digits > 0 {
            return Some(CaptureFormat::Hex);
        }
    }
    last.then_some(CaptureFormat::Binary)
}

/// Where a [`HexText`] is within a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Collecting the start of a line to strip a log prefix from.
    Head,
    /// Reading hex digits.
    Hex,
    /// In a `#` comment, or in the rest of a line after a bad character.
    Skip,
}

/// Hex text converted to bytes as it comes, in chunks of any size, with memory bounded by
/// [`MAX_PREFIX`] whatever the line lengths.
#[derive(Clone, Debug)]
pub(crate) struct HexText {
    state: State,
    head: Vec<u8>,
    /// Text offset of `head[0]`.
    head_start: u64,
    /// The first nibble of a byte.
    high: Option<u8>,
    /// The last character was the `0` that set `high` (a `0x` prefix may follow).
    zero: bool,
    /// Text bytes seen so far.
    consumed: u64,
    /// Bytes given so far.
    produced: usize,
    /// Line number of the current line (from 1).
    line: usize,
    /// Hex digits seen.
    digits: u64,
    /// Whether the text's first bytes are still to be checked for a byte-order mark.
    at_start: bool,
}

impl HexText {
    pub(crate) fn new() -> Self {
        Self {
            state: State::Head,
            head: Vec::new(),
            head_start: 0,
            high: None,
            zero: false,
            consumed: 0,
            produced: 0,
            line: 1,
            digits: 0,
            at_start: true,
        }
    }

    /// Converts a chunk: bytes are appended to `out`, problems to `problems`.
    pub(crate) fn push(&mut self, chunk: &[u8], out: &mut Vec<u8>, problems: &mut Vec<Error>) {
        for &b in chunk {
            match self.state {
                State::Head => {
                    if b == b'\n' {
                        self.end_head(out, problems);
                        self.newline();
                    } else {
                        if self.head.is_empty() {
                            self.head_start = self.consumed;
                        }
                        self.head.push(b);
                        if self.head.len() >= MAX_PREFIX {
                            self.end_head(out, problems);
                        }
                    }
                }
                State::Hex => self.hex_byte(b, self.consumed, out, problems),
                State::Skip => {
                    if b == b'\n' {
                        self.newline();
                    }
                }
            }
            self.consumed += 1;
        }
    }

    /// Ends the text: a line still held is converted, an incomplete byte is a problem (the
    /// last one; the answer says whether there was one).
    pub(crate) fn finish(&mut self, out: &mut Vec<u8>, problems: &mut Vec<Error>) -> bool {
        if self.state == State::Head {
            self.end_head(out, problems);
        }
        let odd = self.high.take().is_some();
        if odd {
            problems.push(self.problem(format!(
                "odd number of hex digits: the last byte is incomplete (text offset {}, line {})",
                self.consumed, self.line
            )));
        }
        odd
    }

    fn problem(&self, message: alloc::string::String) -> Error {
        let mut e = Error::new(ErrorKind::InvalidHex, message).at(self.produced);
        e.line = Some(self.line);
        e
    }

    fn newline(&mut self) {
        self.line += 1;
        self.state = State::Head;
        self.zero = false;
    }

    /// The start of a line is complete (or as long as a prefix can be): drops the prefix and
    /// converts the rest.
    fn end_head(&mut self, out: &mut Vec<u8>, problems: &mut Vec<Error>) {
        let head = core::mem::take(&mut self.head);
        let base = self.head_start;
        let mut start = 0;
        if self.at_start {
            self.at_start = false;
            if head.starts_with(b"\xEF\xBB\xBF") {
                start = 3;
            }
        }
        start += log_prefix_len(&head[start..]);
        self.state = State::Hex;
        for (i, &b) in head.iter().enumerate().skip(start) {
            if self.state != State::Hex {
                break;
            }
            self.hex_byte(b, base + i as u64, out, problems);
        }
        self.head = head;
        self.head.clear();
    }

    fn hex_byte(&mut self, b: u8, at: u64, out: &mut Vec<u8>, problems: &mut Vec<Error>) {
        let nibble = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            b' ' | b'\t' | b'\r' | b',' | b':' | b'-' => {
                self.zero = false;
                return;
            }
            b'\n' => {
                self.newline();
                return;
            }
            b'#' => {
                self.zero = false;
                self.state = State::Skip;
                return;
            }
            b'x' | b'X' if self.zero => {
                // the `0` was a `0x` prefix
                self.high = None;
                self.zero = false;
                self.digits -= 1;
                return;
            }
            _ => {
                self.zero = false;
                self.state = State::Skip;
                let shown = char::from(b).escape_debug().to_string();
                problems.push(self.problem(format!(
                    "invalid hex character `{shown}` at text offset {at} (line {}); the rest of \
                     the line is skipped",
                    self.line
                )));
                return;
            }
        };
        self.digits += 1;
        match self.high.take() {
            Some(h) => {
                out.push(h << 4 | nibble);
                self.produced += 1;
                self.zero = false;
            }
            None => {
                self.high = Some(nibble);
                self.zero = b == b'0';
            }
        }
    }
}

/// The length of the log prefix a line starts with (0 when it has none): everything up to
/// `RX:`/`TX:` (any case; `R`, `T` and `X` are no hex digits), or leading timestamps, bracketed
/// tags and a `|`, ended by an optional direction marker.
pub(crate) fn log_prefix_len(line: &[u8]) -> usize {
    if let Some(at) = line.windows(3).position(|w| {
        matches!(w[0].to_ascii_lowercase(), b'r' | b't')
            && w[1].eq_ignore_ascii_case(&b'x')
            && w[2] == b':'
    }) {
        return at + 3;
    }
    let mut i = 0;
    let mut stamped = false;
    loop {
        let spaces = blanks(&line[i..]);
        let rest = &line[i + spaces..];
        if let Some(n) = marker_len(rest) {
            return i + spaces + n;
        }
        let len = rest
            .iter()
            .position(|b| b" \t".contains(b))
            .unwrap_or(rest.len());
        let word = &rest[..len];
        let taken = if rest.starts_with(b"[") {
            rest.iter().position(|&b| b == b']').map(|end| end + 1)
        } else if is_date(word) || is_time(word, stamped) || (word == b"|" && i > 0) {
            stamped = true;
            Some(len)
        } else if is_time(word, true) {
            // a bare `hh:mm:ss` is three bytes of hex unless a marker follows
            let after = &rest[len..];
            marker_len(&after[blanks(after)..]).map(|_| len)
        } else {
            None
        };
        match taken {
            Some(n) if n > 0 => i += spaces + n,
            _ => return i,
        }
    }
}

fn blanks(s: &[u8]) -> usize {
    s.iter().take_while(|b| b" \t".contains(b)).count()
}

/// A direction marker at the start: `<-`, `->`, `<<`, `>>`, `<`, `>`, or a word (`rx`, `tx`,
/// `recv`, `received`, `send`, `sent`, `in`, `out`, any case) before `:`, `>`, `]` or a blank.
fn marker_len(s: &[u8]) -> Option<usize> {
    for arrow in [&b"<-"[..], b"->", b"<<", b">>", b"<", b">"] {
        if s.starts_with(arrow) {
            let n = arrow.len();
            return Some(n + usize::from(s.get(n) == Some(&b':')));
        }
    }
    const WORDS: &[&[u8]] = &[
        b"rx",
        b"tx",
        b"recv",
        b"received",
        b"send",
        b"sent",
        b"in",
        b"out",
    ];
    let len = s.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let word = s[..len].to_ascii_lowercase();
    if !WORDS.contains(&word.as_slice()) {
        return None;
    }
    // a bare hex word such as `in` cannot occur (`i`, `n` are not hex)
    match s.get(len) {
        Some(b':' | b'>' | b']') => Some(len + 1),
        Some(b' ' | b'\t') => Some(len),
        _ => None,
    }
}

/// `2024-05-01`, `2024/05/01`, optionally followed by `T` (or `_`) and a time.
fn is_date(word: &[u8]) -> bool {
    let digits = |r: core::ops::Range<usize>| {
        word.get(r)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let date = word.len() >= 10
        && digits(0..4)
        && matches!(word[4], b'-' | b'/')
        && digits(5..7)
        && word[7] == word[4]
        && digits(8..10);
    date && (word.len() == 10
        || (matches!(word[10], b'T' | b't' | b'_') && is_time(&word[11..], true)))
}

/// `12:00:00[.123][Z|+08:00|+0800][,]` after a date; alone only with a fraction
/// (`12:00:00.123`), since `12:00:00` can be three bytes of hex.
fn is_time(word: &[u8], after_date: bool) -> bool {
    let word = word.strip_suffix(b",").unwrap_or(word);
    let word = word.strip_suffix(b"Z").unwrap_or(word);
    let word = match word.iter().position(|&b| b == b'+' || b == b'-') {
        Some(at) if is_zone(&word[at..]) => &word[..at],
        Some(_) => return false,
        None => word,
    };
    let (clock, fraction) = match word.iter().position(|&b| b == b'.' || b == b',') {
        Some(dot) => (&word[..dot], Some(&word[dot + 1..])),
        None => (word, None),
    };
    let fraction_ok = fraction.is_none_or(|f| !f.is_empty() && f.iter().all(u8::is_ascii_digit));
    let mut parts = clock.split(|&b| b == b':');
    let ok = parts
        .by_ref()
        .take(3)
        .all(|p| (1..=2).contains(&p.len()) && p.iter().all(u8::is_ascii_digit))
        && parts.next().is_none()
        && clock.iter().filter(|&&b| b == b':').count() == 2;
    ok && fraction_ok && (after_date || fraction.is_some())
}

/// `+08:00`, `-0530`, `+08`.
fn is_zone(z: &[u8]) -> bool {
    let digits: Vec<u8> = z[1..].iter().copied().filter(|&b| b != b':').collect();
    matches!(z.len(), 3 | 5 | 6)
        && (z.len() != 6 || z[3] == b':')
        && digits.iter().all(u8::is_ascii_digit)
        && matches!(digits.len(), 2 | 4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    /// Converts `text` in chunks of `size` bytes.
    fn convert(text: &[u8], size: usize) -> (Vec<u8>, Vec<Error>) {
        let mut hex = HexText::new();
        let (mut out, mut problems) = (Vec::new(), Vec::new());
        for chunk in text.chunks(size.max(1)) {
            hex.push(chunk, &mut out, &mut problems);
        }
        hex.finish(&mut out, &mut problems);
        (out, problems)
    }

    #[test]
    fn hex_text_converts_the_same_in_any_chunks() {
        let text = b"\xEF\xBB\xBF# a capture\n68 0D 00\n2024-05-01 12:00:00.123 RX: 0x01,0X02\n[12:00] TX: 0\n3 # split byte\n12:00:00.5 | AB-CD\n2024-05-01T12:00:00+08:00 ef\n08:00:01 TX 10\n<- 11";
        let want = vec![
            0x68, 0x0D, 0x00, 0x01, 0x02, 0x03, 0xAB, 0xCD, 0xEF, 0x10, 0x11,
        ];
        for size in [1, 2, 3, 7, 64, 1024] {
            let (out, problems) = convert(text, size);
            assert_eq!(out, want, "chunks of {size}");
            assert!(problems.is_empty(), "chunks of {size}: {problems:?}");
        }
    }

    #[test]
    fn hex_text_problems_say_where() {
        let (out, problems) = convert(b"68 0D\nzz 00\n01 0", 3);
        assert_eq!(out, vec![0x68, 0x0D, 0x01]);
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].kind, ErrorKind::InvalidHex);
        assert_eq!((problems[0].offset, problems[0].line), (Some(2), Some(2)));
        assert!(
            problems[0].message.contains("`z` at text offset 6"),
            "{}",
            problems[0].message
        );
        assert_eq!((problems[1].offset, problems[1].line), (Some(3), Some(3)));
        assert!(
            problems[1].message.contains("text offset 16"),
            "{}",
            problems[1].message
        );
    }

    #[test]
    fn a_long_line_is_converted_with_bounded_memory() {
        let line = "00 ".repeat(100_000);
        let mut hex = HexText::new();
        let (mut out, mut problems) = (Vec::new(), Vec::new());
        for chunk in line.as_bytes().chunks(1000) {
            hex.push(chunk, &mut out, &mut problems);
            assert!(hex.head.capacity() <= 2 * MAX_PREFIX);
        }
        hex.finish(&mut out, &mut problems);
        assert_eq!(out.len(), 100_000);
        assert!(problems.is_empty());
    }

    #[test]
    fn prefixes_are_timestamps_tags_and_markers_only() {
        assert_eq!(log_prefix_len(b"68 0D"), 0);
        // `12:34:56` alone is three bytes of hex
        assert_eq!(log_prefix_len(b"12:34:56 68"), 0);
        assert_eq!(log_prefix_len(b"12:34:56 tx 68"), 11);
        assert_eq!(log_prefix_len(b"12:34:56.789 68"), 12);
        assert_eq!(log_prefix_len(b"2024-05-01 12:34:56 68"), 19);
        assert_eq!(log_prefix_len(b"2024-05-01T12:34:56+08:00 68"), 25);
        assert_eq!(log_prefix_len(b"[pile 7] 68"), 8);
        assert_eq!(log_prefix_len(b"<- rx: 68"), 6);
        assert_eq!(log_prefix_len(b"<- 68"), 2);
        assert_eq!(log_prefix_len(b"pile 7 rx: 68"), 10);
        assert_eq!(log_prefix_len(b"ad 0D"), 0);
    }

    #[test]
    fn sniffing_tells_hex_from_binary_early() {
        use CaptureFormat::{Binary, Hex};
        assert_eq!(sniff(b"68 0D\n", false), Some(Hex));
        assert_eq!(sniff(b"# comment\n", false), None);
        assert_eq!(sniff(b"# comment\n", true), Some(Binary));
        assert_eq!(sniff(b"68 0D 00", false), None);
        assert_eq!(sniff(b"68 0D 00", true), Some(Hex));
        assert_eq!(sniff(b"68 0D 0", true), Some(Hex));
        assert_eq!(sniff(b"\x68\x0D\x00\x01", false), Some(Binary));
        assert_eq!(sniff(b"DNY\x10\x00", false), Some(Binary));
        assert_eq!(sniff(b"\x5A\xA5", false), Some(Binary));
        assert_eq!(sniff(b"hello\n68 0D\n", false), Some(Binary));
        assert_eq!(sniff(b"\xEF\xBB\xBFRX: 68\n", false), Some(Hex));
    }

    #[test]
    fn records_and_hex_problems_come_in_capture_order() {
        let heartbeat = "68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A";
        let text = alloc::format!("{heartbeat}\nRX: q\n{heartbeat}\n");
        for size in [1, 5, 4096] {
            let mut d = CaptureDecoder::new(&DecodeRequest::default(), CaptureFormat::Auto);
            for chunk in text.as_bytes().chunks(size) {
                d.feed(chunk);
            }
            d.finish();
            let got: Vec<Record> = d.collect();
            assert_eq!(got.len(), 3, "{got:?}");
            assert!(matches!(got[0], Record::Frame { offset: 0, .. }));
            assert!(
                matches!(&got[1], Record::Error(e) if e.offset == Some(17) && e.line == Some(2))
            );
            assert!(matches!(got[2], Record::Frame { offset: 17, .. }));
        }
    }

    #[test]
    fn binary_captures_pass_through() {
        let bytes =
            crate::hex::decode("68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A").unwrap();
        let got = decode_capture(&bytes, &DecodeRequest::default(), CaptureFormat::Auto);
        assert!(matches!(got.as_slice(), [Record::Frame { offset: 0, .. }]));
        let got = decode_capture(b"68", &DecodeRequest::default(), CaptureFormat::Binary);
        assert!(
            matches!(
                got.as_slice(),
                [Record::Skipped {
                    offset: 0,
                    len: 2,
                    ..
                }]
            ),
            "{got:?}"
        );
    }
}
