//! Bills: a session's usage priced into itemised line items, adjustments, total and refund.

use alloc::vec::Vec;

use super::TariffError;
use super::block::{BlockPrice, TimeUnit};
use super::calendar::DayTables;
use super::plan::{Included, Plan, Pricing, ServiceFee};
use super::rounding::RoundingStage;
use super::tiers::{TierPlan, TierPolicy, TierPrice};
use super::tou::TouClass;
use super::usage::{Sample, Stats, Timeline, Usage, class_energies, class_name, total_energy};
use crate::units::{Energy, EnergyPrice, Money, Power, Seconds};

/// How a session is paid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "method", rename_all = "snake_case"))]
pub enum Payment {
    /// Nothing paid in advance; the total is due.
    #[default]
    Postpaid,
    /// Paid in advance from a wallet, card or QR payment: the unused part is refunded.
    Prepaid {
        /// The amount paid.
        #[cfg_attr(feature = "serde", serde(rename = "amount_yuan"))]
        amount: Money,
    },
    /// Coins inserted at the pile: there is no account, so nothing is ever refunded.
    Coins {
        /// The value of the coins.
        #[cfg_attr(feature = "serde", serde(rename = "amount_yuan"))]
        amount: Money,
    },
    /// A monthly card valid until `expires`.
    MonthlyCard {
        /// The end of the card's validity, in Unix seconds.
        #[cfg_attr(feature = "serde", serde(rename = "expires_unix_s"))]
        expires: i64,
    },
    /// A count of prepaid uses (计次).
    UseCount {
        /// Uses left before this session.
        remaining: u32,
    },
}

impl Payment {
    /// The money paid in advance (zero for postpaid, cards and counts).
    pub const fn prepaid(&self) -> Money {
        match self {
            Payment::Prepaid { amount } | Payment::Coins { amount } => *amount,
            _ => Money::ZERO,
        }
    }
}

/// What a line is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum LineKind {
    /// The charge for the charging itself (充电电费), priced by energy or, on e-bike plans, by
    /// time. The minimum charge applies to these lines only.
    Electricity,
    /// The service fee (服务费), always on its own lines.
    Service,
    /// A fixed-time package.
    Package,
    /// A session covered by a monthly card.
    MonthlyCard,
    /// A session paid per use.
    PerUse,
    /// The waiver of a session that ended within the free minutes.
    FreeMinutes,
    /// The top-up of the electricity lines to the plan's minimum charge.
    Minimum,
    /// The reduction to the plan's cap or the prepaid amount.
    Cap,
    /// The rounding of the total to the fen (rounding stage `total`).
    Rounding,
}

impl LineKind {
    /// Whether this is an adjustment rather than a priced item.
    pub const fn is_adjustment(self) -> bool {
        matches!(
            self,
            LineKind::FreeMinutes | LineKind::Minimum | LineKind::Cap | LineKind::Rounding
        )
    }
}

/// The quantity a line prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Quantity {
    /// Billed time (after the plan's time unit rounded it).
    #[cfg_attr(feature = "serde", serde(rename = "quantity_s"))]
    Duration(Seconds),
    /// Energy.
    #[cfg_attr(feature = "serde", serde(rename = "quantity_kwh"))]
    Energy(Energy),
    /// A number of uses.
    #[cfg_attr(feature = "serde", serde(rename = "quantity_uses"))]
    Uses(u32),
}

/// The unit price of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum UnitPrice {
    /// Per kWh.
    #[cfg_attr(feature = "serde", serde(rename = "unit_price_yuan_per_kwh"))]
    PerKwh(EnergyPrice),
    /// Per hour.
    #[cfg_attr(feature = "serde", serde(rename = "unit_price_yuan_per_hour"))]
    PerHour(Money),
    /// Per minute.
    #[cfg_attr(feature = "serde", serde(rename = "unit_price_yuan_per_min"))]
    PerMinute(Money),
    /// Per block of minutes.
    #[cfg_attr(feature = "serde", serde(rename = "unit_price_per_block"))]
    PerBlock(BlockPrice),
    /// A share of a base block's time: the block buys `ratio` percent of its minutes.
    #[cfg_attr(feature = "serde", serde(rename = "unit_price_per_block_ratio"))]
    PerBlockRatio {
        /// The base block.
        #[cfg_attr(feature = "serde", serde(flatten))]
        block: BlockPrice,
        /// The time ratio in percent.
        #[cfg_attr(feature = "serde", serde(rename = "time_ratio_pct"))]
        ratio: u8,
    },
    /// Per use.
    #[cfg_attr(feature = "serde", serde(rename = "unit_price_yuan_per_use"))]
    PerUse(Money),
}

/// One line of a bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Line {
    /// What the line is for.
    pub kind: LineKind,
    /// The power tier priced (1 = lowest), for tiered plans.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub tier: Option<u8>,
    /// The time-of-use class priced, for time-of-use plans.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub class: Option<TouClass>,
    /// The quantity priced (none on adjustments).
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub quantity: Option<Quantity>,
    /// The unit price (none on adjustments).
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub unit_price: Option<UnitPrice>,
    /// The amount, rounded as the plan declares; negative for reductions.
    #[cfg_attr(feature = "serde", serde(rename = "amount_yuan"))]
    pub amount: Money,
}

/// The sum of a bill's lines of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Subtotal {
    /// The kind of the lines.
    pub kind: LineKind,
    /// Their sum.
    #[cfg_attr(feature = "serde", serde(rename = "amount_yuan"))]
    pub amount: Money,
}

