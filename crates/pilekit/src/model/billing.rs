//! The dialects' billing models to and from tariff plans, exactly, and the YKC pile's own
//! arithmetic for reconciling its amounts.
//!
//! A YKC pile reports the model it runs with 0x0A/0x58; [`BillingModel::to_plan`] gives the plan
//! to bill its sessions with, and [`BillingModel::from_plan`] the frame that sets a plan on the
//! pile. JUY piles carry a time-of-use table ([`TouTariff`]) and a power-tier parameter table
//! ([`ParameterTable`]). The raw table forms are reachable too, through the extension traits
//! [`YkcTouTable`], [`JuyTouTable`] and [`JuyTierTable`] on the tariff's plans.

use alloc::format;
use alloc::vec::Vec;

use super::ModelError;
use crate::codec::Dialect;
use crate::codec::fields::HalfHourSlots;
use crate::codec::juy::{ParameterTable, TouRate, TouTariff};
use crate::codec::ykc::{BillingModel, ClassRate, ModelNumber, PileCode};
use crate::tariff::{
    BlockPrice, MAX_TIERS, Payment, Plan, Pricing, Reconciliation, SLOTS, Tier, TierPlan,
    TierPolicy, TierPrice, TimeUnit, TouClass, TouPlan, Usage,
};
use crate::units::{EnergyPrice, Money, Power};

/// The YKC 0x0A/0x58 billing model's tariff: (energy, service) rates of sharp, peak, flat and
/// valley (yuan/kWh ×10⁵ on the wire), and the class number of each half-hour slot.
pub type YkcRates = ([(EnergyPrice, EnergyPrice); 4], [u8; SLOTS]);

/// The JUY 0x8D time-of-use table: (energy, service) rates in 0.001 yuan/kWh of sharp, peak,
/// flat, valley and deep valley, and the class number of each half-hour slot.
pub type JuyRates = ([(u16, u16); 5], [u8; SLOTS]);

/// The tier fields of the JUY 0x89/0x8A parameter table: billing mode, coin time (minutes),
/// tier powers (W) and tier prices (0.01 yuan per hour, or percent).
pub type JuyTierParams = (u8, u16, [u16; MAX_TIERS], [u16; MAX_TIERS]);

fn not_representable(what: &'static str, reason: &'static str) -> ModelError {
    ModelError::NotRepresentable { what, reason }
}

/// A time-of-use plan as the YKC billing model's four-class table.
pub trait YkcTouTable: Sized {
    /// Builds a plan from the YKC 0x0A/0x58 rates: four (energy, service) rate pairs for sharp,
    /// peak, flat, valley, and the class number (0–3) of each slot. The plan lists the classes
    /// in protocol order; a class no slot uses is kept, so the conversion back is exact.
    fn from_ykc_rates(
        rates: [(EnergyPrice, EnergyPrice); 4],
        slot_classes: [u8; SLOTS],
    ) -> Result<Self, ModelError>;

    /// The YKC rates of this plan: four rate pairs and the class number of each slot. Classes
    /// the plan does not list are sent as zero rates. Fails if the plan uses 深谷 (deep valley),
    /// which YKC has no class for.
    fn to_ykc_rates(&self) -> Result<YkcRates, ModelError>;
}

impl YkcTouTable for TouPlan {
    fn from_ykc_rates(
        rates: [(EnergyPrice, EnergyPrice); 4],
        slot_classes: [u8; SLOTS],
    ) -> Result<TouPlan, ModelError> {
        Ok(TouPlan::from_class_table(&rates, &slot_classes)?)
    }

    fn to_ykc_rates(&self) -> Result<YkcRates, ModelError> {
        let table = self.table()?;
        if self.rate(TouClass::DeepValley).is_some() {
            return Err(ModelError::ClassNotInDialect {
                class: TouClass::DeepValley,
                dialect: Dialect::Ykc,
            });
        }
        let mut rates = [(EnergyPrice::ZERO, EnergyPrice::ZERO); 4];
        for (pair, rate) in rates.iter_mut().zip(table.rates) {
            if let Some(p) = rate {
                *pair = p;
            }
        }
        Ok((rates, table.slots))
    }
}

