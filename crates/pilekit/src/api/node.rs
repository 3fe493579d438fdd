//! An ordered tree of a serialised value: the canonical form with its keys in the order the
//! types write them (a `serde_json::Value` sorts keys without `std`'s `preserve_order`).

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use serde::ser::{self, Serialize, Serializer};

/// A serialised value, keys in writing order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    /// A canonical decimal as the serde boundary carries it (no arithmetic is done on it).
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl Node {
    /// The tree of `value`.
    pub(crate) fn of<T: Serialize + ?Sized>(value: &T) -> Result<Node, NodeError> {
        value.serialize(NodeSerializer)
    }

    /// The value under `key` of a map.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string node.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Node::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value of a non-negative integer node.
    pub(crate) fn as_u64(&self) -> Option<u64> {
        match *self {
            Node::UInt(v) => Some(v),
            Node::Int(v) => u64::try_from(v).ok(),
            _ => None,
        }
    }

    /// Whether the node is a number.
    pub(crate) fn is_number(&self) -> bool {
        matches!(self, Node::Int(_) | Node::UInt(_) | Node::Float(_))
    }
}

/// Numbers and literals as JSON writes them (`8.0` for a whole decimal, as `serde_json` does).
impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Null => f.write_str("null"),
            Node::Bool(b) => write!(f, "{b}"),
            Node::Int(v) => write!(f, "{v}"),
            Node::UInt(v) => write!(f, "{v}"),
            Node::Float(v) => {
                let text = v.to_string();
                f.write_str(&text)?;
                if text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                    f.write_str(".0")?;
                }
                Ok(())
            }
            Node::Str(s) => write_json_str(f, s),
            Node::Seq(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Node::Map(entries) => {
                f.write_str("{")?;
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write_json_str(f, k)?;
                    write!(f, ":{v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

/// Writes `s` as a JSON string.
fn write_json_str(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if u32::from(c) < 0x20 => write!(f, "\\u{:04x}", u32::from(c))?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use ser::{SerializeMap, SerializeSeq};
        match self {
            Node::Null => s.serialize_unit(),
            Node::Bool(b) => s.serialize_bool(*b),
            Node::Int(v) => s.serialize_i64(*v),
            Node::UInt(v) => s.serialize_u64(*v),
            Node::Float(v) => s.serialize_f64(*v),
            Node::Str(v) => s.serialize_str(v),
            Node::Seq(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Map(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// A value that could not be serialised (a map key that is not text, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NodeError(pub(crate) String);

impl fmt::Display for NodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl core::error::Error for NodeError {}

impl ser::Error for NodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        NodeError(msg.to_string())
    }
}

struct NodeSerializer;

/// A sequence, tuple, map or struct being built; `tag` wraps it as `{tag: ...}` (variants).
pub(crate) struct Compound {
    tag: Option<&'static str>,
    items: Vec<Node>,
    entries: Vec<(String, Node)>,
    key: Option<String>,
}

impl Compound {
    fn new(tag: Option<&'static str>) -> Self {
        Self {
            tag,
            items: Vec::new(),
            entries: Vec::new(),
            key: None,
        }
    }

    fn wrap(tag: Option<&'static str>, node: Node) -> Node {
        match tag {
            Some(t) => Node::Map(alloc::vec![(t.into(), node)]),
            None => node,
        }
    }

    fn end_seq(self) -> Node {
        Self::wrap(self.tag, Node::Seq(self.items))
    }

    fn end_map(self) -> Node {
        Self::wrap(self.tag, Node::Map(self.entries))
    }
}

impl Serializer for NodeSerializer {
    type Ok = Node;
    type Error = NodeError;
    type SerializeSeq = Compound;
    type SerializeTuple = Compound;
    type SerializeTupleStruct = Compound;
    type SerializeTupleVariant = Compound;
    type SerializeMap = Compound;
    type SerializeStruct = Compound;
    type SerializeStructVariant = Compound;

    fn serialize_bool(self, v: bool) -> Result<Node, NodeError> {
        Ok(Node::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Node, NodeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Node, NodeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Node, NodeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Node, NodeError> {
        Ok(Node::Int(v))
    }
    fn serialize_i128(self, v: i128) -> Result<Node, NodeError> {
        i64::try_from(v)
            .map(Node::Int)
            .or_else(|_| Ok(Node::Str(v.to_string())))
    }
    fn serialize_u8(self, v: u8) -> Result<Node, NodeError> {
        Ok(Node::UInt(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Node, NodeError> {
        Ok(Node::UInt(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Node, NodeError> {
        Ok(Node::UInt(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Node, NodeError> {
        Ok(Node::UInt(v))
    }
    fn serialize_u128(self, v: u128) -> Result<Node, NodeError> {
        u64::try_from(v)
            .map(Node::UInt)
            .or_else(|_| Ok(Node::Str(v.to_string())))
    }
    fn serialize_f32(self, v: f32) -> Result<Node, NodeError> {
        Ok(Node::Float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<Node, NodeError> {
        Ok(Node::Float(v))
    }
    fn serialize_char(self, v: char) -> Result<Node, NodeError> {
        Ok(Node::Str(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Node, NodeError> {
        Ok(Node::Str(v.into()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Node, NodeError> {
        Ok(Node::Seq(v.iter().map(|&b| Node::UInt(b.into())).collect()))
    }
    fn serialize_none(self) -> Result<Node, NodeError> {
        Ok(Node::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Node, NodeError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Node, NodeError> {
        Ok(Node::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Node, NodeError> {
        Ok(Node::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Node, NodeError> {
        Ok(Node::Str(variant.into()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<Node, NodeError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<Node, NodeError> {
        Ok(Compound::wrap(Some(variant), v.serialize(self)?))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound, NodeError> {
        Ok(Compound::new(None))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound, NodeError> {
        Ok(Compound::new(None))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound, NodeError> {
        Ok(Compound::new(None))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound, NodeError> {
        Ok(Compound::new(Some(variant)))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound, NodeError> {
        Ok(Compound::new(None))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound, NodeError> {
        Ok(Compound::new(None))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound, NodeError> {
        Ok(Compound::new(Some(variant)))
    }
}

impl ser::SerializeSeq for Compound {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), NodeError> {
        self.items.push(v.serialize(NodeSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Node, NodeError> {
        Ok(self.end_seq())
    }
}

impl ser::SerializeTuple for Compound {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), NodeError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Node, NodeError> {
        Ok(self.end_seq())
    }
}

impl ser::SerializeTupleStruct for Compound {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), NodeError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Node, NodeError> {
        Ok(self.end_seq())
    }
}

impl ser::SerializeTupleVariant for Compound {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), NodeError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Node, NodeError> {
        Ok(self.end_seq())
    }
}

impl ser::SerializeMap for Compound {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), NodeError> {
        self.key = Some(match k.serialize(NodeSerializer)? {
            Node::Str(s) => s,
            other @ (Node::Int(_) | Node::UInt(_) | Node::Bool(_)) => other.to_string(),
            _ => return Err(NodeError("a map key must be text or a number".into())),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), NodeError> {
        let key = self.key.take().unwrap_or_default();
        self.entries.push((key, v.serialize(NodeSerializer)?));
        Ok(())
    }
    fn end(self) -> Result<Node, NodeError> {
        Ok(self.end_map())
    }
}

impl ser::SerializeStruct for Compound {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), NodeError> {
        self.entries
            .push((key.into(), v.serialize(NodeSerializer)?));
        Ok(())
    }
    fn end(self) -> Result<Node, NodeError> {
        Ok(self.end_map())
    }
}

impl ser::SerializeStructVariant for Compound {
    type Ok = Node;
    type Error = NodeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), NodeError> {
        ser::SerializeStruct::serialize_field(self, key, v)
    }
    fn end(self) -> Result<Node, NodeError> {
        Ok(self.end_map())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[derive(serde::Serialize)]
    struct S {
        zeta: u8,
        alpha: Option<&'static str>,
        list: [f64; 2],
    }

    #[test]
    fn keeps_the_writing_order_and_prints_numbers_as_json_does() {
        let node = Node::of(&S {
            zeta: 1,
            alpha: None,
            list: [8.0, 373.2],
        })
        .unwrap();
        assert_eq!(
            node,
            Node::Map(vec![
                ("zeta".into(), Node::UInt(1)),
                ("alpha".into(), Node::Null),
                (
                    "list".into(),
                    Node::Seq(vec![Node::Float(8.0), Node::Float(373.2)])
                ),
            ])
        );
        assert_eq!(
            node.to_string(),
            r#"{"zeta":1,"alpha":null,"list":[8.0,373.2]}"#
        );
    }
}
