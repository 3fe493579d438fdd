//! The sessions and plans the tariff benches price.

use pilekit::model::billing::JuyTierTable;
use pilekit::tariff::{
    Plan, Pricing, Sample, TierPlan, TierPolicy, TouClass, TouPlan, TouRate, Usage,
};
use pilekit::{Energy, EnergyPrice, Power};

pub const START: i64 = 1_714_572_000; // 2024-05-01T22:00:00+08:00

pub fn tier_plan() -> Plan {
    let mut tiers = TierPlan::from_juy_params(
        0,
        240,
        [200, 300, 500, 800, 1000, 1500, 2000, 2500],
        [20, 25, 30, 60, 90, 100, 155, 255],
    )
    .expect("the JUY example table is valid");
    tiers.selection = TierPolicy::Ratchet;
    Plan::new(Pricing::PowerTiers(tiers))
}

/// 96 samples, one every 5 minutes over 8 hours: a charger ramping up to ~900 W, then
/// tapering to a trickle.
pub fn ebike_session() -> Usage {
    let samples = (0..96)
        .map(|i| {
            let w = match i {
                0..=5 => 150 + i * 120,
                6..=40 => 880 + (i % 3) * 10,
                41..=70 => 700 - (i - 41) * 20,
                _ => 60,
            };
            Sample {
                at: START + i * 300,
                power: Power::from_watts(w),
                energy: None,
            }
        })
        .collect();
    Usage::new(START, START + 8 * 3600).with_samples(samples)
}

pub fn tou_plan() -> Plan {
    let classes = [
        TouClass::Valley,
        TouClass::Flat,
        TouClass::Peak,
        TouClass::Sharp,
        TouClass::DeepValley,
    ];
    let slots = (0..48).map(|i| classes[(i / 3) % 5]).collect();
    let rates = classes
        .iter()
        .enumerate()
        .map(|(i, &class)| TouRate {
            class,
            energy: EnergyPrice(30_000 + 20_000 * i as i64),
            service: EnergyPrice(40_000),
        })
        .collect();
    Plan::new(Pricing::TimeOfUse(TouPlan {
        rates,
        slots,
        calendar: None,
    }))
}

/// A 24-hour session with a cumulative energy reading every 30 minutes: 48 slots.
pub fn tou_session() -> Usage {
    let samples = (1..=48)
        .map(|i| Sample {
            at: START + i * 1800,
            power: Power::from_watts(7000),
            energy: Some(Energy(i * 35_000)),
        })
        .collect();
    Usage::new(START, START + 24 * 3600).with_samples(samples)
}
