//! `pilekit quote` and `pilekit bill`: price sessions under a plan file from the command line.
//!
//! Times are ISO local times (`2024-05-01T22:00[:00]`) in the plan's offset (UTC+8 unless the
//! plan says otherwise), optionally with an explicit `Z` or `±hh:mm` suffix, or Unix seconds.
//!
//! A samples file (`--samples FILE`) is either
//! - text: one sample per line, `time,power_w[,energy_kwh]`, where `time` is as above and
//!   `energy_kwh` is the energy delivered since the session started; blank lines, `#` comments
//!   and a first line of column names (no digit in its first field) are skipped; any order, duplicates allowed; or
//! - JSON: an array of `{"at_unix_s": …, "power_w": …, "energy_kwh": …}` objects.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use pilekit::tariff::{
    Bill, Limit, Line, LineKind, Payment, Plan, PlanKeys, Pricing, Quantity, Quote, Sample,
    TierPrice, UnitPrice, Usage,
};
use pilekit::{Energy, EnergyPrice, LocalDateTime, Money, Power, UtcOffset};

/// Arguments of `pilekit quote`.
#[derive(Debug, Args)]
pub struct QuoteArgs {
    /// The plan, a JSON file (see examples/plans/).
    #[arg(long, value_name = "FILE")]
    pub plan: PathBuf,
    /// The prepayment, in yuan.
    #[arg(long, value_name = "YUAN")]
    pub prepaid: Money,
    /// The expected charging power in watts (needed by power-tier plans).
    #[arg(long = "power-w", value_name = "W")]
    pub power: Option<Power>,
    /// Print the quote in canonical JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `pilekit bill`.
#[derive(Debug, Args)]
pub struct BillArgs {
    /// The plan, a JSON file (see examples/plans/).
    #[arg(long, value_name = "FILE")]
    pub plan: PathBuf,
    /// Start of the session: ISO local time in the plan's offset, or Unix seconds.
    #[arg(long, value_name = "ISO")]
    pub start: String,
    /// End of the session: ISO local time in the plan's offset, or Unix seconds.
    #[arg(long, value_name = "ISO")]
    pub end: String,
    /// A constant charging power in watts, when there are no samples.
    #[arg(long = "power-w", value_name = "W")]
    pub power: Option<Power>,
    /// The energy delivered, in kWh.
    #[arg(long = "energy-kwh", value_name = "KWH")]
    pub energy: Option<Energy>,
    /// Power/energy samples: `time,power_w[,energy_kwh]` lines or a JSON array.
    #[arg(long, value_name = "FILE")]
    pub samples: Option<PathBuf>,
    /// The amount prepaid, in yuan; the unused part is refunded.
    #[arg(long, value_name = "YUAN")]
    pub prepaid: Option<Money>,
    /// The prepaid amount was paid in coins, which are never refunded.
    #[arg(long, requires = "prepaid")]
    pub coins: bool,
    /// For a monthly-card plan: when the card expires (ISO or Unix seconds); a valid card is
    /// assumed without it.
    #[arg(long, value_name = "ISO")]
    pub card_expires: Option<String>,
    /// For a per-use plan: the session is paid from a count with this many uses left.
    #[arg(long, value_name = "N")]
    pub uses: Option<u32>,
    /// Print the bill in canonical JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `pilekit quote`.
pub fn run_quote(args: &QuoteArgs) -> Result<(), String> {
    let plan = load_plan(&args.plan)?;
    let quote = plan
        .quote(args.prepaid, args.power)
        .map_err(|e| e.to_string())?;
    if args.json {
        println!("{}", to_json(&quote)?);
    } else {
        print!("{}", quote_text(&plan, &quote));
    }
    Ok(())
}

/// Runs `pilekit bill`.
pub fn run_bill(args: &BillArgs) -> Result<(), String> {
    let plan = load_plan(&args.plan)?;
    let offset = plan.utc_offset;
    let start = parse_time(&args.start, offset)?;
    let end = parse_time(&args.end, offset)?;
    let mut usage = Usage::new(start, end);
    usage.power = args.power;
    usage.energy = args.energy;
    if let Some(path) = &args.samples {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read samples `{}`: {e}", path.display()))?;
        usage.samples = parse_samples(&text, offset)?;
    }
    let given = [
        args.uses.is_some(),
        args.card_expires.is_some(),
        args.prepaid.is_some(),
    ];
    if given.iter().filter(|&&g| g).count() > 1 {
        return Err("give one way of paying: --uses, --card-expires or --prepaid".into());
    }
    // Every payment given is passed on: the plan refuses one that does not fit it (a
    // prepayment on a monthly card, say) with the reason. Only a monthly-card plan billed
    // without any payment is taken as paid by a card that has not expired.
    let payment = if let Some(n) = args.uses {
        Payment::UseCount { remaining: n }
    } else if let Some(text) = &args.card_expires {
        Payment::MonthlyCard {
            expires: parse_time(text, offset)?,
        }
    } else {
        match (args.prepaid, args.coins) {
            (Some(amount), true) => Payment::Coins { amount },
            (Some(amount), false) => Payment::Prepaid { amount },
            (None, _) if matches!(plan.pricing, Pricing::MonthlyCard(_)) => {
                Payment::MonthlyCard { expires: i64::MAX }
            }
            (None, _) => Payment::Postpaid,
        }
    };
    let bill = plan.bill(&usage, payment).map_err(|e| e.to_string())?;
    if args.json {
        println!("{}", to_json(&bill)?);
    } else {
        print!("{}", receipt(&plan, &bill));
    }
    Ok(())
}

fn load_plan(path: &Path) -> Result<Plan, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read plan `{}`: {e}", path.display()))?;
    let invalid =
        |e: &dyn std::fmt::Display| format!("plan `{}` is not valid: {e}", path.display());
    serde_json::from_str::<PlanKeys>(&text)
        .map_err(|e| invalid(&e))?
        .check()
        .map_err(|e| invalid(&e))?;
    let plan: Plan = serde_json::from_str(&text).map_err(|e| invalid(&e))?;
    plan.validate()
        .map_err(|e| format!("plan `{}` is not valid: {e}", path.display()))?;
    Ok(plan)
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string_pretty(value).map_err(|e| format!("cannot write json: {e}"))
}

/// Parses Unix seconds, or an ISO local time with an optional `Z`/`±hh:mm` suffix.
fn parse_time(text: &str, offset: UtcOffset) -> Result<i64, String> {
    let text = text.trim();
    if let Ok(unix) = text.parse::<i64>() {
        return Ok(unix);
    }
    let bad = || format!("`{text}` is not a time (use `YYYY-MM-DDThh:mm[:ss]` or Unix seconds)");
    let (local, offset) = if let Some(t) = text.strip_suffix('Z') {
        (t, UtcOffset::UTC)
    } else if text.len() > 6
        && text.is_char_boundary(text.len() - 6)
        && matches!(text.as_bytes()[text.len() - 6], b'+' | b'-')
        && text.as_bytes()[text.len() - 3] == b':'
    {
        let (t, z) = text.split_at(text.len() - 6);
        let sign = if z.starts_with('-') { -1 } else { 1 };
        let field = |r: std::ops::Range<usize>| -> Result<i32, String> {
            z.get(r).and_then(|f| f.parse().ok()).ok_or_else(bad)
        };
        let (h, m) = (field(1..3)?, field(4..6)?);
        (t, UtcOffset(sign * (h * 3600 + m * 60)))
    } else {
        (text, offset)
    };
    let t = LocalDateTime::parse(local).map_err(|e| format!("`{text}`: {e}"))?;
    Ok(t.to_unix(offset))
}

/// Parses a samples file: a JSON array, or `time,power_w[,energy_kwh]` lines.
fn parse_samples(text: &str, offset: UtcOffset) -> Result<Vec<Sample>, String> {
    if text.trim_start().starts_with('[') {
        return serde_json::from_str(text).map_err(|e| format!("samples are not valid: {e}"));
    }
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let at = match parse_time(fields[0], offset) {
            Ok(t) => t,
            Err(_) if n == first_content_line(text) && is_header(fields[0]) => continue,
            Err(e) => return Err(format!("samples line {}: {e}", n + 1)),
        };
        if fields.len() < 2 || fields.len() > 3 {
            return Err(format!(
                "samples line {}: `{line}` is not `time,power_w[,energy_kwh]`",
                n + 1
            ));
        }
        let power: Power = fields[1]
            .parse()
            .map_err(|e| format!("samples line {}: {e}", n + 1))?;
        let energy = match fields.get(2) {
            Some(e) if !e.is_empty() => Some(
                e.parse::<Energy>()
                    .map_err(|e| format!("samples line {}: {e}", n + 1))?,
            ),
            _ => None,
        };
        out.push(Sample { at, power, energy });
    }
    Ok(out)
}

