//! Decoding and encoding: `decode`, `decode_frame`, `encode`, `StreamDecoder`, and the records
//! they give (`Frame`, `Skipped`, `Error`).

use std::sync::OnceLock;

use pilekit::api::{self, DecodeRequest, DialectName, Record};
use pyo3::exceptions::{PyAttributeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyModule, PyString};
use serde_json::{Map, Value};

use crate::convert;
use crate::errors::{self, Family};

/// Inputs at least this long are decoded with the GIL released.
const DETACH_AT: usize = 4096;

/// Long inputs are decoded this many bytes at a time.
const CHUNK: usize = 16 * 1024;

/// The request of the `dialect` and `strict` arguments.
pub fn request(dialect: &str, strict: bool) -> PyResult<DecodeRequest> {
    let dialect: DialectName = dialect.parse().map_err(errors::of(Family::Decode))?;
    Ok(DecodeRequest {
        dialect,
        strict,
        ..DecodeRequest::default()
    })
}

/// The bytes of a bytes-like argument (`bytes`, `bytearray`, `memoryview`).
fn bytes_of(data: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(b) = data.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if data.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "expected bytes, not str (for hex text use bytes.fromhex)",
        ));
    }
    let b = data.py().get_type::<PyBytes>().call1((data,))?;
    Ok(b.cast::<PyBytes>()?.as_bytes().to_vec())
}

/// Runs `f` on the bytes of `data`, with the GIL released for long inputs.
fn with_bytes<T: Send>(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    f: impl FnOnce(&[u8]) -> T + Send,
) -> PyResult<T> {
    if let Ok(b) = data.cast::<PyBytes>() {
        let slice = b.as_bytes();
        return Ok(if slice.len() >= DETACH_AT {
            py.detach(|| f(slice))
        } else {
            f(slice)
        });
    }
    let owned = bytes_of(data)?;
    Ok(if owned.len() >= DETACH_AT {
        py.detach(|| f(&owned))
    } else {
        f(&owned)
    })
}

/// Feeds `data` to `decoder` in chunks, the GIL released while each is decoded, and hands the
/// records of each chunk to `sink` (with the GIL); with `finish`, the stream's end too.
/// Chunks keep the records of one decoding step few and cache-warm, however long the input.
fn feed_chunks<'py>(
    py: Python<'py>,
    decoder: &mut api::Decoder,
    data: &Bound<'py, PyAny>,
    finish: bool,
    mut sink: impl FnMut(Record) -> PyResult<()>,
) -> PyResult<()> {
    let owned;
    let bytes: &[u8] = if let Ok(b) = data.cast::<PyBytes>() {
        b.as_bytes()
    } else {
        owned = bytes_of(data)?;
        &owned
    };
    let step = |decoder: &mut api::Decoder, chunk: &[u8], end: bool| -> Vec<Record> {
        decoder.feed(chunk);
        if end {
            decoder.finish();
        }
        decoder.by_ref().collect()
    };
    let mut chunks = bytes.chunks(CHUNK).peekable();
    if chunks.peek().is_none() && finish {
        for r in step(decoder, &[], true) {
            sink(r)?;
        }
    }
    while let Some(chunk) = chunks.next() {
        let end = finish && chunks.peek().is_none();
        let records = if chunk.len() >= DETACH_AT {
            py.detach(|| step(decoder, chunk, end))
        } else {
            step(decoder, chunk, end)
        };
        for r in records {
            sink(r)?;
        }
    }
    Ok(())
}

/// Python's cyclic garbage collector paused while a batch of records is made: the records hold
/// no references, so the collections their allocations would trigger find nothing, and cost
/// more than the decoding itself. Restored when dropped.
struct GcPause<'py> {
    gc: Option<Bound<'py, PyModule>>,
}

impl<'py> GcPause<'py> {
    fn new(py: Python<'py>, pause: bool) -> PyResult<Self> {
        if !pause {
            return Ok(GcPause { gc: None });
        }
        let gc = py.import("gc")?;
        if !gc.call_method0("isenabled")?.is_truthy()? {
            return Ok(GcPause { gc: None });
        }
        gc.call_method0("disable")?;
        Ok(GcPause { gc: Some(gc) })
    }
}

