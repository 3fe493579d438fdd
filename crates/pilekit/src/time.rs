//! Calendar time without a clock: local date-times as piles report them, and Unix timestamps.
//!
//! The core never reads a clock. Piles report local wall time (YKC's CP56Time2a is Beijing time
//! without a zone) or Unix seconds (DNY, JUY); both meet here.

use core::fmt;

/// A time offset from UTC in seconds (`+08:00` is `UtcOffset(28_800)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UtcOffset(pub i32);

impl UtcOffset {
    /// China Standard Time, UTC+8, the default for piles in China.
    pub const CHINA: UtcOffset = UtcOffset(8 * 3600);
    /// UTC.
    pub const UTC: UtcOffset = UtcOffset(0);
}

impl Default for UtcOffset {
    fn default() -> Self {
        Self::CHINA
    }
}

/// A local calendar date and time to the millisecond, without a zone.
///
/// Fields are validated on construction: month 1–12, day within the month, hour 0–23, minute
/// 0–59, second 0–59, millisecond 0–999, year 1970–2099.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    millisecond: u16,
}

/// Why a date-time was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimeError {
    /// A field outside its range.
    #[error("{field} `{value}` is out of range")]
    OutOfRange {
        /// The field, e.g. `month`.
        field: &'static str,
        /// The value given.
        value: u32,
    },
    /// Text that is not `YYYY-MM-DDThh:mm:ss[.fff]`.
    #[error("not a date-time of the form `YYYY-MM-DDThh:mm:ss`")]
    Syntax,
}

pub(crate) const fn is_leap(y: u32) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

