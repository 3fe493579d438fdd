//! Hex text as field engineers paste it from logs: `68 0C 00 00`, `680C0000`, `0x68,0x0C`.

use alloc::string::String;
use alloc::vec::Vec;

/// The error of reading hex text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HexError {
    /// A character that is not a hex digit or a separator.
    #[error("invalid hex character `{character}` at offset {offset}")]
    InvalidCharacter {
        /// The offending character.
        character: char,
        /// Its byte offset in the text.
        offset: usize,
    },
    /// An odd number of hex digits: the last byte is incomplete.
    #[error("odd number of hex digits ({digits}): the last byte is incomplete")]
    OddLength {
        /// How many hex digits the text held.
        digits: usize,
    },
}

/// Encodes bytes as lowercase hex without separators.
pub fn encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0x0F)] as char);
    }
    s
}

/// Encodes bytes as uppercase hex pairs separated by spaces, the way protocol documents print
/// frames.
pub fn encode_spaced(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0x0F)] as char);
    }
    s
}

/// Decodes hex text. Whitespace, `,`, `:`, `-` and `0x` prefixes between bytes are ignored.
pub fn decode(text: &str) -> Result<Vec<u8>, HexError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 2);
    let mut high: Option<u8> = None;
    let mut digits = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let nibble = match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            b' ' | b'\t' | b'\r' | b'\n' | b',' | b':' | b'-' => None,
            _ => {
                let character = text[i..].chars().next().unwrap_or('?');
                return Err(HexError::InvalidCharacter {
                    character,
                    offset: i,
                });
            }
        };
        // `0x` / `0X` prefix in front of a byte
        if c == b'0'
            && high.is_none()
            && matches!(bytes.get(i + 1), Some(b'x' | b'X'))
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
        {
            i += 2;
            continue;
        }
        if let Some(n) = nibble {
            digits += 1;
            match high.take() {
                Some(h) => out.push(h << 4 | n),
                None => high = Some(n),
            }
        }
        i += 1;
    }
    if high.is_some() {
        return Err(HexError::OddLength { digits });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn accepts_what_logs_contain() {
        assert_eq!(decode("68 0C 00").unwrap(), vec![0x68, 0x0C, 0x00]);
        assert_eq!(decode("680c00").unwrap(), vec![0x68, 0x0C, 0x00]);
        assert_eq!(decode("0x68,0x0C").unwrap(), vec![0x68, 0x0C]);
        assert_eq!(decode("").unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn says_what_is_wrong_and_where() {
        assert_eq!(
            decode("68 0G"),
            Err(HexError::InvalidCharacter {
                character: 'G',
                offset: 4
            })
        );
        assert_eq!(decode("68 0"), Err(HexError::OddLength { digits: 3 }));
    }

    #[test]
    fn encodes_both_ways() {
        assert_eq!(encode(&[0x68, 0x0C]), "680c");
        assert_eq!(encode_spaced(&[0x68, 0x0C]), "68 0C");
    }
}
