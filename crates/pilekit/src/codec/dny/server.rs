//! What the server sends to a pile (start/stop, parameters, keys, maintenance) and the pile's
//! replies.

use super::device::OrderNumber;
use super::enums::{
    CardMode, ChargeCommand, Function, ModifyMode, ModifyResult, RateMode, StartResult, WorkMode,
};
use super::fields::{
    DurationMinute8, DurationSecond8, DurationSecond16, LengthPrefixed, Port, PowerDeciWatt8,
    PowerDeciWatt16, PowerWatt8, RawBytes, TemperatureDegree8, VoltageDeciVolt16,
};
use crate::codec::fields::{Ascii, HexBytes};
use crate::units::{Minutes, Money, Power, Seconds, Temperature, Voltage};
use crate::wire_struct;

wire_struct! {
    /// 0x82 start or stop charging.
    ///
    /// To stop, only the socket and the running order's number count. The appended fields are
    /// special-purpose settings for this order only; the reference advises 0 ("device default")
    /// unless needed.
    pub struct StartStop {
        /// How to read `balance_or_expiry` (the device announces it).
        rate_mode: RateMode,
        /// Balance in fen, or for a monthly plan the expiry as Unix time (values above
        /// 100000000 are announced as dates).
        balance_or_expiry: u32,
        /// The socket, or [`Port::DeviceChooses`] for the plugged socket of a dual socket.
        port: Port,
        /// Start or stop.
        charge_command: ChargeCommand,
        /// Seconds to charge, or energy in 0.01 kWh for the energy rate mode; 0 charges until
        /// full (see [`limit`](Self::limit)).
        duration_or_energy: u16,
        /// The order number; the device echoes it in 0x06 and 0x03.
        order_number: OrderNumber,
    }
    appended {
        /// Longest charge for this order (0: the device's setting, 10 h by default).
        max_duration: Seconds = DurationSecond16 => "max_duration_s",
        /// Overload power for this order (0: the device's setting).
        overload_power: Power = PowerDeciWatt16 => "overload_power_w",
        /// QR code backlight at the next plug-in: 0 on, 1 off.
        qr_lamp: u8,
        /// Long-charge mode (keep power on after float charging): 0 off, 1 on.
        long_charge: u8,
        /// Extra float-charge time (65535 cancels float charging).
        extra_float_time: Seconds = DurationSecond16 => "extra_float_time_s",
        /// Short-circuit pre-check: 0 and 1 skip it, 2 checks.
        short_circuit_check: u8,
        /// 1: do not detect unplugging.
        ignore_unplug: u8,
        /// 1: also stop when full on timed charges.
        force_stop_when_full: u8,
        /// After float charging, stop once power falls below this (whole watts on the wire,
        /// unlike every other power; 0 W or 255 W switch the check off).
        full_power: Power = PowerWatt8 => "full_power_w",
        /// Longest time to apply the full-power check.
        full_power_max_time: Minutes = DurationMinute8 => "full_power_max_time_min",
    }
}

/// What a start (0x82) or change (0x8A) command limits the charge by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeLimit {
    /// Charge until full (the value 0).
    UntilFull,
    /// Charge this long.
    Duration(Seconds),
    /// Deliver this much energy.
    Energy(crate::units::Energy),
}

impl StartStop {
    /// A start command without the appended special-purpose settings. `balance_or_expiry` is
    /// what the device announces (fen, or the expiry for a monthly plan).
    pub fn start(
        port: Port,
        rate_mode: RateMode,
        balance_or_expiry: u32,
        limit: ChargeLimit,
        order_number: OrderNumber,
    ) -> Result<Self, crate::codec::EncodeError> {
        let duration_or_energy = match limit {
            ChargeLimit::UntilFull => Some(0),
            ChargeLimit::Duration(s) => u16::try_from(s.0).ok().filter(|&v| v > 0),
            ChargeLimit::Energy(e) => e
                .to_scaled(2)
                .and_then(|v| u16::try_from(v).ok())
                .filter(|&v| v > 0),
        }
        .ok_or_else(|| crate::codec::EncodeError::NotRepresentable {
            field: "duration_or_energy",
            value: alloc::format!("{limit:?}"),
            reason: "1 to 65535 seconds, or 0.01 to 655.35 kWh in 0.01 kWh",
        })?;
        Ok(Self {
            rate_mode,
            balance_or_expiry,
            port,
            charge_command: ChargeCommand::Start,
            duration_or_energy,
            order_number,
            max_duration: None,
            overload_power: None,
            qr_lamp: None,
            long_charge: None,
            extra_float_time: None,
            short_circuit_check: None,
            ignore_unplug: None,
            force_stop_when_full: None,
            full_power: None,
            full_power_max_time: None,
        })
    }

