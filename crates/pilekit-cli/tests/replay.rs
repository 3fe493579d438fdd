//! `pilekit replay` as an operator runs it on the shipped logs.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn pilekit(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pilekit"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

const PLAN: &str = "examples/plans/one-yuan-four-hours.json";

#[test]
fn prints_one_line_per_session_and_the_anomalies() {
    let out = pilekit(
        &[
            "replay",
            "--plan",
            PLAN,
            "--input",
            "examples/logs/dny-session.log",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "1 session(s) settled, 0 open, 2 anomalies in 34 line(s)"
    );
    assert_eq!(
        lines[1],
        "session  pile 05-11220795 port 3 order Q2026120200042  2025-12-02T19:30:30+08:00 → \
         2025-12-02T22:02:30+08:00  2h32m00s  0.38 kWh  battery_full  0.63 yuan (electricity \
         0.63, service 0.00)"
    );
    assert!(lines[2].starts_with("anomaly  line 30: duplicate_settlement pile 05-11220795 port 3"));
    assert!(lines[3].starts_with("anomaly  line 34: alarm pile 05-11220795: smoke alarm"));
}

#[test]
fn json_lines_carry_the_session_and_the_findings() {
    let out = pilekit(
        &["replay", "--plan", PLAN, "--input", "-", "--json"],
        Some(include_str!("../../../examples/logs/juy-session.log")),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["session"]["port"], 2);
    assert_eq!(records[0]["session"]["energy_kwh"].to_string(), "0.412");
    assert_eq!(
        records[0]["session"]["bill"]["total_yuan"].to_string(),
        "0.59"
    );
    assert_eq!(records[1]["open_session"]["port"], 5);
    assert_eq!(records[2]["anomaly"]["kind"], "duplicate_settlement");
}

#[test]
fn a_malformed_line_exits_1_and_the_rest_is_still_replayed() {
    let mut log = String::from(include_str!("../../../examples/logs/dny-session.log"));
    log.push_str("not a log line\n");
    let out = pilekit(&["replay", "--plan", PLAN, "--input", "-"], Some(&log));
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("1 session(s) settled"), "{text}");
    assert!(text.contains("anomaly  line 35: malformed_line"), "{text}");
}
