//! What a session used: its start and end, and what is known of its power and energy.

use alloc::vec::Vec;

use super::TariffError;
use super::calendar::DayTables;
use super::rounding::RoundingMode;
use super::tou::{SLOTS, TouClass};
use crate::time::UtcOffset;
use crate::units::{Energy, Power};

/// The earliest time a usage may carry: 1970-01-01T00:00:00Z, in Unix seconds.
pub const MIN_TIME_UNIX_S: i64 = 0;

/// The latest time a usage may carry: 9999-12-31T23:59:59Z, in Unix seconds.
pub const MAX_TIME_UNIX_S: i64 = 253_402_300_799;

/// The longest session a bill prices: 400 days, in seconds.
pub const MAX_SESSION_S: u64 = 400 * 86_400;

/// One reading of a port during a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Sample {
    /// When it was taken, in Unix seconds.
    #[cfg_attr(feature = "serde", serde(rename = "at_unix_s"))]
    pub at: i64,
    /// The power at that moment; it holds until the next sample.
    #[cfg_attr(feature = "serde", serde(rename = "power_w"))]
    pub power: Power,
    /// The energy delivered since the session started, if the pile reports it.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            rename = "energy_kwh",
            skip_serializing_if = "Option::is_none"
        )
    )]
    pub energy: Option<Energy>,
}

/// The usage of one session, as much of it as is known.
///
/// Samples may come in any order and repeat; they are sorted by time (and, for equal times,
/// by value, the largest winning) before use, so the bill does not depend on their order.
/// What is known is used in this order of preference: per-class energies (a YKC 0x3B record),
/// then the total energy, then energy readings in the samples, then the energy integrated from
/// the power samples (or the constant `power`).
///
/// A time-of-use bill splits the energy among the classes by a cumulative profile of the
/// session: the meter readings interpolated linearly between readings, else the power integral,
/// else the elapsed time. At each slot boundary the profile is taken exactly (a fraction),
/// scaled to the total energy when one is given, and truncated to 0.0001 kWh once; a class
/// gets the difference of its boundaries, so the classes add up to the total exactly. An
/// energy too large for that exact arithmetic is refused with [`TariffError::Overflow`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Usage {
    /// Start, in Unix seconds.
    #[cfg_attr(feature = "serde", serde(rename = "start_unix_s"))]
    pub start: i64,
    /// End, in Unix seconds.
    #[cfg_attr(feature = "serde", serde(rename = "end_unix_s"))]
    pub end: i64,
    /// A constant power for the whole session, used when there are no samples.
    #[cfg_attr(
        feature = "serde",
        serde(default, rename = "power_w", skip_serializing_if = "Option::is_none")
    )]
    pub power: Option<Power>,
    /// The total energy delivered, if known.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            rename = "energy_kwh",
            skip_serializing_if = "Option::is_none"
        )
    )]
    pub energy: Option<Energy>,
    /// Power (and energy) samples, any order, duplicates allowed.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub samples: Vec<Sample>,
    /// Energy per time-of-use class (sharp, peak, flat, valley, deep valley), as a YKC 0x3B
    /// transaction record or a JUY 0x85 settlement reports it.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            rename = "class_energy_kwh",
            skip_serializing_if = "Option::is_none"
        )
    )]
    pub class_energy: Option<[Energy; 5]>,
}

impl Usage {
    /// A session from `start` to `end` (Unix seconds) with nothing else known.
    pub fn new(start: i64, end: i64) -> Usage {
        Usage {
            start,
            end,
            ..Usage::default()
        }
    }

    /// With a constant power.
    pub fn with_power(mut self, power: Power) -> Usage {
        self.power = Some(power);
        self
    }

    /// With the total energy.
    pub fn with_energy(mut self, energy: Energy) -> Usage {
        self.energy = Some(energy);
        self
    }

    /// With samples.
    pub fn with_samples(mut self, samples: Vec<Sample>) -> Usage {
        self.samples = samples;
        self
    }

