//! The gateway's durable state in SQLite (WAL mode): the journal of the engine's inputs, the
//! receipts, and the engine's latest snapshot with the journal position it covers.
//!
//! Restarting on the same file restores the snapshot and runs the journal entries after its
//! position through the engine again, so the engine is where it was when the process died,
//! sessions and all. Receipts are keyed by (pile, port, order): a settlement the engine bills
//! again during that catch-up, or that a pile resends after a restart, never makes a second
//! receipt.

use std::path::Path;

use pilekit::session::{LinkId, SessionRecord, Station};
use pilekit::time::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use crate::GatewayError;

/// One input of the engine, as journalled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A connection opened; the engine gave it this link.
    Open {
        /// The link.
        link: LinkId,
        /// When.
        at: Timestamp,
    },
    /// Bytes arrived on a link.
    Bytes {
        /// The link.
        link: LinkId,
        /// When.
        at: Timestamp,
        /// The bytes.
        bytes: Vec<u8>,
    },
    /// A connection closed.
    Closed {
        /// The link.
        link: LinkId,
        /// When.
        at: Timestamp,
    },
    /// The engine's timers ran.
    Timeout {
        /// When.
        at: Timestamp,
    },
}

impl Entry {
    fn parts(&self) -> (&'static str, Option<u64>, i64, Option<&[u8]>) {
        match self {
            Entry::Open { link, at } => ("open", Some(link.0), at.unix(), None),
            Entry::Bytes { link, at, bytes } => ("bytes", Some(link.0), at.unix(), Some(bytes)),
            Entry::Closed { link, at } => ("closed", Some(link.0), at.unix(), None),
            Entry::Timeout { at } => ("timeout", None, at.unix(), None),
        }
    }
}

/// The database.
pub struct Store {
    db: Connection,
}

/// A snapshot as stored: the engine's state and the journal position it covers.
pub struct Snapshot {
    /// The engine.
    pub station: Station,
    /// The last journal entry it has seen.
    pub position: i64,
}

impl Store {
    /// Opens (or creates) the database at `path`.
    pub fn open(path: &Path) -> Result<Self, GatewayError> {
        let db = Connection::open(path)?;
        db.pragma_update(None, "journal_mode", "WAL")?;
        // every commit reaches the disk before the gateway acknowledges what it holds
        db.pragma_update(None, "synchronous", "FULL")?;
        db.execute_batch(
            "CREATE TABLE IF NOT EXISTS journal (
                 seq INTEGER PRIMARY KEY AUTOINCREMENT,
                 kind TEXT NOT NULL,
                 link INTEGER,
                 at_unix_s INTEGER NOT NULL,
                 bytes BLOB
             );
             CREATE TABLE IF NOT EXISTS receipts (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 pile TEXT NOT NULL,
                 port INTEGER NOT NULL,
                 order_ref TEXT NOT NULL,
                 ended_unix_s INTEGER NOT NULL,
                 record TEXT NOT NULL,
                 UNIQUE (pile, port, order_ref)
             );
             CREATE TABLE IF NOT EXISTS snapshot (
                 id INTEGER PRIMARY KEY CHECK (id = 1),
                 position INTEGER NOT NULL,
                 station TEXT NOT NULL
             );",
        )?;
        Ok(Store { db })
    }

    /// Starts a transaction: what follows until [`commit`](Self::commit) is written at once.
    pub fn begin(&mut self) -> Result<(), GatewayError> {
        self.db.execute_batch("BEGIN IMMEDIATE")?;
        Ok(())
    }

    /// Commits the transaction (on the disk when this returns).
    pub fn commit(&mut self) -> Result<(), GatewayError> {
        self.db.execute_batch("COMMIT")?;
        Ok(())
    }

    /// Appends an input to the journal; returns its position.
    pub fn journal(&mut self, entry: &Entry) -> Result<i64, GatewayError> {
        let (kind, link, at, bytes) = entry.parts();
        let mut stmt = self.db.prepare_cached(
            "INSERT INTO journal (kind, link, at_unix_s, bytes) VALUES (?1, ?2, ?3, ?4)",
        )?;
        stmt.execute(params![kind, link.map(|l| l as i64), at, bytes])?;
        Ok(self.db.last_insert_rowid())
    }

    /// The journal entries after `position`, in order.
    pub fn journal_after(&self, position: i64) -> Result<Vec<(i64, Entry)>, GatewayError> {
        let mut stmt = self.db.prepare(
            "SELECT seq, kind, link, at_unix_s, bytes FROM journal WHERE seq > ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map(params![position], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<Vec<u8>>>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, kind, link, at, bytes) = row?;
            let at = Timestamp::from_unix(at)
                .ok_or_else(|| GatewayError::Corrupt(format!("journal entry {seq}: time {at}")))?;
            let link = LinkId(link.unwrap_or(0) as u64);
            let entry = match kind.as_str() {
                "open" => Entry::Open { link, at },
                "bytes" => Entry::Bytes {
                    link,
                    at,
                    bytes: bytes.unwrap_or_default(),
                },
                "closed" => Entry::Closed { link, at },
                "timeout" => Entry::Timeout { at },
                other => {
                    return Err(GatewayError::Corrupt(format!(
                        "journal entry {seq}: kind `{other}`"
                    )));
                }
            };
            out.push((seq, entry));
        }
        Ok(out)
    }

    /// Stores a receipt unless the session already has one; returns whether it is new.
    pub fn insert_receipt(&mut self, record: &SessionRecord) -> Result<bool, GatewayError> {
        let json = serde_json::to_string(record)?;
        let mut stmt = self.db.prepare_cached(
            "INSERT OR IGNORE INTO receipts (pile, port, order_ref, ended_unix_s, record)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let n = stmt.execute(params![
            record.pile.to_string(),
            record.port.get(),
            record.order.to_string(),
            record.ended.unix(),
            json
        ])?;
        Ok(n == 1)
    }

    /// Every receipt, in the order they were stored, as canonical JSON.
    pub fn receipts(&self) -> Result<Vec<String>, GatewayError> {
        let mut stmt = self.db.prepare("SELECT record FROM receipts ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Saves the engine's snapshot covering the journal up to `position`, and drops the
    /// journal entries it covers.
    pub fn save_snapshot(&mut self, station: &Station, position: i64) -> Result<(), GatewayError> {
        let json = serde_json::to_string(station)?;
        self.db.execute(
            "INSERT INTO snapshot (id, position, station) VALUES (1, ?1, ?2)
             ON CONFLICT (id) DO UPDATE SET position = excluded.position,
                                            station = excluded.station",
            params![position, json],
        )?;
        self.db
            .execute("DELETE FROM journal WHERE seq <= ?1", params![position])?;
        Ok(())
    }

    /// The latest snapshot, if one was saved.
    pub fn load_snapshot(&self) -> Result<Option<Snapshot>, GatewayError> {
        let row: Option<(i64, String)> = self
            .db
            .query_row(
                "SELECT position, station FROM snapshot WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(position, json)| {
            Ok(Snapshot {
                station: serde_json::from_str(&json)?,
                position,
            })
        })
        .transpose()
    }
}
