//! `StreamDecoder::auto(LENIENT)` over arbitrarily chunked input.
//!
//! Input layout: `ctl`, then `ctl & 7` chunk-size bytes, then the stream (sizes cycle; 0 is an
//! empty feed; all zero means byte by byte). `ctl & 0x08` sets the smallest buffer bound
//! (`with_max_buffer(0)`, clamped to 512); `ctl & 0x10` turns the checksum check off.
//!
//! Asserted: no panic; `buffered() <= max_buffer()` after every feed; `position()` counts every
//! byte fed; nothing is left buffered after `finish`; every yielded frame re-encodes or carries
//! a deviation explaining why not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pilekit::codec::DecodeOptions;
use pilekit::codec::stream::{Frame, StreamDecoder, StreamItem};

fn check_items(items: Vec<StreamItem>) {
    for item in items {
        if let StreamItem::Frame {
            frame: Frame::Ykc(f),
            ..
        } = item
        {
            if let Err(e) = f.encode() {
                assert!(
                    !f.deviations.is_empty(),
                    "frame without deviations does not encode: {e:?}\n{f:?}"
                );
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, rest)) = data.split_first() else {
        return;
    };
    let k = usize::from(ctl & 7);
    if rest.len() < k {
        return;
    }
    let (sizes, stream) = rest.split_at(k);
    let sizes: Vec<usize> = if sizes.iter().all(|&s| s == 0) {
        vec![1]
    } else {
        sizes.iter().map(|&s| usize::from(s)).collect()
    };
    let opts = DecodeOptions::LENIENT.with_checksum_check(ctl & 0x10 == 0);
    let mut d = StreamDecoder::auto(opts);
    if ctl & 0x08 != 0 {
        d = d.with_max_buffer(0);
    }
    let mut pos = 0;
    let mut i = 0;
    while pos < stream.len() {
        let n = sizes[i % sizes.len()].min(stream.len() - pos);
        i += 1;
        check_items(d.feed_collect(&stream[pos..pos + n]));
        pos += n;
        assert!(
            d.buffered() <= d.max_buffer(),
            "buffered {} > max_buffer {}",
            d.buffered(),
            d.max_buffer()
        );
        assert_eq!(d.position(), pos);
    }
    check_items(d.finish_collect());
    assert_eq!(d.buffered(), 0);
    assert_eq!(d.position(), stream.len());
});
