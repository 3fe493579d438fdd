//! What a pile sends on its own (heartbeats, registration, card swipes, settlements, power
//! reports, alarms) and the server's replies to it.

use alloc::vec::Vec;

use super::enums::{
    AlarmKind, CardStatus, CardType, PortPushKind, PortState, RateMode, StartMode, StopReason,
};
use super::fields::{
    CurrentMilliAmp16, DurationMinute16, DurationSecond16, EnergyCentiKwh16, LengthPrefixed,
    MoneyFen16, Port, PowerDeciWatt16, PowerDeciWatt32, RawBytes, TemperatureDegree8Offset65,
    VoltageDeciVolt16,
};
use crate::codec::error::{DecodeError, EncodeError};
use crate::codec::fields::{Ascii, HexBytes};
use crate::codec::wire::{FieldCodec, Reader, Wire, Writer, unrepresentable};
use crate::units::{Current, Energy, Minutes, Money, Power, Seconds, Temperature, Voltage};
use crate::wire_struct;

/// The 16-byte order number: the server's (from 0x82, any bytes) or, for offline starts,
/// `YYMMDDhhmmss` + card + device number + port, shown as hex.
pub type OrderNumber = HexBytes<16>;

/// One socket in an old heartbeat (0x01).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct OldHeartbeatPort {
    /// The socket's state.
    pub state: PortState,
    /// Power now.
    #[cfg_attr(feature = "serde", serde(rename = "power_w"))]
    pub power: Power,
    /// Highest power since charging started.
    #[cfg_attr(feature = "serde", serde(rename = "peak_power_w"))]
    pub peak_power: Power,
}

/// 0x01 old heartbeat, superseded by 0x20/0x21 (still sent by old devices).
///
/// On the wire the port states, powers and peak powers come as three arrays after the port
/// count; here they are one entry per socket.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct OldHeartbeat {
    /// Firmware version (100 is V1.00).
    pub firmware_version: u16,
    /// Supply voltage.
    #[cfg_attr(feature = "serde", serde(rename = "voltage_v"))]
    pub voltage: Voltage,
    /// The sockets, socket 1 first.
    pub ports: Vec<OldHeartbeatPort>,
    /// Address on the host's 485/LoRa network (0 when not networked).
    pub virtual_id: u8,
    /// Signal strength between device and host (0: wired, or not measured).
    pub signal: u8,
    /// Device type (the reference's model table).
    pub device_type: u8,
    /// Ambient temperature (`None` without sensor); appended by later firmware: `Some` only
    /// when present.
    #[cfg_attr(
        feature = "serde",
        serde(
            rename = "ambient_temperature_c",
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "crate::codec::wire::deserialize_present"
        )
    )]
    pub ambient_temperature: Option<Option<Temperature>>,
    /// Work mode bits as in 0x20 (firmware V7.0 to V8.5 only).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub work_mode: Option<u8>,
}

