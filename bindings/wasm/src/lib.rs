//! The pilekit core for JavaScript: a thin wasm-bindgen layer over [`pilekit::api`].
//!
//! Every function converts its arguments, calls the facade and converts the result: frames
//! come back as plain objects in the canonical form (`pilekit decode --json` prints the same
//! objects), tariff results with money as decimal strings (`"1.50"`), never as JS numbers.
//! Option and request keys are camelCase (`verifyChecksum`, `prepaidYuan`); the canonical
//! objects keep their snake_case keys. Every failure is thrown as a real `Error` whose
//! `name` is `PileError`, with the facade's stable `kind`, the byte `offset` where there is
//! one, and the `field`.

use js_sys::{Array, JSON, Reflect, Uint8Array};
use pilekit::api::{self, BillRequest, DecodeRequest, QuoteRequest, ReplayRequest};
use pilekit::tariff::Plan as CorePlan;
use pilekit::time::UtcOffset;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** How to decode: every key optional (auto-detected dialect, strict, checksums verified). */
export interface DecodeOptions {
  dialect?: "auto" | "ykc" | "dny" | "juy";
  strict?: boolean;
  verifyChecksum?: boolean;
  direction?: "up" | "down" | null;
}

/** The facade's error: what `PileError`s carry besides `message`. */
export interface PileErrorFields {
  kind: string;
  offset: number | null;
  field: string | null;
  message: string;
}

/** A decoded frame in its canonical form (the CLI's `decode --json` record). */
export interface FrameRecord {
  offset: number;
  dialect: "ykc" | "dny" | "juy";
  frame_type?: number;
  name: string;
  direction?: "up" | "down";
  [field: string]: unknown;
}

/** Text a DNY pile's 4G module sends between frames. */
export interface ModuleTextRecord {
  dialect: "dny";
  item: "iccid" | "link";
  offset: number;
  iccid?: string;
}

/** Bytes that are not part of any frame. */
export interface SkippedRecord {
  skipped: { offset: number; len: number; reason: PileErrorFields | null };
}

/** A frame that did not decode. */
export interface ErrorRecord {
  error: PileErrorFields;
}

/** One thing found in a stream. */
export type DecodedRecord = FrameRecord | ModuleTextRecord | SkippedRecord | ErrorRecord;

/** The bytes one field of a frame occupies, `start..end` within the frame. */
export interface FieldSpan {
  field: string;
  start: number;
  end: number;
}

/** A decimal amount: a string such as `"1.50"` (a number is also accepted on input). */
export type Decimal = string | number;

/** What to quote. */
export interface QuoteRequest {
  prepaidYuan: Decimal;
  powerW?: Decimal;
}

/** A power/energy sample of a session. */
export interface Sample {
  atUnixS: number;
  powerW: Decimal;
  energyKwh?: Decimal;
}

/** A session to bill. Times are ISO text in the plan's offset (or with their own) or Unix seconds. */
export interface BillRequest {
  start: string | number;
  end: string | number;
  powerW?: Decimal;
  energyKwh?: Decimal;
  samples?: Sample[];
  prepaidYuan?: Decimal;
  coins?: boolean;
  cardExpires?: string | number;
  uses?: number;
}

/** A quote in its canonical form, money as decimal strings. */
export interface Quote {
  [key: string]: unknown;
}

/** How to replay a log. */
export interface ReplayOptions {
  dialect?: "auto" | "ykc" | "dny" | "juy";
}

/** A settled session of a replay: the engine's session record with its bill. */
export interface ReplaySession {
  pile: unknown;
  port: number;
  bill: Bill;
  [key: string]: unknown;
}

/** A session still open when the log ended. */
export interface OpenSession {
  pile: unknown;
  port: number;
  line: number;
  [key: string]: unknown;
}

/** Something unexpected the replay saw, with its line in the log. */
export interface Finding {
  line: number;
  kind: string;
  pile: unknown;
  port: number | null;
  offset: number | null;
  message: string;
}

/** What a replay found, money as decimal strings. */
export interface Replay {
  sessions: ReplaySession[];
  open: OpenSession[];
  anomalies: Finding[];
  lines: number;
}

/** An itemised bill in its canonical form, money as decimal strings. */
export interface Bill {
  total_yuan: string;
  lines: Array<{ [key: string]: unknown }>;
  [key: string]: unknown;
}
"#;

