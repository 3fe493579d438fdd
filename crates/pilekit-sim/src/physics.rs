//! What a socket feeds: an e-bike charger and its battery, or an electric car. Integer units
//! throughout (power in 0.1 W, energy in 0.1 Wh, state of charge in ‰).
//!
//! An e-bike charger charges in three stages (`domain.md` §2.1): constant current while the
//! battery voltage rises, constant voltage while the current falls, then float. Its power is
//! a function of the battery's state of charge:
//!
//! ```text
//!  power
//!  rated ┤    ______________
//!        │ __/   CC         \            CV: falls linearly to the float power at 100 %
//!  90 %  ┤/                  \
//!        │                    \
//! float  ┤                     \________________  float (lead-acid ≈ 4 %, lithium ≈ 0.5 %)
//!        └────────────────────┬──────────────────► state of charge
//!                           cv_start         100 %
//! ```
//!
//! Cars charge with the curve of their pile: AC at the on-board charger's power until 95 %,
//! DC at the pile's power until 80 %, then tapering.

use pilekit::units::{Energy, Power};

use crate::rng::Rng;

/// The battery's chemistry, which sets where constant voltage begins and how much a full
/// battery still draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Chemistry {
    /// Lead-acid: constant voltage from 80 %, then a float of about 4 % of the rated power.
    LeadAcid,
    /// Lithium: constant voltage from 90 %, then the charger all but switches off.
    Lithium,
}

/// How a charger misbehaves, if it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quirk {
    /// An honest charger and battery.
    None,
    /// A charger that draws more than a socket may give (a modified or car-sized charger).
    OverPower,
    /// An old or leaking battery that never reads full: the power never falls below a third
    /// of the rated power.
    NeverFull,
}

/// An e-bike charger plugged into a socket, with the battery behind it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Charger {
    /// Chemistry of the battery.
    pub chemistry: Chemistry,
    /// Nominal battery voltage (36–72 V).
    pub nominal_v: u32,
    /// The charger's rated power in constant current.
    pub rated: Power,
    /// Battery capacity.
    pub capacity: Energy,
    /// State of charge, ‰.
    pub soc_permille: u32,
    /// How it misbehaves.
    pub quirk: Quirk,
    /// Energy stored, in 0.1 W·s, of the current ‰ of charge (carried between steps so that no
    /// energy is lost to rounding).
    stored_ws: i64,
}

/// The share of the energy drawn that ends up in the battery, in %.
const fn efficiency(chemistry: Chemistry) -> i64 {
    match chemistry {
        Chemistry::LeadAcid => 80,
        Chemistry::Lithium => 92,
    }
}

impl Charger {
    /// A charger of `rated` power for a battery of `nominal_v` and `capacity`, at `soc_permille`.
    pub fn new(
        chemistry: Chemistry,
        nominal_v: u32,
        rated: Power,
        capacity: Energy,
        soc_permille: u32,
        quirk: Quirk,
    ) -> Self {
        Charger {
            chemistry,
            nominal_v,
            rated,
            capacity,
            soc_permille: soc_permille.min(1000),
            quirk,
            stored_ws: 0,
        }
    }

    /// A charger and battery as residents bring them: lead-acid or lithium, 36–72 V, 0.1–0.2 C
    /// (60–400 W), a few over-power chargers and batteries that never read full.
    pub fn random(rng: &mut Rng) -> Charger {
        let lithium = rng.chance(350);
        let volts = [36u32, 48, 60, 72][rng.weighted(&[15, 50, 25, 10])];
        let ah = if lithium {
            rng.range(12, 30)
        } else {
            [12i64, 20, 32][rng.weighted(&[30, 55, 15])]
        };
        // Chargers give 0.1–0.2 C: 60–400 W.
        let amps_tenths = ah * rng.range(10, 20) / 10;
        let rated_w = (i64::from(volts) * amps_tenths * 12 / 10).clamp(60, 400);
        let quirk = match rng.below(1000) {
            0..=9 => Quirk::OverPower,
            10..=39 => Quirk::NeverFull,
            _ => Quirk::None,
        };
        let rated = if quirk == Quirk::OverPower {
            Power::from_watts(2_300)
        } else {
            Power::from_watts(rated_w)
        };
        Charger::new(
            if lithium {
                Chemistry::Lithium
            } else {
                Chemistry::LeadAcid
            },
            volts,
            rated,
            Energy::from_wh(i64::from(volts) * ah),
            rng.range(100, 600) as u32,
            quirk,
        )
    }

