//! `pilekit gateway` killed with SIGKILL while piles settle their sessions, restarted on the
//! same database: every settlement is acknowledged and has exactly one receipt.
#![cfg(unix)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pilekit::codec::dny::{self, DnyFrame, DnyMessage, PhysicalId, Port};
use pilekit::codec::fields::HexBytes;
use pilekit::codec::stream::{StreamDecoder, StreamItem};
use pilekit::codec::{AnyFrame, DecodeOptions};
use pilekit::units::{Energy, Power, Seconds};

const PLAN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/plans/one-yuan-four-hours.json"
);

/// Starts a gateway on a free port; returns it and its address.
fn gateway(db: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pilekit"))
        .args([
            "gateway",
            "--listen",
            "127.0.0.1:0",
            "--quiet",
            "--plan",
            PLAN,
        ])
        .arg("--db")
        .arg(db)
        .args(["--checkpoint-s", "1"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let addr = line
        .split("listening on ")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    // keep draining standard error so the gateway never blocks on it
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = stderr.read_to_end(&mut sink);
    });
    (child, addr)
}

fn order(pile: u32, n: u32) -> HexBytes<16> {
    let text = format!("P{pile}N{n}");
    let mut b = [0u8; 16];
    b[..text.len()].copy_from_slice(text.as_bytes());
    HexBytes(b)
}

fn frame(id: PhysicalId, mid: u16, m: DnyMessage) -> Vec<u8> {
    DnyFrame::new(id, mid, m).encode().unwrap()
}

fn settlement(id: PhysicalId, pile: u32, n: u32) -> Vec<u8> {
    frame(
        id,
        100 + n as u16,
        DnyMessage::Settlement(dny::Settlement::new(
            Seconds(3600),
            Power(1890),
            Energy::from_centi_kwh(20 + i64::from(n)),
            Port::socket((n % 10 + 1) as u8),
            dny::StartMode::Online,
            HexBytes([0; 4]),
            dny::StopReason::BatteryFull,
            order(pile, n),
        )),
    )
}

/// Settlements acknowledged, over every pile.
static ACKED: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// A pile that settles `orders` sessions one after another, resending each settlement until it
/// is acknowledged and reconnecting whenever the connection drops. Returns the orders
/// acknowledged.
fn pile(index: u32, orders: u32, addr: &std::sync::Mutex<String>) -> BTreeSet<u32> {
    let id = PhysicalId(0x0500_0000 + index);
    let mut acked = BTreeSet::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut next = 0;
    while next < orders && Instant::now() < deadline {
        let target = addr.lock().unwrap().clone();
        let Ok(mut conn) = TcpStream::connect(&target) else {
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        conn.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let register = frame(
            id,
            1,
            DnyMessage::Register(dny::Register::new(105, 10, 0, 5, 0)),
        );
        if conn.write_all(&register).is_err() {
            continue;
        }
        let mut decoder = StreamDecoder::auto(DecodeOptions::LENIENT);
        let mut buf = [0u8; 4096];
        'session: while next < orders {
            if conn.write_all(&settlement(id, index, next)).is_err() {
                break;
            }
            let sent = Instant::now();
            while sent.elapsed() < Duration::from_millis(600) {
                match conn.read(&mut buf) {
                    Ok(0) => break 'session,
                    Ok(n) => {
                        let mut got = false;
                        decoder.feed(&buf[..n], |item| {
                            if let StreamItem::Frame { frame, .. } = item
                                && let AnyFrame::Dny(f) = &frame
                                && matches!(f.message, DnyMessage::SettlementReply(_))
                            {
                                got = true;
                            }
                        });
                        if got {
                            acked.insert(next);
                            ACKED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            next += 1;
                            // the next session ends a little later
                            std::thread::sleep(Duration::from_millis(60));
                            continue 'session;
                        }
                    }
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) => {}
                    Err(_) => break 'session,
                }
            }
        }
    }
    acked
}

