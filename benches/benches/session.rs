//! The session engine at district scale: a station of 10,000 DNY piles × 10 sockets, every
//! socket charging, fed meter samples and heartbeats — decoded events, and raw frames through
//! `handle_bytes` (decode included).
//!
//! ```sh
//! cd benches && cargo bench --bench session
//! ```

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use pilekit::model::Uplink;
use pilekit::session::{LinkId, Station};
use pilekit::time::Timestamp;

#[path = "session_fixture.rs"]
mod session_fixture;
use session_fixture::*;

fn pass_events(station: &mut Station, events: &[(LinkId, Uplink)], now: Timestamp) -> usize {
    let mut out = 0;
    for (link, up) in events {
        station.handle_event(*link, up.clone(), now);
        while let Some(t) = station.poll_transmit() {
            out += t.bytes.len();
        }
        while station.poll_notification().is_some() {}
    }
    out
}

fn pass_bytes(station: &mut Station, frames: &[(LinkId, Vec<u8>)], now: Timestamp) -> usize {
    let mut out = 0;
    for (link, bytes) in frames {
        station.handle_bytes(*link, bytes, now);
        while let Some(t) = station.poll_transmit() {
            out += t.bytes.len();
        }
        while station.poll_notification().is_some() {}
    }
    out
}

fn engine(c: &mut Criterion) {
    let (station, links) = district(10_000);
    let now = at(600);
    let events = sample_events(&links, 300);
    let frames = sample_frames(&links, 300);
    let mut g = c.benchmark_group("session");
    g.sample_size(10);
    g.throughput(Throughput::Elements(events.len() as u64));
    g.bench_function("events_10k_piles", |b| {
        b.iter_batched(
            || station.clone(),
            |mut s| black_box(pass_events(&mut s, &events, now)),
            BatchSize::PerIteration,
        )
    });
    g.throughput(Throughput::Elements(frames.len() as u64));
    g.bench_function("frames_from_bytes_10k_piles", |b| {
        b.iter_batched(
            || station.clone(),
            |mut s| black_box(pass_bytes(&mut s, &frames, now)),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);