    /// Where constant voltage begins, ‰ of charge.
    pub const fn cv_start(&self) -> u32 {
        match self.chemistry {
            Chemistry::LeadAcid => 800,
            Chemistry::Lithium => 900,
        }
    }

    /// What a full battery still draws.
    pub const fn float_power(&self) -> Power {
        match self.chemistry {
            Chemistry::LeadAcid => Power(self.rated.0 * 4 / 100),
            Chemistry::Lithium => Power(self.rated.0 * 5 / 1000),
        }
    }

    /// The power drawn now.
    pub fn power(&self) -> Power {
        let rated = self.rated.0;
        let soc = i64::from(self.soc_permille);
        let cv = i64::from(self.cv_start());
        let float = self.float_power().0;
        let p = if soc < cv {
            // The current is constant while the voltage rises: 90 % of the rated power at 0 %,
            // the full rated power where constant voltage begins.
            rated * (900 + 100 * soc / cv) / 1000
        } else if soc < 1000 {
            float + (rated - float) * (1000 - soc) / (1000 - cv)
        } else {
            float
        };
        match self.quirk {
            Quirk::NeverFull => Power(p.max(rated / 3)),
            _ => Power(p),
        }
    }

    /// Charges for `seconds` (in steps of at most a minute, so the stages follow the charge),
    /// returning the energy drawn from the socket in 0.1 W·s.
    pub fn charge(&mut self, seconds: u32) -> i64 {
        let mut left = seconds;
        let mut drawn = 0i64;
        // 1 ‰ of the capacity, in 0.1 W·s (capacity is in 0.1 Wh).
        let per_permille = (self.capacity.0 * 3600 / 1000).max(1);
        while left > 0 {
            let step = left.min(60);
            let p = self.power().0;
            let ws = p * i64::from(step);
            drawn += ws;
            if self.soc_permille < 1000 {
                self.stored_ws += ws * efficiency(self.chemistry) / 100;
                let gained = self.stored_ws / per_permille;
                self.stored_ws %= per_permille;
                self.soc_permille = (self.soc_permille + gained as u32).min(1000);
            }
            left -= step;
        }
        drawn
    }
}

/// How a car pile delivers power.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CarCurve {
    /// AC: the car's on-board charger takes its power until 95 %, then tapers to 10 % of it.
    Ac,
    /// DC: the pile's power until 80 %, then tapering to 10 % of it at 100 %.
    Dc,
}

/// An electric car plugged into a car pile.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Car {
    /// The pile's curve.
    pub curve: CarCurve,
    /// The most the pile (DC) or the on-board charger (AC) gives.
    pub max: Power,
    /// Battery capacity.
    pub capacity: Energy,
    /// State of charge, ‰.
    pub soc_permille: u32,
    /// The state of charge at which the car ends the charge, ‰.
    pub target_permille: u32,
    stored_ws: i64,
}

impl Car {
    /// A car with a battery of `capacity` at `soc_permille`, charged to `target_permille`.
    pub fn new(
        curve: CarCurve,
        max: Power,
        capacity: Energy,
        soc_permille: u32,
        target_permille: u32,
    ) -> Self {
        Car {
            curve,
            max,
            capacity,
            soc_permille: soc_permille.min(1000),
            target_permille: target_permille.clamp(1, 1000),
            stored_ws: 0,
        }
    }

    /// Whether the car has reached its target.
    pub fn done(&self) -> bool {
        self.soc_permille >= self.target_permille
    }

    /// The power drawn now (zero once the target is reached).
    pub fn power(&self) -> Power {
        if self.done() {
            return Power::ZERO;
        }
        let max = self.max.0;
        let soc = i64::from(self.soc_permille);
        let knee = match self.curve {
            CarCurve::Ac => 950,
            CarCurve::Dc => 800,
        };
        if soc < knee {
            Power(max)
        } else {
            let floor = max / 10;
            Power(floor + (max - floor) * (1000 - soc) / (1000 - knee))
        }
    }

