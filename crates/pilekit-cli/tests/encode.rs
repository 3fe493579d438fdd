//! The `pilekit encode` command: what `pilekit decode --json` prints encodes back to the bytes.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn pilekit(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pilekit"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("writes");
    child.wait_with_output().expect("finishes")
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("utf-8")
}

/// Every golden vector of a dialect: (command column, bytes).
fn vectors(dialect: &str) -> Vec<(String, Vec<u8>)> {
    let path = format!(
        "{}/../../testdata/vectors/{dialect}.tsv",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut cols = l.split('\t');
            let cmd = cols.next().expect("command").to_string();
            let hex = cols.next().expect("hex");
            (cmd, pilekit::hex::decode(hex).expect("vector is hex"))
        })
        .collect()
}

#[test]
fn every_golden_vector_roundtrips_through_decode_json_and_encode() {
    let mut total = 0;
    for dialect in ["ykc", "dny", "juy"] {
        let vectors = vectors(dialect);
        assert!(!vectors.is_empty(), "{dialect}: no vectors");
        let hex: Vec<String> = vectors
            .iter()
            .map(|(_, b)| pilekit::hex::encode(b))
            .collect();
        let mut args = vec!["decode", "--json", "--dialect", dialect];
        args.extend(hex.iter().map(String::as_str));
        let decoded = pilekit(&args, b"");
        assert!(
            decoded.status.success(),
            "{dialect}: {}",
            text(&decoded.stderr)
        );
        assert_eq!(text(&decoded.stdout).lines().count(), vectors.len());

        let encoded = pilekit(&["encode"], &decoded.stdout);
        assert!(
            encoded.status.success(),
            "{dialect}: {}",
            text(&encoded.stderr)
        );
        let lines: Vec<&str> = text(&encoded.stdout).lines().collect();
        assert_eq!(lines.len(), vectors.len(), "{dialect}");
        for ((cmd, bytes), line) in vectors.iter().zip(&lines) {
            assert_eq!(
                &pilekit::hex::decode(line).expect("hex out"),
                bytes,
                "{dialect} {cmd}: {line}"
            );
        }

        // --raw writes the same bytes back to back
        let raw = pilekit(&["encode", "--raw", "-"], &decoded.stdout);
        assert!(raw.status.success());
        let all: Vec<u8> = vectors
            .iter()
            .flat_map(|(_, b)| b.iter().copied())
            .collect();
        assert_eq!(raw.stdout, all, "{dialect} --raw");
        total += vectors.len();
    }
    assert!(total >= 35, "only {total} vectors");
}

#[test]
fn a_json_array_from_a_file_encodes_too() {
    let heartbeat = "68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A";
    let decoded = pilekit(&["decode", "--json", heartbeat, heartbeat], b"");
    let objects: Vec<serde_json::Value> = text(&decoded.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let dir = std::env::temp_dir().join(format!("pilekit-encode-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("frames.json");
    std::fs::write(&path, serde_json::to_string_pretty(&objects).unwrap()).unwrap();
    for args in [
        vec!["encode", "--file", path.to_str().unwrap()],
        vec!["encode", path.to_str().unwrap()],
    ] {
        let out = pilekit(&args, b"");
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout), format!("{heartbeat}\n{heartbeat}\n"));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn what_a_lenient_decode_recorded_is_encoded_again() {
    // CRC high byte first and two bytes beyond the heartbeat's layout
    let mut bytes =
        pilekit::hex::decode("68 0F 00 01 00 03 32 01 02 00 00 00 01 01 00 AA BB").unwrap();
    let crc = pilekit::codec::ykc::crc16_modbus(&bytes[2..]);
    bytes.extend_from_slice(&crc.to_be_bytes());
    let hex = pilekit::hex::encode(&bytes);
    let decoded = pilekit(&["decode", "--lenient", "--json", &hex], b"");
    assert!(decoded.status.success(), "{}", text(&decoded.stderr));
    let encoded = pilekit(&["encode", "--raw"], &decoded.stdout);
    assert!(encoded.status.success(), "{}", text(&encoded.stderr));
    assert_eq!(encoded.stdout, bytes);
}

#[test]
fn a_capture_with_module_text_encodes_back_to_the_capture() {
    let dny = vectors("dny");
    let mut capture = b"89860413161892009275".to_vec();
    capture.extend_from_slice(&dny[2].1);
    capture.extend_from_slice(b"link");
    capture.extend_from_slice(&dny[3].1);
    let dir = std::env::temp_dir().join(format!("pilekit-encode-cap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("dny.bin");
    std::fs::write(&path, &capture).unwrap();
    let decoded = pilekit(&["decode", "--json", "--file", path.to_str().unwrap()], b"");
    assert!(decoded.status.success(), "{}", text(&decoded.stderr));
    let encoded = pilekit(&["encode", "--raw"], &decoded.stdout);
    assert!(encoded.status.success(), "{}", text(&encoded.stderr));
    assert_eq!(encoded.stdout, capture);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_bad_object_is_reported_with_its_line_and_the_rest_encoded() {
    let good = pilekit(
        &[
            "decode",
            "--json",
            "68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A",
        ],
        b"",
    );
    let mut input = b"{\"dialect\": \"ykc\", \"frame_type\": 3, \"name\": \"login\"}\n".to_vec();
    input.extend_from_slice(&good.stdout);
    let out = pilekit(&["encode"], &input);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("error in line 1: "),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        text(&out.stdout),
        "68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A\n"
    );
    let out = pilekit(&["encode"], b"{not json");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("invalid JSON in line 1"),
        "{}",
        text(&out.stderr)
    );
}