pub(crate) const fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub(crate) const fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Civil date of a day count since 1970-01-01.
pub(crate) const fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl LocalDateTime {
    /// Builds a validated date-time.
    pub fn new(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
        millisecond: u16,
    ) -> Result<Self, TimeError> {
        let check = |field, value: u32, lo: u32, hi: u32| {
            if value < lo || value > hi {
                Err(TimeError::OutOfRange { field, value })
            } else {
                Ok(())
            }
        };
        check("year", year.into(), 1970, 2099)?;
        check("month", month.into(), 1, 12)?;
        check(
            "day",
            day.into(),
            1,
            days_in_month(year.into(), month.into()),
        )?;
        check("hour", hour.into(), 0, 23)?;
        check("minute", minute.into(), 0, 59)?;
        check("second", second.into(), 0, 59)?;
        check("millisecond", millisecond.into(), 0, 999)?;
        Ok(Self {
            year,
            month,
            day,
            hour,
            minute,
            second,
            millisecond,
        })
    }

    /// A date-time from parts the caller has already checked against the ranges of
    /// [`new`](Self::new) (the CP56Time2a codec's fast path).
    #[inline(always)]
    pub(crate) const fn from_checked_parts(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
        millisecond: u16,
    ) -> Self {
        Self {
            year,
            month,
            day,
            hour,
            minute,
            second,
            millisecond,
        }
    }

    /// The year (1970–2099).
    pub const fn year(&self) -> u16 {
        self.year
    }
    /// The month (1–12).
    pub const fn month(&self) -> u8 {
        self.month
    }
    /// The day of the month (1–31).
    pub const fn day(&self) -> u8 {
        self.day
    }
    /// The hour (0–23).
    pub const fn hour(&self) -> u8 {
        self.hour
    }
    /// The minute (0–59).
    pub const fn minute(&self) -> u8 {
        self.minute
    }
    /// The second (0–59).
    pub const fn second(&self) -> u8 {
        self.second
    }
    /// The millisecond (0–999).
    pub const fn millisecond(&self) -> u16 {
        self.millisecond
    }

    /// ISO weekday, Monday = 1 … Sunday = 7.
    pub const fn weekday(&self) -> u8 {
        let days = days_from_civil(self.year as i64, self.month as i64, self.day as i64);
        ((days + 3).rem_euclid(7) + 1) as u8
    }

    /// Seconds since midnight.
    pub const fn seconds_of_day(&self) -> u32 {
        self.hour as u32 * 3600 + self.minute as u32 * 60 + self.second as u32
    }

    /// Milliseconds since 1970-01-01T00:00:00 of this wall time read as UTC.
    pub const fn to_naive_millis(&self) -> i64 {
        let days = days_from_civil(self.year as i64, self.month as i64, self.day as i64);
        (days * 86_400 + self.seconds_of_day() as i64) * 1000 + self.millisecond as i64
    }

    /// The Unix time (whole seconds, milliseconds dropped) of this wall time at `offset`.
    pub const fn to_unix(&self, offset: UtcOffset) -> i64 {
        self.to_naive_millis().div_euclid(1000) - offset.0 as i64
    }

    /// The wall time at `offset` of a Unix time in seconds.
    pub fn from_unix(unix: i64, offset: UtcOffset) -> Result<Self, TimeError> {
        Self::from_naive_millis((unix + i64::from(offset.0)) * 1000)
    }

    /// The inverse of [`to_naive_millis`](Self::to_naive_millis).
    pub fn from_naive_millis(ms: i64) -> Result<Self, TimeError> {
        let days = ms.div_euclid(86_400_000);
        let rem = ms.rem_euclid(86_400_000);
        let (y, m, d) = civil_from_days(days);
        let year = u16::try_from(y).map_err(|_| TimeError::OutOfRange {
            field: "year",
            value: y.clamp(0, u32::MAX.into()) as u32,
        })?;
        Self::new(
            year,
            m as u8,
            d as u8,
            (rem / 3_600_000) as u8,
            (rem / 60_000 % 60) as u8,
            (rem / 1000 % 60) as u8,
            (rem % 1000) as u16,
        )
    }

    /// Parses `YYYY-MM-DDThh:mm[:ss[.fff]]` (a space may replace the `T`).
    pub fn parse(text: &str) -> Result<Self, TimeError> {
        let b = text.trim().as_bytes();
        let num = |r: core::ops::Range<usize>| -> Result<u32, TimeError> {
            let s = b.get(r).ok_or(TimeError::Syntax)?;
            if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
                return Err(TimeError::Syntax);
            }
            Ok(s.iter().fold(0u32, |a, d| a * 10 + u32::from(d - b'0')))
        };
        let sep = |i: usize, c: &[u8]| b.get(i).is_some_and(|x| c.contains(x));
        if b.len() < 16 || !sep(4, b"-") || !sep(7, b"-") || !sep(10, b"T ") || !sep(13, b":") {
            return Err(TimeError::Syntax);
        }
        let (y, mo, d, h, mi) = (
            num(0..4)?,
            num(5..7)?,
            num(8..10)?,
            num(11..13)?,
            num(14..16)?,
        );
        let mut s = 0;
        let mut ms = 0;
        if b.len() > 16 {
            if !sep(16, b":") || b.len() < 19 {
                return Err(TimeError::Syntax);
            }
            s = num(17..19)?;
            if b.len() > 19 {
                if !sep(19, b".") || b.len() > 23 || b.len() == 20 {
                    return Err(TimeError::Syntax);
                }
                let digits = b.len() - 20;
                ms = num(20..b.len())? * [100, 10, 1][digits - 1];
            }
        }
        let narrow =
            |field, v: u32| u8::try_from(v).map_err(|_| TimeError::OutOfRange { field, value: v });
        Self::new(
            u16::try_from(y).map_err(|_| TimeError::OutOfRange {
                field: "year",
                value: y,
            })?,
            narrow("month", mo)?,
            narrow("day", d)?,
            narrow("hour", h)?,
            narrow("minute", mi)?,
            narrow("second", s)?,
            ms as u16,
        )
    }
}

impl fmt::Display for LocalDateTime {
    /// ISO 8601 local time: `2020-03-16T17:14:47`, with `.mmm` when milliseconds are not zero.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )?;
        if self.millisecond != 0 {
            write!(f, ".{:03}", self.millisecond)?;
        }
        Ok(())
    }
}

