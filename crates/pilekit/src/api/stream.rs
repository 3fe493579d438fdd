//! A push/poll decoder for a byte stream whose state serialises.

use alloc::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::decode::{DecodeRequest, Record};
use crate::codec::stream::StreamDecoder;

/// A stream decoder for one connection: [`feed`](Self::feed) chunks as they arrive (half
/// frames, three frames at once), [`poll`](Self::poll) the [`Record`]s they complete, and
/// [`finish`](Self::finish) at the end of the stream.
///
/// The whole state, including half a frame and records not yet polled, serialises (serde) and
/// restores: a decoder snapshotted in the middle of a frame and restored elsewhere gives the
/// same records as one that was never interrupted. Checkpoint after polling: records not yet
/// polled are saved in their canonical form, and a frame a lenient decode took with bytes that
/// form cannot carry back (a text field that is not ASCII) does not restore.
///
/// ```
/// use pilekit::api::{DecodeRequest, Decoder, Record};
///
/// let frame = pilekit::hex::decode("68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A")?;
/// let mut decoder = Decoder::new(&DecodeRequest::default());
/// decoder.feed(&frame[..5]);
/// assert_eq!(decoder.poll(), None);
/// let snapshot = serde_json::to_string(&decoder)?;
/// let mut restored: Decoder = serde_json::from_str(&snapshot)?;
/// restored.feed(&frame[5..]);
/// assert!(matches!(restored.poll(), Some(Record::Frame { offset: 0, .. })));
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decoder {
    inner: StreamDecoder,
    #[serde(with = "queue")]
    ready: VecDeque<Record>,
    finished: bool,
}

impl Decoder {
    /// A decoder for the request's dialect and policy.
    pub fn new(request: &DecodeRequest) -> Self {
        Self {
            inner: request.stream_decoder(),
            ready: VecDeque::new(),
            finished: false,
        }
    }

    /// Feeds a chunk of the stream; the records it completes are then polled. Feeding after
    /// [`finish`](Self::finish) continues the stream at the offset where it ended.
    pub fn feed(&mut self, chunk: &[u8]) {
        self.finished = false;
        let ready = &mut self.ready;
        self.inner
            .feed(chunk, |item| ready.extend(Record::from_item(item.clone())));
    }

    /// The next record completed so far, in stream order.
    pub fn poll(&mut self) -> Option<Record> {
        self.ready.pop_front()
    }

    /// Ends the stream: what is held is scanned once more (a frame that never completed is
    /// skipped as `truncated`); the last records are then polled.
    pub fn finish(&mut self) {
        if !self.finished {
            let ready = &mut self.ready;
            self.inner
                .finish(|item| ready.extend(Record::from_item(item.clone())));
            self.finished = true;
        }
    }

    /// Bytes held, waiting for the rest of a frame.
    pub fn buffered(&self) -> usize {
        self.inner.buffered()
    }

    /// Total bytes fed so far (the offset of the next byte).
    pub fn position(&self) -> usize {
        self.inner.position()
    }

    /// The dialect in use, once known.
    pub fn dialect(&self) -> Option<crate::codec::Dialect> {
        self.inner.dialect()
    }
}

impl Iterator for Decoder {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        self.poll()
    }
}

/// Records waiting to be polled, in their canonical form; frames are read back through
/// [`encode`](super::encode)'s reading of the canonical form.
mod queue {
    use alloc::collections::VecDeque;
    use alloc::vec::Vec;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::api::decode::Record;
    use crate::api::error::Error;
    use crate::api::node::NodeError;
    use crate::codec::AnyFrame;
    use alloc::string::ToString;

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Saved {
        Frame {
            offset: usize,
            frame: serde_json::Value,
        },
        Iccid {
            offset: usize,
            iccid: alloc::string::String,
        },
        Link {
            offset: usize,
        },
        Skipped {
            offset: usize,
            len: usize,
            reason: Option<Error>,
        },
        Error(Error),
    }

    pub(super) fn serialize<S: Serializer>(q: &VecDeque<Record>, s: S) -> Result<S::Ok, S::Error> {
        let mut saved = Vec::with_capacity(q.len());
        for r in q {
            saved.push(match r {
                Record::Frame { offset, frame } => Saved::Frame {
                    offset: *offset,
                    // Through the ordered tree the facade already builds for every frame, so
                    // the frame types are serialised by one serializer only (this keeps the
                    // WebAssembly module small).
                    frame: crate::api::node::Node::of(frame)
                        .and_then(|n| serde_json::to_value(n).map_err(|e| NodeError(e.to_string())))
                        .map_err(serde::ser::Error::custom)?,
                },
                Record::Iccid { offset, iccid } => Saved::Iccid {
                    offset: *offset,
                    iccid: iccid.clone(),
                },
                Record::Link { offset } => Saved::Link { offset: *offset },
                Record::Skipped {
                    offset,
                    len,
                    reason,
                } => Saved::Skipped {
                    offset: *offset,
                    len: *len,
                    reason: reason.clone(),
                },
                Record::Error(e) => Saved::Error(e.clone()),
            });
        }
        saved.serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<VecDeque<Record>, D::Error> {
        let saved = Vec::<Saved>::deserialize(d)?;
        let mut q = VecDeque::with_capacity(saved.len());
        for s in saved {
            q.push_back(match s {
                Saved::Frame { offset, frame } => Record::Frame {
                    offset,
                    frame: serde_json::from_value::<AnyFrame>(frame)
                        .map_err(serde::de::Error::custom)?,
                },
                Saved::Iccid { offset, iccid } => Record::Iccid { offset, iccid },
                Saved::Link { offset } => Record::Link { offset },
                Saved::Skipped {
                    offset,
                    len,
                    reason,
                } => Record::Skipped {
                    offset,
                    len,
                    reason,
                },
                Saved::Error(e) => Record::Error(e),
            });
        }
        Ok(q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn a_snapshot_in_every_place_gives_the_same_records() {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&[0xEE, 0x68, 0x01]);
        bytes.extend(
            crate::hex::decode("68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A").unwrap(),
        );
        bytes.extend(
            crate::hex::decode("68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1B").unwrap(),
        );
        bytes.extend(
            crate::hex::decode("68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A").unwrap(),
        );
        let request = DecodeRequest::default();
        let expect = super::super::decode(&bytes, &request);
        assert!(expect.len() >= 3, "{expect:?}");
        for cut in 0..=bytes.len() {
            let mut first = Decoder::new(&request);
            first.feed(&bytes[..cut]);
            let json = serde_json::to_string(&first).unwrap();
            let mut second: Decoder = serde_json::from_str(&json).unwrap();
            assert_eq!(second, first, "cut at {cut}");
            second.feed(&bytes[cut..]);
            second.finish();
            let got: Vec<Record> = second.collect();
            assert_eq!(got, expect, "cut at {cut}");
        }
    }
}
