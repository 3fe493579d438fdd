//! JUY `5A A5` V1.2 e-bike piles (10/12 ports, coin, card and free-button starts).
//!
//! ```
//! use pilekit::codec::juy::{JuyFrame, JuyMessage, PortOrder};
//! use pilekit::codec::{DecodeContext, Direction, DirectionSource};
//!
//! let bytes = [0x5A, 0xA5, 0x08, 0x00, 0x84, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x8F];
//! let frame = JuyFrame::decode(&bytes, &DecodeContext::STRICT)?;
//! assert_eq!(frame.message, JuyMessage::RemoteStop(PortOrder { port: 2, order: 1 }));
//! assert_eq!(frame.direction(), Direction::Down);
//! assert_eq!(frame.direction_source, DirectionSource::Layout);
//! assert_eq!(frame.encode()?, bytes);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Frame
//!
//! ```text
//! 5A A5 · LEN u16 LE · CMD · RESULT · [IMEI, 15 ASCII digits] · DATA · SUM
//! ```
//!
//! `LEN` counts the bytes from `CMD` through `SUM`; `SUM` is the low 8 bits of the sum of every
//! byte from `LEN` through `DATA`. Multi-byte fields are little-endian; ports count from 1.
//! `RESULT` is [`FrameResult`] (0x01 ok, 0x00 fail, 0xFF no network; the reference's own samples
//! carry 0x00 both ways).
//!
//! [`JuyFrame::decode`] decodes one frame; [`JuyFrame::decode_into`] refills an existing frame
//! (port data in place), for hot loops. The crate's stream decoder finds frame boundaries with
//! this module's framer, [`JuyFramer`], which bounds `LEN` to [`MAX_LEN`].
//!
//! # Original and IMEI form
//!
//! After a login reply whose result is 0xF0 ([`LoginResult::OkSwitchToImeiForm`]), a pile whose
//! login declared protocol version ≥ 0x64 puts its IMEI after `RESULT` in every frame, both ways.
//! [`DecodeContext::imei_form`] says which form a decode expects: [`ImeiForm::Original`],
//! [`ImeiForm::WithImei`], or [`ImeiForm::Detect`] for one-shot decoding, which tells the forms
//! apart by length (the IMEI form is 15 bytes longer, and those 15 bytes must be ASCII digits);
//! for commands with a count (0x82, 0x85, 0x88, 0x8F) the count must agree with the length. A
//! [`JuyConnection`] follows the switch on a live connection.
//!
//! # Direction
//!
//! Most commands travel both ways with different layouts (0x81 login and its reply, 0x83 start
//! and its reply, …). [`JuyFrame::decode`] takes the direction of its [`DecodeContext`], or
//! `None` to infer it: each candidate direction (and form) is matched against the body length,
//! and [`JuyFrame::direction_source`] says how the choice was made — [`DirectionSource::Given`],
//! [`DirectionSource::Layout`] when exactly one direction fits, or [`DirectionSource::Guessed`]
//! when both do or neither does. Only 0xF5 (OTA start vs. its result, one byte each) is
//! ambiguous by layout; a guess prefers `up` (what a platform decodes most) and, when a command
//! is defined in one direction only (0x8C down, 0x8F up) and the body does not fit it, the
//! other direction as an opaque [`JuyMessage::Unknown`].
//!
//! # Energy resolution
//!
//! Energy reported by the pile (0x85 end-of-charge, 0x88 port data) is in 0.01 kWh before
//! protocol V1.1 and in 0.001 kWh from V1.1 on; the frame does not say which. It is declared in
//! [`DecodeContext::energy_resolution`], default [`EnergyResolution::MilliKwh`] (the V1.2
//! reference), and kept in [`JuyFrame::energy_resolution`], at which encoding writes it. Fields whose scale the reference fixes (0x83 energy limit, 0x8B meter reading,
//! parameter table energy: 0.01 kWh; 0x8F period energy: 0.001 kWh) ignore the setting.
//!
//! # Lengths
//!
//! In errors, `LengthMismatch { declared, expected }` compares the frame's `LEN` field with the
//! `LEN` the command's layout needs. Strict decoding rejects any difference; lenient decoding
//! keeps bytes beyond the layout in [`JuyFrame::extra`] and reports [`Deviation::LongBody`].

