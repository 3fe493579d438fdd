//! What a simulated day adds up to: the summary an operator reads, the exactly-once check of
//! the settlements, and the load of every pile over time.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use pilekit::model::{OrderRef, PileId};
use pilekit::session::SessionRecord;
use pilekit::units::{Energy, Money, Power};

use crate::pile::PileRecord;

/// Whether every charge the piles ran ended exactly once in the receipts.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ExactlyOnce {
    /// Charges the piles ran.
    pub pile_sessions: u32,
    /// Receipts the station wrote.
    pub receipts: u32,
    /// Charges without a receipt.
    pub missing: u32,
    /// Charges with more than one receipt.
    pub duplicates: u32,
    /// Receipts for no charge a pile ran.
    pub unknown: u32,
    /// Settlements a pile still waits to have acknowledged.
    pub unacknowledged: u32,
    /// All of the above hold: none missing, none twice, none unknown, all acknowledged.
    pub ok: bool,
}

/// The summary of a simulation.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// The seed.
    pub seed: u64,
    /// Days simulated.
    pub days: u32,
    /// E-bike piles.
    pub piles: u32,
    /// Car piles.
    pub car_piles: u32,
    /// Sockets and guns.
    pub sockets: u32,
    /// The e-bike plan's name.
    pub plan: String,
    /// The car plan's name.
    pub car_plan: String,
    /// The monthly pass's plan name.
    pub card_plan: String,
    /// Residents who came to charge (bikes and cars).
    pub arrivals: u32,
    /// Residents who found no free socket.
    pub turned_away: u32,
    /// Starts the platform asked for.
    pub start_requests: u32,
    /// Coin starts at piles.
    pub coin_starts: u32,
    /// Cards swiped at piles.
    pub card_swipes: u32,
    /// Cards swiped at a pile without its link: offline orders.
    pub offline_card_starts: u32,
    /// Sessions the station saw start.
    pub sessions_started: u32,
    /// Sessions settled (one receipt each).
    pub sessions: u32,
    /// Energy of every session.
    #[serde(rename = "energy_kwh")]
    pub energy: Energy,
    /// What the sessions cost (the bills' totals).
    #[serde(rename = "revenue_yuan")]
    pub revenue: Money,
    /// Coins kept beyond the bills (coins are never refunded).
    #[serde(rename = "retained_yuan")]
    pub retained: Money,
    /// Prepayments refunded.
    #[serde(rename = "refunds_yuan")]
    pub refunds: Money,
    /// Sessions without a bill (the plan could not price them), by reason.
    pub unbilled: BTreeMap<String, u32>,
    /// Sessions by why they stopped.
    pub stop_reasons: BTreeMap<String, u32>,
    /// Refused starts by reason.
    pub refusals: BTreeMap<String, u32>,
    /// Alarms by kind.
    pub alarms: BTreeMap<String, u32>,
    /// Anomalies the station reported, by kind.
    pub anomalies: BTreeMap<String, u32>,
    /// Times a pile went offline.
    pub piles_offline: u32,
    /// Chargers taken away while still charging.
    pub unplugged_while_charging: u32,
    /// The most sockets charging at once.
    pub peak_sockets_in_use: u32,
    /// When.
    pub peak_sockets_at: String,
    /// The most power drawn at once.
    #[serde(rename = "peak_power_w")]
    pub peak_power: Power,
    /// When.
    pub peak_power_at: String,
    /// Frames and module texts from piles.
    pub frames_up: u64,
    /// Frames to piles.
    pub frames_down: u64,
    /// Bytes from piles.
    pub bytes_up: u64,
    /// Bytes to piles.
    pub bytes_down: u64,
    /// Sessions still open when the simulation stopped.
    pub open_at_end: u32,
    /// When the simulation stopped (the last settlement).
    pub ended: String,
    /// The incidents of the day.
    pub incidents: Vec<String>,
    /// The exactly-once check.
    pub exactly_once: ExactlyOnce,
}

impl Summary {
    pub(crate) fn refuse(&mut self, reason: &str) {
        *self.refusals.entry(reason.to_string()).or_default() += 1;
    }

    pub(crate) fn record(&mut self, r: &SessionRecord) {
        self.sessions += 1;
        self.energy = self.energy.saturating_add(r.energy);
        *self
            .stop_reasons
            .entry(r.stop.cause.name().to_string())
            .or_default() += 1;
        match &r.bill {
            Some(b) => {
                self.revenue = self.revenue.saturating_add(b.total);
                self.refunds = self.refunds.saturating_add(b.refund);
                self.retained = self.retained.saturating_add(b.retained);
            }
            None => {
                let why = r.bill_error.clone().unwrap_or_default();
                *self.unbilled.entry(why).or_default() += 1;
            }
        }
    }

