//! The `pilekit` command: decode and encode pile frames, bill and quote charging sessions.

mod decode;
mod encode;
mod listing;
mod plan;
mod tariff;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Protocol, session and billing tools for smart charging piles.
#[derive(Parser)]
#[command(name = "pilekit", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Decode frames given as hex, or a capture file (binary or hex text).
    Decode(decode::DecodeArgs),
    /// Encode frames from the canonical JSON that `decode --json` prints (hex, or raw bytes).
    Encode(encode::EncodeArgs),
    /// What a prepayment buys under a plan (the limit to send with a start command).
    Quote(tariff::QuoteArgs),
    /// Price a session into an itemised receipt.
    Bill(tariff::BillArgs),
    /// Print the tariff plan of a pile's billing-model frame.
    Plan(plan::PlanArgs),
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Decode(args) => decode::run(&args),
        Command::Encode(args) => encode::run(&args),
        Command::Quote(args) => tariff::run_quote(&args).map(|()| true),
        Command::Bill(args) => tariff::run_bill(&args).map(|()| true),
        Command::Plan(args) => plan::run(&args).map(|()| true),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
