//! End-to-end tests of `hugi build` on fixture sites: the pages a reader opens, errors a writer
//! sees, and the guarantees about the output folder.

use crate::common::{TestSite, tree};
use unicode_normalization::UnicodeNormalization;

fn seed_site() -> TestSite {
    let site = TestSite::from_fixture("seed-style");
    site.build();
    site
}

#[test]
fn home_shows_each_event_with_its_first_sessions_and_a_count_of_the_rest() {
    let site = seed_site();
    let home = site.page("index.html");
    assert!(home.contains("<html lang=\"ko\">"));
    assert_eq!(home.matches("<h1").count(), 1, "one H1: {home}");
    assert!(home.contains("<h1 class=\"site-title\"><a href=\"/\">"));
    assert!(home.contains("<h2 id=\"year-2020\">2020년</h2>"), "{home}");
    assert!(
        home.contains("<h3><a href=\"/pycon-2020/\">PyCon 2020 후기</a></h3>"),
        "{home}"
    );
    assert!(home.contains("2020년 9월 26일"));
    assert!(home.contains("세션 8개"));
    assert!(home.contains("오픈소스가 교실에 들어갈 때</a>"), "{home}");
    assert!(home.contains("Blink Your Desk, with Python and LEDs!</a>"));
    assert!(
        !home.contains("Backend.AI에 점진적 typing 적용하기"),
        "only the first three sessions are listed"
    );
    assert!(home.contains("세션 5개 더 보기"), "{home}");
    assert!(
        !home.contains("(노트 없음)"),
        "no empty session on the home page"
    );
    assert!(!home.contains("class=\"pager\""), "one page only");
}

#[test]
fn home_pages_hold_per_page_events_grouped_by_year() {
    let site = TestSite::new();
    site.write(
        "config.toml",
        "title = \"노트\"\n[home]\nper_page = 4\nsessions = 1\n",
    );
    for n in 1..=9 {
        let year = if n <= 5 { 2024 } else { 2023 };
        site.write(
            &format!("content/{year}-0{n}-01-event-{n}.md"),
            format!("# 행사 {n}\n## Talk : 첫 발표 {n}\n- 노트\n## Talk : 둘째 발표 {n}\n- 노트\n"),
        );
    }
    site.build();
    let first = site.page("index.html");
    let second = site.page("page/2/index.html");
    let third = site.page("page/3/index.html");
    let titles = |page: &str| -> Vec<u32> {
        (1..=9)
            .filter(|n| page.contains(&format!(">행사 {n}</a></h3>")))
            .collect()
    };
    assert_eq!(titles(&first), vec![2, 3, 4, 5], "newest first");
    assert_eq!(titles(&second), vec![1, 7, 8, 9]);
    assert_eq!(titles(&third), vec![6]);
    assert!(second.contains("<h2 id=\"year-2024\">") && second.contains("<h2 id=\"year-2023\">"));
    assert!(!first.contains("year-2023"));
    assert!(first.contains("첫 발표 5</a>") && !first.contains("둘째 발표 5</a>"));
    assert!(first.contains("세션 1개 더 보기"));
    assert!(first.contains("<link rel=\"next\" href=\"/page/2/\">"));
    assert!(second.contains("<link rel=\"prev\" href=\"/\">"));
    assert!(second.contains("<link rel=\"next\" href=\"/page/3/\">"));
    assert!(second.contains("<title>노트 · 2쪽</title>"), "{second}");
    assert!(third.contains("3 / 3 쪽"));
    assert!(site.page("sitemap.xml").contains("/page/3/"));
}

#[test]
fn a_note_cannot_take_the_home_pages_folder() {
    let site = TestSite::new();
    site.write("content/page.md", "# page\n## Talk : 발표\n- 노트\n");
    site.build();
    assert!(site.page("note-page/index.html").contains("발표"));
}

#[test]
fn note_page_has_every_session_and_the_learned_section() {
    let site = seed_site();
    let note = site.page("pycon-2020/index.html");
    assert_eq!(note.matches("class=\"session-block\"").count(), 8);
    assert_eq!(note.matches("class=\"section-block\"").count(), 1);
    assert!(
        note.contains("<h2 id=\"배운-점\">"),
        "배운 점 stays a section on the note page"
    );
    assert!(
        note.contains("<h2 id=\"session-101--django-orm-queryset구조와-원리\">"),
        "{note}"
    );
    assert!(note.contains("<div class=\"table-scroll\"><table>"));
    assert!(note.contains("<td>Budget Map</td>"));
    assert!(!site.public().join("pycon-2020/배운-점").exists());
}

