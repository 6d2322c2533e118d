//! `hugi check`, `hugi init` and `hugi new` from the command line.

use crate::common::TestSite;

fn check(site: &TestSite, args: &[&str]) -> (i32, String) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let output = site
        .hugi(&all)
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

/// `location: message` pairs of a text report.
fn findings(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut message = None;
    for line in text.lines() {
        if let Some(m) = line
            .strip_prefix("error: ")
            .or_else(|| line.strip_prefix("warning: "))
        {
            message = Some(format!("{}: {m}", &line[..line.find(':').unwrap()]));
        } else if let (Some(location), Some(m)) = (line.trim().strip_prefix("--> "), message.take())
        {
            out.push(format!("{location} {m}"));
        }
    }
    out
}

#[test]
fn a_site_with_one_of_each_problem_gives_exactly_those_findings() {
    let site = TestSite::from_fixture("check-site");
    let (code, text) = check(&site, &[]);
    assert_eq!(code, 1, "{text}");
    assert_eq!(
        findings(&text),
        [
            "content warning: tag written as `Django`, `django`; shown as `Django`",
            "content/a/pycon.md:4:3 error: links to `../없는.md`, but content/없는.md does not exist",
            "content/a/pycon.md:5:3 error: anchor `#없는-앵커` is not on this page",
            "content/a/pycon.md:6:3 error: links to `/pycon-2/#없는`, but that page has no anchor `#없는`",
            "content/a/pycon.md:9:3 error: links to `img/none.png`, but content/a/img/none.png does not exist",
            "content/a/pycon.md:10:3 error: links to `/tags/없음/`, which is not a page of this site",
            "content/a/pycon.md:13:1 warning: session `빈 세션` has no notes",
            "content/b/pycon.md warning: slug `pycon` is taken by another note, so this one is at /pycon-2/",
            "content/untitled.md warning: no title: the file name `untitled` is used",
        ]
    );
    assert!(text.ends_with("5 error(s), 4 warning(s)\n"), "{text}");
    assert!(!site.public().exists(), "check writes nothing");
}

#[test]
fn json_output_has_the_same_findings() {
    let site = TestSite::from_fixture("check-site");
    let (code, text) = check(&site, &["--format", "json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["errors"], 5);
    assert_eq!(json["warnings"], 4);
    let first_error = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["severity"] == "error")
        .unwrap();
    assert_eq!(first_error["file"], "content/a/pycon.md");
    assert_eq!(first_error["line"], 4);
    assert_eq!(first_error["column"], 3);
    assert_eq!(first_error["source_line"], "- [없는 노트](../없는.md)");
}

#[test]
fn github_actions_gets_annotations() {
    let site = TestSite::from_fixture("check-site");
    let output = site
        .hugi(&["check"])
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("::error file=content/a/pycon.md,line=5,col=3::anchor `#없는-앵커` is not on this page\n"), "{text}");
    assert!(text.contains(
        "::warning file=content/a/pycon.md,line=13,col=1::session `빈 세션` has no notes\n"
    ));
}

