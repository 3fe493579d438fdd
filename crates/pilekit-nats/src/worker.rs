//! The engine worker: partitions held by lease, one `Station` each, fed from the uplink stream.
//!
//! Every third of the lease TTL a worker renews the leases it holds (`update` at the revision it
//! last wrote: if another worker's write came in between, the update fails and the partition is
//! dropped at once), renews its own registration (`worker.<id>`, which expires like a lease),
//! counts the live workers, and holds its share of the partitions, `ceil(partitions / live
//! workers)` and at most `shards`: it checkpoints and frees the partitions over its share (a
//! worker joined), and `create`s the lease of partitions nobody holds while under it (a worker
//! died, or its lease ran out), starting from a place given by its id so that workers spread out.
//!
//! A partition's turn: take every record waiting (up to a batch), run each through the station
//! (its timers first, at the record's receive time), publish the receipts of the sessions that
//! ended and wait for JetStream to store them, then publish the station's answers to the piles.
//! A settlement is acknowledged only once its receipt is stored.
//!
//! A checkpoint — the station's snapshot, the connection table and the stream sequence they
//! cover, as JSON — is put in the checkpoints bucket every `checkpoint` interval and when the
//! partition is given up. A station's snapshot outgrows one NATS message (the server's
//! `max_payload`, 1 MiB by default) as soon as a few dozen piles charge: it is stored in parts
//! under a head that is replaced last (see [`crate::checkpoint`]), so a takeover reads either
//! the old checkpoint or the new one, whatever its size.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_nats::HeaderMap;
use async_nats::jetstream::consumer::{DeliverPolicy, pull};
use futures_util::StreamExt;
use futures_util::future::FutureExt;
use pilekit::session::{LinkId, Notification, Station};
use pilekit::time::Timestamp;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::{
    Bus, HEADER_CONN, NatsError, RecordHead, UP_STREAM, checkpoint, down_subject, notify_subject,
    partition_of, receipt_subject,
};

/// The most records handled in one turn.
const BATCH: usize = 1024;
/// Connection ids remembered per pile after they were replaced (their late records are dropped).
const RETIRED: usize = 8;

/// A sink shared by the partitions of a worker.
pub type SharedWriter = Arc<Mutex<Box<dyn Write + Send>>>;

/// How a worker runs.
#[derive(Clone)]
pub struct WorkerOptions {
    /// The worker's id (unique among the running workers).
    pub id: String,
    /// The most partitions this worker holds at once. Within it, a worker holds its share,
    /// `ceil(partitions / live workers)`: it gives back what is over the share when a worker
    /// joins and takes what nobody holds when one dies. Leave it at the partition count unless
    /// a worker's memory is the limit (the survivors of a failure must be able to hold every
    /// partition between them).
    pub shards: u32,
    /// How often a partition's checkpoint is written.
    pub checkpoint: Duration,
    /// Where receipts are appended as JSON Lines (the new ones only, not those JetStream
    /// reported as duplicates).
    pub receipts: Option<SharedWriter>,
    /// Where notifications and the worker's events are logged as JSON Lines.
    pub log: Option<SharedWriter>,
}

/// Counters of a worker, over its partitions.
#[derive(Debug, Default)]
pub struct WorkerStats {
    /// Uplink records run through a station.
    pub records: std::sync::atomic::AtomicU64,
    /// Receipts newly stored.
    pub receipts: std::sync::atomic::AtomicU64,
    /// Partitions taken (over the worker's life).
    pub takeovers: std::sync::atomic::AtomicU64,
    /// The largest checkpoint written, in bytes.
    pub largest_checkpoint: std::sync::atomic::AtomicU64,
}

/// A pile's connection as the partition knows it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct PileConn {
    /// The connection it is on, and the station's link for it.
    current: Option<(String, LinkId)>,
    /// Connections it left (records still arriving from them are dropped).
    retired: VecDeque<String>,
}

/// A partition's durable state.
#[derive(Serialize, Deserialize)]
struct Checkpoint {
    /// The last stream sequence the station has seen.
    seq: u64,
    station: Station,
    piles: BTreeMap<String, PileConn>,
}

/// A running worker.
pub struct Worker {
    bus: Bus,
    options: WorkerOptions,
    fresh: Arc<dyn Fn() -> Station + Send + Sync>,
    stats: Arc<WorkerStats>,
}