impl Wire for OldHeartbeat {
    const LEN: usize = 2 + 2 + 1 + 3;

    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let firmware_version = r.field("firmware_version", |r| r.u16_le())?;
        let voltage = r.field("voltage", VoltageDeciVolt16::read)?;
        let n = usize::from(r.field("port_count", |r| r.u8())?);
        let states = r.field("port_states", |r| r.take(n))?;
        let powers = r.field("port_powers", |r| r.take(2 * n))?;
        let peaks = r.field("port_peak_powers", |r| r.take(2 * n))?;
        let ports = states
            .iter()
            .zip(powers.chunks_exact(2))
            .zip(peaks.chunks_exact(2))
            .map(|((&s, p), k)| OldHeartbeatPort {
                state: PortState::from_code(s),
                power: deci_watts(p),
                peak_power: deci_watts(k),
            })
            .collect();
        let virtual_id = r.field("virtual_id", |r| r.u8())?;
        let signal = r.field("signal", |r| r.u8())?;
        let device_type = r.field("device_type", |r| r.u8())?;
        let ambient_temperature = if r.remaining() >= 1 {
            Some(r.field("ambient_temperature", TemperatureDegree8Offset65::read)?)
        } else {
            None
        };
        let work_mode = if ambient_temperature.is_some() && r.remaining() >= 1 {
            Some(r.field("work_mode", |r| r.u8())?)
        } else {
            None
        };
        Ok(Self {
            firmware_version,
            voltage,
            ports,
            virtual_id,
            signal,
            device_type,
            ambient_temperature,
            work_mode,
        })
    }

    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.u16_le(self.firmware_version);
        w.field("voltage", |w| VoltageDeciVolt16::write(&self.voltage, w))?;
        let n = u8::try_from(self.ports.len())
            .map_err(|_| unrepresentable(self.ports.len(), "at most 255 ports"))?;
        w.u8(n);
        for p in &self.ports {
            w.u8(p.state.code());
        }
        for p in &self.ports {
            w.field("power", |w| PowerDeciWatt16::write(&p.power, w))?;
        }
        for p in &self.ports {
            w.field("peak_power", |w| PowerDeciWatt16::write(&p.peak_power, w))?;
        }
        w.u8(self.virtual_id);
        w.u8(self.signal);
        w.u8(self.device_type);
        if let Some(t) = &self.ambient_temperature {
            w.field("ambient_temperature", |w| {
                TemperatureDegree8Offset65::write(t, w)
            })?;
            if let Some(m) = self.work_mode {
                w.u8(m);
            }
        }
        Ok(())
    }

    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::prelude::*;
        let port = (
            <PortState as Wire>::arbitrary(),
            PowerDeciWatt16::arbitrary(),
            PowerDeciWatt16::arbitrary(),
        )
            .prop_map(|(state, power, peak_power)| OldHeartbeatPort {
                state,
                power,
                peak_power,
            });
        (
            any::<u16>(),
            VoltageDeciVolt16::arbitrary(),
            proptest::collection::vec(port, 0..17),
            (any::<u8>(), any::<u8>(), any::<u8>()),
            proptest::option::of(TemperatureDegree8Offset65::arbitrary()),
            any::<u8>(),
        )
            .prop_map(
                |(firmware_version, voltage, ports, (virtual_id, signal, device_type), t, m)| {
                    Self {
                        firmware_version,
                        voltage,
                        ports,
                        virtual_id,
                        signal,
                        device_type,
                        work_mode: t.map(|_| m),
                        ambient_temperature: t,
                    }
                },
            )
            .boxed()
    }
}

/// A little-endian u16 in 0.1 W from a two-byte chunk.
fn deci_watts(chunk: &[u8]) -> Power {
    let raw = <[u8; 2]>::try_from(chunk).map_or(0, u16::from_le_bytes);
    Power(i64::from(raw))
}

wire_struct! {
    /// 0x20 registration, sent on every power-up until the server acknowledges it.
    pub struct Register {
        /// Firmware version (100 is V1.00).
        firmware_version: u16,
        /// Number of sockets.
        port_count: u8,
        /// Address on the host's 485/LoRa network (0 when not networked).
        virtual_id: u8,
        /// Device type (the reference's model table).
        device_type: u8,
        /// Work mode bits (see the methods).
        work_mode: u8,
    }
    appended {
        /// Firmware version of the power board (0 without power board).
        power_board_version: u16,
    }
}

impl Register {
    /// Bit 0: card mode (else networked).
    pub const fn card_mode(&self) -> bool {
        self.work_mode & 0x01 != 0
    }

    /// Bit 1: BL0939 metering chip (else RN8209).
    pub const fn bl0939_meter(&self) -> bool {
        self.work_mode & 0x02 != 0
    }

    /// Bit 2: short-circuit pre-check fitted.
    pub const fn short_circuit_precheck(&self) -> bool {
        self.work_mode & 0x04 != 0
    }

    /// Bit 3: lamp mode (else opto-coupler detection mode).
    pub const fn lamp_mode(&self) -> bool {
        self.work_mode & 0x08 != 0
    }
}

/// 0x21 heartbeat, every 3 minutes by default.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Heartbeat {
    /// Supply voltage.
    #[cfg_attr(feature = "serde", serde(rename = "voltage_v"))]
    pub voltage: Voltage,
    /// Each socket's state, socket 1 first.
    pub ports: Vec<PortState>,
    /// Signal strength between device and host (0: wired, or not measured).
    pub signal: u8,
    /// Temperature inside the device (`None`: no sensor).
    #[cfg_attr(feature = "serde", serde(rename = "ambient_temperature_c"))]
    pub ambient_temperature: Option<Temperature>,
}

