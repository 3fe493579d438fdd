//! Live port data: the per-heartbeat port report (0x88) and its time-of-use form (0x8F).

use alloc::vec::Vec;

use super::super::error::{DecodeError, DecodeErrorKind, EncodeError};
use super::super::wire::{FieldCodec, Reader, Wire, Writer};
use super::codecs::{
    DurationSecond32, Each, EnergyWh16, MAX_PORTS, MoneyFen16, MoneyMilliYuan16, PowerWatt16,
    PriceMilliYuanPerKwh16, TemperatureDegree8, VoltageDeciVolt16,
};
use super::tariff::TouClassCode;
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

    /// Writes one entry.
    pub(crate) fn write(
        &self,
        w: &mut Writer<'_>,
        resolution: EnergyResolution,
    ) -> Result<(), EncodeError> {
        w.u8(self.port);
        w.u8(self.tier);
        w.field("price", |w| MoneyFen16::write(&self.price, w))?;
        w.field("power", |w| PowerWatt16::write(&self.power, w))?;
        w.field("time", |w| DurationSecond32::write(&self.time, w))?;
        w.field("amount", |w| MoneyFen16::write(&self.amount, w))?;
        w.field("energy", |w| write_energy(&self.energy, w, resolution))?;
        w.field("temperature", |w| {
            TemperatureDegree8::write(&self.temperature, w)
        })
    }

    /// Samples that fit the wire, for roundtrip tests.
    #[cfg(test)]
    pub(crate) fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::arbitrary::any;
        use proptest::strategy::Strategy;
        (
            (
                any::<u8>(),
                any::<u8>(),
                MoneyFen16::arbitrary(),
                PowerWatt16::arbitrary(),
            ),
            (
                DurationSecond32::arbitrary(),
                MoneyFen16::arbitrary(),
                super::arbitrary_energy(),
                TemperatureDegree8::arbitrary(),
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

/// A [`PortSample`] stored in the wire's own integers (energy already scaled), so that a full
/// port report stays small enough to decode and move quickly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct PackedSample {
    energy: Energy,
    time: u32,
    price_fen: u16,
    power_w: u16,
    amount_fen: u16,
    port: u8,
    tier: u8,
    temperature_c: u8,
}

impl PackedSample {
    /// Reads one entry. All its fields are plain integers, so the entry is taken in one piece
    /// and nothing in it can fail.
    #[inline(always)]
    fn read(r: &mut Reader<'_>, resolution: EnergyResolution) -> Result<Self, DecodeError> {
        let b: [u8; PortSample::LEN] = r.field("ports", |r| r.array())?;
        let u16_at = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
        Ok(Self {
            port: b[0],
            tier: b[1],
            price_fen: u16_at(2),
            power_w: u16_at(4),
            time: u32::from_le_bytes([b[6], b[7], b[8], b[9]]),
            amount_fen: u16_at(10),
            energy: resolution.energy(u32::from_le_bytes([b[12], b[13], b[14], b[15]])),
            temperature_c: b[16],
        })
    }

    fn unpack(&self) -> PortSample {
        PortSample {
            port: self.port,
            tier: self.tier,
            price: Money::from_fen(i64::from(self.price_fen)),
            power: Power::from_watts(i64::from(self.power_w)),
            time: Seconds(self.time),
            amount: Money::from_fen(i64::from(self.amount_fen)),
            energy: self.energy,
            temperature: Temperature::from_celsius(i32::from(self.temperature_c)),
        }
    }

    fn pack(sample: &PortSample) -> Result<Self, EncodeError> {
        fn wire<T: TryFrom<i128>>(
            raw: i128,
            from: u32,
            to: u32,
            field: &'static str,
            shown: &dyn core::fmt::Display,
            reason: &'static str,
        ) -> Result<T, EncodeError> {
            crate::decimal::rescale(raw, from, to)
                .and_then(|v| T::try_from(v).ok())
                .ok_or_else(|| EncodeError::NotRepresentable {
                    field,
                    value: alloc::format!("{shown}"),
                    reason,
                })
        }
        let fen = "whole fen from 0 to 655.35 yuan";
        Ok(Self {
            port: sample.port,
            tier: sample.tier,
            price_fen: wire(sample.price.0.into(), 4, 2, "price", &sample.price, fen)?,
            power_w: wire(
                sample.power.0.into(),
                1,
                0,
                "power",
                &sample.power,
                "whole watts from 0 to 65535 W",
            )?,
            time: sample.time.0,
            amount_fen: wire(sample.amount.0.into(), 4, 2, "amount", &sample.amount, fen)?,
            energy: sample.energy,
            temperature_c: wire(
                sample.temperature.0.into(),
                1,
                0,
                "temperature",
                &sample.temperature,
                "whole degrees from 0 to 255 °C",
            )?,
        })
    }
}

/// The busy ports of a port report: up to [`MAX_PORTS`] [`PortSample`]s, stored inline and
/// packed, so that decoding allocates nothing and a frame stays small. Only samples that fit
/// the wire can be added (whole fen, whole watts, whole degrees).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct PortSamples {
    items: [PackedSample; MAX_PORTS],
    len: u8,
}

impl PortSamples {
    /// No samples.
    pub fn new() -> Self {
        Self::default()
    }