/// The subtotal of each kind of line, in the order the kinds first occur.
fn subtotals(lines: &[Line]) -> Vec<Subtotal> {
    let mut out: Vec<Subtotal> = Vec::with_capacity(lines.len().min(4));
    for line in lines {
        // lines of a kind usually follow each other
        if let Some(s) = out.last_mut()
            && s.kind == line.kind
        {
            s.amount = Money(s.amount.0 + line.amount.0);
            continue;
        }
        match out.iter_mut().find(|s| s.kind == line.kind) {
            Some(s) => s.amount = Money(s.amount.0 + line.amount.0),
            None => out.push(Subtotal {
                kind: line.kind,
                amount: line.amount,
            }),
        }
    }
    out
}

/// An itemised bill.
///
/// Invariants: the lines sum to `total`; `total` is never negative, never above the plan's cap,
/// and never above a prepaid amount when the plan caps at it; `total + refund + retained =
/// prepaid + due`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Bill {
    /// Start, in Unix seconds.
    #[cfg_attr(feature = "serde", serde(rename = "start_unix_s"))]
    pub start: i64,
    /// End, in Unix seconds.
    #[cfg_attr(feature = "serde", serde(rename = "end_unix_s"))]
    pub end: i64,
    /// The session's duration.
    #[cfg_attr(feature = "serde", serde(rename = "duration_s"))]
    pub duration: Seconds,
    /// The energy delivered, when known.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            rename = "energy_kwh",
            skip_serializing_if = "Option::is_none"
        )
    )]
    pub energy: Option<Energy>,
    /// The peak power, when known.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            rename = "peak_power_w",
            skip_serializing_if = "Option::is_none"
        )
    )]
    pub peak_power: Option<Power>,
    /// The line items, priced items first, then adjustments.
    pub lines: Vec<Line>,
    /// The sum of the lines of each kind that occurs, in the order the kinds first occur
    /// (electricity, service fee, …, then adjustments): what the receipt shows next to the
    /// lines. They add up to `total`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub subtotals: Vec<Subtotal>,
    /// What the session costs.
    #[cfg_attr(feature = "serde", serde(rename = "total_yuan"))]
    pub total: Money,
    /// The money paid in advance.
    #[cfg_attr(feature = "serde", serde(rename = "prepaid_yuan"))]
    pub prepaid: Money,
    /// The part of the prepaid amount given back.
    #[cfg_attr(feature = "serde", serde(rename = "refund_yuan"))]
    pub refund: Money,
    /// The part of the prepaid amount kept although unused (coins are never refunded).
    #[cfg_attr(feature = "serde", serde(rename = "retained_yuan"))]
    pub retained: Money,
    /// What is still owed beyond the prepaid amount.
    #[cfg_attr(feature = "serde", serde(rename = "due_yuan"))]
    pub due: Money,
    /// Uses taken from a use count.
    #[cfg_attr(feature = "serde", serde(default))]
    pub uses: u32,
    /// The version of the plan that priced the session, when billed through a
    /// [`PlanHistory`](super::history::PlanHistory).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub plan_version: Option<alloc::string::String>,
}

impl Bill {
    /// Checks the invariants every bill of this crate satisfies, for a bill paid by `payment`,
    /// and names the first one broken:
    ///
    /// - the total is not negative and is a whole number of fen;
    /// - priced lines carry a quantity and a unit price, adjustments neither;
    /// - there is one subtotal per kind of line, equal to the sum of the lines of that kind, and
    ///   the subtotals add up to the total, as the lines do;
    /// - the prepaid amount is the payment's; refund, retained and due are not negative;
    ///   `refund = prepaid − total − retained` when the prepayment covers the total (else
    ///   `due = total − prepaid` and nothing is refunded or retained);
    /// - coins are never refunded (what is unused is retained), a prepayment never retained,
    ///   and a session not paid in advance is wholly due;
    /// - the duration is the end minus the start.
    pub fn check_invariants(&self, payment: Payment) -> Result<(), &'static str> {
        fn sum(mut it: impl Iterator<Item = i64>) -> Result<i64, &'static str> {
            it.try_fold(0i64, |acc, v| acc.checked_add(v))
                .ok_or("a sum overflows")
        }
        if self.total.0 < 0 {
            return Err("the total is negative");
        }
        if self.total.0 % 100 != 0 {
            return Err("the total is not whole fen");
        }
        for l in &self.lines {
            let priced = !l.kind.is_adjustment();
            if l.quantity.is_some() != priced || l.unit_price.is_some() != priced {
                return Err(
                    "a priced line lacks a quantity or unit price, or an adjustment has one",
                );
            }
        }
        if sum(self.lines.iter().map(|l| l.amount.0))? != self.total.0 {
            return Err("the lines do not add up to the total");
        }
        if sum(self.subtotals.iter().map(|s| s.amount.0))? != self.total.0 {
            return Err("the subtotals do not add up to the total");
        }
        for (i, st) in self.subtotals.iter().enumerate() {
            if self.subtotals[..i].iter().any(|o| o.kind == st.kind) {
                return Err("a kind has two subtotals");
            }
            let of_kind = self.lines.iter().filter(|l| l.kind == st.kind);
            if sum(of_kind.map(|l| l.amount.0))? != st.amount.0 {
                return Err("a subtotal is not the sum of its lines");
            }
        }
        if self
            .lines
            .iter()
            .any(|l| !self.subtotals.iter().any(|s| s.kind == l.kind))
        {
            return Err("a kind of line has no subtotal");
        }
        if self.prepaid != payment.prepaid() {
            return Err("the prepaid amount is not the payment's");
        }
        if self.refund.0 < 0 || self.retained.0 < 0 || self.due.0 < 0 {
            return Err("a refund, retained or due amount is negative");
        }
        let unused = self.prepaid.0 - self.total.0;
        let (refund, retained, due) = match payment {
            Payment::Prepaid { .. } => (unused.max(0), 0, (-unused).max(0)),
            Payment::Coins { .. } => (0, unused.max(0), (-unused).max(0)),
            _ => (0, 0, self.total.0),
        };
        if matches!(payment, Payment::Coins { .. }) && self.refund.0 != 0 {
            return Err("coins are refunded");
        }
        if (self.refund.0, self.retained.0, self.due.0) != (refund, retained, due) {
            return Err("refund, retained and due do not settle the prepaid amount");
        }
        if i128::from(self.duration.0) != i128::from(self.end) - i128::from(self.start) {
            return Err("the duration is not the end minus the start");
        }
        Ok(())
    }

    /// The sum of the lines of a kind.
    pub fn sum_of(&self, kind: LineKind) -> Money {
        Money(
            self.lines
                .iter()
                .filter(|l| l.kind == kind)
                .map(|l| l.amount.0)
                .sum(),
        )
    }
}