mod charging;
mod codecs;
mod framing;
mod message;
mod port_data;
mod presence;
mod reply;
#[cfg(feature = "serde")]
mod serde_form;
mod settings;
mod tariff;
#[cfg(test)]
mod tests;

use alloc::vec::Vec;

pub use charging::{
    CardAuth, CardAuthReply, CardAuthResult, CardOperation, ChargeLimit, ChargeMode,
    EndOfChargeReport, LocalStartMode, LocalStartReport, PortOrder, RemoteStart, RemoteStartReply,
    RemoteStopReply, StartMode, StartResult, StopReason, StopResult, TierUsage,
};
pub use codecs::{MAX_PORTS, PortList};
pub use framing::JuyFramer;
pub use message::{JuyMessage, command};
pub use port_data::{PeriodUsage, PortData, PortSample, PortSamples, TouPortData, TouPortSample};
pub use presence::{
    Heartbeat, IMEI_FORM_MIN_PROTOCOL, ImeiReport, Login, LoginReason, LoginReply, LoginResult,
    OtaReply, OtaResult, PortState, Reserved,
};
pub use settings::{
    BillingMode, ChangeServer, MeterCommand, MeterOperation, MeterReading, ParameterTable,
    ServerProtocol,
};
pub use tariff::{
    MAX_RATES, SLOTS, SetTouTariffReply, TouClassCode, TouMode, TouRate, TouSlots, TouTariff,
};

use super::deviation::{Deviation, Deviations};
use super::error::{DecodeError, DecodeErrorKind, EncodeError};
use super::fields::Ascii;
use super::wire::{Reader, Writer, unrepresentable};
use super::{DecodeContext, Dialect, Direction, DirectionSource, Frame, Policy};
use crate::open_enum;
use crate::units::Energy;
use message::{Fit, layout};

/// The two start bytes.
pub const START: [u8; 2] = [0x5A, 0xA5];

/// Bytes before `CMD`: start marker and `LEN`.
const HEADER_LEN: usize = 4;

/// Bytes of `LEN` without data: `CMD`, `RESULT`, `SUM`.
const LEN_OVERHEAD: usize = 3;

/// Length of the IMEI in the IMEI form.
pub const IMEI_LEN: usize = 15;

/// The largest `LEN` accepted. The largest layout the reference describes for a 12-port pile (a
/// 0x8F report in the IMEI form) needs 396; anything beyond 1024 is taken for garbage.
pub const MAX_LEN: usize = 1024;

/// The resolution of the energy a pile reports (0x85, 0x88).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum EnergyResolution {
    /// 0.01 kWh: piles before protocol V1.1.
    CentiKwh,
    /// 0.001 kWh: protocol V1.1 and later (the default, as in the V1.2 reference).
    #[default]
    MilliKwh,
}

impl EnergyResolution {
    /// Decimal digits of a kWh value on the wire.
    pub const fn decimals(self) -> u32 {
        match self {
            Self::CentiKwh => 2,
            Self::MilliKwh => 3,
        }
    }

    /// The energy of a raw wire value.
    pub const fn energy(self, raw: u32) -> Energy {
        match self {
            Self::CentiKwh => Energy::from_centi_kwh(raw as i64),
            Self::MilliKwh => Energy::from_wh(raw as i64),
        }
    }

    /// The raw wire value of an energy, if it is a whole number of steps and fits.
    pub fn raw(self, energy: Energy) -> Option<u32> {
        energy
            .to_scaled(self.decimals())
            .and_then(|v| u32::try_from(v).ok())
    }
}

