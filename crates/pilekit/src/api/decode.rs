//! Decoding bytes into canonical records, and telling hex text from binary captures.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::str::FromStr;

use serde::ser::{Error as _, SerializeMap};
use serde::{Deserialize, Serialize, Serializer};

use super::error::{Error, ErrorKind};
use super::node::Node;
use crate::codec::juy::JuyOptions;
use crate::codec::stream::{DialectChoice, StreamDecoder, StreamItem};
use crate::codec::{AnyFrame, DecodeContext, DecodeOptions, Dialect, Direction, Policy};

/// Which protocol the input speaks: one dialect, or `auto` to detect it from the first bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DialectName {
    /// Detect from the first bytes (`68` YKC, `DNY` DNY, `5A A5` JUY).
    #[default]
    Auto,
    /// YKC car piles.
    Ykc,
    /// AP3000 "DNY" e-bike piles.
    Dny,
    /// JUY `5A A5` e-bike piles.
    Juy,
}

impl DialectName {
    /// The dialect, unless `auto`.
    pub const fn dialect(self) -> Option<Dialect> {
        match self {
            Self::Auto => None,
            Self::Ykc => Some(Dialect::Ykc),
            Self::Dny => Some(Dialect::Dny),
            Self::Juy => Some(Dialect::Juy),
        }
    }

    /// The stream decoder's choice.
    pub(crate) const fn choice(self) -> DialectChoice {
        match self.dialect() {
            Some(d) => DialectChoice::Fixed(d),
            None => DialectChoice::Auto,
        }
    }
}

impl FromStr for DialectName {
    type Err = Error;

    /// `auto`, `ykc`, `dny` or `juy` (any case); anything else is `unknown_dialect`.
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Self::Auto),
            "ykc" => Ok(Self::Ykc),
            "dny" => Ok(Self::Dny),
            "juy" => Ok(Self::Juy),
            _ => Err(Error::new(
                ErrorKind::UnknownDialect,
                alloc::format!("unknown dialect `{s}`; use auto, ykc, dny or juy"),
            )),
        }
    }
}

/// How to decode: the dialect, the policy, the direction. Its serde form takes every key as
/// optional (`{}` is the default: auto-detect, strict, checksums verified, direction from the
/// layout).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DecodeRequest {
    /// The protocol.
    pub dialect: DialectName,
    /// Reject frames that break the specification (`true`, the default), or decode what real
    /// piles send and list every tolerated deviation (`false`).
    pub strict: bool,
    /// Verify checksums (the default); without it a mismatch is listed as a deviation.
    pub verify_checksum: bool,
    /// Which way the frames travel, for DNY and JUY whose commands go both ways; `None` decides
    /// from each frame's layout.
    pub direction: Option<Direction>,
    /// JUY options (energy resolution, IMEI form).
    pub juy: JuyOptions,
}

impl Default for DecodeRequest {
    fn default() -> Self {
        Self {
            dialect: DialectName::Auto,
            strict: true,
            verify_checksum: true,
            direction: None,
            juy: JuyOptions::default(),
        }
    }
}

impl DecodeRequest {
    /// The codec's options.
    pub fn options(&self) -> DecodeOptions {
        let policy = if self.strict {
            Policy::Strict
        } else {
            Policy::Lenient
        };
        DecodeOptions::default()
            .with_policy(policy)
            .with_checksum_check(self.verify_checksum)
    }

    /// The codec's one-shot decode context.
    pub fn context(&self) -> DecodeContext {
        DecodeContext::new(self.options())
            .with_direction(self.direction)
            .with_juy(self.juy)
    }

    /// A stream decoder for the request.
    pub(crate) fn stream_decoder(&self) -> StreamDecoder {
        StreamDecoder::with_choice(self.dialect.choice(), self.options())
            .with_direction(self.direction)
            .with_juy_options(self.juy)
    }
}

