//! Virtual piles against the core's `Station`: the bytes each side sends are real frames, and
//! what the station bills is what the pile delivered.

use pilekit::model::{OrderRef, PortNo, StopCause};
use pilekit::session::{
    Config, LinkId, Notification, SessionRecord, StartLimit, StartRefusal, StartRequest, Station,
};
use pilekit::tariff::{Payment, Plan};
use pilekit::time::Timestamp;
use pilekit::units::{Energy, Money, Power};
use pilekit_sim::physics::{Car, CarCurve, Charger, Chemistry, Quirk};
use pilekit_sim::pile::{Load, VirtualPile};
use pilekit_sim::sim::{BIKE_PLAN, CAR_PLAN, DEFAULT_START};

struct Rig {
    station: Station,
    pile: VirtualPile,
    link: LinkId,
    now: i64,
    notes: Vec<Notification>,
    frames_up: usize,
}

fn ts(t: i64) -> Timestamp {
    Timestamp::from_unix(t).unwrap()
}

impl Rig {
    fn new(pile: VirtualPile, plan: &str) -> Self {
        let plan: Plan = serde_json::from_str(plan).unwrap();
        let mut station = Station::new(Config::default(), plan);
        let now = DEFAULT_START + 20 * 3600;
        let link = station.connect(ts(now));
        let mut rig = Rig {
            station,
            pile,
            link,
            now,
            notes: Vec::new(),
            frames_up: 0,
        };
        rig.pile.connect(now);
        rig.pump();
        rig
    }

    fn pump(&mut self) {
        loop {
            let mut moved = false;
            while let Some(b) = self.pile.poll_transmit() {
                moved = true;
                self.frames_up += 1;
                if self.pile.link_up() {
                    self.station.handle_bytes(self.link, &b, ts(self.now));
                }
            }
            while let Some(t) = self.station.poll_transmit() {
                moved = true;
                if self.pile.link_up() {
                    self.pile.handle_bytes(&t.bytes, self.now);
                }
            }
            while let Some(n) = self.station.poll_notification() {
                moved = true;
                self.notes.push(n);
            }
            if !moved {
                break;
            }
        }
    }

    /// Runs both sides until `until`.
    fn run_until(&mut self, until: i64) {
        loop {
            let t = self
                .pile
                .poll_timeout()
                .min(self.station.poll_timeout().map_or(i64::MAX, |t| t.unix()));
            if t > until {
                self.now = until;
                return;
            }
            self.now = t.max(self.now);
            self.pile.handle_timeout(self.now);
            self.station.handle_timeout(ts(self.now));
            self.pump();
        }
    }

    fn receipts(&self) -> Vec<&SessionRecord> {
        self.notes
            .iter()
            .filter_map(|n| match n {
                Notification::SessionEnded(r) => Some(&**r),
                _ => None,
            })
            .collect()
    }

    fn start(&mut self, port: u8, order: &str, payment: Payment) {
        let request = StartRequest {
            order: OrderRef::from_bytes(order.as_bytes()).unwrap(),
            payment,
            limit: StartLimit::FromQuote,
            card: None,
        };
        self.station
            .start(
                self.pile.id(),
                PortNo::new(port).unwrap(),
                request,
                ts(self.now),
            )
            .unwrap();
        self.pump();
    }
}

fn bike(rated_w: i64, soc: u32, quirk: Quirk) -> Load {
    Load::Bike(Charger::new(
        Chemistry::LeadAcid,
        48,
        Power::from_watts(rated_w),
        Energy::from_wh(960),
        soc,
        quirk,
    ))
}

#[test]
fn a_dny_pile_registers_and_is_online() {
    let rig = Rig::new(VirtualPile::dny(0x0410_0001, 10), BIKE_PLAN);
    assert!(rig.station.is_online(&rig.pile.id()));
    assert!(matches!(rig.notes[0], Notification::PileOnline { .. }));
    // the module's ICCID, then the registration
    assert_eq!(rig.frames_up, 2);
}

