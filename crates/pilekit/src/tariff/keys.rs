//! The keys a plan document may hold, so that a misspelt key (`free_minutes` for `free_min`) is
//! refused instead of silently ignored.
//!
//! Plans flatten their pricing family into the top level, which serde's `deny_unknown_fields`
//! cannot check. [`PlanKeys`] reads just the object keys of a plan document (from any serde
//! format) and [`PlanKeys::check`] compares them with the keys of the plan's family; nested
//! objects without flattening (`rounding`, `rates`, `selection`, `base`) refuse unknown keys
//! themselves.

use alloc::string::String;
use alloc::vec::Vec;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::TariffError;

/// Keys every plan may have, whatever its family.
const COMMON: &[&str] = &[
    "name",
    "family",
    "service_fee",
    "free_min",
    "minimum_yuan",
    "cap_yuan",
    "cap_at_prepaid",
    "rounding",
    "utc_offset_s",
];

/// The keys of each family's parameters.
const FAMILIES: &[(&str, &[&str])] = &[
    ("fixed_block", &["price_yuan", "block_min", "billed_by"]),
    ("hourly", &["yuan_per_hour", "billed_by"]),
    ("power_tiers", &["tiers", "selection", "base", "billed_by"]),
    ("time_of_use", &["rates", "slots", "calendar"]),
    ("package", &["price_yuan", "duration_min", "stop_when_full"]),
    (
        "monthly_card",
        &[
            "price_yuan",
            "days",
            "max_session_min",
            "uses_per_day",
            "max_power_w",
            "fallback",
        ],
    ),
    ("per_use", &["price_yuan", "max_session_min"]),
    (
        "starting_price",
        &[
            "start_price_yuan",
            "included_min",
            "then_yuan_per_hour",
            "billed_by",
            "included_kwh",
            "then_yuan_per_kwh",
        ],
    ),
];

/// The keys of one power tier.
const TIER: &[&str] = &["max_w", "yuan_per_hour", "time_ratio_pct", "yuan_per_kwh"];

/// The shape of a document without its values: objects with their keys, arrays, and text
/// (kept, since the `family` names which keys are valid).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
    Text(String),
    Other,
}

impl Node {
    fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn keys(&self) -> impl Iterator<Item = &str> {
        let entries = match self {
            Node::Object(entries) => entries.as_slice(),
            _ => &[],
        };
        entries.iter().map(|(k, _)| k.as_str())
    }
}

/// The keys of a plan document, read before the plan itself to refuse keys it does not know.
///
/// ```
/// # #[cfg(feature = "std")] {
/// use pilekit::tariff::PlanKeys;
/// # fn keys(json: &str) -> PlanKeys { serde_json::from_str(json).unwrap() }
/// let doc = r#"{"family": "hourly", "yuan_per_hour": 0.25, "free_minutes": 5}"#;
/// let err = keys(doc).check().unwrap_err();
/// assert!(err.to_string().starts_with("unknown key `free_minutes`"));
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanKeys(Node);

impl PlanKeys {
    /// Checks every key against the plan's family: the first unknown key is an error naming it
    /// and the keys that would be valid there. A document without a known `family` passes
    /// (reading the plan reports that).
    pub fn check(&self) -> Result<(), TariffError> {
        let Some(Node::Text(family)) = self.0.get("family") else {
            return Ok(());
        };
        let Some((family, own)) = FAMILIES.iter().find(|(name, _)| name == family) else {
            return Ok(());
        };
        let valid = |k: &str| COMMON.contains(&k) || own.contains(&k);
        if let Some(key) = self.0.keys().find(|k| !valid(k)) {
            return Err(unknown(key, "", COMMON.iter().chain(own.iter())));
        }
        if *family == "starting_price" {
            // a starting price includes time or energy, not both
            let time = ["included_min", "then_yuan_per_hour", "billed_by"];
            if self.0.keys().any(|k| time.contains(&k))
                && let Some(key) = self
                    .0
                    .keys()
                    .find(|k| ["included_kwh", "then_yuan_per_kwh"].contains(k))
            {
                return Err(unknown(
                    key,
                    " beside included time",
                    COMMON
                        .iter()
                        .chain([&"start_price_yuan"])
                        .chain(time.iter()),
                ));
            }
        }
        if *family == "power_tiers"
            && let Some(Node::Array(tiers)) = self.0.get("tiers")
        {
            for tier in tiers {
                if let Some(key) = tier.keys().find(|k| !TIER.contains(k)) {
                    return Err(unknown(key, " of a tier", TIER.iter()));
                }
            }
        }
        Ok(())
    }
}

fn unknown<'a>(key: &str, place: &str, valid: impl Iterator<Item = &'a &'a str>) -> TariffError {
    let mut list = String::new();
    for (i, k) in valid.enumerate() {
        if i > 0 {
            list.push_str(", ");
        }
        list.push_str(k);
    }
    TariffError::UnknownKey {
        key: alloc::format!("{key}{place}"),
        valid: list,
    }
}

impl<'de> Deserialize<'de> for PlanKeys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Node::deserialize(d).map(PlanKeys)
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a plan document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            entries.push((key, map.next_value::<Node>()?));
        }
        Ok(Node::Object(entries))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Text(v.into()))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Other)
    }

    // The key check only looks at the shape of the document: a number's value is dropped here,
    // never read (plans read their numbers exactly, as decimal text, in `canonical`).
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Node, A::Error> {
        let (_, variant): (IgnoredAny, _) = data.variant()?;
        de::VariantAccess::newtype_variant::<IgnoredAny>(variant).map(|_| Node::Other)
    }
}
