//! What a page tells link previews, search engines and comment or statistics services: the
//! image, date and `Article` data of note and session pages, and the comment thread, analytics
//! and verification tags that appear only when configured.

use crate::common::TestSite;

const NOTE: &str = "# 행사 2024 후기\n\n![무대](img/stage.png)\n\n## Talk : 첫 발표\n- 노트 `</script>` 끝\n## Talk : 둘째 발표\n![슬라이드](https://cdn.example.com/s.png)\n- 노트\n";

fn shared_site(config: &str) -> TestSite {
    let site = TestSite::new();
    site.write("config.toml", config);
    site.write("content/2024-05-01-event.md", NOTE);
    site.write(
        "content/img/stage.png",
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/clean-site/content/img/a.png"),
        )
        .unwrap(),
    );
    site.build();
    site
}

/// The value of `<meta property|name="key" content="…">` in a page, if there is one.
fn meta(page: &str, key: &str) -> Option<String> {
    let at = page
        .find(&format!("property=\"{key}\" content=\""))
        .or_else(|| page.find(&format!("name=\"{key}\" content=\"")))?;
    let rest = &page[at..];
    let start = rest.find("content=\"")? + 9;
    Some(rest[start..start + rest[start..].find('"')?].to_string())
}

fn json_ld(page: &str) -> serde_json::Value {
    let start = page.find("<script type=\"application/ld+json\">").unwrap() + 35;
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).unwrap()
}