/// A `PileError`: a real `Error` with the facade error's kind, offset and field.
fn js_error(e: api::Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("PileError");
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&err, &JsValue::from_str(k), &v);
    };
    set("kind", JsValue::from_str(e.kind.as_str()));
    set(
        "offset",
        e.offset
            .map_or(JsValue::NULL, |o| JsValue::from_f64(o as f64)),
    );
    set(
        "field",
        e.field.as_deref().map_or(JsValue::NULL, JsValue::from_str),
    );
    set("detail", JsValue::from_str(&e.message));
    err.into()
}

/// An `invalid_json` error for arguments of the wrong shape.
fn usage(message: impl Into<String>) -> JsValue {
    js_error(api::Error::new(api::ErrorKind::InvalidJson, message))
}

/// A value's canonical JSON as a plain JS object.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| js_error(e.into()))?;
    JSON::parse(&text)
}

/// A JSON value as a plain JS object.
fn value_to_js(value: &Value) -> Result<JsValue, JsValue> {
    JSON::parse(&value.to_string())
}

/// A JS argument as JSON: `undefined`/`null` as `{}`, a string as JSON text when `text_is_json`.
fn js_to_value(v: &JsValue, text_is_json: bool) -> Result<Value, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(Value::Object(Map::new()));
    }
    let text = match v.as_string() {
        Some(s) if text_is_json => s,
        _ => JSON::stringify(v)?
            .as_string()
            .ok_or_else(|| usage("the argument cannot be written as JSON"))?,
    };
    serde_json::from_str(&text).map_err(|e| js_error(e.into()))
}

/// `camelCase` keys as `snake_case`, at every depth.
fn snake_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (snake(&k), snake_keys(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(snake_keys).collect()),
        other => other,
    }
}

fn snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A request object (camelCase keys) read as one of the facade's request types.
fn request<T: DeserializeOwned>(v: &JsValue) -> Result<T, JsValue> {
    let value = snake_keys(js_to_value(v, false)?);
    serde_json::from_value(value).map_err(|e| js_error(e.into()))
}

/// Decode options read straight from the object's properties (this runs on every call, so
/// without a trip through JSON); unknown keys and values of the wrong type are refused.
fn decode_request(options: Option<JsValue>) -> Result<DecodeRequest, JsValue> {
    let mut req = DecodeRequest::default();
    let Some(options) = options.filter(|o| !o.is_undefined() && !o.is_null()) else {
        return Ok(req);
    };
    if !options.is_object() {
        return Err(usage(
            "options are an object such as {dialect: 'ykc', strict: false}",
        ));
    }
    let flag = |key: &str, v: &JsValue| {
        v.as_bool()
            .ok_or_else(|| usage(format!("`{key}` is true or false")))
    };
    for key in js_sys::Object::keys(options.unchecked_ref()).iter() {
        let key = key.as_string().unwrap_or_default();
        let v = Reflect::get(&options, &JsValue::from_str(&key))?;
        if v.is_undefined() {
            continue;
        }
        match key.as_str() {
            "dialect" => {
                let name = v
                    .as_string()
                    .ok_or_else(|| usage("`dialect` is auto, ykc, dny or juy"))?;
                req.dialect = name.parse().map_err(js_error)?;
            }
            "strict" => req.strict = flag("strict", &v)?,
            "verifyChecksum" => req.verify_checksum = flag("verifyChecksum", &v)?,
            "direction" => {
                req.direction = match v.as_string().as_deref() {
                    _ if v.is_null() => None,
                    Some("up") => Some(pilekit::codec::Direction::Up),
                    Some("down") => Some(pilekit::codec::Direction::Down),
                    _ => return Err(usage("`direction` is \"up\", \"down\" or null")),
                }
            }
            other => {
                return Err(usage(format!(
                    "unknown option `{other}`; the options are dialect, strict, verifyChecksum and direction"
                )));
            }
        }
    }
    Ok(req)
}

/// Money and prices (keys naming yuan) as decimal strings, at every depth.
fn money_as_text(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = if k.contains("yuan") {
                        amounts_as_text(v)
                    } else {
                        money_as_text(v)
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(money_as_text).collect()),
        other => other,
    }
}

/// The numbers under a key naming yuan (one amount, or a list of them) as decimal strings.
fn amounts_as_text(value: Value) -> Value {
    match value {
        Value::Number(n) => Value::String(decimal_text(&n)),
        Value::Array(items) => Value::Array(items.into_iter().map(amounts_as_text).collect()),
        other => money_as_text(other),
    }
}