/// Whether the first field of a line is a column name rather than a malformed time: a header
/// has no digit where the time belongs (`time`, `at`), while `08:0x` or `2024-13-01` are errors.
fn is_header(first_field: &str) -> bool {
    !first_field.bytes().any(|b| b.is_ascii_digit())
}

fn first_content_line(text: &str) -> usize {
    text.lines()
        .position(|l| !l.split('#').next().unwrap_or("").trim().is_empty())
        .unwrap_or(0)
}

/// Money as a person writes it: two decimals when it is whole fen, else four.
fn yuan(m: Money) -> String {
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
    out.trim_end().to_owned()
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

/// The receipt a resident reads.
fn receipt(plan: &Plan, bill: &Bill) -> String {
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

fn quote_text(plan: &Plan, q: &Quote) -> String {
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
            TierPrice::PerKwh(r) => format!("{} yuan/kWh", r),
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
    fn times_parse_in_the_plan_offset() {
        let cst = UtcOffset::CHINA;
        assert_eq!(parse_time("1700000000", cst), Ok(1_700_000_000));
        assert_eq!(parse_time("1970-01-01T08:00", cst), Ok(0));
        assert_eq!(parse_time("1970-01-01T00:00:00Z", cst), Ok(0));
        assert_eq!(parse_time("1970-01-01T01:00:00+01:00", cst), Ok(0));
        assert!(parse_time("yesterday", cst).is_err());
    }

    #[test]
    fn samples_parse_from_text_and_json() {
        let text =
            "time,power_w,energy_kwh\n# a comment\n1970-01-01T08:05,120.5,0.01\n\n0,100\n0,100\n";
        let s = parse_samples(text, UtcOffset::CHINA).unwrap();
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].at, 300);
        assert_eq!(s[0].power, Power(1205));
        assert_eq!(s[0].energy, Some(Energy(100)));
        let json = r#"[{"at_unix_s": 60, "power_w": 100.0}]"#;
        assert_eq!(parse_samples(json, UtcOffset::CHINA).unwrap()[0].at, 60);
        assert!(parse_samples("0,abc\n", UtcOffset::CHINA).is_err());
    }

    #[test]
    fn only_a_line_of_column_names_is_skipped_as_a_header() {
        let with_header = parse_samples("time,power_w\n60,100\n", UtcOffset::CHINA).unwrap();
        assert_eq!(with_header.len(), 1);
        assert_eq!(with_header[0].at, 60);
        for malformed in ["08:0x,100\n60,100\n", "2024-13-01T08:00,100\n60,100\n"] {
            let err = parse_samples(malformed, UtcOffset::CHINA).unwrap_err();
            assert!(err.starts_with("samples line 1:"), "{err}");
        }
    }

    #[test]
    fn money_prints_to_the_fen() {
        assert_eq!(yuan(Money(2900)), "0.29");
        assert_eq!(yuan(Money(3125)), "0.3125");
        assert_eq!(yuan(Money(-50)), "-0.0050");
        assert_eq!(rate(EnergyPrice(60_000)), "0.60");
        assert_eq!(rate(EnergyPrice(61_234)), "0.61234");
        assert_eq!(duration(4200), "1 h 10 min");
        assert_eq!(duration(0), "0 min");
    }

    fn example(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/plans")
            .join(name)
    }

    #[test]
    fn receipts_itemise_the_bill() {
        let plan = load_plan(&example("tou-residential.json")).unwrap();
        let usage = Usage::new(
            parse_time("2024-05-01T22:00", plan.utc_offset).unwrap(),
            parse_time("2024-05-02T01:00", plan.utc_offset).unwrap(),
        )
        .with_power(Power::from_watts(2000));
        let bill = plan
            .bill(
                &usage,
                Payment::Prepaid {
                    amount: Money::from_fen(1000),
                },
            )
            .unwrap();
        let text = receipt(&plan, &bill);
        assert!(
            text.contains("Electricity 电费, 深谷 deep valley"),
            "{text}"
        );
        assert!(text.contains("0.20 yuan/kWh"), "{text}");
        assert!(
            text.lines()
                .any(|l| l.starts_with("Service fee 服务费 subtotal") && l.ends_with("2.00")),
            "{text}"
        );
        assert!(
            text.lines()
                .any(|l| l.starts_with("Total") && l.ends_with("4.20")),
            "{text}"
        );
        assert!(
            text.lines()
                .any(|l| l.starts_with("Refund") && l.ends_with("5.80")),
            "{text}"
        );
    }

    #[test]
    fn commands_run_on_the_example_plans() {
        let bill = BillArgs {
            plan: example("power-tiers.json"),
            start: "2024-05-01T08:00".into(),
            end: "2024-05-01T09:30".into(),
            power: Some(Power::from_watts(2600)),
            energy: None,
            samples: None,
            prepaid: None,
            coins: false,
            card_expires: None,
            uses: None,
            json: false,
        };
        assert_eq!(
            run_bill(&bill).unwrap_err(),
            "power `2600.0 W` is above the top tier `2500.0 W`"
        );
        let bill = BillArgs {
            power: Some(Power::from_watts(700)),
            json: true,
            ..bill
        };
        assert_eq!(run_bill(&bill), Ok(()));
        let quote = QuoteArgs {
            plan: example("one-yuan-four-hours.json"),
            prepaid: Money::YUAN,
            power: None,
            json: false,
        };
        assert_eq!(run_quote(&quote), Ok(()));
        let missing = QuoteArgs {
            plan: example("no-such-plan.json"),
            ..quote
        };
        assert!(
            run_quote(&missing)
                .unwrap_err()
                .starts_with("cannot read plan")
        );
    }
}
