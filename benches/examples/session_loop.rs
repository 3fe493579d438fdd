//! One pass of meter samples and heartbeats through a station of 2,000 piles, for profiles:
//! `valgrind --tool=callgrind target/release/examples/session_loop events|bytes`.

use std::hint::black_box;

#[path = "../benches/session_fixture.rs"]
mod session_fixture;
use session_fixture::*;

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "events".into());
    let (mut station, links) = district(2_000);
    let now = at(600);
    let out;
    if mode == "bytes" {
        let frames = sample_frames(&links, 300);
        out = run_bytes(&mut station, &frames, now);
    } else {
        let events = sample_events(&links, 300);
        out = run_events(&mut station, &events, now);
    }
    black_box(out);
}

#[inline(never)]
fn run_events(
    station: &mut pilekit::session::Station,
    events: &[(pilekit::session::LinkId, pilekit::model::Uplink)],
    now: pilekit::time::Timestamp,
) -> usize {
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

#[inline(never)]
fn run_bytes(
    station: &mut pilekit::session::Station,
    frames: &[(pilekit::session::LinkId, Vec<u8>)],
    now: pilekit::time::Timestamp,
) -> usize {
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
