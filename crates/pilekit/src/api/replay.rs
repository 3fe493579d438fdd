//! Rebuilding sessions and bills from a pile log: the operator's complaint tool.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::decode::{DecodeRequest, DialectName};
use super::error::{Error, ErrorKind};
use super::receipt::yuan;
use super::time::parse_time;
use crate::codec::Direction;
use crate::model::{ChargeLimit, OrderRef, PileCommand, PileId, PortNo, platform_command};
use crate::session::{
    Anomaly, Config, LinkFault, LinkId, Notification, Origin, SessionRecord, StartLimit,
    StartRefusal, StartRequest, Station,
};
use crate::tariff::{LineKind, Payment, Plan};
use crate::time::Timestamp;
use crate::units::{Money, Seconds};

/// How to replay a log. Its serde form takes every key as optional.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReplayRequest {
    /// The protocol of the log's frames (`auto` detects it per connection).
    pub dialect: DialectName,
}

/// What the replay found: the settled sessions, the sessions still open at the end of the log,
/// and everything unexpected on the way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replay {
    /// Every settled session, in the order of its settlement, with its bill.
    pub sessions: Vec<SessionRecord>,
    /// Sessions that started and were not settled by the end of the log.
    pub open: Vec<OpenSession>,
    /// Duplicates, refusals, bad frames, malformed lines, in the order of the log.
    pub anomalies: Vec<Finding>,
    /// The lines read (including comments and blank lines).
    pub lines: usize,
}

/// A session that started and was not settled by the end of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenSession {
    /// The pile.
    pub pile: PileId,
    /// The port.
    pub port: PortNo,
    /// The order.
    pub order: OrderRef,
    /// How it began.
    pub origin: Origin,
    /// When it started.
    pub started: Timestamp,
    /// The line of the log it started on.
    pub line: usize,
}

/// Something unexpected the replay saw.
///
/// `kind` is one of the station's anomalies (`duplicate_settlement`, `unknown_settlement`,
/// `sample_without_session`, `sample_out_of_order`, `sample_after_settlement`,
/// `unexpected_start_result`, `local_start_on_busy_port`, `unreadable_event`,
/// `command_not_sent`), or
/// `start_refused`, `start_not_replayed` (a platform start the station could not make, e.g. for
/// a pile it had not heard from), `stop_without_session`, `alarm`, `impersonation`, `bad_frame` (bytes that did not decode; the
/// offset is the byte within the line's hex) or `malformed_line`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The line of the log (from 1).
    pub line: usize,
    /// What kind of finding (snake_case, listed above).
    pub kind: String,
    /// The pile, when known.
    pub pile: Option<PileId>,
    /// The port, when known.
    pub port: Option<PortNo>,
    /// The byte offset within the line's bytes, for a bad frame.
    pub offset: Option<usize>,
    /// What it is, for people.
    pub message: String,
}

/// The parts of one log line.
struct LogLine<'a> {
    at: Timestamp,
    pile: &'a str,
    up: bool,
    bytes: Vec<u8>,
}

fn parse_line<'a>(text: &'a str, plan: &Plan) -> Result<Option<LogLine<'a>>, Error> {
    let text = text.trim();
    if text.is_empty() || text.starts_with('#') {
        return Ok(None);
    }
    let mut parts = text.splitn(4, char::is_whitespace);
    let mut next = |what: &str| {
        parts.find(|p| !p.is_empty()).ok_or_else(|| {
            Error::new(
                ErrorKind::MissingValue,
                format!("the line has no {what}; expected `TIMESTAMP PILE-ID up|down HEX`"),
            )
        })
    };
    let time = next("timestamp")?;
    let pile = next("pile id")?;
    let direction = next("direction")?;
    let hex = next("hex bytes")?;
    let up = match direction.to_ascii_lowercase().as_str() {
        "up" => true,
        "down" => false,
        other => {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("`{other}` is not a direction; use `up` (from the pile) or `down`"),
            )
            .in_field("direction"));
        }
    };
    let unix = parse_time(time, plan.utc_offset)?;
    // the station's own times (a settlement without times of its own) in the plan's local time
    let at = Timestamp::from_unix(unix)
        .ok_or_else(|| Error::new(ErrorKind::InvalidTime, format!("`{time}` is out of range")))?
        .at_offset(plan.utc_offset);
    let bytes = crate::hex::decode(hex)?;
    Ok(Some(LogLine {
        at,
        pile,
        up,
        bytes,
    }))
}

/// One connection of the log (one pile name).
struct Connection {
    link: LinkId,
    /// Bytes fed to the station on this link so far.
    position: usize,
    /// Where each `up` line's bytes begin in the connection's stream, with the line's number.
    starts: Vec<(usize, usize)>,
}

