//! CRC-16/MODBUS (poly 0x8005 reflected, init 0xFFFF, no final xor), slice-by-16.
//!
//! Written here rather than taken from the `crc` crate, whose slice-by-16 the tests compare
//! against: a frame's CRC is most of the cost of decoding it, and two things make this one
//! cheaper on the short inputs frames are (12 to 255 bytes). The blocks are read as `[u8; 16]`
//! arrays, so the loop has no bounds checks, and the last 1 to 15 bytes are folded in one step
//! with the same tables (slice-by-N for the N bytes left) instead of one byte at a time.

/// `TABLES[k][b]`: the CRC register contribution of byte `b` followed by `k` zero bytes.
static TABLES: [[u16; 256]; 16] = tables();

/// The reflected polynomial.
const POLY: u16 = 0xA001;

const fn tables() -> [[u16; 256]; 16] {
    let mut t = [[0u16; 256]; 16];
    let mut b = 0;
    while b < 256 {
        let mut crc = b as u16;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ POLY
            } else {
                crc >> 1
            };
            bit += 1;
        }
        t[0][b] = crc;
        b += 1;
    }
    let mut k = 1;
    while k < 16 {
        let mut b = 0;
        while b < 256 {
            let prev = t[k - 1][b];
            t[k][b] = (prev >> 8) ^ t[0][(prev & 0xFF) as usize];
            b += 1;
        }
        k += 1;
    }
    t
}

/// Folds `N` bytes (1 ≤ `N` ≤ 16) into `crc` in one step.
#[inline(always)]
fn fold<const N: usize>(crc: u16, bytes: &[u8; N]) -> u16 {
    if N == 1 {
        return (crc >> 8) ^ TABLES[0][usize::from(bytes[0] ^ crc as u8)];
    }
    let [lo, hi] = crc.to_le_bytes();
    let mut acc =
        TABLES[N - 1][usize::from(bytes[0] ^ lo)] ^ TABLES[N - 2][usize::from(bytes[1] ^ hi)];
    let mut i = 2;
    while i < N {
        acc ^= TABLES[N - 1 - i][usize::from(bytes[i])];
        i += 1;
    }
    acc
}

/// Folds the last 0 to 15 bytes of an input into `crc`.
#[inline(always)]
fn fold_rest(crc: u16, rest: &[u8]) -> u16 {
    macro_rules! by_len {
        ($($n:literal)*) => {
            match rest.len() {
                $( $n => match rest.first_chunk::<$n>() {
                    Some(b) => fold::<$n>(crc, b),
                    None => crc,
                }, )*
                _ => crc,
            }
        };
    }
    by_len!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
}

/// CRC-16/MODBUS of `bytes`.
#[inline]
pub(super) fn crc16_modbus(bytes: &[u8]) -> u16 {
    let (blocks, rest) = bytes.as_chunks::<16>();
    let mut crc = 0xFFFF;
    for block in blocks {
        crc = fold::<16>(crc, block);
    }
    fold_rest(crc, rest)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::crc16_modbus;

    const REFERENCE: crc::Crc<u16, crc::Table<16>> =
        crc::Crc::<u16, crc::Table<16>>::new(&crc::CRC_16_MODBUS);

    #[test]
    fn the_check_value_of_the_catalogue() {
        // The CRC catalogue's check value of CRC-16/MODBUS.
        assert_eq!(crc16_modbus(b"123456789"), 0x4B37);
        assert_eq!(crc16_modbus(&[]), 0xFFFF);
    }

    #[test]
    fn every_length_up_to_a_frame_and_more_agrees_with_the_crc_crate() {
        let bytes: alloc::vec::Vec<u8> = (0..300u32).map(|i| (i * 151 + 7) as u8).collect();
        for start in 0..3 {
            for end in start..bytes.len() {
                let s = &bytes[start..end];
                assert_eq!(crc16_modbus(s), REFERENCE.checksum(s), "{start}..{end}");
            }
        }
    }

    proptest! {
        #[test]
        fn agrees_with_the_crc_crate(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            prop_assert_eq!(crc16_modbus(&bytes), REFERENCE.checksum(&bytes));
        }
    }
}
