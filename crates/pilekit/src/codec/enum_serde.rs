//! Reading protocol codes back from their canonical form.

use serde::Deserializer;
use serde::de::{self, MapAccess, Visitor};

/// Reads `{"name": .., "code": N}` or a bare `N` into a code.
pub fn deserialize_code<'de, D, R>(d: D) -> Result<R, D::Error>
where
    D: Deserializer<'de>,
    R: TryFrom<u64>,
{
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = u64;
        fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("a code or an object with `name` and `code`")
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
            Ok(v)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
            u64::try_from(v).map_err(|_| E::custom("code must not be negative"))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<u64, A::Error> {
            let mut code = None;
            while let Some(key) = map.next_key::<alloc::string::String>()? {
                if key == "code" {
                    code = Some(map.next_value::<u64>()?);
                } else {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
            code.ok_or_else(|| de::Error::missing_field("code"))
        }
    }
    let raw = d.deserialize_any(V)?;
    R::try_from(raw).map_err(|_| de::Error::custom(alloc::format!("code `{raw}` out of range")))
}