/// Reads a u32 energy at the declared resolution.
#[inline]
pub(crate) fn read_energy(
    r: &mut Reader<'_>,
    resolution: EnergyResolution,
) -> Result<Energy, DecodeError> {
    r.u32_le().map(|raw| resolution.energy(raw))
}

/// Writes a u32 energy at the declared resolution.
pub(crate) fn write_energy(
    energy: &Energy,
    w: &mut Writer<'_>,
    resolution: EnergyResolution,
) -> Result<(), EncodeError> {
    match resolution.raw(*energy) {
        Some(raw) => {
            w.u32_le(raw);
            Ok(())
        }
        None => Err(unrepresentable(
            energy,
            match resolution {
                EnergyResolution::CentiKwh => "the field holds 0.01 kWh steps in a u32",
                EnergyResolution::MilliKwh => "the field holds 0.001 kWh steps in a u32",
            },
        )),
    }
}

/// Energies that encode at both resolutions, for roundtrip tests.
#[cfg(test)]
pub(crate) fn arbitrary_energy() -> proptest::strategy::BoxedStrategy<Energy> {
    use proptest::strategy::Strategy;
    proptest::arbitrary::any::<u32>()
        .prop_map(|raw| Energy::from_centi_kwh(i64::from(raw / 10)))
        .boxed()
}

/// Which frame form a decode expects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ImeiForm {
    /// No IMEI after `RESULT`.
    Original,
    /// A 15-byte IMEI after `RESULT` (after a login reply carrying 0xF0).
    WithImei,
    /// Tell from the length (one-shot decoding): see the [module docs](self).
    #[default]
    Detect,
}

/// The JUY settings of a decode (also held by a [`DecodeContext`]), as a [`JuyConnection`]
/// keeps them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct JuyOptions {
    /// The resolution of reported energy (default 0.001 kWh, V1.1 and later).
    pub energy_resolution: EnergyResolution,
    /// Which form to expect (default: detect). A frame with an [`imei`](JuyFrame::imei) is
    /// encoded in the IMEI form.
    pub imei_form: ImeiForm,
}

impl JuyOptions {
    /// These options with another energy resolution.
    pub const fn with_energy_resolution(mut self, resolution: EnergyResolution) -> Self {
        self.energy_resolution = resolution;
        self
    }

    /// These options with another expected form.
    pub const fn with_imei_form(mut self, form: ImeiForm) -> Self {
        self.imei_form = form;
        self
    }
}

open_enum! {
    /// The frame header's result byte.
    pub enum FrameResult: u8 {
        /// Failure.
        Fail = 0x00 => "fail",
        /// Success.
        Ok = 0x01 => "ok",
        /// No network.
        NoNetwork = 0xFF => "no_network",
    }
}

/// A decoded (or to-be-encoded) JUY frame.
///
/// Its serde form puts the frame's fields (`dialect`, `direction`, `direction_source`,
/// `frame_type`, `frame_result`, `frame_imei`, `energy_resolution`, `deviations`, `extra`) next
/// to the message's `name` and fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JuyFrame {
    /// The header's result byte.
    pub result: FrameResult,
    /// The IMEI after the result byte, in the IMEI form.
    pub imei: Option<Ascii<IMEI_LEN>>,
    /// The message.
    pub message: JuyMessage,
    /// How the direction was decided.
    pub direction_source: DirectionSource,
    /// What a lenient decode (or a disabled checksum check) tolerated.
    pub deviations: Deviations,
    /// Bytes after the message's layout (lenient decoding), kept as they came and re-encoded.
    pub extra: Vec<u8>,
    /// The resolution of the energy the pile reports (0x85, 0x88): what the decode assumed, and
    /// what encoding writes.
    pub energy_resolution: EnergyResolution,
}

/// One way to read a frame's data: a direction, a form and the layout.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    direction: Direction,
    imei: bool,
    /// Whether the reference defines a layout for it (else the body is opaque).
    known: bool,
    fit: Fit,
    expected: usize,
}

