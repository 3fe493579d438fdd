//! `pilekit decode`.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use pilekit::codec::AnyFrame as Frame;
use pilekit::codec::juy::{EnergyResolution, JuyOptions};
use pilekit::codec::stream::{DialectChoice, StreamDecoder, StreamItem};
use pilekit::codec::{DecodeContext, DecodeError, DecodeOptions, Dialect, Direction, Policy};

use crate::io::{self, Out};
use crate::listing;

/// Which protocol the input speaks.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum DialectArg {
    /// YKC (云快充) car piles.
    Ykc,
    /// AP3000 "DNY" e-bike piles and their hosts.
    Dny,
    /// JUY `5A A5` e-bike piles.
    Juy,
    /// Detect from the first bytes.
    Auto,
}

/// Which way the frames travel.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum DirectionArg {
    /// From the pile.
    Up,
    /// To the pile.
    Down,
    /// Decide from each frame's layout.
    Auto,
}

/// The resolution of JUY energy fields.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum JuyEnergyArg {
    /// 0.01 kWh (firmware before V1.1).
    Centi,
    /// 0.001 kWh (V1.1 and later).
    Milli,
}

/// Arguments of `pilekit decode`.
#[derive(Args)]
pub struct DecodeArgs {
    /// Frames as hex, one frame per argument (spaces allowed inside quotes). Without frames and
    /// without `--file`, a capture piped to standard input is decoded.
    hex: Vec<String>,
    /// A capture to decode as a stream, `-` for standard input: binary, or hex text (split
    /// anywhere, `#` starts a comment, log prefixes such as timestamps and `RX:`/`TX:` are
    /// dropped, a UTF-8 byte-order mark is allowed). Read in chunks: any size works.
    #[arg(long, value_name = "PATH")]
    file: Option<PathBuf>,
    /// How the capture is given: unless said, hex text if its first line with hex digits is all
    /// hex (after comments and log prefixes), binary otherwise.
    #[arg(long, value_enum, default_value = "auto")]
    format: FormatArg,
    /// The protocol.
    #[arg(long, value_enum, default_value = "auto")]
    dialect: DialectArg,
    /// Which way the frames travel (DNY and JUY use one command code both ways).
    #[arg(long, value_enum, default_value = "auto")]
    direction: DirectionArg,
    /// Resolution of JUY energy fields.
    #[arg(long, value_enum, default_value = "milli")]
    juy_energy: JuyEnergyArg,
    /// Reject frames that break the specification (the default).
    #[arg(long, conflicts_with = "lenient")]
    strict: bool,
    /// Decode what real piles send, listing every tolerated deviation.
    #[arg(long)]
    lenient: bool,
    /// Do not verify checksums (mismatches are listed as deviations).
    #[arg(long)]
    no_checksum: bool,
    /// JSON Lines: one record per line, in the canonical form; every frame record carries its
    /// `offset`, errors are `{"error": {...}}` and skipped bytes `{"skipped": {...}}` records in
    /// the same stream.
    #[arg(long)]
    json: bool,
}

/// How a capture file is given.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FormatArg {
    /// Hex text if the first line with hex digits is hex text, binary otherwise.
    Auto,
    /// Hex text.
    Hex,
    /// Raw bytes.
    Binary,
}

impl DecodeArgs {
    /// Whether the output is JSON Lines.
    pub fn json(&self) -> bool {
        self.json
    }

    fn options(&self) -> DecodeOptions {
        let policy = if self.lenient {
            Policy::Lenient
        } else {
            Policy::Strict
        };
        DecodeOptions::default()
            .with_policy(policy)
            .with_checksum_check(!self.no_checksum)
    }

    fn choice(&self) -> DialectChoice {
        match self.dialect {
            DialectArg::Ykc => DialectChoice::Fixed(Dialect::Ykc),
            DialectArg::Dny => DialectChoice::Fixed(Dialect::Dny),
            DialectArg::Juy => DialectChoice::Fixed(Dialect::Juy),
            DialectArg::Auto => DialectChoice::Auto,
        }
    }

    fn direction(&self) -> Option<Direction> {
        match self.direction {
            DirectionArg::Up => Some(Direction::Up),
            DirectionArg::Down => Some(Direction::Down),
            DirectionArg::Auto => None,
        }
    }

    fn juy(&self) -> JuyOptions {
        let energy_resolution = match self.juy_energy {
            JuyEnergyArg::Centi => EnergyResolution::CentiKwh,
            JuyEnergyArg::Milli => EnergyResolution::MilliKwh,
        };
        JuyOptions {
            energy_resolution,
            ..JuyOptions::default()
        }
    }
}