    /// A usage measured per time-of-use class, as piles that bill by class report it: start,
    /// end and the energy of each class in [`TouClass::ALL`] order (sharp, peak, flat, valley,
    /// deep valley).
    ///
    /// [`TouClass::ALL`]: super::TouClass::ALL
    pub fn from_class_energy(start: i64, end: i64, energy: [Energy; 5]) -> Usage {
        Usage {
            start,
            end,
            class_energy: Some(energy),
            ..Usage::default()
        }
    }

    /// The duration in seconds, after [`validate`](Self::validate).
    pub fn duration_s(&self) -> Result<u64, TariffError> {
        self.validate()?;
        u64::try_from(self.end - self.start).map_err(|_| TariffError::EndBeforeStart {
            start: self.start,
            end: self.end,
        })
    }

    /// Checks what a bill relies on: every time within [`MIN_TIME_UNIX_S`]..=[`MAX_TIME_UNIX_S`]
    /// (years 1970 to 9999), the end not before the start, a session of at most
    /// [`MAX_SESSION_S`] (400 days), and no negative power or energy anywhere.
    pub fn validate(&self) -> Result<(), TariffError> {
        self.validate_fast().map(|_| ())
    }

    /// [`validate`](Self::validate) in one branch-light pass over the samples, which also tells
    /// whether their times strictly increase (so they can be used without sorting); the
    /// precise error is looked for only when the pass finds one.
    pub(crate) fn validate_fast(&self) -> Result<SamplesChecked, TariffError> {
        // The sign bit of `signs` collects a negative power or energy; `latest` a time below 0
        // (MIN_TIME_UNIX_S) or above MAX_TIME_UNIX_S.
        const _: () = assert!(MIN_TIME_UNIX_S == 0);
        let mut signs = 0i64;
        // the largest time read as unsigned: a negative time is then above MAX_TIME_UNIX_S too
        let mut latest = 0u64;
        let mut increasing = true;
        let mut readings = false;
        let mut prev = i64::MIN;
        for s in &self.samples {
            latest = latest.max(s.at as u64);
            let mut bits = s.power.0;
            if let Some(e) = s.energy {
                bits |= e.0;
                readings = true;
            }
            signs |= bits;
            increasing &= s.at > prev;
            prev = s.at;
        }
        if signs < 0 || latest > MAX_TIME_UNIX_S as u64 {
            self.validate_slow()?;
        }
        // The samples are fine: the other checks, in the same order.
        self.validate_session(&[])?;
        Ok(SamplesChecked {
            increasing,
            readings,
        })
    }

