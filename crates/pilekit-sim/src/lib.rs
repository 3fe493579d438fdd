//! Virtual charging piles and community scenarios for pilekit.
#![warn(missing_docs)]

pub mod physics;
pub mod pile;
