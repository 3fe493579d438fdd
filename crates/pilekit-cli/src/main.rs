//! The `pilekit` command line.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod tariff;

/// Tools for smart charging piles: bill and quote charging sessions.
#[derive(Debug, Parser)]
#[command(name = "pilekit", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// What a prepayment buys under a plan (the limit to send with a start command).
    Quote(tariff::QuoteArgs),
    /// Price a session into an itemised receipt.
    Bill(tariff::BillArgs),
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Quote(args) => tariff::run_quote(&args),
        Command::Bill(args) => tariff::run_bill(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
