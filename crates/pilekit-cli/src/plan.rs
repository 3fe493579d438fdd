//! `pilekit plan`: the tariff plan a pile's billing-model frame describes.

use clap::Args;
use pilekit::codec::juy::{JuyFrame, JuyMessage};
use pilekit::codec::ykc::{YkcFrame, YkcMessage};
use pilekit::codec::{DecodeContext, Policy};
use pilekit::tariff::Plan;

#[derive(Args)]
#[command(group(clap::ArgGroup::new("source").required(true)))]
pub struct PlanArgs {
    /// A YKC billing-model frame (0x0A reply or 0x58 setting), as hex.
    #[arg(long, value_name = "HEX", group = "source")]
    from_ykc: Option<String>,
    /// A JUY time-of-use table (0x8D/0x8E) or parameter table (0x89/0x8A) frame, as hex.
    #[arg(long, value_name = "HEX", group = "source")]
    from_juy: Option<String>,
    /// Decode what real piles send (e.g. a wrong length byte), listing deviations on stderr.
    #[arg(long)]
    lenient: bool,
}

pub fn run(args: &PlanArgs) -> Result<(), String> {
    let opts = DecodeContext::default().with_policy(if args.lenient {
        Policy::Lenient
    } else {
        Policy::Strict
    });
    let plan = match (&args.from_ykc, &args.from_juy) {
        (Some(hex), _) => ykc_plan(hex, &opts)?,
        (_, Some(hex)) => juy_plan(hex, &opts)?,
        _ => return Err("give --from-ykc or --from-juy".into()),
    };
    let json = serde_json::to_string_pretty(&plan).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(())
}

fn ykc_plan(hex: &str, opts: &DecodeContext) -> Result<Plan, String> {
    let bytes = pilekit::hex::decode(hex).map_err(|e| e.to_string())?;
    let frame = YkcFrame::decode(&bytes, opts).map_err(|e| format!("error {e}"))?;
    for d in frame.deviations.iter() {
        eprintln!("deviation: {d}");
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

fn juy_plan(hex: &str, opts: &DecodeContext) -> Result<Plan, String> {
    let bytes = pilekit::hex::decode(hex).map_err(|e| e.to_string())?;
    let frame = JuyFrame::decode(&bytes, opts).map_err(|e| format!("error {e}"))?;
    for d in frame.deviations.iter() {
        eprintln!("deviation: {d}");
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
