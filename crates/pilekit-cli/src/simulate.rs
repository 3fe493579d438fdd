//! `pilekit simulate`: a community's day of charging, run at full speed through the whole
//! stack (virtual piles → bytes → `Station` → tariff → receipts), with a summary and the files
//! an operator reads: `receipts.jsonl`, `summary.json` and `load.svg`.

use std::io::IsTerminal as _;
use std::path::PathBuf;

use clap::Args;
use pilekit::codec::Dialect;
use pilekit::units::Power;
use pilekit_sim::Scenario;

/// Arguments of `pilekit simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The seed of every random choice: the same seed writes the same files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// E-bike piles.
    #[arg(long, default_value_t = 24, value_parser = clap::value_parser!(u32).range(0..=5000))]
    pub piles: u32,
    /// Sockets per e-bike pile.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u8).range(1..=20))]
    pub sockets: u8,
    /// Car piles (YKC; the first is DC 60 kW, the others AC 7 kW).
    #[arg(long = "car-piles", default_value_t = 4, value_parser = clap::value_parser!(u32).range(0..=100))]
    pub car_piles: u32,
    /// Days to simulate.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=366))]
    pub days: u32,
    /// The e-bike plan, a JSON file (default: examples/plans/one-yuan-four-hours.json, built in).
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// The car plan, a time-of-use JSON file of at most four classes (default built in).
    #[arg(long = "car-plan", value_name = "FILE")]
    pub car_plan: Option<PathBuf>,
    /// The plan of sessions a monthly pass pays, a JSON file (default:
    /// examples/plans/monthly-card.json, built in).
    #[arg(long = "card-plan", value_name = "FILE")]
    pub card_plan: Option<PathBuf>,
    /// The dialects of the e-bike piles, in rotation (comma separated): `dny` (AP3000; cards
    /// and QR scans) and `juy` (coins and QR scans), e.g. `dny,juy`.
    #[arg(long, value_delimiter = ',', default_value = "dny", value_parser = parse_dialect)]
    pub dialects: Vec<Dialect>,
    /// The pile area's supply in kW (marked on the picture).
    #[arg(long = "supply-kw", default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub supply_kw: u32,
    /// Where to write receipts.jsonl, summary.json and load.svg.
    #[arg(long, value_name = "DIR", default_value = "simulation")]
    pub out: PathBuf,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Print the summary as one line of JSON.
    #[arg(long)]
    pub json: bool,
    /// Drive the piles over TCP against a gateway (`pilekit gateway`) at this address instead
    /// of the embedded station; writes `piles.jsonl`, the piles' record of every charge.
    /// Several gateways: `ADDR,ADDR,…` (the piles spread over them, and move to the next one
    /// when theirs fails).
    #[arg(long, value_name = "ADDR[,ADDR…]")]
    pub connect: Option<String>,
    /// With `--connect`: simulated seconds per real second.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub speed: u32,
    /// With `--connect`: hours of arrivals (default: `--days` × 24).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=8784))]
    pub hours: Option<u32>,
}

fn parse_dialect(s: &str) -> Result<Dialect, String> {
    match s.trim() {
        "dny" => Ok(Dialect::Dny),
        "juy" => Ok(Dialect::Juy),
        "ykc" => Err("`ykc` is the car piles' dialect; e-bike piles speak `dny` or `juy`".into()),
        other => Err(format!(
            "unknown dialect `{other}` (expected `dny` or `juy`)"
        )),
    }
}

/// Runs the simulation and writes its files.
pub fn run(args: &SimulateArgs) -> Result<(), String> {
    if let Some(addr) = &args.connect {
        return crate::simulate_remote::run(args, addr);
    }
    let mut scenario = Scenario {
        seed: args.seed,
        piles: args.piles,
        sockets: args.sockets,
        car_piles: args.car_piles,
        days: args.days,
        dialects: args.dialects.clone(),
        supply_limit: Power::from_watts(i64::from(args.supply_kw) * 1000),
        ..Scenario::default()
    };
    if let Some(path) = &args.plan {
        scenario.plan = crate::plan::load(path)?;
    }
    if let Some(path) = &args.car_plan {
        scenario.car_plan = crate::plan::load(path)?;
    }
    if let Some(path) = &args.card_plan {
        scenario.card_plan = crate::plan::load(path)?;
    }
    let bar = if args.quiet || !std::io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} simulating [{bar:40}] {msg} ({elapsed})",
            )
            .map_err(|e| e.to_string())?
            .progress_chars("=> "),
        );
        bar
    };
    let outcome = scenario.run(|done, total| {
        bar.set_length(total);
        bar.set_position(done);
        bar.set_message(format!("{} of {} h", done / 3600, total / 3600));
    });
    bar.finish_and_clear();
    outcome
        .write(&args.out)
        .map_err(|e| format!("cannot write to `{}`: {e}", args.out.display()))?;
    if args.json {
        let mut line = crate::io::json(&outcome.summary)?;
        line.push('\n');
        crate::io::print(&line)?;
    } else {
        let mut text = outcome.summary.text();
        text.push_str(&format!(
            "  files                {}\n",
            pilekit_sim::FILES
                .iter()
                .map(|f| args.out.join(f).display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        crate::io::print(&text)?;
    }
    if !outcome.summary.exactly_once.ok {
        return Err("a session was lost or billed twice (see exactly_once in summary.json)".into());
    }
    Ok(())
}
