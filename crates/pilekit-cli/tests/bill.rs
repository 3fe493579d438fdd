//! `pilekit bill` and `pilekit quote` as a user runs them.

use std::process::{Command, Output};

fn pilekit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pilekit"))
        .args(args)
        .output()
        .expect("runs")
}

fn plan(name: &str) -> String {
    format!(
        "{}/../../examples/plans/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn a_prepayment_on_a_monthly_card_plan_is_refused_not_dropped() {
    let card = plan("monthly-card");
    let times = ["--start", "2024-05-01T08:00", "--end", "2024-05-01T10:00"];
    let out = pilekit(&[&["bill", "--plan", &card, "--prepaid", "5"][..], &times].concat());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "error: payment by `prepaid` does not fit a `monthly_card` plan"
    );
    // without a payment, the session is covered by the card
    let out = pilekit(&[&["bill", "--plan", &card, "--json"][..], &times].concat());
    assert!(out.status.success());
    let bill: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(bill["total_yuan"], 0.0);
    // two ways of paying at once are refused
    let out = pilekit(
        &[
            &["bill", "--plan", &card, "--uses", "2", "--prepaid", "5"][..],
            &times,
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn one_yuan_buys_four_hours_not_a_minute_more() {
    let out = pilekit(&[
        "quote",
        "--plan",
        &plan("one-yuan-four-hours"),
        "--prepaid",
        "1",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let quote: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(quote["duration_s"], 14_400);
    assert_eq!(quote["cost_yuan"], 1.0);
}