/// The size of the chunks a capture is read in.
const CHUNK: usize = 64 * 1024;

/// Runs the command; `Ok(false)` when some input did not decode.
pub fn run(args: &DecodeArgs, out: &mut Out) -> Result<bool, String> {
    let json = args.json || io::pretty();
    let mut printer = Printer {
        json,
        ok: true,
        out,
    };
    let stdin_path = Path::new("-");
    let file = match (&args.file, args.hex.is_empty()) {
        (Some(path), _) => Some(path.as_path()),
        (None, true) if io::stdin_is_piped() => Some(stdin_path),
        (None, true) => {
            return Err(
                "give frames as hex arguments, a capture with --file, or pipe a capture to standard input"
                    .into(),
            );
        }
        (None, false) => None,
    };
    for (i, text) in args.hex.iter().enumerate() {
        let bytes = pilekit::hex::decode(text).map_err(|e| format!("argument {}: {e}", i + 1))?;
        match decode_one(&bytes, args) {
            Ok(frame) => printer.frame(0, &frame)?,
            Err(e) => printer.error(&e)?,
        }
    }
    if let Some(path) = file {
        decode_capture(path, args, &mut printer)?;
    }
    printer.out.flush()?;
    Ok(printer.ok)
}

/// Decodes a capture as a stream: reads it in chunks, prints each record as its frame ends.
fn decode_capture(path: &Path, args: &DecodeArgs, printer: &mut Printer<'_>) -> Result<(), String> {
    let mut reader = io::open(path)?;
    let mut chunk = vec![0u8; CHUNK];
    let read = |reader: &mut dyn Read, buf: &mut [u8]| -> Result<usize, String> {
        // fill the buffer unless the input ends (a pipe gives short reads)
        let mut n = 0;
        while n < buf.len() {
            match reader.read(&mut buf[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(format!("cannot read {}: {e}", io::name(path))),
            }
            if n > 0 && io::is_stdin(path) {
                break;
            }
        }
        Ok(n)
    };
    let mut decoder = StreamDecoder::with_choice(args.choice(), args.options())
        .with_direction(args.direction())
        .with_juy_options(args.juy());
    let mut n = 0;
    let format = match args.format {
        FormatArg::Hex => Format::Hex,
        FormatArg::Binary => Format::Binary,
        FormatArg::Auto => loop {
            let more = read(&mut reader, &mut chunk[n..])?;
            n += more;
            if let Some(format) = sniff(&chunk[..n], more == 0 || n == CHUNK) {
                break format;
            }
        },
    };
    if n == 0 {
        n = read(&mut reader, &mut chunk)?;
    }
    let mut text = HexText::new();
    let mut bytes = Vec::with_capacity(CHUNK / 2);
    let mut problems = Vec::new();
    let mut given: u64 = 0;
    loop {
        let end = n == 0;
        let data: &[u8] = match format {
            Format::Binary => &chunk[..n],
            Format::Hex => {
                bytes.clear();
                if end {
                    text.finish(&mut bytes, &mut problems);
                } else {
                    text.push(&chunk[..n], &mut bytes, &mut problems);
                }
                &bytes
            }
        };
        // problems of the hex text in their place among the records
        let mut fed = 0;
        for p in problems.drain(..) {
            let upto = usize::try_from(p.offset - given).map_or(data.len(), |n| n.min(data.len()));
            feed(&mut decoder, &data[fed..upto], false, printer)?;
            fed = upto;
            printer.hex_problem(&p)?;
        }
        feed(&mut decoder, &data[fed..], end, printer)?;
        given += data.len() as u64;
        printer.out.flush()?;
        if end {
            return Ok(());
        }
        n = read(&mut reader, &mut chunk)?;
    }
}

/// Feeds bytes to the decoder and prints the records they complete (and, at the `end`, the
/// last records).
fn feed(
    decoder: &mut StreamDecoder,
    data: &[u8],
    end: bool,
    printer: &mut Printer<'_>,
) -> Result<(), String> {
    let mut failure = None;
    let mut sink = |item: &StreamItem| {
        if failure.is_none()
            && let Err(e) = printer.item(item)
        {
            failure = Some(e);
        }
    };
    decoder.feed(data, &mut sink);
    if end {
        decoder.finish(&mut sink);
    }
    failure.map_or(Ok(()), Err)
}

fn decode_one(bytes: &[u8], args: &DecodeArgs) -> Result<Frame, DecodeError> {
    let ctx = DecodeContext::new(args.options())
        .with_direction(args.direction())
        .with_juy(args.juy());
    match args.choice() {
        DialectChoice::Fixed(d) => Frame::decode_as(d, bytes, &ctx),
        _ => Frame::decode(bytes, &ctx),
    }
}

/// Prints the records of a run: the readable listing, or JSON Lines.
struct Printer<'a> {
    json: bool,
    ok: bool,
    out: &'a mut Out,
}

