//! AP3000 "DNY" V8.6 e-bike piles (single, dual, 10-, 12- and 16-way) and their 485/LoRa hosts
//! (host protocol V2.9).
//!
//! ```text
//! "DNY" · length u16 · physical id u32 · message id u16 · command u8 · data · sum16
//!         └────────── length = 4 + 2 + 1 + data + 2 ─────────────────────────┘
//! ```
//!
//! Everything is little-endian. The checksum is the low 16 bits of the sum of every byte from
//! the `D` of `DNY` through the last data byte. A reply carries the message id of the command it
//! answers ([`DnyFrame::reply`]).
//!
//! ```
//! use pilekit::codec::dny::{Ack, DeviceClass, DnyFrame, DnyMessage, PortState};
//! use pilekit::codec::{DecodeContext, Direction};
//!
//! let bytes = pilekit::hex::decode("44 4E 59 10 00 3B 37 AB 04 01 00 21 98 08 02 00 00 09 05 EE 02")?;
//! let frame = DnyFrame::decode(&bytes, &DecodeContext::default())?;
//! assert_eq!(frame.direction(), Direction::Up);
//! assert_eq!(frame.physical_id.device_class(), DeviceClass::DualSocket);
//! assert_eq!(frame.physical_id.number(), 11220795);
//! let DnyMessage::Heartbeat(heartbeat) = &frame.message else {
//!     return Err("not a heartbeat".into());
//! };
//! assert_eq!(heartbeat.voltage.to_string(), "220.0 V");
//! assert_eq!(heartbeat.ports, [PortState::Idle, PortState::Idle]);
//!
//! let reply = frame.reply(DnyMessage::HeartbeatReply(Ack::OK)).encode()?;
//! assert_eq!(pilekit::hex::encode_spaced(&reply), "44 4E 59 0A 00 3B 37 AB 04 01 00 21 00 38 02");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Directions
//!
//! Most command codes travel both ways with different layouts: 0x21 is a heartbeat from the pile
//! and a one-byte acknowledgement from the server, 0x82 is a start command from the server and a
//! result from the pile. [`DnyFrame::decode`] takes the direction from its
//! [`DecodeContext`] (`Some(Direction::Up)` for frames from the pile, `Some(Direction::Down)`
//! for frames to it) or `None` to decide from the layout. The frame's
//! [`DirectionSource`] says how the direction was settled: given by the
//! caller, told by the data length, or guessed where both layouts have the same size (for
//! example 0x8D's one-byte work mode and its one-byte result; the server's command is chosen
//! then).
//!
//! # Fields added by later firmware
//!
//! The vendor appended fields over the years and tells servers to decode by length. A message's
//! appended fields are `Option`s: `None` when the frame ends before them. Bytes beyond the
//! newest known layout are kept in [`DnyFrame::extra`] and reported as
//! [`Deviation::LongBody`].
//!
//! # Units and ports
//!
//! Money arrives in fen, power in 0.1 W (the 0x82 full-power threshold in whole watts), energy
//! in 0.01 kWh, current in mA, voltage in 0.1 V and temperatures as `byte − 65` with 0 for "no
//! sensor"; all become the crate's exact [units](crate::units). Sockets are 0-based on the wire
//! and 1-based in [`Port`]; `0xFF` is [`Port::DeviceChooses`].
//!
//! # Module text in the stream
//!
//! A 4G module sends its SIM's 20-character ICCID when it connects and `link` after 30 s of
//! silence, unframed, between DNY frames ([`Iccid`]).

use alloc::vec::Vec;

use super::catalogue::{BodyContext, catalogue};
use super::deviation::{Deviation, Deviations};
use super::error::{DecodeError, DecodeErrorKind, EncodeError};
use super::wire::{Reader, Writer};
use super::{DecodeContext, Dialect, Direction, DirectionSource, Frame, Policy};

mod common;
mod device;
mod enums;
mod fields;
mod framing;
mod host;
mod server;
#[cfg(test)]
mod tests;
mod upgrade;

