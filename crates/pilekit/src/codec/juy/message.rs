//! The JUY messages: one variant per command and direction, their layouts and the dispatch from
//! a command code to a body decoder.

use alloc::vec::Vec;

use super::super::Direction;
use super::super::catalogue::{Body, BodyContext, catalogue};
use super::super::error::{DecodeError, EncodeError};
use super::super::wire::{Reader, Wire, Writer};
use super::EnergyResolution;
use super::charging::{
    CardAuth, CardAuthReply, EndOfChargeReport, LocalStartReport, PortOrder, RemoteStart,
    RemoteStartReply, RemoteStopReply,
};
use super::port_data::{PortData, PortSample, TouPortData, TouPortSample};
use super::presence::{Heartbeat, ImeiReport, Login, LoginReply, OtaReply, Reserved};
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

catalogue! {
    /// A JUY message: one variant per command and direction, or an opaque one for what the
    /// reference does not define.
    #[allow(clippy::large_enum_variant)] // 0x88 port data is kept inline so decoding it never allocates
    pub enum JuyMessage {
        /// 0x81 up: the pile logs in.
        Login(Login) = 0x81, Up, "login";
        /// 0x81 down: the platform answers a login.
        LoginReply(LoginReply) = 0x81, Down, "login_reply";
        /// 0x82 up: heartbeat with the port states.
        Heartbeat(Heartbeat) = 0x82, Up, "heartbeat";
        /// 0x82 down: the heartbeat answered.
        HeartbeatReply(Reserved) = 0x82, Down, "heartbeat_reply";
        /// 0x83 down: start charging a port.
        RemoteStart(RemoteStart) = 0x83, Down, "remote_start";
        /// 0x83 up: the start's result.
        RemoteStartReply(RemoteStartReply) = 0x83, Up, "remote_start_reply";
        /// 0x84 down: stop charging a port.
        RemoteStop(PortOrder) = 0x84, Down, "remote_stop";
        /// 0x84 up: the stop's result.
        RemoteStopReply(RemoteStopReply) = 0x84, Up, "remote_stop_reply";
        /// 0x85 up: a charge ended.
        EndOfChargeReport(EndOfChargeReport) = 0x85, Up, "end_of_charge_report";
        /// 0x85 down: the end of charge acknowledged.
        EndOfChargeAck(PortOrder) = 0x85, Down, "end_of_charge_ack";
        /// 0x86 up: a charge started at the pile.
        LocalStartReport(LocalStartReport) = 0x86, Up, "local_start_report";
        /// 0x86 down: the local start acknowledged.
        LocalStartAck(PortOrder) = 0x86, Down, "local_start_ack";
        /// 0x87 up: a card was swiped.
        CardAuth(CardAuth) = 0x87, Up, "card_auth";
        /// 0x87 down: the card's account.
        CardAuthReply(CardAuthReply) = 0x87, Down, "card_auth_reply";
        /// 0x88 up: the busy ports' data.
        PortData(PortData) = 0x88, Up, "port_data";
        /// 0x88 down: ask for the port data.
        QueryPortData(Reserved) = 0x88, Down, "query_port_data";
        /// 0x89 down: ask for the parameter table.
        ReadParameters(Reserved) = 0x89, Down, "read_parameters";
        /// 0x89 up: the parameter table.
        Parameters(ParameterTable) = 0x89, Up, "parameters";
        /// 0x8A down: write the parameter table.
        WriteParameters(ParameterTable) = 0x8A, Down, "write_parameters";
        /// 0x8A up: the table written.
        WriteParametersAck(Reserved) = 0x8A, Up, "write_parameters_ack";
        /// 0x8B down: read or clear the meter.
        MeterCommand(MeterCommand) = 0x8B, Down, "meter_command";
        /// 0x8B up: the meter reading.
        MeterReading(MeterReading) = 0x8B, Up, "meter_reading";
        /// 0x8C down: change the server address.
        ChangeServer(ChangeServer) = 0x8C, Down, "change_server";
        /// 0x8D down: set the time-of-use tariff.
        SetTouTariff(TouTariff) = 0x8D, Down, "set_tou_tariff";
        /// 0x8D up: the tariff set.
        SetTouTariffReply(SetTouTariffReply) = 0x8D, Up, "set_tou_tariff_reply";
        /// 0x8E down: ask for the time-of-use tariff.
        QueryTouTariff(Reserved) = 0x8E, Down, "query_tou_tariff";
        /// 0x8E up: the time-of-use tariff.
        TouTariff(TouTariff) = 0x8E, Up, "tou_tariff";
        /// 0x8F up: time-of-use port data.
        TouPortData(TouPortData) = 0x8F, Up, "tou_port_data";
        /// 0xC0 up: the periodic IMEI report.
        ImeiReport(ImeiReport) = 0xC0, Up, "imei_report";
        /// 0xC0 down: the IMEI report acknowledged.
        ImeiReportAck(Reserved) = 0xC0, Down, "imei_report_ack";
        /// 0xF5 down: start an OTA update.
        StartOta(Reserved) = 0xF5, Down, "start_ota";
        /// 0xF5 up: the OTA start's result.
        OtaReply(OtaReply) = 0xF5, Up, "ota_reply";
    }
    others {
        variants {
            /// A command, or a direction of a command, the reference does not define; the body is
            /// kept as it came.
            #[cfg_attr(feature = "serde", serde(rename = "unknown"))]
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
        code { Self::Unknown { command, .. } => *command }
        name { Self::Unknown { .. } => "unknown" }
        direction { Self::Unknown { direction, .. } => *direction }
        read_other: Self::unknown_body,
        write_other: Self::write_unknown,
    }
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
    pub const fn command(&self) -> u8 {
        self.code()
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
        let cx = BodyContext {
            energy_resolution: resolution,
        };
        *slot = Self::read_body(command, direction, r, cx)?;
        Ok(())
    }

    /// Writes the body.
    pub(crate) fn write(
        &self,
        w: &mut Writer<'_>,
        resolution: EnergyResolution,
    ) -> Result<(), EncodeError> {
        let cx = BodyContext {
            energy_resolution: resolution,
        };
        self.write_body(w, cx)
    }

    /// An undefined command's body, kept as it came.
    fn unknown_body(command: u8, direction: Direction, r: &mut Reader<'_>) -> Self {
        Self::Unknown {
            command,
            direction,
            data: r.rest().to_vec(),
        }
    }

    /// Writes an undefined command's body.
    fn write_unknown(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        if let Self::Unknown { data, .. } = self {
            w.put(data);
        }
        Ok(())
    }
}

/// Bodies whose layout is not a plain [`Wire`] layout: counted lists, and energy at the
/// declared resolution.
macro_rules! body {
    ($ty:ty, $min:expr, |$r:ident, $cx:ident| $read:expr, |$m:ident, $w:ident, $wcx:ident| $write:expr) => {
        impl Body for $ty {
            const MIN_LEN: usize = $min;

            fn read_body($r: &mut Reader<'_>, $cx: BodyContext) -> Result<Self, DecodeError> {
                $read
            }

            fn write_body(
                &self,
                $w: &mut Writer<'_>,
                $wcx: BodyContext,
            ) -> Result<(), EncodeError> {
                let $m = self;
                $write
            }

            #[cfg(test)]
            fn arbitrary_body() -> proptest::strategy::BoxedStrategy<Self> {
                <$ty>::arbitrary()
            }
        }
    };
}

body!(Heartbeat, 3, |r, _cx| Heartbeat::read(r), |m, w, _cx| m
    .write(w));
body!(
    EndOfChargeReport,
    EndOfChargeReport::TIER_COUNT_AT + 1 + 8,
    |r, cx| EndOfChargeReport::read(r, cx.energy_resolution),
    |m, w, cx| m.write(w, cx.energy_resolution)
);
body!(
    PortData,
    4,
    |r, cx| {
        let mut data = PortData::default();
        data.read_into(r, cx.energy_resolution)?;
        Ok(data)
    },
    |m, w, cx| m.write(w, cx.energy_resolution)
);
body!(
    TouPortData,
    6,
    |r, _cx| TouPortData::read(r),
    |m, w, _cx| m.write(w)
);
body!(
    TouTariff,
    TouTariff::FIXED_LEN,
    |r, _cx| TouTariff::read(r),
    |m, w, _cx| m.write(w)
);
