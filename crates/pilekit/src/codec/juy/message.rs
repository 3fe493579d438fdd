//! The JUY messages: one variant per command and direction, their layouts and the dispatch from
//! a command code to a body decoder.

use alloc::vec::Vec;

use super::super::Direction;
use super::super::error::{DecodeError, EncodeError};
use super::super::wire::{Reader, Wire, Writer};
use super::EnergyResolution;
use super::charging::{
    CardAuth, CardAuthReply, EndOfChargeReport, LocalStartReport, PortOrder, RemoteStart,
    RemoteStartReply, RemoteStopReply,
};
use super::port_data::{PortData, PortSample, TouPortData, TouPortSample};
use super::session::{Heartbeat, ImeiReport, Login, LoginReply, OtaReply, Reserved};
use super::settings::{ChangeServer, MeterCommand, MeterReading, ParameterTable};
use super::tariff::{SetTouTariffReply, TouTariff};

/// JUY command codes.
pub mod command {
    /// Login (up) and its reply (down).
    pub const LOGIN: u8 = 0x81;
    /// Heartbeat (up) and its reply (down).
    pub const HEARTBEAT: u8 = 0x82;
    /// Remote start (down) and its reply (up).
    pub const REMOTE_START: u8 = 0x83;
    /// Remote stop (down) and its reply (up).
    pub const REMOTE_STOP: u8 = 0x84;
    /// End-of-charge report (up) and its acknowledgement (down).
    pub const END_OF_CHARGE: u8 = 0x85;
    /// Local start report (up) and its acknowledgement (down).
    pub const LOCAL_START: u8 = 0x86;
    /// Online card authorisation (up) and its reply (down).
    pub const CARD_AUTH: u8 = 0x87;
    /// Port data (up) and its query (down).
    pub const PORT_DATA: u8 = 0x88;
    /// Read the parameter table (down) and the table (up).
    pub const READ_PARAMETERS: u8 = 0x89;
    /// Write the parameter table (down) and its acknowledgement (up).
    pub const WRITE_PARAMETERS: u8 = 0x8A;
    /// Meter reading: command (down) and reading (up).
    pub const METER: u8 = 0x8B;
    /// Change the server address (down).
    pub const CHANGE_SERVER: u8 = 0x8C;
    /// Set the time-of-use tariff (down) and its result (up).
    pub const SET_TOU_TARIFF: u8 = 0x8D;
    /// Query the time-of-use tariff (down) and the tariff (up).
    pub const QUERY_TOU_TARIFF: u8 = 0x8E;
    /// Time-of-use port data (up).
    pub const TOU_PORT_DATA: u8 = 0x8F;
    /// Periodic IMEI report (up) and its acknowledgement (down).
    pub const IMEI_REPORT: u8 = 0xC0;
    /// Start an OTA update (down) and its result (up).
    pub const OTA: u8 = 0xF5;
}

/// A JUY message: one variant per command and direction, or an opaque one for what the
/// reference does not define.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "name", rename_all = "snake_case"))]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)] // 0x88 port data is kept inline so decoding it never allocates
pub enum JuyMessage {
    /// 0x81 up.
    Login(Login),
    /// 0x81 down.
    LoginReply(LoginReply),
    /// 0x82 up.
    Heartbeat(Heartbeat),
    /// 0x82 down.
    HeartbeatReply(Reserved),
    /// 0x83 down.
    RemoteStart(RemoteStart),
    /// 0x83 up.
    RemoteStartReply(RemoteStartReply),
    /// 0x84 down.
    RemoteStop(PortOrder),
    /// 0x84 up.
    RemoteStopReply(RemoteStopReply),
    /// 0x85 up.
    EndOfChargeReport(EndOfChargeReport),
    /// 0x85 down.
    EndOfChargeAck(PortOrder),
    /// 0x86 up.
    LocalStartReport(LocalStartReport),
    /// 0x86 down.
    LocalStartAck(PortOrder),
    /// 0x87 up.
    CardAuth(CardAuth),
    /// 0x87 down.
    CardAuthReply(CardAuthReply),
    /// 0x88 up.
    PortData(PortData),
    /// 0x88 down.
    QueryPortData(Reserved),
    /// 0x89 down.
    ReadParameters(Reserved),
    /// 0x89 up.
    Parameters(ParameterTable),
    /// 0x8A down.
    WriteParameters(ParameterTable),
    /// 0x8A up.
    WriteParametersAck(Reserved),
    /// 0x8B down.
    MeterCommand(MeterCommand),
    /// 0x8B up.
    MeterReading(MeterReading),
    /// 0x8C down.
    ChangeServer(ChangeServer),
    /// 0x8D down.
    SetTouTariff(TouTariff),
    /// 0x8D up.
    SetTouTariffReply(SetTouTariffReply),
    /// 0x8E down.
    QueryTouTariff(Reserved),
    /// 0x8E up.
    TouTariff(TouTariff),
    /// 0x8F up.
    TouPortData(TouPortData),
    /// 0xC0 up.
    ImeiReport(ImeiReport),
    /// 0xC0 down.
    ImeiReportAck(Reserved),
    /// 0xF5 down.
    StartOta(Reserved),
    /// 0xF5 up.
    OtaReply(OtaReply),
    /// A command, or a direction of a command, the reference does not define; the body is kept
    /// as it came.
    Unknown {
        /// The command code.
        #[cfg_attr(feature = "serde", serde(skip, default))]
        command: u8,
        /// The direction the frame was decoded in.
        #[cfg_attr(feature = "serde", serde(skip, default = "default_direction"))]
        direction: Direction,
        /// The body (after the IMEI, if any), without the checksum.
        #[cfg_attr(
            feature = "serde",
            serde(
                serialize_with = "crate::canonical::serialize_hex",
                deserialize_with = "crate::canonical::deserialize_hex"
            )
        )]
        data: Vec<u8>,
    },
}

