//! Pile gateways and session-engine workers on NATS JetStream: past one machine, with failover
//! and nothing lost.
//!
//! ```text
//!  piles ──TCP──► gateway ──JetStream PILEKIT_UP: pilekit.up.<partition>.<pile>──► worker (one Station per partition)
//!    ▲              │  ▲                                                              │   │
//!    └──────────────┘  └──────── core NATS: pilekit.down.<pile> (conn id header) ◄────┘   ├─► PILEKIT_RECEIPTS (Nats-Msg-Id)
//!                                                                                         └─► KV: leases, checkpoints
//! ```
//!
//! - **Gateways** ([`gateway::NatsGateway`]) terminate pile connections and keep no session
//!   state. A gateway decodes a connection's first frames only to learn which pile it is, then
//!   publishes every chunk the pile sends, raw, with its receive time and the connection's id
//!   (`<gateway id>-<counter>`), to the `PILEKIT_UP` stream on `pilekit.up.<partition>.<pile>`;
//!   when the connection ends it publishes a `closed` record. It writes to the pile what arrives
//!   on `pilekit.down.<pile>` addressed to this connection (downlinks for an older connection of
//!   the same pile are ignored). Any gateway can take any pile.
//! - **Partitions**: `partition = fnv1a32(pile) mod P` ([`partition_of`]), with `P` fixed for
//!   the whole deployment ([`Layout::partitions`], recorded in the checkpoint bucket on first
//!   use; a gateway or worker configured with another `P` refuses to start). The partition is a
//!   token of the subject, so a consumer filtered on `pilekit.up.<n>.>` sees exactly one
//!   partition's piles, in the order they were published.
//! - **Workers** ([`worker::Worker`]) hold up to `shards` partitions each through leases in the
//!   `pilekit-leases` key-value bucket: a lease is taken with `create` and renewed with
//!   `update` at the revision last seen (compare-and-set), every third of its time to live; the
//!   bucket's `max_age` is the lease's TTL, so the lease of a dead worker vanishes and another
//!   worker's `create` succeeds. Each partition runs one `Station` fed by an ordered consumer on
//!   its subject, and checkpoints `(stream sequence, station, connection table)` to the
//!   `pilekit-checkpoints` bucket.
//! - **Takeover**: the new owner restores the checkpoint and replays the stream from the
//!   sequence after it. Answers the station produces for messages published before the takeover are not sent
//!   (the previous owner may have sent them; piles resend whatever was not acknowledged).
//!   Receipts go to the `PILEKIT_RECEIPTS` stream with `Nats-Msg-Id: <pile>/<port>/<order>`, so a
//!   settlement billed again during a replay is dropped by JetStream's de-duplication; a
//!   settlement is acknowledged to its pile only after its receipt is stored.
//!
//! See `docs/scaling.md` in the repository for the measured figures and the sizing of a city.

pub mod checkpoint;
pub mod gateway;
pub mod worker;

use std::time::Duration;

use async_nats::HeaderMap;
use async_nats::jetstream::{self, kv, stream};
use pilekit::model::PileId;
use pilekit::time::Timestamp;

/// The stream of uplink records.
pub const UP_STREAM: &str = "PILEKIT_UP";
/// The stream of receipts.
pub const RECEIPTS_STREAM: &str = "PILEKIT_RECEIPTS";
/// The bucket of partition leases.
pub const LEASES_BUCKET: &str = "pilekit-leases";
/// The bucket of partition checkpoints.
pub const CHECKPOINTS_BUCKET: &str = "pilekit-checkpoints";
/// The header carrying the connection id of an uplink record or a downlink.
pub const HEADER_CONN: &str = "Pilekit-Conn";
/// The header carrying the receive time of an uplink record (Unix seconds).
pub const HEADER_AT: &str = "Pilekit-At";
/// The header carrying what an uplink record is: `bytes` or `closed`.
pub const HEADER_KIND: &str = "Pilekit-Kind";

