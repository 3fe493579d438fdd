//! Pile settings: the parameter table (0x89 read, 0x8A write), the meter (0x8B) and the server
//! address (0x8C).

use super::super::fields::{Ascii, HexBytes};
use super::codecs::{
    DurationMinute16, DurationSecond16, Each, EnergyCentiKwh32, MoneyFen16, PowerWatt8,
    PowerWatt16, TemperatureDegree8,
};
use crate::units::{Energy, Minutes, Money, Power, Seconds, Temperature};
use crate::{open_enum, wire_struct};

open_enum! {
    /// How the pile bills by the hour (parameter table).
    pub enum BillingMode: u8 {
        /// A price per hour by power tier (the default).
        Hourly = 0 => "hourly",
        /// A prepaid amount, with a proportional discount per tier.
        AmountWithDiscount = 1 => "amount_with_discount",
    }
}

open_enum! {
    /// What to do with the pile's meter (0x8B).
    pub enum MeterOperation: u8 {
        /// Read it.
        Read = 0 => "read",
        /// Clear it.
        Clear = 1 => "clear",
    }
}

open_enum! {
    /// The transport of a server address (0x8C).
    pub enum ServerProtocol: u8 {
        /// MQTT.
        Mqtt = 0 => "mqtt",
        /// Plain TCP.
        Tcp = 1 => "tcp",
    }
}

wire_struct! {
    /// The parameter table: the pile's answer to a read (0x89 up) and the platform's write
    /// (0x8A down). Tiers are indexed 0–7; tier *n* applies up to `tier_powers[n]`.
    #[derive(Copy)]
    pub struct ParameterTable {
        /// Hourly, or amount with discount.
        billing_mode: BillingMode,
        /// What one coin buys (default 240 min: "1 yuan buys 4 hours").
        coin_time: Minutes = DurationMinute16 => "coin_time_min",
        /// What one card swipe buys.
        card_time: Minutes = DurationMinute16 => "card_time_min",
        /// What one card swipe costs (fen on the wire).
        card_fee: Money = MoneyFen16 => "card_fee_yuan",
        /// Upper power bound of each of the 8 tiers (whole watts on the wire).
        tier_powers: [Power; 8] = Each<PowerWatt16, 8> => "tier_powers_w",
        /// Price of each tier as a raw u16: 0.01 yuan per hour in hourly mode, a discount percent
        /// in amount mode; see [`ParameterTable::tier_hourly_price`].
        tier_prices: [u16; 8] = Each<u16, 8> => "tier_prices",
        /// Below this power the charge counts as floating (5–250 W, default 15 W).
        float_power: Power = PowerWatt8 => "float_power_w",
        /// How long the pile keeps charging once floating (default 120 min).
        float_time: Minutes = DurationMinute16 => "float_time_min",
        /// Free mode.
        free_mode: u8,
        /// Temperature alarm threshold (default 90 °C).
        temperature_alarm: Temperature = TemperatureDegree8 => "temperature_alarm_c",
        /// Smoke alarm on (1) or off (0).
        smoke_alarm: u8,
        /// Speaker volume.
        volume: u8,
        /// An energy value (0.01 kWh on the wire), unused by the pile.
        energy: Energy = EnergyCentiKwh32 => "energy_kwh",
        /// Switches; bit 0 set turns auto-stop-when-full off.
        switches: u8,
        /// How long a remote start waits for a charger to be plugged in (default 120 s).
        plug_in_wait: Seconds = DurationSecond16 => "plug_in_wait_s",
        /// How long the pile waits before deciding a charger was removed (default 120 s).
        removal_wait: Seconds = DurationSecond16 => "removal_wait_s",
        /// IC card type.
        ic_card_type: u8,
        /// Below this power a charger counts as removed (1–50 W).
        removal_power: Power = PowerWatt8 => "removal_power_w",
        /// Reserved.
        reserved: HexBytes<11>,
    }
}

impl ParameterTable {
    /// Bit of `switches` that turns auto-stop-when-full off.
    pub const SWITCH_AUTO_STOP_OFF: u8 = 0x01;

    /// Whether the pile stops by itself when the battery is full.
    pub fn auto_stop_when_full(&self) -> bool {
        self.switches & Self::SWITCH_AUTO_STOP_OFF == 0
    }

    /// The hourly price of tier `tier` (0–7), in hourly billing mode.
    pub fn tier_hourly_price(&self, tier: usize) -> Option<Money> {
        if self.billing_mode != BillingMode::Hourly {
            return None;
        }
        self.tier_prices
            .get(tier)
            .map(|&fen| Money::from_fen(i64::from(fen)))
    }
}

wire_struct! {
    /// 0x8B down: read or clear the pile's meter.
    #[derive(Copy)]
    pub struct MeterCommand {
        /// Read or clear.
        operation: MeterOperation,
    }
}

wire_struct! {
    /// 0x8B up: the pile's meter reading.
    #[derive(Copy)]
    pub struct MeterReading {
        /// Result (0 ok).
        result: u8,
        /// The meter reading (0.01 kWh on the wire).
        reading: Energy = EnergyCentiKwh32 => "reading_kwh",
    }
}

wire_struct! {
    /// 0x8C down: move the pile to another server; the pile restarts on it.
    #[derive(Copy)]
    pub struct ChangeServer {
        /// MQTT or TCP.
        protocol: ServerProtocol,
        /// The server's IP address as text, NUL padded.
        ip: Ascii<18>,
        /// The server's port as text.
        port: Ascii<6>,
        /// MQTT user.
        user: Ascii<10>,
        /// MQTT password.
        password: Ascii<10>,
    }
}
