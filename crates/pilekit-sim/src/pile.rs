//! Virtual piles: the pile's side of DNY (AP3000) and JUY (`5A A5`) e-bike piles and YKC car
//! piles, built from the core's codec structs and reading the platform's commands with its
//! stream decoder.
//!
//! A pile is transport-agnostic and sans-IO, like the station it talks to: bytes from the
//! platform go in with [`VirtualPile::handle_bytes`], bytes for the platform come out of
//! [`VirtualPile::poll_transmit`], and [`VirtualPile::poll_timeout`] says when the pile wants
//! to be woken ([`VirtualPile::handle_timeout`]) for its heartbeats, meter reports, resends and
//! the physics of its sockets. Time is Unix seconds passed in by the caller.
//!
//! What each pile does, as real ones do (`domain.md` §2.8):
//!
//! | | DNY e-bike pile | JUY e-bike pile | YKC car pile |
//! |---|---|---|---|
//! | on connect | the 4G module's ICCID, then 0x20 registration (resent every 60 s until acknowledged) | 0x81 login | 0x01 login, 0x05 billing-model check, 0x09 model request |
//! | keep-alive | 0x21 heartbeat every 3 min; the module's `link` after 30 s of silence | 0x82 heartbeat at the interval the login reply sets | 0x03 heartbeat every 10 s per gun |
//! | while charging | 0x06 port power every 5 min | 0x88 port data at the heartbeat interval | 0x13 real-time data every 15 s |
//! | start | 0x82 answered with 0x82: refused without a charger, on a busy socket, over the pile's power or during an alarm | 0x83 answered with 0x83; coins start at the pile (0x86, 4 hours a yuan) | 0x34 answered with 0x33: refused without a car, on a busy gun |
//! | stop | 0x82 stop, or its own: limit, full (below 20 % of the peak for 30 min), unplugged, overload (> 2000 W), 10 h | 0x84, or its own (overload > 1000 W) | 0x36, or its own: target state of charge, balance spent, unplugged |
//! | settlement | 0x03 until acknowledged: at once, then every 30 min | 0x85 every 10 s until acknowledged | 0x3B every 60 s until confirmed by 0x40 |
//! | offline | keeps charging; a card swiped offline starts an offline order, settled later | keeps charging | keeps charging |
//!
//! Settlements wait in order: the next one goes once the one before is acknowledged.

use std::collections::VecDeque;

use pilekit::codec::dny::{
    self, AlarmPush, DnyFrame, DnyMessage, Heartbeat, PhysicalId, Port, PortPower, PortState,
    Register, StartStopReply,
};
use pilekit::codec::fields::{Ascii, Bcd, HexBytes};
use pilekit::codec::juy::{self, JuyFrame, JuyMessage};
use pilekit::codec::stream::{StreamDecoder, StreamItem};
use pilekit::codec::ykc::{
    self, BillingModel, ClassUsage, GunCondition, GunStatus, HardwareFaults, Holstered, Login,
    ModelCheckRequest, ModelRequest, OneIsSuccess, PileCode, Plugged, RealTimeData,
    RemoteStartReply, RemoteStopReply, Seq, StartFailure, StopFailure, TradeKind,
    TransactionRecord, YkcFrame, YkcMessage,
};
use pilekit::codec::{AnyFrame, DecodeOptions, Dialect, Direction};
use pilekit::model::{self, OrderRef, PileId};
use pilekit::time::{LocalDateTime, UtcOffset};
use pilekit::units::{
    Current, Energy, EnergyPrice, Minutes, Money, Power, Seconds, Temperature, Voltage,
};

use crate::physics::{Car, Charger, energy_of};

/// What is plugged into a socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Load {
    /// An e-bike charger.
    Bike(Charger),
    /// An electric car.
    Car(Car),
}

impl Load {
    fn power(&self) -> Power {
        match self {
            Load::Bike(c) => c.power(),
            Load::Car(c) => c.power(),
        }
    }

    fn charge(&mut self, seconds: u32) -> i64 {
        match self {
            Load::Bike(c) => c.charge(seconds),
            Load::Car(c) => c.charge(seconds),
        }
    }
}

/// What limits a charge on the pile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RunLimit {
    None,
    Time(u32),
    Energy(Energy),
    Money(Money),
}

/// Why the pile itself ends a charge, in neutral terms (mapped to each dialect's code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EndCause {
    Full,
    Time,
    MaxTime,
    Energy,
    Money,
    Unplugged,
    Overload,
    Server,
    OfflineCardEnd,
}

/// A charge running on a socket.
#[derive(Debug, Clone)]
struct Run {
    order: OrderRef,
    started: i64,
    limit: RunLimit,
    /// Energy drawn, in 0.1 W·s.
    drawn_ws: i64,
    /// Energy drawn per YKC time-of-use class (sharp, peak, flat, valley), in 0.1 W·s.
    class_ws: [i64; 4],
    peak: Power,
    /// Since when the power stayed below 20 % of the peak.
    low_since: Option<i64>,
    offline_card: Option<[u8; 4]>,
}

impl Run {
    fn energy(&self) -> Energy {
        energy_of(self.drawn_ws)
    }
}

#[derive(Debug, Clone, Default)]
struct Socket {
    load: Option<Load>,
    run: Option<Run>,
}

/// A settlement waiting for its acknowledgement.
#[derive(Debug, Clone)]
struct Unacked {
    port: u8,
    order: OrderRef,
    /// DNY: the message id the acknowledgement echoes.
    message_id: u16,
    frame: Vec<u8>,
    next_send: i64,
    sent: u32,
}

/// The pile's own record of a charge it ran: what the platform must bill exactly once.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PileRecord {
    /// The pile.
    pub pile: PileId,
    /// The socket or gun (from 1).
    pub port: u8,
    /// The order.
    pub order: OrderRef,
    /// Energy delivered.
    #[serde(rename = "energy_kwh")]
    pub energy: Energy,
    /// Whether the platform acknowledged the settlement.
    pub acknowledged: bool,
}

/// Something a pile did that the scenario follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PileNote {
    /// A charge ended on a socket (the pile cut the power).
    Ended {
        /// The socket (from 1).
        port: u8,
    },
}