#[test]
fn a_gateway_killed_mid_day_loses_no_settlement_and_bills_none_twice() {
    let dir = std::env::temp_dir().join(format!("pilekit-gateway-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("gateway.db");
    let _ = std::fs::remove_file(&db);
    let (mut first, addr) = gateway(&db);
    let addr = std::sync::Arc::new(std::sync::Mutex::new(addr));
    const PILES: u32 = 6;
    const ORDERS: u32 = 25;
    let piles: Vec<_> = (0..PILES)
        .map(|i| {
            let addr = addr.clone();
            std::thread::spawn(move || pile(i, ORDERS, &addr))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1000));
    first.kill().unwrap(); // SIGKILL: no snapshot at exit, no clean close
    first.wait().unwrap();
    let before = ACKED.load(std::sync::atomic::Ordering::SeqCst);
    assert!(
        before > 0 && before < PILES * ORDERS,
        "the gateway died mid-day ({before} settlements acknowledged before)"
    );
    let (mut second, new_addr) = gateway(&db);
    *addr.lock().unwrap() = new_addr;
    let acked: Vec<BTreeSet<u32>> = piles.into_iter().map(|p| p.join().unwrap()).collect();
    second.kill().unwrap();
    second.wait().unwrap();
    for (i, a) in acked.iter().enumerate() {
        assert_eq!(
            a.len(),
            ORDERS as usize,
            "pile {i}: every settlement acknowledged"
        );
    }
    let out = Command::new(env!("CARGO_BIN_EXE_pilekit"))
        .args(["receipts", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let receipts: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let keys: BTreeSet<(String, String)> = receipts
        .iter()
        .map(|r| {
            (
                r["pile"].as_str().unwrap().to_string(),
                r["order"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(keys.len(), receipts.len(), "no session billed twice");
    assert_eq!(
        receipts.len(),
        (PILES * ORDERS) as usize,
        "every session billed"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Virtual piles charging e-bikes (coins at JUY piles) over TCP; the gateway is killed with
/// SIGKILL mid-day, restarted on the same database, and the piles reconnect to it: every
/// charge the piles ran is acknowledged and has exactly one receipt.
#[test]
fn virtual_piles_lose_nothing_when_the_gateway_is_killed_mid_day() {
    use pilekit_sim::remote::{Addr, Remote, reconcile};
    let dir = std::env::temp_dir().join(format!("pilekit-gateway-piles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("gateway.db");
    let _ = std::fs::remove_file(&db);
    let (mut first, addr) = gateway(&db);
    let addr = Addr::new(addr);
    let remote = Remote {
        addr: addr.clone(),
        piles: 10,
        sockets: 10,
        speed: 7200,
        duration_s: 6 * 3600,
        seed: 11,
        start: pilekit_sim::sim::DEFAULT_START + 18 * 3600,
        arrivals_per_socket_permille: 3000,
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let piles = runtime.spawn(async move { remote.run().await });
    // three simulated hours in: charges running, some settled
    std::thread::sleep(Duration::from_millis(1500));
    first.kill().unwrap();
    first.wait().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let (mut second, new_addr) = gateway(&db);
    addr.set(new_addr);
    let report = runtime.block_on(piles).unwrap();
    second.kill().unwrap();
    second.wait().unwrap();
    assert!(report.reconnects > 0, "the piles saw the gateway go");
    assert!(
        report.records.len() > 40,
        "{} charges",
        report.records.len()
    );
    assert_eq!(report.unacknowledged, 0);
    assert!(report.records.iter().all(|r| r.acknowledged));
    let out = Command::new(env!("CARGO_BIN_EXE_pilekit"))
        .args(["receipts", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let receipts: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(reconcile(&report.records, &receipts), (0, 0));
    assert_eq!(receipts.len(), report.records.len());
    let _ = std::fs::remove_dir_all(&dir);
}
