//! Notes written the way people write them in the wild: talks as plain `##` headings beside
//! `## 소개`, talks at `###`, speakers after dashes, `정리`/`느낀점` lines, links to recordings
//! and slides, and no title or front matter (the file name says it all).

use crate::common::{TestSite, sessions};
use hugi::detect::{Reason, Rule};
use hugi::note::PartKind;

fn parse_fixture(path: &str) -> hugi::note::Note {
    crate::common::parse_fixture("real-styles", path)
}

#[test]
fn plain_headings_are_talks_except_note_sections() {
    let note = parse_fixture("2019/2019 무슨 컨퍼런스.md");
    assert_eq!(note.detection.rule, Some(Rule::Structure));
    assert_eq!(note.title, "2019 무슨 컨퍼런스");
    assert_eq!(note.year, Some(2019));
    assert_eq!(note.date, None);
    let found = sessions(&note);
    let expected: Vec<(String, Vec<String>)> = vec![
        ("RxJava 구독과 구독 해제".into(), vec!["박수빈".into()]),
        ("CI/CD - 무엇이 다른가".into(), vec![]),
        (
            "인턴이라면 꼭 해야 할 3가지".into(),
            vec!["양찬석".into(), "Jane Doe".into()],
        ),
        ("Kotlin - What's New".into(), vec!["김코틀".into()]),
    ];
    assert_eq!(found, expected);
    let sections: Vec<&str> = note
        .parts
        .iter()
        .filter(|p| p.kind == PartKind::Section)
        .map(|p| p.heading.as_ref().unwrap().text.as_str())
        .collect();
    assert_eq!(
        sections,
        ["소개", "느낀 점"],
        "no session is named after a note section"
    );
}

#[test]
fn talks_one_level_down() {
    let note = parse_fixture("2019 트랙 행사.md");
    let reasons: Vec<Reason> = note.detection.headings.iter().map(|h| h.3).collect();
    assert!(reasons.contains(&Reason::Information), "{reasons:?}");
    let titles: Vec<String> = sessions(&note).into_iter().map(|(t, _)| t).collect();
    assert_eq!(
        titles,
        [
            "지도 SDK 개발자가 하는 일",
            "쉽고 재미있는 디버깅 - LLDB Command",
            "애니메이션 만들기"
        ]
    );
    let configured = parse_fixture("레벨 지정.md");
    assert_eq!(configured.detection.rule, Some(Rule::Level(3)));
    assert_eq!(configured.sessions().count(), 2);
}

#[test]
fn the_site_shows_speakers_summaries_and_resources() {
    let site = TestSite::from_fixture("real-styles");
    site.build();
    let page = site.page("2019-무슨-컨퍼런스/rxjava-구독과-구독-해제/index.html");
    assert!(page.contains("<h1 class=\"page-title\">RxJava 구독과 구독 해제</h1>"));
    assert!(page.contains("<a href=\"/speakers/박수빈/\">박수빈</a>"));
    assert!(page.contains("<aside class=\"card summary\" aria-label=\"정리\"><strong>정리</strong> 구독한 것은 반드시 해제하자</aside>"));
    assert!(page.contains("<aside class=\"card reflection\" aria-label=\"느낀 점\"><strong>느낀 점</strong> 예제가 많아서 이해하기 쉬웠다</aside>"));
    assert_eq!(
        page.matches("class=\"labelled\"").count(),
        2,
        "the lines the cards came from are marked, for the page to leave out"
    );
    assert!(page.contains("<a class=\"button\" href=\"https://video.example/rx\">▶ 발표 영상</a>"));
    assert!(page.contains("<a class=\"button\" href=\"https://slides.example/rx\">발표 자료</a>"));
    assert!(
        page.contains("<meta name=\"description\" content=\"구독한 것은 반드시 해제하자\">"),
        "summary is the description"
    );
    assert!(
        page.contains("href=\"https://video.example/rx\">발표영상</a>"),
        "the link stays in the text"
    );

    let speakers = site.page("speakers/index.html");
    for name in ["박수빈", "양찬석", "Jane Doe", "김코틀"] {
        assert!(speakers.contains(&format!(">{name}</a>")), "{name}");
    }
    let speaker = site.page("speakers/jane-doe/index.html");
    assert!(speaker.contains("인턴이라면 꼭 해야 할 3가지"));
    assert!(!site.public().join("2019-무슨-컨퍼런스/소개").exists());

    let events = site.page("events/index.html");
    assert!(
        events.contains(">2019년</h2>"),
        "the year comes from the file name"
    );
    let feed = site.page("atom.xml");
    assert!(feed.contains("<summary type=\"text\">구독한 것은 반드시 해제하자</summary>"));
}

#[test]
fn speakers_are_searchable() {
    let site = TestSite::from_fixture("real-styles");
    site.build();
    let shards = crate::common::tree(&site.public().join("search/s"));
    let all: Vec<u8> = shards.into_iter().flat_map(|(_, b)| b).collect();
    let needle = "수빈".as_bytes();
    assert!(all.windows(needle.len()).any(|w| w == needle));
}