impl Printer<'_> {
    fn item(&mut self, item: &StreamItem) -> Result<(), String> {
        match item {
            StreamItem::Frame { offset, frame } => self.frame(*offset, frame),
            StreamItem::Error(e) => self.error(e),
            StreamItem::Skipped {
                offset,
                len,
                reason,
            } => self.skipped(*offset, *len, reason.as_ref()),
            StreamItem::Iccid { offset, iccid } => {
                self.note(*offset, "iccid", Some(iccid.as_str()))
            }
            StreamItem::Link { offset } => self.note(*offset, "link", None),
            _ => Ok(()),
        }
    }

    fn frame(&mut self, offset: usize, frame: &Frame) -> Result<(), String> {
        if self.json {
            let record = pilekit::api::Record::Frame {
                offset,
                frame: frame.clone(),
            };
            self.out.line(&io::json(&record)?)
        } else {
            self.out.str(&listing::render(offset, frame))
        }
    }

    /// Unframed module text in a DNY stream (the ICCID, the `link` keep-alive).
    fn note(&mut self, offset: usize, item: &str, value: Option<&str>) -> Result<(), String> {
        if self.json {
            let mut v = serde_json::json!({"offset": offset, "dialect": "dny", "item": item});
            if let Some(value) = value {
                v[item] = value.into();
            }
            self.out.line(&io::json(&v)?)
        } else {
            let value = value.map(|v| format!(" {v}")).unwrap_or_default();
            self.out.str(&format!("@{offset} dny {item}{value}\n"))
        }
    }

    fn error(&mut self, e: &DecodeError) -> Result<(), String> {
        self.ok = false;
        if self.json {
            let mut v = serde_json::to_value(e).map_err(|e| e.to_string())?;
            v["message"] = e.to_string().into();
            self.out
                .line(&io::json(&serde_json::json!({ "error": v }))?)
        } else {
            self.out.warn(&format!("error {e}"))
        }
    }

    fn skipped(
        &mut self,
        offset: usize,
        len: usize,
        reason: Option<&DecodeError>,
    ) -> Result<(), String> {
        self.ok = false;
        let message = match reason {
            Some(r) => format!("skipped {len} bytes that are not a frame (first candidate: {r})"),
            None => format!("skipped {len} bytes that are not a frame"),
        };
        if self.json {
            let reason = match reason {
                Some(r) => {
                    let mut v = serde_json::to_value(r).map_err(|e| e.to_string())?;
                    v["message"] = r.to_string().into();
                    v
                }
                None => serde_json::Value::Null,
            };
            let v = serde_json::json!({"skipped": {
                "offset": offset, "len": len, "reason": reason, "message": message
            }});
            self.out.line(&io::json(&v)?)
        } else {
            self.out.warn(&format!("error at byte {offset}: {message}"))
        }
    }

    fn hex_problem(&mut self, p: &HexError) -> Result<(), String> {
        self.ok = false;
        if self.json {
            self.out
                .line(&io::json(&serde_json::json!({ "error": p.record() }))?)
        } else {
            self.out.warn(&format!("error in hex text: {p}"))
        }
    }
}

/// How a capture is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// Raw bytes.
    Binary,
    /// Hex text, converted chunk by chunk.
    Hex,
}

/// Whether a capture is hex text, from its first line with hex digits: after a UTF-8
/// byte-order mark, `#` comments and log prefixes, only hex digits and separators. `None` while
/// the bytes so far cannot tell (a pipe may give a few bytes at a time): binary shows at once
/// (control bytes, bytes that are not UTF-8), hex text at the end of its first line with a
/// digit. At the `last` bytes to look at, the answer is final. A later line that is not hex is
/// reported as an error, not taken as a sign of binary.
fn sniff(head: &[u8], last: bool) -> Option<Format> {
    let control = head
        .iter()
        .any(|&b| (b < 0x20 && !b"\t\r\n".contains(&b)) || b == 0x7F);
    if control || std::str::from_utf8(head).is_err_and(|e| e.error_len().is_some()) {
        return Some(Format::Binary);
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
            text.finish(&mut bytes, &mut problems);
        }
        if problems
            .iter()
            .any(|p| !matches!(p.kind, HexProblem::OddDigits))
        {
            return Some(Format::Binary);
        }
        if text.digits > 0 {
            return Some(Format::Hex);
        }
    }
    last.then_some(Format::Binary)
}

