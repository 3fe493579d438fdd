//! The community's day: residents, their chargers and cars, the piles, and the platform's
//! station, run on a simulated clock through the whole stack — virtual piles → bytes →
//! stream decoder → [`Station`] → tariff → receipts.
//!
//! The clock jumps from one wake-up to the next: a resident arriving or collecting a bike, a
//! pile's heartbeat or report, the station's timeout, an incident, the minute the load is
//! sampled. Nothing waits for real time, so a day of 250 sockets takes well under a second.
//! Every choice comes from one seeded [`Rng`], every collection iterates in a fixed order:
//! the same scenario gives the same bytes.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use pilekit::codec::Dialect;
use pilekit::model::{CardId, OrderRef, PileId, PortNo};
use pilekit::session::{
    Config, LinkId, Notification, SessionError, SessionRecord, StartLimit, StartRefusal,
    StartRequest, Station,
};
use pilekit::tariff::{Payment, Plan};
use pilekit::time::Timestamp;
use pilekit::units::{Energy, Money, Power};

use crate::physics::{Car, CarCurve, Charger};
use crate::pile::{Load, PileRecord, VirtualPile};
use crate::rng::Rng;
use crate::summary::{LoadCurve, Summary};

/// The plan of the car piles unless another is given: residential time of use in four
/// classes (YKC billing models carry four), energy and service fee per kWh.
pub const CAR_PLAN: &str = r#"{
  "name": "Car park time of use",
  "family": "time_of_use",
  "rates": [
    {"class": "sharp", "energy_yuan_per_kwh": 1.1, "service_yuan_per_kwh": 0.4},
    {"class": "peak", "energy_yuan_per_kwh": 0.9, "service_yuan_per_kwh": 0.4},
    {"class": "flat", "energy_yuan_per_kwh": 0.6, "service_yuan_per_kwh": 0.4},
    {"class": "valley", "energy_yuan_per_kwh": 0.3, "service_yuan_per_kwh": 0.4}
  ],
  "slots": [
    "valley", "valley", "valley", "valley", "valley", "valley", "valley", "valley",
    "valley", "valley", "valley", "valley", "valley", "valley", "valley", "valley",
    "flat", "flat", "flat", "flat", "peak", "peak", "sharp", "sharp",
    "peak", "peak", "peak", "peak", "peak", "peak", "flat", "flat",
    "flat", "flat", "flat", "flat", "peak", "peak", "peak", "peak",
    "peak", "peak", "flat", "flat", "flat", "flat", "valley", "valley"
  ],
  "rounding": {"stage": "line", "mode": "half_up"},
  "utc_offset_s": 28800
}"#;

/// The e-bike plan unless another is given: "1 yuan buys 4 hours"
/// (`examples/plans/one-yuan-four-hours.json`).
pub const BIKE_PLAN: &str = r#"{
  "name": "1 yuan buys 4 hours",
  "family": "fixed_block",
  "price_yuan": 1,
  "block_min": 240,
  "billed_by": "minute",
  "rounding": { "stage": "line", "mode": "half_up" }
}"#;

/// The plan of sessions a monthly pass pays unless another is given
/// (`examples/plans/monthly-card.json`).
pub const CARD_PLAN: &str = r#"{
  "name": "Monthly card, 25 yuan for 30 days, up to 10 hours a session",
  "family": "monthly_card",
  "price_yuan": 25,
  "days": 30,
  "max_session_min": 600
}"#;

/// 2025-12-01T00:00:00+08:00, the first simulated midnight.
pub const DEFAULT_START: i64 = 1_764_518_400;

