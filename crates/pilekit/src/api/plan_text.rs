//! Plans as people read them: the price table and the time-of-use day of `pilekit plan show`,
//! and the plan a pile's billing-model frame describes.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::decode::{DecodeRequest, decode_frame};
use super::error::{Error, ErrorKind};
use super::receipt::rate;
use crate::codec::AnyFrame;
use crate::codec::juy::JuyMessage;
use crate::codec::ykc::YkcMessage;
use crate::tariff::{Plan, Pricing, TouCalendar};
use crate::time::{TouClass, UtcOffset};

/// A JSON value that keeps its keys in the order they were written (the plan's own order).
enum Ordered {
    Scalar(serde_json::Value),
    Array(Vec<Ordered>),
    Object(Vec<(String, Ordered)>),
}

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(v.into()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(v.into()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(v.into()))
            }
            fn visit_str<E>(self, v: &str) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(v.into()))
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(serde_json::Value::Null))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Ordered, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = a.next_element()? {
                    items.push(item);
                }
                Ok(Ordered::Array(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Ordered, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = a.next_entry::<String, Ordered>()? {
                    entries.push((k, v));
                }
                Ok(Ordered::Object(entries))
            }
        }
        d.deserialize_any(V)
    }
}

/// The plan a pile's billing-model frame describes: a YKC billing model (0x0A reply or 0x58
/// setting), a JUY time-of-use table (0x8D/0x8E) or a JUY parameter table with power tiers
/// (0x89/0x8A). Other frames are `invalid_value`.
pub fn plan_of_frame(bytes: &[u8], request: &DecodeRequest) -> Result<Plan, Error> {
    let frame = decode_frame(bytes, request)?;
    let not_a_model = |what: String| Error::new(ErrorKind::InvalidValue, what);
    match &frame {
        AnyFrame::Ykc(f) => match &f.message {
            YkcMessage::ModelReply(m) | YkcMessage::ModelSet(m) => Ok(m.to_plan()?),
            other => Err(not_a_model(format!(
                "frame type {} ({}) is not a billing model (0x0A or 0x58)",
                other.frame_type(),
                other.name()
            ))),
        },
        AnyFrame::Juy(f) => match &f.message {
            JuyMessage::SetTouTariff(t) | JuyMessage::TouTariff(t) => Ok(t.to_plan()?),
            JuyMessage::Parameters(p) | JuyMessage::WriteParameters(p) => {
                Ok(Plan::new(Pricing::PowerTiers(p.to_tier_plan()?)))
            }
            other => Err(not_a_model(format!(
                "command 0x{:02X} ({}) carries no tariff",
                other.command(),
                other.name()
            ))),
        },
        AnyFrame::Dny(_) => Err(not_a_model(
            "DNY frames carry no tariff plan (DNY piles are priced by the platform)".into(),
        )),
    }
}

