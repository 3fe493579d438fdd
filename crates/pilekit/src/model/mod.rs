//! Mappings between the dialects' messages and pilekit's protocol-neutral forms.
//!
//! - [`billing`]: the billing-model messages (YKC 0x0A/0x58, JUY 0x8D/0x8E and the 0x89/0x8A
//!   parameter table) to and from tariff [`Plan`](crate::tariff::Plan)s.

pub mod billing;
