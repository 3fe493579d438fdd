//! Exact quantities: money, energy, power, voltage, current, temperature and durations.
//!
//! Every quantity is an integer newtype with a declared scale, so arithmetic is exact and a bill
//! never drifts by a binary-float rounding error. Each dialect converts its own scaled wire fields
//! into these types exactly (see the `from_*` constructors), and each type prints the way a person
//! writes the value (`373.2 V`, `9.3280 yuan`).
//!
//! | Type | Unit of the inner integer | Typical source |
//! |---|---|---|
//! | [`Money`] | 0.0001 yuan | YKC amounts (×10⁴), balances (×10², fen) |
//! | [`EnergyPrice`] | 0.00001 yuan per kWh | YKC tariff rates (×10⁵) |
//! | [`Energy`] | 0.0001 kWh (0.1 Wh) | YKC ×10⁴, DNY 0.01 kWh, JUY 0.001 kWh |
//! | [`Power`] | 0.1 W | DNY 0.1 W, JUY W |
//! | [`Voltage`] | 0.1 V | YKC ×10, DNY 0.1 V |
//! | [`Current`] | 1 mA | YKC ×10 A, DNY mA |
//! | [`Temperature`] | 0.1 °C | YKC byte − 50, DNY byte − 65 |
//! | [`Seconds`], [`Minutes`] | 1 s, 1 min | durations |
//! | [`Permille`] | 0.1 % | state of charge at 0.1 % resolution |

use core::fmt;
use core::str::FromStr;

use crate::decimal;

/// The error of a conversion or arithmetic on a quantity that left its type's range, or of
/// parsing a quantity from text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UnitError {
    /// The result does not fit the quantity's integer range.
    #[error("value out of range for {quantity}")]
    Overflow {
        /// The quantity, e.g. `money`.
        quantity: &'static str,
    },
    /// The text is not a decimal number with at most the quantity's precision.
    #[error("`{text}` is not a valid {quantity} (at most {decimals} decimals)")]
    Parse {
        /// The quantity, e.g. `money`.
        quantity: &'static str,
        /// The text that was given.
        text: alloc::string::String,
        /// The number of decimals the quantity holds.
        decimals: u32,
    },
}

macro_rules! quantity {
    (
        $(#[$meta:meta])*
        $name:ident($inner:ty), decimals = $dec:expr, min_shown = $min:expr, unit = $unit:expr,
        quantity = $qname:expr
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub $inner);

        impl $name {
            /// Number of decimal digits the inner integer carries: the inner value is the
            /// quantity times 10 to this power.
            pub const DECIMALS: u32 = $dec;
            /// Zero.
            pub const ZERO: Self = Self(0);
            /// The unit symbol used by `Display`.
            pub const UNIT: &'static str = $unit;

            /// The raw scaled integer.
            #[inline]
            pub const fn raw(self) -> $inner {
                self.0
            }

            /// Converts a value given with `decimals` decimal digits (`raw / 10^decimals` in this
            /// quantity's unit), exactly. Fails when the value would need more precision than this
            /// type holds or does not fit.
            pub fn from_scaled(raw: i128, decimals: u32) -> Result<Self, UnitError> {
                decimal::rescale(raw, decimals, $dec)
                    .and_then(|v| <$inner>::try_from(v).ok())
                    .map(Self)
                    .ok_or(UnitError::Overflow { quantity: $qname })
            }

            /// The value rescaled to `decimals` decimal digits, if that is exact.
            pub fn to_scaled(self, decimals: u32) -> Option<i128> {
                decimal::rescale(i128::from(self.0), $dec, decimals)
            }

            /// Checked addition.
            #[inline]
            pub fn checked_add(self, rhs: Self) -> Option<Self> {
                self.0.checked_add(rhs.0).map(Self)
            }

            /// Checked subtraction.
            #[inline]
            pub fn checked_sub(self, rhs: Self) -> Option<Self> {
                self.0.checked_sub(rhs.0).map(Self)
            }

            /// Checked multiplication by an integer count.
            #[inline]
            pub fn checked_mul(self, rhs: $inner) -> Option<Self> {
                self.0.checked_mul(rhs).map(Self)
            }

            /// Saturating addition.
            #[inline]
            pub fn saturating_add(self, rhs: Self) -> Self {
                Self(self.0.saturating_add(rhs.0))
            }

            /// Saturating subtraction.
            #[inline]
            pub fn saturating_sub(self, rhs: Self) -> Self {
                Self(self.0.saturating_sub(rhs.0))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                decimal::write(f, i128::from(self.0), $dec, $min)?;
                if !$unit.is_empty() {
                    f.write_str(" ")?;
                    f.write_str($unit)?;
                }
                Ok(())
            }
        }

        impl FromStr for $name {
            type Err = UnitError;

            /// Parses a plain decimal number in the quantity's unit, e.g. `"373.2"` for volts.
            /// A trailing unit symbol is accepted.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let text = s.trim();
                let text = text.strip_suffix($unit).unwrap_or(text).trim_end();
                decimal::parse(text, $dec)
                    .and_then(|v| <$inner>::try_from(v).ok())
                    .map(Self)
                    .ok_or_else(|| UnitError::Parse {
                        quantity: $qname,
                        text: alloc::string::String::from(s),
                        decimals: $dec,
                    })
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                crate::canonical::serialize_decimal(i128::from(self.0), $dec, s)
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = crate::canonical::deserialize_decimal(d, $dec)?;
                <$inner>::try_from(v)
                    .map(Self)
                    .map_err(|_| serde::de::Error::custom(concat!($qname, " out of range")))
            }
        }
    };
}

