//! Every error of the core as a Python exception of the tree in `pilekit.errors`:
//!
//! ```text
//! PileError                      .kind .offset .field .message
//! ├── DecodeError   (ValueError) bytes that are not a valid frame
//! ├── EncodeError   (ValueError) a record that cannot be written as bytes
//! ├── PlanError     (ValueError) a plan that is not valid (`.field` names the key)
//! ├── BillingError  (ValueError) a quote or bill that cannot be made as asked
//! └── SessionError               a station call that cannot be carried out
//! ```
//!
//! The class follows the error's kind; kinds that occur everywhere (`invalid_time`,
//! `invalid_value`, `invalid_json`, `invalid_quantity`) take the class of the call.

use pilekit::api::{Error, ErrorKind};
use pilekit::session::SessionError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Which call an error came from, for the kinds every call may raise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Decoding bytes.
    Decode,
    /// Encoding a record.
    Encode,
    /// Reading a plan.
    Plan,
    /// Quotes and bills.
    Billing,
    /// Station calls.
    Session,
}

impl Family {
    fn class(self) -> &'static str {
        match self {
            Family::Decode => "DecodeError",
            Family::Encode => "EncodeError",
            Family::Plan => "PlanError",
            Family::Billing => "BillingError",
            Family::Session => "SessionError",
        }
    }
}

/// The family of a kind, or `None` for the kinds every call may raise.
fn family_of(kind: ErrorKind) -> Option<Family> {
    use ErrorKind as K;
    Some(match kind {
        K::Truncated
        | K::BadStart
        | K::ChecksumMismatch
        | K::LengthMismatch
        | K::BadLength
        | K::InvalidBcd
        | K::TrailingBytes
        | K::UnknownDialect
        | K::AmbiguousDirection
        | K::InvalidHex => Family::Decode,
        K::NotRepresentable | K::TooLong | K::WrongDialect | K::MissingValue => Family::Encode,
        K::InvalidPlan | K::UnknownKey => Family::Plan,
        K::InvalidUsage | K::InvalidPayment | K::Refused | K::Overflow => Family::Billing,
        _ => return None,
    })
}

/// The attributes of an exception.
struct Fields<'a> {
    kind: &'a str,
    offset: Option<usize>,
    field: Option<&'a str>,
    message: &'a str,
    refusal: Option<&'a str>,
}

/// An exception instance of `class` (a name in `pilekit.errors`) with `text` as its `str()`.
fn exception(py: Python<'_>, class: &str, text: String, f: Fields<'_>) -> PyErr {
    let Fields {
        kind,
        offset,
        field,
        message,
        refusal,
    } = f;
    let build = || -> PyResult<PyErr> {
        let cls = py.import("pilekit.errors")?.getattr(class)?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("kind", kind)?;
        kwargs.set_item("offset", offset)?;
        kwargs.set_item("field", field)?;
        kwargs.set_item("message", message)?;
        if let Some(r) = refusal {
            kwargs.set_item("refusal", r)?;
        }
        Ok(PyErr::from_value(cls.call((text,), Some(&kwargs))?))
    };
    build().unwrap_or_else(|e| e)
}

/// The exception of a facade error raised by a call of `family`.
pub fn to_py(err: Error, family: Family) -> PyErr {
    Python::attach(|py| {
        let class = family_of(err.kind).unwrap_or(family).class();
        exception(
            py,
            class,
            err.to_string(),
            Fields {
                kind: err.kind.as_str(),
                offset: err.offset,
                field: err.field.as_deref(),
                message: &err.message,
                refusal: None,
            },
        )
    })
}

/// A closure mapping facade errors of `family`, for `map_err`.
pub fn of(family: Family) -> impl Fn(Error) -> PyErr {
    move |e| to_py(e, family)
}

/// The exception of a station call that could not be carried out: `.kind` is `unknown_pile`,
/// `offline`, `no_session` or `refused` (then `.refusal` is the reason, `port_busy`, ...).
pub fn session(err: SessionError) -> PyErr {
    let (kind, refusal) = match &err {
        SessionError::UnknownPile(_) => ("unknown_pile", None),
        SessionError::Offline(_) => ("offline", None),
        SessionError::NoSession { .. } => ("no_session", None),
        SessionError::Refused(r) => (
            "refused",
            serde_json::to_value(r)
                .ok()
                .and_then(|v| v.get("reason").and_then(|r| r.as_str()).map(str::to_owned)),
        ),
        _ => ("session", None),
    };
    let text = err.to_string();
    Python::attach(|py| {
        exception(
            py,
            Family::Session.class(),
            text.clone(),
            Fields {
                kind,
                offset: None,
                field: None,
                message: &text,
                refusal: refusal.as_deref(),
            },
        )
    })
}

/// An `invalid_json` error of a value that does not have the shape a call needs.
pub fn shape(e: serde_json::Error, family: Family) -> PyErr {
    to_py(Error::new(ErrorKind::InvalidJson, e.to_string()), family)
}