/// What can go wrong on the bus.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NatsError {
    /// Connecting to NATS.
    #[error("cannot connect to NATS: {0}")]
    Connect(String),
    /// A JetStream or NATS request failed.
    #[error("{what}: {message}")]
    Bus {
        /// What was being done.
        what: &'static str,
        /// What the bus said.
        message: String,
    },
    /// A socket or file.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// JSON (a checkpoint or a receipt).
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    /// The deployment's configuration disagrees with this process's.
    #[error("{0}")]
    Config(String),
}

impl NatsError {
    fn bus(what: &'static str, e: impl std::fmt::Display) -> Self {
        NatsError::Bus {
            what,
            message: e.to_string(),
        }
    }
}

/// The shape of a deployment: the same on every gateway and worker.
#[derive(Debug, Clone)]
pub struct Layout {
    /// How many partitions the piles are spread over (fixed for the deployment's life:
    /// changing it moves piles between partitions and orphans their checkpoints).
    pub partitions: u32,
    /// How long uplink records are kept (must exceed the age of the oldest checkpoint).
    pub retention: Duration,
    /// How long JetStream remembers a receipt's id (must exceed the time a takeover can replay:
    /// checkpoint interval + lease TTL, with room to spare).
    pub duplicate_window: Duration,
    /// A lease's time to live.
    pub lease_ttl: Duration,
}

impl Default for Layout {
    /// 16 partitions, records kept 7 days, receipts de-duplicated over 1 hour, leases of 6 s.
    fn default() -> Self {
        Layout {
            partitions: 16,
            retention: Duration::from_secs(7 * 86_400),
            duplicate_window: Duration::from_secs(3600),
            lease_ttl: Duration::from_secs(6),
        }
    }
}

/// A pile id as a subject token: its usual text with anything but letters, digits, `-` and `_`
/// replaced by `_`.
pub fn pile_token(pile: &PileId) -> String {
    pile.to_string()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The partition of a pile token: FNV-1a (32 bit) of its bytes mod `partitions`. Stable across
/// versions, machines and languages (it is part of the subjects stored in the stream).
pub fn partition_of(token: &str, partitions: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in token.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h % partitions.max(1)
}

/// The subject of a pile's uplink records.
pub fn up_subject(partition: u32, token: &str) -> String {
    format!("pilekit.up.{partition}.{token}")
}

/// The subject of a pile's downlinks.
pub fn down_subject(token: &str) -> String {
    format!("pilekit.down.{token}")
}

/// The subject of a pile's receipts.
pub fn receipt_subject(token: &str) -> String {
    format!("pilekit.receipts.{token}")
}

/// The subject of a partition's notifications (JSON, one per message, core NATS).
pub fn notify_subject(partition: u32) -> String {
    format!("pilekit.notify.{partition}")
}

/// What an uplink record says, read from its headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordHead {
    /// The connection.
    pub conn: String,
    /// When the gateway received it.
    pub at: Timestamp,
    /// `false`: bytes (the payload); `true`: the connection closed.
    pub closed: bool,
}

impl RecordHead {
    /// The headers of a record.
    pub fn headers(&self) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(HEADER_CONN, self.conn.as_str());
        h.insert(HEADER_AT, self.at.unix().to_string().as_str());
        h.insert(HEADER_KIND, if self.closed { "closed" } else { "bytes" });
        h
    }

    /// Reads a record's headers (`None`: not a pilekit record).
    pub fn parse(headers: Option<&HeaderMap>) -> Option<Self> {
        let h = headers?;
        let conn = h.get(HEADER_CONN)?.as_str().to_string();
        let at = h.get(HEADER_AT)?.as_str().parse::<i64>().ok()?;
        let closed = match h.get(HEADER_KIND)?.as_str() {
            "bytes" => false,
            "closed" => true,
            _ => return None,
        };
        Some(RecordHead {
            conn,
            at: Timestamp::from_unix(at)?,
            closed,
        })
    }
}