/// The plan as a person reads it (`pilekit plan show`): its name, family and local time; for
/// a time-of-use plan the price table, the day as a bar of half hours and its periods (with a
/// calendar: each day table as a bar, the seasons, holidays and make-up working days); then
/// every other setting as the plan file names it, with its unit.
///
/// ```
/// use pilekit::api::{load_plan, plan_text};
///
/// let plan = load_plan(r#"{"name": "Hourly", "family": "hourly", "yuan_per_hour": 1}"#)?;
/// let text = plan_text(&plan);
/// assert!(text.starts_with("Plan        Hourly\nFamily      hourly\n"));
/// assert!(text.contains("\nprice              1.0 yuan/h\n"));
/// # Ok::<(), pilekit::api::Error>(())
/// ```
pub fn plan_text(plan: &Plan) -> String {
    let mut out = String::new();
    let name = if plan.name.is_empty() {
        "(unnamed)"
    } else {
        &plan.name
    };
    let _ = writeln!(out, "Plan        {name}");
    let _ = writeln!(
        out,
        "Family      {}",
        plan.pricing.family().replace('_', " ")
    );
    let _ = writeln!(
        out,
        "Local time  UTC{}",
        zone(plan.utc_offset).replace('Z', "")
    );
    let value: Option<Ordered> = serde_json::to_string(plan)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    if let Pricing::TimeOfUse(tou) = &plan.pricing {
        let _ = writeln!(out);
        let rows: Vec<Vec<String>> = tou
            .rates
            .iter()
            .map(|r| {
                vec![
                    format!("{} {} {}", mark(r.class), r.class.chinese(), r.class.name()),
                    rate(r.energy),
                    rate(r.service),
                    rate(crate::units::EnergyPrice(
                        r.energy.0.saturating_add(r.service.0),
                    )),
                ]
            })
            .collect();
        let header = [
            "class",
            "energy yuan/kWh",
            "service yuan/kWh",
            "total yuan/kWh",
        ];
        out += &table(&header.map(String::from), &rows);
        let _ = writeln!(out);
        match &tou.calendar {
            None => {
                let _ = writeln!(
                    out,
                    "The day, one character per half hour (S sharp, P peak, F flat, v valley, d deep valley):"
                );
                day_bar(&mut out, &tou.slots);
                let _ = writeln!(out);
                let _ = writeln!(out, "Periods:");
                periods(&mut out, &tou.slots);
            }
            Some(cal) => calendar_text(&mut out, cal),
        }
    }
    // every other setting, as the plan file names it
    if let Some(Ordered::Object(map)) = &value {
        let skip = [
            "name",
            "family",
            "rates",
            "slots",
            "calendar",
            "utc_offset_s",
        ];
        let rest: Vec<_> = map
            .iter()
            .filter(|(k, _)| !skip.contains(&k.as_str()))
            .collect();
        if !rest.is_empty() {
            let _ = writeln!(out);
            for (k, v) in rest {
                match v {
                    Ordered::Array(items)
                        if items.iter().all(|i| matches!(i, Ordered::Object(_))) =>
                    {
                        let _ = writeln!(out, "{}:", label(k).0);
                        let keys: Vec<&String> = match items.first() {
                            Some(Ordered::Object(m)) => m.iter().map(|(k, _)| k).collect(),
                            _ => Vec::new(),
                        };
                        let header: Vec<String> = keys.iter().map(|k| header(k)).collect();
                        let rows: Vec<Vec<String>> = items
                            .iter()
                            .map(|i| keys.iter().map(|k| plain(field(i, k))).collect())
                            .collect();
                        out += &table(&header, &rows);
                    }
                    _ => {
                        let (name, unit) = label(k);
                        let _ = writeln!(out, "{}{}{unit}", pad(&name, 18), plain(v));
                    }
                }
            }
        }
    }
    out
}

/// Unit suffixes of the plan file's keys.
const UNITS: &[(&str, &str)] = &[
    ("yuan_per_kwh", "yuan/kWh"),
    ("yuan_per_hour", "yuan/h"),
    ("yuan_per_min", "yuan/min"),
    ("yuan", "yuan"),
    ("min", "min"),
    ("kwh", "kWh"),
    ("pct", "%"),
    ("w", "W"),
    ("s", "s"),
];

/// A key's name without its unit, and the unit (with a leading space).
fn label(key: &str) -> (String, String) {
    for (suffix, unit) in UNITS {
        if key == *suffix {
            return ("price".into(), format!(" {unit}"));
        }
        if let Some(name) = key.strip_suffix(&format!("_{suffix}")) {
            return (name.replace('_', " "), format!(" {unit}"));
        }
    }
    (key.replace('_', " "), String::new())
}

/// A column header: the key's name and unit.
fn header(key: &str) -> String {
    let (name, unit) = label(key);
    format!("{name}{unit}")
}

/// Rows under a header, columns aligned, numbers to the right.
fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let width = |s: &str| -> usize {
        s.chars()
            .map(|c| if u32::from(c) >= 0x2E80 { 2 } else { 1 })
            .sum()
    };
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut text = String::from(" ");
        for (cell, w) in cells.iter().zip(&widths) {
            let fill = " ".repeat(w.saturating_sub(width(cell)));
            let numeric = cell.starts_with(|c: char| c.is_ascii_digit());
            if !numeric {
                let _ = write!(text, " {cell}{fill}");
            } else {
                let _ = write!(text, " {fill}{cell}");
            }
        }
        let _ = writeln!(out, "{}", text.trim_end());
    };
    line(header);
    for row in rows {
        line(row);
    }
    out
}