#[test]
fn one_yuan_buys_four_hours_and_the_pile_stops_there() {
    let mut rig = Rig::new(VirtualPile::dny(0x0410_0002, 10), BIKE_PLAN);
    // A battery that never reads full: only the four hours stop it.
    assert!(rig.pile.plug(3, bike(240, 200, Quirk::NeverFull), rig.now));
    rig.start(
        3,
        "2612010000000001",
        Payment::Prepaid {
            amount: Money::YUAN,
        },
    );
    assert!(rig.pile.is_charging(3));
    let started = rig.now;
    rig.run_until(started + 5 * 3600);
    let receipts = rig.receipts();
    assert_eq!(receipts.len(), 1);
    let r = receipts[0];
    assert_eq!(r.port.get(), 3);
    assert_eq!(r.order.as_bytes(), b"2612010000000001");
    assert_eq!(r.stop.cause, StopCause::TimeLimit);
    assert_eq!(r.duration.0, 14_400);
    // 222–240 W until constant voltage after three hours, then less (never below a third);
    // DNY reports whole 0.01 kWh
    assert_eq!(r.energy, Energy(8_600));
    let bill = r.bill.as_ref().unwrap();
    assert_eq!(bill.total, Money::YUAN);
    assert_eq!(bill.refund, Money::ZERO);
    // the pile's record was acknowledged
    assert!(rig.pile.records()[0].acknowledged);
    assert_eq!(rig.pile.unacknowledged(), 0);
}

#[test]
fn a_full_battery_ends_early_and_the_unused_part_is_refunded() {
    let mut rig = Rig::new(VirtualPile::dny(0x0410_0003, 10), BIKE_PLAN);
    let mut c = Charger::new(
        Chemistry::LeadAcid,
        48,
        Power::from_watts(240),
        Energy::from_wh(960),
        950,
        Quirk::None,
    );
    c.soc_permille = 950;
    assert!(rig.pile.plug(1, Load::Bike(c), rig.now));
    rig.start(
        1,
        "2612010000000002",
        Payment::Prepaid {
            amount: Money(2 * Money::YUAN.0),
        },
    );
    rig.run_until(rig.now + 9 * 3600);
    let receipts = rig.receipts();
    assert_eq!(receipts.len(), 1);
    let r = receipts[0];
    assert_eq!(r.stop.cause, StopCause::BatteryFull);
    // 5 % to go in CV, then 30 minutes of float below 20 % of the peak
    assert!(r.duration.0 < 3 * 3600, "{}", r.duration);
    let bill = r.bill.as_ref().unwrap();
    assert!(bill.total < Money::YUAN);
    assert_eq!(
        bill.total.saturating_add(bill.refund),
        Money(2 * Money::YUAN.0)
    );
}

#[test]
fn starts_are_refused_without_a_charger_and_during_a_smoke_alarm() {
    let mut rig = Rig::new(VirtualPile::dny(0x0410_0004, 10), BIKE_PLAN);
    rig.start(
        2,
        "2612010000000003",
        Payment::Prepaid {
            amount: Money::YUAN,
        },
    );
    let refused = rig.notes.iter().any(|n| {
        matches!(
            n,
            Notification::StartRefused {
                refusal: StartRefusal::Pile { .. },
                ..
            }
        )
    });
    assert!(refused, "{:?}", rig.notes);
    // A charge, then smoke: the station stops every port, the settlement says smoke.
    assert!(rig.pile.plug(4, bike(300, 300, Quirk::None), rig.now));
    rig.start(
        4,
        "2612010000000004",
        Payment::Prepaid {
            amount: Money::YUAN,
        },
    );
    rig.run_until(rig.now + 600);
    rig.pile.smoke(rig.now);
    rig.pump();
    let r = rig.receipts();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].stop.cause, StopCause::Smoke);
    assert_eq!(r[0].duration.0, 600);
    assert!(!rig.pile.is_charging(4));
}

