//! The canonical serde form of a JUY frame: the frame's fields next to the message's, with the
//! message's snake_case `name`. The header's result byte and IMEI are `frame_result` and
//! `frame_imei`, apart from the `result` and `imei` fields some messages carry.
//!
//! ```json
//! {"dialect": "juy", "direction": "down", "direction_source": "layout", "frame_type": 132,
//!  "frame_result": {"name": "fail", "code": 0}, "frame_imei": null,
//!  "energy_resolution": "milli_kwh", "deviations": [], "extra": "",
//!  "name": "remote_stop", "port": 2, "order": 1}
//! ```

use alloc::vec::Vec;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::super::deviation::Deviations;
use super::super::fields::Ascii;
use super::super::{Direction, DirectionSource};
use super::{EnergyResolution, FrameResult, IMEI_LEN, JuyFrame, JuyMessage};

#[derive(Serialize)]
struct FrameOut<'a> {
    dialect: &'static str,
    direction: Direction,
    direction_source: DirectionSource,
    frame_type: u8,
    frame_result: FrameResult,
    frame_imei: Option<&'a Ascii<IMEI_LEN>>,
    energy_resolution: EnergyResolution,
    deviations: &'a Deviations,
    #[serde(serialize_with = "crate::canonical::serialize_hex")]
    extra: &'a [u8],
    #[serde(flatten)]
    message: &'a JuyMessage,
}

#[derive(Deserialize)]
struct FrameIn {
    direction: Direction,
    #[serde(default = "given")]
    direction_source: DirectionSource,
    frame_type: u8,
    #[serde(default = "ok")]
    frame_result: FrameResult,
    #[serde(default)]
    frame_imei: Option<Ascii<IMEI_LEN>>,
    #[serde(default)]
    energy_resolution: EnergyResolution,
    #[serde(default)]
    deviations: Deviations,
    #[serde(default, deserialize_with = "crate::canonical::deserialize_hex")]
    extra: Vec<u8>,
    #[serde(flatten)]
    message: JuyMessage,
}

fn given() -> DirectionSource {
    DirectionSource::Given
}

fn ok() -> FrameResult {
    FrameResult::Ok
}

impl Serialize for JuyFrame {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        FrameOut {
            dialect: "juy",
            direction: self.direction(),
            direction_source: self.direction_source,
            frame_type: self.command(),
            frame_result: self.result,
            frame_imei: self.imei.as_ref(),
            energy_resolution: self.energy_resolution,
            deviations: &self.deviations,
            extra: &self.extra,
            message: &self.message,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for JuyFrame {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut frame = FrameIn::deserialize(d)?;
        if let JuyMessage::Unknown {
            command, direction, ..
        } = &mut frame.message
        {
            *command = frame.frame_type;
            *direction = frame.direction;
        }
        if frame.message.command() != frame.frame_type {
            return Err(serde::de::Error::custom(alloc::format!(
                "frame_type `{}` is not the command of `{}`",
                frame.frame_type,
                frame.message.name()
            )));
        }
        if frame.message.direction() != frame.direction {
            return Err(serde::de::Error::custom(alloc::format!(
                "`{}` does not travel `{}`",
                frame.message.name(),
                frame.direction.name()
            )));
        }
        Ok(JuyFrame {
            result: frame.frame_result,
            imei: frame.frame_imei,
            message: frame.message,
            direction_source: frame.direction_source,
            deviations: frame.deviations,
            extra: frame.extra,
            energy_resolution: frame.energy_resolution,
        })
    }
}
