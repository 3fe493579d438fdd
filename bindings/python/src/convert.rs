//! Canonical values (serde JSON) to Python objects and back.
//!
//! Two readings of a canonical value:
//!
//! - *plain*, for `to_dict()`: what `json.loads` gives for the same JSON text (floats, ints,
//!   strings), so a record equals the command line's `--json` line;
//! - *typed*, for attributes: every JSON float (the canonical form writes only exact decimals
//!   as floats) and every decimal string under a money or energy key becomes a
//!   `decimal.Decimal` from its shortest text, exactly; RFC 3339 text with an offset becomes an
//!   aware `datetime`.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use serde_json::{Map, Number, Value};

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// `decimal.Decimal`.
pub fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DECIMAL.import(py, "decimal", "Decimal")
}

/// `datetime.datetime`.
pub fn datetime_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DATETIME.import(py, "datetime", "datetime")
}

/// A `Decimal` of decimal text.
pub fn decimal<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    decimal_type(py)?.call1((text,))
}

/// An aware `datetime` of RFC 3339 text (`Z` or `±hh:mm`).
pub fn datetime<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let text = match text.strip_suffix('Z') {
        Some(t) => format!("{t}+00:00"),
        None => text.to_owned(),
    };
    datetime_type(py)?.call_method1("fromisoformat", (text,))
}

/// An aware `datetime` of Unix seconds shown at a UTC offset.
pub fn datetime_at<'py>(py: Python<'py>, unix: i64, offset_s: i32) -> PyResult<Bound<'py, PyAny>> {
    let dt = py.import("datetime")?;
    let delta = dt.getattr("timedelta")?.call1((0, offset_s))?;
    let tz = dt.getattr("timezone")?.call1((delta,))?;
    datetime_type(py)?.call_method1("fromtimestamp", (unix, tz))
}

/// Whether text is RFC 3339 with an offset: `YYYY-MM-DDThh:mm:ss[.f]` and `Z` or `±hh:mm`.
fn is_instant(text: &str) -> bool {
    let b = text.as_bytes();
    let digits =
        |r: core::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let shape = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    shape
        && (text.ends_with('Z')
            || (b.len() >= 25 && matches!(b[b.len() - 6], b'+' | b'-') && b[b.len() - 3] == b':'))
}

/// Whether a key names a money or energy amount (`total_yuan`, `energy_kwh`,
/// `unit_price_yuan_per_kwh`).
fn is_amount_key(key: &str) -> bool {
    key.ends_with("_yuan") || key.ends_with("_kwh") || key.contains("_yuan_per_")
}

/// The plain Python value of a canonical value (what `json.loads` gives).
pub fn plain<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => number(py, n)?,
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(a) => {
            let list = PyList::empty(py);
            for x in a {
                list.append(plain(py, x)?)?;
            }
            list.into_any()
        }
        Value::Object(m) => {
            let dict = PyDict::new(py);
            for (k, x) in m {
                dict.set_item(k, plain(py, x)?)?;
            }
            dict.into_any()
        }
    })
}

fn number<'py>(py: Python<'py>, n: &Number) -> PyResult<Bound<'py, PyAny>> {
    Ok(if let Some(i) = n.as_i64() {
        i.into_pyobject(py)?.into_any()
    } else if let Some(u) = n.as_u64() {
        u.into_pyobject(py)?.into_any()
    } else {
        PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any()
    })
}

/// The typed Python value of a canonical value under `key` (see the module docs).
pub fn typed<'py>(py: Python<'py>, key: &str, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Number(n) if n.is_f64() => {
            // The shortest text of the float is the exact decimal the canonical form wrote.
            decimal(py, &n.to_string())?
        }
        Value::String(s) if is_amount_key(key) && s.parse::<f64>().is_ok() => decimal(py, s)?,
        Value::String(s) if is_instant(s) => datetime(py, s)?,
        Value::Array(a) => {
            let list = PyList::empty(py);
            for x in a {
                list.append(typed(py, key, x)?)?;
            }
            list.into_any()
        }
        Value::Object(m) => typed_dict(py, m)?.into_any(),
        other => plain(py, other)?,
    })
}

/// A typed dict of a canonical object.
pub fn typed_dict<'py>(py: Python<'py>, m: &Map<String, Value>) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (k, x) in m {
        dict.set_item(k, typed(py, k, x)?)?;
    }
    Ok(dict)
}

/// The canonical value of a Python object: dicts with string keys, lists and tuples, strings,
/// ints, floats, bools, `None`, `Decimal` (as its exact text, which the canonical form reads
/// exactly) and `datetime` (as ISO 8601 text).
pub fn to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let py = obj.py();
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        let u: u64 = obj.extract()?;
        return Ok(Value::from(u));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| PyTypeError::new_err("a number must be finite"));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_str()?.to_owned()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, x) in d.iter() {
            let key: String = k
                .extract()
                .map_err(|_| PyTypeError::new_err("dict keys must be strings"))?;
            map.insert(key, to_value(&x)?);
        }
        return Ok(Value::Object(map));
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return l
            .iter()
            .map(|x| to_value(&x))
            .collect::<PyResult<_>>()
            .map(Value::Array);
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        return t
            .iter()
            .map(|x| to_value(&x))
            .collect::<PyResult<_>>()
            .map(Value::Array);
    }
    if obj.is_instance(decimal_type(py)?)? {
        return Ok(Value::String(obj.str()?.to_str()?.to_owned()));
    }
    if obj.is_instance(datetime_type(py)?)? {
        let text: String = obj.call_method1("isoformat", ())?.extract()?;
        return Ok(Value::String(text));
    }
    Err(PyTypeError::new_err(format!(
        "cannot convert `{}` to a canonical value",
        obj.get_type().name()?
    )))
}