/// A connection to the bus with the streams and buckets of a deployment.
#[derive(Clone)]
pub struct Bus {
    /// The NATS client.
    pub client: async_nats::Client,
    /// JetStream.
    pub js: jetstream::Context,
    /// The deployment's shape.
    pub layout: Layout,
}

impl Bus {
    /// Connects to `url` and creates (or opens) the streams and buckets; checks that the
    /// deployment's partition count is `layout.partitions`.
    pub async fn connect(url: &str, layout: Layout) -> Result<Self, NatsError> {
        let client = async_nats::ConnectOptions::new()
            .retry_on_initial_connect()
            .connection_timeout(Duration::from_secs(5))
            .connect(url)
            .await
            .map_err(|e| NatsError::Connect(e.to_string()))?;
        // the client keeps connecting in the background (a server still starting is waited for):
        // the requests below wait for the connection, up to their timeout
        let js = jetstream::new(client.clone());
        let bus = Bus { client, js, layout };
        bus.ensure().await.map_err(|e| match e {
            NatsError::Bus { what, message } => NatsError::Connect(format!(
                "`{url}`: {what}: {message} (is it a NATS server with JetStream, `nats-server -js`?)"
            )),
            other => other,
        })?;
        Ok(bus)
    }

    async fn ensure(&self) -> Result<(), NatsError> {
        self.open_stream(
            stream::Config {
                name: UP_STREAM.into(),
                subjects: vec!["pilekit.up.>".into()],
                max_age: self.layout.retention,
                storage: stream::StorageType::File,
                ..Default::default()
            },
            "cannot open the uplink stream",
        )
        .await?;
        self.open_stream(
            stream::Config {
                name: RECEIPTS_STREAM.into(),
                subjects: vec!["pilekit.receipts.>".into()],
                duplicate_window: self.layout.duplicate_window,
                storage: stream::StorageType::File,
                ..Default::default()
            },
            "cannot open the receipts stream",
        )
        .await?;
        let checkpoints = self.checkpoints().await?;
        let wanted = self.layout.partitions.to_string();
        match checkpoints
            .create("config.partitions", wanted.clone().into())
            .await
        {
            Ok(_) => {}
            Err(_) => {
                let have = checkpoints
                    .get("config.partitions")
                    .await
                    .map_err(|e| NatsError::bus("cannot read the partition count", e))?
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                if have != wanted {
                    return Err(NatsError::Config(format!(
                        "the deployment has `{have}` partitions, this process was given `{wanted}`"
                    )));
                }
            }
        }
        Ok(())
    }

    /// Opens a stream, creating it when missing. Processes that start together race to create
    /// it: the loser's create can fail (`nats-server` 2.9 answers "subjects overlap with an
    /// existing stream") while the stream is already there, so a failure is retried a few times
    /// before it counts.
    async fn open_stream(
        &self,
        config: stream::Config,
        what: &'static str,
    ) -> Result<(), NatsError> {
        let mut attempt = 0;
        loop {
            match self.js.get_or_create_stream(config.clone()).await {
                Ok(_) => return Ok(()),
                Err(e) if attempt >= 4 => return Err(NatsError::bus(what, e)),
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50 << attempt)).await;
                    attempt += 1;
                }
            }
        }
    }

    /// The leases bucket (entries expire after the lease TTL), created by the first worker with
    /// its [`Layout::lease_ttl`]; a worker started later uses the bucket's TTL.
    pub async fn leases(&self) -> Result<kv::Store, NatsError> {
        self.bucket(LEASES_BUCKET, self.layout.lease_ttl).await
    }

    /// The checkpoints bucket.
    pub async fn checkpoints(&self) -> Result<kv::Store, NatsError> {
        self.bucket(CHECKPOINTS_BUCKET, Duration::ZERO).await
    }

    /// Opens a key-value bucket, creating its stream when missing. The stream is made here
    /// with the key-value layout (the client's own bucket creation asks the server for
    /// account details that Debian's `nats-server` 2.9 answers in an older form).
    async fn bucket(&self, name: &str, max_age: Duration) -> Result<kv::Store, NatsError> {
        if let Ok(store) = self.js.get_key_value(name).await {
            return Ok(store);
        }
        let created = self
            .js
            .create_stream(stream::Config {
                name: format!("KV_{name}"),
                subjects: vec![format!("$KV.{name}.>")],
                max_messages_per_subject: 1,
                max_age,
                storage: stream::StorageType::File,
                allow_rollup: true,
                deny_delete: true,
                allow_direct: true,
                discard: stream::DiscardPolicy::New,
                num_replicas: 1,
                ..Default::default()
            })
            .await;
        match (created, self.js.get_key_value(name).await) {
            (_, Ok(store)) => Ok(store),
            (Err(e), Err(_)) => Err(NatsError::bus("cannot create a key-value bucket", e)),
            (Ok(_), Err(e)) => Err(NatsError::bus("cannot open a key-value bucket", e)),
        }
    }
}

