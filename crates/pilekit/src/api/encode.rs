//! The canonical JSON of a record back to bytes.

use alloc::vec::Vec;

use serde_json::Value;

use super::error::{Error, ErrorKind};
use crate::codec::AnyFrame;
use crate::codec::dny::Iccid;

/// The bytes of one record in the canonical form `decode` gives: a frame (its `offset`, if
/// present, is ignored), or the text a DNY pile's module sends (`{"item": "iccid", "iccid":
/// ...}`, `{"item": "link"}`). Skipped runs and errors have no bytes and are `invalid_json`.
///
/// ```
/// let hex = "68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A";
/// let bytes = pilekit::hex::decode(hex)?;
/// let records = pilekit::api::decode(&bytes, &Default::default());
/// let json = serde_json::to_value(&records[0])?;
/// assert_eq!(pilekit::api::encode(&json)?, bytes);
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
pub fn encode(value: &Value) -> Result<Vec<u8>, Error> {
    let Value::Object(map) = value else {
        return Err(Error::new(
            ErrorKind::InvalidJson,
            "a record is a JSON object",
        ));
    };
    if let Some(item) = map.get("item") {
        return match item.as_str() {
            Some("link") => Ok(b"link".to_vec()),
            Some("iccid") => map
                .get("iccid")
                .and_then(Value::as_str)
                .filter(|s| Iccid::is_iccid(s.as_bytes()))
                .map(|s| s.as_bytes().to_vec())
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::InvalidValue,
                        "an `iccid` item needs the 20-character `iccid`",
                    )
                    .in_field("iccid")
                }),
            _ => Err(Error::new(
                ErrorKind::InvalidJson,
                alloc::format!("unknown item {item}; use `iccid` or `link`"),
            )
            .in_field("item")),
        };
    }
    for key in ["error", "skipped"] {
        if map.contains_key(key) && !map.contains_key("dialect") {
            return Err(Error::new(
                ErrorKind::InvalidJson,
                alloc::format!("a `{key}` record has no bytes to encode"),
            ));
        }
    }
    let frame = if map.contains_key("offset") {
        let mut map = map.clone();
        map.remove("offset");
        frame_of(Value::Object(map))
    } else {
        frame_of(value.clone())
    }?;
    Ok(frame.encode()?)
}

/// [`encode`] of JSON text.
pub fn encode_json(text: &str) -> Result<Vec<u8>, Error> {
    let value: Value = serde_json::from_str(text)?;
    encode(&value)
}

/// The frame of a JSON value.
fn frame_of(value: Value) -> Result<AnyFrame, Error> {
    serde_json::from_value(value).map_err(Error::json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_text_and_bad_records() {
        let iccid = serde_json::json!({"dialect": "dny", "item": "iccid", "offset": 0,
            "iccid": "89860413161892009275"});
        assert_eq!(encode(&iccid).unwrap(), b"89860413161892009275");
        let link = serde_json::json!({"dialect": "dny", "item": "link"});
        assert_eq!(encode(&link).unwrap(), b"link");
        let err = encode(&serde_json::json!({"item": "iccid", "iccid": "12"})).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidValue);
        let err = encode(&serde_json::json!({"error": {"kind": "truncated"}})).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidJson);
        let err = encode_json("{").unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidJson);
        let err = encode_json(r#"{"dialect": "xyz"}"#).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidJson);
    }
}