#[test]
fn a_settlement_made_offline_is_resent_and_billed_once() {
    let mut rig = Rig::new(VirtualPile::dny(0x0410_0005, 10), BIKE_PLAN);
    assert!(rig.pile.plug(5, bike(200, 300, Quirk::None), rig.now));
    rig.start(
        5,
        "2612010000000005",
        Payment::Prepaid {
            amount: Money::YUAN,
        },
    );
    rig.run_until(rig.now + 1200);
    rig.pile.disconnect(rig.now);
    // The resident leaves while the link is down: the pile settles and keeps the record.
    rig.run_until(rig.now + 600);
    rig.pile.unplug(5, rig.now);
    rig.run_until(rig.now + 3000);
    assert!(rig.receipts().is_empty());
    assert_eq!(rig.pile.unacknowledged(), 1);
    assert!(!rig.station.is_online(&rig.pile.id()));
    // Back online on a new connection: registration, then the stored settlement.
    rig.station.disconnect(rig.link, ts(rig.now));
    rig.link = rig.station.connect(ts(rig.now));
    rig.pile.connect(rig.now);
    rig.pump();
    rig.run_until(rig.now + 3600);
    let r = rig.receipts();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].stop.cause, StopCause::Unplugged);
    assert_eq!(r[0].duration.0, 1800);
    assert_eq!(rig.pile.unacknowledged(), 0);
    assert!(rig.pile.records()[0].acknowledged);
}

#[test]
fn an_over_power_charger_is_cut_by_the_pile() {
    let mut rig = Rig::new(VirtualPile::dny(0x0410_0006, 10), BIKE_PLAN);
    assert!(
        rig.pile
            .plug(6, bike(2_300, 300, Quirk::OverPower), rig.now)
    );
    rig.start(
        6,
        "2612010000000006",
        Payment::Prepaid {
            amount: Money::YUAN,
        },
    );
    rig.run_until(rig.now + 600);
    let r = rig.receipts();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].stop.cause, StopCause::OverPower);
    // cut at the pile's first look, within its one-minute tick
    assert!(r[0].duration.0 <= 60, "{}", r[0].duration);
}

#[test]
fn a_ykc_car_pile_gets_its_billing_model_and_bills_by_time_of_use() {
    let mut rig = Rig::new(VirtualPile::ykc(32_010_200_000_009, 1, false), CAR_PLAN);
    let pile = rig.pile.id();
    let plan: Plan = serde_json::from_str(CAR_PLAN).unwrap();
    rig.station.set_plan(Some(pile), plan, ts(rig.now));
    // log in again so that the pile asks for the model of its own plan
    rig.pile.connect(rig.now);
    rig.station.disconnect(rig.link, ts(rig.now));
    rig.link = rig.station.connect(ts(rig.now));
    rig.pile.connect(rig.now);
    rig.pump();
    let car = Car::new(
        CarCurve::Ac,
        Power::from_watts(7_000),
        Energy::from_wh(50_000),
        500,
        800,
    );
    assert!(rig.pile.plug(1, Load::Car(car), rig.now));
    let order = "00000000000000000000000000000042";
    rig.start(
        1,
        order,
        Payment::Prepaid {
            amount: Money(100 * Money::YUAN.0),
        },
    );
    assert!(rig.pile.is_charging(1), "{:?}", rig.notes);
    rig.run_until(rig.now + 4 * 3600);
    let r = rig.receipts();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].stop.cause, StopCause::BatteryFull);
    // 30 % of 50 kWh at 94 %: about 16 kWh at 7 kW, from 20:00.
    assert!(
        (155_000..=165_000).contains(&r[0].energy.0),
        "{}",
        r[0].energy
    );
    let bill = r[0].bill.as_ref().unwrap();
    // 7 kWh in the peak hour to 21:00 at 0.9 + 0.4, the rest flat at 0.6 + 0.4 (the pile's
    // energy per class, from the billing model it was sent)
    assert_eq!(bill.total, Money(180_700));
    assert_eq!(
        bill.total.saturating_add(bill.refund),
        Money(100 * Money::YUAN.0)
    );
}