/// What to simulate.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The seed of every random choice.
    pub seed: u64,
    /// E-bike piles.
    pub piles: u32,
    /// Sockets per e-bike pile.
    pub sockets: u8,
    /// Car piles (YKC): the first is DC, the others AC.
    pub car_piles: u32,
    /// Days to simulate.
    pub days: u32,
    /// The plan of the e-bike piles.
    pub plan: Plan,
    /// The plan of the car piles.
    pub car_plan: Plan,
    /// The plan of sessions a monthly pass pays.
    pub card_plan: Plan,
    /// The dialects of the e-bike piles, in rotation.
    pub dialects: Vec<Dialect>,
    /// The supply the pile area has (marked on the load picture).
    pub supply_limit: Power,
    /// The first midnight (Unix seconds).
    pub start: i64,
    /// Charger arrivals per socket and day.
    pub arrivals_per_socket_permille: u32,
    /// One smoke alarm a day on one pile.
    pub smoke: bool,
    /// One pile a day loses its 4G link for an hour.
    pub outage: bool,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            seed: 1,
            piles: 24,
            sockets: 10,
            car_piles: 4,
            days: 1,
            plan: serde_json::from_str(BIKE_PLAN).expect("the built-in plan is valid"),
            car_plan: serde_json::from_str(CAR_PLAN).expect("the built-in plan is valid"),
            card_plan: serde_json::from_str(CARD_PLAN).expect("the built-in plan is valid"),
            dialects: vec![Dialect::Dny],
            supply_limit: Power::from_watts(120_000),
            start: DEFAULT_START,
            arrivals_per_socket_permille: 1300,
            smoke: true,
            outage: true,
        }
    }
}

/// What happened: the summary, every receipt, the piles' own records, the load over time.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The summary.
    pub summary: Summary,
    /// One receipt per settled session, in the order the station settled them.
    pub receipts: Vec<SessionRecord>,
    /// What the piles ran, pile by pile.
    pub pile_records: Vec<PileRecord>,
    /// The power of each pile over time.
    pub load: LoadCurve,
}

/// How a resident pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pay {
    Qr(Money),
    Card(u32),
    Coins(Money),
    Pass,
    Car(Money),
}

#[derive(Debug, Clone)]
enum Ev {
    Arrive {
        resident: u32,
    },
    ArriveCar {
        resident: u32,
        pile: usize,
    },
    Pickup {
        pile: usize,
        port: u8,
        resident: u32,
    },
    Smoke {
        pile: usize,
    },
    Clear {
        pile: usize,
    },
    LinkDown {
        pile: usize,
    },
    LinkUp {
        pile: usize,
    },
}

/// A resident at a socket, until they collect their bike.
#[derive(Debug, Clone, Copy)]
struct Visit {
    resident: u32,
}

struct World<'a> {
    scenario: &'a Scenario,
    rng: Rng,
    station: Station,
    piles: Vec<VirtualPile>,
    links: Vec<Option<LinkId>>,
    by_link: BTreeMap<LinkId, usize>,
    by_id: BTreeMap<PileId, usize>,
    queue: BinaryHeap<Reverse<(i64, u64)>>,
    events: BTreeMap<u64, Ev>,
    seq: u64,
    visits: BTreeMap<(usize, u8), Visit>,
    next_order: u64,
    summary: Summary,
    receipts: Vec<SessionRecord>,
    bike_piles: usize,
}

