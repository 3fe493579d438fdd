//! Tariff throughput: an 8-hour e-bike session with 96 power samples under JUY's 8-tier plan,
//! and a 24-hour time-of-use session crossing all 48 half-hour slots.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pilekit::tariff::Payment;
use pilekit::{Energy, Money};

mod fixtures;
use fixtures::{ebike_session, tier_plan, tou_plan, tou_session};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("tariff");
    group.throughput(Throughput::Elements(1));

    let plan = tier_plan();
    let usage = ebike_session();
    let bill = plan
        .bill(
            &usage,
            Payment::Prepaid {
                amount: Money(50_000),
            },
        )
        .expect("the session bills");
    assert!(bill.total > Money::ZERO);
    group.bench_function("8-tier e-bike 8 h, 96 samples", |b| {
        b.iter(|| {
            black_box(&plan)
                .bill(
                    black_box(&usage),
                    Payment::Prepaid {
                        amount: Money(50_000),
                    },
                )
                .map(|b| b.total)
        })
    });

    let plan = tou_plan();
    let usage = tou_session();
    let bill = plan
        .bill(&usage, Payment::Postpaid)
        .expect("the session bills");
    assert_eq!(bill.energy, Some(Energy(48 * 35_000)));
    group.bench_function("time-of-use 24 h, 48 slots", |b| {
        b.iter(|| {
            black_box(&plan)
                .bill(black_box(&usage), Payment::Postpaid)
                .map(|b| b.total)
        })
    });

    let mut shuffled = ebike_session();
    shuffled.samples.reverse();
    let plan = tier_plan();
    let mut buf = Vec::new();
    group.bench_function(
        "8-tier e-bike 8 h, 96 unsorted samples, reused buffer",
        |b| {
            b.iter(|| {
                black_box(&plan)
                    .bill_with_buffer(black_box(&shuffled), Payment::Postpaid, &mut buf)
                    .map(|b| b.total)
            })
        },
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
