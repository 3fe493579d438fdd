//! `pilekit replay`: sessions and bills rebuilt from a pile log (`pilekit::api::replay`).

use std::path::PathBuf;

use clap::Args;
use pilekit::api::{DialectName, ReplayRequest, replay, replay_text};

use crate::io::{self, Out};

/// The largest log read at once.
const MAX_LOG_BYTES: u64 = 512 << 20;

/// Arguments of `pilekit replay`.
#[derive(Args)]
pub struct ReplayArgs {
    /// The plan the sessions are billed under, a JSON file (`-` for standard input).
    #[arg(long, value_name = "FILE")]
    plan: PathBuf,
    /// The pile log (`-` for standard input): one `TIMESTAMP PILE-ID up|down HEX` per line;
    /// blank lines and `#` comments are skipped; times without an offset are local time in the
    /// plan's UTC offset.
    #[arg(long, value_name = "FILE")]
    input: PathBuf,
    /// The protocol of the log's frames.
    #[arg(long, value_enum, default_value = "auto")]
    dialect: Dialect,
    /// One JSON record per line: `{"session": …}`, `{"open_session": …}`, `{"anomaly": …}`.
    #[arg(long)]
    pub json: bool,
}

/// The `--dialect` values.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Dialect {
    Auto,
    Ykc,
    Dny,
    Juy,
}

impl From<Dialect> for DialectName {
    fn from(d: Dialect) -> Self {
        match d {
            Dialect::Auto => DialectName::Auto,
            Dialect::Ykc => DialectName::Ykc,
            Dialect::Dny => DialectName::Dny,
            Dialect::Juy => DialectName::Juy,
        }
    }
}

/// Replays the log; `Ok(false)` when a line was malformed or a frame did not decode.
pub fn run(args: &ReplayArgs, out: &mut Out) -> Result<bool, String> {
    let plan = crate::plan::load(&args.plan)?;
    if io::is_stdin(&args.plan) && io::is_stdin(&args.input) {
        return Err("the plan and the log cannot both be read from standard input".into());
    }
    let log = io::read_text(&args.input, "log", MAX_LOG_BYTES)?;
    let request = ReplayRequest {
        dialect: args.dialect.into(),
    };
    let result = replay(&log, &plan, &request);
    let clean = !result
        .anomalies
        .iter()
        .any(|f| f.kind == "malformed_line" || f.kind == "bad_frame");
    if args.json || io::pretty() {
        for s in &result.sessions {
            out.line(&io::json(&serde_json::json!({ "session": s }))?)?;
        }
        for o in &result.open {
            out.line(&io::json(&serde_json::json!({ "open_session": o }))?)?;
        }
        for f in &result.anomalies {
            out.line(&io::json(&serde_json::json!({ "anomaly": f }))?)?;
        }
        return Ok(clean);
    }
    out.str(&replay_text(&result, &plan))?;
    Ok(clean)
}
