//! The preview server under load, on loopback only and bounded in time: 200 concurrent
//! connections with wrk (Debian `wrk`) give no errors and no memory growth afterwards; 100
//! live-reload clients all hear about a rebuild; slow clients do not hold up others.

use std::io::{BufRead, Write};
use std::time::{Duration, Instant};

use crate::common::{Server, TestSite};

fn big_site() -> TestSite {
    let site = TestSite::new();
    for n in 0..150 {
        let mut text = format!("# 부하 시험 행사 {n}\n");
        for s in 0..10 {
            text.push_str(&format!("## Session {s} : 세션 {n}-{s}\n### 소제목\n- 파이썬으로 **강조**는 내용 {n} {s}\n- Django 쿼리셋\n"));
        }
        site.write(&format!("content/2024-01-01-load-{n}.md"), text);
    }
    site
}

fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn wrk(port: u16, path: &str) -> String {
    let output = std::process::Command::new("wrk")
        .args(["-t2", "-c200", "-d4s", "--timeout", "4s", "--latency"])
        .arg(format!("http://127.0.0.1:{port}{path}"))
        .output()
        .expect("wrk is installed (Debian package wrk; .ci/run installs it)");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn two_hundred_connections_without_errors_or_memory_growth() {
    let site = big_site();
    let server = Server::start(&site);
    let path = "/load-7/%EC%84%B8%EC%85%98-7-3/";
    assert_eq!(server.get(path).status, 200);
    let first = wrk(server.port, path);
    println!("{first}");
    assert!(first.contains("Requests/sec"), "{first}");
    assert!(!first.contains("Non-2xx"), "{first}");
    assert!(!first.contains("Socket errors"), "{first}");
    let after_first = rss_kb(server.pid());
    let second = wrk(server.port, "/");
    println!("{second}");
    assert!(
        !second.contains("Non-2xx") && !second.contains("Socket errors"),
        "{second}"
    );
    let after_second = rss_kb(server.pid());
    assert!(after_first > 0);
    assert!(
        after_second <= after_first + after_first / 5 + 4096,
        "memory grew from {after_first} kB to {after_second} kB"
    );
}

#[test]
fn a_hundred_live_reload_clients_all_hear_a_rebuild() {
    let site = big_site();
    let server = Server::start(&site);
    let mut clients = Vec::new();
    for _ in 0..100 {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        stream
            .write_all(b"GET /__hugi/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut reader = std::io::BufReader::new(stream);
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
            line.clear();
        }
        clients.push(reader);
    }
    site.write(
        "content/2024-01-01-load-3.md",
        "# 바뀐 행사\n## Session 0 : 새 세션\n- 내용\n",
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut heard = 0;
    for reader in &mut clients {
        let mut line = String::new();
        while Instant::now() < deadline {
            line.clear();
            if reader.read_line(&mut line).is_ok()
                && line.starts_with("data:")
                && line.contains("/load-3/")
            {
                heard += 1;
                break;
            }
        }
    }
    assert_eq!(heard, 100);
}

#[test]
fn slow_clients_do_not_hold_up_others() {
    let site = big_site();
    let server = Server::start(&site);
    let mut slow = Vec::new();
    for _ in 0..64 {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        stream.write_all(b"GET / HT").unwrap();
        slow.push(stream);
    }
    let started = Instant::now();
    for _ in 0..20 {
        assert_eq!(server.get("/").status, 200);
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    drop(slow);
}