impl Connection {
    /// The line holding stream position `at`, and the position within the line's bytes.
    fn locate(&self, at: usize) -> (usize, usize) {
        let i = self.starts.partition_point(|&(base, _)| base <= at);
        match i.checked_sub(1).map(|i| self.starts[i]) {
            Some((base, line)) => (line, at - base),
            None => (0, at),
        }
    }
}

struct Replayer<'p> {
    plan: &'p Plan,
    station: Station,
    request: ReplayRequest,
    connections: BTreeMap<String, Connection>,
    /// The pile each link speaks for, from the station's notifications.
    link_piles: BTreeMap<LinkId, PileId>,
    open: BTreeMap<(PileId, PortNo), OpenSession>,
    /// The time of the last line read.
    last: Option<Timestamp>,
    out: Replay,
}

impl Replayer<'_> {
    fn connection(&mut self, name: &str, at: Timestamp) -> &mut Connection {
        if !self.connections.contains_key(name) {
            let link = self.station.connect_with(self.request.dialect.choice(), at);
            self.connections.insert(
                name.to_string(),
                Connection {
                    link,
                    position: 0,
                    starts: Vec::new(),
                },
            );
        }
        self.connections.get_mut(name).expect("inserted above")
    }

    fn finding(&mut self, line: usize, kind: &str, message: String) -> &mut Finding {
        self.out.anomalies.push(Finding {
            line,
            kind: kind.to_string(),
            pile: None,
            port: None,
            offset: None,
            message,
        });
        self.out.anomalies.last_mut().expect("pushed above")
    }

    fn line(&mut self, number: usize, text: &str) {
        let parsed = match parse_line(text, self.plan) {
            Ok(Some(l)) => l,
            Ok(None) => return,
            Err(e) => {
                self.finding(number, "malformed_line", e.to_string());
                return;
            }
        };
        let at = parsed.at;
        self.last = Some(at);
        if self.station.poll_timeout().is_some_and(|t| t <= at) {
            self.station.handle_timeout(at);
            self.drain(number);
        }
        if parsed.up {
            self.up(number, &parsed);
        } else {
            self.down(number, &parsed);
        }
        self.drain(number);
    }

    fn up(&mut self, number: usize, line: &LogLine<'_>) {
        let connection = self.connection(line.pile, line.at);
        let link = connection.link;
        connection.starts.push((connection.position, number));
        connection.position += line.bytes.len();
        self.station.handle_bytes(link, &line.bytes, line.at);
    }

    /// A finding for bytes of a link the station did not read, at the line that holds them.
    fn fault(&mut self, number: usize, anomaly: Anomaly, fault: &LinkFault, pile: Option<PileId>) {
        let located = self
            .connections
            .values()
            .find(|c| c.link == fault.link)
            .map(|c| c.locate(fault.offset));
        let (line, offset) = located.unwrap_or((number, fault.offset));
        let message = match (anomaly, fault.skipped, &fault.reason) {
            (Anomaly::BadFrame, 0, Some(reason)) => reason.clone(),
            (Anomaly::BadFrame, len, Some(reason)) => format!("{reason} ({len} bytes skipped)"),
            (Anomaly::BadFrame, len, None) => {
                format!("{len} bytes that are no frame were skipped")
            }
            (other, _, Some(reason)) => format!("{}: {reason}", other.description()),
            (other, _, None) => other.description().to_string(),
        };
        let finding = self.finding(line, anomaly.name(), message);
        finding.offset = Some(offset);
        finding.pile = pile;
    }

    fn down(&mut self, number: usize, line: &LogLine<'_>) {
        let request = DecodeRequest {
            dialect: self.request.dialect,
            strict: false,
            direction: Some(Direction::Down),
            ..DecodeRequest::default()
        };
        let frame = match super::decode::decode_frame(&line.bytes, &request) {
            Ok(f) => f,
            Err(e) => {
                let offset = e.offset;
                let finding = self.finding(number, "bad_frame", e.to_string());
                finding.offset = offset;
                return;
            }
        };
        let Some(command) = platform_command(&frame) else {
            return;
        };
        let link = self.connection(line.pile, line.at).link;
        let Some(&pile) = self.link_piles.get(&link) else {
            self.finding(
                number,
                "start_not_replayed",
                format!(
                    "the platform's {} for `{}` comes before the pile was heard from",
                    command_name(&command),
                    line.pile
                ),
            );
            return;
        };
        let (port, result) = match command {
            PileCommand::Start(s) => {
                let payment = match s.balance {
                    Some(amount) if amount > Money::ZERO => Payment::Prepaid { amount },
                    _ => Payment::Postpaid,
                };
                let limit = match s.limit {
                    ChargeLimit::UntilFull => StartLimit::UntilFull {
                        cap: self.station.config().max_session,
                    },
                    ChargeLimit::Time { duration } => StartLimit::Duration { duration },
                    ChargeLimit::Energy { energy } => StartLimit::Energy { energy },
                    ChargeLimit::Money { amount } => StartLimit::Money { amount },
                };
                let request = StartRequest {
                    order: s.order,
                    payment,
                    limit,
                    card: s.card,
                };
                (s.port, self.station.start(pile, s.port, request, line.at))
            }
            PileCommand::Stop { port, .. } => (port, self.station.stop(pile, port, line.at)),
            _ => return,
        };
        if let Err(e) = result {
            let finding = self.finding(
                number,
                "start_not_replayed",
                format!("the platform's command could not be replayed: {e}"),
            );
            finding.pile = Some(pile);
            finding.port = Some(port);
            if let crate::session::SessionError::NoSession { .. } = e {
                finding.kind = "stop_without_session".to_string();
            }
        }
    }

    fn drain(&mut self, number: usize) {
        while self.station.poll_transmit().is_some() {}
        while let Some(n) = self.station.poll_notification() {
            self.notification(number, n);
        }
    }

    fn notification(&mut self, number: usize, n: Notification) {
        match n {
            Notification::PileOnline { pile, link, .. } => {
                self.link_piles.insert(link, pile);
            }
            Notification::SessionStarted {
                pile,
                port,
                order,
                origin,
                at,
            } => {
                self.open.insert(
                    (pile, port),
                    OpenSession {
                        pile,
                        port,
                        order,
                        origin,
                        started: at,
                        line: number,
                    },
                );
            }
            Notification::SessionEnded(record) => {
                let key = (record.pile, record.port);
                if self.open.get(&key).is_some_and(|o| o.order == record.order) {
                    self.open.remove(&key);
                }
                self.out.sessions.push(*record);
            }
            Notification::StartRefused {
                pile,
                port,
                order,
                refusal,
                ..
            } => {
                let finding = self.finding(
                    number,
                    "start_refused",
                    format!(
                        "the start of order `{order}` was refused: {}",
                        refusal_text(&refusal)
                    ),
                );
                finding.pile = Some(pile);
                finding.port = Some(port);
            }
            Notification::Impersonation { pile, .. } => {
                let finding = self.finding(
                    number,
                    "impersonation",
                    format!(
                        "a second connection claimed pile `{pile}` while it was online; its \
                         frames were ignored"
                    ),
                );
                finding.pile = Some(pile);
            }
            Notification::Alarm {
                pile,
                port,
                kind,
                stopped_all,
                ..
            } => {
                let stopped = if stopped_all {
                    "; every port of the pile was stopped"
                } else {
                    ""
                };
                let finding = self.finding(number, "alarm", format!("{kind} alarm{stopped}"));
                finding.pile = Some(pile);
                finding.port = port;
            }
            Notification::Anomaly {
                pile,
                port,
                anomaly,
                fault,
                ..
            } => {
                if let Some(fault) = fault {
                    self.fault(number, anomaly, &fault, pile);
                    return;
                }
                let finding = self.finding(number, anomaly.name(), anomaly.description().into());
                finding.pile = pile;
                finding.port = port;
            }
            _ => {}
        }
    }
}