/// How often a pile speaks, in seconds.
#[derive(Debug, Clone, Copy)]
struct Cadence {
    heartbeat: i64,
    sample: i64,
    tick: i64,
    resend: i64,
    login_retry: i64,
}

/// The dialect-specific state.
#[derive(Debug, Clone)]
enum Speaker {
    Dny {
        id: PhysicalId,
        message_id: u16,
        iccid: [u8; 20],
        last_sent: i64,
    },
    Ykc {
        code: PileCode,
        seq: u16,
        model: Option<BillingModel>,
        dc: bool,
    },
    Juy {
        imei: Ascii<15>,
        next_order: u32,
    },
}

/// A virtual pile of any dialect.
#[derive(Debug, Clone)]
pub struct VirtualPile {
    id: PileId,
    speaker: Speaker,
    cadence: Cadence,
    sockets: Vec<Socket>,
    decoder: StreamDecoder,
    outbox: VecDeque<Vec<u8>>,
    link_up: bool,
    registered: bool,
    login_sent: i64,
    clock: i64,
    next_heartbeat: i64,
    next_sample: i64,
    unacked: VecDeque<Unacked>,
    alarm: bool,
    offline_orders: u32,
    records: Vec<PileRecord>,
    notes: VecDeque<PileNote>,
    /// The most one socket may draw (AP3000 overload power: 2000 W).
    port_limit: Power,
    /// No new start above this total (X10P: 7800 W).
    start_limit: Power,
    frames_sent: u64,
}

/// The longest charge a pile allows (AP3000: 36000 s).
const MAX_CHARGE_S: i64 = 36_000;
/// Below this share of the session's peak (‰) a socket is float charging (AP3000: 20 %).
const FLOAT_PERMILLE: i64 = 200;
/// Float charging this long means full (AP3000's float recognition time, 1800 s).
const FLOAT_FULL_S: i64 = 1800;

impl VirtualPile {
    /// A DNY (AP3000) e-bike pile with `sockets` sockets.
    pub fn dny(physical_id: u32, sockets: u8) -> Self {
        let mut iccid = *b"89860400000000000000";
        let digits = format!("{physical_id:010}");
        iccid[10..].copy_from_slice(digits.as_bytes());
        let id = PhysicalId(physical_id);
        Self::new(
            PileId::Dny(id),
            Speaker::Dny {
                id,
                message_id: 0,
                iccid,
                last_sent: 0,
            },
            Cadence {
                heartbeat: 180,
                sample: 300,
                tick: 60,
                resend: 1800,
                login_retry: 60,
            },
            sockets,
            Power::from_watts(2_000),
            Power::from_watts(7_800),
        )
    }

    /// A JUY (`5A A5`) e-bike pile with `sockets` sockets, known by its IMEI (`86` and 13
    /// digits of `serial`): it takes coins at the pile besides the platform's starts.
    pub fn juy(serial: u64, sockets: u8) -> Self {
        let text = format!("86{:013}", serial % 10_000_000_000_000);
        let imei = Ascii::new(&text).unwrap_or_default();
        Self::new(
            PileId::Juy(imei),
            Speaker::Juy {
                imei,
                next_order: 0,
            },
            Cadence {
                heartbeat: 60,
                sample: 60,
                tick: 60,
                resend: 10,
                login_retry: 60,
            },
            sockets,
            Power::from_watts(1_000),
            Power::from_watts(7_800),
        )
    }

    /// A YKC car pile with `guns` guns, DC or AC.
    pub fn ykc(pile_code: u64, guns: u8, dc: bool) -> Self {
        let code = Bcd::from_u64(pile_code).unwrap_or_default();
        Self::new(
            PileId::Ykc(code),
            Speaker::Ykc {
                code,
                seq: 0,
                model: None,
                dc,
            },
            Cadence {
                heartbeat: 10,
                sample: 15,
                tick: 15,
                resend: 60,
                login_retry: 30,
            },
            guns,
            Power::from_watts(if dc { 120_000 } else { 7_000 }),
            Power::from_watts(if dc { 240_000 } else { 14_000 }),
        )
    }

    fn new(
        id: PileId,
        speaker: Speaker,
        cadence: Cadence,
        sockets: u8,
        port_limit: Power,
        start_limit: Power,
    ) -> Self {
        let decoder = StreamDecoder::new(id.dialect(), DecodeOptions::LENIENT)
            .with_direction(Some(Direction::Down));
        VirtualPile {
            id,
            speaker,
            cadence,
            sockets: vec![Socket::default(); usize::from(sockets.max(1))],
            decoder,
            outbox: VecDeque::new(),
            link_up: false,
            registered: false,
            login_sent: 0,
            clock: 0,
            next_heartbeat: i64::MAX,
            next_sample: i64::MAX,
            unacked: VecDeque::new(),
            alarm: false,
            offline_orders: 0,
            records: Vec::new(),
            notes: VecDeque::new(),
            port_limit,
            start_limit,
            frames_sent: 0,
        }
    }

    /// The pile's id.
    pub fn id(&self) -> PileId {
        self.id
    }

    /// The pile's dialect.
    pub fn dialect(&self) -> Dialect {
        self.id.dialect()
    }

    /// The number of sockets (guns).
    pub fn sockets(&self) -> u8 {
        self.sockets.len() as u8
    }

    /// Whether a socket is free: nothing plugged in and no charge running.
    pub fn is_free(&self, port: u8) -> bool {
        self.socket(port)
            .is_some_and(|s| s.load.is_none() && s.run.is_none())
    }

    /// Whether a charge runs on a socket.
    pub fn is_charging(&self, port: u8) -> bool {
        self.socket(port).is_some_and(|s| s.run.is_some())
    }

    /// The number of sockets with a charge running.
    pub fn busy(&self) -> usize {
        self.sockets.iter().filter(|s| s.run.is_some()).count()
    }

    /// The power the pile draws now.
    pub fn power(&self) -> Power {
        self.sockets
            .iter()
            .filter(|s| s.run.is_some())
            .filter_map(|s| s.load.as_ref())
            .map(Load::power)
            .fold(Power::ZERO, Power::saturating_add)
    }

    /// Whether the pile's link is up.
    pub fn link_up(&self) -> bool {
        self.link_up
    }

    /// The pile's record of every charge it ran.
    pub fn records(&self) -> &[PileRecord] {
        &self.records
    }