/// A time-of-use plan as the JUY 0x8D/0x8E table.
pub trait JuyTouTable: Sized {
    /// Builds a plan from a JUY table: four or five (energy, service) rate pairs in
    /// 0.001 yuan/kWh for sharp, peak, flat, valley[, deep valley], and the class number of each
    /// slot. The reference's 66-byte form carries four pairs, its 70-byte form five.
    fn from_juy_rates(rates: &[(u16, u16)], slot_classes: [u8; SLOTS]) -> Result<Self, ModelError>;

    /// The JUY table of this plan: five rate pairs in 0.001 yuan/kWh (unlisted classes zero) and
    /// the class number of each slot. Fails when a rate is not a whole number of
    /// 0.001 yuan/kWh or above 65.535 yuan/kWh.
    fn to_juy_rates(&self) -> Result<JuyRates, ModelError>;
}

/// A JUY rate in 0.001 yuan/kWh.
fn juy_milli(p: EnergyPrice) -> Result<u16, ModelError> {
    u16::try_from(p.0 / 100)
        .ok()
        .filter(|_| p.0 % 100 == 0)
        .ok_or(not_representable(
            "rate",
            "JUY rates are whole 0.001 yuan/kWh up to 65.535 yuan/kWh",
        ))
}

fn juy_price(milli: u16) -> EnergyPrice {
    EnergyPrice(i64::from(milli) * 100)
}

impl JuyTouTable for TouPlan {
    fn from_juy_rates(
        rates: &[(u16, u16)],
        slot_classes: [u8; SLOTS],
    ) -> Result<TouPlan, ModelError> {
        if rates.len() != 4 && rates.len() != 5 {
            return Err(not_representable(
                "time-of-use table",
                "a JUY table has 4 or 5 rate pairs",
            ));
        }
        let pairs: Vec<_> = rates
            .iter()
            .map(|&(e, s)| (juy_price(e), juy_price(s)))
            .collect();
        Ok(TouPlan::from_class_table(&pairs, &slot_classes)?)
    }

    fn to_juy_rates(&self) -> Result<JuyRates, ModelError> {
        let table = self.table()?;
        let mut out = [(0u16, 0u16); 5];
        for (pair, rate) in out.iter_mut().zip(table.rates) {
            if let Some((e, s)) = rate {
                *pair = (juy_milli(e)?, juy_milli(s)?);
            }
        }
        Ok((out, table.slots))
    }
}

/// A power-tier plan as the JUY 0x89/0x8A parameter table's tier fields.
pub trait JuyTierTable: Sized {
    /// Builds a plan from the tier fields: billing mode (0 hourly, 1 amount with time ratio),
    /// coin time in minutes (the base block of mode 1, for 1 yuan), eight tier powers in W and
    /// eight tier prices (0.01 yuan per hour in mode 0, percent in mode 1). Trailing tiers with
    /// power 0 are unused. JUY tiers ratchet up. A non-zero coin time is kept as the plan's base
    /// block (1 yuan per coin time) so it converts back.
    fn from_juy_params(
        billing_mode: u8,
        coin_time_min: u16,
        powers_w: [u16; MAX_TIERS],
        prices: [u16; MAX_TIERS],
    ) -> Result<Self, ModelError>;

    /// The tier fields of this plan, unused tiers zero. Fails when the plan mixes hourly and
    /// ratio tiers, a power is not whole watts or above 65535 W, a price is not whole fen, or a
    /// ratio plan's base block is not 1 yuan. Without a 1-yuan base block the coin time is JUY's
    /// default, 240 minutes.
    fn to_juy_params(&self) -> Result<JuyTierParams, ModelError>;
}

impl JuyTierTable for TierPlan {
    fn from_juy_params(
        billing_mode: u8,
        coin_time_min: u16,
        powers_w: [u16; MAX_TIERS],
        prices: [u16; MAX_TIERS],
    ) -> Result<TierPlan, ModelError> {
        let used = powers_w.iter().take_while(|&&p| p != 0).count();
        let mut tiers = Vec::with_capacity(used);
        for (&power, &price) in powers_w.iter().zip(&prices).take(used) {
            let price = match billing_mode {
                0 => TierPrice::PerHour(Money::from_fen(i64::from(price))),
                1 => TierPrice::TimeRatio(u8::try_from(price).map_err(|_| {
                    not_representable("tier ratio", "a JUY time ratio is 1 to 255 percent")
                })?),
                _ => {
                    return Err(not_representable(
                        "billing mode",
                        "JUY billing modes are 0 (hourly) and 1 (time ratio)",
                    ));
                }
            };
            tiers.push(Tier {
                max: Power::from_watts(i64::from(power)),
                price,
            });
        }
        let base = (coin_time_min != 0).then_some(BlockPrice {
            price: Money::YUAN,
            minutes: u32::from(coin_time_min),
        });
        let plan = TierPlan {
            tiers,
            selection: TierPolicy::Ratchet,
            base,
            billed_by: TimeUnit::Second,
        };
        plan.validate()?;
        Ok(plan)
    }

