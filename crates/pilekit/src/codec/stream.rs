//! Streaming decoders: arbitrary chunks in, frames out.

/// What a dialect's framer found at the start of a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scan {
    /// A complete frame of this many bytes starts at the first byte (its checksum is not yet
    /// verified).
    Frame(usize),
    /// What is there could be the start of a frame, but more bytes are needed.
    Incomplete,
    /// The first byte does not start a frame.
    NotAFrame,
}
