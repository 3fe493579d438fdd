//! `pilekit plan`: check and show plan files, and the tariff plan a pile's billing-model frame
//! describes. Also how every command loads a plan, and the checks of bill and quote input.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use pilekit::UtcOffset;
use pilekit::codec::juy::{JuyFrame, JuyMessage};
use pilekit::codec::ykc::{YkcFrame, YkcMessage};
use pilekit::codec::{DecodeContext, Policy};
use pilekit::tariff::{Plan, Pricing, TouClass};

use crate::io::{self, Out};

/// The largest plan file read: real plans are a few KiB; a larger file is refused before it is
/// parsed, so a huge file costs no memory.
pub const MAX_PLAN_BYTES: u64 = 1 << 20;

/// The largest samples file read.
pub const MAX_SAMPLES_BYTES: u64 = 64 << 20;

/// The largest UTC offset a time may carry, in seconds (±18 hours).
const MAX_OFFSET_S: i32 = 18 * 3600;

/// Arguments of `pilekit plan`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
#[command(group(clap::ArgGroup::new("source").required(true)))]
pub struct PlanArgs {
    #[command(subcommand)]
    command: Option<PlanCommand>,
    /// A YKC billing-model frame (0x0A reply or 0x58 setting), as hex: prints its plan as JSON
    /// (the same as `plan from-ykc`).
    #[arg(long, value_name = "HEX", group = "source")]
    from_ykc: Option<String>,
    /// A JUY time-of-use table (0x8D/0x8E) or parameter table (0x89/0x8A) frame, as hex: prints
    /// its plan as JSON (the same as `plan from-juy`).
    #[arg(long, value_name = "HEX", group = "source")]
    from_juy: Option<String>,
    /// Decode what real piles send (e.g. a wrong length byte), listing deviations on stderr.
    #[arg(long)]
    lenient: bool,
    /// Print the plan on one line (JSON Lines) rather than indented.
    #[arg(long)]
    json: bool,
}

/// The subcommands of `pilekit plan`.
#[derive(Subcommand)]
enum PlanCommand {
    /// Check a plan file (`-` for standard input): unknown keys, values, consistency.
    Check {
        /// The plan, a JSON file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Print the result as a JSON record.
        #[arg(long)]
        json: bool,
    },
    /// Show a plan file (`-` for standard input) as a person reads it: the price table, and
    /// for a time-of-use plan the day as a 24-hour bar.
    Show {
        /// The plan, a JSON file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Print the plan in canonical JSON instead.
        #[arg(long)]
        json: bool,
    },
    /// Print the plan of a YKC billing-model frame (0x0A reply or 0x58 setting) as JSON.
    FromYkc(FrameArgs),
    /// Print the plan of a JUY time-of-use table (0x8D/0x8E) or parameter table (0x89/0x8A)
    /// frame as JSON.
    FromJuy(FrameArgs),
}

/// A billing-model frame to read a plan from.
#[derive(Args)]
struct FrameArgs {
    /// The frame, as hex.
    #[arg(value_name = "HEX")]
    hex: String,
    /// Decode what real piles send (e.g. a wrong length byte), listing deviations on stderr.
    #[arg(long)]
    lenient: bool,
    /// Print the plan on one line (JSON Lines) rather than indented.
    #[arg(long)]
    json: bool,
}

