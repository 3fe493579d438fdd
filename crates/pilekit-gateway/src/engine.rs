//! The engine side: one thread owning the [`Station`] and the [`Store`], fed by the connection
//! side through a channel.
//!
//! Each turn takes every input waiting (up to a batch), and in one transaction journals them,
//! runs them through the station, and stores the receipts of the sessions that ended. Only
//! after the commit are the station's answers written to the piles: a settlement is
//! acknowledged once its receipt is on the disk.

use std::io::Write;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use pilekit::session::{LinkId, Notification, Station};

use crate::store::{Entry, Store};
use crate::{Downlinks, GatewayError, Input};
use pilekit::time::Timestamp;

/// The most inputs handled in one transaction.
const BATCH: usize = 4096;

/// What the engine does besides billing.
pub struct EngineOptions {
    /// How often the station's snapshot is saved (and the journal it covers dropped).
    pub checkpoint: Duration,
    /// Where receipts are appended as JSON Lines, besides the database.
    pub receipts: Option<Box<dyn Write + Send>>,
    /// Where notifications are logged, one line each (`None`: not logged).
    pub log: Option<Box<dyn Write + Send>>,
}

/// The engine: the station, its database and the links' writers.
pub struct Engine {
    station: Station,
    store: Store,
    downlinks: Downlinks,
    options: EngineOptions,
    position: i64,
    saved_position: i64,
    /// The answers of the current batch, written after its commit.
    pending: Vec<(LinkId, Vec<u8>)>,
    /// Sessions billed since the gateway started (receipts stored).
    receipts: u64,
}

impl Engine {
    /// An engine over `store`: restores the latest snapshot and catches up on the journal after
    /// it (or starts `fresh` when the database is new), then drops the links of the previous
    /// process.
    pub fn restore(
        store: Store,
        fresh: impl FnOnce() -> Station,
        downlinks: Downlinks,
        options: EngineOptions,
    ) -> Result<Self, GatewayError> {
        let (station, position) = match store.load_snapshot()? {
            Some(s) => (s.station, s.position),
            None => (fresh(), 0),
        };
        let mut engine = Engine {
            station,
            store,
            downlinks,
            options,
            position,
            saved_position: position,
            pending: Vec::new(),
            receipts: 0,
        };
        let entries = engine.store.journal_after(position)?;
        engine.store.begin()?;
        for (seq, entry) in entries {
            engine.apply(&entry);
            engine.position = seq;
            engine.drain(false)?;
        }
        let at = Timestamp::now();
        let stale: Vec<LinkId> = engine.station.links().collect();
        for link in stale {
            engine.input(Entry::Closed { link, at })?;
        }
        engine.drain(false)?;
        engine.store.commit()?;
        engine.checkpoint()?;
        Ok(engine)
    }

    /// The station (for tests and reports).
    pub fn station(&self) -> &Station {
        &self.station
    }

    /// Receipts stored since this engine started.
    pub fn receipts_stored(&self) -> u64 {
        self.receipts
    }

    fn apply(&mut self, entry: &Entry) {
        match entry {
            Entry::Open { at, .. } => {
                self.station.connect(*at);
            }
            Entry::Bytes { link, at, bytes } => self.station.handle_bytes(*link, bytes, *at),
            Entry::Closed { link, at } => self.station.disconnect(*link, *at),
            Entry::Timeout { at } => self.station.handle_timeout(*at),
        }
    }

    /// Journals an input and runs it.
    fn input(&mut self, entry: Entry) -> Result<(), GatewayError> {
        self.position = self.store.journal(&entry)?;
        self.apply(&entry);
        Ok(())
    }

    /// Stores the receipts of ended sessions and logs notifications; keeps the answers for
    /// after the commit (`send`), or drops them (catching up: the connections are gone).
    fn drain(&mut self, send: bool) -> Result<(), GatewayError> {
        while let Some(n) = self.station.poll_notification() {
            if let Notification::SessionEnded(record) = &n
                && self.store.insert_receipt(record)?
            {
                self.receipts += 1;
                if let Some(out) = self.options.receipts.as_mut() {
                    writeln!(out, "{}", serde_json::to_string(record)?)?;
                }
            }
            if let Some(log) = self.options.log.as_mut() {
                writeln!(log, "{}", serde_json::to_string(&n)?)?;
            }
        }
        while let Some(t) = self.station.poll_transmit() {
            if send {
                self.pending.push((t.link, t.bytes));
            }
        }
        Ok(())
    }

    fn checkpoint(&mut self) -> Result<(), GatewayError> {
        if self.position != self.saved_position {
            self.store.save_snapshot(&self.station, self.position)?;
            self.saved_position = self.position;
        }
        if let Some(out) = self.options.receipts.as_mut() {
            out.flush()?;
        }
        Ok(())
    }

    /// Handles one batch of inputs (the first given, and whatever else waits).
    fn turn(&mut self, first: Input, rx: &Receiver<Input>) -> Result<bool, GatewayError> {
        self.store.begin()?;
        let mut next = Some(first);
        let mut handled = 0;
        let mut stop = false;
        while let Some(input) = next.take() {
            match input {
                Input::Open { reply } => {
                    let at = Timestamp::now();
                    let link = self.station.connect(at);
                    self.position = self.store.journal(&Entry::Open { link, at })?;
                    // the connection side waits for its link before it reads
                    let _ = reply.send(link);
                }
                Input::Link(entry) => {
                    let closed = match entry {
                        Entry::Closed { link, .. } => Some(link),
                        _ => None,
                    };
                    self.input(entry)?;
                    if let Some(link) = closed {
                        self.downlinks.remove(link);
                    }
                }
                Input::Shutdown => stop = true,
            }
            self.drain(true)?;
            handled += 1;
            if handled < BATCH && !stop {
                next = rx.try_recv().ok();
            }
        }
        let at = Timestamp::now();
        if self.station.poll_timeout().is_some_and(|t| t <= at) {
            self.input(Entry::Timeout { at })?;
            self.drain(true)?;
        }
        self.store.commit()?;
        for (link, bytes) in self.pending.drain(..) {
            self.downlinks.write(link, bytes);
        }
        Ok(!stop)
    }

    /// Runs until [`Input::Shutdown`] or until every sender is gone, then saves a snapshot.
    pub fn run(mut self, rx: Receiver<Input>) -> Result<Self, GatewayError> {
        let mut last_checkpoint = Instant::now();
        loop {
            let wait = self
                .station
                .poll_timeout()
                .map(|t| Timestamp::now().duration_until(t))
                .unwrap_or(self.options.checkpoint)
                .min(self.options.checkpoint);
            let go_on = match rx.recv_timeout(wait) {
                Ok(input) => self.turn(input, &rx)?,
                Err(RecvTimeoutError::Timeout) => {
                    let at = Timestamp::now();
                    if self.station.poll_timeout().is_some_and(|t| t <= at) {
                        self.store.begin()?;
                        self.input(Entry::Timeout { at })?;
                        self.drain(true)?;
                        self.store.commit()?;
                        for (link, bytes) in self.pending.drain(..) {
                            self.downlinks.write(link, bytes);
                        }
                    }
                    true
                }
                Err(RecvTimeoutError::Disconnected) => false,
            };
            if !go_on {
                break;
            }
            if last_checkpoint.elapsed() >= self.options.checkpoint {
                self.checkpoint()?;
                last_checkpoint = Instant::now();
            }
        }
        self.checkpoint()?;
        Ok(self)
    }
}
