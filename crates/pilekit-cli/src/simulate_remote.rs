//! `pilekit simulate --connect ADDR[,ADDR…]`: virtual piles over TCP against gateways.

use pilekit_sim::remote::{Addr, Remote, records_jsonl};
use pilekit_sim::sim::DEFAULT_START;

use crate::simulate::SimulateArgs;

/// Runs the piles against the gateways at `addr` (comma separated) and writes `piles.jsonl`.
pub fn run(args: &SimulateArgs, addr: &str) -> Result<(), String> {
    let hours = args.hours.unwrap_or(args.days * 24);
    let remote = Remote {
        addr: Addr::new(addr),
        piles: args.piles,
        sockets: args.sockets,
        speed: args.speed,
        duration_s: i64::from(hours) * 3600,
        seed: args.seed,
        // the evening peak first
        start: DEFAULT_START + 17 * 3600,
        arrivals_per_socket_permille: 1300,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    if !args.quiet {
        crate::io::warn(&format!(
            "pilekit simulate: {} piles x {} sockets against {addr}, {hours} h at {}x",
            args.piles, args.sockets, args.speed
        ));
    }
    let report = runtime.block_on(remote.run());
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot write to `{}`: {e}", args.out.display()))?;
    let path = args.out.join("piles.jsonl");
    std::fs::write(&path, records_jsonl(&report.records))
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    let summary = report.summary(&remote, path.display().to_string());
    if args.json {
        let mut line = crate::io::json(&summary)?;
        line.push('\n');
        crate::io::print(&line)?;
    } else {
        crate::io::print(&format!(
            "charges              {} ({} acknowledged, {} not)\n\
             frames sent          {} ({}/s)\n\
             answer latency       p50 {} µs, p99 {} µs\n\
             reconnects           {}\n\
             wall time            {:.1} s\n\
             pile records         {}\n",
            summary.charges,
            summary.acknowledged,
            summary.unacknowledged,
            summary.frames_sent,
            summary.frames_per_s,
            summary.answer_latency_p50_us,
            summary.answer_latency_p99_us,
            summary.reconnects,
            summary.wall_s,
            summary.piles_file
        ))?;
    }
    if report.unacknowledged > 0 {
        return Err(format!(
            "{} settlement(s) were never acknowledged",
            report.unacknowledged
        ));
    }
    Ok(())
}
