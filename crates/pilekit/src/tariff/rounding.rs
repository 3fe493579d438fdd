//! Rounding to the fen: the plan declares where (each line, or only the total) and how.

/// How an exact amount becomes a whole number of fen (or of 0.0001 yuan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum RoundingMode {
    /// Halves go away from zero (0.125 → 0.13), as most platforms do.
    #[default]
    HalfUp,
    /// Halves go to the even neighbour (0.125 → 0.12, 0.135 → 0.14), banker's rounding.
    HalfEven,
    /// Drop what is below the unit (0.129 → 0.12), as real YKC piles do.
    Truncate,
    /// Any remainder goes up to the next unit (0.121 → 0.13).
    Up,
}

/// Where rounding happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum RoundingStage {
    /// Every priced line is rounded to the fen; the total is their sum.
    #[default]
    Line,
    /// Lines keep 0.0001 yuan (rounded with the same mode); the total is rounded to the fen and
    /// the difference appears as a `rounding` line, so lines still sum to the total.
    Total,
}

/// The rounding a plan declares: a stage and a mode, always to the fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Rounding {
    /// Where rounding happens.
    pub stage: RoundingStage,
    /// How a remainder is rounded.
    pub mode: RoundingMode,
}

impl Rounding {
    /// Each line rounded half-up to the fen: the common platform default.
    pub const LINE_HALF_UP: Rounding = Rounding {
        stage: RoundingStage::Line,
        mode: RoundingMode::HalfUp,
    };
    /// Each line truncated to the fen: what real YKC piles report.
    pub const LINE_TRUNCATE: Rounding = Rounding {
        stage: RoundingStage::Line,
        mode: RoundingMode::Truncate,
    };
}

impl RoundingMode {
    /// `num / den` rounded to an integer with this mode. `den` must be positive.
    // Inlined where it is called, so that a constant denominator becomes a multiplication.
    #[inline(always)]
    pub fn div(self, num: i128, den: i128) -> i128 {
        debug_assert!(den > 0);
        // Most amounts fit 64 bits, where division is several times faster than on 128.
        match (i64::try_from(num), i64::try_from(den)) {
            (Ok(n), Ok(d)) if d <= i64::MAX / 2 => {
                i128::from(self.finish(n.div_euclid(d), n.rem_euclid(d), d, n < 0))
            }
            _ => self.finish(num.div_euclid(den), num.rem_euclid(den), den, num < 0),
        }
    }

    /// Rounds the quotient `q` (the floor of `num / den`) given the remainder `r` (`0 <= r <
    /// den`) and the sign of `num`.
    #[inline]
    fn finish<T>(self, q: T, r: T, den: T, negative: bool) -> T
    where
        T: Copy
            + PartialOrd
            + core::ops::Add<Output = T>
            + core::ops::Mul<Output = T>
            + core::ops::Rem<Output = T>
            + From<i8>,
    {
        let zero = T::from(0);
        let one = T::from(1);
        let two = T::from(2);
        if r == zero {
            return q;
        }
        // num / den = q + r / den with 0 < r < den: q is the floor, q + 1 the ceiling.
        match self {
            RoundingMode::Truncate => {
                if negative {
                    q + one
                } else {
                    q
                }
            }
            RoundingMode::Up => {
                if negative {
                    q
                } else {
                    q + one
                }
            }
            RoundingMode::HalfUp | RoundingMode::HalfEven => {
                let twice = two * r;
                if twice < den {
                    q
                } else if twice > den {
                    q + one
                } else if self == RoundingMode::HalfEven {
                    if q % two == zero { q } else { q + one }
                } else if negative {
                    q
                } else {
                    q + one
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RoundingMode::*;

    #[test]
    fn modes_round_as_named() {
        // 0.125 yuan in fen = 12.5
        assert_eq!(HalfUp.div(125, 10), 13);
        assert_eq!(HalfEven.div(125, 10), 12);
        assert_eq!(HalfEven.div(135, 10), 14);
        assert_eq!(Truncate.div(129, 10), 12);
        assert_eq!(Up.div(121, 10), 13);
        assert_eq!(Up.div(120, 10), 12);
        assert_eq!(HalfUp.div(-125, 10), -13);
        assert_eq!(Truncate.div(-129, 10), -12);
        assert_eq!(Up.div(-121, 10), -13);
        assert_eq!(HalfEven.div(-125, 10), -12);
        assert_eq!(HalfUp.div(7, 24), 0);
    }
}
