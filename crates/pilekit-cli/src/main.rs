//! The `pilekit` command: decode and encode pile frames, bill and quote charging sessions.

mod decode;
mod encode;
mod gateway;
mod io;
mod listing;
mod nats;
mod plan;
mod replay;
mod simulate;
mod simulate_remote;
mod tariff;
mod worker;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// What `--help` says about the exit statuses (the README says the same).
const EXIT_STATUS: &str = "\
Exit status:
  0    everything decoded, or the command did what it was asked
  1    some input did not decode (the rest was still printed)
  2    usage error or invalid input (a plan, a time, hex, a file that cannot be read or written)
  141  standard output was closed by its reader (`| head -1`): the command stops quietly";

/// Protocol, session and billing tools for smart charging piles.
#[derive(Parser)]
#[command(name = "pilekit", version, about, after_help = EXIT_STATUS)]
struct Cli {
    /// JSON output indented for people instead of one record per line (implies `--json`).
    #[arg(long, global = true)]
    pretty: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Decode frames given as hex, or a capture file or pipe (binary or hex text).
    #[command(after_help = EXIT_STATUS)]
    Decode(decode::DecodeArgs),
    /// Encode frames from the canonical JSON that `decode --json` prints (hex, or raw bytes).
    #[command(after_help = EXIT_STATUS)]
    Encode(encode::EncodeArgs),
    /// What a prepayment buys under a plan (the limit to send with a start command).
    #[command(after_help = EXIT_STATUS)]
    Quote(tariff::QuoteArgs),
    /// Price a session into an itemised receipt.
    #[command(after_help = EXIT_STATUS)]
    Bill(tariff::BillArgs),
    /// Check or show a plan file, or print the plan of a pile's billing-model frame.
    #[command(after_help = EXIT_STATUS)]
    Plan(plan::PlanArgs),
    /// Simulate a community's day of charging through the whole stack; write receipts, a
    /// summary and the load picture.
    #[command(after_help = EXIT_STATUS)]
    Simulate(simulate::SimulateArgs),
    /// Rebuild sessions and bills from a pile log (`TIMESTAMP PILE-ID up|down HEX` lines).
    #[command(after_help = EXIT_STATUS)]
    Replay(replay::ReplayArgs),
    /// Accept pile connections over TCP and run their sessions (receipts kept in SQLite).
    Gateway(gateway::GatewayArgs),
    /// Print the receipts a gateway's database holds, one JSON line each (or drain them from
    /// NATS with `--nats`).
    Receipts(gateway::ReceiptsArgs),
    /// Run the sessions of a share of the piles from NATS JetStream (with `gateway --nats`).
    Worker(worker::WorkerArgs),
    /// Print a shell completion script (e.g. `pilekit completions bash > /etc/bash_completion.d/pilekit`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `pilekit man | man -l -`.
    Man,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    io::set_pretty(cli.pretty);
    let json = cli.pretty
        || match &cli.command {
            Command::Decode(a) => a.json(),
            Command::Quote(a) => a.json,
            Command::Bill(a) => a.json,
            Command::Plan(a) => a.json(),
            Command::Simulate(a) => a.json,
            Command::Replay(a) => a.json,
            _ => false,
        };
    let mut out = io::Out::new();
    let result = run(cli.command, &mut out).and_then(|ok| out.flush().map(|()| ok));
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            if json {
                let record =
                    serde_json::json!({"error": {"kind": "invalid_input", "message": message}});
                // the message goes to standard error too when the record cannot be written
                if let Ok(text) = io::json(&record)
                    && out.line(&text).and_then(|()| out.flush()).is_ok()
                {
                    return ExitCode::from(2);
                }
            }
            io::warn(&format!("error: {message}"));
            ExitCode::from(2)
        }
    }
}

/// Runs a command; `Ok(false)` when some input did not decode.
fn run(command: Command, out: &mut io::Out) -> Result<bool, String> {
    match command {
        Command::Decode(args) => decode::run(&args, out),
        Command::Encode(args) => {
            out.flush()?;
            encode::run(&args)
        }
        Command::Quote(args) => {
            plan::check_quote(&args)?;
            tariff::run_quote(&args).map(|()| true)
        }
        Command::Bill(args) => {
            plan::check_bill(&args)?;
            tariff::run_bill(&args).map(|()| true)
        }
        Command::Plan(args) => plan::run(&args, out).map(|()| true),
        Command::Simulate(args) => {
            out.flush()?;
            simulate::run(&args).map(|()| true)
        }
        Command::Replay(args) => replay::run(&args, out),
        Command::Gateway(args) => gateway::run(&args),
        Command::Receipts(args) => gateway::receipts(&args, out),
        Command::Worker(args) => worker::run(&args),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "pilekit", &mut script);
            out.bytes(&script).map(|()| true)
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut page)
                .map_err(|e| format!("cannot render the manual page: {e}"))?;
            out.bytes(&page).map(|()| true)
        }
    }
}