struct Held {
    revision: u64,
    stop: watch::Sender<bool>,
    task: JoinHandle<Result<(), NatsError>>,
}

impl Worker {
    /// A worker on `bus`; `fresh` makes the station of a partition that has no checkpoint yet.
    pub fn new(
        bus: Bus,
        options: WorkerOptions,
        fresh: impl Fn() -> Station + Send + Sync + 'static,
    ) -> Self {
        Worker {
            bus,
            options,
            fresh: Arc::new(fresh),
            stats: Arc::new(WorkerStats::default()),
        }
    }

    /// The counters.
    pub fn stats(&self) -> Arc<WorkerStats> {
        self.stats.clone()
    }

    fn log(&self, line: serde_json::Value) {
        log(&self.options.log, &line);
    }

    /// Runs until `shutdown` completes: then every partition writes its checkpoint and its
    /// lease is deleted, so another worker takes it at once.
    pub async fn run(
        &self,
        shutdown: impl std::future::Future<Output = ()>,
    ) -> Result<(), NatsError> {
        let leases = self.bus.leases().await?;
        let partitions = self.bus.layout.partitions;
        let mut held: BTreeMap<u32, Held> = BTreeMap::new();
        // the bucket's TTL rules (a worker configured otherwise follows the first one)
        let ttl = match leases.status().await {
            Ok(status) if !status.max_age().is_zero() => status.max_age(),
            _ => self.bus.layout.lease_ttl,
        };
        let mut tick = tokio::time::interval(ttl / 3);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let offset = partition_of(&self.options.id, partitions);
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                () = &mut shutdown => break,
            }
            // renew, all at once (a late renewal loses the partition)
            let renewals = held.iter().map(|(&p, h)| {
                let leases = &leases;
                let id = self.options.id.clone();
                let (revision, finished) = (h.revision, h.task.is_finished());
                async move {
                    if finished {
                        return (p, Err("the partition stopped".to_string()));
                    }
                    let r = leases.update(lease_key(p), id.into(), revision).await;
                    (p, r.map_err(|e| e.to_string()))
                }
            });
            let mut lost = Vec::new();
            for (p, r) in futures_util::future::join_all(renewals).await {
                match r {
                    Ok(rev) => held.get_mut(&p).expect("held").revision = rev,
                    Err(e) => {
                        self.log(serde_json::json!({"worker": self.options.id, "event": "lease_lost", "partition": p, "error": e}));
                        lost.push(p);
                    }
                }
            }
            for p in lost {
                if let Some(h) = held.remove(&p) {
                    let _ = h.stop.send(true);
                    h.task.abort();
                    if let Ok(Ok(Err(e))) =
                        tokio::time::timeout(Duration::from_millis(10), h.task).await
                    {
                        self.log(serde_json::json!({"worker": self.options.id, "event": "partition_failed", "partition": p, "error": e.to_string()}));
                    }
                }
            }
            // a share of the partitions: the live workers register under `worker.<id>`
            let _ = leases
                .put(worker_key(&self.options.id), self.options.id.clone().into())
                .await;
            let live = live_workers(&leases).await.max(1);
            let share = partitions.div_ceil(live).min(self.options.shards) as usize;
            // give back what is over the share (a worker joined): checkpoint, then free the lease
            while held.len() > share {
                let Some((&p, _)) = held.iter().next_back() else {
                    break;
                };
                let h = held.remove(&p).expect("held");
                let _ = h.stop.send(true);
                let leases = leases.clone();
                let log_sink = self.options.log.clone();
                let id = self.options.id.clone();
                // the lease is freed once the checkpoint is written, without holding up the
                // renewal of the others
                tokio::spawn(async move {
                    if let Ok(Err(e)) = h.task.await {
                        log(
                            &log_sink,
                            &serde_json::json!({"worker": id, "event": "partition_failed", "partition": p, "error": e.to_string()}),
                        );
                    }
                    let _ = leases
                        .delete_expect_revision(lease_key(p), Some(h.revision))
                        .await;
                    log(
                        &log_sink,
                        &serde_json::json!({"worker": id, "event": "partition_released", "partition": p}),
                    );
                });
            }
            // take
            for i in 0..partitions {
                if held.len() >= share {
                    break;
                }
                let p = (offset + i) % partitions;
                if held.contains_key(&p) {
                    continue;
                }
                if let Ok(revision) = leases
                    .create(lease_key(p), self.options.id.clone().into())
                    .await
                {
                    self.stats
                        .takeovers
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    self.log(serde_json::json!({"worker": self.options.id, "event": "partition_taken", "partition": p}));
                    let (stop, stopped) = watch::channel(false);
                    let part = Partition::new(self, p);
                    let task = tokio::spawn(part.run(stopped));
                    held.insert(
                        p,
                        Held {
                            revision,
                            stop,
                            task,
                        },
                    );
                }
            }
        }
        for (p, h) in held {
            let _ = h.stop.send(true);
            match h.task.await {
                Ok(Err(e)) => return Err(e),
                Err(e) => return Err(NatsError::Config(format!("partition {p} stopped: {e}"))),
                Ok(Ok(())) => {}
            }
            let _ = leases
                .delete_expect_revision(lease_key(p), Some(h.revision))
                .await;
        }
        let _ = leases.delete(worker_key(&self.options.id)).await;
        let _ = self.bus.client.flush().await;
        Ok(())
    }
}