impl Wire for Heartbeat {
    const LEN: usize = 2 + 1 + 2;

    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let voltage = r.field("voltage", VoltageDeciVolt16::read)?;
        let n = usize::from(r.field("port_count", |r| r.u8())?);
        let ports = r
            .field("port_states", |r| r.take(n))?
            .iter()
            .map(|&s| PortState::from_code(s))
            .collect();
        let signal = r.field("signal", |r| r.u8())?;
        let ambient_temperature =
            r.field("ambient_temperature", TemperatureDegree8Offset65::read)?;
        Ok(Self {
            voltage,
            ports,
            signal,
            ambient_temperature,
        })
    }

    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.field("voltage", |w| VoltageDeciVolt16::write(&self.voltage, w))?;
        let n = u8::try_from(self.ports.len())
            .map_err(|_| unrepresentable(self.ports.len(), "at most 255 ports"))?;
        w.u8(n);
        for p in &self.ports {
            w.u8(p.code());
        }
        w.u8(self.signal);
        w.field("ambient_temperature", |w| {
            TemperatureDegree8Offset65::write(&self.ambient_temperature, w)
        })
    }

    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::prelude::*;
        (
            VoltageDeciVolt16::arbitrary(),
            proptest::collection::vec(<PortState as Wire>::arbitrary(), 0..17),
            any::<u8>(),
            TemperatureDegree8Offset65::arbitrary(),
        )
            .prop_map(|(voltage, ports, signal, ambient_temperature)| Self {
                voltage,
                ports,
                signal,
                ambient_temperature,
            })
            .boxed()
    }
}

wire_struct! {
    /// 0x02 card swipe. With a socket it asks to charge (the server answers, then starts with
    /// 0x82); with [`Port::DeviceChooses`] (0xFF) it only asks for the balance.
    pub struct CardSwipe {
        /// The card's 4-byte UID (M1 sector 0 block 0), in wire order.
        card_id: HexBytes<4>,
        /// What kind of card.
        card_type: CardType,
        /// The socket, or [`Port::DeviceChooses`] for a balance query.
        port: Port,
        /// Balance stored on a balance card.
        balance: Money = MoneyFen16 => "balance_yuan",
    }
    appended {
        /// The device's clock (Unix seconds; for debugging only).
        timestamp: u32,
        /// A longer card number (social security cards), after its length byte.
        card_number_2: RawBytes = LengthPrefixed,
    }
}

wire_struct! {
    /// 0x02 reply: the account behind a swiped card.
    pub struct CardReply {
        /// The card's UID, as swiped.
        card_id: HexBytes<4>,
        /// The account's status (the device speaks it).
        status: CardStatus,
        /// How to read `balance_or_expiry`.
        rate_mode: RateMode,
        /// Balance in fen, or for a monthly plan the expiry as Unix time.
        balance_or_expiry: u32,
        /// The socket, as swiped.
        port: Port,
    }
}

impl CardReply {
    /// The balance, unless the rate mode is monthly.
    pub fn balance(&self) -> Option<Money> {
        (self.rate_mode != RateMode::Monthly)
            .then(|| Money::from_fen(self.balance_or_expiry.into()))
    }

    /// The expiry (Unix time) of a monthly plan.
    pub fn expiry(&self) -> Option<u32> {
        (self.rate_mode == RateMode::Monthly).then_some(self.balance_or_expiry)
    }
}

impl CardSwipe {
    /// Whether the card was swiped only to hear its balance (socket 0xFF).
    pub fn is_balance_query(&self) -> bool {
        self.port == Port::DeviceChooses
    }
}

wire_struct! {
    /// 0x03 settlement of a finished charge. The pile stores it until the server acknowledges
    /// it, and repeats it, so it can arrive late or twice.
    ///
    /// A charging cabinet's 0x43 "charge done" report has the same layout (without the appended
    /// fields) and decodes to this struct too; its settlement (0x03) follows later.
    pub struct Settlement {
        /// How long it charged.
        duration: Seconds = DurationSecond16 => "duration_s",
        /// Highest power during the charge.
        max_power: Power = PowerDeciWatt16 => "max_power_w",
        /// Energy delivered.
        energy: Energy = EnergyCentiKwh16 => "energy_kwh",
        /// The socket.
        port: Port,
        /// How the charge was started.
        start_mode: StartMode,
        /// The card (offline start) or verification code; zeros for an online start.
        card_id: HexBytes<4>,
        /// Why it stopped.
        stop_reason: StopReason,
        /// The order number.
        order_number: OrderNumber,
    }
    appended {
        /// Highest power in the first minutes of the charge (5 by default, see 0x84).
        second_max_power: Power = PowerDeciWatt16 => "second_max_power_w",
        /// The device's clock (Unix seconds; for debugging only).
        timestamp: u32,
        /// Charging cabinets: how long the bay stayed occupied after the charge.
        occupancy: Minutes = DurationMinute16 => "occupancy_min",
    }
}

wire_struct! {
    /// 0x04 old order confirmation, sent after a start by devices made before mid-2019.
    pub struct OrderConfirm {
        /// The socket.
        port: Port,
        /// How the charge was started.
        start_mode: StartMode,
        /// The card (offline start); zeros for an online start.
        card_id: HexBytes<4>,
        /// How long it has charged.
        duration: Seconds = DurationSecond16 => "duration_s",
        /// The order number.
        order_number: OrderNumber,
    }
}