/// A billing-model frame given as hex, by dialect.
enum Frame<'a> {
    Ykc(&'a str),
    Juy(&'a str),
}

impl PlanArgs {
    /// Whether the output is JSON Lines.
    pub fn json(&self) -> bool {
        match &self.command {
            Some(PlanCommand::Check { json, .. } | PlanCommand::Show { json, .. }) => *json,
            Some(PlanCommand::FromYkc(a) | PlanCommand::FromJuy(a)) => a.json,
            None => self.json,
        }
    }
}

/// Runs `pilekit plan`.
pub fn run(args: &PlanArgs, out: &mut Out) -> Result<(), String> {
    let (ykc, lenient, json) = match &args.command {
        Some(PlanCommand::Check { file, json }) => {
            let plan = load(file)?;
            return if *json || io::pretty() {
                let record =
                    serde_json::json!({"ok": {"plan": plan.name, "family": family(&plan.pricing)}});
                out.line(&io::json(&record)?)
            } else {
                out.line(&format!(
                    "{}: a valid {} plan{}",
                    io::name(file),
                    family(&plan.pricing).replace('_', " "),
                    if plan.name.is_empty() {
                        String::new()
                    } else {
                        format!(", “{}”", plan.name)
                    }
                ))
            };
        }
        Some(PlanCommand::Show { file, json }) => {
            let plan = load(file)?;
            return if *json || io::pretty() {
                out.line(&io::json(&plan)?)
            } else {
                out.str(&show(&plan)?)
            };
        }
        Some(PlanCommand::FromYkc(a)) => (Frame::Ykc(&a.hex), a.lenient, a.json),
        Some(PlanCommand::FromJuy(a)) => (Frame::Juy(&a.hex), a.lenient, a.json),
        None => match (&args.from_ykc, &args.from_juy) {
            (Some(hex), _) => (Frame::Ykc(hex), args.lenient, args.json),
            (_, Some(hex)) => (Frame::Juy(hex), args.lenient, args.json),
            _ => return Err("give --from-ykc, --from-juy or a subcommand".into()),
        },
    };
    let opts = DecodeContext::default().with_policy(if lenient {
        Policy::Lenient
    } else {
        Policy::Strict
    });
    let plan = match ykc {
        Frame::Ykc(hex) => ykc_plan(hex, &opts, out)?,
        Frame::Juy(hex) => juy_plan(hex, &opts, out)?,
    };
    let text = if json || io::pretty() {
        io::json(&plan)?
    } else {
        // a plan file to save and edit
        serde_json::to_string_pretty(&plan).map_err(|e| e.to_string())?
    };
    out.line(&text)
}

/// Loads a plan file, or standard input for `-`: at most [`MAX_PLAN_BYTES`], every key known
/// (checked before the plan is deserialised), every value valid.
pub fn load(path: &Path) -> Result<Plan, String> {
    let text = io::read_text(path, "plan", MAX_PLAN_BYTES)?;
    pilekit::api::load_plan(&text)
        .map_err(|e| format!("plan {} is not valid: {}", io::name(path), e.message))
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

/// Checks the times of `pilekit bill` before they are parsed: offsets within ±18 hours.
pub fn check_bill(args: &crate::tariff::BillArgs) -> Result<(), String> {
    let times = [
        Some(&args.start),
        Some(&args.end),
        args.card_expires.as_ref(),
    ];
    for text in times.into_iter().flatten() {
        check_offset(text)?;
    }
    Ok(())
}

/// Checks the input of `pilekit quote`.
pub fn check_quote(_args: &crate::tariff::QuoteArgs) -> Result<(), String> {
    Ok(())
}

/// A `±hh:mm` suffix of a time must be a real offset: minutes below 60, at most 18 hours.
fn check_offset(text: &str) -> Result<(), String> {
    let t = text.trim().as_bytes();
    if t.len() <= 6 || !matches!(t[t.len() - 6], b'+' | b'-') || t[t.len() - 3] != b':' {
        return Ok(());
    }
    let z = &t[t.len() - 5..];
    let number = |d: &[u8]| -> Option<i32> {
        d.iter().try_fold(0i32, |n, b| {
            b.is_ascii_digit().then(|| n * 10 + i32::from(b - b'0'))
        })
    };
    match (number(&z[0..2]), number(&z[3..5])) {
        (Some(h), Some(m)) if m < 60 && h * 3600 + m * 60 <= MAX_OFFSET_S => Ok(()),
        (Some(_), Some(_)) => Err(format!(
            "`{}`: the UTC offset `{}` is not within ±18:00",
            text.trim(),
            String::from_utf8_lossy(&t[t.len() - 6..])
        )),
        _ => Ok(()),
    }
}

/// The family as the plan file spells it.
fn family(p: &Pricing) -> &'static str {
    p.family()
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

/// The plan as a person reads it.
fn show(plan: &Plan) -> Result<String, String> {
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
        family(&plan.pricing).replace('_', " ")
    );
    let _ = writeln!(
        out,
        "Local time  UTC{}",
        zone(plan.utc_offset).replace('Z', "")
    );
    let value = serde_json::to_value(plan).map_err(|e| e.to_string())?;
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
                    rate(pilekit::EnergyPrice(r.energy.0.saturating_add(r.service.0))),
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
        let _ = writeln!(
            out,
            "The day, one character per half hour (S sharp, P peak, F flat, v valley, d deep valley):"
        );
        let _ = writeln!(
            out,
            "  {}",
            (0..24)
                .step_by(3)
                .map(|h| format!("{h:<6}"))
                .collect::<String>()
        );
        let bar: String = tou.slots.iter().map(|&c| mark(c)).collect();
        let _ = writeln!(out, "  {bar}");
        let _ = writeln!(out, "  {}", "|     ".repeat(8));
        let _ = writeln!(out);
        let _ = writeln!(out, "Periods:");
        let mut start = 0;
        while start < tou.slots.len() {
            let class = tou.slots[start];
            let end = tou.slots[start..]
                .iter()
                .position(|&c| c != class)
                .map_or(tou.slots.len(), |n| start + n);
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
    // every other setting, as the plan file names it
    if let serde_json::Value::Object(map) = &value {
        let skip = ["name", "family", "rates", "slots", "utc_offset_s"];
        let rest: Vec<_> = map
            .iter()
            .filter(|(k, _)| !skip.contains(&k.as_str()))
            .collect();
        if !rest.is_empty() {
            let _ = writeln!(out);
            for (k, v) in rest {
                match v {
                    serde_json::Value::Array(items) if items.iter().all(|i| i.is_object()) => {
                        let _ = writeln!(out, "{}:", label(k).0);
                        let keys: Vec<&String> = items
                            .first()
                            .and_then(|i| i.as_object())
                            .map(|m| m.keys().collect())
                            .unwrap_or_default();
                        let header: Vec<String> = keys.iter().map(|k| header(k)).collect();
                        let rows: Vec<Vec<String>> = items
                            .iter()
                            .map(|i| keys.iter().map(|k| plain(&i[k.as_str()])).collect())
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
    Ok(out)
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
fn rate(p: pilekit::EnergyPrice) -> String {
    let abs = p.0.unsigned_abs();
    let (int, mut frac, mut digits) = (abs / 100_000, abs % 100_000, 5);
    while digits > 2 && frac.is_multiple_of(10) {
        frac /= 10;
        digits -= 1;
    }
    let sign = if p.0 < 0 { "-" } else { "" };
    format!("{sign}{int}.{frac:0digits$}")
}

/// `hh:mm` of a half-hour slot boundary.
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
fn plain(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.replace('_', " "),
        serde_json::Value::Array(a) => a.iter().map(plain).collect::<Vec<_>>().join("; "),
        serde_json::Value::Object(m) => m
            .iter()
            .map(|(k, v)| format!("{} {}", k.replace('_', " "), plain(v)))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

fn ykc_plan(hex: &str, opts: &DecodeContext, out: &mut Out) -> Result<Plan, String> {
    let bytes = pilekit::hex::decode(hex).map_err(|e| e.to_string())?;
    let frame = YkcFrame::decode(&bytes, opts).map_err(|e| format!("error {e}"))?;
    for d in frame.deviations.iter() {
        out.warn(&format!("deviation: {d}"))?;
    }
    match &frame.message {
        YkcMessage::ModelReply(m) | YkcMessage::ModelSet(m) => {
            m.to_plan().map_err(|e| e.to_string())
        }
        other => Err(format!(
            "frame type {} ({}) is not a billing model (0x0A or 0x58)",
            other.frame_type(),
            other.name()
        )),
    }
}

fn juy_plan(hex: &str, opts: &DecodeContext, out: &mut Out) -> Result<Plan, String> {
    let bytes = pilekit::hex::decode(hex).map_err(|e| e.to_string())?;
    let frame = JuyFrame::decode(&bytes, opts).map_err(|e| format!("error {e}"))?;
    for d in frame.deviations.iter() {
        out.warn(&format!("deviation: {d}"))?;
    }
    match &frame.message {
        JuyMessage::SetTouTariff(t) | JuyMessage::TouTariff(t) => {
            t.to_plan().map_err(|e| e.to_string())
        }
        JuyMessage::Parameters(p) | JuyMessage::WriteParameters(p) => p
            .to_tier_plan()
            .map(|t| Plan::new(pilekit::tariff::Pricing::PowerTiers(t)))
            .map_err(|e| e.to_string()),
        other => Err(format!(
            "command 0x{:02X} ({}) carries no tariff",
            other.command(),
            other.name()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_beyond_eighteen_hours_are_refused() {
        assert!(check_offset("2024-05-01T22:00+08:00").is_ok());
        assert!(check_offset("2024-05-01T22:00-18:00").is_ok());
        assert!(check_offset("2024-05-01T22:00").is_ok());
        assert!(check_offset("2024-05-01T22:00+99:99").is_err());
        assert!(check_offset("2024-05-01T22:00+18:01").is_err());
        assert!(check_offset("2024-05-01T22:00+08:60").is_err());
    }
}