    /// A stop command for the order running on `port`.
    pub fn stop(port: Port, order_number: OrderNumber) -> Self {
        Self {
            rate_mode: RateMode::Time,
            balance_or_expiry: 0,
            port,
            charge_command: ChargeCommand::Stop,
            duration_or_energy: 0,
            order_number,
            max_duration: None,
            overload_power: None,
            qr_lamp: None,
            long_charge: None,
            extra_float_time: None,
            short_circuit_check: None,
            ignore_unplug: None,
            force_stop_when_full: None,
            full_power: None,
            full_power_max_time: None,
        }
    }

    /// The limit `duration_or_energy` gives under the rate mode.
    pub fn limit(&self) -> ChargeLimit {
        match (self.duration_or_energy, self.rate_mode) {
            (0, _) => ChargeLimit::UntilFull,
            (v, RateMode::Energy) => {
                ChargeLimit::Energy(crate::units::Energy::from_centi_kwh(v.into()))
            }
            (v, _) => ChargeLimit::Duration(Seconds(v.into())),
        }
    }

    /// The balance announced, unless the rate mode is monthly.
    pub fn balance(&self) -> Option<Money> {
        (self.rate_mode != RateMode::Monthly)
            .then(|| Money::from_fen(self.balance_or_expiry.into()))
    }
}

wire_struct! {
    /// 0x82 reply: the result of a start or stop.
    pub struct StartStopReply {
        /// The result.
        result: StartResult,
    }
    appended {
        /// The order number, as sent.
        order_number: OrderNumber,
        /// The socket.
        port: Port,
        /// With result 5: one bit per socket waiting to charge (socket 1 in bit 0).
        pending_ports: u16,
    }
}

wire_struct! {
    /// 0x8A change the limit of a running order; it becomes a timed or energy order.
    pub struct Modify {
        /// The new limit's kind.
        mode: ModifyMode,
        /// The socket.
        port: Port,
        /// Seconds, or energy in 0.01 kWh for [`ModifyMode::EnergyUntilFull`]. A value below
        /// what already ran stops the charge at once.
        duration_or_energy: u16,
    }
}

impl Modify {
    /// The new limit under the mode (0 stops at once, as any value below what already ran).
    pub fn limit(&self) -> ChargeLimit {
        match self.mode {
            ModifyMode::EnergyUntilFull => ChargeLimit::Energy(
                crate::units::Energy::from_centi_kwh(self.duration_or_energy.into()),
            ),
            _ => ChargeLimit::Duration(Seconds(self.duration_or_energy.into())),
        }
    }
}

wire_struct! {
    /// 0x8A reply.
    pub struct ModifyReply {
        /// The result.
        result: ModifyResult,
    }
}

wire_struct! {
    /// Run parameters 1.1: set with 0x83, read back with 0x90. Powers are
    /// in the reference's general unit of 0.1 W, as the command names none.
    pub struct RunParameters1 {
        /// Power below which the charger counts as unplugged (default 0.3 W).
        unplug_power: Power = PowerDeciWatt16 => "unplug_power_w",
        /// How long power must stay below it (default 10 s).
        unplug_time: Seconds = DurationSecond16 => "unplug_time_s",
        /// Float charging starts below this share of the charging power (default 20 %).
        float_charge_pct: u8,
        /// How long to watch for float charging (default 1800 s).
        float_detect_time: Seconds = DurationSecond16 => "float_detect_time_s",
        /// How long to float charge (default 3600 s).
        float_time: Seconds = DurationSecond16 => "float_time_s",
        /// Heartbeat interval (default 180 s).
        heartbeat_interval: Seconds = DurationSecond16 => "heartbeat_interval_s",
    }
}

wire_struct! {
    /// Run parameters 1.2: set with 0x84, read back with 0x91. Powers are
    /// in the reference's general unit of 0.1 W, as the command names none.
    pub struct RunParameters2 {
        /// Dynamic overload power (default 80.0 W).
        dynamic_overload_power: Power = PowerDeciWatt16 => "dynamic_overload_power_w",
        /// How long to watch for dynamic overload (default 30 s).
        dynamic_overload_time: Seconds = DurationSecond16 => "dynamic_overload_time_s",
        /// When dynamic overload detection starts (default 1800 s).
        dynamic_overload_start: Seconds = DurationSecond16 => "dynamic_overload_start_s",
        /// Power below which the charger counts as unplugged despite interference
        /// (default 1.0 W).
        unplug_interference_power: Power = PowerDeciWatt8 => "unplug_interference_power_w",
        /// How long power must stay below it (default 300 s).
        unplug_interference_time: Seconds = DurationSecond16 => "unplug_interference_time_s",
        /// After this, float charging is detected with the second detection time
        /// (default 10800 s).
        float_second_stage_after: Seconds = DurationSecond16 => "float_second_stage_after_s",
        /// Float detection time of the second stage (default 300 s).
        float_second_detect_time: Seconds = DurationSecond16 => "float_second_detect_time_s",
        /// Minimum power (default 30.0 W).
        min_power: Power = PowerDeciWatt16 => "min_power_w",
        /// A charge whose peak stays below the minimum power until then is cut
        /// (default 1800 s).
        min_power_check_time: Seconds = DurationSecond16 => "min_power_check_time_s",
        /// Window of the settlement's second maximum power (default 300 s).
        second_max_power_window: Seconds = DurationSecond16 => "second_max_power_window_s",
    }
    appended {
        /// Ambient alarm temperature (default 80 °C).
        ambient_alarm_temperature: Temperature = TemperatureDegree8 => "ambient_alarm_temperature_c",
        /// Socket alarm temperature (default 80 °C).
        port_alarm_temperature: Temperature = TemperatureDegree8 => "port_alarm_temperature_c",
        /// Unplug detection by opto-coupler: 0 on, other values off (default 0).
        unplug_detection: u8,
        /// QR code backlight: 0 on, 1 off, kept across reboots (default 1).
        qr_lamp: u8,
    }
}

