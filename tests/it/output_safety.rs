//! What hugi writes and deletes: never outside the output folder whatever a slug or a link says,
//! never the files in the output that it did not write, and never one output over another —
//! `build`, `check` and `serve` all refuse a site whose files or slugs clash with generated
//! pages, naming both.

use std::path::Path;

use crate::common::{Server, TestSite, tree};

/// Every file of the temporary folder around the site, by path relative to it.
fn files_under(dir: &Path) -> Vec<String> {
    tree(dir).into_iter().map(|(path, _)| path).collect()
}

#[test]
fn slugs_without_letters_never_leave_the_output() {
    for (slug, style) in [
        ("!!!", "hangul"),
        ("🎉", "hangul"),
        ("../../..", "hangul"),
        ("/", "hangul"),
        ("ㅋㅋㅋ", "ascii"),
    ] {
        let site = TestSite::new();
        site.write(
            "config.toml",
            format!("title = \"t\"\nslug = \"{style}\"\n"),
        );
        site.write(
            "content/event.md",
            format!(
                "+++\ntitle = \"행사\"\nslug = \"{slug}\"\n+++\n# 행사\n\n[작업](etc/cron.d/job)\n\n## Session 1 : 첫 발표\n\n- 내용\n"
            ),
        );
        site.write("content/etc/cron.d/job", "* * * * * true\n");
        let before = files_under(site.root());
        site.build();
        let outside: Vec<String> = files_under(site.root())
            .into_iter()
            // The output, and hugi's own hidden siblings of it (spare output, lock).
            .filter(|p| !p.starts_with("public/") && !p.starts_with(".public.hugi-"))
            .filter(|p| !before.contains(p))
            .collect();
        assert!(outside.is_empty(), "{slug}: written outside: {outside:?}");
        let public = files_under(&site.public());
        // The note falls back to the slug of its title: `행사`, or `haengsa` in ASCII.
        let fallback = if style == "ascii" {
            "haengsa"
        } else {
            "행사"
        };
        for page in ["index.html", "첫-발표/index.html", "etc/cron.d/job"] {
            let page = format!("{fallback}/{page}");
            let page = page.replace(
                "첫-발표",
                if style == "ascii" {
                    "cheot-balpyo"
                } else {
                    "첫-발표"
                },
            );
            assert!(public.contains(&page), "{slug}: {page} in {public:?}");
        }
        assert!(
            !public.iter().any(|p| p == "etc/cron.d/job"),
            "{slug}: the linked file goes beside its note"
        );
        let home = site.page("index.html");
        assert!(
            !home.contains("href=\"//"),
            "{slug}: protocol-relative link"
        );
        let check = site.hugi(&["check"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&check.stderr);
        let stdout = String::from_utf8_lossy(&check.stdout);
        assert!(
            format!("{stdout}{stderr}").contains("has no letter or digit to keep"),
            "{slug}: check reports the slug:\n{stdout}{stderr}"
        );
    }
}

#[test]
fn long_titles_give_slugs_that_fit_file_names() {
    let site = TestSite::new();
    let title = "가".repeat(90) + &"나".repeat(90);
    site.write(
        "content/long.md",
        format!(
            "# {title}\n\n## Session 1 : {title}\n\n- 내용\n## Session 2 : {title} 2부\n\n- 내용\n"
        ),
    );
    site.hugi(&["check"]).assert().success();
    site.build();
    let public = files_under(&site.public());
    let sessions: Vec<&String> = public
        .iter()
        .filter(|p| p.starts_with("long/") && p.ends_with("/index.html") && p.len() > 20)
        .collect();
    assert_eq!(sessions.len(), 2, "{public:?}");
    for path in sessions {
        for part in path.split('/') {
            assert!(part.len() <= 120, "{part}: {} bytes", part.len());
        }
    }
}

#[test]
fn a_folder_hugi_did_not_make_is_refused_then_kept_when_forced() {
    let site = TestSite::new();
    site.write(
        "content/event.md",
        "# 행사\n\n## Session 1 : 발표\n\n- 내용\n",
    );
    site.write("docs/CNAME", "notes.example.com\n");
    site.write("docs/.git/HEAD", "ref: refs/heads/main\n");
    let docs = site.root().join("docs");
    let out = docs.to_str().unwrap();
    let output = site.hugi(&["build", "--output", out]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("holds files hugi did not write"),
        "{stderr}"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(files_under(&docs), [".git/HEAD", "CNAME"]);

    site.hugi(&["build", "--force", "--output", out])
        .assert()
        .success();
    // Later builds need no --force: the folder is hugi's now, the user's files stay theirs.
    site.write("docs/notes/todo.txt", "mine\n");
    for text in ["- 고친 내용\n", "- 또 고친 내용\n"] {
        site.write(
            "content/event.md",
            format!("# 행사\n\n## Session 2 : 새 발표\n\n{text}"),
        );
        site.hugi(&["build", "--output", out]).assert().success();
    }
    let files = files_under(&docs);
    for kept in [".git/HEAD", "CNAME", "notes/todo.txt"] {
        assert!(files.iter().any(|p| p == kept), "{kept} kept: {files:?}");
    }
    assert!(files.iter().any(|p| p == "event/새-발표/index.html"));
    assert!(
        !files.iter().any(|p| p == "event/발표/index.html"),
        "stale page removed"
    );
    assert_eq!(
        std::fs::read_to_string(docs.join("CNAME")).unwrap(),
        "notes.example.com\n"
    );
}

#[test]
fn static_files_are_the_way_to_ship_a_cname() {
    let site = TestSite::new();
    site.write(
        "content/event.md",
        "# 행사\n\n## Session 1 : 발표\n\n- 내용\n",
    );
    site.write("static/CNAME", "notes.example.com\n");
    site.build();
    assert_eq!(site.page("CNAME"), "notes.example.com\n");
}

/// Each of these shapes a site so that one of its files or slugs lands on a generated page.
const CLASHES: &[(&str, &str, &str)] = &[
    ("content/index.html", "<p>mine</p>", "`index.html`"),
    (
        "content/tags/index.html",
        "<p>mine</p>",
        "`tags/index.html`",
    ),
    ("content/atom.xml", "<feed/>", "`atom.xml`"),
    ("content/robots.txt", "User-agent: *", "`robots.txt`"),
    ("content/search/search.js", "alert(1)", "`search/search.js`"),
    ("content/style.css", "body{}", "`style.css`"),
    (
        "content/tagged.md",
        "+++\nslug = \"tags\"\n+++\n# 태그 행사\n",
        "`tags/index.html`",
    ),
    (
        "content/search.md",
        "---\nslug: search\n---\n# 검색 행사\n",
        "`search/index.html`",
    ),
    (
        "content/event/발표/index.html",
        "<p>mine</p>",
        "`event/발표/index.html`",
    ),
];

fn clashing_site(path: &str, text: &str) -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/event.md",
        "# 행사\n\n## Session 1 : 발표\n\n- 내용\n",
    );
    site.build();
    site.write(path, text);
    site
}