    /// [`validate_fast`](Self::validate_fast) and the stats of the session
    /// ([`Timeline::stats_with`], calling `f` for each slice of constant power) in one pass,
    /// for samples whose times strictly increase, as piles send them. `INTEGRAL` tells whether
    /// the power integral and the last reading are wanted (else they are zero and none).
    ///
    /// `Ok(None)` when this pass cannot tell: samples out of order or at one time, a negative
    /// value, a time out of range, or a power integral beyond 64 bits. The caller then
    /// validates, sorts and takes the stats the general way, with `f`'s state started afresh.
    /// An error is the one [`validate_fast`](Self::validate_fast) gives.
    pub(crate) fn scan_increasing<const INTEGRAL: bool>(
        &self,
        mut f: impl FnMut(i64, i64, Power),
    ) -> Result<Option<(SamplesChecked, Stats)>, TariffError> {
        let samples = self.samples.as_slice();
        let (start, end) = (self.start, self.end);
        // The sign bit of `bad` collects a negative power or energy, a negative time, a time
        // after MAX_TIME_UNIX_S, or a time not after the one before. Wrapping arithmetic, so
        // that any input runs through; the values are exact whenever `bad` stays clear.
        const _: () = assert!(MIN_TIME_UNIX_S == 0);
        let value_bits = |s: &Sample| s.power.0 | s.energy.map_or(0, |e| e.0);
        let mut bad = 0i64;
        let mut readings = false;
        let mut i = 0;
        let mut prev = -1i64;
        // at or before the start: the last one gives the power at the start
        while let Some(s) = samples.get(i)
            && s.at <= start
        {
            bad |= s.at | s.at.wrapping_sub(prev).wrapping_sub(1) | value_bits(s);
            readings |= s.energy.is_some();
            prev = s.at;
            i += 1;
        }
        let p0 = match i.checked_sub(1).and_then(|j| samples.get(j)) {
            Some(s) => s.power,
            None => samples
                .first()
                .map_or(self.power.unwrap_or(Power::ZERO), |s| s.power),
        };
        let first = i;
        // Within the session each sample starts a slice. Where the session ends is looked up
        // as if the samples were in order: the checks below find out if they are not (the
        // times on both sides of that point included), and then nothing of this pass is used.
        let rest = &samples[first..];
        let inside = &rest[..rest.partition_point(|s| s.at < end)];
        let mut t = start;
        let mut power = p0;
        let mut peak = p0;
        let mut integral = 0i64;
        for s in inside {
            let dt = s.at.wrapping_sub(t);
            // With no time negative, `dt` is exact, so a time not after the one before is
            // found; then all increase, and a time within the session is within range when
            // the start and the end are, which `validate_session` checks below.
            bad |= s.at | dt.wrapping_sub(1) | s.power.0;
            if let Some(e) = s.energy {
                bad |= e.0;
                readings = true;
            }
            if INTEGRAL {
                integral = integral.wrapping_add(power.0.wrapping_mul(dt));
            }
            f(t, s.at, power);
            t = s.at;
            power = s.power;
            peak = peak.max(power);
        }
        i = first + inside.len();
        if end > t {
            if INTEGRAL {
                integral = integral.wrapping_add(power.0.wrapping_mul(end.wrapping_sub(t)));
            }
            f(t, end, power);
        }
        // at or after the end
        prev = t;
        for s in &samples[i..] {
            bad |= s.at
                | MAX_TIME_UNIX_S.wrapping_sub(s.at)
                | s.at.wrapping_sub(prev).wrapping_sub(1)
                | value_bits(s);
            readings |= s.energy.is_some();
            prev = s.at;
        }
        if bad < 0 {
            return Ok(None);
        }
        // The samples are fine: the other checks, in the same order.
        self.validate_session(&[])?;
        // Every power is at most the peak and not negative: the integral fits 64 bits when the
        // peak times the duration does.
        if INTEGRAL && peak.0.checked_mul(end - start).is_none() {
            return Ok(None);
        }
        let last_reading = if INTEGRAL && readings {
            samples[first..]
                .iter()
                .take_while(|s| s.at <= end)
                .filter_map(|s| s.energy)
                .max()
        } else {
            None
        };
        let has_power = !samples.is_empty() || self.power.is_some();
        Ok(Some((
            SamplesChecked {
                increasing: true,
                readings,
            },
            Stats {
                peak: has_power.then_some(peak),
                integral: i128::from(integral),
                has_readings: readings,
                last_reading,
            },
        )))
    }

    /// Every check of [`validate`](Self::validate), in the order their errors are reported.
    fn validate_slow(&self) -> Result<(), TariffError> {
        self.validate_session(&self.samples)?;
        let negative_power = |p: Power| p.0 < 0;
        let negative_energy = |e: Energy| e.0 < 0;
        for s in &self.samples {
            if negative_power(s.power) {
                return Err(TariffError::NegativeUsage {
                    what: "sample power",
                });
            }
            if s.energy.is_some_and(negative_energy) {
                return Err(TariffError::NegativeUsage {
                    what: "sample energy",
                });
            }
        }
        Ok(())
    }

