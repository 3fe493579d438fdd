//! YKC (云快充) V1.5/V1.6, the car-pile protocol, also published as DiDi OpenUC.
//!
//! ```text
//! 68 | L | seq (2) | encryption | frame type | body (L − 4) | CRC-16/MODBUS (2)
//! ```
//!
//! `L` counts seq through body. The CRC covers seq through body; real piles send it in either
//! byte order, so both are accepted and [`YkcFrame::checksum_order`] says which one came. The
//! sequence number is kept as its two raw bytes ([`Seq`]) and echoed by replies. Frame types from
//! the pile are odd, from the platform even.
//!
//! ```
//! use pilekit::codec::ykc::{YkcFrame, YkcMessage};
//! use pilekit::codec::DecodeContext;
//!
//! let bytes = pilekit::hex::decode("68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A")?;
//! let frame = YkcFrame::decode(&bytes, &DecodeContext::default())?;
//! if let YkcMessage::Heartbeat(hb) = &frame.message {
//!     assert_eq!(hb.pile_code.to_string(), "32010200000001");
//!     assert_eq!(hb.gun, 1);
//! }
//! assert_eq!(frame.message.name(), "heartbeat");
//! assert_eq!(frame.encode()?, bytes);
//! # Ok::<(), pilekit::Error>(())
//! ```

#[cfg(feature = "serde")]
mod canonical;
mod crc;
mod enums;
mod framing;
mod messages;
mod scales;
mod types;

#[cfg(test)]
mod tests;

use alloc::vec::Vec;

pub use enums::*;
pub use framing::YkcFramer;
pub use messages::*;
pub use types::*;

use super::catalogue::{BodyContext, catalogue};
use super::deviation::{Deviation, Deviations};
use super::error::{DecodeError, DecodeErrorKind, EncodeError};
use super::wire::{Reader, Writer};
use super::{
    ByteOrder, CatalogueEntry, DecodeContext, DecodeOptions, Dialect, Direction, Frame, Policy,
};

/// The start byte of every YKC frame.
pub const START: u8 = 0x68;
/// Bytes around the body: start, length, seq (2), encryption flag, frame type, CRC (2).
pub const OVERHEAD: usize = 8;
/// The largest body a length byte can declare (255 − 4).
pub const MAX_BODY: usize = 251;

/// CRC-16/MODBUS of `bytes` (poly 0x8005 reflected, init 0xFFFF).
#[inline]
pub fn crc16_modbus(bytes: &[u8]) -> u16 {
    crc::crc16_modbus(bytes)
}

/// A frame type code. Unknown codes are data, not errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct FrameType(pub u8);

impl FrameType {
    /// The direction: odd codes come from the pile, even codes from the platform.
    pub const fn direction(self) -> Direction {
        if self.0 % 2 == 1 {
            Direction::Up
        } else {
            Direction::Down
        }
    }
}

impl core::fmt::Display for FrameType {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "0x{:02X}", self.0)
    }
}

/// A body kept as raw bytes: an unknown frame type, or an encrypted body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Opaque {
    /// The frame type code.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub frame_type: u8,
    /// The body.
    #[cfg_attr(
        feature = "serde",
        serde(
            serialize_with = "crate::canonical::serialize_hex",
            deserialize_with = "crate::canonical::deserialize_hex"
        )
    )]
    pub body: Vec<u8>,
}