wire_struct! {
    /// 0x04 reply.
    pub struct OrderConfirmReply {
        /// The socket, as confirmed.
        port: Port,
        /// 0 for success.
        result: u8,
    }
}

wire_struct! {
    /// 0x05 the device asks the server for a firmware upgrade.
    pub struct UpgradeRequest {
        /// Device type (the reference's model table).
        device_type: u8,
        /// Current firmware version.
        firmware_version: u16,
        /// Which firmware package the device takes.
        package_type: u32,
    }
}

wire_struct! {
    /// 0x06 power heartbeat of a charging socket, every 5 minutes while it charges.
    pub struct PortPower {
        /// The socket.
        port: Port,
        /// Its state (1 charging, 3 full, 5 float charging; 2 only from cabinets).
        state: PortState,
        /// How long it has charged.
        duration: Seconds = DurationSecond16 => "duration_s",
        /// Energy of the order so far.
        energy: Energy = EnergyCentiKwh16 => "energy_kwh",
        /// How the charge was started.
        start_mode: StartMode,
        /// Power now.
        power: Power = PowerDeciWatt16 => "power_w",
        /// Highest power since the last report.
        period_max_power: Power = PowerDeciWatt16 => "period_max_power_w",
        /// Lowest power since the last report.
        period_min_power: Power = PowerDeciWatt16 => "period_min_power_w",
        /// Average power since the last report.
        period_avg_power: Power = PowerDeciWatt16 => "period_avg_power_w",
        /// The order number.
        order_number: OrderNumber,
    }
    appended {
        /// Energy since the last report in the meter's raw unit (divide by 4800; debugging).
        period_energy_raw: u16,
        /// Highest power of the whole charge.
        peak_power: Power = PowerDeciWatt16 => "peak_power_w",
        /// Supply voltage.
        voltage: Voltage = VoltageDeciVolt16 => "voltage_v",
        /// Current.
        current: Current = CurrentMilliAmp16 => "current_a",
        /// Temperature inside the device (`None`: no sensor).
        ambient_temperature: Option<Temperature> = TemperatureDegree8Offset65 => "ambient_temperature_c",
        /// Temperature of the socket (`None`: no sensor).
        port_temperature: Option<Temperature> = TemperatureDegree8Offset65 => "port_temperature_c",
        /// The device's clock (Unix seconds; for debugging only).
        timestamp: u32,
        /// Charging cabinets: how long the bay has been occupied after the charge.
        occupancy: Minutes = DurationMinute16 => "occupancy_min",
    }
}

wire_struct! {
    /// 0x09 test-mode report (factory use; servers do not normally see it).
    pub struct TestMode {
        /// Port state bits.
        port_states: u16,
        /// Voltage.
        voltage: Voltage = VoltageDeciVolt16 => "voltage_v",
        /// Power.
        power: Power = PowerDeciWatt32 => "power_w",
    }
}

wire_struct! {
    /// A server address for a communication module: 0x0A from a device to its host, 0x34
    /// from the server to a host.
    pub struct ServerAddress {
        /// The server's TCP port.
        tcp_port: u16,
        /// Module type: 1 Wi-Fi, 2 2G, 3 4G.
        module_type: u8,
        /// Whether the second server connection (socket B) is on (1) or off (0).
        socket_b: u8,
        /// IP address or domain name, NUL padded.
        address: Ascii<46>,
    }
}

wire_struct! {
    /// 0x41 charging cabinet heartbeat.
    pub struct CabinetHeartbeat {
        /// Number of bays.
        port_count: u8,
        /// One bit per door, bay 1 in bit 0: 1 open.
        doors_open: u32,
        /// One bit per fan: 1 running.
        fans_on: u32,
    }
}

wire_struct! {
    /// 0x42 alarm push.
    pub struct AlarmPush {
        /// What happened.
        kind: AlarmKind,
        /// The socket (0-based wire byte) for per-socket alarms, or the address of the 485
        /// sensor that raised a water, smoke, heat or level alarm (0: the device itself).
        source: u8,
        /// For 485 sensors with several inputs: one bit per triggered input.
        triggered_inputs: u8,
    }
}

wire_struct! {
    /// 0x44 port push.
    pub struct PortPush {
        /// What happened.
        kind: PortPushKind,
        /// The socket.
        port: Port,
        /// The order number.
        order_number: OrderNumber,
    }
}
