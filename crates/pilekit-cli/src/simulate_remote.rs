//! `pilekit simulate --connect ADDR`: virtual piles over TCP against a gateway.

use pilekit_sim::remote::{Addr, Remote, records_jsonl};
use pilekit_sim::sim::DEFAULT_START;

use crate::simulate::SimulateArgs;

/// Runs the piles against the gateway at `addr` and writes `piles.jsonl`.
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
    let wall = report.wall.as_secs_f64().max(1e-9);
    let acknowledged = report.records.iter().filter(|r| r.acknowledged).count();
    let summary = serde_json::json!({
        "piles": args.piles,
        "sockets": args.sockets,
        "hours": hours,
        "speed": args.speed,
        "charges": report.records.len(),
        "acknowledged": acknowledged,
        "unacknowledged": report.unacknowledged,
        "frames_sent": report.frames_sent,
        "frames_per_s": (report.frames_sent as f64 / wall).round(),
        "answer_latency_p50_us": report.latency_us(500),
        "answer_latency_p99_us": report.latency_us(990),
        "reconnects": report.reconnects,
        "wall_s": (wall * 10.0).round() / 10.0,
        "piles_file": path.display().to_string(),
    });
    if args.json {
        let mut line = crate::io::json(&summary)?;
        line.push('\n');
        crate::io::print(&line)?;
    } else {
        crate::io::print(&format!(
            "charges              {} ({} acknowledged, {} not)\n\
             frames sent          {} ({:.0}/s)\n\
             answer latency       p50 {} µs, p99 {} µs\n\
             reconnects           {}\n\
             wall time            {:.1} s\n\
             pile records         {}\n",
            report.records.len(),
            acknowledged,
            report.unacknowledged,
            report.frames_sent,
            report.frames_sent as f64 / wall,
            report.latency_us(500),
            report.latency_us(990),
            report.reconnects,
            wall,
            path.display()
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