catalogue! {
    /// A YKC message: one variant per frame type of V1.6 §4 (plus the QR-prefix extension), an
    /// opaque variant for unknown frame types and one for encrypted bodies. Odd frame types
    /// travel up, even ones down.
    pub enum YkcMessage {
        /// `0x01` login.
        Login(Login) = 0x01, Up, "login";
        /// `0x02` login_reply.
        LoginReply(LoginReply) = 0x02, Down, "login_reply";
        /// `0x03` heartbeat.
        Heartbeat(Heartbeat) = 0x03, Up, "heartbeat";
        /// `0x04` heartbeat_reply.
        HeartbeatReply(HeartbeatReply) = 0x04, Down, "heartbeat_reply";
        /// `0x05` model_check_request.
        ModelCheckRequest(ModelCheckRequest) = 0x05, Up, "model_check_request";
        /// `0x06` model_check_reply.
        ModelCheckReply(ModelCheckReply) = 0x06, Down, "model_check_reply";
        /// `0x09` model_request.
        ModelRequest(ModelRequest) = 0x09, Up, "model_request";
        /// `0x0A` model_reply.
        ModelReply(BillingModel) = 0x0A, Down, "model_reply";
        /// `0x12` read_real_time_data.
        ReadRealTimeData(ReadRealTimeData) = 0x12, Down, "read_real_time_data";
        /// `0x13` real_time_data.
        RealTimeData(RealTimeData) = 0x13, Up, "real_time_data";
        /// `0x15` handshake.
        Handshake(Handshake) = 0x15, Up, "handshake";
        /// `0x17` parameter_config.
        ParameterConfig(ParameterConfig) = 0x17, Up, "parameter_config";
        /// `0x19` charge_end.
        ChargeEnd(ChargeEnd) = 0x19, Up, "charge_end";
        /// `0x1B` error_report.
        ErrorReport(ErrorReport) = 0x1B, Up, "error_report";
        /// `0x1D` bms_stop.
        BmsStop(StageStop) = 0x1D, Up, "bms_stop";
        /// `0x21` charger_stop.
        ChargerStop(StageStop) = 0x21, Up, "charger_stop";
        /// `0x23` bms_demand.
        BmsDemand(BmsDemand) = 0x23, Up, "bms_demand";
        /// `0x25` bms_info.
        BmsInfo(BmsInfo) = 0x25, Up, "bms_info";
        /// `0x31` start_request.
        StartRequest(StartRequest) = 0x31, Up, "start_request";
        /// `0x32` start_authorization.
        StartAuthorization(StartAuthorization) = 0x32, Down, "start_authorization";
        /// `0x33` remote_start_reply.
        RemoteStartReply(RemoteStartReply) = 0x33, Up, "remote_start_reply";
        /// `0x34` remote_start.
        RemoteStart(RemoteStart) = 0x34, Down, "remote_start";
        /// `0x35` remote_stop_reply.
        RemoteStopReply(RemoteStopReply) = 0x35, Up, "remote_stop_reply";
        /// `0x36` remote_stop.
        RemoteStop(RemoteStop) = 0x36, Down, "remote_stop";
        /// `0x3B` transaction_record.
        TransactionRecord(TransactionRecord) = 0x3B, Up, "transaction_record";
        /// `0x40` transaction_ack.
        TransactionAck(TransactionAck) = 0x40, Down, "transaction_ack";
        /// `0x41` balance_update_reply.
        BalanceUpdateReply(BalanceUpdateReply) = 0x41, Up, "balance_update_reply";
        /// `0x42` balance_update.
        BalanceUpdate(BalanceUpdate) = 0x42, Down, "balance_update";
        /// `0x43` offline_card_sync_reply.
        OfflineCardSyncReply(OfflineCardSyncReply) = 0x43, Up, "offline_card_sync_reply";
        /// `0x44` offline_card_sync.
        OfflineCardSync(OfflineCardSync) = 0x44, Down, "offline_card_sync";
        /// `0x45` offline_card_clear_reply.
        OfflineCardClearReply(OfflineCardClearReply) = 0x45, Up, "offline_card_clear_reply";
        /// `0x46` offline_card_clear.
        OfflineCardClear(OfflineCardClear) = 0x46, Down, "offline_card_clear";
        /// `0x47` offline_card_query_reply.
        OfflineCardQueryReply(OfflineCardQueryReply) = 0x47, Up, "offline_card_query_reply";
        /// `0x48` offline_card_query.
        OfflineCardQuery(OfflineCardQuery) = 0x48, Down, "offline_card_query";
        /// `0x51` work_parameters_reply.
        WorkParametersReply(PileResult) = 0x51, Up, "work_parameters_reply";
        /// `0x52` work_parameters.
        WorkParameters(WorkParameters) = 0x52, Down, "work_parameters";
        /// `0x55` clock_sync_reply.
        ClockSyncReply(ClockSync) = 0x55, Up, "clock_sync_reply";
        /// `0x56` clock_sync.
        ClockSync(ClockSync) = 0x56, Down, "clock_sync";
        /// `0x57` model_set_reply.
        ModelSetReply(ModelSetReply) = 0x57, Up, "model_set_reply";
        /// `0x58` model_set.
        ModelSet(BillingModel) = 0x58, Down, "model_set";
        /// `0x61` parking_lock_status.
        ParkingLockStatus(ParkingLockStatus) = 0x61, Up, "parking_lock_status";
        /// `0x62` parking_lock_command.
        ParkingLockCommand(ParkingLockCommand) = 0x62, Down, "parking_lock_command";
        /// `0x63` parking_lock_reply.
        ParkingLockReply(ParkingLockReply) = 0x63, Up, "parking_lock_reply";
        /// `0x91` reboot_reply.
        RebootReply(PileResult) = 0x91, Up, "reboot_reply";
        /// `0x92` reboot.
        Reboot(Reboot) = 0x92, Down, "reboot";
        /// `0x93` update_reply.
        UpdateReply(UpdateReply) = 0x93, Up, "update_reply";
        /// `0x94` remote_update.
        RemoteUpdate(RemoteUpdate) = 0x94, Down, "remote_update";
        /// `0xA1` parallel_start_request.
        ParallelStartRequest(ParallelStartRequest) = 0xA1, Up, "parallel_start_request";
        /// `0xA2` parallel_start_authorization.
        ParallelStartAuthorization(ParallelStartAuthorization) = 0xA2, Down, "parallel_start_authorization";
        /// `0xA3` parallel_start_reply.
        ParallelStartReply(ParallelStartReply) = 0xA3, Up, "parallel_start_reply";
        /// `0xA4` parallel_start.
        ParallelStart(ParallelStart) = 0xA4, Down, "parallel_start";
        /// `0xF0` qr_prefix.
        QrPrefix(QrPrefix) = 0xF0, Down, "qr_prefix";
        /// `0xF1` qr_prefix_reply.
        QrPrefixReply(PileResult) = 0xF1, Up, "qr_prefix_reply";
    }
    others {
        variants {
            /// A frame type this version does not know; the body is kept.
            #[cfg_attr(feature = "serde", serde(rename = "unknown"))]
            Unknown(Opaque),
            /// An encrypted body (encryption flag not 0), kept as it came.
            #[cfg_attr(feature = "serde", serde(rename = "encrypted"))]
            Encrypted(Opaque),
        }
        code { Self::Unknown(o) | Self::Encrypted(o) => o.frame_type }
        name {
            Self::Unknown(_) => "unknown",
            Self::Encrypted(_) => "encrypted",
        }
        direction { Self::Unknown(o) | Self::Encrypted(o) => FrameType(o.frame_type).direction() }
        read_other: Self::unknown_body,
        write_other: Self::write_opaque,
    }
}

