//! Calendars for time of use: which table of half-hour classes each local day uses.
//!
//! A time-of-use plan's `calendar` names several day tables (48 classes each) and says which
//! one a date uses:
//!
//! - the **season** the date falls in: a range of month-days (`from` and `to` inclusive, e.g.
//!   `07-01` to `08-31` for the summer sharp period; a range may wrap the year end, `09-01` to
//!   `06-30`). Every month-day of a leap year belongs to exactly one season;
//! - the **day type**, in this order: a date listed in `holidays` is a holiday (its season's
//!   `holiday` table, the `weekend` table when the season names none); a date listed in
//!   `workdays` — the make-up working days of Chinese holiday calendars, often a Saturday or a
//!   Sunday — is a weekday; otherwise Saturday and Sunday are weekend days and Monday to Friday
//!   weekdays.
//!
//! Dates are in the plan's local time (`utc_offset_s`). The rates are the plan's, one pair per
//! class whatever the day: a calendar only changes which class a half hour is in. A session
//! that crosses local midnight into another day type or season is split exactly there (local
//! midnight is a slot boundary).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::TariffError;
use super::tou::{SLOTS, TouClass};
use crate::time::{civil_from_days, days_from_civil, days_in_month};

/// The day tables of a time-of-use plan and the dates that use them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TouCalendar {
    /// The day tables by name: the class of each of the 48 half-hour slots of a local day.
    pub days: BTreeMap<String, Vec<TouClass>>,
    /// The seasons, covering every month-day of the year exactly once.
    pub seasons: Vec<Season>,
    /// Public holidays, as `YYYY-MM-DD` local dates.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub holidays: Vec<String>,
    /// Make-up working days (调休上班), as `YYYY-MM-DD` local dates: they use the weekday table
    /// whatever their day of the week.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub workdays: Vec<String>,
}

/// A season: a range of month-days with its day tables.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Season {
    /// A name for people, e.g. `summer`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "String::is_empty")
    )]
    pub name: String,
    /// The first day, `MM-DD`.
    pub from: String,
    /// The last day, `MM-DD` (inclusive; before `from` for a season across the year end).
    pub to: String,
    /// The day table of Monday to Friday and of make-up working days.
    pub weekday: String,
    /// The day table of Saturday and Sunday.
    pub weekend: String,
    /// The day table of holidays; the weekend table when none is named.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub holiday: Option<String>,
}

/// The kind of a local day, as the calendar sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayType {
    /// Monday to Friday, or a make-up working day.
    Weekday,
    /// Saturday or Sunday.
    Weekend,
    /// A listed holiday.
    Holiday,
}

/// A validated calendar, ready to tell the table of a day.
#[derive(Debug, Clone)]
pub(crate) struct CompiledCalendar {
    /// The day tables, class indices, in the order of the calendar's names.
    tables: Vec<[u8; SLOTS]>,
    /// Each season: first and last month-day (`month × 32 + day`) and the table index of its
    /// weekdays, weekend days and holidays.
    seasons: Vec<(u16, u16, [usize; 3])>,
    /// Holidays and make-up working days, as sorted day numbers since 1970-01-01.
    holidays: Vec<i64>,
    workdays: Vec<i64>,
}

fn bad(key: String, problem: String) -> TariffError {
    TariffError::BadCalendar { key, problem }
}

/// A `MM-DD` month-day, as `month × 32 + day` (February 29 is a day of the year).
fn month_day(text: &str, key: impl Fn() -> String) -> Result<u16, TariffError> {
    let b = text.as_bytes();
    let ok = b.len() == 5 && b[2] == b'-' && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit());
    let (m, d) = if ok {
        (
            u32::from((b[0] - b'0') * 10 + (b[1] - b'0')),
            u32::from((b[3] - b'0') * 10 + (b[4] - b'0')),
        )
    } else {
        (0, 0)
    };
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(2000, m) {
        return Err(bad(
            key(),
            format!("`{text}` is not a month-day of the form `MM-DD`"),
        ));
    }
    Ok((m * 32 + d) as u16)
}

