//! The single-process pile gateway: piles connect over TCP, the pilekit session engine runs
//! their sessions, and every receipt is kept in an embedded SQLite database.
//!
//! Two sides, joined by a channel of [`Input`]s:
//!
//! - the **connection side** ([`Gateway::serve`]): a tokio task per pile connection that forwards what
//!   the pile sends, with its receive time, and writes what arrives for its link
//!   ([`Downlinks`]). It keeps no session state, so another backend (a message bus) can take
//!   the engine's place;
//! - the **engine side** ([`Engine`]): one thread owning the [`Station`] and the [`Store`].
//!   Every input is journalled; the receipts of ended sessions are committed before the
//!   station's answers go out, so a pile's settlement is acknowledged only once its receipt is
//!   durable. A snapshot of the station is saved every few seconds with the journal position
//!   it covers; a gateway restarted on the same database restores it, catches up on the
//!   journal, and the piles that reconnect resend what was not acknowledged — every session
//!   ends exactly once, none is billed twice.
//!
//! ```no_run
//! # async fn run() -> Result<(), pilekit_gateway::GatewayError> {
//! use pilekit::session::{Config, Station};
//! use pilekit_gateway::{Gateway, GatewayOptions};
//!
//! let plan = pilekit::api::load_plan(&std::fs::read_to_string("plan.json")?)
//!     .map_err(|e| pilekit_gateway::GatewayError::Plan(e.to_string()))?;
//! let options = GatewayOptions::new("gateway.db");
//! let gateway = Gateway::start(options, move || Station::new(Config::default(), plan))?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8767").await?;
//! gateway.serve(listener, std::future::pending()).await?;
//! # Ok(()) }
//! ```

mod engine;
mod store;

use std::collections::HashMap;
use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use pilekit::session::{LinkId, Station};
use pilekit::time::Timestamp;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

pub use engine::{Engine, EngineOptions};
pub use store::{Entry, Snapshot, Store};

/// What can go wrong in the gateway.
#[derive(Debug)]
#[non_exhaustive]
pub enum GatewayError {
    /// The database.
    Db(rusqlite::Error),
    /// A file or socket.
    Io(std::io::Error),
    /// JSON (a snapshot or a receipt).
    Json(serde_json::Error),
    /// The plan.
    Plan(String),
    /// The database holds something this version cannot read.
    Corrupt(String),
    /// The engine thread stopped.
    EngineStopped,
}

impl std::fmt::Display for GatewayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GatewayError::Db(e) => write!(f, "database: {e}"),
            GatewayError::Io(e) => write!(f, "{e}"),
            GatewayError::Json(e) => write!(f, "json: {e}"),
            GatewayError::Plan(e) => write!(f, "plan: {e}"),
            GatewayError::Corrupt(e) => write!(f, "the database cannot be read: {e}"),
            GatewayError::EngineStopped => f.write_str("the engine stopped"),
        }
    }
}

impl std::error::Error for GatewayError {}

impl From<rusqlite::Error> for GatewayError {
    fn from(e: rusqlite::Error) -> Self {
        GatewayError::Db(e)
    }
}

impl From<std::io::Error> for GatewayError {
    fn from(e: std::io::Error) -> Self {
        GatewayError::Io(e)
    }
}

impl From<serde_json::Error> for GatewayError {
    fn from(e: serde_json::Error) -> Self {
        GatewayError::Json(e)
    }
}

/// What the connection side tells the engine.
#[derive(Debug)]
pub enum Input {
    /// A connection opened: the engine answers with its link.
    Open {
        /// Where the link goes.
        reply: tokio::sync::oneshot::Sender<LinkId>,
    },
    /// Something that happened on a link, journalled and run as it is: bytes
    /// ([`Entry::Bytes`], stamped when they arrived) or the connection's close
    /// ([`Entry::Closed`]).
    Link(Entry),
    /// Stop: the engine saves its snapshot and ends.
    Shutdown,
}

/// The writers of the open connections, by link: where the engine's answers go.
#[derive(Clone, Default)]
pub struct Downlinks {
    writers: Arc<Mutex<HashMap<LinkId, UnboundedSender<Vec<u8>>>>>,
}

impl Downlinks {
    /// Registers the writer of a link.
    pub fn insert(&self, link: LinkId, writer: UnboundedSender<Vec<u8>>) {
        self.lock().insert(link, writer);
    }

    /// Forgets a link.
    pub fn remove(&self, link: LinkId) {
        self.lock().remove(&link);
    }

