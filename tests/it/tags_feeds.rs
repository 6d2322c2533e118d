//! Tags, tag and event indexes, feeds, sitemap and robots.txt, end to end.

use crate::common::TestSite;

fn tagged_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "config.toml",
        "title = \"노트\"\nbase_url = \"https://example.org/notes/\"\n[tags]\nper_page = 2\n[tags.aliases]\n\"장고\" = \"Django\"\n",
    );
    site.write(
        "content/2020-09-26-pycon-2020.md",
        "# PyCon 2020 후기\n## Session 101 : Django ORM (QuerySet)구조와 원리\n태그: 장고, 성능\n- 내용\n## Session 102 : Backend.AI에 점진적 typing 적용하기\nTags: python, django\n- 내용\n## Keynote : 파이썬 커뮤니티\n#커뮤니티 #Django\n- 내용\n",
    );
    site.write(
        "content/2021-10-01-djangocon.md",
        "---\ntitle: DjangoCon 2021 후기\ntags: [django]\n---\n## Talk : 마이그레이션 이야기\n- 내용\n## Talk : 템플릿\n- 내용\n",
    );
    site.write("content/undated-b.md", "# 나중 메모\n## Talk : 하나\n- x\n");
    site.write(
        "content/undated-a.md",
        "# 가장 먼저 제목순\n## Talk : 둘\n- y\n",
    );
    site.build();
    site
}

#[test]
fn seed_style_titles_give_the_expected_tags_and_no_file_names() {
    let site = TestSite::from_fixture("seed-style");
    site.build();
    let tags = site.page("tags/index.html");
    let listed: Vec<&str> = tags
        .split("<li><a href=\"")
        .skip(1)
        .map(|s| s.split('>').nth(1).unwrap().split('<').next().unwrap())
        .collect();
    assert_eq!(
        listed,
        [
            "PyCon",
            "Backend.AI",
            "Django",
            "LEDs",
            "ORM",
            "QuerySet",
            "typing"
        ]
    );
}

#[test]
fn tag_lines_aliases_and_case_merge() {
    let site = tagged_site();
    let page = site.page("tags/django/index.html");
    // 장고 (alias), django, Django and DjangoCon's front matter all land on one tag.
    assert!(
        page.contains("<h1 class=\"page-title\">#django</h1>")
            || page.contains("<h1 class=\"page-title\">#Django</h1>"),
        "{page}"
    );
    assert!(page.contains("세션 5개"), "{page}");
    let session = site.page("pycon-2020/django-orm-queryset-구조와-원리/index.html");
    assert!(
        session.contains("href=\"/notes/tags/성능/\">#성능</a>"),
        "{session}"
    );
    assert!(
        !session.contains("태그: 장고"),
        "the tag line is not rendered"
    );
    assert!(!site.public().join("tags/장고").exists());
    let community = site.page("pycon-2020/파이썬-커뮤니티/index.html");
    assert!(community.contains("href=\"/notes/tags/커뮤니티/\""));
    assert!(!community.contains("#커뮤니티 #Django</p>"));
}

#[test]
fn tags_index_sorts_by_count_then_korean_then_latin() {
    let site = tagged_site();
    let page = site.page("tags/index.html");
    let list = page.split("class=\"tag-list\"").nth(1).unwrap();
    let names: Vec<&str> = list
        .split("</a> <span class=\"count\">")
        .filter_map(|s| s.rsplit('>').next())
        .collect();
    let first: Vec<&str> = names.iter().take(4).copied().collect();
    assert_eq!(first[0].to_lowercase(), "django");
    assert!(page.contains("class=\"tag-cloud\""));
    let korean = names.iter().position(|n| *n == "성능").unwrap();
    let latin = names.iter().position(|n| *n == "typing").unwrap();
    assert!(
        korean < latin,
        "가나다 before ABC among equal counts: {names:?}"
    );
}