#[test]
fn a_file_or_slug_on_a_generated_page_fails_build_and_check_naming_both() {
    for (path, text, at) in CLASHES {
        let site = clashing_site(path, text);
        let before = tree(&site.public());
        let stderr = site.build_fails();
        assert!(stderr.contains(&format!("--> {path}")), "{path}:\n{stderr}");
        assert!(
            stderr.contains(&format!("would both be written to {at}")),
            "{path}:\n{stderr}"
        );
        assert_eq!(
            tree(&site.public()),
            before,
            "{path}: the output is untouched"
        );

        let check = site.hugi(&["check"]).output().unwrap();
        assert_eq!(check.status.code(), Some(1), "{path}: check fails too");
        let found = String::from_utf8_lossy(&check.stdout).to_string()
            + &String::from_utf8_lossy(&check.stderr);
        assert!(
            found.contains(&format!("would both be written to {at}")),
            "{path}:\n{found}"
        );
    }
}

#[test]
fn serve_reports_the_same_clash_instead_of_showing_either_page() {
    let site = TestSite::new();
    site.write(
        "content/event.md",
        "# 행사\n\n## Session 1 : 발표\n\n- 내용\n",
    );
    site.write("content/robots.txt", "User-agent: *\nDisallow: /mine\n");
    let server = Server::start(&site);
    let state = server.get("/__hugi/state").text();
    assert!(
        state.contains("would both be written to `robots.txt`"),
        "{state}"
    );
}

