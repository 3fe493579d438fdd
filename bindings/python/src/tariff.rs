//! Plans, quotes and bills: `Plan`, `Quote`, `Bill`, `parse_time`.

use pilekit::UtcOffset;
use pilekit::api::{self, BillRequest, QuoteRequest};
use pilekit::tariff;
use pyo3::exceptions::PyAttributeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use serde_json::{Map, Value};

use crate::convert;
use crate::errors::{self, Family};

/// The canonical object of a serde value.
fn object<T: serde::Serialize>(v: &T) -> Map<String, Value> {
    match serde_json::to_value(v) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// A typed attribute of a canonical object.
fn attribute<'py>(
    py: Python<'py>,
    map: &Map<String, Value>,
    what: &str,
    name: &str,
) -> PyResult<Bound<'py, PyAny>> {
    match map.get(name) {
        Some(v) => convert::typed(py, name, v),
        None => Err(PyAttributeError::new_err(format!(
            "this {what} has no field `{name}`"
        ))),
    }
}

/// A time argument as the facade reads it: a `datetime` (naive: in the plan's offset), ISO
/// 8601 text, or Unix seconds.
fn time_text(t: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = t.cast::<PyString>() {
        return Ok(s.to_str()?.to_owned());
    }
    if t.is_instance(convert::datetime_type(t.py())?)? {
        return t
            .call_method("isoformat", (), Some(&seconds(t.py())?))?
            .extract();
    }
    Ok(t.extract::<i64>()?.to_string())
}

/// `timespec="seconds"`.
fn seconds(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let kw = PyDict::new(py);
    kw.set_item("timespec", "seconds")?;
    Ok(kw)
}

/// A tariff plan, read and checked: unknown keys are refused, naming the key.
#[pyclass(module = "pilekit._pilekit", frozen)]
pub struct Plan {
    pub(crate) plan: tariff::Plan,
}

#[pymethods]
impl Plan {
    /// A plan from its JSON text.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Plan> {
        let plan = api::load_plan(text).map_err(errors::of(Family::Plan))?;
        Ok(Plan { plan })
    }

    /// A plan from its canonical dict.
    #[staticmethod]
    fn from_dict(value: &Bound<'_, PyAny>) -> PyResult<Plan> {
        let text = serde_json::to_string(&convert::to_value(value)?)
            .map_err(|e| errors::shape(e, Family::Plan))?;
        Plan::from_json(&text)
    }

    /// The plan's UTC offset in seconds (times without one are read in it).
    #[getter]
    fn utc_offset_s(&self) -> i32 {
        self.plan.utc_offset.0
    }

    /// What `prepaid_yuan` buys (`power_w` for power-tier plans).
    #[pyo3(signature = (prepaid_yuan, power_w = None))]
    fn quote(
        &self,
        prepaid_yuan: &Bound<'_, PyAny>,
        power_w: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Quote> {
        let mut m = Map::new();
        m.insert("prepaid_yuan".into(), convert::to_value(prepaid_yuan)?);
        if let Some(p) = power_w {
            m.insert("power_w".into(), convert::to_value(p)?);
        }
        let request: QuoteRequest = serde_json::from_value(Value::Object(m))
            .map_err(|e| errors::shape(e, Family::Billing))?;
        let quote = api::quote_plan(&self.plan, &request).map_err(errors::of(Family::Billing))?;
        Ok(Quote {
            plan: self.plan.clone(),
            map: object(&quote),
            quote,
        })
    }

    /// The itemised bill of a session from `start` to `end` (`datetime`, ISO text or Unix
    /// seconds). Give at most one way of paying: `prepaid_yuan` (with `coins`),
    /// `card_expires` or `uses`; `samples` are dicts `{"at_unix_s", "power_w", "energy_kwh"}`.
    #[pyo3(signature = (start, end, *, power_w = None, energy_kwh = None, samples = None,
        prepaid_yuan = None, coins = false, card_expires = None, uses = None))]
    #[allow(clippy::too_many_arguments)]
    fn bill(
        &self,
        start: &Bound<'_, PyAny>,
        end: &Bound<'_, PyAny>,
        power_w: Option<&Bound<'_, PyAny>>,
        energy_kwh: Option<&Bound<'_, PyAny>>,
        samples: Option<&Bound<'_, PyAny>>,
        prepaid_yuan: Option<&Bound<'_, PyAny>>,
        coins: bool,
        card_expires: Option<&Bound<'_, PyAny>>,
        uses: Option<u32>,
    ) -> PyResult<Bill> {
        let mut m = Map::new();
        m.insert("start".into(), Value::String(time_text(start)?));
        m.insert("end".into(), Value::String(time_text(end)?));
        let mut put = |key: &str, v: Option<&Bound<'_, PyAny>>| -> PyResult<()> {
            if let Some(v) = v {
                m.insert(key.into(), convert::to_value(v)?);
            }
            Ok(())
        };
        put("power_w", power_w)?;
        put("energy_kwh", energy_kwh)?;
        put("samples", samples)?;
        put("prepaid_yuan", prepaid_yuan)?;
        if coins {
            m.insert("coins".into(), Value::Bool(true));
        }
        if let Some(c) = card_expires {
            m.insert("card_expires".into(), Value::String(time_text(c)?));
        }
        if let Some(u) = uses {
            m.insert("uses".into(), Value::from(u));
        }
        let request: BillRequest = serde_json::from_value(Value::Object(m))
            .map_err(|e| errors::shape(e, Family::Billing))?;
        let bill = api::bill_plan(&self.plan, &request).map_err(errors::of(Family::Billing))?;
        Ok(Bill::new(self.plan.clone(), bill))
    }

    /// The canonical form of the plan.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::plain(py, &Value::Object(object(&self.plan)))
    }

    /// The canonical form as one line of JSON.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.plan).map_err(|e| errors::shape(e, Family::Plan))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Plan>()
            .is_ok_and(|o| o.get().plan == self.plan)
    }

    fn __repr__(&self) -> String {
        format!("Plan({})", self.to_json().unwrap_or_default())
    }
}