fn worker_key(id: &str) -> String {
    format!("worker.{id}")
}

/// How many workers renewed their registration within the lease TTL.
async fn live_workers(leases: &async_nats::jetstream::kv::Store) -> u32 {
    let Ok(mut keys) = leases.keys().await else {
        return 1;
    };
    let mut n = 0;
    while let Some(k) = keys.next().await {
        if k.is_ok_and(|k| k.starts_with("worker.")) {
            n += 1;
        }
    }
    n
}

fn lease_key(p: u32) -> String {
    format!("partition.{p}")
}

fn checkpoint_key(p: u32) -> String {
    format!("partition.{p}")
}

fn log(sink: &Option<SharedWriter>, line: &serde_json::Value) {
    if let Some(w) = sink {
        let mut w = w.lock().unwrap_or_else(|e| e.into_inner());
        let _ = writeln!(w, "{line}");
    }
}

/// One held partition.
struct Partition {
    bus: Bus,
    options: WorkerOptions,
    fresh: Arc<dyn Fn() -> Station + Send + Sync>,
    stats: Arc<WorkerStats>,
    partition: u32,
}

/// A partition's station and what it knows of the connections.
struct State {
    cp: Checkpoint,
    links: HashMap<LinkId, (String, String)>,
    /// Records up to this sequence were published before the takeover: their answers are not
    /// sent.
    quiet_until: u64,
}

impl State {
    fn new(cp: Checkpoint, quiet_until: u64) -> Self {
        let links = cp
            .piles
            .iter()
            .filter_map(|(t, c)| {
                c.current
                    .as_ref()
                    .map(|(conn, link)| (*link, (t.clone(), conn.clone())))
            })
            .collect();
        State {
            cp,
            links,
            quiet_until,
        }
    }

    /// Runs one record through the station.
    fn apply(&mut self, seq: u64, token: &str, head: &RecordHead, bytes: &[u8]) {
        self.cp.seq = seq;
        let at = head.at;
        if self.cp.station.poll_timeout().is_some_and(|t| t <= at) {
            self.cp.station.handle_timeout(at);
        }
        let pile = self.cp.piles.entry(token.to_string()).or_default();
        let on_current = pile.current.as_ref().map(|(c, l)| (c == &head.conn, *l));
        match (head.closed, on_current) {
            (true, Some((true, link))) => {
                self.cp.station.disconnect(link, at);
                self.links.remove(&link);
                let (conn, _) = pile.current.take().expect("current");
                retire(pile, conn);
            }
            (true, _) => {}
            (false, Some((true, link))) => self.cp.station.handle_bytes(link, bytes, at),
            (false, _) => {
                if pile.retired.contains(&head.conn) {
                    return;
                }
                // a new connection of the pile: the old one is gone (its gateway may have died
                // without a word)
                if let Some((conn, link)) = pile.current.take() {
                    self.cp.station.disconnect(link, at);
                    self.links.remove(&link);
                    retire(pile, conn);
                }
                let link = self.cp.station.connect(at);
                pile.current = Some((head.conn.clone(), link));
                self.links
                    .insert(link, (token.to_string(), head.conn.clone()));
                self.cp.station.handle_bytes(link, bytes, at);
            }
        }
    }
}

fn retire(pile: &mut PileConn, conn: String) {
    pile.retired.push_back(conn);
    while pile.retired.len() > RETIRED {
        pile.retired.pop_front();
    }
}