    /// The samples in `samples`, if each fits the wire and there are at most [`MAX_PORTS`].
    pub fn from_samples(samples: &[PortSample]) -> Result<Self, EncodeError> {
        let mut list = Self::new();
        for sample in samples {
            list.push(sample)?;
        }
        Ok(list)
    }

    /// Adds a sample, if it fits the wire and the list is not full.
    pub fn push(&mut self, sample: &PortSample) -> Result<(), EncodeError> {
        let packed = PackedSample::pack(sample)?;
        match self.items.get_mut(usize::from(self.len)) {
            Some(slot) => {
                *slot = packed;
                self.len += 1;
                Ok(())
            }
            None => Err(EncodeError::NotRepresentable {
                field: "ports",
                value: alloc::format!("{}", usize::from(self.len) + 1),
                reason: "a port report holds at most 12 ports",
            }),
        }
    }

    #[inline(always)]
    fn push_packed(&mut self, packed: PackedSample) {
        if let Some(slot) = self.items.get_mut(usize::from(self.len)) {
            *slot = packed;
            self.len += 1;
        }
    }

    /// Removes every sample.
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The `index`-th sample (from 0).
    pub fn get(&self, index: usize) -> Option<PortSample> {
        self.packed().get(index).map(PackedSample::unpack)
    }

    /// The samples, in wire order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = PortSample> + '_ {
        self.packed().iter().map(PackedSample::unpack)
    }

    fn packed(&self) -> &[PackedSample] {
        self.items.get(..self.len()).unwrap_or(&[])
    }
}

impl core::fmt::Debug for PortSamples {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for PortSamples {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for PortSamples {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let samples: Vec<PortSample> = serde::Deserialize::deserialize(d)?;
        Self::from_samples(&samples).map_err(serde::de::Error::custom)
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
    pub ports: PortSamples,
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
        self.voltage = r.field("voltage", VoltageDeciVolt16::read)?;
        self.temperature = r.field("temperature", TemperatureDegree8::read)?;
        self.ports.clear();
        for _ in 0..count {
            let packed = PackedSample::read(r, resolution)?;
            self.ports.push_packed(packed);
        }
        Ok(())
    }

    /// Writes the body.
    pub(crate) fn write(
        &self,
        w: &mut Writer<'_>,
        resolution: EnergyResolution,
    ) -> Result<(), EncodeError> {
        // PortSamples never holds more than MAX_PORTS (12) entries.
        w.u8(self.ports.len() as u8);
        w.field("voltage", |w| VoltageDeciVolt16::write(&self.voltage, w))?;
        w.field("temperature", |w| {
            TemperatureDegree8::write(&self.temperature, w)
        })?;
        for sample in self.ports.iter() {
            w.field("ports", |w| sample.write(w, resolution))?;
        }
        Ok(())
    }

    #[cfg(test)]
    pub(crate) fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::strategy::Strategy;
        (
            VoltageDeciVolt16::arbitrary(),
            TemperatureDegree8::arbitrary(),
            proptest::collection::vec(PortSample::arbitrary(), 0..=MAX_PORTS),
        )
            .prop_map(|(voltage, temperature, ports)| Self {
                voltage,
                temperature,
                ports: PortSamples::from_samples(&ports).unwrap_or_default(),
            })
            .boxed()
    }
}

wire_struct! {
    /// Energy and amount of one time-of-use period in a 0x8F entry.
    #[derive(Copy, Default)]
    pub struct PeriodUsage {
        /// Energy in the period (0.001 kWh on the wire).
        energy: Energy = EnergyWh16 => "energy_kwh",
        /// Amount in the period (0.001 yuan on the wire).
        amount: Money = MoneyMilliYuan16 => "amount_yuan",
    }
}

wire_struct! {
    /// One busy port in a time-of-use port report (0x8F).
    pub struct TouPortSample {
        /// Port, from 1.
        port: u8,
        /// The time-of-use class now in force.
        class: TouClassCode,
        /// Present power (whole watts on the wire).
        power: Power = PowerWatt16 => "power_w",
        /// Time charged so far.
        time: Seconds = DurationSecond32 => "time_s",
        /// Amount so far (0.001 yuan on the wire).
        amount: Money = MoneyMilliYuan16 => "amount_yuan",
        /// Usage per period, in class order: sharp, peak, flat, valley, deep.
        periods: [PeriodUsage; 5] = Each<PeriodUsage, 5> => "periods",
        /// Port temperature (whole °C on the wire).
        temperature: Temperature = TemperatureDegree8 => "temperature_c",
    }
}

wire_struct! {
    /// The head of a time-of-use port report (0x8F), before the per-port entries.
    pub struct TouPortDataHead {
        /// Number of entries that follow.
        busy_port_count: u8,
        /// Supply voltage (0.1 V on the wire).
        voltage: Voltage = VoltageDeciVolt16 => "voltage_v",
        /// Pile temperature (whole °C on the wire).
        temperature: Temperature = TemperatureDegree8 => "temperature_c",
        /// The price now in force, energy plus service (0.001 yuan/kWh on the wire).
        current_price: EnergyPrice = PriceMilliYuanPerKwh16 => "current_price_yuan_per_kwh",
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
            VoltageDeciVolt16::arbitrary(),
            TemperatureDegree8::arbitrary(),
            PriceMilliYuanPerKwh16::arbitrary(),
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