/// The exact decimal a canonical number stands for, with at least two decimals (`"1.50"`).
///
/// Canonical numbers have at most 15 significant digits, so the shortest text of the number
/// is the decimal itself; it is only padded here, never rounded.
fn decimal_text(n: &serde_json::Number) -> String {
    let mut text = match (n.as_i64(), n.as_f64()) {
        (Some(i), _) => i.to_string(),
        (None, Some(f)) => format!("{f}"),
        (None, None) => n.to_string(),
    };
    let decimals = text.find('.').map_or(0, |dot| text.len() - dot - 1);
    if decimals == 0 && !text.contains('.') {
        text.push('.');
    }
    for _ in decimals..2 {
        text.push('0');
    }
    text
}

/// A value's canonical JSON with money as decimal strings, as a plain JS object.
fn tariff_to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let v = serde_json::to_value(value).map_err(|e| js_error(e.into()))?;
    value_to_js(&money_as_text(v))
}

/// The bytes of `input`: a `Uint8Array` (or array of numbers) as is, a string as hex text
/// (log prefixes such as timestamps and `RX:` dropped, `#` comments skipped).
fn input_bytes(input: &JsValue) -> Result<Vec<u8>, JsValue> {
    if let Some(text) = input.as_string() {
        let bytes = api::sniff_input(text.as_bytes()).map_err(js_error)?;
        if bytes.as_slice() == text.as_bytes() && text.bytes().any(|b| !b.is_ascii_whitespace()) {
            // Not read as hex: the hex reader says where it is not.
            return pilekit::hex::decode(&text).map_err(|e| js_error(e.into()));
        }
        return Ok(bytes);
    }
    if input.is_instance_of::<Uint8Array>() || Array::is_array(input) {
        return Ok(Uint8Array::new(input).to_vec());
    }
    Err(usage("give the bytes as a Uint8Array or as hex text"))
}

/// Decodes bytes (a `Uint8Array`, or hex text such as a pasted log) as a stream: every frame,
/// DNY module text, runs of bytes that are no frame and frames that did not decode, in order,
/// as the canonical records `pilekit decode --json` prints.
#[wasm_bindgen(unchecked_return_type = "DecodedRecord[]")]
pub fn decode(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DecodeOptions | void")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let bytes = input_bytes(&input)?;
    let req = decode_request(options)?;
    to_js(&api::decode(&bytes, &req))
}

/// Decodes a capture as `pilekit decode --file` does: raw bytes, or hex text (a string, or the
/// bytes of a text file) with timestamps, `RX:`/`TX:` markers, `#` comments and a byte-order mark
/// dropped. Every record comes back in order; a line of the text that is not hex is an
/// `invalid_hex` error record with its `line`, and the lines after it are still read.
#[wasm_bindgen(js_name = decodeCapture, unchecked_return_type = "DecodedRecord[]")]
pub fn decode_capture(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DecodeOptions | void")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let req = decode_request(options)?;
    let records = if let Some(text) = input.as_string() {
        api::decode_capture(text.as_bytes(), &req, api::CaptureFormat::Auto)
    } else if input.is_instance_of::<Uint8Array>() || Array::is_array(&input) {
        let bytes = Uint8Array::new(&input).to_vec();
        api::decode_capture(&bytes, &req, api::CaptureFormat::Auto)
    } else {
        return Err(usage("give the capture as a Uint8Array or as text"));
    };
    to_js(&records)
}

/// How many frames decode in the bytes, without building their objects: the cheapest check
/// of a capture.
#[wasm_bindgen(js_name = countFrames)]
pub fn count_frames(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DecodeOptions | void")] options: Option<JsValue>,
) -> Result<u32, JsValue> {
    let bytes = input_bytes(&input)?;
    let req = decode_request(options)?;
    let frames = api::decode(&bytes, &req)
        .iter()
        .filter(|r| matches!(r, api::Record::Frame { .. }))
        .count();
    Ok(u32::try_from(frames).unwrap_or(u32::MAX))
}

