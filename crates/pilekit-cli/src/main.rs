//! The `pilekit` command line.
fn main() {}
