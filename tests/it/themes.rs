//! Themes: the bundled `paper` theme, the site's own `templates/` and `static/` overriding single
//! files, `hugi theme eject`, a theme missing a template, and a theme needing a newer hugi.

use crate::common::TestSite;

#[test]
fn the_paper_theme_looks_different_and_falls_back_to_default_templates() {
    let site = TestSite::from_fixture("seed-style");
    let output = site.hugi(&["build", "--theme", "paper"]).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let css = site.page("style.css");
    assert!(css.contains("Noto Serif KR"), "paper's own stylesheet");
    assert!(
        site.page("pycon-2020/index.html")
            .contains("<h1 class=\"page-title\">PyCon 2020 후기</h1>")
    );
    site.write("config.toml", "theme = \"paper\"\n");
    site.build();
    assert!(site.page("style.css").contains("Noto Serif KR"));
}

#[test]
fn site_templates_and_static_override_single_files() {
    let site = TestSite::from_fixture("seed-style");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>길을 잃었어요</h1>{% endblock %}",
    );
    site.write("static/style.css", "body { color: rebeccapurple; }");
    site.write(
        "static/favicon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.build();
    assert!(site.page("404.html").contains("<h1>길을 잃었어요</h1>"));
    assert!(
        site.page("404.html").contains("class=\"site-header\""),
        "base.html still from the theme"
    );
    assert_eq!(site.page("style.css"), "body { color: rebeccapurple; }");
    assert!(site.public().join("favicon.svg").exists());
    assert!(
        site.page("index.html").contains("<nav class=\"site-nav\""),
        "other templates untouched"
    );
}

#[test]
fn eject_copies_a_bundled_theme_for_customisation() {
    let site = TestSite::from_fixture("seed-style");
    let output = site.hugi(&["theme", "eject", "paper"]).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let theme = site.root().join("themes/paper");
    for file in [
        "theme.toml",
        "templates/base.html",
        "templates/session.html",
        "static/style.css",
        "static/search-ui.js",
    ] {
        assert!(theme.join(file).exists(), "{file}");
    }
    let manifest = std::fs::read_to_string(theme.join("theme.toml")).unwrap();
    assert!(
        manifest.contains("name = \"paper\"") && !manifest.contains("extends"),
        "{manifest}"
    );
    std::fs::write(
        theme.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block main %}<p>내 테마</p>{% endblock %}",
    )
    .unwrap();
    site.write("config.toml", "theme = \"paper\"\n");
    site.build();
    assert!(site.page("404.html").contains("<p>내 테마</p>"));
    let again = site.hugi(&["theme", "eject", "paper"]).output().unwrap();
    assert_eq!(
        again.status.code(),
        Some(1),
        "never overwrites an ejected theme"
    );
}

#[test]
fn a_theme_needing_a_newer_hugi_is_refused() {
    let site = TestSite::from_fixture("seed-style");
    site.write(
        "themes/future/theme.toml",
        "name = \"future\"\nhugi = \">=99.0\"\nextends = \"default\"\n",
    );
    site.write("config.toml", "theme = \"future\"\n");
    let stderr = site.build_fails();
    assert!(
        stderr.contains("theme `future` needs hugi >=99.0"),
        "{stderr}"
    );
    assert!(stderr.contains("themes/future/theme.toml"), "{stderr}");
}

#[test]
fn an_unknown_theme_names_the_bundled_ones() {
    let site = TestSite::from_fixture("seed-style");
    site.write("config.toml", "theme = \"nope\"\n");
    let stderr = site.build_fails();
    assert!(stderr.contains("theme `nope` not found"), "{stderr}");
    assert!(
        stderr.contains("bundled themes: default, paper"),
        "{stderr}"
    );
}

#[test]
fn a_theme_names_the_pages_hugi_makes_in_its_own_language() {
    let site = TestSite::from_fixture("seed-style");
    site.write(
        "themes/english/theme.toml",
        "name = \"english\"\nextends = \"default\"\n\n[strings]\ntags = \"Tags\"\ntags_description = \"Sessions by topic\"\nnot_found = \"Page not found\"\n",
    );
    site.write("config.toml", "theme = \"english\"\n");
    site.build();
    let tags = site.page("tags/index.html");
    assert!(tags.contains("<title>Tags"), "{tags}");
    assert!(tags.contains("Sessions by topic"));
    assert!(site.page("404.html").contains("<title>Page not found"));
    assert!(
        site.page("speakers/index.html").contains("<title>발표자"),
        "strings the theme does not set come from the default theme"
    );
}

