//! The command line as its users meet it: pipes, standard input, large captures, JSON records,
//! plan files, log-formatted hex, exit statuses, completions and the manual page.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const HEARTBEAT: &str = "68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A";

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pilekit"));
    c.args(args).current_dir(root());
    c
}

fn pilekit(args: &[&str]) -> Output {
    command(args).output().expect("runs")
}

/// Runs with `input` on standard input.
fn piped(args: &[&str], input: &[u8]) -> Output {
    let mut child = command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn records(out: &Output) -> Vec<serde_json::Value> {
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pilekit-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn heartbeat() -> Vec<u8> {
    pilekit::hex::decode(HEARTBEAT).unwrap()
}

// ---- standard input -------------------------------------------------------------------------

#[test]
fn decode_without_arguments_reads_a_pipe() {
    let capture = std::fs::read(root().join("examples/captures/ykc-session.hex")).unwrap();
    let out = piped(&["decode", "--json"], &capture);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(records(&out).len(), 13);
    let dash = piped(&["decode", "--json", "--file", "-"], &capture);
    assert_eq!(dash.stdout, out.stdout);
    let binary = piped(&["decode", "--json", "--file", "-"], &heartbeat());
    assert_eq!(records(&binary)[0]["name"], "heartbeat");
}

#[test]
fn records_are_printed_as_frames_come() {
    let mut child = command(&["decode", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&heartbeat()).unwrap();
    stdin.flush().unwrap();
    // the record arrives while standard input is still open
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("\"heartbeat\""), "{first}");
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn plan_and_samples_can_come_from_standard_input() {
    let plan = std::fs::read(root().join("examples/plans/tou-residential.json")).unwrap();
    let out = piped(
        &[
            "bill",
            "--plan",
            "-",
            "--start",
            "2024-05-01T22:00",
            "--end",
            "2024-05-02T01:00",
            "--power-w",
            "2000",
            "--json",
        ],
        &plan,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(records(&out).len(), 1, "a bill is one line");
    let samples = b"time,power_w\n2024-05-01T22:00,2000\n2024-05-01T23:00,2000\n";
    let out = piped(
        &[
            "bill",
            "--plan",
            "examples/plans/tou-residential.json",
            "--start",
            "2024-05-01T22:00",
            "--end",
            "2024-05-01T23:00",
            "--samples",
            "-",
        ],
        samples,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Total"));
    let out = piped(&["plan", "check", "-"], &plan);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

// ---- closed pipes and failing output --------------------------------------------------------

#[test]
fn a_closed_pipe_ends_quietly() {
    let path = temp("many.bin");
    std::fs::write(&path, heartbeat().repeat(50_000)).unwrap();
    for json in [false, true] {
        let mut args = vec!["decode", "--file", path.to_str().unwrap()];
        if json {
            args.push("--json");
        }
        let mut child = command(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 16];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout); // `| head -c 16`
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(141), "{}", text(&out.stderr));
        assert_eq!(text(&out.stderr), "", "no panic, no message");
    }
}

#[test]
fn a_full_disk_is_an_error_with_status_2() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // not on this system
    };
    let out = command(&["decode", "--file", "examples/captures/ykc-session.hex"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.starts_with("error: cannot write the output"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

// ---- bounded memory -------------------------------------------------------------------------

/// Peak resident memory of a run, in KiB, read from `/proc` while it runs.
fn peak_rss_kib(args: &[&str]) -> Option<(u64, bool)> {
    let mut child = command(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = None;
    let start = Instant::now();
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
        {
            let kib: u64 = line
                .split_whitespace()
                .nth(1)
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            peak = Some(peak.unwrap_or(0).max(kib));
        }
        if let Some(status) = child.try_wait().unwrap() {
            return peak.map(|p| (p, status.code() == Some(0) || status.code() == Some(1)));
        }
        assert!(start.elapsed() < Duration::from_secs(120), "too slow");
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn memory_stays_flat_on_a_large_capture() {
    if !std::path::Path::new("/proc/self/status").exists() {
        return; // no /proc to measure with
    }
    // 20 MB: a heartbeat every 64 KiB in line noise, as binary and as hex text; a run that read
    // the whole capture would hold at least that much
    let mut binary = Vec::with_capacity(20 << 20);
    while binary.len() < 20 << 20 {
        binary.extend(heartbeat());
        binary.resize(binary.len() + (64 << 10), 0);
    }
    let bin_path = temp("large.bin");
    std::fs::write(&bin_path, &binary).unwrap();
    // hex text: log lines, and mostly comments so that a debug build stays fast
    let mut hex = String::with_capacity(21 << 20);
    let comment = format!("# {}\n", "x".repeat(1000));
    while hex.len() < 20 << 20 {
        hex.push_str("2024-05-01 12:00:00.123 RX: ");
        hex.push_str(HEARTBEAT);
        hex.push('\n');
        for _ in 0..64 {
            hex.push_str(&comment);
        }
    }
    let hex_path = temp("large.hex");
    std::fs::write(&hex_path, &hex).unwrap();
    for (path, json) in [(&bin_path, false), (&hex_path, true)] {
        let mut args = vec!["decode", "--file", path.to_str().unwrap()];
        if json {
            args.push("--json");
        }
        let Some((kib, ok)) = peak_rss_kib(&args) else {
            return;
        };
        assert!(ok, "{} did not run", path.display());
        assert!(
            kib < 16 * 1024,
            "peak RSS {kib} KiB for a 20 MB capture ({})",
            path.display()
        );
    }
}

// ---- one JSON style -------------------------------------------------------------------------

#[test]
fn errors_and_skipped_runs_are_records_in_the_json_stream() {
    let mut bytes = vec![0x01, 0x02, 0x03];
    bytes.extend(heartbeat());
    let mut bad = heartbeat();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    bytes.extend(&bad);
    let path = temp("noisy-json.bin");
    std::fs::write(&path, &bytes).unwrap();
    let out = pilekit(&["decode", "--json", "--file", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), "");
    let recs = records(&out);
    assert_eq!(recs[0]["skipped"]["offset"], 0);
    assert_eq!(recs[0]["skipped"]["len"], 3);
    assert_eq!(recs[1]["offset"], 3);
    assert_eq!(recs[1]["name"], "heartbeat");
    let error = recs[2..]
        .iter()
        .find_map(|r| r.get("error").or_else(|| r.pointer("/skipped/reason")))
        .expect("the bad frame is a record");
    assert_eq!(error["kind"], "checksum_mismatch");
    assert_eq!(error["offset"], 3 + 17 + 15);
    assert!(error["message"].as_str().unwrap().contains("checksum"));
}

#[test]
fn a_frame_given_as_an_argument_has_an_offset_and_its_error_is_a_record() {
    let bad = HEARTBEAT.replace("F1 1A", "F1 1B");
    let out = pilekit(&["decode", "--json", HEARTBEAT, &bad]);
    assert_eq!(out.status.code(), Some(1));
    let recs = records(&out);
    assert_eq!(recs[0]["offset"], 0);
    assert_eq!(recs[1]["error"]["kind"], "checksum_mismatch");
    assert_eq!(recs[1]["error"]["offset"], 15);
}

#[test]
fn invalid_input_in_json_mode_is_an_error_record_with_status_2() {
    let out = pilekit(&["decode", "--json", "68 0G"]);
    assert_eq!(out.status.code(), Some(2));
    let recs = records(&out);
    assert_eq!(recs[0]["error"]["kind"], "invalid_input");
    assert!(
        recs[0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("invalid hex character `G` at offset 4")
    );
}

#[test]
fn pretty_json_is_indented_for_people() {
    let out = pilekit(&["decode", "--pretty", HEARTBEAT]);
    assert!(out.status.success());
    let t = text(&out.stdout);
    assert!(t.starts_with("{\n  \"offset\": 0,"), "{t}");
    let v: serde_json::Value = serde_json::from_str(&t).unwrap();
    assert_eq!(v["name"], "heartbeat");
}

#[test]
fn quote_and_bill_print_one_json_line() {
    let out = pilekit(&[
        "quote",
        "--plan",
        "examples/plans/one-yuan-four-hours.json",
        "--prepaid",
        "1",
        "--json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(records(&out).len(), 1);
}

// ---- plans ----------------------------------------------------------------------------------

#[test]
fn plan_check_refuses_unknown_keys_naming_the_valid_ones() {
    let path = temp("typo.json");
    std::fs::write(
        &path,
        r#"{"family": "hourly", "yuan_per_hour": 1, "billed_by": "minute", "free_minutes": 5}"#,
    )
    .unwrap();
    let out = pilekit(&["plan", "check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("free_minutes"), "{err}");
    assert!(err.contains("free_min"), "the valid keys are listed: {err}");
    let ok = pilekit(&["plan", "check", "examples/plans/hourly-with-modifiers.json"]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).contains("a valid hourly plan"));
}

#[test]
fn a_huge_plan_is_refused_before_it_is_parsed() {
    let path = temp("huge.json");
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(br#"{"family": "hourly", "junk": ["#).unwrap();
    let chunk = "0,".repeat(1 << 19);
    for _ in 0..20 {
        f.write_all(chunk.as_bytes()).unwrap();
    }
    f.write_all(b"0]}").unwrap();
    drop(f);
    let start = Instant::now();
    let out = pilekit(&["plan", "check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("larger than 1 MiB"),
        "{}",
        text(&out.stderr)
    );
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[test]
fn plan_show_prints_the_price_table_and_the_day() {
    let out = pilekit(&["plan", "show", "examples/plans/tou-residential.json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    assert!(t.contains("Residential time of use"), "{t}");
    assert!(t.contains("deep_valley"), "{t}");
    // 48 half hours: valley until 08:00, deep valley from 23:00
    let bar = t
        .lines()
        .find(|l| l.trim().len() == 48 && l.trim().starts_with('v'))
        .expect("a day bar");
    assert_eq!(
        bar.trim(),
        "vvvvvvvvvvvvvvvvFFFFPPSSPPPPPPFFFFFFPPPPPPFFFFdd"
    );
    assert!(t.contains("23:00–24:00  deep_valley"), "{t}");
    let tiers = pilekit(&["plan", "show", "examples/plans/power-tiers.json"]);
    assert!(tiers.status.success(), "{}", text(&tiers.stderr));
}

#[test]
fn plan_from_a_frame_works_as_a_subcommand_too() {
    let capture =
        std::fs::read_to_string(root().join("examples/captures/ykc-session.hex")).unwrap();
    let line = capture
        .lines()
        .skip_while(|l| !l.contains("time-of-use model"))
        .nth(1)
        .unwrap();
    let hex = pilekit::hex::encode(&pilekit::hex::decode(line).unwrap());
    let flag = pilekit(&["plan", "--from-ykc", &hex]);
    let sub = pilekit(&["plan", "from-ykc", &hex]);
    assert!(sub.status.success(), "{}", text(&sub.stderr));
    assert_eq!(flag.stdout, sub.stdout);
    let line = pilekit(&["plan", "from-ykc", "--json", &hex]);
    assert_eq!(records(&line).len(), 1);
}

// ---- input ranges ---------------------------------------------------------------------------

#[test]
fn offsets_and_times_are_checked_and_shown_as_iso() {
    let bill = |start: &str, end: &str, power: &str| {
        pilekit(&[
            "bill",
            "--plan",
            "examples/plans/tou-residential.json",
            "--start",
            start,
            "--end",
            end,
            &format!("--power-w={power}"),
        ])
    };
    let out = bill("2024-05-01T22:00+99:99", "2024-05-01T23:00", "100");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("not within ±18:00"),
        "{}",
        text(&out.stderr)
    );
    let out = bill("2024-05-01T22:00", "2024-05-01T21:00", "100");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "session end 2024-05-01T21:00:00+08:00 is before its start 2024-05-01T22:00:00+08:00"
        ),
        "{err}"
    );
    let out = bill("2024-05-01T22:00", "2024-05-01T23:00", "-5");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("negative"),
        "{}",
        text(&out.stderr)
    );
    // A time outside the calendar is refused as the text it was, saying the range.
    let out = bill("99999999999999", "2024-05-01T23:00", "5");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("1970 to 9999"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn hex_with_a_bom_and_log_prefixes_is_read_as_hex() {
    let capture =
        std::fs::read_to_string(root().join("examples/captures/ykc-session.hex")).unwrap();
    let plain = pilekit(&[
        "decode",
        "--json",
        "--file",
        "examples/captures/ykc-session.hex",
    ]);
    let mut logged = String::from("\u{FEFF}");
    for (i, line) in capture.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            logged.push_str(line);
        } else {
            let way = if i % 2 == 0 { "RX:" } else { "tx:" };
            logged.push_str(&format!(
                "[2024-05-01 12:00:{:02}.{i:03}] {way} {line}",
                i % 60
            ));
        }
        logged.push('\n');
    }
    let path = temp("logged.hex");
    std::fs::write(&path, &logged).unwrap();
    let out = pilekit(&["decode", "--json", "--file", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(out.stdout, plain.stdout);
    // timestamps alone, without RX/TX
    let stamped: String = capture
        .lines()
        .map(|l| {
            if l.trim().is_empty() || l.starts_with('#') {
                format!("{l}\n")
            } else {
                format!("2024-05-01T12:00:00.5 | {l}\n")
            }
        })
        .collect();
    let out = piped(
        &["decode", "--json"],
        format!("\u{FEFF}{stamped}").as_bytes(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(out.stdout, plain.stdout);
}

#[test]
fn a_bad_line_in_hex_text_is_an_error_record_not_binary() {
    let input = format!("{HEARTBEAT}\nnot hex at all\n{HEARTBEAT}\n");
    let out = piped(&["decode", "--json"], input.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let recs = records(&out);
    assert_eq!(recs.len(), 3, "{recs:?}");
    assert_eq!(recs[1]["error"]["kind"], "invalid_hex");
    assert_eq!(recs[1]["error"]["line"], 2);
    assert_eq!(recs[2]["name"], "heartbeat");
    assert_eq!(recs[2]["offset"], 17);
}

// ---- exit statuses, completions, manual page ------------------------------------------------

#[test]
fn help_documents_the_exit_statuses() {
    for args in [&["--help"][..], &["decode", "--help"][..]] {
        let out = pilekit(args);
        assert!(out.status.success());
        let t = text(&out.stdout);
        assert!(t.contains("Exit status:"), "{t}");
        assert!(t.contains("1    some input did not decode"), "{t}");
    }
    let usage = pilekit(&["decode", "--no-such-flag"]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn completions_and_the_manual_page_are_generated() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = pilekit(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        assert!(text(&out.stdout).contains("decode"), "{shell}");
    }
    let man = pilekit(&["man"]);
    assert!(man.status.success());
    let page = text(&man.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH pilekit"),
        "{page}"
    );
    assert!(page.contains("Exit status"), "{page}");
}
