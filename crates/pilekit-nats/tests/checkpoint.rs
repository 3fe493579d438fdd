//! Checkpoints in parts, against a real `nats-server -js` (installed by `scripts/test-all.sh`).

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pilekit_nats::{Bus, Layout, checkpoint};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn nats_server() -> PathBuf {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/local/sbin")])
        .map(|d| d.join("nats-server"))
        .find(|p| p.is_file())
        .expect("this test needs `nats-server`: `apt-get install -y nats-server`")
}

/// A JetStream server on a free port, its store in a fresh directory; its URL.
fn start(dir: &std::path::Path) -> (Server, String) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(nats_server())
        .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nats-server starts");
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nats-server does not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    (server, format!("nats://127.0.0.1:{port}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_larger_than_a_message_is_stored_in_parts_and_read_back_whole() {
    let dir = std::env::temp_dir().join(format!("pilekit-nats-checkpoint-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (_server, url) = start(&dir);
    let bus = Bus::connect(&url, Layout::default()).await.unwrap();
    let store = bus.checkpoints().await.unwrap();
    let max_payload = bus.client.server_info().max_payload;

    // nothing there yet
    assert!(
        checkpoint::read(&store, "partition.7")
            .await
            .unwrap()
            .is_none()
    );

    // a value of 2.5 messages: three parts, read back byte for byte
    let big: Vec<u8> = (0..max_payload * 5 / 2).map(|i| (i % 251) as u8).collect();
    let part = max_payload - 4096;
    let first = checkpoint::write(
        &store,
        "partition.7",
        &big,
        part,
        checkpoint::generation("w1"),
    )
    .await
    .unwrap();
    assert_eq!(first.parts, 3);
    assert_eq!(first.bytes, big.len() as u64);
    let (back, head) = checkpoint::read(&store, "partition.7")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back, big);
    assert_eq!(head.as_ref(), Some(&first));

    // a newer value replaces it; the old parts are deleted and the new value is read
    let small = br#"{"seq":42}"#.to_vec();
    let second = checkpoint::write(
        &store,
        "partition.7",
        &small,
        part,
        checkpoint::generation("w2"),
    )
    .await
    .unwrap();
    assert_eq!(second.parts, 1);
    assert_ne!(second.generation, first.generation);
    checkpoint::remove_parts(&store, "partition.7", &first)
        .await
        .unwrap();
    let (back, _) = checkpoint::read(&store, "partition.7")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back, small);
    for i in 0..first.parts {
        let key = format!("partition.7.{}.{i}", first.generation);
        assert!(
            store.get(&key).await.unwrap().is_none(),
            "{key} is left behind"
        );
    }

    // a head whose part went missing is an error naming the part, never a short value
    let third = checkpoint::write(
        &store,
        "partition.8",
        &big,
        part,
        checkpoint::generation("w1"),
    )
    .await
    .unwrap();
    store
        .purge(format!("partition.8.{}.1", third.generation))
        .await
        .unwrap();
    let err = checkpoint::read(&store, "partition.8")
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("part 1 of 3"), "{err}");

    // a checkpoint stored whole (as before parts) is read as it is
    let whole = br#"{"seq":1,"station":{},"piles":{}}"#;
    store
        .put("partition.9", whole.to_vec().into())
        .await
        .unwrap();
    let (back, head) = checkpoint::read(&store, "partition.9")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back, whole);
    assert!(head.is_none());

    let _ = std::fs::remove_dir_all(&dir);
}
