//! Exact decimal helpers for scaled integers: rescaling, formatting and parsing.
//!
//! Written here rather than taken from a decimal crate: the core only needs these three
//! operations on `i128`, and they must stay `no_std` and allocation-free.

use core::fmt;

const POW10: [i128; 20] = {
    let mut t = [1i128; 20];
    let mut i = 1;
    while i < 20 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// 10 to the power `n`, for `n < 20`.
#[inline]
pub(crate) fn pow10(n: u32) -> Option<i128> {
    POW10.get(n as usize).copied()
}

/// Rescales `raw` (a value with `from` decimals) to `to` decimals, if exact and in range.
pub(crate) fn rescale(raw: i128, from: u32, to: u32) -> Option<i128> {
    if to >= from {
        raw.checked_mul(pow10(to - from)?)
    } else {
        let d = pow10(from - to)?;
        (raw % d == 0).then_some(raw / d)
    }
}

/// Writes `raw / 10^decimals` with at least `min_shown` decimals, trimming trailing zeros beyond.
pub(crate) fn write(
    f: &mut fmt::Formatter<'_>,
    raw: i128,
    decimals: u32,
    min_shown: u32,
) -> fmt::Result {
    let Some(scale) = pow10(decimals) else {
        return write!(f, "{raw}e-{decimals}");
    };
    let neg = raw < 0;
    let abs = raw.unsigned_abs();
    let scale = scale as u128;
    let int = abs / scale;
    let mut frac = abs % scale;
    let mut shown = decimals;
    while shown > min_shown && frac.is_multiple_of(10) {
        frac /= 10;
        shown -= 1;
    }
    if neg {
        f.write_str("-")?;
    }
    if shown == 0 {
        write!(f, "{int}")
    } else {
        write!(f, "{int}.{frac:0width$}", width = shown as usize)
    }
}

/// Parses a plain decimal number (`-12.345`, `7`, `.5`) into an integer with `decimals` decimals.
/// Returns `None` for anything else, or when the text has more significant decimals than that.
pub(crate) fn parse(text: &str, decimals: u32) -> Option<i128> {
    let (neg, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part
        .bytes()
        .chain(frac_part.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut value: i128 = 0;
    for b in int_part.bytes() {
        value = value.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
    }
    let frac_digits = frac_part.trim_end_matches('0');
    if frac_digits.len() > decimals as usize {
        return None;
    }
    value = value.checked_mul(pow10(decimals)?)?;
    let mut frac: i128 = 0;
    for b in frac_digits.bytes() {
        frac = frac * 10 + i128::from(b - b'0');
    }
    frac *= pow10(decimals - frac_digits.len() as u32)?;
    value = value.checked_add(frac)?;
    Some(if neg { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rescale_is_exact_or_refuses() {
        assert_eq!(rescale(12, 1, 4), Some(12_000));
        assert_eq!(rescale(12_000, 4, 1), Some(12));
        assert_eq!(rescale(12_001, 4, 1), None);
        assert_eq!(rescale(i128::MAX, 0, 2), None);
    }

    #[test]
    fn parse_accepts_plain_decimals_only() {
        assert_eq!(parse("12.5", 2), Some(1250));
        assert_eq!(parse("-0.05", 2), Some(-5));
        assert_eq!(parse(".5", 1), Some(5));
        assert_eq!(parse("3.", 1), Some(30));
        assert_eq!(parse("1.2300", 2), Some(123));
        assert_eq!(parse("1.234", 2), None);
        assert_eq!(parse("1e3", 2), None);
        assert_eq!(parse("-", 2), None);
        assert_eq!(parse(".", 2), None);
    }
}