pub use common::{Ack, NoData, ServerTime};
pub use device::{
    AlarmPush, CabinetHeartbeat, CardReply, CardSwipe, Heartbeat, OldHeartbeat, OldHeartbeatPort,
    OrderConfirm, OrderConfirmReply, OrderNumber, PortPower, PortPush, Register, ServerAddress,
    Settlement, TestMode, UpgradeRequest,
};
pub use enums::{
    AlarmKind, CardMode, CardStatus, CardType, ChargeCommand, DeviceClass, Function, ModifyMode,
    ModifyResult, ModuleType, PortPushKind, PortState, RateMode, RtcChip, StartMode, StartResult,
    StopReason, UpgradeResult, WorkMode,
};
pub use fields::{PhysicalId, Port, RawBytes};
pub use framing::{DnyFramer, DnyText, Iccid, LINK};
pub use host::{
    FskParameters, FskParametersRequest, HostHeartbeat, HostStatus, SlaveVersion, SlaveVersions,
};
pub use server::ChargeLimit;
pub use server::{
    CabinetStop, CabinetStopReply, CardKeys, ChargeLimits, Locate, Modify, ModifyReply,
    MultiFunction, PlayVoice, ReadEeprom, ReadEepromReply, RunParameters1, RunParameters2,
    SetCardMode, SetMute, SetQrCode, SetWorkMode, StartStop, StartStopReply, TemporaryQrCode,
    WriteEeprom,
};
pub use upgrade::{FirmwareChunk, FirmwareChunkReply, VerificationChunk};

/// The three bytes every frame starts with.
pub const START: [u8; 3] = *b"DNY";

/// Bytes before the data: start, length, physical id, message id, command.
pub const HEADER_LEN: usize = 12;

/// The smallest length field: physical id, message id, command and checksum, no data.
pub const MIN_LENGTH_FIELD: u16 = 9;

/// The largest length field accepted.
///
/// The reference says "at most 256 bytes per packet", yet its own 0xF8/0xF9 firmware chunks
/// (256 data bytes after two counters) need a length of 269. Longer lengths than this bound are
/// taken for garbage that happens to contain `DNY`.
pub const MAX_LENGTH_FIELD: u16 = 512;

/// The 16-bit sum the frame's checksum carries.
#[inline]
pub fn checksum(bytes: &[u8]) -> u16 {
    let sum = bytes
        .iter()
        .fold(0u32, |acc, &b| acc.wrapping_add(u32::from(b)));
    sum as u16
}

