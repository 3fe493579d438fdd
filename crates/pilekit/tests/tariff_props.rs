//! Invariants of bills, quotes and protocol conversions, for every plan family.

use pilekit::model::billing::{JuyTierTable, JuyTouTable, YkcTouTable};
use pilekit::tariff::*;
use pilekit::{Energy, EnergyPrice, Money, Power};
use proptest::prelude::*;

fn money(max_fen: i64) -> impl Strategy<Value = Money> {
    (0..=max_fen * 100).prop_map(Money)
}

/// Money paid (prepayments, coins) and caps: whole fen.
fn fen(max_fen: i64) -> impl Strategy<Value = Money> {
    (0..=max_fen).prop_map(Money::from_fen)
}

fn time_unit() -> impl Strategy<Value = TimeUnit> {
    prop_oneof![
        Just(TimeUnit::Second),
        Just(TimeUnit::Minute),
        Just(TimeUnit::HalfHour),
        Just(TimeUnit::Hour),
        Just(TimeUnit::Block),
    ]
}

fn rounding() -> impl Strategy<Value = Rounding> {
    (
        prop_oneof![Just(RoundingStage::Line), Just(RoundingStage::Total)],
        prop_oneof![
            Just(RoundingMode::HalfUp),
            Just(RoundingMode::HalfEven),
            Just(RoundingMode::Truncate),
            Just(RoundingMode::Up)
        ],
    )
        .prop_map(|(stage, mode)| Rounding { stage, mode })
}

fn tiers() -> impl Strategy<Value = TierPlan> {
    (
        prop::collection::vec((1i64..5000, money(500)), 1..=8),
        prop_oneof![
            Just(TierPolicy::Ratchet),
            Just(TierPolicy::SessionPeak),
            (1u32..60).prop_map(|minutes| TierPolicy::FirstMinutesPeak { minutes }),
            Just(TierPolicy::Average),
            Just(TierPolicy::PerSlice),
        ],
        time_unit(),
        0u8..3,
        1u8..=100,
    )
        .prop_map(|(mut steps, selection, billed_by, kind, r0)| {
            let mut prices: Vec<Money> = steps.iter().map(|s| s.1).collect();
            prices.sort();
            for (s, p) in steps.iter_mut().zip(prices) {
                s.1 = p;
            }
            let mut max = 0;
            let tiers = steps
                .into_iter()
                .enumerate()
                .map(|(i, (step, price))| {
                    max += step;
                    Tier {
                        max: Power(max),
                        price: match kind {
                            0 => TierPrice::PerHour(price),
                            1 => TierPrice::TimeRatio(r0.saturating_sub(i as u8 * 7).max(1)),
                            // energy tiers: 0.0001 yuan per hour read as per kWh
                            _ => TierPrice::PerKwh(EnergyPrice(price.0 * 10)),
                        },
                    }
                })
                .collect();
            TierPlan {
                tiers,
                selection,
                base: Some(BlockPrice {
                    price: Money::YUAN,
                    minutes: 240,
                }),
                billed_by,
            }
        })
}

fn class() -> impl Strategy<Value = TouClass> {
    (0u8..5).prop_map(|i| TouClass::from_index(i).unwrap())
}

fn tou() -> impl Strategy<Value = TouPlan> {
    (
        prop::collection::vec((0i64..300_000, 0i64..200_000), 5),
        prop::collection::vec(class(), 48),
    )
        .prop_map(|(rates, slots)| TouPlan {
            rates: rates
                .into_iter()
                .zip(TouClass::ALL)
                .map(|((e, s), class)| TouRate {
                    class,
                    energy: EnergyPrice(e),
                    service: EnergyPrice(s),
                })
                .collect(),
            slots,
            calendar: None,
        })
}

