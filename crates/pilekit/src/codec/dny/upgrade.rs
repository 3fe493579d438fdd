//! Firmware upgrades: chunks the server sends (0xE0–0xE2, 0xF8, the host's 0xF9/0xFA) and the
//! device's answers.

use super::enums::UpgradeResult;
use super::fields::RawBytes;
use crate::wire_struct;

wire_struct! {
    /// A firmware chunk: 200 bytes for 0xE0–0xE2 and 0xFA, 256 bytes for the old 0xF8/0xF9.
    ///
    /// An upgrade may end with a verification chunk (see [`verification`](Self::verification)),
    /// counted in `total`.
    pub struct FirmwareChunk {
        /// Number of chunks.
        total: u16,
        /// This chunk's number, from 1.
        index: u16,
        /// The firmware bytes.
        data: RawBytes,
    }
}

/// The optional last chunk of an upgrade that lets the device check the firmware.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerificationChunk {
    /// The byte sum of the firmware.
    pub firmware_sum: u32,
    /// Device type the firmware is for.
    pub device_type: u8,
    /// The firmware's version.
    pub firmware_version: u16,
}

impl VerificationChunk {
    /// The eight bytes a verification chunk starts with.
    pub const MAGIC: [u8; 8] = [0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8];
}

impl FirmwareChunk {
    /// The verification chunk this chunk is, if it starts with
    /// [`VerificationChunk::MAGIC`].
    pub fn verification(&self) -> Option<VerificationChunk> {
        let d = &self.data.0;
        if d.get(..8)? != VerificationChunk::MAGIC {
            return None;
        }
        match d.get(8..15)? {
            &[s0, s1, s2, s3, device_type, v0, v1] => Some(VerificationChunk {
                firmware_sum: u32::from_le_bytes([s0, s1, s2, s3]),
                device_type,
                firmware_version: u16::from_le_bytes([v0, v1]),
            }),
            _ => None,
        }
    }
}

wire_struct! {
    /// The device's answer to a firmware chunk.
    pub struct FirmwareChunkReply {
        /// The result.
        result: UpgradeResult,
        /// The last chunk received well (0 in a host's request to start).
        index: u16,
    }
}
