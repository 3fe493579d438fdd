//! Frames of 485/LoRa hosts and RCD hosts (host protocol V2.9).

use alloc::vec::Vec;

use super::enums::{ModuleType, RtcChip};
use super::fields::{
    CurrentCentiAmp16, CurrentMilliAmp8, EnergyCentiKwh32, PhysicalId, VoltageDeciVolt16,
};
use crate::codec::error::{DecodeError, EncodeError};
use crate::codec::fields::{Ascii, HexBytes};
use crate::codec::wire::{Reader, Wire, Writer, unrepresentable};
use crate::units::{Current, Energy, Voltage};
use crate::wire_struct;

wire_struct! {
    /// 0x11 host heartbeat, every 30 minutes; no reply.
    pub struct HostHeartbeat {
        /// Firmware version.
        firmware_version: u16,
        /// The real-time clock chip.
        rtc: RtcChip,
        /// The host's clock (Unix seconds; 0 without RTC).
        timestamp: u32,
        /// Mobile signal 0–31 (99: unknown; some modules report 100 + value).
        signal: u8,
        /// The communication module.
        module_type: ModuleType,
    }
    appended {
        /// The SIM's ICCID, 20 ASCII characters.
        iccid: Ascii<20>,
        /// Host type (the reference's host model table).
        host_type: u8,
        /// LoRa centre frequency in MHz (0 when none).
        frequency: u16 => "frequency_mhz",
        /// The module's IMEI, 15 ASCII digits.
        imei: Ascii<15>,
        /// The module's firmware version.
        module_version: Ascii<24>,
    }
}

wire_struct! {
    /// 0x17 host status: breaker, meter and alarms; every 30 minutes, no reply. Hosts that are
    /// not RCD hosts fill only the first fields meaningfully.
    pub struct HostStatus {
        /// Breaker: 0 open, 1 closed.
        breaker_closed: u8,
        /// Temperature byte, as sent (the reference gives no unit).
        temperature_raw: u8,
        /// Voltage.
        voltage: Voltage = VoltageDeciVolt16 => "voltage_v",
        /// Current.
        current: Current = CurrentCentiAmp16 => "current_a",
        /// Energy counter.
        energy: Energy = EnergyCentiKwh32 => "energy_kwh",
        /// The meter's current.
        meter_current: Current = CurrentCentiAmp16 => "meter_current_a",
        /// The meter's energy counter.
        meter_energy: Energy = EnergyCentiKwh32 => "meter_energy_kwh",
        /// Smoke alarm: 0 none, 1 alarm.
        smoke_alarm: u8,
        /// Alarm relay: 0 open, 1 closed.
        alarm_relay: u8,
    }
    appended {
        /// Leakage current.
        leakage_current: Current = CurrentMilliAmp8 => "leakage_current_a",
        /// Live wire temperature byte, as sent.
        live_temperature_raw: u8,
        /// Neutral wire temperature byte, as sent.
        neutral_temperature_raw: u8,
        /// Breaker lock: 0 released, 1 locked.
        breaker_locked: u8,
        /// Breaker style: 0 short single-phase, 1 long single-phase, 2 host with screen.
        breaker_style: u8,
    }
}

wire_struct! {
    /// The lowest firmware of one device type behind a host.
    pub struct SlaveVersion {
        /// Device type.
        device_type: u8,
        /// Reserved.
        reserved: u8,
        /// The lowest firmware version among devices of this type.
        min_version: u16,
        /// The device that runs it.
        physical_id: PhysicalId,
    }
}

/// 0x35 the lowest firmware version of each device type behind the host; no reply.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SlaveVersions {
    /// One entry per device type.
    pub types: Vec<SlaveVersion>,
}

impl Wire for SlaveVersions {
    const LEN: usize = 1;

    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.field("type_count", |r| r.u8())?;
        let types = (0..n)
            .map(|_| r.field("types", <SlaveVersion as Wire>::read))
            .collect::<Result<_, _>>()?;
        Ok(Self { types })
    }

    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let n = u8::try_from(self.types.len())
            .map_err(|_| unrepresentable(self.types.len(), "at most 255 entries"))?;
        w.u8(n);
        self.types.iter().try_for_each(|t| t.write(w))
    }

    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::strategy::Strategy;
        proptest::collection::vec(SlaveVersion::arbitrary(), 0..6)
            .prop_map(|types| Self { types })
            .boxed()
    }
}

/// 0x3A set an FSK host's frequency and the devices it serves (also the answer to 0x3B).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FskParameters {
    /// Frequency in MHz.
    #[cfg_attr(feature = "serde", serde(rename = "frequency_mhz"))]
    pub frequency: u16,
    /// Reserved, zeros.
    pub reserved: HexBytes<3>,
    /// The devices' physical ids.
    pub devices: Vec<PhysicalId>,
}

impl Wire for FskParameters {
    const LEN: usize = 2 + 3 + 1;

    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let frequency = r.field("frequency", |r| r.u16_le())?;
        let reserved = r.field("reserved", <HexBytes<3> as Wire>::read)?;
        let n = r.field("device_count", |r| r.u8())?;
        let devices = (0..n)
            .map(|_| r.field("devices", <PhysicalId as Wire>::read))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            frequency,
            reserved,
            devices,
        })
    }

    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.u16_le(self.frequency);
        w.put(&self.reserved.0);
        let n = u8::try_from(self.devices.len())
            .map_err(|_| unrepresentable(self.devices.len(), "at most 255 devices"))?;
        w.u8(n);
        self.devices.iter().try_for_each(|d| d.write(w))
    }

    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::prelude::*;
        (
            any::<u16>(),
            <HexBytes<3> as Wire>::arbitrary(),
            proptest::collection::vec(PhysicalId::arbitrary(), 0..8),
        )
            .prop_map(|(frequency, reserved, devices)| Self {
                frequency,
                reserved,
                devices,
            })
            .boxed()
    }
}

wire_struct! {
    /// 0x3B an FSK host asks for its parameters.
    pub struct FskParametersRequest {
        /// The frequency in use, in MHz.
        frequency: u16 => "frequency_mhz",
    }
}