impl Scenario {
    /// Runs the scenario; `progress` is told the simulated seconds done and the total.
    pub fn run(&self, mut progress: impl FnMut(u64, u64)) -> Outcome {
        let mut w = World::new(self);
        let end_arrivals = self.start + i64::from(self.days) * 86_400;
        // Sessions still running at the end get half a day to finish and settle.
        let hard_end = end_arrivals + 16 * 3600;
        let total = (hard_end - self.start) as u64;
        let mut now = self.start;
        let mut next_sample = self.start;
        let mut curve = LoadCurve::new(
            self.start,
            w.piles.iter().map(|p| p.id().to_string()).collect(),
            self.supply_limit,
        );
        for i in 0..w.piles.len() {
            w.connect(i, now);
        }
        w.pump(now);
        w.schedule_days();
        let mut last_report = 0;
        loop {
            let t_ev = w.queue.peek().map_or(i64::MAX, |Reverse((t, _))| *t);
            let t_st = w.station.poll_timeout().map_or(i64::MAX, |t| t.unix());
            let t_pile = w
                .piles
                .iter()
                .map(VirtualPile::poll_timeout)
                .min()
                .unwrap_or(i64::MAX);
            let t = t_ev.min(t_st).min(t_pile).min(next_sample).max(now);
            if t >= end_arrivals && w.settled() {
                break;
            }
            if t >= hard_end {
                break;
            }
            now = t;
            while let Some(Reverse((te, id))) = w.queue.peek().copied() {
                if te > now {
                    break;
                }
                w.queue.pop();
                if let Some(ev) = w.events.remove(&id) {
                    w.event(ev, now);
                }
                w.pump(now);
            }
            if t_st <= now {
                w.station.handle_timeout(ts(now));
                w.pump(now);
            }
            if t_pile <= now {
                for i in 0..w.piles.len() {
                    if w.piles[i].poll_timeout() <= now {
                        w.piles[i].handle_timeout(now);
                    }
                }
                w.pump(now);
            }
            if next_sample <= now {
                w.sample(now, &mut curve);
                next_sample = now + 60;
            }
            let done = (now - self.start) as u64;
            if done >= last_report + 600 {
                last_report = done;
                progress(done, total);
            }
        }
        progress(total, total);
        w.finish(now, curve)
    }
}

fn ts(t: i64) -> Timestamp {
    Timestamp::from_unix(t)
        .unwrap_or(Timestamp::from_unix(0).expect("the epoch is valid"))
        .at_offset(pilekit::time::UtcOffset::CHINA)
}

impl<'a> World<'a> {
    fn new(scenario: &'a Scenario) -> Self {
        let mut station = Station::new(Config::default(), scenario.plan.clone());
        station.set_card_plan(scenario.card_plan.clone());
        let mut piles = Vec::new();
        let dialects = if scenario.dialects.is_empty() {
            vec![Dialect::Dny]
        } else {
            scenario.dialects.clone()
        };
        for i in 0..scenario.piles {
            let n = 100_002 + i;
            piles.push(match dialects[i as usize % dialects.len()] {
                Dialect::Juy => VirtualPile::juy(u64::from(n), scenario.sockets),
                // Physical ids: the device type, then the number under the QR code.
                _ => {
                    let kind = u32::from(crate::pile::dny_type_code(scenario.sockets));
                    VirtualPile::dny(kind << 24 | n, scenario.sockets)
                }
            });
        }
        let bike_piles = piles.len();
        for i in 0..scenario.car_piles {
            let code = 32_010_200_000_001u64 + u64::from(i);
            let pile = VirtualPile::ykc(code, 1, i == 0);
            station.set_plan(
                Some(pile.id()),
                scenario.car_plan.clone(),
                ts(scenario.start),
            );
            piles.push(pile);
        }
        let by_id = piles.iter().enumerate().map(|(i, p)| (p.id(), i)).collect();
        let summary = Summary {
            piles: scenario.piles,
            car_piles: scenario.car_piles,
            sockets: scenario.piles * u32::from(scenario.sockets) + scenario.car_piles,
            days: scenario.days,
            seed: scenario.seed,
            plan: scenario.plan.name.clone(),
            car_plan: scenario.car_plan.name.clone(),
            card_plan: scenario.card_plan.name.clone(),
            ..Summary::default()
        };
        World {
            scenario,
            rng: Rng::new(scenario.seed),
            station,
            links: vec![None; piles.len()],
            piles,
            by_link: BTreeMap::new(),
            by_id,
            queue: BinaryHeap::new(),
            events: BTreeMap::new(),
            seq: 0,
            visits: BTreeMap::new(),
            next_order: 0,
            summary,
            receipts: Vec::new(),
            bike_piles,
        }
    }

    fn at(&mut self, t: i64, ev: Ev) {
        self.seq += 1;
        self.events.insert(self.seq, ev);
        self.queue.push(Reverse((t, self.seq)));
    }

