//! The `pilekit decode` command as a user runs it.

use std::process::{Command, Output};

fn pilekit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pilekit"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .expect("runs")
}

const HEARTBEAT: &str = "68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A";

#[test]
fn lists_fields_with_units() {
    let out = pilekit(&["decode", HEARTBEAT]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("@0 ykc 0x03 heartbeat (up) seq 0001 crc low_byte_first\n"),
        "{text}"
    );
    assert!(
        text.contains("pile code                    32010200000001"),
        "{text}"
    );
    assert!(
        text.contains("gun condition                normal (0)"),
        "{text}"
    );
}

#[test]
fn json_lines_in_the_canonical_form() {
    let compact = HEARTBEAT.replace(' ', "");
    let out = pilekit(&["decode", "--json", HEARTBEAT, &compact]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0], lines[1]);
    assert_eq!(lines[0]["dialect"], "ykc");
    assert_eq!(lines[0]["frame_type"], 3);
    assert_eq!(lines[0]["name"], "heartbeat");
    assert_eq!(lines[0]["pile_code"], "32010200000001");
    assert_eq!(lines[0]["gun_condition"]["name"], "normal");
}

#[test]
fn a_bad_frame_fails_with_the_byte_offset() {
    let bad = HEARTBEAT.replace("F1 1A", "F1 1B");
    let out = pilekit(&["decode", HEARTBEAT, &bad]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err.trim(),
        "error at byte 15: checksum mismatch: frame carries `1BF1`, contents give `1AF1`"
    );
    // the good frame is still printed
    assert!(String::from_utf8(out.stdout).unwrap().contains("heartbeat"));
}

#[test]
fn lenient_decoding_lists_deviations() {
    // the heartbeat with two extra body bytes and a length byte that counts them
    let long = "68 0F 00 01 00 03 32 01 02 00 00 00 01 01 00 AA BB";
    let mut bytes = pilekit::hex::decode(long).unwrap();
    let crc = pilekit::codec::ykc::crc16_modbus(&bytes[2..]);
    bytes.extend_from_slice(&crc.to_le_bytes());
    let hex = pilekit::hex::encode(&bytes);
    let strict = pilekit(&["decode", &hex]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        String::from_utf8(strict.stderr)
            .unwrap()
            .contains("error at byte 1: length field declares a 11-byte body")
    );
    let lenient = pilekit(&["decode", "--lenient", "--json", &hex]);
    assert!(lenient.status.success());
    let v: serde_json::Value = serde_json::from_slice(&lenient.stdout).unwrap();
    assert_eq!(
        v["deviations"],
        serde_json::json!([{"kind": "long_body", "extra": 2}])
    );
    assert_eq!(v["extra"], "aabb");
}

#[test]
fn decodes_the_shipped_capture_as_a_stream() {
    let out = pilekit(&[
        "decode",
        "--json",
        "--file",
        "examples/captures/ykc-session.hex",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["name"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(names.first().map(String::as_str), Some("login"));
    assert_eq!(names.last().map(String::as_str), Some("transaction_ack"));
    assert!(names.contains(&"transaction_record".to_string()));
    assert_eq!(names.len(), 13);
}

#[test]
fn garbage_in_a_capture_is_reported_and_skipped() {
    let dir = std::env::temp_dir().join(format!("pilekit-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("noisy.bin");
    let mut bytes = vec![0x01, 0x02, 0x03];
    bytes.extend(pilekit::hex::decode(HEARTBEAT).unwrap());
    std::fs::write(&path, &bytes).unwrap();
    let out = pilekit(&["decode", "--file", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("error at byte 0: skipped 3 bytes")
    );
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("@3 ykc 0x03 heartbeat")
    );
}

#[test]
fn bad_hex_is_a_usage_error() {
    let out = pilekit(&["decode", "68 0G"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("invalid hex character `G` at offset 4")
    );
}