/// A price per kWh with at least two decimals.
/// `hh:mm` of a half-hour slot boundary.
/// A day table as a bar of 48 half hours under an hour ruler.
fn day_bar(out: &mut String, slots: &[TouClass]) {
    let _ = writeln!(
        out,
        "  {}",
        (0..24)
            .step_by(3)
            .map(|h| format!("{h:<6}"))
            .collect::<String>()
    );
    let bar: String = slots.iter().map(|&c| mark(c)).collect();
    let _ = writeln!(out, "  {bar}");
    let _ = writeln!(out, "  {}", "|     ".repeat(8));
}

/// The periods of a day table, one line per run of one class.
fn periods(out: &mut String, slots: &[TouClass]) {
    let mut start = 0;
    while start < slots.len() {
        let class = slots[start];
        let end = slots[start..]
            .iter()
            .position(|&c| c != class)
            .map_or(slots.len(), |n| start + n);
        let _ = writeln!(
            out,
            "  {}–{}  {} {}",
            clock(start),
            clock(end),
            class.name(),
            class.chinese()
        );
        start = end;
    }
}

/// A time-of-use calendar: each day table as a bar, the seasons and the dates they name.
fn calendar_text(out: &mut String, cal: &TouCalendar) {
    let _ = writeln!(
        out,
        "Day tables, one character per half hour (S sharp, P peak, F flat, v valley, d deep valley):"
    );
    let width = cal
        .days
        .keys()
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(0);
    let _ = writeln!(
        out,
        "  {}{}",
        pad("", width + 2),
        (0..24)
            .step_by(3)
            .map(|h| format!("{h:<6}"))
            .collect::<String>()
    );
    for (name, slots) in &cal.days {
        let bar: String = slots.iter().map(|&c| mark(c)).collect();
        let _ = writeln!(out, "  {}  {bar}", pad(name, width));
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Seasons (each day's table: weekday / weekend / holiday):"
    );
    let rows: Vec<Vec<String>> = cal
        .seasons
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                format!("{} to {}", s.from, s.to),
                s.weekday.clone(),
                s.weekend.clone(),
                s.holiday.clone().unwrap_or_else(|| s.weekend.clone()),
            ]
        })
        .collect();
    let header = ["season", "dates", "weekday", "weekend", "holiday"];
    *out += &table(&header.map(String::from), &rows);
    if !cal.holidays.is_empty() {
        let _ = writeln!(out, "Holidays    {}", cal.holidays.join(", "));
    }
    if !cal.workdays.is_empty() {
        let _ = writeln!(
            out,
            "Workdays    {} (make-up working days, on the weekday table)",
            cal.workdays.join(", ")
        );
    }
}

fn clock(slot: usize) -> String {
    format!("{:02}:{:02}", slot / 2, slot % 2 * 30)
}

/// Pads to `w` terminal columns (CJK characters take two).
fn pad(s: &str, w: usize) -> String {
    let width: usize = s
        .chars()
        .map(|c| if u32::from(c) >= 0x2E80 { 2 } else { 1 })
        .sum();
    format!("{s}{} ", " ".repeat(w.saturating_sub(width)))
}

/// A JSON value on one line, as a person reads it.
fn plain(v: &Ordered) -> String {
    match v {
        Ordered::Scalar(serde_json::Value::String(s)) => s.replace('_', " "),
        Ordered::Scalar(other) => other.to_string(),
        Ordered::Array(a) => a.iter().map(plain).collect::<Vec<_>>().join("; "),
        Ordered::Object(m) => m
            .iter()
            .map(|(k, v)| format!("{} {}", k.replace('_', " "), plain(v)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The value of `key` in an object (null when absent).
fn field<'a>(v: &'a Ordered, key: &str) -> &'a Ordered {
    const NULL: Ordered = Ordered::Scalar(serde_json::Value::Null);
    match v {
        Ordered::Object(m) => m.iter().find(|(k, _)| k == key).map_or(&NULL, |(_, v)| v),
        _ => &NULL,
    }
}

/// `+08:00`, `Z`.
fn zone(offset: UtcOffset) -> String {
    if offset.0 == 0 {
        return "Z".into();
    }
    let sign = if offset.0 < 0 { '-' } else { '+' };
    let o = offset.0.unsigned_abs();
    format!("{sign}{:02}:{:02}", o / 3600, o % 3600 / 60)
}

/// One character per time-of-use class in the day bar.
fn mark(c: TouClass) -> char {
    match c {
        TouClass::Sharp => 'S',
        TouClass::Peak => 'P',
        TouClass::Flat => 'F',
        TouClass::Valley => 'v',
        TouClass::DeepValley => 'd',
    }
}
