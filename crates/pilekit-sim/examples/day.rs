//! Runs the default community day and prints its summary.
fn main() {
    let t = std::time::Instant::now();
    let outcome = pilekit_sim::Scenario::default().run(|_, _| {});
    print!("{}", outcome.summary.text());
    eprintln!("{:?}", t.elapsed());
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/simday".into());
    outcome.write(std::path::Path::new(&dir)).unwrap();
}