#[test]
fn a_juy_pile_takes_coins_and_they_are_never_refunded() {
    let mut rig = Rig::new(VirtualPile::juy(7, 10), BIKE_PLAN);
    assert!(rig.station.is_online(&rig.pile.id()));
    let mut c = Charger::new(
        Chemistry::Lithium,
        48,
        Power::from_watts(300),
        Energy::from_wh(720),
        930,
        Quirk::None,
    );
    c.soc_permille = 930;
    assert!(rig.pile.plug(2, Load::Bike(c), rig.now));
    assert!(rig.pile.coin(2, Money::YUAN, rig.now));
    rig.pump();
    let started = rig.notes.iter().any(|n| {
        matches!(
            n,
            Notification::SessionStarted {
                origin: pilekit::session::Origin::Local { .. },
                ..
            }
        )
    });
    assert!(started, "{:?}", rig.notes);
    rig.run_until(rig.now + 5 * 3600);
    let r = rig.receipts();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].order, OrderRef::from_number(3_000_001));
    assert_eq!(r[0].stop.cause, StopCause::BatteryFull);
    let bill = r[0].bill.as_ref().unwrap();
    assert!(bill.total < Money::YUAN);
    assert_eq!(bill.refund, Money::ZERO);
    assert_eq!(bill.total.saturating_add(bill.retained), Money::YUAN);
}

#[test]
fn a_juy_pile_answers_the_platforms_start_and_stop() {
    let mut rig = Rig::new(VirtualPile::juy(8, 10), BIKE_PLAN);
    assert!(rig.pile.plug(1, bike(180, 300, Quirk::None), rig.now));
    rig.start(
        1,
        "1000001",
        Payment::Prepaid {
            amount: Money::YUAN,
        },
    );
    assert!(rig.pile.is_charging(1));
    rig.run_until(rig.now + 1800);
    rig.station
        .stop(rig.pile.id(), PortNo::new(1).unwrap(), ts(rig.now))
        .unwrap();
    rig.pump();
    let r = rig.receipts();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].stop.cause, StopCause::RemoteStop);
    assert_eq!(r[0].duration.0, 1800);
    // 30 of 240 minutes of 1 yuan: 0.13 (half up), the rest refunded
    let bill = r[0].bill.as_ref().unwrap();
    assert_eq!(bill.total, Money(1_300));
    assert_eq!(bill.refund, Money(8_700));
    // 168.7 W (90 % + 10 % × 300/800 of 180 W) for half an hour, in whole Wh
    assert_eq!(r[0].energy, Energy(840));
}

#[test]
fn a_monthly_card_session_is_billed_under_the_card_plan_beside_pay_per_use() {
    let mut rig = Rig::new(VirtualPile::dny(0x0410_0009, 10), BIKE_PLAN);
    let card: Plan = serde_json::from_str(
        r#"{"name": "Monthly card", "family": "monthly_card", "price_yuan": 25, "days": 30, "max_session_min": 600}"#,
    )
    .unwrap();
    let version = rig.station.set_card_plan(card);
    assert!(rig.pile.plug(1, bike(240, 300, Quirk::NeverFull), rig.now));
    assert!(rig.pile.plug(2, bike(240, 300, Quirk::NeverFull), rig.now));
    rig.start(
        1,
        "2612010000000011",
        Payment::MonthlyCard {
            expires: DEFAULT_START + 30 * 86_400,
        },
    );
    rig.start(
        2,
        "2612010000000012",
        Payment::Prepaid {
            amount: Money::YUAN,
        },
    );
    rig.run_until(rig.now + 3600);
    rig.pile.unplug(1, rig.now);
    rig.pile.unplug(2, rig.now);
    rig.run_until(rig.now + 600);
    let r = rig.receipts();
    assert_eq!(r.len(), 2);
    let card = r.iter().find(|r| r.port.get() == 1).unwrap();
    assert_eq!(card.plan_version, version);
    let bill = card.bill.as_ref().unwrap();
    assert_eq!(bill.total, Money::ZERO);
    assert_eq!(bill.lines[0].kind, pilekit::tariff::LineKind::MonthlyCard);
    let qr = r.iter().find(|r| r.port.get() == 2).unwrap();
    assert_eq!(qr.plan_version, 0);
    // an hour of four for a yuan: 0.25, the rest refunded
    assert_eq!(qr.bill.as_ref().unwrap().total, Money(2_500));
}
