//! `pilekit simulate` as a user runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn pilekit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pilekit"))
        .args(args)
        .output()
        .expect("runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pilekit-simulate-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn small(out: &Path, extra: &[&str]) -> Output {
    let out = out.to_str().unwrap();
    let args = [
        &[
            "simulate",
            "--piles",
            "3",
            "--sockets",
            "6",
            "--car-piles",
            "1",
            "--seed",
            "5",
            "--out",
            out,
        ][..],
        extra,
    ]
    .concat();
    pilekit(&args)
}

#[test]
fn a_small_day_writes_receipts_a_summary_and_the_picture() {
    let dir = temp_dir("files");
    let out = small(&dir, &["--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // standard output: the summary as one line of JSON, the same as summary.json
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    let summary: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary, file);
    assert_eq!(summary["piles"], 3);
    assert_eq!(summary["sockets"], 19);
    assert_eq!(summary["plan"], "1 yuan buys 4 hours");
    assert_eq!(summary["exactly_once"]["ok"], true);
    assert_eq!(summary["exactly_once"]["missing"], 0);
    assert_eq!(summary["alarms"]["smoke"], 1);
    // one receipt per session, each the station's record with its bill
    let receipts = std::fs::read_to_string(dir.join("receipts.jsonl")).unwrap();
    let records: Vec<serde_json::Value> = receipts
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len() as u64, summary["sessions"].as_u64().unwrap());
    assert!(records.len() > 10);
    let mut keys: Vec<(String, u64, String)> = records
        .iter()
        .map(|r| {
            (
                r["pile"].as_str().unwrap().to_string(),
                r["port"].as_u64().unwrap(),
                r["order"].to_string(),
            )
        })
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), records.len(), "a session was billed twice");
    let revenue: f64 = records
        .iter()
        .filter_map(|r| r["bill"]["total_yuan"].as_f64())
        .sum();
    let stated = summary["revenue_yuan"].as_f64().unwrap();
    assert!((revenue - stated).abs() < 1e-6, "{revenue} vs {stated}");
    // a one-yuan QR session: never more than the prepayment, the rest refunded
    let qr = records
        .iter()
        .find(|r| r["origin"]["payment"]["amount_yuan"] == 1.0 && r["pile"] != "32010200000001")
        .expect("a one-yuan session");
    let bill = &qr["bill"];
    let total = bill["total_yuan"].as_f64().unwrap();
    let refund = bill["refund_yuan"].as_f64().unwrap();
    assert!((total + refund - 1.0).abs() < 1e-9, "{bill}");
    // the picture
    let svg = std::fs::read_to_string(dir.join("load.svg")).unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
    assert!(svg.contains("supply limit 120 kW"));
    // the piles by their QR numbers: six sockets make a type-05 pile
    assert!(svg.contains("05-00100002"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_same_seed_writes_byte_identical_files() {
    let a = temp_dir("a");
    let b = temp_dir("b");
    assert!(small(&a, &["--quiet"]).status.success());
    assert!(small(&b, &["--quiet"]).status.success());
    for f in ["receipts.jsonl", "summary.json", "load.svg"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs"
        );
    }
    std::fs::remove_dir_all(&a).unwrap();
    std::fs::remove_dir_all(&b).unwrap();
}

#[test]
fn the_readable_summary_names_what_an_operator_asks() {
    let dir = temp_dir("text");
    let out = small(&dir, &[]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for line in [
        "sessions",
        "energy",
        "revenue",
        "refunds",
        "stop reasons",
        "alarms",
        "peak sockets in use",
        "peak power",
        "exactly once         ok",
    ] {
        assert!(text.contains(line), "no `{line}` in:\n{text}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_options_are_usage_errors() {
    let dir = temp_dir("bad");
    let out = small(&dir, &["--dialects", "dny,xyz"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown dialect `xyz`"));
    let out = small(&dir, &["--plan", "/nonexistent/plan.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.join("receipts.jsonl").exists());
}
