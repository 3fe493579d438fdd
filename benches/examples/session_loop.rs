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
    let out = if mode == "bytes" {
        let frames = sample_frames(&links, 300);
        run_bytes(&mut station, &frames, now)
    } else {
        let events = sample_events(&links, 300);
        run_events(&mut station, events, now)
    };
    black_box(out);
}

#[inline(never)]
fn run_events(
    station: &mut pilekit::session::Station,
    events: Vec<(pilekit::session::LinkId, pilekit::model::Uplink)>,
    now: pilekit::time::Timestamp,
) -> usize {
    pass_events(station, events, now)
}

#[inline(never)]
fn run_bytes(
    station: &mut pilekit::session::Station,
    frames: &[(pilekit::session::LinkId, Vec<u8>)],
    now: pilekit::time::Timestamp,
) -> usize {
    pass_bytes(station, frames, now)
}