/// The exact amount of a line before rounding: `num / den` units of 0.0001 yuan.
struct Exact {
    num: i128,
    den: i128,
}

struct Builder<'p> {
    plan: &'p Plan,
    lines: Vec<Line>,
}

impl Builder<'_> {
    // Inlined at each call site, where the denominator is often a constant (0.00001 yuan/kWh
    // times 0.0001 kWh, an hour): the division by it is then a multiplication.
    #[inline(always)]
    fn push(
        &mut self,
        kind: LineKind,
        quantity: Quantity,
        unit_price: UnitPrice,
        exact: Exact,
    ) -> Result<(), TariffError> {
        let mode = self.plan.rounding.mode;
        let units = match self.plan.rounding.stage {
            RoundingStage::Line => mode.div(exact.num, exact.den * 100) * 100,
            RoundingStage::Total => mode.div(exact.num, exact.den),
        };
        let amount = Money(i64::try_from(units).map_err(|_| TariffError::Overflow)?);
        self.lines.push(Line {
            kind,
            tier: None,
            class: None,
            quantity: Some(quantity),
            unit_price: Some(unit_price),
            amount,
        });
        Ok(())
    }

    fn adjust(&mut self, kind: LineKind, amount: Money) {
        self.lines.push(Line {
            kind,
            tier: None,
            class: None,
            quantity: None,
            unit_price: None,
            amount,
        });
    }

    fn last_mut(&mut self) -> Option<&mut Line> {
        self.lines.last_mut()
    }

    fn sum(&self) -> Result<i64, TariffError> {
        self.lines
            .iter()
            .try_fold(0i64, |acc, l| acc.checked_add(l.amount.0))
            .ok_or(TariffError::Overflow)
    }
}

fn seconds(s: u64) -> Result<Seconds, TariffError> {
    u32::try_from(s)
        .map(Seconds)
        .map_err(|_| TariffError::Overflow)
}

impl Plan {
    /// Whether the bill needs the energy of each power tier: tiers priced per kWh or a
    /// service fee by tier.
    fn tier_energies_needed(&self) -> bool {
        match &self.pricing {
            Pricing::PowerTiers(p) => {
                p.by_energy() || matches!(self.service_fee, Some(ServiceFee::PerTierKwh(_)))
            }
            _ => false,
        }
    }

    /// Prices a session.
    ///
    /// Errors when the plan is invalid, the session ends before it starts, the plan needs power
    /// or energy the usage lacks, a power is above the top tier, or the payment does not fit the
    /// plan (a negative prepayment, an expired card, no uses left).
    pub fn bill(&self, usage: &Usage, payment: Payment) -> Result<Bill, TariffError> {
        let mut buf = Vec::new();
        self.bill_with_buffer(usage, payment, &mut buf)
    }

    /// Like [`bill`](Self::bill), sorting unsorted samples in `buf` (reuse it across bills to
    /// avoid allocating). Sorted samples without duplicates are used in place.
    pub fn bill_with_buffer(
        &self,
        usage: &Usage,
        payment: Payment,
        buf: &mut Vec<Sample>,
    ) -> Result<Bill, TariffError> {
        self.bill_inner(usage, payment, buf, 0)
    }

    /// Prices a monthly card session when the card has already been used `uses_today` times
    /// on the local day the session starts (the caller keeps that count). Beyond the card's
    /// uses per day, the session falls back to the card's pay-per-use plan or is refused;
    /// [`bill`](Self::bill) counts no earlier use. Other plans ignore the count.
    pub fn bill_card_use(
        &self,
        usage: &Usage,
        payment: Payment,
        uses_today: u32,
    ) -> Result<Bill, TariffError> {
        let mut buf = Vec::new();
        self.bill_inner(usage, payment, &mut buf, uses_today)
    }