#[test]
fn a_clean_site_passes_strict_and_warnings_only_fail_strict() {
    let clean = TestSite::from_fixture("clean-site");
    let (code, text) = check(&clean, &["--strict", "--explain"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains(
        "content/2024-03-02-clean.md: 2 session(s) by the heading structure (confidence high)"
    ));
    assert!(text.ends_with("0 error(s), 0 warning(s)\n"));

    let warned = TestSite::from_fixture("clean-site");
    warned.write(
        "content/2024-03-03-empty.md",
        "# 빈 세션 있는 행사\n## Talk : 비어 있음\n",
    );
    assert_eq!(check(&warned, &[]).0, 0);
    assert_eq!(check(&warned, &["--strict"]).0, 1);
}

#[test]
fn external_links_are_checked_only_when_asked() {
    let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = server.local_addr().unwrap().port();
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        for stream in server.incoming().take(6).flatten() {
            let mut stream = stream;
            let mut request = [0u8; 1024];
            let n = stream.read(&mut request).unwrap_or(0);
            let ok = String::from_utf8_lossy(&request[..n]).contains("/ok ");
            let status = if ok { "200 OK" } else { "404 Not Found" };
            let _ = stream.write_all(
                format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
        }
    });
    let site = TestSite::from_fixture("clean-site");
    site.write(
        "content/2024-05-01-links.md",
        format!("# 링크 행사\n## Talk : 링크\n- [좋은 링크](http://127.0.0.1:{port}/ok)\n- [깨진 링크](http://127.0.0.1:{port}/gone)\n- 영상은 http://127.0.0.1:{port}/bare에서 봄\n- 문의: someone@example.com, <other@example.com>\n"),
    );
    assert_eq!(
        check(&site, &[]).0,
        0,
        "external links are not fetched by default"
    );
    let (code, text) = check(&site, &["--external"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(&format!(
            "ok   200 http://127.0.0.1:{port}/ok (content/2024-05-01-links.md:3)"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "FAIL 404 http://127.0.0.1:{port}/gone (content/2024-05-01-links.md:4)"
        )),
        "{text}"
    );
    // A bare address is a link too, without the particle written after it.
    assert!(
        text.contains(&format!(
            "FAIL 404 http://127.0.0.1:{port}/bare (content/2024-05-01-links.md:5)"
        )),
        "{text}"
    );
}

#[test]
fn init_then_build_and_a_valid_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("notes");
    let output = assert_cmd::Command::cargo_bin("hugi")
        .unwrap()
        .args([
            "init",
            "--title",
            "나의 후기",
            "--base-url",
            "https://user.github.io/notes/",
        ])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let config = std::fs::read_to_string(site.join("config.toml")).unwrap();
    assert!(config.contains("title = \"나의 후기\""));
    assert_eq!(
        std::fs::read_to_string(site.join(".gitignore"))
            .unwrap()
            .lines()
            .next(),
        Some("public/")
    );
    let workflow = std::fs::read_to_string(site.join(".github/workflows/pages.yml")).unwrap();
    let yaml: serde_json::Value = serde_saphyr::from_str(&workflow).unwrap();
    assert!(
        yaml["jobs"]["build"]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["run"]
                .as_str()
                .is_some_and(|r| r.starts_with("hugi build")))
    );
    assert_eq!(
        yaml["jobs"]["deploy"]["steps"][0]["uses"],
        "actions/deploy-pages@v4"
    );
    let build = assert_cmd::Command::cargo_bin("hugi")
        .unwrap()
        .args(["build", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let check = assert_cmd::Command::cargo_bin("hugi")
        .unwrap()
        .args(["check", "--strict", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn init_refuses_a_non_empty_folder_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), "title = \"원래 것\"\n").unwrap();
    let run = |force: bool| {
        let mut command = assert_cmd::Command::cargo_bin("hugi").unwrap();
        command.arg("init").arg(dir.path());
        if force {
            command.arg("--force");
        }
        command.output().unwrap()
    };
    let refused = run(false);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is not empty"));
    assert!(!dir.path().join("content").exists());
    let forced = run(true);
    assert!(forced.status.success());
    let said = String::from_utf8_lossy(&forced.stdout);
    assert!(
        said.contains("kept") && said.contains("config.toml"),
        "{said}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("config.toml")).unwrap(),
        "title = \"원래 것\"\n"
    );
    assert!(dir.path().join(".github/workflows/pages.yml").exists());
}

#[test]
fn new_writes_a_draft_that_publishes_nothing_half_written() {
    let site = TestSite::new();
    site.write(
        "content/2024-10-26-pycon.md",
        "# 파이콘\n## Talk : 하나\n- 내용\n",
    );
    let new = |title: &str, date: &str| {
        assert_cmd::Command::cargo_bin("hugi")
            .unwrap()
            .args(["new", title, "--date", date, "-r"])
            .arg(site.root())
            .output()
            .unwrap()
    };
    let output = new("RustConf 2025 후기", "2025-09-10");
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let path = stdout
        .lines()
        .next()
        .unwrap()
        .strip_prefix("wrote ")
        .unwrap();
    assert!(
        path.ends_with("content/2025-09-10-rustconf-2025-후기.md"),
        "{stdout}"
    );
    assert!(stdout.contains("draft"), "{stdout}");
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.starts_with("+++\ntitle = \"RustConf 2025 후기\"\ndate = 2025-09-10\n"));
    assert!(text.contains("\ndraft = true"));
    site.build();
    assert!(
        !site.page("index.html").contains("RustConf 2025 후기"),
        "a draft is not published"
    );
    let drafts = site.hugi(&["build", "--drafts"]).output().unwrap();
    assert!(drafts.status.success());
    let home = site.page("index.html");
    assert!(home.contains("RustConf 2025 후기"));
    assert!(
        !home.contains("발표 제목"),
        "the example sessions are a comment, not pages: {home}"
    );

    assert_eq!(
        new("RustConf 2025 후기", "2025-09-10").status.code(),
        Some(1),
        "never overwrites"
    );
    let again = new("RustConf 2025 후기", "2025-09-12");
    assert_eq!(again.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains("content/2025-09-10-rustconf-2025-후기.md"),
        "{stderr}"
    );
    assert!(stderr.contains("/rustconf-2025-후기/"), "{stderr}");

    let elsewhere = tempfile::tempdir().unwrap();
    let outside = assert_cmd::Command::cargo_bin("hugi")
        .unwrap()
        .args(["new", "행사", "-r"])
        .arg(elsewhere.path())
        .output()
        .unwrap();
    assert_eq!(outside.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&outside.stderr).contains("not a hugi site"));
    assert!(!elsewhere.path().join("content").exists());
}

