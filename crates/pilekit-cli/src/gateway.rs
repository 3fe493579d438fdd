//! `pilekit gateway` (piles over TCP, the session engine, receipts in SQLite) and
//! `pilekit receipts` (the receipts a gateway's database holds).

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use pilekit::session::{Config, Station};
use pilekit_gateway::{Gateway, GatewayOptions};

use crate::io::{self, Out};

/// Arguments of `pilekit gateway`.
#[derive(Args)]
pub struct GatewayArgs {
    /// The address to accept pile connections on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8767")]
    listen: String,
    /// The plan new sessions are billed under (a JSON file; not with `--nats`, where the
    /// workers bill).
    #[arg(long, value_name = "FILE", required_unless_present = "nats")]
    plan: Option<PathBuf>,
    /// Run stateless: publish the piles' bytes to this NATS server (JetStream) for the workers
    /// (`pilekit worker`) instead of running the engine here.
    #[arg(long, value_name = "URL", conflicts_with_all = ["db", "receipts"])]
    nats: Option<String>,
    /// With `--nats`: how many partitions the piles are spread over (the same on every gateway
    /// and worker).
    #[arg(long, value_name = "P", default_value_t = 16, requires = "nats")]
    partitions: u32,
    /// With `--nats`: the gateway's id, the prefix of its connection ids (default: made from
    /// the process id and time).
    #[arg(long, value_name = "ID", requires = "nats")]
    id: Option<String>,
    /// The database (SQLite): receipts, the engine's snapshot and its journal. A gateway
    /// restarted on the same file continues where the last one stopped or died (default:
    /// `pilekit-gateway.db`).
    #[arg(long, value_name = "FILE")]
    db: Option<PathBuf>,
    /// Also append every receipt to this file as JSON Lines.
    #[arg(long, value_name = "FILE")]
    receipts: Option<PathBuf>,
    /// Seconds between snapshots of the engine.
    #[arg(long, value_name = "SECONDS", default_value_t = 5)]
    checkpoint_s: u64,
    /// Don't log notifications (one JSON line each on standard error).
    #[arg(long)]
    quiet: bool,
}

/// Arguments of `pilekit receipts`.
#[derive(Args)]
pub struct ReceiptsArgs {
    /// The gateway's database.
    #[arg(long, value_name = "FILE", required_unless_present = "nats")]
    db: Option<PathBuf>,
    /// Drain the receipts stream of this NATS server instead (the receipts not drained before
    /// by the same `--durable` consumer).
    #[arg(long, value_name = "URL", conflicts_with = "db")]
    nats: Option<String>,
    /// With `--nats`: append the receipts to this file instead of printing them.
    #[arg(long, value_name = "FILE", requires = "nats")]
    out: Option<PathBuf>,
    /// With `--nats`: the durable consumer that remembers what was drained.
    #[arg(
        long,
        value_name = "NAME",
        default_value = "pilekit-receipts",
        requires = "nats"
    )]
    durable: String,
    /// With `--nats`: the deployment's partition count.
    #[arg(long, value_name = "P", default_value_t = 16, requires = "nats")]
    partitions: u32,
}

/// Runs the gateway until Ctrl-C or SIGTERM.
pub fn run(args: &GatewayArgs) -> Result<bool, String> {
    if let Some(url) = &args.nats {
        let layout = crate::nats::layout(args.partitions, 6);
        return crate::nats::gateway(&args.listen, url, args.id.as_deref(), layout);
    }
    let plan = crate::plan::load(args.plan.as_deref().ok_or("`--plan` is required")?)?;
    let db = args
        .db
        .as_deref()
        .unwrap_or(std::path::Path::new("pilekit-gateway.db"));
    let mut options = GatewayOptions::new(db);
    options.checkpoint = Duration::from_secs(args.checkpoint_s.max(1));
    if let Some(path) = &args.receipts {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        options.receipts = Some(Box::new(std::io::LineWriter::new(file)));
    }
    if !args.quiet {
        options.log = Some(Box::new(std::io::stderr()));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async {
        let gateway = Gateway::start(options, move || Station::new(Config::default(), plan))
            .map_err(|e| format!("cannot open {}: {e}", db.display()))?;
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
        let local = listener
            .local_addr()
            .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
        io::warn(&format!(
            "pilekit gateway: listening on {local}, database {}",
            db.display()
        ));
        let engine = gateway
            .serve(listener, shutdown_signal())
            .await
            .map_err(|e| e.to_string())?;
        io::warn(&format!(
            "pilekit gateway: stopped; {} receipt(s) stored in this run",
            engine.receipts_stored()
        ));
        Ok(true)
    })
}

/// Completes on Ctrl-C or SIGTERM.
pub(crate) async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = async {
                match term.as_mut() {
                    Some(t) => { t.recv().await; }
                    None => std::future::pending::<()>().await,
                }
            } => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Prints the receipts of a gateway's database, one JSON line each.
pub fn receipts(args: &ReceiptsArgs, out: &mut Out) -> Result<bool, String> {
    if let Some(url) = &args.nats {
        out.flush()?;
        let layout = crate::nats::layout(args.partitions, 6);
        return crate::nats::drain(url, &args.durable, args.out.as_deref(), layout);
    }
    let db = args.db.as_deref().ok_or("`--db` is required")?;
    if !db.is_file() {
        return Err(format!("no database at {}", db.display()));
    }
    let records =
        pilekit_gateway::receipts(db).map_err(|e| format!("cannot read {}: {e}", db.display()))?;
    for r in records {
        out.line(&r)?;
    }
    Ok(true)
}