fn pricing() -> impl Strategy<Value = Pricing> {
    prop_oneof![
        (money(500), 1u32..600, time_unit()).prop_map(|(price, minutes, billed_by)| {
            Pricing::FixedBlock(FixedBlockPlan {
                block: BlockPrice { price, minutes },
                billed_by,
            })
        }),
        (money(500), time_unit())
            .prop_map(|(rate, billed_by)| Pricing::Hourly(HourlyPlan { rate, billed_by })),
        tiers().prop_map(Pricing::PowerTiers),
        tou().prop_map(Pricing::TimeOfUse),
        (money(2000), 1u32..600, any::<bool>()).prop_map(|(price, minutes, stop_when_full)| {
            Pricing::Package(PackagePlan {
                price,
                minutes,
                stop_when_full,
            })
        }),
        (money(500), 0u32..600, money(500), time_unit()).prop_map(
            |(price, minutes, rate, billed_by)| Pricing::StartingPrice(StartingPricePlan {
                price,
                then: Included::Time {
                    minutes,
                    rate,
                    billed_by
                },
            })
        ),
        (money(500), 0i64..100_000, 0i64..200_000).prop_map(|(price, energy, rate)| {
            Pricing::StartingPrice(StartingPricePlan {
                price,
                then: Included::Energy {
                    energy: Energy(energy),
                    rate: EnergyPrice(rate),
                },
            })
        }),
        (money(500), 0u32..600).prop_map(|(price, max_session_minutes)| Pricing::PerUse(
            PerUsePlan {
                price,
                max_session_minutes
            }
        )),
    ]
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        pricing(),
        prop::option::of(prop_oneof![
            (0i64..200_000).prop_map(|p| ServiceFee::PerKwh(EnergyPrice(p))),
            money(10).prop_map(ServiceFee::PerMinute),
            (0i64..200_000).prop_map(|p| ServiceFee::PerTierKwh(vec![EnergyPrice(p)])),
            (0i64..200_000, 0u8..5).prop_map(|(p, c)| {
                let class = TouClass::from_index(c).unwrap();
                ServiceFee::TimeOfUse(TouServiceFee {
                    rates: vec![TouServiceRate {
                        class,
                        service: EnergyPrice(p),
                    }],
                    slots: vec![class; 48],
                })
            }),
        ]),
        prop_oneof![Just(0u32), 1u32..30],
        prop::option::of(fen(300)),
        prop::option::of(fen(3000)),
        any::<bool>(),
        rounding(),
        -12i32..=14,
    )
        .prop_map(
            |(pricing, service_fee, free, minimum, cap, cap_at_prepaid, rounding, tz)| {
                let mut p = Plan::new(pricing);
                // a fee by tier has one rate per tier, on tiered plans only
                p.service_fee = match (service_fee, &p.pricing) {
                    (Some(ServiceFee::PerTierKwh(r)), Pricing::PowerTiers(t)) => {
                        Some(ServiceFee::PerTierKwh(vec![r[0]; t.tiers.len()]))
                    }
                    (Some(ServiceFee::PerTierKwh(_)), _) => None,
                    (fee, _) => fee,
                };
                p.free_minutes = free;
                // a minimum pads electricity lines: packages, cards and per-use prices have none
                if !matches!(p.pricing, Pricing::Package(_) | Pricing::PerUse(_)) {
                    p.minimum = minimum;
                }
                p.cap = cap;
                p.cap_at_prepaid = cap_at_prepaid;
                p.rounding = rounding;
                p.utc_offset = pilekit::UtcOffset(tz * 3600);
                p
            },
        )
}

/// The highest power a plan accepts (for tiered plans, the top tier).
fn top(plan: &Plan) -> i64 {
    match &plan.pricing {
        Pricing::PowerTiers(t) => t.top().0,
        _ => 30_000,
    }
}

/// A session from a start, a duration, power samples (as fractions of the top power) and an
/// optional energy.
#[derive(Debug, Clone)]
struct Session {
    start: i64,
    duration: i64,
    samples: Vec<(i64, u16)>,
    energy: Option<i64>,
}

fn session() -> impl Strategy<Value = Session> {
    (
        1_700_000_000i64..1_760_000_000,
        0i64..2 * 86_400,
        prop::collection::vec((0i64..2 * 86_400, 0u16..=1000), 0..12),
        prop::option::of(0i64..1_000_000),
    )
        .prop_map(|(start, duration, samples, energy)| Session {
            start,
            duration,
            samples,
            energy,
        })
}

impl Session {
    fn usage(&self, plan: &Plan) -> Usage {
        let top = top(plan);
        let mut u = Usage::new(self.start, self.start + self.duration);
        u.samples = self
            .samples
            .iter()
            .map(|&(at, frac)| Sample {
                at: self.start + at.min(self.duration),
                power: Power(top * i64::from(frac) / 1000),
                energy: None,
            })
            .collect();
        u.power = Some(Power(top / 2));
        // An energy unrelated to the power would put a tiered plan's average above its top.
        if !matches!(plan.pricing, Pricing::PowerTiers(_)) {
            u.energy = self.energy.map(Energy);
        }
        u
    }
}

