//! Virtual piles over real sockets: each pile a TCP connection to a gateway
//! (`pilekit gateway`), its clock running `speed` times faster than the wall clock.
//!
//! The residents start by dropping coins (JUY piles start a coin charge at once and report it),
//! so no platform call is needed: the gateway sees what a real community's piles send. Each
//! pile keeps its own record of every charge it ran and whether the settlement was
//! acknowledged ([`PileRecord`], written as `piles.jsonl`), the record to hold the gateway's
//! receipts against.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pilekit::units::Money;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::physics::Charger;
use crate::pile::{Load, PileRecord, VirtualPile};
use crate::rng::Rng;

/// The gateways' addresses, shared: a test moves the piles to a restarted gateway by setting
/// them; piles reconnect to the addresses current when they next connect.
///
/// With several addresses (`127.0.0.1:8767,127.0.0.1:8768`) pile `i` first connects to address
/// `i mod n`; a pile whose connection fails or drops tries the next address, so the piles of a
/// gateway that dies move to the others.
#[derive(Debug, Clone)]
pub struct Addr(Arc<Mutex<Vec<String>>>);

fn split(addrs: &str) -> Vec<String> {
    addrs
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(String::from)
        .collect()
}

impl Addr {
    /// One address (`127.0.0.1:8767`) or several, separated by commas.
    pub fn new(addrs: impl AsRef<str>) -> Self {
        Addr(Arc::new(Mutex::new(split(addrs.as_ref()))))
    }

    /// Points every pile at other addresses (comma separated) from its next connection.
    pub fn set(&self, addrs: impl AsRef<str>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = split(addrs.as_ref());
    }

    /// The first address now.
    pub fn get(&self) -> String {
        self.pick(0)
    }

    /// The address a pile on its `attempt`-th choice connects to: `attempt mod n`.
    pub fn pick(&self, attempt: usize) -> String {
        let list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if list.is_empty() {
            return String::new();
        }
        list[attempt % list.len()].clone()
    }
}

/// What to run against a gateway.
#[derive(Debug, Clone)]
pub struct Remote {
    /// The gateways' addresses.
    pub addr: Addr,
    /// How many piles.
    pub piles: u32,
    /// Sockets per pile.
    pub sockets: u8,
    /// Simulated seconds per real second.
    pub speed: u32,
    /// How long the residents keep arriving, in simulated seconds.
    pub duration_s: i64,
    /// The seed of the residents' choices.
    pub seed: u64,
    /// The simulated start (Unix seconds).
    pub start: i64,
    /// Charger arrivals per socket and simulated day, ‰.
    pub arrivals_per_socket_permille: u32,
}

/// What the piles saw.
#[derive(Debug, Clone, Default)]
pub struct RemoteReport {
    /// Every charge the piles ran, pile by pile.
    pub records: Vec<PileRecord>,
    /// Frames (and module texts) the piles sent.
    pub frames_sent: u64,
    /// Answers the piles waited for, with the time they took (µs), in no order.
    pub latencies_us: Vec<u32>,
    /// Settlements still unacknowledged when the piles gave up waiting.
    pub unacknowledged: usize,
    /// Connections that failed or dropped.
    pub reconnects: u64,
    /// The wall time of the run.
    pub wall: Duration,
}

/// The summary of a run against gateways (`pilekit simulate --connect`, `--json`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RemoteSummary {
    /// Piles.
    pub piles: u32,
    /// Sockets per pile.
    pub sockets: u8,
    /// Hours of arrivals.
    pub hours: u32,
    /// Simulated seconds per real second.
    pub speed: u32,
    /// Charges the piles ran.
    pub charges: usize,
    /// Charges whose settlement was acknowledged.
    pub acknowledged: usize,
    /// Settlements still unacknowledged when the piles gave up.
    pub unacknowledged: usize,
    /// Frames (and module texts) the piles sent.
    pub frames_sent: u64,
    /// Frames sent per wall-clock second.
    pub frames_per_s: u64,
    /// The median answer latency, µs.
    pub answer_latency_p50_us: u32,
    /// The 99th-percentile answer latency, µs.
    pub answer_latency_p99_us: u32,
    /// Connections that failed or dropped.
    pub reconnects: u64,
    /// The wall time in seconds (to a tenth).
    pub wall_s: f64,
    /// Where the piles' records were written.
    pub piles_file: String,
}