wire_struct! {
    /// Charge limits: set with 0x85, read back with 0x92.
    pub struct ChargeLimits {
        /// Longest charge for until-full and offline starts (default 36000 s).
        max_charge_time: Seconds = DurationSecond16 => "max_charge_time_s",
        /// Overload power of one socket (at most 2000 W, 3500 W for high-power models).
        overload_power: Power = PowerDeciWatt16 => "overload_power_w",
    }
    appended {
        /// No charging above this voltage (default 270.0 V).
        over_voltage: Voltage = VoltageDeciVolt16 => "over_voltage_v",
        /// No charging below this voltage (default 100.0 V).
        under_voltage: Voltage = VoltageDeciVolt16 => "under_voltage_v",
    }
}

wire_struct! {
    /// M1 card keys: set with 0x86, read back with 0x93.
    pub struct CardKeys {
        /// The card sector that holds the user data (default 0).
        sector: u8,
        /// Key of set-up user cards (default 159185191880).
        user_key: HexBytes<6>,
        /// Key of blank cards (default FFFFFFFFFFFF).
        new_card_key: HexBytes<6>,
    }
}

wire_struct! {
    /// 0x89 play voice prompts (reserved by the vendor, not yet usable).
    pub struct PlayVoice {
        /// 1: interrupt what is playing.
        interrupt: u8,
        /// The prompt segments, after their count.
        segments: RawBytes = LengthPrefixed,
    }
}

wire_struct! {
    /// 0x8B read EEPROM.
    pub struct ReadEeprom {
        /// Address.
        address: u16,
        /// How many bytes (at most 32).
        length: u8,
    }
}

wire_struct! {
    /// 0x8B reply: the EEPROM data.
    pub struct ReadEepromReply {
        /// 0 for success.
        result: u8,
        /// The bytes read.
        data: RawBytes,
    }
}

wire_struct! {
    /// 0x8C write EEPROM.
    pub struct WriteEeprom {
        /// Address.
        address: u16,
        /// The bytes to write (at most 32), after their count.
        data: RawBytes = LengthPrefixed,
    }
}

wire_struct! {
    /// 0x8D set network or card mode.
    pub struct SetWorkMode {
        /// The mode.
        mode: WorkMode,
    }
}

wire_struct! {
    /// 0x8E set the QR code URL (newest firmware).
    pub struct SetQrCode {
        /// Main screen: 0 socket states, 1 the QR code.
        main_screen: u8,
        /// Reserved.
        reserved: HexBytes<3>,
        /// The URL, at most 71 characters, NUL padded.
        url: Ascii<72>,
    }
}

wire_struct! {
    /// 0x8F set the TC card mode.
    pub struct SetCardMode {
        /// The mode.
        mode: CardMode,
    }
}

wire_struct! {
    /// 0x72 charging cabinet: stop charging without opening the door.
    pub struct CabinetStop {
        /// The bay.
        port: Port,
        /// The running order's number (must match).
        order_number: OrderNumber,
    }
}

wire_struct! {
    /// 0x72 reply.
    pub struct CabinetStopReply {
        /// 0 for success.
        result: u8,
        /// The order number.
        order_number: OrderNumber,
    }
}

wire_struct! {
    /// 0x95 show a temporary QR code (devices with a screen).
    pub struct TemporaryQrCode {
        /// The QR code's content: 200 bytes on the wire, NUL padded, kept as sent.
        content: RawBytes,
    }
}

wire_struct! {
    /// 0x96 locate the device: it speaks and flashes.
    pub struct Locate {
        /// For how long.
        duration: Seconds = DurationSecond8 => "duration_s",
    }
}

wire_struct! {
    /// 0x97 run parameters 1.3: mute.
    pub struct SetMute {
        /// 1: mute, 0: normal sound.
        mute: u8,
    }
}

wire_struct! {
    /// 0x98 multi-function command.
    pub struct MultiFunction {
        /// What to do.
        function: Function,
        /// The socket.
        port: Port,
    }
}