    /// Checks that every charge the piles ran has exactly one receipt, and no receipt is for
    /// a charge no pile ran.
    pub fn check_exactly_once(&mut self, piles: &[PileRecord], receipts: &[SessionRecord]) {
        let mut counts: BTreeMap<(PileId, u8, OrderRef), u32> = BTreeMap::new();
        for r in receipts {
            *counts.entry((r.pile, r.port.get(), r.order)).or_default() += 1;
        }
        let ran: BTreeSet<(PileId, u8, OrderRef)> =
            piles.iter().map(|p| (p.pile, p.port, p.order)).collect();
        let mut e = ExactlyOnce {
            pile_sessions: piles.len() as u32,
            receipts: receipts.len() as u32,
            ..ExactlyOnce::default()
        };
        for key in &ran {
            match counts.get(key).copied().unwrap_or(0) {
                0 => e.missing += 1,
                1 => {}
                _ => e.duplicates += 1,
            }
        }
        e.unknown = counts.keys().filter(|k| !ran.contains(k)).count() as u32;
        e.unacknowledged = piles.iter().filter(|p| !p.acknowledged).count() as u32;
        e.ok = e.missing == 0
            && e.duplicates == 0
            && e.unknown == 0
            && e.unacknowledged == 0
            && ran.len() == piles.len();
        self.exactly_once = e;
    }

    /// The summary as people read it.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "pilekit simulate: {} day(s), {} e-bike piles, {} car piles, {} sockets (seed {})",
            self.days, self.piles, self.car_piles, self.sockets, self.seed
        );
        let _ = writeln!(out, "  plan                 {}", self.plan);
        let _ = writeln!(out, "  car plan             {}", self.car_plan);
        let _ = writeln!(out, "  monthly pass         {}", self.card_plan);
        let _ = writeln!(
            out,
            "  residents            {} came, {} found no free socket",
            self.arrivals, self.turned_away
        );
        let _ = writeln!(
            out,
            "  sessions             {} settled ({} started)",
            self.sessions, self.sessions_started
        );
        let _ = writeln!(out, "  energy               {}", self.energy);
        let _ = writeln!(out, "  revenue              {}", self.revenue);
        let _ = writeln!(out, "  refunds              {}", self.refunds);
        if self.retained.0 != 0 {
            let _ = writeln!(out, "  coins kept           {}", self.retained);
        }
        let list = |m: &BTreeMap<String, u32>| {
            if m.is_empty() {
                return "none".to_string();
            }
            let mut v: Vec<(&String, &u32)> = m.iter().collect();
            v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            v.iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(out, "  stop reasons         {}", list(&self.stop_reasons));
        if !self.unbilled.is_empty() {
            let _ = writeln!(out, "  unbilled             {}", list(&self.unbilled));
        }
        let _ = writeln!(out, "  refused starts       {}", list(&self.refusals));
        let _ = writeln!(out, "  alarms               {}", list(&self.alarms));
        let _ = writeln!(
            out,
            "  peak sockets in use  {} of {} ({})",
            self.peak_sockets_in_use, self.sockets, self.peak_sockets_at
        );
        let _ = writeln!(
            out,
            "  peak power           {} ({})",
            kw(self.peak_power),
            self.peak_power_at
        );
        let _ = writeln!(
            out,
            "  traffic              {} frames up, {} down ({} + {} bytes)",
            self.frames_up, self.frames_down, self.bytes_up, self.bytes_down
        );
        // A long run lists its first incidents; summary.json has them all.
        for i in self.incidents.iter().take(4) {
            let _ = writeln!(out, "  incident             {i}");
        }
        if self.incidents.len() > 4 {
            let _ = writeln!(
                out,
                "  incident             … and {} more (summary.json)",
                self.incidents.len() - 4
            );
        }
        let e = &self.exactly_once;
        let _ = writeln!(
            out,
            "  exactly once         {} ({} charges on the piles, {} receipts, {} missing, {} twice, {} unacknowledged)",
            if e.ok { "ok" } else { "FAILED" },
            e.pile_sessions,
            e.receipts,
            e.missing,
            e.duplicates,
            e.unacknowledged
        );
        out
    }
}

/// The power of every pile, every 5 minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadCurve {
    /// The first midnight.
    pub start: i64,
    /// The piles, in order.
    pub piles: Vec<String>,
    /// The site's supply.
    pub supply_limit: Power,
    /// Sample times (Unix seconds).
    pub times: Vec<i64>,
    /// For each sample, the power of each pile.
    pub power: Vec<Vec<Power>>,
}

impl LoadCurve {
    /// An empty curve.
    pub fn new(start: i64, piles: Vec<String>, supply_limit: Power) -> Self {
        LoadCurve {
            start,
            piles,
            supply_limit,
            times: Vec::new(),
            power: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, t: i64, powers: Vec<Power>) {
        self.times.push(t);
        self.power.push(powers);
    }
}

/// Power in kW with one decimal, e.g. `38.4 kW`.
pub fn kw(p: Power) -> String {
    let w = p.0 / 10;
    format!("{}.{} kW", w / 1000, w % 1000 / 100)
}