impl Drop for GcPause<'_> {
    fn drop(&mut self) {
        if let Some(gc) = &self.gc {
            let _ = gc.call_method0("enable");
        }
    }
}

/// The canonical object of a record.
fn canonical(record: &Record) -> Map<String, Value> {
    match serde_json::to_value(record) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// A decoded frame (or the text a DNY pile's 4G module sends: `item` is `iccid` or `link`).
///
/// Its fields are attributes, read from the canonical form on first use: amounts are
/// `Decimal`, instants aware `datetime`. `to_dict()` is the canonical form itself, the record
/// `pilekit decode --json` prints for the same bytes.
#[pyclass(module = "pilekit._pilekit", frozen)]
pub struct Frame {
    record: Record,
    // Boxed: a frame object then stays small enough for Python's small-object allocator.
    canonical: OnceLock<Box<Map<String, Value>>>,
}

impl Frame {
    fn new(record: Record) -> Self {
        Frame {
            record,
            canonical: OnceLock::new(),
        }
    }

    fn map(&self) -> &Map<String, Value> {
        self.canonical
            .get_or_init(|| Box::new(canonical(&self.record)))
    }
}

#[pymethods]
impl Frame {
    /// The byte offset of the frame in the decoded input.
    #[getter]
    fn offset(&self) -> usize {
        self.record.offset().unwrap_or(0)
    }

    /// The canonical form: a dict equal to `json.loads` of the command line's record.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::plain(py, &Value::Object(self.map().clone()))
    }

    /// The canonical form as one line of JSON, the line `pilekit decode --json` prints.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.record).map_err(|e| errors::shape(e, Family::Decode))
    }

    /// The frame's bytes, encoded again (length and checksum recomputed).
    fn encode<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes =
            api::encode(&Value::Object(self.map().clone())).map_err(errors::of(Family::Encode))?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// The readable listing of the frame, as `pilekit decode` prints it.
    fn listing(&self) -> String {
        match &self.record {
            Record::Frame { frame, .. } => api::listing(frame),
            Record::Iccid { iccid, .. } => format!("dny iccid {iccid}\n"),
            _ => "dny link\n".to_owned(),
        }
    }

    fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        match self.map().get(name) {
            Some(v) => convert::typed(py, name, v),
            None => Err(PyAttributeError::new_err(format!(
                "this frame has no field `{name}`"
            ))),
        }
    }

    fn __dir__(&self) -> Vec<String> {
        let mut names: Vec<String> = self.map().keys().cloned().collect();
        names.extend(
            ["to_dict", "to_json", "encode", "listing"]
                .iter()
                .map(|s| s.to_string()),
        );
        names
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Frame>()
            .is_ok_and(|o| o.get().record == self.record)
    }

    fn __repr__(&self) -> String {
        let m = self.map();
        let text = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or("?").to_owned();
        let name = if m.contains_key("item") {
            text("item")
        } else {
            text("name")
        };
        format!(
            "Frame(offset={}, dialect='{}', name='{name}')",
            self.offset(),
            text("dialect")
        )
    }
}

/// Bytes that were not part of any frame.
#[pyclass(module = "pilekit._pilekit", frozen, get_all)]
pub struct Skipped {
    /// The byte offset of the first skipped byte.
    offset: usize,
    /// How many bytes.
    len: usize,
    /// Why the first frame candidate in them was rejected, if one was.
    reason: Option<Py<ErrorRecord>>,
}

#[pymethods]
impl Skipped {
    /// The canonical form, `{"skipped": {"offset", "len", "reason"}}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let reason = match &self.reason {
            Some(r) => r.get().to_dict(py)?.into_any(),
            None => py.None().into_bound(py),
        };
        let inner = PyDict::new(py);
        inner.set_item("offset", self.offset)?;
        inner.set_item("len", self.len)?;
        inner.set_item("reason", reason)?;
        let outer = PyDict::new(py);
        outer.set_item("skipped", inner)?;
        Ok(outer.into_any())
    }

    fn __repr__(&self) -> String {
        format!("Skipped(offset={}, len={})", self.offset, self.len)
    }
}

/// A frame that could not be decoded (a record of the stream, not an exception).
#[pyclass(module = "pilekit._pilekit", name = "Error", frozen)]
pub struct ErrorRecord {
    error: api::Error,
}