#[test]
fn large_tags_paginate_with_rel_links() {
    let site = tagged_site();
    // 5 sessions at 2 per page: /tags/django/, page/2/, page/3/.
    let first = site.page("tags/django/index.html");
    assert!(
        first.contains("<link rel=\"next\" href=\"/notes/tags/django/page/2/\">"),
        "{first}"
    );
    assert!(!first.contains("rel=\"prev\""));
    let middle = site.page("tags/django/page/2/index.html");
    assert!(middle.contains("<link rel=\"prev\" href=\"/notes/tags/django/\">"));
    assert!(middle.contains("<link rel=\"next\" href=\"/notes/tags/django/page/3/\">"));
    let last = site.page("tags/django/page/3/index.html");
    assert!(last.contains("rel=\"prev\""));
    assert!(!last.contains("rel=\"next\""));
    assert!(!site.public().join("tags/django/page/4").exists());
    // Newest event first: DjangoCon 2021 sessions open the first page.
    assert!(
        first.find("DjangoCon 2021 후기").unwrap()
            < first.find("PyCon 2020 후기").unwrap_or(usize::MAX)
    );
}

#[test]
fn events_by_year_with_undated_last_by_title() {
    let site = tagged_site();
    let page = site.page("events/index.html");
    let order = [
        "2021년",
        "DjangoCon 2021 후기",
        "2020년",
        "PyCon 2020 후기",
        "날짜 없음",
        "가장 먼저 제목순",
        "나중 메모",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|s| page.find(s).unwrap_or_else(|| panic!("{s}")))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    assert!(site.page("index.html").contains("2021년 10월 1일"));
}

fn child<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    node.children().find(|c| c.tag_name().name() == name)
}

#[test]
fn feeds_are_valid_atom_with_absolute_urls() {
    let site = tagged_site();
    for feed in ["atom.xml", "tags/django/atom.xml"] {
        let text = site.page(feed);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{feed}: {e}"));
        let root = doc.root_element();
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2005/Atom")
        );
        for required in ["id", "title", "updated", "author"] {
            assert!(child(root, required).is_some(), "{feed} lacks {required}");
        }
        let self_link = root
            .children()
            .find(|c| c.tag_name().name() == "link" && c.attribute("rel") == Some("self"))
            .unwrap();
        assert_eq!(
            self_link.attribute("href"),
            Some(format!("https://example.org/notes/{feed}").as_str())
        );
        let entries: Vec<_> = root
            .children()
            .filter(|c| c.tag_name().name() == "entry")
            .collect();
        assert!(!entries.is_empty());
        for entry in entries {
            for required in ["id", "title", "updated", "link"] {
                assert!(
                    child(entry, required).is_some(),
                    "{feed} entry lacks {required}"
                );
            }
            let href = child(entry, "link").unwrap().attribute("href").unwrap();
            assert!(href.starts_with("https://example.org/notes/"), "{href}");
            assert!(href.is_ascii(), "percent-encoded: {href}");
            let updated = child(entry, "updated").unwrap().text().unwrap();
            assert_eq!(updated.len(), 20, "RFC 3339: {updated}");
        }
    }
    let atom = site.page("atom.xml");
    assert!(
        atom.find("마이그레이션 이야기").unwrap() < atom.find("Django ORM").unwrap(),
        "newest first"
    );
}