/// What one turn produced, to publish.
#[derive(Default)]
struct Outbox {
    receipts: Vec<(String, String, String)>,
    notifications: Vec<String>,
    downlinks: Vec<(String, String, Vec<u8>)>,
}

impl Partition {
    fn new(worker: &Worker, partition: u32) -> Self {
        Partition {
            bus: worker.bus.clone(),
            options: worker.options.clone(),
            fresh: worker.fresh.clone(),
            stats: worker.stats.clone(),
            partition,
        }
    }

    /// The partition's state from its checkpoint, and the head the checkpoint was read
    /// through (its parts are deleted once a newer checkpoint is written).
    async fn restore(&self) -> Result<(State, Option<checkpoint::Head>), NatsError> {
        let started = Instant::now();
        let checkpoints = self.bus.checkpoints().await?;
        let (cp, head) =
            match checkpoint::read(&checkpoints, &checkpoint_key(self.partition)).await? {
                Some((bytes, head)) => (serde_json::from_slice::<Checkpoint>(&bytes)?, head),
                None => (
                    Checkpoint {
                        seq: 0,
                        station: (self.fresh)(),
                        piles: BTreeMap::new(),
                    },
                    None,
                ),
            };
        let mut stream = self
            .bus
            .js
            .get_stream(UP_STREAM)
            .await
            .map_err(|e| NatsError::bus("cannot open the uplink stream", e))?;
        let last = stream
            .info()
            .await
            .map_err(|e| NatsError::bus("cannot read the uplink stream", e))?
            .state
            .last_sequence;
        log(
            &self.options.log,
            &serde_json::json!({"worker": self.options.id, "event": "partition_restored", "partition": self.partition,
                "checkpoint_seq": cp.seq, "replay_until": last, "ms": started.elapsed().as_millis() as u64}),
        );
        Ok((State::new(cp, last), head))
    }

    async fn run(self, mut stop: watch::Receiver<bool>) -> Result<(), NatsError> {
        let (mut state, mut head) = self.restore().await?;
        let checkpoints = self.bus.checkpoints().await?;
        let stream = self
            .bus
            .js
            .get_stream(UP_STREAM)
            .await
            .map_err(|e| NatsError::bus("cannot open the uplink stream", e))?;
        let consumer = stream
            .create_consumer(pull::OrderedConfig {
                filter_subject: format!("pilekit.up.{}.>", self.partition),
                deliver_policy: if state.cp.seq == 0 {
                    DeliverPolicy::All
                } else {
                    DeliverPolicy::ByStartSequence {
                        start_sequence: state.cp.seq + 1,
                    }
                },
                ..Default::default()
            })
            .await
            .map_err(|e| NatsError::bus("cannot read the partition", e))?;
        let mut messages = consumer
            .messages()
            .await
            .map_err(|e| NatsError::bus("cannot read the partition", e))?;
        let mut saved_seq = state.cp.seq;
        let mut last_checkpoint = Instant::now();
        loop {
            let wait = state
                .cp
                .station
                .poll_timeout()
                .map(|t| Timestamp::now().duration_until(t))
                .unwrap_or(self.options.checkpoint)
                .min(self.options.checkpoint)
                .max(Duration::from_millis(50));
            let mut out = Outbox::default();
            tokio::select! {
                _ = stop.changed() => break,
                next = tokio::time::timeout(wait, messages.next()) => {
                    let mut next = match next {
                        Ok(Some(m)) => Some(m),
                        Ok(None) => return Err(NatsError::Config("the partition's consumer ended".into())),
                        Err(_) => None,
                    };
                    let mut handled: u64 = 0;
                    while let Some(m) = next.take() {
                        let m = m.map_err(|e| NatsError::bus("cannot read the partition", e))?;
                        let seq = m.info().map(|i| i.stream_sequence).unwrap_or(state.cp.seq + 1);
                        let token = m.subject.as_str().rsplit('.').next().unwrap_or_default().to_string();
                        if let Some(head) = RecordHead::parse(m.headers.as_ref()) {
                            state.apply(seq, &token, &head, &m.payload);
                            let send = seq > state.quiet_until;
                            self.drain(&mut state, send, &mut out)?;
                        } else {
                            state.cp.seq = seq;
                        }
                        handled += 1;
                        if handled < BATCH as u64 {
                            next = messages.next().now_or_never().flatten();
                        }
                    }
                    self.stats.records.fetch_add(handled, std::sync::atomic::Ordering::Relaxed);
                }
            }
            let at = Timestamp::now();
            if state.cp.station.poll_timeout().is_some_and(|t| t <= at) {
                state.cp.station.handle_timeout(at);
                self.drain(&mut state, true, &mut out)?;
            }
            self.publish(out).await?;
            if last_checkpoint.elapsed() >= self.options.checkpoint && state.cp.seq != saved_seq {
                self.checkpoint(&checkpoints, &serde_json::to_vec(&state.cp)?, &mut head)
                    .await?;
                saved_seq = state.cp.seq;
                last_checkpoint = Instant::now();
            }
        }
        if state.cp.seq != saved_seq {
            self.checkpoint(&checkpoints, &serde_json::to_vec(&state.cp)?, &mut head)
                .await?;
        }
        Ok(())
    }