fn payment() -> impl Strategy<Value = Payment> {
    prop_oneof![
        Just(Payment::Postpaid),
        fen(5000).prop_map(|amount| Payment::Prepaid { amount }),
        fen(5000).prop_map(|amount| Payment::Coins { amount }),
    ]
}

fn check(plan: &Plan, bill: &Bill, payment: Payment) -> Result<(), TestCaseError> {
    // total ≥ 0 in whole fen, lines = subtotals = total, refund/retained/due settle the payment
    if let Err(broken) = bill.check_invariants(payment) {
        return Err(TestCaseError::fail(format!("{broken}: {bill:?}")));
    }
    if let Some(cap) = plan.cap {
        prop_assert!(bill.total <= cap);
    }
    let prepaid = payment.prepaid();
    if plan.cap_at_prepaid && matches!(payment, Payment::Prepaid { .. } | Payment::Coins { .. }) {
        prop_assert!(bill.total <= prepaid);
        prop_assert_eq!(bill.due, Money::ZERO);
    }
    prop_assert_eq!(
        bill.total.0 + bill.refund.0 + bill.retained.0,
        prepaid.0 + bill.due.0
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn bills_keep_their_invariants(plan in plan(), s in session(), payment in payment()) {
        let usage = s.usage(&plan);
        let bill = plan.bill(&usage, payment).unwrap();
        check(&plan, &bill, payment)?;
    }

    #[test]
    fn bills_do_not_depend_on_sample_order(plan in plan(), s in session(), seed in any::<u64>()) {
        let usage = s.usage(&plan);
        let mut shuffled = usage.clone();
        let n = shuffled.samples.len();
        let mut x = seed;
        for i in (1..n).rev() {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.samples.swap(i, (x >> 33) as usize % (i + 1));
        }
        if n > 0 {
            shuffled.samples.push(shuffled.samples[0]);
        }
        prop_assert_eq!(
            plan.bill(&usage, Payment::Postpaid).unwrap(),
            plan.bill(&shuffled, Payment::Postpaid).unwrap()
        );
    }

    #[test]
    fn bills_never_decrease_with_duration(
        plan in plan(), s in session(), extra in 0i64..20_000, frac in 0i64..=1000,
    ) {
        // A constant power: more time is more energy at the same power.
        let mut u = Usage::new(s.start, s.start + s.duration);
        u.power = Some(Power(top(&plan) * frac / 1000));
        let mut longer = u.clone();
        longer.end += extra;
        let a = plan.bill(&u, Payment::Postpaid).unwrap().total;
        let b = plan.bill(&longer, Payment::Postpaid).unwrap().total;
        prop_assert!(a <= b, "{} s: {}, {} s: {}", s.duration, a, s.duration + extra, b);
    }

    #[test]
    fn bills_never_decrease_with_energy(
        plan in plan(), s in session(), e in 0i64..1_000_000, extra in 0i64..1_000_000,
        class in 0usize..5,
    ) {
        // For tiered plans billed by average power, more energy may lift the average above the
        // top tier: a refusal, not a cheaper bill.
        let cost = |u: &Usage| match plan.bill(u, Payment::Postpaid) {
            Ok(b) => Ok(b.total),
            Err(TariffError::PowerAboveTopTier { .. }) => Ok(Money(i64::MAX)),
            Err(e) => Err(e),
        };
        let mut u = s.usage(&plan);
        u.energy = Some(Energy(e));
        let mut more = u.clone();
        more.energy = Some(Energy(e + extra));
        prop_assert!(cost(&u).unwrap() <= cost(&more).unwrap());
        // Per-class energies (a YKC 0x3B record).
        let mut c = [Energy::ZERO; 5];
        c[class] = Energy(e);
        u.class_energy = Some(c);
        let mut c2 = c;
        c2[class] = Energy(e + extra);
        more.class_energy = Some(c2);
        prop_assert!(cost(&u).unwrap() <= cost(&more).unwrap());
    }

    #[test]
    fn quotes_buy_no_more_than_paid(plan in plan(), prepaid in fen(3000), frac in 0i64..=1000) {
        let power = Some(Power(top(&plan) * frac / 1000));
        let Ok(q) = plan.quote(prepaid, power) else { return Ok(()) };
        prop_assert!(q.cost <= prepaid);
        let mut uncapped = plan.clone();
        uncapped.cap_at_prepaid = false;
        // the price before rounding, brought up to the fen: above a whole-fen prepayment
        // exactly when the unrounded price is
        let mut unrounded = uncapped.clone();
        unrounded.rounding = Rounding { stage: RoundingStage::Total, mode: RoundingMode::Up };
        if matches!(plan.pricing, Pricing::TimeOfUse(_)) {
            // an energy limit is what the money buys however long the session goes on
            uncapped.free_minutes = 0;
            unrounded.free_minutes = 0;
        }
        // (a session too long to bill does not fit either)
        let fits = |u: &Usage| {
            [&uncapped, &unrounded]
                .iter()
                .all(|p| p.bill(u, Payment::Postpaid).is_ok_and(|b| b.total <= prepaid))
        };
        if let Limit::Duration { duration } = q.limit
            && !matches!(plan.pricing, Pricing::Package(_))
        {
            let d = i64::from(duration.0);
            let usage = |d: i64| {
                let mut u = Usage::new(0, d);
                u.power = power;
                u
            };
            prop_assert!(fits(&usage(d)));
            if duration.0 < MAX_QUOTE_DURATION_S {
                prop_assert!(!fits(&usage(d + 1)));
            }
        }
        if let (Limit::Energy { energy }, Pricing::TimeOfUse(t)) = (q.limit, &plan.pricing) {
            let classes: Vec<usize> = TouClass::ALL
                .iter()
                .filter(|&&c| t.rate(c).is_some())
                .map(|c| c.index())
                .collect();
            let usage = |e: i64, class: usize| {
                let mut c = [Energy::ZERO; 5];
                c[class] = Energy(e);
                let seconds = match (&plan.service_fee, power) {
                    (Some(ServiceFee::PerMinute(_)), Some(p)) => (e * 3600 + p.0 - 1) / p.0,
                    _ => 0,
                };
                let mut u = Usage::new(0, seconds);
                u.class_energy = Some(c);
                u
            };
            // within the prepayment whichever class the energy is drawn in, and one unit more
            // is beyond it in some class
            prop_assert!(classes.iter().all(|&c| fits(&usage(energy.0, c))));
            if energy < MAX_QUOTE_ENERGY {
                prop_assert!(classes.iter().any(|&c| !fits(&usage(energy.0 + 1, c))));
            }
        }
    }

    #[test]
    fn monthly_card_sessions_are_free_while_valid(
        price in money(5000), days in 1u32..400, max in 0u32..1000, s in session(),
        uses_per_day in 0u32..4,
    ) {
        let plan = Plan::new(Pricing::MonthlyCard(MonthlyCardPlan {
            price, days, max_session_minutes: max, uses_per_day, max_power: None, fallback: None,
        }));
        let valid = Payment::MonthlyCard { expires: s.start + 1 };
        if uses_per_day > 0 {
            let u = Usage::new(s.start, s.start + s.duration);
            prop_assert!(plan.bill_card_use(&u, valid, uses_per_day - 1).is_ok());
            prop_assert_eq!(
                plan.bill_card_use(&u, valid, uses_per_day),
                Err(TariffError::CardDailyUses { uses_per_day })
            );
        }
        let u = Usage::new(s.start, s.start + s.duration);
        let bill = plan.bill(&u, Payment::MonthlyCard { expires: s.start + 1 }).unwrap();
        prop_assert_eq!(bill.total, Money::ZERO);
        check(&plan, &bill, Payment::Postpaid)?;
        let expired = Payment::MonthlyCard { expires: s.start };
        prop_assert!(plan.bill(&u, expired).is_err());
    }

    #[test]
    fn ykc_billing_models_roundtrip(
        rates in prop::array::uniform4((0i64..=u32::MAX as i64, 0i64..=u32::MAX as i64)),
        slots in prop::array::uniform32(0u8..4), rest in prop::array::uniform16(0u8..4),
    ) {
        let rates = rates.map(|(e, s)| (EnergyPrice(e), EnergyPrice(s)));
        let mut classes = [0u8; 48];
        classes[..32].copy_from_slice(&slots);
        classes[32..].copy_from_slice(&rest);
        let plan = TouPlan::from_ykc_rates(rates, classes).unwrap();
        prop_assert_eq!(plan.to_ykc_rates().unwrap(), (rates, classes));
    }

    #[test]
    fn juy_tables_roundtrip(
        rates in prop::collection::vec((any::<u16>(), any::<u16>()), 4..=5),
        slots in prop::array::uniform32(0u8..4), rest in prop::array::uniform16(0u8..4),
    ) {
        let mut classes = [0u8; 48];
        classes[..32].copy_from_slice(&slots);
        classes[32..].copy_from_slice(&rest);
        let plan = TouPlan::from_juy_rates(&rates, classes).unwrap();
        let (back, back_slots) = plan.to_juy_rates().unwrap();
        prop_assert_eq!(&back[..rates.len()], &rates[..]);
        prop_assert_eq!(back_slots, classes);
        prop_assert_eq!(TouPlan::from_juy_rates(&back[..rates.len()], back_slots).unwrap(), plan);
    }

    #[test]
    fn juy_parameter_tables_roundtrip(
        mode in 0u8..2, coin in 1u16..=u16::MAX, n in 1usize..=8,
        steps in prop::array::uniform8(1u16..8000), prices in prop::array::uniform8(0u16..=u16::MAX),
    ) {
        let mut powers = [0u16; 8];
        let mut p = 0u16;
        for i in 0..n {
            p = p.saturating_add(steps[i]);
            if i > 0 && p == powers[i - 1] { return Ok(()); }
            powers[i] = p;
        }
        // Higher tiers cost at least as much: ascending prices, descending time ratios.
        let mut price = [0u16; 8];
        for i in 0..n {
            price[i] = if mode == 1 { prices[i] % 100 + 1 } else { prices[i] };
        }
        price[..n].sort_unstable();
        if mode == 1 {
            price[..n].reverse();
        }
        let plan = TierPlan::from_juy_params(mode, coin, powers, price).unwrap();
        prop_assert_eq!(plan.to_juy_params().unwrap(), (mode, coin, powers, price));
    }
}

#[cfg(feature = "serde")]
proptest! {
    #[test]
    fn plans_and_bills_roundtrip_through_json(plan in plan(), s in session(), payment in payment()) {
        let json = serde_json::to_string(&plan).unwrap();
        let back: Plan = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &plan);
        // every key a plan is written with is a key a plan is read with
        prop_assert_eq!(serde_json::from_str::<PlanKeys>(&json).unwrap().check(), Ok(()));
        let usage = s.usage(&plan);
        let json = serde_json::to_string(&usage).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Usage>(&json).unwrap(), &usage);
        let json = serde_json::to_string(&payment).unwrap();
        prop_assert_eq!(serde_json::from_str::<Payment>(&json).unwrap(), payment);
        let bill = plan.bill(&usage, payment).unwrap();
        let json = serde_json::to_string(&bill).unwrap();
        let back: Bill = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, bill);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// The split by meter readings alone and the split scaled to a total equal to the last
    /// reading are the same exact profile, truncated once: they agree class by class.
    #[test]
    fn meter_readings_split_alike_with_and_without_their_total(
        plan in tou(),
        start in 1_700_000_000i64..1_760_000_000,
        duration in 1i64..3 * 86_400,
        readings in prop::collection::vec((0i64..3 * 86_400, 0i64..2_000_000, any::<bool>()), 1..20),
    ) {
        prop_assume!(readings.iter().any(|r| r.2));
        let plan = Plan::new(Pricing::TimeOfUse(plan));
        let mut usage = Usage::new(start, start + duration);
        usage.samples = readings
            .iter()
            .map(|&(at, e, with)| Sample {
                at: start + at.min(duration + 600) - 300,
                power: Power::from_watts(1000),
                energy: with.then_some(Energy(e)),
            })
            .collect();
        let Ok(alone) = plan.class_energies(&usage) else { return Ok(()); };
        let total = Energy(alone.iter().map(|e| e.0).sum());
        prop_assume!(total.0 > 0);
        let scaled = plan.class_energies(&usage.clone().with_energy(total)).unwrap();
        prop_assert_eq!(alone, scaled);
    }
}

proptest! {
    /// A starting price is charged in full, and the time beyond the included minutes at the
    /// rate, pro-rata by the second and rounded half-up to the fen: the bill by hand.
    #[test]
    fn starting_prices_charge_the_start_then_the_rate(
        price in fen(500),
        minutes in 0u32..300,
        rate in fen(300),
        d in 0i64..40_000,
    ) {
        let plan = Plan::new(Pricing::StartingPrice(StartingPricePlan {
            price,
            then: Included::Time { minutes, rate, billed_by: TimeUnit::Second },
        }));
        let start = 1_700_000_000;
        let bill = plan.bill(&Usage::new(start, start + d), Payment::Postpaid).unwrap();
        let beyond = (d - i64::from(minutes) * 60).max(0);
        let den = 3600 * 100;
        let beyond_fen = (i128::from(rate.0) * i128::from(beyond) + den / 2) / den * 100;
        prop_assert_eq!(i128::from(bill.total.0), i128::from(price.0) + beyond_fen);
        prop_assert!(bill.total >= price);
    }
}