/// Frame types whose body length varies (lists, URLs); the others have one fixed size.
const VARIABLE_LAYOUTS: [u8; 6] = [0x44, 0x45, 0x46, 0x47, 0x48, 0xF0];

impl YkcMessage {
    /// The frame type code.
    pub const fn frame_type(&self) -> FrameType {
        FrameType(self.code())
    }

    /// An unknown frame type's body, kept as it came.
    fn unknown_body(frame_type: u8, _: Direction, r: &mut Reader<'_>) -> Self {
        Self::Unknown(Opaque {
            frame_type,
            body: r.rest().to_vec(),
        })
    }

    /// Writes an opaque body.
    fn write_opaque(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        if let Self::Unknown(o) | Self::Encrypted(o) = self {
            w.put(&o.body);
        }
        Ok(())
    }
}

/// The body layout of a frame type: `(length, fixed)`, where `length` is the whole body for
/// fixed layouts and the minimum for variable ones; `None` for unknown types.
#[inline]
pub const fn layout(frame_type: FrameType) -> Option<(usize, bool)> {
    let packed = LAYOUTS[frame_type.0 as usize];
    if packed == 0 {
        None
    } else {
        Some((
            (packed & LAYOUT_LEN) as usize - 1,
            packed & LAYOUT_FIXED != 0,
        ))
    }
}

/// [`layout`] of every frame type, looked up once at compile time: 0 for unknown types, else
/// the body length plus one, with [`LAYOUT_FIXED`] set for fixed layouts.
const LAYOUTS: [u16; 256] = {
    let mut table = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        if let Some((len, fixed)) = find_layout(FrameType(i as u8)) {
            table[i] = (len as u16 + 1) | if fixed { LAYOUT_FIXED } else { 0 };
        }
        i += 1;
    }
    table
};
const LAYOUT_FIXED: u16 = 0x8000;
const LAYOUT_LEN: u16 = 0x7FFF;