/// Longest line start examined for a log prefix (timestamps, `RX:`/`TX:`).
const MAX_PREFIX: usize = 256;

/// What is wrong with a hex capture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HexProblem {
    /// A character that is neither a hex digit nor a separator.
    Character(char),
    /// An odd number of hex digits at the end.
    OddDigits,
}

/// A problem of a hex capture, and where: the byte offset in the text and its line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct HexError {
    kind: HexProblem,
    text_offset: u64,
    line: u64,
    /// How many bytes the text had given before the problem.
    offset: u64,
}

impl std::fmt::Display for HexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            HexProblem::Character(c) => write!(
                f,
                "invalid hex character `{}` at text offset {} (line {}); the rest of the line is skipped",
                c.escape_debug(),
                self.text_offset,
                self.line
            ),
            HexProblem::OddDigits => write!(
                f,
                "odd number of hex digits: the last byte is incomplete (text offset {}, line {})",
                self.text_offset, self.line
            ),
        }
    }
}

impl HexError {
    fn record(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "kind": match self.kind {
                HexProblem::Character(_) => "invalid_hex",
                HexProblem::OddDigits => "odd_hex_digits",
            },
            "offset": self.offset,
            "text_offset": self.text_offset,
            "line": self.line,
        });
        if let HexProblem::Character(c) = self.kind {
            v["character"] = c.to_string().into();
        }
        v["message"] = self.to_string().into();
        v
    }
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
///
/// Each line may start with a log prefix, which is dropped: everything up to `RX:`/`TX:` (any
/// case), or leading timestamps (`2024-05-01`, `2024-05-01T12:00:00`, `12:00:00.123`,
/// `[anything]`) and a `|`. `#` starts a comment. Between bytes, whitespace, `,`, `:`, `-` and
/// `0x` are ignored, as by [`pilekit::hex::decode`]; a byte may be split across lines.
struct HexText {
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
    produced: u64,
    /// Line number of the current line (from 1).
    line: u64,
    /// Hex digits seen.
    digits: u64,
    /// Whether the text's first bytes are still to be checked for a byte-order mark.
    at_start: bool,
}

