//! `hugi serve` over real HTTP on loopback: content types, Hangul paths, redirects, 404, HEAD,
//! validators, paths that try to leave the site, live reload events, the error overlay's events,
//! debouncing, and a clear message for a port in use.

use crate::common::{Server, TestSite, wait_for_event};

/// A one-note site with an image, and a file beside it that must never be served.
pub fn site() -> TestSite {
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
    assert!(wait_for_page(
        &server,
        "/n499/%EC%84%B8%EC%85%98-499/",
        "세션 499"
    ));
    std::thread::sleep(std::time::Duration::from_millis(500));
    // One rebuild, or a few on a machine so loaded that writing the files outlasts the longest
    // batch (a second); never one a file.
    let rebuilds = server.rebuilds() - before;
    assert!(
        (1..=3).contains(&rebuilds),
        "{rebuilds} rebuilds: {:?}",
        server.output.lock().unwrap()
    );
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

/// Waits until `path` is served with a body that contains `needle`.
fn wait_for_page(server: &Server, path: &str, needle: &str) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        if server.get(path).text().contains(needle) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    false
}

#[test]
fn the_watcher_follows_folders_and_config_that_are_replaced_deleted_and_restored() {
    let site = site();
    site.write("config.toml", "title = \"처음 제목\"\ntheme = \"mine\"\n");
    site.write(
        "themes/mine/theme.toml",
        "name = \"mine\"\nextends = \"default\"\n",
    );
    site.write("themes/mine/static/note.txt", "테마 하나");
    let server = Server::start(&site);
    let page = "/pycon/%ED%8C%8C%EC%9D%B4%EC%8D%AC-%ED%83%80%EC%9E%85/";
    assert!(server.get(page).text().contains("첫 내용"));
    let root = site.root();

    // content/ replaced by another folder moved into its place.
    site.write(
        "content.new/2024-10-26-pycon.md",
        "# 파이콘\n## Talk : 파이썬 타입\n- 바뀐 폴더의 내용\n",
    );
    std::fs::rename(root.join("content"), root.join("content.old")).unwrap();
    std::fs::rename(root.join("content.new"), root.join("content")).unwrap();
    assert!(wait_for_page(&server, page, "바뀐 폴더의 내용"));
    // The old folder is not watched any more, the new one is.
    site.write(
        "content.old/2024-10-26-pycon.md",
        "# 파이콘\n## Talk : 파이썬 타입\n- 옛 폴더\n",
    );
    site.write(
        "content/2024-10-26-pycon.md",
        "# 파이콘\n## Talk : 파이썬 타입\n- 새 폴더에서 고침\n",
    );
    assert!(wait_for_page(&server, page, "새 폴더에서 고침"));
    assert!(!server.get(page).text().contains("옛 폴더"));

    // content/ deleted (the site has no notes then: an error over the last good site), then
    // restored.
    std::fs::remove_dir_all(root.join("content")).unwrap();
    assert!(wait_for_page(&server, "/__hugi/state", "no notes found"));
    site.write(
        "content/2024-10-26-pycon.md",
        "# 파이콘\n## Talk : 파이썬 타입\n- 돌아온 내용\n",
    );
    assert!(wait_for_page(&server, page, "돌아온 내용"));
    site.write(
        "content/2024-10-26-pycon.md",
        "# 파이콘\n## Talk : 파이썬 타입\n- 돌아온 뒤 고침\n",
    );
    assert!(wait_for_page(&server, page, "돌아온 뒤 고침"));

    // themes/ replaced, then an edit inside the new one.
    site.write(
        "themes.new/mine/theme.toml",
        "name = \"mine\"\nextends = \"default\"\n",
    );
    site.write("themes.new/mine/static/note.txt", "테마 둘");
    std::fs::rename(root.join("themes"), root.join("themes.old")).unwrap();
    std::fs::rename(root.join("themes.new"), root.join("themes")).unwrap();
    assert!(wait_for_page(&server, "/note.txt", "테마 둘"));
    site.write("themes/mine/static/note.txt", "테마 셋");
    assert!(wait_for_page(&server, "/note.txt", "테마 셋"));

    // config.toml deleted (the site fails: its theme is not named), then restored.
    std::fs::remove_file(root.join("config.toml")).unwrap();
    assert!(wait_for_page(&server, "/note.txt", "404"));
    site.write(
        "config.toml.new",
        "title = \"돌아온 제목\"\ntheme = \"mine\"\n",
    );
    std::fs::rename(root.join("config.toml.new"), root.join("config.toml")).unwrap();
    assert!(wait_for_page(&server, "/", "돌아온 제목"));
    assert!(wait_for_page(&server, "/note.txt", "테마 셋"));
}

#[test]
fn broken_links_show_over_the_page_while_the_site_is_served() {
    let site = site();
    site.write(
        "content/2024-10-27-more.md",
        "# 더\n## Talk : 링크\n- [옛 글](../2023/deview.md)\n",
    );
    let server = Server::start(&site);
    assert_eq!(server.get("/more/%EB%A7%81%ED%81%AC/").status, 200);
    let state = server.get("/__hugi/state").text();
    assert!(state.contains("../2023/deview.md"), "{state}");
    site.write(
        "content/2024-10-27-more.md",
        "# 더\n## Talk : 링크\n- [파이콘](2024-10-26-pycon.md)\n",
    );
    assert!(wait_for_page(&server, "/__hugi/state", "\"error\":null"));
}

#[test]
fn the_error_page_and_overlay_speak_the_sites_language() {
    let site = site();
    site.write("config.toml", "language = \"en\"\n");
    site.write("content/broken.md", "+++\ntitle = \n+++\n");
    let server = Server::start(&site);
    let page = server.get("/");
    assert_eq!(page.status, 500);
    let text = page.text();
    assert!(text.contains("<html lang=\"en\">"), "{text}");
    assert!(text.contains("<title>Build error</title>"), "{text}");
    assert!(
        text.contains("data-heading=\"hugi: build error (showing the last site that built)\""),
        "{text}"
    );
    let korean = TestSite::new();
    korean.write("content/a.md", "# 가\n## Talk : 하나\n- 내용\n");
    let server = Server::start(&korean);
    assert!(
        server
            .get("/")
            .text()
            .contains("data-heading=\"hugi: 빌드 오류")
    );
}

#[test]
fn open_asks_the_desktop_quietly_and_leaves_no_zombie() {
    use std::os::unix::fs::PermissionsExt;
    let site = site();
    let bin = tempfile::tempdir().unwrap();
    let opener = bin.path().join("xdg-open");
    std::fs::write(
        &opener,
        "#!/bin/sh\necho opener-noise\necho opener-error >&2\n",
    )
    .unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:/usr/bin:/bin", bin.path().display());
    let server = Server::start_in(&site, &["--open"], &[("PATH", &path)]);
    std::thread::sleep(std::time::Duration::from_millis(800));
    let children = std::process::Command::new("ps")
        .args(["-o", "stat=", "--ppid", &server.pid().to_string()])
        .output()
        .unwrap();
    let states = String::from_utf8_lossy(&children.stdout);
    assert!(!states.contains('Z'), "a zombie: {states}");
    let printed = server.output.lock().unwrap().join("\n");
    assert!(!printed.contains("opener-"), "{printed}");

    let nowhere = tempfile::tempdir().unwrap();
    let path = format!("{}", nowhere.path().display());
    let server = Server::start_in(&site, &["--open"], &[("PATH", &path)]);
    assert!(server.wait_for(5, |lines| {
        lines
            .iter()
            .any(|l| l.contains("cannot open a browser here"))
    }));
}