/// [`layout`] from the catalogue.
const fn find_layout(frame_type: FrameType) -> Option<(usize, bool)> {
    match CatalogueEntry::find(YkcMessage::CATALOGUE, frame_type.0, frame_type.direction()) {
        Some(e) => {
            let mut fixed = true;
            let mut i = 0;
            while i < VARIABLE_LAYOUTS.len() {
                if VARIABLE_LAYOUTS[i] == frame_type.0 {
                    fixed = false;
                }
                i += 1;
            }
            Some((e.min_body_len, fixed))
        }
        None => None,
    }
}

/// The message name of a frame type, if known.
pub const fn frame_name(frame_type: FrameType) -> Option<&'static str> {
    match CatalogueEntry::find(YkcMessage::CATALOGUE, frame_type.0, frame_type.direction()) {
        Some(e) => Some(e.name),
        None => None,
    }
}

/// Every frame type this version knows.
pub const FRAME_TYPES: &[u8] = &[
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x09, 0x0A, 0x12, 0x13, 0x15, 0x17, 0x19, 0x1B, 0x1D, 0x21,
    0x23, 0x25, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x3B, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46,
    0x47, 0x48, 0x51, 0x52, 0x55, 0x56, 0x57, 0x58, 0x61, 0x62, 0x63, 0x91, 0x92, 0x93, 0x94, 0xA1,
    0xA2, 0xA3, 0xA4, 0xF0, 0xF1,
];

/// A decoded YKC frame: header, message, and what the decoder saw on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YkcFrame {
    /// The sequence number, raw.
    pub seq: Seq,
    /// The encryption flag: 0 plain, 1 3DES (the body is then kept opaque).
    pub encryption: u8,
    /// The CRC byte order the frame carried (encoding writes this order).
    pub checksum_order: ByteOrder,
    /// What a lenient decode tolerated.
    pub deviations: Deviations,
    /// The message.
    pub message: YkcMessage,
    /// Body bytes beyond the frame type's layout (lenient decoding of long bodies); written back
    /// after the body when encoding.
    pub extra: Vec<u8>,
}

impl YkcFrame {
    /// A plain frame with CRC low byte first.
    pub fn new(seq: Seq, message: YkcMessage) -> Self {
        Self {
            seq,
            encryption: 0,
            checksum_order: ByteOrder::LowByteFirst,
            deviations: Deviations::new(),
            message,
            extra: Vec::new(),
        }
    }

    /// The reply to this frame carrying `message`: same sequence bytes, same CRC byte order.
    pub fn reply(&self, message: YkcMessage) -> Self {
        Self {
            checksum_order: self.checksum_order,
            ..Self::new(self.seq, message)
        }
    }

    /// The acknowledgement the platform owes this frame when the answer needs no decision: a
    /// heartbeat (0x03, answered by 0x04 with reply 0) and a transaction record (0x3B, answered
    /// by 0x40 accepting it). `None` for every other frame: a login (0x01), a billing-model check
    /// (0x05) or request (0x09) and a start request (0x31, 0xA1) need the platform's decision
    /// and are answered with [`reply`](Self::reply).
    pub fn acknowledgement(&self) -> Option<Self> {
        let message = match &self.message {
            YkcMessage::Heartbeat(hb) => YkcMessage::HeartbeatReply(HeartbeatReply {
                pile_code: hb.pile_code,
                gun: hb.gun,
                reply: 0,
            }),
            YkcMessage::TransactionRecord(r) => YkcMessage::TransactionAck(TransactionAck {
                trade_serial: r.trade_serial,
                result: RecordCheck::Accepted,
            }),
            _ => return None,
        };
        Some(self.reply(message))
    }

    /// The frame type.
    pub const fn frame_type(&self) -> FrameType {
        self.message.frame_type()
    }

    /// The direction.
    pub const fn direction(&self) -> Direction {
        self.message.direction()
    }

