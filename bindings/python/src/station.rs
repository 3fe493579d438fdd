//! The session engine: `Station` and its `Notification`s.

use std::sync::{Mutex, MutexGuard, PoisonError};

use pilekit::model::{PileId, PortNo};
use pilekit::session::{self, Config, LinkId, StartRequest};
use pilekit::time::Timestamp;
use pyo3::exceptions::{PyAttributeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyInt};
use serde_json::{Map, Value};

use crate::convert;
use crate::errors::{self, Family};
use crate::tariff::Plan;

/// A time argument: an aware `datetime` or Unix seconds.
fn now_of(t: &Bound<'_, PyAny>) -> PyResult<Timestamp> {
    let unix: i64 = if t.is_instance_of::<PyInt>() {
        t.extract()?
    } else if t.is_instance(convert::datetime_type(t.py())?)? {
        if t.getattr("tzinfo")?.is_none() {
            return Err(PyValueError::new_err(
                "a naive datetime is ambiguous: give one with tzinfo, or Unix seconds",
            ));
        }
        t.call_method0("timestamp")?
            .call_method0("__floor__")?
            .extract()?
    } else {
        return Err(PyTypeError::new_err(
            "a time is a datetime with tzinfo or Unix seconds",
        ));
    };
    Timestamp::from_unix(unix)
        .ok_or_else(|| PyValueError::new_err(format!("`{unix}` is outside the years 1970 to 9999")))
}

/// A value of the canonical form of `T`.
fn from_value<T: serde::de::DeserializeOwned>(v: Value, what: &str) -> PyResult<T> {
    serde_json::from_value(v).map_err(|e| {
        errors::to_py(
            pilekit::api::Error::new(
                pilekit::api::ErrorKind::InvalidValue,
                format!("{what} is not valid: {e}"),
            )
            .in_field(what),
            Family::Session,
        )
    })
}

fn pile_of(pile: &str) -> PyResult<PileId> {
    from_value(Value::String(pile.to_owned()), "pile")
}

fn port_of(port: u8) -> PyResult<PortNo> {
    PortNo::new(port).ok_or_else(|| PyValueError::new_err("ports are numbered from 1"))
}

/// Something the station tells the platform. `kind` is its name (`pile_online`,
/// `session_started`, `session_ended`, ...); the other fields are attributes (amounts
/// `Decimal`, times aware `datetime`; a `session_ended` notification has the session record's
/// fields, its `bill` a dict).
#[pyclass(module = "pilekit._pilekit", frozen)]
pub struct Notification {
    map: Map<String, Value>,
}

#[pymethods]
impl Notification {
    /// The notification's name.
    #[getter]
    fn kind(&self) -> &str {
        self.map
            .get("notification")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// The canonical form, `{"notification": "session_ended", ...}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::plain(py, &Value::Object(self.map.clone()))
    }

    /// The canonical form as one line of JSON.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.map).map_err(|e| errors::shape(e, Family::Session))
    }

    fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        match self.map.get(name) {
            Some(v) => convert::typed(py, name, v),
            None => Err(PyAttributeError::new_err(format!(
                "a `{}` notification has no field `{name}`",
                self.kind()
            ))),
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "Notification({})",
            serde_json::to_string(&self.map).unwrap_or_default()
        )
    }
}

/// A sans-IO engine for many piles, every socket's session from plug-in to settled receipt.
///
/// Call order: `connect` for each new TCP connection (keep the link number); `handle_bytes`
/// with whatever it delivers; after every call drain `poll_transmit` (write each to its link)
/// and `poll_notification`; call `handle_timeout` at `poll_timeout`; `disconnect` when the
/// connection closes. Times are aware `datetime`s or Unix seconds; the station reads no clock.
#[pyclass(module = "pilekit._pilekit")]
pub struct Station {
    // `session::Station` is `Send` but not `Sync`; the mutex makes the class shareable, and
    // `&mut self` methods reach it without locking.
    inner: Mutex<session::Station>,
}

impl Station {
    fn engine(&mut self) -> &mut session::Station {
        self.inner.get_mut().unwrap_or_else(PoisonError::into_inner)
    }

    fn view(&self) -> MutexGuard<'_, session::Station> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[pymethods]
impl Station {
    /// A station billing with `plan`; `config` overrides defaults of the engine's configuration
    /// by key (`start_timeout_s`, `offline_after_s`, `budget`, ...).
    #[new]
    #[pyo3(signature = (plan, config = None))]
    fn new(plan: &Plan, config: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let mut base = match serde_json::to_value(Config::default()) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        };
        if let Some(c) = config {
            let Value::Object(given) = convert::to_value(c)? else {
                return Err(PyTypeError::new_err("config is a dict"));
            };
            for (k, v) in given {
                if !base.contains_key(&k) {
                    let keys: Vec<&str> = base.keys().map(String::as_str).collect();
                    return Err(PyValueError::new_err(format!(
                        "unknown config key `{k}`; the keys are {}",
                        keys.join(", ")
                    )));
                }
                base.insert(k, v);
            }
        }
        let config: Config = from_value(Value::Object(base), "config")?;
        Ok(Station {
            inner: Mutex::new(session::Station::new(config, plan.plan.clone())),
        })
    }

    /// A new link, for a new connection: returns its number.
    fn connect(&mut self, now: &Bound<'_, PyAny>) -> PyResult<u64> {
        Ok(self.engine().connect(now_of(now)?).0)
    }

    /// The connection of `link` closed: its piles go offline (their sessions stay open).
    fn disconnect(&mut self, link: u64, now: &Bound<'_, PyAny>) -> PyResult<()> {
        self.engine().disconnect(LinkId(link), now_of(now)?);
        Ok(())
    }