#[test]
fn session_page_has_breadcrumb_outline_and_neighbours() {
    let site = seed_site();
    let page = site.page("pycon-2020/django-orm-queryset-구조와-원리/index.html");
    // The breadcrumb ends at the event: the title is the heading right below it.
    assert!(page.contains("<a href=\"/pycon-2020/\">PyCon 2020 후기</a></nav>"));
    assert!(page.contains("<h1 class=\"page-title\">Django ORM (QuerySet)구조와 원리</h1>"));
    assert!(page.contains("<span class=\"badge\">Session 101</span>"));
    assert!(page.contains("<a href=\"#queryset-특--lazy-loading\">"));
    assert!(
        page.contains("<h3 id=\"queryset-특--lazy-loading-1\">"),
        "repeated heading gets -1"
    );
    assert!(
        page.contains("쿼리셋은 선언시에는 단순한 QuerySet 객체<br />\n-&gt; 리스트로"),
        "line breaks kept"
    );
    assert!(
        page.contains("rel=\"prev\" href=\"/pycon-2020/금융-문서를-위한-언어-모델-톺아보기/\"")
    );
    // The next talk has no notes (only its title): next skips to the one after it.
    assert!(
        page.contains("rel=\"next\" href=\"/pycon-2020/backend-ai에-점진적-typing-적용하기/\"")
    );
    assert!(page.contains("1분 분량"));
}

#[test]
fn korean_emphasis_and_nested_lists_render() {
    let site = seed_site();
    let page = site.page("pycon-2020/backend-ai에-점진적-typing-적용하기/index.html");
    assert!(page.contains("<em><strong>분리</strong></em> 하자!"));
    assert!(page.contains("<strong>파이썬(Python)</strong>으로"));
    assert!(page.contains("<strong>\"인용\"</strong>은"));
    let neuro = site.page("pycon-2020/파이썬으로-구현하는-신경세포-시뮬레이터/index.html");
    assert!(
        neuro.contains(
            "<li>supervised/unsupervised 학습 모두 가능\n<ul>\n<li>학습 정책이 구현되어 있음</li>"
        ),
        "{neuro}"
    );
}

#[test]
fn empty_session_still_has_a_page() {
    let site = seed_site();
    let page = site.page("pycon-2020/대본-프롬프터의-문장-유사도/index.html");
    assert!(page.contains("이 세션은 노트가 없습니다."));
    assert!(page.contains("rel=\"next\""), "it is not the last session");
}

#[test]
fn two_builds_are_byte_identical() {
    let site = TestSite::from_fixture("seed-style");
    site.write("content/2021-rust.md", "+++\ntitle = \"Rust\"\n+++\n## Talk : 하나\n```rust\nfn main() {}\n```\n## Talk : 둘\n- b\n");
    site.build();
    let first = tree(&site.public());
    std::fs::remove_dir_all(site.public()).unwrap();
    site.build();
    assert_eq!(first, tree(&site.public()));
    assert!(first.len() > 10);
}

#[test]
fn failed_build_keeps_the_previous_output() {
    let site = TestSite::from_fixture("seed-style");
    site.build();
    site.write("public/keep-me.txt", "user's file inside old output");
    let before = tree(&site.public());
    site.write("content/broken.md", "+++\ntitle = \"x\"\ndate = \n+++\n");
    let stderr = site.build_fails();
    assert!(stderr.contains("content/broken.md:3:"), "{stderr}");
    assert!(stderr.contains("left unchanged"), "{stderr}");
    assert_eq!(before, tree(&site.public()));
    assert!(
        !site.root().join(".public.hugi-previous").exists(),
        "the spare the failed build began is removed"
    );
}

#[test]
fn a_new_build_removes_pages_of_deleted_notes() {
    let site = TestSite::new();
    site.write("content/a.md", "# A\n## Talk : 하나\n- a\n");
    site.write("content/b.md", "# B\n## Talk : 둘\n- b\n");
    site.build();
    assert!(site.public().join("b/둘/index.html").exists());
    std::fs::remove_file(site.root().join("content/b.md")).unwrap();
    site.build();
    assert!(!site.public().join("b").exists());
    assert!(site.public().join("a/하나/index.html").exists());
}

