//! Live port data: the per-heartbeat port report (0x88) and its time-of-use form (0x8F).

use alloc::vec::Vec;

use super::super::error::{DecodeError, DecodeErrorKind, EncodeError};
use super::super::wire::{FieldCodec, Reader, Wire, Writer};
use super::codecs::{
    Celsius8, DeciVolts16, Each, Fen16, MAX_PORTS, MilliKwh16, MilliYuan16, MilliYuanPerKwh16,
    PortList, Secs32, Watts16,
};
use super::tariff::TouClass;
use super::{EnergyResolution, write_energy};
use crate::units::{Energy, EnergyPrice, Money, Power, Seconds, Temperature, Voltage};
use crate::wire_struct;

/// Reads a port count at the reader's position and checks it against [`MAX_PORTS`].
fn read_port_count(r: &mut Reader<'_>) -> Result<usize, DecodeError> {
    let offset = r.offset();
    let count = r.field("busy_port_count", <u8 as Wire>::read)?;
    if usize::from(count) > MAX_PORTS {
        return Err(DecodeError::new(
            DecodeErrorKind::InvalidValue {
                value: count.into(),
            },
            offset,
        )
        .in_field("busy_port_count"));
    }
    Ok(usize::from(count))
}

/// One busy port in a port report (0x88).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PortSample {
    /// Port, from 1.
    pub port: u8,
    /// Power tier 0–7: the highest reached so far (it only ratchets up).
    pub tier: u8,
    /// The tier's price per hour (0.01 yuan on the wire).
    #[cfg_attr(feature = "serde", serde(rename = "price_yuan"))]
    pub price: Money,
    /// Present power (whole watts on the wire).
    #[cfg_attr(feature = "serde", serde(rename = "power_w"))]
    pub power: Power,
    /// Time charged so far.
    #[cfg_attr(feature = "serde", serde(rename = "time_s"))]
    pub time: Seconds,
    /// Amount so far (0.01 yuan on the wire).
    #[cfg_attr(feature = "serde", serde(rename = "amount_yuan"))]
    pub amount: Money,
    /// Energy so far, at the decoder's declared [`EnergyResolution`].
    #[cfg_attr(feature = "serde", serde(rename = "energy_kwh"))]
    pub energy: Energy,
    /// Port temperature (whole °C on the wire).
    #[cfg_attr(feature = "serde", serde(rename = "temperature_c"))]
    pub temperature: Temperature,
}

impl PortSample {
    /// Size of one entry on the wire.
    pub const LEN: usize = 17;

    /// Reads one entry. All its fields are plain integers, so the entry is taken in one piece
    /// and nothing in it can fail.
    #[inline(always)]
    fn read(r: &mut Reader<'_>, resolution: EnergyResolution) -> Result<Self, DecodeError> {
        let b: [u8; Self::LEN] = r.field("ports", |r| r.array())?;
        let u16_at = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
        let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        Ok(Self {
            port: b[0],
            tier: b[1],
            price: Money::from_fen(i64::from(u16_at(2))),
            power: Power::from_watts(i64::from(u16_at(4))),
            time: Seconds(u32_at(6)),
            amount: Money::from_fen(i64::from(u16_at(10))),
            energy: resolution.energy(u32_at(12)),
            temperature: Temperature::from_celsius(i32::from(b[16])),
        })
    }

    fn write(&self, w: &mut Writer<'_>, resolution: EnergyResolution) -> Result<(), EncodeError> {
        w.u8(self.port);
        w.u8(self.tier);
        w.field("price", |w| Fen16::write(&self.price, w))?;
        w.field("power", |w| Watts16::write(&self.power, w))?;
        w.field("time", |w| Secs32::write(&self.time, w))?;
        w.field("amount", |w| Fen16::write(&self.amount, w))?;
        w.field("energy", |w| write_energy(&self.energy, w, resolution))?;
        w.field("temperature", |w| Celsius8::write(&self.temperature, w))
    }

    #[cfg(test)]
    fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::arbitrary::any;
        use proptest::strategy::Strategy;
        (
            (
                any::<u8>(),
                any::<u8>(),
                Fen16::arbitrary(),
                Watts16::arbitrary(),
            ),
            (
                Secs32::arbitrary(),
                Fen16::arbitrary(),
                super::arbitrary_energy(),
                Celsius8::arbitrary(),
            ),
        )
            .prop_map(
                |((port, tier, price, power), (time, amount, energy, temperature))| Self {
                    port,
                    tier,
                    price,
                    power,
                    time,
                    amount,
                    energy,
                    temperature,
                },
            )
            .boxed()
    }
}

/// 0x88 up: live data of the busy ports, sent with every heartbeat while a port is busy, or on
/// query. Decoding it allocates nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PortData {
    /// Supply voltage (0.1 V on the wire).
    #[cfg_attr(feature = "serde", serde(rename = "voltage_v"))]
    pub voltage: Voltage,
    /// Pile temperature (whole °C on the wire).
    #[cfg_attr(feature = "serde", serde(rename = "temperature_c"))]
    pub temperature: Temperature,
    /// One entry per busy port; the wire's busy-port count is its length.
    pub ports: PortList<PortSample>,
}