#[cfg(feature = "serde")]
fn default_direction() -> Direction {
    Direction::Up
}

/// How a command's body is laid out in one direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// Always this many bytes.
    Fixed(usize),
    /// `head` bytes (holding a count byte at `count_at`), count × `per_item` bytes, `tail` bytes.
    Counted {
        count_at: usize,
        head: usize,
        per_item: usize,
        tail: usize,
    },
    /// The time-of-use tariff: 50 bytes plus 4 bytes per rate pair (up to 5).
    Tariff,
}

/// How a body fits a layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fit {
    /// Exactly.
    Exact,
    /// The layout's bytes are there, and more.
    Long,
    /// Too short.
    Short,
}

impl Layout {
    /// The length of the layout for this body: what the counts in `body` ask for.
    pub(crate) fn expected_len(self, body: &[u8]) -> usize {
        match self {
            Self::Fixed(n) => n,
            Self::Counted {
                count_at,
                head,
                per_item,
                tail,
            } => {
                let count = body.get(count_at).map_or(0, |&c| usize::from(c));
                head + count * per_item + tail
            }
            Self::Tariff => match TouTariff::rate_count(body.len()) {
                Some(_) => body.len(),
                None => TouTariff::FIXED_LEN + 4 * super::tariff::MAX_RATES,
            },
        }
    }

    /// How `body` fits this layout.
    pub(crate) fn fit(self, body: &[u8]) -> Fit {
        let expected = self.expected_len(body);
        if let Self::Counted { count_at, .. } = self
            && body.len() <= count_at
        {
            return Fit::Short;
        }
        match body.len().checked_sub(expected) {
            Some(0) => Fit::Exact,
            Some(_) => Fit::Long,
            None => Fit::Short,
        }
    }
}

