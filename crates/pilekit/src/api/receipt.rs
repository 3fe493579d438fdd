//! The texts people read: the bilingual receipt of a bill and the sentence of a quote.

use alloc::format;
use alloc::string::{String, ToString};
use core::fmt::Write as _;

use crate::tariff::{
    Bill, Limit, Line, LineKind, Plan, Pricing, Quantity, Quote, TierPrice, UnitPrice,
};
use crate::time::{LocalDateTime, UtcOffset};
use crate::units::{EnergyPrice, Money};

/// Money as a person writes it: two decimals when it is whole fen, else four.
pub(super) fn yuan(m: Money) -> String {
    let neg = m.0 < 0;
    let abs = m.0.unsigned_abs();
    let (int, frac) = (abs / 10_000, abs % 10_000);
    let sign = if neg { "-" } else { "" };
    if frac.is_multiple_of(100) {
        format!("{sign}{int}.{:02}", frac / 100)
    } else {
        format!("{sign}{int}.{frac:04}")
    }
}

fn rate(p: EnergyPrice) -> String {
    let abs = p.0.unsigned_abs();
    let (int, mut frac, mut digits) = (abs / 100_000, abs % 100_000, 5);
    while digits > 2 && frac.is_multiple_of(10) {
        frac /= 10;
        digits -= 1;
    }
    let sign = if p.0 < 0 { "-" } else { "" };
    format!("{sign}{int}.{frac:0digits$}")
}

fn duration(s: u64) -> String {
    if s >= 86_400 && s.is_multiple_of(86_400) {
        return format!("{} days", s / 86_400);
    }
    let (h, m, sec) = (s / 3600, s % 3600 / 60, s % 60);
    let mut out = String::new();
    if h > 0 {
        let _ = write!(out, "{h} h ");
    }
    if m > 0 || (h == 0 && sec == 0) {
        let _ = write!(out, "{m} min ");
    }
    if sec > 0 {
        let _ = write!(out, "{sec} s ");
    }
    out.trim_end().to_string()
}

fn local(unix: i64, offset: UtcOffset) -> String {
    let zone = {
        let (sign, o) = if offset.0 < 0 {
            ('-', -offset.0)
        } else {
            ('+', offset.0)
        };
        format!("UTC{sign}{:02}:{:02}", o / 3600, o % 3600 / 60)
    };
    match LocalDateTime::from_unix(unix, offset) {
        Ok(t) => format!("{t} ({zone})"),
        Err(_) => format!("{unix} (Unix seconds)"),
    }
}

fn family(p: &Pricing) -> &'static str {
    match p {
        Pricing::FixedBlock(_) => "fixed price per block",
        Pricing::Hourly(_) => "hourly rate",
        Pricing::PowerTiers(_) => "power tiers",
        Pricing::TimeOfUse(_) => "time of use",
        Pricing::Package(_) => "package",
        Pricing::MonthlyCard(_) => "monthly card",
        Pricing::PerUse(_) => "per use",
        Pricing::StartingPrice(_) => "starting price",
    }
}

fn label(plan: &Plan, line: &Line) -> String {
    let mut s = String::from(match line.kind {
        LineKind::Electricity => "Electricity 电费",
        LineKind::Service => "Service fee 服务费",
        LineKind::Package => "Package 套餐",
        LineKind::MonthlyCard => "Monthly card 包月",
        LineKind::PerUse => "Per use 计次",
        LineKind::FreeMinutes => "Free minutes 免费时长",
        LineKind::Minimum => "Minimum charge 起步价",
        LineKind::Cap => "Capped 封顶",
        LineKind::Rounding => "Rounding 取整",
    });
    if let (Some(t), Pricing::PowerTiers(tiers)) = (line.tier, &plan.pricing)
        && let Some(tier) = tiers.tiers.get(usize::from(t).saturating_sub(1))
    {
        let _ = write!(s, ", tier {t} (up to {})", tier.max);
    }
    if let Some(c) = line.class {
        let _ = write!(s, ", {} {}", c.chinese(), c.name().replace('_', " "));
    }
    s
}