    /// Bytes from a link, in any chunking.
    fn handle_bytes(&mut self, link: u64, data: &[u8], now: &Bound<'_, PyAny>) -> PyResult<()> {
        self.engine().handle_bytes(LinkId(link), data, now_of(now)?);
        Ok(())
    }

    /// Runs what is due at `now` (offline piles, start timeouts, limits, full and unplug).
    fn handle_timeout(&mut self, now: &Bound<'_, PyAny>) -> PyResult<()> {
        self.engine().handle_timeout(now_of(now)?);
        Ok(())
    }

    /// Starts a charge. `request` is the canonical start request:
    /// `{"order": "Q1", "payment": {"method": "prepaid", "amount_yuan": 1}, "limit": {"by":
    /// "from_quote"}, "card": None}` (`limit` and `card` optional). Refusals the station sees at
    /// once raise `SessionError`; the pile's answer comes as a notification.
    fn start(
        &mut self,
        pile: &str,
        port: u8,
        request: &Bound<'_, PyAny>,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let Value::Object(mut m) = convert::to_value(request)? else {
            return Err(PyTypeError::new_err("request is a dict"));
        };
        m.entry("limit")
            .or_insert_with(|| serde_json::json!({"by": "from_quote"}));
        m.entry("card").or_insert(Value::Null);
        let request: StartRequest = from_value(Value::Object(m), "request")?;
        self.engine()
            .start(pile_of(pile)?, port_of(port)?, request, now_of(now)?)
            .map_err(errors::session)
    }

    /// Stops the charge on a port.
    fn stop(&mut self, pile: &str, port: u8, now: &Bound<'_, PyAny>) -> PyResult<()> {
        self.engine()
            .stop(pile_of(pile)?, port_of(port)?, now_of(now)?)
            .map_err(errors::session)
    }

    /// Answers a card swipe (a `card_swipe` notification): `card` as the notification gives it,
    /// `balance_yuan` the card's balance to show.
    #[pyo3(signature = (pile, port, card, accepted, balance_yuan, now))]
    #[allow(clippy::too_many_arguments)]
    fn answer_card(
        &mut self,
        pile: &str,
        port: Option<u8>,
        card: &Bound<'_, PyAny>,
        accepted: bool,
        balance_yuan: &Bound<'_, PyAny>,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let card = from_value(convert::to_value(card)?, "card")?;
        let balance = from_value(convert::to_value(balance_yuan)?, "balance_yuan")?;
        let port = port.map(port_of).transpose()?;
        let (pile, now) = (pile_of(pile)?, now_of(now)?);
        self.engine()
            .answer_card(pile, port, card, accepted, balance, now);
        Ok(())
    }

    /// The site's fire-control host raised (`active`) or cleared an alarm for `piles`: every
    /// port of them stops and starts are refused there until it is cleared.
    fn site_alarm(
        &mut self,
        piles: Vec<String>,
        active: bool,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let ids = piles
            .iter()
            .map(|p| pile_of(p))
            .collect::<PyResult<Vec<_>>>()?;
        let now = now_of(now)?;
        self.engine().site_alarm(&ids, active, now);
        Ok(())
    }

    /// Clears a pile's safety alarm after an operator checked it: starts are allowed again.
    fn clear_alarm(&mut self, pile: &str) -> PyResult<()> {
        let pile = pile_of(pile)?;
        self.engine().clear_alarm(pile);
        Ok(())
    }

    /// Sets the plan for new sessions of `pile` (of every pile without its own, for `None`);
    /// returns the plan's version.
    #[pyo3(signature = (plan, now, pile = None))]
    fn set_plan(
        &mut self,
        plan: &Plan,
        now: &Bound<'_, PyAny>,
        pile: Option<&str>,
    ) -> PyResult<u32> {
        let pile = pile.map(pile_of).transpose()?;
        Ok(self
            .engine()
            .set_plan(pile, plan.plan.clone(), now_of(now)?))
    }

    /// The next bytes to write: `(link, bytes)`, or `None`.
    fn poll_transmit<'py>(&mut self, py: Python<'py>) -> Option<(u64, Bound<'py, PyBytes>)> {
        self.engine()
            .poll_transmit()
            .map(|t| (t.link.0, PyBytes::new(py, &t.bytes)))
    }

    /// The next notification, or `None`.
    fn poll_notification(&mut self) -> Option<Notification> {
        self.engine().poll_notification().map(|n| Notification {
            map: match serde_json::to_value(&n) {
                Ok(Value::Object(m)) => m,
                _ => Map::new(),
            },
        })
    }

    /// When to call `handle_timeout` next (an aware `datetime` at UTC), or `None`.
    fn poll_timeout<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.view()
            .poll_timeout()
            .map(|t| convert::datetime_at(py, t.unix(), 0))
            .transpose()
    }

    /// Whether the station knows the pile and it is online.
    fn is_online(&self, pile: &str) -> PyResult<bool> {
        Ok(self.view().is_online(&pile_of(pile)?))
    }

    /// The piles the station knows.
    fn piles(&self) -> Vec<String> {
        self.view().piles().map(|p| p.to_string()).collect()
    }

    /// The number of sessions open (from start to settlement).
    fn open_sessions(&self) -> usize {
        self.view().open_sessions()
    }

    /// The station's whole state (piles, sessions, ledger, timers, links' half frames), as bytes
    /// to store and `restore`.
    fn snapshot<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes =
            serde_json::to_vec(&*self.view()).map_err(|e| errors::shape(e, Family::Session))?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// A station from a snapshot.
    #[staticmethod]
    fn restore(snapshot: &[u8]) -> PyResult<Station> {
        let inner =
            serde_json::from_slice(snapshot).map_err(|e| errors::shape(e, Family::Session))?;
        Ok(Station {
            inner: Mutex::new(inner),
        })
    }
}
