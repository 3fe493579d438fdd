//! The stateless gateway: pile connections in, uplink records out, downlinks back.
//!
//! Per connection: the first chunks are held and decoded (a stream decoder and the dialect's
//! adapter) only until a frame names the pile. Then the gateway subscribes to the pile's
//! downlink subject, publishes the held bytes as the connection's first record, and from then
//! on publishes every chunk as it arrives. A record is acknowledged by JetStream before the
//! next chunk of the same connection is published, so a pile's records are stored in the order
//! it sent them. When the connection ends, a `closed` record follows.
//!
//! A connection that names no pile within [`IDENTIFY_LIMIT`] bytes is dropped. A DNY host
//! carrying several piles on one connection is routed by the first pile it names.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures_util::StreamExt;
use pilekit::codec::DecodeOptions;
use pilekit::codec::stream::{StreamDecoder, StreamItem};
use pilekit::model::{Adapter, AnyAdapter, Events};
use pilekit::time::Timestamp;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::{
    Bus, HEADER_CONN, NatsError, RecordHead, down_subject, partition_of, pile_token, up_subject,
};

/// The most bytes held from a connection before it names its pile.
pub const IDENTIFY_LIMIT: usize = 16 * 1024;

/// Counters of a gateway, shared with its connections.
#[derive(Debug, Default)]
pub struct GatewayStats {
    /// Connections accepted.
    pub connections: AtomicU64,
    /// Uplink records published.
    pub records: AtomicU64,
    /// Downlinks written to piles.
    pub downlinks: AtomicU64,
}

/// A gateway: its id (unique among the running gateways) and the bus.
pub struct NatsGateway {
    bus: Bus,
    id: String,
    counter: Arc<AtomicU64>,
    stats: Arc<GatewayStats>,
}

impl NatsGateway {
    /// A gateway named `id` (the prefix of its connection ids; give every gateway its own, a
    /// restarted one a new one, e.g. with its start time).
    pub fn new(bus: Bus, id: impl Into<String>) -> Self {
        NatsGateway {
            bus,
            id: id.into(),
            counter: Arc::new(AtomicU64::new(0)),
            stats: Arc::new(GatewayStats::default()),
        }
    }

    /// The counters.
    pub fn stats(&self) -> Arc<GatewayStats> {
        self.stats.clone()
    }

    /// Accepts pile connections on `listener` until `shutdown` completes.
    pub async fn serve(
        &self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()>,
    ) -> Result<(), NatsError> {
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let (stream, _) = accepted?;
                    let n = self.counter.fetch_add(1, Ordering::Relaxed) + 1;
                    self.stats.connections.fetch_add(1, Ordering::Relaxed);
                    let conn = format!("{}-{n}", self.id);
                    tokio::spawn(connection(self.bus.clone(), conn, stream, self.stats.clone()));
                }
                () = &mut shutdown => break,
            }
        }
        let _ = self.bus.client.flush().await;
        Ok(())
    }
}

/// Learns the pile from the bytes held so far (`None`: no frame names it yet).
fn identify(
    decoder: &mut StreamDecoder,
    adapter: &mut Option<AnyAdapter>,
    chunk: &[u8],
) -> Option<String> {
    let mut events = Events::new();
    decoder.feed(chunk, |item| {
        if let StreamItem::Frame { frame, .. } = item {
            let a = adapter.get_or_insert_with(|| AnyAdapter::new(frame.dialect()));
            let _ = a.events(frame, &mut events);
        }
    });
    events.first().map(|u| pile_token(&u.pile))
}

async fn publish(
    bus: &Bus,
    subject: &str,
    head: &RecordHead,
    bytes: Vec<u8>,
) -> Result<(), NatsError> {
    bus.js
        .publish_with_headers(subject.to_string(), head.headers(), bytes.into())
        .await
        .map_err(|e| NatsError::bus("cannot publish an uplink record", e))?
        .await
        .map_err(|e| NatsError::bus("an uplink record was not stored", e))?;
    Ok(())
}

/// One pile connection.
async fn connection(bus: Bus, conn: String, stream: TcpStream, stats: Arc<GatewayStats>) {
    let _ = stream.set_nodelay(true);
    let (mut reader, mut writer) = stream.into_split();
    let mut decoder = StreamDecoder::auto(DecodeOptions::LENIENT);
    let mut adapter = None;
    let mut held = Vec::new();
    let mut held_at = None;
    let mut buf = vec![0u8; 8192];
    // until the pile is known
    let (token, subject) = loop {
        match reader.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                held_at.get_or_insert_with(Timestamp::now);
                held.extend_from_slice(&buf[..n]);
                if let Some(token) = identify(&mut decoder, &mut adapter, &buf[..n]) {
                    let subject = up_subject(partition_of(&token, bus.layout.partitions), &token);
                    break (token, subject);
                }
                if held.len() > IDENTIFY_LIMIT {
                    return;
                }
            }
        }
    };
    // downlinks first, so no answer to the first record is missed
    let Ok(mut downlinks) = bus.client.subscribe(down_subject(&token)).await else {
        return;
    };
    let mine = conn.clone();
    let down_stats = stats.clone();
    let write = tokio::spawn(async move {
        while let Some(msg) = downlinks.next().await {
            let to_me = msg
                .headers
                .as_ref()
                .and_then(|h| h.get(HEADER_CONN))
                .is_some_and(|c| c.as_str() == mine);
            if !to_me {
                continue;
            }
            if writer.write_all(&msg.payload).await.is_err() {
                break;
            }
            down_stats.downlinks.fetch_add(1, Ordering::Relaxed);
        }
    });
    let mut head = RecordHead {
        conn,
        at: held_at.unwrap_or_else(Timestamp::now),
        closed: false,
    };
    let mut ok = publish(&bus, &subject, &head, held).await.is_ok();
    while ok {
        stats.records.fetch_add(1, Ordering::Relaxed);
        match reader.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                head.at = Timestamp::now();
                ok = publish(&bus, &subject, &head, buf[..n].to_vec())
                    .await
                    .is_ok();
            }
        }
    }
    head.at = Timestamp::now();
    head.closed = true;
    if publish(&bus, &subject, &head, Vec::new()).await.is_ok() {
        stats.records.fetch_add(1, Ordering::Relaxed);
    }
    write.abort();
}
