//! The native module `pilekit._pilekit` of the Python package `pilekit`: a thin layer that
//! converts arguments, calls the core's facade (`pilekit::api`) and session engine
//! (`pilekit::session::Station`), and converts the results. No protocol or money logic lives
//! here; `python/pilekit/__init__.py` is the package's public face.

mod convert;
mod errors;
mod records;
mod station;
mod tariff;

use pyo3::prelude::*;

/// The native module.
#[pymodule]
fn _pilekit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(records::decode, m)?)?;
    m.add_function(wrap_pyfunction!(records::decode_frame, m)?)?;
    m.add_function(wrap_pyfunction!(records::decode_capture, m)?)?;
    m.add_function(wrap_pyfunction!(records::encode, m)?)?;
    m.add_function(wrap_pyfunction!(tariff::parse_time, m)?)?;
    m.add_class::<records::Frame>()?;
    m.add_class::<records::Skipped>()?;
    m.add_class::<records::ErrorRecord>()?;
    m.add_class::<records::StreamDecoder>()?;
    m.add_class::<tariff::Plan>()?;
    m.add_class::<tariff::Quote>()?;
    m.add_class::<tariff::Bill>()?;
    m.add_class::<station::Station>()?;
    m.add_class::<station::Notification>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
