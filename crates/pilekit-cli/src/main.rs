//! The `pilekit` command: decode pile frames from hex or captures.

mod decode;
mod listing;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Decode(args) => decode::run(&args),
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
