//! The community's day: every charge billed exactly once, the same seed the same bytes.

use pilekit_sim::Scenario;

fn small(seed: u64) -> Scenario {
    Scenario {
        seed,
        piles: 6,
        sockets: 10,
        car_piles: 2,
        ..Scenario::default()
    }
}

#[test]
fn every_charge_ends_exactly_once_in_the_receipts() {
    let outcome = small(3).run(|_, _| {});
    let s = &outcome.summary;
    assert!(s.exactly_once.ok, "{:?}", s.exactly_once);
    assert_eq!(s.exactly_once.missing, 0);
    assert_eq!(s.exactly_once.duplicates, 0);
    assert_eq!(s.sessions as usize, outcome.receipts.len());
    assert_eq!(outcome.pile_records.len(), outcome.receipts.len());
    assert_eq!(s.open_at_end, 0);
    // 60 sockets × 1.3 bikes and 2 piles × 2–3 cars
    assert!((82..=84).contains(&s.arrivals), "{}", s.arrivals);
    // the incidents of the day happened and were seen
    assert_eq!(s.alarms.get("smoke"), Some(&1));
    assert_eq!(s.incidents.len(), 2);
    assert!(s.piles_offline >= 1);
    // the money adds up: every bill's total and refund, summed
    let total: i64 = outcome
        .receipts
        .iter()
        .filter_map(|r| r.bill.as_ref())
        .map(|b| b.total.0)
        .sum();
    assert_eq!(s.revenue.0, total);
    let energy: i64 = outcome.receipts.iter().map(|r| r.energy.0).sum();
    assert_eq!(s.energy.0, energy);
    let stops: u32 = s.stop_reasons.values().sum();
    assert_eq!(stops, s.sessions);
    // every session has a bill; monthly passes under the card plan, for nothing
    assert!(s.unbilled.is_empty(), "{:?}", s.unbilled);
    let passes: Vec<_> = outcome
        .receipts
        .iter()
        .filter(|r| {
            matches!(
                r.origin,
                pilekit::session::Origin::Platform {
                    payment: pilekit::tariff::Payment::MonthlyCard { .. }
                }
            )
        })
        .collect();
    assert!(!passes.is_empty());
    for r in passes {
        assert_eq!(r.bill.as_ref().unwrap().total.0, 0);
        assert_eq!(r.plan_version, 1);
    }
}

#[test]
fn the_same_seed_writes_the_same_bytes() {
    let a = small(11).run(|_, _| {});
    let b = small(11).run(|_, _| {});
    assert_eq!(a.receipts_jsonl(), b.receipts_jsonl());
    assert_eq!(
        serde_json::to_string(&a.summary).unwrap(),
        serde_json::to_string(&b.summary).unwrap()
    );
    assert_eq!(
        pilekit_sim::svg::load_svg(&a.load).unwrap(),
        pilekit_sim::svg::load_svg(&b.load).unwrap()
    );
    let c = small(12).run(|_, _| {});
    assert_ne!(a.receipts_jsonl(), c.receipts_jsonl());
}

#[test]
fn several_days_settle_everything() {
    let scenario = Scenario {
        piles: 3,
        sockets: 10,
        car_piles: 1,
        days: 3,
        ..Scenario::default()
    };
    let outcome = scenario.run(|_, _| {});
    let s = &outcome.summary;
    assert!(s.exactly_once.ok, "{:?}", s.exactly_once);
    assert_eq!(s.incidents.len(), 6);
    assert_eq!(s.alarms.get("smoke"), Some(&3));
    // 30 sockets × 1.3 a day for 3 days, and 2–3 cars a day
    assert!((123..=126).contains(&s.arrivals), "{}", s.arrivals);
    // the load was sampled every 5 minutes over the days and the settling after them
    assert!(outcome.load.times.len() >= 3 * 288);
    assert_eq!(outcome.load.piles.len(), 4);
}

#[test]
fn a_mix_of_dny_and_juy_piles_takes_coins_and_settles_everything() {
    let scenario = Scenario {
        piles: 4,
        dialects: vec![pilekit::codec::Dialect::Dny, pilekit::codec::Dialect::Juy],
        ..small(21)
    };
    let outcome = scenario.run(|_, _| {});
    let s = &outcome.summary;
    assert!(s.exactly_once.ok, "{:?}", s.exactly_once);
    assert!(s.coin_starts > 0);
    let coins: Vec<_> = outcome
        .receipts
        .iter()
        .filter(|r| {
            matches!(
                r.origin,
                pilekit::session::Origin::Local {
                    start: pilekit::model::LocalStart::Coin,
                    ..
                }
            )
        })
        .collect();
    assert_eq!(coins.len() as u32, s.coin_starts);
    let kept: i64 = coins
        .iter()
        .map(|r| r.bill.as_ref().unwrap().retained.0)
        .sum();
    assert_eq!(s.retained.0, kept);
    assert!(kept > 0);
    for r in coins {
        let bill = r.bill.as_ref().unwrap();
        assert_eq!(bill.refund.0, 0, "coins are never refunded");
        assert_eq!(bill.total.saturating_add(bill.retained), bill.prepaid);
    }
}
