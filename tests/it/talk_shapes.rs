//! Session detection on notes shaped the many ways people write them (fixtures written for these
//! tests under `tests/fixtures/talk-shapes/`): talks at levels 1 to 4, under tracks and
//! announcing headings, speakers first or in a quote, titles in a quote under a bare kind word,
//! and notes that hold no talk at all — plus the overrides and what `hugi check --explain` says.

use crate::common::{TestSite, parse_fixture, sessions};

/// The talks of one fixture note: (title, speakers).
fn talks(name: &str) -> Vec<(String, Vec<String>)> {
    sessions(&parse_fixture("talk-shapes", name))
}

fn titles(name: &str) -> Vec<String> {
    talks(name).into_iter().map(|(title, _)| title).collect()
}

#[test]
fn the_seed_shape_gives_its_nine_sessions() {
    let found = titles("2020-09-26-seed-shape.md");
    assert_eq!(
        found,
        [
            "커뮤니티가 교육에 주는 것",
            "시민 기술과 파이썬",
            "LED로 밝히는 파이썬",
            "신경세포를 흉내 내는 시뮬레이터",
            "금융 문서 언어 모델",
            "Django ORM 구조와 최적화",
            "프롬프터의 문장 유사도",
            "점진적 타입 적용기",
            "발음 교정을 위한 음성인식",
        ],
        "nine sessions; `## 배운 점` stays a section"
    );
}

#[test]
fn numbered_talks_at_level_one_under_the_title() {
    assert_eq!(
        titles("2019-04-17-cloud-summit.md"),
        [
            "1. 서버리스로 시작하는 백엔드",
            "2. 컨테이너 이미지 보안",
            "3. 데이터 레이크 설계"
        ],
        "`## Tip - …` and `## 정리` stay inside their talks"
    );
}

#[test]
fn talks_under_an_announcing_heading_between_other_sections() {
    assert_eq!(
        titles("2023-11-04-devfest.md"),
        ["대규모 트래픽을 견디는 캐시 전략", "검색 품질 개선기"]
    );
}

#[test]
fn talks_at_level_four_under_tracks_with_numbering_restarting() {
    assert_eq!(
        talks("2024-06-01-track-conf.md"),
        [
            ("모듈러 모놀리스".to_string(), vec![]),
            ("테스트 피라미드 다시 보기".to_string(), vec![]),
            ("모듈러 모놀리스".to_string(), vec![]),
            ("로그 파이프라인".to_string(), vec![]),
        ]
    );
}

#[test]
fn a_write_up_of_one_talk_is_one_page() {
    assert!(titles("2022-08-12-one-talk-write-up.md").is_empty());
}

#[test]
fn programme_and_venue_sections_make_no_session() {
    assert!(titles("2022-09-10-meetup-info.md").is_empty());
}

#[test]
fn a_trip_report_has_only_its_announced_talks() {
    assert_eq!(
        titles("2024-10-20-singapore-trip.md").len(),
        4,
        "{:?}",
        titles("2024-10-20-singapore-trip.md")
    );
}

#[test]
fn speakers_before_the_title_with_honorifics_and_in_quotes() {
    assert_eq!(
        talks("2025-03-15-speakers-first.md"),
        [
            ("카프카 운영 이야기".to_string(), vec!["고승범".to_string()]),
            (
                "아직 정하지 못한 제목".to_string(),
                vec!["미정".to_string()]
            ),
            ("관찰 가능성 입문".to_string(), vec![]),
        ]
    );
}

#[test]
fn bare_kind_words_take_their_titles_from_the_quote_below() {
    assert_eq!(
        talks("2018-07-06-quote-titles.md"),
        [
            (
                "모두를 위한 오픈소스 기여".to_string(),
                vec!["이지은".to_string()]
            ),
            (
                "분산 시스템 강의를 마치며".to_string(),
                vec!["김도윤".to_string()]
            ),
            ("keynote #3".to_string(), vec!["박서준".to_string()]),
        ]
    );
}

#[test]
fn front_matter_overrides_detection() {
    assert_eq!(
        titles("2024-05-05-override-under.md"),
        ["첫 번째 이야기", "두 번째 이야기"]
    );
    assert!(titles("2024-05-06-no-sessions.md").is_empty());
}

#[test]
fn the_site_builds_and_check_explains_each_note() {
    let site = TestSite::from_fixture("talk-shapes");
    site.build();
    let page = site.page("react-conf/동시성-렌더링/index.html");
    assert!(
        page.contains(">김호성</a>"),
        "speakers from a YAML list of maps"
    );
    assert!(page.contains("2021년 12월 17일"), "a slashed date");
    assert!(
        site.public()
            .join("track-conf/모듈러-모놀리스-2/index.html")
            .exists()
    );
    assert!(!site.public().join("meetup-info/장소").exists());

    let output = site
        .hugi(&["check", "--explain", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let notes = json["notes"].as_array().unwrap();
    let devfest = notes
        .iter()
        .find(|n| n["file"] == "content/2023-11-04-devfest.md")
        .unwrap();
    assert_eq!(devfest["rule"], "the heading structure");
    assert_eq!(devfest["sessions"][1]["title"], "검색 품질 개선기");
    assert_eq!(devfest["sessions"][1]["line"], 10);
    assert_eq!(devfest["sessions"][1]["url"], "/devfest/검색-품질-개선기/");
    let under = notes
        .iter()
        .find(|n| n["file"] == "content/2024-05-05-override-under.md")
        .unwrap();
    assert_eq!(
        under["rule"],
        "the headings under `들은 발표`, as configured"
    );
    let info = notes
        .iter()
        .find(|n| n["file"] == "content/2022-09-10-meetup-info.md")
        .unwrap();
    assert_eq!(info["confidence"], "none");
    assert!(
        info["override_hint"]
            .as_str()
            .unwrap()
            .contains("sessions = { level = 2 }")
    );

    let text = site.hugi(&["check", "--explain"]).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("content/2022-09-10-meetup-info.md: 0 session(s) by the heading structure (confidence none)"),
        "{text}"
    );
    assert!(text.contains("section   장소 (not a talk: an information section)"));
}