fn quantity(q: Option<Quantity>) -> String {
    match q {
        Some(Quantity::Duration(s)) => duration(u64::from(s.0)),
        Some(Quantity::Energy(e)) => e.to_string(),
        Some(Quantity::Uses(n)) => format!("{n} use{}", if n == 1 { "" } else { "s" }),
        None => String::new(),
    }
}

fn unit_price(u: Option<UnitPrice>) -> String {
    match u {
        Some(UnitPrice::PerKwh(p)) => format!("{} yuan/kWh", rate(p)),
        Some(UnitPrice::PerHour(m)) => format!("{} yuan/h", yuan(m)),
        Some(UnitPrice::PerMinute(m)) => format!("{} yuan/min", yuan(m)),
        Some(UnitPrice::PerBlock(b)) => {
            format!("{} yuan / {}", yuan(b.price), duration(b.seconds()))
        }
        Some(UnitPrice::PerBlockRatio { block, ratio }) => format!(
            "{} yuan / {} × {ratio} %",
            yuan(block.price),
            duration(block.seconds())
        ),
        Some(UnitPrice::PerUse(m)) => format!("{} yuan/use", yuan(m)),
        None => String::new(),
    }
}

/// The columns a terminal shows `s` in: CJK characters take two.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match u32::from(c) {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFF00..=0xFF60 => 2,
            _ => 1,
        })
        .sum()
}

fn left(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

fn right(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(width(s))))
}

/// The receipt a resident reads: the plan, the session, one line per item with its quantity
/// and unit price (electricity and service fee apart, per time-of-use class or power tier),
/// the subtotals, the total, and what was prepaid, refunded, kept or is still due. Item names
/// are in English and Chinese; times are shown at the plan's UTC offset.
///
/// ```
/// use pilekit::api::{BillRequest, bill, load_plan, receipt};
///
/// let plan_json = r#"{"family": "hourly", "yuan_per_hour": 1.0}"#;
/// let request = BillRequest::new("2024-05-01T08:00", "2024-05-01T09:30");
/// let b = bill(plan_json, &request)?;
/// let text = receipt(&load_plan(plan_json)?, &b);
/// assert!(text.lines().any(|l| l.starts_with("Total 合计") && l.ends_with("1.50")));
/// # Ok::<(), pilekit::api::Error>(())
/// ```
pub fn receipt(plan: &Plan, bill: &Bill) -> String {
    let mut out = String::new();
    let name = if plan.name.is_empty() {
        "(unnamed)"
    } else {
        &plan.name
    };
    let _ = writeln!(out, "Plan       {name} — {}", family(&plan.pricing));
    let _ = writeln!(out, "Start      {}", local(bill.start, plan.utc_offset));
    let _ = writeln!(out, "End        {}", local(bill.end, plan.utc_offset));
    let _ = writeln!(out, "Duration   {}", duration(u64::from(bill.duration.0)));
    if let Some(e) = bill.energy {
        let _ = writeln!(out, "Energy     {e}");
    }
    if let Some(p) = bill.peak_power {
        let _ = writeln!(out, "Peak power {p}");
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{} {} {} {}",
        left("Item", 42),
        right("Quantity", 14),
        right("Unit price", 26),
        right("Amount", 10)
    );
    for line in &bill.lines {
        let _ = writeln!(
            out,
            "{} {} {} {}",
            left(&label(plan, line), 42),
            right(&quantity(line.quantity), 14),
            right(&unit_price(line.unit_price), 26),
            right(&yuan(line.amount), 10)
        );
    }
    let _ = writeln!(out, "{}", "-".repeat(95));
    let row = |out: &mut String, name: &str, m: Money| {
        let _ = writeln!(out, "{} {}", left(name, 84), right(&yuan(m), 10));
    };
    if bill.subtotals.len() > 1 {
        for sub in &bill.subtotals {
            row(&mut out, &kind_subtotal(sub.kind), sub.amount);
        }
    }
    row(&mut out, "Total 合计 (yuan)", bill.total);
    if bill.prepaid != Money::ZERO {
        row(&mut out, "Prepaid 预付", bill.prepaid);
        row(&mut out, "Refund 退款", bill.refund);
    }
    if bill.retained != Money::ZERO {
        row(
            &mut out,
            "Coins kept (coins are not refunded) 投币不退",
            bill.retained,
        );
    }
    if bill.due != Money::ZERO && bill.prepaid != Money::ZERO {
        row(&mut out, "Still due 待付", bill.due);
    }
    if bill.uses != 0 {
        let _ = writeln!(out, "Uses taken from the count: {}", bill.uses);
    }
    out
}