#[test]
fn every_error_is_reported_in_one_run() {
    let site = TestSite::new();
    site.write("content/one.md", "---\ntitle: [unclosed\n---\n");
    site.write("content/two.md", "+++\ntitle = \n+++\n");
    site.write("content/three.md", b"# ok\n\xff\xfe\n".as_slice());
    site.write("content/fine.md", "+++\ndate = \"someday\"\n+++\n# fine\n");
    let stderr = site.build_fails();
    assert!(stderr.contains("content/one.md:2"), "{stderr}");
    assert!(stderr.contains("content/two.md:2:"), "{stderr}");
    assert!(stderr.contains("bad TOML front matter"), "{stderr}");
    assert!(stderr.contains("content/three.md:2:1"), "{stderr}");
    assert!(stderr.contains("not valid UTF-8"), "{stderr}");
    assert!(stderr.contains("3 error(s)"), "{stderr}");
}

#[test]
fn front_matter_of_other_tools_builds_with_warnings() {
    let site = TestSite::new();
    site.write(
        "content/react.md",
        "---\ntitle: 리액트 컨퍼런스\ndate: 2021/12/17\nspeakers:\n  - name: 김호성\n    org: 회사\n---\n## 세션 1 : 동시성\n- 내용\n",
    );
    site.write(
        "content/someday.md",
        "+++\ntitle = \"언젠가\"\ndate = \"someday\"\ntags = { a = 1 }\n+++\n## 세션 1 : 하나\n- 내용\n",
    );
    let output = site.hugi(&["build"]).output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("content/someday.md:3:1"), "{stderr}");
    assert!(
        stderr.contains("`someday` is not a date hugi reads"),
        "{stderr}"
    );
    assert!(stderr.contains("content/someday.md:4:1"), "{stderr}");
    assert!(
        stderr.contains("front-matter `tags` is not in a shape hugi reads"),
        "{stderr}"
    );
    let page = site.page("react/동시성/index.html");
    assert!(
        page.contains("2021년 12월 17일"),
        "the slashed date is read"
    );
    assert!(
        page.contains(">김호성</a>"),
        "the speaker map gives its name"
    );
}

#[test]
fn unknown_config_key_names_key_file_and_line() {
    let site = TestSite::new();
    site.write(
        "config.toml",
        "title = \"노트\"\n\n[markdown]\nhard_break = false\n",
    );
    site.write("content/a.md", "# a\n");
    let stderr = site.build_fails();
    assert!(
        stderr.contains("unknown key `hard_break` in [markdown]"),
        "{stderr}"
    );
    assert!(stderr.contains("config.toml:4:1"), "{stderr}");
    assert!(stderr.contains("4 | hard_break = false"), "{stderr}");
    assert!(stderr.contains("did you mean `hard_breaks`?"), "{stderr}");
}

#[test]
fn template_errors_point_into_the_template() {
    let site = TestSite::from_fixture("seed-style");
    for name in hugi::theme::REQUIRED_TEMPLATES {
        site.write(
            &format!("themes/mine/templates/{name}"),
            "<p>{{ page.title }}</p>",
        );
    }
    site.write(
        "themes/mine/templates/session.html",
        "<p>\n{{ session.nope }}</p>",
    );
    site.write("config.toml", "theme = \"mine\"\n");
    let stderr = site.build_fails();
    assert!(
        stderr.contains("themes/mine/templates/session.html:2:"),
        "{stderr}"
    );
}

#[test]
fn theme_missing_a_template_is_named() {
    let site = TestSite::from_fixture("seed-style");
    site.write("themes/mine/templates/index.html", "x");
    site.write("config.toml", "theme = \"mine\"\n");
    let stderr = site.build_fails();
    assert!(
        stderr.contains("theme `mine` has no template `session.html`"),
        "{stderr}"
    );
}

#[test]
fn nfd_file_names_and_text_become_nfc() {
    let site = TestSite::new();
    let name: String = "파이콘 후기.md".nfd().collect();
    let text: String = "# 파이콘 후기\n## 세션 : 타입 검사\n- 내용\n"
        .nfd()
        .collect();
    site.write(&format!("content/{name}"), text);
    site.build();
    let page = site.page("파이콘-후기/타입-검사/index.html");
    assert!(page.contains("<h1 class=\"page-title\">타입 검사</h1>"));
    assert!(site.page("index.html").contains("파이콘 후기"));
}