    /// Every arrival and incident of every day.
    fn schedule_days(&mut self) {
        // Share of the day's arrivals in each hour: a small morning bump, a long evening peak.
        const HOURS: [u32; 24] = [
            4, 2, 1, 1, 1, 2, 6, 12, 14, 10, 8, 8, 12, 12, 8, 8, 12, 22, 38, 44, 40, 30, 18, 9,
        ];
        let s = self.scenario;
        let sockets = s.piles * u32::from(s.sockets);
        let per_day = u64::from(sockets) * u64::from(s.arrivals_per_socket_permille) / 1000;
        let mut resident = 0u32;
        for day in 0..i64::from(s.days) {
            let midnight = s.start + day * 86_400;
            if s.piles > 0 {
                for _ in 0..per_day {
                    let hour = self.rng.weighted(&HOURS) as i64;
                    let t = midnight + hour * 3600 + self.rng.range(0, 3599);
                    resident += 1;
                    self.at(t, Ev::Arrive { resident });
                }
            }
            // Cars: two or three a day per car pile, evenings for AC, daytime for DC.
            for c in 0..s.car_piles {
                let n = self.rng.range(2, 3);
                for _ in 0..n {
                    let hour = if c == 0 {
                        self.rng.range(8, 21)
                    } else {
                        self.rng.range(17, 22)
                    };
                    let t = midnight + hour * 3600 + self.rng.range(0, 3599);
                    resident += 1;
                    let pile = self.bike_piles + c as usize;
                    self.at(t, Ev::ArriveCar { resident, pile });
                }
            }
            let mut smoke_pile = None;
            if s.smoke && s.piles > 0 {
                // A DNY pile: it pushes the alarm (0x42).
                let mut pile = self.rng.below(u64::from(s.piles)) as usize;
                for _ in 0..s.piles {
                    if self.piles[pile].dialect() == Dialect::Dny {
                        break;
                    }
                    pile = (pile + 1) % s.piles as usize;
                }
                smoke_pile = Some(pile);
                let t = midnight + 20 * 3600 + self.rng.range(0, 3599);
                self.at(t, Ev::Smoke { pile });
                self.at(t + 3600, Ev::Clear { pile });
            }
            if s.outage && s.piles > 1 {
                // Another pile than the one with smoke, so both incidents are seen.
                let mut pile = self.rng.below(u64::from(s.piles)) as usize;
                if Some(pile) == smoke_pile {
                    pile = (pile + 1) % s.piles as usize;
                }
                let t = midnight + 18 * 3600 + self.rng.range(0, 7199);
                self.at(t, Ev::LinkDown { pile });
                self.at(t + 3600, Ev::LinkUp { pile });
            }
        }
    }

    fn connect(&mut self, i: usize, now: i64) {
        if let Some(old) = self.links[i].take() {
            self.by_link.remove(&old);
            self.station.disconnect(old, ts(now));
        }
        let link = self.station.connect(ts(now));
        self.links[i] = Some(link);
        self.by_link.insert(link, i);
        self.piles[i].connect(now);
    }

    /// Moves bytes between piles and the station until both are quiet.
    fn pump(&mut self, now: i64) {
        loop {
            let mut moved = false;
            for i in 0..self.piles.len() {
                let Some(link) = self.links[i] else { continue };
                while let Some(bytes) = self.piles[i].poll_transmit() {
                    moved = true;
                    self.summary.frames_up += 1;
                    self.summary.bytes_up += bytes.len() as u64;
                    self.station.handle_bytes(link, &bytes, ts(now));
                }
            }
            while let Some(t) = self.station.poll_transmit() {
                moved = true;
                self.summary.frames_down += 1;
                self.summary.bytes_down += t.bytes.len() as u64;
                if let Some(&i) = self.by_link.get(&t.link)
                    && self.piles[i].link_up()
                {
                    self.piles[i].handle_bytes(&t.bytes, now);
                }
            }
            while let Some(n) = self.station.poll_notification() {
                moved = true;
                self.notification(n, now);
            }
            if !moved {
                break;
            }
        }
    }