    /// Settlements not yet acknowledged.
    pub fn unacknowledged(&self) -> usize {
        self.unacked.len()
    }

    /// Frames (and module texts) the pile has sent.
    pub fn frames_sent(&self) -> u64 {
        self.frames_sent
    }

    fn socket(&self, port: u8) -> Option<&Socket> {
        self.sockets.get(usize::from(port).checked_sub(1)?)
    }

    fn socket_mut(&mut self, port: u8) -> Option<&mut Socket> {
        self.sockets.get_mut(usize::from(port).checked_sub(1)?)
    }

    /// The next thing the pile did that the scenario follows.
    pub fn poll_note(&mut self) -> Option<PileNote> {
        self.notes.pop_front()
    }

    // ---- the link ------------------------------------------------------------------------

    /// The link came up (a new TCP connection): the pile introduces itself.
    pub fn connect(&mut self, now: i64) {
        self.advance(now);
        self.link_up = true;
        self.registered = false;
        self.decoder = StreamDecoder::new(self.id.dialect(), DecodeOptions::LENIENT)
            .with_direction(Some(Direction::Down));
        if let Speaker::Dny { iccid, .. } = &self.speaker {
            let text = iccid.to_vec();
            self.send_raw(text, now);
        }
        self.login(now);
    }

    /// The link went down: what the pile sends is lost until it reconnects.
    pub fn disconnect(&mut self, now: i64) {
        self.advance(now);
        self.link_up = false;
        self.registered = false;
        self.outbox.clear();
    }

    fn login(&mut self, now: i64) {
        self.login_sent = now;
        match &self.speaker {
            Speaker::Dny { .. } => {
                let ports = self.sockets();
                self.send_dny(
                    DnyMessage::Register(Register::new(105, ports, 0, dny_type_code(ports), 0)),
                    now,
                );
            }
            Speaker::Juy { imei, .. } => {
                let login = juy::Login {
                    imei: *imei,
                    port_count: self.sockets(),
                    hardware_version: Ascii::new("Q800M-B2").unwrap_or_default(),
                    software_version: Ascii::new("V1.2.0").unwrap_or_default(),
                    iccid: Ascii::new("89860400000000000001").unwrap_or_default(),
                    signal: 24,
                    reason: juy::LoginReason::PowerOn,
                };
                self.send_juy(JuyMessage::Login(login), now);
            }
            Speaker::Ykc { code, dc, .. } => {
                let login = Login {
                    pile_code: *code,
                    pile_type: if *dc {
                        ykc::PileType::Dc
                    } else {
                        ykc::PileType::Ac
                    },
                    gun_count: self.sockets(),
                    protocol_version: 0x0F,
                    program_version: Ascii::new("v1.5.0").unwrap_or_default(),
                    network: ykc::NetworkType::Sim,
                    sim: Bcd::from_u64(898_604_000_000).unwrap_or_default(),
                    carrier: ykc::Carrier::ChinaMobile,
                };
                self.send_ykc(YkcMessage::Login(login), now);
            }
        }
    }

    fn send_raw(&mut self, bytes: Vec<u8>, now: i64) {
        if let Speaker::Dny { last_sent, .. } = &mut self.speaker {
            *last_sent = now;
        }
        if self.link_up {
            self.frames_sent += 1;
            self.outbox.push_back(bytes);
        }
    }

    fn send_dny(&mut self, message: DnyMessage, now: i64) -> u16 {
        let Speaker::Dny { id, message_id, .. } = &mut self.speaker else {
            return 0;
        };
        *message_id = message_id.wrapping_add(1).max(1);
        let mid = *message_id;
        let frame = DnyFrame::new(*id, mid, message);
        if let Ok(bytes) = frame.encode() {
            self.send_raw(bytes, now);
        }
        mid
    }

    fn dny_frame(&mut self, message: DnyMessage) -> (u16, Vec<u8>) {
        let Speaker::Dny { id, message_id, .. } = &mut self.speaker else {
            return (0, Vec::new());
        };
        *message_id = message_id.wrapping_add(1).max(1);
        let mid = *message_id;
        let bytes = DnyFrame::new(*id, mid, message)
            .encode()
            .unwrap_or_default();
        (mid, bytes)
    }

    fn ykc_frame(&mut self, message: YkcMessage) -> Vec<u8> {
        let Speaker::Ykc { seq, .. } = &mut self.speaker else {
            return Vec::new();
        };
        *seq = seq.wrapping_add(1);
        YkcFrame::new(Seq::from_be(*seq), message)
            .encode()
            .unwrap_or_default()
    }

    fn juy_frame(message: JuyMessage) -> Vec<u8> {
        JuyFrame::new(message).encode().unwrap_or_default()
    }

    fn send_juy(&mut self, message: JuyMessage, now: i64) {
        let bytes = Self::juy_frame(message);
        self.send_raw(bytes, now);
    }

    fn send_ykc(&mut self, message: YkcMessage, now: i64) {
        let bytes = self.ykc_frame(message);
        self.send_raw(bytes, now);
    }