const HANGUL: fn(char) -> bool =
    |c| matches!(c, '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{AC00}'..='\u{D7A3}');

#[test]
fn an_english_site_is_one_config_value_away() {
    let site = TestSite::new();
    site.write("config.toml", "title = \"Notes\"\nlanguage = \"en\"\n");
    site.write(
        "content/2025-09-02-rustconf.md",
        "+++\ntitle = \"RustConf 2025\"\ndate = 2025-09-02\ntags = [\"rust\"]\n+++\n## Keynote : The state of Rust - Niko Matsakis\n- Async closures\n## Session 1 : Faster builds\n- Split crates\n",
    );
    site.build();
    let mut pages = 0;
    for (path, bytes) in crate::common::tree(&site.public()) {
        if path.ends_with(".html")
            || path.ends_with(".xml")
            || path == "site.js"
            || path == "search-ui.js"
        {
            let text = String::from_utf8(bytes).unwrap();
            let korean: String = text.chars().filter(|c| HANGUL(*c)).take(20).collect();
            assert!(korean.is_empty(), "{path}: {korean}");
            pages += 1;
        }
    }
    assert!(pages >= 10, "{pages}");
    let event = site.page("rustconf/index.html");
    assert!(event.contains("<html lang=\"en\">"));
    assert!(event.contains("September 2, 2025"), "{event}");
    assert!(event.contains("2 sessions"));
    assert!(
        site.page("speakers/niko-matsakis/index.html")
            .contains("1 session<")
    );
    assert!(site.page("tags/index.html").contains("<title>Tags"));
}

#[test]
fn a_theme_brings_words_for_a_language_hugi_has_none_for() {
    let site = TestSite::from_fixture("seed-style");
    site.write(
        "themes/mine/theme.toml",
        "name = \"mine\"\nextends = \"default\"\n",
    );
    site.write(
        "themes/mine/strings/ja.toml",
        "tags = \"タグ\"\nsessions = \"{n} セッション\"\n",
    );
    site.write("config.toml", "theme = \"mine\"\nlanguage = \"ja-JP\"\n");
    site.build();
    let tags = site.page("tags/index.html");
    assert!(tags.contains("<title>タグ"), "{tags}");
    assert!(tags.contains("<html lang=\"ja-JP\">"));
    assert!(
        site.page("speakers/index.html").contains("<title>Speakers"),
        "words the table leaves out are English"
    );
    assert!(site.page("index.html").contains("セッション"));
}

#[test]
fn an_unknown_word_in_a_theme_is_an_error_naming_its_file() {
    let site = TestSite::from_fixture("seed-style");
    site.write(
        "themes/mine/theme.toml",
        "name = \"mine\"\nextends = \"default\"\n\n[strings]\ntgas = \"Tags\"\n",
    );
    site.write("config.toml", "theme = \"mine\"\n");
    let stderr = site.build_fails();
    assert!(stderr.contains("themes/mine/theme.toml"), "{stderr}");
    assert!(stderr.contains("unknown string `tgas`"), "{stderr}");
}

#[test]
fn one_template_typo_is_one_error_however_many_pages_meet_it() {
    let site = TestSite::new();
    for n in 0..30 {
        site.write(
            &format!("content/n{n}.md"),
            format!("# 행사 {n}\n## Talk : 세션 {n}\n- 내용\n"),
        );
    }
    let session = include_str!("../../themes/default/templates/session.html").replace(
        "<h1 class=\"page-title\">{{ session.title }}</h1>",
        "<h1 class=\"page-title\">{{ session.titel | upper }}</h1>",
    );
    site.write("templates/session.html", session);
    let stderr = site.build_fails();
    assert_eq!(stderr.matches("template error").count(), 1, "{stderr}");
    assert!(stderr.contains("the same error 29 more times"), "{stderr}");
    assert!(stderr.contains("templates/session.html:6:"), "{stderr}");
    assert!(stderr.contains("build failed: 1 error(s)"), "{stderr}");
}
