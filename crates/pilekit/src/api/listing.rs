//! The readable listing of a frame: a title line, then one line per field with its unit.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::node::Node;
use crate::codec::AnyFrame;

/// Header keys shown on the title line rather than as fields.
const HEADER: &[&str] = &[
    "offset",
    "dialect",
    "direction",
    "direction_source",
    "frame_type",
    "name",
    "seq",
    "checksum",
    "deviations",
    "encryption",
];

/// Unit suffixes of canonical keys, longest first.
const UNITS: &[(&str, &str)] = &[
    ("_yuan_per_kwh", "yuan/kWh"),
    ("_yuan_per_hour", "yuan/h"),
    ("_yuan", "yuan"),
    ("_kwh", "kWh"),
    ("_pct", "%"),
    ("_min", "min"),
    ("_v", "V"),
    ("_a", "A"),
    ("_w", "W"),
    ("_c", "°C"),
    ("_s", "s"),
];

/// The readable listing of a frame, as `pilekit decode` prints it after the frame's `@offset`:
/// a title line (dialect, frame type in hex, name, direction and how it was told, sequence,
/// checksum byte order), the deviations a lenient decode tolerated (checksums in hex), then one line per field
/// with the unit its key names.
///
/// ```
/// use pilekit::api::{DecodeRequest, decode_frame, listing};
///
/// let bytes = pilekit::hex::decode("68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A")?;
/// let text = listing(&decode_frame(&bytes, &DecodeRequest::default())?);
/// assert!(text.starts_with("ykc 0x03 heartbeat (up) seq 0001 crc low_byte_first\n"));
/// assert!(text.contains("  gun condition                normal (0)\n"));
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
pub fn listing(frame: &AnyFrame) -> String {
    let v = Node::of(frame).unwrap_or(Node::Null);
    let get = |k: &str| v.get(k).map(plain).unwrap_or_default();
    let mut out = format!(
        "{} 0x{:02X} {} ({}",
        get("dialect"),
        v.get("frame_type").and_then(Node::as_u64).unwrap_or(0),
        get("name"),
        get("direction"),
    );
    match v.get("direction_source").and_then(Node::as_str) {
        Some("given") | None => out.push(')'),
        Some(source) => {
            let _ = write!(out, ", by {source})");
        }
    }
    if let Some(seq) = v.get("seq") {
        let _ = write!(out, " seq {}", plain(seq));
    }
    if let Some(order) = v.get("checksum").and_then(|c| c.get("order")) {
        let _ = write!(out, " crc {}", plain(order));
    }
    out.push('\n');
    let deviations = match frame {
        AnyFrame::Ykc(f) => &f.deviations,
        AnyFrame::Dny(f) => &f.deviations,
        AnyFrame::Juy(f) => &f.deviations,
    };
    for d in deviations.iter() {
        let _ = writeln!(out, "  ! deviation: {d}");
    }
    if let Node::Map(entries) = &v {
        for (k, val) in entries {
            let absent = matches!(val, Node::Null) || val.as_str().is_some_and(str::is_empty);
            if HEADER.contains(&k.as_str()) || absent {
                continue;
            }
            let _ = writeln!(
                out,
                "  {:<28} {}",
                label(k).replace('_', " "),
                with_unit(k, val)
            );
        }
    }
    out
}

/// The key without its unit suffix.
fn label(key: &str) -> &str {
    UNITS
        .iter()
        .find_map(|(suffix, _)| key.strip_suffix(suffix))
        .unwrap_or(key)
}

/// The value, followed by the unit its key names.
fn with_unit(key: &str, v: &Node) -> String {
    match UNITS.iter().find(|(suffix, _)| key.ends_with(suffix)) {
        Some((_, unit)) if v.is_number() => format!("{} {unit}", plain(v)),
        _ => plain(v),
    }
}

/// A value as a person reads it.
fn plain(v: &Node) -> String {
    match v {
        Node::Str(s) => s.clone(),
        Node::Map(_) if v.get("name").is_some() && v.get("code").is_some() => {
            let code = v.get("code").map(Node::to_string).unwrap_or_default();
            format!("{} ({code})", v.get("name").map(plain).unwrap_or_default())
        }
        Node::Map(entries) => entries
            .iter()
            .map(|(k, v)| format!("{} {}", label(k).replace('_', " "), with_unit(k, v)))
            .collect::<Vec<_>>()
            .join(", "),
        Node::Seq(a) if a.is_empty() => "none".into(),
        Node::Seq(a) => a.iter().map(plain).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}