/// Appends the receipts not yet drained by the durable consumer `durable` to `out` (JSON
/// Lines), acknowledging each once written; returns how many. Stops when none is waiting. A
/// receipt written just before a crash and not yet acknowledged is written again by the next
/// drain (its pile/port/order key tells it apart).
pub async fn drain_receipts(
    bus: &Bus,
    durable: &str,
    out: &mut dyn std::io::Write,
) -> Result<u64, NatsError> {
    use futures_util::StreamExt;
    use jetstream::consumer::{AckPolicy, pull};
    let stream = bus
        .js
        .get_stream(RECEIPTS_STREAM)
        .await
        .map_err(|e| NatsError::bus("cannot open the receipts stream", e))?;
    let consumer = stream
        .get_or_create_consumer(
            durable,
            pull::Config {
                durable_name: Some(durable.to_string()),
                ack_policy: AckPolicy::Explicit,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| NatsError::bus("cannot open the receipts consumer", e))?;
    let mut total = 0;
    loop {
        let mut batch = consumer
            .fetch()
            .max_messages(1000)
            .expires(Duration::from_millis(500))
            .messages()
            .await
            .map_err(|e| NatsError::bus("cannot read receipts", e))?;
        let mut got = Vec::new();
        while let Some(m) = batch.next().await {
            let m = m.map_err(|e| NatsError::bus("cannot read receipts", e))?;
            out.write_all(&m.payload)?;
            out.write_all(b"\n")?;
            got.push(m);
        }
        if got.is_empty() {
            return Ok(total);
        }
        out.flush()?;
        for m in &got {
            m.ack()
                .await
                .map_err(|e| NatsError::bus("cannot acknowledge a receipt", e))?;
        }
        total += got.len() as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_are_stable_and_in_range() {
        // FNV-1a of "a" is 0xe40c292c
        assert_eq!(partition_of("a", 1 << 31), 0xe40c_292c & 0x7fff_ffff);
        assert_eq!(
            partition_of("861000000000000", 16),
            partition_of("861000000000000", 16)
        );
        for i in 0..200u64 {
            assert!(partition_of(&(861_000_000_000_000 + i).to_string(), 16) < 16);
        }
        let used: std::collections::BTreeSet<u32> = (0..200u64)
            .map(|i| partition_of(&(861_000_000_000_000 + i).to_string(), 16))
            .collect();
        assert_eq!(used.len(), 16, "200 piles reach every partition");
    }

    #[test]
    fn pile_ids_become_subject_tokens() {
        let dny: PileId = "05-00000001".parse().unwrap();
        assert_eq!(pile_token(&dny), "05-00000001");
        assert_eq!(
            up_subject(3, "861000000000001"),
            "pilekit.up.3.861000000000001"
        );
        assert_eq!(down_subject("x"), "pilekit.down.x");
    }

    #[test]
    fn record_heads_round_trip() {
        let head = RecordHead {
            conn: "gw1-7".into(),
            at: Timestamp::from_unix(1_700_000_000).unwrap(),
            closed: true,
        };
        assert_eq!(RecordHead::parse(Some(&head.headers())), Some(head));
        assert_eq!(RecordHead::parse(None), None);
    }
}