/// Decodes exactly one frame; anything wrong with it (a checksum, bytes after it) is thrown.
#[wasm_bindgen(js_name = decodeFrame, unchecked_return_type = "FrameRecord")]
pub fn decode_frame(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DecodeOptions | void")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let bytes = input_bytes(&input)?;
    let req = decode_request(options)?;
    let frame = api::decode_frame(&bytes, &req).map_err(js_error)?;
    to_js(&api::Record::Frame { offset: 0, frame })
}

/// Decodes bytes as `decode` does but keeps the records inside the module: what it costs per
/// frame is the decode alone. A record's plain object is built only when it is asked for
/// (`get(i)`, `toJSON()`); `name(i)`, `offset(i)` and `isFrame(i)` read it without building it.
/// Call `free()` when done with a batch to release its memory at once.
#[wasm_bindgen(js_name = decodeBatch)]
pub fn decode_batch(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DecodeOptions | void")] options: Option<JsValue>,
) -> Result<DecodedBatch, JsValue> {
    let bytes = input_bytes(&input)?;
    let req = decode_request(options)?;
    Ok(DecodedBatch {
        records: api::decode(&bytes, &req),
    })
}

/// The records of `decodeBatch`, held in the module; each one's plain object is built on
/// demand and equals the record `decode` returns at the same index.
#[wasm_bindgen]
pub struct DecodedBatch {
    records: Vec<api::Record>,
}

#[wasm_bindgen]
impl DecodedBatch {
    /// How many records (frames, module text, skipped runs, errors).
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> u32 {
        u32::try_from(self.records.len()).unwrap_or(u32::MAX)
    }

    /// How many of the records are frames.
    #[wasm_bindgen(getter, js_name = frameCount)]
    pub fn frame_count(&self) -> u32 {
        let n = self
            .records
            .iter()
            .filter(|r| matches!(r, api::Record::Frame { .. }))
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// Whether record `i` is a frame.
    #[wasm_bindgen(js_name = isFrame)]
    pub fn is_frame(&self, i: u32) -> bool {
        matches!(self.record(i), Some(api::Record::Frame { .. }))
    }

    /// The message name of frame `i` (`"real_time_data"`), `undefined` for other records.
    pub fn name(&self, i: u32) -> Option<String> {
        match self.record(i)? {
            api::Record::Frame { frame, .. } => Some(frame.name().to_string()),
            _ => None,
        }
    }

    /// The stream offset of record `i`, `undefined` past the end.
    pub fn offset(&self, i: u32) -> Option<f64> {
        self.record(i)?.offset().map(|o| o as f64)
    }

    /// Record `i` as the plain object `decode` returns, built now; `undefined` past the end.
    #[wasm_bindgen(unchecked_return_type = "DecodedRecord | undefined")]
    pub fn get(&self, i: u32) -> Result<JsValue, JsValue> {
        match self.record(i) {
            Some(r) => to_js(r),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Every record as the plain objects `decode` returns.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "DecodedRecord[]")]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        to_js(&self.records)
    }

    fn record(&self, i: u32) -> Option<&api::Record> {
        self.records.get(usize::try_from(i).ok()?)
    }
}

/// The readable listing of one frame, with units, as `pilekit decode` prints it.
#[wasm_bindgen]
pub fn listing(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DecodeOptions | void")] options: Option<JsValue>,
) -> Result<String, JsValue> {
    let bytes = input_bytes(&input)?;
    let req = decode_request(options)?;
    let frame = api::decode_frame(&bytes, &req).map_err(js_error)?;
    Ok(api::listing(&frame))
}

/// The byte span of every field of one frame (offsets within the frame's bytes).
#[wasm_bindgen(js_name = fieldSpans, unchecked_return_type = "FieldSpan[]")]
pub fn field_spans(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DecodeOptions | void")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let bytes = input_bytes(&input)?;
    let req = decode_request(options)?;
    to_js(&api::field_spans(&bytes, &req).map_err(js_error)?)
}

/// The bytes of hex text: log prefixes (timestamps, `RX:`/`TX:`), `#` comments and separators
/// are dropped; anything else that is not hex is an `invalid_hex` error at its offset.
#[wasm_bindgen(js_name = parseHex)]
pub fn parse_hex(text: &str) -> Result<Vec<u8>, JsValue> {
    input_bytes(&JsValue::from_str(text))
}

/// The bytes of a frame from its canonical record (an object as `decode` returns it, or its
/// JSON text).
#[wasm_bindgen]
pub fn encode(
    #[wasm_bindgen(unchecked_param_type = "FrameRecord | string")] record: JsValue,
) -> Result<Vec<u8>, JsValue> {
    let value = js_to_value(&record, true)?;
    api::encode(&value).map_err(js_error)
}