catalogue! {
    /// A DNY message: one variant per command and direction.
    pub enum DnyMessage {
        // From the pile, and the server's replies.
        /// 0x01 old heartbeat (up).
        OldHeartbeat(OldHeartbeat) = 0x01, Up, "old_heartbeat";
        /// 0x01 reply to the old heartbeat (down).
        OldHeartbeatReply(Ack) = 0x01, Down, "old_heartbeat_reply";
        /// 0x02 card swipe (up).
        CardSwipe(CardSwipe) = 0x02, Up, "card_swipe";
        /// 0x02 the account behind a swiped card (down).
        CardReply(CardReply) = 0x02, Down, "card_reply";
        /// 0x03 settlement (up).
        Settlement(Settlement) = 0x03, Up, "settlement";
        /// 0x03 settlement acknowledged (down).
        SettlementReply(Ack) = 0x03, Down, "settlement_reply";
        /// 0x04 old order confirmation (up).
        OrderConfirm(OrderConfirm) = 0x04, Up, "order_confirm";
        /// 0x04 order confirmation acknowledged (down).
        OrderConfirmReply(OrderConfirmReply) = 0x04, Down, "order_confirm_reply";
        /// 0x05 the device asks for a firmware upgrade (up).
        UpgradeRequest(UpgradeRequest) = 0x05, Up, "upgrade_request";
        /// 0x06 power heartbeat of a charging socket (up).
        PortPower(PortPower) = 0x06, Up, "port_power";
        /// 0x09 test mode report (up; not normally sent to servers).
        TestMode(TestMode) = 0x09, Up, "test_mode";
        /// 0x0A a device sets its host module's server address (up; not normally sent to servers).
        ServerAddress(ServerAddress) = 0x0A, Up, "server_address";
        /// 0x20 registration on power-up (up).
        Register(Register) = 0x20, Up, "register";
        /// 0x20 registration acknowledged (down).
        RegisterReply(Ack) = 0x20, Down, "register_reply";
        /// 0x21 heartbeat (up).
        Heartbeat(Heartbeat) = 0x21, Up, "heartbeat";
        /// 0x21 heartbeat acknowledged (down).
        HeartbeatReply(Ack) = 0x21, Down, "heartbeat_reply";
        /// 0x22 the device asks for the time (up).
        TimeRequest(NoData) = 0x22, Up, "time_request";
        /// 0x22 the server's time (down).
        TimeReply(ServerTime) = 0x22, Down, "time_reply";
        /// 0x41 charging cabinet heartbeat (up).
        CabinetHeartbeat(CabinetHeartbeat) = 0x41, Up, "cabinet_heartbeat";
        /// 0x42 alarm push (up).
        AlarmPush(AlarmPush) = 0x42, Up, "alarm_push";
        /// 0x43 charging cabinet: charge done, settlement follows later (up).
        ChargeDone(Settlement) = 0x43, Up, "charge_done";
        /// 0x44 port push (up).
        PortPush(PortPush) = 0x44, Up, "port_push";

        // From the server, and the pile's replies.
        /// 0x72 charging cabinet: stop charging without opening the door (down).
        CabinetStop(CabinetStop) = 0x72, Down, "cabinet_stop";
        /// 0x72 result (up).
        CabinetStopReply(CabinetStopReply) = 0x72, Up, "cabinet_stop_reply";
        /// 0x81 query the device's status; it answers with 0x20, 0x01 and 0x21 (down).
        QueryStatus(NoData) = 0x81, Down, "query_status";
        /// 0x82 start or stop charging (down).
        StartStop(StartStop) = 0x82, Down, "start_stop";
        /// 0x82 result of a start or stop (up).
        StartStopReply(StartStopReply) = 0x82, Up, "start_stop_reply";
        /// 0x83 set run parameters 1.1 (down).
        SetRunParameters1(RunParameters1) = 0x83, Down, "set_run_parameters_1";
        /// 0x83 result (up).
        SetRunParameters1Reply(Ack) = 0x83, Up, "set_run_parameters_1_reply";
        /// 0x84 set run parameters 1.2 (down).
        SetRunParameters2(RunParameters2) = 0x84, Down, "set_run_parameters_2";
        /// 0x84 result (up).
        SetRunParameters2Reply(Ack) = 0x84, Up, "set_run_parameters_2_reply";
        /// 0x85 set the charge limits (down).
        SetChargeLimits(ChargeLimits) = 0x85, Down, "set_charge_limits";
        /// 0x85 result (up).
        SetChargeLimitsReply(Ack) = 0x85, Up, "set_charge_limits_reply";
        /// 0x86 set the M1 card keys (down).
        SetCardKeys(CardKeys) = 0x86, Down, "set_card_keys";
        /// 0x86 result (up).
        SetCardKeysReply(Ack) = 0x86, Up, "set_card_keys_reply";
        /// 0x87 reboot (down).
        Reboot(NoData) = 0x87, Down, "reboot";
        /// 0x87 result (up).
        RebootReply(Ack) = 0x87, Up, "reboot_reply";
        /// 0x88 clear the device's storage (down).
        ClearStorage(NoData) = 0x88, Down, "clear_storage";
        /// 0x88 result (up).
        ClearStorageReply(Ack) = 0x88, Up, "clear_storage_reply";
        /// 0x89 play voice prompts (down).
        PlayVoice(PlayVoice) = 0x89, Down, "play_voice";
        /// 0x89 result (up).
        PlayVoiceReply(Ack) = 0x89, Up, "play_voice_reply";
        /// 0x8A change the duration or energy of a running order (down).
        Modify(Modify) = 0x8A, Down, "modify";
        /// 0x8A result (up).
        ModifyReply(ModifyReply) = 0x8A, Up, "modify_reply";
        /// 0x8B read EEPROM (down).
        ReadEeprom(ReadEeprom) = 0x8B, Down, "read_eeprom";
        /// 0x8B the EEPROM data (up).
        ReadEepromReply(ReadEepromReply) = 0x8B, Up, "read_eeprom_reply";
        /// 0x8C write EEPROM (down).
        WriteEeprom(WriteEeprom) = 0x8C, Down, "write_eeprom";
        /// 0x8C result (up).
        WriteEepromReply(Ack) = 0x8C, Up, "write_eeprom_reply";
        /// 0x8D set network or card mode (down).
        SetWorkMode(SetWorkMode) = 0x8D, Down, "set_work_mode";
        /// 0x8D result (up).
        SetWorkModeReply(Ack) = 0x8D, Up, "set_work_mode_reply";
        /// 0x8E set the QR code URL (down).
        SetQrCode(SetQrCode) = 0x8E, Down, "set_qr_code";
        /// 0x8E result (up).
        SetQrCodeReply(Ack) = 0x8E, Up, "set_qr_code_reply";
        /// 0x8F set the TC card mode (down).
        SetCardMode(SetCardMode) = 0x8F, Down, "set_card_mode";
        /// 0x8F result (up).
        SetCardModeReply(Ack) = 0x8F, Up, "set_card_mode_reply";
        /// 0x90 read run parameters 1.1 (down).
        ReadRunParameters1(NoData) = 0x90, Down, "read_run_parameters_1";
        /// 0x90 run parameters 1.1 (up).
        RunParameters1(RunParameters1) = 0x90, Up, "run_parameters_1";
        /// 0x91 read run parameters 1.2 (down).
        ReadRunParameters2(NoData) = 0x91, Down, "read_run_parameters_2";
        /// 0x91 run parameters 1.2 (up).
        RunParameters2(RunParameters2) = 0x91, Up, "run_parameters_2";
        /// 0x92 read the charge limits (down).
        ReadChargeLimits(NoData) = 0x92, Down, "read_charge_limits";
        /// 0x92 the charge limits (up).
        ChargeLimits(ChargeLimits) = 0x92, Up, "charge_limits";
        /// 0x93 read the card keys (down).
        ReadCardKeys(NoData) = 0x93, Down, "read_card_keys";
        /// 0x93 the card keys (up).
        CardKeys(CardKeys) = 0x93, Up, "card_keys";
        /// 0x95 show a temporary QR code (down; devices with a screen).
        TemporaryQrCode(TemporaryQrCode) = 0x95, Down, "temporary_qr_code";
        /// 0x95 result (up).
        TemporaryQrCodeReply(Ack) = 0x95, Up, "temporary_qr_code_reply";
        /// 0x96 locate the device by sound and light (down).
        Locate(Locate) = 0x96, Down, "locate";
        /// 0x96 result (up).
        LocateReply(Ack) = 0x96, Up, "locate_reply";
        /// 0x97 set run parameters 1.3: mute (down).
        SetMute(SetMute) = 0x97, Down, "set_mute";
        /// 0x97 result (up).
        SetMuteReply(Ack) = 0x97, Up, "set_mute_reply";
        /// 0x98 multi-function command (down).
        MultiFunction(MultiFunction) = 0x98, Down, "multi_function";
        /// 0x98 result (up).
        MultiFunctionReply(Ack) = 0x98, Up, "multi_function_reply";

        // Firmware upgrades.
        /// 0xE0 firmware chunk for the device (down).
        UpgradeChunk(FirmwareChunk) = 0xE0, Down, "upgrade_chunk";
        /// 0xE0 chunk result (up).
        UpgradeChunkReply(FirmwareChunkReply) = 0xE0, Up, "upgrade_chunk_reply";
        /// 0xE1 firmware chunk for the power board (down).
        PowerBoardUpgradeChunk(FirmwareChunk) = 0xE1, Down, "power_board_upgrade_chunk";
        /// 0xE1 chunk result (up).
        PowerBoardUpgradeChunkReply(FirmwareChunkReply) = 0xE1, Up, "power_board_upgrade_chunk_reply";
        /// 0xE2 firmware chunk for all devices behind a host (down).
        HostWideUpgradeChunk(FirmwareChunk) = 0xE2, Down, "host_wide_upgrade_chunk";
        /// 0xE2 chunk result (up).
        HostWideUpgradeChunkReply(FirmwareChunkReply) = 0xE2, Up, "host_wide_upgrade_chunk_reply";
        /// 0xE4 make a self-updating device fetch its firmware (down).
        TriggerUpgrade(NoData) = 0xE4, Down, "trigger_upgrade";
        /// 0xF8 firmware chunk, old devices (down).
        LegacyUpgradeChunk(FirmwareChunk) = 0xF8, Down, "legacy_upgrade_chunk";
        /// 0xF8 chunk result (up).
        LegacyUpgradeChunkReply(FirmwareChunkReply) = 0xF8, Up, "legacy_upgrade_chunk_reply";

        // Hosts.
        /// 0x11 host heartbeat (up).
        HostHeartbeat(HostHeartbeat) = 0x11, Up, "host_heartbeat";
        /// 0x12 the host asks for the time (up).
        HostTimeRequest(NoData) = 0x12, Up, "host_time_request";
        /// 0x12 the server's time (down).
        HostTimeReply(ServerTime) = 0x12, Down, "host_time_reply";
        /// 0x15 an old host asks for a firmware upgrade (up).
        HostUpgradeRequest(NoData) = 0x15, Up, "host_upgrade_request";
        /// 0x15 acknowledged (down).
        HostUpgradeRequestReply(Ack) = 0x15, Down, "host_upgrade_request_reply";
        /// 0x17 host (breaker, meter) status (up).
        HostStatus(HostStatus) = 0x17, Up, "host_status";
        /// 0x31 reboot the host (down).
        HostReboot(NoData) = 0x31, Down, "host_reboot";
        /// 0x31 result (up).
        HostRebootReply(Ack) = 0x31, Up, "host_reboot_reply";
        /// 0x32 reboot the host's communication module (down).
        ModuleReboot(NoData) = 0x32, Down, "module_reboot";
        /// 0x32 result (up).
        ModuleRebootReply(Ack) = 0x32, Up, "module_reboot_reply";
        /// 0x33 clear the host's stored device firmware (down).
        ClearSlaveUpgrade(NoData) = 0x33, Down, "clear_slave_upgrade";
        /// 0x33 result (up).
        ClearSlaveUpgradeReply(Ack) = 0x33, Up, "clear_slave_upgrade_reply";
        /// 0x34 change the host's server address (down).
        ChangeServerAddress(ServerAddress) = 0x34, Down, "change_server_address";
        /// 0x34 result (up).
        ChangeServerAddressReply(Ack) = 0x34, Up, "change_server_address_reply";
        /// 0x35 the lowest firmware version of each device type behind the host (up).
        SlaveVersions(SlaveVersions) = 0x35, Up, "slave_versions";
        /// 0x3A set the FSK host's frequency and devices (down).
        SetFskParameters(FskParameters) = 0x3A, Down, "set_fsk_parameters";
        /// 0x3A result (up).
        SetFskParametersReply(Ack) = 0x3A, Up, "set_fsk_parameters_reply";
        /// 0x3B the FSK host asks for its parameters; the server answers with 0x3A (up).
        FskParametersRequest(FskParametersRequest) = 0x3B, Up, "fsk_parameters_request";
        /// 0xF9 firmware chunk, old hosts (down).
        HostLegacyUpgradeChunk(FirmwareChunk) = 0xF9, Down, "host_legacy_upgrade_chunk";
        /// 0xF9 chunk result (up).
        HostLegacyUpgradeChunkReply(FirmwareChunkReply) = 0xF9, Up, "host_legacy_upgrade_chunk_reply";
        /// 0xFA with no data: put the host into upgrade mode (down). The same command with data
        /// is a firmware chunk.
        HostUpgradeTrigger(NoData) = 0xFA, Down when no_data, "host_upgrade_trigger";
        /// 0xFA firmware chunk for a host (down).
        HostUpgradeChunk(FirmwareChunk) = 0xFA, Down, "host_upgrade_chunk";
        /// 0xFA chunk result; also the host's request to start an upgrade (up).
        HostUpgradeChunkReply(FirmwareChunkReply) = 0xFA, Up, "host_upgrade_chunk_reply";
    }
    others {
        variants {
            /// A command this version has no layout for (in this direction): the data as it
            /// came.
            #[cfg_attr(feature = "serde", serde(rename = "unknown"))]
            Unknown {
                /// The command code (in the canonical form: the frame's `command`).
                #[cfg_attr(feature = "serde", serde(skip, default))]
                command: u8,
                /// The direction it was decoded or built for (in the canonical form: the
                /// frame's `direction`).
                #[cfg_attr(feature = "serde", serde(skip, default = "unknown_direction"))]
                direction: Direction,
                /// The data bytes.
                data: RawBytes,
            },
        }
        code { Self::Unknown { command, .. } => *command }
        name { Self::Unknown { .. } => "unknown" }
        direction { Self::Unknown { direction, .. } => *direction }
        read_other: Self::unknown_body,
        write_other: Self::write_unknown,
    }
}