impl RemoteReport {
    /// The summary of this run of `remote`, its records written to `piles_file`.
    pub fn summary(&self, remote: &Remote, piles_file: impl Into<String>) -> RemoteSummary {
        let wall_ms = self.wall.as_millis().max(1) as u64;
        RemoteSummary {
            piles: remote.piles,
            sockets: remote.sockets,
            hours: (remote.duration_s / 3600) as u32,
            speed: remote.speed,
            charges: self.records.len(),
            acknowledged: self.records.iter().filter(|r| r.acknowledged).count(),
            unacknowledged: self.unacknowledged,
            frames_sent: self.frames_sent,
            frames_per_s: self.frames_sent * 1000 / wall_ms,
            answer_latency_p50_us: self.latency_us(500),
            answer_latency_p99_us: self.latency_us(990),
            reconnects: self.reconnects,
            wall_s: (wall_ms / 100) as f64 / 10.0,
            piles_file: piles_file.into(),
        }
    }

    /// The `q`-quantile (0–1000 ‰) of the answer latencies, in µs.
    pub fn latency_us(&self, permille: u32) -> u32 {
        if self.latencies_us.is_empty() {
            return 0;
        }
        let mut sorted = self.latencies_us.clone();
        sorted.sort_unstable();
        let i = (sorted.len() - 1) * permille as usize / 1000;
        sorted[i]
    }
}

/// The simulated clock: `start` at `origin`, `speed` simulated seconds per real second.
#[derive(Clone, Copy)]
struct Clock {
    origin: Instant,
    start: i64,
    speed: u32,
}

impl Clock {
    fn now(&self) -> i64 {
        self.start + (self.origin.elapsed().as_millis() as i64 * i64::from(self.speed)) / 1000
    }

    /// The real instant a simulated time falls on.
    fn instant(&self, at: i64) -> Instant {
        let ahead_ms = (at - self.start).max(0) * 1000 / i64::from(self.speed.max(1));
        self.origin + Duration::from_millis(ahead_ms as u64)
    }
}

/// A socket's resident: when they come next, and when they collect the bike.
#[derive(Clone, Copy)]
enum Visit {
    Arrive(i64),
    Collect(i64),
}

impl Visit {
    fn at(self) -> i64 {
        match self {
            Visit::Arrive(t) | Visit::Collect(t) => t,
        }
    }
}

/// Seconds until the next arrival at a socket.
fn gap(rng: &mut Rng, per_day_permille: u32) -> i64 {
    let mean = (86_400_000 / i64::from(per_day_permille.max(1))).max(60);
    rng.range(mean / 4, mean * 7 / 4)
}

struct PileStats {
    records: Vec<PileRecord>,
    frames_sent: u64,
    latencies_us: Vec<u32>,
    unacknowledged: usize,
    reconnects: u64,
}