quantity! {
    /// An amount of money in units of 0.0001 yuan (1/100 fen).
    ///
    /// Fine enough for YKC's four-decimal amounts; one fen is `Money(100)`, one yuan `Money(10_000)`.
    Money(i64), decimals = 4, min_shown = 4, unit = "yuan", quantity = "money"
}

quantity! {
    /// A price per kilowatt-hour in units of 0.00001 yuan/kWh, the precision of YKC tariff rates.
    EnergyPrice(i64), decimals = 5, min_shown = 5, unit = "yuan/kWh", quantity = "energy price"
}

quantity! {
    /// Energy in units of 0.0001 kWh (0.1 Wh).
    Energy(i64), decimals = 4, min_shown = 2, unit = "kWh", quantity = "energy"
}

quantity! {
    /// Power in units of 0.1 W.
    Power(i64), decimals = 1, min_shown = 1, unit = "W", quantity = "power"
}

quantity! {
    /// Voltage in units of 0.1 V.
    Voltage(i32), decimals = 1, min_shown = 1, unit = "V", quantity = "voltage"
}

quantity! {
    /// Current in milliamperes (0.001 A).
    Current(i32), decimals = 3, min_shown = 1, unit = "A", quantity = "current"
}

quantity! {
    /// Temperature in units of 0.1 °C.
    Temperature(i32), decimals = 1, min_shown = 1, unit = "°C", quantity = "temperature"
}

quantity! {
    /// A ratio in units of 0.1 % (per mille), e.g. a state of charge reported at 0.1 % resolution.
    Permille(i32), decimals = 1, min_shown = 1, unit = "%", quantity = "percentage"
}

quantity! {
    /// A duration in whole seconds.
    Seconds(u32), decimals = 0, min_shown = 0, unit = "s", quantity = "duration"
}

quantity! {
    /// A duration in whole minutes, as several protocols report it.
    Minutes(u32), decimals = 0, min_shown = 0, unit = "min", quantity = "duration"
}

impl Money {
    /// One fen (0.01 yuan).
    pub const FEN: Money = Money(100);
    /// One yuan.
    pub const YUAN: Money = Money(10_000);

    /// From whole fen (0.01 yuan), e.g. DNY amounts and YKC balances (×10²).
    #[inline]
    pub const fn from_fen(fen: i64) -> Self {
        Self(fen * 100)
    }

    /// From YKC's four-decimal amounts (yuan ×10⁴).
    #[inline]
    pub const fn from_ten_thousandths(v: i64) -> Self {
        Self(v)
    }

    /// Whole fen, if the amount is a whole number of fen.
    pub const fn as_fen(self) -> Option<i64> {
        if self.0 % 100 == 0 {
            Some(self.0 / 100)
        } else {
            None
        }
    }
}

impl EnergyPrice {
    /// From YKC's five-decimal rates (yuan/kWh ×10⁵).
    #[inline]
    pub const fn from_hundred_thousandths(v: i64) -> Self {
        Self(v)
    }
}

impl Energy {
    /// From units of 0.01 kWh (DNY, JUY before V1.1).
    #[inline]
    pub const fn from_centi_kwh(v: i64) -> Self {
        Self(v * 100)
    }

    /// From units of 0.001 kWh, i.e. watt-hours (JUY V1.1 and later).
    #[inline]
    pub const fn from_wh(v: i64) -> Self {
        Self(v * 10)
    }

    /// From units of 0.1 kWh (GB/T 27930 BMS fields).
    #[inline]
    pub const fn from_deci_kwh(v: i64) -> Self {
        Self(v * 1000)
    }
}