/// A `YYYY-MM-DD` date (years 1970–9999), as days since 1970-01-01.
fn date(text: &str, key: impl Fn() -> String) -> Result<i64, TariffError> {
    let b = text.as_bytes();
    let digits = |r: core::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let parsed = if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        match (digits(0..4), digits(5..7), digits(8..10)) {
            (Some(y), Some(m), Some(d))
                if (1970..=9999).contains(&y)
                    && (1..=12).contains(&m)
                    && d >= 1
                    && d <= days_in_month(y, m) =>
            {
                Some(days_from_civil(i64::from(y), i64::from(m), i64::from(d)))
            }
            _ => None,
        }
    } else {
        None
    };
    parsed.ok_or_else(|| {
        bad(
            key(),
            format!("`{text}` is not a date of the form `YYYY-MM-DD` (years 1970–9999)"),
        )
    })
}

/// The month and day of a day number since 1970-01-01.
const fn month_day_of(z: i64) -> (u32, u32) {
    let (_, m, d) = civil_from_days(z);
    (m, d)
}

/// Whether a day number since 1970-01-01 (a Thursday) is a Saturday or a Sunday.
const fn is_weekend(day: i64) -> bool {
    // 0 is Monday
    day.wrapping_add(3).rem_euclid(7) >= 5
}

impl TouCalendar {
    /// The day type of a local date (days since 1970-01-01).
    pub fn day_type(&self, day: i64) -> Result<DayType, TariffError> {
        Ok(self.compile(&[true; 5])?.day_type(day))
    }

    /// Checks the calendar and builds its lookup form; `has_rate[c]` tells whether the plan
    /// has a rate for class `c`.
    pub(crate) fn compile(&self, has_rate: &[bool; 5]) -> Result<CompiledCalendar, TariffError> {
        if self.days.is_empty() {
            return Err(bad("calendar.days".into(), "names no day table".into()));
        }
        let mut tables = Vec::with_capacity(self.days.len());
        for (name, slots) in &self.days {
            if slots.len() != SLOTS {
                return Err(bad(
                    format!("calendar.days.{name}"),
                    format!("has `{}` half-hour slots, not 48", slots.len()),
                ));
            }
            let mut table = [0u8; SLOTS];
            for (i, c) in slots.iter().enumerate() {
                if !has_rate[c.index()] {
                    return Err(bad(
                        format!("calendar.days.{name}"),
                        format!("class `{c}` of slot `{i}` has no rate"),
                    ));
                }
                table[i] = *c as u8;
            }
            tables.push(table);
        }
        let index = |name: &str, key: String| -> Result<usize, TariffError> {
            self.days.keys().position(|k| k == name).ok_or_else(|| {
                bad(
                    key,
                    format!("names the day table `{name}`, which `calendar.days` does not have"),
                )
            })
        };
        let mut seasons = Vec::with_capacity(self.seasons.len());
        for (i, s) in self.seasons.iter().enumerate() {
            let key = |field: &str| format!("calendar.seasons[{i}].{field}");
            let from = month_day(&s.from, || key("from"))?;
            let to = month_day(&s.to, || key("to"))?;
            let weekday = index(&s.weekday, key("weekday"))?;
            let weekend = index(&s.weekend, key("weekend"))?;
            let holiday = match &s.holiday {
                Some(h) => index(h, key("holiday"))?,
                None => weekend,
            };
            seasons.push((from, to, [weekday, weekend, holiday]));
        }
        // every month-day of a leap year in exactly one season
        let mut owner: [Option<usize>; 13 * 32] = [None; 13 * 32];
        for m in 1..=12u32 {
            for d in 1..=days_in_month(2000, m) {
                let md = (m * 32 + d) as u16;
                for (i, &(from, to, _)) in seasons.iter().enumerate() {
                    let inside = if from <= to {
                        from <= md && md <= to
                    } else {
                        md >= from || md <= to
                    };
                    if !inside {
                        continue;
                    }
                    if let Some(first) = owner[usize::from(md)] {
                        return Err(bad(
                            format!("calendar.seasons[{i}]"),
                            format!("overlaps `calendar.seasons[{first}]` on `{m:02}-{d:02}`"),
                        ));
                    }
                    owner[usize::from(md)] = Some(i);
                }
                if owner[usize::from(md)].is_none() {
                    return Err(bad(
                        "calendar.seasons".into(),
                        format!("no season covers `{m:02}-{d:02}`"),
                    ));
                }
            }
        }
        let dates = |list: &[String], field: &str| -> Result<Vec<i64>, TariffError> {
            let mut out = Vec::with_capacity(list.len());
            for (i, text) in list.iter().enumerate() {
                out.push(date(text, || format!("calendar.{field}[{i}]"))?);
            }
            out.sort_unstable();
            out.dedup();
            Ok(out)
        };
        let holidays = dates(&self.holidays, "holidays")?;
        let workdays = dates(&self.workdays, "workdays")?;
        if let Some(i) = self.workdays.iter().position(|w| {
            holidays
                .binary_search(&date(w, String::new).unwrap_or(-1))
                .is_ok()
        }) {
            return Err(bad(
                format!("calendar.workdays[{i}]"),
                format!("`{}` is also a holiday", self.workdays[i]),
            ));
        }
        Ok(CompiledCalendar {
            tables,
            seasons,
            holidays,
            workdays,
        })
    }
}