/// One thing found in the input, in the canonical form `pilekit decode --json` prints, one
/// record per line:
///
/// - a frame: the frame's canonical object with its `offset` first,
///   `{"offset": 0, "dialect": "ykc", "frame_type": 3, "name": "heartbeat", ...}`;
/// - text a DNY pile's module sends: `{"dialect": "dny", "item": "iccid", "offset": 0,
///   "iccid": "8986..."}` and `{"dialect": "dny", "item": "link", "offset": 20}`;
/// - bytes that are no frame: `{"skipped": {"offset": 3, "len": 5, "reason": {error} | null}}`;
/// - a frame that did not decode: `{"error": {"kind": ..., "offset": ..., "field": ...,
///   "message": ...}}`.
///
/// Frames are held inline, as the codec's stream items hold them.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Record {
    /// A frame.
    Frame {
        /// Absolute offset of its first byte.
        offset: usize,
        /// The frame.
        frame: AnyFrame,
    },
    /// The ICCID a DNY pile's 4G module sends when it connects.
    Iccid {
        /// Absolute offset of its first byte.
        offset: usize,
        /// The 20 characters.
        iccid: String,
    },
    /// The `link` keep-alive of a DNY pile's 4G module.
    Link {
        /// Absolute offset of its first byte.
        offset: usize,
    },
    /// Bytes that were not part of any frame.
    Skipped {
        /// Absolute offset of the first skipped byte.
        offset: usize,
        /// How many bytes.
        len: usize,
        /// Why the first frame candidate in them was rejected, if one was.
        reason: Option<Error>,
    },
    /// A frame that could not be decoded.
    Error(Error),
}

impl Record {
    /// Whether the record reports a problem (skipped bytes or an error).
    pub fn is_problem(&self) -> bool {
        matches!(self, Self::Skipped { .. } | Self::Error(_))
    }

    /// The absolute offset the record starts at, where it has one.
    pub fn offset(&self) -> Option<usize> {
        match self {
            Self::Frame { offset, .. }
            | Self::Iccid { offset, .. }
            | Self::Link { offset }
            | Self::Skipped { offset, .. } => Some(*offset),
            Self::Error(e) => e.offset,
        }
    }

    /// The record from a stream decoder's item (`None` for items the facade does not know).
    pub(crate) fn from_item(item: StreamItem) -> Option<Self> {
        Some(match item {
            StreamItem::Frame { offset, frame } => Self::Frame { offset, frame },
            StreamItem::Iccid { offset, iccid } => Self::Iccid {
                offset,
                iccid: iccid.to_string(),
            },
            StreamItem::Link { offset } => Self::Link { offset },
            StreamItem::Skipped {
                offset,
                len,
                reason,
            } => Self::Skipped {
                offset,
                len,
                reason: reason.map(Error::from),
            },
            StreamItem::Error(e) => Self::Error(e.into()),
        })
    }
}

impl Serialize for Record {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Frame { offset, frame } => {
                let Node::Map(entries) = Node::of(frame).map_err(S::Error::custom)? else {
                    return Err(S::Error::custom("a frame serialises as an object"));
                };
                let mut map = s.serialize_map(Some(entries.len() + 1))?;
                map.serialize_entry("offset", offset)?;
                for (k, v) in &entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Self::Iccid { offset, iccid } => {
                let mut map = s.serialize_map(Some(4))?;
                map.serialize_entry("dialect", "dny")?;
                map.serialize_entry("item", "iccid")?;
                map.serialize_entry("offset", offset)?;
                map.serialize_entry("iccid", iccid)?;
                map.end()
            }
            Self::Link { offset } => {
                let mut map = s.serialize_map(Some(3))?;
                map.serialize_entry("dialect", "dny")?;
                map.serialize_entry("item", "link")?;
                map.serialize_entry("offset", offset)?;
                map.end()
            }
            Self::Skipped {
                offset,
                len,
                reason,
            } => {
                #[derive(Serialize)]
                struct Skipped<'a> {
                    offset: usize,
                    len: usize,
                    reason: &'a Option<Error>,
                }
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry(
                    "skipped",
                    &Skipped {
                        offset: *offset,
                        len: *len,
                        reason,
                    },
                )?;
                map.end()
            }
            Self::Error(e) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("error", e)?;
                map.end()
            }
        }
    }
}