    /// The checks of the session itself, with the times of `samples` checked after its own.
    fn validate_session(&self, samples: &[Sample]) -> Result<(), TariffError> {
        for at in [self.start, self.end]
            .into_iter()
            .chain(samples.iter().map(|s| s.at))
        {
            if !(MIN_TIME_UNIX_S..=MAX_TIME_UNIX_S).contains(&at) {
                return Err(TariffError::TimeOutOfRange { at });
            }
        }
        let Ok(duration) = u64::try_from(self.end - self.start) else {
            return Err(TariffError::EndBeforeStart {
                start: self.start,
                end: self.end,
            });
        };
        if duration > MAX_SESSION_S {
            return Err(TariffError::SessionTooLong {
                duration_s: duration,
                max_s: MAX_SESSION_S,
            });
        }
        let negative_power = |p: Power| p.0 < 0;
        let negative_energy = |e: Energy| e.0 < 0;
        if self.power.is_some_and(negative_power) {
            return Err(TariffError::NegativeUsage { what: "power" });
        }
        if self.energy.is_some_and(negative_energy) {
            return Err(TariffError::NegativeUsage { what: "energy" });
        }
        if self
            .class_energy
            .is_some_and(|c| c.into_iter().any(negative_energy))
        {
            return Err(TariffError::NegativeUsage {
                what: "class energy",
            });
        }
        Ok(())
    }

    /// The samples sorted and deduplicated: borrowed when already so, else sorted into `buf`.
    pub(crate) fn sorted_samples<'a>(&'a self, buf: &'a mut Vec<Sample>) -> &'a [Sample] {
        let increasing = self.samples.windows(2).all(|w| w[0].at < w[1].at);
        self.sorted_samples_if(increasing, buf)
    }

    /// [`sorted_samples`](Self::sorted_samples) knowing whether the times strictly increase
    /// (as [`validate_fast`](Self::validate_fast) tells).
    pub(crate) fn sorted_samples_if<'a>(
        &'a self,
        increasing: bool,
        buf: &'a mut Vec<Sample>,
    ) -> &'a [Sample] {
        // Strictly increasing times imply sorted and free of duplicates.
        if increasing {
            return &self.samples;
        }
        buf.clear();
        buf.extend_from_slice(&self.samples);
        buf.sort_unstable();
        buf.dedup();
        buf
    }
}

/// What validating a usage tells of its samples.
#[derive(Clone, Copy)]
pub(crate) struct SamplesChecked {
    /// Their times strictly increase: sorted, without duplicates.
    pub(crate) increasing: bool,
    /// Some sample carries an energy reading.
    pub(crate) readings: bool,
}

/// The power timeline of a session: sorted samples, the session bounds and a fallback power.
#[derive(Clone, Copy)]
pub(crate) struct Timeline<'a> {
    pub(crate) samples: &'a [Sample],
    pub(crate) start: i64,
    pub(crate) end: i64,
    pub(crate) power: Option<Power>,
    /// Whether any sample carries an energy reading.
    pub(crate) readings: bool,
    /// Whether the sample times strictly increase (no two samples at one time).
    pub(crate) strict: bool,
}