    /// Charges for `seconds` (steps of at most 15 s), returning the energy drawn in 0.1 W·s.
    pub fn charge(&mut self, seconds: u32) -> i64 {
        let per_permille = (self.capacity.0 * 3600 / 1000).max(1);
        let mut left = seconds;
        let mut drawn = 0;
        while left > 0 && !self.done() {
            let step = left.min(15);
            let ws = self.power().0 * i64::from(step);
            drawn += ws;
            self.stored_ws += ws * 94 / 100;
            let gained = self.stored_ws / per_permille;
            self.stored_ws %= per_permille;
            self.soc_permille = (self.soc_permille + gained as u32).min(1000);
            left -= step;
        }
        drawn
    }
}

/// Energy of an amount of 0.1 W·s (rounded down to 0.1 Wh).
pub const fn energy_of(ws: i64) -> Energy {
    Energy(ws / 3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bike(chemistry: Chemistry, quirk: Quirk) -> Charger {
        // 48 V 20 Ah: 960 Wh, a 240 W charger, from 20 %.
        Charger::new(
            chemistry,
            48,
            Power::from_watts(240),
            Energy::from_wh(960),
            200,
            quirk,
        )
    }

    #[test]
    fn lead_acid_runs_cc_cv_float_with_the_stated_powers() {
        let mut c = bike(Chemistry::LeadAcid, Quirk::None);
        // CC at 20 %: 90 % + 10 % × 200/800 of 240 W = 222 W.
        assert_eq!(c.power(), Power(2220));
        // At the start of CV: the full 240 W.
        c.soc_permille = 800;
        assert_eq!(c.power(), Power(2400));
        // Halfway through CV: float 9.6 W + (240 − 9.6) × 100/200 = 124.8 W.
        c.soc_permille = 900;
        assert_eq!(c.power(), Power(1248));
        // Full: the float of 4 %.
        c.soc_permille = 1000;
        assert_eq!(c.power(), Power(96));
    }

    #[test]
    fn lithium_floats_at_half_a_percent() {
        let mut c = bike(Chemistry::Lithium, Quirk::None);
        c.soc_permille = 1000;
        assert_eq!(c.power(), Power(12));
        c.soc_permille = 950;
        // 1.2 W + (240 − 1.2) × 50/100 = 120.6 W.
        assert_eq!(c.power(), Power(1206));
    }

    #[test]
    fn a_lead_acid_charge_from_20_percent_takes_hours_and_fills() {
        let mut c = bike(Chemistry::LeadAcid, Quirk::None);
        let mut drawn = 0;
        let mut minutes = 0;
        while c.soc_permille < 1000 && minutes < 24 * 60 {
            drawn += c.charge(60);
            minutes += 1;
        }
        // 768 Wh to store at 80 % efficiency: about 960 Wh drawn, in six and a half hours
        // (the last fifth in constant voltage takes half of it).
        assert_eq!(minutes, 384);
        let wh = energy_of(drawn).0 / 10;
        assert!((940..=980).contains(&wh), "{wh} Wh");
        // Then float at 9.6 W: an hour adds 9.6 Wh.
        assert_eq!(c.charge(3600), 96 * 3600);
    }

    #[test]
    fn a_battery_that_never_reads_full_keeps_a_third_of_the_power() {
        let mut c = bike(Chemistry::LeadAcid, Quirk::NeverFull);
        c.soc_permille = 1000;
        assert_eq!(c.power(), Power(800));
    }

    #[test]
    fn cars_follow_their_curves() {
        let mut dc = Car::new(
            CarCurve::Dc,
            Power::from_watts(60_000),
            Energy::from_wh(60_000),
            200,
            950,
        );
        assert_eq!(dc.power(), Power(600_000));
        dc.soc_permille = 900;
        // 6 kW + 54 kW × 100/200 = 33 kW.
        assert_eq!(dc.power(), Power(330_000));
        let mut minutes = 0;
        dc.soc_permille = 200;
        while !dc.done() {
            dc.charge(60);
            minutes += 1;
        }
        assert!((45..=75).contains(&minutes), "{minutes} min");
        assert_eq!(dc.power(), Power::ZERO);
        let ac = Car::new(
            CarCurve::Ac,
            Power::from_watts(7_000),
            Energy::from_wh(50_000),
            960,
            1000,
        );
        // 0.7 kW + 6.3 kW × 40/50 = 5.74 kW.
        assert_eq!(ac.power(), Power(57_400));
    }
}