#[pymethods]
impl ErrorRecord {
    /// What went wrong, a stable snake_case name (`checksum_mismatch`, ...).
    #[getter]
    fn kind(&self) -> &'static str {
        self.error.kind.as_str()
    }

    /// The byte offset of the problem in the input, where there is one.
    #[getter]
    fn offset(&self) -> Option<usize> {
        self.error.offset
    }

    /// The field the problem is in, when known.
    #[getter]
    fn field(&self) -> Option<&str> {
        self.error.field.as_deref()
    }

    /// What is wrong, for people.
    #[getter]
    fn message(&self) -> &str {
        &self.error.message
    }

    /// The line of a text input (a hex capture) the problem is on, counted from 1.
    #[getter]
    fn line(&self) -> Option<usize> {
        self.error.line
    }

    /// The canonical form, `{"kind", "offset", "field", "message"}` (and `"line"` for a
    /// problem of hex text).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("kind", self.kind())?;
        d.set_item("offset", self.error.offset)?;
        d.set_item("field", self.field())?;
        d.set_item("message", self.message())?;
        if let Some(line) = self.error.line {
            d.set_item("line", line)?;
        }
        Ok(d)
    }

    /// The `DecodeError` exception of this record, to raise.
    fn exception(&self) -> PyErr {
        errors::to_py(self.error.clone(), Family::Decode)
    }

    fn __repr__(&self) -> String {
        let offset = self
            .error
            .offset
            .map_or_else(|| "None".to_owned(), |o| o.to_string());
        format!("Error(kind='{}', offset={offset})", self.kind())
    }
}

/// The Python object of a record.
fn record_object(py: Python<'_>, record: Record) -> PyResult<Bound<'_, PyAny>> {
    Ok(match record {
        Record::Skipped {
            offset,
            len,
            reason,
        } => {
            let reason = reason
                .map(|error| Py::new(py, ErrorRecord { error }))
                .transpose()?;
            Bound::new(
                py,
                Skipped {
                    offset,
                    len,
                    reason,
                },
            )?
            .into_any()
        }
        Record::Error(error) => Bound::new(py, ErrorRecord { error })?.into_any(),
        other => Bound::new(py, Frame::new(other))?.into_any(),
    })
}

/// The records as a list.
fn record_list<'py>(py: Python<'py>, records: Vec<Record>) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for r in records {
        list.append(record_object(py, r)?)?;
    }
    Ok(list)
}

/// The error of a problem record.
fn problem(record: &Record) -> Option<api::Error> {
    match record {
        Record::Error(e) => Some(e.clone()),
        Record::Skipped {
            offset,
            len,
            reason,
        } => Some(match reason {
            Some(r) => r.clone(),
            None => api::Error::new(
                api::ErrorKind::BadStart,
                format!("{len} bytes that are not a frame"),
            )
            .at(*offset),
        }),
        _ => None,
    }
}

/// Decodes every frame in `data` (a stream of any number of frames); raises `DecodeError` at
/// the first bytes that are not a valid frame.
#[pyfunction]
#[pyo3(signature = (data, dialect = "auto", strict = true))]
pub fn decode<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    dialect: &str,
    strict: bool,
) -> PyResult<Bound<'py, PyList>> {
    let mut decoder = api::Decoder::new(&request(dialect, strict)?);
    let mut frames = Vec::new();
    let _pause = GcPause::new(py, data.len()? >= DETACH_AT)?;
    feed_chunks(py, &mut decoder, data, true, |r| match problem(&r) {
        Some(e) => Err(errors::to_py(e, Family::Decode)),
        None => {
            frames.push(Py::new(py, Frame::new(r))?);
            Ok(())
        }
    })?;
    PyList::new(py, frames)
}

