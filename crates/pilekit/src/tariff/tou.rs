//! Energy pricing with time-of-use classes over 48 half-hour slots. (The dialects' billing-model
//! tables convert to and from these plans in the `model` layer above, `model::billing`.)

use alloc::vec::Vec;

use super::TariffError;
use super::calendar::{CompiledCalendar, TouCalendar};
pub use crate::time::TouClass;
use crate::units::EnergyPrice;

/// The energy rate and the service rate of one time-of-use class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TouRate {
    /// The class these rates apply to.
    pub class: TouClass,
    /// Electricity price.
    #[cfg_attr(feature = "serde", serde(rename = "energy_yuan_per_kwh"))]
    pub energy: EnergyPrice,
    /// Service fee per kWh.
    #[cfg_attr(feature = "serde", serde(rename = "service_yuan_per_kwh"))]
    pub service: EnergyPrice,
}

/// Number of half-hour slots in a day.
pub const SLOTS: usize = 48;

/// Energy pricing by time of use: up to five classes with an energy and a service rate each, and
/// the class of each of the 48 half-hour slots of the local day (slot 0 is 00:00–00:30) —
/// the same every day, or by date from a [`TouCalendar`] (weekdays, weekends, holidays,
/// make-up working days and seasons, each with its own day table).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TouPlan {
    /// The rates of the classes the plan uses, one entry per class.
    pub rates: Vec<TouRate>,
    /// The class of each half-hour slot of every local day: exactly 48 entries; empty when
    /// the plan has a `calendar`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub slots: Vec<TouClass>,
    /// Day tables by date, in place of `slots`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub calendar: Option<TouCalendar>,
}

/// The rates of a validated time-of-use plan, indexed by class: the compact form billing-model
/// messages carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TouTable {
    /// The (energy, service) rates of each class in [`TouClass::ALL`] order; `None` for a class
    /// the plan does not list.
    pub rates: [Option<(EnergyPrice, EnergyPrice)>; 5],
    /// The class index ([`TouClass::index`]) of each half-hour slot.
    pub slots: [u8; SLOTS],
}

impl TouPlan {
    /// A plan with one rate pair all day (class flat).
    pub fn flat(energy: EnergyPrice, service: EnergyPrice) -> TouPlan {
        TouPlan {
            rates: alloc::vec![TouRate {
                class: TouClass::Flat,
                energy,
                service,
            }],
            slots: alloc::vec![TouClass::Flat; SLOTS],
            calendar: None,
        }
    }

    /// Checks the plan: 48 slots (or a valid calendar and no slots), each class at most once,
    /// every slot's class has a rate, no negative rate.
    pub fn validate(&self) -> Result<(), TariffError> {
        self.day_tables().map(|_| ())
    }

    /// The plan as a table indexed by class, validated: the one day table of a plan without a
    /// calendar. A plan with a calendar has no single day table
    /// ([`TariffError::CalendarNotOneDay`]); piles, which take one, cannot be sent it.
    pub fn table(&self) -> Result<TouTable, TariffError> {
        if self.calendar.is_some() {
            self.day_tables()?;
            return Err(TariffError::CalendarNotOneDay);
        }
        self.day_tables().map(|(t, _)| t)
    }

    /// The rates by class and the day tables, validated: the table of every day (its `slots`
    /// zero when the plan has a calendar) and the calendar's lookup form.
    #[inline]
    pub(crate) fn day_tables(&self) -> Result<(TouTable, Option<CompiledCalendar>), TariffError> {
        let rates = self.class_rates()?;
        if let Some(calendar) = &self.calendar {
            if !self.slots.is_empty() {
                return Err(TariffError::BadCalendar {
                    key: "slots".into(),
                    problem:
                        "a plan with a `calendar` takes its day tables from it, not from `slots`"
                            .into(),
                });
            }
            let compiled = calendar.compile(&rates.map(|r| r.is_some()))?;
            return Ok((
                TouTable {
                    rates,
                    slots: [0; SLOTS],
                },
                Some(compiled),
            ));
        }
        // One pass without early exit (it vectorises): the slots' class numbers and the set of
        // classes used; the slot of a class without a rate is looked for only if there is one.
        let mut slots = [0u8; SLOTS];
        let mut used = 0u8;
        for (out, c) in slots.iter_mut().zip(&self.slots) {
            *out = *c as u8;
            used |= 1 << (*c as u8);
        }
        let priced = rates
            .iter()
            .enumerate()
            .fold(0u8, |m, (i, r)| m | (u8::from(r.is_some()) << i));
        if used & !priced != 0 {
            for (i, c) in self.slots.iter().enumerate() {
                if rates[c.index()].is_none() {
                    return Err(TariffError::ClassWithoutRate { class: *c, slot: i });
                }
            }
        }
        Ok((TouTable { rates, slots }, None))
    }

    /// The (energy, service) rates of each class, checked: the slot count of a plan without a
    /// calendar first, then no negative rate and no class twice.
    #[inline]
    fn class_rates(&self) -> Result<[Option<(EnergyPrice, EnergyPrice)>; 5], TariffError> {
        if self.calendar.is_none() && self.slots.len() != SLOTS {
            return Err(TariffError::SlotCount {
                count: self.slots.len(),
            });
        }
        let mut rates = [None; 5];
        for r in &self.rates {
            if r.energy.0 < 0 || r.service.0 < 0 {
                return Err(TariffError::NegativePrice {
                    what: "time-of-use rate",
                });
            }
            let slot = &mut rates[r.class.index()];
            if slot.is_some() {
                return Err(TariffError::DuplicateClass { class: r.class });
            }
            *slot = Some((r.energy, r.service));
        }
        Ok(rates)
    }

    /// The rates of a class, if the plan has it.
    pub fn rate(&self, class: TouClass) -> Option<&TouRate> {
        self.rates.iter().find(|r| r.class == class)
    }

    /// Builds a plan from a table of (energy, service) rate pairs in [`TouClass::ALL`] order
    /// (the first `rates.len()` classes) and the class index of each half-hour slot. Every
    /// listed class is kept, used by a slot or not, so the conversion back is exact.
    pub fn from_class_table(
        rates: &[(EnergyPrice, EnergyPrice)],
        slot_classes: &[u8; SLOTS],
    ) -> Result<TouPlan, TariffError> {
        let mut slots = Vec::with_capacity(SLOTS);
        for (slot, &c) in slot_classes.iter().enumerate() {
            match TouClass::from_index(c) {
                Some(class) if class.index() < rates.len() => slots.push(class),
                _ => {
                    return Err(TariffError::UnknownClass {
                        index: c,
                        slot,
                        classes: rates.len(),
                    });
                }
            }
        }
        let rates = rates
            .iter()
            .zip(TouClass::ALL)
            .map(|(&(energy, service), class)| TouRate {
                class,
                energy,
                service,
            })
            .collect();
        let plan = TouPlan {
            rates,
            slots,
            calendar: None,
        };
        plan.validate()?;
        Ok(plan)
    }
}