/// The receipt's name of a subtotal.
fn kind_subtotal(kind: LineKind) -> String {
    let name = match kind {
        LineKind::Electricity => "Electricity 电费",
        LineKind::Service => "Service fee 服务费",
        LineKind::Package => "Package 套餐",
        LineKind::MonthlyCard => "Monthly card 包月",
        LineKind::PerUse => "Per use 计次",
        LineKind::FreeMinutes => "Free minutes 免费时长",
        LineKind::Minimum => "Minimum charge 最低消费",
        LineKind::Cap => "Cap 封顶",
        LineKind::Rounding => "Rounding 舍入",
    };
    format!("{name} subtotal 小计")
}

/// What a prepayment buys, in a sentence: `1.00 yuan buys 4 h of charging under ...`.
pub fn quote_text(plan: &Plan, q: &Quote) -> String {
    let name = if plan.name.is_empty() {
        "this plan"
    } else {
        &plan.name
    };
    let what = match q.limit {
        Limit::Duration { duration: d } => format!("{} of charging", duration(u64::from(d.0))),
        Limit::Energy { energy } => format!("{energy} (in any time-of-use class)"),
        Limit::CardDays { days, max_session } => match max_session {
            Some(s) => format!(
                "{days} days of monthly card, sessions up to {}",
                duration(u64::from(s.0))
            ),
            None => format!("{days} days of monthly card"),
        },
        Limit::Uses { uses, max_session } => match max_session {
            Some(s) => format!("{uses} uses, each up to {}", duration(u64::from(s.0))),
            None => format!("{uses} uses"),
        },
    };
    let mut out = format!("{} yuan buys {what} under {name}", yuan(q.prepaid));
    if let (Some(p), Pricing::PowerTiers(t)) = (q.power, &plan.pricing) {
        let tier = t.tiers.iter().position(|t| p <= t.max).map_or(0, |i| i + 1);
        let price = t.tiers.get(tier.saturating_sub(1)).map(|t| match t.price {
            TierPrice::PerHour(m) => format!("{} yuan/h", yuan(m)),
            TierPrice::TimeRatio(r) => format!("{r} % time ratio"),
            TierPrice::PerKwh(r) => format!("{r} yuan/kWh"),
        });
        let _ = write!(out, " at {p} (tier {tier}, {})", price.unwrap_or_default());
    }
    let _ = writeln!(
        out,
        ".\nA session reaching that limit costs {} yuan.",
        yuan(q.cost)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_prints_to_the_fen() {
        assert_eq!(yuan(Money(2900)), "0.29");
        assert_eq!(yuan(Money(3125)), "0.3125");
        assert_eq!(yuan(Money(-50)), "-0.0050");
        assert_eq!(rate(EnergyPrice(60_000)), "0.60");
        assert_eq!(rate(EnergyPrice(61_234)), "0.61234");
        assert_eq!(duration(4200), "1 h 10 min");
        assert_eq!(duration(0), "0 min");
        assert_eq!(duration(2 * 86_400), "2 days");
        assert_eq!(width("电费 ab"), 7);
    }
}
