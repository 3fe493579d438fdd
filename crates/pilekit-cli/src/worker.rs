//! `pilekit worker --nats URL`: an engine worker holding partitions of the piles (see the
//! `pilekit_nats` crate and `docs/scaling.md`).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::Args;
use pilekit::session::{Config, Station};
use pilekit_nats::Bus;
use pilekit_nats::worker::{SharedWriter, Worker, WorkerOptions};

use crate::io;

/// Arguments of `pilekit worker`.
#[derive(Args)]
pub struct WorkerArgs {
    /// The NATS server (JetStream enabled), e.g. `nats://127.0.0.1:4222`.
    #[arg(long, value_name = "URL")]
    nats: String,
    /// The plan new sessions are billed under (a JSON file).
    #[arg(long, value_name = "FILE")]
    plan: PathBuf,
    /// The most partitions this worker holds at once (default: all of them). Within it the
    /// worker holds its share, partitions / live workers, rounded up.
    #[arg(long, value_name = "N")]
    shards: Option<u32>,
    /// How many partitions the piles are spread over: the same on every gateway and worker of
    /// the deployment, for its whole life.
    #[arg(long, value_name = "P", default_value_t = 16)]
    partitions: u32,
    /// Also append every new receipt to this file as JSON Lines.
    #[arg(long, value_name = "FILE")]
    receipts: Option<PathBuf>,
    /// Seconds between checkpoints of a partition.
    #[arg(long, value_name = "SECONDS", default_value_t = 5)]
    checkpoint_s: u64,
    /// A lease's time to live in seconds (the longest a dead worker's partitions wait for a new
    /// owner); the same on every worker.
    #[arg(long, value_name = "SECONDS", default_value_t = 6)]
    lease_s: u64,
    /// The worker's id (letters, digits, `-`, `_`; default: made from the process id and time).
    #[arg(long, value_name = "ID")]
    id: Option<String>,
    /// Don't log notifications and partition events (one JSON line each on standard error).
    #[arg(long)]
    quiet: bool,
}

/// Runs the worker until Ctrl-C or SIGTERM.
pub fn run(args: &WorkerArgs) -> Result<bool, String> {
    let plan = crate::plan::load(&args.plan)?;
    let id = crate::nats::process_id(args.id.as_deref(), "w")?;
    let receipts: Option<SharedWriter> = match &args.receipts {
        Some(path) => {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
            Some(Arc::new(Mutex::new(Box::new(std::io::LineWriter::new(
                file,
            )))))
        }
        None => None,
    };
    let log: Option<SharedWriter> = if args.quiet {
        None
    } else {
        Some(Arc::new(Mutex::new(Box::new(std::io::stderr()))))
    };
    let layout = crate::nats::layout(args.partitions, args.lease_s);
    let options = WorkerOptions {
        id: id.clone(),
        shards: args.shards.unwrap_or(layout.partitions).max(1),
        checkpoint: Duration::from_secs(args.checkpoint_s.max(1)),
        receipts,
        log,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async {
        let bus = Bus::connect(&args.nats, layout)
            .await
            .map_err(|e| e.to_string())?;
        io::warn(&format!(
            "pilekit worker: {id} on {}, {} partitions",
            args.nats, args.partitions
        ));
        let worker = Worker::new(bus, options, move || {
            Station::new(Config::default(), plan.clone())
        });
        let stats = worker.stats();
        worker
            .run(crate::gateway::shutdown_signal())
            .await
            .map_err(|e| e.to_string())?;
        io::warn(&format!(
            "pilekit worker: stopped; {} record(s) run, {} receipt(s) stored, {} partition(s) taken, largest checkpoint {} bytes",
            stats.records.load(std::sync::atomic::Ordering::Relaxed),
            stats.receipts.load(std::sync::atomic::Ordering::Relaxed),
            stats.takeovers.load(std::sync::atomic::Ordering::Relaxed),
            stats.largest_checkpoint.load(std::sync::atomic::Ordering::Relaxed),
        ));
        Ok(true)
    })
}