    fn order(&mut self, dialect: Dialect) -> OrderRef {
        self.next_order += 1;
        let n = self.next_order;
        let text = match dialect {
            Dialect::Ykc => format!("{:032}", 26_120_100_000_000_000_000u128 + u128::from(n)),
            // JUY order numbers are a u32, written as its digits.
            Dialect::Juy => format!("{}", 1_000_000 + n),
            _ => format!("{:016}", 2_612_010_000_000_000u64 + n),
        };
        OrderRef::from_bytes(text.as_bytes()).unwrap_or_default()
    }

    fn event(&mut self, ev: Ev, now: i64) {
        match ev {
            Ev::ArriveCar { resident, pile } => self.arrive_car(resident, pile, now),
            Ev::Arrive { resident } => self.arrive_bike(resident, now),
            Ev::Pickup {
                pile,
                port,
                resident,
            } => {
                if self
                    .visits
                    .get(&(pile, port))
                    .is_some_and(|v| v.resident == resident)
                {
                    self.visits.remove(&(pile, port));
                    if self.piles[pile].is_charging(port) {
                        self.summary.unplugged_while_charging += 1;
                    }
                    self.piles[pile].unplug(port, now);
                }
            }
            Ev::Smoke { pile } => {
                self.summary.incidents.push(format!(
                    "{} smoke alarm at pile {}",
                    local_hm(now, self.scenario.start),
                    self.piles[pile].id()
                ));
                self.piles[pile].smoke(now);
            }
            Ev::Clear { pile } => {
                self.piles[pile].clear_alarm();
                let id = self.piles[pile].id();
                self.station.clear_alarm(id);
            }
            Ev::LinkDown { pile } => {
                self.summary.incidents.push(format!(
                    "{} pile {} lost its 4G link for an hour",
                    local_hm(now, self.scenario.start),
                    self.piles[pile].id()
                ));
                self.piles[pile].disconnect(now);
            }
            Ev::LinkUp { pile } => self.connect(pile, now),
        }
    }

    fn arrive_bike(&mut self, resident: u32, now: i64) {
        let s = self.scenario;
        let home = self.rng.below(u64::from(s.piles)) as usize;
        // The home pile, else its neighbour.
        let mut spot = None;
        for pile in [home, (home + 1) % s.piles as usize] {
            let free: Vec<u8> = (1..=self.piles[pile].sockets())
                .filter(|&p| self.piles[pile].is_free(p))
                .collect();
            if !free.is_empty() {
                let port = free[self.rng.below(free.len() as u64) as usize];
                spot = Some((pile, port));
                break;
            }
        }
        let charger = self.charger();
        let amount = if self.rng.chance(700) {
            Money::YUAN
        } else {
            Money(2 * Money::YUAN.0)
        };
        // QR scans, cards (DNY) or coins (JUY), and monthly passes.
        let pay = match self.rng.weighted(&[72, 18, 10]) {
            0 => Qr(amount),
            1 => match spot.map(|(p, _)| self.piles[p].dialect()) {
                Some(Dialect::Juy) => Coins(amount),
                _ => Card(0x1000_0000 | resident),
            },
            _ => Pass,
        };
        use Pay::{Card, Coins, Pass, Qr};
        // Most collect their bike the next morning, some after a few hours, a few early.
        let pickup = if self.rng.chance(50) {
            now + self.rng.range(20 * 60, 90 * 60)
        } else if self.rng.chance(350) {
            now + self.rng.range(3 * 3600, 6 * 3600)
        } else {
            let midnight = now - (now - self.scenario.start).rem_euclid(86_400);
            let morning = midnight + 86_400 + self.rng.range(6 * 3600 + 1800, 9 * 3600);
            morning.max(now + 3 * 3600)
        };
        self.summary.arrivals += 1;
        let Some((pile, port)) = spot else {
            self.summary.turned_away += 1;
            return;
        };
        self.piles[pile].plug(port, Load::Bike(charger), now);
        self.visits.insert((pile, port), Visit { resident });
        self.at(
            pickup,
            Ev::Pickup {
                pile,
                port,
                resident,
            },
        );
        self.pay(pile, port, pay, now);
    }