fn command_name(command: &PileCommand) -> &'static str {
    match command {
        PileCommand::Start(_) => "start",
        _ => "stop",
    }
}

fn refusal_text(refusal: &StartRefusal) -> String {
    match refusal {
        StartRefusal::Pile { refusal, raw } => {
            format!("the pile refused: {refusal} (code {})", raw.code)
        }
        other => serde_json::to_value(other)
            .ok()
            .and_then(|v| v.get("reason").and_then(|r| r.as_str()).map(String::from))
            .unwrap_or_default(),
    }
}

/// Rebuilds the sessions and bills of a pile log under `plan`.
///
/// A log has one frame (or a piece of a stream) per line:
///
/// ```text
/// # comments and blank lines are skipped
/// 2024-05-01T20:00:00 05-11220795 up   44 4E 59 ...
/// 2024-05-01T20:00:01 05-11220795 down 44 4E 59 ...
/// ```
///
/// `TIMESTAMP PILE-ID up|down HEX`: the time in ISO 8601 (without an offset it is local time
/// in the plan's UTC offset; Unix seconds are accepted too), the pile as the log names it (one
/// connection per name), `up` for what the pile sent and `down` for what the platform sent, and
/// the bytes in hex (spaces allowed).
///
/// The replay runs a [`Station`] over the log: every `up` line goes through the station's
/// stream decoder as it would from the pile's connection, and of the `down` lines the starts
/// and stops the platform sent become the station's own [`start`](Station::start) and
/// [`stop`](Station::stop) calls, so a platform start keeps its payment and limit. The station
/// answers what it must (its answers are not compared with the log's). It is configured to
/// record, not to act: no power budget, no per-pile power limit, no full or unplug detection
/// from the power — the stops are the ones the log shows — and no pile goes offline for
/// silence (logs often leave the heartbeats out).
///
/// Sessions still open when the log ends are listed as open, with no invented end.
///
/// Never fails as a whole: a malformed line is reported as a finding with its line number and
/// the rest is replayed.
///
/// ```
/// use pilekit::api::{ReplayRequest, load_plan, replay};
///
/// let plan = load_plan(
///     r#"{"family": "fixed_block", "price_yuan": 1, "block_min": 240, "billed_by": "minute"}"#,
/// )?;
/// let log = "# nothing but a comment\nnot a line\n";
/// let out = replay(log, &plan, &ReplayRequest::default());
/// assert!(out.sessions.is_empty());
/// assert_eq!(out.anomalies[0].line, 2);
/// assert_eq!(out.anomalies[0].kind, "malformed_line");
/// # Ok::<(), pilekit::api::Error>(())
/// ```
pub fn replay(log: &str, plan: &Plan, request: &ReplayRequest) -> Replay {
    let config = Config {
        offline_after: [Seconds(u32::MAX); 3],
        full: None,
        unplugged: None,
        pile_start_limit: None,
        budget: None,
        ..Config::default()
    };
    let mut r = Replayer {
        plan,
        station: Station::new(config, plan.clone()),
        request: *request,
        connections: BTreeMap::new(),
        link_piles: BTreeMap::new(),
        open: BTreeMap::new(),
        last: None,
        out: Replay {
            sessions: Vec::new(),
            open: Vec::new(),
            anomalies: Vec::new(),
            lines: 0,
        },
    };
    let mut lines = 0;
    for (i, text) in log.lines().enumerate() {
        lines = i + 1;
        r.line(lines, text);
    }
    // bytes the links still hold at the end of the log: a frame cut short, a bad frame
    if let Some(end) = r.last {
        let links: Vec<LinkId> = r.connections.values().map(|c| c.link).collect();
        for link in links {
            r.station.finish_link(link, end);
            r.drain(lines);
        }
    }
    r.out.anomalies.sort_by_key(|f| f.line);
    let mut open: Vec<OpenSession> = r.open.into_values().collect();
    open.sort_by_key(|o| o.line);
    r.out.open = open;
    r.out.lines = lines;
    r.out
}