#[test]
fn minified_build_is_smaller_and_still_valid() {
    let site = TestSite::from_fixture("seed-style");
    site.build();
    let plain = site.page("pycon-2020/index.html").len();
    let plain_css = site.page("style.css").len();
    let output = site.hugi(&["build", "--minify"]).output().unwrap();
    assert!(output.status.success());
    let minified = site.page("pycon-2020/index.html");
    assert!(
        minified.len() < plain * 9 / 10,
        "{} vs {plain}",
        minified.len()
    );
    assert!(minified.contains("<h1 class=page-title>PyCon 2020 후기</h1>"));
    assert!(site.page("style.css").len() < plain_css);
}

#[test]
fn version_and_help() {
    let version = assert_cmd::Command::cargo_bin("hugi")
        .unwrap()
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(version.stdout).unwrap(),
        format!("hugi {}\n", env!("CARGO_PKG_VERSION"))
    );
    let help = assert_cmd::Command::cargo_bin("hugi")
        .unwrap()
        .args(["help", "check"])
        .output()
        .unwrap();
    let text = String::from_utf8(help.stdout).unwrap();
    assert!(
        text.contains("--strict") && text.contains("--format"),
        "{text}"
    );
}

#[test]
fn a_fresh_init_site_checks_clean_and_commands_take_short_flags_and_base_url() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("notes");
    let hugi = || assert_cmd::Command::cargo_bin("hugi").unwrap();
    assert!(
        hugi()
            .arg("init")
            .arg(&site)
            .output()
            .unwrap()
            .status
            .success()
    );
    let strict = hugi()
        .args(["check", "--strict", "-r"])
        .arg(&site)
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    assert!(
        strict.status.success(),
        "{}",
        String::from_utf8_lossy(&strict.stdout)
    );
    let checked = hugi()
        .args(["check", "--base-url", "notes.example.org/", "-r"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&checked.stdout).contains("has no scheme"),
        "check reads --base-url"
    );
    let out = dir.path().join("out");
    let built = hugi()
        .args(["build", "--base-url", "https://example.org/sub/", "-r"])
        .arg(&site)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(built.status.success());
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("href=\"/sub/"), "{home}");
}