impl Power {
    /// From whole watts.
    #[inline]
    pub const fn from_watts(w: i64) -> Self {
        Self(w * 10)
    }

    /// Whole watts, truncated toward zero.
    #[inline]
    pub const fn whole_watts(self) -> i64 {
        self.0 / 10
    }
}

impl Current {
    /// From units of 0.1 A (YKC).
    #[inline]
    pub const fn from_deci_amps(v: i32) -> Self {
        Self(v * 100)
    }

    /// From units of 0.01 A.
    #[inline]
    pub const fn from_centi_amps(v: i32) -> Self {
        Self(v * 10)
    }
}

impl Temperature {
    /// From whole degrees Celsius.
    #[inline]
    pub const fn from_celsius(c: i32) -> Self {
        Self(c * 10)
    }

    /// From a byte with an offset, as piles send it: YKC uses offset 50 (`raw − 50 °C`), DNY
    /// offset 65.
    #[inline]
    pub const fn from_offset_byte(raw: u8, offset: i32) -> Self {
        Self((raw as i32 - offset) * 10)
    }

    /// Back to an offset byte, if the value is a whole degree in the byte's range.
    pub const fn to_offset_byte(self, offset: i32) -> Option<u8> {
        if self.0 % 10 != 0 {
            return None;
        }
        let v = self.0 / 10 + offset;
        if v < 0 || v > 255 {
            None
        } else {
            Some(v as u8)
        }
    }
}

impl Minutes {
    /// The same duration in seconds.
    #[inline]
    pub const fn to_seconds(self) -> Seconds {
        Seconds(self.0 * 60)
    }
}

impl Seconds {
    /// Whole minutes, truncated.
    #[inline]
    pub const fn whole_minutes(self) -> Minutes {
        Minutes(self.0 / 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn display_as_a_person_writes_it() {
        assert_eq!(Voltage(3732).to_string(), "373.2 V");
        assert_eq!(Money(93280).to_string(), "9.3280 yuan");
        assert_eq!(Money(-5).to_string(), "-0.0005 yuan");
        assert_eq!(Current(101_200).to_string(), "101.2 A");
        assert_eq!(Current(455).to_string(), "0.455 A");
        assert_eq!(Energy(88000).to_string(), "8.80 kWh");
        assert_eq!(Energy(1650).to_string(), "0.165 kWh");
        assert_eq!(EnergyPrice(200_000).to_string(), "2.00000 yuan/kWh");
        assert_eq!(
            Temperature::from_offset_byte(0x55, 65).to_string(),
            "20.0 °C"
        );
        assert_eq!(Temperature(-15).to_string(), "-1.5 °C");
        assert_eq!(Seconds(3600).to_string(), "3600 s");
    }

    #[test]
    fn dialect_scales_convert_exactly() {
        assert_eq!(Money::from_fen(356), Money(35_600));
        assert_eq!(Energy::from_centi_kwh(48), Energy(4_800));
        assert_eq!(Energy::from_wh(165), Energy(1_650));
        assert_eq!(Current::from_deci_amps(1012), Current(101_200));
        assert_eq!(Temperature::from_offset_byte(75, 50), Temperature(250));
        assert_eq!(Temperature(250).to_offset_byte(50), Some(75));
        assert_eq!(Temperature(255).to_offset_byte(50), None);
        assert_eq!(Energy::from_scaled(88, 1), Ok(Energy(88_000)));
        assert!(Energy::from_scaled(1, 5).is_err());
        assert_eq!(Energy(88_000).to_scaled(2), Some(880));
        assert_eq!(Energy(88_001).to_scaled(2), None);
    }

    #[test]
    fn parses_decimal_text() {
        assert_eq!("373.2".parse::<Voltage>(), Ok(Voltage(3732)));
        assert_eq!("1.5 yuan".parse::<Money>(), Ok(Money(15_000)));
        assert_eq!("-0.01".parse::<Money>(), Ok(Money(-100)));
        assert!("1.000001".parse::<Money>().is_err());
        assert!("abc".parse::<Money>().is_err());
        assert!("".parse::<Money>().is_err());
    }

    #[test]
    fn checked_arithmetic() {
        assert_eq!(Money(1).checked_add(Money(2)), Some(Money(3)));
        assert_eq!(Money(i64::MAX).checked_add(Money(1)), None);
        assert_eq!(Money(5).checked_mul(3), Some(Money(15)));
        assert_eq!(Minutes(2).to_seconds(), Seconds(120));
    }
}