/// Unix seconds of ISO-8601 text (`2024-05-01T22:00`, with an optional `Z` or `±hh:mm`) or of
/// Unix seconds as text; times without an offset are in `utcOffsetS` (default UTC+8).
#[wasm_bindgen(js_name = parseTime)]
pub fn parse_time(text: &str, utc_offset_s: Option<i32>) -> Result<f64, JsValue> {
    let offset = utc_offset_s.map_or(UtcOffset::CHINA, UtcOffset);
    api::parse_time(text, offset)
        .map(|t| t as f64)
        .map_err(js_error)
}

/// Rebuilds the sessions and bills of a pile log (`TIMESTAMP PILE-ID up|down HEX` lines, `#`
/// comments) under a plan: the settled sessions with their bills, the sessions still open at
/// the end, and the anomalies with their line numbers. A malformed line is a finding, never a
/// failure of the whole replay.
#[wasm_bindgen(unchecked_return_type = "Replay")]
pub fn replay(
    log: &str,
    #[wasm_bindgen(unchecked_param_type = "Plan | string | object")] plan: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ReplayOptions | void")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let plan = plan_of(plan)?;
    let req: ReplayRequest = request(&options.unwrap_or(JsValue::UNDEFINED))?;
    tariff_to_js(&api::replay(log, &plan, &req))
}

/// The replay of a log as a person reads it: one line per session, open session and finding.
#[wasm_bindgen(js_name = replayText)]
pub fn replay_text(
    log: &str,
    #[wasm_bindgen(unchecked_param_type = "Plan | string | object")] plan: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ReplayOptions | void")] options: Option<JsValue>,
) -> Result<String, JsValue> {
    let plan = plan_of(plan)?;
    let req: ReplayRequest = request(&options.unwrap_or(JsValue::UNDEFINED))?;
    Ok(api::replay_text(&api::replay(log, &plan, &req), &plan))
}

/// A plan given as a `Plan`, its JSON text or an object.
fn plan_of(plan: JsValue) -> Result<CorePlan, JsValue> {
    // A `Plan` object is read through its canonical form.
    let plan = match Reflect::get(&plan, &JsValue::from_str("toJSON")) {
        Ok(f) if f.is_function() && !plan.is_string() => js_sys::Function::from(f).call0(&plan)?,
        _ => plan,
    };
    Ok(Plan::new(plan)?.inner)
}

/// The version of the pilekit core inside.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// A stream decoder for one connection: `feed` chunks as they arrive (half frames, several
/// frames at once) and get the records they complete; `finish` at the end of the stream.
/// Its whole state (half a frame included) saves with `snapshot` and comes back with
/// `StreamDecoder.restore`.
#[wasm_bindgen]
pub struct StreamDecoder {
    inner: api::Decoder,
}

#[wasm_bindgen]
impl StreamDecoder {
    /// A decoder for the options' dialect and policy.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "DecodeOptions | void")] options: Option<JsValue>,
    ) -> Result<StreamDecoder, JsValue> {
        let req = decode_request(options)?;
        Ok(Self {
            inner: api::Decoder::new(&req),
        })
    }

    /// Feeds a chunk (bytes, or hex text); returns the records it completes.
    #[wasm_bindgen(unchecked_return_type = "DecodedRecord[]")]
    pub fn feed(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] chunk: JsValue,
    ) -> Result<JsValue, JsValue> {
        let bytes = input_bytes(&chunk)?;
        self.inner.feed(&bytes);
        self.drain()
    }

    /// Ends the stream; returns the last records (a frame never completed is skipped as
    /// `truncated`).
    #[wasm_bindgen(unchecked_return_type = "DecodedRecord[]")]
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        self.inner.finish();
        self.drain()
    }

    /// Bytes fed so far (the offset of the next byte).
    #[wasm_bindgen(getter)]
    pub fn position(&self) -> f64 {
        self.inner.position() as f64
    }

    /// Bytes held, waiting for the rest of a frame.
    #[wasm_bindgen(getter)]
    pub fn buffered(&self) -> f64 {
        self.inner.buffered() as f64
    }

    /// The dialect in use, once known (`"ykc"`, `"dny"`, `"juy"`), else `undefined`.
    #[wasm_bindgen(getter)]
    pub fn dialect(&self) -> Option<String> {
        self.inner
            .dialect()
            .and_then(|d| serde_json::to_value(d).ok())
            .and_then(|v| v.as_str().map(str::to_string))
    }

    /// The whole state as JSON text.
    pub fn snapshot(&self) -> Result<String, JsValue> {
        serde_json::to_string(&self.inner).map_err(|e| js_error(e.into()))
    }

    /// A decoder from a `snapshot`.
    pub fn restore(snapshot: &str) -> Result<StreamDecoder, JsValue> {
        let inner = serde_json::from_str(snapshot).map_err(|e| js_error(e.into()))?;
        Ok(Self { inner })
    }

    fn drain(&mut self) -> Result<JsValue, JsValue> {
        let records: Vec<api::Record> = self.inner.by_ref().collect();
        to_js(&records)
    }
}

