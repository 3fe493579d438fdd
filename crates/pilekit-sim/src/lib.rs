//! Virtual charging piles and community scenarios for pilekit: the pile's side of the
//! protocols, e-bike chargers and cars with their physics, residents, and a simulated day run
//! through the whole stack — virtual piles → bytes → stream decoder → `Station` → tariff →
//! receipts.
//!
//! ```
//! use pilekit_sim::Scenario;
//!
//! let scenario = Scenario { piles: 2, sockets: 4, car_piles: 1, ..Scenario::default() };
//! let outcome = scenario.run(|_, _| {});
//! // every charge the piles ran was billed exactly once
//! assert!(outcome.summary.exactly_once.ok);
//! assert_eq!(outcome.receipts.len() as u32, outcome.summary.sessions);
//! ```
//!
//! | Module | What |
//! |---|---|
//! | [`physics`] | chargers (CC / CV / float, lead-acid and lithium, bad actors) and cars (AC / DC curves) |
//! | [`pile`] | virtual DNY, JUY and YKC piles, sans-IO: bytes in, bytes out, a wake-up time |
//! | [`remote`] | virtual piles over TCP against a gateway, on a clock `speed` times the wall clock |
//! | [`sim`] | the community's scenario and the simulation loop |
//! | [`summary`] | the summary, the exactly-once check, the load curve |
//! | [`svg`] | the load picture |
#![warn(missing_docs)]

pub mod physics;
pub mod pile;
pub mod remote;
pub mod rng;
pub mod sim;
pub mod summary;
pub mod svg;

use std::io::Write as _;
use std::path::Path;

pub use sim::{Outcome, Scenario};
pub use summary::Summary;

/// The files a simulation writes to its output directory.
pub const FILES: [&str; 3] = ["receipts.jsonl", "summary.json", "load.svg"];

impl Outcome {
    /// One line of canonical JSON per receipt (the station's session record with its bill).
    pub fn receipts_jsonl(&self) -> String {
        let mut out = String::new();
        for r in &self.receipts {
            out.push_str(&serde_json::to_string(r).expect("receipts serialise"));
            out.push('\n');
        }
        out
    }

    /// Writes `receipts.jsonl`, `summary.json` and `load.svg` to `dir` (created if needed).
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("receipts.jsonl"), self.receipts_jsonl())?;
        let mut summary = serde_json::to_string_pretty(&self.summary).expect("summary serialises");
        summary.push('\n');
        std::fs::write(dir.join("summary.json"), summary)?;
        let svg = svg::load_svg(&self.load).map_err(std::io::Error::other)?;
        let mut f = std::fs::File::create(dir.join("load.svg"))?;
        f.write_all(svg.as_bytes())?;
        Ok(())
    }
}