impl PortData {
    /// Reads the body into `self`, overwriting it in place (the reader spans exactly this
    /// message's bytes).
    #[inline(always)]
    pub(crate) fn read_into(
        &mut self,
        r: &mut Reader<'_>,
        resolution: EnergyResolution,
    ) -> Result<(), DecodeError> {
        let count = read_port_count(r)?;
        self.voltage = r.field("voltage", DeciVolts16::read)?;
        self.temperature = r.field("temperature", Celsius8::read)?;
        self.ports.clear();
        for _ in 0..count {
            let sample = PortSample::read(r, resolution)?;
            let _ = self.ports.push(sample);
        }
        Ok(())
    }

    /// Writes the body.
    pub(crate) fn write(
        &self,
        w: &mut Writer<'_>,
        resolution: EnergyResolution,
    ) -> Result<(), EncodeError> {
        // A PortList never holds more than MAX_PORTS (16) entries.
        w.u8(self.ports.len() as u8);
        w.field("voltage", |w| DeciVolts16::write(&self.voltage, w))?;
        w.field("temperature", |w| Celsius8::write(&self.temperature, w))?;
        for sample in &self.ports {
            w.field("ports", |w| sample.write(w, resolution))?;
        }
        Ok(())
    }

    #[cfg(test)]
    pub(crate) fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::strategy::Strategy;
        (
            DeciVolts16::arbitrary(),
            Celsius8::arbitrary(),
            PortList::arbitrary(PortSample::arbitrary()),
        )
            .prop_map(|(voltage, temperature, ports)| Self {
                voltage,
                temperature,
                ports,
            })
            .boxed()
    }
}

wire_struct! {
    /// Energy and amount of one time-of-use period in a 0x8F entry.
    #[derive(Copy, Default)]
    pub struct PeriodUsage {
        /// Energy in the period (0.001 kWh on the wire).
        energy: Energy = MilliKwh16 => "energy_kwh",
        /// Amount in the period (0.001 yuan on the wire).
        amount: Money = MilliYuan16 => "amount_yuan",
    }
}

wire_struct! {
    /// One busy port in a time-of-use port report (0x8F).
    pub struct TouPortSample {
        /// Port, from 1.
        port: u8,
        /// The time-of-use class now in force.
        class: TouClass,
        /// Present power (whole watts on the wire).
        power: Power = Watts16 => "power_w",
        /// Time charged so far.
        time: Seconds = Secs32 => "time_s",
        /// Amount so far (0.001 yuan on the wire).
        amount: Money = MilliYuan16 => "amount_yuan",
        /// Usage per period, in class order: sharp, peak, flat, valley, deep.
        periods: [PeriodUsage; 5] = Each<PeriodUsage, 5> => "periods",
        /// Port temperature (whole °C on the wire).
        temperature: Temperature = Celsius8 => "temperature_c",
    }
}

wire_struct! {
    /// The head of a time-of-use port report (0x8F), before the per-port entries.
    pub struct TouPortDataHead {
        /// Number of entries that follow.
        busy_port_count: u8,
        /// Supply voltage (0.1 V on the wire).
        voltage: Voltage = DeciVolts16 => "voltage_v",
        /// Pile temperature (whole °C on the wire).
        temperature: Temperature = Celsius8 => "temperature_c",
        /// The price now in force, energy plus service (0.001 yuan/kWh on the wire).
        current_price: EnergyPrice = MilliYuanPerKwh16 => "current_price_yuan_per_kwh",
    }
}

/// 0x8F up: live data of the busy ports under time-of-use billing, sent instead of 0x88.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TouPortData {
    /// Supply voltage (0.1 V on the wire).
    #[cfg_attr(feature = "serde", serde(rename = "voltage_v"))]
    pub voltage: Voltage,
    /// Pile temperature (whole °C on the wire).
    #[cfg_attr(feature = "serde", serde(rename = "temperature_c"))]
    pub temperature: Temperature,
    /// The price now in force, energy plus service (0.001 yuan/kWh on the wire).
    #[cfg_attr(feature = "serde", serde(rename = "current_price_yuan_per_kwh"))]
    pub current_price: EnergyPrice,
    /// One entry per busy port; the wire's busy-port count is its length.
    pub ports: Vec<TouPortSample>,
}

impl TouPortData {
    /// Reads the body (the reader spans exactly this message's bytes).
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let head = <TouPortDataHead as Wire>::read(r)?;
        let mut ports = Vec::with_capacity(usize::from(head.busy_port_count));
        for _ in 0..head.busy_port_count {
            ports.push(r.field("ports", <TouPortSample as Wire>::read)?);
        }
        Ok(Self {
            voltage: head.voltage,
            temperature: head.temperature,
            current_price: head.current_price,
            ports,
        })
    }

    /// Writes the body.
    pub(crate) fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let busy_port_count =
            u8::try_from(self.ports.len()).map_err(|_| EncodeError::NotRepresentable {
                field: "ports",
                value: alloc::format!("{}", self.ports.len()),
                reason: "at most 255 ports",
            })?;
        TouPortDataHead {
            busy_port_count,
            voltage: self.voltage,
            temperature: self.temperature,
            current_price: self.current_price,
        }
        .write(w)?;
        for sample in &self.ports {
            w.field("ports", |w| sample.write(w))?;
        }
        Ok(())
    }

    #[cfg(test)]
    pub(crate) fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::strategy::Strategy;
        (
            DeciVolts16::arbitrary(),
            Celsius8::arbitrary(),
            MilliYuanPerKwh16::arbitrary(),
            proptest::collection::vec(<TouPortSample as Wire>::arbitrary(), 0..=MAX_PORTS),
        )
            .prop_map(|(voltage, temperature, current_price, ports)| Self {
                voltage,
                temperature,
                current_price,
                ports,
            })
            .boxed()
    }
}