/// Whether the reader holds no data (0xFA to a host: the upgrade trigger, not a chunk).
fn no_data(r: &Reader<'_>) -> bool {
    r.remaining() == 0
}

impl DnyMessage {
    /// The command code.
    pub const fn command(&self) -> u8 {
        self.code()
    }

    /// The data of a command without a layout here, kept as it came.
    fn unknown_body(command: u8, direction: Direction, r: &mut Reader<'_>) -> Self {
        Self::Unknown {
            command,
            direction,
            data: RawBytes(r.rest().to_vec()),
        }
    }

    /// Writes the data of an unknown command.
    fn write_unknown(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        if let Self::Unknown { data, .. } = self {
            w.put(&data.0);
        }
        Ok(())
    }
}

/// The direction of `command` with `len` data bytes, decided from the layouts.
pub fn infer_direction(command: u8, len: usize) -> (Direction, DirectionSource) {
    use Direction::{Down, Up};
    use DirectionSource::{Guessed, Layout};
    let by = |up: bool| (if up { Up } else { Down }, Layout);
    match command {
        // Only one direction exists.
        0x05 | 0x06 | 0x09 | 0x0A | 0x11 | 0x17 | 0x35 | 0x3B | 0x41..=0x44 => (Up, Layout),
        0x81 | 0xE4 => (Down, Layout),
        // Up carries data, the server answers with one byte.
        0x01 | 0x03 | 0x20 | 0x21 => by(len != 1),
        // Up is empty, down carries the time or a result.
        0x12 | 0x15 | 0x22 => by(len == 0),
        0x02 => by(len != CardReply::BODY_LEN),
        0x04 => by(len != OrderConfirmReply::BODY_LEN),
        0x82 => {
            if len >= StartStop::MIN_BODY_LEN {
                (Down, Layout)
            } else if len <= StartStopReply::FULL_BODY_LEN {
                (Up, Layout)
            } else {
                (Up, Guessed)
            }
        }
        // Down carries data, the device answers with one byte.
        0x3A | 0x83 | 0x84 | 0x85 | 0x86 | 0x89 | 0x8A | 0x8C | 0x8E | 0x95 | 0x98 | 0x34 => {
            by(len == 1)
        }
        // Down is empty, the device answers with a result or data.
        0x31..=0x33 | 0x87 | 0x88 | 0x90..=0x93 => by(len != 0),
        0x8B if len == ReadEeprom::BODY_LEN => (Down, Guessed),
        0x8B => (Up, Layout),
        // Both directions have the same size.
        0x72 | 0x8D | 0x8F | 0x96 | 0x97 => (Down, Guessed),
        0xE0..=0xE2 | 0xF8 | 0xF9 | 0xFA => by(len == FirmwareChunkReply::BODY_LEN),
        c if c >= 0x80 => (Down, Guessed),
        _ => (Up, Guessed),
    }
}

