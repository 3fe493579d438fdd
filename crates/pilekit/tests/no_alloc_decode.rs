//! Decoding fixed-size frames allocates nothing: checked with a counting global allocator.
#![allow(unsafe_code)] // a global allocator can only be written with `unsafe`

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use pilekit::codec::stream::{StreamDecoder, StreamItem};
use pilekit::codec::ykc::YkcFrame;
use pilekit::codec::{DecodeContext, DecodeOptions, Dialect};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn capture() -> Vec<Vec<u8>> {
    include_str!("data/captures/ykc-session.hex")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| pilekit::hex::decode(l).unwrap())
        .collect()
}

#[test]
fn fixed_size_frames_decode_without_allocating() {
    let frames = capture();
    let mut decoder = StreamDecoder::new(Dialect::Ykc, DecodeOptions::STRICT);
    let all: Vec<u8> = frames.concat();
    // warm up: the stream decoder's buffer may grow once
    decoder.feed(&all[..all.len() - 3], |_| {});
    decoder.feed(&all[all.len() - 3..], |_| {});

    let before = ALLOCATIONS.load(Ordering::SeqCst);
    let mut decoded = 0;
    for f in &frames {
        let frame = YkcFrame::decode(f, &DecodeContext::STRICT).unwrap();
        decoded += usize::from(frame.extra.is_empty());
    }
    let mut streamed = 0;
    decoder.feed(&all, |item| {
        streamed += usize::from(matches!(item, StreamItem::Frame { .. }))
    });
    let after = ALLOCATIONS.load(Ordering::SeqCst);

    assert_eq!(decoded, frames.len());
    assert_eq!(streamed, frames.len());
    assert_eq!(after - before, 0, "allocations while decoding");
}