/// The decision: how to read the data and how the direction was found.
#[derive(Debug, Clone, Copy)]
struct Choice {
    candidate: Candidate,
    source: DirectionSource,
}

impl JuyFrame {
    /// A frame of `message` with result [`FrameResult::Ok`], in the original form.
    pub fn new(message: JuyMessage) -> Self {
        Self {
            result: FrameResult::Ok,
            imei: None,
            message,
            direction_source: DirectionSource::Given,
            deviations: Deviations::new(),
            extra: Vec::new(),
            energy_resolution: EnergyResolution::MilliKwh,
        }
    }

    /// The same frame in the IMEI form.
    pub fn with_imei(mut self, imei: Ascii<IMEI_LEN>) -> Self {
        self.imei = Some(imei);
        self
    }

    /// The same frame with reported energy written at `resolution`.
    pub fn with_energy_resolution(mut self, resolution: EnergyResolution) -> Self {
        self.energy_resolution = resolution;
        self
    }

    /// The same frame with another header result byte.
    pub fn with_result(mut self, result: FrameResult) -> Self {
        self.result = result;
        self
    }

    /// The command code.
    pub fn command(&self) -> u8 {
        self.message.command()
    }

    /// Which way the frame travels.
    pub fn direction(&self) -> Direction {
        self.message.direction()
    }

    /// Decodes one frame that fills `bytes` exactly. The direction is the context's when the
    /// caller knows it, else inferred (see [`direction_source`](Self::direction_source)); the
    /// context also says which form to expect and the energy resolution. Error offsets are
    /// [`ctx.base_offset`](DecodeContext::base_offset) plus the offset in `bytes`.
    ///
    /// When `bytes` is shorter than `LEN` says, the error is `Truncated` at offset 0; when it is
    /// longer, `LengthMismatch` at offset 2 (the `LEN` field), with `expected` the `LEN` the
    /// bytes would need.
    #[inline]
    pub fn decode(bytes: &[u8], ctx: &DecodeContext) -> Result<Self, DecodeError> {
        // Start from the variant the command most likely decodes to, so port data is filled
        // in place.
        let mut frame = Self::new(match bytes.get(4) {
            Some(&command::PORT_DATA) => JuyMessage::PortData(PortData::default()),
            _ => JuyMessage::Unknown {
                command: 0,
                direction: Direction::Up,
                data: Vec::new(),
            },
        });
        frame.decode_into(bytes, ctx)?;
        Ok(frame)
    }

