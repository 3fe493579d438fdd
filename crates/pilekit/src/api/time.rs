//! The ISO-8601 times the command line and the bindings accept.

use alloc::format;

use super::error::{Error, ErrorKind};
use crate::time::{LocalDateTime, Timestamp, UtcOffset};

/// The largest UTC offset accepted: ±18 hours, in seconds (as ISO 8601 and RFC 3339 allow).
pub const MAX_UTC_OFFSET_S: i32 = 18 * 3600;

/// Parses a time into Unix seconds: Unix seconds (`1714572000`), or an ISO-8601 local time
/// `YYYY-MM-DDThh:mm[:ss[.fff]]` (a space may replace the `T`) in `default_offset`, or with an
/// explicit `Z` or `±hh:mm` (`±hhmm`) suffix.
///
/// Refused with `invalid_time`: text of another form, a date or time out of range (local
/// years 1970–2099; Unix seconds within the years 1970–9999), and offsets beyond ±18 hours,
/// whether in the text or `default_offset`.
///
/// ```
/// use pilekit::UtcOffset;
/// use pilekit::api::parse_time;
///
/// assert_eq!(parse_time("1970-01-01T08:00", UtcOffset::CHINA)?, 0);
/// assert_eq!(parse_time("1970-01-01T01:00:00+01:00", UtcOffset::CHINA)?, 0);
/// assert_eq!(parse_time("1714572000", UtcOffset::CHINA)?, 1_714_572_000);
/// let err = parse_time("2024-05-01T08:00+99:99", UtcOffset::CHINA).unwrap_err();
/// assert_eq!(err.kind.as_str(), "invalid_time");
/// # Ok::<(), pilekit::api::Error>(())
/// ```
pub fn parse_time(text: &str, default_offset: UtcOffset) -> Result<i64, Error> {
    let text = text.trim();
    let bad = |why: &str| {
        Error::new(
            ErrorKind::InvalidTime,
            format!(
                "`{text}` is not a time ({why}; use `YYYY-MM-DDThh:mm[:ss]`, optionally with \
                 `Z` or `±hh:mm`, or Unix seconds)"
            ),
        )
    };
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        let unix: i64 = text.parse().map_err(|_| bad("not a number"))?;
        if !(Timestamp::MIN_UNIX_S..=Timestamp::MAX_UNIX_S).contains(&unix) {
            return Err(bad("Unix seconds outside the years 1970 to 9999"));
        }
        return Ok(unix);
    }
    let (local, offset) = split_offset(text).map_err(&bad)?;
    let offset = offset.unwrap_or(default_offset);
    if offset.0.unsigned_abs() > MAX_UTC_OFFSET_S.unsigned_abs() {
        return Err(bad("the UTC offset is beyond ±18:00"));
    }
    let t = LocalDateTime::parse(local).map_err(|e| {
        let mut err = Error::from(e);
        err.message = format!("`{text}`: {}", err.message);
        err
    })?;
    let unix = t.to_unix(offset);
    if Timestamp::from_unix(unix).is_none() {
        return Err(bad("before 1970-01-01T00:00:00Z"));
    }
    Ok(unix)
}

/// The local part and the offset suffix (`Z`, `±hh:mm`, `±hhmm`) of a time.
fn split_offset(text: &str) -> Result<(&str, Option<UtcOffset>), &'static str> {
    if let Some(t) = text.strip_suffix(['Z', 'z']) {
        return Ok((t, Some(UtcOffset::UTC)));
    }
    // the sign of an offset comes after the time of day (`T` at index 10)
    let Some(at) = text.rfind(['+', '-']).filter(|&i| i > 10) else {
        return Ok((text, None));
    };
    let (local, zone) = text.split_at(at);
    let digits: alloc::string::String = zone[1..].chars().filter(|&c| c != ':').collect();
    let well_formed = digits.len() == 4
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (zone.len() == 5 || zone.as_bytes().get(3) == Some(&b':'));
    if !well_formed {
        return Err("the UTC offset is not `±hh:mm`");
    }
    let h: i32 = digits[..2].parse().map_err(|_| "bad offset hours")?;
    let m: i32 = digits[2..].parse().map_err(|_| "bad offset minutes")?;
    if m >= 60 {
        return Err("the UTC offset minutes are beyond 59");
    }
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    Ok((local, Some(UtcOffset(sign * (h * 3600 + m * 60)))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_the_command_line_accepts() {
        let cst = UtcOffset::CHINA;
        assert_eq!(parse_time("1700000000", cst), Ok(1_700_000_000));
        assert_eq!(parse_time("1970-01-01T08:00", cst), Ok(0));
        assert_eq!(parse_time("1970-01-01 08:00:00", cst), Ok(0));
        assert_eq!(parse_time("1970-01-01T00:00:00Z", cst), Ok(0));
        assert_eq!(parse_time("1970-01-01T01:00:00+01:00", cst), Ok(0));
        assert_eq!(parse_time("1970-01-01T01:00:00+0100", cst), Ok(0));
        assert_eq!(parse_time("2024-05-01T22:00", cst), Ok(1_714_572_000));
        assert_eq!(parse_time("2024-05-01T13:30-01:00", cst), Ok(1_714_573_800));
    }

    #[test]
    fn out_of_range_is_invalid_time() {
        let cst = UtcOffset::CHINA;
        for text in [
            "yesterday",
            "",
            "-5",
            "99999999999999",
            "2024-05-01T08:00+99:99",
            "2024-05-01T08:00+19:00",
            "2024-05-01T08:00+08:60",
            "2024-05-01T08:00+8",
            "2024-13-01T08:00",
            "2100-01-01T00:00",
            "1969-12-31T23:59",
            "1970-01-01T07:59",
        ] {
            let err = parse_time(text, cst).unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidTime, "{text}: {err}");
        }
        assert!(parse_time("2024-05-01T08:00", UtcOffset(19 * 3600)).is_err());
        assert_eq!(parse_time("2024-05-01T08:00+18:00", cst), Ok(1_714_485_600));
    }
}
