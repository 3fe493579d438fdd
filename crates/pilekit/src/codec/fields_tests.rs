use super::*;
use crate::codec::Policy;
use alloc::string::ToString;

#[test]
fn bcd_digits_and_numbers() {
    let b = Bcd::<7>::from_digits("32010200000001").unwrap();
    assert_eq!(b.0, [0x32, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01]);
    assert_eq!(b.to_string(), "32010200000001");
    assert_eq!(b.to_u64(), Some(32_010_200_000_001));
    assert_eq!(Bcd::<2>::from_digits("1").unwrap().0, [0x00, 0x01]);
    assert_eq!(Bcd::<2>::from_u64(1234).unwrap().0, [0x12, 0x34]);
    assert!(Bcd::<2>::from_u64(12345).is_none());
    assert!(matches!(
        Bcd::<1>::from_digits("123"),
        Err(BcdError::TooLong { .. })
    ));
    let sim = Bcd::<10>::from_digits("898604D1").unwrap();
    assert_eq!(sim.to_string(), "000000000000898604d1");
    assert!(!sim.is_decimal());
}

#[test]
fn strict_bcd_rejects_hex_nibbles_with_offset() {
    let bytes = [0x12, 0x3A, 0x00];
    let mut r = Reader::new(&bytes, 100, Policy::Strict);
    let e = <Bcd<3> as Wire>::read(&mut r).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::InvalidBcd { byte: 0x3A });
    assert_eq!(e.offset, 101);
    let mut r = Reader::new(&bytes, 100, Policy::Lenient);
    assert_eq!(<Bcd<3> as Wire>::read(&mut r).unwrap().0, bytes);
    assert_eq!(
        r.deviations().iter().next(),
        Some(&Deviation::InvalidBcd { offset: 100 })
    );
}

#[test]
fn cp56_decodes_spec_example_and_masks_flag_bits() {
    let bytes = [0x98, 0xB7, 0x0E, 0x11, 0x10, 0x03, 0x14];
    let mut r = Reader::new(&bytes, 0, Policy::Strict);
    let t = <Cp56Time2a as FieldCodec<LocalDateTime>>::read(&mut r).unwrap();
    assert_eq!(t.to_string(), "2020-03-16T17:14:47");
    assert!(r.deviations().is_empty());
    // Monday (1) in the day-of-week bits, IV and SU bits set
    let flagged = [0x98, 0xB7, 0x8E, 0x91, 0x30, 0x03, 0x14];
    let mut r = Reader::new(&flagged, 0, Policy::Strict);
    let t2 = <Cp56Time2a as FieldCodec<LocalDateTime>>::read(&mut r).unwrap();
    assert_eq!(t2, t);
    assert_eq!(
        r.deviations().iter().next(),
        Some(&Deviation::TimeFlagBits { offset: 0 })
    );
    let bad = [0x98, 0xB7, 0x0E, 0x11, 0x10, 0x0D, 0x14];
    let e =
        <Cp56Time2a as FieldCodec<LocalDateTime>>::read(&mut Reader::new(&bad, 5, Policy::Lenient))
            .unwrap_err();
    assert_eq!(
        e.kind,
        DecodeErrorKind::InvalidTime {
            part: "month",
            value: 13
        }
    );
    assert_eq!(e.offset, 5);
}

#[test]
fn ascii_trims_trailing_nuls_and_reverses() {
    let a = Ascii::<8>(*b"V4.1.50\0");
    assert_eq!(a.as_str(), Some("V4.1.50"));
    let mut r = Reader::new(b"CBA", 0, Policy::Strict);
    let v = <ReversedAscii as FieldCodec<Ascii<3>>>::read(&mut r).unwrap();
    assert_eq!(v.as_str(), Some("ABC"));
}

/// The fast path of a codec either agrees with the checked read, or declines: it never
/// accepts what the checked read rejects or flags as a deviation.
fn fast_agrees<T: PartialEq + core::fmt::Debug, C: FieldCodec<T>>(bytes: &[u8]) {
    assert!(C::FAST);
    for policy in [Policy::Strict, Policy::Lenient] {
        let mut r = Reader::new(bytes, 0, policy);
        let checked = C::read(&mut r);
        match C::read_fast(bytes, 0) {
            Some(v) => {
                assert_eq!(checked.as_ref().ok(), Some(&v), "{bytes:02x?}");
                assert!(r.deviations().is_empty(), "{bytes:02x?}");
            }
            None => assert!(
                checked.is_err() || !r.deviations().is_empty(),
                "{bytes:02x?} declined though valid"
            ),
        }
    }
}

proptest::proptest! {
    #[test]
    fn cp56_fast_path_agrees_with_the_checked_read(
        b in proptest::array::uniform7(proptest::prelude::any::<u8>()),
        ms in 0u16..60_000,
        minute in 0u8..64,
        hour in 0u8..32,
        day in 0u8..32,
        month in 0u8..16,
        year in 0u8..128,
    ) {
        fast_agrees::<LocalDateTime, Cp56Time2a>(&b);
        let [lo, hi] = ms.to_le_bytes();
        fast_agrees::<LocalDateTime, Cp56Time2a>(&[lo, hi, minute, hour, day, month, year]);
    }

    #[test]
    fn bcd_fast_paths_agree_with_the_checked_reads(
        b in proptest::array::uniform9(proptest::prelude::any::<u8>()),
        digits in proptest::collection::vec(0u8..10, 18),
    ) {
        fast_agrees::<Bcd<9>, Bcd<9>>(&b);
        fast_agrees::<u8, BcdByte>(&b[..1]);
        let mut d = [0u8; 9];
        for (i, x) in d.iter_mut().enumerate() {
            *x = digits[2 * i] << 4 | digits[2 * i + 1];
        }
        fast_agrees::<Bcd<9>, Bcd<9>>(&d);
        fast_agrees::<u8, BcdByte>(&d[..1]);
    }
}

#[test]
fn cp56_fast_path_knows_the_month_lengths() {
    // 29 Feb in a leap year, 29 Feb in a common year, 31 Apr, 31 Dec 2099
    for b in [
        [0, 0, 0, 0, 29, 2, 24],
        [0, 0, 0, 0, 29, 2, 25],
        [0, 0, 0, 0, 31, 4, 25],
        [0x5F, 0xEA, 59, 23, 31, 12, 99],
        [0, 0, 0, 0, 0, 1, 25],
        [0, 0, 0, 0, 1, 13, 25],
    ] {
        fast_agrees::<LocalDateTime, Cp56Time2a>(&b);
    }
    assert!(Cp56Time2a::read_fast(&[0, 0, 0, 0, 29, 2, 24], 0).is_some());
    assert!(Cp56Time2a::read_fast(&[0, 0, 0, 0, 29, 2, 25], 0).is_none());
}

#[test]
fn ascii_text_that_is_not_utf8_reads_back_to_the_same_bytes() {
    let raw = Ascii::<8>([b'A', 0x98, b'\\', b'x', b'4', b'1', 0xFF, 0]);
    let text = raw.to_string();
    assert_eq!(text, "A\\x98\\\\x41\\xff");
    assert_eq!(Ascii::<8>::from_escaped(&text), Some(raw));
    assert_eq!(Ascii::<4>::from_escaped("ab\\x4"), None);
    assert_eq!(Ascii::<4>::from_escaped("ab\\q"), None);
    assert_eq!(Ascii::<2>::from_escaped("abc"), None);
    assert_eq!(Ascii::<4>::from_escaped("ok").unwrap().as_str(), Some("ok"));
}
