//! `hugi serve` over real HTTP on loopback: content types, Hangul paths, redirects, 404, HEAD,
//! validators, paths that try to leave the site, live reload events, the error overlay's events,
//! debouncing, and a clear message for a port in use.

use crate::common::{Server, TestSite, wait_for_event};

fn site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/2024-10-26-pycon.md",
        "# 파이콘\n## Talk : 파이썬 타입\n- 첫 내용\n",
    );
    site.write("content/img/a.png", [137u8, 80, 78, 71]);
    site.write("secret.txt", "outside the site");
    site
}

#[test]
fn serves_pages_with_types_and_hangul_paths() {
    let site = site();
    let server = Server::start(&site);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-cache"));
    assert!(
        home.text().contains("/__hugi/livereload.js"),
        "live reload script injected"
    );

    let page = server.get("/pycon/%ED%8C%8C%EC%9D%B4%EC%8D%AC-%ED%83%80%EC%9E%85/");
    assert_eq!(page.status, 200);
    assert!(
        page.text()
            .contains("<h1 class=\"page-title\">파이썬 타입</h1>")
    );
    assert_eq!(
        server.get("/style.css").header("content-type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(
        server.get("/__hugi/livereload.js").header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(
        server.get("/img/a.png").header("content-type"),
        Some("image/png")
    );
    assert_eq!(server.get("/img/a.png").body, [137, 80, 78, 71]);
}

#[test]
fn redirects_404_head_and_validators() {
    let site = site();
    let server = Server::start(&site);
    let redirect = server.get("/pycon?x=1");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location"), Some("/pycon/?x=1"));

    let missing = server.get("/없는/페이지/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("페이지를 찾을 수 없습니다"));

    let head = server.raw("HEAD", b"/", "");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert!(
        head.header("content-length")
            .unwrap()
            .parse::<usize>()
            .unwrap()
            > 100
    );

    let etag = server.get("/").header("etag").unwrap().to_string();
    let cached = server.raw("GET", b"/", &format!("If-None-Match: {etag}\r\n"));
    assert_eq!(cached.status, 304);
    assert_eq!(
        server.raw("POST", b"/", "Content-Length: 0\r\n").status,
        405
    );
}

#[test]
fn nothing_outside_the_site_is_served() {
    let site = site();
    let server = Server::start(&site);
    let attempts: [&[u8]; 9] = [
        b"/../secret.txt",
        b"/%2e%2e/secret.txt",
        b"/%2E%2E/%2E%2E/etc/passwd",
        b"/img/..%2f..%2fsecret.txt",
        b"/..\\secret.txt",
        b"/%5c..%5csecret.txt",
        b"/%ff%fe",
        b"/\xff\xfe",
        b"/a%00b",
    ];
    for target in attempts {
        let response = server.raw("GET", target, "");
        let shown = String::from_utf8_lossy(target);
        assert!(
            (400..500).contains(&response.status),
            "{shown} gave {}",
            response.status
        );
        assert!(!response.text().contains("outside the site"), "{shown}");
    }
    let long = format!("/{}", "가".repeat(20_000));
    assert!((400..500).contains(&server.get(&long).status));
}

#[test]
fn an_edit_sends_a_reload_event_for_the_changed_page() {
    let site = site();
    let server = Server::start(&site);
    let event = wait_for_event(
        server.port,
        20,
        || {
            site.write(
                "content/2024-10-26-pycon.md",
                "# 파이콘\n## Talk : 파이썬 타입\n- 바뀐 내용\n",
            );
        },
        "\"changed\"",
    )
    .expect("a reload event");
    assert!(event.contains("/pycon/파이썬-타입/"), "{event}");
    assert!(event.contains("\"error\":null"), "{event}");
    let page = server.get("/pycon/%ED%8C%8C%EC%9D%B4%EC%8D%AC-%ED%83%80%EC%9E%85/");
    assert!(page.text().contains("바뀐 내용"));
    assert!(!page.text().contains("첫 내용"));
}

#[test]
fn a_broken_note_keeps_the_last_site_and_reports_then_clears_the_error() {
    let site = site();
    let server = Server::start(&site);
    let event = wait_for_event(
        server.port,
        20,
        || {
            site.write("content/2024-10-26-pycon.md", "+++\ntitle = \n+++\n");
        },
        "\"error\":\"",
    )
    .expect("an error event");
    assert!(event.contains("content/2024-10-26-pycon.md:2:"), "{event}");
    let page = server.get("/pycon/%ED%8C%8C%EC%9D%B4%EC%8D%AC-%ED%83%80%EC%9E%85/");
    assert_eq!(page.status, 200, "the last good site is still served");
    assert!(
        server
            .get("/__hugi/state")
            .text()
            .contains("content/2024-10-26-pycon.md:2:")
    );

    let fixed = wait_for_event(
        server.port,
        20,
        || {
            site.write(
                "content/2024-10-26-pycon.md",
                "# 파이콘\n## Talk : 파이썬 타입\n- 고친 내용\n",
            );
        },
        "\"error\":null",
    )
    .expect("a clearing event");
    assert!(fixed.contains("/pycon/"), "{fixed}");
    assert!(
        server
            .get("/__hugi/state")
            .text()
            .contains("\"error\":null")
    );
    assert!(server.wait_for(5, |lines| {
        lines
            .iter()
            .any(|l| l.contains("failed; still serving the last good site"))
    }));
}

#[test]
fn a_burst_of_writes_gives_one_rebuild() {
    let site = site();
    let server = Server::start(&site);
    let before = server.rebuilds();
    for n in 0..500 {
        site.write(
            &format!("content/burst/n{n}.md"),
            format!("# 노트 {n}\n## Talk : 세션 {n}\n- 내용\n"),
        );
    }
    assert!(server.wait_for(30, |lines| lines.iter().any(|l| l.starts_with("rebuilt "))));
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(
        server.rebuilds() - before,
        1,
        "{:?}",
        server.output.lock().unwrap()
    );
    assert_eq!(server.get("/n499/%EC%84%B8%EC%85%98-499/").status, 200);
}

#[test]
fn a_port_in_use_gives_a_clear_message() {
    let site = site();
    let server = Server::start(&site);
    let output = site
        .hugi(&["serve", "--port", &server.port.to_string()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("already in use"), "{stderr}");
    assert!(stderr.contains("--port 0"), "{stderr}");
}