impl HexText {
    fn new() -> Self {
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
    fn push(&mut self, chunk: &[u8], out: &mut Vec<u8>, problems: &mut Vec<HexError>) {
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

    /// Ends the text: a line still held is converted, an incomplete byte is a problem.
    fn finish(&mut self, out: &mut Vec<u8>, problems: &mut Vec<HexError>) {
        if self.state == State::Head {
            self.end_head(out, problems);
        }
        if self.high.take().is_some() {
            problems.push(HexError {
                kind: HexProblem::OddDigits,
                text_offset: self.consumed,
                line: self.line,
                offset: self.produced,
            });
        }
    }

    fn newline(&mut self) {
        self.line += 1;
        self.state = State::Head;
        self.zero = false;
    }

    /// The start of a line is complete (or as long as a prefix can be): drops the prefix and
    /// converts the rest.
    fn end_head(&mut self, out: &mut Vec<u8>, problems: &mut Vec<HexError>) {
        let head = std::mem::take(&mut self.head);
        let base = self.head_start;
        let mut start = 0;
        if self.at_start {
            self.at_start = false;
            if head.starts_with(b"\xEF\xBB\xBF") {
                start = 3;
            }
        }
        start += prefix_len(&head[start..]);
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

    fn hex_byte(&mut self, b: u8, at: u64, out: &mut Vec<u8>, problems: &mut Vec<HexError>) {
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
                problems.push(HexError {
                    kind: HexProblem::Character(char::from(b)),
                    text_offset: at,
                    line: self.line,
                    offset: self.produced,
                });
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

/// The length of the log prefix a line starts with: everything up to `RX:`/`TX:` (any case),
/// or leading timestamps and bracketed fields followed by an optional `|`.
fn prefix_len(line: &[u8]) -> usize {
    let upper: Vec<u8> = line.iter().map(u8::to_ascii_uppercase).collect();
    if let Some(at) = upper.windows(3).position(|w| w == b"RX:" || w == b"TX:") {
        return at + 3;
    }
    let mut i = 0;
    let mut after_date = false;
    loop {
        let rest = &line[i..];
        let spaces = rest.iter().take_while(|b| b" \t".contains(b)).count();
        let token = &rest[spaces..];
        let len = token
            .iter()
            .position(|b| b" \t".contains(b))
            .unwrap_or(token.len());
        let word = &token[..len];
        let taken = if word.starts_with(b"[") {
            token.iter().position(|&b| b == b']').map(|end| end + 1)
        } else if is_date(word) {
            after_date = true;
            Some(len)
        } else if is_time(word, after_date) || (word == b"|" && i > 0) {
            Some(len)
        } else {
            None
        };
        match taken {
            Some(n) if n > 0 => i += spaces + n,
            _ => return i,
        }
    }
}

/// `2024-05-01`, `2024/05/01`, optionally followed by `T` and a time.
fn is_date(word: &[u8]) -> bool {
    let digits = |r: std::ops::Range<usize>| {
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

/// `12:00:00` after a date; alone only with a fraction (`12:00:00.123`), since `12:00:00` can
/// be three bytes of hex.
fn is_time(word: &[u8], after_date: bool) -> bool {
    let word = word
        .strip_suffix(b"Z")
        .or_else(|| word.strip_suffix(b","))
        .unwrap_or(word);
    let (clock, fraction) = match word.iter().position(|&b| b == b'.') {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Converts `text` in chunks of `size` bytes.
    fn convert(text: &[u8], size: usize) -> (Vec<u8>, Vec<HexError>) {
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
        let text = b"\xEF\xBB\xBF# a capture\n68 0D 00\n2024-05-01 12:00:00.123 RX: 0x01,0X02\n[12:00] TX: 0\n3 # split byte\n12:00:00.5 | AB-CD\n2024-05-01T12:00:00 ef";
        let want = vec![0x68, 0x0D, 0x00, 0x01, 0x02, 0x03, 0xAB, 0xCD, 0xEF];
        for size in [1, 2, 3, 7, 64, 1024] {
            assert_eq!(
                convert(text, size),
                (want.clone(), vec![]),
                "chunks of {size}"
            );
        }
    }

    #[test]
    fn hex_text_problems_say_where() {
        let (out, problems) = convert(b"68 0D\nzz 00\n01 0", 3);
        assert_eq!(out, vec![0x68, 0x0D, 0x01]);
        assert_eq!(
            problems,
            vec![
                HexError {
                    kind: HexProblem::Character('z'),
                    text_offset: 6,
                    line: 2,
                    offset: 2
                },
                HexError {
                    kind: HexProblem::OddDigits,
                    text_offset: 16,
                    line: 3,
                    offset: 3
                }
            ]
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
    fn prefixes_are_timestamps_and_rx_tx_only() {
        assert_eq!(prefix_len(b"68 0D"), 0);
        // `12:34:56` alone is three bytes of hex
        assert_eq!(prefix_len(b"12:34:56 68"), 0);
        assert_eq!(prefix_len(b"12:34:56.789 68"), 12);
        assert_eq!(prefix_len(b"2024-05-01 12:34:56 68"), 19);
        assert_eq!(prefix_len(b"[pile 7] 68"), 8);
        assert_eq!(prefix_len(b"<- rx: 68"), 6);
    }

    #[test]
    fn sniffing_tells_hex_from_binary_early() {
        assert_eq!(sniff(b"68 0D\n", false), Some(Format::Hex));
        assert_eq!(sniff(b"# comment\n", false), None);
        assert_eq!(sniff(b"# comment\n", true), Some(Format::Binary));
        assert_eq!(sniff(b"68 0D 00", false), None);
        assert_eq!(sniff(b"68 0D 00", true), Some(Format::Hex));
        assert_eq!(sniff(b"\x68\x0D\x00\x01", false), Some(Format::Binary));
        assert_eq!(sniff(b"DNY\x10\x00", false), Some(Format::Binary));
        assert_eq!(sniff(b"\x5A\xA5", false), Some(Format::Binary));
        assert_eq!(sniff(b"hello\n68 0D\n", false), Some(Format::Binary));
        assert_eq!(sniff(b"\xEF\xBB\xBFRX: 68\n", false), Some(Format::Hex));
    }
}
