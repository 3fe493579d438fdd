//! Prices an evening e-bike session under the shipped power-tier plan, from power samples that
//! arrive out of order (as piles report them), and answers the resident's question "what does
//! 1 yuan buy at this power?".
//!
//! ```sh
//! cargo run -p pilekit-examples --example bill_session
//! ```

use pilekit::tariff::{Limit, Payment, Plan, Sample, Usage};
use pilekit::{LocalDateTime, Money, Power, UtcOffset};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let plan: Plan = serde_json::from_str(include_str!("plans/power-tiers.json"))?;
    let at =
        |h, m| LocalDateTime::new(2024, 11, 29, h, m, 0, 0).map(|t| t.to_unix(UtcOffset::CHINA));

    // power samples every 30 minutes, one duplicated and one late
    let mut samples = Vec::new();
    for (h, m, w) in [
        (21, 0, 180),
        (22, 0, 420),
        (21, 30, 350),
        (22, 30, 120),
        (22, 0, 420),
    ] {
        samples.push(Sample {
            at: at(h, m)?,
            power: Power::from_watts(w),
            energy: None,
        });
    }
    let usage = Usage::new(at(21, 0)?, at(23, 0)?).with_samples(samples);
    let bill = plan.bill(
        &usage,
        Payment::Coins {
            amount: Money::from_fen(200),
        },
    )?;

    println!("{}", plan.name);
    for line in &bill.lines {
        let tier = line.tier.map(|t| format!(" tier {t}")).unwrap_or_default();
        println!("  {:?}{tier}: {}", line.kind, line.amount);
    }
    println!(
        "  total {}, refund {} (coins are not refunded)",
        bill.total, bill.refund
    );

    let quote = plan.quote(Money::YUAN, Some(Power::from_watts(400)))?;
    if let Limit::Duration { duration } = quote.limit {
        println!(
            "1 yuan at 400 W buys {} min: send that limit with the start command",
            duration.whole_minutes().0
        );
    }
    Ok(())
}
