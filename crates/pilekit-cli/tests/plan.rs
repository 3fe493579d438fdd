//! `pilekit plan --from-ykc` as a user runs it.

use std::process::{Command, Output};

fn pilekit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pilekit"))
        .args(args)
        .output()
        .expect("runs")
}

/// The billing model frame of the shipped capture.
fn model_frame() -> Vec<u8> {
    let capture = include_str!("../../../examples/captures/ykc-session.hex");
    let line = capture
        .lines()
        .skip_while(|l| !l.contains("time-of-use model"))
        .nth(1)
        .unwrap();
    pilekit::hex::decode(line).unwrap()
}

#[test]
fn prints_the_plan_of_a_ykc_billing_model() {
    let out = pilekit(&["plan", "--from-ykc", &pilekit::hex::encode(&model_frame())]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["family"], "time_of_use");
    assert_eq!(plan["rates"][0]["class"], "sharp");
    assert_eq!(plan["rates"][0]["energy_yuan_per_kwh"].to_string(), "1.2");
    assert_eq!(plan["rates"][3]["energy_yuan_per_kwh"].to_string(), "0.35");
    assert_eq!(plan["slots"][0], "valley");
    assert_eq!(plan["slots"][20], "sharp");
    assert_eq!(plan["slots"].as_array().unwrap().len(), 48);
}

#[test]
fn a_wrong_length_byte_needs_lenient() {
    let mut frame = model_frame();
    frame[1] = 0x5A;
    let hex = pilekit::hex::encode(&frame);
    let strict = pilekit(&["plan", "--from-ykc", &hex]);
    assert_eq!(strict.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&strict.stderr)
            .contains("error at byte 94: 4 bytes after the end of the frame")
    );
    let lenient = pilekit(&["plan", "--lenient", "--from-ykc", &hex]);
    assert!(lenient.status.success());
    assert!(
        String::from_utf8_lossy(&lenient.stderr)
            .contains("deviation: length field says 86 body bytes, the frame type has 90")
    );
}

#[test]
fn a_frame_that_is_not_a_billing_model_is_refused() {
    let out = pilekit(&[
        "plan",
        "--from-ykc",
        "68 0D 00 01 00 03 32 01 02 00 00 00 01 01 00 F1 1A",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("frame type 0x03 (heartbeat) is not a billing model")
    );
}