#[test]
fn bom_and_crlf_are_accepted() {
    let site = TestSite::new();
    site.write(
        "content/a.md",
        "\u{feff}# 윈도우 메모\r\n## Talk : 줄바꿈\r\n첫 줄\r\n둘째 줄\r\n",
    );
    site.build();
    let page = site.page("a/줄바꿈/index.html");
    assert!(page.contains("첫 줄<br />\n둘째 줄"), "{page}");
}

#[test]
fn slugs_clash_only_when_the_author_promised_them() {
    let site = TestSite::new();
    site.write("content/a.md", "+++\nslug = \"same\"\n+++\n# A\n");
    site.write("content/b.md", "---\nslug: same\n---\n# B\n");
    let stderr = site.build_fails();
    assert!(stderr.contains("content/b.md"), "{stderr}");
    assert!(
        stderr.contains("slug `same` is also used by content/a.md"),
        "{stderr}"
    );

    let site = TestSite::new();
    site.write(
        "content/2020/pycon.md",
        "# 2020\n## Talk : 같은 제목\n- a\n## Talk : 같은 제목\n- b\n## Talk : 같은 제목\n- c\n",
    );
    site.write("content/2021/pycon.md", "# 2021\n");
    site.build();
    for path in [
        "pycon/같은-제목",
        "pycon/같은-제목-2",
        "pycon/같은-제목-3",
        "pycon-2",
    ] {
        assert!(
            site.public().join(path).join("index.html").exists(),
            "{path}"
        );
    }
}

#[test]
fn ascii_slugs_romanise_hangul() {
    let site = TestSite::new();
    site.write("config.toml", "slug = \"ascii\"\n");
    site.write(
        "content/장고 모임.md",
        "# 장고 모임\n## 세션 : 장고 ORM 최적화\n- a\n",
    );
    site.build();
    assert!(
        site.public()
            .join("janggo-moim/janggo-orm-choejeokhwa/index.html")
            .exists()
    );
}

#[test]
fn drafts_only_with_the_flag() {
    let site = TestSite::new();
    site.write(
        "content/draft.md",
        "---\ntitle: 초안\ndraft: true\n---\n## Talk : 비밀\n- x\n",
    );
    site.write("content/public.md", "# 공개\n");
    site.build();
    assert!(!site.public().join("draft").exists());
    let output = site.hugi(&["build", "--drafts"]).output().unwrap();
    assert!(output.status.success());
    assert!(site.public().join("draft/비밀/index.html").exists());
}

#[test]
fn images_are_copied_beside_the_pages_that_use_them() {
    let site = TestSite::new();
    site.write("content/2024/pycon.md", "# 파이콘\n## Talk : 사진\n![무대](img/stage.png)\n[다른 후기](../2023/devfest.md#키노트--시작)\n\n![슬라이드 \"1\"](img/slide.svg \"첫 장\") ![밖](https://example.com/a.png)\n");
    // A PNG header for 1280×720: signature, IHDR length and type, width, height.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(1280u32.to_be_bytes());
    png.extend(720u32.to_be_bytes());
    png.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    site.write("content/2024/img/stage.png", &png);
    site.write(
        "content/2024/img/slide.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 160 90\"></svg>",
    );
    site.write(
        "content/2023/devfest.md",
        "# 데브페스트\n## 키노트 : 시작\n- a\n",
    );
    site.write("content/2023/notes.txt", "unlinked file");
    site.build();
    let page = site.page("pycon/사진/index.html");
    // Sizes read from the files; the page's first image loads at once, the others lazily.
    assert!(
        page.contains(
            "<img src=\"/pycon/img/stage.png\" alt=\"무대\" width=\"1280\" height=\"720\">"
        ),
        "{page}"
    );
    assert!(
        page.contains("<img src=\"/pycon/img/slide.svg\" alt=\"슬라이드 &quot;1&quot;\" title=\"첫 장\" width=\"160\" height=\"90\" loading=\"lazy\" decoding=\"async\">"),
        "{page}"
    );
    assert!(
        page.contains(
            "<img src=\"https://example.com/a.png\" alt=\"밖\" loading=\"lazy\" decoding=\"async\">"
        ),
        "{page}"
    );
    assert!(
        page.contains(
            "<a href=\"/devfest/#%ED%82%A4%EB%85%B8%ED%8A%B8--%EC%8B%9C%EC%9E%91\">다른 후기</a>"
        ),
        "{page}"
    );
    assert_eq!(
        std::fs::read(site.public().join("pycon/img/stage.png")).unwrap(),
        png
    );
    assert!(site.public().join("2023/notes.txt").exists());
}