    /// Like [`decode`](Self::decode), overwriting `self`: a hot loop that decodes into the same
    /// frame reuses its storage (port data is refilled in place, `extra` keeps its allocation).
    /// After an error, `self` holds an unspecified frame.
    pub fn decode_into(&mut self, bytes: &[u8], ctx: &DecodeContext) -> Result<(), DecodeError> {
        let base_offset = ctx.base_offset;
        let opts = ctx.options();
        let juy = ctx.juy();
        let direction = ctx.direction;
        let at = |kind, offset: usize| DecodeError::new(kind, base_offset + offset);
        let total = frame_len(bytes).map_err(|e| e.shifted(base_offset))?;
        if bytes.len() > total {
            return Err(at(
                DecodeErrorKind::LengthMismatch {
                    declared: total - HEADER_LEN,
                    expected: bytes.len() - HEADER_LEN,
                },
                2,
            ));
        }
        let mut deviations = Deviations::new();
        let sum_at = total - 1;
        let (Some(&carried), Some(summed), Some(&command), Some(&result), Some(data)) = (
            bytes.get(sum_at),
            bytes.get(2..sum_at),
            bytes.get(4),
            bytes.get(5),
            bytes.get(6..sum_at),
        ) else {
            return Err(at(
                DecodeErrorKind::Truncated {
                    needed: total,
                    available: bytes.len(),
                },
                0,
            ));
        };
        let computed = checksum(summed);
        if computed != carried {
            let (computed, carried) = (u16::from(computed), u16::from(carried));
            if opts.verify_checksum {
                return Err(at(
                    DecodeErrorKind::ChecksumMismatch { computed, carried },
                    sum_at,
                ));
            }
            deviations.push(Deviation::ChecksumMismatch { computed, carried });
        }

        let choice = choose(command, data, direction, juy.imei_form, opts.policy).map_err(
            |(declared, expected)| {
                at(
                    DecodeErrorKind::LengthMismatch {
                        declared: declared + LEN_OVERHEAD,
                        expected: expected + LEN_OVERHEAD,
                    },
                    2,
                )
            },
        )?;
        let c = choice.candidate;
        let (imei, body, body_at) = if c.imei {
            let (imei, body) = data.split_at_checked(IMEI_LEN).unwrap_or((&[], data));
            let mut raw = [0u8; IMEI_LEN];
            if let Some(dst) = raw.get_mut(..imei.len()) {
                dst.copy_from_slice(imei);
            }
            (Some(Ascii(raw)), body, 6 + IMEI_LEN)
        } else {
            (None, data, 6)
        };
        let used = if c.known {
            c.expected.min(body.len())
        } else {
            body.len()
        };
        let (layout_bytes, extra) = body.split_at_checked(used).unwrap_or((body, &[]));
        let mut r = Reader::new(layout_bytes, base_offset + body_at, opts.policy);
        JuyMessage::read_into(
            &mut self.message,
            command,
            c.direction,
            &mut r,
            juy.energy_resolution,
        )?;
        for d in r.deviations().iter() {
            deviations.push(*d);
        }
        if !extra.is_empty() {
            deviations.push(Deviation::LongBody {
                extra: u16::try_from(extra.len()).unwrap_or(u16::MAX),
            });
        }
        self.result = FrameResult::from_code(result);
        self.imei = imei;
        self.direction_source = choice.source;
        self.deviations = deviations;
        self.extra.clear();
        self.extra.extend_from_slice(extra);
        self.energy_resolution = juy.energy_resolution;
        Ok(())
    }

    /// Encodes the frame, in the IMEI form when it has an [`imei`](Self::imei). Reported energy
    /// is written at [`energy_resolution`](Self::energy_resolution).
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::new();
        self.encode_into(&mut out)?;
        Ok(out)
    }

    /// Encodes the frame, appending it to `out`. On error, `out` is left as it was.
    pub fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let start = out.len();
        let written = self.write_frame(out);
        if written.is_err() {
            out.truncate(start);
        }
        written
    }

    fn write_frame(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let start = out.len();
        out.extend_from_slice(&[START[0], START[1], 0, 0, self.command(), self.result.code()]);
        if let Some(imei) = &self.imei {
            out.extend_from_slice(&imei.0);
        }
        self.message
            .write(&mut Writer::new(out), self.energy_resolution)?;
        out.extend_from_slice(&self.extra);
        let len = out.len() - start - HEADER_LEN + 1;
        if len > MAX_LEN {
            return Err(EncodeError::TooLong { len, max: MAX_LEN });
        }
        let len_bytes = (len as u16).to_le_bytes();
        if let Some(dst) = out.get_mut(start + 2..start + 4) {
            dst.copy_from_slice(&len_bytes);
        }
        let sum = checksum(out.get(start + 2..).unwrap_or(&[]));
        out.push(sum);
        Ok(())
    }
}

impl Frame for JuyFrame {
    fn decode(bytes: &[u8], ctx: &DecodeContext) -> Result<Self, DecodeError> {
        JuyFrame::decode(bytes, ctx)
    }

    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        JuyFrame::encode_into(self, out)
    }

    fn dialect(&self) -> Dialect {
        Dialect::Juy
    }

    fn direction(&self) -> Direction {
        JuyFrame::direction(self)
    }

    fn name(&self) -> &'static str {
        self.message.name()
    }
}

