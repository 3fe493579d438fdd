//! Test support for layouts.

use alloc::vec::Vec;

use super::{Reader, Wire, Writer};
use crate::codec::Policy;

/// Checks that a layout survives an encode and a decode unchanged, consuming exactly its bytes.
pub(crate) fn roundtrip<T: Wire + PartialEq + core::fmt::Debug>(v: &T) {
    let mut out = Vec::new();
    v.write(&mut Writer::new(&mut out)).expect("encodes");
    let mut r = Reader::new(&out, 0, Policy::Strict);
    let back = T::read(&mut r).expect("decodes");
    assert_eq!(&back, v);
    assert_eq!(r.remaining(), 0, "layout consumed exactly its bytes");
}
