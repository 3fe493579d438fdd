//! The [`Station`]: many piles, their links, ports, sessions, ledger and timers.

use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BTreeSet, VecDeque};
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::config::{BudgetPolicy, Config};
use super::links::Links;
use super::notify::{
    Anomaly, LinkFault, LinkId, Notification, Origin, SessionError, SessionRecord, StartLimit,
    StartRefusal, StartRequest,
};
use super::port::{Input, Phase, next};
use super::samples::Samples;
use super::table::Table;
use crate::codec::stream::{DialectChoice, StreamDecoder, StreamItem};
use crate::codec::{DecodeOptions, Dialect};
use crate::model::{
    Adapter, AlarmKind, AnyAdapter, CardId, ChargeLimit, LocalStart, MeterSample, OrderRef,
    PileCommand, PileEvent, PileId, PortNo, PortStatus, RawCode, ReplyTo, Settlement, StartCharge,
    StartOutcome, StopCause, StopReason, Uplink,
};
use crate::tariff::{Limit, Payment, Plan, PlanHistory, Sample, Usage};
use crate::time::Timestamp;
use crate::units::{Energy, Money, Power, Seconds};

/// Bytes for a link.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Transmit {
    /// The link to write them to.
    pub link: LinkId,
    /// The bytes (one frame).
    pub bytes: Vec<u8>,
}

/// One connection: its stream decoder, the adapter of its dialect (once known) and the piles it
/// speaks for.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
struct Link {
    decoder: StreamDecoder,
    adapter: Option<AnyAdapter>,
    /// Piles this link claimed while another link held them (flagged once each).
    flagged: Vec<PileId>,
}

/// A plan version that takes effect later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
struct ScheduledPlan {
    /// When it takes effect (Unix seconds).
    valid_from: i64,
    /// The pile it is for (`None`: the default plan).
    pile: Option<PileId>,
    /// The station's plan version.
    version: u32,
}

/// A charge on a port.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
struct Session {
    order: OrderRef,
    origin: Origin,
    plan_version: u32,
    requested: Timestamp,
    started: Option<Timestamp>,
    /// When the start must have been answered.
    start_deadline: Option<Timestamp>,
    /// The station's own limits, enforced whatever the pile does.
    time_cap: Option<Seconds>,
    energy_cap: Option<Energy>,
    energy: Energy,
    peak: Power,
    power: Power,
    /// The pile's elapsed-time counter of the last sample applied.
    last_elapsed: Option<Seconds>,
    last_sample: Option<Timestamp>,
    samples: Samples,
    stale: bool,
    /// Why the station stopped it, if it did.
    stop: Option<StopReason>,
    below_full_since: Option<Timestamp>,
    below_unplug_since: Option<Timestamp>,
    /// The card the platform named in the start, for a monthly card's uses per day.
    #[cfg_attr(feature = "serde", serde(default))]
    card: Option<CardId>,
}