impl Timeline<'_> {
    /// Whether any power is known.
    pub(crate) fn has_power(&self) -> bool {
        !self.samples.is_empty() || self.power.is_some()
    }

    /// The index of the first sample after the start, and the power in force at the start.
    ///
    /// Before the first sample, the first sample's power holds; of several samples at that
    /// time, the largest (the last after sorting), the same rule as everywhere else.
    fn initial(&self) -> (usize, Power) {
        // Samples usually begin after the start, one per time: no search is needed then.
        if let Some(first) = self.samples.first()
            && first.at > self.start
            && self.samples.get(1).is_none_or(|s| s.at > first.at)
        {
            return (0, first.power);
        }
        let first_after = self.samples.partition_point(|s| s.at <= self.start);
        let power = match first_after.checked_sub(1) {
            Some(i) => self.samples[i].power,
            None => match self.samples.first() {
                Some(first) => {
                    let same_time = self.samples.partition_point(|s| s.at <= first.at);
                    self.samples[same_time - 1].power
                }
                None => self.power.unwrap_or(Power::ZERO),
            },
        };
        (first_after, power)
    }

    /// Calls `f(from, to, power)` for each slice of constant power in the session, in order.
    pub(crate) fn for_each_slice(&self, mut f: impl FnMut(i64, i64, Power)) {
        let (mut i, mut power) = self.initial();
        let mut t = self.start;
        while i < self.samples.len() && self.samples[i].at < self.end {
            let s = self.samples[i];
            if s.at > t {
                f(t, s.at, power);
                t = s.at;
            }
            power = s.power;
            i += 1;
        }
        if self.end > t {
            f(t, self.end, power);
        }
    }

    /// The peak power, the power integral and the last energy reading, in one pass.
    pub(crate) fn stats(&self) -> Stats {
        self.stats_with(|_, _, _| {})
    }

    /// The stats a time-of-use split by meter readings alone needs (it reads the readings
    /// itself): the peak power and that there are readings; no power integral and no last
    /// reading, which nothing then reads.
    pub(crate) fn stats_for_readings_split(&self) -> Stats {
        let (first, p0) = self.initial();
        let after_start = &self.samples[first..];
        let inside = &after_start[..after_start.partition_point(|s| s.at < self.end)];
        let peak = inside.iter().map(|s| s.power).fold(p0, Power::max);
        Stats {
            peak: self.has_power().then_some(peak),
            integral: 0,
            has_readings: self.readings,
            last_reading: None,
        }
    }

    /// Like [`stats`](Self::stats), calling `f(from, to, power)` for each slice of constant
    /// power in the same pass (as [`for_each_slice`](Self::for_each_slice) does).
    #[inline]
    pub(crate) fn stats_with(&self, f: impl FnMut(i64, i64, Power)) -> Stats {
        if self.strict {
            self.stats_pass::<true>(f)
        } else {
            self.stats_pass::<false>(f)
        }
    }

    /// [`stats_with`](Self::stats_with); `STRICT` tells that the sample times strictly
    /// increase, so that every sample inside the session starts a new slice.
    #[inline(always)]
    fn stats_pass<const STRICT: bool>(&self, mut f: impl FnMut(i64, i64, Power)) -> Stats {
        let (first, p0) = self.initial();
        let after_start = &self.samples[first..];
        // the samples that change the power within the session
        let inside = &after_start[..after_start.partition_point(|s| s.at < self.end)];
        let mut peak = p0;
        let mut integral = 0i128;
        let mut power = p0;
        let mut t = self.start;
        for s in inside {
            // Samples are sorted by time, then power: of samples at one time the last, which
            // is in force, is also the highest. Strictly increasing samples inside the session
            // are all after the start (`initial` skipped those at or before it).
            if STRICT || s.at > t {
                integral += i128::from(power.0) * i128::from(s.at - t);
                f(t, s.at, power);
                t = s.at;
            }
            power = s.power;
            peak = peak.max(power);
        }
        if self.end > t {
            integral += i128::from(power.0) * i128::from(self.end - t);
            f(t, self.end, power);
        }
        // the largest reading within the session (after its start, up to its end)
        let last_reading = if self.readings {
            after_start
                .iter()
                .take_while(|s| s.at <= self.end)
                .filter_map(|s| s.energy)
                .max()
        } else {
            None
        };
        Stats {
            peak: self.has_power().then_some(peak),
            integral,
            has_readings: self.readings,
            last_reading,
        }
    }
}

/// What one pass over a session's samples tells.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Stats {
    /// The highest power in force at some moment of the session, if any power is known.
    pub(crate) peak: Option<Power>,
    /// The energy integral of the power over the session, in units of 0.1 W·s.
    pub(crate) integral: i128,
    /// Whether any sample carries an energy reading.
    pub(crate) has_readings: bool,
    /// The largest energy reading within the session.
    pub(crate) last_reading: Option<Energy>,
}

