//! Virtual piles over loopback TCP against an in-process gateway: every charge the piles ran
//! and saw acknowledged has exactly one receipt.

use std::time::Duration;

use pilekit::session::{Config, Station};
use pilekit_gateway::{Gateway, GatewayOptions};
use pilekit_sim::remote::{Addr, Remote, reconcile};
use pilekit_sim::sim::{BIKE_PLAN, DEFAULT_START};

#[test]
fn piles_over_tcp_are_billed_exactly_once() {
    let dir = std::env::temp_dir().join(format!("pilekit-remote-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("gateway.db");
    let _ = std::fs::remove_file(&db);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let plan = serde_json::from_str(BIKE_PLAN).unwrap();
        let mut options = GatewayOptions::new(&db);
        options.checkpoint = Duration::from_secs(1);
        let gateway =
            Gateway::start(options, move || Station::new(Config::default(), plan)).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(gateway.serve(listener, async {
            let _ = stopped.await;
        }));
        let remote = Remote {
            addr: Addr::new(addr),
            piles: 12,
            sockets: 10,
            speed: 7200,
            duration_s: 8 * 3600,
            seed: 7,
            start: DEFAULT_START + 18 * 3600,
            arrivals_per_socket_permille: 3000,
        };
        let report = remote.run().await;
        let _ = stop.send(());
        server.await.unwrap().unwrap();
        assert!(
            report.records.len() > 50,
            "{} charges",
            report.records.len()
        );
        assert_eq!(report.unacknowledged, 0);
        assert!(report.records.iter().all(|r| r.acknowledged));
        let receipts: Vec<serde_json::Value> = pilekit_gateway::receipts(&db)
            .unwrap()
            .iter()
            .map(|r| serde_json::from_str(r).unwrap())
            .collect();
        assert_eq!(reconcile(&report.records, &receipts), (0, 0));
        assert_eq!(receipts.len(), report.records.len());
        assert!(report.latency_us(500) > 0);
    });
    let _ = std::fs::remove_dir_all(&dir);
}