    fn arrive_car(&mut self, resident: u32, pile: usize, now: i64) {
        self.summary.arrivals += 1;
        if !self.piles[pile].is_free(1) {
            self.summary.turned_away += 1;
            return;
        }
        let dc = pile == self.bike_piles;
        let capacity = Energy::from_wh(self.rng.range(45, 80) * 1000);
        let soc = self.rng.range(150, 500) as u32;
        let target = self.rng.range(900, 1000) as u32;
        let car = if dc {
            Car::new(
                CarCurve::Dc,
                Power::from_watts(60_000),
                capacity,
                soc,
                target,
            )
        } else {
            Car::new(
                CarCurve::Ac,
                Power::from_watts(7_000),
                capacity,
                soc,
                target,
            )
        };
        self.piles[pile].plug(1, Load::Car(car), now);
        let pay = Pay::Car(Money(self.rng.range(5, 10) * 10 * Money::YUAN.0));
        self.visits.insert((pile, 1), Visit { resident });
        let pickup = if dc {
            now + self.rng.range(70 * 60, 100 * 60)
        } else {
            let midnight = now - (now - self.scenario.start).rem_euclid(86_400);
            midnight + 86_400 + self.rng.range(7 * 3600, 9 * 3600)
        };
        self.at(
            pickup,
            Ev::Pickup {
                pile,
                port: 1,
                resident,
            },
        );
        self.pay(pile, 1, pay, now);
    }

    fn charger(&mut self) -> Charger {
        Charger::random(&mut self.rng)
    }

    fn pay(&mut self, pile: usize, port: u8, pay: Pay, now: i64) {
        let id = self.piles[pile].id();
        let payment = match pay {
            Pay::Qr(amount) | Pay::Car(amount) => Payment::Prepaid { amount },
            Pay::Pass => Payment::MonthlyCard {
                expires: self.scenario.start + 40 * 86_400,
            },
            Pay::Coins(amount) => {
                if self.piles[pile].coin(port, amount, now) {
                    self.summary.coin_starts += 1;
                }
                return;
            }
            Pay::Card(card) => {
                // The pile asks the platform about the card; the answer starts the charge.
                if self.piles[pile].swipe(port, card.to_be_bytes(), now) {
                    self.summary.card_swipes += 1;
                    if !self.piles[pile].link_up() {
                        self.summary.offline_card_starts += 1;
                    }
                }
                return;
            }
        };
        self.start(id, port, payment, None, now);
    }

    fn start(&mut self, id: PileId, port: u8, payment: Payment, card: Option<CardId>, now: i64) {
        let order = self.order(id.dialect());
        let request = StartRequest {
            order,
            payment,
            limit: StartLimit::FromQuote,
            card,
        };
        let Some(port_no) = PortNo::new(port) else {
            return;
        };
        self.summary.start_requests += 1;
        match self.station.start(id, port_no, request, ts(now)) {
            Ok(()) => {}
            Err(SessionError::Refused(r)) => self.summary.refuse(refusal_name(&r)),
            Err(SessionError::Offline(_)) => self.summary.refuse("pile_offline"),
            Err(_) => self.summary.refuse("other"),
        }
    }