    fn bill_inner(
        &self,
        usage: &Usage,
        payment: Payment,
        buf: &mut Vec<Sample>,
        uses_today: u32,
    ) -> Result<Bill, TariffError> {
        self.validate_modifiers()?;
        self.validate_simple_family()?;
        if let Pricing::PowerTiers(p) = &self.pricing {
            p.validate()?;
        }
        check_prepaid(payment.prepaid())?;
        // Tiers that follow the power slice by slice are counted in the same pass as the stats.
        let new_slices = || match &self.pricing {
            Pricing::PowerTiers(p)
                if matches!(p.selection, TierPolicy::Ratchet | TierPolicy::PerSlice) =>
            {
                Some(TierSlices::new(p, self.tier_energies_needed(), usage.start))
            }
            _ => None,
        };
        let mut slices = new_slices();
        // A time-of-use split by meter readings alone reads them itself: only the peak is left.
        let tou_by_readings = matches!(self.pricing, Pricing::TimeOfUse(_))
            && usage.energy.is_none()
            && usage.class_energy.is_none();
        // First the one pass that validates and takes the stats of samples in time order, as
        // piles send them; anything else (or anything wrong) is left to the general path below.
        let scanned = match slices.as_mut() {
            Some(acc) => match (acc.weigh, acc.ratchet) {
                (true, true) => {
                    usage.scan_increasing::<true>(|a, z, w| acc.add::<true, true>(a, z, w))
                }
                (true, false) => {
                    usage.scan_increasing::<true>(|a, z, w| acc.add::<true, false>(a, z, w))
                }
                (false, true) => {
                    usage.scan_increasing::<true>(|a, z, w| acc.add::<false, true>(a, z, w))
                }
                (false, false) => {
                    usage.scan_increasing::<true>(|a, z, w| acc.add::<false, false>(a, z, w))
                }
            },
            // readings in the first sample: the split by readings, which needs no integral
            None if tou_by_readings
                && usage.samples.first().is_some_and(|s| s.energy.is_some()) =>
            {
                usage.scan_increasing::<false>(|_, _, _| {})
            }
            None => usage.scan_increasing::<true>(|_, _, _| {}),
        }?;
        let (checked, samples, mut stats) = match scanned {
            Some((checked, stats)) => (checked, usage.samples.as_slice(), stats),
            None => {
                slices = new_slices();
                let checked = usage.validate_fast()?;
                let samples = usage.sorted_samples_if(checked.increasing, buf);
                let tl = Timeline {
                    samples,
                    start: usage.start,
                    end: usage.end,
                    power: usage.power,
                    readings: checked.readings,
                    strict: checked.increasing,
                };
                let stats = match slices.as_mut() {
                    Some(acc) => match (acc.weigh, acc.ratchet) {
                        (true, true) => tl.stats_with(|a, z, w| acc.add::<true, true>(a, z, w)),
                        (true, false) => tl.stats_with(|a, z, w| acc.add::<true, false>(a, z, w)),
                        (false, true) => tl.stats_with(|a, z, w| acc.add::<false, true>(a, z, w)),
                        (false, false) => tl.stats_with(|a, z, w| acc.add::<false, false>(a, z, w)),
                    },
                    None if tou_by_readings && tl.readings => tl.stats_for_readings_split(),
                    None => tl.stats(),
                };
                (checked, samples, stats)
            }
        };
        if tou_by_readings && checked.readings {
            // what `Timeline::stats_for_readings_split` leaves out, as nothing then reads it
            stats.integral = 0;
            stats.last_reading = None;
        }
        // validated: the end is not before the start
        let duration = usage.end.abs_diff(usage.start);
        let tl = Timeline {
            samples,
            start: usage.start,
            end: usage.end,
            power: usage.power,
            readings: checked.readings,
            strict: checked.increasing,
        };
        // Room for every line the family can produce plus the modifiers, so pushing never
        // reallocates: up to 8 tiers (and a service fee by tier) or 5 classes × 2, then
        // service, minimum, rounding, free minutes and cap.
        let priced = match &self.pricing {
            Pricing::PowerTiers(p) => match self.service_fee {
                Some(ServiceFee::PerTierKwh(_)) => 2 * p.tiers.len(),
                _ => p.tiers.len(),
            },
            Pricing::TimeOfUse(p) => 2 * p.rates.len(),
            Pricing::StartingPrice(_) => 2,
            _ => 1,
        };
        let mut b = Builder {
            plan: self,
            lines: Vec::with_capacity(
                priced
                    + 5
                    + if matches!(self.service_fee, Some(ServiceFee::TimeOfUse(_))) {
                        5
                    } else {
                        0
                    },
            ),
        };
        let mut energy = None;
        let mut tier_energy = [0i64; super::tiers::MAX_TIERS];
        let mut uses = 0;
        match (&self.pricing, payment) {
            (Pricing::MonthlyCard(_), Payment::MonthlyCard { .. })
            | (Pricing::PerUse(_), Payment::UseCount { .. }) => {}
            (Pricing::MonthlyCard(_), _) => {
                return Err(TariffError::PaymentMismatch {
                    payment: payment_name(&payment),
                    family: "monthly_card",
                });
            }
            (_, Payment::MonthlyCard { .. } | Payment::UseCount { .. }) => {
                return Err(TariffError::PaymentMismatch {
                    payment: payment_name(&payment),
                    family: family_name(&self.pricing),
                });
            }
            _ => {}
        }
        match &self.pricing {
            Pricing::FixedBlock(p) => {
                let block_s = p.block.seconds();
                let billed = p.billed_by.billed(duration, block_s);
                b.push(
                    LineKind::Electricity,
                    Quantity::Duration(seconds(billed)?),
                    UnitPrice::PerBlock(p.block),
                    Exact {
                        num: i128::from(p.block.price.0) * i128::from(billed),
                        den: i128::from(block_s),
                    },
                )?;
            }
            Pricing::Hourly(p) => {
                let billed = p.billed_by.billed(duration, 3600);
                b.push(
                    LineKind::Electricity,
                    Quantity::Duration(seconds(billed)?),
                    UnitPrice::PerHour(p.rate),
                    Exact {
                        num: i128::from(p.rate.0) * i128::from(billed),
                        den: 3600,
                    },
                )?;
            }
            Pricing::PowerTiers(p) => {
                energy = total_energy(usage, &stats);
                let want = self.tier_energies_needed().then_some(&mut tier_energy);
                price_tiers(&mut b, p, usage, tl, &stats, slices, duration, energy, want)?;
            }
            Pricing::TimeOfUse(p) => {
                let (table, calendar) = p.day_tables()?;
                let days = match &calendar {
                    Some(c) => DayTables::Calendar(c),
                    None => DayTables::One(&table.slots),
                };
                let per_class = class_energies(usage, tl, &stats, self.utc_offset, days)?;
                energy = Some(Energy(per_class.iter().map(|e| e.0).sum()));
                for service in [false, true] {
                    for (i, e) in per_class.iter().enumerate() {
                        let Some((er, sr)) = table.rates[i] else {
                            if e.0 != 0 {
                                return Err(TariffError::EnergyWithoutRate {
                                    class: class_name(i).unwrap_or(TouClass::Flat),
                                    energy: *e,
                                });
                            }
                            continue;
                        };
                        let rate = if service { sr } else { er };
                        if e.0 == 0 || (service && rate.0 == 0) {
                            continue;
                        }
                        let kind = if service {
                            LineKind::Service
                        } else {
                            LineKind::Electricity
                        };
                        b.push(
                            kind,
                            Quantity::Energy(*e),
                            UnitPrice::PerKwh(rate),
                            Exact {
                                num: i128::from(rate.0) * i128::from(e.0),
                                den: 100_000,
                            },
                        )?;
                        if let Some(l) = b.last_mut() {
                            l.class = class_name(i);
                        }
                    }
                }
            }
            Pricing::Package(p) => {
                let full = u64::from(p.minutes) * 60;
                let used = duration.min(full);
                b.push(
                    LineKind::Package,
                    Quantity::Duration(seconds(used)?),
                    UnitPrice::PerBlock(BlockPrice {
                        price: p.price,
                        minutes: p.minutes,
                    }),
                    Exact {
                        num: i128::from(p.price.0) * i128::from(used),
                        den: i128::from(full),
                    },
                )?;
            }
            Pricing::MonthlyCard(p) => {
                if let Payment::MonthlyCard { expires } = payment
                    && usage.start >= expires
                {
                    return Err(TariffError::CardExpired { expires });
                }
                let beyond = if p.uses_per_day != 0 && uses_today >= p.uses_per_day {
                    Some(TariffError::CardDailyUses {
                        uses_per_day: p.uses_per_day,
                    })
                } else {
                    match (stats.peak, p.max_power) {
                        (Some(power), Some(max)) if power > max => {
                            Some(TariffError::CardPowerAbove { power, max })
                        }
                        _ => None,
                    }
                };
                if let Some(refusal) = beyond {
                    return match &p.fallback {
                        Some(f) => f.bill(usage, Payment::Postpaid),
                        None => Err(refusal),
                    };
                }
                let covered = if p.max_session_minutes == 0 {
                    duration
                } else {
                    duration.min(u64::from(p.max_session_minutes) * 60)
                };
                b.push(
                    LineKind::MonthlyCard,
                    Quantity::Duration(seconds(covered)?),
                    UnitPrice::PerBlock(BlockPrice {
                        price: p.price,
                        minutes: p.days.saturating_mul(24 * 60),
                    }),
                    Exact { num: 0, den: 1 },
                )?;
            }
            Pricing::PerUse(p) => {
                let by_count = match payment {
                    Payment::UseCount { remaining: 0 } => return Err(TariffError::NoUsesLeft),
                    Payment::UseCount { .. } => true,
                    _ => false,
                };
                uses = 1;
                b.push(
                    LineKind::PerUse,
                    Quantity::Uses(1),
                    UnitPrice::PerUse(p.price),
                    Exact {
                        num: if by_count { 0 } else { i128::from(p.price.0) },
                        den: 1,
                    },
                )?;
            }
            Pricing::StartingPrice(p) => {
                b.push(
                    LineKind::Electricity,
                    Quantity::Uses(1),
                    UnitPrice::PerUse(p.price),
                    Exact {
                        num: i128::from(p.price.0),
                        den: 1,
                    },
                )?;
                match p.then {
                    Included::Time {
                        minutes,
                        rate,
                        billed_by,
                    } => {
                        let beyond = duration.saturating_sub(u64::from(minutes) * 60);
                        let billed = billed_by.billed(beyond, 3600);
                        if billed > 0 {
                            b.push(
                                LineKind::Electricity,
                                Quantity::Duration(seconds(billed)?),
                                UnitPrice::PerHour(rate),
                                Exact {
                                    num: i128::from(rate.0) * i128::from(billed),
                                    den: 3600,
                                },
                            )?;
                        }
                    }
                    Included::Energy {
                        energy: included,
                        rate,
                    } => {
                        let used = total_energy(usage, &stats).ok_or(TariffError::MissingEnergy)?;
                        energy = Some(used);
                        let beyond = used.0.saturating_sub(included.0);
                        if beyond > 0 {
                            b.push(
                                LineKind::Electricity,
                                Quantity::Energy(Energy(beyond)),
                                UnitPrice::PerKwh(rate),
                                Exact {
                                    num: i128::from(rate.0) * i128::from(beyond),
                                    den: 100_000,
                                },
                            )?;
                        }
                    }
                }
            }
        }
        if energy.is_none() {
            energy = total_energy(usage, &stats);
        }
        match &self.service_fee {
            Some(ServiceFee::PerTierKwh(rates)) => {
                for (i, (&rate, &e)) in rates.iter().zip(&tier_energy).enumerate() {
                    if e == 0 || rate.0 == 0 {
                        continue;
                    }
                    b.push(
                        LineKind::Service,
                        Quantity::Energy(Energy(e)),
                        UnitPrice::PerKwh(rate),
                        Exact {
                            num: i128::from(rate.0) * i128::from(e),
                            den: 100_000,
                        },
                    )?;
                    if let Some(l) = b.last_mut() {
                        l.tier = u8::try_from(i + 1).ok();
                    }
                }
            }
            Some(ServiceFee::TimeOfUse(t)) => {
                let table = t.table()?;
                let per_class = class_energies(
                    usage,
                    tl,
                    &stats,
                    self.utc_offset,
                    DayTables::One(&table.slots),
                )?;
                if energy.is_none() {
                    energy = Some(Energy(per_class.iter().map(|e| e.0).sum()));
                }
                for (i, e) in per_class.iter().enumerate() {
                    let Some((_, rate)) = table.rates[i] else {
                        continue;
                    };
                    if e.0 == 0 || rate.0 == 0 {
                        continue;
                    }
                    b.push(
                        LineKind::Service,
                        Quantity::Energy(*e),
                        UnitPrice::PerKwh(rate),
                        Exact {
                            num: i128::from(rate.0) * i128::from(e.0),
                            den: 100_000,
                        },
                    )?;
                    if let Some(l) = b.last_mut() {
                        l.class = class_name(i);
                    }
                }
            }
            Some(ServiceFee::PerKwh(rate)) => {
                let rate = *rate;
                let e = energy.ok_or(TariffError::MissingEnergy)?;
                b.push(
                    LineKind::Service,
                    Quantity::Energy(e),
                    UnitPrice::PerKwh(rate),
                    Exact {
                        num: i128::from(rate.0) * i128::from(e.0),
                        den: 100_000,
                    },
                )?;
            }
            Some(ServiceFee::PerMinute(rate)) => {
                let rate = *rate;
                let billed = TimeUnit::Minute.billed(duration, 60);
                b.push(
                    LineKind::Service,
                    Quantity::Duration(seconds(billed)?),
                    UnitPrice::PerMinute(rate),
                    Exact {
                        num: i128::from(rate.0) * i128::from(billed / 60),
                        den: 1,
                    },
                )?;
            }
            None => {}
        }
        if let Some(min) = self.minimum {
            let electricity = b
                .lines
                .iter()
                .filter(|l| l.kind == LineKind::Electricity)
                .try_fold(0i64, |acc, l| acc.checked_add(l.amount.0))
                .ok_or(TariffError::Overflow)?;
            if electricity < min.0 {
                b.adjust(LineKind::Minimum, Money(min.0 - electricity));
            }
        }
        if self.rounding.stage == RoundingStage::Total {
            let sum = b.sum()?;
            let fen = self.rounding.mode.div(i128::from(sum), 100) * 100;
            let diff = i64::try_from(fen).map_err(|_| TariffError::Overflow)? - sum;
            if diff != 0 {
                b.adjust(LineKind::Rounding, Money(diff));
            }
        }
        if self.free_minutes > 0 && duration <= u64::from(self.free_minutes) * 60 {
            let sum = b.sum()?;
            if sum != 0 {
                b.adjust(LineKind::FreeMinutes, Money(-sum));
            }
        }
        let prepaid = payment.prepaid();
        let prepaid_cap = match payment {
            Payment::Prepaid { .. } | Payment::Coins { .. } if self.cap_at_prepaid => Some(prepaid),
            _ => None,
        };
        let cap = match (self.cap, prepaid_cap) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(cap) = cap {
            let sum = b.sum()?;
            if sum > cap.0 {
                b.adjust(LineKind::Cap, Money(cap.0 - sum));
            }
        }
        let total = Money(b.sum()?);
        let (refund, retained, due) = match payment {
            Payment::Prepaid { amount } => (
                Money((amount.0 - total.0).max(0)),
                Money::ZERO,
                Money((total.0 - amount.0).max(0)),
            ),
            Payment::Coins { amount } => (
                Money::ZERO,
                Money((amount.0 - total.0).max(0)),
                Money((total.0 - amount.0).max(0)),
            ),
            _ => (Money::ZERO, Money::ZERO, total),
        };
        Ok(Bill {
            start: usage.start,
            end: usage.end,
            duration: seconds(duration)?,
            energy,
            peak_power: stats.peak,
            subtotals: subtotals(&b.lines),
            lines: b.lines,
            total,
            prepaid,
            refund,
            retained,
            due,
            uses,
            plan_version: None,
        })
    }
}

