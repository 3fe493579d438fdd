//! Bills per second of CPU time on one core, for machines where other work competes for the
//! cores and wall-clock benchmarks overstate the cost: reads the thread's own on-CPU time from
//! `/proc/thread-self/schedstat` (Linux).
//!
//! `cargo run --release --example cpu_throughput`

use std::hint::black_box;
use std::time::Instant;

use pilekit::Money;
use pilekit::tariff::{Payment, Plan, Usage};

#[path = "../benches/fixtures.rs"]
mod fixtures;

fn on_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn measure(name: &str, plan: &Plan, usage: &Usage, payment: Payment) {
    const N: u32 = 2_000_000;
    for _ in 0..N / 10 {
        let _ = black_box(plan.bill(black_box(usage), payment));
    }
    let (cpu0, wall0) = (on_cpu_ns(), Instant::now());
    for _ in 0..N {
        let _ = black_box(plan.bill(black_box(usage), payment));
    }
    let wall = wall0.elapsed().as_nanos() as u64;
    let cpu = on_cpu_ns().zip(cpu0).map(|(b, a)| b - a);
    let per_s = |ns: u64| f64::from(N) / (ns as f64 / 1e9) / 1e6;
    match cpu {
        Some(cpu) => println!(
            "{name}: {:.0} ns/bill on CPU = {:.2} M bills/s per core (wall clock: {:.2} M bills/s)",
            cpu as f64 / f64::from(N),
            per_s(cpu),
            per_s(wall)
        ),
        None => println!("{name}: {:.2} M bills/s (wall clock)", per_s(wall)),
    }
}

fn main() {
    measure(
        "8-tier e-bike 8 h, 96 samples",
        &fixtures::tier_plan(),
        &fixtures::ebike_session(),
        Payment::Prepaid {
            amount: Money(50_000),
        },
    );
    measure(
        "time-of-use 24 h, 48 slots",
        &fixtures::tou_plan(),
        &fixtures::tou_session(),
        Payment::Postpaid,
    );
}