/// One DNY frame: the envelope and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnyFrame {
    /// The device the frame is from or for.
    pub physical_id: PhysicalId,
    /// The message id; a reply echoes the command's.
    pub message_id: u16,
    /// The message.
    pub message: DnyMessage,
    /// What a decode tolerated.
    pub deviations: Deviations,
    /// Data bytes beyond the newest known layout of the message (empty normally); written back
    /// on encoding.
    pub extra: Vec<u8>,
    /// How the direction was settled.
    pub direction_source: DirectionSource,
}

impl DnyFrame {
    /// A frame to send.
    pub fn new(physical_id: PhysicalId, message_id: u16, message: DnyMessage) -> Self {
        Self {
            physical_id,
            message_id,
            message,
            deviations: Deviations::new(),
            extra: Vec::new(),
            direction_source: DirectionSource::Given,
        }
    }

    /// The reply to this frame: same physical id and message id, carrying `message`.
    pub fn reply(&self, message: DnyMessage) -> Self {
        Self::new(self.physical_id, self.message_id, message)
    }

    /// The acknowledgement the server owes this frame when the answer needs no decision: an
    /// old heartbeat (0x01), a settlement (0x03), an old order confirmation (0x04, echoing the
    /// port), a registration (0x20), a heartbeat (0x21) and an old host's upgrade request
    /// (0x15), each answered with success. `None` for every other frame: a card swipe (0x02)
    /// needs the account, a time request (0x22, 0x12) the time ([`ServerTime`]), and the
    /// device's answers to commands are not answered; build those with [`reply`](Self::reply).
    pub fn acknowledgement(&self) -> Option<Self> {
        let message = match &self.message {
            DnyMessage::OldHeartbeat(_) => DnyMessage::OldHeartbeatReply(Ack::OK),
            DnyMessage::Settlement(_) => DnyMessage::SettlementReply(Ack::OK),
            DnyMessage::OrderConfirm(c) => DnyMessage::OrderConfirmReply(OrderConfirmReply {
                port: c.port,
                result: 0,
            }),
            DnyMessage::Register(_) => DnyMessage::RegisterReply(Ack::OK),
            DnyMessage::Heartbeat(_) => DnyMessage::HeartbeatReply(Ack::OK),
            DnyMessage::HostUpgradeRequest(_) => DnyMessage::HostUpgradeRequestReply(Ack::OK),
            _ => return None,
        };
        Some(self.reply(message))
    }