/// The layout of `command` travelling in `direction`, or `None` when the reference defines none.
pub(crate) fn layout(command: u8, direction: Direction) -> Option<Layout> {
    use crate::codec::juy::command as c;
    use Direction::{Down, Up};
    let fixed = |n: usize| Some(Layout::Fixed(n));
    match (command, direction) {
        (c::LOGIN, Up) => fixed(Login::BODY_LEN),
        (c::LOGIN, Down) => fixed(LoginReply::BODY_LEN),
        (c::HEARTBEAT, Up) => Some(Layout::Counted {
            count_at: 2,
            head: 3,
            per_item: 1,
            tail: 0,
        }),
        (c::REMOTE_START, Down) => fixed(RemoteStart::BODY_LEN),
        (c::REMOTE_START, Up) => fixed(RemoteStartReply::BODY_LEN),
        (c::REMOTE_STOP, Up) => fixed(RemoteStopReply::BODY_LEN),
        (c::END_OF_CHARGE, Up) => Some(Layout::Counted {
            count_at: EndOfChargeReport::TIER_COUNT_AT,
            head: EndOfChargeReport::TIER_COUNT_AT + 1,
            per_item: 4,
            tail: 8,
        }),
        (c::REMOTE_STOP | c::END_OF_CHARGE | c::LOCAL_START, Down) => fixed(PortOrder::BODY_LEN),
        (c::LOCAL_START, Up) => fixed(LocalStartReport::BODY_LEN),
        (c::CARD_AUTH, Up) => fixed(CardAuth::BODY_LEN),
        (c::CARD_AUTH, Down) => fixed(CardAuthReply::BODY_LEN),
        (c::PORT_DATA, Up) => Some(Layout::Counted {
            count_at: 0,
            head: 4,
            per_item: PortSample::LEN,
            tail: 0,
        }),
        (c::READ_PARAMETERS, Up) | (c::WRITE_PARAMETERS, Down) => fixed(ParameterTable::BODY_LEN),
        (c::METER, Down) => fixed(MeterCommand::BODY_LEN),
        (c::METER, Up) => fixed(MeterReading::BODY_LEN),
        (c::CHANGE_SERVER, Down) => fixed(ChangeServer::BODY_LEN),
        (c::SET_TOU_TARIFF, Down) | (c::QUERY_TOU_TARIFF, Up) => Some(Layout::Tariff),
        (c::TOU_PORT_DATA, Up) => Some(Layout::Counted {
            count_at: 0,
            head: 6,
            per_item: <TouPortSample as Wire>::LEN,
            tail: 0,
        }),
        (c::IMEI_REPORT, Up) => fixed(ImeiReport::BODY_LEN),
        (c::OTA, Up) => fixed(OtaReply::BODY_LEN),
        (
            c::HEARTBEAT
            | c::PORT_DATA
            | c::READ_PARAMETERS
            | c::QUERY_TOU_TARIFF
            | c::IMEI_REPORT
            | c::OTA,
            Down,
        )
        | (c::WRITE_PARAMETERS, Up) => fixed(Reserved::BODY_LEN),
        (c::SET_TOU_TARIFF, Up) => fixed(SetTouTariffReply::BODY_LEN),
        _ => None,
    }
}

impl JuyMessage {
    /// The command code.
    pub fn command(&self) -> u8 {
        use crate::codec::juy::command as c;
        match self {
            Self::Login(_) | Self::LoginReply(_) => c::LOGIN,
            Self::Heartbeat(_) | Self::HeartbeatReply(_) => c::HEARTBEAT,
            Self::RemoteStart(_) | Self::RemoteStartReply(_) => c::REMOTE_START,
            Self::RemoteStop(_) | Self::RemoteStopReply(_) => c::REMOTE_STOP,
            Self::EndOfChargeReport(_) | Self::EndOfChargeAck(_) => c::END_OF_CHARGE,
            Self::LocalStartReport(_) | Self::LocalStartAck(_) => c::LOCAL_START,
            Self::CardAuth(_) | Self::CardAuthReply(_) => c::CARD_AUTH,
            Self::PortData(_) | Self::QueryPortData(_) => c::PORT_DATA,
            Self::ReadParameters(_) | Self::Parameters(_) => c::READ_PARAMETERS,
            Self::WriteParameters(_) | Self::WriteParametersAck(_) => c::WRITE_PARAMETERS,
            Self::MeterCommand(_) | Self::MeterReading(_) => c::METER,
            Self::ChangeServer(_) => c::CHANGE_SERVER,
            Self::SetTouTariff(_) | Self::SetTouTariffReply(_) => c::SET_TOU_TARIFF,
            Self::QueryTouTariff(_) | Self::TouTariff(_) => c::QUERY_TOU_TARIFF,
            Self::TouPortData(_) => c::TOU_PORT_DATA,
            Self::ImeiReport(_) | Self::ImeiReportAck(_) => c::IMEI_REPORT,
            Self::StartOta(_) | Self::OtaReply(_) => c::OTA,
            Self::Unknown { command, .. } => *command,
        }
    }