    fn to_juy_params(&self) -> Result<JuyTierParams, ModelError> {
        self.validate()?;
        let ratio = matches!(
            self.tiers.first().map(|t| t.price),
            Some(TierPrice::TimeRatio(_))
        );
        let mut powers = [0u16; MAX_TIERS];
        let mut prices = [0u16; MAX_TIERS];
        for (i, t) in self.tiers.iter().enumerate() {
            let watts = (t.max.0.rem_euclid(10) == 0)
                .then(|| u16::try_from(t.max.whole_watts()).ok())
                .flatten();
            powers[i] = watts.ok_or(not_representable(
                "tier power",
                "JUY tier powers are whole watts up to 65535 W",
            ))?;
            prices[i] = match (t.price, ratio) {
                (TierPrice::PerHour(m), false) => m
                    .as_fen()
                    .and_then(|f| u16::try_from(f).ok())
                    .ok_or(not_representable(
                        "tier price",
                        "JUY tier prices are whole fen up to 655.35 yuan per hour",
                    ))?,
                (TierPrice::TimeRatio(r), true) => u16::from(r),
                _ => {
                    return Err(not_representable(
                        "tiers",
                        "a JUY table is all hourly or all ratio tiers",
                    ));
                }
            };
        }
        let coin_time = match (ratio, self.base) {
            (true, Some(b)) if b.price == Money::YUAN => u16::try_from(b.minutes)
                .map_err(|_| not_representable("coin time", "up to 65535 minutes"))?,
            (true, _) => {
                return Err(not_representable(
                    "base block",
                    "a JUY ratio table's base block is 1 yuan",
                ));
            }
            (false, Some(b)) if b.price == Money::YUAN => u16::try_from(b.minutes).unwrap_or(240),
            (false, _) => 240,
        };
        Ok((u8::from(ratio), coin_time, powers, prices))
    }
}

fn tou_of(plan: &Plan) -> Result<&TouPlan, ModelError> {
    match &plan.pricing {
        Pricing::TimeOfUse(t) => Ok(t),
        _ => Err(not_representable(
            "plan",
            "it is not time-of-use, and billing models carry time-of-use plans only",
        )),
    }
}

impl BillingModel {
    /// The time-of-use plan this billing model describes (sharp, peak, flat, valley).
    pub fn to_tou_plan(&self) -> Result<TouPlan, ModelError> {
        let pair = |c: &ClassRate| (c.energy, c.service);
        TouPlan::from_ykc_rates(
            [
                pair(&self.sharp),
                pair(&self.peak),
                pair(&self.flat),
                pair(&self.valley),
            ],
            self.slots.0,
        )
    }

    /// The plan this billing model describes, named after its model number.
    pub fn to_plan(&self) -> Result<Plan, ModelError> {
        let mut plan = Plan::new(Pricing::TimeOfUse(self.to_tou_plan()?));
        plan.name = format!(
            "YKC billing model {} of pile {}",
            self.model_number, self.pile_code
        );
        Ok(plan)
    }

    /// The billing model to send a pile for a time-of-use plan of at most four classes.
    pub fn from_plan(
        pile_code: PileCode,
        model_number: ModelNumber,
        plan: &Plan,
    ) -> Result<Self, ModelError> {
        let (rates, slots) = tou_of(plan)?.to_ykc_rates()?;
        let class = |i: usize| ClassRate {
            energy: rates[i].0,
            service: rates[i].1,
        };
        Ok(Self {
            pile_code,
            model_number,
            sharp: class(0),
            peak: class(1),
            flat: class(2),
            valley: class(3),
            loss_ratio: 0,
            slots: HalfHourSlots(slots),
        })
    }
}