    /// Which way the frame travels.
    pub fn direction(&self) -> Direction {
        self.message.direction()
    }

    /// The command code.
    pub fn command(&self) -> u8 {
        self.message.command()
    }

    /// Decodes one frame that fills `bytes` exactly. [`ctx.direction`](DecodeContext::direction)
    /// is `Some(Up)` for frames from the pile, `Some(Down)` for frames to it, `None` to decide
    /// from the layout ([`infer_direction`]). Error offsets are
    /// [`ctx.base_offset`](DecodeContext::base_offset) plus the offset in `bytes`.
    #[inline]
    pub fn decode(bytes: &[u8], ctx: &DecodeContext) -> Result<Self, DecodeError> {
        let base = ctx.base_offset;
        let opts = &ctx.options();
        let direction = ctx.direction;
        // At most two frame-level deviations: the length field and the checksum.
        let mut length_deviation = None;
        let mut checksum_deviation = None;
        for (i, &expected) in START.iter().enumerate() {
            match bytes.get(i) {
                Some(&b) if b == expected => {}
                Some(&found) => {
                    return Err(DecodeError::new(
                        DecodeErrorKind::BadStart { found },
                        base + i,
                    ));
                }
                None => return Err(truncated(5, bytes.len(), base)),
            }
        }
        let Some(&[lo, hi]) = bytes.get(3..5) else {
            return Err(truncated(5, bytes.len(), base));
        };
        let declared = u16::from_le_bytes([lo, hi]);
        if !(MIN_LENGTH_FIELD..=MAX_LENGTH_FIELD).contains(&declared) {
            return Err(DecodeError::new(
                DecodeErrorKind::BadLength {
                    declared: declared.into(),
                },
                base + 3,
            ));
        }
        let mut total = 5 + usize::from(declared);
        if bytes.len() != total {
            // A wrong length field on an otherwise sound frame: the whole input sums up.
            let whole_fits = bytes.len() >= 5 + usize::from(MIN_LENGTH_FIELD)
                && bytes.len() <= 5 + usize::from(MAX_LENGTH_FIELD)
                && carried_checksum(bytes, bytes.len()) == Some(sum_before(bytes, bytes.len()));
            if whole_fits {
                if opts.policy == Policy::Lenient {
                    length_deviation = Some(Deviation::LengthField {
                        declared,
                        expected: (bytes.len() - 5) as u16,
                    });
                    total = bytes.len();
                } else {
                    return Err(DecodeError::new(
                        DecodeErrorKind::BadLength {
                            declared: declared.into(),
                        },
                        base + 3,
                    ));
                }
            } else if bytes.len() < total {
                return Err(truncated(total, bytes.len(), base));
            } else {
                return Err(DecodeError::new(
                    DecodeErrorKind::TrailingBytes {
                        count: bytes.len() - total,
                    },
                    base + total,
                ));
            }
        }
        let frame = bytes.get(..total).unwrap_or(bytes);
        let sum_at = total - 2;
        let computed = sum_before(frame, total);
        let carried = carried_checksum(frame, total).unwrap_or(0);
        if computed != carried {
            if opts.verify_checksum {
                return Err(DecodeError::new(
                    DecodeErrorKind::ChecksumMismatch { computed, carried },
                    base + sum_at,
                ));
            }
            checksum_deviation = Some(Deviation::ChecksumMismatch { computed, carried });
        }
        let Some(&[_, _, _, _, _, i0, i1, i2, i3, m0, m1, command]) = frame.get(..HEADER_LEN)
        else {
            return Err(truncated(HEADER_LEN, frame.len(), base));
        };
        let physical_id = PhysicalId(u32::from_le_bytes([i0, i1, i2, i3]));
        let message_id = u16::from_le_bytes([m0, m1]);
        let data = frame.get(HEADER_LEN..sum_at).unwrap_or(&[]);
        let (direction, direction_source) = match direction {
            Some(d) => (d, DirectionSource::Given),
            None => infer_direction(command, data.len()),
        };
        let mut r = Reader::new(data, base + HEADER_LEN, opts.policy);
        if let Some(d) = length_deviation {
            r.deviate(d);
        }
        if let Some(d) = checksum_deviation {
            r.deviate(d);
        }
        let message = DnyMessage::read_body(command, direction, &mut r, BodyContext::default())?;
        let extra = r.rest();
        if !extra.is_empty() {
            r.deviate(Deviation::LongBody {
                extra: extra.len() as u16,
            });
        }
        let extra = extra.to_vec();
        let deviations = r.into_deviations();
        Ok(Self {
            physical_id,
            message_id,
            message,
            deviations,
            extra,
            direction_source,
        })
    }

