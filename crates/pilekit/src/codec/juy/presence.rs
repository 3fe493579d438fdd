//! Presence: how a pile makes itself known and stays known — login (0x81), heartbeat (0x82), the
//! periodic IMEI report (0xC0) — plus the one-byte bodies of acknowledgements and queries and the
//! OTA start (0xF5). (Not a charging session: those are 0x83–0x87 in `charging`.)

use super::super::error::{DecodeError, DecodeErrorKind, EncodeError};
use super::super::fields::{Ascii, Bcd, HexBytes};
use super::super::wire::{FieldCodec, Reader, Wire, Writer, unrepresentable};
use super::codecs::{MAX_PORTS, PortList, TemperatureDegree8};
use crate::units::Temperature;
use crate::{open_enum, wire_struct};

/// The signal / protocol-version value from which a pile speaks the IMEI form (0x64).
pub const IMEI_FORM_MIN_PROTOCOL: u8 = 0x64;

open_enum! {
    /// Why a pile logs in (0x81).
    pub enum LoginReason: u8 {
        /// The pile powered on.
        PowerOn = 0 => "power_on",
        /// The pile's software restarted.
        SoftwareRestart = 1 => "software_restart",
    }
}

open_enum! {
    /// The platform's answer to a login (0x81 reply).
    pub enum LoginResult: u8 {
        /// Accepted.
        Ok = 0 => "ok",
        /// The module is not allowed on this platform.
        IllegalModule = 1 => "illegal_module",
        /// Accepted, and the pile switches to the IMEI form for every later frame.
        OkSwitchToImeiForm = 0xF0 => "ok_switch_to_imei_form",
    }
}

open_enum! {
    /// The state of one port in a heartbeat (0x82).
    #[derive(Default)]
    pub enum PortState: u8 {
        /// Free.
        #[default]
        Idle = 0 => "idle",
        /// Charging or reserved.
        InUse = 1 => "in_use",
        /// The port's fuse blew.
        FuseBlown = 2 => "fuse_blown",
        /// The port's relay is welded shut.
        RelayWelded = 3 => "relay_welded",
        /// The port was disabled.
        Disabled = 4 => "disabled",
    }
}

open_enum! {
    /// The pile's answer to an OTA start (0xF5 reply).
    pub enum OtaResult: u8 {
        /// The update started.
        Ok = 0 => "ok",
        /// The update could not start.
        Failed = 1 => "failed",
    }
}

wire_struct! {
    /// 0x81 up: the pile logs in. It must be answered, or the pile repeats it and does nothing else.
    pub struct Login {
        /// The pile's IMEI, 15 ASCII digits; it identifies the pile.
        imei: Ascii<15>,
        /// Number of ports.
        port_count: u8,
        /// Hardware version, e.g. `JUY_B2_Q800M_1_0`.
        hardware_version: Ascii<16>,
        /// Software version, e.g. `JUY_B2_COMM_V1.7`.
        software_version: Ascii<16>,
        /// The SIM card's ICCID.
        iccid: Ascii<20>,
        /// Signal strength, or the protocol version: from 0x64 on, the pile speaks the IMEI form.
        signal: u8,
        /// Why the pile logs in.
        reason: LoginReason,
    }
}

impl Login {
    /// Whether the pile declares that it speaks the IMEI form (signal / protocol version ≥ 0x64).
    pub fn supports_imei_form(&self) -> bool {
        self.signal >= IMEI_FORM_MIN_PROTOCOL
    }
}

wire_struct! {
    /// 0x81 down: the platform answers a login.
    pub struct LoginReply {
        /// Time as seven BCD bytes; reserved (the reference's example sends zeros).
        time: Bcd<7>,
        /// Heartbeat interval in seconds (10–250).
        heartbeat_interval: u8 => "heartbeat_interval_s",
        /// Accepted, refused, or accepted with a switch to the IMEI form.
        result: LoginResult,
    }
}

impl LoginReply {
    /// Whether this reply switches the pile to the IMEI form.
    pub fn switches_to_imei_form(&self) -> bool {
        self.result == LoginResult::OkSwitchToImeiForm
    }
}

/// 0x82 up: the pile's heartbeat with the state of every port.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Heartbeat {
    /// Signal strength.
    pub signal: u8,
    /// Board temperature (whole °C on the wire).
    #[cfg_attr(feature = "serde", serde(rename = "board_temperature_c"))]
    pub board_temperature: Temperature,
    /// The state of each port, port 1 first; the wire's port count is its length.
    pub ports: PortList<PortState>,
}

impl Heartbeat {
    /// Reads the body (the reader spans exactly this message's bytes).
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let signal = r.field("signal", <u8 as Wire>::read)?;
        let board_temperature = r.field("board_temperature", TemperatureDegree8::read)?;
        let count_offset = r.offset();
        let count = r.field("port_count", <u8 as Wire>::read)?;
        if usize::from(count) > MAX_PORTS {
            return Err(DecodeError::new(
                DecodeErrorKind::InvalidValue {
                    value: count.into(),
                },
                count_offset,
            )
            .in_field("port_count"));
        }
        let mut ports = PortList::new();
        for _ in 0..count {
            let state = r.field("ports", <PortState as Wire>::read)?;
            let _ = ports.push(state);
        }
        Ok(Self {
            signal,
            board_temperature,
            ports,
        })
    }

    /// Writes the body.
    pub(crate) fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.u8(self.signal);
        w.field("board_temperature", |w| {
            TemperatureDegree8::write(&self.board_temperature, w)
        })?;
        let count = u8::try_from(self.ports.len())
            .map_err(|_| unrepresentable(self.ports.len(), "too many ports"))?;
        w.u8(count);
        for state in &self.ports {
            w.u8(state.code());
        }
        Ok(())
    }

    #[cfg(test)]
    pub(crate) fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::strategy::Strategy;
        (
            proptest::arbitrary::any::<u8>(),
            TemperatureDegree8::arbitrary(),
            PortList::arbitrary(<PortState as Wire>::arbitrary()),
        )
            .prop_map(|(signal, board_temperature, ports)| Self {
                signal,
                board_temperature,
                ports,
            })
            .boxed()
    }
}

wire_struct! {
    /// A body of one reserved byte: the platform's heartbeat reply (0x82 down), queries (0x88,
    /// 0x89, 0x8E down), acknowledgements (0x8A up, 0xC0 down) and the OTA start (0xF5 down).
    #[derive(Copy, Default)]
    pub struct Reserved {
        /// The reserved byte (0).
        reserved: u8,
    }
}

wire_struct! {
    /// 0xC0 up: the pile's periodic IMEI report, sent before heartbeats, start/stop replies and
    /// card requests (firmware M2.1).
    pub struct ImeiReport {
        /// Signal strength.
        signal: u8,
        /// The pile's IMEI.
        imei: Ascii<15>,
        /// Reserved.
        reserved: HexBytes<10>,
    }
}

wire_struct! {
    /// 0xF5 up: the pile's answer to an OTA start.
    #[derive(Copy)]
    pub struct OtaReply {
        /// Whether the update started.
        result: OtaResult,
    }
}