impl CompiledCalendar {
    /// The day type of a local day (days since 1970-01-01).
    pub(crate) fn day_type(&self, day: i64) -> DayType {
        if self.holidays.binary_search(&day).is_ok() {
            DayType::Holiday
        } else if self.workdays.binary_search(&day).is_ok() || !is_weekend(day) {
            DayType::Weekday
        } else {
            DayType::Weekend
        }
    }

    /// The class index of each half-hour slot of a local day (days since 1970-01-01).
    pub(crate) fn table(&self, day: i64) -> &[u8; SLOTS] {
        let (m, d) = month_day_of(day);
        let md = (m * 32 + d) as u16;
        let season = self
            .seasons
            .iter()
            .find(|&&(from, to, _)| {
                if from <= to {
                    from <= md && md <= to
                } else {
                    md >= from || md <= to
                }
            })
            .map_or([0; 3], |s| s.2);
        let which = match self.day_type(day) {
            DayType::Weekday => season[0],
            DayType::Weekend => season[1],
            DayType::Holiday => season[2],
        };
        &self.tables[which]
    }
}

/// The day tables a bill reads: one table for every day, or a calendar.
#[derive(Clone, Copy)]
pub(crate) enum DayTables<'a> {
    /// The same table every day.
    One(&'a [u8; SLOTS]),
    /// A table by date.
    Calendar(&'a CompiledCalendar),
}

impl<'a> DayTables<'a> {
    /// The table of a local day (days since 1970-01-01).
    #[inline]
    pub(crate) fn of(self, day: i64) -> &'a [u8; SLOTS] {
        match self {
            DayTables::One(t) => t,
            DayTables::Calendar(c) => c.table(day),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_and_dates() {
        // 1970-01-01 was a Thursday; 2026-12-05 is a Saturday
        assert!(!is_weekend(0));
        assert!(is_weekend(2));
        assert!(is_weekend(3));
        assert!(!is_weekend(4));
        let sat = days_from_civil(2026, 12, 5);
        assert!(is_weekend(sat) && is_weekend(sat + 1) && !is_weekend(sat + 2));
        assert_eq!(month_day_of(sat), (12, 5));
        assert_eq!(month_day_of(days_from_civil(2024, 2, 29)), (2, 29));
        assert_eq!(date("2026-12-05", String::new), Ok(sat));
        assert!(date("2026-02-29", String::new).is_err());
        assert!(date("2024-02-29", String::new).is_ok());
        assert!(date("1969-12-31", String::new).is_err());
        assert!(date("2026-1-05", String::new).is_err());
        assert_eq!(month_day("02-29", String::new), Ok(2 * 32 + 29));
        assert!(month_day("02-30", String::new).is_err());
        assert!(month_day("13-01", String::new).is_err());
        assert!(month_day("00-10", String::new).is_err());
        assert!(month_day("1-1", String::new).is_err());
    }
}