impl core::str::FromStr for LocalDateTime {
    type Err = TimeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for LocalDateTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for LocalDateTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text: alloc::string::String = serde::Deserialize::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A time-of-use class of the local day: 尖 sharp, 峰 peak, 平 flat, 谷 valley, 深谷 deep valley.
///
/// The one class type of pilekit: tariff plans price by it and the dialects' class codes (YKC
/// 0x0A/0x58, JUY 0x8D/0x8F) are its index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum TouClass {
    /// 尖 sharp (YKC class 0, JUY class 0).
    Sharp,
    /// 峰 peak (YKC class 1, JUY class 1).
    Peak,
    /// 平 flat (YKC class 2, JUY class 2).
    Flat,
    /// 谷 valley (YKC class 3, JUY class 3).
    Valley,
    /// 深谷 deep valley (JUY class 4 only; YKC has no such class).
    DeepValley,
}

impl TouClass {
    /// All classes in protocol order.
    pub const ALL: [TouClass; 5] = [
        TouClass::Sharp,
        TouClass::Peak,
        TouClass::Flat,
        TouClass::Valley,
        TouClass::DeepValley,
    ];

    /// The class number both YKC and JUY use (0 sharp … 4 deep valley).
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The class of a protocol class number.
    pub fn from_index(index: u8) -> Option<TouClass> {
        Self::ALL.get(usize::from(index)).copied()
    }

    /// The Chinese name printed on receipts: 尖, 峰, 平, 谷, 深谷.
    pub const fn chinese(self) -> &'static str {
        match self {
            TouClass::Sharp => "尖",
            TouClass::Peak => "峰",
            TouClass::Flat => "平",
            TouClass::Valley => "谷",
            TouClass::DeepValley => "深谷",
        }
    }

    /// The snake_case name used in the canonical form.
    pub const fn name(self) -> &'static str {
        match self {
            TouClass::Sharp => "sharp",
            TouClass::Peak => "peak",
            TouClass::Flat => "flat",
            TouClass::Valley => "valley",
            TouClass::DeepValley => "deep_valley",
        }
    }
}

impl fmt::Display for TouClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An instant: whole seconds since 1970-01-01T00:00:00Z, with the UTC offset it is shown at.
///
/// Instants compare, order and hash by the second alone; the offset only decides how the
/// instant is written. The serde form is RFC 3339 with the offset (`2026-12-02T16:45:00+08:00`,
/// or `Z` at UTC); any offset within ±23:59 is read. Years 1970–9999.
#[derive(Debug, Clone, Copy)]
pub struct Timestamp {
    unix: i64,
    offset: UtcOffset,
}

impl Timestamp {
    /// The earliest instant: 1970-01-01T00:00:00Z.
    pub const MIN_UNIX_S: i64 = 0;
    /// The latest instant: 9999-12-31T23:59:59Z.
    pub const MAX_UNIX_S: i64 = 253_402_300_799;

    /// The wall clock now, shown at UTC (clamped to years 1970–9999). The session engine never
    /// reads a clock: this is for the programs around it, which stamp what they receive.
    #[cfg(feature = "std")]
    #[cfg_attr(docsrs, doc(cfg(feature = "std")))]
    pub fn now() -> Timestamp {
        let unix = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .clamp(Self::MIN_UNIX_S, Self::MAX_UNIX_S);
        Timestamp {
            unix,
            offset: UtcOffset::UTC,
        }
    }

    /// How long from this instant until `later` (zero when `later` is not after it), e.g. how
    /// long to sleep until a station's next deadline.
    pub fn duration_until(self, later: Timestamp) -> core::time::Duration {
        core::time::Duration::from_secs(later.unix.saturating_sub(self.unix).max(0).unsigned_abs())
    }

    /// The instant `unix` seconds after the epoch, shown at UTC; `None` outside years 1970–9999.
    pub const fn from_unix(unix: i64) -> Option<Timestamp> {
        if unix < Self::MIN_UNIX_S || unix > Self::MAX_UNIX_S {
            return None;
        }
        Some(Timestamp {
            unix,
            offset: UtcOffset::UTC,
        })
    }

    /// The instant of a pile's local wall time at `offset` (shown at that offset).
    pub fn from_local(local: LocalDateTime, offset: UtcOffset) -> Option<Timestamp> {
        Self::from_unix(local.to_unix(offset)).map(|t| t.at_offset(offset))
    }

    /// The same instant, shown at `offset`.
    pub const fn at_offset(self, offset: UtcOffset) -> Timestamp {
        Timestamp {
            unix: self.unix,
            offset,
        }
    }