    /// The frame's bytes.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(64);
        self.encode_into(&mut out)?;
        Ok(out)
    }

    /// Appends the frame's bytes to `out`; on error `out` is left as it was.
    pub fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let start = out.len();
        let result = self.write_frame(out, start);
        if result.is_err() {
            out.truncate(start);
        }
        result
    }

    fn write_frame(&self, out: &mut Vec<u8>, start: usize) -> Result<(), EncodeError> {
        out.extend_from_slice(&START);
        out.extend_from_slice(&[0, 0]);
        {
            let mut w = Writer::new(out);
            w.u32_le(self.physical_id.0);
            w.u16_le(self.message_id);
            w.u8(self.message.command());
            self.message.write_body(&mut w, BodyContext::default())?;
            w.put(&self.extra);
        }
        let data_len = out.len() - start - HEADER_LEN;
        let max = usize::from(MAX_LENGTH_FIELD - MIN_LENGTH_FIELD);
        if data_len > max {
            return Err(EncodeError::TooLong { len: data_len, max });
        }
        let length = (data_len + usize::from(MIN_LENGTH_FIELD)) as u16;
        if let Some(field) = out.get_mut(start + 3..start + 5) {
            field.copy_from_slice(&length.to_le_bytes());
        }
        let sum = checksum(out.get(start..).unwrap_or(&[]));
        out.extend_from_slice(&sum.to_le_bytes());
        Ok(())
    }
}

