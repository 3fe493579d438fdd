//! Runnable examples of the pilekit API live next to this crate: see `examples/*.rs`.
