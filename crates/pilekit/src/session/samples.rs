//! A session's power samples, with the first one held inline: most sessions keep one power
//! level throughout, and storing their one sample needs no allocation.

use alloc::vec::Vec;

use crate::tariff::Sample;

/// A session's samples, oldest first. The serde form is a list of samples, as a `Vec` gives.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Samples {
    /// None yet.
    #[default]
    Empty,
    /// One, inline.
    One(Sample),
    /// Two or more.
    Many(Vec<Sample>),
}

impl Samples {
    /// The newest sample.
    pub(crate) fn last(&self) -> Option<&Sample> {
        match self {
            Samples::Empty => None,
            Samples::One(s) => Some(s),
            Samples::Many(v) => v.last(),
        }
    }

    /// Appends a sample.
    pub(crate) fn push(&mut self, sample: Sample) {
        match self {
            Samples::Empty => *self = Samples::One(sample),
            Samples::One(first) => *self = Samples::Many(alloc::vec![*first, sample]),
            Samples::Many(v) => v.push(sample),
        }
    }

    /// The samples, oldest first.
    pub(crate) fn into_vec(self) -> Vec<Sample> {
        match self {
            Samples::Empty => Vec::new(),
            Samples::One(s) => alloc::vec![s],
            Samples::Many(v) => v,
        }
    }

    /// The samples as a slice, oldest first.
    pub(crate) fn as_slice(&self) -> &[Sample] {
        match self {
            Samples::Empty => &[],
            Samples::One(s) => core::slice::from_ref(s),
            Samples::Many(v) => v,
        }
    }
}

impl From<Vec<Sample>> for Samples {
    fn from(v: Vec<Sample>) -> Self {
        match v.len() {
            0 => Samples::Empty,
            1 => Samples::One(v[0]),
            _ => Samples::Many(v),
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Samples {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.as_slice())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Samples {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<Sample>::deserialize(d).map(Samples::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::{Energy, Power};

    fn at(t: i64, w: i64) -> Sample {
        Sample {
            at: t,
            power: Power::from_watts(w),
            energy: (t % 2 == 0).then(|| Energy::from_centi_kwh(t)),
        }
    }

    #[test]
    fn pushes_keep_the_order_and_the_last() {
        let mut s = Samples::default();
        assert_eq!(s.last(), None);
        assert!(s.as_slice().is_empty());
        s.push(at(10, 180));
        assert!(matches!(s, Samples::One(_)));
        assert_eq!(s.last(), Some(&at(10, 180)));
        s.push(at(20, 90));
        s.push(at(31, 0));
        assert_eq!(s.last(), Some(&at(31, 0)));
        assert_eq!(s.as_slice(), &[at(10, 180), at(20, 90), at(31, 0)]);
        assert_eq!(
            s.into_vec(),
            alloc::vec![at(10, 180), at(20, 90), at(31, 0)]
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn the_serde_form_is_that_of_a_vec() {
        for n in 0..4 {
            let v: Vec<Sample> = (0..n).map(|i| at(100 + i, 100 * i)).collect();
            let json = serde_json::to_string(&Samples::from(v.clone())).unwrap();
            assert_eq!(json, serde_json::to_string(&v).unwrap());
            let back: Samples = serde_json::from_str(&json).unwrap();
            assert_eq!(back.as_slice(), v.as_slice());
            assert_eq!(back, Samples::from(v));
        }
    }
}