    /// The message's snake_case name, as in the canonical form.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Login(_) => "login",
            Self::LoginReply(_) => "login_reply",
            Self::Heartbeat(_) => "heartbeat",
            Self::HeartbeatReply(_) => "heartbeat_reply",
            Self::RemoteStart(_) => "remote_start",
            Self::RemoteStartReply(_) => "remote_start_reply",
            Self::RemoteStop(_) => "remote_stop",
            Self::RemoteStopReply(_) => "remote_stop_reply",
            Self::EndOfChargeReport(_) => "end_of_charge_report",
            Self::EndOfChargeAck(_) => "end_of_charge_ack",
            Self::LocalStartReport(_) => "local_start_report",
            Self::LocalStartAck(_) => "local_start_ack",
            Self::CardAuth(_) => "card_auth",
            Self::CardAuthReply(_) => "card_auth_reply",
            Self::PortData(_) => "port_data",
            Self::QueryPortData(_) => "query_port_data",
            Self::ReadParameters(_) => "read_parameters",
            Self::Parameters(_) => "parameters",
            Self::WriteParameters(_) => "write_parameters",
            Self::WriteParametersAck(_) => "write_parameters_ack",
            Self::MeterCommand(_) => "meter_command",
            Self::MeterReading(_) => "meter_reading",
            Self::ChangeServer(_) => "change_server",
            Self::SetTouTariff(_) => "set_tou_tariff",
            Self::SetTouTariffReply(_) => "set_tou_tariff_reply",
            Self::QueryTouTariff(_) => "query_tou_tariff",
            Self::TouTariff(_) => "tou_tariff",
            Self::TouPortData(_) => "tou_port_data",
            Self::ImeiReport(_) => "imei_report",
            Self::ImeiReportAck(_) => "imei_report_ack",
            Self::StartOta(_) => "start_ota",
            Self::OtaReply(_) => "ota_reply",
            Self::Unknown { .. } => "unknown",
        }
    }

    /// Which way the message travels.
    pub fn direction(&self) -> Direction {
        match self {
            Self::Login(_)
            | Self::Heartbeat(_)
            | Self::RemoteStartReply(_)
            | Self::RemoteStopReply(_)
            | Self::EndOfChargeReport(_)
            | Self::LocalStartReport(_)
            | Self::CardAuth(_)
            | Self::PortData(_)
            | Self::Parameters(_)
            | Self::WriteParametersAck(_)
            | Self::MeterReading(_)
            | Self::SetTouTariffReply(_)
            | Self::TouTariff(_)
            | Self::TouPortData(_)
            | Self::ImeiReport(_)
            | Self::OtaReply(_) => Direction::Up,
            Self::LoginReply(_)
            | Self::HeartbeatReply(_)
            | Self::RemoteStart(_)
            | Self::RemoteStop(_)
            | Self::EndOfChargeAck(_)
            | Self::LocalStartAck(_)
            | Self::CardAuthReply(_)
            | Self::QueryPortData(_)
            | Self::ReadParameters(_)
            | Self::WriteParameters(_)
            | Self::MeterCommand(_)
            | Self::ChangeServer(_)
            | Self::SetTouTariff(_)
            | Self::QueryTouTariff(_)
            | Self::ImeiReportAck(_)
            | Self::StartOta(_) => Direction::Down,
            Self::Unknown { direction, .. } => *direction,
        }
    }

    /// Reads the body of `command` in `direction` into `slot`; the reader spans exactly the
    /// layout's bytes. Port data (0x88) is decoded in place, so a slot that already holds port
    /// data is refilled without moving it.
    #[inline(always)]
    pub(crate) fn read_into(
        slot: &mut Self,
        command: u8,
        direction: Direction,
        r: &mut Reader<'_>,
        resolution: EnergyResolution,
    ) -> Result<(), DecodeError> {
        if command == command::PORT_DATA && direction == Direction::Up {
            if !matches!(slot, Self::PortData(_)) {
                *slot = Self::PortData(PortData::default());
            }
            if let Self::PortData(data) = slot {
                return data.read_into(r, resolution);
            }
        }
        *slot = Self::read(command, direction, r, resolution)?;
        Ok(())
    }

    /// Reads the body of `command` in `direction`; the reader spans exactly the layout's bytes.
    pub(crate) fn read(
        command: u8,
        direction: Direction,
        r: &mut Reader<'_>,
        resolution: EnergyResolution,
    ) -> Result<Self, DecodeError> {
        use crate::codec::juy::command as c;
        use Direction::{Down, Up};
        Ok(match (command, direction) {
            (c::PORT_DATA, Up) => {
                let mut data = PortData::default();
                data.read_into(r, resolution)?;
                Self::PortData(data)
            }
            (c::LOGIN, Up) => Self::Login(Login::read(r)?),
            (c::LOGIN, Down) => Self::LoginReply(LoginReply::read(r)?),
            (c::HEARTBEAT, Up) => Self::Heartbeat(Heartbeat::read(r)?),
            (c::HEARTBEAT, Down) => Self::HeartbeatReply(Reserved::read(r)?),
            (c::REMOTE_START, Down) => Self::RemoteStart(RemoteStart::read(r)?),
            (c::REMOTE_START, Up) => Self::RemoteStartReply(RemoteStartReply::read(r)?),
            (c::REMOTE_STOP, Down) => Self::RemoteStop(PortOrder::read(r)?),
            (c::REMOTE_STOP, Up) => Self::RemoteStopReply(RemoteStopReply::read(r)?),
            (c::END_OF_CHARGE, Up) => {
                Self::EndOfChargeReport(EndOfChargeReport::read(r, resolution)?)
            }
            (c::END_OF_CHARGE, Down) => Self::EndOfChargeAck(PortOrder::read(r)?),
            (c::LOCAL_START, Up) => Self::LocalStartReport(LocalStartReport::read(r)?),
            (c::LOCAL_START, Down) => Self::LocalStartAck(PortOrder::read(r)?),
            (c::CARD_AUTH, Up) => Self::CardAuth(CardAuth::read(r)?),
            (c::CARD_AUTH, Down) => Self::CardAuthReply(CardAuthReply::read(r)?),
            (c::PORT_DATA, Down) => Self::QueryPortData(Reserved::read(r)?),
            (c::READ_PARAMETERS, Down) => Self::ReadParameters(Reserved::read(r)?),
            (c::READ_PARAMETERS, Up) => Self::Parameters(ParameterTable::read(r)?),
            (c::WRITE_PARAMETERS, Down) => Self::WriteParameters(ParameterTable::read(r)?),
            (c::WRITE_PARAMETERS, Up) => Self::WriteParametersAck(Reserved::read(r)?),
            (c::METER, Down) => Self::MeterCommand(MeterCommand::read(r)?),
            (c::METER, Up) => Self::MeterReading(MeterReading::read(r)?),
            (c::CHANGE_SERVER, Down) => Self::ChangeServer(ChangeServer::read(r)?),
            (c::SET_TOU_TARIFF, Down) => Self::SetTouTariff(TouTariff::read(r)?),
            (c::SET_TOU_TARIFF, Up) => Self::SetTouTariffReply(SetTouTariffReply::read(r)?),
            (c::QUERY_TOU_TARIFF, Down) => Self::QueryTouTariff(Reserved::read(r)?),
            (c::QUERY_TOU_TARIFF, Up) => Self::TouTariff(TouTariff::read(r)?),
            (c::TOU_PORT_DATA, Up) => Self::TouPortData(TouPortData::read(r)?),
            (c::IMEI_REPORT, Up) => Self::ImeiReport(ImeiReport::read(r)?),
            (c::IMEI_REPORT, Down) => Self::ImeiReportAck(Reserved::read(r)?),
            (c::OTA, Down) => Self::StartOta(Reserved::read(r)?),
            (c::OTA, Up) => Self::OtaReply(OtaReply::read(r)?),
            _ => Self::Unknown {
                command,
                direction,
                data: r.rest().to_vec(),
            },
        })
    }

    /// Writes the body.
    pub(crate) fn write(
        &self,
        w: &mut Writer<'_>,
        resolution: EnergyResolution,
    ) -> Result<(), EncodeError> {
        match self {
            Self::Login(m) => m.write(w),
            Self::LoginReply(m) => m.write(w),
            Self::Heartbeat(m) => m.write(w),
            Self::RemoteStart(m) => m.write(w),
            Self::RemoteStartReply(m) => m.write(w),
            Self::RemoteStopReply(m) => m.write(w),
            Self::RemoteStop(m) | Self::EndOfChargeAck(m) | Self::LocalStartAck(m) => m.write(w),
            Self::EndOfChargeReport(m) => m.write(w, resolution),
            Self::LocalStartReport(m) => m.write(w),
            Self::CardAuth(m) => m.write(w),
            Self::CardAuthReply(m) => m.write(w),
            Self::PortData(m) => m.write(w, resolution),
            Self::Parameters(m) | Self::WriteParameters(m) => m.write(w),
            Self::MeterCommand(m) => m.write(w),
            Self::MeterReading(m) => m.write(w),
            Self::ChangeServer(m) => m.write(w),
            Self::SetTouTariff(m) | Self::TouTariff(m) => m.write(w),
            Self::TouPortData(m) => m.write(w),
            Self::ImeiReport(m) => m.write(w),
            Self::OtaReply(m) => m.write(w),
            Self::SetTouTariffReply(m) => m.write(w),
            Self::HeartbeatReply(m)
            | Self::QueryPortData(m)
            | Self::ReadParameters(m)
            | Self::WriteParametersAck(m)
            | Self::QueryTouTariff(m)
            | Self::ImeiReportAck(m)
            | Self::StartOta(m) => m.write(w),
            Self::Unknown { data, .. } => {
                w.put(data);
                Ok(())
            }
        }
    }
}
