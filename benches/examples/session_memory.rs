//! Memory of the session engine and the size and time of its snapshot, for 10,000 piles of 10
//! sockets: `cargo run --release --example session_memory` (in `benches/`).
//!
//! Heap bytes are counted by a global allocator that tracks what is live.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Instant;

#[path = "../benches/session_fixture.rs"]
mod session_fixture;
use session_fixture::*;

use pilekit::model::{LoginInfo, PileEvent, PileId, ReplyTo, Uplink};
use pilekit::session::{Config, Station};
use pilekit::tariff::Plan;

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; only a counter is kept.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded with the caller's pointer and layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: forwarded with the caller's pointer, layout and size.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const PILES: u32 = 10_000;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

fn main() {
    let ports = f64::from(PILES) * f64::from(PORTS);
    // idle: every pile logged in on its link, no session
    let before = live();
    let plan: Plan = serde_json::from_str(
        r#"{"family": "fixed_block", "price_yuan": 1, "block_min": 240, "billed_by": "minute"}"#,
    )
    .expect("plan");
    let mut idle = Station::new(Config::default(), plan);
    for i in 0..PILES {
        let link = idle.connect(at(0));
        idle.handle_event(
            link,
            Uplink {
                pile: PileId::Dny(pile_id(i)),
                event: PileEvent::LoggedIn(LoginInfo {
                    ports: Some(PORTS),
                    ..LoginInfo::default()
                }),
                reply_to: ReplyTo::NONE,
            },
            at(0),
        );
        while idle.poll_transmit().is_some() {}
        while idle.poll_notification().is_some() {}
    }
    let idle_bytes = live() - before;
    println!(
        "idle: {PILES} piles x {PORTS} sockets: {:.1} MB, {:.0} bytes per pile with its link, \
         {:.0} bytes per idle socket (pile and link included)",
        idle_bytes as f64 / 1e6,
        idle_bytes as f64 / f64::from(PILES),
        idle_bytes as f64 / ports
    );
    drop(idle);

    // every socket charging
    let before = live();
    let (mut station, links) = district(PILES);
    let started = live() - before;
    println!(
        "charging: {:.1} MB, {:.0} bytes per socket with a session just started",
        started as f64 / 1e6,
        started as f64 / ports
    );
    let mut samples = 0;
    for pass in 1..=48u32 {
        let frames = sample_frames(&links, pass * 300);
        pass_bytes(&mut station, &frames, at(i64::from(pass) * 300));
        samples += 1;
        if pass == 1 || pass == 12 || pass == 48 {
            let now = live() - before;
            println!(
                "  after {samples} power report(s) per socket ({} min): {:.0} bytes per session",
                pass * 5,
                now as f64 / ports
            );
        }
    }

    let t = Instant::now();
    let snapshot = serde_json::to_vec(&station).expect("serialises");
    let save = t.elapsed();
    let t = Instant::now();
    let restored: Station = serde_json::from_slice(&snapshot).expect("restores");
    let load = t.elapsed();
    println!(
        "snapshot (JSON) of {PILES} piles, every socket charging with 48 samples: {:.1} MB, \
         saved in {:.0} ms, restored in {:.0} ms",
        snapshot.len() as f64 / 1e6,
        save.as_secs_f64() * 1e3,
        load.as_secs_f64() * 1e3
    );
    assert_eq!(restored.open_sessions(), station.open_sessions());
}