#[test]
fn sitemap_lists_every_page_and_robots_points_to_it() {
    let site = tagged_site();
    let text = site.page("sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let locs: Vec<String> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .map(|n| n.text().unwrap().to_string())
        .collect();
    let pages = crate::common::tree(&site.public())
        .into_iter()
        .filter(|(p, _)| p.ends_with("index.html") && p != "search/index.html")
        .count();
    assert_eq!(
        locs.len(),
        pages,
        "one <loc> per page (404 and search excluded)"
    );
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://example.org/notes/") && l.is_ascii())
    );
    assert_eq!(
        site.page("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/notes/sitemap.xml\n"
    );
}

#[test]
fn pages_announce_feeds_canonical_and_open_graph() {
    let site = tagged_site();
    for page in [
        "index.html",
        "pycon-2020/index.html",
        "tags/index.html",
        "events/index.html",
        "tags/django/index.html",
    ] {
        let html = site.page(page);
        assert!(
            html.contains("<link rel=\"alternate\" type=\"application/atom+xml\""),
            "{page}"
        );
        assert!(
            html.contains("<link rel=\"canonical\" href=\"https://example.org/notes/"),
            "{page}"
        );
        assert!(
            html.contains("<meta property=\"og:locale\" content=\"ko_KR\">"),
            "{page}"
        );
        assert!(html.contains("<meta property=\"og:title\""), "{page}");
    }
    let tag = site.page("tags/django/index.html");
    assert!(tag.contains("href=\"/notes/tags/django/atom.xml\""));
    let session = site.page("pycon-2020/django-orm-queryset-구조와-원리/index.html");
    assert!(
        session.contains("<meta name=\"description\" content=\"내용\">"),
        "{session}"
    );
}

#[test]
fn links_lead_from_the_tag_list_to_a_tag_to_a_session() {
    let site = tagged_site();
    let href = |html: &str, text: &str| -> String {
        let at = html
            .find(&format!(">{text}<"))
            .unwrap_or_else(|| panic!("no link {text}"));
        let start = html[..at].rfind("href=\"").unwrap() + 6;
        html[start..].split('"').next().unwrap().to_string()
    };
    let to_path = |url: &str| format!("{}index.html", url.strip_prefix("/notes/").unwrap());
    let tags = site.page("tags/index.html");
    let tag_page = site.page(&to_path(&href(&tags, "성능")));
    let session = site.page(&to_path(&href(
        &tag_page,
        "Django ORM (QuerySet)구조와 원리",
    )));
    assert!(session.contains("<h1 class=\"page-title\">Django ORM (QuerySet)구조와 원리</h1>"));
}

#[test]
fn auto_tags_can_be_turned_off() {
    let site = TestSite::new();
    site.write("config.toml", "[tags]\nauto = false\n");
    site.write(
        "content/a.md",
        "# PyCon 2020 후기\n## Session 1 : Django ORM\n- x\n",
    );
    site.build();
    assert!(!site.public().join("tags/django").exists());
    assert!(!site.public().join("tags/pycon").exists());
}

/// The titles a session page lists as related, in order.
fn related_titles(page: &str) -> Vec<String> {
    let Some(start) = page.find("<aside class=\"related\"") else {
        return Vec::new();
    };
    let aside = &page[start..start + page[start..].find("</aside>").unwrap()];
    aside
        .split("<li><a href=\"")
        .skip(1)
        .map(|li| {
            li.split('>')
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn related_sessions_come_from_other_events_by_shared_rare_tags_and_speakers() {
    let site = TestSite::new();
    site.write("config.toml", "[tags]\nauto = false\n");
    site.write(
        "content/2024-05-01-a.md",
        "# 행사 A\n## Talk : 기준 발표\n태그: Django, 웹\n발표자: 김파이\n- 노트\n## Talk : 같은 행사의 장고\n태그: Django, 웹\n- 노트\n",
    );
    // 웹 is on every session: shared alone it counts for little.
    let others = [
        ("2024-04-01-b", "장고와 웹", "Django, 웹", ""),
        ("2024-03-01-c", "웹만 같은 발표", "웹", ""),
        ("2024-02-01-d", "같은 발표자", "웹", "발표자: 김파이\n"),
        ("2024-01-01-e", "오래된 장고", "Django, 웹", ""),
        ("2023-12-01-f", "웹만 같은 옛 발표", "웹", ""),
        ("2023-11-01-g", "웹만 같은 더 옛 발표", "웹", ""),
        ("2023-10-01-h", "노트 없는 장고", "Django, 웹", "NONE"),
    ];
    for (file, title, tags, speaker) in others {
        let body = if speaker == "NONE" {
            String::new()
        } else {
            format!("{speaker}- 노트\n")
        };
        site.write(
            &format!("content/{file}.md"),
            format!("# 행사 {file}\n## Talk : {title}\n태그: {tags}\n{body}"),
        );
    }
    site.build();
    let page = site.page("a/기준-발표/index.html");
    assert_eq!(
        related_titles(&page),
        [
            "같은 발표자",
            "장고와 웹",
            "오래된 장고",
            "웹만 같은 발표",
            "웹만 같은 옛 발표"
        ],
        "speaker, then Django (newer first), then 웹 alone; five at most; {page}"
    );
    let lonely = TestSite::new();
    lonely.write("content/a.md", "# 행사\n## Talk : 혼자\n- 노트\n");
    lonely.build();
    assert!(
        !lonely
            .page("a/혼자/index.html")
            .contains("class=\"related\"")
    );
}