    fn notification(&mut self, n: Notification, now: i64) {
        match n {
            Notification::SessionStarted { .. } => self.summary.sessions_started += 1,
            Notification::SessionEnded(record) => {
                self.summary.record(&record);
                self.receipts.push(*record);
            }
            Notification::StartRefused { refusal, .. } => {
                self.summary.refuse(refusal_name(&refusal));
            }
            Notification::CardSwipe {
                pile, port, card, ..
            } => {
                let Some(&i) = self.by_id.get(&pile) else {
                    return;
                };
                let Some(port) = port else { return };
                let balance = Money(20 * Money::YUAN.0);
                self.station
                    .answer_card(pile, Some(port), card, true, balance, ts(now));
                if self.piles[i].is_free(port.get()) || self.piles[i].is_charging(port.get()) {
                    return;
                }
                self.start(
                    pile,
                    port.get(),
                    Payment::Prepaid {
                        amount: Money::YUAN,
                    },
                    Some(card),
                    now,
                );
            }
            Notification::Alarm { kind, .. } => {
                *self
                    .summary
                    .alarms
                    .entry(kind.name().to_string())
                    .or_default() += 1;
            }
            Notification::PileOffline { .. } => self.summary.piles_offline += 1,
            Notification::Anomaly { anomaly, .. } => {
                *self
                    .summary
                    .anomalies
                    .entry(anomaly.name().to_string())
                    .or_default() += 1;
            }
            _ => {}
        }
    }

    fn sample(&mut self, now: i64, curve: &mut LoadCurve) {
        let powers: Vec<Power> = self.piles.iter().map(VirtualPile::power).collect();
        let total = powers.iter().fold(Power::ZERO, |a, &p| a.saturating_add(p));
        let busy: usize = self.piles.iter().map(VirtualPile::busy).sum();
        if total > self.summary.peak_power {
            self.summary.peak_power = total;
            self.summary.peak_power_at = local_hm(now, self.scenario.start);
        }
        if busy as u32 > self.summary.peak_sockets_in_use {
            self.summary.peak_sockets_in_use = busy as u32;
            self.summary.peak_sockets_at = local_hm(now, self.scenario.start);
        }
        if (now - self.scenario.start).rem_euclid(300) == 0 {
            curve.push(now, powers);
        }
    }

    fn settled(&self) -> bool {
        self.station.open_sessions() == 0
            && self
                .piles
                .iter()
                .all(|p| p.busy() == 0 && p.unacknowledged() == 0)
    }

    fn finish(mut self, now: i64, curve: LoadCurve) -> Outcome {
        let pile_records: Vec<PileRecord> = self
            .piles
            .iter()
            .flat_map(|p| p.records().iter().cloned())
            .collect();
        self.summary.open_at_end = self.station.open_sessions() as u32;
        self.summary.ended = local_hm(now, self.scenario.start);
        self.summary
            .check_exactly_once(&pile_records, &self.receipts);
        Outcome {
            summary: self.summary,
            receipts: self.receipts,
            pile_records,
            load: curve,
        }
    }
}

/// A local time of day, `D1 20:35` (day 1 is the first simulated day).
fn local_hm(t: i64, start: i64) -> String {
    let local = t + 8 * 3600;
    let day = (t - start).div_euclid(86_400) + 1;
    let s = local.rem_euclid(86_400);
    format!("day {day} {:02}:{:02}", s / 3600, s % 3600 / 60)
}

fn refusal_name(r: &StartRefusal) -> &'static str {
    match r {
        StartRefusal::Pile { .. } => "pile_refused",
        StartRefusal::NoAnswer => "no_answer",
        StartRefusal::Cancelled => "cancelled",
        StartRefusal::PileOffline => "pile_offline",
        StartRefusal::NoSuchPort => "no_such_port",
        StartRefusal::PortBusy => "port_busy",
        StartRefusal::PortFault => "port_fault",
        StartRefusal::Alarm => "alarm",
        StartRefusal::PileOverPower => "pile_over_power",
        StartRefusal::OverBudget => "over_budget",
        StartRefusal::BillingModelPending => "billing_model_pending",
        StartRefusal::Plan => "plan",
        StartRefusal::NotInDialect => "not_in_dialect",
        _ => "other",
    }
}