    /// Bytes for the platform, in order.
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.outbox.pop_front()
    }

    /// Bytes from the platform, in any chunking.
    pub fn handle_bytes(&mut self, bytes: &[u8], now: i64) {
        self.advance(now);
        let mut frames = Vec::new();
        self.decoder.feed(bytes, |item| {
            if let StreamItem::Frame { frame, .. } = item {
                frames.push(frame.clone());
            }
        });
        for frame in frames {
            match frame {
                AnyFrame::Dny(f) => self.dny_command(f, now),
                AnyFrame::Ykc(f) => self.ykc_command(f, now),
                AnyFrame::Juy(f) => self.juy_command(f, now),
                _ => {}
            }
        }
    }

    // ---- timers --------------------------------------------------------------------------

    /// When the pile wants to be woken next.
    pub fn poll_timeout(&self) -> i64 {
        let mut t = i64::MAX;
        if self.link_up {
            if !self.registered {
                t = t.min(self.login_sent + self.cadence.login_retry);
            } else {
                t = t.min(self.next_heartbeat);
                if self.busy() > 0 {
                    t = t.min(self.next_sample);
                }
                if let Some(u) = self.unacked.front() {
                    t = t.min(u.next_send);
                }
                if let Speaker::Dny { last_sent, .. } = &self.speaker {
                    t = t.min(last_sent + 30);
                }
            }
        }
        if self.busy() > 0 {
            t = t.min(self.clock - self.clock.rem_euclid(self.cadence.tick) + self.cadence.tick);
        }
        t
    }

    /// Runs what is due at `now`: physics, the pile's own stops, heartbeats, reports, resends.
    pub fn handle_timeout(&mut self, now: i64) {
        self.advance(now);
        if !self.link_up {
            return;
        }
        if !self.registered {
            if now >= self.login_sent + self.cadence.login_retry {
                self.login(now);
            }
            return;
        }
        if now >= self.next_heartbeat {
            self.heartbeat(now);
            self.next_heartbeat = now + self.cadence.heartbeat;
        }
        if now >= self.next_sample {
            if self.busy() > 0 {
                self.samples(now);
            }
            self.next_sample = now + self.cadence.sample;
        }
        if let Some(u) = self.unacked.front_mut()
            && now >= u.next_send
        {
            u.next_send = now + self.cadence.resend;
            u.sent += 1;
            let bytes = u.frame.clone();
            self.send_raw(bytes, now);
        }
        if let Speaker::Dny { last_sent, .. } = &self.speaker
            && now >= last_sent + 30
        {
            self.send_raw(b"link".to_vec(), now);
        }
    }

    /// Moves the physics of every charging socket to `now` and applies the pile's own stops.
    fn advance(&mut self, now: i64) {
        if now <= self.clock {
            return;
        }
        let from = self.clock;
        self.clock = now;
        if from == 0 {
            return;
        }
        let dt = u32::try_from(now - from).unwrap_or(u32::MAX);
        let slot_class = self.slot_class(from);
        let mut ended = Vec::new();
        for (i, s) in self.sockets.iter_mut().enumerate() {
            let Some(run) = s.run.as_mut() else { continue };
            let port = (i + 1) as u8;
            let Some(load) = s.load.as_mut() else {
                ended.push((port, EndCause::Unplugged));
                continue;
            };
            let drawn = load.charge(dt);
            run.drawn_ws += drawn;
            if let Some(c) = slot_class {
                run.class_ws[c] += drawn;
            }
            let power = load.power();
            run.peak = run.peak.max(power);
            let elapsed = now - run.started;
            if power > self.port_limit {
                ended.push((port, EndCause::Overload));
                continue;
            }
            if let Load::Car(car) = load
                && car.done()
            {
                ended.push((port, EndCause::Full));
                continue;
            }
            if power.0 * 1000 < run.peak.0 * FLOAT_PERMILLE {
                let since = *run.low_since.get_or_insert(now);
                if now - since >= FLOAT_FULL_S {
                    ended.push((port, EndCause::Full));
                    continue;
                }
            } else {
                run.low_since = None;
            }
            match run.limit {
                RunLimit::Time(t) if elapsed >= i64::from(t) => {
                    ended.push((port, EndCause::Time));
                    continue;
                }
                RunLimit::Energy(e) if run.energy() >= e => {
                    ended.push((port, EndCause::Energy));
                    continue;
                }
                RunLimit::Money(m) if m.0 > 0 => {
                    if let Some(amount) = ykc_amount(&self.speaker, &run.class_ws)
                        && amount >= m
                    {
                        ended.push((port, EndCause::Money));
                        continue;
                    }
                }
                _ => {}
            }
            if elapsed >= MAX_CHARGE_S {
                ended.push((
                    port,
                    if run.offline_card.is_some() {
                        EndCause::OfflineCardEnd
                    } else {
                        EndCause::MaxTime
                    },
                ));
            }
        }
        for (port, cause) in ended {
            self.end(port, cause, now);
        }
    }

    /// The YKC time-of-use class (0 sharp … 3 valley) of the half hour at `t`.
    fn slot_class(&self, t: i64) -> Option<usize> {
        let Speaker::Ykc {
            model: Some(model), ..
        } = &self.speaker
        else {
            return None;
        };
        let local = (t + i64::from(UtcOffset::CHINA.0)).rem_euclid(86_400);
        let slot = (local / 1800) as usize;
        Some(usize::from(model.slots.0[slot].min(3)))
    }

    // ---- what residents do ----------------------------------------------------------------

    /// A resident plugs a charger (or a car) into a socket. Returns false if it is taken.
    pub fn plug(&mut self, port: u8, load: Load, now: i64) -> bool {
        self.advance(now);
        match self.socket_mut(port) {
            Some(s) if s.load.is_none() && s.run.is_none() => {
                s.load = Some(load);
                true
            }
            _ => false,
        }
    }

    /// A resident takes the charger away (a charge still running ends as unplugged).
    pub fn unplug(&mut self, port: u8, now: i64) {
        self.advance(now);
        let charging = match self.socket_mut(port) {
            Some(s) => {
                s.load = None;
                s.run.is_some()
            }
            None => false,
        };
        if charging {
            self.end(port, EndCause::Unplugged, now);
        }
    }

    /// A card swiped at a socket (DNY): online it asks the platform (0x02); offline the pile
    /// starts an offline order itself, settled when the link is back. Returns false when
    /// nothing happened (no charger, or the socket is busy).
    pub fn swipe(&mut self, port: u8, card: [u8; 4], now: i64) -> bool {
        self.advance(now);
        let Speaker::Dny { id, .. } = self.speaker else {
            return false;
        };
        let ok = self
            .socket(port)
            .is_some_and(|s| s.load.is_some() && s.run.is_none());
        if !ok || self.alarm {
            return false;
        }
        if self.link_up && self.registered {
            let swipe = dny::CardSwipe::new(
                HexBytes(card),
                dny::CardType::Old,
                Port::socket(port),
                Money::ZERO,
            );
            self.send_dny(DnyMessage::CardSwipe(swipe), now);
            return true;
        }
        // An offline order: the reference's YYMMDDhhmmss + card + device + port, kept as raw
        // bytes (16 of them).
        self.offline_orders += 1;
        let mut order = [0u8; 16];
        order[..4].copy_from_slice(&(now as u32).to_be_bytes());
        order[4..8].copy_from_slice(&card);
        order[8..12].copy_from_slice(&id.0.to_be_bytes());
        order[12] = port;
        order[13..16].copy_from_slice(&self.offline_orders.to_be_bytes()[1..]);
        let order = model::dny::order_ref(&HexBytes(order));
        self.begin(port, order, RunLimit::Time(14_400), Some(card), now);
        true
    }

    /// Coins inserted at a socket (JUY): the pile starts at once, 4 hours per yuan, and reports
    /// the local start (0x86). Returns false when nothing happened.
    pub fn coin(&mut self, port: u8, amount: Money, now: i64) -> bool {
        self.advance(now);
        let Speaker::Juy { next_order, .. } = &mut self.speaker else {
            return false;
        };
        *next_order += 1;
        let number = 3_000_000 + *next_order;
        let ok = self
            .socket(port)
            .is_some_and(|s| s.load.is_some() && s.run.is_none());
        if !ok || self.alarm {
            return false;
        }
        let minutes = amount.0 * 240 / Money::YUAN.0;
        let order = OrderRef::from_number(number);
        self.begin(
            port,
            order,
            RunLimit::Time((minutes * 60) as u32),
            None,
            now,
        );
        let report = juy::LocalStartReport {
            port,
            order: number,
            mode: juy::LocalStartMode::Coin,
            amount,
            card_balance: Money::ZERO,
            card: 0,
        };
        self.send_juy(JuyMessage::LocalStartReport(report), now);
        true
    }

    /// A smoke detector on the pile goes off: the pile reports it (0x42) and refuses starts
    /// until [`clear_alarm`](Self::clear_alarm).
    pub fn smoke(&mut self, now: i64) {
        self.advance(now);
        self.alarm = true;
        if matches!(self.speaker, Speaker::Dny { .. }) {
            let push = AlarmPush {
                kind: dny::AlarmKind::Smoke,
                source: 0,
                triggered_inputs: 0,
            };
            self.send_dny(DnyMessage::AlarmPush(push), now);
        }
    }

    /// An operator checked the pile after an alarm.
    pub fn clear_alarm(&mut self) {
        self.alarm = false;
    }

    // ---- charges -------------------------------------------------------------------------

    fn begin(
        &mut self,
        port: u8,
        order: OrderRef,
        limit: RunLimit,
        card: Option<[u8; 4]>,
        now: i64,
    ) {
        if let Some(s) = self.socket_mut(port) {
            s.run = Some(Run {
                order,
                started: now,
                limit,
                drawn_ws: 0,
                class_ws: [0; 4],
                peak: Power::ZERO,
                low_since: None,
                offline_card: card,
            });
        }
        if self.busy() == 1 {
            self.next_sample = now + self.cadence.sample;
        }
    }

    fn end(&mut self, port: u8, cause: EndCause, now: i64) {
        let Some(run) = self.socket_mut(port).and_then(|s| s.run.take()) else {
            return;
        };
        self.notes.push_back(PileNote::Ended { port });
        self.records.push(PileRecord {
            pile: self.id,
            port,
            order: run.order,
            energy: run.energy(),
            acknowledged: false,
        });
        let (message_id, frame) = match &self.speaker {
            Speaker::Dny { .. } => self.dny_settlement(port, &run, cause, now),
            Speaker::Ykc { .. } => (0, self.ykc_record(port, &run, cause, now)),
            Speaker::Juy { .. } => (0, Self::juy_report(port, &run, cause, now)),
        };
        // The first record goes at once; later ones wait for the one before to be acknowledged.
        let first = self.unacked.is_empty();
        self.unacked.push_back(Unacked {
            port,
            order: run.order,
            message_id,
            frame: frame.clone(),
            next_send: if first { now } else { i64::MAX },
            sent: 0,
        });
        if first && self.registered {
            if let Some(u) = self.unacked.back_mut() {
                u.next_send = now + self.cadence.resend;
                u.sent = 1;
            }
            self.send_raw(frame, now);
        }
    }

    fn acknowledged(&mut self, index: usize, now: i64) {
        let Some(u) = self.unacked.remove(index) else {
            return;
        };
        if let Some(r) = self
            .records
            .iter_mut()
            .rev()
            .find(|r| r.port == u.port && r.order == u.order)
        {
            r.acknowledged = true;
        }
        // The next stored record follows a minute (DNY) or a moment (YKC) later.
        let gap = match self.speaker {
            Speaker::Dny { .. } => 60,
            Speaker::Ykc { .. } | Speaker::Juy { .. } => 1,
        };
        if let Some(next) = self.unacked.front_mut()
            && next.sent == 0
        {
            next.next_send = now + gap;
        }
    }

    fn refuse_reason(&self, port: u8, extra: Power) -> Option<u8> {
        let s = self.socket(port)?;
        if self.alarm {
            return Some(0x0B);
        }
        if s.run.is_some() {
            return Some(0x02);
        }
        if s.load.is_none() {
            return Some(0x01);
        }
        if self.power().saturating_add(extra) > self.start_limit {
            return Some(0x06);
        }
        None
    }

    // ---- DNY -----------------------------------------------------------------------------

    fn dny_command(&mut self, frame: DnyFrame, now: i64) {
        match frame.message {
            DnyMessage::RegisterReply(_) if !self.registered => {
                self.registered = true;
                self.next_heartbeat = now + 1;
                self.next_sample = now + self.cadence.sample;
                if let Some(u) = self.unacked.front_mut() {
                    u.next_send = now + 2;
                }
            }
            DnyMessage::SettlementReply(_) => {
                if let Some(i) = self
                    .unacked
                    .iter()
                    .position(|u| u.message_id == frame.message_id)
                {
                    self.acknowledged(i, now);
                }
            }
            DnyMessage::StartStop(cmd) => {
                let port = cmd.port.number().unwrap_or(0);
                let order = model::dny::order_ref(&cmd.order_number);
                let result = if cmd.charge_command == dny::ChargeCommand::Start {
                    match self.refuse_reason(port, Power::from_watts(250)) {
                        Some(code) => code,
                        None if self.socket(port).is_none() => 0x04,
                        None => {
                            let limit = match cmd.limit() {
                                dny::ChargeLimit::UntilFull => RunLimit::None,
                                dny::ChargeLimit::Duration(s) => RunLimit::Time(s.0),
                                dny::ChargeLimit::Energy(e) => RunLimit::Energy(e),
                            };
                            self.begin(port, order, limit, None, now);
                            0x00
                        }
                    }
                } else {
                    match self.socket(port).and_then(|s| s.run.as_ref()) {
                        Some(run) if run.order == order => {
                            self.end(port, EndCause::Server, now);
                            0x00
                        }
                        _ => 0x02,
                    }
                };
                let mut reply = StartStopReply::new(dny::StartResult::from_code(result));
                reply.order_number = Some(cmd.order_number);
                reply.port = Some(cmd.port);
                let reply = DnyFrame::new(
                    frame.physical_id,
                    frame.message_id,
                    DnyMessage::StartStopReply(reply),
                );
                if let Ok(bytes) = reply.encode() {
                    self.send_raw(bytes, now);
                }
            }
            _ => {}
        }
    }

    fn heartbeat(&mut self, now: i64) {
        match &self.speaker {
            Speaker::Dny { .. } => {
                let ports = self
                    .sockets
                    .iter()
                    .map(|s| match (&s.run, &s.load) {
                        (Some(r), _) if r.low_since.is_some() => PortState::FloatCharging,
                        (Some(_), _) => PortState::Charging,
                        (None, Some(_)) => PortState::PluggedNotStarted,
                        (None, None) => PortState::Idle,
                    })
                    .collect();
                let hb = Heartbeat {
                    voltage: Voltage(2200),
                    ports,
                    signal: 0,
                    ambient_temperature: None,
                };
                self.send_dny(DnyMessage::Heartbeat(hb), now);
            }
            Speaker::Juy { .. } => {
                let mut ports = juy::PortList::new();
                for s in &self.sockets {
                    let state = if s.run.is_some() {
                        juy::PortState::InUse
                    } else {
                        juy::PortState::Idle
                    };
                    let _ = ports.push(state);
                }
                let hb = juy::Heartbeat {
                    signal: 24,
                    board_temperature: Temperature::from_celsius(30),
                    ports,
                };
                self.send_juy(JuyMessage::Heartbeat(hb), now);
            }
            Speaker::Ykc { code, .. } => {
                let code = *code;
                for gun in 1..=self.sockets() {
                    let hb = ykc::Heartbeat {
                        pile_code: code,
                        gun,
                        gun_condition: GunCondition::Normal,
                    };
                    self.send_ykc(YkcMessage::Heartbeat(hb), now);
                }
            }
        }
    }

    /// The sockets charging now: port number (from 1), the run and the load.
    fn charging(&self) -> impl Iterator<Item = (u8, &Run, &Load)> {
        self.sockets
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some(((i + 1) as u8, s.run.as_ref()?, s.load.as_ref()?)))
    }

    fn samples(&mut self, now: i64) {
        match self.speaker {
            Speaker::Ykc { .. } => return self.ykc_samples(now),
            Speaker::Juy { .. } => return self.juy_samples(now),
            Speaker::Dny { .. } => {}
        }
        let mut out = Vec::new();
        for (port, run, load) in self.charging() {
            let power = load.power();
            let elapsed = (now - run.started).max(0);
            let p = PortPower::new(
                Port::socket(port),
                if run.low_since.is_some() {
                    PortState::FloatCharging
                } else {
                    PortState::Charging
                },
                Seconds(elapsed.min(65_535) as u32),
                centi_kwh(run.energy()),
                dny::StartMode::Online,
                power,
                power,
                power,
                power,
                model::dny::order_number(&run.order).unwrap_or_default(),
            );
            out.push(DnyMessage::PortPower(p));
        }
        for m in out {
            self.send_dny(m, now);
        }
    }

    fn dny_settlement(&mut self, port: u8, run: &Run, cause: EndCause, now: i64) -> (u16, Vec<u8>) {
        use dny::StopReason as S;
        let reason = match cause {
            EndCause::Full => S::BatteryFull,
            EndCause::Time => S::PresetTimeReached,
            EndCause::MaxTime | EndCause::OfflineCardEnd => S::MaxChargeTimeReached,
            EndCause::Energy | EndCause::Money => S::PresetEnergyReached,
            EndCause::Unplugged => S::Unplugged,
            EndCause::Overload => S::Overload,
            EndCause::Server => S::ServerStop,
        };
        let duration = (now - run.started).clamp(0, 65_535) as u32;
        let mut s = dny::Settlement::new(
            Seconds(duration),
            run.peak,
            centi_kwh(run.energy()),
            Port::socket(port),
            if run.offline_card.is_some() {
                dny::StartMode::OfflineCard
            } else {
                dny::StartMode::Online
            },
            HexBytes(run.offline_card.unwrap_or([0; 4])),
            reason,
            model::dny::order_number(&run.order).unwrap_or_default(),
        );
        s.second_max_power = Some(run.peak);
        s.timestamp = Some(now as u32);
        self.dny_frame(DnyMessage::Settlement(s))
    }

    // ---- JUY -----------------------------------------------------------------------------

    fn juy_command(&mut self, frame: JuyFrame, now: i64) {
        match frame.message {
            JuyMessage::LoginReply(r) if !self.registered => {
                self.registered = true;
                self.cadence.heartbeat = i64::from(r.heartbeat_interval.max(10));
                self.cadence.sample = self.cadence.heartbeat;
                self.next_heartbeat = now + 1;
                self.next_sample = now + self.cadence.sample;
                if let Some(u) = self.unacked.front_mut() {
                    u.next_send = now + 2;
                }
            }
            JuyMessage::RemoteStart(cmd) => {
                let order = OrderRef::from_number(cmd.order);
                let result = match self.refuse_reason(cmd.port, Power::from_watts(250)) {
                    None if self.socket(cmd.port).is_some() => {
                        let limit = match model::juy::charge_limit(&cmd) {
                            model::ChargeLimit::Time { duration } => RunLimit::Time(duration.0),
                            model::ChargeLimit::Energy { energy } => RunLimit::Energy(energy),
                            _ => RunLimit::None,
                        };
                        self.begin(cmd.port, order, limit, None, now);
                        juy::StartResult::Started
                    }
                    Some(0x02) => juy::StartResult::AlreadyCharging,
                    _ => juy::StartResult::PortFault,
                };
                let reply = juy::RemoteStartReply {
                    port: cmd.port,
                    order: cmd.order,
                    start_mode: cmd.start_mode,
                    result,
                };
                self.send_juy(JuyMessage::RemoteStartReply(reply), now);
            }
            JuyMessage::RemoteStop(po) => {
                let order = OrderRef::from_number(po.order);
                let result = match self.socket(po.port).and_then(|s| s.run.as_ref()) {
                    Some(run) if run.order == order => juy::StopResult::Done,
                    Some(_) => juy::StopResult::OrderMismatch,
                    None => juy::StopResult::AlreadyIdle,
                };
                let reply = juy::RemoteStopReply {
                    port: po.port,
                    order: po.order,
                    result,
                };
                self.send_juy(JuyMessage::RemoteStopReply(reply), now);
                if result == juy::StopResult::Done {
                    self.end(po.port, EndCause::Server, now);
                }
            }
            JuyMessage::EndOfChargeAck(po) => {
                let order = OrderRef::from_number(po.order);
                if let Some(i) = self
                    .unacked
                    .iter()
                    .position(|u| u.port == po.port && u.order == order)
                {
                    self.acknowledged(i, now);
                }
            }
            _ => {}
        }
    }

    fn juy_samples(&mut self, now: i64) {
        let mut ports = juy::PortSamples::new();
        for (port, run, load) in self.charging() {
            let sample = juy::PortSample {
                port,
                tier: 1,
                price: Money::ZERO,
                power: Power(load.power().0 / 10 * 10),
                time: Seconds((now - run.started).max(0) as u32),
                amount: Money::ZERO,
                energy: Energy(run.energy().0 / 10 * 10),
                temperature: Temperature::from_celsius(30),
            };
            let _ = ports.push(&sample);
        }
        let data = juy::PortData {
            voltage: Voltage(2200),
            temperature: Temperature::from_celsius(30),
            ports,
        };
        self.send_juy(JuyMessage::PortData(data), now);
    }

    fn juy_report(port: u8, run: &Run, cause: EndCause, now: i64) -> Vec<u8> {
        use juy::StopReason as S;
        let reason = match cause {
            EndCause::Full => S::Full,
            EndCause::Time | EndCause::MaxTime | EndCause::OfflineCardEnd => S::TimeUsedUp,
            EndCause::Energy => S::EnergyUsedUp,
            EndCause::Money => S::MoneyUsedUp,
            EndCause::Unplugged => S::NoChargerDetected,
            EndCause::Overload => S::PortOverPower,
            EndCause::Server => S::Manual,
        };
        let report = juy::EndOfChargeReport {
            port,
            order: run.order.to_number().unwrap_or(0),
            duration: Seconds((now - run.started).max(0) as u32),
            energy: Energy(run.energy().0 / 10 * 10),
            amount: Money::ZERO,
            stop_reason: reason,
            stop_power: Power::ZERO,
            card: 0,
            tiers: Vec::new(),
            reserved: HexBytes([0; 8]),
        };
        Self::juy_frame(JuyMessage::EndOfChargeReport(report))
    }

    // ---- YKC -----------------------------------------------------------------------------

    fn ykc_command(&mut self, frame: YkcFrame, now: i64) {
        let Speaker::Ykc { code, .. } = self.speaker else {
            return;
        };
        match frame.message {
            YkcMessage::LoginReply(_) if !self.registered => {
                self.registered = true;
                self.next_heartbeat = now + 1;
                self.next_sample = now + self.cadence.sample;
                let current = match &self.speaker {
                    Speaker::Ykc { model: Some(m), .. } => m.model_number,
                    _ => Bcd::default(),
                };
                let check = ModelCheckRequest {
                    pile_code: code,
                    model_number: current,
                };
                self.send_ykc(YkcMessage::ModelCheckRequest(check), now);
                if let Some(u) = self.unacked.front_mut() {
                    u.next_send = now + 2;
                }
            }
            YkcMessage::ModelCheckReply(r) if r.result == ykc::ModelCheck::Different => {
                self.send_ykc(
                    YkcMessage::ModelRequest(ModelRequest { pile_code: code }),
                    now,
                );
            }
            message @ (YkcMessage::ModelReply(_) | YkcMessage::ModelSet(_)) => {
                let (set, m) = match message {
                    YkcMessage::ModelSet(m) => (true, m),
                    YkcMessage::ModelReply(m) => (false, m),
                    _ => unreachable!("matched above"),
                };
                if let Speaker::Ykc { model, .. } = &mut self.speaker {
                    *model = Some(m);
                }
                if set {
                    let reply = ykc::ModelSetReply {
                        pile_code: code,
                        result: OneIsSuccess::Success,
                    };
                    self.send_ykc(YkcMessage::ModelSetReply(reply), now);
                }
            }
            YkcMessage::RemoteStart(s) => {
                let order = model::ykc::order_ref(&s.trade_serial);
                let refusal = self.refuse_reason(s.gun, Power::ZERO);
                let failure = match refusal {
                    None if self.socket(s.gun).is_some() => None,
                    None => Some(StartFailure::PileMismatch),
                    Some(0x01) => Some(StartFailure::NotPlugged),
                    Some(0x02) => Some(StartFailure::AlreadyCharging),
                    Some(_) => Some(StartFailure::Fault),
                };
                if failure.is_none() {
                    self.begin(s.gun, order, RunLimit::Money(s.balance), None, now);
                }
                let reply = RemoteStartReply {
                    trade_serial: s.trade_serial,
                    pile_code: code,
                    gun: s.gun,
                    result: if failure.is_none() {
                        OneIsSuccess::Success
                    } else {
                        OneIsSuccess::Failure
                    },
                    failure: failure.unwrap_or(StartFailure::None),
                };
                let mut f = YkcFrame::new(frame.seq, YkcMessage::RemoteStartReply(reply));
                f.checksum_order = frame.checksum_order;
                if let Ok(bytes) = f.encode() {
                    self.send_raw(bytes, now);
                }
            }
            YkcMessage::RemoteStop(s) => {
                let running = self.is_charging(s.gun);
                let reply = RemoteStopReply {
                    pile_code: code,
                    gun: s.gun,
                    result: if running {
                        OneIsSuccess::Success
                    } else {
                        OneIsSuccess::Failure
                    },
                    failure: if running {
                        StopFailure::None
                    } else {
                        StopFailure::NotCharging
                    },
                };
                self.send_ykc(YkcMessage::RemoteStopReply(reply), now);
                if running {
                    self.end(s.gun, EndCause::Server, now);
                }
            }
            YkcMessage::TransactionAck(a) => {
                let order = model::ykc::order_ref(&a.trade_serial);
                if let Some(i) = self.unacked.iter().position(|u| u.order == order) {
                    self.acknowledged(i, now);
                }
            }
            _ => {}
        }
    }

    fn ykc_samples(&mut self, now: i64) {
        let Speaker::Ykc { code, .. } = self.speaker else {
            return;
        };
        let mut out = Vec::new();
        for (port, run, load) in self.charging() {
            let power = load.power();
            let elapsed = (now - run.started).max(0);
            let (voltage, soc) = match load {
                Load::Car(c) => (
                    if c.curve == crate::physics::CarCurve::Dc {
                        Voltage(4000)
                    } else {
                        Voltage(2200)
                    },
                    (c.soc_permille / 10) as u8,
                ),
                Load::Bike(_) => (Voltage(2200), 0),
            };
            // The adapter reads power as voltage (0.1 V) × current (0.1 A on the wire) / 1000.
            let current = Current(((power.0 * 1000 / i64::from(voltage.0)) / 100 * 100) as i32);
            out.push(RealTimeData {
                trade_serial: trade_serial(&run.order),
                pile_code: code,
                gun: port,
                status: GunStatus::Charging,
                holstered: Holstered::No,
                plugged: Plugged::Yes,
                output_voltage: voltage,
                output_current: current,
                gun_temperature: Temperature::from_celsius(30),
                gun_wire_code: HexBytes([0; 8]),
                soc,
                battery_max_temperature: Temperature::from_celsius(30),
                charged: Minutes((elapsed / 60) as u32),
                remaining: Minutes(0),
                energy: Energy(run.energy().0 / 10 * 10),
                loss_energy: Energy::ZERO,
                amount: ykc_amount(&self.speaker, &run.class_ws).unwrap_or(Money::ZERO),
                faults: HardwareFaults(0),
            });
        }
        for d in out {
            self.send_ykc(YkcMessage::RealTimeData(d), now);
        }
    }

    fn ykc_record(&mut self, port: u8, run: &Run, cause: EndCause, now: i64) -> Vec<u8> {
        let Speaker::Ykc { code, model, .. } = &self.speaker else {
            return Vec::new();
        };
        let code = *code;
        use ykc::StopReason as S;
        let reason = match cause {
            EndCause::Full => S::SocFull,
            EndCause::Money => S::BalanceInsufficient,
            EndCause::Unplugged => S::PilotDisconnected,
            EndCause::Server => S::AppStop,
            EndCause::Time | EndCause::MaxTime | EndCause::OfflineCardEnd => S::TimeReached,
            EndCause::Energy => S::EnergyReached,
            EndCause::Overload => S::OutputAbnormal,
        };
        let empty = ClassUsage {
            price: EnergyPrice(0),
            energy: Energy::ZERO,
            loss_energy: Energy::ZERO,
            amount: Money::ZERO,
        };
        let mut usage = [empty.clone(), empty.clone(), empty.clone(), empty];
        let mut total_energy = Energy::ZERO;
        let mut total_amount = Money::ZERO;
        for (c, u) in usage.iter_mut().enumerate() {
            let energy = Energy(energy_of(run.class_ws[c]).0 / 10 * 10);
            let price = model.as_ref().map_or(EnergyPrice(0), |m| {
                let r = [&m.sharp, &m.peak, &m.flat, &m.valley][c];
                EnergyPrice(r.energy.0 + r.service.0)
            });
            let amount = Money(energy.0 * price.0 / 100_000);
            *u = ClassUsage {
                price,
                energy,
                loss_energy: energy,
                amount,
            };
            total_energy = Energy(total_energy.0 + energy.0);
            total_amount = Money(total_amount.0 + amount.0);
        }
        let local = |t: i64| {
            LocalDateTime::from_unix(t, UtcOffset::CHINA)
                .or_else(|_| LocalDateTime::from_unix(946_684_800, UtcOffset::CHINA))
                .expect("2000-01-01 is a valid time")
        };
        let record = TransactionRecord {
            trade_serial: trade_serial(&run.order),
            pile_code: code,
            gun: port,
            start_time: local(run.started),
            end_time: local(now),
            sharp: usage[0].clone(),
            peak: usage[1].clone(),
            flat: usage[2].clone(),
            valley: usage[3].clone(),
            meter_start: Energy::ZERO,
            meter_stop: total_energy,
            total_energy,
            total_loss_energy: total_energy,
            total_amount,
            vin: Ascii::new("LSVAU2180N2000001").unwrap_or_default(),
            trade_kind: TradeKind::App,
            trade_time: local(now),
            stop_reason: reason,
            physical_card: HexBytes([0; 8]),
        };
        self.ykc_frame(YkcMessage::TransactionRecord(record))
    }
}