    /// Decodes exactly one frame that fills `bytes`. Error offsets are
    /// [`ctx.base_offset`](DecodeContext::base_offset) plus the offset in `bytes`; the context's
    /// direction and JUY settings do not apply (a YKC frame type says its direction).
    pub fn decode(bytes: &[u8], ctx: &DecodeContext) -> Result<Self, DecodeError> {
        let base = ctx.base_offset;
        let opts = &ctx.options();
        let err = |kind, at: usize| DecodeError::new(kind, base + at);
        match bytes.first() {
            None => {
                return Err(err(
                    DecodeErrorKind::Truncated {
                        needed: OVERHEAD,
                        available: 0,
                    },
                    0,
                ));
            }
            Some(&START) => {}
            Some(&b) => return Err(err(DecodeErrorKind::BadStart { found: b }, 0)),
        }
        if bytes.len() < OVERHEAD {
            return Err(err(
                DecodeErrorKind::Truncated {
                    needed: OVERHEAD,
                    available: bytes.len(),
                },
                0,
            ));
        }
        let declared = usize::from(bytes[1]);
        if declared < 4 {
            return Err(err(DecodeErrorKind::BadLength { declared }, 1));
        }
        let mut deviations = Deviations::new();
        let mut total = declared + 4;
        if bytes.len() != total && opts.policy == Policy::Lenient && checksum_order(bytes).is_some()
        {
            // the length byte is wrong, but the input is exactly one frame whose CRC holds
            deviations.push(Deviation::LengthField {
                declared: (declared - 4) as u16,
                expected: (bytes.len() - OVERHEAD) as u16,
            });
            total = bytes.len();
        }
        if bytes.len() < total {
            return Err(err(
                DecodeErrorKind::Truncated {
                    needed: total,
                    available: bytes.len(),
                },
                0,
            ));
        }
        if bytes.len() > total {
            return Err(err(
                DecodeErrorKind::TrailingBytes {
                    count: bytes.len() - total,
                },
                total,
            ));
        }
        Self::decode_frame(bytes, base, opts, deviations)
    }

    /// Decodes a frame whose bounds are known (`bytes` is exactly the frame).
    #[inline]
    fn decode_frame(
        bytes: &[u8],
        base: usize,
        opts: &DecodeOptions,
        deviations: Deviations,
    ) -> Result<Self, DecodeError> {
        Self::decode_frame_then(bytes, base, opts, deviations, |frame| frame)
    }

    /// Decodes a frame whose bounds are known like [`decode_frame`](Self::decode_frame), and
    /// hands the frame to `finish`, which builds the result from it where the frame is built
    /// (the stream decoder wraps it into its item there instead of moving it out).
    #[inline(always)]
    fn decode_frame_then<R>(
        bytes: &[u8],
        base: usize,
        opts: &DecodeOptions,
        mut deviations: Deviations,
        finish: impl FnOnce(Self) -> R,
    ) -> Result<R, DecodeError> {
        let total = bytes.len();
        let crc_at = total - 2;
        let check = Crc::of(bytes);
        let checksum_order = match check.order() {
            Some(order) => order,
            None if opts.verify_checksum => {
                return Err(DecodeError::new(
                    DecodeErrorKind::ChecksumMismatch {
                        computed: check.computed,
                        carried: check.carried(),
                    },
                    base + crc_at,
                ));
            }
            None => {
                deviations.push(Deviation::ChecksumMismatch {
                    computed: check.computed,
                    carried: check.carried(),
                });
                ByteOrder::LowByteFirst
            }
        };
        let seq = Seq([bytes[2], bytes[3]]);
        let encryption = bytes[4];
        let frame_type = FrameType(bytes[5]);
        let body = &bytes[6..crc_at];
        if encryption > 1 && opts.policy == Policy::Strict {
            return Err(DecodeError::new(
                DecodeErrorKind::InvalidValue {
                    value: encryption.into(),
                },
                base + 4,
            ));
        }
        if encryption != 0 {
            return Ok(finish(Self {
                seq,
                encryption,
                checksum_order,
                deviations,
                message: YkcMessage::Encrypted(Opaque {
                    frame_type: frame_type.0,
                    body: body.to_vec(),
                }),
                extra: Vec::new(),
            }));
        }
        let mut layout_body = body;
        let mut extra = Vec::new();
        if let Some((len, fixed)) = layout(frame_type)
            && fixed
            && body.len() != len
        {
            if opts.policy == Policy::Strict || body.len() < len {
                return Err(DecodeError::new(
                    DecodeErrorKind::LengthMismatch {
                        declared: body.len(),
                        expected: len,
                    },
                    base + 1,
                ));
            }
            deviations.push(Deviation::LongBody {
                extra: (body.len() - len) as u16,
            });
            layout_body = &body[..len];
            extra = body[len..].to_vec();
        }
        let mut r = Reader::with_deviations(layout_body, base + 6, opts.policy, deviations);
        let policy = opts.policy;
        YkcMessage::read_body_then(
            frame_type.0,
            frame_type.direction(),
            &mut r,
            BodyContext::default(),
            #[inline(always)]
            |message, r| {
                if r.remaining() > 0 {
                    let used = layout_body.len() - r.remaining();
                    if policy == Policy::Strict {
                        return Err(DecodeError::new(
                            DecodeErrorKind::LengthMismatch {
                                declared: body.len(),
                                expected: used,
                            },
                            base + 1,
                        ));
                    }
                    r.deviate(Deviation::LongBody {
                        extra: r.remaining() as u16,
                    });
                    extra = r.rest().to_vec();
                }
                Ok(finish(Self {
                    seq,
                    encryption,
                    checksum_order,
                    deviations: *r.deviations(),
                    message,
                    extra,
                }))
            },
        )
    }