/// The 8-bit sum of `bytes`.
#[inline]
pub fn checksum(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0u8, |acc, &b| acc.wrapping_add(b))
}

/// Checks the start marker and `LEN` of a frame at `bytes[0]` and returns the frame's total
/// length, or the error at its offset from `bytes[0]`.
fn frame_len(bytes: &[u8]) -> Result<usize, DecodeError> {
    for (i, &expected) in START.iter().enumerate() {
        match bytes.get(i) {
            Some(&b) if b == expected => {}
            Some(&b) => return Err(DecodeError::new(DecodeErrorKind::BadStart { found: b }, i)),
            None => {
                return Err(DecodeError::new(
                    DecodeErrorKind::Truncated {
                        needed: HEADER_LEN,
                        available: bytes.len(),
                    },
                    0,
                ));
            }
        }
    }
    let Some(&[lo, hi]) = bytes.get(2..4).and_then(|s| <&[u8; 2]>::try_from(s).ok()) else {
        return Err(DecodeError::new(
            DecodeErrorKind::Truncated {
                needed: HEADER_LEN,
                available: bytes.len(),
            },
            0,
        ));
    };
    let len = usize::from(u16::from_le_bytes([lo, hi]));
    if !(LEN_OVERHEAD..=MAX_LEN).contains(&len) {
        return Err(DecodeError::new(
            DecodeErrorKind::BadLength { declared: len },
            2,
        ));
    }
    let total = HEADER_LEN + len;
    if bytes.len() < total {
        return Err(DecodeError::new(
            DecodeErrorKind::Truncated {
                needed: total,
                available: bytes.len(),
            },
            0,
        ));
    }
    Ok(total)
}

/// Whether every byte is an ASCII digit.
fn all_digits(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_digit)
}

/// Picks how to read `data` (everything between `RESULT` and `SUM`): the first reading (up
/// before down, original before IMEI form) whose layout fits exactly; in lenient mode, else the
/// first whose layout leaves extra bytes; else a direction the reference defines nothing for,
/// read as opaque. On failure returns the data length declared and the one the most likely
/// reading expects.
fn choose(
    command: u8,
    data: &[u8],
    direction: Option<Direction>,
    form: ImeiForm,
    policy: Policy,
) -> Result<Choice, (usize, usize)> {
    const BOTH: [Direction; 2] = [Direction::Up, Direction::Down];
    let directions: &[Direction] = match &direction {
        Some(d) => core::slice::from_ref(d),
        None => &BOTH,
    };
    if form == ImeiForm::WithImei && data.len() < IMEI_LEN {
        let layout_len = directions
            .first()
            .and_then(|&d| layout(command, d))
            .map_or(0, |l| l.expected_len(&[]));
        return Err((data.len(), IMEI_LEN + layout_len));
    }
    let forms: &[bool] = match form {
        ImeiForm::Original => &[false],
        ImeiForm::WithImei => &[true],
        ImeiForm::Detect => &[false, true],
    };

    let mut exact: Option<Candidate> = None;
    let mut exact_directions_differ = false;
    let mut long: Option<Candidate> = None;
    let mut long_directions_differ = false;
    let mut opaque: Option<Candidate> = None;
    let mut first: Option<Candidate> = None;
    for &dir in directions {
        let l = layout(command, dir);
        for &imei in forms {
            let body = if imei {
                match data.get(IMEI_LEN..) {
                    Some(body)
                        if form == ImeiForm::WithImei
                            || data.get(..IMEI_LEN).is_some_and(all_digits) =>
                    {
                        body
                    }
                    _ => continue,
                }
            } else {
                data
            };
            let Some(l) = l else {
                opaque.get_or_insert(Candidate {
                    direction: dir,
                    imei,
                    known: false,
                    fit: Fit::Exact,
                    expected: body.len(),
                });
                continue;
            };
            let c = Candidate {
                direction: dir,
                imei,
                known: true,
                fit: l.fit(body),
                expected: l.expected_len(body),
            };
            first.get_or_insert(c);
            let (slot, differ) = match c.fit {
                Fit::Exact => (&mut exact, &mut exact_directions_differ),
                Fit::Long => (&mut long, &mut long_directions_differ),
                Fit::Short => continue,
            };
            match slot {
                Some(seen) => *differ |= seen.direction != dir,
                None => *slot = Some(c),
            }
        }
    }
    let source = |differ: bool| match (direction, differ) {
        (Some(_), _) => DirectionSource::Given,
        (None, false) => DirectionSource::Layout,
        (None, true) => DirectionSource::Guessed,
    };
    if let Some(candidate) = exact {
        return Ok(Choice {
            candidate,
            source: source(exact_directions_differ),
        });
    }
    if policy == Policy::Lenient
        && let Some(candidate) = long
    {
        return Ok(Choice {
            candidate,
            source: source(true),
        });
    }
    if let Some(candidate) = opaque {
        return Ok(Choice {
            candidate,
            source: source(true),
        });
    }
    Err(match long.or(first) {
        Some(c) => (data.len(), c.expected + if c.imei { IMEI_LEN } else { 0 }),
        None => (data.len(), data.len()),
    })
}

