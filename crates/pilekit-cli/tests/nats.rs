//! Gateways and workers on NATS JetStream: `nats-server -js` on a free port, two gateways, two
//! workers, a few hundred virtual piles through a sped-up day; one worker and one gateway are
//! killed with SIGKILL mid-day. Every charge the piles ran ends with exactly one receipt, billed
//! right.
//!
//! Needs `nats-server` (Debian: `apt-get install -y nats-server`; `scripts/test-all.sh` installs
//! it): without it the test fails and says so.
#![cfg(unix)]

use std::collections::{BTreeMap, BTreeSet};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pilekit_sim::remote::{Addr, Remote, reconcile};

const PLAN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/plans/one-yuan-four-hours.json"
);

/// The test's processes, killed when it ends however it ends.
struct Processes(Vec<Child>);

impl Drop for Processes {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn nats_server() -> PathBuf {
    let found = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/local/sbin")])
        .map(|d| d.join("nats-server"))
        .find(|p| p.is_file());
    found.unwrap_or_else(|| {
        panic!(
            "this test needs `nats-server` (NATS with JetStream): install it with \
             `apt-get install -y nats-server` (Debian/Ubuntu) or put it on PATH; \
             scripts/test-all.sh installs it"
        )
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for(addr: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(addr).is_err() {
        assert!(Instant::now() < deadline, "nothing listens on {addr}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn pilekit(args: &[&str], log: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_pilekit"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .expect("pilekit starts")
}

/// Partitions a worker's log says it holds and serves: restored, less those it gave back or
/// lost.
/// The first lines of a worker's log that are not notifications: its start, its errors and
/// its partition events.
fn events(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("\"notification\""))
        .take(40)
        .collect();
    lines.join("\n")
}

fn held(log: &Path) -> usize {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let count = |event: &str| {
        text.lines()
            .filter(|l| l.contains(&format!("\"event\":\"{event}\"")))
            .count()
    };
    count("partition_restored").saturating_sub(count("partition_released") + count("lease_lost"))
}

/// A JSON number's text as hundredths (exact: the text, not a binary float).
fn hundredths(v: &serde_json::Value) -> i64 {
    let text = v.to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let frac = format!("{frac:0<2}");
    assert!(
        frac[2..].bytes().all(|b| b == b'0'),
        "{text} has more than 2 decimals"
    );
    int.parse::<i64>().unwrap() * 100 + frac[..2].parse::<i64>().unwrap()
}

/// Energy text in thousandths of a kWh, cut (not rounded) as a JUY pile reports it.
fn milli_kwh(v: &serde_json::Value) -> i64 {
    let text = v.to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let frac = format!("{frac:0<3}");
    int.parse::<i64>().unwrap() * 1000 + frac[..3].parse::<i64>().unwrap()
}

#[test]
fn piles_lose_nothing_when_a_worker_and_a_gateway_are_killed_mid_day() {
    let server = nats_server();
    let dir = std::env::temp_dir().join(format!("pilekit-nats-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut procs = Processes(Vec::new());

    let port = free_port();
    let url = format!("nats://127.0.0.1:{port}");
    procs.0.push(
        Command::new(&server)
            .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
            .arg(dir.join("js"))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("nats.log")).unwrap())
            .spawn()
            .expect("nats-server starts"),
    );
    wait_for(&format!("127.0.0.1:{port}"));

    let worker = |id: &str| {
        let log = dir.join(format!("{id}.log"));
        let receipts = dir.join(format!("{id}.receipts.jsonl"));
        let child = pilekit(
            &[
                "worker",
                "--nats",
                &url,
                "--plan",
                PLAN,
                "--id",
                id,
                "--partitions",
                "8",
                "--lease-s",
                "4",
                "--checkpoint-s",
                "2",
                "--receipts",
                receipts.to_str().unwrap(),
            ],
            &log,
        );
        (child, log)
    };
    let (w1, w1_log) = worker("w1");
    procs.0.push(w1);
    let (w2, w2_log) = worker("w2");
    procs.0.push(w2);
    let gateway = |id: &str| {
        let addr = format!("127.0.0.1:{}", free_port());
        let child = pilekit(
            &[
                "gateway",
                "--nats",
                &url,
                "--listen",
                &addr,
                "--id",
                id,
                "--partitions",
                "8",
            ],
            &dir.join(format!("{id}.log")),
        );
        wait_for(&addr);
        (child, addr)
    };
    let (g1, a1) = gateway("g1");
    procs.0.push(g1);
    let (g2, a2) = gateway("g2");
    procs.0.push(g2);
    // both workers hold their share before the piles come
    let deadline = Instant::now() + Duration::from_secs(20);
    while held(&w1_log) == 0 || held(&w2_log) == 0 || held(&w1_log) + held(&w2_log) < 8 {
        assert!(
            Instant::now() < deadline,
            "the workers hold {} and {} of 8 partitions\n{}\n{}",
            held(&w1_log),
            held(&w2_log),
            events(&w1_log),
            events(&w2_log)
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    let remote = Remote {
        addr: Addr::new(format!("{a1},{a2}")),
        piles: 300,
        sockets: 10,
        speed: 200,
        duration_s: 2 * 3600,
        seed: 14,
        start: pilekit_sim::sim::DEFAULT_START + 18 * 3600,
        arrivals_per_socket_permille: 4000,
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let piles = runtime.spawn(async move { remote.run().await });

    // an hour into the evening: kill the first worker
    std::thread::sleep(Duration::from_secs(9));
    let w1_had = held(&w1_log);
    procs.0[1].kill().unwrap();
    procs.0[1].wait().unwrap();
    let killed = Instant::now();
    while held(&w2_log) < 8 {
        assert!(
            killed.elapsed() < Duration::from_secs(30),
            "the survivor holds {} of 8 partitions",
            held(&w2_log)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    eprintln!(
        "failover: {w1_had} partition(s) serving again {} ms after the kill",
        killed.elapsed().as_millis()
    );
    // later in the evening: kill the first gateway; its piles move to the second
    std::thread::sleep(Duration::from_secs(4));
    procs.0[3].kill().unwrap();
    procs.0[3].wait().unwrap();

    let report = runtime.block_on(piles).unwrap();
    assert!(report.reconnects > 0, "the piles saw their gateway go");
    assert!(
        report.records.len() > 400,
        "{} charges",
        report.records.len()
    );
    assert_eq!(report.unacknowledged, 0, "every settlement acknowledged");
    assert!(report.records.iter().all(|r| r.acknowledged));

    let drained = dir.join("drained.jsonl");
    let out = Command::new(env!("CARGO_BIN_EXE_pilekit"))
        .args(["receipts", "--nats", &url, "--partitions", "8", "--out"])
        .arg(&drained)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let receipts: Vec<serde_json::Value> = std::fs::read_to_string(&drained)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // every session ended exactly once
    assert_eq!(reconcile(&report.records, &receipts), (0, 0));
    assert_eq!(receipts.len(), report.records.len());
    // with the right bill: the pile's energy (cut to the 0.001 kWh it reports) and 1 yuan per
    // started-minute share of 4 hours, half up to the fen, at most the coin; coins not refunded
    // (receipts are JSON numbers: compared as decimal text, never as binary floats)
    let piles: BTreeMap<(String, u64, String), &pilekit_sim::pile::PileRecord> = report
        .records
        .iter()
        .map(|r| {
            (
                (r.pile.to_string(), u64::from(r.port), r.order.to_string()),
                r,
            )
        })
        .collect();
    let mut settlement_only = 0;
    for r in &receipts {
        let key = (
            r["pile"].as_str().unwrap().to_string(),
            r["port"].as_u64().unwrap(),
            r["order"].as_str().unwrap().to_string(),
        );
        let pile = piles[&key];
        let pile_energy = serde_json::to_value(pile).unwrap()["energy_kwh"].clone();
        assert_eq!(
            milli_kwh(&r["energy_kwh"]),
            milli_kwh(&pile_energy),
            "{key:?}"
        );
        let minutes = r["duration_s"].as_i64().unwrap().div_euclid(60)
            + i64::from(r["duration_s"].as_i64().unwrap() % 60 != 0);
        let fen = ((minutes * 100 + 120) / 240).min(100);
        assert_eq!(hundredths(&r["bill"]["total_yuan"]), fen, "{key:?}: {r}");
        assert_eq!(hundredths(&r["bill"]["refund_yuan"]), 0, "{key:?}: {r}");
        if r["origin"]["by"] == "settlement_only" {
            // the coin-start report died with the killed gateway (bytes in its socket buffer):
            // the settlement alone still bills the session, and nothing is known prepaid
            settlement_only += 1;
            assert_eq!(hundredths(&r["bill"]["prepaid_yuan"]), 0, "{key:?}: {r}");
            assert_eq!(hundredths(&r["bill"]["due_yuan"]), fen, "{key:?}: {r}");
        } else {
            assert_eq!(r["origin"]["start"]["by"], "coin", "{key:?}: {r}");
            assert_eq!(hundredths(&r["bill"]["prepaid_yuan"]), 100, "{key:?}: {r}");
        }
    }
    assert!(
        settlement_only * 50 <= receipts.len(),
        "{settlement_only} of {} sessions were known only by their settlement",
        receipts.len()
    );
    // the workers' own receipt files hold no receipt twice between them
    let mut seen = BTreeSet::new();
    for id in ["w1", "w2"] {
        let text = std::fs::read_to_string(dir.join(format!("{id}.receipts.jsonl"))).unwrap();
        for line in text.lines() {
            let r: serde_json::Value = serde_json::from_str(line).unwrap();
            let key = format!("{}/{}/{}", r["pile"], r["port"], r["order"]);
            assert!(seen.insert(key.clone()), "{key} appended twice");
        }
    }
    assert!(
        seen.len() * 10 >= receipts.len() * 9,
        "{} of {}",
        seen.len(),
        receipts.len()
    );
    drop(procs);
    let _ = std::fs::remove_dir_all(&dir);
}