#[test]
fn every_unknown_config_key_is_reported_at_once() {
    let site = TestSite::from_fixture("seed-style");
    site.write(
        "config.toml",
        "titel = \"a\"\n[markdown]\nhard_break = true\n[tags]\nper_pgae = 3\n",
    );
    let stderr = site.build_fails();
    for (key, line) in [("titel", 1), ("hard_break", 3), ("per_pgae", 5)] {
        assert!(stderr.contains(&format!("unknown key `{key}`")), "{stderr}");
        assert!(stderr.contains(&format!("config.toml:{line}:")), "{stderr}");
    }
    assert!(stderr.contains("3 error(s)"), "{stderr}");
}

#[test]
fn completions_for_each_shell_name_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let output = assert_cmd::Command::cargo_bin("hugi")
            .unwrap()
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&output.stdout);
        for word in ["build", "serve", "base-url", "allow-host"] {
            assert!(script.contains(word), "{shell}: {word}");
        }
    }
}

#[test]
fn a_config_file_can_be_named_and_a_piped_build_prints_no_progress() {
    let site = TestSite::from_fixture("seed-style");
    site.write("other.toml", "title = \"다른 설정\"\n");
    let other = site.root().join("other.toml");
    let output = site
        .hugi(&["build", "-c", other.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(site.page("index.html").contains("다른 설정"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains('\r') && !stderr.contains("building:"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.matches("built ").count(), 1, "one summary: {stdout}");

    let missing = site
        .hugi(&["build", "--config", "nope.toml"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nope.toml"));
}

#[test]
fn carets_line_up_under_the_error_on_korean_lines_in_every_kind_of_file() {
    let cells = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    // The caret line's blank is as wide as the source before the offending character.
    let lines_up = |stderr: &str, marker: &str| {
        let lines: Vec<&str> = stderr.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.contains(marker) && l.contains(" | "))
            .unwrap_or_else(|| panic!("{stderr}"));
        let source = lines[at].split_once(" | ").unwrap().1;
        let caret = lines[at + 1].split_once(" | ").unwrap().1;
        let before = &source[..source.find(marker).unwrap()];
        assert_eq!(
            cells(caret.trim_end_matches('^')),
            cells(before),
            "{stderr}"
        );
    };
    let site = TestSite::new();
    site.write("content/a.md", "# 가\n## Talk : 하나\n- 내용\n");
    site.write("config.toml", "title = \"한글 제목\" 꼬리\n");
    lines_up(&site.build_fails(), "꼬리");

    site.write("config.toml", "title = \"한글\"\n");
    site.write(
        "content/b.md",
        "# 나\n## Talk : 둘\n- 한국어 문장 뒤의 [링크](없는-글.md)\n",
    );
    lines_up(&site.build_fails(), "[링크]");
}

#[test]
fn tags_differing_in_spaces_hyphens_or_dots_are_merged_and_reported() {
    let site = TestSite::new();
    site.write(
        "content/a.md",
        "# 2024 후기\n## Talk : 하나\n태그: Droid Knights, Vue.js\n- 노트\n## Talk : 둘\n태그: DroidKnights, VueJS\n- 노트\n## Talk : 셋\n태그: droid-knights\n- 노트\n",
    );
    let (_, text) = check(&site, &[]);
    let found = findings(&text);
    assert!(
        found.contains(&"content warning: tag written as `Droid Knights`, `DroidKnights`, `droid-knights`; shown as `Droid Knights`".to_string()),
        "{text}"
    );
    assert!(
        found.contains(
            &"content warning: tag written as `Vue.js`, `VueJS`; shown as `Vue.js`".to_string()
        ),
        "{text}"
    );
    site.build();
    let page = site.page("tags/droid-knights/index.html");
    assert_eq!(page.matches("class=\"session-list\"").count(), 1);
    for title in ["하나", "둘", "셋"] {
        assert!(page.contains(&format!(">{title}</a>")), "{title}: {page}");
    }
    assert!(!site.public().join("tags/droidknights").exists());
}