/// Decodes `bytes` as a stream: every frame, the DNY module's text, runs of bytes that are no
/// frame, and frames that did not decode, in order. A frame cut off at the end is a skipped
/// run whose reason is `truncated`.
///
/// ```
/// use pilekit::api::{DecodeRequest, Record, decode};
///
/// let bytes = pilekit::hex::decode("68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A")?;
/// let records = decode(&bytes, &DecodeRequest::default());
/// assert!(matches!(records.as_slice(), [Record::Frame { offset: 0, .. }]));
/// let json = serde_json::to_value(&records[0])?;
/// assert_eq!(json["name"], "heartbeat");
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
pub fn decode(bytes: &[u8], request: &DecodeRequest) -> Vec<Record> {
    let mut decoder = request.stream_decoder();
    let mut out = Vec::new();
    decoder.feed(bytes, |item| out.extend(Record::from_item(item.clone())));
    decoder.finish(|item| out.extend(Record::from_item(item.clone())));
    out
}

/// Decodes exactly one frame (bytes after it are `trailing_bytes`).
pub fn decode_frame(bytes: &[u8], request: &DecodeRequest) -> Result<AnyFrame, Error> {
    let ctx = request.context();
    match request.dialect.dialect() {
        Some(d) => AnyFrame::decode_as(d, bytes, &ctx),
        None => AnyFrame::decode(bytes, &ctx),
    }
    .map_err(Error::from)
}