/// 0.1 W·s in one unit of energy (0.0001 kWh = 0.36 kJ = 3600 × 0.1 W·s).
pub(crate) const POWER_SECONDS_PER_ENERGY: i128 = 3600;

/// What a cumulative profile of the session measures.
#[derive(Clone, Copy)]
pub(crate) enum Profile {
    /// Elapsed seconds.
    Time,
    /// The power integral, in 0.1 W·s.
    Power,
    /// Interpolated energy readings, in 0.0001 kWh.
    Readings,
}

/// A cursor over a cumulative profile of the session, queried at increasing times.
pub(crate) struct Cumulative<'a> {
    tl: Timeline<'a>,
    kind: Profile,
    idx: usize,
    t: i64,
    power: Power,
    acc: i128,
    prev_e: i64,
    next_reading: usize,
}

impl<'a> Cumulative<'a> {
    pub(crate) fn new(tl: Timeline<'a>, kind: Profile) -> Cumulative<'a> {
        let (idx, power) = tl.initial();
        Cumulative {
            tl,
            kind,
            idx,
            t: tl.start,
            power,
            acc: 0,
            prev_e: 0,
            next_reading: next_reading(tl.samples, idx),
        }
    }

    /// The profile's value at `b` (not before the previous query, within the session), exactly:
    /// the fraction `num / den` with `den > 0`. Readings are interpolated without rounding, so
    /// the caller rounds once, after scaling.
    pub(crate) fn at(&mut self, b: i64) -> (i128, i128) {
        let samples = self.tl.samples;
        match self.kind {
            Profile::Time => (i128::from(b - self.tl.start), 1),
            Profile::Power => {
                while self.idx < samples.len() && samples[self.idx].at < b {
                    let s = samples[self.idx];
                    if s.at > self.t {
                        self.acc += i128::from(self.power.0) * i128::from(s.at - self.t);
                        self.t = s.at;
                    }
                    self.power = s.power;
                    self.idx += 1;
                }
                if b > self.t {
                    self.acc += i128::from(self.power.0) * i128::from(b - self.t);
                    self.t = b;
                }
                (self.acc, 1)
            }
            Profile::Readings => {
                while self.idx < samples.len() && samples[self.idx].at <= b {
                    let s = samples[self.idx];
                    if let Some(e) = s.energy {
                        self.prev_e = self.prev_e.max(e.0);
                        self.t = s.at;
                    }
                    self.idx += 1;
                }
                // the next reading, searched again only once the cursor passed the last found
                if self.next_reading < self.idx {
                    self.next_reading = next_reading(samples, self.idx);
                }
                let next = samples
                    .get(self.next_reading)
                    .filter(|s| s.at <= self.tl.end);
                let prev = i128::from(self.prev_e);
                match next {
                    Some(n) => {
                        let ne = i128::from(n.energy.map_or(0, |e| e.0).max(self.prev_e));
                        let span = i128::from(n.at - self.t);
                        if span <= 0 || b == self.t {
                            (prev, 1)
                        } else {
                            // prev + (ne − prev) × (b − t) / span, kept as a fraction: all
                            // factors are below 2⁶³ and the times below 2³⁸, so it fits.
                            let elapsed = i128::from(b - self.t);
                            (prev * span + (ne - prev) * elapsed, span)
                        }
                    }
                    None => (prev, 1),
                }
            }
        }
    }
}

/// The index of the first sample from `from` on that carries an energy reading, or the number
/// of samples.
fn next_reading(samples: &[Sample], from: usize) -> usize {
    samples
        .get(from..)
        .and_then(|rest| rest.iter().position(|s| s.energy.is_some()))
        .map_or(samples.len(), |i| from + i)
}

/// The half-hour slot `t` (Unix seconds) falls in, the next slot boundary, and the local day
/// (days since 1970-01-01).
#[inline]
pub(crate) fn slot_index(t: i64, offset: UtcOffset) -> (usize, i64, i64) {
    let local = t + i64::from(offset.0);
    let slot = (local.rem_euclid(86_400) / 1800) as usize;
    (
        slot % SLOTS,
        t + (1800 - local.rem_euclid(1800)),
        local.div_euclid(86_400),
    )
}

/// The energy of each time-of-use class over the session.
pub(crate) fn class_energies(
    usage: &Usage,
    tl: Timeline<'_>,
    stats: &Stats,
    offset: UtcOffset,
    days: DayTables<'_>,
) -> Result<[Energy; 5], TariffError> {
    if let Some(e) = usage.class_energy {
        return Ok(e);
    }
    let mut out = [Energy::ZERO; 5];
    let kind = if stats.has_readings {
        Profile::Readings
    } else if tl.has_power() {
        Profile::Power
    } else if usage.energy.is_some() {
        Profile::Time
    } else {
        return Err(TariffError::MissingEnergy);
    };
    if usage.end == usage.start {
        let (slot, _, day) = slot_index(usage.start, offset);
        out[usize::from(days.of(day)[slot]) % 5] = usage.energy.unwrap_or(Energy::ZERO);
        return Ok(out);
    }
    let mut w_end = match kind {
        Profile::Readings => i128::from(stats.last_reading.map_or(0, |e| e.0)),
        Profile::Power => stats.integral,
        Profile::Time => i128::from(usage.end - usage.start),
    };
    let kind = if usage.energy.is_some() && w_end <= 0 {
        w_end = i128::from(usage.end - usage.start);
        Profile::Time
    } else {
        kind
    };
    // (the only case in which `stats` may come from `Timeline::stats_for_readings_split`)
    if matches!(kind, Profile::Readings) && usage.energy.is_none() {
        return Ok(split_readings(tl, offset, days));
    }
    let mut cum = Cumulative::new(tl, kind);
    // The one rounding: the exact profile value `num / den`, scaled to the energy (times `mul`
    // over `div`), truncated. Each class gets the difference of two such values, so the
    // classes add up to the total exactly.
    let (mul, div) = match (usage.energy, kind) {
        (Some(total), _) => (i128::from(total.0), w_end),
        (None, Profile::Power) => (1, POWER_SECONDS_PER_ENERGY),
        (None, _) => (1, 1),
    };
    let scale = |(num, den): (i128, i128)| -> Result<i128, TariffError> {
        if mul == 1 && div == 1 && den == 1 {
            return Ok(num);
        }
        let num = num.checked_mul(mul).ok_or(TariffError::Overflow)?;
        let den = den.checked_mul(div).ok_or(TariffError::Overflow)?;
        // not negative, so truncating is the floor (and 64-bit when it fits)
        Ok(RoundingMode::Truncate.div(num, den))
    };
    let mut acc = [0i128; 5];
    let mut t = usage.start;
    let mut prev = 0i128;
    let (mut slot, mut next, mut day) = slot_index(t, offset);
    let mut slots = days.of(day);
    while t < usage.end {
        let b = next.min(usage.end);
        let cur = scale(cum.at(b))?;
        if let Some(class) = acc.get_mut(usize::from(slots[slot])) {
            *class += cur - prev;
        }
        prev = cur;
        t = b;
        slot += 1;
        if slot == SLOTS {
            // local midnight: the next day's table
            slot = 0;
            day += 1;
            slots = days.of(day);
        }
        next += 1800;
    }
    for (o, a) in out.iter_mut().zip(acc) {
        *o = Energy(i64::try_from(a).map_err(|_| TariffError::Overflow)?);
    }
    Ok(out)
}

/// The energy of each class from the meter readings alone (no total to scale to): the same
/// values as the [`Cumulative`] profile gives, read in one pass over the readings and the slot
/// boundaries, in 64 bits where the products fit. At a boundary the meter reads
/// `e0 + ⌊(e1 − e0)·(b − t0) / (t1 − t0)⌋` between the readings `(t0, e0)` and `(t1, e1)`
/// around it (`e0` being the largest reading so far, and `(start, 0)` before the first).
fn split_readings(tl: Timeline<'_>, offset: UtcOffset, days: DayTables<'_>) -> [Energy; 5] {
    let (first, _) = tl.initial();
    let end = tl.end;
    let (mut slot, next, mut day) = slot_index(tl.start, offset);
    let mut slots = days.of(day);
    // the boundary to close next: the end of the current slot, or the session's end
    let mut at = next.min(end);
    let mut prev = 0i64;
    // eight entries, indexed by the class number masked to three bits: no bounds check (a
    // validated class number is below five)
    let mut out = [0i64; 8];
    let (mut t0, mut e0) = (tl.start, 0i64);
    // Closes the current slot with the meter's value `cur` at its boundary: its class gets the
    // rise over it. Leaves 'all once the session's end is closed.
    macro_rules! close {
        ($cur:expr, $all:lifetime) => {{
            let cur = $cur;
            out[usize::from(slots[slot] & 7)] += cur - prev;
            prev = cur;
            if at >= end {
                break $all;
            }
            slot += 1;
            if slot == SLOTS {
                // local midnight: the next day's table
                slot = 0;
                day += 1;
                slots = days.of(day);
            }
            // (a slot boundary, as it was not the end)
            at = (at + 1800).min(end);
        }};
    }
    'all: {
        // Reading by reading: the boundaries before a reading lie between it and the one
        // before.
        for s in &tl.samples[first..] {
            if s.at > end {
                break;
            }
            let Some(e) = s.energy else {
                continue;
            };
            while at < s.at {
                let cur = if at > t0 {
                    interpolate((t0, e0), (s.at, e.0), at)
                } else {
                    e0
                };
                close!(cur, 'all);
            }
            e0 = e0.max(e.0);
            t0 = s.at;
        }
        // after the last reading within the session, the meter stays at it
        loop {
            close!(e0, 'all);
        }
    }
    [out[0], out[1], out[2], out[3], out[4]].map(Energy)
}

/// The meter at `b`, strictly between the readings `(t0, e0)` and `(t1, e1)`:
/// `e0 + ⌊(max(e1, e0) − e0)·(b − t0) / (t1 − t0)⌋`, in 64 bits where the product fits.
#[inline(never)]
fn interpolate((t0, e0): (i64, i64), (t1, e1): (i64, i64), b: i64) -> i64 {
    let rise = e1.max(e0) - e0;
    let (elapsed, span) = (b - t0, t1 - t0);
    let part = match rise.checked_mul(elapsed) {
        Some(p) => p / span,
        // below the rise, so it fits
        None => (i128::from(rise) * i128::from(elapsed) / i128::from(span)) as i64,
    };
    e0 + part
}

/// The total energy of the session, if known.
pub(crate) fn total_energy(usage: &Usage, stats: &Stats) -> Option<Energy> {
    if let Some(c) = usage.class_energy {
        return Some(Energy(c.iter().map(|e| e.0).sum()));
    }
    if let Some(e) = usage.energy {
        return Some(e);
    }
    if stats.has_readings {
        return stats.last_reading.or(Some(Energy::ZERO));
    }
    if stats.peak.is_some() {
        // a 64-bit division when the integral fits (it does but for absurd powers)
        return match i64::try_from(stats.integral) {
            Ok(w) => Some(Energy(w / POWER_SECONDS_PER_ENERGY as i64)),
            Err(_) => i64::try_from(stats.integral / POWER_SECONDS_PER_ENERGY)
                .ok()
                .map(Energy),
        };
    }
    None
}

/// The class a YKC or JUY class index names, for labels.
pub(crate) fn class_name(i: usize) -> Option<TouClass> {
    TouClass::ALL.get(i).copied()
}