    /// Collects what the station produced; its answers only when `send`.
    fn drain(&self, state: &mut State, send: bool, out: &mut Outbox) -> Result<(), NatsError> {
        while let Some(n) = state.cp.station.poll_notification() {
            if let Notification::SessionEnded(record) = &n {
                let token = crate::pile_token(&record.pile);
                let id = format!("{}/{}/{}", record.pile, record.port.get(), record.order);
                out.receipts
                    .push((token, id, serde_json::to_string(record)?));
            }
            if self.options.log.is_some() || send {
                out.notifications.push(serde_json::to_string(&n)?);
            }
        }
        while let Some(t) = state.cp.station.poll_transmit() {
            if send && let Some((token, conn)) = state.links.get(&t.link) {
                out.downlinks.push((token.clone(), conn.clone(), t.bytes));
            }
        }
        Ok(())
    }

    /// Stores the receipts, then sends the answers.
    async fn publish(&self, out: Outbox) -> Result<(), NatsError> {
        let mut acks = Vec::with_capacity(out.receipts.len());
        for (token, id, json) in &out.receipts {
            let mut headers = HeaderMap::new();
            headers.insert("Nats-Msg-Id", id.as_str());
            let ack = self
                .bus
                .js
                .publish_with_headers(receipt_subject(token), headers, json.clone().into())
                .await
                .map_err(|e| NatsError::bus("cannot publish a receipt", e))?;
            acks.push(ack);
        }
        for (ack, (_, _, json)) in acks.into_iter().zip(&out.receipts) {
            let ack = ack
                .await
                .map_err(|e| NatsError::bus("a receipt was not stored", e))?;
            if !ack.duplicate {
                self.stats
                    .receipts
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if let Some(w) = &self.options.receipts {
                    let mut w = w.lock().unwrap_or_else(|e| e.into_inner());
                    writeln!(w, "{json}")?;
                    w.flush()?;
                }
            }
        }
        for n in out.notifications {
            if let Some(w) = &self.options.log {
                let mut w = w.lock().unwrap_or_else(|e| e.into_inner());
                let _ = writeln!(w, "{n}");
            }
            let _ = self
                .bus
                .client
                .publish(notify_subject(self.partition), n.into())
                .await;
        }
        for (token, conn, bytes) in out.downlinks {
            let mut headers = HeaderMap::new();
            headers.insert(HEADER_CONN, conn.as_str());
            self.bus
                .client
                .publish_with_headers(down_subject(&token), headers, bytes.into())
                .await
                .map_err(|e| NatsError::bus("cannot publish a downlink", e))?;
        }
        Ok(())
    }

    /// Writes a checkpoint in parts that fit the server's messages, then deletes the parts of
    /// the one it replaces (`previous`, which becomes the new head).
    async fn checkpoint(
        &self,
        checkpoints: &async_nats::jetstream::kv::Store,
        json: &[u8],
        previous: &mut Option<checkpoint::Head>,
    ) -> Result<(), NatsError> {
        self.stats
            .largest_checkpoint
            .fetch_max(json.len() as u64, std::sync::atomic::Ordering::Relaxed);
        // room for the subject and headers of the message carrying a part
        let part_size = self
            .bus
            .client
            .server_info()
            .max_payload
            .saturating_sub(4096)
            .max(4096);
        let key = checkpoint_key(self.partition);
        let head = checkpoint::write(
            checkpoints,
            &key,
            json,
            part_size,
            checkpoint::generation(&self.options.id),
        )
        .await?;
        if let Some(old) = previous.replace(head) {
            checkpoint::remove_parts(checkpoints, &key, &old).await?;
        }
        Ok(())
    }
}
