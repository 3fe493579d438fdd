//! The NATS side of `pilekit gateway --nats URL` (a stateless gateway publishing to JetStream)
//! and of `pilekit receipts --nats URL --out FILE` (drain the receipts stream).

use std::time::Duration;

use pilekit_nats::gateway::NatsGateway;
use pilekit_nats::{Bus, Layout};

use crate::io;

/// The deployment's shape from the command line (the same on every gateway and worker).
pub fn layout(partitions: u32, lease_s: u64) -> Layout {
    Layout {
        partitions: partitions.max(1),
        lease_ttl: Duration::from_secs(lease_s.max(1)),
        ..Layout::default()
    }
}

/// A process id made of a prefix, the process id and the start time (unique across restarts),
/// or the given one checked for use in subjects and keys.
pub fn process_id(given: Option<&str>, prefix: &str) -> Result<String, String> {
    match given {
        Some(id)
            if !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            Ok(id.to_string())
        }
        Some(id) => Err(format!(
            "`{id}` is not an id (letters, digits, `-` and `_` only)"
        )),
        None => Ok(format!(
            "{prefix}{}x{}",
            std::process::id(),
            pilekit::time::Timestamp::now().unix()
        )),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))
}

/// Runs a stateless gateway until Ctrl-C or SIGTERM.
pub fn gateway(listen: &str, url: &str, id: Option<&str>, layout: Layout) -> Result<bool, String> {
    let id = process_id(id, "g")?;
    runtime()?.block_on(async {
        let bus = Bus::connect(url, layout).await.map_err(|e| e.to_string())?;
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        let local = listener
            .local_addr()
            .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        io::warn(&format!(
            "pilekit gateway: listening on {local}, NATS {url}, gateway id {id}"
        ));
        let gateway = NatsGateway::new(bus, id);
        let stats = gateway.stats();
        gateway
            .serve(listener, crate::gateway::shutdown_signal())
            .await
            .map_err(|e| e.to_string())?;
        io::warn(&format!(
            "pilekit gateway: stopped; {} connection(s), {} record(s) published, {} downlink(s) written",
            stats.connections.load(std::sync::atomic::Ordering::Relaxed),
            stats.records.load(std::sync::atomic::Ordering::Relaxed),
            stats.downlinks.load(std::sync::atomic::Ordering::Relaxed),
        ));
        Ok(true)
    })
}

/// Appends the receipts not yet drained to `out` (standard output when `None`).
pub fn drain(
    url: &str,
    durable: &str,
    out: Option<&std::path::Path>,
    layout: Layout,
) -> Result<bool, String> {
    let mut sink: Box<dyn std::io::Write> = match out {
        Some(path) => Box::new(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| format!("cannot open {}: {e}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let n = runtime()?.block_on(async {
        let bus = Bus::connect(url, layout).await.map_err(|e| e.to_string())?;
        pilekit_nats::drain_receipts(&bus, durable, &mut *sink)
            .await
            .map_err(|e| e.to_string())
    })?;
    if let Some(path) = out {
        io::warn(&format!(
            "pilekit receipts: {n} receipt(s) appended to {}",
            path.display()
        ));
    }
    Ok(true)
}
