//! Bills one fixture session `n` times, for instruction counts per bill under callgrind:
//! run with `n` = 0 and `n` = 10 000 and divide the difference by 10 000.
//!
//! `cargo build --release --example bill_loop`
//! `valgrind --tool=callgrind target/release/examples/bill_loop tiers 10000`

use std::hint::black_box;

use pilekit::Money;
use pilekit::tariff::Payment;

#[path = "../benches/fixtures.rs"]
mod fixtures;

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_default();
    let n: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let (plan, usage, payment) = match case.as_str() {
        "tou" => (
            fixtures::tou_plan(),
            fixtures::tou_session(),
            Payment::Postpaid,
        ),
        _ => (
            fixtures::tier_plan(),
            fixtures::ebike_session(),
            Payment::Prepaid {
                amount: Money(50_000),
            },
        ),
    };
    let mut total = 0i64;
    for _ in 0..n {
        if let Ok(bill) = black_box(&plan).bill(black_box(&usage), payment) {
            total = total.wrapping_add(bill.total.0);
        }
    }
    println!("{case}: {n} bills, sum of totals {total}");
}
