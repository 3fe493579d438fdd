//! The readable listing of a frame: one line per field, with units.

use serde_json::Value;

/// Header keys shown on the title line rather than as fields.
const HEADER: &[&str] = &[
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

/// Renders a frame's canonical JSON as a readable block.
pub fn render(offset: usize, v: &Value) -> String {
    let get = |k: &str| v.get(k).map(plain).unwrap_or_default();
    let mut out = format!(
        "@{offset} {} 0x{:02X} {} ({}",
        get("dialect"),
        v.get("frame_type").and_then(Value::as_u64).unwrap_or(0),
        get("name"),
        get("direction"),
    );
    match v.get("direction_source").and_then(Value::as_str) {
        Some("given") | None => out.push(')'),
        Some(source) => out += &format!(", by {source})"),
    }
    if let Some(seq) = v.get("seq") {
        out += &format!(" seq {}", plain(seq));
    }
    if let Some(order) = v.pointer("/checksum/order") {
        out += &format!(" crc {}", plain(order));
    }
    out.push('\n');
    if let Some(Value::Array(devs)) = v.get("deviations") {
        for d in devs {
            out += &format!("  ! deviation: {}\n", plain(d));
        }
    }
    if let Value::Object(map) = v {
        for (k, val) in map {
            let absent = val.is_null() || val.as_str().is_some_and(str::is_empty);
            if HEADER.contains(&k.as_str()) || absent {
                continue;
            }
            out += &format!(
                "  {:<28} {}\n",
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
fn with_unit(key: &str, v: &Value) -> String {
    match UNITS.iter().find(|(suffix, _)| key.ends_with(suffix)) {
        Some((_, unit)) if v.is_number() => format!("{} {unit}", plain(v)),
        _ => plain(v),
    }
}

/// A JSON value as a person would read it.
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(m) if m.contains_key("name") && m.contains_key("code") => {
            format!("{} ({})", plain(&m["name"]), m["code"])
        }
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| format!("{} {}", label(k).replace('_', " "), with_unit(k, v)))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Array(a) if a.is_empty() => "none".into(),
        Value::Array(a) => a.iter().map(plain).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}