/// The seconds spent in each tier as the power goes, for the ratchet and per-slice policies.
struct TierSlices<'p> {
    tiers: &'p [super::tiers::Tier],
    ratchet: bool,
    /// The tier of the last slice (0-based).
    current: usize,
    /// When the current tier's run of slices began; its seconds are counted when it ends.
    entered: i64,
    /// The band of the current tier: a power in `(floor, max]` stays in it.
    floor: Power,
    max: Power,
    /// The seconds of each tier's runs that have ended.
    secs: [u64; super::tiers::MAX_TIERS],
    /// Whether the power integral of each tier is wanted (tiers priced by energy, service fees
    /// by tier).
    weigh: bool,
    /// The power integral of each tier, in 0.1 W·s.
    integral: [i128; super::tiers::MAX_TIERS],
}

impl<'p> TierSlices<'p> {
    /// Counts the slices of a session that starts at `start`.
    fn new(p: &'p TierPlan, weigh: bool, start: i64) -> TierSlices<'p> {
        let mut slices = TierSlices {
            tiers: &p.tiers,
            ratchet: p.selection == TierPolicy::Ratchet,
            current: 0,
            entered: start,
            floor: Power(i64::MIN),
            max: Power(i64::MIN),
            secs: [0; super::tiers::MAX_TIERS],
            weigh,
            integral: [0; super::tiers::MAX_TIERS],
        };
        slices.enter(0);
        slices
    }

    /// Makes `tier` the current tier and caches its band. The top tier takes every power above
    /// it too (the bill refuses such a power afterwards, from the peak); with the ratchet the
    /// tier never comes down, so its band has no floor.
    fn enter(&mut self, tier: usize) {
        let top = self.tiers.len().saturating_sub(1);
        self.current = tier;
        self.max = match self.tiers.get(tier) {
            Some(t) if tier < top => t.max,
            _ => Power(i64::MAX),
        };
        self.floor = match tier.checked_sub(1).and_then(|i| self.tiers.get(i)) {
            Some(below) if !self.ratchet => below.max,
            _ => Power(i64::MIN),
        };
    }

    /// Ends the current tier's run at `at` and enters the tier of `power`.
    #[inline(never)]
    fn change(&mut self, at: i64, power: Power) {
        // wrapping: the slices of a session not yet validated may be anything (its bill is then
        // refused, or priced again from validated samples)
        if let Some(s) = self.secs.get_mut(self.current) {
            *s = s.wrapping_add(at.abs_diff(self.entered));
        }
        self.entered = at;
        let top = self.tiers.len().saturating_sub(1);
        let t = self
            .tiers
            .iter()
            .position(|t| power <= t.max)
            .unwrap_or(top);
        self.enter(if self.ratchet { self.current.max(t) } else { t });
    }

    /// Counts a slice; `WEIGH` is [`weigh`](Self::weigh) and `RATCHET` whether the policy is
    /// the ratchet, constants so that the loop over the slices does not test them each time.
    #[inline(always)]
    fn add<const WEIGH: bool, const RATCHET: bool>(&mut self, from: i64, to: i64, power: Power) {
        // the ratchet's band has no floor
        if power > self.max || (!RATCHET && power <= self.floor) {
            self.change(from, power);
        }
        if WEIGH && let Some(w) = self.integral.get_mut(self.current) {
            let weight = i128::from(power.0.max(0)).wrapping_mul(i128::from(to.abs_diff(from)));
            *w = w.wrapping_add(weight);
        }
    }

    /// The seconds of each tier, the slices having ended at `end`.
    fn secs(&self, end: i64) -> [u64; super::tiers::MAX_TIERS] {
        let mut secs = self.secs;
        if let Some(s) = secs.get_mut(self.current) {
            *s = s.wrapping_add(end.abs_diff(self.entered));
        }
        secs
    }
}

#[allow(clippy::too_many_arguments)]
fn price_tiers(
    b: &mut Builder<'_>,
    p: &TierPlan,
    usage: &Usage,
    tl: Timeline<'_>,
    stats: &Stats,
    slices: Option<TierSlices<'_>>,
    duration: u64,
    energy: Option<Energy>,
    tier_energy: Option<&mut [i64; super::tiers::MAX_TIERS]>,
) -> Result<(), TariffError> {
    let mut secs = [0u64; super::tiers::MAX_TIERS];
    let mut weights = [0i128; super::tiers::MAX_TIERS];
    let last: usize;
    if let Some(peak) = stats.peak {
        let peak_tier = p.tier_of(peak)?;
        match p.selection {
            TierPolicy::PerSlice | TierPolicy::Ratchet => {
                let Some(slices) = slices else {
                    return Err(TariffError::MissingPower);
                };
                secs = slices.secs(usage.end);
                weights = slices.integral;
                last = if duration == 0 {
                    peak_tier
                } else {
                    slices.current
                };
            }
            TierPolicy::SessionPeak => {
                last = peak_tier;
                secs[last] = duration;
            }
            TierPolicy::FirstMinutesPeak { minutes } => {
                let window_end = usage.start.saturating_add(i64::from(minutes) * 60);
                let mut window_peak = None::<Power>;
                tl.for_each_slice(|a, _, power| {
                    if a < window_end {
                        window_peak = Some(window_peak.map_or(power, |w| w.max(power)));
                    }
                });
                last = p.tier_of(window_peak.unwrap_or(peak))?;
                secs[last] = duration;
            }
            TierPolicy::Average => {
                last = match average_power(usage, stats, duration, energy) {
                    Some(mean) => mean.tier(p)?,
                    None => peak_tier,
                };
                secs[last] = duration;
            }
        }
    } else if p.selection == TierPolicy::Average && energy.is_some() {
        last = match average_power(usage, stats, duration, energy) {
            Some(mean) => mean.tier(p)?,
            None => p.tier_of(Power::ZERO)?,
        };
        secs[last] = duration;
    } else {
        return Err(TariffError::MissingPower);
    }
    if let Some(out) = tier_energy {
        let total = energy.ok_or(TariffError::MissingEnergy)?;
        *out = split_energy(total, &weights, last)?;
        if p.by_energy() {
            for (i, &e) in out.iter().enumerate().take(p.tiers.len()) {
                if e == 0 && i != last {
                    continue;
                }
                let TierPrice::PerKwh(rate) = p.tiers[i].price else {
                    continue;
                };
                b.push(
                    LineKind::Electricity,
                    Quantity::Energy(Energy(e)),
                    UnitPrice::PerKwh(rate),
                    Exact {
                        num: i128::from(rate.0) * i128::from(e),
                        den: 100_000,
                    },
                )?;
                if let Some(l) = b.last_mut() {
                    l.tier = u8::try_from(i + 1).ok();
                }
            }
            return Ok(());
        }
    }
    let billed = p.billed_by.billed(duration, 3600);
    secs[last] += billed - duration;
    for (i, &s) in secs.iter().enumerate() {
        if s == 0 && !(i == last && billed == 0) {
            continue;
        }
        let rate = p.rate(i);
        let unit = match p.tiers[i].price {
            TierPrice::PerHour(m) => UnitPrice::PerHour(m),
            TierPrice::TimeRatio(r) => UnitPrice::PerBlockRatio {
                block: p.base.unwrap_or(BlockPrice {
                    price: Money::ZERO,
                    minutes: 1,
                }),
                ratio: r,
            },
            // validated: a plan's tiers are all by time or all by energy
            TierPrice::PerKwh(_) => return Err(TariffError::TierPricesMixed),
        };
        b.push(
            LineKind::Electricity,
            Quantity::Duration(seconds(s)?),
            unit,
            Exact {
                num: rate.num * i128::from(s),
                den: rate.den,
            },
        )?;
        if let Some(l) = b.last_mut() {
            l.tier = u8::try_from(i + 1).ok();
        }
    }
    Ok(())
}

/// The energy of each tier: the session's energy split in proportion to the power integral
/// of each tier's slices (ratchet and per-slice policies), each share rounded down to 0.0001
/// kWh and what the rounding leaves given to the last tier billed, so the shares add up to the
/// session's energy exactly. With the whole-session policies (or no power integral) the last
/// tier billed, the session's only tier, takes all of it.
fn split_energy(
    total: Energy,
    weights: &[i128; super::tiers::MAX_TIERS],
    last: usize,
) -> Result<[i64; super::tiers::MAX_TIERS], TariffError> {
    let mut out = [0i64; super::tiers::MAX_TIERS];
    let sum: i128 = weights.iter().sum();
    let mut given = 0i64;
    if sum > 0 {
        for (o, &w) in out.iter_mut().zip(weights) {
            let share = (i128::from(total.0) * w).div_euclid(sum);
            *o = i64::try_from(share).map_err(|_| TariffError::Overflow)?;
            given += *o;
        }
    }
    if let Some(o) = out.get_mut(last) {
        *o += total.0 - given;
    }
    Ok(out)
}

/// The average power of a session as an exact fraction, in 0.1 W.
#[derive(Debug, Clone, Copy)]
struct MeanPower {
    num: i128,
    den: i128,
}

impl MeanPower {
    /// The tier the mean falls in, compared exactly with each tier's power (never truncated
    /// before the comparison: 200.05 W is above a 200 W tier).
    fn tier(self, p: &TierPlan) -> Result<usize, TariffError> {
        p.tiers
            .iter()
            .position(|t| self.num <= i128::from(t.max.0) * self.den)
            .ok_or(TariffError::PowerAboveTopTier {
                // rounded up, so the power named is above the top tier, as the mean is
                power: Power(i64::try_from(ceil_div(self.num, self.den)).unwrap_or(i64::MAX)),
                top: p.top(),
            })
    }
}

/// A prepayment is money paid: not negative, and in whole fen.
pub(crate) fn check_prepaid(prepaid: Money) -> Result<(), TariffError> {
    if prepaid.0 < 0 {
        return Err(TariffError::NegativePrice {
            what: "prepaid amount",
        });
    }
    if prepaid.0 % 100 != 0 {
        return Err(TariffError::NotWholeFen {
            what: "prepaid amount",
            amount: prepaid,
        });
    }
    Ok(())
}

/// `num / den` rounded up, for a positive `den`.
fn ceil_div(num: i128, den: i128) -> i128 {
    let q = num.div_euclid(den);
    if num.rem_euclid(den) == 0 { q } else { q + 1 }
}

/// The average power: the measured energy over the time when the usage carries one (a total,
/// per-class energies or meter readings), else the time-weighted mean of the power; `None` for
/// an empty session.
fn average_power(
    usage: &Usage,
    stats: &Stats,
    duration: u64,
    energy: Option<Energy>,
) -> Option<MeanPower> {
    if duration == 0 {
        return None;
    }
    let measured = usage.class_energy.is_some() || usage.energy.is_some() || stats.has_readings;
    let num = match energy {
        Some(e) if measured => i128::from(e.0) * super::usage::POWER_SECONDS_PER_ENERGY,
        _ => stats.integral,
    };
    Some(MeanPower {
        num,
        den: i128::from(duration),
    })
}

fn payment_name(p: &Payment) -> &'static str {
    match p {
        Payment::Postpaid => "postpaid",
        Payment::Prepaid { .. } => "prepaid",
        Payment::Coins { .. } => "coins",
        Payment::MonthlyCard { .. } => "monthly card",
        Payment::UseCount { .. } => "use count",
    }
}

pub(crate) fn family_name(p: &Pricing) -> &'static str {
    match p {
        Pricing::FixedBlock(_) => "fixed_block",
        Pricing::Hourly(_) => "hourly",
        Pricing::PowerTiers(_) => "power_tiers",
        Pricing::TimeOfUse(_) => "time_of_use",
        Pricing::Package(_) => "package",
        Pricing::MonthlyCard(_) => "monthly_card",
        Pricing::PerUse(_) => "per_use",
        Pricing::StartingPrice(_) => "starting_price",
    }
}