#[test]
fn sub_path_sites_prefix_every_link() {
    let site = TestSite::from_fixture("seed-style");
    let output = site
        .hugi(&["build", "--base-url", "https://example.org/notes/"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let page = site.page("pycon-2020/index.html");
    assert!(page.contains("href=\"/notes/style.css\""));
    assert!(
        page.contains("<link rel=\"canonical\" href=\"https://example.org/notes/pycon-2020/\">")
    );
    let mut checked = 0;
    for (path, bytes) in tree(&site.public()) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for attribute in ["href=\"", "src=\"", "action=\""] {
            for url in html
                .split(attribute)
                .skip(1)
                .map(|s| s.split('"').next().unwrap())
            {
                checked += 1;
                let internal_ok = url.starts_with("/notes/") || url.starts_with('#');
                let external = url.starts_with("https://") || url.starts_with("data:");
                assert!(internal_ok || external, "{path}: {url}");
            }
        }
    }
    assert!(checked > 200, "{checked}");
    let feed = site.page("atom.xml");
    assert!(feed.contains("href=\"https://example.org/notes/pycon-2020/"));
}

#[test]
fn refuses_output_folders_that_hold_the_sources() {
    let site = TestSite::from_fixture("seed-style");
    for output in [".", "content", "content/public"] {
        let target = site.root().join(output);
        let result = site
            .hugi(&["build", "--output", target.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(result.status.code(), Some(1), "{output}");
        assert!(String::from_utf8_lossy(&result.stderr).contains("refusing"));
    }
    assert!(
        site.root()
            .join("content/2020-09-26-pycon-2020.md")
            .exists()
    );
}

#[test]
fn success_prints_one_summary_line() {
    let site = TestSite::from_fixture("seed-style");
    let stdout = site.build();
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with("built 1 notes, 8 sessions, 22 pages in "),
        "{stdout}"
    );
}

#[test]
fn a_root_that_does_not_exist_is_an_error_and_nothing_is_made() {
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("does-not-exist");
    for command in ["build", "check", "serve", "watch"] {
        let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("hugi"))
            .args([command, "--root"])
            .arg(&root)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{command}");
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(printed.contains("no such folder"), "{command}: {printed}");
        assert!(!root.exists(), "{command} made the folder");
    }
}

#[test]
fn a_site_without_notes_says_where_notes_go_and_where_markdown_was_found() {
    let site = TestSite::new();
    site.write("notes/2024-pycon.md", "# 파이콘\n## Talk : 하나\n- 내용\n");
    site.write("README.md", "# 내 사이트\n");
    let stderr = site.build_fails();
    assert!(stderr.contains("no notes found"), "{stderr}");
    assert!(stderr.contains("content"), "{stderr}");
    assert!(stderr.contains("notes/2024-pycon.md"), "{stderr}");
    assert!(!stderr.contains("README.md"), "{stderr}");
    assert!(!site.public().join("index.html").exists());

    let empty = TestSite::new();
    let stderr = empty.build_fails();
    assert!(stderr.contains("no notes found"), "{stderr}");
    assert!(stderr.contains("hugi new"), "{stderr}");
}

#[test]
fn broken_links_inside_the_site_stop_the_build_unless_told_to_warn() {
    let site = TestSite::new();
    site.write("content/2024-a.md", "# 가\n## Talk : 하나\n- 내용\n");
    site.build();
    let before = tree(&site.public());
    site.write(
        "content/2024-b.md",
        "# 나\n## Talk : 둘\n- [옛 글](../2023/deview-2023.md)와 [없는 곳](#없는-제목)\n- [가](2024-a.md#없음)\n",
    );
    let stderr = site.build_fails();
    assert!(
        stderr.contains("content/2024-b.md:3:3"),
        "file:line:column of the first: {stderr}"
    );
    assert!(stderr.contains("../2023/deview-2023.md"), "{stderr}");
    assert!(stderr.contains("anchor `#없는-제목`"), "{stderr}");
    assert!(
        stderr.contains("no anchor `#없음`"),
        "all of them: {stderr}"
    );
    assert_eq!(tree(&site.public()), before, "the output is left as it was");

    site.write("config.toml", "[build]\nbroken_links = \"warn\"\n");
    let output = site.hugi(&["build"]).output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("warning"), "{stderr}");
    assert!(stderr.contains("deview-2023.md"), "{stderr}");
    assert!(site.page("index.html").contains("나"));
}