#[test]
fn previews_show_the_sessions_image_else_the_events_else_the_sites() {
    let site = shared_site(
        "title = \"노트\"\nbase_url = \"https://example.org/notes/\"\nauthor = \"김작성\"\n[extra]\nog_image = \"/notes/card.png\"\n",
    );
    let first = site.page("event/첫-발표/index.html");
    let second = site.page("event/둘째-발표/index.html");
    let event = site.page("event/index.html");
    let tags = site.page("tags/index.html");
    let stage = "https://example.org/notes/event/img/stage.png";
    assert_eq!(
        meta(&first, "og:image").as_deref(),
        Some(stage),
        "the event's image"
    );
    assert_eq!(meta(&first, "twitter:image").as_deref(), Some(stage));
    assert_eq!(
        meta(&second, "og:image").as_deref(),
        Some("https://cdn.example.com/s.png"),
        "the session's own image"
    );
    assert_eq!(meta(&event, "og:image").as_deref(), Some(stage));
    assert_eq!(
        meta(&tags, "og:image").as_deref(),
        Some("https://example.org/notes/card.png"),
        "the site's image"
    );
    assert_eq!(
        meta(&first, "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    for page in [&first, &event] {
        assert_eq!(meta(page, "og:type").as_deref(), Some("article"));
        assert_eq!(
            meta(page, "article:published_time").as_deref(),
            Some("2024-05-01")
        );
    }
    assert_eq!(meta(&tags, "og:type").as_deref(), Some("website"));
    assert!(
        first
            .contains("<link rel=\"canonical\" href=\"https://example.org/notes/event/첫-발표/\">")
    );

    let article = json_ld(&first);
    assert_eq!(article["@type"], "Article");
    assert_eq!(article["headline"], "첫 발표");
    assert_eq!(article["inLanguage"], "ko");
    assert_eq!(article["datePublished"], "2024-05-01");
    assert_eq!(article["url"], "https://example.org/notes/event/첫-발표/");
    assert_eq!(article["image"], stage);
    assert_eq!(article["author"]["name"], "김작성");
    assert_eq!(
        article["description"], "노트 </script> 끝",
        "read whole: the text cannot end the script element early"
    );
    assert!(!tags.contains("application/ld+json"));
}

#[test]
fn without_an_image_anywhere_previews_are_summaries() {
    let site = TestSite::new();
    site.write("content/a.md", "# 행사\n## Talk : 발표\n- 노트\n");
    site.build();
    let page = site.page("a/발표/index.html");
    assert_eq!(meta(&page, "og:image"), None);
    assert_eq!(meta(&page, "twitter:card").as_deref(), Some("summary"));
}

#[test]
fn comments_analytics_and_verification_appear_only_when_configured() {
    let plain = shared_site("title = \"노트\"\n");
    for path in ["index.html", "event/index.html", "event/첫-발표/index.html"] {
        let page = plain.page(path);
        for external in [
            "giscus",
            "googletagmanager",
            "site-verification",
            "msvalidate",
        ] {
            assert!(!page.contains(external), "{path}: {external}");
        }
        let scripts: Vec<&str> = page
            .match_indices("<script src=\"")
            .map(|(i, _)| &page[i..i + 30])
            .collect();
        assert!(
            scripts.iter().all(|s| !s.contains("//")),
            "{path}: {scripts:?}"
        );
    }
    let configured = shared_site(concat!(
        "title = \"노트\"\n",
        "[comments.giscus]\nrepo = \"me/notes\"\nrepo_id = \"R_1\"\ncategory = \"댓글\"\ncategory_id = \"DIC_1\"\n",
        "[analytics]\ngoogle = \"G-ABC123\"\n",
        "[verification]\ngoogle = \"g-code\"\nnaver = \"n-code\"\nbing = \"b-code\"\n",
    ));
    let session = configured.page("event/첫-발표/index.html");
    assert!(session.contains("<script src=\"https://giscus.app/client.js\" data-repo=\"me/notes\" data-repo-id=\"R_1\" data-category=\"댓글\" data-category-id=\"DIC_1\""));
    assert!(session.contains("data-mapping=\"pathname\""));
    assert!(session.contains("data-lang=\"ko\""));
    let home = configured.page("index.html");
    assert!(!home.contains("giscus"), "comments are under sessions only");
    for page in [&home, &session] {
        assert_eq!(
            meta(page, "google-site-verification").as_deref(),
            Some("g-code")
        );
        assert_eq!(
            meta(page, "naver-site-verification").as_deref(),
            Some("n-code")
        );
        assert_eq!(meta(page, "msvalidate.01").as_deref(), Some("b-code"));
        assert!(page.contains("https://www.googletagmanager.com/gtag/js?id=G-ABC123"));
        assert!(page.contains("<script data-id=\"G-ABC123\">"));
    }
}

#[test]
fn a_misspelt_comments_key_is_an_error_naming_it() {
    let site = TestSite::new();
    site.write(
        "config.toml",
        "[comments.giscus]\nrepo = \"me/notes\"\nrepoid = \"R_1\"\n",
    );
    site.write("content/a.md", "# 행사\n## Talk : 발표\n- 노트\n");
    let error = site.build_fails();
    assert!(error.contains("config.toml:3"), "{error}");
    assert!(error.contains("repoid"), "{error}");
}

#[test]
fn aliases_redirect_earlier_addresses_to_the_note() {
    let site = TestSite::new();
    site.write("config.toml", "base_url = \"https://example.org/notes/\"\n");
    site.write(
        "content/a.md",
        "+++\ntitle = \"파이콘 2024 후기\"\naliases = [\"/파이콘-2024-휴기/\", \"/old/pycon.html\", \"%ED%8C%8C%EC%9D%B4%EC%BD%98/\"]\n+++\n## Talk : 발표\n- 노트\n",
    );
    site.build();
    for path in [
        "파이콘-2024-휴기/index.html",
        "old/pycon.html",
        "파이콘/index.html",
    ] {
        let page = site.page(path);
        assert!(
            page.contains("<meta http-equiv=\"refresh\" content=\"0; url=/notes/a/\">"),
            "{path}: {page}"
        );
        assert!(page.contains("<link rel=\"canonical\" href=\"https://example.org/notes/a/\">"));
        assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"));
    }
    assert!(
        !site.page("sitemap.xml").contains("휴기"),
        "redirects are not pages to index"
    );
}

#[test]
fn an_alias_taking_another_page_or_leaving_the_output_is_an_error() {
    let site = TestSite::new();
    site.write("content/a.md", "# 가\n## Talk : 발표\n- 노트\n");
    site.write(
        "content/b.md",
        "---\ntitle: 나\naliases: [/a/]\n---\n## Talk : 발표\n- 노트\n",
    );
    let error = site.build_fails();
    assert!(error.contains("content/b.md"), "{error}");
    assert!(error.contains("the event page of content/a.md"), "{error}");
    let output = site.hugi(&["check"]).output().unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success());
    assert!(
        report.contains("a redirect (`aliases`) of content/b.md"),
        "{report}"
    );

    let escaping = TestSite::new();
    escaping.write(
        "content/a.md",
        "---\ntitle: 가\naliases: [\"/../../outside/\"]\n---\n## Talk : 발표\n- 노트\n",
    );
    let error = escaping.build_fails();
    assert!(error.contains("not a path inside the output"), "{error}");
}