impl Session {
    /// A session requested at `now`, not started, without limits or samples.
    fn new(order: OrderRef, origin: Origin, plan_version: u32, now: Timestamp) -> Self {
        Session {
            order,
            origin,
            plan_version,
            requested: now,
            started: None,
            start_deadline: None,
            time_cap: None,
            energy_cap: None,
            energy: Energy::ZERO,
            peak: Power::ZERO,
            power: Power::ZERO,
            last_elapsed: None,
            last_sample: None,
            samples: Samples::Empty,
            stale: false,
            stop: None,
            below_full_since: None,
            below_unplug_since: None,
            card: None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
struct Port {
    phase: Phase,
    status: Option<PortStatus>,
    power: Power,
    /// Boxed: an idle port costs a pointer, not a whole session.
    session: Option<Box<Session>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
struct Pile {
    link: Option<LinkId>,
    online: bool,
    last_seen: Timestamp,
    ports: Vec<Port>,
    /// YKC: the pile confirmed (or was sent) the station's billing model.
    model_confirmed: bool,
    /// A smoke, fire or water alarm stopped the pile; starts are refused until it is cleared.
    safety_alarm: bool,
    /// The site's fire-control host named the pile.
    site_alarm: bool,
    /// The orders settled recently, newest last.
    settled: VecDeque<(PortNo, OrderRef)>,
    /// The deadline registered in the station's timers.
    deadline: Option<i64>,
}

impl Pile {
    fn new(now: Timestamp) -> Self {
        Pile {
            link: None,
            online: false,
            last_seen: now,
            ports: Vec::new(),
            model_confirmed: false,
            safety_alarm: false,
            site_alarm: false,
            settled: VecDeque::new(),
            deadline: None,
        }
    }

    fn port_mut(&mut self, port: PortNo) -> &mut Port {
        if self.ports.len() <= port.index() {
            self.ports.resize_with(port.index() + 1, Port::default);
        }
        &mut self.ports[port.index()]
    }

    fn load(&self, expected: Power) -> Power {
        self.ports
            .iter()
            .filter(|p| p.phase.is_busy())
            .map(|p| {
                if p.phase == Phase::Starting || p.power.0 == 0 {
                    expected
                } else {
                    p.power
                }
            })
            .fold(Power::ZERO, Power::saturating_add)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
struct Queued {
    pile: PileId,
    port: PortNo,
    request: StartRequest,
    since: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
struct Outgoing {
    pile: PileId,
    command: PileCommand,
    reply_to: ReplyTo,
}

/// A sans-IO engine for many piles: every socket's session from plug-in to settled receipt.
///
/// # Call order
///
/// 1. [`connect`](Self::connect) when a pile opens a TCP connection; keep the [`LinkId`].
/// 2. [`handle_bytes`](Self::handle_bytes) with whatever the connection delivers (half frames,
///    several frames, a 4G module's ICCID); or [`handle_event`](Self::handle_event) for callers
///    that decode themselves.
/// 3. After every call, drain [`poll_transmit`](Self::poll_transmit) (write each to its link),
///    and [`poll_notification`](Self::poll_notification).
/// 4. Ask [`poll_timeout`](Self::poll_timeout) when to call [`handle_timeout`](Self::handle_timeout)
///    next (offline detection, start timeouts, limits, full and unplug detection).
/// 5. [`disconnect`](Self::disconnect) when the connection closes.
///
/// The platform starts and stops charges with [`start`](Self::start) and [`stop`](Self::stop),
/// answers card swipes with [`answer_card`](Self::answer_card), sets prices with
/// [`set_plan`](Self::set_plan) and feeds the site's fire-control host with
/// [`site_alarm`](Self::site_alarm). The station never reads a clock: every call takes `now`.
///
/// What it guarantees: every acknowledgement a dialect expects is sent; a settlement is billed
/// once per (pile, port, order) however often it is resent; a session is never closed without
/// its settlement (a pile that falls silent keeps its sessions open, marked stale); a pile
/// belongs to one link at a time.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Station {
    config: Config,
    /// Every plan ever set, by version; sessions keep the version valid at their start.
    plans: Vec<Plan>,
    default_plan: u32,
    pile_plans: BTreeMap<PileId, u32>,
    /// The plan of the sessions a monthly card pays (`None`: the pile's plan).
    #[cfg_attr(feature = "serde", serde(default))]
    card_plan: Option<u32>,
    /// Plan versions that take effect later, by the time they do.
    #[cfg_attr(feature = "serde", serde(default))]
    scheduled: Vec<ScheduledPlan>,
    /// The names of plan versions that came from a [`PlanHistory`], printed on their bills.
    #[cfg_attr(feature = "serde", serde(default))]
    plan_names: BTreeMap<u32, String>,
    /// Each monthly card's sessions on the local day of its last one: (day number, sessions).
    #[cfg_attr(feature = "serde", serde(default, with = "card_days"))]
    card_days: BTreeMap<CardId, (i64, u32)>,
    piles: Table<Pile>,
    links: Links<Link>,
    next_link: u64,
    timers: BTreeSet<(i64, PileId)>,
    queue: VecDeque<Queued>,
    #[cfg_attr(feature = "serde", serde(skip))]
    outgoing: Vec<Outgoing>,
    transmits: VecDeque<Transmit>,
    notifications: VecDeque<Notification>,
    #[cfg_attr(feature = "serde", serde(skip))]
    scratch: Vec<Uplink>,
    /// The commands of the call being handled, encoded by `flush`.
    #[cfg_attr(feature = "serde", serde(skip))]
    spare: Vec<Outgoing>,
    /// Whether the event being handled may have moved a deadline earlier.
    #[cfg_attr(feature = "serde", serde(skip))]
    dirty: bool,
    /// Each pile's part of the site's load when last counted, by its position in `piles`, and
    /// their sum: kept up to date pile by pile once a power budget needs it.
    #[cfg_attr(feature = "serde", serde(skip))]
    loads: Vec<Power>,
    #[cfg_attr(feature = "serde", serde(skip))]
    load_total: Power,
    #[cfg_attr(feature = "serde", serde(skip))]
    loads_counted: bool,
}

/// A stop the station decides for a pile of `dialect`: no pile sent a code, so the raw code is 0
/// (in a settlement the pile's own code replaces it).
fn stop(dialect: Dialect, cause: StopCause) -> StopReason {
    StopReason {
        cause,
        raw: RawCode::new(dialect, 0),
    }
}

impl Station {
    /// A station billing with `plan` (version 0) unless a pile has its own.
    pub fn new(config: Config, plan: Plan) -> Self {
        Station {
            config,
            plans: alloc::vec![plan],
            default_plan: 0,
            pile_plans: BTreeMap::new(),
            card_plan: None,
            scheduled: Vec::new(),
            plan_names: BTreeMap::new(),
            card_days: BTreeMap::new(),
            piles: Table::default(),
            links: Links::default(),
            next_link: 1,
            timers: BTreeSet::new(),
            queue: VecDeque::new(),
            outgoing: Vec::new(),
            transmits: VecDeque::new(),
            notifications: VecDeque::new(),
            scratch: Vec::new(),
            spare: Vec::new(),
            dirty: false,
            loads: Vec::new(),
            load_total: Power::ZERO,
            loads_counted: false,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Sets the plan for new sessions of `pile` (or of every pile without its own, for
    /// `None`), from now on; plan versions scheduled for it are dropped. Running sessions keep
    /// the plan they started with. Returns the plan's version. YKC piles online are sent the new
    /// billing model (0x58).
    pub fn set_plan(&mut self, pile: Option<PileId>, plan: Plan, now: Timestamp) -> u32 {
        let version = self.plans.len() as u32;
        self.plans.push(plan);
        self.scheduled.retain(|s| s.pile != pile);
        self.assign_plan(pile, version);
        self.flush(now);
        version
    }

    /// Sets the versions of a plan for `pile` (or for every pile without its own, for `None`),
    /// each for the sessions that start from its `valid_from` on: the version valid now takes
    /// effect at once, later ones when their time comes (they count in
    /// [`poll_timeout`](Self::poll_timeout), and YKC piles online are sent each new billing
    /// model then). A session is billed by the version valid at its start, and its bill names
    /// the version. Versions scheduled earlier for the same piles are dropped. Returns the
    /// station's version number of each history version, in order.
    pub fn set_plan_history(
        &mut self,
        pile: Option<PileId>,
        history: &PlanHistory,
        now: Timestamp,
    ) -> Vec<u32> {
        self.scheduled.retain(|s| s.pile != pile);
        let mut current = None;
        let mut versions = Vec::with_capacity(history.versions().len());
        for v in history.versions() {
            let version = self.plans.len() as u32;
            self.plans.push(v.plan.clone());
            self.plan_names.insert(version, v.version.clone());
            versions.push(version);
            if v.valid_from <= now.unix() {
                current = Some(version);
            } else {
                let at = self
                    .scheduled
                    .partition_point(|s| s.valid_from <= v.valid_from);
                self.scheduled.insert(
                    at,
                    ScheduledPlan {
                        valid_from: v.valid_from,
                        pile,
                        version,
                    },
                );
            }
        }
        if let Some(version) = current {
            self.assign_plan(pile, version);
        }
        self.flush(now);
        versions
    }

    /// Puts into effect the scheduled plan versions whose time has come.
    fn apply_scheduled_plans(&mut self, now: Timestamp) {
        while let Some(s) = self.scheduled.first().copied() {
            if s.valid_from > now.unix() {
                break;
            }
            self.scheduled.remove(0);
            self.assign_plan(s.pile, s.version);
        }
    }

    /// Makes `version` the plan of new sessions of `pile` (or the default) and sends YKC piles
    /// online their new billing model.
    fn assign_plan(&mut self, pile: Option<PileId>, version: u32) {
        match pile {
            Some(p) => {
                self.pile_plans.insert(p, version);
            }
            None => self.default_plan = version,
        }
        let targets: Vec<PileId> = self
            .piles
            .iter()
            .filter(|(id, p)| {
                p.online && id.dialect() == Dialect::Ykc && pile.is_none_or(|want| want == **id)
            })
            .map(|(id, _)| *id)
            .collect();
        for id in targets {
            let plan_version = self.plan_version(&id);
            self.command(
                id,
                PileCommand::SendPlan {
                    plan: Box::new(self.plans[plan_version as usize].clone()),
                    model_number: model_number(plan_version),
                    as_reply: false,
                },
                ReplyTo::NONE,
            );
        }
    }

    /// Sets the plan of new sessions that a monthly card pays ([`Payment::MonthlyCard`]), on
    /// every pile: residents with a card and residents who pay per use share the sockets, and
    /// each session is billed under the plan of its payment. Returns the plan's version.
    pub fn set_card_plan(&mut self, plan: Plan) -> u32 {
        let version = self.plans.len() as u32;
        self.plans.push(plan);
        self.card_plan = Some(version);
        version
    }

    fn plan_version(&self, pile: &PileId) -> u32 {
        self.pile_plans
            .get(pile)
            .copied()
            .unwrap_or(self.default_plan)
    }

    /// The plan of a version.
    pub fn plan(&self, version: u32) -> Option<&Plan> {
        self.plans.get(version as usize)
    }

    /// A new link, for a new connection.
    pub fn connect(&mut self, now: Timestamp) -> LinkId {
        self.connect_with(DialectChoice::Auto, now)
    }

    /// A new link whose frames are read as `choice` says (a fixed dialect, or detected from
    /// the first frame as [`connect`](Self::connect) does).
    pub fn connect_with(&mut self, choice: DialectChoice, _now: Timestamp) -> LinkId {
        let id = LinkId(self.next_link);
        self.next_link += 1;
        self.links.insert(
            id,
            Link {
                decoder: StreamDecoder::with_choice(choice, DecodeOptions::LENIENT),
                adapter: None,
                flagged: Vec::new(),
            },
        );
        id
    }

    /// The links open (connected and not disconnected). A station restored from a snapshot
    /// after its process restarted holds the links of connections that are gone: disconnect
    /// them before the piles reconnect, or a pile's new link is taken for an impersonator.
    pub fn links(&self) -> impl Iterator<Item = LinkId> + '_ {
        self.links.keys().copied()
    }

    /// The connection of `link` closed: its piles go offline (their sessions stay open, stale).
    pub fn disconnect(&mut self, link: LinkId, now: Timestamp) {
        if !self.links.contains_key(&link) {
            return;
        }
        self.finish_link(link, now);
        self.links.remove(&link);
        let ids: Vec<PileId> = self
            .piles
            .iter()
            .filter(|(_, p)| p.link == Some(link))
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            if let Some(p) = self.piles.get_mut(&id) {
                p.link = None;
            }
            self.go_offline(id, now);
        }
    }

    /// Bytes from a link, in any chunking.
    pub fn handle_bytes(&mut self, link: LinkId, bytes: &[u8], now: Timestamp) {
        self.read_link(link, Some(bytes), now);
    }

    /// Ends a link's byte stream: the bytes its decoder still holds are scanned once more, the
    /// frames in them are handled and the rest is reported ([`Anomaly::BadFrame`], e.g. a frame
    /// cut short). [`disconnect`](Self::disconnect) does this first; call it alone to read what
    /// a finished capture left over while keeping the link.
    pub fn finish_link(&mut self, link: LinkId, now: Timestamp) {
        self.read_link(link, None, now);
    }

    /// Feeds `bytes` to the link's decoder (`None`: finishes its stream), then handles what it
    /// read.
    fn read_link(&mut self, link: LinkId, bytes: Option<&[u8]>, now: Timestamp) {
        self.apply_scheduled_plans(now);
        let Some(l) = self.links.get_mut(&link) else {
            return;
        };
        let mut events = core::mem::take(&mut self.scratch);
        let mut faults = Vec::new();
        let adapter = &mut l.adapter;
        let mut sink = |item: &StreamItem| {
            if let Some(fault) = read_item(item, adapter, &mut events, link) {
                faults.push(fault);
            }
        };
        match bytes {
            Some(bytes) => l.decoder.feed(bytes, &mut sink),
            None => l.decoder.finish(&mut sink),
        }
        for (anomaly, fault) in faults {
            self.fault(anomaly, fault, now);
        }
        for up in events.drain(..) {
            self.uplink(link, up, now);
        }
        self.scratch = events;
        self.flush(now);
    }

    /// An event of a pile on `link`, for callers that decode and adapt frames themselves.
    pub fn handle_event(&mut self, link: LinkId, uplink: Uplink, now: Timestamp) {
        self.apply_scheduled_plans(now);
        let Some(l) = self.links.get_mut(&link) else {
            return;
        };
        if l.adapter.is_none() {
            l.adapter = Some(AnyAdapter::new(uplink.pile.dialect()));
        }
        self.uplink(link, uplink, now);
        self.flush(now);
    }

    /// Bytes to write to a link, in order.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// The next notification.
    pub fn poll_notification(&mut self) -> Option<Notification> {
        self.notifications.pop_front()
    }

    /// When to call [`handle_timeout`](Self::handle_timeout) next.
    pub fn poll_timeout(&self) -> Option<Timestamp> {
        let pile = self.timers.first().map(|&(t, _)| t);
        let queued = self
            .queue
            .front()
            .map(|q| q.since.unix() + i64::from(self.config.start_timeout.0));
        let plan = self.scheduled.first().map(|s| s.valid_from);
        [pile, queued, plan]
            .into_iter()
            .flatten()
            .min()
            .and_then(Timestamp::from_unix)
    }

    /// Runs what is due at `now`: offline piles, unanswered starts, limits, full and unplug
    /// detection, queued starts that waited too long.
    pub fn handle_timeout(&mut self, now: Timestamp) {
        self.apply_scheduled_plans(now);
        while let Some(&(t, id)) = self.timers.first() {
            if t > now.unix() {
                break;
            }
            self.timers.pop_first();
            if let Some(p) = self.piles.get_mut(&id) {
                p.deadline = None;
            }
            self.check_pile(id, now);
            self.reschedule(id);
        }
        while let Some(q) = self.queue.front() {
            if q.since.unix() + i64::from(self.config.start_timeout.0) > now.unix() {
                break;
            }
            let q = self.queue.pop_front().expect("front exists");
            self.notify(Notification::StartRefused {
                pile: q.pile,
                port: q.port,
                order: q.request.order,
                refusal: StartRefusal::OverBudget,
                at: now,
            });
        }
        self.flush(now);
    }

    /// Starts a charge on a port. Refusals the station can see at once are returned (and not
    /// notified); the pile's own answer arrives later as a notification.
    pub fn start(
        &mut self,
        pile: PileId,
        port: PortNo,
        request: StartRequest,
        now: Timestamp,
    ) -> Result<(), SessionError> {
        self.apply_scheduled_plans(now);
        let refuse = |r| Err(SessionError::Refused(r));
        let Some(p) = self.piles.get(&pile) else {
            return Err(SessionError::UnknownPile(pile));
        };
        if !p.online || p.link.is_none() {
            return Err(SessionError::Offline(pile));
        }
        if p.safety_alarm || p.site_alarm {
            return refuse(StartRefusal::Alarm);
        }
        if pile.dialect() == Dialect::Ykc && !p.model_confirmed {
            return refuse(StartRefusal::BillingModelPending);
        }
        if let Some(port_state) = p.ports.get(port.index()) {
            if port_state.phase.is_busy() {
                return refuse(StartRefusal::PortBusy);
            }
            if matches!(
                port_state.status,
                Some(PortStatus::Fault | PortStatus::Disabled)
            ) {
                return refuse(StartRefusal::PortFault);
            }
        }
        let expected = self.config.expected_start_power;
        if let Some(limit) = self.config.pile_start_limit
            && p.load(expected).saturating_add(expected) > limit
        {
            return refuse(StartRefusal::PileOverPower);
        }
        if self.queue.iter().any(|q| q.pile == pile && q.port == port) {
            return refuse(StartRefusal::PortBusy);
        }
        if let Some(budget) = self.config.budget
            && self.counted_site_load().saturating_add(expected) > budget.limit
        {
            return match budget.policy {
                BudgetPolicy::Refuse => refuse(StartRefusal::OverBudget),
                BudgetPolicy::Queue => {
                    self.queue.push_back(Queued {
                        pile,
                        port,
                        request,
                        since: now,
                    });
                    self.notify(Notification::StartQueued {
                        pile,
                        port,
                        order: request.order,
                        at: now,
                    });
                    Ok(())
                }
            };
        }
        self.send_start(pile, port, request, now)
            .map_err(SessionError::Refused)?;
        self.reschedule(pile);
        self.flush(now);
        Ok(())
    }

    fn send_start(
        &mut self,
        pile: PileId,
        port: PortNo,
        request: StartRequest,
        now: Timestamp,
    ) -> Result<(), StartRefusal> {
        let plan_version = match (request.payment, self.card_plan) {
            (Payment::MonthlyCard { .. }, Some(card)) => card,
            _ => self.plan_version(&pile),
        };
        let plan = &self.plans[plan_version as usize];
        let max = self.config.max_session;
        let quote = |amount: Money| -> Result<(Option<Seconds>, Option<Energy>), StartRefusal> {
            match plan
                .quote(amount, None)
                .map_err(|_| StartRefusal::Plan)?
                .limit
            {
                Limit::Duration { duration } => Ok((Some(duration), None)),
                Limit::Energy { energy } => Ok((None, Some(energy))),
                _ => Ok((Some(max), None)),
            }
        };
        let (time_cap, energy_cap) = match request.limit {
            StartLimit::FromQuote => match request.payment {
                Payment::Prepaid { amount } => quote(amount)?,
                _ => (Some(max), None),
            },
            StartLimit::Money { amount } => quote(amount)?,
            StartLimit::UntilFull { cap } => (Some(cap), None),
            StartLimit::Duration { duration } => (Some(duration), None),
            StartLimit::Energy { energy } => (None, Some(energy)),
        };
        let time_cap = Some(time_cap.map_or(max, |t| Seconds(t.0.min(max.0))));
        let balance = match request.payment {
            Payment::Prepaid { amount } | Payment::Coins { amount } => Some(amount),
            _ => None,
        };
        // What the pile is told; the station enforces its own caps whatever the pile does.
        let limit = match (pile.dialect(), request.limit, energy_cap) {
            (Dialect::Ykc, StartLimit::Money { amount }, _) => ChargeLimit::Money { amount },
            (Dialect::Ykc, _, _) => ChargeLimit::Money {
                amount: balance.unwrap_or(Money::ZERO),
            },
            (Dialect::Juy, StartLimit::Money { amount }, _) => ChargeLimit::Money { amount },
            (_, _, Some(energy)) => ChargeLimit::Energy { energy },
            (_, StartLimit::UntilFull { .. }, _) => ChargeLimit::UntilFull,
            (_, _, None) => match time_cap {
                Some(duration) if duration != max => ChargeLimit::Time { duration },
                _ => ChargeLimit::UntilFull,
            },
        };
        let command = PileCommand::Start(StartCharge {
            port,
            order: request.order,
            limit,
            balance,
            card: request.card,
        });
        // Check the dialect can carry it before the port changes.
        if let Some(l) = self.pile_link_adapter(&pile)
            && l.clone().command(&pile, &command, ReplyTo::NONE).is_err()
        {
            return Err(StartRefusal::NotInDialect);
        }
        let start_timeout = self.config.start_timeout;
        let p = self.piles.get_mut(&pile).expect("checked by the caller");
        let port_state = p.port_mut(port);
        port_state.phase = next(port_state.phase, Input::StartSent).unwrap_or(Phase::Starting);
        let mut session = Session::new(
            request.order,
            Origin::Platform {
                payment: request.payment,
            },
            plan_version,
            now,
        );
        session.start_deadline = Some(add(now, start_timeout));
        session.time_cap = time_cap;
        session.energy_cap = energy_cap;
        session.card = request.card;
        port_state.session = Some(Box::new(session));
        self.command(pile, command, ReplyTo::NONE);
        Ok(())
    }

    fn pile_link_adapter(&self, pile: &PileId) -> Option<&AnyAdapter> {
        let link = self.piles.get(pile)?.link?;
        self.links.get(&link)?.adapter.as_ref()
    }

    /// Stops the charge on a port (the platform's or the resident's request).
    pub fn stop(&mut self, pile: PileId, port: PortNo, now: Timestamp) -> Result<(), SessionError> {
        let p = self
            .piles
            .get(&pile)
            .ok_or(SessionError::UnknownPile(pile))?;
        let busy = p
            .ports
            .get(port.index())
            .is_some_and(|s| s.session.is_some() && s.phase != Phase::Ending);
        if !busy {
            return Err(SessionError::NoSession { pile, port });
        }
        self.stop_port(pile, port, stop(pile.dialect(), StopCause::RemoteStop), now);
        self.reschedule(pile);
        self.flush(now);
        Ok(())
    }

    /// Answers a card swipe ([`Notification::CardSwipe`]).
    pub fn answer_card(
        &mut self,
        pile: PileId,
        port: Option<PortNo>,
        card: CardId,
        accepted: bool,
        balance: Money,
        now: Timestamp,
    ) {
        self.command(
            pile,
            PileCommand::AnswerCard {
                port,
                card,
                accepted,
                balance,
                order: None,
            },
            ReplyTo::NONE,
        );
        self.flush(now);
    }

    /// The site's fire-control host raised (or, with `active` false, cleared) an alarm for a
    /// group of piles: every port of them stops at once and starts are refused there until it
    /// is cleared.
    pub fn site_alarm(&mut self, piles: &[PileId], active: bool, now: Timestamp) {
        for &id in piles {
            let Some(p) = self.piles.get_mut(&id) else {
                continue;
            };
            p.site_alarm = active;
            if active {
                self.stop_all(id, stop(id.dialect(), StopCause::FireLinkage), now);
                self.notify(Notification::Alarm {
                    pile: id,
                    port: None,
                    kind: AlarmKind::Fire,
                    stopped_all: true,
                    at: now,
                });
            }
            self.reschedule(id);
        }
        self.flush(now);
    }

    /// Clears a pile's safety alarm (smoke, fire, water) after an operator checked it: starts
    /// are allowed again.
    pub fn clear_alarm(&mut self, pile: PileId) {
        if let Some(p) = self.piles.get_mut(&pile) {
            p.safety_alarm = false;
        }
    }

    /// Whether the station knows the pile and it is online.
    pub fn is_online(&self, pile: &PileId) -> bool {
        self.piles.get(pile).is_some_and(|p| p.online)
    }

    /// The piles the station knows.
    pub fn piles(&self) -> impl Iterator<Item = &PileId> {
        self.piles.keys()
    }

    /// The phase of a port, and whether its session's live data is stale.
    pub fn port_phase(&self, pile: &PileId, port: PortNo) -> Option<(Phase, bool)> {
        let p = self.piles.get(pile)?.ports.get(port.index())?;
        Some((p.phase, p.session.as_ref().is_some_and(|s| s.stale)))
    }

    /// The number of sessions open (from start to settlement).
    pub fn open_sessions(&self) -> usize {
        self.piles
            .values()
            .flat_map(|p| &p.ports)
            .filter(|p| p.session.is_some())
            .count()
    }

    /// The power the site draws now (busy ports without a reading count as the expected
    /// start power). Once a power budget has been checked, the station keeps the sum up to date
    /// as piles change, so this costs only the piles changed since the last call.
    pub fn site_load(&self) -> Power {
        let expected = self.config.expected_start_power;
        if !self.loads_counted {
            return self
                .piles
                .values()
                .map(|p| p.load(expected))
                .fold(Power::ZERO, Power::saturating_add);
        }
        let mut total = self.load_total.0;
        let mut seen: Vec<u32> = Vec::new();
        for &i in self.piles.touched() {
            if seen.contains(&i) {
                continue;
            }
            seen.push(i);
            let old = self.loads.get(i as usize).copied().unwrap_or(Power::ZERO);
            total += self.piles.at(i as usize).load(expected).0 - old.0;
        }
        Power(total)
    }

    /// The site's load, counting it from scratch the first time and then only the piles
    /// changed since.
    fn counted_site_load(&mut self) -> Power {
        if !self.loads_counted {
            let expected = self.config.expected_start_power;
            self.loads = self.piles.values().map(|p| p.load(expected)).collect();
            self.load_total = Power(self.loads.iter().map(|l| l.0).sum());
            self.loads_counted = true;
            self.piles.clear_touched();
        }
        self.count_changed_loads();
        debug_assert_eq!(
            self.load_total,
            Power(
                self.piles
                    .values()
                    .map(|p| p.load(self.config.expected_start_power).0)
                    .sum()
            ),
            "the site's load kept pile by pile equals the load counted from scratch"
        );
        self.load_total
    }

    /// Brings the load of the piles changed since the last count into the site's total.
    fn count_changed_loads(&mut self) {
        if self.loads_counted {
            let expected = self.config.expected_start_power;
            if self.loads.len() < self.piles.len() {
                self.loads.resize(self.piles.len(), Power::ZERO);
            }
            for &i in self.piles.touched() {
                let i = i as usize;
                let new = self.piles.at(i).load(expected);
                self.load_total = Power(self.load_total.0 - self.loads[i].0 + new.0);
                self.loads[i] = new;
            }
        }
        self.piles.clear_touched();
    }

    // ---- events --------------------------------------------------------------------------

    fn uplink(&mut self, link: LinkId, up: Uplink, now: Timestamp) {
        let id = up.pile;
        let p = self.piles.get_or_insert_with(id, || Pile::new(now));
        if let Some(holder) = p.link
            && holder != link
            && p.online
            && self.links.contains_key(&holder)
        {
            let l = self.links.get_mut(&link).expect("the link exists");
            if !l.flagged.contains(&id) {
                l.flagged.push(id);
                self.notify(Notification::Impersonation {
                    pile: id,
                    link,
                    holder,
                    at: now,
                });
            }
            return;
        }
        p.link = Some(link);
        p.last_seen = now;
        // Samples, heartbeats and port statuses never reschedule, so after them the pile's
        // deadline is the one it had before (the other events reschedule anyway).
        let no_deadline = p.deadline.is_none();
        if !p.online {
            p.online = true;
            for s in p.ports.iter_mut().filter_map(|s| s.session.as_mut()) {
                s.stale = false;
            }
            self.notify(Notification::PileOnline {
                pile: id,
                link,
                at: now,
            });
        }
        // Samples and heartbeats rarely move a deadline earlier; they mark it when they do.
        let always = !matches!(
            up.event,
            PileEvent::MeterSample { .. }
                | PileEvent::Heartbeat { .. }
                | PileEvent::PortStatus { .. }
        );
        self.dirty = false;
        self.event(id, up.event, up.reply_to, now);
        if always || self.dirty || no_deadline {
            self.reschedule(id);
        }
    }

    fn event(&mut self, id: PileId, event: PileEvent, reply_to: ReplyTo, now: Timestamp) {
        match event {
            PileEvent::LoggedIn(info) => {
                let p = self.piles.get_mut(&id).expect("known");
                if let Some(n) = info.ports.and_then(PortNo::new) {
                    p.port_mut(n);
                }
                p.model_confirmed = false;
                self.command(
                    id,
                    PileCommand::AckLogin {
                        accepted: true,
                        now: Some(now),
                        heartbeat_interval_s: Some(self.config.juy_heartbeat),
                    },
                    reply_to,
                );
                if id.dialect() == Dialect::Ykc {
                    self.command(id, PileCommand::SyncClock { now }, ReplyTo::NONE);
                }
            }
            PileEvent::Heartbeat { port } => {
                self.command(id, PileCommand::AckHeartbeat { port }, reply_to);
            }
            PileEvent::ClockRequest => self.command(id, PileCommand::SyncClock { now }, reply_to),
            PileEvent::BillingModelRequest { current } => {
                let version = self.plan_version(&id);
                let number = model_number(version);
                let command = match current {
                    Some(n) => {
                        let same = n == number;
                        self.piles.get_mut(&id).expect("known").model_confirmed = same;
                        PileCommand::AnswerModelCheck {
                            model_number: number,
                            current: same,
                        }
                    }
                    None => {
                        self.piles.get_mut(&id).expect("known").model_confirmed = true;
                        PileCommand::SendPlan {
                            plan: Box::new(self.plans[version as usize].clone()),
                            model_number: number,
                            as_reply: true,
                        }
                    }
                };
                self.command(id, command, reply_to);
            }
            PileEvent::CommandResult {
                command: 0x57,
                ok: true,
            } => {
                self.piles.get_mut(&id).expect("known").model_confirmed = true;
            }
            PileEvent::PortStatus { port, status, .. } => self.port_status(id, port, status, now),
            PileEvent::MeterSample { port, sample } => self.sample(id, port, &sample, now),
            PileEvent::StartResult {
                port,
                order,
                outcome,
            } => self.start_result(id, port, order, outcome, now),
            PileEvent::StopResult {
                port,
                order,
                stopped: true,
            } => self.stop_confirmed(id, port, order, now),
            PileEvent::StopResult { .. } => {}
            PileEvent::LocalStart {
                port,
                order,
                by,
                paid,
            } => self.local_start(id, port, order, by, paid, reply_to, now),
            PileEvent::Settlement { port, settlement } => {
                self.settlement(id, port, settlement, reply_to, now)
            }
            PileEvent::Alarm { port, kind, .. } => {
                let critical = kind.is_safety_critical();
                if critical {
                    self.piles.get_mut(&id).expect("known").safety_alarm = true;
                    let cause = match kind {
                        AlarmKind::Smoke => StopCause::Smoke,
                        AlarmKind::Water => StopCause::Water,
                        AlarmKind::Heat => StopCause::OverTemperature,
                        _ => StopCause::FireLinkage,
                    };
                    self.stop_all(id, stop(id.dialect(), cause), now);
                }
                self.notify(Notification::Alarm {
                    pile: id,
                    port,
                    kind,
                    stopped_all: critical,
                    at: now,
                });
            }
            PileEvent::CardAuthRequest { port, card, .. } => {
                self.notify(Notification::CardSwipe {
                    pile: id,
                    port,
                    card,
                    at: now,
                });
            }
            _ => {}
        }
    }

    fn port_status(&mut self, id: PileId, port: PortNo, status: PortStatus, now: Timestamp) {
        let p = self.piles.get_mut(&id).expect("known");
        let s = p.port_mut(port);
        s.status = Some(status);
        let input = match status {
            PortStatus::Float => Some(Input::FloatSeen),
            PortStatus::Full => Some(Input::FullSeen),
            PortStatus::Charging if matches!(s.phase, Phase::Float | Phase::Full) => {
                Some(Input::PowerAgain)
            }
            _ => None,
        };
        if let Some(input) = input {
            self.transition(id, port, input, now);
        }
    }

    fn transition(&mut self, id: PileId, port: PortNo, input: Input, now: Timestamp) {
        let p = self.piles.get_mut(&id).expect("known");
        let s = p.port_mut(port);
        let Some(to) = next(s.phase, input) else {
            return;
        };
        s.phase = to;
        self.dirty = true;
        if input == Input::FullSeen
            && let Some(session) = &s.session
        {
            let order = session.order;
            self.notify(Notification::ChargingFull {
                pile: id,
                port,
                order,
                at: now,
            });
        }
    }

    fn sample(&mut self, id: PileId, port: PortNo, sample: &MeterSample, now: Timestamp) {
        let config_full = self.config.full;
        let config_unplug = self.config.unplugged;
        let float_permille = i64::from(self.config.float_permille);
        let p = self.piles.get_mut(&id).expect("known");
        let settled = sample
            .order
            .is_some_and(|o| p.settled.iter().any(|&(sp, so)| sp == port && so == o));
        let s = p.port_mut(port);
        if let Some(power) = sample.power {
            s.power = power;
        }
        let Some(session) = s.session.as_mut() else {
            let anomaly = if settled {
                Some(Anomaly::SampleAfterSettlement)
            } else if sample.power.is_some_and(|w| w.0 > 0) {
                Some(Anomaly::SampleWithoutSession)
            } else {
                None
            };
            if let Some(a) = anomaly {
                self.anomaly(Some(id), Some(port), a, now);
            }
            return;
        };
        if sample.order.is_some_and(|o| o != session.order) {
            let a = if settled {
                Anomaly::SampleAfterSettlement
            } else {
                Anomaly::SampleWithoutSession
            };
            self.anomaly(Some(id), Some(port), a, now);
            return;
        }
        if let (Some(el), Some(last)) = (sample.elapsed, session.last_elapsed) {
            if el.0 < last.0 {
                self.anomaly(Some(id), Some(port), Anomaly::SampleOutOfOrder, now);
                return;
            }
            if el == last {
                return; // a duplicate
            }
        }
        if let Some(e) = sample.energy {
            if e < session.energy {
                self.anomaly(Some(id), Some(port), Anomaly::SampleOutOfOrder, now);
                return;
            }
            session.energy = e;
        }
        session.last_elapsed = sample.elapsed.or(session.last_elapsed);
        session.last_sample = Some(now);
        session.stale = false;
        let power = sample.power.unwrap_or(session.power);
        session.power = power;
        session.peak = session.peak.max(power);
        if sample.power.is_some() && session.samples.last().is_none_or(|l| l.power != power) {
            session.samples.push(Sample {
                at: now.unix(),
                power,
                energy: sample.energy,
            });
        }
        // detection from the power
        let below =
            |hold: Option<crate::session::PowerHold>, since: &mut Option<Timestamp>| match hold {
                Some(h) if power < h.below => {
                    let t = *since.get_or_insert(now);
                    now.unix() - t.unix() >= i64::from(h.hold.0)
                }
                _ => {
                    *since = None;
                    false
                }
            };
        let charging = session.started.is_some();
        let was = (session.below_unplug_since, session.below_full_since);
        let unplugged = charging && below(config_unplug, &mut session.below_unplug_since);
        let full = charging && below(config_full, &mut session.below_full_since);
        if (was.0.is_none() && session.below_unplug_since.is_some())
            || (was.1.is_none() && session.below_full_since.is_some())
        {
            self.dirty = true;
        }
        let float = charging
            && session.peak.0 > 0
            && power.0 * 1000 < session.peak.0 * float_permille
            && config_full.is_none_or(|h| power >= h.below);
        let over_energy = session.energy_cap.is_some_and(|cap| session.energy >= cap);
        let mut phase = s.phase;
        if phase == Phase::Starting && power.0 > 0 {
            // The pile charges before its answer arrived (frames cross on the wire).
            self.accept_start(id, port, now);
            phase = self.piles[&id].ports[port.index()].phase;
        }
        if phase.is_charging() {
            if over_energy {
                self.stop_port(id, port, stop(id.dialect(), StopCause::EnergyLimit), now);
            } else if unplugged {
                self.stop_port(id, port, stop(id.dialect(), StopCause::Unplugged), now);
            } else if full {
                self.transition(id, port, Input::FullSeen, now);
                self.stop_port(id, port, stop(id.dialect(), StopCause::BatteryFull), now);
            } else if float && phase == Phase::Charging {
                self.transition(id, port, Input::FloatSeen, now);
            } else if !float
                && matches!(phase, Phase::Float | Phase::Full)
                && config_full.is_none_or(|h| power >= h.below)
            {
                self.transition(id, port, Input::PowerAgain, now);
            }
        }
        if sample.status == Some(PortStatus::Full) {
            self.transition(id, port, Input::FullSeen, now);
        }
    }

    fn accept_start(&mut self, id: PileId, port: PortNo, now: Timestamp) {
        let p = self.piles.get_mut(&id).expect("known");
        let s = p.port_mut(port);
        let Some(session) = s.session.as_mut() else {
            return;
        };
        if s.phase != Phase::Starting {
            return;
        }
        s.phase = Phase::Charging;
        session.started = Some(now);
        session.start_deadline = None;
        self.dirty = true;
        let (order, origin) = (session.order, session.origin);
        self.notify(Notification::SessionStarted {
            pile: id,
            port,
            order,
            origin,
            at: now,
        });
    }

    fn start_result(
        &mut self,
        id: PileId,
        port: PortNo,
        order: Option<OrderRef>,
        outcome: StartOutcome,
        now: Timestamp,
    ) {
        let p = self.piles.get_mut(&id).expect("known");
        let s = p.port_mut(port);
        let matches = s
            .session
            .as_ref()
            .is_some_and(|sess| order.is_none_or(|o| o == sess.order));
        if !matches {
            self.anomaly(Some(id), Some(port), Anomaly::UnexpectedStartResult, now);
            return;
        }
        match outcome {
            StartOutcome::Started => {
                if s.phase == Phase::Starting {
                    self.accept_start(id, port, now);
                }
            }
            StartOutcome::Refused { refusal, raw } => {
                if s.phase != Phase::Starting {
                    self.anomaly(Some(id), Some(port), Anomaly::UnexpectedStartResult, now);
                    return;
                }
                let session = s.session.take().expect("matched");
                s.phase = next(s.phase, Input::StartRefused).unwrap_or(Phase::Idle);
                self.notify(Notification::StartRefused {
                    pile: id,
                    port,
                    order: session.order,
                    refusal: StartRefusal::Pile { refusal, raw },
                    at: now,
                });
                self.run_queue(now);
            }
        }
    }

    /// The pile confirmed a stop. A session that never started charging ends here, without a
    /// settlement (there is nothing to settle); one that charged waits for its settlement.
    fn stop_confirmed(
        &mut self,
        id: PileId,
        port: PortNo,
        order: Option<OrderRef>,
        now: Timestamp,
    ) {
        let p = self.piles.get_mut(&id).expect("known");
        let s = p.port_mut(port);
        let cancel = s
            .session
            .as_ref()
            .is_some_and(|sess| sess.started.is_none() && order.is_none_or(|o| o == sess.order));
        if !cancel {
            return;
        }
        let session = s.session.take().expect("checked");
        s.phase = next(s.phase, Input::Settled).unwrap_or(Phase::Idle);
        self.notify(Notification::StartRefused {
            pile: id,
            port,
            order: session.order,
            refusal: StartRefusal::Cancelled,
            at: now,
        });
        self.run_queue(now);
    }

    #[allow(clippy::too_many_arguments)]
    fn local_start(
        &mut self,
        id: PileId,
        port: PortNo,
        order: Option<OrderRef>,
        by: LocalStart,
        paid: Option<Money>,
        reply_to: ReplyTo,
        now: Timestamp,
    ) {
        let order = order.unwrap_or_default();
        self.command(id, PileCommand::AckLocalStart { port, order }, reply_to);
        let plan_version = self.plan_version(&id);
        let max = self.config.max_session;
        let p = self.piles.get_mut(&id).expect("known");
        if p.settled.iter().any(|&(sp, so)| sp == port && so == order) {
            return; // a resend of a start whose session is already settled
        }
        let s = p.port_mut(port);
        if let Some(session) = &s.session {
            if session.order != order {
                self.anomaly(Some(id), Some(port), Anomaly::LocalStartOnBusyPort, now);
            }
            return; // a resend, or a clash reported above
        }
        s.phase = next(s.phase, Input::LocalStart).unwrap_or(Phase::Charging);
        let origin = Origin::Local { start: by, paid };
        let mut session = Session::new(order, origin, plan_version, now);
        session.started = Some(now);
        session.time_cap = Some(max);
        s.session = Some(Box::new(session));
        self.notify(Notification::SessionStarted {
            pile: id,
            port,
            order,
            origin,
            at: now,
        });
    }

    fn settlement(
        &mut self,
        id: PileId,
        port: PortNo,
        st: Settlement,
        reply_to: ReplyTo,
        now: Timestamp,
    ) {
        self.command(
            id,
            PileCommand::AckSettlement {
                port,
                order: st.order,
            },
            reply_to,
        );
        let memory = usize::from(self.config.settled_memory.max(1));
        let default_version = self.plan_version(&id);
        let p = self.piles.get_mut(&id).expect("known");
        if p.settled
            .iter()
            .any(|&(sp, so)| sp == port && so == st.order)
        {
            self.anomaly(Some(id), Some(port), Anomaly::DuplicateSettlement, now);
            return;
        }
        if p.settled.len() >= memory {
            p.settled.pop_front();
        }
        p.settled.push_back((port, st.order));
        let s = p.port_mut(port);
        let session = match &s.session {
            Some(sess) if sess.order == st.order => {
                let sess = s.session.take();
                s.phase = next(s.phase, Input::Settled).unwrap_or(Phase::Idle);
                sess
            }
            _ => None,
        };
        if session.is_none() {
            self.anomaly(Some(id), Some(port), Anomaly::UnknownSettlement, now);
        }
        let record = self.record(id, port, &st, session, default_version, now);
        self.notify(Notification::SessionEnded(Box::new(record)));
        self.run_queue(now);
    }

    fn record(
        &mut self,
        id: PileId,
        port: PortNo,
        st: &Settlement,
        session: Option<Box<Session>>,
        default_version: u32,
        now: Timestamp,
    ) -> SessionRecord {
        let ended = st.ended.unwrap_or(now);
        let started = st
            .started
            .or(session.as_ref().and_then(|s| s.started))
            .or_else(|| {
                st.duration
                    .and_then(|d| Timestamp::from_unix(ended.unix() - i64::from(d.0)))
            })
            .unwrap_or(ended);
        let duration = st.duration.unwrap_or(Seconds(
            u32::try_from(ended.unix() - started.unix()).unwrap_or(0),
        ));
        // The pile's duration and clock win over the station's when they disagree; both times
        // are shown at the offset of the pile's clock when it gave one.
        let offset = st
            .ended
            .or(st.started)
            .map_or(started.offset(), |t| t.offset());
        let ended = ended.at_offset(offset);
        let started = Timestamp::from_unix(ended.unix() - i64::from(duration.0))
            .unwrap_or(started)
            .at_offset(offset);
        let mut stop_reason = st.stop;
        if let Some(own) = session.as_ref().and_then(|s| s.stop)
            && matches!(st.stop.cause, StopCause::RemoteStop | StopCause::Other)
        {
            stop_reason.cause = own.cause;
        }
        let (origin, plan_version, samples, card) = match session {
            Some(s) => (s.origin, s.plan_version, s.samples.into_vec(), s.card),
            None => (Origin::SettlementOnly, default_version, Vec::new(), None),
        };
        let payment = match origin {
            Origin::Platform { payment } => payment,
            Origin::Local {
                start: LocalStart::Coin,
                paid: Some(amount),
            } => Payment::Coins { amount },
            _ => Payment::Postpaid,
        };
        let mut usage = Usage::new(started.unix(), ended.unix()).with_energy(st.energy);
        usage.samples = samples
            .into_iter()
            .filter(|s| s.at >= started.unix() && s.at <= ended.unix())
            .map(|s| Sample { energy: None, ..s })
            .collect();
        usage.class_energy = st.class_energy;
        let plan = &self.plans[plan_version as usize];
        // A monthly card's uses per day count the card's earlier sessions of the local day its
        // session started.
        let card_day = match (payment, card) {
            (Payment::MonthlyCard { .. }, Some(card)) => {
                let day = (started.unix() + i64::from(plan.utc_offset.0)).div_euclid(86_400);
                let uses = match self.card_days.get(&card) {
                    Some(&(d, uses)) if d == day => uses,
                    _ => 0,
                };
                Some((card, day, uses))
            }
            _ => None,
        };
        let billed = match card_day {
            Some((_, _, uses)) => plan.bill_card_use(&usage, payment, uses),
            None => plan.bill(&usage, payment),
        };
        let (bill, bill_error) = match billed {
            Ok(mut b) => {
                if let Some(name) = self.plan_names.get(&plan_version) {
                    b.plan_version = Some(name.clone());
                }
                if let Some((card, day, uses)) = card_day {
                    self.card_days.insert(card, (day, uses.saturating_add(1)));
                }
                (Some(b), None)
            }
            Err(e) => (None, Some(e.to_string())),
        };
        SessionRecord {
            pile: id,
            port,
            order: st.order,
            origin,
            started,
            ended,
            duration,
            energy: st.energy,
            stop: stop_reason,
            bill,
            bill_error,
            plan_version,
        }
    }

    // ---- actions -------------------------------------------------------------------------

    fn stop_port(&mut self, id: PileId, port: PortNo, reason: StopReason, now: Timestamp) {
        let p = self.piles.get_mut(&id).expect("known");
        let s = p.port_mut(port);
        let Some(session) = s.session.as_mut() else {
            return;
        };
        if s.phase == Phase::Ending {
            return;
        }
        session.stop = Some(reason);
        let order = session.order;
        s.phase = next(s.phase, Input::Ended).unwrap_or(Phase::Ending);
        self.command(
            id,
            PileCommand::Stop {
                port,
                order: Some(order),
            },
            ReplyTo::NONE,
        );
        self.notify(Notification::StopSent {
            pile: id,
            port,
            order,
            reason,
            at: now,
        });
    }

    fn stop_all(&mut self, id: PileId, reason: StopReason, now: Timestamp) {
        let ports: Vec<PortNo> = self.piles[&id]
            .ports
            .iter()
            .enumerate()
            .filter(|(_, s)| s.session.is_some() && s.phase != Phase::Ending)
            .filter_map(|(i, _)| u8::try_from(i + 1).ok().and_then(PortNo::new))
            .collect();
        for port in ports {
            self.stop_port(id, port, reason, now);
        }
        // Queued starts on this pile will not run.
        let mut kept = VecDeque::new();
        while let Some(q) = self.queue.pop_front() {
            if q.pile == id {
                self.notify(Notification::StartRefused {
                    pile: q.pile,
                    port: q.port,
                    order: q.request.order,
                    refusal: StartRefusal::Alarm,
                    at: now,
                });
            } else {
                kept.push_back(q);
            }
        }
        self.queue = kept;
    }

    fn run_queue(&mut self, now: Timestamp) {
        let Some(budget) = self.config.budget else {
            return;
        };
        while !self.queue.is_empty() {
            let expected = self.config.expected_start_power;
            if self.counted_site_load().saturating_add(expected) > budget.limit {
                break;
            }
            let q = self.queue.pop_front().expect("front exists");
            let available = self.piles.get(&q.pile).is_some_and(|p| {
                p.online
                    && !p.safety_alarm
                    && !p.site_alarm
                    && p.ports
                        .get(q.port.index())
                        .is_none_or(|s| !s.phase.is_busy())
            });
            let result = if available {
                self.send_start(q.pile, q.port, q.request, now)
            } else {
                Err(StartRefusal::PileOffline)
            };
            if let Err(refusal) = result {
                self.notify(Notification::StartRefused {
                    pile: q.pile,
                    port: q.port,
                    order: q.request.order,
                    refusal,
                    at: now,
                });
            }
            self.reschedule(q.pile);
        }
    }

    fn go_offline(&mut self, id: PileId, now: Timestamp) {
        let Some(p) = self.piles.get_mut(&id) else {
            return;
        };
        if !p.online {
            return;
        }
        p.online = false;
        for s in p.ports.iter_mut().filter_map(|s| s.session.as_mut()) {
            s.stale = true;
        }
        let last_seen = p.last_seen;
        self.notify(Notification::PileOffline {
            pile: id,
            last_seen,
            at: now,
        });
        self.reschedule(id);
    }

    /// Runs what is due for one pile.
    fn check_pile(&mut self, id: PileId, now: Timestamp) {
        let offline_after = i64::from(self.config.offline_after(id.dialect()).0);
        let Some(p) = self.piles.get(&id) else {
            return;
        };
        if p.online && now.unix() - p.last_seen.unix() >= offline_after {
            self.go_offline(id, now);
        }
        let full = self.config.full;
        let unplug = self.config.unplugged;
        let mut due = Vec::new();
        for (i, s) in self.piles[&id].ports.iter().enumerate() {
            let Some(session) = &s.session else { continue };
            let Some(port) = u8::try_from(i + 1).ok().and_then(PortNo::new) else {
                continue;
            };
            if s.phase == Phase::Starting && session.start_deadline.is_some_and(|d| d <= now) {
                due.push((port, None));
                continue;
            }
            if !s.phase.is_charging() || session.stale {
                continue;
            }
            let started = session.started.unwrap_or(session.requested);
            if session
                .time_cap
                .is_some_and(|cap| now.unix() - started.unix() >= i64::from(cap.0))
            {
                due.push((port, Some(StopCause::TimeLimit)));
            } else if held(unplug, session.below_unplug_since, now) {
                due.push((port, Some(StopCause::Unplugged)));
            } else if held(full, session.below_full_since, now) {
                due.push((port, Some(StopCause::BatteryFull)));
            }
        }
        for (port, cause) in due {
            match cause {
                None => {
                    let p = self.piles.get_mut(&id).expect("known");
                    let s = p.port_mut(port);
                    let session = s.session.take().expect("checked above");
                    s.phase = next(s.phase, Input::StartTimedOut).unwrap_or(Phase::Idle);
                    self.notify(Notification::StartRefused {
                        pile: id,
                        port,
                        order: session.order,
                        refusal: StartRefusal::NoAnswer,
                        at: now,
                    });
                    self.run_queue(now);
                }
                Some(cause) => {
                    if cause == StopCause::BatteryFull {
                        self.transition(id, port, Input::FullSeen, now);
                    }
                    self.stop_port(id, port, stop(id.dialect(), cause), now);
                }
            }
        }
    }

    /// Registers the pile's next deadline in the timers.
    fn reschedule(&mut self, id: PileId) {
        let Some(p) = self.piles.get(&id) else {
            return;
        };
        let config = &self.config;
        let mut next_at: Option<i64> = None;
        let mut consider = |t: i64| next_at = Some(next_at.map_or(t, |n| n.min(t)));
        if p.online {
            consider(p.last_seen.unix() + i64::from(config.offline_after(id.dialect()).0));
        }
        for s in &p.ports {
            let Some(session) = &s.session else { continue };
            if s.phase == Phase::Starting {
                if let Some(d) = session.start_deadline {
                    consider(d.unix());
                }
                continue;
            }
            if !s.phase.is_charging() || session.stale {
                continue;
            }
            let started = session.started.unwrap_or(session.requested);
            if let Some(cap) = session.time_cap {
                consider(started.unix() + i64::from(cap.0));
            }
            for (hold, since) in [
                (config.unplugged, session.below_unplug_since),
                (config.full, session.below_full_since),
            ] {
                if let (Some(h), Some(since)) = (hold, since) {
                    consider(since.unix() + i64::from(h.hold.0));
                }
            }
        }
        let old = p.deadline;
        // Timers are lazy: a deadline that moves later (a pile heard again) keeps its earlier
        // entry, which fires, finds nothing due and registers the real one. Only an earlier
        // deadline replaces an entry, so most events touch no timer at all.
        if old == next_at || old.zip(next_at).is_some_and(|(o, n)| n >= o) {
            return;
        }
        if let Some(t) = old {
            self.timers.remove(&(t, id));
        }
        if let Some(t) = next_at {
            self.timers.insert((t, id));
        }
        self.piles.get_mut(&id).expect("known").deadline = next_at;
    }

    fn command(&mut self, pile: PileId, command: PileCommand, reply_to: ReplyTo) {
        self.outgoing.push(Outgoing {
            pile,
            command,
            reply_to,
        });
    }

    /// Encodes the commands of this call for their links.
    fn flush(&mut self, now: Timestamp) {
        self.count_changed_loads();
        if self.outgoing.is_empty() {
            return;
        }
        let mut outgoing = core::mem::replace(&mut self.outgoing, core::mem::take(&mut self.spare));
        for o in outgoing.drain(..) {
            let Some(link) = self.piles.get(&o.pile).and_then(|p| p.link) else {
                continue;
            };
            let Some(adapter) = self.links.get_mut(&link).and_then(|l| l.adapter.as_mut()) else {
                continue;
            };
            let frame = adapter.command(&o.pile, &o.command, o.reply_to);
            // Room for an acknowledgement, so most answers are encoded without growing.
            let mut bytes = Vec::with_capacity(64);
            match frame.and_then(|f| {
                f.encode_into(&mut bytes).map(|()| bytes).map_err(|_| {
                    crate::model::ModelError::NotRepresentable {
                        what: "frame",
                        reason: "a field does not fit its wire form",
                    }
                })
            }) {
                Ok(bytes) => self.transmits.push_back(Transmit { link, bytes }),
                Err(_) => self.anomaly(Some(o.pile), None, Anomaly::CommandNotSent, now),
            }
        }
        self.spare = outgoing;
    }

    fn notify(&mut self, n: Notification) {
        self.notifications.push_back(n);
    }

    fn anomaly(&mut self, pile: Option<PileId>, port: Option<PortNo>, a: Anomaly, now: Timestamp) {
        self.notify(Notification::Anomaly {
            pile,
            port,
            anomaly: a,
            fault: None,
            at: now,
        });
    }

    /// Bytes of a link that were not read, reported with where and why.
    fn fault(&mut self, anomaly: Anomaly, fault: LinkFault, now: Timestamp) {
        let pile = self
            .piles
            .iter()
            .find(|(_, p)| p.link == Some(fault.link))
            .map(|(id, _)| *id);
        self.notify(Notification::Anomaly {
            pile,
            port: None,
            anomaly,
            fault: Some(fault),
            at: now,
        });
    }
}

/// Appends the events of a decoded stream item to `events`; bytes that were not read give the
/// anomaly to report.
fn read_item(
    item: &StreamItem,
    adapter: &mut Option<AnyAdapter>,
    events: &mut Vec<Uplink>,
    link: LinkId,
) -> Option<(Anomaly, LinkFault)> {
    match item {
        StreamItem::Frame { frame, offset } => {
            let a = adapter.get_or_insert_with(|| AnyAdapter::new(frame.dialect()));
            let error = a.events(frame, events).err()?;
            Some((
                Anomaly::UnreadableEvent,
                LinkFault {
                    link,
                    offset: *offset,
                    skipped: 0,
                    reason: Some(error.to_string()),
                },
            ))
        }
        StreamItem::Skipped {
            offset,
            len,
            reason,
        } => Some((
            Anomaly::BadFrame,
            LinkFault {
                link,
                offset: *offset,
                skipped: *len,
                reason: reason.map(|e| e.kind.to_string()),
            },
        )),
        StreamItem::Error(e) => Some((
            Anomaly::BadFrame,
            LinkFault {
                link,
                offset: e.offset,
                skipped: 0,
                reason: Some(e.kind.to_string()),
            },
        )),
        StreamItem::Iccid { .. } | StreamItem::Link { .. } => None,
    }
}

fn held(hold: Option<crate::session::PowerHold>, since: Option<Timestamp>, now: Timestamp) -> bool {
    match (hold, since) {
        (Some(h), Some(s)) => now.unix() - s.unix() >= i64::from(h.hold.0),
        _ => false,
    }
}

fn add(t: Timestamp, s: Seconds) -> Timestamp {
    Timestamp::from_unix(t.unix() + i64::from(s.0))
        .unwrap_or(t)
        .at_offset(t.offset())
}

/// The YKC billing-model number of a plan version (1-based, four digits).
fn model_number(version: u32) -> u16 {
    (version % 9999 + 1) as u16
}

/// A card's day count as a list of `[card, day, sessions]` (a card is no JSON map key).
#[cfg(feature = "serde")]
mod card_days {
    use alloc::collections::BTreeMap;
    use alloc::vec::Vec;

    use serde::{Deserialize, Deserializer, Serializer};

    use crate::model::CardId;

    pub(super) fn serialize<S: Serializer>(
        days: &BTreeMap<CardId, (i64, u32)>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(days.iter().map(|(card, (day, uses))| (card, day, uses)))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<CardId, (i64, u32)>, D::Error> {
        let list = Vec::<(CardId, i64, u32)>::deserialize(d)?;
        Ok(list
            .into_iter()
            .map(|(c, day, uses)| (c, (day, uses)))
            .collect())
    }
}