    /// Seconds since the epoch.
    pub const fn unix(self) -> i64 {
        self.unix
    }

    /// The offset the instant is shown at.
    pub const fn offset(self) -> UtcOffset {
        self.offset
    }

    /// The wall time at the instant's offset (years up to 2099, as [`LocalDateTime`] holds).
    pub fn to_local(self) -> Result<LocalDateTime, TimeError> {
        LocalDateTime::from_unix(self.unix, self.offset)
    }

    /// Parses RFC 3339: `YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)`; fractions of a second must be zero.
    pub fn parse(text: &str) -> Result<Timestamp, TimeError> {
        let t = text.trim();
        let (body, offset) = if let Some(b) = t.strip_suffix(['Z', 'z']) {
            (b, 0)
        } else {
            let at = t.len().checked_sub(6).ok_or(TimeError::Syntax)?;
            let (b, o) = (t.get(..at).ok_or(TimeError::Syntax)?, &t.as_bytes()[at..]);
            let sign = match o[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return Err(TimeError::Syntax),
            };
            let digit = |i: usize| -> Result<i32, TimeError> {
                let d = o[i];
                if d.is_ascii_digit() {
                    Ok(i32::from(d - b'0'))
                } else {
                    Err(TimeError::Syntax)
                }
            };
            if o[3] != b':' {
                return Err(TimeError::Syntax);
            }
            let (h, m) = (digit(1)? * 10 + digit(2)?, digit(4)? * 10 + digit(5)?);
            if h > 23 || m > 59 {
                return Err(TimeError::OutOfRange {
                    field: "offset",
                    value: (h * 100 + m) as u32,
                });
            }
            (b, sign * (h * 3600 + m * 60))
        };
        let b = body.as_bytes();
        if b.len() < 19 || b.get(10).is_none_or(|c| !matches!(c, b'T' | b't' | b' ')) {
            return Err(TimeError::Syntax);
        }
        let mut year = 0i64;
        for &d in &b[..4] {
            if !d.is_ascii_digit() {
                return Err(TimeError::Syntax);
            }
            year = year * 10 + i64::from(d - b'0');
        }
        // The date and time of day are checked by LocalDateTime on a stand-in year with the
        // same leap rule (2000 or 2001), then the real year is put back.
        let mut probe = alloc::vec::Vec::from(b);
        let leap = is_leap(year as u32);
        let year_text = if leap { *b"2000" } else { *b"2001" };
        probe[..4].copy_from_slice(&year_text);
        let text = core::str::from_utf8(&probe).map_err(|_| TimeError::Syntax)?;
        let local = LocalDateTime::parse(text)?;
        if local.millisecond() != 0 {
            return Err(TimeError::OutOfRange {
                field: "millisecond",
                value: u32::from(local.millisecond()),
            });
        }
        let days = days_from_civil(year, i64::from(local.month()), i64::from(local.day()));
        let unix = days * 86_400 + i64::from(local.seconds_of_day()) - i64::from(offset);
        Timestamp::from_unix(unix)
            .map(|t| t.at_offset(UtcOffset(offset)))
            .ok_or(TimeError::OutOfRange {
                field: "year",
                value: year as u32,
            })
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.unix == other.unix
    }
}

impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.unix.cmp(&other.unix)
    }
}

impl core::hash::Hash for Timestamp {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.unix.hash(state);
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 at the instant's offset: `2026-12-02T16:45:00+08:00`, `…Z` at UTC.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let local = self.unix + i64::from(self.offset.0);
        let (y, m, d) = civil_from_days(local.div_euclid(86_400));
        let s = local.rem_euclid(86_400);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            s / 3600,
            s / 60 % 60,
            s % 60
        )?;
        match self.offset.0 {
            0 => f.write_str("Z"),
            o => {
                let sign = if o < 0 { '-' } else { '+' };
                let a = o.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", a / 3600, a / 60 % 60)
            }
        }
    }
}

