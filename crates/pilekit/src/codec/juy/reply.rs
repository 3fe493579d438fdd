//! Reply helpers: the platform's answer to each uplink the reference says is answered.
//!
//! | Uplink | Answer | Helper |
//! |---|---|---|
//! | 0x81 login (repeated until answered) | 0x81 login reply: interval and result | [`Login::reply`] |
//! | 0x82 heartbeat | 0x82 reply, one reserved byte | [`JuyFrame::acknowledgement`] |
//! | 0x85 end-of-charge report (10 s, 3 retries) | 0x85 port and order | [`JuyFrame::acknowledgement`] |
//! | 0x86 local start report (3 retries) | 0x86 port and order | [`JuyFrame::acknowledgement`] |
//! | 0x87 card swipe | 0x87 balance and result, or a 0x83 start for [`CardOperation::StartCharging`] | [`CardAuth::reply`] |
//! | 0xC0 IMEI report | 0xC0 reply, one reserved byte | [`JuyFrame::acknowledgement`] |
//!
//! Everything else the pile sends answers a platform command (0x83, 0x84, 0x89, 0x8A, 0x8B,
//! 0x8D, 0x8E, 0xF5) or is a report the platform reads without answering (0x88, 0x8F).
//! [`JuyFrame::reply`] puts any answer in the frame form (original or IMEI) and energy
//! resolution of the frame it answers.

use super::{
    CardAuth, CardAuthReply, CardAuthResult, CardOperation, FrameResult, JuyFrame, JuyMessage,
    Login, LoginReply, LoginResult, PortOrder, Reserved,
};
use crate::codec::fields::Bcd;

impl JuyFrame {
    /// The answer to this frame carrying `message`: the same form (with this frame's IMEI, if
    /// any) and energy resolution, result [`FrameResult::Ok`].
    ///
    /// ```
    /// use pilekit::codec::DecodeContext;
    /// use pilekit::codec::juy::{JuyFrame, JuyMessage, LoginResult};
    ///
    /// let login = pilekit::hex::decode(
    ///     "5A A5 49 00 81 00 38 36 31 31 39 37 30 36 32 39 33 34 33 38 37 0A 4A 55 59 5F 42 32 5F \
    ///      51 38 30 30 4D 5F 31 5F 30 4A 55 59 5F 42 32 5F 43 4F 4D 4D 5F 56 31 2E 37 38 39 38 36 \
    ///      30 34 45 38 31 30 32 33 43 30 39 36 33 37 33 31 1B 00 5F",
    /// )?;
    /// let frame = JuyFrame::decode(&login, &DecodeContext::default())?;
    /// let JuyMessage::Login(l) = &frame.message else { unreachable!() };
    /// let reply = frame.reply(JuyMessage::LoginReply(l.reply(60, LoginResult::Ok)));
    /// assert_eq!(
    ///     pilekit::hex::encode_spaced(&reply.encode()?),
    ///     "5A A5 0C 00 81 01 00 00 00 00 00 00 00 3C 00 CA"
    /// );
    /// # Ok::<(), pilekit::Error>(())
    /// ```
    pub fn reply(&self, message: JuyMessage) -> JuyFrame {
        JuyFrame {
            imei: self.imei,
            energy_resolution: self.energy_resolution,
            ..JuyFrame::new(message)
        }
    }

    /// The acknowledgement the platform owes this frame when the answer needs no decision: a
    /// heartbeat (0x82), an end-of-charge report (0x85, echoing port and order), a local start
    /// report (0x86, likewise) and an IMEI report (0xC0). `None` for every other frame: a login
    /// and a card swipe need the platform's decision ([`Login::reply`], [`CardAuth::reply`]),
    /// the rest are not answered.
    pub fn acknowledgement(&self) -> Option<JuyFrame> {
        let reserved = Reserved { reserved: 0 };
        let message = match &self.message {
            JuyMessage::Heartbeat(_) => JuyMessage::HeartbeatReply(reserved),
            JuyMessage::EndOfChargeReport(r) => JuyMessage::EndOfChargeAck(PortOrder {
                port: r.port,
                order: r.order,
            }),
            JuyMessage::LocalStartReport(r) => JuyMessage::LocalStartAck(PortOrder {
                port: r.port,
                order: r.order,
            }),
            JuyMessage::ImeiReport(_) => JuyMessage::ImeiReportAck(reserved),
            _ => return None,
        };
        Some(self.reply(message))
    }
}

impl Login {
    /// The answer to this login: the heartbeat interval in seconds (the reference allows
    /// 10–250) and the result. The time field is reserved and sent as zeros, as in the
    /// reference's example. [`LoginResult::OkSwitchToImeiForm`] switches a pile whose protocol
    /// version allows it ([`supports_imei_form`](Self::supports_imei_form)) to the IMEI form.
    pub fn reply(&self, heartbeat_interval_s: u8, result: LoginResult) -> LoginReply {
        LoginReply {
            time: Bcd::default(),
            heartbeat_interval: heartbeat_interval_s,
            result,
        }
    }
}

impl CardAuth {
    /// The 0x87 answer to this card swipe, echoing port and card, with the balance in fen
    /// (0.01 yuan, as [`CardAuthReply::balance`] carries it) and the result. A swipe asking to
    /// start charging ([`CardOperation::StartCharging`]) is answered with a 0x83 remote start
    /// instead; see [`wants_start`](Self::wants_start).
    pub fn reply(&self, balance_fen: u32, result: CardAuthResult) -> CardAuthReply {
        CardAuthReply {
            port: self.port,
            card: self.card,
            balance: balance_fen,
            result,
        }
    }

    /// The 0x87 answer for a monthly card: its remaining days
    /// ([`CardAuthResult::RemainingDays`]).
    pub fn reply_remaining_days(&self, days: u32) -> CardAuthReply {
        CardAuthReply {
            port: self.port,
            card: self.card,
            balance: days,
            result: CardAuthResult::RemainingDays,
        }
    }

    /// Whether the card holder asks to start charging, which the platform answers with a 0x83
    /// remote start rather than a 0x87 reply.
    pub fn wants_start(&self) -> bool {
        self.operation == CardOperation::StartCharging
    }
}

impl FrameResult {
    /// Whether the byte says success.
    pub fn is_ok(self) -> bool {
        self == FrameResult::Ok
    }
}
