//! Billing-model messages of the YKC and JUY dialects to and from plans, exactly.
#![cfg(feature = "serde")]

use pilekit::codec::DecodeContext;
use pilekit::codec::fields::{HalfHourSlots, HexBytes};
use pilekit::codec::juy::{ParameterTable, TouTariff};
use pilekit::codec::ykc::{
    BillingModel, ClassRate, ModelNumber, PileCode, Seq, YkcFrame, YkcMessage,
};
use pilekit::tariff::{Payment, Plan, Pricing, Usage};
use pilekit::{
    Energy, EnergyPrice, LocalDateTime, Minutes, Money, Power, Seconds, Temperature, UtcOffset,
};

fn plan(name: &str) -> Plan {
    let path = format!(
        "{}/tests/data/plans/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The billing model in the shipped capture: valley 00:00–08:00, sharp 10:00–12:00, peak
/// 18:00–22:00, flat otherwise.
fn capture_model() -> BillingModel {
    let text = include_str!("data/captures/ykc-session.hex");
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            YkcFrame::decode(&pilekit::hex::decode(l).unwrap(), &DecodeContext::STRICT).unwrap()
        })
        .find_map(|f| match f.message {
            YkcMessage::ModelReply(m) => Some(m),
            _ => None,
        })
        .unwrap()
}

#[test]
fn a_ykc_model_becomes_a_plan_and_back_exactly() {
    let model = capture_model();
    let plan = model.to_plan().unwrap();
    let Pricing::TimeOfUse(tou) = &plan.pricing else {
        panic!("time of use")
    };
    assert_eq!(tou.rates.len(), 4);
    let back = BillingModel::from_plan(model.pile_code, model.model_number, &plan).unwrap();
    assert_eq!(back, model);
    let frame = YkcFrame::new(Seq::default(), YkcMessage::ModelSet(back));
    assert_eq!(frame.encode().unwrap().len(), 90 + 8);
}

#[test]
fn a_ykc_model_bills_a_session_across_its_classes() {
    let plan = capture_model().to_plan().unwrap();
    // 17:30–18:30 local time, 2 kWh in each half hour: 1 kWh flat (0.7 + 0.4), 1 kWh ... at
    // constant power: 1 kWh in 17:30–18:00 (flat) and 1 kWh in 18:00–18:30 (peak 1.0 + 0.4)
    let t = |h, m| {
        LocalDateTime::new(2024, 11, 29, h, m, 0, 0)
            .unwrap()
            .to_unix(UtcOffset::CHINA)
    };
    let usage = Usage::new(t(17, 30), t(18, 30)).with_energy(Energy(20_000));
    let bill = plan.bill(&usage, Payment::Postpaid).unwrap();
    // flat: 1 kWh × 0.7 + 1 kWh × 0.4; peak: 1 kWh × 1.0 + 1 kWh × 0.4
    assert_eq!(bill.total, Money::from_fen(250));
}

#[test]
fn five_classes_do_not_fit_a_ykc_pile_but_fit_a_juy_pile() {
    let plan = plan("tou-residential");
    let pile = PileCode::from_digits("32010200000001").unwrap();
    let model = ModelNumber::from_digits("0100").unwrap();
    let err = BillingModel::from_plan(pile, model, &plan).unwrap_err();
    assert_eq!(
        err.to_string(),
        "class `deep_valley` cannot be sent to a ykc pile"
    );

    let mut table = TouTariff {
        mode: 1.into(),
        rates: Vec::new(),
        loss_ratio: 0,
        slots: HalfHourSlots::default(),
    };
    table.set_plan(&plan).unwrap();
    assert_eq!(table.rates.len(), 5);
    assert_eq!(table.rates[4].energy, EnergyPrice(20_000));
    assert_eq!(table.to_plan().unwrap().pricing, plan.pricing);
}

#[test]
fn power_tiers_go_into_the_juy_parameter_table_and_back() {
    let plan = plan("power-tiers");
    let Pricing::PowerTiers(tiers) = &plan.pricing else {
        panic!("power tiers")
    };
    let mut table = ParameterTable {
        billing_mode: 1.into(),
        coin_time: Minutes(0),
        card_time: Minutes(240),
        card_fee: Money::YUAN,
        tier_powers: [Power::ZERO; 8],
        tier_prices: [0; 8],
        float_power: Power::from_watts(15),
        float_time: Minutes(120),
        free_mode: 0,
        temperature_alarm: Temperature::from_celsius(90),
        smoke_alarm: 1,
        volume: 5,
        energy: Energy::ZERO,
        switches: 0,
        plug_in_wait: Seconds(120),
        removal_wait: Seconds(120),
        ic_card_type: 0,
        removal_power: Power::from_watts(2),
        reserved: HexBytes([0; 11]),
    };
    table.set_tier_plan(tiers).unwrap();
    assert_eq!(table.tier_powers[7].whole_watts(), 2500);
    assert_eq!(table.tier_prices[..3], [20, 25, 30]);
    // the table carries the bands and prices; how a session's tier is chosen is the pile's own
    // (JUY piles ratchet up to the session peak)
    let back = table.to_tier_plan().unwrap();
    assert_eq!(back.tiers, tiers.tiers);
    assert_eq!(back.selection, pilekit::tariff::TierPolicy::Ratchet);
}

#[test]
fn a_plan_that_is_not_time_of_use_is_refused_clearly() {
    let plan = plan("one-yuan-four-hours");
    let pile = PileCode::from_digits("32010200000001").unwrap();
    let err = BillingModel::from_plan(pile, ModelNumber::default(), &plan).unwrap_err();
    assert!(err.to_string().contains("not time-of-use"), "{err}");
    let _ = ClassRate {
        energy: EnergyPrice(0),
        service: EnergyPrice(0),
    };
}
