//! What `hugi serve` lets in: only this machine's names as `Host` (pages of other sites cannot
//! read the preview through DNS rebinding), no file outside `content/` even through a link made
//! after the build, a deadline for request headers, caps on connections and on pages listening
//! for reloads, large files streamed in ranges, and a warning when other machines can connect.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::common::Server;
use crate::serve::site;

/// Asks for reload events; returns the connection and the status line's start.
fn listen(server: &Server) -> (TcpStream, [u8; 12]) {
    let mut stream = connect(server);
    stream
        .write_all(b"GET /__hugi/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).unwrap();
    (stream, head)
}

fn connect(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
}

#[test]
fn only_this_machines_names_are_answered_unless_allowed() {
    let site = site();
    let server = Server::start_with(&site, &["--allow-host", "notes.test"]);
    for host in ["127.0.0.1", "localhost:1111", "[::1]:1111", "notes.test"] {
        assert_eq!(server.raw_to(host, "GET", b"/", "").status, 200, "{host}");
    }
    for host in [
        "evil.example",
        "evil.example:1111",
        "127.0.0.1.evil.example",
    ] {
        let refused = server.raw_to(host, "GET", b"/", "");
        assert_eq!(refused.status, 403, "{host}");
        assert!(
            refused.text().contains("--allow-host"),
            "{}",
            refused.text()
        );
        let events = server.raw_to(host, "GET", b"/__hugi/state", "");
        assert_eq!(events.status, 403, "the preview's own endpoints too");
    }
    // Asked again: refused again, reported once.
    server.raw_to("evil.example", "GET", b"/", "");
    assert!(server.wait_for(5, |lines| {
        lines
            .iter()
            .any(|l| l.contains("refused a request for host \"evil.example"))
    }));
    let reports = |lines: &[String]| {
        lines
            .iter()
            .filter(|l| l.contains("refused a request for host \"evil.example"))
            .count()
    };
    assert_eq!(reports(&server.output.lock().unwrap()), 1);
}

#[test]
fn a_link_made_after_the_build_never_leads_out_of_content() {
    let site = site();
    let server = Server::start(&site);
    assert_eq!(server.get("/img/a.png").body, [137, 80, 78, 71]);
    let png = site.root().join("content/img/a.png");
    std::fs::remove_file(&png).unwrap();
    std::os::unix::fs::symlink(site.root().join("secret.txt"), &png).unwrap();
    // Served before the watcher sees the change, and after.
    for _ in 0..2 {
        let response = server.get("/img/a.png");
        assert!(!response.text().contains("outside the site"));
        assert_eq!(response.status, 404);
        std::thread::sleep(Duration::from_millis(300));
    }
}

#[test]
fn a_client_that_sends_no_headers_is_let_go() {
    let site = site();
    let server = Server::start(&site);
    let mut silent = connect(&server);
    let mut slow = connect(&server);
    slow.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    let started = Instant::now();
    let mut byte = [0u8; 1];
    for stream in [&mut silent, &mut slow] {
        // Closed by the server: end of stream (or a reset), not our 30 s read timeout.
        let read = stream.read(&mut byte);
        assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    }
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(25), "{waited:?}");
    assert_eq!(server.get("/").status, 200, "others are still served");
}

#[test]
fn connections_over_the_cap_are_refused_with_a_log_line() {
    let site = site();
    let server = Server::start(&site);
    // Each held open with a request under way, as a slow client would.
    let held: Vec<TcpStream> = (0..512)
        .map(|_| {
            let mut stream = connect(&server);
            stream.write_all(b"GET / HTTP/1.1\r\n").unwrap();
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let over = server.get("/");
    assert_eq!(over.status, 503, "{over:?}");
    assert!(server.wait_for(5, |lines| {
        lines.iter().any(|l| l.contains("512 connections are open"))
    }));
    drop(held);
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.get("/").status != 200 {
        assert!(Instant::now() < deadline, "served again once they closed");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn pages_listening_for_reloads_are_capped_with_a_log_line() {
    let site = site();
    let server = Server::start(&site);
    let listening: Vec<TcpStream> = (0..256)
        .map(|_| {
            let (stream, head) = listen(&server);
            assert_eq!(&head, b"HTTP/1.1 200");
            stream
        })
        .collect();
    let over = server.get("/__hugi/events");
    assert_eq!(over.status, 503);
    assert!(server.wait_for(5, |lines| {
        lines
            .iter()
            .any(|l| l.contains("256 pages are listening for reloads"))
    }));
    assert_eq!(server.get("/").status, 200, "pages are still served");
    drop(listening);
    // A page that went away gives its place back (noticed at the next write to it).
    let deadline = Instant::now() + Duration::from_secs(40);
    while server.get("/__hugi/state").status == 200 {
        if &listen(&server).1 == b"HTTP/1.1 200" {
            break;
        }
        assert!(Instant::now() < deadline, "places were given back");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn large_files_are_served_in_ranges() {
    let site = site();
    let video: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    site.write("content/talk.mp4", &video);
    let server = Server::start(&site);

    let whole = server.get("/talk.mp4");
    assert_eq!(whole.status, 200);
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));
    assert_eq!(whole.body, video);

    let part = server.raw("GET", b"/talk.mp4", "Range: bytes=1000-1999\r\n");
    assert_eq!(part.status, 206);
    assert_eq!(
        part.header("content-range"),
        Some("bytes 1000-1999/3000000")
    );
    assert_eq!(part.body, video[1000..2000]);

    let tail = server.raw("GET", b"/talk.mp4", "Range: bytes=-10\r\n");
    assert_eq!(tail.body, video[video.len() - 10..]);
    let open = server.raw("GET", b"/talk.mp4", "Range: bytes=2999990-\r\n");
    assert_eq!(open.body, video[2_999_990..]);

    let past = server.raw("GET", b"/talk.mp4", "Range: bytes=5000000-\r\n");
    assert_eq!(past.status, 416);
    assert_eq!(past.header("content-range"), Some("bytes */3000000"));

    // A range on an older version gives the whole file.
    let stale = server.raw(
        "GET",
        b"/talk.mp4",
        "Range: bytes=0-9\r\nIf-Range: \"old\"\r\n",
    );
    assert_eq!(stale.status, 200);
    assert_eq!(stale.body.len(), video.len());

    let head = server.raw("HEAD", b"/talk.mp4", "");
    assert_eq!(head.header("content-length"), Some("3000000"));
    assert!(head.body.is_empty());

    // Generated pages take ranges too.
    let page = server.raw("GET", b"/", "Range: bytes=0-14\r\n");
    assert_eq!(page.status, 206);
    assert_eq!(page.text(), "<!doctype html>");
}

#[test]
fn listening_where_other_machines_can_connect_is_warned_about() {
    let site = site();
    let open = Server::start_with(&site, &["--bind", "0.0.0.0"]);
    assert!(open.wait_for(5, |lines| {
        lines
            .iter()
            .any(|l| l.starts_with("warning: listening on 0.0.0.0"))
    }));
    let closed = Server::start(&site);
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        !closed
            .output
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("warning: listening")),
        "no warning on loopback"
    );
}