async fn run_pile(index: u32, remote: Remote, clock: Clock) -> PileStats {
    let mut rng = Rng::new(remote.seed ^ (u64::from(index) << 32 | 0x5eed));
    let mut pile = VirtualPile::juy(861_000_000_000_000 + u64::from(index), remote.sockets);
    let end = remote.start + remote.duration_s;
    // the evening's first arrivals spread over its first hours
    let first = remote.duration_s.clamp(60, 4 * 3600);
    let mut visits: Vec<Visit> = (0..remote.sockets)
        .map(|_| Visit::Arrive(remote.start + rng.range(0, first)))
        .collect();
    let mut stats = PileStats {
        records: Vec::new(),
        frames_sent: 0,
        latencies_us: Vec::new(),
        unacknowledged: 0,
        reconnects: 0,
    };
    // after the day: settle what is running, then wait for the last acknowledgements
    let give_up = end + 6 * 3600;
    let mut buf = vec![0u8; 8192];
    // which gateway: the pile's own first, the next one after each failure
    let mut choice = index as usize;
    'connect: loop {
        if clock.now() >= give_up {
            break;
        }
        let Ok(mut stream) = TcpStream::connect(remote.addr.pick(choice)).await else {
            stats.reconnects += 1;
            choice += 1;
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        pile.connect(clock.now());
        let mut waiting: Option<Instant> = None;
        loop {
            let now = clock.now();
            // residents
            for (i, visit) in visits.iter_mut().enumerate() {
                let port = i as u8 + 1;
                if visit.at() > now {
                    continue;
                }
                match *visit {
                    Visit::Arrive(_) if now < end && pile.is_free(port) => {
                        let c = Charger::random(&mut rng);
                        pile.plug(port, Load::Bike(c), now);
                        pile.coin(port, Money::YUAN, now);
                        // most collect in the morning; some early
                        let stay = if rng.chance(100) {
                            rng.range(600, 3600)
                        } else {
                            rng.range(4 * 3600, 12 * 3600)
                        };
                        *visit = Visit::Collect(now + stay);
                    }
                    Visit::Arrive(_) => {
                        *visit =
                            Visit::Arrive(now + gap(&mut rng, remote.arrivals_per_socket_permille));
                    }
                    Visit::Collect(_) => {
                        pile.unplug(port, now);
                        *visit =
                            Visit::Arrive(now + gap(&mut rng, remote.arrivals_per_socket_permille));
                    }
                }
            }
            while pile.poll_note().is_some() {}
            if now >= pile.poll_timeout() {
                pile.handle_timeout(now);
            }
            while let Some(bytes) = pile.poll_transmit() {
                stats.frames_sent += 1;
                if stream.write_all(&bytes).await.is_err() {
                    stats.reconnects += 1;
                    choice += 1;
                    pile.disconnect(clock.now());
                    continue 'connect;
                }
                waiting.get_or_insert_with(Instant::now);
            }
            let done = now >= end
                && pile.busy() == 0
                && pile.unacknowledged() == 0
                && visits.iter().all(|v| matches!(v, Visit::Arrive(_)));
            if done || now >= give_up {
                break 'connect;
            }
            let next_visit = visits.iter().map(|v| v.at()).min().unwrap_or(i64::MAX);
            let wake = pile.poll_timeout().min(next_visit).max(now + 1);
            let deadline = tokio::time::Instant::from_std(clock.instant(wake));
            tokio::select! {
                read = stream.read(&mut buf) => match read {
                    Ok(0) | Err(_) => {
                        stats.reconnects += 1;
                        choice += 1;
                        pile.disconnect(clock.now());
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue 'connect;
                    }
                    Ok(n) => {
                        if let Some(sent) = waiting.take() {
                            stats.latencies_us.push(sent.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
                        }
                        pile.handle_bytes(&buf[..n], clock.now());
                    }
                },
                () = tokio::time::sleep_until(deadline) => {}
            }
        }
    }
    stats.records = pile.records().to_vec();
    stats.frames_sent = stats.frames_sent.max(pile.frames_sent());
    stats.unacknowledged = pile.unacknowledged();
    stats
}

impl Remote {
    /// Runs the piles against the gateway until the day is over and every settlement is
    /// acknowledged (or six simulated hours after the day, when the piles give up).
    pub async fn run(&self) -> RemoteReport {
        let clock = Clock {
            origin: Instant::now(),
            start: self.start,
            speed: self.speed.max(1),
        };
        let tasks: Vec<_> = (0..self.piles)
            .map(|i| tokio::spawn(run_pile(i, self.clone(), clock)))
            .collect();
        let mut report = RemoteReport::default();
        for task in tasks {
            if let Ok(stats) = task.await {
                report.records.extend(stats.records);
                report.frames_sent += stats.frames_sent;
                report.latencies_us.extend(stats.latencies_us);
                report.unacknowledged += stats.unacknowledged;
                report.reconnects += stats.reconnects;
            }
        }
        report.wall = clock.origin.elapsed();
        report
    }
}

/// The piles' records as JSON Lines (`piles.jsonl`).
pub fn records_jsonl(records: &[PileRecord]) -> String {
    let mut out = String::new();
    for r in records {
        out.push_str(&serde_json::to_string(r).expect("records serialise"));
        out.push('\n');
    }
    out
}

/// Holds the piles' records against the gateway's receipts: `(missing, billed twice)` —
/// acknowledged charges without a receipt, and charges with more than one.
pub fn reconcile(records: &[PileRecord], receipts: &[serde_json::Value]) -> (usize, usize) {
    use std::collections::BTreeMap;
    let mut count: BTreeMap<(String, u64, String), usize> = BTreeMap::new();
    for r in receipts {
        let key = (
            r["pile"].as_str().unwrap_or_default().to_string(),
            r["port"].as_u64().unwrap_or_default(),
            r["order"].as_str().unwrap_or_default().to_string(),
        );
        *count.entry(key).or_default() += 1;
    }
    let mut missing = 0;
    for r in records.iter().filter(|r| r.acknowledged) {
        let key = (r.pile.to_string(), u64::from(r.port), r.order.to_string());
        if !count.contains_key(&key) {
            missing += 1;
        }
    }
    let twice = count.values().filter(|&&n| n > 1).count();
    (missing, twice)
}