/// The trade serial of a platform order (its 32 digits).
fn trade_serial(order: &OrderRef) -> ykc::TradeSerial {
    model::ykc::trade_serial(order).unwrap_or_default()
}

/// The amount of a YKC charge so far under the pile's billing model.
fn ykc_amount(speaker: &Speaker, class_ws: &[i64; 4]) -> Option<Money> {
    let Speaker::Ykc { model: Some(m), .. } = speaker else {
        return None;
    };
    let rates = [&m.sharp, &m.peak, &m.flat, &m.valley];
    let mut total = 0i64;
    for (ws, r) in class_ws.iter().zip(rates) {
        let energy = Energy(energy_of(*ws).0 / 10 * 10);
        total += energy.0 * (r.energy.0 + r.service.0) / 100_000;
    }
    Some(Money(total))
}

/// Energy as DNY carries it: whole 0.01 kWh, at most 655.35 kWh.
fn centi_kwh(e: Energy) -> Energy {
    Energy((e.0 / 100).min(65_535) * 100)
}

/// The AP3000 device type of a pile with `sockets` sockets (the first byte of its physical id):
/// 03 one socket, 04 two, 05 ten, 07 twelve, 06 sixteen.
pub fn dny_type_code(sockets: u8) -> u8 {
    match sockets {
        1 => 0x03,
        2 => 0x04,
        11..=12 => 0x07,
        13.. => 0x06,
        _ => 0x05,
    }
}