/// A tariff plan, read from its canonical JSON (text or object; unknown keys are refused).
#[wasm_bindgen]
pub struct Plan {
    inner: CorePlan,
}

#[wasm_bindgen]
impl Plan {
    /// Reads and checks a plan.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string | object")] plan: JsValue,
    ) -> Result<Plan, JsValue> {
        let text = match plan.as_string() {
            Some(s) => s,
            None => js_to_value(&plan, false)?.to_string(),
        };
        Ok(Self {
            inner: api::load_plan(&text).map_err(js_error)?,
        })
    }

    /// The plan's name for people (may be empty).
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.inner.name.clone()
    }

    /// The plan's canonical form, money as decimal strings.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        tariff_to_js(&self.inner)
    }

    /// What a prepayment buys: the limit to send with a start command.
    #[wasm_bindgen(unchecked_return_type = "Quote")]
    pub fn quote(
        &self,
        #[wasm_bindgen(unchecked_param_type = "QuoteRequest")] req: JsValue,
    ) -> Result<JsValue, JsValue> {
        let req: QuoteRequest = request(&req)?;
        tariff_to_js(&api::quote_plan(&self.inner, &req).map_err(js_error)?)
    }

    /// The itemised bill of a session.
    #[wasm_bindgen(unchecked_return_type = "Bill")]
    pub fn bill(
        &self,
        #[wasm_bindgen(unchecked_param_type = "BillRequest")] req: JsValue,
    ) -> Result<JsValue, JsValue> {
        let req: BillRequest = request(&req)?;
        tariff_to_js(&api::bill_plan(&self.inner, &req).map_err(js_error)?)
    }

    /// The bilingual receipt text of a session's bill.
    pub fn receipt(
        &self,
        #[wasm_bindgen(unchecked_param_type = "BillRequest")] req: JsValue,
    ) -> Result<String, JsValue> {
        let req: BillRequest = request(&req)?;
        let bill = api::bill_plan(&self.inner, &req).map_err(js_error)?;
        Ok(api::receipt(&self.inner, &bill))
    }

    /// The text of what a prepayment buys.
    #[wasm_bindgen(js_name = quoteText)]
    pub fn quote_text(
        &self,
        #[wasm_bindgen(unchecked_param_type = "QuoteRequest")] req: JsValue,
    ) -> Result<String, JsValue> {
        let req: QuoteRequest = request(&req)?;
        let q = api::quote_plan(&self.inner, &req).map_err(js_error)?;
        Ok(api::quote_text(&self.inner, &q))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_keys_become_snake() {
        assert_eq!(snake("prepaidYuan"), "prepaid_yuan");
        assert_eq!(snake("atUnixS"), "at_unix_s");
        assert_eq!(snake("start"), "start");
    }

    #[test]
    fn money_is_written_with_at_least_two_decimals() {
        let v = money_as_text(serde_json::json!({
            "total_yuan": 1.5, "cap_yuan": 2, "x_yuan_per_kwh": 0.35281,
            "lines": [{"amount_yuan": 0.0001}], "energy_kwh": 1.5,
            "per_tier_yuan_per_kwh": [0.2, 0.35]
        }));
        assert_eq!(
            v,
            serde_json::json!({
                "total_yuan": "1.50", "cap_yuan": "2.00", "x_yuan_per_kwh": "0.35281",
                "lines": [{"amount_yuan": "0.0001"}], "energy_kwh": 1.5,
                "per_tier_yuan_per_kwh": ["0.20", "0.35"]
            })
        );
    }
}