impl TouTariff {
    /// The time-of-use plan this tariff table describes.
    pub fn to_tou_plan(&self) -> Result<TouPlan, ModelError> {
        let mut pairs = Vec::with_capacity(self.rates.len());
        for r in &self.rates {
            pairs.push((juy_milli(r.energy)?, juy_milli(r.service)?));
        }
        TouPlan::from_juy_rates(&pairs, self.slots.0)
    }

    /// The plan this tariff table describes.
    pub fn to_plan(&self) -> Result<Plan, ModelError> {
        let mut plan = Plan::new(Pricing::TimeOfUse(self.to_tou_plan()?));
        plan.name = "JUY time-of-use tariff".into();
        Ok(plan)
    }

    /// Fills this table's rates and slots from a time-of-use plan (mode and loss ratio stay as
    /// they are). Five rate pairs are sent when the plan uses the deep valley class, four
    /// otherwise.
    pub fn set_plan(&mut self, plan: &Plan) -> Result<(), ModelError> {
        let tou = tou_of(plan)?;
        let (rates, slots) = tou.to_juy_rates()?;
        let count = if slots.contains(&4) || tou.rates.len() == 5 {
            5
        } else {
            4
        };
        self.rates = rates[..count]
            .iter()
            .map(|&(e, s)| TouRate {
                energy: juy_price(e),
                service: juy_price(s),
            })
            .collect();
        self.slots = HalfHourSlots(slots);
        Ok(())
    }
}

impl ParameterTable {
    /// The power-tier plan of this parameter table (JUY tiers ratchet up to the session peak).
    pub fn to_tier_plan(&self) -> Result<TierPlan, ModelError> {
        let mut powers = [0u16; 8];
        for (w, p) in powers.iter_mut().zip(self.tier_powers) {
            *w = u16::try_from(p.whole_watts())
                .map_err(|_| not_representable("tier power", "up to 65535 W"))?;
        }
        let coin = u16::try_from(self.coin_time.0)
            .map_err(|_| not_representable("coin time", "up to 65535 minutes"))?;
        TierPlan::from_juy_params(self.billing_mode.code(), coin, powers, self.tier_prices)
    }

    /// Writes a power-tier plan into this table's billing mode, coin time and tiers.
    pub fn set_tier_plan(&mut self, plan: &TierPlan) -> Result<(), ModelError> {
        let (mode, coin, powers, prices) = plan.to_juy_params()?;
        self.billing_mode = mode.into();
        self.coin_time = crate::units::Minutes(u32::from(coin));
        self.tier_powers = powers.map(|w| Power::from_watts(i64::from(w)));
        self.tier_prices = prices;
        Ok(())
    }
}

/// What a YKC pile reports in its 0x3B transaction record for `usage` under a time-of-use
/// `plan`: per class, the energy times the class's combined rate (energy + service), truncated
/// to the fen, summed. Modifiers (free minutes, minimum, caps) are the platform's, not the
/// pile's, and do not enter.
pub fn ykc_pile_amount(plan: &Plan, usage: &Usage) -> Result<Money, ModelError> {
    let table = tou_of(plan)?.table()?;
    let energies = plan.class_energies(usage)?;
    let mut total = 0i128;
    for (e, rate) in energies.iter().zip(table.rates) {
        let (er, sr) = rate.unwrap_or((EnergyPrice::ZERO, EnergyPrice::ZERO));
        // yuan/kWh ×10⁵ times kWh ×10⁴ is 10⁻⁹ yuan; truncated to the fen (10⁷ of them).
        let exact = i128::from(er.0 + sr.0) * i128::from(e.0);
        total += exact.div_euclid(10_000_000) * 100;
    }
    i64::try_from(total)
        .map(Money)
        .map_err(|_| ModelError::Tariff(crate::tariff::TariffError::Overflow))
}

/// Compares the amount a YKC pile reported in a 0x3B record with our bill, expecting the pile's
/// own arithmetic ([`ykc_pile_amount`]) as the explanation.
pub fn reconcile_ykc(
    plan: &Plan,
    usage: &Usage,
    reported: Money,
) -> Result<Reconciliation, ModelError> {
    let billed = plan.bill(usage, Payment::Postpaid)?.total;
    let pile_expected = ykc_pile_amount(plan, usage)?;
    Ok(Reconciliation::new(reported, billed, pile_expected))
}