impl core::str::FromStr for Timestamp {
    type Err = TimeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text: alloc::string::String = serde::Deserialize::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn unix_roundtrip_and_weekday() {
        let t = LocalDateTime::from_unix(0x5FA9_0E09, UtcOffset::UTC).unwrap();
        assert_eq!(t.to_string(), "2020-11-09T09:38:17");
        assert_eq!(t.weekday(), 1);
        assert_eq!(t.to_unix(UtcOffset::UTC), 0x5FA9_0E09);
        let cst = LocalDateTime::from_unix(0x5FA9_0E09, UtcOffset::CHINA).unwrap();
        assert_eq!(cst.to_string(), "2020-11-09T17:38:17");
        assert_eq!(cst.to_unix(UtcOffset::CHINA), 0x5FA9_0E09);
    }

    #[test]
    fn timestamps_write_and_read_rfc3339() {
        let t = Timestamp::from_unix(1_764_665_100).unwrap();
        assert_eq!(t.to_string(), "2025-12-02T08:45:00Z");
        let cst = t.at_offset(UtcOffset::CHINA);
        assert_eq!(cst.to_string(), "2025-12-02T16:45:00+08:00");
        assert_eq!(cst, t);
        assert_eq!(Timestamp::parse("2025-12-02T16:45:00+08:00").unwrap(), t);
        assert_eq!(
            Timestamp::parse("2025-12-02T16:45:00+08:00")
                .unwrap()
                .offset(),
            UtcOffset::CHINA
        );
        assert_eq!(
            Timestamp::parse("2025-12-02T03:00:00-05:45")
                .unwrap()
                .unix(),
            1_764_665_100
        );
        assert_eq!(
            Timestamp::parse("9999-12-31T23:59:59Z").unwrap().unix(),
            Timestamp::MAX_UNIX_S
        );
        assert_eq!(
            Timestamp::parse("2400-02-29T00:00:00Z")
                .unwrap()
                .to_string(),
            "2400-02-29T00:00:00Z"
        );
        assert!(Timestamp::parse("2100-02-29T00:00:00Z").is_err());
        assert!(Timestamp::parse("1969-12-31T23:59:59Z").is_err());
        assert!(Timestamp::parse("2025-12-02T16:45:00").is_err());
        assert!(Timestamp::parse("2025-12-02T16:45:00+24:00").is_err());
        assert!(Timestamp::parse("2025-12-02T16:45:00.5Z").is_err());
        assert_eq!(Timestamp::from_unix(-1), None);
        assert_eq!(Timestamp::from_unix(Timestamp::MAX_UNIX_S + 1), None);
        let neg = Timestamp::from_unix(0).unwrap().at_offset(UtcOffset(-3600));
        assert_eq!(neg.to_string(), "1969-12-31T23:00:00-01:00");
    }

    #[test]
    fn the_duration_until_a_later_instant_is_never_negative() {
        let t = Timestamp::from_unix(1_000).unwrap();
        let later = Timestamp::from_unix(1_090).unwrap();
        assert_eq!(t.duration_until(later), core::time::Duration::from_secs(90));
        assert_eq!(later.duration_until(t), core::time::Duration::ZERO);
        assert_eq!(t.duration_until(t), core::time::Duration::ZERO);
    }

    #[test]
    fn validates_fields() {
        assert!(LocalDateTime::new(2024, 2, 29, 0, 0, 0, 0).is_ok());
        assert_eq!(
            LocalDateTime::new(2023, 2, 29, 0, 0, 0, 0),
            Err(TimeError::OutOfRange {
                field: "day",
                value: 29
            })
        );
        assert!(LocalDateTime::new(2023, 13, 1, 0, 0, 0, 0).is_err());
    }

    #[test]
    fn parses_iso_text() {
        let t = LocalDateTime::parse("2020-03-16T17:14:47").unwrap();
        assert_eq!(
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            (2020, 3, 16, 17, 14, 47)
        );
        assert_eq!(
            LocalDateTime::parse("2020-03-16 17:14").unwrap().second(),
            0
        );
        assert_eq!(
            LocalDateTime::parse("2020-03-16T17:14:47.5")
                .unwrap()
                .millisecond(),
            500
        );
        assert!(LocalDateTime::parse("2020-03-16").is_err());
        assert!(LocalDateTime::parse("2020-03-16T25:00").is_err());
    }
}