    /// Encodes the frame, with the CRC in [`checksum_order`](Self::checksum_order).
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(OVERHEAD + 64);
        self.encode_into(&mut out)?;
        Ok(out)
    }

    /// Appends the encoded frame to `out` (on error, `out` is left as it was).
    pub fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let start = out.len();
        out.extend_from_slice(&[
            START,
            0,
            self.seq.0[0],
            self.seq.0[1],
            self.encryption,
            self.frame_type().0,
        ]);
        let written = self
            .message
            .write_body(&mut Writer::new(out), BodyContext::default());
        if let Err(e) = written {
            out.truncate(start);
            return Err(e);
        }
        out.extend_from_slice(&self.extra);
        let body_len = out.len() - start - 6;
        if body_len > MAX_BODY {
            out.truncate(start);
            return Err(EncodeError::TooLong {
                len: body_len,
                max: MAX_BODY,
            });
        }
        out[start + 1] = (body_len + 4) as u8;
        let crc = crc16_modbus(&out[start + 2..]);
        out.extend_from_slice(&match self.checksum_order {
            ByteOrder::LowByteFirst => crc.to_le_bytes(),
            ByteOrder::HighByteFirst => crc.to_be_bytes(),
        });
        Ok(())
    }
}

impl Frame for YkcFrame {
    fn decode(bytes: &[u8], ctx: &DecodeContext) -> Result<Self, DecodeError> {
        YkcFrame::decode(bytes, ctx)
    }

    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        YkcFrame::encode_into(self, out)
    }

    fn dialect(&self) -> Dialect {
        Dialect::Ykc
    }

    fn direction(&self) -> Direction {
        YkcFrame::direction(self)
    }

    fn name(&self) -> &'static str {
        self.message.name()
    }
}

/// The CRC of one whole frame: what its contents give and the two bytes it carries.
struct Crc {
    computed: u16,
    tail: [u8; 2],
}

impl Crc {
    /// Computes the CRC of `frame` (exactly one frame, at least [`OVERHEAD`] bytes).
    fn of(frame: &[u8]) -> Self {
        let crc_at = frame.len() - 2;
        Self {
            computed: crc16_modbus(&frame[2..crc_at]),
            tail: [frame[crc_at], frame[crc_at + 1]],
        }
    }

    /// The byte order the carried CRC holds in, if it holds.
    fn order(&self) -> Option<ByteOrder> {
        if self.tail == self.computed.to_le_bytes() {
            Some(ByteOrder::LowByteFirst)
        } else if self.tail == self.computed.to_be_bytes() {
            Some(ByteOrder::HighByteFirst)
        } else {
            None
        }
    }

    /// The carried CRC read low byte first.
    fn carried(&self) -> u16 {
        u16::from_le_bytes(self.tail)
    }
}

/// The CRC byte order of `frame` (exactly one frame), if its CRC holds in either order.
fn checksum_order(frame: &[u8]) -> Option<ByteOrder> {
    (frame.len() >= OVERHEAD)
        .then(|| Crc::of(frame).order())
        .flatten()
}
