//! The canonical serde form of a YKC frame: header keys, then the message's fields flattened.
//!
//! ```json
//! {"dialect": "ykc", "direction": "up", "frame_type": 3, "name": "heartbeat", "seq": "0001",
//!  "encryption": 0, "checksum": {"kind": "crc16_modbus", "order": "low_byte_first"},
//!  "deviations": [], "pile_code": "32010200000001", "gun": 1, "gun_condition": {"name": "normal", "code": 0}}
//! ```

use alloc::vec::Vec;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{FrameType, Seq, YkcFrame, YkcMessage};
use crate::codec::{ByteOrder, Deviations, Dialect, Direction};

#[derive(Serialize, Deserialize)]
struct Checksum {
    kind: ChecksumKind,
    order: ByteOrder,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ChecksumKind {
    Crc16Modbus,
}

#[derive(Serialize)]
struct FrameOut<'a> {
    dialect: Dialect,
    direction: Direction,
    frame_type: u8,
    seq: Seq,
    encryption: u8,
    checksum: Checksum,
    deviations: &'a Deviations,
    #[serde(
        skip_serializing_if = "<[u8]>::is_empty",
        serialize_with = "crate::canonical::serialize_hex"
    )]
    extra: &'a [u8],
    #[serde(flatten)]
    message: &'a YkcMessage,
}

#[derive(Deserialize)]
struct FrameIn {
    frame_type: u8,
    #[serde(default)]
    seq: Seq,
    #[serde(default)]
    encryption: u8,
    #[serde(default)]
    checksum: Option<Checksum>,
    #[serde(default)]
    deviations: Deviations,
    #[serde(default, deserialize_with = "crate::canonical::deserialize_hex")]
    extra: Vec<u8>,
    #[serde(flatten)]
    message: YkcMessage,
}

impl Serialize for YkcFrame {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        FrameOut {
            dialect: Dialect::Ykc,
            direction: self.direction(),
            frame_type: self.frame_type().0,
            seq: self.seq,
            encryption: self.encryption,
            checksum: Checksum {
                kind: ChecksumKind::Crc16Modbus,
                order: self.checksum_order,
            },
            deviations: &self.deviations,
            extra: &self.extra,
            message: &self.message,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for YkcFrame {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut f = FrameIn::deserialize(d)?;
        match &mut f.message {
            YkcMessage::Unknown(o) | YkcMessage::Encrypted(o) => o.frame_type = f.frame_type,
            m if m.frame_type() != FrameType(f.frame_type) => {
                return Err(serde::de::Error::custom(alloc::format!(
                    "frame_type `{}` does not match message `{}` ({})",
                    f.frame_type,
                    m.name(),
                    m.frame_type()
                )));
            }
            _ => {}
        }
        Ok(YkcFrame {
            seq: f.seq,
            encryption: f.encryption,
            checksum_order: f.checksum.map(|c| c.order).unwrap_or_default(),
            deviations: f.deviations,
            message: f.message,
            extra: f.extra,
        })
    }
}