#[test]
fn site_wide_outputs_stay_in_the_places_the_layout_reserves() {
    let site = TestSite::from_fixture("seed-style");
    site.build();
    let theme_files = ["style.css", "site.js", "search-ui.js"];
    let files = hugi::site::SITE_FILES.iter().map(|(f, _)| *f);
    let folders: Vec<&str> = hugi::site::SITE_FOLDERS.iter().map(|(f, _)| *f).collect();
    for entry in std::fs::read_dir(site.public()).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        if entry.file_type().unwrap().is_dir() {
            let is_note = site
                .page(&format!("{name}/index.html"))
                .contains("session-block");
            assert!(folders.contains(&name.as_str()) || is_note, "{name}");
        } else {
            let known = files.clone().chain(theme_files).any(|f| f == name);
            assert!(known || name == ".hugi-manifest", "{name}");
        }
    }
}

#[test]
fn one_hugi_writes_an_output_at_a_time() {
    let site = TestSite::new();
    site.write(
        "content/event.md",
        "# 행사\n\n## Session 1 : 발표\n\n- 내용\n",
    );
    site.build();
    let before = tree(&site.public());
    // As if another build, or `hugi watch`, were writing this output right now.
    let held = hugi::write::lock_output(&site.public()).unwrap();
    site.write(
        "content/event.md",
        "# 행사\n\n## Session 1 : 바뀐 발표\n\n- 내용\n",
    );
    let output = site.hugi(&["build"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("another hugi"), "{stderr}");
    assert_eq!(tree(&site.public()), before, "the output was not touched");
    drop(held);
    site.build();
    assert!(site.public().join("event/바뀐-발표/index.html").exists());
}

#[test]
fn two_builds_at_once_never_leave_a_mixed_output() {
    let site = TestSite::new();
    for n in 0..40 {
        site.write(
            &format!("content/event-{n}.md"),
            format!("# 행사 {n}\n\n## Session 1 : 발표 {n}\n\n- 내용\n"),
        );
    }
    let start = || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("hugi"))
            .args(["build", "--root"])
            .arg(site.root())
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (start(), start());
    let results = [
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    ];
    let succeeded = results.iter().filter(|r| r.status.success()).count();
    assert!(succeeded >= 1, "at least one build finishes");
    for result in results.iter().filter(|r| !r.status.success()) {
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(
            stderr.contains("another hugi"),
            "the other says why: {stderr}"
        );
    }
    // Whatever the interleaving, the output is one whole build.
    let fresh = TestSite::new();
    for n in 0..40 {
        fresh.write(
            &format!("content/event-{n}.md"),
            format!("# 행사 {n}\n\n## Session 1 : 발표 {n}\n\n- 내용\n"),
        );
    }
    fresh.build();
    let strip = |files: Vec<(String, Vec<u8>)>| -> Vec<String> {
        files.into_iter().map(|(p, _)| p).collect()
    };
    assert_eq!(strip(tree(&site.public())), strip(tree(&fresh.public())));
}

#[test]
fn links_that_could_run_script_are_left_out_and_reported() {
    let site = TestSite::new();
    site.write(
        "content/event.md",
        "# 행사\n\n## Session 1 : 발표\n\n[발표영상](javascript:alert(document.cookie))\n\n- 내용 [여기](data:text/html,<script>x</script>)\n",
    );
    site.build();
    let page = site.page("event/발표/index.html");
    assert!(!page.contains("javascript:"), "{page}");
    assert!(!page.contains("data:text/html"), "{page}");
    assert!(page.contains("여기"), "the link's text stays");
    let output = site.hugi(&["check"]).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("content/event.md:5:1"), "{text}");
    assert!(
        text.contains("is left out of the page: it could run script"),
        "{text}"
    );
}
