//! `pilekit quote` and `pilekit bill`: price sessions under a plan file from the command line.
//!
//! Times are ISO local times (`2024-05-01T22:00[:00]`) in the plan's offset (UTC+8 unless the
//! plan says otherwise), optionally with an explicit `Z` or `±hh:mm` suffix, or Unix seconds.
//!
//! A samples file (`--samples FILE`) is either
//! - text: one sample per line, `time,power_w[,energy_kwh]`, where `time` is as above and
//!   `energy_kwh` is the energy delivered since the session started; blank lines, `#` comments
//!   and a first line of column names (no digit in its first field) are skipped; any order, duplicates allowed; or
//! - JSON: an array of `{"at_unix_s": …, "power_w": …, "energy_kwh": …}` objects.

use std::path::{Path, PathBuf};

use clap::Args;
use pilekit::api::{BillRequest, QuoteRequest};
use pilekit::tariff::Plan;
use pilekit::{Energy, Money, Power};

/// Arguments of `pilekit quote`.
#[derive(Debug, Args)]
pub struct QuoteArgs {
    /// The plan, a JSON file (see examples/plans/), or `-` for standard input.
    #[arg(long, value_name = "FILE")]
    pub plan: PathBuf,
    /// The prepayment, in yuan.
    #[arg(long, value_name = "YUAN")]
    pub prepaid: Money,
    /// The expected charging power in watts (needed by power-tier plans).
    #[arg(long = "power-w", value_name = "W")]
    pub power: Option<Power>,
    /// Print the quote in canonical JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `pilekit bill`.
#[derive(Debug, Args)]
pub struct BillArgs {
    /// The plan, a JSON file (see examples/plans/), or `-` for standard input.
    #[arg(long, value_name = "FILE")]
    pub plan: PathBuf,
    /// Start of the session: ISO local time in the plan's offset, or Unix seconds.
    #[arg(long, value_name = "ISO")]
    pub start: String,
    /// End of the session: ISO local time in the plan's offset, or Unix seconds.
    #[arg(long, value_name = "ISO")]
    pub end: String,
    /// A constant charging power in watts, when there are no samples.
    #[arg(long = "power-w", value_name = "W")]
    pub power: Option<Power>,
    /// The energy delivered, in kWh.
    #[arg(long = "energy-kwh", value_name = "KWH")]
    pub energy: Option<Energy>,
    /// Power/energy samples (`-`: standard input): `time,power_w[,energy_kwh]` lines or a JSON array.
    #[arg(long, value_name = "FILE")]
    pub samples: Option<PathBuf>,
    /// The amount prepaid, in yuan; the unused part is refunded.
    #[arg(long, value_name = "YUAN")]
    pub prepaid: Option<Money>,
    /// The prepaid amount was paid in coins, which are never refunded.
    #[arg(long, requires = "prepaid")]
    pub coins: bool,
    /// For a monthly-card plan: when the card expires (ISO or Unix seconds); a valid card is
    /// assumed without it.
    #[arg(long, value_name = "ISO")]
    pub card_expires: Option<String>,
    /// For a per-use plan: the session is paid from a count with this many uses left.
    #[arg(long, value_name = "N")]
    pub uses: Option<u32>,
    /// Print the bill in canonical JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `pilekit quote`.
pub fn run_quote(args: &QuoteArgs) -> Result<(), String> {
    let plan = load_plan(&args.plan)?;
    let request = QuoteRequest {
        prepaid: args.prepaid,
        power: args.power,
    };
    let quote = pilekit::api::quote_plan(&plan, &request).map_err(|e| e.to_string())?;
    if args.json || crate::io::pretty() {
        crate::io::print(&(to_json(&quote)? + "\n"))?;
    } else {
        crate::io::print(&pilekit::api::quote_text(&plan, &quote))?;
    }
    Ok(())
}

/// Runs `pilekit bill`.
pub fn run_bill(args: &BillArgs) -> Result<(), String> {
    let plan = load_plan(&args.plan)?;
    let mut request = BillRequest::new(args.start.as_str(), args.end.as_str());
    request.power = args.power;
    request.energy = args.energy;
    request.prepaid = args.prepaid;
    request.coins = args.coins;
    request.card_expires = args.card_expires.clone();
    request.uses = args.uses;
    if let Some(path) = &args.samples {
        let text = crate::io::read_text(path, "samples", crate::plan::MAX_SAMPLES_BYTES)?;
        request.samples =
            pilekit::api::parse_samples(&text, plan.utc_offset).map_err(|e| e.to_string())?;
    }
    let bill = pilekit::api::bill_plan(&plan, &request).map_err(|e| e.to_string())?;
    if args.json || crate::io::pretty() {
        crate::io::print(&(to_json(&bill)? + "\n"))?;
    } else {
        crate::io::print(&pilekit::api::receipt(&plan, &bill))?;
    }
    Ok(())
}

fn load_plan(path: &Path) -> Result<Plan, String> {
    crate::plan::load(path)
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, String> {
    crate::io::json(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pilekit::UtcOffset;
    use pilekit::api::parse_time;
    use pilekit::tariff::{Payment, Usage};

    fn receipt(plan: &Plan, bill: &pilekit::Bill) -> String {
        pilekit::api::receipt(plan, bill)
    }

    #[test]
    fn times_parse_in_the_plan_offset() {
        let cst = UtcOffset::CHINA;
        assert_eq!(parse_time("1970-01-01T08:00", cst), Ok(0));
        assert!(parse_time("yesterday", cst).is_err());
    }

    fn example(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/plans")
            .join(name)
    }

    #[test]
    fn receipts_itemise_the_bill() {
        let plan = load_plan(&example("tou-residential.json")).unwrap();
        let usage = Usage::new(
            parse_time("2024-05-01T22:00", plan.utc_offset).unwrap(),
            parse_time("2024-05-02T01:00", plan.utc_offset).unwrap(),
        )
        .with_power(Power::from_watts(2000));
        let bill = plan
            .bill(
                &usage,
                Payment::Prepaid {
                    amount: Money::from_fen(1000),
                },
            )
            .unwrap();
        let text = receipt(&plan, &bill);
        assert!(
            text.contains("Electricity 电费, 深谷 deep valley"),
            "{text}"
        );
        assert!(text.contains("0.20 yuan/kWh"), "{text}");
        assert!(
            text.lines()
                .any(|l| l.starts_with("Service fee 服务费 subtotal") && l.ends_with("2.00")),
            "{text}"
        );
        assert!(
            text.lines()
                .any(|l| l.starts_with("Total") && l.ends_with("4.20")),
            "{text}"
        );
        assert!(
            text.lines()
                .any(|l| l.starts_with("Refund") && l.ends_with("5.80")),
            "{text}"
        );
    }

    #[test]
    fn commands_run_on_the_example_plans() {
        let bill = BillArgs {
            plan: example("power-tiers.json"),
            start: "2024-05-01T08:00".into(),
            end: "2024-05-01T09:30".into(),
            power: Some(Power::from_watts(2600)),
            energy: None,
            samples: None,
            prepaid: None,
            coins: false,
            card_expires: None,
            uses: None,
            json: false,
        };
        assert_eq!(
            run_bill(&bill).unwrap_err(),
            "power `2600.0 W` is above the top tier `2500.0 W`"
        );
        let bill = BillArgs {
            power: Some(Power::from_watts(700)),
            json: true,
            ..bill
        };
        assert_eq!(run_bill(&bill), Ok(()));
        let quote = QuoteArgs {
            plan: example("one-yuan-four-hours.json"),
            prepaid: Money::YUAN,
            power: None,
            json: false,
        };
        assert_eq!(run_quote(&quote), Ok(()));
        let missing = QuoteArgs {
            plan: example("no-such-plan.json"),
            ..quote
        };
        assert!(
            run_quote(&missing)
                .unwrap_err()
                .starts_with("cannot read plan")
        );
    }
}
