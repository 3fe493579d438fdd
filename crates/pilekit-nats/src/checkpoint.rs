//! Values larger than one NATS message in a key-value bucket: a partition's checkpoint.
//!
//! A station's snapshot grows with its piles and with the samples of the sessions running, and
//! soon outgrows one message (`max_payload`, 1 MiB by default). [`write()`] cuts the value into
//! parts of at most `part_size` bytes, stores them under keys of their own
//! (`KEY.GENERATION.INDEX`), and only then replaces the head at `KEY`: a small JSON record
//! naming the generation, the number of parts and the total size. A reader ([`read()`]) follows
//! the head, so it sees the old value or the new one, never a mix: a writer that dies half-way
//! leaves parts nobody names and the old head in place. The parts of the generation a head
//! replaced are deleted afterwards ([`remove_parts`]).
//!
//! A value stored whole at `KEY` (how checkpoints were written before they were cut into
//! parts) is still read as it is.

use std::time::{SystemTime, UNIX_EPOCH};

use async_nats::jetstream::kv;
use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::NatsError;

/// The head of a value stored in parts: what [`read()`] follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Head {
    /// Names this write's parts; unique per write (the writer's clock and a tag of its own).
    pub generation: String,
    /// How many parts.
    pub parts: u32,
    /// The value's size in bytes (the parts put together).
    pub bytes: u64,
}

impl Head {
    fn part_key(&self, key: &str, index: u32) -> String {
        format!("{key}.{}.{index}", self.generation)
    }
}

/// A generation name for `writer` (any text; only a hash of it is used, so the name stays a
/// valid key token): the writer's clock in nanoseconds and the hash, in hex.
pub fn generation(writer: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let tag = writer.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    format!("{nanos:x}-{tag:08x}")
}

/// Stores `value` at `key` in parts of at most `part_size` bytes (at least one part, even for
/// an empty value), then the head; returns the head written.
pub async fn write(
    store: &kv::Store,
    key: &str,
    value: &[u8],
    part_size: usize,
    generation: String,
) -> Result<Head, NatsError> {
    let part_size = part_size.max(1);
    let chunks: Vec<&[u8]> = if value.is_empty() {
        vec![value]
    } else {
        value.chunks(part_size).collect()
    };
    let head = Head {
        generation,
        parts: u32::try_from(chunks.len()).map_err(|_| {
            NatsError::Config(format!(
                "a value of {} bytes has too many parts",
                value.len()
            ))
        })?,
        bytes: value.len() as u64,
    };
    for (index, chunk) in (0u32..).zip(chunks) {
        store
            .put(head.part_key(key, index), Bytes::copy_from_slice(chunk))
            .await
            .map_err(|e| NatsError::bus("cannot write a checkpoint part", e))?;
    }
    store
        .put(key, serde_json::to_vec(&head)?.into())
        .await
        .map_err(|e| NatsError::bus("cannot write a checkpoint", e))?;
    Ok(head)
}

/// The value at `key` with the head it was read through (`None` for a value stored whole), or
/// `None` when the key holds nothing. A head whose parts are missing or do not add up to its
/// size is an error: the value cannot be trusted.
pub async fn read(
    store: &kv::Store,
    key: &str,
) -> Result<Option<(Vec<u8>, Option<Head>)>, NatsError> {
    let Some(stored) = store
        .get(key)
        .await
        .map_err(|e| NatsError::bus("cannot read a checkpoint", e))?
    else {
        return Ok(None);
    };
    let Ok(head) = serde_json::from_slice::<Head>(&stored) else {
        return Ok(Some((stored.to_vec(), None)));
    };
    let mut value = Vec::with_capacity(usize::try_from(head.bytes).unwrap_or(0));
    for index in 0..head.parts {
        let part = store
            .get(head.part_key(key, index))
            .await
            .map_err(|e| NatsError::bus("cannot read a checkpoint part", e))?
            .ok_or_else(|| {
                NatsError::Config(format!(
                    "checkpoint `{key}`: part {index} of {} (generation {}) is missing",
                    head.parts, head.generation
                ))
            })?;
        value.extend_from_slice(&part);
    }
    if value.len() as u64 != head.bytes {
        return Err(NatsError::Config(format!(
            "checkpoint `{key}`: its parts hold {} bytes, its head says {}",
            value.len(),
            head.bytes
        )));
    }
    Ok(Some((value, Some(head))))
}

/// Deletes the parts `head` names (those of a generation a newer head has replaced).
pub async fn remove_parts(store: &kv::Store, key: &str, head: &Head) -> Result<(), NatsError> {
    for index in 0..head.parts {
        store
            .purge(head.part_key(key, index))
            .await
            .map_err(|e| NatsError::bus("cannot delete a checkpoint part", e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generations_are_key_tokens_and_differ_between_writers() {
        let a = generation("w1");
        let b = generation("worker with spaces.and.dots");
        for g in [&a, &b] {
            assert!(g.bytes().all(|c| c.is_ascii_hexdigit() || c == b'-'), "{g}");
        }
        assert_ne!(a.rsplit('-').next(), b.rsplit('-').next());
    }

    #[test]
    fn a_head_is_told_from_a_whole_checkpoint() {
        let head = Head {
            generation: "1-2".into(),
            parts: 3,
            bytes: 10,
        };
        let json = serde_json::to_vec(&head).unwrap();
        assert_eq!(serde_json::from_slice::<Head>(&json).unwrap(), head);
        let whole = br#"{"seq":4,"station":{},"piles":{}}"#;
        assert!(serde_json::from_slice::<Head>(whole).is_err());
        assert_eq!(head.part_key("partition.3", 2), "partition.3.1-2.2");
    }
}
