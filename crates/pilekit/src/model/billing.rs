//! Billing-model messages to and from tariff plans, exactly.
//!
//! A YKC pile reports the model it runs with 0x0A/0x58; [`BillingModel::to_plan`] gives the plan
//! to bill its sessions with, and [`BillingModel::from_plan`] the frame that sets a plan on the
//! pile. JUY piles carry a time-of-use table ([`TouTariff`]) and a power-tier parameter table
//! ([`ParameterTable`]).

use alloc::format;

use crate::codec::fields::HalfHourSlots;
use crate::codec::juy::{ParameterTable, TouRate, TouTariff};
use crate::codec::ykc::{BillingModel, ClassRate, ModelNumber, PileCode};
use crate::tariff::{Plan, Pricing, TariffError, TierPlan, TouPlan};
use crate::units::{EnergyPrice, Power};

fn tou_of(plan: &Plan) -> Result<&TouPlan, TariffError> {
    match &plan.pricing {
        Pricing::TimeOfUse(t) => Ok(t),
        _ => Err(TariffError::NotRepresentable {
            what: "a plan that is not time-of-use",
            protocol: "ykc",
        }),
    }
}

impl BillingModel {
    /// The time-of-use plan this billing model describes (sharp, peak, flat, valley).
    pub fn to_tou_plan(&self) -> Result<TouPlan, TariffError> {
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
    pub fn to_plan(&self) -> Result<Plan, TariffError> {
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
    ) -> Result<Self, TariffError> {
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

/// JUY rates travel in 0.001 yuan/kWh.
fn juy_milli(p: EnergyPrice) -> Result<u16, TariffError> {
    u16::try_from(p.0 / 100)
        .ok()
        .filter(|_| p.0 % 100 == 0)
        .ok_or(TariffError::NotRepresentable {
            what: "a rate finer than 0.001 yuan/kWh",
            protocol: "juy",
        })
}

impl TouTariff {
    /// The time-of-use plan this tariff table describes.
    pub fn to_tou_plan(&self) -> Result<TouPlan, TariffError> {
        let mut pairs = alloc::vec::Vec::with_capacity(self.rates.len());
        for r in &self.rates {
            pairs.push((juy_milli(r.energy)?, juy_milli(r.service)?));
        }
        TouPlan::from_juy_rates(&pairs, self.slots.0)
    }

    /// The plan this tariff table describes.
    pub fn to_plan(&self) -> Result<Plan, TariffError> {
        let mut plan = Plan::new(Pricing::TimeOfUse(self.to_tou_plan()?));
        plan.name = "JUY time-of-use tariff".into();
        Ok(plan)
    }

    /// Fills this table's rates and slots from a time-of-use plan (mode and loss ratio stay as
    /// they are). Five rate pairs are sent when the plan uses the deep valley class, four
    /// otherwise.
    pub fn set_plan(&mut self, plan: &Plan) -> Result<(), TariffError> {
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
                energy: EnergyPrice(i64::from(e) * 100),
                service: EnergyPrice(i64::from(s) * 100),
            })
            .collect();
        self.slots = HalfHourSlots(slots);
        Ok(())
    }
}

impl ParameterTable {
    /// The power-tier plan of this parameter table (JUY tiers ratchet up to the session peak).
    pub fn to_tier_plan(&self) -> Result<TierPlan, TariffError> {
        let mut powers = [0u16; 8];
        for (w, p) in powers.iter_mut().zip(self.tier_powers) {
            *w = u16::try_from(p.whole_watts()).map_err(|_| TariffError::NotRepresentable {
                what: "a tier power above 65535 W",
                protocol: "juy",
            })?;
        }
        let coin = u16::try_from(self.coin_time.0).map_err(|_| TariffError::NotRepresentable {
            what: "coin time",
            protocol: "juy",
        })?;
        TierPlan::from_juy_params(self.billing_mode.code(), coin, powers, self.tier_prices)
    }

    /// Writes a power-tier plan into this table's billing mode, coin time and tiers.
    pub fn set_tier_plan(&mut self, plan: &TierPlan) -> Result<(), TariffError> {
        let (mode, coin, powers, prices) = plan.to_juy_params()?;
        self.billing_mode = mode.into();
        self.coin_time = crate::units::Minutes(u32::from(coin));
        self.tier_powers = powers.map(|w| Power::from_watts(i64::from(w)));
        self.tier_prices = prices;
        Ok(())
    }
}