/// Decodes a capture as `pilekit decode --file` does: raw bytes, or hex text (a `str`, or
/// bytes of hex text) with timestamps, `RX:`/`TX:` markers, `#` comments and a byte-order mark
/// dropped. Every record is returned in order: frames, skipped runs, and errors (a bad frame, or
/// a line of the hex text that is not hex, with its `line`). `format` is `"auto"` (hex text if
/// its first line with hex digits is hex), `"hex"` or `"binary"`.
#[pyfunction]
#[pyo3(signature = (data, dialect = "auto", strict = true, format = "auto"))]
pub fn decode_capture<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    dialect: &str,
    strict: bool,
    format: &str,
) -> PyResult<Bound<'py, PyList>> {
    let format = match format {
        "auto" => api::CaptureFormat::Auto,
        "hex" => api::CaptureFormat::Hex,
        "binary" => api::CaptureFormat::Binary,
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown format `{other}`; use auto, hex or binary"
            )));
        }
    };
    let request = request(dialect, strict)?;
    let records = match data.extract::<String>() {
        Ok(text) => py.detach(|| api::decode_capture(text.as_bytes(), &request, format)),
        Err(_) => {
            let bytes = bytes_of(data)?;
            py.detach(|| api::decode_capture(&bytes, &request, format))
        }
    };
    record_list(py, records)
}

/// Decodes exactly one frame; bytes after it are `trailing_bytes`.
#[pyfunction]
#[pyo3(signature = (data, dialect = "auto", strict = true))]
pub fn decode_frame<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    dialect: &str,
    strict: bool,
) -> PyResult<Bound<'py, Frame>> {
    let request = request(dialect, strict)?;
    let frame = with_bytes(py, data, |b| api::decode_frame(b, &request))?
        .map_err(errors::of(Family::Decode))?;
    let offset = 0;
    Bound::new(py, Frame::new(Record::Frame { offset, frame }))
}

/// The bytes of a record in canonical form (a dict as `Frame.to_dict()` gives, or its JSON
/// text); its `offset`, if any, is ignored.
#[pyfunction]
pub fn encode<'py>(py: Python<'py>, record: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = if let Ok(text) = record.cast::<PyString>() {
        api::encode_json(text.to_str()?)
    } else {
        api::encode(&convert::to_value(record)?)
    }
    .map_err(errors::of(Family::Encode))?;
    Ok(PyBytes::new(py, &bytes))
}

/// A stream decoder for one connection: `feed` chunks as they arrive, in any split, and get the
/// records they complete; `finish` at the end of the stream.
#[pyclass(module = "pilekit._pilekit")]
pub struct StreamDecoder {
    inner: api::Decoder,
}

impl StreamDecoder {
    fn drain<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        record_list(py, self.inner.by_ref().collect())
    }
}

#[pymethods]
impl StreamDecoder {
    #[new]
    #[pyo3(signature = (dialect = "auto", strict = true))]
    fn new(dialect: &str, strict: bool) -> PyResult<Self> {
        Ok(StreamDecoder {
            inner: api::Decoder::new(&request(dialect, strict)?),
        })
    }

    /// Feeds a chunk; returns the records it completes, in stream order.
    fn feed<'py>(
        &mut self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let mut out = Vec::new();
        let _pause = GcPause::new(py, data.len()? >= DETACH_AT)?;
        feed_chunks(py, &mut self.inner, data, false, |r| {
            out.push(record_object(py, r)?);
            Ok(())
        })?;
        PyList::new(py, out)
    }

    /// Ends the stream: returns the last records (a frame cut off is skipped as `truncated`).
    fn finish<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.inner.finish();
        self.drain(py)
    }

    /// Bytes held, waiting for the rest of a frame.
    #[getter]
    fn buffered(&self) -> usize {
        self.inner.buffered()
    }

    /// Total bytes fed so far (the offset of the next byte).
    #[getter]
    fn position(&self) -> usize {
        self.inner.position()
    }

    /// The dialect of the stream once known (`ykc`, `dny`, `juy`), else `None`.
    #[getter]
    fn dialect(&self) -> Option<String> {
        self.inner
            .dialect()
            .and_then(|d| serde_json::to_value(d).ok())
            .and_then(|v| v.as_str().map(str::to_owned))
    }

    /// The decoder's whole state (half a frame included), to restore elsewhere.
    fn snapshot<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes =
            serde_json::to_vec(&self.inner).map_err(|e| errors::shape(e, Family::Decode))?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// A decoder from a snapshot.
    #[staticmethod]
    fn restore(snapshot: &[u8]) -> PyResult<Self> {
        let inner =
            serde_json::from_slice(snapshot).map_err(|e| errors::shape(e, Family::Decode))?;
        Ok(StreamDecoder { inner })
    }
}