    /// Queues bytes for a link (dropped when the connection is gone).
    pub fn write(&self, link: LinkId, bytes: Vec<u8>) {
        if let Some(w) = self.lock().get(&link) {
            let _ = w.send(bytes);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<LinkId, UnboundedSender<Vec<u8>>>> {
        self.writers.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// How to run a gateway.
pub struct GatewayOptions {
    /// The database file.
    pub db: PathBuf,
    /// How often the engine's snapshot is saved.
    pub checkpoint: Duration,
    /// Where receipts are appended as JSON Lines, besides the database.
    pub receipts: Option<Box<dyn Write + Send>>,
    /// Where notifications are logged as JSON Lines.
    pub log: Option<Box<dyn Write + Send>>,
}

impl GatewayOptions {
    /// Options with the database at `db`, a snapshot every 5 seconds, no receipts file and no
    /// log.
    pub fn new(db: impl Into<PathBuf>) -> Self {
        GatewayOptions {
            db: db.into(),
            checkpoint: Duration::from_secs(5),
            receipts: None,
            log: None,
        }
    }
}

/// A running gateway: the engine thread and the channel to it.
pub struct Gateway {
    tx: Sender<Input>,
    downlinks: Downlinks,
    engine: Option<JoinHandle<Result<Engine, GatewayError>>>,
}

impl Gateway {
    /// Opens the database, restores the engine (or makes a new station with `fresh`) and
    /// starts the engine thread.
    pub fn start(
        options: GatewayOptions,
        fresh: impl FnOnce() -> Station,
    ) -> Result<Self, GatewayError> {
        let store = Store::open(&options.db)?;
        let downlinks = Downlinks::default();
        let engine = Engine::restore(
            store,
            fresh,
            downlinks.clone(),
            EngineOptions {
                checkpoint: options.checkpoint,
                receipts: options.receipts,
                log: options.log,
            },
        )?;
        let (tx, rx): (Sender<Input>, Receiver<Input>) = channel();
        let handle = std::thread::Builder::new()
            .name("pilekit-engine".into())
            .spawn(move || engine.run(rx))?;
        Ok(Gateway {
            tx,
            downlinks,
            engine: Some(handle),
        })
    }

    /// Accepts pile connections on `listener` until `shutdown` completes, then stops the
    /// engine (which saves its snapshot) and returns it.
    pub async fn serve(
        mut self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()>,
    ) -> Result<Engine, GatewayError> {
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let (stream, peer) = accepted?;
                    let tx = self.tx.clone();
                    let downlinks = self.downlinks.clone();
                    tokio::spawn(connection(stream, peer, tx, downlinks));
                }
                () = &mut shutdown => break,
            }
        }
        self.stop()
    }

    /// Stops the engine thread and returns the engine.
    pub fn stop(&mut self) -> Result<Engine, GatewayError> {
        let _ = self.tx.send(Input::Shutdown);
        self.engine
            .take()
            .ok_or(GatewayError::EngineStopped)?
            .join()
            .map_err(|_| GatewayError::EngineStopped)?
    }
}

/// One pile connection: forwards what it reads, writes what the engine sends.
async fn connection(stream: TcpStream, _peer: SocketAddr, tx: Sender<Input>, downlinks: Downlinks) {
    let _ = stream.set_nodelay(true);
    let (reply, link) = tokio::sync::oneshot::channel();
    if tx.send(Input::Open { reply }).is_err() {
        return;
    }
    let Ok(link) = link.await else {
        return;
    };
    let (mut reader, mut writer) = stream.into_split();
    let (wtx, mut wrx) = unbounded_channel::<Vec<u8>>();
    downlinks.insert(link, wtx);
    let write = tokio::spawn(async move {
        while let Some(bytes) = wrx.recv().await {
            if writer.write_all(&bytes).await.is_err() {
                break;
            }
        }
    });
    let mut buf = vec![0u8; 8192];
    loop {
        match reader.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let input = Input::Link(Entry::Bytes {
                    link,
                    at: Timestamp::now(),
                    bytes: buf[..n].to_vec(),
                });
                if tx.send(input).is_err() {
                    break;
                }
            }
        }
    }
    let _ = tx.send(Input::Link(Entry::Closed {
        link,
        at: Timestamp::now(),
    }));
    write.abort();
}

/// Every receipt in the database at `db`, in the order they were stored, as canonical JSON.
pub fn receipts(db: &std::path::Path) -> Result<Vec<String>, GatewayError> {
    Store::open(db)?.receipts()
}
