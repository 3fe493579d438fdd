//! Which bytes of a frame each canonical field was read from, for tools that point at bytes.

use alloc::collections::BTreeMap;
use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Serialize;

use super::decode::{DecodeRequest, DialectName, decode_frame};
use super::error::{Error, ErrorKind};
use super::node::Node;
use crate::codec::{AnyFrame, Dialect};

/// The bytes one field of a frame occupies: `start..end`, offsets within the frame's bytes.
/// Serde form: `{"field": "pile_code", "start": 6, "end": 13}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldSpan {
    /// The field's path in the frame's canonical form: keys joined with `.`, list items as
    /// `[index]` (`pile_code`, `ports[1].state`).
    pub field: String,
    /// The offset of the field's first byte.
    pub start: usize,
    /// The offset just past its last byte.
    pub end: usize,
}

/// Keys that describe the decode rather than the bytes' values.
const NOT_FIELDS: &[&str] = &["checksum", "deviations", "direction_source"];

/// Byte changes tried at each offset; one that decodes shows which fields the byte feeds.
const FLIPS: &[u8] = &[0x01, 0x10, 0x80, 0xFF];

/// The byte span of every field of the one frame in `bytes`, in order of its first byte.
///
/// Each byte of the frame is changed in turn (a few bit patterns) and the frame decoded again,
/// leniently and without checking the checksum; the fields whose canonical values change are
/// the ones the byte belongs to. Bytes that feed no value (start marker, length, checksum,
/// reserved bytes) belong to no span. The frame must decode under `request` first; its error
/// is returned otherwise.
///
/// ```
/// use pilekit::api::{DecodeRequest, field_spans};
///
/// let bytes = pilekit::hex::decode("68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A")?;
/// let spans = field_spans(&bytes, &DecodeRequest::default())?;
/// let pile = spans.iter().find(|s| s.field == "pile_code").unwrap();
/// assert_eq!((pile.start, pile.end), (6, 13));
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
pub fn field_spans(bytes: &[u8], request: &DecodeRequest) -> Result<Vec<FieldSpan>, Error> {
    let frame = decode_frame(bytes, request)?;
    let probe = DecodeRequest {
        dialect: match frame.dialect() {
            Dialect::Ykc => DialectName::Ykc,
            Dialect::Dny => DialectName::Dny,
            Dialect::Juy => DialectName::Juy,
        },
        strict: false,
        verify_checksum: false,
        direction: Some(frame.direction()),
        juy: request.juy,
    };
    let base = leaves(&decode_frame(bytes, &probe)?)?;
    let mut owned: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let mut changed = bytes.to_vec();
    for at in 0..bytes.len() {
        for flip in FLIPS {
            changed[at] = bytes[at] ^ flip;
            let Ok(other) = decode_frame(&changed, &probe) else {
                continue;
            };
            if other.name() != frame.name() {
                continue;
            }
            let other = leaves(&other)?;
            for (path, value) in &base {
                if other.get(path) != Some(value) {
                    owned.entry(path.clone()).or_default().insert(at);
                }
            }
        }
        changed[at] = bytes[at];
    }
    let mut spans: Vec<FieldSpan> = owned
        .into_iter()
        .filter_map(|(field, at)| {
            Some(FieldSpan {
                start: *at.first()?,
                end: *at.last()? + 1,
                field,
            })
        })
        .collect();
    spans.sort_by_key(|s| (s.start, s.end));
    Ok(spans)
}

/// The frame's canonical values by path (through the same serializer the records use).
fn leaves(frame: &AnyFrame) -> Result<BTreeMap<String, Node>, Error> {
    let node = Node::of(frame).map_err(|e| Error::new(ErrorKind::InvalidValue, e.to_string()))?;
    let mut out = BTreeMap::new();
    flatten(String::new(), node, &mut out);
    Ok(out)
}

fn flatten(path: String, value: Node, out: &mut BTreeMap<String, Node>) {
    match value {
        Node::Map(map) => {
            for (k, v) in map {
                if path.is_empty() && NOT_FIELDS.contains(&k.as_str()) {
                    continue;
                }
                let p = if path.is_empty() {
                    k
                } else {
                    format!("{path}.{k}")
                };
                flatten(p, v, out);
            }
        }
        Node::Seq(items) if !items.is_empty() => {
            for (i, v) in items.into_iter().enumerate() {
                flatten(format!("{path}[{i}]"), v, out);
            }
        }
        other => {
            out.insert(path, other);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(hex: &str) -> Vec<(String, usize, usize)> {
        let bytes = crate::hex::decode(hex).unwrap();
        field_spans(&bytes, &DecodeRequest::default())
            .unwrap()
            .into_iter()
            .map(|s| (s.field, s.start, s.end))
            .collect()
    }

    #[test]
    fn a_ykc_heartbeat_has_its_header_and_three_fields() {
        let got = spans("68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A");
        let want = [
            ("seq", 2, 4),
            ("pile_code", 6, 13),
            ("gun", 13, 14),
            ("gun_condition.code", 14, 15),
            ("gun_condition.name", 14, 15),
        ];
        for (field, start, end) in want {
            assert!(
                got.contains(&(field.into(), start, end)),
                "{field} {start}..{end} not in {got:?}"
            );
        }
        // Start marker, length and CRC feed no value.
        assert!(got.iter().all(|(_, s, e)| *s >= 2 && *e <= 15), "{got:?}");
    }

    #[test]
    fn a_frame_that_does_not_decode_is_its_error() {
        let bytes =
            crate::hex::decode("68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1B").unwrap();
        let e = field_spans(&bytes, &DecodeRequest::default()).unwrap_err();
        assert_eq!(e.kind, super::super::ErrorKind::ChecksumMismatch);
    }

    #[test]
    fn every_golden_vector_has_spans_inside_its_frame() {
        let files = [
            include_str!("../../tests/data/vectors/ykc.tsv"),
            include_str!("../../tests/data/vectors/dny.tsv"),
            include_str!("../../tests/data/vectors/juy.tsv"),
        ];
        for line in files.iter().flat_map(|f| f.lines().skip(1)) {
            let hex = line.split('\t').nth(1).unwrap();
            let bytes = crate::hex::decode(hex).unwrap();
            let got = field_spans(&bytes, &DecodeRequest::default()).unwrap();
            assert!(got.len() >= 2, "{hex}: {got:?}");
            assert!(got.iter().all(|s| s.start < s.end && s.end <= bytes.len()));
        }
    }
}