impl Frame for DnyFrame {
    fn decode(bytes: &[u8], ctx: &DecodeContext) -> Result<Self, DecodeError> {
        DnyFrame::decode(bytes, ctx)
    }

    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        DnyFrame::encode_into(self, out)
    }

    fn dialect(&self) -> Dialect {
        Dialect::Dny
    }

    fn direction(&self) -> Direction {
        DnyFrame::direction(self)
    }

    fn name(&self) -> &'static str {
        self.message.name()
    }
}

fn truncated(needed: usize, available: usize, base: usize) -> DecodeError {
    DecodeError::new(DecodeErrorKind::Truncated { needed, available }, base)
}

/// The sum of the first `total − 2` bytes.
fn sum_before(bytes: &[u8], total: usize) -> u16 {
    checksum(bytes.get(..total.saturating_sub(2)).unwrap_or(&[]))
}

/// The checksum carried in the two bytes before `total`.
fn carried_checksum(bytes: &[u8], total: usize) -> Option<u16> {
    match bytes.get(total.checked_sub(2)?..total)? {
        &[lo, hi] => Some(u16::from_le_bytes([lo, hi])),
        _ => None,
    }
}

/// Placeholder direction of an unknown message read from its canonical form, until the frame's
/// `direction` key sets it.
#[cfg(feature = "serde")]
fn unknown_direction() -> Direction {
    Direction::Up
}

#[cfg(feature = "serde")]
mod serde_impl {
    use super::*;
    use crate::codec::Dialect;

    #[derive(serde::Serialize)]
    struct FrameOut<'a> {
        dialect: Dialect,
        direction: Direction,
        #[serde(rename = "frame_type")]
        command: u8,
        physical_id: PhysicalId,
        message_id: u16,
        direction_source: DirectionSource,
        deviations: &'a Deviations,
        #[serde(
            skip_serializing_if = "<[u8]>::is_empty",
            serialize_with = "crate::canonical::serialize_hex"
        )]
        extra: &'a [u8],
        #[serde(flatten)]
        message: &'a DnyMessage,
    }

    #[derive(serde::Deserialize)]
    struct FrameIn {
        #[serde(rename = "frame_type")]
        command: u8,
        direction: Direction,
        physical_id: PhysicalId,
        message_id: u16,
        #[serde(default)]
        direction_source: DirectionSource,
        #[serde(default)]
        deviations: Deviations,
        #[serde(default)]
        extra: RawBytes,
        #[serde(flatten)]
        message: DnyMessage,
    }

    impl serde::Serialize for DnyFrame {
        /// `{"dialect": "dny", "direction": "up", "frame_type": 33, "physical_id": {...},
        /// "message_id": 1, "direction_source": "given", "deviations": [], "name": "heartbeat",
        /// ...the message's fields}`.
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            FrameOut {
                dialect: Dialect::Dny,
                direction: self.direction(),
                command: self.command(),
                physical_id: self.physical_id,
                message_id: self.message_id,
                direction_source: self.direction_source,
                deviations: &self.deviations,
                extra: &self.extra,
                message: &self.message,
            }
            .serialize(s)
        }
    }

    impl<'de> serde::Deserialize<'de> for DnyFrame {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let mut f = FrameIn::deserialize(d)?;
            match &mut f.message {
                DnyMessage::Unknown {
                    command, direction, ..
                } => {
                    *command = f.command;
                    *direction = f.direction;
                }
                m if m.command() != f.command || m.direction() != f.direction => {
                    return Err(serde::de::Error::custom(alloc::format!(
                        "command `{}` {} does not match message `{}`",
                        f.command,
                        f.direction.name(),
                        m.name()
                    )));
                }
                _ => {}
            }
            Ok(DnyFrame {
                physical_id: f.physical_id,
                message_id: f.message_id,
                message: f.message,
                deviations: f.deviations,
                extra: f.extra.0,
                direction_source: f.direction_source,
            })
        }
    }
}
