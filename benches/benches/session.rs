//! The session engine at district scale: a station of 10,000 DNY piles × 10 sockets, every
//! socket charging, fed meter samples and heartbeats — decoded events, and raw frames through
//! `handle_bytes` (decode included). Each pass gets a fresh copy of the station, made and
//! dropped outside the measurement.
//!
//! ```sh
//! cd benches && cargo bench --bench session
//! ```

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

#[path = "session_fixture.rs"]
mod session_fixture;
use session_fixture::*;

fn engine(c: &mut Criterion) {
    let (station, links) = district(10_000);
    let now = at(600);
    let events = sample_events(&links, 300);
    let frames = sample_frames(&links, 300);
    let mut g = c.benchmark_group("session");
    g.sample_size(10);
    g.throughput(Throughput::Elements(events.len() as u64));
    g.bench_function("events_10k_piles", |b| {
        b.iter_batched_ref(
            || (station.clone(), events.clone()),
            |(s, events)| black_box(pass_events(s, std::mem::take(events), now)),
            BatchSize::PerIteration,
        )
    });
    g.throughput(Throughput::Elements(frames.len() as u64));
    g.bench_function("frames_from_bytes_10k_piles", |b| {
        b.iter_batched_ref(
            || station.clone(),
            |s| black_box(pass_bytes(s, &frames, now)),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