/// The bytes of a capture file: hex text is read as hex, anything else is taken as binary.
///
/// Text is hex when, line by line, what is left after these is hex digits and separators
/// (whitespace, `,`, `:`, `-`, `0x` prefixes): a UTF-8 byte-order mark, `#` comments, a
/// leading timestamp (`2026-12-02 08:00:01.123`, `2026-12-02T08:00:01+08:00`,
/// `[08:00:01.123]`), and a direction marker (`RX:`, `TX:`, `<-`, `->`, `<<`, `>>`,
/// `recv:`, `send:`). Text that is hex but malformed (an odd number of digits) is an
/// `invalid_hex` error rather than being read silently as binary.
///
/// ```
/// let log = "2026-12-02 08:00:01.123 RX: 68 0D 00 01\n08:00:02 TX: 00 03\n";
/// assert_eq!(pilekit::api::sniff_input(log.as_bytes())?, [0x68, 0x0D, 0, 1, 0, 3]);
/// assert_eq!(pilekit::api::sniff_input(&[0x68, 0xFF])?, [0x68, 0xFF]);
/// # Ok::<(), pilekit::api::Error>(())
/// ```
pub fn sniff_input(raw: &[u8]) -> Result<Vec<u8>, Error> {
    let (text, bom) = match raw.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, 3),
        None => (raw, 0),
    };
    let Ok(text) = core::str::from_utf8(text) else {
        return Ok(raw.to_vec());
    };
    // (offset in `raw`, hex part) of every line
    let mut parts: Vec<(usize, &str)> = Vec::new();
    let mut line_start = bom;
    for line in text.split_inclusive('\n') {
        let at = line_start;
        line_start += line.len();
        let content = line.split('#').next().unwrap_or("");
        let hex = &content[super::capture::log_prefix_len(content.as_bytes())..];
        let looks_hex = hex
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b" \t\r\n,:-xX".contains(&b));
        if !looks_hex {
            return Ok(raw.to_vec());
        }
        let start = at + (hex.as_ptr() as usize - line.as_ptr() as usize);
        parts.push((start, hex));
    }
    if !parts
        .iter()
        .any(|(_, p)| p.bytes().any(|b| b.is_ascii_hexdigit()))
    {
        return Ok(raw.to_vec());
    }
    let mut joined = String::new();
    let mut starts: Vec<(usize, usize)> = Vec::new(); // (offset in joined, offset in raw)
    for (at, part) in &parts {
        starts.push((joined.len(), *at));
        joined.push_str(part);
        joined.push('\n');
    }
    crate::hex::decode(&joined).map_err(|e| {
        let mut err = Error::from(e);
        if let Some(o) = err.offset {
            let (j, r) = starts
                .iter()
                .rev()
                .find(|(j, _)| *j <= o)
                .copied()
                .unwrap_or((0, 0));
            err.offset = Some(r + (o - j));
        }
        err
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    const HEARTBEAT: &str = "68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A";

    #[test]
    fn hex_text_and_log_lines_are_read_as_hex() {
        let expect = crate::hex::decode(HEARTBEAT).unwrap();
        let forms = [
            alloc::format!("{HEARTBEAT}\n"),
            alloc::format!("\u{FEFF}{HEARTBEAT}\r\n"),
            alloc::format!("# a capture\n{}\n", HEARTBEAT.replace(' ', "")),
            alloc::format!("RX: {HEARTBEAT}\n"),
            alloc::format!("2026-12-02 08:00:01.123 RX: {HEARTBEAT}\n"),
            alloc::format!("2026-12-02T08:00:01+08:00 <- {HEARTBEAT}\n"),
            alloc::format!("[08:00:01.123] -> {HEARTBEAT}\n"),
            alloc::format!("08:00:01 TX {HEARTBEAT}\n"),
            alloc::format!("0x{}\n", HEARTBEAT.replace(' ', ",0x")),
            alloc::format!("RX: {}\nRX: {}\n", &HEARTBEAT[..23], &HEARTBEAT[24..]),
        ];
        for text in forms {
            assert_eq!(sniff_input(text.as_bytes()).unwrap(), expect, "{text:?}");
        }
    }

    #[test]
    fn binary_stays_binary_and_broken_hex_is_an_error() {
        let binary = crate::hex::decode(HEARTBEAT).unwrap();
        assert_eq!(sniff_input(&binary).unwrap(), binary);
        assert_eq!(sniff_input(b"hello world").unwrap(), b"hello world");
        assert_eq!(sniff_input(b"").unwrap(), b"");
        let err = sniff_input(b"\xEF\xBB\xBFRX: 68 0D 0\n").unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidHex);
    }

    #[test]
    fn records_serialise_as_the_command_line_prints_them() {
        let mut bytes = vec![0xEE, 0xEE];
        bytes.extend(crate::hex::decode(HEARTBEAT).unwrap());
        let records = decode(&bytes, &DecodeRequest::default());
        assert_eq!(records.len(), 2);
        let skipped = serde_json::to_value(&records[0]).unwrap();
        assert_eq!(
            skipped,
            serde_json::json!({"skipped": {"offset": 0, "len": 2, "reason": null}})
        );
        let frame = serde_json::to_string(&records[1]).unwrap();
        assert!(
            frame.starts_with(r#"{"offset":2,"dialect":"ykc","direction":"up""#),
            "{frame}"
        );
        let bad = crate::hex::decode(&HEARTBEAT.replace("F1 1A", "F1 1B")).unwrap();
        let err = decode_frame(&bad, &DecodeRequest::default()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::ChecksumMismatch);
        assert_eq!(err.offset, Some(15));
        assert!(err.message.contains("`1BF1`"), "{}", err.message);
        let json = serde_json::to_value(Record::Error(err)).unwrap();
        assert_eq!(json["error"]["kind"], "checksum_mismatch");
        assert_eq!(json["error"]["offset"], 15);
    }

    #[test]
    fn requests_read_from_json_with_defaults() {
        let r: DecodeRequest =
            serde_json::from_str(r#"{"dialect": "dny", "strict": false}"#).unwrap();
        assert_eq!(r.dialect, DialectName::Dny);
        assert!(!r.strict && r.verify_checksum);
        assert!(serde_json::from_str::<DecodeRequest>(r#"{"dialekt": "dny"}"#).is_err());
        assert_eq!(
            "xyz".parse::<DialectName>().unwrap_err().kind,
            ErrorKind::UnknownDialect
        );
    }
}
