//! `pilekit plan`: check and show plan files, and the tariff plan a pile's billing-model frame
//! describes. Also how every command loads a plan, and the checks of bill and quote input.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use pilekit::tariff::Plan;

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
                    serde_json::json!({"ok": {"plan": plan.name, "family": plan.pricing.family()}});
                out.line(&io::json(&record)?)
            } else {
                out.line(&format!(
                    "{}: a valid {} plan{}",
                    io::name(file),
                    plan.pricing.family().replace('_', " "),
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
                out.str(&pilekit::api::plan_text(&plan))
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
    let (dialect, hex) = match ykc {
        Frame::Ykc(hex) => (pilekit::api::DialectName::Ykc, hex),
        Frame::Juy(hex) => (pilekit::api::DialectName::Juy, hex),
    };
    let bytes = pilekit::hex::decode(hex).map_err(|e| e.to_string())?;
    let request = pilekit::api::DecodeRequest {
        dialect,
        strict: !lenient,
        ..pilekit::api::DecodeRequest::default()
    };
    if lenient {
        let frame =
            pilekit::api::decode_frame(&bytes, &request).map_err(|e| format!("error {e}"))?;
        for d in frame.deviations().iter() {
            out.warn(&format!("deviation: {d}"))?;
        }
    }
    let plan = pilekit::api::plan_of_frame(&bytes, &request).map_err(|e| match e.kind {
        pilekit::api::ErrorKind::InvalidValue => e.message,
        _ => format!("error {e}"),
    })?;
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
