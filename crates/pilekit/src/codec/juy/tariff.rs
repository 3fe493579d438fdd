//! The time-of-use tariff (0x8D set, 0x8E query): five classes (sharp, peak, flat, valley,
//! deep), each with an energy rate and a service rate, over 48 half-hour slots.

use alloc::vec::Vec;

use super::super::error::{DecodeError, EncodeError};
use super::super::fields::HalfHourSlots;
use super::super::wire::{Reader, Wire, Writer};
use super::codecs::PriceMilliYuanPerKwh16;
use crate::units::EnergyPrice;
use crate::{open_enum, wire_struct};

/// Number of half-hour slots in a day.
pub const SLOTS: usize = 48;

/// The most rate pairs a tariff carries (one per class).
pub const MAX_RATES: usize = 5;

open_enum! {
    /// A time-of-use class code ([`TouClass`](crate::time::TouClass) by index). Class *n* selects the *n*-th rate pair of the tariff; the reference
    /// misspells the list ("0 sharp, 1 peak, 2 peak, 3 flat, 4 deep"), this is the order of its
    /// rate pairs.
    pub enum TouClassCode: u8 {
        /// 尖, rate pair 0.
        Sharp = 0 => "sharp",
        /// 峰, rate pair 1.
        Peak = 1 => "peak",
        /// 平, rate pair 2.
        Flat = 2 => "flat",
        /// 谷, rate pair 3.
        Valley = 3 => "valley",
        /// 深谷, rate pair 4.
        DeepValley = 4 => "deep_valley",
    }
}

impl TouClassCode {
    /// The index of this class's rate pair in [`TouTariff::rates`].
    pub const fn rate_index(self) -> usize {
        self.code() as usize
    }

    /// The time-of-use class of the code, if it is one of the five.
    pub fn class(self) -> Option<crate::time::TouClass> {
        crate::time::TouClass::from_index(self.code())
    }
}

open_enum! {
    /// How the pile bills under the time-of-use tariff.
    pub enum TouMode: u8 {
        /// Time-of-use billing off.
        Off = 0 => "off",
        /// Energy billed by time-of-use class.
        Energy = 1 => "energy",
        /// Energy plus a time-based service fee.
        EnergyPlusTimeService = 2 => "energy_plus_time_service",
    }
}

wire_struct! {
    /// The rates of one class, both per kWh (0.001 yuan/kWh on the wire).
    #[derive(Copy, Default)]
    pub struct TouRate {
        /// Electricity rate.
        energy: EnergyPrice = PriceMilliYuanPerKwh16 => "energy_yuan_per_kwh",
        /// Service rate.
        service: EnergyPrice = PriceMilliYuanPerKwh16 => "service_yuan_per_kwh",
    }
}

wire_struct! {
    /// 0x8D up: the pile's answer to a tariff set.
    #[derive(Copy, Default)]
    pub struct SetTouTariffReply {
        /// 0 when the tariff was taken.
        result: u8,
    }
}

/// The class of each half-hour slot: slot 0 is 00:00–00:30, slot 47 is 23:30–24:00. Each value
/// is a raw class code ([`TouClassCode`]), an index into the tariff's rates.
pub type TouSlots = HalfHourSlots;

impl TouTariff {
    /// The class of slot `slot` (0–47).
    pub fn class(&self, slot: usize) -> Option<TouClassCode> {
        self.slots.0.get(slot).map(|&c| TouClassCode::from_code(c))
    }

    /// The class in force at `minute_of_day` (0–1439).
    pub fn class_at_minute(&self, minute_of_day: u32) -> Option<TouClassCode> {
        self.class((minute_of_day / 30) as usize)
    }
}

/// The time-of-use tariff: the platform's set (0x8D down) and the pile's answer to a query
/// (0x8E up).
///
/// The reference's examples carry four rate pairs (a 66-byte body) or five (70 bytes); the body
/// length tells which, and `rates` holds as many as came (at most [`MAX_RATES`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TouTariff {
    /// Off, energy, or energy plus time service fee.
    pub mode: TouMode,
    /// Rates in class order: sharp, peak, flat, valley, deep.
    pub rates: Vec<TouRate>,
    /// Line-loss ratio (unsupported by the pile).
    pub loss_ratio: u8,
    /// The class of each half-hour slot.
    pub slots: TouSlots,
}

impl TouTariff {
    /// Body length without the rate pairs.
    pub(crate) const FIXED_LEN: usize = 1 + 1 + SLOTS;

    /// The number of rate pairs a body of `len` bytes holds, if it is a tariff body.
    pub(crate) fn rate_count(len: usize) -> Option<usize> {
        let rates = len.checked_sub(Self::FIXED_LEN)?;
        (rates % TouRate::BODY_LEN == 0 && rates / TouRate::BODY_LEN <= MAX_RATES)
            .then_some(rates / TouRate::BODY_LEN)
    }

    /// The rates of a class, if the tariff carries them.
    pub fn rate(&self, class: TouClassCode) -> Option<&TouRate> {
        self.rates.get(class.rate_index())
    }

    /// Reads the body (the reader spans exactly this message's bytes).
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let count = Self::rate_count(r.remaining()).unwrap_or(MAX_RATES);
        let mode = r.field("mode", <TouMode as Wire>::read)?;
        let mut rates = Vec::with_capacity(count);
        for _ in 0..count {
            rates.push(r.field("rates", <TouRate as Wire>::read)?);
        }
        let loss_ratio = r.field("loss_ratio", <u8 as Wire>::read)?;
        let slots = r.field("slots", <TouSlots as Wire>::read)?;
        Ok(Self {
            mode,
            rates,
            loss_ratio,
            slots,
        })
    }

    /// Writes the body.
    pub(crate) fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        if self.rates.len() > MAX_RATES {
            return Err(EncodeError::NotRepresentable {
                field: "rates",
                value: alloc::format!("{}", self.rates.len()),
                reason: "at most 5 rate pairs",
            });
        }
        w.u8(self.mode.code());
        for rate in &self.rates {
            w.field("rates", |w| rate.write(w))?;
        }
        w.u8(self.loss_ratio);
        self.slots.write(w)
    }

    #[cfg(test)]
    pub(crate) fn arbitrary() -> proptest::strategy::BoxedStrategy<Self> {
        use proptest::strategy::Strategy;
        (
            <TouMode as Wire>::arbitrary(),
            proptest::collection::vec(<TouRate as Wire>::arbitrary(), 0..=MAX_RATES),
            proptest::arbitrary::any::<u8>(),
            <TouSlots as Wire>::arbitrary(),
        )
            .prop_map(|(mode, rates, loss_ratio, slots)| Self {
                mode,
                rates,
                loss_ratio,
                slots,
            })
            .boxed()
    }
}