/// Per-connection state for decoding a stream from one pile: follows the switch to the IMEI
/// form.
///
/// It starts in the form of the options it is built with: [`ImeiForm::Detect`] (the default)
/// until the connection shows which form it speaks, or a known form (e.g. when restoring a
/// connection's state). A login in the original form sets the original form; a login reply with
/// result 0xF0 sets the IMEI form — unless the pile's last login on this connection declared a
/// protocol version below 0x64, as the reference requires both. Logins are always decoded with
/// [`ImeiForm::Detect`], since a pile that reconnects logs in before any reply. The state
/// serializes, so it can be checkpointed with the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct JuyConnection {
    options: JuyOptions,
    login_protocol: Option<u8>,
}

impl JuyConnection {
    /// A connection decoding with `options` until its frames say otherwise.
    pub fn new(options: JuyOptions) -> Self {
        Self {
            options,
            login_protocol: None,
        }
    }

    /// The options the next frame is decoded with.
    pub fn options(&self) -> JuyOptions {
        self.options
    }

    /// The form the connection is in ([`ImeiForm::Detect`] while it is not known).
    pub fn imei_form(&self) -> ImeiForm {
        self.options.imei_form
    }

    /// Decodes one frame of this connection and updates the state from it. The context gives
    /// the policy, checksum check, direction and base offset; the connection gives the energy
    /// resolution and the form.
    pub fn decode(&mut self, bytes: &[u8], ctx: &DecodeContext) -> Result<JuyFrame, DecodeError> {
        let mut options = self.options;
        if bytes.get(4) == Some(&command::LOGIN) {
            options.imei_form = ImeiForm::Detect;
        }
        let frame = JuyFrame::decode(bytes, &ctx.with_juy(options))?;
        self.observe(&frame);
        Ok(frame)
    }

    /// Updates the state from a frame of this connection (decoded or sent).
    pub fn observe(&mut self, frame: &JuyFrame) {
        match &frame.message {
            JuyMessage::Login(login) => {
                self.login_protocol = Some(login.signal);
                self.options.imei_form = match frame.imei {
                    Some(_) => ImeiForm::WithImei,
                    None => ImeiForm::Original,
                };
            }
            JuyMessage::LoginReply(reply)
                if reply.switches_to_imei_form()
                    && self
                        .login_protocol
                        .is_none_or(|p| p >= IMEI_FORM_MIN_PROTOCOL) =>
            {
                self.options.imei_form = ImeiForm::WithImei;
            }
            _ => {}
        }
    }
}