/// What a prepayment buys under a plan. Attributes are the canonical fields, amounts as
/// `Decimal`.
#[pyclass(module = "pilekit._pilekit", frozen)]
pub struct Quote {
    plan: tariff::Plan,
    quote: tariff::Quote,
    map: Map<String, Value>,
}

#[pymethods]
impl Quote {
    /// The canonical form.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::plain(py, &Value::Object(self.map.clone()))
    }

    /// The canonical form as one line of JSON.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.map).map_err(|e| errors::shape(e, Family::Billing))
    }

    /// The quote for people, as `pilekit quote` prints it.
    fn text(&self) -> String {
        api::quote_text(&self.plan, &self.quote)
    }

    fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        attribute(py, &self.map, "quote", name)
    }

    fn __repr__(&self) -> String {
        format!(
            "Quote({})",
            serde_json::to_string(&self.map).unwrap_or_default()
        )
    }
}

/// An itemised bill: lines, subtotals, total, refund. Attributes are the canonical fields,
/// money and energy as `Decimal`; `start` and `end` are aware `datetime`s in the plan's offset.
#[pyclass(module = "pilekit._pilekit", frozen)]
pub struct Bill {
    plan: tariff::Plan,
    bill: tariff::Bill,
    map: Map<String, Value>,
}

impl Bill {
    /// The Python bill of a bill under `plan`.
    pub fn new(plan: tariff::Plan, bill: tariff::Bill) -> Self {
        Bill {
            map: object(&bill),
            plan,
            bill,
        }
    }
}

#[pymethods]
impl Bill {
    /// When the session started, in the plan's UTC offset.
    #[getter]
    fn start<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::datetime_at(py, self.bill.start, self.plan.utc_offset.0)
    }

    /// When the session ended, in the plan's UTC offset.
    #[getter]
    fn end<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::datetime_at(py, self.bill.end, self.plan.utc_offset.0)
    }

    /// The canonical form, as `pilekit bill --json` prints it.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::plain(py, &Value::Object(self.map.clone()))
    }

    /// The canonical form as one line of JSON.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.map).map_err(|e| errors::shape(e, Family::Billing))
    }

    /// The bilingual receipt, as `pilekit bill` prints it.
    fn receipt(&self) -> String {
        api::receipt(&self.plan, &self.bill)
    }

    fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        attribute(py, &self.map, "bill", name)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Bill>()
            .is_ok_and(|o| o.get().bill == self.bill)
    }

    fn __repr__(&self) -> String {
        format!(
            "Bill(total_yuan={}, refund_yuan={})",
            self.bill.total, self.bill.refund
        )
    }
}

/// Parses a time (ISO 8601 text, or Unix seconds as text) into an aware `datetime`; text
/// without an offset is read at `utc_offset_s` (China Standard Time by default).
#[pyfunction]
#[pyo3(signature = (text, utc_offset_s = 28800))]
pub fn parse_time<'py>(
    py: Python<'py>,
    text: &str,
    utc_offset_s: i32,
) -> PyResult<Bound<'py, PyAny>> {
    let unix =
        api::parse_time(text, UtcOffset(utc_offset_s)).map_err(errors::of(Family::Billing))?;
    convert::datetime_at(py, unix, utc_offset_s)
}