/// The replay as a person reads it: a count line, one line per settled session (pile, port,
/// order, start and end in the plan's UTC offset, duration, energy, stop reason, the bill's
/// total with its electricity and service subtotals), one per open session and one per
/// finding.
pub fn replay_text(replay: &Replay, plan: &Plan) -> String {
    let mut text = format!(
        "{} session(s) settled, {} open, {} anomal{} in {} line(s)\n",
        replay.sessions.len(),
        replay.open.len(),
        replay.anomalies.len(),
        if replay.anomalies.len() == 1 {
            "y"
        } else {
            "ies"
        },
        replay.lines
    );
    for s in &replay.sessions {
        text.push_str(&session_line(s, plan));
        text.push('\n');
    }
    for o in &replay.open {
        text.push_str(&format!(
            "open     pile {} port {} order {}  since {} (line {}): no settlement in the log\n",
            o.pile,
            o.port,
            o.order,
            o.started.at_offset(plan.utc_offset),
            o.line
        ));
    }
    for f in &replay.anomalies {
        text.push_str(&format!("anomaly  line {}: {}", f.line, f.kind));
        if let Some(p) = &f.pile {
            text.push_str(&format!(" pile {p}"));
        }
        if let Some(p) = f.port {
            text.push_str(&format!(" port {p}"));
        }
        if let Some(o) = f.offset {
            text.push_str(&format!(" at byte {o}"));
        }
        text.push_str(&format!(": {}\n", f.message));
    }
    text
}

/// `2h31m29s`, or `4m05s` under an hour.
fn duration_text(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}h{m:02}m{s:02}s")
    } else {
        format!("{m}m{s:02}s")
    }
}

fn session_line(s: &SessionRecord, plan: &Plan) -> String {
    let offset = plan.utc_offset;
    let bill = match &s.bill {
        Some(b) => format!(
            "{} yuan (electricity {}, service {})",
            yuan(b.total),
            yuan(b.sum_of(LineKind::Electricity)),
            yuan(b.sum_of(LineKind::Service)),
        ),
        None => format!(
            "no bill: {}",
            s.bill_error
                .as_deref()
                .unwrap_or("the plan cannot price it")
        ),
    };
    format!(
        "session  pile {} port {} order {}  {} → {}  {}  {}  {}  {}",
        s.pile,
        s.port,
        s.order,
        s.started.at_offset(offset),
        s.ended.at_offset(offset),
        duration_text(s.duration.0),
        s.energy,
        s.stop.cause,
        bill
    )
}
